"""Every number of a clean text with its role: metric, year, date, ordinal, name, duration, other.

Builds on ``numerals.py`` (tokens and values) and the vocabularies ``units`` and
``metric_context``; the metric records themselves are built in ``metrics.py``.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from pipeline.extract.model import NumberMention
from pipeline.extract.numerals import Numeral, find_numerals
from pipeline.text.clean_digits import split_number_edges
from pipeline.text.clean_lex import word_freq
from pipeline.text.enumerations import CountedList, counted_lists
from pipeline.text.model import Sentence
from pipeline.vocab import load, longest_first

_CN_SINGLE = set("零〇一二三四五六七八九两十")
_NOT_WORD_LEFT = set("第零〇一二三四五六七八九两十百千万亿")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class _Vocab:
    count: tuple[str, ...]       # counting + share + measure units, longest first
    share: frozenset[str]
    duration: tuple[str, ...]
    streak_prefixes: tuple[str, ...]
    streak_units: tuple[str, ...]
    over_infix: tuple[str, ...]
    over_after: tuple[str, ...]
    over_before: tuple[str, ...]
    about_before: tuple[str, ...]
    about_after: tuple[str, ...]
    under_before: tuple[str, ...]
    under_after: tuple[str, ...]
    under_not_after: frozenset[str]
    bare_multipliers: tuple[str, ...]
    ord_prefix: tuple[str, ...]
    ord_suffix: tuple[str, ...]
    ord_after_term: tuple[str, ...]
    term_marker: str
    term_window: int
    congress_suffix: str
    congress_min: float
    enumerators: tuple[str, ...]
    quotes: tuple[tuple[str, str], ...]
    max_quote_len: int
    operators: tuple[str, ...]
    fixed: re.Pattern | None
    slogan_min: int
    slogan_window: int
    article: frozenset[str]
    year_min: int
    year_max: int
    year_suffixes: tuple[str, ...]
    month: str
    day: tuple[str, ...]
    lunar_day_prefix: str
    dot_seps: tuple[str, ...]


@cache
def vocab() -> _Vocab:
    """The number grammar's vocabularies, loaded once."""
    u, c = load("units"), load("metric_context")
    a, o, n = c["approx"], c["ordinal"], c["name"]
    fixed = n.get("fixed", [])
    return _Vocab(
        count=longest_first(u["count"]["units"] + u["share"]["units"] + u["measure"]["units"]),
        share=frozenset(u["share"]["units"]),
        duration=longest_first(u["duration"]["units"]),
        streak_prefixes=longest_first(u["streak"]["prefixes"]),
        streak_units=longest_first(u["streak"]["units"]),
        over_infix=longest_first(a["over_infix"]), over_after=longest_first(a["over_after"]),
        over_before=longest_first(a["over_before"]), about_before=longest_first(a["about_before"]),
        about_after=longest_first(a["about_after"]), under_before=longest_first(a["under_before"]),
        under_after=longest_first(a["under_after"]), under_not_after=frozenset(a.get("under_not_after", [])),
        bare_multipliers=tuple(u.get("bare", {}).get("multipliers", [])),
        ord_prefix=tuple(o["prefixes"]), ord_suffix=longest_first(o["suffixes"]),
        ord_after_term=longest_first(o["after_term"]), term_marker=o["term_marker"],
        term_window=int(o["term_window"]),
        congress_suffix=o["congress_suffix"], congress_min=float(o["congress_min"]),
        enumerators=tuple(o["enumerators"]),
        quotes=tuple((p[0], p[1]) for p in n["quotes"]), max_quote_len=int(n["max_quote_len"]),
        operators=tuple(n["operators"]),
        fixed=re.compile("|".join(map(re.escape, longest_first(fixed)))) if fixed else None,
        slogan_min=int(n["slogan_min_numerals"]), slogan_window=int(n["slogan_window"]),
        article=frozenset(c["article"]["indefinite"]),
        year_min=int(c["year"]["min"]), year_max=int(c["year"]["max"]),
        year_suffixes=longest_first(c["year"]["suffixes"]),
        month=c["date"]["month"], day=tuple(c["date"]["day"]),
        lunar_day_prefix=c["date"]["lunar_day_prefix"], dot_seps=tuple(c["date"]["dot_separators"]),
    )


