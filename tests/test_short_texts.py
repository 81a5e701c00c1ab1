"""A text is a congress or CPPCC text by what it says, not by its length (issue 14, item 5): a short press teaser
that lists a congress's figures gives its records; a text is refused only when it is not recognisable, and the
problem names what was missing."""
import shutil
from pathlib import Path

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


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 16


def test_teaser_png_manifest_and_report(tmp_path, capsys):
    """Acceptance (issue 14): a folder with a 150-character teaser, a PNG, a manifest.csv and a normal report.
    The teaser gives its figures, the PNG and the CSV are listed as skipped (no problem rows), and the tables are
    exactly those of the same folder without the two files."""
    seed = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("000_*.txt"))[0]
    tables = {}
    for case, extra in (("plain", False), ("with_files", True)):
        seeds = tmp_path / case / "seeds"
        seeds.mkdir(parents=True)
        (seeds / "teaser.txt").write_text(TEASER, encoding="utf-8")
        shutil.copyfile(seed, seeds / seed.name)
        if extra:
            (seeds / "scan.png").write_bytes(PNG)
            (seeds / "manifest.csv").write_text("file,source\nteaser.txt,newspaper\n", encoding="utf-8")
        assert run_release(seeds, tmp_path / case / "dist") == 0
        out = capsys.readouterr().out
        latest = tmp_path / case / "dist" / "latest"
        tables[case] = {p.stem: pd.read_parquet(p) for p in sorted(latest.glob("*.parquet"))}
        if extra:
            skipped = out[out.index("skipped ("):]
            assert "scan.png: a .png file, not read" in skipped and "manifest.csv: a .csv file, not read" in skipped
    assert tables["with_files"]["problems"].empty
    metrics = tables["with_files"]["metrics"]
    teaser = dict(zip(*[metrics.loc[metrics.doc_id == "teaser", c] for c in ("indicator_code", "value")]))
    assert {k: teaser.get(k) for k in ("sessions", "regulations_enacted_revised", "deputy_suggestions")} == \
        {"sessions": 8.0, "regulations_enacted_revised": 3.0, "deputy_suggestions": 156.0}
    assert tables["plain"].keys() == tables["with_files"].keys()
    for name, df in tables["plain"].items():
        pd.testing.assert_frame_equal(df, tables["with_files"][name], obj=name)
