"""Documents in other layouts (tests/fixtures/audit_*: synthetic reports written for this project): a provincial
report with plain 一、/（一） headings, a county report in traditional characters (UTF-8 and Big5 copies) with
第X部分 parts and bold lead-ins, a CPPCC proposal digest with plain title lines. Each runs through
decode → normalise → split_sections → split_sentences."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.text.decode import decode_bytes
from pipeline.text.normalise import normalise
from pipeline.text.sections import split_sections
from pipeline.text.sentences import split_sentences

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(name: str):
    raw, encoding = decode_bytes((FIXTURES / name).read_bytes(), name)
    clean, edits = normalise(raw)
    sections = split_sections(clean)
    return encoding, clean, edits, sections, split_sentences(clean, sections)


@pytest.fixture(scope="module")
def docs():
    return {name: run(name) for name in ("audit_provincial.txt", "audit_county_trad.txt",
                                         "audit_county_trad.big5.txt", "audit_proposals.txt")}


def top_level(sections):
    body = [s for s in sections[1:] if s.part != "front"]
    top = min(s.level for s in body)
    return [s for s in body if s.level == top]


def by_heading(sections, heading):
    return next(s for s in sections if s.heading == heading)


def sentence(sentences, start):
    return next(s for s in sentences if s.text.startswith(start))


@pytest.mark.parametrize("name, heading, part", [
    ("audit_provincial.txt", "江西省人民代表大会常务委员会工作报告", "front"),
    ("audit_provincial.txt", "一、过去一年的主要工作", "review"),
    ("audit_provincial.txt", "（一）坚持党的全面领导，确保人大工作正确政治方向", "review"),
    ("audit_provincial.txt", "（二）坚持科学立法民主立法依法立法，以良法促进发展保障善治", "review"),
    ("audit_provincial.txt", "（六）坚持全面从严治党，加强常委会自身建设", "review"),
    ("audit_provincial.txt", "二、2025年工作安排", "plan"),
    ("audit_county_trad.big5.txt", "安远县人民代表大会常务委员会工作报告", "front"),
    ("audit_county_trad.big5.txt", "第一部分\u30002024年工作回顾", "review"),
    ("audit_county_trad.big5.txt", "聚焦中心大局，加强监督实效。", "review"),
    ("audit_county_trad.big5.txt", "加强自身建设。", "review"),
    ("audit_county_trad.big5.txt", "第二部分\u30002025年工作安排", "plan"),
    ("audit_proposals.txt", "政协宜宾市委员会2024年度重点提案选编", "proposals"),
], ids=lambda v: v[:10])
def test_parts_of_named_headings(docs, name, heading, part):
    assert by_heading(docs[name][3], heading).part == part


@pytest.mark.parametrize("name, n_top, parts", [
    ("audit_provincial.txt", 2, ["review", "plan"]),
    ("audit_county_trad.big5.txt", 2, ["review", "plan"]),
    ("audit_county_trad.txt", 2, ["review", "plan"]),
], ids=["provincial", "county_big5", "county_utf8"])
def test_top_level_sections(docs, name, n_top, parts):
    sections = docs[name][3]
    tops = top_level(sections)
    assert len(tops) == n_top and [s.part for s in tops] == parts
    # every deeper heading inherits its top-level parent's part
    for s in sections[1:]:
        if s.parent is not None and s.level > tops[0].level:
            assert s.part == sections[s.parent].part


def test_provincial_tree(docs):
    _, clean, _, sections, sentences = docs["audit_provincial.txt"]
    review = by_heading(sections, "一、过去一年的主要工作")
    children = [s for s in sections if s.parent == review.index]
    assert len(children) == 6 and all(s.heading.startswith("（") for s in children)
    assert {s.part for s in sections} == {"front", "review", "plan"}  # no proposals part in a work report
    assert sentence(sentences, "2025年是“十四五”规划收官之年").part == "plan"
    assert sentence(sentences, "常委会将召开常委会会议6次左右").part == "plan"
    assert sentence(sentences, "全年审议法规案28件").part == "review"
    assert sections[-1].char_end == len(clean)
    for s in sentences:
        assert clean[s.char_start:s.char_end] == s.text


def test_big5_decodes_to_the_utf8_text(docs):
    big5, utf8 = docs["audit_county_trad.big5.txt"], docs["audit_county_trad.txt"]
    assert (big5[0], utf8[0]) == ("big5", "utf-8")
    assert big5[1] == utf8[1]
    assert big5[1].startswith("安远县人民代表大会常务委员会工作报告\n")
    assert "縣" not in big5[1] and "县人大常委会" in big5[1]
    assert [(s.heading, s.part, s.level) for s in big5[3]] == [(s.heading, s.part, s.level) for s in utf8[3]]


def test_county_bold_leads(docs):
    _, clean, _, sections, sentences = docs["audit_county_trad.big5.txt"]
    part1 = by_heading(sections, "第一部分\u30002024年工作回顾")
    leads = [s for s in sections if s.parent == part1.index]
    assert [s.heading for s in leads] == ["聚焦中心大局，加强监督实效。", "依法行使职权。", "发挥代表作用。",
                                          "做好信访工作。", "加强自身建设。"]
    assert sentence(sentences, "2025年，县人大常委会计划听取审议").part == "plan"
    assert sentence(sentences, "一是听取审议县政府").part == "review"


def test_proposal_digest(docs):
    _, clean, _, sections, sentences = docs["audit_proposals.txt"]
    # one title; the （一）（二）（三） items after "…建议：" are a list, not headings
    assert [s.heading for s in sections] == ["", "政协宜宾市委员会2024年度重点提案选编"]
    assert sections[1].char_end == len(clean)
    item = sentence(sentences, "（三）引入社会资本参与活化利用。")
    assert item.part == "proposals" and item.section == 1
    assert sentence(sentences, "提案人：民进宜宾市委员会").part == "proposals"


# tests/fixtures/digest_no_headings.txt (written for this project): a county press digest with no headings at
# all, only a title, a 本报讯 lead and paragraphs opened by 报告指出 / 报告提出 / 报告强调.
@pytest.fixture(scope="module")
def digest():
    return run("digest_no_headings.txt")


def test_digest_without_headings_gets_a_part_per_paragraph(digest):
    _, clean, edits, sections, sentences = digest
    assert [(s.part, s.heading) for s in sections[1:]] == [
        ("front", "桐庐县人大常委会工作报告解读"), ("review", ""), ("plan", "")]
    assert clean[sections[2].char_start:].startswith("报告指出，一年来")
    assert clean[sections[3].char_start:].startswith("报告提出，2025年")
    part_of = {s.text: s.part for s in sentences}
    assert part_of["报告回顾了2024年的主要工作，部署了2025年的工作任务。"] == "front"
    assert part_of["会议由主席团主持。"] == "review"
    assert part_of["报告提出，2025年县人大常委会将听取审议专项工作报告15项，开展执法检查3次，组织专题询问2次。"] == "plan"
    assert next(s for s in sentences if s.text.startswith("报告强调")).part == "plan"


def test_digest_repeat_english_and_abbreviation(digest):
    _, clean, edits, _, _ = digest
    assert clean.count("首次对县政府4个部门开展满意度测评，督促有关部门整改问题37个。") == 1
    assert clean.count("会议由主席团主持。") == 2            # short formulaic sentence: kept
    assert "立改废 and 释工作" in clean and "配合开展立法和监督调研5次" in clean
    assert [(e.kind, e.action, e.before, e.after) for e in edits if e.kind in ("english_intrusion", "typo")] == [
        ("english_intrusion", "flagged", "and", "和"), ("english_intrusion", "applied", " and ", "和")]
