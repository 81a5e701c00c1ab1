"""The panel: one figure per place, period, years and indicator, only in the indicator's unit; the total, not a
part; a full report over its digest, then the later document; the others traceable."""
from pathlib import Path

import pandas as pd
import pytest

from pipeline.extract.indicators import classify, load_codebook
from pipeline.extract.panel import left_out, panel_rows
from schemas import frames
from schemas.validate import table_failures

INDICATORS = pd.DataFrame({
    "indicator_code": ["deputy_suggestions", "trainings", "sessions", "decisions", "regulations_enacted_revised",
                       "law_inspections"],
    "unit": ["件", "人次", "次", "项", "件", "次"],
    "same_units": ["", "", "", "件 | 个", "部 | 项", "项"]})

ZZ = {"level": "municipal", "province": "河南省", "city": "郑州市", "county": "", "place_code": "410100"}


def _doc(doc, place=ZZ, genre="work_report", date="2024-01-10", body="congress"):
    return {"doc_id": doc, **place, "genre": genre, "date": date, "body": body}


def _m(mid, code, value, unit, start, period="term", doc="d", years=(2018, 2022), approx="exact"):
    return {"metric_id": mid, "doc_id": doc, "indicator_code": code, "value": value, "unit": unit,
            "period": period, "char_start": start, "year_start": years[0], "year_end": years[1], "approx": approx}


def _frame(rows):
    df = pd.DataFrame(rows)
    for c in ("year_start", "year_end"):
        df[c] = df[c].astype("Int64")
    return df


def test_total_in_own_unit_and_other_units_left_out():
    metrics = _frame([
        _m("m1", "deputy_suggestions", 148, "件", 10),     # 148件代表建议得到现场督办 (a part, mentioned first)
        _m("m2", "deputy_suggestions", 2098, "件", 90),    # 2098件建议全部办结 (the total)
        _m("m3", "trainings", 9, "期", 20),                # 举办9期培训班: sessions, not people — left out
        _m("m4", "trainings", 3000, "人次", 21, approx="over"),
        _m("m5", "sessions", 10, "次", 5, period="past_year", years=(2022, 2022)),
        _m("m6", "sessions", 6, "次", 300, period="plan", years=(2023, 2023)),
        _m("m7", "", 3, "级", 310),                        # no code: never in the panel
        _m("m8", "decisions", 2, "项", 320, period="other"),
        _m("m9", "regulations_enacted_revised", 12, "部", 330),   # 部 counts regulations one for one
        _m("m10", "law_inspections", 15, "部", 340),       # 检查15部法律: laws, not inspections — left out
    ])
    got = panel_rows(metrics, pd.DataFrame([_doc("d")]), INDICATORS)
    assert set(got["metric_id"]) == {"m2", "m4", "m5", "m6", "m9"}
    reg = got.set_index("metric_id").loc["m9"]
    assert (reg.unit, reg.unit_as_written, reg.value) == ("件", "部", 12)
    assert got.set_index("metric_id").at["m4", "approx"] == "over"
    assert (got["unit"] == got["indicator_code"].map(dict(zip(INDICATORS.indicator_code, INDICATORS.unit)))).all()
    out = left_out(metrics, pd.DataFrame([_doc("d")]), INDICATORS)
    assert out.to_dict("records") == [
        {"indicator_code": "decisions", "reason": "period", "n": 1},
        {"indicator_code": "law_inspections", "reason": "unit", "n": 1},
        {"indicator_code": "trainings", "reason": "unit", "n": 1}]


