"""Records layer: numbers, metrics, laws, oversight activities and proposals of each document (one partition per
document), and the indicator codebook."""

from functools import partial

import dagster as dg
import pandas as pd

from pipeline.assets.convert import each_document, extractable, ids_by_index, span_ids
from pipeline.assets.output import documents_output, schema_metadata, table_output
from pipeline.assets.partitions import CODE_VERSION, per_document
from pipeline.extract.indicators import PHRASING_SEP, Indicator, codebook_rows
from pipeline.extract.laws import extract_laws
from pipeline.extract.metrics import extract_metrics
from pipeline.extract.numbers import find_numbers
from pipeline.extract.oversight import extract_oversight
from pipeline.extract.model import NumberMention
from pipeline.extract.proposals import extract_proposals
from pipeline.text.model import Section, Sentence
from schemas import frames



def _records(doc_id: str, letter: str, found: list, sents: list[Sentence]) -> list[tuple[dict, str, object]]:
    """(the columns every record shares: id, document, sentence and the span it quotes; its id; the record), for
    each record found in one document."""
    sentence_id = ids_by_index(doc_id, "s", sents)
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
def numbers(context: dg.AssetExecutionContext, clean_documents, sentences) -> dg.Output:
    """Every number in the text (Arabic or Chinese numerals, 万/亿, %, 余/多/近) with its value and role."""
    return documents_output(context, each_document(context, document_numbers, clean_documents, sentences),
                            "numbers")


def document_numbers(doc_id: str, clean: dict | None, sents: list[Sentence]) -> tuple[list[NumberMention], list[dict]]:
    if not extractable(clean):
        return [], []
    found = find_numbers(clean["clean_text"], sents)
    return found, [{"number_id": rec_id, **span, "value": n.value, "unit": n.unit, "approx": n.approx,
                    "role": n.role} for span, rec_id, n in _records(doc_id, "n", found, sents)]


def _years(period: str, doc: dict | None) -> tuple[int | None, int | None]:
    """Years a figure covers, from the document's review period and plan year."""
    if doc is None:
        return None, None
    start, end, plan = doc["review_start"], doc["review_end"], doc["plan_year"]
    if period == "plan":
        return plan, plan
    if period == "past_year":
        return end, end
    if period == "term":
        return start, end
    return None, None


@dg.asset(group_name="records", compute_kind="python", **per_document(schema_metadata("metrics")))
def metrics(context: dg.AssetExecutionContext, clean_documents, sentences, numbers,
            indicators: pd.DataFrame, documents) -> dg.Output:
    """Quantitative facts: indicator, value, unit, approx, period (with years), category and indicator code."""
    table = partial(document_metrics, codebook_of(indicators))
    found = each_document(context, table, clean_documents, sentences, numbers, documents)
    return documents_output(context, found, "metrics",
                            coded=sum(int(r["indicator_code"] != "") for rows in found.rows.values() for r in rows))


def document_metrics(codebook: list[Indicator], doc_id: str, clean: dict | None, sents: list[Sentence],
                     nums: list[NumberMention], meta: dict | None) -> tuple[None, list[dict]]:
    if not extractable(clean):
        return None, []
    rows = []
    for span, rec_id, m in _records(doc_id, "m", extract_metrics(clean["clean_text"], sents, nums, codebook), sents):
        y0, y1 = _years(m.period, meta)
        rows.append({"metric_id": rec_id, **span,
                     "value": m.value, "unit": m.unit, "indicator": m.indicator,
                     "indicator_code": m.indicator_code, "approx": m.approx, "period": m.period,
                     "year_start": y0, "year_end": y1, "category": m.category})
    return None, rows


@dg.asset(group_name="records", compute_kind="python", **per_document(schema_metadata("laws")))
def laws(context: dg.AssetExecutionContext, clean_documents, sentences) -> dg.Output:
    """Laws, regulations, rules and decisions named, with instrument, jurisdiction, action and status."""
    return documents_output(context, each_document(context, document_laws, clean_documents, sentences), "laws")


def document_laws(doc_id: str, clean: dict | None, sents: list[Sentence]) -> tuple[None, list[dict]]:
    if not extractable(clean):
        return None, []
    return None, [{"law_id": rec_id, **span, "name": law.name, "instrument": law.instrument,
                   "jurisdiction": law.jurisdiction, "action": law.action, "status": law.status}
                  for span, rec_id, law in _records(doc_id, "l", extract_laws(clean["clean_text"], sents), sents)]


@dg.asset(group_name="records", compute_kind="python", **per_document(schema_metadata("oversight")))
def oversight(context: dg.AssetExecutionContext, clean_documents, sentences) -> dg.Output:
    """Oversight activities: reports heard, inspections, inquiries, studies, evaluations, satisfaction votes."""
    return documents_output(context, each_document(context, document_oversight, clean_documents, sentences),
                            "oversight")


def document_oversight(doc_id: str, clean: dict | None, sents: list[Sentence]) -> tuple[None, list[dict]]:
    if not extractable(clean):
        return None, []
    return None, [{"oversight_id": rec_id, **span, "kind": o.kind, "subject": o.subject, "status": o.status}
                  for span, rec_id, o in _records(doc_id, "o", extract_oversight(clean["clean_text"], sents), sents)]


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
    props, recs = each_document(context, document_proposals, clean_documents, sections, sentences, outputs=2)
    yield documents_output(context, props, "proposals", output_name="proposals")
    yield documents_output(context, recs, "recommendations", output_name="recommendations")


def document_proposals(doc_id: str, clean: dict | None, secs: list[Section],
                       sents: list[Sentence]) -> tuple[tuple[None, list[dict]], tuple[None, list[dict]]]:
    if not extractable(clean):
        return (None, []), (None, [])
    text = clean["clean_text"]
    props, recs = [], []
    found = extract_proposals(text, secs, sents)
    for p, pid in zip(found, span_ids(doc_id, "p", [(p.title_start, p.title_end) for p in found])):
        props.append({"proposal_id": pid, "doc_id": doc_id, "seq": p.index, "title": p.title,
                      "proposer": p.proposer, "proposer_kind": p.proposer_kind,
                      "n_recommendations": len(p.recommendations), "body_start": p.char_start,
                      "body_end": p.char_end, "quote": text[p.title_start:p.title_end],
                      "char_start": p.title_start, "char_end": p.title_end})
        for r in p.recommendations:
            recs.append({"recommendation_id": f"{pid}:r{r.seq:03d}", "proposal_id": pid, "doc_id": doc_id,
                         "seq": r.seq, "quote": r.text, "char_start": r.char_start, "char_end": r.char_end})
    return (None, props), (None, recs)
