"""Hostile input: a repeated document (issue 13, item 11). A report pasted k times — glued, separated by blank lines,
or with a different header line before each copy, each copy wrapped as the first or differently — gives the metrics
of one copy, counted once, and the edit log holds the removal (duplicated_sentence, rule dup.text_repeated); of a
second copy with one figure changed only that figure's sentence stays. No document of the seeds, the corpus,
tests/hostile or 200 generated documents loses a line to the rule, and its work grows with the text, not with the
copies."""
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
        assert not clean_dup.repeated_text(text), name
    half = clean_dup.MIN_REPEATED_TEXT // 2
    monkeypatch.setattr(clean_dup, "MIN_REPEATED_TEXT", 0)
    longest = max((p.end - p.start for t in texts.values() for p in clean_dup.repeated_text(t)), default=0)
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
    from pipeline.text.clean_dup import repeated_text

    a, b = lines_run(repeated_text, make(small)), lines_run(repeated_text, make(large))
    assert b <= 6 * max(a, 1), (a, b)


# -- a copy wrapped differently (review of issue 13, item 11): the rule compares the text with whitespace ignored --

def squeezed(text: str) -> str:
    """The text without its whitespace (spaces, line breaks, indentation)."""
    return "".join(text.split())


def rewrapped(text: str, how: str) -> str:
    """``text`` laid out again: ``wrap37`` (textwrap.fill at 37 characters a line: breaks inside words and
    sentences, paragraphs run together), ``joined`` (the paragraphs run together on one line), ``per_sentence``
    (one indented sentence a line, a blank line between)."""
    import re
    import textwrap

    if how == "wrap37":
        return textwrap.fill(text, 37)
    if how == "joined":
        return "".join(line.strip() for line in text.splitlines())
    return re.sub("([。！？])", "\\1\n\n\u3000\u3000", text)


WRAPPINGS = ["wrap37", "joined", "per_sentence"]
LEFT = 200    # non-whitespace characters of a copy that may stay: the sentences that cleaning left different in it


def laid_out(seed, cleaned: bool) -> str:
    """The seed's text, raw or already cleaned: a raw seed's defects (a heading inside a paragraph, a doubled
    character) are repaired in one layout and not in another, so its copies differ in a sentence or two; the
    copies of a cleaned text differ only in their whitespace."""
    from pipeline.text.normalise import normalise

    text, _ = seed
    return normalise(text)[0] if cleaned else text


@pytest.mark.parametrize("cleaned", [False, True], ids=["raw", "cleaned"])
@pytest.mark.parametrize("how", WRAPPINGS)
def test_a_rewrapped_copy_counts_once(seed, how, cleaned):
    """A copy whose line breaks, paragraphs and indentation differ from the first's is still a copy: the metrics
    are the first copy's; a copy of a cleaned text goes in one edit and leaves the first copy's lines."""
    from pipeline.text.normalise import replay

    text = laid_out(seed, cleaned)
    raw = text + "\n" + rewrapped(text, how)
    clean, edits, found = pure(raw)
    one_clean, _, one = pure(text)
    assert found == one, (how, len(found), len(one))
    removed = [e for e in edits if e.rule == RULE]
    assert all(e.action == "applied" and e.kind == "duplicated_sentence" and not e.after.strip() for e in removed)
    assert removed and all(e.raw_start >= len(text) for e in removed)
    assert len(squeezed(clean)) <= len(squeezed(one_clean)) + (0 if cleaned else LEFT)
    assert replay(raw, edits) == clean
    if cleaned:
        assert len(removed) == 1 and len(squeezed(removed[0].before)) == len(squeezed(text))
        assert lines(clean) == lines(one_clean)