def test_one_row_per_place_full_report_over_digest_then_later_document():
    docs = pd.DataFrame([_doc("full", date="2023-01-05"), _doc("digest", genre="press_digest", date="2023-01-06"),
                         _doc("again", date="2023-02-01"),
                         _doc("hn", place={"level": "provincial", "province": "河南省", "city": "", "county": "",
                                           "place_code": "410000"})])
    metrics = _frame([_m("a", "sessions", 8, "次", 5, doc="full", period="past_year", years=(2022, 2022)),
                      _m("b", "sessions", 8, "次", 5, doc="digest", period="past_year", years=(2022, 2022)),
                      _m("c", "sessions", 9, "次", 5, doc="again", period="past_year", years=(2022, 2022)),
                      _m("d", "sessions", 7, "次", 5, doc="hn", period="past_year", years=(2022, 2022)),
                      _m("e", "sessions", 40, "次", 9, doc="full", period="term", years=(2018, 2022))])
    got = panel_rows(metrics, docs, INDICATORS)
    assert len(got) == 3
    zz = got[(got.city == "郑州市") & (got.period == "past_year")].iloc[0]
    assert (zz.metric_id, zz.n_documents, zz.superseded_metric_ids) == ("c", 3, "a b")
    assert got[got.level == "provincial"].iloc[0].metric_id == "d"
    term = got[got.period == "term"].iloc[0]
    assert (term.year_start, term.year_end) == (2018, 2022)
    # the digest never wins over a full report of the same place and year, whatever the order of documents
    swapped = panel_rows(metrics.iloc[::-1], docs.iloc[::-1], INDICATORS)
    pd.testing.assert_frame_equal(got, swapped)


def test_unknown_place_or_years_stay_out_with_their_reason():
    nowhere = {"level": "", "province": "", "city": "", "county": "", "place_code": ""}
    no_province = {"level": "municipal", "province": "", "city": "某市", "county": "", "place_code": ""}
    nation = {"level": "national", "province": "", "city": "", "county": "", "place_code": ""}
    docs = pd.DataFrame([_doc("x", nowhere), _doc("y", no_province), _doc("n", nation)])
    metrics = _frame([_m("a", "sessions", 8, "次", 5, doc="x"), _m("b", "sessions", 8, "次", 5, doc="y"),
                      _m("c", "sessions", 6, "次", 5, doc="n"),
                      {**_m("d", "sessions", 6, "次", 9, doc="n"), "year_start": None, "year_end": None}])
    got = panel_rows(metrics, docs, INDICATORS)
    assert list(got["metric_id"]) == ["c"] and got.iloc[0].level == "national"
    assert dict(zip(*[left_out(metrics, docs, INDICATORS)[c] for c in ("reason", "n")])) == {"place": 2, "years": 1}


def test_panel_rows_pass_the_schema_and_its_key():
    metrics = _frame([_m("a", "sessions", 8, "次", 5, period="past_year", years=(2022, 2022))])
    df = frames.build("panel", panel_rows(metrics, pd.DataFrame([_doc("d")]), INDICATORS).to_dict("records"))
    assert not [f for f in table_failures("panel", df, {}) if "references" not in f.check]
    twice = pd.concat([df, df], ignore_index=True)
    assert [f for f in table_failures("panel", twice, {}) if "duplicate" in f.check or "unique" in f.check.lower()
            or "duplicate" in str(f).lower()]


def test_codebook_units():
    for ind in load_codebook():
        assert ind.unit, ind.code
        assert set(ind.same_units) <= set(load_units(ind.code)), ind.code
        assert ("%" in load_units(ind.code)) == (ind.unit == "%"), f"{ind.code}: a rate is its own indicator"


def load_units(code):
    from pipeline.extract.indicators import accepted_units
    return accepted_units(code)


@pytest.mark.parametrize("indicator,clause,unit,code", [
    ("建议办结率", "代表建议办结率78.3%", "%", "deputy_suggestions_completed_rate"),
    ("解决和基本解决的", "代表建议解决和基本解决的占78.3%", "%", "deputy_suggestions_resolved_rate"),
    ("解决和基本解决的代表建议", "解决和基本解决的代表建议103件", "件", "deputy_suggestions_resolved"),
    ("提案办结率", "政协提案办结率100%", "%", ""),          # a CPPCC's proposals: no deputies' rate
    ("信访办结率", "信访事项办结率98%", "%", ""),
])
def test_rates_are_their_own_indicators(indicator, clause, unit, code):
    assert classify(indicator, clause, load_codebook(), unit=unit) == code


def test_a_figure_in_another_unit_than_its_indicator_fails_validation():
    metrics = _frame([_m("a", "sessions", 8, "次", 5, period="past_year", years=(2022, 2022))])
    df = frames.build("panel", panel_rows(metrics, pd.DataFrame([_doc("d")]), INDICATORS).to_dict("records"))
    refs = {"indicators": INDICATORS}
    assert not [f for f in table_failures("panel", df, refs) if "indicators" in f.check]
    bad = table_failures("panel", df.assign(unit="场"), refs)
    assert [f for f in bad if f.column == "indicator_code,unit" and "indicators" in f.check]


