"""Sections: headings of every layout (markdown, bold, inline bold lead-ins, 一、/（一）/1./第X部分, title)
and the part of each section; report recognition."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.text.normalise import normalise
from pipeline.text.recognise import report_problem
from pipeline.text.sections import split_sections

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def seed000():
    clean, _ = normalise((SEEDS / "000_176ab9c851656b8e.txt").read_text("utf-8"))
    return clean, split_sections(clean)


@pytest.fixture(scope="module")
def seed001():
    clean, _ = normalise((SEEDS / "001_4a3b9fde25d10259.txt").read_text("utf-8"))
    return clean, split_sections(clean)


def by_heading(sections, start):
    return next(s for s in sections if s.heading.startswith(start))


@pytest.mark.parametrize("heading, part", [
    ("依法履职 担当作为", "front"),
    ("强化政治引领", "review"),
    ("抓好自身建设", "review"),
    ("2026 昂首阔步新征程", "plan"),
    ("以更高站位加强政治建设", "plan"),
    ("以更严标准锻造人大队伍", "plan"),
    ("提案选编", "proposals"),
    ("以青年赛事为引擎", "proposals"),
    ("提振消费 助力拉动经济增长主引擎", "proposals"),
], ids=lambda v: v[:8])
def test_seed000_parts(seed000, heading, part):
    _, sections = seed000
    assert by_heading(sections, heading).part == part


def test_seed000_tree(seed000):
    clean, sections = seed000
    assert sections[0].index == 0 and sections[0].part == "front" and sections[0].heading == ""
    proposals = by_heading(sections, "提案选编")
    child = by_heading(sections, "以青年赛事为引擎")
    assert child.parent == proposals.index and child.level == proposals.level + 1
    assert clean[child.heading_start:child.heading_end] == "#### 以青年赛事为引擎 激活郑州文创发展动能"
    # spans tile the text
    assert sections[0].char_start == 0 and sections[-1].char_end == len(clean)
    for a, b in zip(sections, sections[1:]):
        assert a.char_end == b.char_start
    byline = clean.index("本报记者 袁帅")
    holder = [s for s in sections if s.char_start <= byline < s.char_end][0]
    assert holder.heading == "以更严标准锻造人大队伍" and holder.part == "plan"


def test_seed001_parts_and_children(seed001):
    clean, sections = seed001
    review = by_heading(sections, "五年工作的回顾")
    plan = by_heading(sections, "今年工作的建议")
    assert (review.part, plan.part) == ("review", "plan")
    bold = [s for s in sections if s.heading.startswith(("一、", "六、"))]
    assert [s.part for s in bold] == ["review", "review", "plan", "plan"]
    assert [s.parent for s in bold] == [review.index, review.index, plan.index, plan.index]
    inline = by_heading(sections, "一、着力强化党的全面领导。")
    assert clean[inline.heading_start:inline.heading_end] == "**一、着力强化党的全面领导。**"
    assert clean[inline.heading_end:].startswith("持续深入学习贯彻")
    assert by_heading(sections, "郑州市人民代表大会常务委员会工作报告").part == "front"


PLAIN = """关于某市人大常委会工作的报告

各位代表：

第一部分 过去一年的工作回顾

一、坚持党的领导

（一）加强理论学习。常委会组织学习12次。

（二）严格请示报告。全年请示报告30次。

二、依法履行立法职能

1.制定条例。制定地方性法规3件，审议代表议案5件。

第二部分 今年工作安排

一、持续加强政治建设

