"""seeds/metadata.csv as a user writes it: saved by a spreadsheet in GBK, with a typo in a cell, a column the
pipeline does not know, a file name that matches nothing, a row twice. Each mistake is a named problem with the
line (and column) of metadata.csv and what to do; the rest of the overrides apply and the release publishes."""
import pandas as pd
import pytest

from conftest import run_release
from pipeline.extract.metadata import apply_overrides, load_overrides
from pipeline.extract.model import DocumentMeta

S0, S1 = "000_176ab9c851656b8e.txt", "001_4a3b9fde25d10259.txt"


def _csv(tmp_path, text: str, encoding: str = "utf-8"):
    p = tmp_path / "metadata.csv"
    p.write_bytes(text.encode(encoding))
    return p


# (metadata.csv, the problem's line (None: none expected), words its reason must hold)
CASES = {
    "gbk": ("source_file,speaker,plan_year\n" + S0 + ",张三,2030\n", None, []),
    "plan_year_inf": ("source_file,speaker,plan_year\n" + S0 + ",张三,inf\n", 2, ["column plan_year", "'inf'"]),
    "plan_year_abc": ("source_file,speaker,plan_year\n" + S0 + ",张三,abc\n", 2, ["column plan_year", "'abc'"]),
    "plan_year_3000": ("source_file,speaker,plan_year\n" + S0 + ",张三,3000\n", 2, ["column plan_year", "2100"]),
    "level_nonsense": ("source_file,speaker,level\n" + S0 + ",张三,nonsense\n", 2,
                       ["column level", "'nonsense'", "municipal"]),
    "date_not_iso": ("source_file,speaker,date\n" + S0 + ",张三,2023年1月5日\n", 2, ["column date", "YYYY-MM-DD"]),
    "unknown_column": ("source_file,speaker,year\n" + S0 + ",张三,2030\n", 1, ["column 'year'", "plan_year"]),
    "missing_file": ("source_file,speaker\n" + S0 + ",张三\nno_such_report.txt,李四\n", 3, ["no_such_report.txt"]),
    "duplicate_row": ("source_file,speaker\n" + S0 + ",张三\n" + S0 + ",李四\n", 3, ["line 2"]),
}


def _encoding(case: str) -> str:
    return "gbk" if case == "gbk" else "utf-8"  # each other case fails (on code without the loader) by itself


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_loader_names_the_line_and_keeps_the_rest(tmp_path, case):
    text, line, words = CASES[case]
    over = load_overrides(_csv(tmp_path, text, _encoding(case)), files={S0, S1})
    assert over.rows[S0]["speaker"] == "张三"  # the good cell of the row still applies
    if line is None:
        assert over.problems == () and over.rows[S0]["plan_year"] == 2030
        return
    (problem,) = over.problems
    assert problem.line == line and problem.hint
    assert problem.reason.startswith(f"line {line}")
    for w in words:  # in what is wrong, or in what to do
        assert w in f"{problem.reason} — {problem.hint}", (w, problem)
    meta = apply_overrides(DocumentMeta(level="municipal", plan_year=2024, date="2024-01-05"), over.rows[S0])
    assert (meta.level, meta.plan_year, meta.date) == ("municipal", 2024, "2024-01-05")  # inferred values stay


@pytest.mark.parametrize("data,words", [
    (b"", None),
    (b"source_file,speaker\n", None),
    (b"file,speaker\nx.txt,a\n", "no source_file column"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe\xfd", "cannot"),
    ("source_file,speaker\n000.txt,张三,多余\n".encode(), "column 3"),
    (b"source_file,speaker\n,\xe5\xbc\xa0\n", "no source_file"),
], ids=["empty", "header_only", "no_source_file_column", "binary", "extra_cell", "row_without_file"])
def test_loader_hostile_files(tmp_path, data, words):
    p = tmp_path / "metadata.csv"
    p.write_bytes(data)
    over = load_overrides(p)
    if words is None:
        assert over.rows == {} and over.problems == ()
    else:
        assert any(words in pr.reason for pr in over.problems), over.problems


def test_stamp_ignores_a_bad_cell(tmp_path):
    """The stamp the plan and ingest compute from a row is that of its usable cells: a bad cell neither crashes
    nor reprocesses the document on every run."""
    bad = load_overrides(_csv(tmp_path, "source_file,speaker,level,plan_year\n" + S0 + ",张三,nonsense,inf\n"))
    good = load_overrides(_csv(tmp_path, "source_file,speaker\n" + S0 + ",张三\n"))
    assert bad.rows == good.rows == {S0: {"speaker": "张三"}}


@pytest.fixture(scope="module")
def inferred(tmp_path_factory) -> pd.DataFrame:
    """documents of a release of the seeds without metadata.csv."""
    from conftest import SEEDS
    dist = tmp_path_factory.mktemp("plain") / "dist"
    assert run_release(SEEDS, dist) == 0
    return pd.read_parquet(dist / "latest" / "documents.parquet").set_index("source_file")


RELEASE_CASES = [c for c in CASES if c not in ("plan_year_3000", "date_not_iso")]  # the loader tests cover those


@pytest.mark.parametrize("case", RELEASE_CASES, ids=RELEASE_CASES)
def test_release_reports_metadata_problems_and_publishes(seeds_copy, tmp_path, capsys, inferred, case):
    text, line, words = CASES[case]
    (seeds_copy / "metadata.csv").write_bytes(text.encode(_encoding(case)))
    dist = tmp_path / "dist"
    assert run_release(seeds_copy, dist) == 0
    out = capsys.readouterr().out
    docs = pd.read_parquet(dist / "latest" / "documents.parquet").set_index("source_file")
    assert sorted(docs.index) == [S0, S1]
    assert docs.at[S0, "speaker"] == "张三"
    problems = pd.read_parquet(dist / "latest" / "problems.parquet")
    mine = problems[problems["source_file"] == "metadata.csv"]
    if line is None:
        assert mine.empty and docs.at[S0, "plan_year"] == 2030
        return
    (p,) = mine.itertuples()
    assert p.stage == "metadata" and p.offset == line and p.hint
    assert p.reason.startswith(f"line {line}")
    for w in words:
        assert w in f"{p.reason} — {p.hint}"
    assert f"metadata.csv: {p.reason} — {p.hint}" in out  # the command-line summary names it
    bad_column = {"plan_year_inf": "plan_year", "plan_year_abc": "plan_year", "level_nonsense": "level"}.get(case)
    if bad_column:  # a bad cell leaves the value inferred from the text
        assert docs.at[S0, bad_column] == inferred.at[S0, bad_column]


def test_a_bad_cell_does_not_reprocess_every_run(seeds_copy, tmp_path, capsys):
    (seeds_copy / "metadata.csv").write_text("source_file,speaker,level,plan_year\n" + S0 + ",张三,nonsense,abc\n",
                                              encoding="utf-8")
    dist = tmp_path / "dist"
    assert run_release(seeds_copy, dist) == 0
    capsys.readouterr()
    assert run_release(seeds_copy, dist) == 0
    out = capsys.readouterr().out
    assert "0 to process" in out and "unchanged" in out
