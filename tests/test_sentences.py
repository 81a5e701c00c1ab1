"""Sentence spans: every non-blank character in exactly one sentence; headings are sentences."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.text.normalise import normalise
from pipeline.text.sections import split_sections
from pipeline.text.sentences import split_sentences

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def split(text):
    return split_sentences(text, split_sections(text))


@pytest.fixture(scope="module", params=sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def seed(request):
    clean, _ = normalise(request.param.read_text("utf-8"))
    sections = split_sections(clean)
    return clean, sections, split_sentences(clean, sections)


def test_cover_every_char_once(seed):
    clean, sections, sents = seed
    count = [0] * len(clean)
    for s in sents:
        assert s.text == clean[s.char_start:s.char_end]
        assert s.text == s.text.strip()
        for i in range(s.char_start, s.char_end):
            count[i] += 1
    for i, ch in enumerate(clean):
        if not ch.isspace() and ch not in "#*":
            assert count[i] == 1, (i, clean[i - 5:i + 5])
    assert [s.index for s in sents] == list(range(len(sents)))


def test_headings_are_sentences(seed):
    clean, sections, sents = seed
    texts = {s.text for s in sents}
    for sec in sections[1:]:
        assert sec.heading.strip("*") in texts or sec.heading in texts


def test_sentence_parts_follow_sections(seed):
    _, sections, sents = seed
    for s in sents:
        sec = sections[s.section]
        assert sec.char_start <= s.char_start < sec.char_end
        assert s.part == sec.part


@pytest.mark.parametrize("text, expected", [
    ("召开常委会会议10次，主任会议16次；制定修订地方性法规8件。听取审议报告47个。",
     ["召开常委会会议10次，主任会议16次；制定修订地方性法规8件。", "听取审议报告47个。"]),
    ("将每年5月10日设立为“郑州工匠日”。积极营造氛围。", ["将每年5月10日设立为“郑州工匠日”。", "积极营造氛围。"]),
    ("他说：“要依法履职。”随后散会。", ["他说：“要依法履职。”", "随后散会。"]),
    ("本报记者 袁帅", ["本报记者 袁帅"]),
    ("第一行没有句号\n第二行。", ["第一行没有句号", "第二行。"]),
    ("真的吗？是的！好。", ["真的吗？", "是的！", "好。"]),
    ("", []),
    ("   \n\n  ", []),
    ("。。。", ["。。。"]),
], ids=["semicolon_kept", "quote_inside", "quote_closing", "byline", "line_break", "marks", "empty", "blank",
        "only_punct"])
def test_split_examples(text, expected):
    assert [s.text for s in split(text)] == expected


def test_inline_heading_is_own_sentence():
    text = "### 今年工作的建议\n\n**一、着力强化党的全面领导。**持续深入学习贯彻。全面贯彻会议精神。"
    sents = split(text)
    assert [s.text for s in sents] == ["今年工作的建议", "一、着力强化党的全面领导。", "持续深入学习贯彻。", "全面贯彻会议精神。"]
    assert sents[1].section == 2 and sents[2].section == 2 and sents[2].part == "plan"
