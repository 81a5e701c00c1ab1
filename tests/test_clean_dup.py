"""Duplicated text (pipeline/text/clean_dup.py): concrete repeats on seed sentences, the indexed search gives the
same results as the obvious quadratic comparison (reference implementations below), and runs in linear time on
one long line."""
from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest

from pipeline.text import clean_dup
from pipeline.text.clean_dup import (CLAUSE_END, MIN_PASSAGE, NUMERALS, SENTENCE_END, duplicated_passage,
                                     repeated_sentences)
from pipeline.text.clean_log import Proposal

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED_SENTENCES = [s for f in sorted(SEEDS.glob("*.txt"))
                  for s in re.findall(f"[^{SENTENCE_END}\n]+[{SENTENCE_END}]?", f.read_text("utf-8")) if s.strip()]


# ---- reference implementations: the quadratic comparisons the module replaced --------------------------------

def ref_common_run(s: str, e: str) -> int:
    """Length of the longest run of ``s`` that occurs in ``e``."""
    best = 0
    for a in range(len(s)):
        n = best + 1
        while a + n <= len(s) and s[a:a + n] in e:
            best, n = n, n + 1
    return best


def ref_is_repeat(s: str, e: str) -> bool:
    if len(s) < MIN_PASSAGE:
        return False
    if s == e:
        return True
    if ref_common_run(s, e) < MIN_PASSAGE:
        return False
    cov = [False] * len(s)
    for a in range(len(s) - 5):
        if s[a:a + 6] in e:
            cov[a:a + 6] = [True] * 6
    loose = [c for c, ok in zip(s, cov) if not ok]
    return len(loose) <= max(2, len(s) // 10) and not any(c.isdigit() or c in NUMERALS for c in loose)


def ref_repeated_sentences(text: str) -> list[Proposal]:
    from pipeline.text.sections import heading_in_line

    out, earlier, pos, prev_end = [], [], 0, 0
    sent = f"[^{SENTENCE_END}]+[{SENTENCE_END}]*"
    for line in text.split("\n"):
        base, pos = pos, pos + len(line) + 1
        if not line.strip():
            continue
        if heading_in_line(line) is not None or line.lstrip().startswith(("#", "**")):
            earlier, prev_end = [], base + len(line)
            continue
        found = []
        for m in re.finditer(sent, line):
            s = m.group().strip()
            if len(s) >= MIN_PASSAGE and any(ref_is_repeat(s, e) for e in earlier):
                found.append((base + m.start(), base + m.end()))
            else:
                earlier.append(s)
        if found and found[0][0] == base + len(line) - len(line.lstrip()) and found[-1][1] >= base + len(line.rstrip()):
            if len(found) == len(re.findall(sent, line.strip())):
                found = [(prev_end, base + len(line))]
        out += [Proposal(a, b, "", "duplicated_sentence", "dup.sentence_repeated") for a, b in found]
        prev_end = base + len(line)
    return out


def ref_duplicated_passage(text: str) -> Proposal | None:
    pos = 0
    for line in text.split("\n"):
        base, par, pos = pos, line, pos + len(line) + 1
        if len(par) < 2 * MIN_PASSAGE:
            continue
        seen: dict[str, int] = {}
        for j in range(len(par) - MIN_PASSAGE + 1):
            i = seen.setdefault(par[j:j + MIN_PASSAGE], j)
            if i == j:
                continue
            length = MIN_PASSAGE
            while j + length < len(par) and par[i + length] == par[j + length]:
                length += 1
            period = j - i
            if period <= length:
                ends = [k for k in range(j, i + length + 1) if par[k - 1] in SENTENCE_END] or \
                       [k for k in range(j, i + length + 1) if par[k - 1] in CLAUSE_END]
                if not ends:
                    continue
                return Proposal(base + ends[0], base + ends[0] + period, "", "duplicated_sentence",
                                "dup.passage_repeated")
            copy = par[j:j + length]
            while copy and copy[-1] not in CLAUSE_END:
                copy = copy[:-1]
            if len(copy) < MIN_PASSAGE or (j and par[j - 1] not in CLAUSE_END):
                continue
            gap = par[i + len(copy):j]
            if gap and gap[-1] not in SENTENCE_END and len(gap) < len(copy):
                return Proposal(base + i + len(copy), base + j + len(copy), "", "duplicated_sentence",
                                "dup.passage_repeated")
            if gap and gap[-1] not in SENTENCE_END:
                continue
            return Proposal(base + j, base + j + len(copy), "", "duplicated_sentence", "dup.passage_repeated")
    return None


# ---- generated texts: seed sentences, planted copies and near-copies, headings, periodic runs ----------------

ALPHABET = "工作监督报告审议人大常委会代表法规条例组织开展8910一二三㙟𠮷，、。；：！？ "


def _mutate(rng: random.Random, s: str) -> str:
    chars = list(s)
    for _ in range(rng.randint(0, 3)):
        k = rng.randrange(len(chars) + 1)
        op = rng.random()
        if op < 0.4 and chars:
            chars[min(k, len(chars) - 1)] = rng.choice(ALPHABET)
        elif op < 0.7:
            chars.insert(k, rng.choice(ALPHABET))
        elif chars:
            del chars[min(k, len(chars) - 1)]
    return "".join(chars)


def _text(rng: random.Random) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(1, 30)):
        r = rng.random()
        if r < 0.45 or not parts:
            parts.append(rng.choice(SEED_SENTENCES))
        elif r < 0.65:
            parts.append(_mutate(rng, rng.choice(parts)))       # near-duplicate
        elif r < 0.75:
            parts.append(rng.choice(parts))                     # exact copy
        elif r < 0.85:
            parts.append(rng.choice(["\n", "\n## 二、监督工作\n", "\n**一、立法**\n", "\n一、加强监督\n", "\n  \n"]))
        elif r < 0.92:
            p = rng.choice(parts)
            a = rng.randrange(len(p) + 1)
            parts.append(p[a:a + rng.randint(1, 60)])           # a fragment
        else:
            unit = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 12)))
            parts.append(unit * rng.randint(2, 40) + unit[:rng.randint(0, len(unit))])   # periodic stretch
    return "".join(parts)


