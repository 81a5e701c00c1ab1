"""Duplicated text: a passage of 500+ characters (whitespace not counted) repeating an earlier part of the text
anywhere, however its lines are wrapped (a report pasted twice or more, a section pasted again), a passage of 20+
characters repeated immediately or within the same paragraph, or a sentence of 20+ characters repeating an earlier
one of the same section (the later copy is removed), and doubled characters/words (巩固巩固, 群群) that are not words
of the dictionary.
"""
from __future__ import annotations

import bisect
import itertools
import re

import numpy as np

from pipeline.text.clean_lex import CJK, word_freq, word_freqs
from pipeline.text.clean_log import Proposal
from pipeline.text.codepoints import code_points
from pipeline.text.grams import repeated_starts
from pipeline.text.marks import Marks

MIN_PASSAGE = 20
# a doubled form that is a word of jieba's dictionary (常常, 人人, 环环相扣, 实实在在) is kept
CLAUSE_END = "，、。；：！？"
SENTENCE_END = "。！？"
NUMERALS = "一二三四五六七八九十百千万亿零两"


def _paragraphs(text: str, start: int = 0):
    """(offset, line) of each line of ``text`` from offset ``start`` (a line start) on."""
    pos = start
    for line in text[start:].split("\n"):
        yield pos, line
        pos += len(line) + 1


EXTEND_STEP = 64   # characters compared at once when extending a match (slice equality runs in C), then 16, 4, 1


def _extend(par: str, i: int, j: int, length: int) -> int:
    """Length of the maximal forward match par[i:] == par[j:] (i < j), knowing it is at least ``length``."""
    n, step = len(par), EXTEND_STEP
    while step:
        while j + length + step <= n and par[i + length:i + length + step] == par[j + length:j + length + step]:
            length += step
        step //= 4
    return length


SCREEN_MIN = 500   # characters: below this, the paragraphs left to screen go straight to the exact scan (measured:
                    # screening 500 characters 35 µs, scanning them 61 µs; 2,000: 75 / 266 µs)


