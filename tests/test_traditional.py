"""clean_basic.traditional (OpenCC t2s on the runs of CJK characters): the edits found at once (numpy, for the
usual one-for-one conversion) are those of converting run by run and comparing character by character, on a
report in traditional script, on mixed texts with astral characters, digits and punctuation, and when a run
changes length (the fallback)."""
from __future__ import annotations

import itertools
import random
from pathlib import Path

from pipeline.text import clean_basic
from pipeline.text.clean_basic import _CJK_RUN, _t2s, traditional
from pipeline.text.clean_log import Proposal

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _reference(text: str) -> list[Proposal]:
    """Run by run: a run that changes length is one edit, otherwise one edit per stretch of changed characters."""
    out = []
    for m in _CJK_RUN.finditer(text):
        run, conv = m.group(), _t2s().convert(m.group())
        if len(conv) != len(run):
            out.append(Proposal(m.start(), m.end(), conv, "traditional_char", "t2s.opencc"))
            continue
        at = m.start()
        for changed, group in itertools.groupby(zip(run, conv), key=lambda pair: pair[0] != pair[1]):
            pairs = list(group)
            if changed:
                out.append(Proposal(at, at + len(pairs), "".join(b for _, b in pairs), "traditional_char",
                                    "t2s.opencc"))
            at += len(pairs)
    return out


def test_report_in_traditional_script():
    text = (FIXTURES / "audit_county_trad.txt").read_text("utf-8")
    got = traditional(text)
    assert len(got) > 50
    assert got == _reference(text)


def test_mixed_texts():
    rng = random.Random(3)
    pieces = ["監督", "條例", "人大常委會", "工作報告", "审议", "𠮷", "2025年", "，", "。", "\n", " ", "ABC", "發展",
              "實施", "的", "國", "会议"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert traditional(text) == _reference(text), text


def test_a_run_that_changes_length(monkeypatch):
    class Longer:
        def convert(self, s: str) -> str:
            return s.replace("條", "条条")

    monkeypatch.setattr(clean_basic, "_t2s", lambda: Longer())
    text = "制定條例。\n修改條例和辦法"
    assert traditional(text) == [Proposal(0, 4, "制定条条例", "traditional_char", "t2s.opencc"),
                                 Proposal(6, 13, "修改条条例和辦法", "traditional_char", "t2s.opencc")]
