"""Layout repairs: paragraphs split by a page break (joined back), headings that a page break dropped into
the middle of a split word (moved after the text they interrupt), and paragraph lead-ins run into the previous
paragraph by a reflow (split off again, by comparison with the sibling paragraphs' lead sentences).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.text.clean_lex import TERMINAL, is_cjk, word_freq
from pipeline.text.clean_log import Proposal
from pipeline.text.sections import heading_in_line, is_byline
from pipeline.vocab import load

# a doubled character at a join is kept only when the doubled form is a common word (jieba frequency)
DOUBLE_WORD_MIN_FREQ = 100
# a lead sentence (in-text subheading like 聚焦…加强监督。) is at most this long
LEAD_MAX_CHARS = 30
# the removal of an intruding heading is certain; where it is reinserted is judged from shared vocabulary
PLACEMENT_CONFIDENCE = 0.8


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str

    @property
    def heading(self) -> bool:
        h = heading_in_line(self.text)
        return h is not None and not h.inline


def lines_of(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        if raw.strip():
            out.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _is_prose(line: Line) -> bool:
    return not line.heading and not is_byline(line.text) and bool(re.search("[，。；、,;]", line.text))


def _ends_open(text: str) -> bool:
    """The paragraph stops mid-sentence: no sentence-final mark and no closing quote/bracket at its end."""
    c = text.rstrip()[-1:]
    return bool(c) and c not in TERMINAL and c not in "”’》）)」』】" and (is_cjk(c) or c.isalnum() or c in "，、“‘《（(+-—")


def _starts_continuation(text: str) -> bool:
    c = text[:1]
    return bool(c) and (is_cjk(c) or c.isalnum() or c in "“‘《（(") and not text.startswith("——")


def _doubled_at_join(a: str, b: str) -> bool:
    return bool(a) and a[-1] == b[:1] and is_cjk(a[-1]) and word_freq(a[-1] * 2) < DOUBLE_WORD_MIN_FREQ


def _bigrams(s: str) -> set[str]:
    s = re.sub(f"[^\u4e00-\u9fff]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


@cache
def _page_number() -> re.Pattern:
    return re.compile(load("headings")["page_number"]["pattern"], re.M)


def page_numbers(text: str) -> list[Proposal]:
    """Page-number lines ("- 5 -", "第5页 共20页"; vocabulary ``headings`` [page_number]) with the blank
    lines after them: page furniture, removed before the split paragraphs around them are joined."""
    out = []
    for m in _page_number().finditer(text):
        end = m.end()
        while end < len(text) and text[end] in " \t\u3000\n":
            end += 1
        if m.start() == 0 or text[m.start() - 1] == "\n":
            out.append(Proposal(m.start(), end, "", "page_break_split", "pagebreak.page_number"))
    return out


def page_breaks(text: str) -> list[Proposal]:
    """Joins across blank lines (and the moves of headings that intruded in the split)."""
    lines = lines_of(text)
    out: list[Proposal] = []
    i = 0
    while i < len(lines) - 1:
        a, b = lines[i], lines[i + 1]
        if not (_is_prose(a) and _ends_open(a.text)):
            i += 1
            continue
        if not b.heading and not is_byline(b.text) and _starts_continuation(b.text) and _is_prose(b):
            out.append(Proposal(a.end, b.start, "", "page_break_split", "pagebreak.join"))
            if _doubled_at_join(a.text, b.text):
                out.append(Proposal(b.start, b.start + 1, "", "duplicated_char", "pagebreak.doubled_char"))
            i += 1
            continue
        # headings dropped between the two halves of a split word
        k = i + 1
        while k < len(lines) and lines[k].heading:
            k += 1
        if k == i + 1 or k >= len(lines):
            i += 1
            continue
        c = lines[k]
        if not (is_cjk(a.text.rstrip()[-1]) and _is_prose(c) and _starts_continuation(c.text)
                and _junction_is_word(a.text, c.text)):
            i += 1
            continue
        heads = lines[i + 1:k]
        out.append(Proposal(a.end, heads[0].start, "", "page_break_split", "pagebreak.join_over_heading"))
        out.append(Proposal(heads[0].start, c.start, "", "misplaced_heading", "heading.intruding_move"))
        if _doubled_at_join(a.text, c.text):
            out.append(Proposal(c.start, c.start + 1, "", "duplicated_char", "pagebreak.doubled_char"))
        dest = _destination(text, lines, i, k, heads)
        block = "\n\n".join(h.text for h in heads)
        if dest is None:
            out.append(Proposal(len(text), len(text), "\n\n" + block, "misplaced_heading", "heading.intruding_move",
                                PLACEMENT_CONFIDENCE))
        else:
            out.append(Proposal(dest, dest, block + "\n\n", "misplaced_heading", "heading.intruding_move",
                                PLACEMENT_CONFIDENCE))
        i = k
    return out


def _junction_is_word(a: str, c: str) -> bool:
    """A dictionary word straddles the split (建立场|场景 → 场景), or the split repeats a character."""
    a, c = a.rstrip(), c.lstrip()
    if a[-1:] == c[:1]:
        return True
    for k in (1, 2, 3):
        for m in (1, 2, 3):
            if k + m <= 4 and word_freq(a[-k:] + c[:m]) >= 5:
                return True
    return False


def _destination(text: str, lines: list[Line], i: int, k: int, heads: list[Line]) -> int | None:
    """Where the intruding headings belong: before the first paragraph after the completed one that does not
    continue the interrupted section (judged by shared character bigrams with the two headings)."""
    interrupted = next((ln.text for ln in reversed(lines[:i]) if ln.heading), "")
    own, intruder = _bigrams(interrupted), _bigrams(" ".join(h.text for h in heads))
    for ln in lines[k + 1:]:
        if ln.heading:
            return ln.start
        p = _bigrams(ln.text)
        if len(p & own) > len(p & intruder) and p & own:
            continue
        return ln.start
    return None


def _sentences(par: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^。！？]+[。！？][”’）)]*", par)]


def lead_ins(text: str) -> list[Proposal]:
    """Split off a paragraph lead sentence that repeats the shape of its sibling paragraphs' leads
    (same first two characters and same ending) but sits in the middle of a paragraph."""
    out = []
    lines = lines_of(text)
    groups: list[list[Line]] = [[]]
    for ln in lines:
        if ln.heading:
            groups.append([])
        elif _is_prose(ln):
            groups[-1].append(ln)
    for pars in groups:
        leads = []
        sentences = [_sentences(p.text) for p in pars]
        for p, sents in zip(pars, sentences):
            if sents and sents[0][0] == 0 and sents[0][1] - sents[0][0] <= LEAD_MAX_CHARS and len(sents) > 1:
                leads.append(p.text[sents[0][0]:sents[0][1]])
        if len(leads) < 2:
            continue
        for p, sents in zip(pars, sentences):
            for s, e in sents[1:]:
                sent = p.text[s:e]
                if e - s > LEAD_MAX_CHARS or e >= len(p.text.rstrip()):
                    continue
                same = [ld for ld in leads if ld[:2] == sent[:2] and ld[-3:] == sent[-3:] and ld != sent]
                if len(same) >= 2:
                    out.append(Proposal(p.start + s, p.start + s, "\n\n", "misplaced_heading", "heading.lead_in_split"))
    return out