def duplicated_passage(text: str, start: int = 0, screened: dict[str, bool] | None = None) -> Proposal | None:
    """The first removable repeat in the text, in the paragraphs from offset ``start`` (a line start) on. Call
    again after applying it, from the start of the paragraph it was in: the paragraphs before hold none, and the
    removal left them as they were.

    Linear in the paragraph's length on prose: a match is extended once per diagonal (j - i) and reused for the
    following positions of the same run, punctuation is looked up by bisection; and only the paragraphs in which
    a run of MIN_PASSAGE characters occurs twice (grams.repeated_starts) are looked at. ``screened`` (paragraph
    -> may hold a repeat) keeps that screening between the calls of one text: a removal changes one paragraph,
    which the next call scans, the others are not screened again (c1000: 2.3 calls a text)."""
    paragraphs = list(_paragraphs(text, start))
    screened = {} if screened is None else screened
    todo = list(dict.fromkeys(par for _, par in paragraphs if len(par) >= 2 * MIN_PASSAGE and par not in screened))
    if screened or sum(map(len, todo)) < SCREEN_MIN:
        # a later round: the paragraph a removal changed goes to the exact scan (it held a repeat; screening it
        # again cost more than it spared on a 1 MB line, removed from 20 times: 0.35 s against 0.2 s)
        screened.update(dict.fromkeys(todo, True))
    elif todo:
        firsts = list(itertools.accumulate((len(par) + 1 for par in todo[:-1]), initial=0))
        hot = {bisect.bisect_right(firsts, p) - 1 for p in repeated_starts("\n".join(todo), MIN_PASSAGE, firsts)}
        screened.update((par, k in hot) for k, par in enumerate(todo))
    for base, par in paragraphs:
        if len(par) < 2 * MIN_PASSAGE or not screened[par]:
            continue
        seen: dict[str, int] = {}
        sentence_ends: Marks | None = None
        clause_ends: Marks | None = None
        run_end: dict[int, int] = {}   # diagonal j - i -> end (in j) of the last maximal match found on it
        tandem = (0, 0, 0)   # (start, period, end) of the last tandem match: par[start:end] has that period
        for j in range(len(par) - MIN_PASSAGE + 1):
            key = par[j:j + MIN_PASSAGE]
            i = seen.get(key)
            if i is None:
                seen[key] = j
                continue
            period = j - i
            end = run_end.get(period, -1)
            t_start, t_period, t_end = tandem
            if end - j >= MIN_PASSAGE:
                # inside a maximal match found earlier on the same diagonal: it ends where that one ends
                length = end - j
            elif t_period and period % t_period == 0 and i >= t_start and t_end - j >= MIN_PASSAGE:
                # inside a periodic stretch (巴巴巴…, ABAB…) on a multiple of its period: it ends where it ends
                length = t_end - j
            else:
                length = _extend(par, i, j, MIN_PASSAGE)
                if period <= length:
                    tandem = (i, period, j + length)
            run_end[period] = j + length
            if sentence_ends is None:
                sentence_ends, clause_ends = Marks(par, SENTENCE_END), Marks(par, CLAUSE_END)
            if period <= length:  # tandem repeat: remove one period, cut after a sentence end when possible
                lo, hi = j, i + length
                k = sentence_ends.first_in(lo - 1, hi)
                if k is None:
                    k = clause_ends.first_in(lo - 1, hi)
                if k is None:
                    continue
                cut = k + 1
                return Proposal(base + cut, base + cut + period, "", "duplicated_sentence", "dup.passage_repeated")
            # only whole clauses: the copy starts after and ends with clause punctuation
            if j and par[j - 1] not in CLAUSE_END:
                continue
            last = clause_ends.last_in(j, j + length)
            copy_len = 0 if last is None else last + 1 - j
            if copy_len < MIN_PASSAGE:
                continue
            gap = par[i + copy_len:j]
            if gap and gap[-1] not in SENTENCE_END and len(gap) < copy_len:
                # the copy is preceded by a broken clause (a fragment of the copy-paste): remove both
                return Proposal(base + i + copy_len, base + j + copy_len, "", "duplicated_sentence",
                                "dup.passage_repeated")
            if gap and gap[-1] not in SENTENCE_END:
                continue
            return Proposal(base + j, base + j + copy_len, "", "duplicated_sentence", "dup.passage_repeated")
    return None


MIN_REPEATED_TEXT = 500   # non-whitespace characters: the shortest repeated passage repeated_text removes
ANCHOR = 40               # characters looked up at an anchor
ANCHOR_MARKS = re.compile("[，、。；：！？]")   # an anchor at every clause mark (every 10-20 characters of prose)
SAMPLE = 16               # in a long stretch without marks: an anchor at one character in SAMPLE (by code point),
ANCHOR_STRIDE = 40        # and in a long stretch without either every position looked up, every 40th indexed
UNMARKED = MIN_REPEATED_TEXT - ANCHOR   # characters without a mark that make such a stretch
NEAR_COPY_GAP = 100       # characters: runs this close after a removed copy (on both sides) continue it
SPACE = re.compile(r"\s+")
SENTENCE_MARK = re.compile(f"[{SENTENCE_END}]")


