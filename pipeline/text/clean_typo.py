"""Suspected typos, FLAGGED only (text unchanged, suggestion in ``after``): near-misses of fixed phrases
(pipeline/vocab/text_phrases.toml), transposed characters (题议 for 议题), a long name spelled two ways, the
numeral 一 standing for a dash in a quoted chain of words (“研发一中试一制造一应用”), a list that does not add up
to the count closing it (a ， for 、, a title without 《》), a conjunction before a head noun that needs a
modifier (管理和情况综合报告) and a stray character where two nouns overlap (调度量).

Measured on the seeds, the audit documents and tests/fixtures: seed 000 gives 7 flags, one on each of its 7
gold typos (网络化 for 网格化 is found by two_spellings); seed 001 gives 3 (南北水调, 南北调水,
人民当家作新), all real; the fixtures give none. No rule rewrites the text: every one only suggests.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache

import numpy as np

from pipeline.text.clean_lex import CJK, is_cjk, pos_tags, segment, word_freq
from pipeline.text.codepoints import cjk_mask, code_points
from pipeline.text.enumerations import counted_lists
from pipeline.vocab import alternation, load

Flag = tuple[int, int, str, str, float]  # start, end, suggestion, rule, confidence
# a swapped pair is suspected when the swap is at least this frequent a word (议题 523)
SWAP_MIN_FREQ = 300
NUMERAL_CHARS = "零一二三四五六七八九十百千万两第"
# characters this frequent alone are function/common words that legitimately stand next to anything (上 走 在)
FUNCTION_CHAR_FREQ = 20000
# a three-character word this frequent (规范性 140) is suspected when two of its characters appear swapped
TRIPLE_MIN_FREQ = 100
# a one-character noun forms a word with the end of the word before it this often (度量 237) to be suspect
OVERLAP_MIN_FREQ = 100


@cache
def _phrases() -> tuple[str, ...]:
    return tuple(sorted(set(load("text_phrases")["phrases"]["set"]), key=len, reverse=True))


@cache
def _abbreviations() -> tuple[str, ...]:
    return tuple(load("text_phrases")["abbreviations"]["words"])


def _in_abbreviation(text: str, pos: int) -> bool:
    """Does the character at ``pos`` belong to a standard abbreviation written there (人大 in 人大代表)?"""
    for a in _abbreviations():
        for k in range(len(a)):
            if text.startswith(a, pos - k):
                return True
    return False


@cache
def _any_phrase() -> re.Pattern:
    return re.compile(alternation(_phrases()))


def _phrase_cover(text: str) -> list[bool]:
    """For each character: whether it lies inside a correctly written fixed phrase of the text."""
    cover = [False] * len(text)
    if not _any_phrase().search(text):
        return cover   # no phrase there (most runs): one regex search, not a test per phrase
    for p in _phrases():
        if p in text:   # most phrases are not there: one substring test before the regex scan
            for m in re.finditer(re.escape(p), text):
                cover[m.start():m.end()] = [True] * len(p)
    return cover


@cache
def _readings(ch: str) -> frozenset[str]:
    """Toneless pinyin readings of a character (pypinyin, every reading of a heteronym)."""
    from pypinyin import Style, pinyin

    return frozenset(pinyin(ch, style=Style.NORMAL, heteronym=True)[0])


def _homophones(a: str, b: str) -> bool:
    return a != b and is_cjk(a) and is_cjk(b) and bool(_readings(a) & _readings(b))


@cache
def _anchors() -> tuple[re.Pattern, dict[str, tuple[tuple[str, int], ...]]]:
    """phrase_near_miss's anchors: the first and last characters of the fixed phrases of four or more characters,
    as one character class, and {character: (phrase, offset of the character in a window of that phrase), ...}."""
    index: dict[str, list[tuple[str, int]]] = {}
    for p in _phrases():
        if len(p) >= 4:
            for anchor, shift in ((p[0], 0), (p[-1], len(p) - 1)):
                index.setdefault(anchor, []).append((p, shift))
    return re.compile(f"[{re.escape(''.join(sorted(index)))}]"), {c: tuple(v) for c, v in index.items()}


@cache
def _may_miss(p: str) -> re.Pattern:
    """A necessary condition, as a regex matched at a window's start, for the window being a near-miss of the
    fixed phrase ``p``: it differs from ``p`` in at most one character, or it is made of the phrase's characters
    only (a permutation). Matching it first (in C) leaves ≈1 window in 50 for the per-character tests
    (phrase_near_miss on c200: ≈2.8 s → 0.6 s, same flags)."""
    one_off = [re.escape(p[:k]) + "." + re.escape(p[k + 1:]) for k in range(len(p))]
    return re.compile("(?s:" + "|".join(one_off) + f"|[{re.escape(p)}]{{{len(p)}}})")


def phrase_near_miss(run: str, cover: list[bool]) -> list[Flag]:
    """In one run of CJK characters (a near-miss is made of them: it lies in one run), a window that permutes the
    characters of a fixed phrase (南北水调), or differs from it in one character that sounds the same (与时具进,
    有错必究: the usual input-method slip) or, in phrases of five or more, in one non-initial character
    (人民当家作新). A window is looked at when it starts with the phrase's first character or ends with its last.
    Not a near-miss: a window that is itself a dictionary word, or that is wholly made of correctly written fixed
    phrases standing side by side (民主立法|依法立法 holds 立法依法); ``cover``: ``_phrase_cover(run)``."""
    anchor_re, anchors = _anchors()
    windows = set()
    for m in anchor_re.finditer(run):
        pos = m.start()
        for p, shift in anchors[m.group()]:
            s = pos - shift
            if 0 <= s <= len(run) - len(p):
                windows.add((p, s))
    out = []
    for p, s in windows:
        n = len(p)
        if not _may_miss(p).match(run, s):
            continue
        w = run[s:s + n]
        if w == p or all(cover[s:s + n]) or word_freq(w):
            continue
        diff = [k for k in range(n) if w[k] != p[k]]
        if sorted(w) == sorted(p) and len(diff) <= 3:
            out.append((s, s + n, p, "typo.phrase_transposed", 0.7))
        elif len(diff) == 1 and _homophones(w[diff[0]], p[diff[0]]):
            out.append((s, s + n, p, "typo.phrase_homophone", 0.6))   # 与时具进: an input-method slip
        elif len(diff) == 1 and n >= 5 and 0 < diff[0] and word_freq(w) < 1:
            out.append((s, s + n, p, "typo.phrase_one_char", 0.5))
    return out


def transposed_pairs(run: str, toks: tuple[str, ...]) -> list[tuple[int, str, str]]:
    """In one run of CJK characters segmented as ``toks`` (jieba), two adjacent one-character tokens that form no
    word, whose swap is a common word (重点|题|议|进站 → 议题); common function characters (上, 在, 走 …) are
    skipped. Candidates (start in the run, a, b): ``typo_flags`` spares those a fixed phrase holding both
    characters stands around, in the whole text."""
    out = []
    pos = 0
    for k in range(len(toks) - 1):
        a, b = toks[k], toks[k + 1]
        if len(a) == 1 and len(b) == 1 and a != b and not word_freq(a + b) \
                and word_freq(b + a) >= SWAP_MIN_FREQ and max(word_freq(a), word_freq(b)) < FUNCTION_CHAR_FREQ:
            out.append((pos, a, b))
        pos += len(a)
    return out


def _near_phrase(text: str, s: int, a: str, b: str) -> bool:
    """Does a fixed phrase holding both ``a`` and ``b`` stand around text[s:s + 2]?"""
    return any(p in text[max(0, s - len(p)):s + len(p) + 2] for p in _phrases() if a in p and b in p)


def transposed_in_word(run: str, toks: tuple[str, ...]) -> list[Flag]:
    """In one run of CJK characters segmented as ``toks``: three characters that are no word, two of them
    adjacent one-character tokens (jieba), whose swap makes a word of at least TRIPLE_MIN_FREQ (规性范文件 →
    规范性). Measured on the seeds, the fixtures and the audit documents: one hit, a real typo."""
    out = []
    singles, pos = set(), 0
    for t in toks:
        if len(t) == 1:
            singles.add(pos)
        pos += len(t)
    pairs = {a for a in singles if a + 1 in singles}   # a, a + 1: two adjacent one-character tokens
    # only windows holding such a pair can be hit: the others are not looked up (c200: ≈2.4 s → 0.6 s)
    for i in sorted({i for a in pairs for i in (a - 1, a) if 0 <= i < len(run) - 2}):
        w = run[i:i + 3]
        if word_freq(w) or any(c in NUMERAL_CHARS for c in w):
            continue
        for a, swapped in ((i + 1, w[0] + w[2] + w[1]), (i, w[1] + w[0] + w[2])):
            if a in pairs and word_freq(swapped) >= TRIPLE_MIN_FREQ:
                out.append((i, i + 3, swapped, "typo.transposed_in_word", 0.5))
                break
    return out


@cache
def _instrument_suffixes() -> tuple[str, ...]:
    return tuple(load("laws")["instruments"])


@cache
def _instrument_suffix_cjk() -> re.Pattern:
    """The instrument suffixes made of CJK characters (the only ones a run can hold), longest first."""
    suffixes = [x for x in _instrument_suffixes() if re.fullmatch(f"[{CJK}]+", x)]
    return re.compile(alternation(suffixes) if suffixes else "(?!)")


def _suffix_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the longest suffix at every start where one begins: the matches of one scan, and the
    starts inside each match looked at again (宪法典: 宪法, then 法典 from inside it; a lookahead at every
    character instead: 3.5x slower on c1000)."""
    pattern, out = _instrument_suffix_cjk(), []
    for m in pattern.finditer(text):
        a, b = m.span()
        out.append((a, b))
        for p in range(a + 1, b):
            if inner := pattern.match(text, p):
                out.append((p, inner.end()))
    return out


