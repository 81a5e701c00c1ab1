"""Punctuation width (GB/T 15834): in Chinese text the marks , ; : ? ! ( ) are full-width ，；：？！（）.

A mark is converted when the nearest non-space character on either side is Chinese (an ideograph or Chinese
punctuation); brackets convert as a pair. Digits and Latin letters keep their half-width marks (1,000 10:30).
"""
from __future__ import annotations

import re

from pipeline.text.clean_lex import is_chinese_context
from pipeline.text.clean_log import Proposal

FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF_WIDTH = re.compile(f"[{re.escape(''.join(FULL))}]")


def _neighbour(text: str, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] in " \t":
        j += step
    return text[j] if 0 <= j < len(text) and text[j] != "\n" else ""


def _pair(text: str, i: int) -> int | None:
    """Index of the bracket matching the one at i on the same line."""
    depth, step = 0, (1 if text[i] == "(" else -1)
    open_, close = ("(", ")") if step == 1 else (")", "(")
    j = i
    while 0 <= j < len(text) and text[j] != "\n":
        if text[j] == open_:
            depth += 1
        elif text[j] == close:
            depth -= 1
            if depth == 0:
                return j
        j += step
    return None


def punctuation_width(text: str) -> list[Proposal]:
    convert: set[int] = set()
    for m in _HALF_WIDTH.finditer(text):   # one regex scan, not a Python step per character (c1000: 0.37 -> 0.08 s)
        i, ch = m.start(), m.group()
        left, right = _neighbour(text, i, -1), _neighbour(text, i, 1)
        if ch == "(":
            chinese = is_chinese_context(left)
        elif ch == ")":
            chinese = is_chinese_context(right)
        else:
            chinese = is_chinese_context(left) or is_chinese_context(right)
        if not chinese and ch in "()":
            # a bracket whose content is Chinese: （市） （套）
            inner = _neighbour(text, i, 1 if ch == "(" else -1)
            chinese = is_chinese_context(inner)
        if chinese:
            convert.add(i)
            if ch in "()":
                j = _pair(text, i)
                if j is not None:
                    convert.add(j)
    out = []
    for i in sorted(convert):
        end = i + 1
        if text[i] not in "()":  # a space after a full-width mark is a leftover of half-width typing
            while end < len(text) and text[end] == " ":
                end += 1
        start = i
        while start > 0 and text[start - 1] == " " and text[i] not in "(" and start - 1 not in convert:
            start -= 1
        if start > 0 and text[start - 1] == "\n":
            start = i
        out.append(Proposal(start, end, FULL[text[i]], "width_mix", "width.gbt15834"))
    return out
