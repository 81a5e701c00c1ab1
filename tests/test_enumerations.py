"""Lists closed by their own size (pipeline/text/enumerations.py) and the typo flags built on them."""
from __future__ import annotations

import pytest

from pipeline.text.clean_typo import count_mismatch
from pipeline.text.enumerations import counted_lists


def lists(text):
    return [(text[c.start:c.end], c.value, c.unit, len(c.items)) for c in counted_lists(text)]


@pytest.mark.parametrize("text, expected", [
    ("市、县、乡人大三级联动，听取审议食品安全工作情况的报告", [("市、县、乡人大三级", 3, "级", 3)]),
    ("对自治区物业管理、城乡供水两个条例进行二审", [("对自治区物业管理、城乡供水两个", 2, "个", 2)]),
    ("聚焦算力枢纽建设，供给生态重塑、算力赋能深化、保障网络完善四大重点，多措并举",
     [("供给生态重塑、算力赋能深化、保障网络完善四大重点", 4, "重点", 3)]),
    ("《甲条例》《乙条例》两部法规", [("《甲条例》《乙条例》两部", 2, "部", 2)]),
], ids=["levels", "two-regulations", "intensifier-da", "two-titles"])
def test_counted_lists(text, expected):
    assert lists(text) == expected


@pytest.mark.parametrize("text", [
    "增强“四个意识”、坚定“四个自信”、捍卫“两个确立”",     # counts inside quotations are names
    "召开常委会会议十三次",                                  # part of a longer numeral
    "全面开展“三标”活动、深入推进“十大战略”行动",
    "三级联动",                                              # no list before it
    "修订《江西省森林条例》实施以来两个月",                   # a time span, not a list size
    "", "、、、三级", "，，四大",
], ids=["quoted", "longer-numeral", "quoted-da", "no-list", "duration", "empty", "only-separators", "only-commas"])
def test_not_counted_lists(text):
    assert counted_lists(text) == []


def test_title_without_marks_is_flagged():
    text = "《千载古河焕新颜 协同立法护安澜》从“民意直通车”到“幸福加油站”两件新闻作品获奖。"
    [(s, e, fix, rule, conf)] = count_mismatch(text)
    assert text[s:e] == "从“民意直通车”到“幸福加油站”"
    assert fix == "《从“民意直通车”到“幸福加油站”》" and rule == "typo.title_without_marks" and conf < 1


def test_comma_for_enumeration_comma_is_flagged():
    text = "建议聚焦算力枢纽建设，供给生态重塑、算力赋能深化、保障网络完善四大重点，多措并举。"
    [(s, e, fix, rule, _)] = count_mismatch(text)
    assert text[s:e] == "建议聚焦算力枢纽建设，供给生态重塑" and fix == "建议聚焦算力枢纽建设、供给生态重塑"
    assert rule == "typo.comma_for_enumeration_comma"


@pytest.mark.parametrize("text", [
    "市、县、乡人大三级联动。",                         # items add up
    "《甲条例》《乙条例》两部法规。",
    "一是加强立法，二是强化监督、改进作风两个方面。",      # the clause before the ， is too long to be an item? it is not: counts add up
], ids=["adds-up", "titles-add-up", "adds-up-after-comma"])
def test_lists_that_add_up_are_not_flagged(text):
    assert count_mismatch(text) == []