def _name_runs(text: str, n: int) -> list[tuple[int, int]]:
    """(start, k) for each run of n+ CJK characters in which an instrument suffix ends at offset last >= n: the
    k = last - n + 1 windows of n characters starting before that (the last suffix of the run) may hold a name.

    The suffixes are found in the whole text, each run's last one by numpy (a run is found from the CJK
    characters around a suffix), not run by run in Python: c1000 has 311,000 runs of 8+ characters, about
    100,000 with a suffix (two_spellings on c1000 with the windows below: 0.50 s -> 0.43 s)."""
    found = _suffix_spans(text)
    if not found:
        return []
    codes = code_points(text)
    other = ~cjk_mask(codes)
    at = np.arange(len(codes))
    run_start = np.maximum.accumulate(np.where(other, at + 1, 0))              # after the last non-CJK one
    run_end = np.minimum.accumulate(np.where(other, at, len(codes))[::-1])[::-1]  # the next non-CJK one
    starts, ends = np.array(found).T
    first = run_start[starts]
    last = ends - first
    keep = (run_end[starts] - first >= n) & (last - n + 1 > 0)
    if not keep.any():
        return []
    first, last = first[keep], last[keep]
    by_run: dict[int, int] = {}
    for a, b in zip(first.tolist(), last.tolist()):
        by_run[a] = max(b, by_run.get(a, 0))
    return [(a, b - n + 1) for a, b in by_run.items()]


