"""Records layer: numbers, metrics, laws, oversight activities and proposals of each document (one partition per
document), and the indicator codebook."""

from functools import partial

import dagster as dg
import pandas as pd

from pipeline.assets.convert import (documents_with, each_document, numbers_of, sections_of, sentence_ids,
                                     sentences_of, span_ids)
from pipeline.assets.output import documents_output, schema_metadata, table_output
from pipeline.assets.partitions import CODE_VERSION, per_document
from pipeline.extract.indicators import PHRASING_SEP, Indicator, codebook_rows
from pipeline.extract.laws import extract_laws
from pipeline.extract.metrics import extract_metrics
from pipeline.extract.numbers import find_numbers
from pipeline.extract.oversight import extract_oversight
from pipeline.extract.proposals import extract_proposals
from schemas import frames



def _records(doc_id: str, letter: str, found: list, sents: pd.DataFrame | None) -> list[tuple[dict, object]]:
    """(the columns every record shares: id, document, sentence and the span it quotes; the record),
    for each record found in one document."""
    sentence_id = sentence_ids(sents)
    ids = span_ids(doc_id, letter, [(r.char_start, r.char_end) for r in found])
    return [({"doc_id": doc_id, "sentence_id": sentence_id[r.sentence], "quote": r.quote,
              "char_start": r.char_start, "char_end": r.char_end}, rec_id, r) for r, rec_id in zip(found, ids)]


@dg.asset(group_name="records", compute_kind="python")
def indicators(context: dg.AssetExecutionContext) -> dg.Output[pd.DataFrame]:
    """The indicator codebook (pipeline/vocab/indicators.toml): codes that make reports comparable."""
    df = frames.build("indicators", codebook_rows())
    return table_output(df, "indicators")


def codebook_of(indicators: pd.DataFrame) -> list[Indicator]:
    return [Indicator(code=r.indicator_code, label_en=r.label_en, label_zh=r.label_zh, unit=r.unit,
                      category=r.category, phrasings=tuple(p for p in r.phrasings.split(PHRASING_SEP) if p),
                      same_units=tuple(u for u in r.same_units.split(PHRASING_SEP) if u))
            for r in indicators.itertuples()]


@dg.asset(group_name="records", compute_kind="python", **per_document(schema_metadata("numbers")))
def numbers(context: dg.AssetExecutionContext, clean_documents, sections, sentences) -> dg.Output[dict]:
    """Every number in the text (Arabic or Chinese numerals, 万/亿, %, 余/多/近) with its value and role."""
    return documents_output(context, each_document(context, numbers_table, clean_documents, sections, sentences),
                            "numbers")


