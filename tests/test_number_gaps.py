"""A character inside a number never changes its value in silence (issue 13, item 1): spaces inside one number are
joined with a logged edit, other digit scripts become ASCII digits, anything uncertain is flagged on its span."""
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract.indicators import load_codebook
from pipeline.extract.metrics import extract_metrics
from pipeline.extract.numbers import find_numbers
from pipeline.text import clean_digits
from pipeline.text.decode import decode_bytes
from pipeline.text.normalise import normalise, replay
from pipeline.text.sections import split_sections
from pipeline.text.sentences import split_sentences

SEEDS = sorted(Path(__file__).resolve().parents[1].joinpath("seeds").glob("*.txt"))
SPACES = {"space": " ", "nbsp": "\xa0", "thin": "\u2009", "narrow_nbsp": "\u202f", "ideographic": "\u3000",
          "figure": "\u2007"}
UNCERTAIN = {"emoji": "😀", "symbol": "☆", "private_use": "\ue000", "variation_selector": "\ufe0f", "tab": "\t",
             "underscore": "_", "hash": "#", "apostrophe": "'", "hangul_filler": "\u3164", "two_spaces": "  "}
REMOVED = {"soft_hyphen": "\xad", "zero_width": "\u200b"}


def run(raw: str):
    clean, edits = normalise(raw)
    sentences = split_sentences(clean, split_sections(clean))
    numbers = find_numbers(clean, sentences)
    return clean, edits, numbers, extract_metrics(clean, sentences, numbers, load_codebook())


SENTENCE = "一年来，市人大常委会召开常委会会议1{}0次，审议报告16件。\n"


@pytest.mark.parametrize("ch", list(SPACES.values()) + list(REMOVED.values()), ids=list(SPACES) + list(REMOVED))
def test_a_space_inside_a_number_is_joined_with_a_logged_edit(ch):
    clean, edits, _, metrics = run(SENTENCE.format(ch))
    assert [(m.value, m.indicator) for m in metrics][0] == (10.0, "常委会会议")
    assert any(e.action == "applied" and e.before == ch and e.after == "" for e in edits)


@pytest.mark.parametrize("ch", list(UNCERTAIN.values()), ids=list(UNCERTAIN))
def test_an_uncertain_character_inside_a_number_is_flagged_on_its_span(ch):
    raw = SENTENCE.format(ch)
    clean, edits, _, _ = run(raw)
    at = raw.index(ch)
    flags = [e for e in edits if e.action == "flagged" and e.raw_start <= at < e.raw_end]
    assert flags and flags[0].kind == "number_split" and flags[0].after == "10"
    assert ch in clean  # text unchanged


def test_thousands_groups_join_and_a_flattened_table_is_flagged_not_joined():
    _, _, _, metrics = run("全年受理来信1 234件。\n")
    assert [m.value for m in metrics] == [1234.0]
    raw = "2023 8 3 14 6\n"
    clean, edits, _, _ = run(raw)
    assert clean == raw and sum(e.action == "flagged" for e in edits) == 4


@pytest.mark.parametrize("digits", ["١٠", "۱۰", "१०"], ids=["arabic_indic", "extended_arabic_indic", "devanagari"])
def test_digits_of_another_script_keep_their_value(digits):
    clean, edits, numbers, metrics = run(f"一年来，召开常委会会议{digits}次。\n")
    assert "10次" in clean and any(e.rule == "digits.other_script" for e in edits)
    assert [m.value for m in metrics] == [10.0]
    assert 10.0 in [n.value for n in numbers]


def test_every_other_script_digit_is_found_by_the_one_scan():
    """other_script_digits looks for the decimal digits (Nd) of planes 0-1 only: none lies beyond, and every one
    there that is not ASCII or full-width becomes its ASCII digit (a digit of every script, in one text)."""
    assert not [c for c in range(0x20000, 0x110000) if unicodedata.category(chr(c)) == "Nd"]
    digits = [chr(c) for c in range(0x20000) if unicodedata.category(chr(c)) == "Nd"
              and not chr(c).isascii() and not "\uff10" <= chr(c) <= "\uff19"]
    text = "，".join(digits)
    found = clean_digits.other_script_digits(text)
    assert [(p.start, p.end, p.after) for p in found] == \
        [(2 * k, 2 * k + 1, str(unicodedata.decimal(d))) for k, d in enumerate(digits)]


