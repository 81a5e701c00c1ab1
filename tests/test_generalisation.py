"""Generalisation: the real Dagster job over tests/fixtures/corpus/ (synthetic reports in other layouts: a
provincial and an autonomous-region report, county and city reports, press digests, CPPCC proposal digests;
UTF-8, Big5 and GB18030 bytes; one whole document in traditional characters), scored against the expected
records in tests/fixtures/corpus_gold/ by the scorer's matching rules (tests/gold_match.py).

Each threshold is the figure measured when the test was written, rounded down to 0.05, and never below the
issue's target where the figure met it; a failure names the figure that dropped and the rows missed.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import gold_match as gm
from conftest import run_release
from pipeline.text.decode import decode_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = FIXTURES / "corpus"
GOLD = FIXTURES / "corpus_gold"
ALL = "ALL"

# Documents with gold that are not in corpus/ yet, and why (none now: audit_proposals.txt joined once a unitless
# amount, 老年人口已超过100万, no longer broke the metrics schema).
PENDING: dict[str, str] = {}

# The targets (issue 4): a threshold is never set below one of these while the figure meets it.
TARGETS = {"metrics_recall": 0.97, "metrics_precision": 0.95, "approx": 0.95, "period": 0.95, "category": 0.95,
           "laws_name_recall": 0.95, "laws_name_action_recall": 0.85, "laws_precision": 0.85,
           "proposals_recall": 1.0, "proposals_precision": 1.0, "n_recommendations": 1.0}

# Measured 2026-11 (figures in the comments); threshold = measured rounded down to 0.05, at least the target.
M1 = {"metrics_recall": 1.0, "metrics_precision": 1.0, "approx": 1.0, "period": 1.0, "category": 1.0}
L1 = {"laws_name_recall": 1.0, "laws_name_action_recall": 1.0, "laws_precision": 1.0}
P1 = {"proposals_recall": 1.0, "proposals_precision": 1.0, "n_recommendations": 1.0}
THRESHOLDS = {
    # metrics category 0.982 (55 rows); laws name 0.950, name+action 0.950 (20 rows: 宪法 missed)
    "101_nx_autonomous": M1 | {"category": 0.95} | L1 | {"laws_name_recall": 0.95, "laws_name_action_recall": 0.95},
    # metrics P 0.979 (47 rows, 48 predicted), category 0.979
    "102_zz_term": M1 | {"metrics_precision": 0.95, "category": 0.95} | L1,
    # metrics P 0.966 (28 rows, 29 predicted)
    "103_yc_digest": M1 | {"metrics_precision": 0.95} | L1 | P1,
    "a_jiangxi_trad": M1 | L1,
    "audit_county_trad.big5": M1 | L1,
    "audit_provincial": M1 | L1,
    "b_changde_term": M1 | L1,
    "c_ganzhou_proposals": P1,
    "audit_proposals": M1 | P1,
    "digest_no_headings": M1 | L1,
    # metrics R 1.000, P 0.993, category 0.993 (286 rows); laws name 0.989, name+action 0.989, P 1.000 (87 rows)
    ALL: M1 | {"metrics_precision": 0.95, "category": 0.95} | L1 | {"laws_name_recall": 0.95,
                                                                    "laws_name_action_recall": 0.95} | P1,
}
ENCODINGS = {"103_yc_digest.txt": "gb18030", "a_jiangxi_trad.txt": "big5", "audit_county_trad.big5.txt": "big5"}


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict[str, pd.DataFrame]:
    latest = gm.release_of(CORPUS, tmp_path_factory)
    return gm.read_release(latest, "documents", "metrics", "laws", "proposals")


def gold_of(kind: str) -> pd.DataFrame:
    g = gm.read_gold(GOLD, kind)
    return g[~g["doc"].isin(PENDING)].reset_index(drop=True)


GOLD_M, GOLD_L, GOLD_P, GOLD_N = (gold_of(k) for k in ("metrics", "laws", "proposals", "nonmetrics"))
DOUBT_M, DOUBT_L = gm.read_doubtful(GOLD, "metrics"), gm.read_doubtful(GOLD, "laws")
CORPUS_DOCS = sorted(p.stem for p in CORPUS.iterdir())


def only(df: pd.DataFrame, doc: str) -> pd.DataFrame:
    return df if doc == ALL else df[df["doc"] == doc]


def docs_with(gold: pd.DataFrame) -> list[str]:
    return sorted(set(gold["doc"])) + [ALL]


def rows(label: str, items: list[tuple], n: int = 25) -> str:
    if not items:
        return ""
    more = f"\n    ... {len(items) - n} more" if len(items) > n else ""
    return f"\n  {label} ({len(items)}):\n    " + "\n    ".join(" | ".join(map(str, r)) for r in items[:n]) + more


def check(doc: str, figures: dict[str, float], detail: str) -> None:
    """Every figure of `doc` at or above its threshold; the message shows all figures and the rows."""
    want = THRESHOLDS[doc]
    low = [k for k, v in figures.items() if k in want and not v >= want[k] - 1e-9]
    shown = ", ".join(f"{k}={v:.3f} (min {want.get(k, float('nan')):.2f})" for k, v in figures.items())
    assert not low, f"{doc}: below threshold: {', '.join(low)}\n  figures: {shown}{detail}"


def test_thresholds_keep_the_targets():
    """No threshold below the issue's target (none of the figures measured below a target when written)."""
    low = [(doc, k, v) for doc, t in THRESHOLDS.items() for k, v in t.items() if v < TARGETS[k]]
    assert not low, low