def numbers_table(clean_documents: pd.DataFrame, sections: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for doc, (secs, sents) in documents_with(clean_documents, sections, sentences):
        for span, rec_id, n in _records(doc.doc_id, "n", find_numbers(doc.clean_text, sentences_of(sents, secs)), sents):
            rows.append({"number_id": rec_id, **span,
                         "value": n.value, "unit": n.unit, "approx": n.approx, "role": n.role})
    return frames.build("numbers", rows)


def _years(period: str, doc) -> tuple[int | None, int | None]:
    """Years a figure covers, from the document's review period and plan year."""
    if doc is None:
        return None, None
    start, end, plan = doc.review_start, doc.review_end, doc.plan_year
    if period == "plan":
        return plan, plan
    if period == "past_year":
        return end, end
    if period == "term":
        return start, end
    return None, None


@dg.asset(group_name="records", compute_kind="python", **per_document(schema_metadata("metrics")))
def metrics(context: dg.AssetExecutionContext, clean_documents, sections, sentences, numbers,
            indicators: pd.DataFrame, documents) -> dg.Output[dict]:
    """Quantitative facts: indicator, value, unit, approx, period (with years), category and indicator code."""
    table = partial(metrics_table, codebook_of(indicators))
    found = each_document(context, table, clean_documents, sections, sentences, numbers, documents)
    return documents_output(context, found, "metrics",
                            coded=sum(int((f["indicator_code"] != "").sum()) for f in found.values()))


def metrics_table(codebook: list[Indicator], clean_documents: pd.DataFrame, sections: pd.DataFrame,
                  sentences: pd.DataFrame, numbers: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    meta = {r.doc_id: r for r in documents.itertuples()}
    rows = []
    for doc, (secs, sents, nums) in documents_with(clean_documents, sections, sentences, numbers):
        found = extract_metrics(doc.clean_text, sentences_of(sents, secs), numbers_of(nums, sents), codebook)
        for span, rec_id, m in _records(doc.doc_id, "m", found, sents):
            y0, y1 = _years(m.period, meta.get(doc.doc_id))
            rows.append({"metric_id": rec_id, **span,
                         "value": m.value, "unit": m.unit, "indicator": m.indicator,
                         "indicator_code": m.indicator_code, "approx": m.approx, "period": m.period,
                         "year_start": y0, "year_end": y1, "category": m.category})
    return frames.build("metrics", rows)


@dg.asset(group_name="records", compute_kind="python", **per_document(schema_metadata("laws")))
def laws(context: dg.AssetExecutionContext, clean_documents, sections, sentences) -> dg.Output[dict]:
    """Laws, regulations, rules and decisions named, with instrument, jurisdiction, action and status."""
    return documents_output(context, each_document(context, laws_table, clean_documents, sections, sentences), "laws")


def laws_table(clean_documents: pd.DataFrame, sections: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for doc, (secs, sents) in documents_with(clean_documents, sections, sentences):
        for span, rec_id, law in _records(doc.doc_id, "l", extract_laws(doc.clean_text, sentences_of(sents, secs)), sents):
            rows.append({"law_id": rec_id, **span,
                         "name": law.name, "instrument": law.instrument, "jurisdiction": law.jurisdiction,
                         "action": law.action, "status": law.status})
    return frames.build("laws", rows)


@dg.asset(group_name="records", compute_kind="python", **per_document(schema_metadata("oversight")))
def oversight(context: dg.AssetExecutionContext, clean_documents, sections, sentences) -> dg.Output[dict]:
    """Oversight activities: reports heard, inspections, inquiries, studies, evaluations, satisfaction votes."""
    return documents_output(context, each_document(context, oversight_table, clean_documents, sections, sentences),
                            "oversight")


def oversight_table(clean_documents: pd.DataFrame, sections: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for doc, (secs, sents) in documents_with(clean_documents, sections, sentences):
        for span, rec_id, o in _records(doc.doc_id, "o", extract_oversight(doc.clean_text, sentences_of(sents, secs)), sents):
            rows.append({"oversight_id": rec_id, **span,
                         "kind": o.kind, "subject": o.subject, "status": o.status})
    return frames.build("oversight", rows)


@dg.multi_asset(
    group_name="records",
    outs={"proposals": dg.AssetOut(code_version=CODE_VERSION, metadata=schema_metadata("proposals"), description=(
              "CPPCC proposals: title, proposer, proposer kind, number of recommendations.")),
          "recommendations": dg.AssetOut(code_version=CODE_VERSION, metadata=schema_metadata("recommendations"),
                                           description=(
              "Each recommendation of each proposal, in order."))},
    **per_document(),
)
def proposals_and_recommendations(context: dg.AssetExecutionContext, clean_documents, sections, sentences):
    """CPPCC proposals in digests and their recommendations."""
    both = each_document(context, proposals_tables, clean_documents, sections, sentences)
    yield documents_output(context, both.map(lambda v: v[0]), "proposals", output_name="proposals")
    yield documents_output(context, both.map(lambda v: v[1]), "recommendations", output_name="recommendations")


def proposals_tables(clean_documents: pd.DataFrame, sections: pd.DataFrame,
                     sentences: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    props, recs = [], []
    for doc, (secs, sents) in documents_with(clean_documents, sections, sentences):
        found = extract_proposals(doc.clean_text, sections_of(secs), sentences_of(sents, secs))
        for p, pid in zip(found, span_ids(doc.doc_id, "p", [(p.title_start, p.title_end) for p in found])):
            props.append({"proposal_id": pid, "doc_id": doc.doc_id, "seq": p.index, "title": p.title,
                          "proposer": p.proposer, "proposer_kind": p.proposer_kind,
                          "n_recommendations": len(p.recommendations), "body_start": p.char_start,
                          "body_end": p.char_end, "quote": doc.clean_text[p.title_start:p.title_end],
                          "char_start": p.title_start, "char_end": p.title_end})
            for r in p.recommendations:
                recs.append({"recommendation_id": f"{pid}:r{r.seq:03d}", "proposal_id": pid, "doc_id": doc.doc_id,
                             "seq": r.seq, "quote": r.text, "char_start": r.char_start, "char_end": r.char_end})
    return frames.build("proposals", props), frames.build("recommendations", recs)
