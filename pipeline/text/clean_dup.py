"""Duplicated text: a run of whole lines (500+ characters) repeating an earlier part of the text anywhere (a report
pasted twice or more, a section pasted again), a passage of 20+ characters repeated immediately or within the same
paragraph, or a sentence of 20+ characters repeating an earlier one of the same section (the later copy is
removed), and doubled characters/words (巩固巩固, 群群) that are not words of the dictionary.
"""
from __future__ import annotations

import re

from pipeline.text.clean_lex import CJK, word_freq
from pipeline.text.clean_log import Proposal
from pipeline.text.marks import Marks

MIN_PASSAGE = 20
# a doubled form that is a word of jieba's dictionary (常常, 人人, 环环相扣, 实实在在) is kept
CLAUSE_END = "，、。；：！？"
SENTENCE_END = "。！？"
NUMERALS = "一二三四五六七八九十百千万亿零两"


def _paragraphs(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


EXTEND_STEP = 64   # characters compared at once when extending a match (slice equality runs in C)


def _extend(par: str, i: int, j: int, length: int) -> int:
    """Length of the maximal forward match par[i:] == par[j:] (i < j), knowing it is at least ``length``."""
    n = len(par)
    while j + length + EXTEND_STEP <= n and par[i + length:i + length + EXTEND_STEP] == \
            par[j + length:j + length + EXTEND_STEP]:
        length += EXTEND_STEP
    while j + length < n and par[i + length] == par[j + length]:
        length += 1
    return length


def duplicated_passage(text: str) -> Proposal | None:
    """The first removable repeat in the text (call again after applying it).

    Linear in the paragraph's length on prose: a match is extended once per diagonal (j - i) and reused for the
    following positions of the same run, punctuation is looked up by bisection."""
    for base, par in _paragraphs(text):
        if len(par) < 2 * MIN_PASSAGE:
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


MIN_REPEATED_LINES = 500   # characters: the shortest run of whole lines whose later copy repeated_lines removes
LINE_GRAM = 16             # characters from a line start that index the line


def repeated_lines(text: str) -> list[Proposal]:
    """Later copies of runs of whole lines (two or more lines, MIN_REPEATED_LINES+ characters) that repeat an
    earlier part of the text, anywhere in it: a report pasted twice or sixteen times, with or without a different
    header line before each copy; a long section pasted again. Each later copy is removed (one edit per copy): a
    text repeated k times in a row is one run of period p, and removing what follows its first period removes all
    other copies at once, whatever k is. The lines that differ between copies (a header, a changed figure) stay.

    Lines are indexed by their first LINE_GRAM characters: a run of two or more lines repeats an earlier one only
    if a line starting inside it starts the same way as an earlier line, so only line starts are looked up; a
    match is extended once per diagonal (as duplicated_passage does) and the scan jumps over what it removes:
    linear in the text (on a text that is one long line, nothing to look up)."""
    out: list[Proposal] = []
    first: dict[str, int] = {}      # LINE_GRAM characters at a line start -> the first line start they begin
    run_end: dict[int, int] = {}    # diagonal j - i -> end (in j) of the last maximal match found on it
    floor, j, n = 0, 0, len(text)
    while j + LINE_GRAM <= n:
        key = text[j:j + LINE_GRAM]
        i = first.setdefault(key, j)
        if i < j and run_end.get(j - i, -1) <= j:
            back = _extend_back(text, i, j, floor)
            a, b = i - back, j - back
            length = _extend(text, a, b, LINE_GRAM + back)
            run_end[b - a] = b + length
            span = _whole_lines(text, a, b, length)
            if span is not None:
                out.append(Proposal(span[0], span[1], "", "duplicated_sentence", "dup.text_repeated"))
                floor = span[1]
        j = text.find("\n", max(j, floor - 1)) + 1   # the next line start (after what was removed)
        if j == 0:
            break
    return out


def _extend_back(text: str, i: int, j: int, floor: int) -> int:
    """How far the match text[i:] == text[j:] (i < j) extends backwards, text[j - d:j] staying at ``floor`` or
    after."""
    d, limit = 0, min(i, j - floor)
    while d + EXTEND_STEP <= limit and text[i - d - EXTEND_STEP:i - d] == text[j - d - EXTEND_STEP:j - d]:
        d += EXTEND_STEP
    while d < limit and text[i - d - 1] == text[j - d - 1]:
        d += 1
    return d


def _whole_lines(text: str, i: int, j: int, length: int) -> tuple[int, int] | None:
    """The part of the later copy text[j:j+length] (of text[i:i+length]) to remove: from a line start (where the
    earlier copy starts a line and the later one is glued to the line before it, from j) to a line end, when it
    holds two lines or more and MIN_REPEATED_LINES characters; else None."""
    start = j
    if not (j == 0 or text[j - 1] == "\n" or i == 0 or text[i - 1] == "\n"):
        start = text.find("\n", j, j + length) + 1
        if start == 0:
            return None
    end = j + length
    if not (end == len(text) or text[end] == "\n" or i + length == len(text) or text[i + length] == "\n"):
        end = text.rfind("\n", start, end) + 1
    if end - start < MIN_REPEATED_LINES or text.find("\n", start, end - 1) < 0:
        return None
    return start, end


def _is_prose(line: str) -> bool:
    return not line.lstrip().startswith(("#", "**")) and bool(re.search("[，。；、]", line)) and len(line) >= 20


def _legit_double(text: str, i: int, n: int) -> bool:
    """Is text[i:i+2n] (a doubled unit) normal? A dictionary word, or (single characters) the end of one word
    followed by the start of another (常委会|会议)."""
    unit = text[i:i + n]
    if word_freq(unit * 2) >= 1 or any(c in NUMERALS for c in unit):
        return True
    if n == 1:
        if text[i - 1:i] == "一":  # 一张张 一个个: classifier reduplication
            return True
        for a in range(0, 3):
            for b in range(0, 3):
                if i - a >= 0 and (a or b) and word_freq(text[i - a:i + 2 + b]) >= 1:
                    return True
        left = any(word_freq(text[i - k:i + 1]) >= 1 for k in (1, 2, 3) if i - k >= 0)
        right = any(word_freq(text[i + 1:i + 2 + k]) >= 1 for k in (1, 2, 3))
        return left and right
    return False


def doubled_chars(text: str) -> list[Proposal]:
    """Doubled units in prose lines (bylines and headings hold names: 刘盼盼). Each line is judged once, however
    many doubled units it holds."""
    out = []
    newlines, prose = Marks(text, "\n"), {}
    removed: set[int] = set()   # characters of the units found (each match is checked against them)
    for n in (4, 3, 2, 1):
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


def _runs_in(s: str, earlier: str, n: int) -> list[bool]:
    """For each start a of ``s``: does s[a:a+n] occur in ``earlier``? (empty when len(s) < n)"""
    starts = range(len(s) - n + 1)
    if len(earlier) <= SCAN_LIMIT:
        return [s[a:a + n] in earlier for a in starts]
    grams = {earlier[b:b + n] for b in range(len(earlier) - n + 1)}
    return [s[a:a + n] in grams for a in starts]


def _covered(s: str, earlier: str) -> list[bool]:
    """Which characters of ``s`` lie in a run of SHARED_RUN+ characters that also occurs in ``earlier``."""
    cov = [False] * len(s)
    for a, hit in enumerate(_runs_in(s, earlier, SHARED_RUN)):
        if hit:
            cov[a:a + SHARED_RUN] = [True] * SHARED_RUN
    return cov


def _shares_run(s: str, earlier: str, n: int) -> bool:
    """Do ``s`` and ``earlier`` have a common run of ``n``+ characters? (linear: a set of n-grams when long)"""
    if len(s) < n or len(earlier) < n:
        return False
    if len(earlier) <= SCAN_LIMIT:
        return any(s[a:a + n] in earlier for a in range(len(s) - n + 1))
    grams = {earlier[b:b + n] for b in range(len(earlier) - n + 1)}
    return any(s[a:a + n] in grams for a in range(len(s) - n + 1))


def is_repeat(s: str, earlier: str) -> bool:
    """Is sentence ``s`` (MIN_PASSAGE+ characters) a copy of ``earlier``: the same sentence, or one that shares a
    run of MIN_PASSAGE+ characters with it and differs only in a word or two outside it (组织/开展), never in a
    number (召开会议8次 / 召开会议9次 are two facts)."""
    if len(s) < MIN_PASSAGE:
        return False
    if s == earlier:
        return True
    if not _shares_run(s, earlier, MIN_PASSAGE):
        return False
    loose = [c for c, ok in zip(s, _covered(s, earlier)) if not ok]
    return len(loose) <= max(2, len(s) // 10) and not any(c.isdigit() or c in NUMERALS for c in loose)


# Candidates for is_repeat: an earlier sentence is indexed by its KGRAM-grams at every KGRAM-th position. A common
# run of MIN_PASSAGE = 2 * KGRAM characters holds one of them (its first MIN_PASSAGE - KGRAM + 1 = KGRAM + 1 starts
# hold a multiple of KGRAM), so a sentence can repeat only the earlier sentences one of whose indexed grams it
# contains (is_repeat needs equality or such a run), and is_repeat checks each. (Replaces minimizers of 10-grams
# over windows of 11, which gave the same result; repeated_sentences on c200: 30 % faster.)
KGRAM = MIN_PASSAGE // 2


class _Earlier:
    """The earlier sentences of a section that a sentence of MIN_PASSAGE+ characters can repeat (the shorter
    ones never can), indexed by sampled grams."""

    def __init__(self) -> None:
        self.sentences: list[str] = []
        self.exact: set[str] = set()
        self.by_gram: dict[str, list[int]] = {}

    def add(self, s: str) -> None:
        if len(s) < MIN_PASSAGE or s in self.exact:
            return          # a second copy of an indexed sentence adds no candidate
        self.exact.add(s)
        self.sentences.append(s)
        for a in range(0, len(s) - KGRAM + 1, KGRAM):
            self.by_gram.setdefault(s[a:a + KGRAM], []).append(len(self.sentences) - 1)

    def repeats(self, s: str) -> bool:
        """Does ``s`` repeat an earlier sentence?"""
        if s in self.exact:
            return True
        if not self.by_gram:
            return False
        grams = {s[a:a + KGRAM] for a in range(len(s) - KGRAM + 1)}
        cands = sorted({n for g in grams & self.by_gram.keys() for n in self.by_gram[g]})
        return any(is_repeat(s, self.sentences[n]) for n in cands)


def repeated_sentences(text: str) -> list[Proposal]:
    """Sentences of MIN_PASSAGE+ characters repeating an earlier sentence of the same section (between two
    heading lines) on another line: the later copy is removed, a whole-paragraph copy with its line break."""
    from pipeline.text.sections import heading_in_line

    out: list[Proposal] = []
    earlier = _Earlier()
    pos, prev_end = 0, 0
    for line in text.split("\n"):
        base, pos = pos, pos + len(line) + 1
        if not line.strip():
            continue
        if heading_in_line(line) is not None or line.lstrip().startswith(("#", "**")):
            earlier, prev_end = _Earlier(), base + len(line)
            continue
        found: list[tuple[int, int]] = []
        for m in re.finditer(f"[^{SENTENCE_END}]+[{SENTENCE_END}]*", line):
            s = m.group().strip()
            if len(s) < MIN_PASSAGE:
                continue    # never a repeat, and never repeated by a sentence of MIN_PASSAGE+ characters
            if earlier.repeats(s):
                found.append((base + m.start(), base + m.end()))
            else:
                earlier.add(s)
        if found and found[0][0] == base + len(line) - len(line.lstrip()) and found[-1][1] >= base + len(line.rstrip()):
            if len(found) == sum(1 for _ in re.finditer(f"[^{SENTENCE_END}]+[{SENTENCE_END}]*", line.strip())):
                found = [(prev_end, base + len(line))]       # the whole paragraph is a copy
        out += [Proposal(a, b, "", "duplicated_sentence", "dup.sentence_repeated") for a, b in found]
        prev_end = base + len(line)
    return out
