"""clean_typo.two_spellings finds its candidate windows with numpy (_name_runs: the runs holding a name and
where their last suffix ends; shared_end_windows: windows sharing their ends with a different window): the same
windows as the run-by-run Python it replaced (the reference below), on random texts of law-name pieces, and a
name written twice with one character different is flagged."""
from __future__ import annotations

import random
import re
from collections import Counter

from pipeline.text.clean_lex import CJK
from pipeline.text.clean_typo import _instrument_suffixes, _name_runs, shared_end_windows, two_spellings

N = 8


def _reference_windows(text: str) -> list[int]:
    windows = []
    for m in re.finditer(f"[{CJK}]{{{N},}}", text):
        run, base = m.group(), m.start()
        last = max((run.rfind(x) + len(x) for x in _instrument_suffixes() if x in run), default=-1)
        windows += [(run[k:k + N], base + k) for k in range(last - N + 1)]
    ends = Counter(w[:2] + w[-2:] for w in {w for w, _ in windows})
    return [start for w, start in windows if ends[w[:2] + w[-2:]] > 1]


def test_same_windows_as_run_by_run():
    rng = random.Random(5)
    pieces = ["北京市", "上海市", "物业管理", "物业服务", "条例", "办法", "实施", "细则", "宪法", "法典", "决定",
              "关于", "修改", "的", "，", "《", "》", "\n", "2025", "𠮷", "规定", "若干",
              "物业管理服务条例", "物业管理服各条例", "物业管理服务办法"]
    hits = 0
    for _ in range(1500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        got = shared_end_windows(text, _name_runs(text, N), N)
        assert got == _reference_windows(text), text
        hits += len(got)
    assert hits > 1000   # the texts do hold such windows


def test_overlapping_suffixes_count_their_last_end():
    text = "全国人民代表大会审议民法典"        # 法 inside 民法, 法典 from it: the run's names end at 典
    (start, count), = _name_runs(text, N)
    assert start == 0 and count == len(text) - N + 1


def test_a_name_written_twice_with_one_character_different():
    text = "审议北京市物业管理服务条例。\n会议通过北京市物业管理服务条例。\n修改北京市物业管理服各条例。"
    flags = two_spellings(text)
    assert [(text[s:e], suggestion) for s, e, suggestion, _, _ in flags] == [("理服各", "理服务")]
