"""Acceptance (issue 14): on a 40-document corpus of bench/make_corpus.py, built by the real job, every panel row is
in its indicator's codebook unit, no two rows share body, place, period, years and indicator, and every row has a
level and, below national level, a province (and the place code of its documents)."""
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT, run_release
from pipeline.extract.panel import KEY


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("c40")
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), "40", str(corpus), "--seed", "1"],
                   check=True, capture_output=True)
    dist = tmp_path_factory.mktemp("c40_dist")
    assert run_release(corpus, dist) == 0     # manifest.csv in the folder is skipped, not a problem
    latest = dist / "latest"
    return {t: pd.read_parquet(latest / f"{t}.parquet") for t in ("panel", "indicators", "documents", "problems")}


def test_every_panel_row_is_in_its_codebook_unit(release):
    panel, codebook = release["panel"], release["indicators"].set_index("indicator_code")
    assert len(panel) > 500
    assert (panel["unit"] == panel["indicator_code"].map(codebook["unit"])).all()
    same = {c: {u, *filter(None, s.split(" | "))} for c, u, s in
            zip(codebook.index, codebook["unit"], codebook["same_units"])}
    assert all(w in same[c] for c, w in zip(panel["indicator_code"], panel["unit_as_written"]))


def test_no_two_panel_rows_share_a_key(release):
    assert not release["panel"].duplicated(list(KEY)).any()


def test_every_row_has_a_level_and_below_national_a_province(release):
    panel, docs = release["panel"], release["documents"]
    assert (panel["level"] != "").all()
    assert (panel.loc[panel["level"] != "national", "province"] != "").all()
    codes = dict(zip(docs["doc_id"], docs["place_code"]))
    assert (panel["place_code"] == panel["doc_id"].map(codes)).all() and (panel["place_code"] != "").all()
    assert release["problems"].empty
