"""Hostile input: a repeated document (issue 13, item 11). A report pasted k times — glued, separated by blank lines,
or with a different header line before each copy — gives the metrics of one copy, counted once, and the edit log
holds the removal (duplicated_sentence, rule dup.text_repeated). No document of the seeds, the corpus, tests/hostile
or 200 generated documents loses a line to the rule, and its work grows with the text, not with the copies."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEED_000, SEED_001
from test_linear_metrics import lines_run

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"
HOSTILE = Path(__file__).resolve().parent / "hostile"
RULE = "dup.text_repeated"


def pure(raw: str):
    """(clean text, edits, metrics as the table holds them) of a raw text."""
    from pipeline.extract.indicators import load_codebook
    from pipeline.extract.metrics import extract_metrics
    from pipeline.extract.numbers import find_numbers
    from pipeline.text.normalise import normalise
    from pipeline.text.sections import split_sections
    from pipeline.text.sentences import split_sentences

    clean, edits = normalise(raw)
    sentences = split_sentences(clean, split_sections(clean))
    found = extract_metrics(clean, sentences, find_numbers(clean, sentences), load_codebook())
    return clean, edits, [(m.char_start, (m.quote, m.value, m.unit, m.indicator, m.indicator_code, m.period,
                                          m.category)) for m in found]


def lines(text: str) -> list[str]:
    """The text's lines that are not blank."""
    return [line for line in text.split("\n") if line.strip()]


@pytest.fixture(scope="module", params=[SEED_000, SEED_001], ids=["seed000", "seed001"])
def seed(request):
    return request.param.read_text("utf-8"), request.param.name


def pasted(text: str, how: str, k: int, copies: int | None = None) -> str:
    """``text`` pasted ``k`` times (only the first ``copies`` of them written out, the others left empty)."""
    copies = k if copies is None else copies
    parts = [text if n < copies else "" for n in range(k)]
    if how == "glued":
        return "".join(parts)
    if how == "blank_lines":
        return "\n\n".join(parts)
    return "".join(f"第{n + 1}稿（2024年3月{n + 1}日）\n{p}\n" for n, p in enumerate(parts))   # a header each


@pytest.mark.parametrize("how,k", [("glued", 2), ("glued", 3), ("glued", 16), ("glued", 25), ("blank_lines", 3),
                                   ("headers", 2), ("headers", 16)])
def test_a_pasted_report_counts_once(seed, how, k):
    """The metrics of the pasted text are those of the text with the first copy only (the same figures, once
    each, at the same offsets); one edit removes k - 1 copies in a row, or one edit each between headers."""
    from pipeline.text.normalise import replay

    text, _ = seed
    raw = pasted(text, how, k)
    clean, edits, found = pure(raw)
    one_clean, _, one = pure(pasted(text, how, k, copies=1))
    assert found == one, (how, k, len(found), len(one))
    removed = [e for e in edits if e.rule == RULE]
    assert removed and all(e.action == "applied" and e.kind == "duplicated_sentence" and not e.after.strip()
                           for e in removed)   # (a line break of an earlier edit it absorbs may stay)
    assert len(removed) == (1 if how != "headers" else k - 1)    # k copies in a row: one edit, whatever k is
    assert sum(len(e.before) for e in removed) >= (k - 1) * (len(text) - 2)
    assert replay(raw, edits) == clean
    assert lines(clean) == lines(one_clean)
    if how == "headers":   # the lines that differ stay
        assert all(f"第{n + 1}稿（2024年3月{n + 1}日）" in clean for n in range(k))


def test_a_repeated_section_is_removed_once():
    """The mechanism is the repeated passage's, not a rule for whole documents: a section pasted again further on
    is removed, and the text around it stays."""
    text = SEED_001.read_text("utf-8")
    original = text.split("\n")
    section = "\n".join(original[10:24])
    assert len(section) > 1000 and len(original) > 50
    raw = "\n".join(original[:40] + original[10:24] + original[40:])
    clean, edits, _ = pure(raw)
    (removed,) = [e for e in edits if e.rule == RULE]
    assert removed.raw_start >= len("\n".join(original[:40])) and section.strip() in removed.before
    assert lines(clean) == lines(pure(text)[0])


def documents(tmp: Path) -> dict[str, str]:
    """Decoded text of the seeds, the corpus, tests/hostile's text files and 200 generated documents."""
    from pipeline.text.decode import decode_bytes

    out = tmp / "generated"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), "200", str(out)], check=True,
                   capture_output=True)
    texts = {}
    for p in [SEED_000, SEED_001, *CORPUS.glob("*.txt"), *HOSTILE.glob("*.txt"), *out.glob("*.txt")]:
        try:
            texts[p.name] = decode_bytes(p.read_bytes(), p.name)[0]
        except Exception:   # a file tests/hostile expects to be refused
            continue
    return texts


def test_no_normal_document_loses_a_line(tmp_path, monkeypatch):
    """The rule finds nothing in normal documents, and their longest repeated run of lines (boilerplate such as
    a digest's stock recommendations) is under half the length the rule removes."""
    from pipeline.text import clean_dup

    texts = documents(tmp_path)
    assert len(texts) > 200
    for name, text in texts.items():
        assert not clean_dup.repeated_lines(text), name
    half = clean_dup.MIN_REPEATED_LINES // 2
    monkeypatch.setattr(clean_dup, "MIN_REPEATED_LINES", 0)
    longest = max((p.end - p.start for t in texts.values() for p in clean_dup.repeated_lines(t)), default=0)
    assert longest < half, longest


def near_copies(k: int) -> str:
    """k copies of seed 001, the figures of each changed: runs of identical lines between changed figures."""
    import re

    text = SEED_001.read_text("utf-8")
    return "\n".join(re.sub(r"\d+", lambda m: str(int(m.group()) + 7 * c), text) for c in range(k))


def shuffled_lines(n: int) -> str:
    """``n`` characters of the seeds' lines in a random order (many short repeated runs)."""
    import random

    lines = [line for p in (SEED_000, SEED_001) for line in p.read_text("utf-8").splitlines() if line]
    rng, out, size = random.Random(13), [], 0
    while size < n:
        out.append(rng.choice(lines))
        size += len(out[-1]) + 1
    return "\n".join(out)


def glued(k: int) -> str:
    """Seed 001 pasted 6k times in a row (k = 4: 285,000 characters; k = 16: 1.1 million)."""
    return SEED_001.read_text("utf-8") * (6 * k)


@pytest.mark.parametrize("make,small,large", [(glued, 4, 16), (near_copies, 8, 32), (shuffled_lines, 100_000, 400_000)],
                         ids=["glued", "near_copies", "shuffled_lines"])
def test_the_rule_is_linear(make, small, large):
    """Work (lines of pipeline code run) from a text to one four times longer grows about four times, up to 1.1
    million characters."""
    from pipeline.text.clean_dup import repeated_lines

    a, b = lines_run(repeated_lines, make(small)), lines_run(repeated_lines, make(large))
    assert b <= 6 * max(a, 1), (a, b)
