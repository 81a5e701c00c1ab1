"""The value types the text stage hands to extraction: an edit, a section, a sentence.

Offsets are Python string indices (code points) into the document's clean text unless a field
name says ``raw_``; spans are half-open ``[start, end)``.
"""
from __future__ import annotations

from dataclasses import dataclass

from schemas.values import PARTS  # noqa: F401  (parts of a report, re-exported for the text code)


@dataclass(frozen=True)
class Edit:
    """One change (or one flagged suspicion) made while cleaning a raw text."""

    kind: str          # page_break_split | traditional_char | english_intrusion | duplicated_sentence |
                       # duplicated_char | misplaced_heading | typo | width_mix | whitespace | control_char
    action: str        # "applied" (text changed) | "flagged" (text unchanged, suggestion in `after`)
    before: str        # raw text of the span
    after: str         # replacement (applied) or suggested correction (flagged)
    raw_start: int
    raw_end: int
    clean_start: int   # where `after` sits in the clean text (flagged: where `before` sits)
    clean_end: int
    rule: str          # name of the rule that made it, e.g. "t2s.opencc", "width.gbt15834"
    confidence: float  # 1.0 for certain rules; < 1 for flags


@dataclass(frozen=True)
class Section:
    """A heading and the text under it, up to the next heading of any level."""

    index: int               # 0-based, document order; a synthetic index-0 "front" section holds text before the first heading
    parent: int | None       # index of the enclosing section (lower `level` number), None at top
    level: int               # 1 = top; markdown '#' count, or numbering depth (一、 = 1, (一) = 2, 1. = 3)
    heading: str             # heading text without markup ('#', '**', numbering kept as written)
    part: str                # one of PARTS
    heading_start: int       # span of the heading line in the clean text (== char_start for the front section, empty)
    heading_end: int
    char_start: int          # span of the whole section (heading + body)
    char_end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence span of the clean text: ends at 。！？ (or ；/line end when no terminator)."""

    index: int
    section: int             # Section.index it lies in
    part: str                # the section's part
    char_start: int
    char_end: int
    text: str                # == clean_text[char_start:char_end]