def test_corpus_is_published_whole(corpus):
    docs = corpus["documents"]
    assert sorted(docs["doc"]) == CORPUS_DOCS
    assert {s: e for s, e in zip(docs["source_file"], docs["encoding"]) if e != "utf-8"} == ENCODINGS
    # every gold document is in the corpus or named pending; every corpus document has thresholds
    gold_docs = set().union(*(set(gm.read_gold(GOLD, k)["doc"]) for k in ("metrics", "laws", "proposals")))
    assert gold_docs - set(CORPUS_DOCS) == set(PENDING)
    assert set(THRESHOLDS) == set(CORPUS_DOCS) | {ALL}


def test_no_utf8_twin_in_the_corpus():
    """Each text once: a UTF-8 copy of the Big5 or GB18030 file would be reported as a duplicate, not built."""
    texts = [gm.norm(decode_bytes(p.read_bytes(), p.name)[0]) for p in sorted(CORPUS.iterdir())]
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize("doc", docs_with(GOLD_M))
def test_metrics(corpus, doc):
    r = gm.match_metrics(only(corpus["metrics"], doc), only(GOLD_M, doc), only(DOUBT_M, doc))
    figures = {"metrics_recall": r.recall, "metrics_precision": r.precision,
               **{a: r.acc(a) for a in gm.ATTRIBUTES}}
    wrong = [w for a in gm.ATTRIBUTES for w in r.wrong.get(a, [])]
    check(doc, figures, f"\n  {r.hits} of {r.n_gold} gold rows matched, {r.n_pred} predicted"
          + rows("missed", r.missed) + rows("extra", r.extra) + rows("wrong approx/period/category", wrong))


@pytest.mark.parametrize("doc", docs_with(GOLD_L))
def test_laws(corpus, doc):
    name, both = gm.match_laws(only(corpus["laws"], doc), only(GOLD_L, doc), only(DOUBT_L, doc))
    figures = {"laws_name_recall": name.recall, "laws_name_action_recall": both.recall,
               "laws_precision": name.precision}
    check(doc, figures, f"\n  {name.hits} of {name.n_gold} names matched, {name.n_pred} predicted"
          + rows("missed", name.missed) + rows("wrong action", [m for m in both.missed if len(m) == 4])
          + rows("extra", name.extra))


@pytest.mark.parametrize("doc", docs_with(GOLD_P))
def test_proposals(corpus, doc):
    r = gm.match_proposals(only(corpus["proposals"], doc), only(GOLD_P, doc))
    figures = {"proposals_recall": r.recall, "proposals_precision": r.precision,
               "n_recommendations": r.acc("n_recommendations")}
    check(doc, figures, f"\n  {r.hits} of {r.n_gold} matched, {r.n_pred} predicted" + rows("missed", r.missed)
          + rows("extra", r.extra) + rows("wrong n_recommendations", r.wrong.get("n_recommendations", [])))


@pytest.mark.parametrize("doc", sorted(set(GOLD_N["doc"])) + [ALL])
def test_no_nonmetric_taken_as_a_metric(corpus, doc):
    taken = gm.nonmetrics_taken(only(corpus["metrics"], doc), only(GOLD_N, doc))
    assert not taken, f"{doc}: {len(taken)} of {len(only(GOLD_N, doc))} non-metric quotes taken as metrics" + rows(
        "taken (gold quote | metric quote | value)", taken)


EXPECTED_META = {k: v for k, v in json.loads((GOLD / "expected_meta.json").read_text("utf-8")).items()
                 if not k.startswith("_") and Path(k).stem not in PENDING}
META_FIELDS = ("city", "county", "place_code", "level", "genre", "review_start", "review_end", "plan_year",
               "province", "date", "speaker", "meeting")
# expected values the pipeline does not give yet (reported; strict, so a fix shows up as XPASS)
META_GAPS: dict[tuple[str, str], str] = {}   # none now: digests' prose speakers (主任黄某作…工作报告) are read
META_CASES = [pytest.param(f, k, v, id=f"{Path(f).stem}-{k}",
                           marks=[pytest.mark.xfail(strict=True, reason=META_GAPS[f, k])] if (f, k) in META_GAPS else [])
              for f, meta in EXPECTED_META.items() for k, v in meta.items() if k in META_FIELDS]


@pytest.mark.parametrize("source_file, field, expected", META_CASES)
def test_metadata(corpus, source_file, field, expected):
    row = corpus["documents"].set_index("source_file").loc[source_file]
    got = row[field]
    if expected is None:
        assert pd.isna(got) or got == "", f"{source_file} {field}: {got!r}, expected none"
    elif isinstance(expected, int):
        assert not pd.isna(got) and int(got) == expected, f"{source_file} {field}: {got!r} != {expected}"
    else:
        assert got == expected, f"{source_file} {field}: {got!r} != {expected!r}"


def test_metadata_covers_every_corpus_document():
    assert {Path(f).stem for f in EXPECTED_META} == set(CORPUS_DOCS)
    for f, meta in EXPECTED_META.items():
        assert {"city", "level", "genre", "plan_year"} <= set(meta), f
