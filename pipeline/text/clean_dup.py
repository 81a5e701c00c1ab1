"""Duplicated text: a passage of 20+ characters repeated immediately or within the same paragraph, or a sentence
of 20+ characters repeating an earlier one of the same section (the later copy is removed), and doubled
characters/words (巩固巩固, 群群) that are not words of the dictionary.
"""
from __future__ import annotations

import re

from pipeline.text.clean_lex import CJK, word_freq
from pipeline.text.clean_log import Proposal

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


def duplicated_passage(text: str) -> Proposal | None:
    """The first removable repeat in the text (call again after applying it)."""
    for base, par in _paragraphs(text):
        if len(par) < 2 * MIN_PASSAGE:
            continue
        seen: dict[str, int] = {}
        for j in range(len(par) - MIN_PASSAGE + 1):
            key = par[j:j + MIN_PASSAGE]
            i = seen.get(key)
            if i is None:
                seen[key] = j
                continue
            # maximal forward extension of the match par[i:] == par[j:]
            length = MIN_PASSAGE
            while j + length < len(par) and par[i + length] == par[j + length]:
                length += 1
            period = j - i
            if period <= length:  # tandem repeat: remove one period, cut after a sentence end when possible
                lo, hi = j, i + length
                cut = next((k for k in range(lo, hi + 1) if par[k - 1] in SENTENCE_END), None)
                if cut is None:
                    cut = next((k for k in range(lo, hi + 1) if par[k - 1] in CLAUSE_END), None)
                if cut is None:
                    continue
                return Proposal(base + cut, base + cut + period, "", "duplicated_sentence", "dup.passage_repeated")
            copy = par[j:j + length]
            # only whole clauses: the copy starts after and ends with clause punctuation
            while copy and copy[-1] not in CLAUSE_END:
                copy = copy[:-1]
            if len(copy) < MIN_PASSAGE or (j and par[j - 1] not in CLAUSE_END):
                continue
            gap = par[i + len(copy):j]
            if gap and gap[-1] not in SENTENCE_END and len(gap) < len(copy):
                # the copy is preceded by a broken clause (a fragment of the copy-paste): remove both
                return Proposal(base + i + len(copy), base + j + len(copy), "", "duplicated_sentence",
                                "dup.passage_repeated")
            if gap and gap[-1] not in SENTENCE_END:
                continue
            return Proposal(base + j, base + j + len(copy), "", "duplicated_sentence", "dup.passage_repeated")
    return None


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
    """Doubled units in prose lines (bylines and headings hold names: 刘盼盼)."""
    out = []
    for n in (4, 3, 2, 1):
        for m in re.finditer(f"([{CJK}]{{{n}}})\\1", text):
            i = m.start()
            if any(p.start < m.end() and p.end > i for p in out):
                continue
            if n > 1 and word_freq(m.group(1)) < 1:
                continue  # only doubled words
            a = text.rfind("\n", 0, i) + 1
            b = text.find("\n", i)
            if not _is_prose(text[a:len(text) if b < 0 else b]):
                continue
            if not _legit_double(text, i, n):
                out.append(Proposal(i + n, i + 2 * n, "", "duplicated_char", "dup.doubled_unit"))
    return out


SHARED_RUN = 6        # characters: the shortest common run counted when comparing two sentences


def _covered(s: str, earlier: str) -> list[bool]:
    """Which characters of ``s`` lie in a run of SHARED_RUN+ characters that also occurs in ``earlier``."""
    cov = [False] * len(s)
    for a in range(len(s) - SHARED_RUN + 1):
        if s[a:a + SHARED_RUN] in earlier:
            cov[a:a + SHARED_RUN] = [True] * SHARED_RUN
    return cov


def _longest_common(s: str, earlier: str) -> int:
    best = 0
    for a in range(len(s)):
        n = best + 1
        while a + n <= len(s) and s[a:a + n] in earlier:
            best, n = n, n + 1
    return best


def is_repeat(s: str, earlier: str) -> bool:
    """Is sentence ``s`` (MIN_PASSAGE+ characters) a copy of ``earlier``: the same sentence, or one that shares a
    run of MIN_PASSAGE+ characters with it and differs only in a word or two outside it (组织/开展), never in a
    number (召开会议8次 / 召开会议9次 are two facts)."""
    if len(s) < MIN_PASSAGE:
        return False
    if s == earlier:
        return True
    if _longest_common(s, earlier) < MIN_PASSAGE:
        return False
    loose = [c for c, ok in zip(s, _covered(s, earlier)) if not ok]
    return len(loose) <= max(2, len(s) // 10) and not any(c.isdigit() or c in NUMERALS for c in loose)


def repeated_sentences(text: str) -> list[Proposal]:
    """Sentences of MIN_PASSAGE+ characters repeating an earlier sentence of the same section (between two
    heading lines) on another line: the later copy is removed, a whole-paragraph copy with its line break."""
    from pipeline.text.sections import heading_in_line

    out: list[Proposal] = []
    earlier: list[str] = []
    pos, prev_end = 0, 0
    for line in text.split("\n"):
        base, pos = pos, pos + len(line) + 1
        if not line.strip():
            continue
        if heading_in_line(line) is not None or line.lstrip().startswith(("#", "**")):
            earlier, prev_end = [], base + len(line)
            continue
        found: list[tuple[int, int]] = []
        for m in re.finditer(f"[^{SENTENCE_END}]+[{SENTENCE_END}]*", line):
            s = m.group().strip()
            if len(s) >= MIN_PASSAGE and any(is_repeat(s, e) for e in earlier):
                found.append((base + m.start(), base + m.end()))
            else:
                earlier.append(s)
        if found and found[0][0] == base + len(line) - len(line.lstrip()) and found[-1][1] >= base + len(line.rstrip()):
            if len(found) == sum(1 for _ in re.finditer(f"[^{SENTENCE_END}]+[{SENTENCE_END}]*", line.strip())):
                found = [(prev_end, base + len(line))]       # the whole paragraph is a copy
        out += [Proposal(a, b, "", "duplicated_sentence", "dup.sentence_repeated") for a, b in found]
        prev_end = base + len(line)
    return out