def shared_end_windows(text: str, spans: list[tuple[int, int]], n: int) -> list[int]:
    """The starts p (ascending) of the windows text[p:p+n], p in the ranges ``spans`` ((first, how many),
    disjoint), whose first two and last two characters are those of another window that differs from it.

    Exact and at once (numpy): the windows' characters are the sort keys (ends first, then the middle), so a
    group of equal ends holds two different windows exactly when two neighbours in it differ in the middle."""
    if not spans:
        return []
    codes = code_points(text)
    firsts, counts = np.array(spans, dtype=np.int64).T
    starts = np.repeat(firsts - (np.cumsum(counts) - counts), counts) + np.arange(counts.sum())
    ends = [codes[starts + i] for i in (0, 1, n - 2, n - 1)]
    middle = [codes[starts + i] for i in range(2, n - 2)]
    order = np.lexsort(middle[::-1] + ends[::-1])   # the last key sorts first: ends, then the middle
    same_ends = np.logical_and.reduce([c[order][1:] == c[order][:-1] for c in ends])
    differ = np.logical_or.reduce([c[order][1:] != c[order][:-1] for c in middle])
    group = np.concatenate(([0], np.cumsum(~same_ends)))
    shared = np.isin(group, group[1:][same_ends & differ])
    return np.sort(starts[order][shared]).tolist()