常委会将继续加强监督工作。
"""


def test_plain_numbered_layout():
    sections = split_sections(PLAIN)
    heads = [(s.heading, s.level, s.part) for s in sections[1:]]
    assert heads[0] == ("关于某市人大常委会工作的报告", 1, "front")
    # numbering styles rank by first appearance, below the title (level 1)
    assert ("第一部分 过去一年的工作回顾", 2, "review") in heads
    assert ("一、坚持党的领导", 3, "review") in heads
    assert ("（一）加强理论学习。", 4, "review") in heads  # inline lead-in
    assert ("1.制定条例。", 5, "review") in heads
    assert ("第二部分 今年工作安排", 2, "plan") in heads
    assert ("一、持续加强政治建设", 3, "plan") in heads
    second = [s for s in sections if s.heading == "一、持续加强政治建设"][0]
    assert sections[second.parent].heading == "第二部分 今年工作安排"


@pytest.mark.parametrize("text", ["", "\n\n", "。。。", "**", "#", "一、", "1."], ids=repr)
def test_hostile_sections(text):
    sections = split_sections(text)
    assert sections[0].index == 0 and sections[-1].char_end == len(text)


@pytest.mark.parametrize("text, problem", [
    ("", "no Chinese text"),
    ("hello world " * 50, "no Chinese text"),
    ("今天天气很好。", "no people's congress or CPPCC body named"),
    ("今天天气很好，我们去公园散步，看到很多花朵和树木。" * 20, "no people's congress or CPPCC body named"),
    ("人大附中今天举行运动会。", "no report vocabulary: 3 distinct report words needed"),
], ids=["empty", "english", "short", "not_a_report", "a_body_but_no_report_words"])
def test_report_problem(text, problem):
    got = report_problem(text)
    assert got is not None and got.startswith(problem)


def test_seeds_are_reports(seed000, seed001):
    for clean, sections in (seed000, seed001):
        assert report_problem(clean) is None


def parts_of(text):
    return [(s.heading, s.part) for s in split_sections(text) if s.heading]


@pytest.mark.parametrize("text, expected", [
    # a top-level heading with a year later than the review years (numbering stripped) opens the plan part
    ("某市人大常委会工作报告\n一、坚持党的全面领导\n2024年，党组召开会议12次。\n二、2025年工作\n将召开会议8次。\n",
     [("某市人大常委会工作报告", "front"), ("一、坚持党的全面领导", "review"), ("二、2025年工作", "plan")]),
    # no review years: the year of the front matter (meeting date) is the reference
    ("某市人大常委会工作报告\n——2025年1月8日在某市人民代表大会上\n一、加强立法\n制定法规5件。\n二、2025年工作\n将制定法规。\n",
     [("某市人大常委会工作报告", "front"), ("一、加强立法", "review"), ("二、2025年工作", "plan")]),
    # keywords of deeper headings do not switch the part; bare 提案 is no proposals part
    ("某市人大常委会工作报告\n一、过去一年的主要工作\n（一）奋进新征程，坚持党的全面领导\n召开会议12次。\n"
     "（二）认真听取审议专项工作报告\n听取报告20个。\n（三）关于代表提案和建议办理\n办理建议300件。\n二、今年的主要任务\n"
     "制定条例3件。\n（一）回顾与展望\n做好工作。\n",
     [("某市人大常委会工作报告", "front"), ("一、过去一年的主要工作", "review"),
      ("（一）奋进新征程，坚持党的全面领导", "review"), ("（二）认真听取审议专项工作报告", "review"),
      ("（三）关于代表提案和建议办理", "review"), ("二、今年的主要任务", "plan"), ("（一）回顾与展望", "plan")]),
    ("某市人大常委会工作报告\n——2026年1月8日在某市人民代表大会上\n一、加强立法\n制定法规5件。\n二、2025年工作\n开展检查。\n",
     [("某市人大常委会工作报告", "front"), ("一、加强立法", "review"), ("二、2025年工作", "review")]),
    # a front keyword after the first numbered heading is no front part
    ("某市人大常委会工作报告\n一、主要工作\n召开会议。\n二、听取审议专项工作报告\n听取报告20个。\n",
     [("某市人大常委会工作报告", "front"), ("一、主要工作", "review"), ("二、听取审议专项工作报告", "review")]),
    # short unnumbered lines with a year + 工作/任务 are headings
    ("某市人大常委会工作报告\n2024年主要工作\n召开常委会会议8次。\n2025年主要任务\n召开常委会会议6次。\n",
     [("某市人大常委会工作报告", "front"), ("2024年主要工作", "review"), ("2025年主要任务", "plan")]),
    # … but not a long line, a punctuated line, or one without year/keyword
    ("某市人大常委会工作报告\n一、主要工作\n推动职业教育产教融合\n2024年全市完成工作任务的情况总体良好并且稳中有进\n",
     [("某市人大常委会工作报告", "front"), ("一、主要工作", "review")]),
    # a salutation ending in ： does not turn the next numbered line into a list item
    ("某市人大常委会工作报告\n各位代表：\n一、过去一年的工作\n召开会议。\n二、今年工作安排\n将开展检查。\n",
     [("某市人大常委会工作报告", "front"), ("一、过去一年的工作", "review"), ("二、今年工作安排", "plan")]),
    # a future goal year in the review text does not hide the plan year
    ("某市人大常委会工作报告\n一、主要工作\n2024年召开会议。2024年审议报告。到2035年基本实现目标。\n二、2025年奋力开创新局面\n将开展检查。\n",
     [("某市人大常委会工作报告", "front"), ("一、主要工作", "review"), ("二、2025年奋力开创新局面", "plan")]),
    # a digest title with a container word makes a proposals part; a numbered list after ： is not a heading
    ("某市政协2024年度重点提案选编\n关于发展银发经济的建议\n某委员会建议：\n（一）完善设施；\n（二）培育主体；\n（三）加强研发。\n",
     [("某市政协2024年度重点提案选编", "proposals")]),
], ids=["plan_year", "plan_year_from_date", "review_year_from_date", "deep_keywords_inherit", "front_only_before_numbering",
        "plain_year_lines", "plain_not_heading", "salutation", "future_goal_year", "digest_list_items"])
def test_layout_parts(text, expected):
    assert parts_of(text) == expected


# A body with no headings: a part per paragraph from the report-frame cues of parts.toml [paragraph_parts].
@pytest.mark.parametrize("text, parts", [
    ("某县人大常委会工作报告摘要\n\n本报讯 1月5日，会议开幕。\n\n报告指出，一年来召开会议8次。\n\n常委会开展视察3次。\n\n"
     "报告提出，2025年将开展执法检查2次。\n\n报告强调，新的一年要依法履职。\n",
     ["front", "front", "review", "plan"]),
    ("某县人大常委会工作报告摘要\n\n常委会召开会议8次。\n\n报告要求，各级要团结奋进。\n",      # 要求 + modal 要
     ["front", "front", "review", "plan"]),
    ("某县人大常委会工作报告摘要\n\n报告指出，过去一年召开会议8次。\n\n报告提出，坚持党的领导。\n",  # no modal: review
     ["front", "front", "review"]),
    ("某县人大常委会工作报告摘要\n\n本报讯 会议开幕。\n\n### 一、主要工作\n\n召开会议8次。\n",      # has headings
     ["front", "front", "review"]),
    ("政协某县委员会提案选编\n\n关于加强养老服务的建议\n", ["front", "proposals"]),
    ("某县人大常委会工作报告\n\n各位代表：\n\n现在，我代表常委会报告工作。\n\n新的一年，常委会将召开会议6次。\n",
     ["front", "front", "review", "plan"]),                 # 各位代表 stays front; a plan keyword opens the plan
    ("", ["front"]),
    ("，。\n\n\n", ["front", "review"]),          # no title line: the whole body is review
], ids=["digest", "no_lead", "plan_cue_without_modal", "with_headings", "proposals_title", "report",
    "empty", "punct"])
def test_headless_body_parts(text, parts):
    sections = split_sections(text)
    assert [s.part for s in sections] == parts
    assert [s.index for s in sections] == list(range(len(sections)))
    assert all(a.char_end <= b.char_start for a, b in zip(sections[1:], sections[2:]))