def test_a_panel_row_that_is_not_its_metric_fails_validation():
    from schemas.validate import panel_failures
    metrics = _frame([_m("a", "regulations_enacted_revised", 12, "部", 5, period="past_year", years=(2022, 2022))])
    panel = frames.build("panel", panel_rows(metrics, pd.DataFrame([_doc("d")]), INDICATORS).to_dict("records"))
    assert panel_failures(panel, metrics) == []
    for col, bad in (("unit_as_written", "件"), ("year_end", 2023), ("period", "term"), ("value", 13.0)):
        found = panel_failures(panel.assign(**{col: [bad]}).astype({"year_end": "Int64"}), metrics)
        assert [f.column for f in found] == [col], col


def test_a_congress_and_a_cppcc_of_one_place_are_two_rows():
    docs = pd.DataFrame([_doc("rd"), _doc("zx", body="cppcc")])
    metrics = _frame([_m("a", "sessions", 8, "次", 5, doc="rd", period="past_year", years=(2022, 2022)),
                      _m("b", "sessions", 5, "次", 5, doc="zx", period="past_year", years=(2022, 2022))])
    got = panel_rows(metrics, docs, INDICATORS)
    assert sorted(zip(got["body"], got["value"])) == [("congress", 8.0), ("cppcc", 5.0)]
    assert (got["n_documents"] == 1).all()


def test_a_release_of_the_earlier_panel_is_checked_by_its_own_key_not_todays_rules():
    """0.1.x published the panel keyed by document, in the unit as written: validating it today applies today's
    rules to the columns it has, its own primary key, and none of the foreign keys added since (the unit rule)."""
    import json
    from schemas.registry import table
    from schemas.registry import SCHEMA_SINCE
    from schemas.validate import as_published
    root = Path(__file__).resolve().parent.parent / "dist" / "v0.1.6"
    resource = next(r for r in json.loads((root / "datapackage.json").read_text("utf-8"))["resources"]
                    if r["name"] == "panel")
    old = as_published(table("panel"), resource, None)      # 0.1.6 records no schema version
    assert as_published(table("panel"), resource, SCHEMA_SINCE) is table("panel")   # today's schema: today's rules
    assert old.primary_key == ("doc_id", "period", "indicator_code")
    assert ("indicator_code", "unit") not in {fk.columns for fk in old.foreign_keys}
    panel = pd.read_parquet(root / "panel.parquet")
    panel = panel[[c for c in panel.columns if c in old.columns]]    # as validate_release reads it (not `year`)
    refs = {"indicators": pd.read_parquet(root / "indicators.parquet")}
    assert table_failures("panel", panel, refs, old) == []
    twice = pd.concat([panel, panel.iloc[:1]], ignore_index=True)
    assert any("duplicate" in str(f).lower() or "unique" in str(f).lower()
               for f in table_failures("panel", twice, refs, old))


def test_a_panel_row_whose_place_or_supersession_is_not_its_documents_fails_validation():
    from schemas.validate import panel_place_failures, superseded_failures
    docs = pd.DataFrame([_doc("full"), _doc("digest", genre="press_digest")])
    metrics = _frame([_m("a", "sessions", 8, "次", 5, doc="full", period="past_year", years=(2022, 2022)),
                      _m("b", "sessions", 8, "次", 5, doc="digest", period="past_year", years=(2022, 2022)),
                      _m("c", "decisions", 3, "项", 9, doc="digest", period="past_year", years=(2022, 2022))])
    panel = frames.build("panel", panel_rows(metrics, docs, INDICATORS).to_dict("records"))
    row = panel.index[panel.indicator_code == "sessions"][0]
    assert panel_place_failures(panel, docs) == [] and superseded_failures(panel, metrics) == []
    for col, bad in (("city", "洛阳市"), ("place_code", "410300"), ("body", "cppcc"), ("n_documents", 3)):
        edited = panel.copy()
        edited.loc[row, col] = bad
        assert [f.column for f in panel_place_failures(edited, docs)] == [col], col
    edited = panel.copy()
    edited.loc[row, "superseded_metric_ids"] = "c"     # a figure of another indicator
    assert [f.check for f in superseded_failures(edited, metrics)] == [
        "names a metric of another indicator, period or years"]
