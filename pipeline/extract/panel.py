"""The harmonised panel: one figure per place, period, year span and indicator, in the indicator's unit.

A pure function of three published tables (``metrics``, ``documents``, ``indicators``), so the asset that
publishes it and the card that explains it (``left_out``) apply one rule:

The key is the body (a congress's figures and a CPPCC's of one place are different rows), the place, the period,
the years and the indicator.

1. A metric with an indicator code enters only when its unit is the indicator's unit or one of the units
   counting the same things one for one (``indicators.same_units``), when its period is past_year, term or
   plan with both years known, and when its document's place is known (a level; below national, a
   province). Everything else stays in ``metrics`` with its code (``left_out`` says why).
2. In one document, of the mentions of an indicator for one period and span: the largest (a report states
   the total once and its parts — one district's, one month's — elsewhere), then the first mentioned.
3. Of several documents giving the same place, period, span and indicator (a full report and its press
   digest, or a report filed twice): the full report over a digest over anything else, then the later
   document (``date``, then ``doc_id``). The others' metric ids are kept in ``superseded_metric_ids``.
"""
from __future__ import annotations

import pandas as pd

from pipeline.extract.indicators import PHRASING_SEP
from pipeline.extract.model import PANEL_PERIODS

PLACE = ("level", "province", "city", "county")
KEY = ("body", *PLACE, "period", "year_start", "year_end", "indicator_code")
# rule 3: lower is preferred (genres of documents.genre)
GENRE_RANK = {"work_report": 0, "press_digest": 1, "proposal_digest": 2}
SEP = " "

# why a coded metric is not in the panel (``left_out``), in the order the reasons are tested
REASON_PERIOD = "period"    # period other (neither a year reviewed, a term, nor a plan)
REASON_YEARS = "years"      # the document does not say which years the figure covers
REASON_PLACE = "place"      # the document's issuing place is unknown
REASON_UNIT = "unit"        # written in a unit that does not count the same things as the indicator's


def _in_unit(metrics: pd.DataFrame, indicators: pd.DataFrame) -> pd.Series:
    """Whether each metric is written in its indicator's unit or one of its ``same_units``."""
    units = {c: frozenset([u, *(x for x in s.split(PHRASING_SEP) if x)])
             for c, u, s in zip(indicators["indicator_code"], indicators["unit"], indicators["same_units"])}
    return pd.Series([u in units.get(c, ()) for c, u in zip(metrics["indicator_code"], metrics["unit"])],
                     index=metrics.index, dtype=bool)


def other_units(metrics: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Coded metrics kept out of the panel for their unit alone, per indicator and unit as written: columns
    indicator_code, unit (the indicator's), unit_as_written, n."""
    coded = metrics[metrics["indicator_code"] != ""]
    off = coded[~_in_unit(coded, indicators)]
    out = off.groupby(["indicator_code", "unit"]).size().rename("n").reset_index()
    out = out.rename(columns={"unit": "unit_as_written"})
    out.insert(1, "unit", out["indicator_code"].map(dict(zip(indicators["indicator_code"], indicators["unit"]))))
    return out.sort_values(["indicator_code", "unit_as_written"], kind="stable").reset_index(drop=True)


def _reasons(metrics: pd.DataFrame, documents: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """The coded metrics with their document's place, genre and date and ``reason`` ('' when it enters)."""
    coded = metrics[metrics["indicator_code"] != ""]
    place = documents.set_index("doc_id")[["body", *PLACE, "place_code", "genre", "date"]]
    m = coded.join(place, on="doc_id")
    place_ok = (m["level"] == "national") | ((m["level"].fillna("") != "") & (m["province"].fillna("") != ""))
    reason = pd.Series("", index=m.index, dtype=object)
    reason[~_in_unit(m, indicators)] = REASON_UNIT
    reason[~place_ok] = REASON_PLACE
    reason[m["year_start"].isna() | m["year_end"].isna()] = REASON_YEARS
    reason[~m["period"].isin(PANEL_PERIODS)] = REASON_PERIOD
    return m.assign(reason=reason)


def left_out(metrics: pd.DataFrame, documents: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Coded metrics that are not in the panel, per indicator and reason: columns indicator_code, reason, n
    (reasons: ``unit`` — another unit; ``place`` — place unknown; ``years`` — years unknown; ``period``)."""
    m = _reasons(metrics, documents, indicators)
    out = m[m["reason"] != ""].groupby(["indicator_code", "reason"]).size().rename("n").reset_index()
    return out.sort_values(["indicator_code", "reason"], kind="stable").reset_index(drop=True)


def panel_rows(metrics: pd.DataFrame, documents: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """The panel's rows (columns of ``schemas.tables.Panel``), sorted by place, indicator, period and years."""
    m = _reasons(metrics, documents, indicators)
    m = m[m["reason"] == ""]
    unit_of = dict(zip(indicators["indicator_code"], indicators["unit"]))
    # rule 2: one figure per document and key
    per_doc = (m.sort_values(["doc_id", *KEY, "value", "char_start"],
                             ascending=[True] * (len(KEY) + 1) + [False, True], kind="stable")
               .drop_duplicates(["doc_id", *KEY]))
    # rule 3: one document per key
    per_doc = per_doc.assign(_genre=per_doc["genre"].map(GENRE_RANK).fillna(len(GENRE_RANK)))
    ranked = per_doc.sort_values([*KEY, "_genre", "date", "doc_id"],
                                 ascending=[True] * len(KEY) + [True, False, False], kind="stable")
    dup = ranked.duplicated(list(KEY))
    rest = ranked[dup].groupby(list(KEY))["metric_id"]
    others = pd.DataFrame({"n_documents": rest.size() + 1,
                           "superseded_metric_ids": rest.agg(lambda ids: SEP.join(sorted(ids)))}).reset_index()
    chosen = ranked[~dup].merge(others, on=list(KEY), how="left", validate="one_to_one")
    chosen["n_documents"] = chosen["n_documents"].fillna(1)
    chosen["superseded_metric_ids"] = chosen["superseded_metric_ids"].fillna("")
    out = pd.DataFrame({
        "body": chosen["body"].fillna(""), "place_code": chosen["place_code"].fillna(""),
        **{c: chosen[c].fillna("") for c in PLACE},
        "period": chosen["period"], "year_start": chosen["year_start"], "year_end": chosen["year_end"],
        "indicator_code": chosen["indicator_code"], "value": chosen["value"],
        "unit": chosen["indicator_code"].map(unit_of), "unit_as_written": chosen["unit"],
        "approx": chosen["approx"], "doc_id": chosen["doc_id"], "metric_id": chosen["metric_id"],
        "n_documents": chosen["n_documents"].astype(int), "superseded_metric_ids": chosen["superseded_metric_ids"],
    })
    return out.sort_values(["body", "level", "province", "city", "county", "indicator_code", "period", "year_start",
                            "year_end"], kind="stable").reset_index(drop=True)
