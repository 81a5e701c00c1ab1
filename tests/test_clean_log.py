"""clean_log.RawToClean (raw offset -> clean offset by bisection) gives what walking the edits gives (the loop
below, the implementation it replaced), for every offset and both sides, on random logs of insertions,
deletions and replacements, adjacent ones included."""
from __future__ import annotations

import random

from pipeline.text.clean_log import RawToClean
from pipeline.text.model import Edit


def _walk(applied: list[Edit], raw_offset: int, side: str) -> int:
    shift = 0
    for e in applied:
        if e.raw_start == e.raw_end:
            if raw_offset < e.raw_start:
                break
            shift += len(e.after)
            continue
        if raw_offset <= e.raw_start:
            break
        if raw_offset < e.raw_end:
            return e.clean_start if side == "start" else e.clean_end
        shift += len(e.after) - (e.raw_end - e.raw_start)
    return raw_offset + shift


def _random_log(rng: random.Random, n: int) -> list[Edit]:
    edits, pos, shift = [], 0, 0
    while True:
        pos += rng.choice([0, 0, 1, 2, 5])
        if pos >= n:
            return edits
        length = min(rng.choice([0, 1, 2, 3]), n - pos)
        after = "x" * rng.choice([0, 1, 2, 4])
        if length == 0 and not after:
            after = "y"
        cs = pos + shift
        edits.append(Edit("k", "applied", "?" * length, after, pos, pos + length, cs, cs + len(after), "r", 1.0))
        shift += len(after) - length
        pos += length


def test_same_as_walking_the_edits():
    rng = random.Random(11)
    checked = 0
    for _ in range(500):
        n = rng.randint(0, 30)
        log = _random_log(rng, n)
        to_clean = RawToClean(log)
        for x in range(n + 1):
            for side in ("start", "end"):
                assert to_clean(x, side) == _walk(log, x, side), (log, x, side)
                checked += 1
    assert checked > 10_000


def test_flagged_edits_are_ignored():
    applied = Edit("k", "applied", "ab", "", 2, 4, 2, 2, "r", 1.0)
    flagged = Edit("k", "flagged", "c", "d", 5, 6, 3, 4, "r", 0.5)
    assert RawToClean([applied, flagged])(8) == 6