GENERATED = [_text(random.Random(n)) for n in range(250)]


def test_generated_texts_have_repeats():
    """The generator does plant what the equivalence tests are about."""
    assert sum(bool(ref_repeated_sentences(t)) for t in GENERATED) > 100
    assert sum(ref_duplicated_passage(t) is not None for t in GENERATED) > 100


@pytest.mark.parametrize("chunk", range(5))
def test_repeated_sentences_same_as_quadratic(chunk):
    for t in GENERATED[chunk::5]:
        assert repeated_sentences(t) == ref_repeated_sentences(t), t


@pytest.mark.parametrize("chunk", range(5))
def test_duplicated_passage_same_as_quadratic(chunk):
    for t in GENERATED[chunk::5]:
        assert duplicated_passage(t) == ref_duplicated_passage(t), t


def _repeat(s: str, e: str) -> bool:
    """What repeated_sentences takes for a repeat: an equal sentence, or one sharing a run of MIN_PASSAGE
    characters (its index finds those) that _differs_little accepts."""
    return len(s) >= MIN_PASSAGE and (s == e or (ref_common_run(s, e) >= MIN_PASSAGE
                                                 and clean_dup._differs_little(s, e)))


def test_differs_little_same_as_quadratic_short_and_long_earlier():
    rng = random.Random(7)
    near = {True: 0, False: 0}   # different sentences sharing a run of MIN_PASSAGE: accepted, refused
    for t in GENERATED[:60]:
        sents = [s.strip() for s in re.findall(f"[^{SENTENCE_END}]+[{SENTENCE_END}]*", t)][:8]
        for s in sents:
            for e in sents + [_mutate(rng, s)]:
                assert _repeat(s, e) == ref_is_repeat(s, e), (s, e)
                if len(s) >= MIN_PASSAGE and s != e and ref_common_run(s, e) >= MIN_PASSAGE:
                    near[ref_is_repeat(s, e)] += 1
            big = t * (1 + 3 * clean_dup.SCAN_LIMIT // max(1, len(t)))   # the set-of-runs path
            assert _repeat(s, big) == ref_is_repeat(s, big)
    assert near[True] > 100 and near[False] > 50   # (214 and 99)


# ---- concrete cases ---------------------------------------------------------------------------------------------

S1 = "常委会围绕优化营商环境开展执法检查3次，组织代表视察调研12次。"
S2 = "全年共召开常委会会议9次，召开主任会议22次，听取和审议专项工作报告14项。"


@pytest.mark.parametrize("text, expected", [
    (f"{S1}{S2}\n{S2}", [(len(S1) + len(S2), len(S1) + 2 * len(S2) + 1)]),              # whole-paragraph copy
    (f"{S1}\n{S2}{S1}", [(len(S1) + 1 + len(S2), 2 * len(S1) + 1 + len(S2))]),          # a sentence copy
    (f"{S1}\n{S1.replace('组织', '开展')}", [(len(S1), 2 * len(S1) + 1)]),                # a word differs
    (f"{S1}\n{S1.replace('12', '13')}", []),                                          # a number differs: two facts
    (f"{S1}\n## 二、监督工作\n{S1}", []),                                                # another section
    ("", []), ("。。。！？", []), ("𠮷" * 50, []),
], ids=["paragraph", "sentence", "word", "number", "section", "empty", "punctuation", "ext_b"])
def test_repeated_sentences_cases(text, expected):
    assert [(p.start, p.end) for p in repeated_sentences(text)] == expected


def test_duplicated_passage_tandem_cut_after_sentence_end():
    p = duplicated_passage(S1 + S2 + S2)
    assert (p.start, p.end) == (len(S1) + len(S2), len(S1) + 2 * len(S2))


# ---- linear time --------------------------------------------------------------------------------------------------

def _distinct_line(chars: int) -> str:
    rng, out, total, i = random.Random(3), [], 0, 0
    words = "审议 听取 报告 监督 检查 执法 法规 条例 代表 建议 办理 推动 落实 发展 民生 教育 医疗 养老 就业 交通".split()
    while total < chars:
        s = "".join(rng.choice(words) for _ in range(rng.randint(6, 14))) + f"{i}件{rng.randint(1, 999)}次。"
        if i % 50 == 49:
            s = out[rng.randrange(len(out))]        # a true duplicate now and then
        out.append(s)
        total, i = total + len(s), i + 1
    return "".join(out)


def test_long_single_line_is_fast():
    """200k characters on one line (a single section of ~10k distinct sentences): quadratic took minutes."""
    text = _distinct_line(200_000)
    t0 = time.perf_counter()
    found = repeated_sentences(text)
    passage = duplicated_passage(text)
    assert time.perf_counter() - t0 < 5
    assert len(found) > 50 and passage is not None


@pytest.mark.parametrize("text", ["工作" * 50_000, "哈" * 100_000, ("监督" * 30 + "A") * 1500],
                         ids=["period2", "period1", "near_periodic"])
def test_punctuation_free_runs_are_fast(text):
    t0 = time.perf_counter()
    assert duplicated_passage(text) is None
    assert repeated_sentences(text) == []
    assert time.perf_counter() - t0 < 5


def test_repeats_at_distance_is_the_back_reference():
    import numpy as np

    rng = random.Random(9)
    for _ in range(2000):
        text = "".join(rng.choice("工作工作监督，督𠮷") for _ in range(rng.randint(0, 16)))
        codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
        for n in (1, 2, 3, 4):
            expected = any(text[i:i + n] == text[i + n:i + 2 * n] for i in range(len(text) - 2 * n + 1))
            assert clean_dup._repeats_at_distance(codes, n) == expected, (text, n)
