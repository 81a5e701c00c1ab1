"""Records layer: numbers, metrics, laws, oversight activities, proposals, and the indicator codebook."""

import dagster as dg
import pandas as pd

from pipeline.assets.convert import documents_with, numbers_of, sections_of, sentence_ids, sentences_of, span_ids
from pipeline.assets.output import table_output
from pipeline.extract.indicators import Indicator, load_codebook
from pipeline.extract.laws import extract_laws
from pipeline.extract.metrics import extract_metrics
from pipeline.extract.numbers import find_numbers
from pipeline.extract.oversight import extract_oversight
from pipeline.extract.proposals import extract_proposals
from schemas import frames

PHRASING_SEP = " | "


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
    df = frames.build("indicators", [
        {"indicator_code": i.code, "label_en": i.label_en, "label_zh": i.label_zh, "unit": i.unit,
         "category": i.category, "phrasings": PHRASING_SEP.join(i.phrasings)} for i in load_codebook()])
    return table_output(df, "indicators")


def codebook_of(indicators: pd.DataFrame) -> list[Indicator]:
    return [Indicator(code=r.indicator_code, label_en=r.label_en, label_zh=r.label_zh, unit=r.unit,
                      category=r.category, phrasings=tuple(p for p in r.phrasings.split(PHRASING_SEP) if p))
            for r in indicators.itertuples()]


@dg.asset(group_name="records", compute_kind="python")
def numbers(context: dg.AssetExecutionContext, clean_documents: pd.DataFrame, sections: pd.DataFrame,
            sentences: pd.DataFrame) -> dg.Output[pd.DataFrame]:
    """Every number in the text (Arabic or Chinese numerals, 万/亿, %, 余/多/近) with its value and role."""
    rows = []
    for doc, (secs, sents) in documents_with(clean_documents, sections, sentences):
        for span, rec_id, n in _records(doc.doc_id, "n", find_numbers(doc.clean_text, sentences_of(sents, secs)), sents):
            rows.append({"number_id": rec_id, **span,
                         "value": n.value, "unit": n.unit, "approx": n.approx, "role": n.role})
    df = frames.build("numbers", rows)
    context.log.info(f"numbers: {len(df)} row(s); roles {df['role'].value_counts().to_dict()}")
    return table_output(df, "numbers")


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


@dg.asset(group_name="records", compute_kind="python")
def metrics(context: dg.AssetExecutionContext, clean_documents: pd.DataFrame, sections: pd.DataFrame,
            sentences: pd.DataFrame, numbers: pd.DataFrame, indicators: pd.DataFrame,
            documents: pd.DataFrame) -> dg.Output[pd.DataFrame]:
    """Quantitative facts: indicator, value, unit, approx, period (with years), category and indicator code."""
    codebook = codebook_of(indicators)
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
    df = frames.build("metrics", rows)
    coded = int((df["indicator_code"] != "").sum())
    context.log.info(f"metrics: {len(df)} row(s), {coded} with an indicator code")
    return table_output(df, "metrics", coded=coded)


@dg.asset(group_name="records", compute_kind="python")
def laws(context: dg.AssetExecutionContext, clean_documents: pd.DataFrame, sections: pd.DataFrame,
         sentences: pd.DataFrame) -> dg.Output[pd.DataFrame]:
    """Laws, regulations, rules and decisions named, with instrument, jurisdiction, action and status."""
    rows = []
    for doc, (secs, sents) in documents_with(clean_documents, sections, sentences):
        for span, rec_id, law in _records(doc.doc_id, "l", extract_laws(doc.clean_text, sentences_of(sents, secs)), sents):
            rows.append({"law_id": rec_id, **span,
                         "name": law.name, "instrument": law.instrument, "jurisdiction": law.jurisdiction,
                         "action": law.action, "status": law.status})
    df = frames.build("laws", rows)
    context.log.info(f"laws: {len(df)} row(s)")
    return table_output(df, "laws")


@dg.asset(group_name="records", compute_kind="python")
def oversight(context: dg.AssetExecutionContext, clean_documents: pd.DataFrame, sections: pd.DataFrame,
              sentences: pd.DataFrame) -> dg.Output[pd.DataFrame]:
    """Oversight activities: reports heard, inspections, inquiries, studies, evaluations, satisfaction votes."""
    rows = []
    for doc, (secs, sents) in documents_with(clean_documents, sections, sentences):
        for span, rec_id, o in _records(doc.doc_id, "o", extract_oversight(doc.clean_text, sentences_of(sents, secs)), sents):
            rows.append({"oversight_id": rec_id, **span,
                         "kind": o.kind, "subject": o.subject, "status": o.status})
    df = frames.build("oversight", rows)
    context.log.info(f"oversight: {len(df)} row(s)")
    return table_output(df, "oversight")


@dg.multi_asset(
    group_name="records",
    outs={"proposals": dg.AssetOut(description="CPPCC proposals: title, proposer, proposer kind, number of recommendations."),
          "recommendations": dg.AssetOut(description="Each recommendation of each proposal, in order.")},
)
def proposals_and_recommendations(context: dg.AssetExecutionContext, clean_documents: pd.DataFrame,
                                  sections: pd.DataFrame, sentences: pd.DataFrame):
    """CPPCC proposals in digests and their recommendations."""
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
    p_df, r_df = frames.build("proposals", props), frames.build("recommendations", recs)
    context.log.info(f"proposals: {len(p_df)} row(s); recommendations: {len(r_df)} row(s)")
    yield table_output(p_df, "proposals", output_name="proposals")
    yield table_output(r_df, "recommendations", output_name="recommendations")
