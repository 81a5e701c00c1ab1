"""Tokenising numbers as written: Arabic (half- or full-width) and Chinese numerals.

Finds numeral tokens (with 万/亿 multipliers, decimals, 1.2万, 三分之一, 百分之七十, ranges such as
2026—2028) and gives their values; only the bare numeral is handed to cn2an. What a number
*means* (year, date, ordinal, metric ...) is decided in ``numbers.py``, not here.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import cn2an

# Character classes of the numeral grammar (the grammar itself, not a vocabulary).
_DIGITS = "0-9０-９"
_CN_DIGIT = "零〇一二三四五六七八九两"
_CN_ALL = _CN_DIGIT + "十百千万亿"
_MULT = "万亿"

_ARABIC = rf"[{_DIGITS}]+(?:[,，][{_DIGITS}]{{3}}(?![{_DIGITS}]))*(?:[.．][{_DIGITS}]+)?(?:千万|百万|万亿|[{_MULT}])?"
# A Chinese numeral starts with a digit or 十 (never a bare 百/千/万, which are words: 万人, 千钧).
_CHINESE = rf"[{_CN_DIGIT}十][{_CN_ALL}]*(?:点[{_CN_DIGIT}]+[{_MULT}]?)?"
_NUM = rf"(?:{_ARABIC}|{_CHINESE})"
_RANGE_SEP = r"[—–―\-~～至到]{1,2}"

_TOKEN = re.compile(
    rf"(?P<pct>百分之(?P<pctnum>{_NUM}))"
    rf"|(?P<frac>(?P<den>{_NUM})分之(?P<num>{_NUM})(?!分之))"
    rf"|(?P<a>{_ARABIC})(?:(?P<asep>{_RANGE_SEP})(?P<a2>{_ARABIC}))?"
    rf"|(?P<c>{_CHINESE})(?:(?P<csep>[—–―\-~～至到])(?P<c2>{_CHINESE}))?"
)
_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


@dataclass(frozen=True)
class Numeral:
    """One numeral token as written in the text."""

    start: int
    end: int
    text: str
    value: float
    script: str                  # "arabic" | "chinese"
    kind: str                    # "number" | "fraction" | "percent" | "range" | "sequence"
    end_value: float | None = None   # upper bound of a range (2026—2028, 五六)


@lru_cache(maxsize=4096)
def parse_numeral(s: str) -> float:
    """The value of one bare numeral: '1.2万' → 12000, '两' → 2, '三千六百三十四' → 3634, '〇' → 0.

    Raises ValueError when ``s`` is not a numeral.
    """
    t = unicodedata.normalize("NFKC", s).translate(_WIDTH).replace(",", "").strip()
    if not t:
        raise ValueError("empty numeral")
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    t = t.replace("两", "二").replace("〇", "零")
    try:
        return float(cn2an.cn2an(t, "smart"))
    except Exception as exc:  # cn2an raises its own ValueError subclasses and bare Exceptions
        raise ValueError(f"not a numeral: {s!r}") from exc


def _chinese_digits_only(s: str) -> bool:
    return all(ch in _CN_DIGIT for ch in s)


def _numeral(start: int, text: str) -> list[Numeral]:
    """A Chinese or Arabic token turned into one or more numerals (split when unparseable)."""
    script = "arabic" if text[0] in "0123456789０１２３４５６７８９" else "chinese"
    if script == "chinese" and len(text) == 2 and _chinese_digits_only(text) and "零" not in text and "〇" not in text:
        a, b = parse_numeral(text[0]), parse_numeral(text[1])
        if b == a + 1:  # 五六次: "five or six"
            return [Numeral(start, start + 2, text, a, script, "range", b)]
        return [Numeral(start + i, start + i + 1, ch, parse_numeral(ch), script, "number") for i, ch in enumerate(text)]
    try:
        return [Numeral(start, start + len(text), text, parse_numeral(text), script, "number")]
    except ValueError:
        pass
    # Unparseable run (十五五, 一一): one token, valued by its longest parseable prefix.
    for j in range(len(text) - 1, 0, -1):
        try:
            return [Numeral(start, start + len(text), text, parse_numeral(text[:j]), script, "sequence")]
        except ValueError:
            continue
    out: list[Numeral] = []
    i = 0
    while i < len(text):
        for j in range(len(text), i, -1):
            try:
                v = parse_numeral(text[i:j])
            except ValueError:
                continue
            out.append(Numeral(start + i, start + j, text[i:j], v, script, "number"))
            i = j
            break
        else:
            i += 1
    return out


def find_numerals(text: str) -> list[Numeral]:
    """Every numeral token of ``text`` in order, non-overlapping."""
    out: list[Numeral] = []
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        try:
            if m.group("pct"):
                v = parse_numeral(m.group("pctnum"))
                out.append(Numeral(s, e, m.group(0), v, _script(m.group("pctnum")), "percent"))
            elif m.group("frac"):
                den, num = parse_numeral(m.group("den")), parse_numeral(m.group("num"))
                if den == 0:
                    continue
                out.append(Numeral(s, e, m.group(0), num / den, _script(m.group("den")), "fraction"))
            elif m.group("a"):
                a = m.group("a")
                if m.group("a2"):
                    v1, v2 = parse_numeral(a), parse_numeral(m.group("a2"))
                    if v2 > v1:
                        out.append(Numeral(s, e, m.group(0), v1, "arabic", "range", v2))
                        continue
                    out.extend(_numeral(s, a))
                    out.extend(_numeral(m.start("a2"), m.group("a2")))
                    continue
                out.extend(_numeral(s, a))
            else:
                c = m.group("c")
                if m.group("c2"):
                    parts = _numeral(s, c) + _numeral(m.start("c2"), m.group("c2"))
                    if len(parts) == 2 and parts[1].value > parts[0].value:
                        out.append(Numeral(s, e, m.group(0), parts[0].value, "chinese", "range", parts[1].value))
                    else:
                        out.extend(parts)
                    continue
                out.extend(_numeral(s, c))
        except ValueError:
            continue
    return out


def _script(s: str) -> str:
    return "arabic" if s[:1] in "0123456789０１２３４５６７８９" else "chinese"