@pytest.mark.parametrize("cleaned", [False, True], ids=["raw", "cleaned"])
@pytest.mark.parametrize("how", ["glued", "headers"])
def test_sixteen_copies_in_alternating_wrappings_count_once(seed, how, cleaned):
    """Sixteen copies, laid out in turn as the original, wrapped at 37 characters, joined into one line and one
    sentence a line: the first copy's metrics, once; copies of a cleaned text go in one edit when in a row, one
    each between header lines (which stay)."""
    from pipeline.text.normalise import replay

    text = laid_out(seed, cleaned)
    layouts = [text] + [rewrapped(text, how) for how in WRAPPINGS]
    copies = [layouts[n % len(layouts)] for n in range(16)]
    if how == "glued":
        raw, one_raw = "\n".join(copies), text
    else:
        raw = "".join(f"第{n + 1}稿（2024年3月{n + 1}日）\n{c}\n" for n, c in enumerate(copies))
        one_raw = "".join(f"第{n + 1}稿（2024年3月{n + 1}日）\n{c if n == 0 else ''}\n" for n, c in enumerate(copies))
    clean, edits, found = pure(raw)
    one_clean, _, one = pure(one_raw)
    assert found == one, (how, len(found), len(one))
    removed = [e for e in edits if e.rule == RULE]
    assert all(e.action == "applied" and e.kind == "duplicated_sentence" and not e.after.strip() for e in removed)
    assert removed and len(squeezed(clean)) <= len(squeezed(one_clean)) + (0 if cleaned else 15 * LEFT)
    assert replay(raw, edits) == clean
    if how == "headers":
        assert all(f"第{n + 1}稿（2024年3月{n + 1}日）" in clean for n in range(16))
    if cleaned:
        assert len(removed) == (1 if how == "glued" else 15)
        assert sum(len(squeezed(e.before)) for e in removed) >= 15 * len(squeezed(text))
        assert lines(clean) == lines(one_clean)


EDITED = {   # a figure in the middle of the seed, and one in its first 500 characters
    (SEED_000.name, "middle"): ("545件建议", "546件建议"), (SEED_000.name, "early"): ("会议10次", "会议11次"),
    (SEED_001.name, "middle"): ("来信来访4836件次", "来信来访4837件次"), (SEED_001.name, "early"): ("难以忘怀的五年", "难以忘怀的六年"),
}


@pytest.mark.parametrize("where", ["middle", "early"])
@pytest.mark.parametrize("cleaned,how", [(False, "same_layout"), (True, "same_layout"), (True, "wrap37")],
                         ids=["raw", "cleaned", "cleaned_wrap37"])
def test_a_copy_with_one_figure_changed_keeps_only_that_sentence(seed, cleaned, how, where):
    """A second copy differing from the first in one figure: the repeated text on either side of the figure goes
    (two edits, logged; the one before the figure also when shorter than a copy the rule removes), the sentence
    holding the changed figure may stay, on a line of its own; the metrics are the first copy's and at most that
    sentence's."""
    import re

    from pipeline.text.normalise import replay

    text = laid_out(seed, cleaned)
    old, new = EDITED[seed[1], where]
    assert text.count(old) == 1
    edited = text.replace(old, new)
    raw = text + "\n" + (edited if how == "same_layout" else rewrapped(edited, "wrap37"))
    clean, edits, found = pure(raw)
    one_clean, _, one = pure(text)
    assert clean.startswith(one_clean.rstrip()) and [m for m in found if m[0] < len(one_clean)] == one
    # the sentence of the changed figure: from the sentence end before it (or the start) to the one after
    sentence = re.search(f"[^。！？]*{re.escape(new)}[^。！？]*[。！？]?", squeezed(pure(edited)[0])).group()
    rest = clean[len(one_clean.rstrip()):]
    assert squeezed(rest) in sentence, rest[:300]          # at most the sentence stays
    assert lines(clean) == lines(one_clean) + [line for line in lines(rest)]
    extra = [m for m in found if m[0] >= len(one_clean)]
    assert len(extra) <= len([m for m in one if squeezed(m[1][0]) in sentence.replace(new, old)])
    removed = [e for e in edits if e.rule == RULE]
    assert 1 <= len(removed) <= 2 and all(e.action == "applied" and not e.after.strip() for e in removed)
    assert sum(len(squeezed(e.before)) for e in removed) >= len(squeezed(text)) - len(sentence) - 2
    assert replay(raw, edits) == clean
