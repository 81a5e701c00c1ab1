"""Oversight activities (reports, inspections, inquiries, research, visits, evaluations, votes)."""
from __future__ import annotations

import pytest

from pipeline.extract.oversight import extract_oversight
from pipeline.text.model import Sentence


def run(text: str, part: str = "review"):
    rows = extract_oversight(text, [Sentence(0, 0, part, 0, len(text), text)])
    for r in rows:
        assert r.quote == text[r.char_start:r.char_end]
    return [(r.kind, r.subject) for r in rows]


CASES = [
    ("report_list", "听取审议科技成果转化、外事工作服务高水平对外开放、消费品以旧换新工作情况的报告。",
     [("report_review", "科技成果转化"), ("report_review", "外事工作服务高水平对外开放"),
      ("report_review", "消费品以旧换新")]),
    ("report_then_evaluation", "听取审议公平竞争审查工作的报告并开展专项评议。",
     [("report_review", "公平竞争审查"), ("work_evaluation", "公平竞争审查")]),
    ("law_check", "检查城市更新条例实施情况。", [("law_inspection", "城市更新条例")]),
    ("law_inspection", "开展家庭教育促进法及我市实施办法执法检查。",
     [("law_inspection", "家庭教育促进法及我市实施办法")]),
    ("satisfaction", "对审计查出问题整改情况进行满意度测评。", [("satisfaction_vote", "审计查出问题整改")]),
    ("research_after", "专题调研旅游产品供给、交通重点项目建设情况。",
     [("research", "旅游产品供给、交通重点项目建设")]),
    ("inquiry_on", "对灾后恢复重建工作开展专题询问，", [("special_inquiry", "灾后恢复重建")]),
    ("visit_lead_in", "围绕交通规划建设、生态园林城市建设等工作，组织开展视察活动。",
     [("inspection_visit", "交通规划建设、生态园林城市建设等工作")]),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_activities(text, expected):
    assert run(text) == expected


NOT_ACTIVITIES = [
    ("counts", "共听取审议工作报告96个，开展执法检查22次、专题询问4次、专项工作评议20次。"),
    ("method_list", "组织代表参加立法调研、执法检查、视察等工作860人次。"),
    ("report_noun", "29篇调研报告获省人大优秀调研成果奖。"),
    ("empty", ""),
    ("punct", "，。；、"),
    ("odd", "ＡＢＣ\u200b😀\u200b报告"),
]


@pytest.mark.parametrize("text", [c[1] for c in NOT_ACTIVITIES], ids=[c[0] for c in NOT_ACTIVITIES])
def test_not_activities(text):
    assert run(text) == []


def test_plan_status():
    text = "听取审议食品安全工作情况的报告并开展专题询问，开展医养结合服务体系建设情况专题调研。"
    rows = extract_oversight(text, [Sentence(0, 0, "plan", 0, len(text), text)])
    assert [(r.kind, r.subject, r.status) for r in rows] == [
        ("report_review", "食品安全", "planned"), ("special_inquiry", "食品安全", "planned"),
        ("research", "医养结合服务体系建设", "planned")]


# Audit sentences (/tmp/audit, written for this project) and generalised cues.
@pytest.mark.parametrize("text,expected", [
    ("新的一年，常委会将开展执法检查，对优化营商环境开展专题询问。",
     [("law_inspection", "", "planned"), ("special_inquiry", "优化营商环境", "planned")]),
    ("2025年，常委会将对优化营商环境开展专题询问。", [("special_inquiry", "优化营商环境", "planned")]),
    ("计划执行情况报告中，对优化营商环境开展专题询问。", [("special_inquiry", "优化营商环境", "done")]),
    ("对优化营商环境开展专题询问。", [("special_inquiry", "优化营商环境", "done")]),
], ids=["new_year", "year_jiang", "jihua_noun", "plain"])
def test_plan_cue_status_in_review(text, expected):
    rows = extract_oversight(text, [Sentence(0, 0, "review", 0, len(text), text)])
    assert [(r.kind, r.subject, r.status) for r in rows] == expected


@pytest.mark.parametrize("text,expected", [
    ("对气象防灾减灾、黄河防汛等工作进行视察询问，",
     [("inspection_visit", "气象防灾减灾、黄河防汛"), ("special_inquiry", "气象防灾减灾、黄河防汛")]),
    ("综合运用听取审议报告、问卷调查等方式开展联动专题调研，", [("research", "")]),
    ("围绕养老服务，综合运用听取审议报告、问卷调查等方式开展联动专题调研，", [("research", "养老服务")]),
    ("听取审议食品安全工作情况的报告并组织专题询问。", [("report_review", "食品安全"), ("special_inquiry", "食品安全")]),
    ("视察询问调研评议", []),
    ("联动", []),
], ids=["visit_then_inquiry", "manner_word", "manner_word_lead", "report_then", "cues_only", "manner_only"])
def test_chained_cues_and_manner(text, expected):
    assert run(text) == expected


# Second blind audit grammar (sentences written for this project): a 贯彻实施情况 tail, a paragraph lead
# "X是深化…" that is not a subject.
@pytest.mark.parametrize("text,expected", [
    ("对《中华人民共和国种子法》贯彻实施情况开展视察，", [("inspection_visit", "《中华人民共和国种子法》")]),
    ("对农村公路条例贯彻执行情况开展专题调研。", [("research", "农村公路条例")]),
    ("三是深化专题调研。", []),
    ("（二）加强专题询问。", []),
    ("开展专题调研。", [("research", "")]),
], ids=["guanche_shishi_tail", "guanche_zhixing_tail", "enumerator_lead", "bracket_enumerator", "bare"])
def test_audit2_subjects(text, expected):
    assert run(text) == expected
