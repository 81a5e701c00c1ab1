"""A text is a congress or CPPCC text by what it says, not by its length (issue 14, item 5): a short press teaser
that lists a congress's figures gives its records; a text is refused only when it is not recognisable, and the
problem names what was missing."""
import pandas as pd

from conftest import run_release
from pipeline.text.clean_lex import cjk_count
from pipeline.text.recognise import report_problem

# written for this test (a teaser of the kind newspapers print the day a standing committee closes its session)
TEASER = ("本报讯（记者 李明）12月28日，某市第十七届人大常委会第二十次会议闭幕。一年来，市人大常委会召开常委会会议8次，"
          "制定地方性法规3件，听取审议专项工作报告12个，开展执法检查4次，办理代表建议156件。\n")


def test_a_short_teaser_is_recognised():
    assert cjk_count(TEASER) < 150
    assert report_problem(TEASER) is None


def test_a_short_teaser_gives_its_records_through_the_real_job(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "teaser.txt").write_text(TEASER, encoding="utf-8")
    (seeds / "weather.txt").write_text("今天天气很好，我们去公园散步。\n", encoding="utf-8")
    assert run_release(seeds, tmp_path / "dist") == 0, capsys.readouterr().out
    metrics = pd.read_parquet(tmp_path / "dist/latest/metrics.parquet")
    got = dict(zip(metrics.indicator_code, metrics.value))
    assert {k: got.get(k) for k in ("sessions", "law_inspections", "deputy_suggestions")} == \
        {"sessions": 8.0, "law_inspections": 4.0, "deputy_suggestions": 156.0}
    problems = pd.read_parquet(tmp_path / "dist/latest/problems.parquet")
    assert problems[["source_file", "stage"]].values.tolist() == [["weather.txt", "recognise"]]
    assert problems.reason.iat[0].startswith("no people's congress or CPPCC body named")
