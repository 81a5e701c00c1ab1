"""Catalog layer: one row per document (what the text says about itself; one partition per document), the
problems met on the way, and the harmonised panel (over all documents)."""

from collections.abc import Mapping
from dataclasses import asdict
from functools import partial

import dagster as dg
import pandas as pd

from pipeline.assets.convert import each_document, extractable
from pipeline.assets.output import documents_output, schema_metadata, table_output
from pipeline.assets.published import published_frame
from pipeline.assets.partitions import per_document
from pipeline.assets.settings import PipelineSettings
from pipeline.extract.panel import panel_rows
from pipeline.extract.metadata import apply_overrides, infer_metadata, load_overrides
from pipeline.text.sources import METADATA_FILE, Folder, file_name, scan

KEEP_FIRST = "remove one of the two copies; only the first (by name) is used"
# what ``problems`` reads of each document's stored frames (not the texts: 10,000 documents' texts, twice)
RAW_FOR_PROBLEMS = ["source_file", "sha256", "text_sha256", "problem", "offset", "hint"]
CLEAN_FOR_PROBLEMS = ["source_file", "problem", "hint"]
from schemas import frames


@dg.asset(group_name="catalog", compute_kind="python", **per_document(schema_metadata("documents")))
def documents(context: dg.AssetExecutionContext, settings: PipelineSettings, raw_documents, clean_documents,
              sections, edits) -> dg.Output:
    """One row per usable document: file, checksum, encoding, and the issuer, city, dates and periods the text
    states (overridable in seeds/metadata.csv)."""
    table = partial(document_row, load_overrides(settings.seeds / METADATA_FILE))
    return documents_output(context, each_document(context, table, raw_documents, clean_documents, sections, edits),
                            "documents")


def document_row(overrides: Mapping, doc_id: str, raw: dict, clean: dict | None, secs: list,
                 edit_counts: dict) -> tuple[dict | None, list[dict]]:
    """(the document's row, [it]): what the text says about itself, with seeds/metadata.csv's overrides."""
    if not extractable(clean):
        return None, []
    meta = infer_metadata(clean["clean_text"], secs, clean["source_file"])
    if clean["source_file"] in overrides:
        meta = apply_overrides(meta, overrides[clean["source_file"]])
    row = {"doc_id": doc_id, "source_file": clean["source_file"], "sha256": raw["sha256"],
           "n_bytes": int(raw["n_bytes"]), "encoding": raw["encoding"], **asdict(meta),
           "n_chars_raw": len(raw["raw_text"]), "n_chars_clean": len(clean["clean_text"]),
           "n_edits_applied": int(edit_counts.get("applied", 0)),
           "n_edits_flagged": int(edit_counts.get("flagged", 0))}
    return row, [row]


@dg.asset(group_name="catalog", compute_kind="python")
def problems(context: dg.AssetExecutionContext, settings: PipelineSettings, raw_documents,
             clean_documents) -> dg.Output[pd.DataFrame]:
    """Input files left out, with the reason and what to do: undecodable, empty, duplicate, or not a report; and
    what of seeds/metadata.csv is not used (a bad cell, an unknown column, a row for no file), by line."""
    raw = raw_documents.concat(columns=RAW_FOR_PROBLEMS)
    raw = raw.sort_values("source_file", kind="stable") if len(raw) else raw
    clean = clean_documents.concat(columns=CLEAN_FOR_PROBLEMS)
    repeats = repeated_files(raw)
    rows = [{"source_file": r.source_file, "stage": "decode", "reason": repeats.get(r.source_file, r.problem),
             "offset": None if r.source_file in repeats else r.offset,
             "hint": KEEP_FIRST if r.source_file in repeats else r.hint}
            for r in raw.itertuples() if r.problem or r.source_file in repeats]
    if len(clean.columns):
        rows += [{"source_file": r.source_file, "stage": "recognise", "reason": r.problem, "offset": None,
                  "hint": r.hint} for r in clean[clean["problem"] != ""].itertuples() if r.source_file not in repeats]
    folder = scan(settings.seeds)
    rows += metadata_problems(settings.seeds, folder) + collision_problems(folder)
    df = frames.build("problems", sorted(rows, key=lambda r: (r["source_file"], r["stage"])))
    for r in df.itertuples():
        context.log.warning(f"problem: {r.source_file}: {r.reason} — {r.hint}")
    return table_output(df, "problems")


def collision_problems(folder: Folder) -> list[dict]:
    """Problem rows for files of the seeds folder left out because their document id is taken (``sources.scan``)."""
    return [{"source_file": c.name, "stage": "locate", "reason": c.reason, "offset": None, "hint": c.hint}
            for c in folder.collisions]


def metadata_problems(seeds, folder: Folder) -> list[dict]:
    """Problem rows for what of the seeds folder's metadata.csv is not used, each at its line (``offset``)."""
    files = {file_name(p) for p in folder.documents.values()}
    return [{"source_file": METADATA_FILE, "stage": "metadata", "reason": p.reason, "offset": p.line, "hint": p.hint}
            for p in load_overrides(seeds / METADATA_FILE, files).problems]


def repeated_files(raw: pd.DataFrame) -> dict[str, str]:
    """{file: "same content as <earlier file>"} for every file whose bytes, or decoded text, repeat a file earlier
    by name (the same report saved twice, or once in another encoding): only the first is used."""
    first_of, out = {}, {}
    for r in raw.itertuples():
        keys = [("bytes", r.sha256)] + ([("text", r.text_sha256)] if r.text_sha256 else [])
        earlier = next(((kind, first_of[k]) for kind, k in keys if k in first_of), None)
        if earlier:
            kind, name = earlier
            out[r.source_file] = (f"same content as {name}" if kind == "bytes"
                                  else f"same text as {name} (in another encoding)")
        for kind, k in keys:
            first_of.setdefault(k, r.source_file)
    return out


def kept(documents: pd.DataFrame, problems: pd.DataFrame) -> set[str]:
    """Documents that are published: decoded, recognised and not a repeat of another file."""
    if documents.empty:
        return set()
    return set(documents.loc[~documents["source_file"].isin(problems["source_file"]), "doc_id"])


@dg.asset(group_name="catalog", compute_kind="python")
def panel(context: dg.AssetExecutionContext, metrics, documents, indicators: pd.DataFrame,
          problems: pd.DataFrame) -> dg.Output[pd.DataFrame]:
    """The harmonised panel: one figure per place, period, years and indicator, in the indicator's unit — e.g.
    regulations enacted per city and year (``pipeline.extract.panel``)."""
    docs = published_frame("documents", documents)
    rows = panel_rows(published_frame("metrics", metrics, kept(docs, problems)), docs, indicators)
    df = frames.build("panel", rows.to_dict("records"))
    context.log.info(f"panel: {len(df)} row(s)")
    return table_output(df, "panel")