def two_spellings(text: str) -> list[Flag]:
    """A name of 8+ characters written twice with one character different: the rarer spelling is flagged (not
    when it is a standard abbreviation of vocabulary ``text_phrases`` [abbreviations], 人大 beside 人民).

    A name is a stretch of characters ending in an instrument suffix (…网格化服务管理条例一审; vocabulary
    ``laws``): free text varies legitimately (奋力谱写/奋力书写). The reference spelling is the more frequent one
    in the whole document, counted on the three characters around the difference; on a tie, the first written,
    unless both spellings stand in one sentence: two titles listed together that differ by one word
    (《…市级预算的决议》《…市级决算的决议》) are two names. Both restrictions were added after a blind audit
    measured those two false hits."""
    out = []
    n = 8
    spans = _name_runs(text, n)
    # two windows that differ at one hole (2 .. n - 3) agree on their first two and last two characters: only
    # windows that share those with another, different window are indexed by hole, in the same order
    # (shared_end_windows); and a key is counted only when its windows differ (a name written several times
    # the same way is the common case). two_spellings on the 1,000 documents of c1000: 1.09 s -> 0.55 s with
    # the windows compared as Python strings, -> 0.40 s with numpy and _name_runs.
    index: dict[tuple[str, str], list[int]] = {}
    for start in shared_end_windows(text, spans, n):
        w = text[start:start + n]
        for hole in range(2, n - 2):
            index.setdefault((w[:hole], w[hole + 1:]), []).append(start)
    done = set()
    for (pre, _post), starts in index.items():
        if len(starts) < 2:   # tested before counting the variants: most names are written once
            continue
        hole = len(pre)
        if len({text[s + hole] for s in starts}) != 2:
            continue
        variants = Counter(text[s + hole] for s in starts)
        if len(variants) != 2 or any(c in NUMERAL_CHARS or c.isdigit() for c in variants):
            continue
        s0 = starts[0] + hole
        around = {c: text.count(text[s0 - 1] + c + text[s0 + 1]) for c in variants}
        (ref, n_ref), (odd_c, n_odd) = sorted(around.items(), key=lambda x: -x[1])
        if n_ref == n_odd:   # one each: the first written is the reference, unless both stand in one sentence
            first, last = min(starts), max(starts)
            if not re.search("[。；！？\n]", text[first:last]):
                continue
            ref = text[first + hole]
            odd_c = next(c for c in variants if c != ref)
        for s in (s for s in starts if text[s + hole] == odd_c):
            pos = s + hole
            if pos in done or _in_abbreviation(text, pos):
                continue
            done.add(pos)
            word = text[pos - 2:pos + 1]
            out.append((pos - 2, pos + 1, word[:2] + ref if len(word) == 3 else ref, "typo.two_spellings", 0.4))
    return out


