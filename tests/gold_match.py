"""Matching a release against gold annotations (the rules live in ``pipeline.release.quality``, which the dataset
card uses too), plus what only the tests need: a release built once per session, its tables with each row's
document stem, and non-metric quotes taken for metrics.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from pipeline.release.quality import (ATTRIBUTES, Result, bigrams, law_key, match_laws, match_metrics,  # noqa: F401
                                      match_proposals, norm, read_doubtful, read_gold, same_law, stem)

_RELEASES: dict[Path, tuple[int, Path]] = {}


def release_of(seeds: Path, tmp_path_factory) -> Path:
    """dist/latest of one release of `seeds` by the real Dagster job, built once per session."""
    if seeds not in _RELEASES:
        from conftest import run_release
        dist = tmp_path_factory.mktemp(f"dist_{seeds.name}")
        _RELEASES[seeds] = (run_release(seeds, dist), dist / "latest")
    rc, latest = _RELEASES[seeds]
    assert rc == 0, f"the release of {seeds} failed (exit code {rc}): see the captured output"
    return latest


def read_release(latest: Path, *tables: str) -> dict[str, pd.DataFrame]:
    """The named tables of a release, each with `doc` = its document's source-file stem."""
    docs = pd.read_parquet(latest / "documents.parquet")
    stem_of = dict(zip(docs["doc_id"], docs["source_file"].map(stem)))
    out = {}
    for t in tables:
        df = pd.read_parquet(latest / f"{t}.parquet")
        out[t] = df.assign(doc=df["doc_id"].map(stem_of))
    return out


_NUMBER = re.compile(r"\d+(?:\.\d+)?|[零一二三四五六七八九十百千万两]+")


def _numbers_in(s: str) -> set[float]:
    import cn2an
    out: set[float] = set()
    for tok in _NUMBER.findall(norm(s)):
        try:
            out.add(float(tok))
        except ValueError:
            try:
                out.add(float(cn2an.cn2an(tok, "smart")))
            except Exception:  # cn2an refuses some runs (e.g. 一二三四): not a number then
                pass
    return out


def nonmetrics_taken(pred: pd.DataFrame, gold: pd.DataFrame) -> list[tuple]:
    """Gold non-metric quotes that a predicted metric quotes with one of their numbers as its value."""
    taken = []
    for r in gold.itertuples():
        q, vals = norm(r.quote), _numbers_in(r.quote)
        rows = pred[pred["doc"] == r.doc]
        for pq, v in zip(rows["quote"], rows["value"]):
            if q in norm(pq) and float(v) in vals:
                taken.append((r.doc, r.quote, pq, v))
                break
    return taken
