"""Normalisation of a decoded text with a log of every change (DESIGN.md step 2): runs the cleaning rules of
the ``clean_*`` modules in order and returns the clean text and its edits, all in RAW coordinates.

``replay(raw, edits)`` rebuilds the clean text from the raw one; ``clean_to_raw`` maps offsets back.
"""
from __future__ import annotations

from pipeline.text import clean_basic, clean_digits, clean_dup, clean_pagebreak, clean_typo, clean_width
from pipeline.text.clean_log import EditLog
from pipeline.text.model import Edit

__all__ = ["normalise", "replay", "clean_to_raw", "raw_to_clean", "Edit"]

MAX_PASSAGE_ROUNDS = 20


def normalise(raw: str) -> tuple[str, list[Edit]]:
    """(clean text, edits): applied edits do not overlap and replaying them on ``raw`` gives the clean text."""
    log = EditLog(raw)
    log.apply(clean_basic.line_endings(log.text))
    log.apply(clean_basic.control_chars(log.text))
    log.apply(clean_basic.spaces(log.text))
    log.apply(clean_basic.traditional(log.text))
    log.apply(clean_basic.fullwidth_alnum(log.text))
    log.apply(clean_digits.other_script_digits(log.text))
    joins, gap_flags = clean_digits.number_gaps(log.text)
    for s, e, joined in gap_flags:   # suggestion: the digits joined
        log.flag(s, e, joined, clean_digits.KIND, "digits.char_inside_number", 0.5)
    log.apply(joins)
    for s, e in clean_digits.superscript_digits(log.text):
        log.flag(s, e, "", clean_digits.KIND, "digits.superscript", 0.5)
    props, english_flags = clean_basic.english_words(log.text)
    for s, e, suggestion in english_flags:   # suggestion: a dictionary translation that would split words
        log.flag(s, e, suggestion, "english_intrusion",
                 "english.splits_words" if suggestion else "english.unknown_word", 0.5)
    log.apply(props)
    log.apply(clean_basic.space_inside_word(log.text))
    log.apply(clean_width.punctuation_width(log.text))
    log.apply(clean_pagebreak.page_numbers(log.text))
    log.apply(clean_pagebreak.page_breaks(log.text))
    log.apply(clean_dup.repeated_text(log.text))
    start = 0   # each round looks from the paragraph of the last removal on (the paragraphs before hold none)
    screened: dict[str, bool] = {}   # the first round screens the paragraphs; later ones scan what a removal changed
    for _ in range(MAX_PASSAGE_ROUNDS):
        text = log.text
        p = clean_dup.duplicated_passage(text, start, screened)
        if p is None or not log.apply([p]):
            break
        start = text.rfind("\n", 0, p.start) + 1
    log.apply(clean_dup.repeated_sentences(log.text))
    log.apply(clean_dup.doubled_chars(log.text))
    log.apply(clean_pagebreak.lead_ins(log.text))
    for s, e, suggestion, rule, conf in clean_typo.typo_flags(log.text):
        log.flag(s, e, suggestion, "typo", rule, conf)
    return log.result()


def replay(raw: str, edits: list[Edit]) -> str:
    """The raw text with the applied edits replayed left to right."""
    out, pos = [], 0
    for e in sorted((e for e in edits if e.action == "applied"), key=lambda e: (e.raw_start, e.raw_end)):
        if e.raw_start < pos:
            raise ValueError(f"overlapping edits at raw offset {e.raw_start} ({e.rule})")
        out.append(raw[pos:e.raw_start])
        out.append(e.after)
        pos = e.raw_end
    out.append(raw[pos:])
    return "".join(out)


def clean_to_raw(edits: list[Edit], clean_offset: int) -> int:
    """Raw offset of a clean offset: exact outside edits; inside an edit's replacement, its raw start
    (or the same relative position when the replacement has the raw span's length)."""
    shift = 0
    for e in sorted((e for e in edits if e.action == "applied"), key=lambda e: (e.raw_start, e.raw_end)):
        if clean_offset < e.clean_start:
            break
        if clean_offset < e.clean_end:
            k = clean_offset - e.clean_start
            return e.raw_start + (k if len(e.after) == e.raw_end - e.raw_start else 0)
        shift = e.raw_end - e.clean_end
    return clean_offset + shift


def raw_to_clean(edits: list[Edit], raw_offset: int) -> int:
    """Clean offset of a raw offset (inside a replaced span: where its replacement starts)."""
    from pipeline.text.clean_log import raw_to_clean as _r2c

    return _r2c(sorted((e for e in edits if e.action == "applied"), key=lambda e: (e.raw_start, e.raw_end)),
                raw_offset)
