"""seeds/metadata.csv as a user writes it: saved by a spreadsheet in GBK, with a typo in a cell, a column the
pipeline does not know, a file name that matches nothing, a row twice. Each mistake is a named problem with the
line (and column) of metadata.csv and what to do; the rest of the overrides apply and the release publishes."""
import dataclasses

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
    "place_code_short": ("source_file,speaker,place_code\n" + S0 + ",张三,4101\n", 2,
                         ["column place_code", "'4101'", "6-digit"]),
    "place_code_unknown": ("source_file,speaker,place_code\n" + S0 + ",张三,419999\n", 2,
                           ["column place_code", "'419999'", "code table"]),
    "source_url_ftp": ("source_file,speaker,source_url\n" + S0 + ",张三,ftp://example.org/a.txt\n", 2,
                       ["column source_url", "'ftp://example.org/a.txt'", "https://", "source_url is left empty"]),
    "source_url_script": ("source_file,speaker,source_url\n" + S0 + ",张三,javascript:alert(1)\n", 2,
                          ["column source_url", "http://"]),
    "source_url_space": ("source_file,speaker,source_url\n" + S0 + ",张三,https://example.org/a b\n", 2,
                         ["column source_url", "no spaces"]),
    "retrieved_bad_day": ("source_file,speaker,retrieved\n" + S0 + ",张三,2024-02-30\n", 2,
                          ["column retrieved", "'2024-02-30'", "YYYY-MM-DD", "retrieved is left empty"]),
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
    if "column source_url" in words or "column retrieved" in words:   # never inferred: none is kept
        assert "inferred" not in problem.reason, problem
    inferred = DocumentMeta(level="municipal", plan_year=2024, date="2024-01-05", city="郑州市", province="河南省",
                            place_code="410100")
    meta = apply_overrides(inferred, over.rows[S0])
    assert meta == dataclasses.replace(inferred, speaker="张三")  # inferred values stay; nothing else is set


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


# the loader tests cover the others; source_url_ftp stands for the new columns' cells in a release, plan_year_abc
# for a bad plan_year (plan_year_inf takes the same path: one build fewer)
RELEASE_CASES = [c for c in CASES if c not in ("plan_year_3000", "date_not_iso", "place_code_short",
                                               "place_code_unknown", "source_url_script", "source_url_space",
                                               "retrieved_bad_day", "plan_year_inf")]


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
    bad_column = {"plan_year_abc": "plan_year", "level_nonsense": "level",
                  "source_url_ftp": "source_url"}.get(case)
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


ZZ = DocumentMeta(city="郑州市", province="河南省", level="municipal", place_code="410100")   # as inferred


@pytest.mark.parametrize("row,expected", [
    ({"place_code": "410105"}, ("河南省", "郑州市", "金水区", "county", "410105")),
    ({"place_code": "410000"}, ("河南省", "", "", "provincial", "410000")),
    ({"place_code": "419001"}, ("河南省", "", "济源市", "county", "419001")),       # 省直辖: no prefecture
    ({"place_code": "410105", "province": "河南", "city": "郑州"}, ("河南省", "郑州市", "金水区", "county", "410105")),
    ({"county": "金水区"}, ("河南省", "郑州市", "金水区", "county", "410105")),      # inferred city + given county
    ({"county": "兰考县"}, ("河南省", "开封市", "兰考县", "county", "410225")),      # not in 郑州市: the county alone
    ({"city": "开封市"}, ("河南省", "开封市", "", "municipal", "410200")),
    ({"county": "朝阳区"}, ("河南省", "郑州市", "朝阳区", "county", "")),              # no such place: no code
    ({"county": "新区", "level": "municipal"}, ("河南省", "郑州市", "新区", "municipal", "")),
    ({"level": "national"}, ("", "", "", "national", "")),                             # a national body: no place
], ids=["district_code", "province_code", "provincial_county_code", "code_and_short_names", "county_name",
        "county_elsewhere", "city_name", "unknown_place", "level_given", "national"])
