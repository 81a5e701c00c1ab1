"""grams.repeated_starts, the prefilter of the duplicate rules: against the obvious quadratic comparison on
random texts (CJK, astral characters, line breaks, several blocks), it never misses a repeated run, reports
starts in ascending order, and the hashes built by doubling are those of the plain polynomial."""
from __future__ import annotations

import bisect
import random

import numpy as np

from pipeline.text.grams import repeated_starts, run_hashes


def _brute(text: str, k: int, blocks: list[int]) -> list[int]:
    starts = range(len(text) - k + 1)
    block = [bisect.bisect_right(blocks, p) - 1 for p in starts]
    return [p for p in starts
            if any(q != p and block[q] == block[p] and text[q:q + k] == text[p:p + k] for q in starts)]


def test_never_misses_a_repeated_run():
    rng = random.Random(7)
    found = 0
    for _ in range(2000):
        n, k = rng.randint(0, 80), rng.randint(1, 12)
        text = "".join(rng.choice("监督监察条例𠮷㙟，\n") for _ in range(n))
        blocks = sorted({0} | {rng.randint(0, n) for _ in range(rng.randint(0, 3))})
        expected, got = _brute(text, k, blocks), repeated_starts(text, k, blocks)
        assert set(expected) <= set(got), (text, k, blocks)
        assert got == sorted(set(got))
        found += len(expected)
    assert found > 1000   # the texts do hold repeats


def test_blocks_separate_repeats():
    text = "关于加强人民代表大会常务委员会监督工作的" * 2    # 20 characters, twice
    assert repeated_starts(text, 20, [0]) == [0, 20]
    assert repeated_starts(text, 20, [0, 20]) == []     # one copy in each block


def test_doubling_gives_the_polynomial_hash():
    codes = np.frombuffer("人大常委会工作报告𠮷2025".encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    for k in range(1, len(codes) + 1):
        expected = []
        for p in range(len(codes) - k + 1):
            h = 0
            for c in codes[p:p + k].tolist():
                h = (h * 0x100000001B3 + c) % (1 << 64)
            expected.append(h)
        assert run_hashes(codes.copy(), k).tolist() == expected