def _startswith_any(s: str, words: tuple[str, ...]) -> str:
    """The first of ``words`` that ``s`` starts with, '' if none (most calls: none, answered by one
    ``str.startswith`` with the tuple, in C; find_numbers on c200: 0.77 s → 0.65 s). Which one: the alternation
    of the words, in their order, matched in C (the units after a number: a loop over the 73 count units, longest
    first, before the one-character 个 次 件 was reached: 2.0-3.6 µs a call -> 0.6-0.8 µs; find_numbers on
    c1000: 1.86 s -> 1.80 s)."""
    if not s.startswith(words):
        return ""
    return _alternation(words).match(s).group()


@cache
def _alternation(words: tuple[str, ...]) -> re.Pattern:
    """The compiled alternation of a vocabulary tuple (0.35 µs a look-up for the 73 count units)."""
    return re.compile("|".join(map(re.escape, words)))


def _endswith_any(s: str, words: tuple[str, ...]) -> str:
    """The first of ``words`` that ``s`` ends with, '' if none (see _startswith_any)."""
    if not s.endswith(words):
        return ""
    for w in words:
        if s.endswith(w):
            return w
    return ""


def _quoted_spans(text: str, v: _Vocab) -> list[tuple[int, int]]:
    """Spans of short quotations and book titles: numbers inside them are names."""
    spans = []
    for open_, close in v.quotes:
        if open_ == close:
            pat = re.compile(re.escape(open_) + r"[^" + re.escape(open_) + r"\n]{1,%d}" % v.max_quote_len + re.escape(close))
        else:
            pat = re.compile(re.escape(open_) + r"[^" + re.escape(open_ + close) + r"\n]{1,%d}" % v.max_quote_len + re.escape(close))
        spans += [m.span() for m in pat.finditer(text)]
    return sorted(spans)


