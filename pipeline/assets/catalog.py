"""Catalog layer: one row per document (what the text says about itself), the problems met on the
way, and the harmonised panel."""

from dataclasses import asdict

import dagster as dg
import pandas as pd

from pipeline.assets.convert import documents_with, sections_of
from pipeline.assets.output import table_output
from pipeline.assets.settings import PipelineSettings
from pipeline.extract.metadata import apply_overrides, infer_metadata, load_overrides
from pipeline.text.sources import METADATA_FILE
from schemas import frames


@dg.asset(group_name="catalog", compute_kind="python")
def documents(context: dg.AssetExecutionContext, settings: PipelineSettings, raw_documents: pd.DataFrame,
              clean_documents: pd.DataFrame, sections: pd.DataFrame, edits: pd.DataFrame) -> dg.Output[pd.DataFrame]:
    """One row per usable document: file, checksum, encoding, and the issuer, city, dates and periods the text
    states (overridable in seeds/metadata.csv)."""
    overrides = load_overrides(settings.seeds / METADATA_FILE)
    raw = raw_documents.set_index("doc_id")
    counts = edits.groupby(["doc_id", "action"]).size()
    rows = []
    for doc, (secs,) in documents_with(clean_documents, sections):
        meta = infer_metadata(doc.clean_text, sections_of(secs), doc.source_file)
        if doc.source_file in overrides:
            meta = apply_overrides(meta, overrides[doc.source_file])
        r = raw.loc[doc.doc_id]
        rows.append({"doc_id": doc.doc_id, "source_file": doc.source_file, "sha256": r.sha256,
                     "n_bytes": int(r.n_bytes), "encoding": r.encoding, **asdict(meta),
                     "n_chars_raw": len(doc.raw_text), "n_chars_clean": len(doc.clean_text),
                     "n_edits_applied": int(counts.get((doc.doc_id, "applied"), 0)),
                     "n_edits_flagged": int(counts.get((doc.doc_id, "flagged"), 0))})
    df = frames.build("documents", rows)
    context.log.info(f"documents: {len(df)} row(s)")
    return table_output(df, "documents")


@dg.asset(group_name="catalog", compute_kind="python")
def problems(context: dg.AssetExecutionContext, raw_documents: pd.DataFrame,
             clean_documents: pd.DataFrame) -> dg.Output[pd.DataFrame]:
    """Input files left out, with the reason and what to do: undecodable, empty, duplicate, or not a report."""
    rows = [{"source_file": r.source_file, "stage": "decode", "reason": r.problem, "offset": r.offset, "hint": r.hint}
            for r in raw_documents[raw_documents["problem"] != ""].itertuples()]
    rows += [{"source_file": r.source_file, "stage": "recognise", "reason": r.problem, "offset": None, "hint": r.hint}
             for r in clean_documents[clean_documents["problem"] != ""].itertuples()]
    df = frames.build("problems", sorted(rows, key=lambda r: (r["source_file"], r["stage"])))
    for r in df.itertuples():
        context.log.warning(f"problem: {r.source_file}: {r.reason} — {r.hint}")
    return table_output(df, "problems")


@dg.asset(group_name="catalog", compute_kind="python")
def panel(context: dg.AssetExecutionContext, metrics: pd.DataFrame, documents: pd.DataFrame,
          indicators: pd.DataFrame) -> dg.Output[pd.DataFrame]:
    """The harmonised panel: for each document, period and standard indicator, one figure with the city, level
    and year — e.g. regulations enacted per city and year."""
    meta = documents.set_index("doc_id")
    chosen = panel_figures(metrics, indicators)
    rows = [{"doc_id": m.doc_id, "city": meta.at[m.doc_id, "city"], "level": meta.at[m.doc_id, "level"],
             "year": m.year_end, "period": m.period, "indicator_code": m.indicator_code, "value": m.value,
             "unit": m.unit, "metric_id": m.metric_id} for m in chosen.itertuples()]
    df = frames.build("panel", rows)
    context.log.info(f"panel: {len(df)} row(s)")
    return table_output(df, "panel")


def panel_figures(metrics: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """One metric per (document, period, indicator): the one in the indicator's own unit, and among those the
    largest — a report states the total once and its parts (one district's, one month's) elsewhere — then the
    first mentioned."""
    unit_of = dict(zip(indicators["indicator_code"], indicators["unit"]))
    coded = metrics[(metrics["indicator_code"] != "") & (metrics["period"] != "other")].copy()
    coded["own_unit"] = [unit_of.get(c) == u for c, u in zip(coded["indicator_code"], coded["unit"])]
    ranked = coded.sort_values(["doc_id", "period", "indicator_code", "own_unit", "value", "char_start"],
                               ascending=[True, True, True, False, False, True], kind="stable")
    return ranked.drop_duplicates(["doc_id", "period", "indicator_code"]).sort_values(["doc_id", "char_start"])