def numeral_as_dash(text: str) -> list[Flag]:
    """A quotation that is wholly a chain of three or more dictionary words (2–4 characters each) joined by 一
    (“研发一中试一制造一应用”): the 一 stands for a dash —, a common input/OCR confusion. The whole chain must not
    itself be a dictionary word."""
    out = []
    for m in re.finditer(f"“([{CJK}]{{2,4}}(?:一[{CJK}]{{2,4}}){{2,}})”", text):
        parts = m.group(1).split("一")
        if len(parts) >= 3 and all(word_freq(p) >= 10 for p in parts) and not word_freq(m.group(1)):
            out.append((m.start(1), m.end(1), "—".join(parts), "typo.numeral_as_dash", 0.6))
    return out


@cache
def _dangling() -> re.Pattern:
    d = load("text_phrases")["dangling"]
    return re.compile(f"(?<=[{CJK}])({alternation(d['conjunctions'])})"
                      f"(?=({alternation(d['heads'])})(?:{alternation(d['report_words'])}))")


def dangling_conjunction(text: str) -> list[Flag]:
    """A conjunction right before a head noun that needs a modifier, in a report title
    (国有资产管理和情况综合报告 → 管理情况综合报告): vocabulary ``text_phrases`` [dangling]."""
    out = []
    for m in _dangling().finditer(text):
        s = m.start()
        while s > m.start() - 2 and is_cjk(text[s - 1:s]):   # the word it hangs on, for the reader
            s -= 1
        e = m.end() + len(m.group(2))
        out.append((s, e, text[s:m.start()] + m.group(2), "typo.dangling_conjunction", 0.4))
    return out


def overlapping_words(run: str, toks: tuple[str, ...], cover: list[bool]) -> list[Flag]:
    """In one run of CJK characters segmented as ``toks``: a stray character where two nouns overlap: AB + C
    segmented, C a one-character noun, BC a noun of the dictionary (frequency >= OVERLAP_MIN_FREQ) and ABC no word
    (统一调度量 → 调度|量, but 度量 is the word: one of 调/量 is stray; the suggestion drops the first). Numerals are
    never involved (二十届). Measured on the seeds, the audit documents and tests/fixtures (≈60k characters): one
    hit, the gold typo 调度量; with C any part of speech, 人民选我 (a verb) was hit too."""
    out = []
    pos = pos_tags()
    k0 = 0
    for k in range(1, len(toks)):
        ab, c = toks[k - 1], toks[k]
        k0 += len(ab)
        if len(ab) != 2 or len(c) != 1 or any(ch in NUMERAL_CHARS for ch in ab + c):
            continue
        bc = ab[1] + c
        if pos.get(c) != "n" or pos.get(bc) != "n" or word_freq(bc) < OVERLAP_MIN_FREQ \
                or word_freq(c) >= FUNCTION_CHAR_FREQ or word_freq(ab + c):
            continue
        s = k0 - 2
        if not any(cover[s:s + 3]):   # 选举工作风清气正: the 风 belongs to a fixed phrase
            out.append((s, s + 3, bc, "typo.overlapping_words", 0.3))
    return out


_SHARED_HEAD = re.compile(f"([{CJK}]{{2,3}})，([{CJK}]{{1,6}}?)\\1、([{CJK}]{{1,6}}?)\\1")


def comma_in_shared_list(text: str) -> list[Flag]:
    """A ， inside a list whose items share their last word (海洋经济，数字经济、民营经济): the ， is suggested as
    、. Measured on the seeds, the fixtures and the audit documents: one hit, a real slip."""
    out = []
    for m in _SHARED_HEAD.finditer(text):
        s = max(0, m.start(1) - len(m.group(2)))
        e = m.end(1) + 1 + len(m.group(2)) + len(m.group(1))
        out.append((s, e, text[s:m.end(1)] + "、" + text[m.end(1) + 1:e], "typo.comma_in_list", 0.4))
    return out


