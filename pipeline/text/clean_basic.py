"""Character-level cleaning rules: line endings, control characters, trailing and indentation spaces,
traditional→simplified (OpenCC t2s), full-width digits/letters, stray spaces inside Chinese words and
English words standing in for Chinese ones. Each function proposes edits on the current text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache

import numpy as np

from pipeline.text.clean_lex import CJK, is_chinese_context, is_cjk, segment, word_freq
from pipeline.text.clean_log import Proposal
from pipeline.text.codepoints import cjk_mask, code_points
from pipeline.vocab import load

# (U+00AD, the soft hyphen, is invisible: inside 1\xad0 it would split a number's digits)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\xad\u200b-\u200f\u2028\u2029\u2060\ufeff]")
_TRAILING = re.compile(r"[ \t\u3000\xa0]+(?=\n)|[ \t\u3000\xa0]+\Z")
_LEADING = re.compile(r"(?m)^[ \t\u3000\xa0]+(?=\S)")
_BLANKS = re.compile(r"\n{3,}")


def line_endings(text: str) -> list[Proposal]:
    return [Proposal(m.start(), m.end(), "\n", "whitespace", "whitespace.line_endings")
            for m in re.finditer(r"\r\n?", text)]


def control_chars(text: str) -> list[Proposal]:
    return [Proposal(m.start(), m.end(), "", "control_char", "control.remove") for m in _CONTROL.finditer(text)]


def spaces(text: str) -> list[Proposal]:
    """Trailing spaces, paragraph indentation (　　), runs of blank lines, leading/trailing blank lines."""
    out = [Proposal(m.start(), m.end(), "", "whitespace", "whitespace.trailing") for m in _TRAILING.finditer(text)]
    out += [Proposal(m.start(), m.end(), "", "whitespace", "whitespace.indent") for m in _LEADING.finditer(text)]
    out += [Proposal(m.start(), m.end(), "\n\n", "whitespace", "whitespace.blank_lines") for m in _BLANKS.finditer(text)]
    lead = re.match(r"\s+", text)
    if lead:
        out.append(Proposal(0, lead.end(), "", "whitespace", "whitespace.document_edges"))
    tail = re.search(r"\s+\Z", text)
    if tail and tail.start() > 0 and tail.group() != "\n":
        out.append(Proposal(tail.start(), tail.end(), "\n", "whitespace", "whitespace.document_edges"))
    return _disjoint(out)


def _disjoint(props: list[Proposal]) -> list[Proposal]:
    out, end = [], -1
    for p in sorted(props, key=lambda p: (p.start, -p.end)):
        if p.start >= end:
            out.append(p)
            end = p.end
    return out


_CJK_RUN = re.compile(f"[{CJK}]+")


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def traditional(text: str) -> list[Proposal]:
    """One edit per run of traditional characters (OpenCC t2s), on CJK text only."""
    out = []
    cc = _t2s()
    # the runs converted in one call, one per line: no dictionary entry holds a line break, so each line converts as
    # the run alone would (one call per run: 0.83 s on the 1,000 documents of c1000; one per text: 0.38 s; the
    # same edits). Should OpenCC ever return another number of lines, each run is converted alone.
    joined = "\n".join(_CJK_RUN.findall(text))
    converted = cc.convert(joined)
    if converted == joined:
        return out   # no run changes (most texts)
    spans = _same_length_changes(text, joined, converted)
    if spans is not None:
        return [Proposal(s, e, after, "traditional_char", "t2s.opencc") for s, e, after in spans]
    runs = list(_CJK_RUN.finditer(text))
    lines = converted.split("\n")
    if len(lines) != len(runs):
        lines = [cc.convert(m.group()) for m in runs]
    for m, conv in zip(runs, lines):
        run = m.group()
        if conv == run:
            continue
        if len(conv) != len(run):
            out.append(Proposal(m.start(), m.end(), conv, "traditional_char", "t2s.opencc"))
            continue
        i = 0
        while i < len(run):
            if run[i] == conv[i]:
                i += 1
                continue
            j = i
            while j < len(run) and run[j] != conv[j]:
                j += 1
            out.append(Proposal(m.start() + i, m.start() + j, conv[i:j], "traditional_char", "t2s.opencc"))
            i = j
    return out


def _same_length_changes(text: str, joined: str, converted: str) -> list[tuple[int, int, str]] | None:
    """(start, end, simplified) in ``text`` of each maximal stretch of changed characters, when OpenCC changed
    characters one for one (``converted`` as long as ``joined``, its line breaks where they were: the usual
    t2s); None otherwise. Found at once with numpy: ``joined`` holds the text's CJK characters in order, a line
    break after each run, so the k-th of them that is not a line break is the k-th CJK character of the text
    (traditional on c1000, where a third of the texts change, 6,000 characters a text compared one by one in
    Python before: traditional 0.36 s -> 0.28 s, the rest being OpenCC and the edits' records)."""
    x, y = code_points(joined), code_points(converted)
    if len(x) != len(y):
        return None
    diff = np.flatnonzero(x != y)
    if not diff.size or (x[diff] == 10).any() or (y[diff] == 10).any():
        return None if diff.size else []
    cut = np.flatnonzero(np.diff(diff) != 1) + 1
    firsts = np.concatenate(([diff[0]], diff[cut]))
    lasts = np.concatenate((diff[cut - 1], [diff[-1]])) + 1
    cjk = np.flatnonzero(cjk_mask(code_points(text)))
    breaks_before = np.cumsum(x == 10)
    at = cjk[firsts - breaks_before[firsts]]
    return [(a, a + q - p, converted[p:q]) for a, p, q in zip(at.tolist(), firsts.tolist(), lasts.tolist())]


_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff05\uff0e\uff0b]+")