class _Squeezed:
    """The text with its whitespace removed (``sq``), and the way back: ``orig(q)`` is the offset in the text of
    ``sq[q]``; ``breaks`` are the positions q whose whitespace before ``sq[q]`` holds a line break (0 and
    len(sq) count as breaks: the text's start and end)."""

    def __init__(self, text: str) -> None:
        self.text = text
        gaps = [m.span() for m in SPACE.finditer(text)]
        self.sq = SPACE.sub("", text)
        shifts = list(itertools.accumulate(e - s for s, e in gaps))
        self._at = [s - (shift - (e - s)) for (s, e), shift in zip(gaps, shifts)]   # squeezed position of a gap
        self._shift = shifts                                                        # whitespace up to it
        self.breaks = sorted({0, len(self.sq)} | {q for q, (s, e) in zip(self._at, gaps) if "\n" in text[s:e]})
        self._breaks = set(self.breaks)

    def orig(self, q: int) -> int:
        k = bisect.bisect_right(self._at, q) - 1
        return q + (self._shift[k] if k >= 0 else 0)

    def is_break(self, q: int) -> bool:
        return q in self._breaks

    def breaks_in(self, lo: int, hi: int) -> list[int]:
        """The breaks q with lo <= q < hi."""
        return self.breaks[bisect.bisect_left(self.breaks, lo):bisect.bisect_left(self.breaks, hi)]


