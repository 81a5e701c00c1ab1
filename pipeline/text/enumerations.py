"""Enumerations that announce their own size: 市、县、乡人大三级联动, A、B、C、D四大重点, 《A》《B》两件作品.

A list of items joined by 、 (or of 《》 titles) followed by a small Chinese numeral and a classifier
(vocabulary ``units`` [enumerated]) states how many items it has. ``counted_lists`` finds them;
the number grammar takes the count as a metric (gold/README.md counts 三级联动 and 四大重点), and the
typo rules flag a list whose items do not add up to its count (a ， typed for 、, a title without 《》).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from pipeline.text.clean_lex import CJK, segment
from pipeline.text.marks import Marks
from pipeline.vocab import load, longest_first

_DIGITS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_TITLE = re.compile(r"《[^《》\n]{1,40}》")


@dataclass(frozen=True)
class CountedList:
    """A list and the count that closes it (offsets into the text; spans half-open)."""

    start: int               # first character of the first item
    count_start: int         # the numeral
    count_end: int
    value: int
    unit: str                # the classifier (级), or the noun after an intensifier (四大重点 → 重点)
    end: int                 # end of the unit
    items: tuple[tuple[int, int], ...]   # item spans
    titles: int              # how many items are 《》 titles
    untitled: tuple[int, int] | None     # text between the last title and the count (《A》B两件 → B)
    comma_item: tuple[int, int] | None   # a short clause before a ， that would make the count (A，B、C、D四大)


@cache
def _vocab() -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str], int]:
    e = load("units")["enumerated"]
    return (longest_first(e["classifiers"]), tuple(e["intensifiers"]), frozenset(e["clause_delimiters"]),
            int(e["max_item_chars"]))


@cache
def _durations() -> tuple[str, ...]:
    return longest_first(load("units")["duration"]["units"])


def _unit(text: str, pos: int) -> tuple[str, int]:
    classifiers, intensifiers, _, _ = _vocab()
    for w in intensifiers:
        if text.startswith(w, pos):
            run = re.match(f"[{CJK}]{{1,6}}", text[pos + len(w):])
            if not run:
                return "", pos
            noun = segment(run.group())[0]
            return (noun, pos + len(w) + len(noun)) if len(noun) >= 2 else ("", pos)
    for c in classifiers:
        if text.startswith(c, pos):
            return c, pos + len(c)
    return "", pos


def counted_lists(text: str) -> list[CountedList]:
    """Every list of two or more items closed by a count of 2–10 with a classifier.

    A list runs from its clause's start, or from the end of the list before it in the same clause (whose items
    are not this one's). Clause starts, quotation marks, titles and 、 are found once for the whole text and
    looked up by bisection, so a long line without punctuation is not re-read for every count in it."""
    _, _, delims, max_item = _vocab()
    clauses, seps = Marks(text, "".join(delims)), Marks(text, "、")
    opening, closing, straight = Marks(text, "“"), Marks(text, "”"), Marks(text, '"')
    titles = [(t.start(), t.end()) for t in _TITLE.finditer(text)]
    title_starts = [a for a, _ in titles]
    out: list[CountedList] = []
    floor = 0   # end of the last list found
    for m in re.finditer("[" + "".join(_DIGITS) + "]", text):
        s, value = m.start(), _DIGITS[m.group()]
        if s and text[s - 1] in _DIGITS or text[m.end():m.end() + 1] in _DIGITS:
            continue   # part of a longer numeral (十三, 二十)
        unit, end = _unit(text, m.end())
        if not unit or any(text.startswith(d, m.end()) for d in _durations()):
            continue   # 两个月, 三年: a time span, not a list size
        j = clauses.start_of(s, 0)
        if opening.count_in(j, s) > closing.count_in(j, s) or straight.count_in(j, s) % 2:
            continue   # the count is inside a quotation: a name (“四个意识”, “十大战略”)
        lo = max(j, floor)
        a, b = bisect.bisect_left(title_starts, lo), bisect.bisect_left(title_starts, s)
        if a < b and titles[b - 1][1] > s:
            b -= 1   # a title the count is inside of (《三项规定》) is not an item
        untitled = None
        if a < b:
            items = titles[a:b]
            if s > items[-1][1]:
                untitled = (items[-1][1], s)
            first = items[0][0]
        else:
            items = _pieces(seps, lo, s, max_item)
            if items is None:
                continue
            first = lo
        if len(items) + (untitled is not None) < 2:
            continue
        comma_item = None
        if len(items) + (untitled is not None) == value - 1 and lo == j >= 2 and text[j - 1] in "，,":
            k = clauses.start_of(j - 1, 0)
            if 0 < j - 1 - k:
                comma_item = (k, j - 1)
        out.append(CountedList(start=first, count_start=s, count_end=m.end(), value=value, unit=unit, end=end,
                               items=tuple(items), titles=b - a, untitled=untitled, comma_item=comma_item))
        floor = end
    return out


def _pieces(seps: Marks, lo: int, hi: int, max_item: int) -> list[tuple[int, int]] | None:
    """The spans of text[lo:hi] split at 、 when there are two or more and each has 1 to ``max_item`` characters
    (read from the end, so a long stretch without 、 costs one look-up), else None."""
    out, end = [], hi
    while True:
        k = seps.last_in(lo, end)
        start = lo if k is None else k + 1
        if not 1 <= end - start <= max_item:
            return None
        out.append((start, end))
        if k is None:
            break
        end = k
    return out[::-1] if len(out) >= 2 else None
