"""Characters inside a number (DESIGN.md step 2): what stands between two digits decides a value, so nothing there
is dropped or kept in silence.

- Digits of another script (Arabic-Indic ٣, Devanagari ३, …: Unicode decimal digits) become ASCII digits, logged:
  the value is certain. Full-width digits are ``clean_basic.fullwidth_alnum``'s.
- A space of any width (ASCII, NBSP, thin U+2009, narrow U+202F, figure U+2007, ideographic U+3000, …) between the
  digits of a number written in prose is joined, logged: ``召开会议1 0次`` → ``10``, ``1 000 件`` → ``1000``.
  Certain only when the digits form one number: one gap, or thousands groups (``1 234 567``), with prose (not a
  space or another number) on both sides. Otherwise (``12 15 18`` in a flattened table) the gap is flagged.
- Anything else between two digits (a tab, an emoji, a symbol, a combining mark, a private-use or unassigned
  character, punctuation that is not a number's) is flagged with the digits joined as the suggestion: whether it
  hides a digit or a separator is not certain. ``find_numbers`` gives a number beside such a gap no metric role
  (``split_number_edges``): its value is not known, so it is never published as a figure.
- Superscript and subscript digits next to a digit or a Chinese character (``会议¹⁰次``, ``10²``) are flagged: a
  footnote mark or an exponent, not a count. After a Latin letter (``m²``) they are units and left alone.
(Soft hyphens and zero-width characters are removed everywhere by ``clean_basic.control_chars``, logged.)
"""
from __future__ import annotations

import re
import unicodedata

from pipeline.text.clean_log import Proposal

KIND = "number_split"
_ASCII = "0123456789"
# What may stand between two digits as a number's own punctuation or between two numbers: 1,000 3.5 1、2 1。2
# 2023-2025 (every dash, ~) 10:30 1/3 1+7 7·20 5×3 20%，(1)(2) 《2》 “1”, a table's bars. Anything else that is not a
# letter or ideograph ("2023年10月") — a space of any width, a tab, a symbol or emoji, a mark, a format, private-use
# or unassigned character, other punctuation (_ # ' *) — does not belong inside a number.
_NUMBER_PUNCTUATION = ",.，。、；;:：/\\+×·・%％()（）|!！?？“”‘’\"《》〈〉~～"
# letters that show as nothing (Hangul fillers: Unicode Default_Ignorable_Code_Point) count as foreign
_INVISIBLE_LETTERS = "\u115f\u1160\u3164\uffa0"
# ``re`` has no \p{No} or \p{Nd}: the number characters of planes 0-1, with their category, read from the Unicode
# database once at import (one scan for both classes below: 20 ms -> 14 ms)
_NUMBER_CHARS = [(c, k) for c in map(chr, range(0x20000)) if (k := unicodedata.category(c)) in ("No", "Nd")]
# numbers that are not digits (superscripts ¹, fractions ¼, circled ①: Unicode category No) count as foreign
# between two digits
_OTHER_NUMBERS = "".join(c for c, k in _NUMBER_CHARS if k == "No")
_GAP_CHAR = (rf"(?:[^\w\n\-\u2010-\u2015\u2e3a\u2e3b\u301c\u3030\ufe58\ufe63\uff0d{re.escape(_NUMBER_PUNCTUATION)}]"
             rf"|[_{_INVISIBLE_LETTERS}{re.escape(_OTHER_NUMBERS)}])")
_GAP = re.compile(_GAP_CHAR)
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉"
_SUPER_RUN = re.compile(f"[{_SUPERSCRIPTS}]+")


# decimal digits of other scripts (Unicode category Nd, not ASCII, not full-width): planes 0-1 hold all of them in
# Python 3.11's Unicode database (the last is U+1FBF9; tests/test_number_gaps.py checks planes 2-16 hold none).
# One regex scan instead of a Python test per character (other_script_digits on the 1,000 documents of c1000: 0.87 s
# with a per-character loop; on 300 of them, 0.55 s with one class holding plane-1 digits too, which ``re`` tests
# range by range, and 0.02 s with a class of plane-0 digits only, which it tests in one table lookup; on all 1,000
# 0.07 s. The plane-0 class runs unless the text holds a character beyond plane 0).
_OTHER_DIGITS = "".join(c for c, k in _NUMBER_CHARS
                        if k == "Nd" and not "0" <= c <= "9" and not "\uff10" <= c <= "\uff19")
_OTHER_DIGIT_RUN = re.compile(f"[{re.escape(_OTHER_DIGITS)}]+")
_OTHER_DIGIT_RUN_BMP = re.compile(f"[{re.escape(''.join(c for c in _OTHER_DIGITS if c <= chr(0xFFFF)))}]+")
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")