def repeated_text(text: str) -> list[Proposal]:
    """Later copies of passages of MIN_REPEATED_TEXT+ characters (whitespace not counted) that repeat an earlier
    part of the text anywhere, whatever their line breaks, paragraphs and indentation: a report pasted twice or
    sixteen times, wrapped as the first or differently, with or without a header line before each copy; a long
    section pasted again; the parts of a second copy around a changed figure. One edit per maximal repeated run:
    a text repeated k times in a row (in any layouts) is one run of period p, and removing what follows its first
    period removes all other copies at once. What differs between copies (a header, the sentence of a changed
    figure) stays: a run is cut to start at a line start of both copies or after a sentence end, and to end so.

    A run within NEAR_COPY_GAP characters after a removed one, or before it, in both copies, continues the same
    copy and goes whatever its length (a second copy with a changed figure loses all but that figure's sentence,
    even when the figure is in its first MIN_REPEATED_TEXT characters).

    The text is compared with its whitespace removed. Positions at a clause mark are looked up by their ANCHOR
    characters (a later copy holds the same marks as the earlier, whatever the layout); in a stretch of UNMARKED+
    characters without one, positions at a sampled character; in a stretch without either, every position, every
    ANCHOR_STRIDE-th indexed. A run of MIN_REPEATED_TEXT characters holds an anchor of one of these kinds at the
    same place in both copies (the stretches too are the same in both). A match is extended both ways once per
    diagonal and the scan jumps over what it removes: linear in the text."""
    sv = _Squeezed(text)
    sq, n = sv.sq, len(sv.sq)
    first: dict[str, int] = {}      # ANCHOR characters -> the first indexed position they start
    run_end: dict[int, int] = {}    # diagonal j - i -> end (in j) of the last maximal match found on it
    out: list[Proposal] = []
    floor = 0                       # the squeezed text before it is removed or looked up
    copy_end = (-n, -n)             # where the last removed run ends, in the earlier copy and in the later

    def look_up(j: int, index: bool) -> None:
        nonlocal floor, copy_end
        key = sq[j:j + ANCHOR]
        if len(key) < ANCHOR:
            return
        i = first.get(key)
        if i is None:
            if index:
                first[key] = j
            return
        if run_end.get(j - i, -1) > j:
            return          # inside a maximal match found on the same diagonal
        half = (MIN_REPEATED_TEXT - ANCHOR + 1) // 2
        if half > 0 and j - copy_end[1] > NEAR_COPY_GAP + MIN_REPEATED_TEXT and i >= half and \
                j + ANCHOR + half <= n and sq[i - half:i] != sq[j - half:j] and \
                sq[i + ANCHOR:i + ANCHOR + half] != sq[j + ANCHOR:j + ANCHOR + half]:
            return          # too short to remove: a long enough match extends ``half`` characters one way
        back = _extend_back(sq, i, j, floor)
        a, b = i - back, j - back
        length = _extend(sq, a, b, ANCHOR + back)
        run_end[b - a] = b + length
        near = abs(a - copy_end[0]) <= NEAR_COPY_GAP and abs(b - copy_end[1]) <= NEAR_COPY_GAP
        if length < MIN_REPEATED_TEXT and not near:
            return
        span = _cut(sv, a, b, length)
        if span is not None and (near or span[1] - span[0] >= MIN_REPEATED_TEXT):
            out.append(_removal(sv, *span))
            before = (a, b)
            while not near and (run := _run_before(sq, *before, floor)) is not None:
                part = _cut(sv, *run)       # the part of the copy before a small difference
                if part is not None:
                    out.append(_removal(sv, *part))
                before = run[:2]
            floor, copy_end = span[1], (a + length, b + length)

    def scan(start: int, stop: int, level: int) -> None:
        """Look up the anchors of sq[start:stop] (from ``floor`` on): at a clause mark (level 0), at a sampled
        character in a stretch of UNMARKED+ characters without a mark (level 1), at every position in such a
        stretch without either (level 2: one indexed position and those up to the next, found at once)."""
        if level == 2:
            j = max(start, floor)
            while j < stop:
                look_up(j, j % ANCHOR_STRIDE == 0)
                end = min(stop, (j // ANCHOR_STRIDE + 1) * ANCHOR_STRIDE)
                for q in [q for q in range(j + 1, end)
                          if (i := first.get(sq[q:q + ANCHOR])) is not None and run_end.get(q - i, -1) <= q]:
                    if q >= floor:
                        look_up(q, False)
                j = max(end, floor)
            return
        if level == 1 and not sampled:
            sampled.append(_sampled_chars(sq))
        points = [m.start() for m in (ANCHOR_MARKS if level == 0 else sampled[0]).finditer(sq, start, stop)]
        points.append(stop)
        k = 0
        while k < len(points):
            p = points[k]
            after = points[k - 1] + 1 if k else start
            if p - after >= UNMARKED and p > floor:
                scan(after, p, level + 1)
            if floor <= p < stop:
                look_up(p, True)
            k = k + 1 if floor <= p + 1 else bisect.bisect_left(points, floor)

    sampled: list[re.Pattern] = []
    scan(0, n, 0)
    return out


def _sampled_chars(sq: str) -> re.Pattern:
    """The characters of the text one in SAMPLE of which is (by a hash of its code point): the same wherever
    they are, so a copy holds them where the earlier text does."""
    chars = sorted(c for c in set(sq) if (ord(c) * 2654435761) & 0xFFFFFFFF < 2 ** 32 // SAMPLE)
    return re.compile(f"[{''.join(map(re.escape, chars))}]" if chars else "(?!)")


def _extend_back(text: str, i: int, j: int, floor: int) -> int:
    """How far the match text[i:] == text[j:] (i < j) extends backwards, text[j - d:j] staying at ``floor`` or
    after."""
    d, limit, step = 0, min(i, j - floor), EXTEND_STEP
    while step:
        while d + step <= limit and text[i - d - step:i - d] == text[j - d - step:j - d]:
            d += step
        step //= 4
    return d


def _run_before(sq: str, a: int, b: int, floor: int) -> tuple[int, int, int] | None:
    """The maximal match (a2, b2, length) of the part of a copy before a small difference: it ends within
    NEAR_COPY_GAP characters before b, and its earlier copy within NEAR_COPY_GAP characters of a; b2 >= floor.
    (The ANCHOR characters ending at each of those positions, looked for around a.)"""
    for end in range(b, max(b - NEAR_COPY_GAP, floor + ANCHOR) - 1, -1):
        i = sq.rfind(sq[end - ANCHOR:end], max(a - NEAR_COPY_GAP - ANCHOR, 0), min(a + NEAR_COPY_GAP, end - 1))
        if i >= 0:
            back = _extend_back(sq, i, end - ANCHOR, floor)
            a2, b2 = i - back, end - ANCHOR - back
            return a2, b2, _extend(sq, a2, b2, ANCHOR + back)
    return None


def _cut(sv: _Squeezed, a: int, b: int, length: int) -> tuple[int, int] | None:
    """The part [start, end) of the later copy sq[b:b+length] (of sq[a:a+length]) to remove, in squeezed
    positions: it starts where the later copy starts a line or follows a sentence end, or where the earlier copy
    starts a line (the later one glued to the line before it), and inside the run only at a line start of both
    copies or after a sentence end; it ends likewise. None when nothing is left."""
    sq, hi = sv.sq, b + length
    if sv.is_break(b) or sv.is_break(a) or sq[b - 1] in SENTENCE_END:
        start = b
    else:
        m = SENTENCE_MARK.search(sq, b, hi)
        limit = m.end() if m else hi
        start = next((q for q in sv.breaks_in(b + 1, limit) if sv.is_break(a + q - b)), limit if m else None)
        if start is None:
            return None
    if sv.is_break(hi) or sv.is_break(a + length) or sq[hi - 1] in SENTENCE_END:
        end = hi
    else:
        last = max(sq.rfind(c, start, hi) for c in SENTENCE_END)
        limit = last + 1 if last >= 0 else start
        end = next((q for q in reversed(sv.breaks_in(limit + 1, hi)) if sv.is_break(a + q - b)),
                   limit if last >= 0 else None)
    if end is None or end <= start:
        return None
    return start, end


def _removal(sv: _Squeezed, start: int, end: int) -> Proposal:
    """The edit removing sq[start:end] from the text, leaving it well formed: a copy of whole lines goes with
    the blank lines before it and its last line break (the line before it keeps its own); a copy ending a line
    goes with the spaces before it; a copy between two parts of lines that held a line break leaves one."""
    text = sv.text
    s, e = sv.orig(start), sv.orig(end - 1) + 1
    gap_before, gap_after = text[sv.orig(start - 1) + 1:s], text[e:sv.orig(end) if end < len(sv.sq) else len(text)]
    rest = ""
    if sv.is_break(start) and sv.is_break(end):
        s -= len(gap_before) - gap_before.index("\n") - 1
        e += gap_after.index("\n") + 1 if "\n" in gap_after else 0
    elif sv.is_break(end):
        s -= len(gap_before)
    elif not sv.is_break(start) and "\n" in text[s:e]:
        rest = "\n"
    return Proposal(s, e, rest, "duplicated_sentence", "dup.text_repeated")


def _is_prose(line: str) -> bool:
    return not line.lstrip().startswith(("#", "**")) and bool(re.search("[，。；、]", line)) and len(line) >= 20


def _legit_double(text: str, i: int, n: int) -> bool:
    """Is text[i:i+2n] (a doubled unit) normal? A dictionary word, or (single characters) the end of one word
    followed by the start of another (常委会|会议)."""
    unit = text[i:i + n]
    freq = word_freqs().get     # the dictionary itself: up to 15 look-ups per doubled character
    if freq(unit * 2, 0) >= 1 or any(c in NUMERALS for c in unit):
        return True
    if n == 1:
        if text[i - 1:i] == "一":  # 一张张 一个个: classifier reduplication
            return True
        for a in range(0, 3):
            for b in range(0, 3):
                if i - a >= 0 and (a or b) and freq(text[i - a:i + 2 + b], 0) >= 1:
                    return True
        left = any(freq(text[i - k:i + 1], 0) >= 1 for k in (1, 2, 3) if i - k >= 0)
        right = any(freq(text[i + 1:i + 2 + k], 0) >= 1 for k in (1, 2, 3))
        return left and right
    return False


def _repeats_at_distance(codes: np.ndarray, n: int) -> bool:
    """Does some stretch of n characters repeat right after itself (codes[i:i+n] == codes[i+n:i+2n])? n vector
    comparisons, not a regex with a back-reference at every character: on c1000 no text doubles a unit of 3 or
    4 characters and one in eight one of 2, and each of those passes cost 0.1 s."""
    if len(codes) < 2 * n:
        return False
    same = np.concatenate(([0], np.cumsum(codes[:-n] == codes[n:])))
    return bool((same[n:] - same[:-n] == n).any())


def doubled_chars(text: str) -> list[Proposal]:
    """Doubled units in prose lines (bylines and headings hold names: 刘盼盼). Each line is judged once, however
    many doubled units it holds."""
    out = []
    newlines, prose = Marks(text, "\n"), {}
    removed: set[int] = set()   # characters of the units found (each match is checked against them)
    codes = code_points(text)
    for n in (4, 3, 2, 1):
        if n > 1 and not _repeats_at_distance(codes, n):
            continue    # no unit of n characters is doubled: its regex pass is skipped
        for m in re.finditer(f"([{CJK}]{{{n}}})\\1", text):
            i = m.start()
            if not removed.isdisjoint(range(i, m.end())):
                continue
            if n > 1 and word_freq(m.group(1)) < 1:
                continue  # only doubled words
            a = newlines.start_of(i, 0)
            if a not in prose:
                prose[a] = _is_prose(text[a:newlines.end_of(i, len(text))])
            if not prose[a]:
                continue
            if not _legit_double(text, i, n):
                out.append(Proposal(i + n, i + 2 * n, "", "duplicated_char", "dup.doubled_unit"))
                removed.update(range(i + n, i + 2 * n))
    return out


SHARED_RUN = 6        # characters: the shortest common run counted when comparing two sentences
SCAN_LIMIT = 2000     # below this length of ``earlier``, substring tests (`in`) beat building a set of its runs


def _differs_little(s: str, earlier: str) -> bool:
    """Is sentence ``s`` (MIN_PASSAGE+ characters), which shares a run of MIN_PASSAGE+ characters with ``earlier``,
    a copy of it that differs only in a word or two outside that run (组织/开展), never in a number (召开会议8次 /
    召开会议9次 are two facts)? The characters of ``s`` outside the runs of SHARED_RUN+ characters it shares with
    ``earlier`` ("loose") are at most max(2, len(s) // 10), and none is a digit or a numeral.

    Left to right, stopping at the first loose character too many: character a is covered when a run of
    SHARED_RUN characters starting at one of the SHARED_RUN positions up to a occurs in ``earlier``. A common run
    found is first extended as far as it goes (the runs starting inside it occur too), so a near-copy costs a few
    substring tests, not one per character (repeated_sentences on 400 documents of c1000: 0.56 s
    -> 0.40 s)."""
    n, limit, loose = SHARED_RUN, max(2, len(s) // 10), 0
    grams = {earlier[b:b + n] for b in range(len(earlier) - n + 1)} if len(earlier) > SCAN_LIMIT else None
    covered_to, a = 0, 0       # s[:covered_to] is covered as far as known; a: the next run to look up
    while a < len(s):
        if a + n <= len(s) and (s[a:a + n] in earlier if grams is None else s[a:a + n] in grams):
            length = n
            if grams is None:
                step = EXTEND_STEP
                while step:
                    while a + length + step <= len(s) and s[a:a + length + step] in earlier:
                        length += step
                    step //= 4
            covered_to = max(covered_to, a + length)
            a += length - n + 1     # the runs starting before that are inside s[a:a + length]
            continue
        if a >= covered_to:
            c = s[a]
            loose += 1
            if loose > limit or c.isdigit() or c in NUMERALS:
                return False
        a += 1
    return True


class _Earlier:
    """The earlier sentences of a section that a sentence of MIN_PASSAGE+ characters can repeat (the shorter
    ones never can), indexed by their runs of MIN_PASSAGE characters that occur again in the section
    (grams.repeated_starts). A repeat is an equal sentence or one sharing a run of MIN_PASSAGE characters, which
    starts at such a run in both sentences: the sentences sharing one of those runs with ``s`` are exactly the
    ones _differs_little is asked about. (Replaces an index of every tenth 10-gram, whose candidates had to be checked for a
    common run first; repeated_sentences on the 1,000 documents of c1000: 1.70 s -> 0.73 s, with _differs_little.)"""

    def __init__(self) -> None:
        self.sentences: list[str] = []
        self.exact: set[str] = set()
        self.by_run: dict[str, list[int]] = {}

    def add(self, s: str, starts: list[int]) -> None:
        """Index ``s`` by its runs starting at ``starts`` (offsets in ``s``)."""
        if s in self.exact:
            return          # a second copy of an indexed sentence adds no candidate
        self.exact.add(s)
        self.sentences.append(s)
        for a in starts:
            self.by_run.setdefault(s[a:a + MIN_PASSAGE], []).append(len(self.sentences) - 1)

    def repeats(self, s: str, starts: list[int]) -> bool:
        """Does ``s`` (its repeated runs starting at ``starts``) repeat an earlier sentence?"""
        if s in self.exact:
            return True
        cands = sorted({n for a in starts for n in self.by_run.get(s[a:a + MIN_PASSAGE], ())})
        return any(_differs_little(s, self.sentences[n]) for n in cands)


_SENTENCE = re.compile(f"[^{SENTENCE_END}]+[{SENTENCE_END}]*")


def repeated_sentences(text: str) -> list[Proposal]:
    """Sentences of MIN_PASSAGE+ characters repeating an earlier sentence of the same section (between two
    heading lines) on another line: the later copy is removed, a whole-paragraph copy with its line break."""
    from pipeline.text.sections import heading_in_line

    lines, pos = [], 0      # (offset, line, is a heading) of the lines that are not blank
    for line in text.split("\n"):
        if line.strip():
            lines.append((pos, line, heading_in_line(line) is not None or line.lstrip().startswith(("#", "**"))))
        pos += len(line) + 1
    # A sentence none of whose runs of MIN_PASSAGE characters occurs again in its section neither repeats an
    # earlier sentence nor is repeated by a later one (both need such a run): it is skipped.
    hot = repeated_starts(text, MIN_PASSAGE, [0] + [base for base, _, heading in lines if heading])
    out: list[Proposal] = []
    earlier = _Earlier()
    prev_end = 0
    for base, line, heading in lines:
        if heading:
            earlier, prev_end = _Earlier(), base + len(line)
            continue
        k = bisect.bisect_left(hot, base)
        if k == len(hot) or hot[k] >= base + len(line):
            prev_end = base + len(line)
            continue    # no repeated run starts in the line: none of its sentences is looked at
        found: list[tuple[int, int]] = []
        for m in _SENTENCE.finditer(line):
            s = m.group().strip()
            if len(s) < MIN_PASSAGE:
                continue    # never a repeat, and never repeated by a sentence of MIN_PASSAGE+ characters
            a = base + m.start() + len(m.group()) - len(m.group().lstrip())
            starts = [p - a for p in hot[bisect.bisect_left(hot, a):bisect.bisect_right(hot, a + len(s) - MIN_PASSAGE)]]
            if not starts:
                continue
            if earlier.repeats(s, starts):
                found.append((base + m.start(), base + m.end()))
            else:
                earlier.add(s, starts)
        if found and found[0][0] == base + len(line) - len(line.lstrip()) and found[-1][1] >= base + len(line.rstrip()):
            if len(found) == sum(1 for _ in _SENTENCE.finditer(line.strip())):
                found = [(prev_end, base + len(line))]       # the whole paragraph is a copy
        out += [Proposal(a, b, "", "duplicated_sentence", "dup.sentence_repeated") for a, b in found]
        prev_end = base + len(line)
    return out