@cache
def _stray_particle() -> re.Pattern:
    b = load("text_phrases")["bound_complements"]
    return re.compile(f"(?<=[{CJK}])({alternation(b['particles'])})(?=({alternation(b['words'])}))")


def stray_particle(text: str) -> list[Flag]:
    """An aspect particle between a verb and a complement bound to it (办理了完毕 → 办理完毕); vocabulary
    ``text_phrases`` [bound_complements]."""
    out = []
    for m in _stray_particle().finditer(text):
        s = max(m.start() - 2, 0)
        e = m.end() + len(m.group(2))
        out.append((s, e, text[s:m.start()] + m.group(2), "typo.stray_particle", 0.5))
    return out


def count_mismatch(text: str) -> list[Flag]:
    """A list whose items do not add up to the count that closes it (enumerations.py):
    - one 《》 title short, with untitled words between the last title and the count
      (《A》从“B”到“C”两件作品): the words are suggested inside 《》;
    - one item short, with a short clause before a ， that would make it up (聚焦A，B、C、D四大重点): the ，
      is suggested as 、 (the flagged span runs from that clause to the first item, so a reader sees both)."""
    out = []
    for c in counted_lists(text):
        if c.titles and c.untitled and c.titles + 1 == c.value:
            s, e = c.untitled
            if "《" not in text[s:e] and "》" not in text[s:e]:
                out.append((s, e, f"《{text[s:e]}》", "typo.title_without_marks", 0.4))
        elif c.comma_item and len(c.items) + 1 == c.value:
            s, e = c.comma_item[0], c.items[0][1]
            fixed = text[s:c.comma_item[1]] + "、" + text[c.items[0][0]:e]
            out.append((s, e, fixed, "typo.comma_for_enumeration_comma", 0.4))
    return out


_RUN = re.compile(f"[{CJK}]{{2,}}")
RUN_CACHE = 1 << 16   # runs whose flags are kept: a run of CJK characters recurs within and across reports


@lru_cache(maxsize=RUN_CACHE)
def _run_flags(run: str) -> tuple[tuple[Flag, ...], tuple[tuple[int, str, str], ...]] | None:
    """The flags of the rules that look inside one run of CJK characters only, at offsets in the run, and the
    transposed-pair candidates (their last test looks around the run); None when there are neither. A function
    of the run alone, so computed once per distinct run: the fixed phrases and dictionary words these rules test
    are all CJK, so the same run gives the same flags wherever it stands (c1000: 440,000 runs, 24,000 distinct)."""
    toks = segment(run)
    flags: list[Flag] = []
    if len(run) >= 3:
        cover = _phrase_cover(run)
        flags = phrase_near_miss(run, cover) + transposed_in_word(run, toks) + overlapping_words(run, toks, cover)
    pairs = transposed_pairs(run, toks)
    return (tuple(flags), tuple(pairs)) if flags or pairs else None


def typo_flags(text: str) -> list[Flag]:
    """Every rule's flags, sorted; of flags that overlap, the first."""
    flags: list[Flag] = []
    found = list(map(_run_flags, _RUN.findall(text)))   # the runs' flags, looked up without a Python step each
    if any(found):
        for m, in_run in zip(_RUN.finditer(text), found):
            if in_run is None:
                continue
            base = m.start()
            flags += [(base + s, base + e, suggestion, rule, conf) for s, e, suggestion, rule, conf in in_run[0]]
            flags += [(base + s, base + s + 2, b + a, "typo.transposed_pair", 0.5) for s, a, b in in_run[1]
                      if not _near_phrase(text, base + s, a, b)]
    flags += (two_spellings(text) + numeral_as_dash(text) + count_mismatch(text) + comma_in_shared_list(text)
              + dangling_conjunction(text) + stray_particle(text))
    flags.sort()
    out, end = [], -1
    for f in flags:
        if f[0] >= end:
            out.append(f)
            end = f[1]
    return out