def other_script_digits(text: str) -> list[Proposal]:
    """Runs of decimal digits of other scripts, each turned into ASCII digits of the same value."""
    runs = _OTHER_DIGIT_RUN if _BEYOND_BMP.search(text) else _OTHER_DIGIT_RUN_BMP
    return [Proposal(m.start(), m.end(), "".join(str(unicodedata.decimal(c)) for c in m.group()), KIND,
                     "digits.other_script") for m in runs.finditer(text)]


def _foreign(ch: str) -> bool:
    return _GAP.match(ch) is not None


# A digit, then a run of characters that cannot belong to a number, then a digit. Only these candidates are looked
# at character by character (one regex scan of the text first: the rule costs nothing on texts without them).
_CANDIDATE = re.compile(rf"[0-9]{_GAP_CHAR}{{1,8}}(?=[0-9])")


def _groups(text: str, start: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]], int]:
    """From the digit run starting at ``start``: the digit groups and the gaps between them of the longest chain
    digits (gap digits)*, and its end."""
    groups, gaps, i, n = [], [], start, len(text)
    while True:
        j = i
        while j < n and text[j] in _ASCII:
            j += 1
        groups.append((i, j))
        k = j
        while k < n and k - j <= 8 and _foreign(text[k]):
            k += 1
        if k == j or k >= n or text[k] not in _ASCII or k - j > 8:
            return groups, gaps, j
        gaps.append((j, k))
        i = k


def _prose_edge(ch: str, side: str) -> bool:
    """The character beside a number is Chinese prose (an ideograph or Chinese punctuation; % after it): not a
    line's edge, a space, a digit, a decimal point or a Latin letter (a table's column, a code, a list of figures)."""
    if side == "after" and ch == "%":
        return True
    return ch != "" and not ch.isascii() and not ch.isspace() and not _foreign(ch) and not ch.isdigit()


def _one_number(text: str, groups: list[tuple[int, int]], gaps: list[tuple[int, int]]) -> bool:
    """Are digits and single spaces certainly one number?"""
    if any(e - s != 1 or unicodedata.category(text[s]) != "Zs" for s, e in gaps):
        return False
    before = text[groups[0][0] - 1] if groups[0][0] else ""
    end = groups[-1][1]
    if text[end:end + 1] == "." and text[end + 1:end + 2] in _ASCII:   # a decimal part: 7 3.6% is 73.6%
        end += 1
        while end < len(text) and text[end] in _ASCII:
            end += 1
    after = text[end] if end < len(text) else ""
    if not (_prose_edge(before, "before") and _prose_edge(after, "after")):
        return False
    if len(gaps) == 1:
        return True
    first = groups[0][1] - groups[0][0]
    return 1 <= first <= 3 and all(e - s == 3 for s, e in groups[1:]) and len({text[s] for s, _ in gaps}) == 1


def number_gaps(text: str) -> tuple[list[Proposal], list[tuple[int, int, str]]]:
    """(joins of spaces certainly inside one number, flags (start, end, digits joined) of the other gaps)."""
    joins, flags, seen_to = [], [], -1
    for m in _CANDIDATE.finditer(text):
        if m.start() < seen_to:
            continue
        start = m.start()
        while start > 0 and text[start - 1] in _ASCII:
            start -= 1
        groups, gaps, end = _groups(text, start)
        seen_to = end
        if not gaps:
            continue
        if _one_number(text, groups, gaps):
            joins += [Proposal(s, e, "", KIND, "digits.space_inside_number") for s, e in gaps]
            continue
        joined = "".join(text[s:e] for s, e in groups)
        flags += [(s, e, joined) for s, e in gaps]
    return joins, flags


def split_number_edges(text: str) -> frozenset[int]:
    """Offsets where a number of ``text`` meets a flagged gap (the end of the digits before it, the start of the
    digits after it): numbers that touch one are pieces of a number whose value is not certain."""
    return frozenset(x for s, e, _ in number_gaps(text)[1] for x in (s, e))


def superscript_digits(text: str) -> list[tuple[int, int]]:
    """Spans of superscript/subscript digits next to a digit or a Chinese character (not after a Latin letter)."""
    out = []
    for m in _SUPER_RUN.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        if before.isascii() and before.isalpha():
            continue  # m², H₂O: part of a unit or formula
        if before in _ASCII and text[m.end():m.end() + 1] in _ASCII and m.end() < len(text):
            continue  # 1¹0: between two digits, flagged by number_gaps
        out.append(m.span())
    return out
