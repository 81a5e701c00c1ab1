"""The dataset card of a real build: figures and quality scores from the build, the licence and its reasoning,
a citation, and copy-paste snippets for pandas and DuckDB that run as they are inside the release folder."""
import os
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.release.about import about
from schemas.registry import TABLES


@pytest.fixture(scope="module")
def card(built):
    return (built / "latest" / "README.md").read_text("utf-8")


def _blocks(card: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", card, flags=re.S)


def test_card_states_rows_figures_and_scores(card, built):
    for tb in TABLES:
        rows = len(pd.read_parquet(built / "latest" / f"{tb.name}.parquet"))
        assert f"| [`{tb.name}`](#{tb.name}) | {rows} |" in card
    assert "- Documents: 2 (press_digest 1, work_report 1)" in card
    # seeds/gold annotates seed 000: the card carries the scores of this very build
    assert re.search(r"\| metrics \| recall \| (0\.9\d\d|1\.000) \| 60 \|", card)
    assert re.search(r"\| proposals \| recall \| \d\.\d{3} \| 5 \|", card)


def test_card_has_licence_reasoning_and_citation(card):
    lic = about()["license"]
    assert lic["name"] in card and lic["reason"].split()[0] in card
    assert "Copyright Law" in card
    bib = _blocks(card, "bibtex")
    assert len(bib) == 1 and "@misc{" in bib[0] and "version = {" in bib[0]


def test_snippets_run_inside_the_release(card, built, capsys):
    folder = built / "latest"
    blocks = _blocks(card, "python")
    assert len(blocks) == 2 and "pandas" in blocks[0] and "duckdb" in blocks[1]
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        for code in blocks:
            exec(compile(code, "card snippet", "exec"), {})
        out = capsys.readouterr().out
        assert "regulations_enacted_revised" in card and "郑州市" in out
        assert re.search(r"body\s+province\s+city\s+county\s+period\s+year_start\s+year_end\s+value\s+unit", out)
        # the DuckDB query that re-cuts each quote from the text gives back exactly the quote
        sql = re.findall(r'duckdb\.sql\("""(.*?)"""\)', blocks[1], flags=re.S)
        rows = duckdb.sql(sql[1].replace("LIMIT 5", "")).fetchall()
    finally:
        os.chdir(cwd)
    assert len(rows) == len(pd.read_parquet(folder / "metrics.parquet"))
    assert all(quote == cut for quote, cut in rows)


def test_repository_citation_is_the_latest_releases():
    from conftest import ROOT
    assert (ROOT / "CITATION.cff").read_bytes() == (ROOT / "dist" / "latest" / "CITATION.cff").read_bytes()


def test_readme_snippet_runs_on_the_committed_release(capsys):
    """The README's pandas snippet, run as it is from the repository root, prints the panel's place, period and
    years columns (it reads the committed dist/latest)."""
    root = Path(__file__).resolve().parent.parent
    blocks = _blocks((root / "README.md").read_text("utf-8"), "python")
    assert len(blocks) == 1 and "dist/latest/panel.parquet" in blocks[0]
    cwd = os.getcwd()
    os.chdir(root)
    try:
        exec(compile(blocks[0], "README snippet", "exec"), {})
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    assert re.search(r"body\s+province\s+city\s+county\s+period\s+year_start\s+year_end\s+value\s+unit", out)
    assert "past_year" in out


def test_the_card_counts_figures_left_out_of_the_panel_for_place_or_years():
    from pipeline.release.card import _left_out
    places = pd.DataFrame([{"doc_id": "x", "body": "congress", "level": "", "province": "", "city": "", "county": "",
                            "place_code": "", "genre": "work_report", "date": ""},
                           {"doc_id": "y", "body": "congress", "level": "municipal", "province": "河南省",
                            "city": "郑州市", "county": "", "place_code": "410100", "genre": "work_report", "date": ""}])
    coded = pd.DataFrame({"doc_id": ["x", "x", "y", "y"], "indicator_code": ["sessions"] * 4,
                          "unit": ["次", "次", "次", "次"], "period": ["past_year", "past_year", "past_year", "other"],
                          "year_start": pd.array([2022, 2022, None, 2022], dtype="Int64"),
                          "year_end": pd.array([2022, 2022, None, 2022], dtype="Int64")})
    assert _left_out({"coded_metrics": coded, "places": places}) == [
        {"reason": "its document's place is unknown", "n": 2},
        {"reason": "its document does not say which years", "n": 1},
        {"reason": "its period is neither a year reviewed, a term nor a plan", "n": 1}]