def test_superscript_digits_are_flagged_but_a_units_exponent_is_not():
    raw = "召开常委会会议¹⁰次，新建绿地5000m²。\n"
    _, edits, _, _ = run(raw)
    flagged = [e for e in edits if e.action == "flagged" and e.rule == "digits.superscript"]
    assert [e.before for e in flagged] == ["¹⁰"]


def _seed_texts():
    return [decode_bytes(p.read_bytes(), p.name)[0] for p in SEEDS]


def _with_char_in_every_metric(clean: str, metrics, ch: str) -> tuple[str, list[int]]:
    """The clean text with ``ch`` after the first digit of the first multi-digit number of every metric's quote;
    and the offsets of the inserted characters in the new text."""
    points = sorted({m.char_start + d.start() + 1 for m in metrics
                     for d in [re.search(r"[0-9]{2,}", m.quote)] if d})
    out, pos, where = [], 0, []
    for p in points:
        out.append(clean[pos:p])
        where.append(sum(map(len, out)))
        out.append(ch)
        pos = p
    out.append(clean[pos:])
    return "".join(out), where


@pytest.mark.parametrize("name,ch", list(SPACES.items()) + list(UNCERTAIN.items()) + list(REMOVED.items()),
                         ids=list(SPACES) + list(UNCERTAIN) + list(REMOVED))
def test_inserted_into_every_metric_of_the_seeds_the_value_is_kept_or_the_span_flagged(name, ch):
    for raw in _seed_texts():
        clean, _, _, metrics = run(raw)
        text, where = _with_char_in_every_metric(clean, metrics, ch)
        assert where, "the seeds have multi-digit metrics"
        assert all(text[q:q + len(ch)] == ch for q in where)
        new_clean, edits, _, new_metrics = run(text)
        assert replay(text, edits) == new_clean
        _kept_or_flagged(ch, text, where, new_clean, edits, metrics, new_metrics)


def _kept_or_flagged(ch, text, where, new_clean, edits, metrics, new_metrics):
    """Every insertion either undone by a logged edit or flagged; a flagged gap's digits make no metric; when every
    insertion was undone, the same figures come out."""
    where = [q + i for q in where for i in range(len(ch))]   # every inserted character
    joined = [q for q in where if any(e.action == "applied" and e.raw_start <= q < e.raw_end for e in edits)]
    flags = {q: e for q in where for e in edits if e.action == "flagged" and e.raw_start <= q < e.raw_end}
    assert sorted(set(joined) | set(flags)) == where, f"{ch!r}: a value changed without an edit or a flag"
    for e in flags.values():   # the digits either side of a flagged gap are no figure
        assert not [m for m in new_metrics if m.number_start <= e.clean_end and m.number_end >= e.clean_start], \
            f"{ch!r}: a figure published from digits beside a flagged gap"
    if len(joined) == len(where):   # every insertion undone: the same figures come out
        assert sorted(m.value for m in new_metrics) == sorted(m.value for m in metrics)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(blacklist_categories=("Nd", "Lu", "Ll", "Lt", "Lm", "Lo", "Cs"),
                             blacklist_characters="\n\r"), min_size=1, max_size=3))
def test_any_characters_between_the_digits_of_every_metric_of_a_seed_keep_the_value_or_flag_it(gap):
    raw = _seed_texts()[0]
    clean, _, _, metrics = run(raw)
    text, where = _with_char_in_every_metric(clean, metrics, gap)
    new_clean, edits, _, new_metrics = run(text)
    assert replay(text, edits) == new_clean
    legit = any(c in clean_digits._NUMBER_PUNCTUATION or unicodedata.category(c) == "Pd" for c in gap)
    if not legit:   # with a number's punctuation in the gap (1,000 2023-2025 1.5 10:<3) it separates numbers
        _kept_or_flagged(gap, text, where, new_clean, edits, metrics, new_metrics)