def fullwidth_alnum(text: str) -> list[Proposal]:
    """Full-width digits and Latin letters (and ％．＋ between them) become half-width (NFKC)."""
    return [Proposal(m.start(), m.end(), unicodedata.normalize("NFKC", m.group()), "width_mix", "width.nfkc_alnum")
            for m in _FULLWIDTH_ALNUM.finditer(text)]


def _line_bounds(text: str, i: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, i) + 1
    b = text.find("\n", i)
    return a, (len(text) if b < 0 else b)


def _is_prose_line(line: str) -> bool:
    """A body paragraph: not a markdown heading, and written as sentences."""
    s = line.lstrip()
    return not s.startswith("#") and any(p in s for p in "，。；,;") and len(s) >= 20


def _inside_title(text: str, a: int, i: int) -> bool:
    """Inside 《…》 on the line (titles of works keep their spaces)."""
    seg = text[a:i]
    return seg.rfind("《") > seg.rfind("》")


def space_inside_word(text: str) -> list[Proposal]:
    """A single ASCII space between two CJK characters in prose, where the two sides form a dictionary word."""
    out = []
    for m in re.finditer(f"(?<=[{CJK}]) (?=[{CJK}])", text):
        i = m.start()
        a, b = _line_bounds(text, i)
        if not _is_prose_line(text[a:b]) or _inside_title(text, a, i):
            continue
        left, right = text[max(a, i - 2):i], text[i + 1:i + 3]
        joined = [left[-1] + right[0], left + right[:1], left[-1:] + right]
        if any(word_freq(w) >= 50 for w in joined):
            out.append(Proposal(i, i + 1, "", "typo", "space.inside_word"))
    return out


_ENGLISH = re.compile(r"(?<![A-Za-z0-9])( ?)([A-Za-z]+(?: [A-Za-z]+)*)( ?)(?![A-Za-z0-9])")


JOIN_WINDOW = 8   # CJK characters either side looked at when judging a translation


def _reads_naturally(text: str, s: int, e: int, zh: str) -> bool:
    """Does ``zh`` put in place of text[s:e] read as Chinese? In jieba's segmentation of the joined text the
    translation either lies inside a dictionary word of 2+ characters (示范 points 建设 -> 示范点) or stands
    as its own word between two words of 2+ characters (执法检查 and 视察 -> 执法检查/和/视察, not 废/和/释)."""
    left, right = text[max(0, s - JOIN_WINDOW):s], text[e:e + JOIN_WINDOW]
    left = re.split(f"[^{CJK}]", left)[-1]
    right = re.split(f"[^{CJK}]", right)[0]
    toks = segment(left + zh + right)
    pos, a, b = 0, len(left), len(left) + len(zh)
    spans = []
    for t in toks:
        spans.append((pos, pos + len(t), t))
        pos += len(t)
    inside = [k for k, (x, y, _) in enumerate(spans) if x < b and y > a]
    if not inside:
        return False
    x, y, t = spans[inside[0]]
    if len(inside) == 1 and len(t) >= 2 and x <= a and y >= b and t != zh:
        return True
    if spans[inside[0]][0] != a or spans[inside[-1]][1] != b:
        return False
    prev = spans[inside[0] - 1][2] if inside[0] > 0 else ""
    nxt = spans[inside[-1] + 1][2] if inside[-1] + 1 < len(spans) else ""
    return len(prev) >= 2 and len(nxt) >= 2


def english_words(text: str) -> tuple[list[Proposal], list[tuple[int, int, str]]]:
    """English words inside Chinese prose: known ones replaced (surrounding spaces removed), others flagged.

    Acronyms (no lower-case letter: RCEP, IP, AI) are left alone. Returns (proposals, flags)."""
    words = load("english")["words"]
    out, flags = [], []
    for m in _ENGLISH.finditer(text):
        phrase = m.group(2)
        s, e = m.start(), m.end()
        before, after = text[s - 1:s] if s else "", text[e:e + 1]
        edge_b, edge_a = before in ("", "\n"), after in ("", "\n")   # a line's first or last word
        if not ((is_chinese_context(before) or edge_b) and (is_chinese_context(after) or edge_a)) or (edge_b and edge_a):
            continue
        toks = phrase.split(" ")
        if all(not any(c.islower() for c in t) for t in toks):
            continue  # acronyms
        if all(t.lower() in words for t in toks):
            zh = "".join(words[t.lower()] for t in toks)
            if is_cjk(before) and is_cjk(after) and not _reads_naturally(text, s, e, zh):
                flags.append((m.start(2), m.end(2), zh))   # 立改废 and 释: a translation would split words
                continue
            out.append(Proposal(s, e, zh, "english_intrusion", "english.dictionary"))
        else:
            flags.append((m.start(2), m.end(2), ""))
    return out, flags