def _inside(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    i = bisect.bisect_right(spans, (s, 10**12)) - 1
    while i >= 0 and spans[i][0] <= s:
        if spans[i][1] >= e:
            return True
        i -= 1
    return False


def _embedded_in_word(text: str, n: Numeral) -> bool:
    """A lone Chinese numeral that is part of a word (统一, 唯一, 进一步, 逐一; 零部件, 零售): not a number."""
    s = n.start
    if n.text == "零":   # 零 opens its words: 零部件, 零售, 零距离
        return any(word_freq(text[s:s + k]) for k in (2, 3))
    if n.text != "一":  # other lone numerals inside words (大三, 初三) are real numbers far more often
        return False
    if _startswith_any(text[n.end:n.end + 3], vocab().count):
        return False    # 每一件法规: a numeral with its classifier, whatever word 每一 makes
    for left in (1, 2, 3):
        if s - left < 0 or text[s - left] in _NOT_WORD_LEFT or not _CJK.match(text[s - left]):
            break
        for right in (0, 1, 2):
            w = text[s - left:n.end + right]
            if len(w) >= 2 and word_freq(w):
                return True
    return False


def _idiom_with_unit(text: str, n: Numeral, unit_end: int) -> bool:
    """numeral+unit inside a longer dictionary word or idiom (一步一个脚印): not a count."""
    if n.script != "chinese":
        return False
    for s in range(max(0, n.start - 3), n.start + 1):
        for e in range(unit_end + 1, min(len(text), unit_end + 4) + 1):
            w = text[s:e]
            if len(w) >= 4 and word_freq(w):
                return True
    return False


def _unit_after(text: str, pos: int, v: _Vocab) -> tuple[str, int, str, int]:
    """(unit, unit_end, approx, end) for what follows a numeral ending at ``pos``.

    approx is '' / 'over' / 'about' / 'under' from words between or after; end covers them.
    """
    approx, i = "", pos
    infix = _startswith_any(text[i:i + 3], v.over_infix)
    if infix:
        rest = text[i + len(infix):i + len(infix) + 6]
        if _startswith_any(rest, v.count) or _startswith_any(rest, v.duration):
            approx, i = "over", i + len(infix)
    unit = _startswith_any(text[i:i + 6], v.count)
    dur = _startswith_any(text[i:i + 6], v.duration)
    if dur and len(dur) >= len(unit):
        return dur, i + len(dur), approx, i + len(dur)
    if not unit:
        return "", pos, "", pos
    end = i + len(unit)
    tail = text[end:end + 3]
    if not approx:
        if w := _startswith_any(tail, v.over_after):
            approx, end = "over", end + len(w)
        elif w := _startswith_any(tail, v.about_after):
            approx, end = "about", end + len(w)
        elif w := _startswith_any(tail, v.under_after):
            approx, end = "under", end + len(w)
    return unit, i + len(unit), approx, end


def _approx_before(text: str, pos: int, v: _Vocab) -> tuple[str, int]:
    before = text[max(0, pos - 4):pos]
    for kind, words in (("over", v.over_before), ("about", v.about_before), ("under", v.under_before)):
        w = _endswith_any(before, words)
        if w:
            if w == "近" and pos - 2 >= 0 and text[pos - 2] in v.under_not_after:
                continue
            return kind, pos - len(w)
    return "", pos


def _slogan_numerals(text: str, nums: list[Numeral], v: _Vocab) -> set[int]:
    """Indices of lone Chinese numerals chained into a slogan (一府一委两院, 两学一做, 三官一员)."""
    lone = [i for i, n in enumerate(nums) if n.script == "chinese" and n.end - n.start == 1 and n.text in _CN_SINGLE
            and not _endswith_any(text[max(0, n.start - 2):n.start], v.ord_prefix)]
    out: set[int] = set()
    run: list[int] = []
    for i in lone:
        if run and nums[i].start - nums[run[-1]].end <= v.slogan_window - 2 and \
                _CJK.fullmatch(text[nums[run[-1]].end:nums[i].start] or "x") and \
                nums[i].start - nums[run[-1]].end in (1, 2):
            run.append(i)
        else:
            if len(run) >= v.slogan_min:
                out.update(run)
            run = [i]
    if len(run) >= v.slogan_min:
        out.update(run)
    return out


def _list_count(text: str, nums: list[Numeral], k: int, counted: dict[int, CountedList]) -> CountedList | None:
    """The list numeral ``k`` closes (市、县、乡人大三级联动), when its items add up to it (or would, but for a ，
    typed for 、) and no other number of its clause is the fact it qualifies (省、市、县三级人大代表120名)."""
    c = counted.get(nums[k].start)
    if c is None or c.count_end != nums[k].end:
        return None
    if len(c.items) + (c.untitled is not None) != c.value and not c.comma_item:
        return None
    if k + 1 < len(nums):
        gap = text[c.end:nums[k + 1].start]
        if not any(ch in gap for ch in "，。；：,;:\n"):
            return None
    return c


def _role(text: str, nums: list[Numeral], k: int, v: _Vocab, quoted, fixed, slogans,
          counted: dict[int, CountedList]) -> tuple[str, str, str, int, int]:
    """(role, unit, approx, quote_start, quote_end) of numeral ``k``."""
    n = nums[k]
    s, e = n.start, n.end
    after, before = text[e:e + 8], text[max(0, s - 8):s]

    # years: 2025年, 2026—2028, 二〇二五年, a bare 2026 in a heading
    is_int = n.value == int(n.value)
    four = (n.script == "arabic" and len(n.text.replace(",", "")) == 4 and "." not in n.text) or \
           (n.script == "chinese" and len(n.text) == 4 and all(ch in "零〇一二三四五六七八九" for ch in n.text))
    if is_int and four and v.year_min <= n.value <= v.year_max:
        ys = _startswith_any(after, v.year_suffixes)
        if ys:
            return "year", "", "exact", s, e + len(ys)
        if n.kind == "range" or not _unit_after(text, e, v)[0]:
            return "year", "", "exact", s, e
    if n.kind == "range" and n.script == "arabic" and v.year_min <= n.value <= v.year_max and len(n.text) >= 9:
        return "year", "", "exact", s, e

    # dates: 1月5日, 农历三月初三, 7·20
    if is_int and after.startswith(v.month) and 1 <= n.value <= 12 and not before.endswith("个"):
        return "date", "", "exact", s, e + 1
    if is_int and 1 <= n.value <= 31:
        if before.endswith(v.month) and _startswith_any(after, v.day):
            return "date", "", "exact", s, e + 1
        if before.endswith(v.month + v.lunar_day_prefix) or (before.endswith(v.lunar_day_prefix) and before[:-1].endswith(v.month)):
            return "date", "", "exact", s - 1, e
        if n.script == "arabic":
            sep_after = _startswith_any(after, v.dot_seps)
            if sep_after and n.value <= 12 and k + 1 < len(nums) and nums[k + 1].start == e + len(sep_after) \
                    and nums[k + 1].script == "arabic" and nums[k + 1].value <= 31:
                return "date", "", "exact", s, e
            sep_before = _endswith_any(before, v.dot_seps)
            if sep_before and k > 0 and nums[k - 1].end == s - len(sep_before) and nums[k - 1].script == "arabic" \
                    and nums[k - 1].value <= 12:
                return "date", "", "exact", s, e

    # streaks: 连续4年 (a count of years), 连续第8年 (before the ordinals: 第 is part of it)
    pre = _endswith_any(before, v.streak_prefixes)
    if pre:
        su = _startswith_any(after, v.streak_units)
        if su:
            return "metric", su, "exact", s - len(pre), e + len(su)

    # ordinals: 第32届, 十六届三次会议, 二十届四中全会, 十九大, 一、二等奖, 一审
    if _endswith_any(before, v.ord_prefix):
        return "ordinal", "", "exact", s - 1, e
    suf = _startswith_any(after, v.ord_suffix)
    if suf:
        return "ordinal", "", "exact", s, e + len(suf)
    suf = _startswith_any(after, v.ord_after_term)
    if suf and v.term_marker in text[max(0, s - v.term_window):s]:
        return "ordinal", "", "exact", s, e + len(suf)
    if after.startswith(v.congress_suffix) and n.script == "chinese" and n.value >= v.congress_min and is_int:
        return "ordinal", "", "exact", s, e + 1
    enum = _startswith_any(after, v.enumerators)
    if enum and k + 1 < len(nums) and nums[k + 1].start == e + len(enum):
        nxt = nums[k + 1]
        if _startswith_any(text[nxt.end:nxt.end + 6], v.ord_suffix):
            return "ordinal", "", "exact", s, e

    # names: “十五五”, 《…三年行动计划》, 1+7+7+7, 一府一委两院
    if _inside(quoted, s, e) or any(fs <= s and e <= fe for fs, fe in fixed) or k in slogans:
        return "name", "", "exact", s, e
    if _startswith_any(after, v.operators) or _endswith_any(before, v.operators):
        return "name", "", "exact", s, e

    # the size of the list before it: 市、县、乡人大三级联动, 四大重点
    if c := _list_count(text, nums, k, counted):
        return "metric", c.unit, "exact", s, c.end

    if n.kind == "percent":
        return "metric", "%", "exact", s, e
    if n.kind == "fraction":
        return "other", "", "exact", s, e

    unit, unit_end, approx, end = _unit_after(text, e, v)
    b_approx, qs = _approx_before(text, s, v)
    approx = approx or b_approx
    if not unit:
        if n.script == "arabic" and n.text.endswith(v.bare_multipliers) and not _CJK.match(text[e:e + 1]):
            return "metric", "", approx or "exact", qs, e   # 老年人口超过100万。
        return "other", "", approx or "exact", qs, e
    if unit in v.duration:
        return "duration", unit, approx or "exact", qs, end
    # 一批, 一支, 一张张: indefinite article or reduplicated classifier, not a count
    if n.script == "chinese" and n.text in v.article and not b_approx and _CJK.match(text[end:end + 1]):
        return "other", unit, "exact", qs, end
    if len(unit) == 1 and text[unit_end:unit_end + 1] == unit:
        return "other", unit, "exact", qs, end
    if _idiom_with_unit(text, n, unit_end):
        return "other", unit, "exact", qs, end
    if n.kind == "range" and not approx:
        approx = "about"
    return "metric", unit, approx or "exact", qs, end


def find_numbers(clean: str, sentences: list[Sentence]) -> list[NumberMention]:
    """Every number in ``clean`` once, with its role, value, unit and approximation."""
    v = vocab()
    nums = [n for n in find_numerals(clean) if not _embedded_in_word(clean, n)]
    if not nums:
        return []
    quoted = _quoted_spans(clean, v)
    fixed = [m.span() for m in v.fixed.finditer(clean)] if v.fixed else []
    slogans = _slogan_numerals(clean, nums, v)
    counted = {c.count_start: c for c in counted_lists(clean)}
    split = split_number_edges(clean)
    starts = [s.char_start for s in sentences]
    out: list[NumberMention] = []
    for k, n in enumerate(nums):
        role, unit, approx, qs, qe = _role(clean, nums, k, v, quoted, fixed, slogans, counted)
        if role == "metric" and (n.start in split or n.end in split):   # 1😀0次: a piece of a flagged number
            role, unit, approx, qs, qe = "other", "", "exact", n.start, n.end
        i = bisect.bisect_right(starts, n.start) - 1
        sent = sentences[i].index if i >= 0 else -1
        out.append(NumberMention(sentence=sent, char_start=qs, char_end=qe, quote=clean[qs:qe],
                                 value=float(n.value), unit=unit, approx=approx, role=role))
    return out
