"""The text and extraction functions, called directly on the seeds, give what the committed release holds for them
(issue 16: every optimisation of the pure pass leaves its outputs as they were). The release in dist/latest is what
``make dataset`` built from seeds/ before; here each function's output is compared with its table's rows, field by
field, without Dagster. (bench/pure.py --digests/--against does the same on any corpus, by digests.)"""
from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from pipeline.extract.indicators import load_codebook
from pipeline.extract.laws import extract_laws
from pipeline.extract.metrics import extract_metrics
from pipeline.extract.numbers import find_numbers
from pipeline.extract.oversight import extract_oversight
from pipeline.extract.proposals import extract_proposals
from pipeline.text.decode import decode_bytes
from pipeline.text.normalise import normalise
from pipeline.text.sections import split_sections
from pipeline.text.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
LATEST = ROOT / "dist" / "latest"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@cache
def table(name: str) -> pd.DataFrame:
    return pd.read_parquet(LATEST / f"{name}.parquet")


def published(name: str, doc_id: str, fields: list[str], order: str = "char_start") -> list[tuple]:
    df = table(name)
    df = df[df["doc_id"] == doc_id].sort_values([order, "char_end"] if order == "char_start" else order, kind="stable")
    return [tuple(_plain(x) for x in row) for row in df[fields].itertuples(index=False)]


def _plain(x):
    """A cell as the functions give it: missing (None, NaN, pandas NA) as None, numbers as float."""
    if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)):
        return None
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return float(x)
    return x


def found(objects, fields: list[str]) -> list[tuple]:
    """The objects' fields, in the order the release sorts its rows (by span; fields end with the span)."""
    rows = [tuple(_plain(getattr(o, f)) for f in fields) for o in objects]
    return sorted(rows, key=lambda r: (r[-2], r[-1]))


def _empty_as_none(rows: list[tuple]) -> list[tuple]:
    """An empty text (a function's "no unit") and a missing cell (the release's) compare equal."""
    return [tuple(None if x == "" else x for x in r) for r in rows]


@pytest.fixture(scope="module", params=[p.name for p in SEEDS])
def seed(request):
    path = ROOT / "seeds" / request.param
    docs = table("documents")
    doc_id = docs.loc[docs["source_file"] == request.param, "doc_id"]
    assert len(doc_id) == 1, f"{request.param} is not in the committed release: run `make dataset`"
    raw, _ = decode_bytes(path.read_bytes(), path.name)
    clean, edits = normalise(raw)
    sections = split_sections(clean)
    sentences = split_sentences(clean, sections)
    numbers = find_numbers(clean, sentences)
    return {"doc_id": doc_id.iloc[0], "raw": raw, "clean": clean, "edits": edits, "sections": sections,
            "sentences": sentences, "numbers": numbers}


def test_texts_and_edits(seed):
    texts = table("texts").set_index("doc_id")
    assert texts.loc[seed["doc_id"], "raw_text"] == seed["raw"]
    assert texts.loc[seed["doc_id"], "clean_text"] == seed["clean"]
    fields = ["kind", "action", "before", "after", "raw_start", "raw_end", "clean_start", "clean_end", "rule",
              "confidence"]
    assert published("edits", seed["doc_id"], fields, order="seq") == \
        [tuple(_plain(getattr(e, f)) for f in fields) for e in seed["edits"]]


def test_sections_and_sentences(seed):
    fields = ["level", "heading", "part", "heading_start", "heading_end", "char_start", "char_end"]
    assert published("sections", seed["doc_id"], fields, order="seq") == \
        [tuple(_plain(getattr(s, f)) for f in fields) for s in seed["sections"]]
    fields = ["part", "char_start", "char_end"]
    assert published("sentences", seed["doc_id"], ["quote"] + fields, order="seq") == \
        [(s.text, *(_plain(getattr(s, f)) for f in fields)) for s in seed["sentences"]]


def test_numbers(seed):
    fields = ["value", "unit", "approx", "role", "char_start", "char_end"]
    assert _empty_as_none(published("numbers", seed["doc_id"], fields)) == \
        _empty_as_none(found(seed["numbers"], fields))


def test_records(seed):
    clean, sentences = seed["clean"], seed["sentences"]
    metrics = extract_metrics(clean, sentences, seed["numbers"], load_codebook())
    fields = ["value", "unit", "indicator", "indicator_code", "approx", "period", "category", "char_start", "char_end"]
    assert _empty_as_none(published("metrics", seed["doc_id"], fields)) == _empty_as_none(found(metrics, fields))
    fields = ["name", "instrument", "jurisdiction", "action", "status", "char_start", "char_end"]
    assert _empty_as_none(published("laws", seed["doc_id"], fields)) == \
        _empty_as_none(found(extract_laws(clean, sentences), fields))
    fields = ["kind", "subject", "status", "char_start", "char_end"]
    assert _empty_as_none(published("oversight", seed["doc_id"], fields)) == \
        _empty_as_none(found(extract_oversight(clean, sentences), fields))
    proposals = extract_proposals(clean, seed["sections"], sentences)
    # a proposal's row quotes its title (char_start/char_end) and gives its whole span as body_start/body_end
    assert _empty_as_none(published("proposals", seed["doc_id"], ["title", "proposer", "proposer_kind", "body_start",
                                                                  "body_end", "char_start", "char_end"])) == \
        _empty_as_none(found(proposals, ["title", "proposer", "proposer_kind", "char_start", "char_end",
                                         "title_start", "title_end"]))
    assert published("recommendations", seed["doc_id"], ["seq", "quote", "char_start", "char_end"]) == \
        found([r for p in proposals for r in p.recommendations], ["seq", "text", "char_start", "char_end"])