def test_place_overrides(tmp_path, row, expected):
    """A place_code gives the names (full, where the row writes a short form of the same place) and level from the
    code table; a corrected name gets the code of the place the names then make, or none; level national alone
    clears the place."""
    text = "source_file," + ",".join(row) + "\n" + S0 + "," + ",".join(row.values()) + "\n"
    over = load_overrides(_csv(tmp_path, text), files={S0})
    assert over.problems == ()
    m = apply_overrides(ZZ, over.rows[S0])
    assert (m.province, m.city, m.county, m.level, m.place_code) == expected


def test_provenance_overrides(tmp_path):
    text = ("source_file,source_url,retrieved\n" + S0 + ",https://www.zzrd.gov.cn/a/2023/0105.html?id=1,2024-03-01\n"
            + S1 + ",http://example.org/r.txt,\n")
    over = load_overrides(_csv(tmp_path, text), files={S0, S1})
    assert over.problems == ()
    m0, m1 = (apply_overrides(DocumentMeta(), over.rows[f]) for f in (S0, S1))
    assert (m0.source_url, m0.retrieved) == ("https://www.zzrd.gov.cn/a/2023/0105.html?id=1", "2024-03-01")
    assert (m1.source_url, m1.retrieved) == ("http://example.org/r.txt", "")
    assert (DocumentMeta().source_url, DocumentMeta().retrieved) == ("", "")


def test_release_takes_place_and_provenance_from_metadata_csv(seeds_copy, tmp_path):
    """The documents table carries the new cells; the place_code's names come from the code table."""
    (seeds_copy / "metadata.csv").write_text(
        "source_file,place_code,source_url,retrieved\n" + S0 + ",410105,https://example.org/zz.html,2024-03-01\n",
        encoding="utf-8")
    dist = tmp_path / "dist"
    assert run_release(seeds_copy, dist) == 0
    docs = pd.read_parquet(dist / "latest" / "documents.parquet").set_index("source_file")
    r0, r1 = docs.loc[S0], docs.loc[S1]
    assert (r0.province, r0.city, r0.county, r0.level, r0.place_code) == ("河南省", "郑州市", "金水区", "county", "410105")
    assert (r0.source_url, r0.retrieved) == ("https://example.org/zz.html", "2024-03-01")
    assert (r1.place_code, r1.source_url, r1.retrieved) == ("410100", "", "")   # 郑州市, inferred


@pytest.mark.parametrize("row,expected,words", [
    ({"place_code": "410102", "city": "洛阳市"}, ("河南省", "郑州市", "中原区", "county", "410102"),
     ["city '洛阳市'", "410102", "郑州市", "give only the place_code"]),
    ({"place_code": "410105", "county": "金水区（旧称）"}, ("河南省", "郑州市", "金水区", "county", "410105"),
     ["county '金水区（旧称）'", "410105"]),
    ({"place_code": "410100", "province": "河北省", "county": "金水区"}, ("河南省", "郑州市", "", "municipal", "410100"),
     ["province '河北省', county '金水区' are not", "410100"]),                 # the code names no county
    ({"level": "national", "city": "郑州市", "place_code": "410100"}, ("", "", "", "national", ""),
     ["level national has no place", "city, place_code"]),
], ids=["code_and_other_city", "code_and_other_county_name", "code_and_names_below_it", "national_with_place"])
def test_place_cells_contradicting_the_code_are_reported(tmp_path, row, expected, words):
    """A place_code and names that name different places (410102 is 郑州市中原区, not in 洛阳市) are one problem row
    with its line, and the code's names are used: the code is the more precise. A national body has no place."""
    text = "source_file,speaker," + ",".join(row) + "\n" + S0 + ",张三," + ",".join(row.values()) + "\n"
    over = load_overrides(_csv(tmp_path, text), files={S0})
    (problem,) = over.problems
    assert problem.line == 2 and problem.reason.startswith("line 2: ") and problem.hint
    for w in words:
        assert w in f"{problem.reason} — {problem.hint}", (w, problem)
    assert over.rows[S0]["speaker"] == "张三"
    m = apply_overrides(ZZ, over.rows[S0])
    assert (m.province, m.city, m.county, m.level, m.place_code) == expected
    assert apply_overrides(ZZ, row) == dataclasses.replace(m, speaker="")    # a row not read from the file: the same
