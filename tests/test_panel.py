"""The panel keeps one figure per document, period and indicator: the total, not a part."""
import pandas as pd

from pipeline.assets.catalog import panel_figures


def _m(mid, code, value, unit, start, period="term", doc="d"):
    return {"metric_id": mid, "doc_id": doc, "indicator_code": code, "value": value, "unit": unit,
            "period": period, "char_start": start}


def test_total_in_own_unit_beats_earlier_part_and_other_unit():
    metrics = pd.DataFrame([
        _m("m1", "deputy_suggestions", 148, "件", 10),     # 148件代表建议得到现场督办 (a part, mentioned first)
        _m("m2", "deputy_suggestions", 2098, "件", 90),    # 2098件建议全部办结 (the total)
        _m("m3", "trainings", 9, "期", 20),                # 举办9期培训班
        _m("m4", "trainings", 3000, "人次", 21),           # 培训3000余人次 (the codebook's unit)
        _m("m5", "sessions", 10, "次", 5, period="past_year"),
        _m("m6", "sessions", 6, "次", 300, period="plan"),
        _m("m7", "", 3, "级", 310),                        # no code: never in the panel
        _m("m8", "decisions", 2, "项", 320, period="other"),
    ])
    indicators = pd.DataFrame({"indicator_code": ["deputy_suggestions", "trainings", "sessions", "decisions"],
                               "unit": ["件", "人次", "次", "项"]})
    got = panel_figures(metrics, indicators)
    assert list(got["metric_id"]) == ["m5", "m4", "m2", "m6"]
