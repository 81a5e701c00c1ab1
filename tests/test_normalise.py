"""Normalisation: edits in raw coordinates that replay to the clean text, and each cleaning rule on real
sentences of the seeds plus hostile strings."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.text.normalise import clean_to_raw, normalise, raw_to_clean, replay

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED_000 = SEEDS / "000_176ab9c851656b8e.txt"
SEED_001 = SEEDS / "001_4a3b9fde25d10259.txt"
HALF_BESIDE_CJK = re.compile(r"[\u4e00-\u9fff][,;:?!()]|[,;:?!()][\u4e00-\u9fff]")


@pytest.fixture(scope="module", params=[SEED_000, SEED_001], ids=["seed000", "seed001"])
def seed(request):
    raw = request.param.read_text("utf-8")
    clean, edits = normalise(raw)
    return raw, clean, edits


def check_log(raw: str, clean: str, edits) -> None:
    assert replay(raw, edits) == clean
    applied = sorted((e for e in edits if e.action == "applied"), key=lambda e: (e.raw_start, e.raw_end))
    for a, b in zip(applied, applied[1:]):
        assert a.raw_end <= b.raw_start, (a, b)
    for e in edits:
        assert raw[e.raw_start:e.raw_end] == e.before
        if e.action == "applied":
            assert clean[e.clean_start:e.clean_end] == e.after
            assert e.confidence == 1.0 or e.kind == "misplaced_heading"
        else:
            assert e.action == "flagged" and e.confidence < 1
    # every clean character outside a replacement maps back to the same raw character
    inside = set()
    for e in applied:
        inside.update(range(e.clean_start, e.clean_end))
    for c in range(len(clean)):
        if c not in inside:
            r = clean_to_raw(edits, c)
            assert raw[r] == clean[c], (c, r)
            assert raw_to_clean(edits, r) == c


def test_seed_edit_log_replays(seed):
    check_log(*seed)


def test_seed_no_half_width_beside_cjk(seed):
    _, clean, _ = seed
    assert not HALF_BESIDE_CJK.search(clean)


@pytest.mark.parametrize("raw_piece, clean_piece", [
    ("健全政府债务管理情况报告制\n\n度,督促政府依法举债", "健全政府债务管理情况报告制度，督促政府依法举债"),
    ("旁听常委会会议,组织\n\n社会各界参观", "旁听常委会会议，组织社会各界参观"),
    ("实行“版权\n\n收购+收益分红”机制", "实行“版权收购+收益分红”机制"),
    ("提升设施利用率;实\n\n施算力底座", "提升设施利用率；实施算力底座"),
    ("指导区县(市)健全", "指导区县（市）健全"),
    ("《具身智能产业发展三年行动计划(2026—2028)》", "《具身智能产业发展三年行动计划（2026—2028）》"),
    ("### 2026 昂首阔步新征程,凝心聚力再出发", "### 2026 昂首阔步新征程，凝心聚力再出发"),
    ("严格管债。聚焦“一老一小”守护加强监督。", "严格管债。\n\n聚焦“一老一小”守护加强监督。"),
    ("能力,建立场\n\n#### 提振消费", "能力，建立场景创新券制度"),
    ("实现高质量发展。\n\n提升重点群体", "实现高质量发展。\n\n#### 提振消费 助力拉动经济增长主引擎\n\n提升重点群体"),
], ids=["pagebreak_word", "pagebreak_sentence", "pagebreak_quote", "pagebreak_semicolon", "brackets_cjk",
        "brackets_years", "heading_comma", "lead_in_split", "heading_intrusion_join", "heading_reinserted"])
def test_seed000_repairs(raw_piece, clean_piece):
    raw = SEED_000.read_text("utf-8")
    clean, _ = normalise(raw)
    assert raw_piece in raw
    assert clean_piece in clean


@pytest.mark.parametrize("raw_piece, clean_piece", [
    ("转化爲依法履职", "转化为依法履职"),
    ("业务专题講座28期", "业务专题讲座28期"),
    ("示范 points 建设", "示范点建设"),
    ("执法检查 and 视察调研", "执法检查和视察调研"),
    ("法律监督和工 作监督", "法律监督和工作监督"),
    ("脱贫攻坚巩固巩固提升", "脱贫攻坚巩固提升"),
    ("嵩山历史建筑群群保护", "嵩山历史建筑群保护"),
    ("税务局增增值税", "税务局增值税"),
    ("全面推开民生实事项目\n\n人大代表票决制", "全面推开民生实事项目人大代表票决制"),
    ("钉钉子精神", "钉钉子精神"),
    ("一张张“民生清单”变为实实在在的", "一张张“民生清单”变为实实在在的"),
    ("常委会会议", "常委会会议"),
], ids=["t2s_wei", "t2s_jiang", "english_points", "english_and", "space_in_word", "doubled_word",
        "doubled_char", "doubled_char_2", "pagebreak", "keep_idiom", "keep_reduplication", "keep_word_boundary"])
def test_seed001_repairs(raw_piece, clean_piece):
    raw = SEED_001.read_text("utf-8")
    clean, _ = normalise(raw)
    assert raw_piece in raw
    assert clean_piece in clean


def test_seed001_duplicated_passage_removed_once():
    raw = SEED_001.read_text("utf-8")
    clean, edits = normalise(raw)
    assert clean.count("考核评价等方式，加强对议案建议办理工作的监督。") == 1
    assert "加强对议案建议办理工作的监督。本届以来" in clean
    assert "基本形成初任监督" not in clean
    assert {e.kind for e in edits if e.rule == "dup.passage_repeated"} == {"duplicated_sentence"}


def test_seed000_typos_flagged_not_applied():
    raw = SEED_000.read_text("utf-8")
    clean, edits = normalise(raw)
    flagged = {e.before: e.after for e in edits if e.action == "flagged" and e.kind == "typo"}
    assert flagged == {"题议": "议题", "研发一中试一制造一应用": "研发—中试—制造—应用", "理网络": "理网格",
                       "从“民意直通车”到“幸福加油站”": "《从“民意直通车”到“幸福加油站”》",
                       "聚焦算力枢纽建设,供给生态重塑": "聚焦算力枢纽建设、供给生态重塑",
                       "管理和情况": "管理情况", "调度量": "度量"}
    for piece in ("重点题议进站", "研发一中试一制造一应用", "网络化服务管理条例二审"):
        assert piece in clean  # flags never change the text
    assert not [e for e in edits if e.kind == "typo" and e.action == "applied"]


@pytest.mark.parametrize("text, expected", [
    ("坚持科学立法民主立法依法立法，以良法促进发展。", []),
    ("坚持科学立法、民主立法、依法立法。", []),
    ("推进南北水调工程。", [("南北水调", "南水北调")]),
    ("推动“研发一中试一制造一应用”贯通。", [("研发一中试一制造一应用", "研发—中试—制造—应用")]),
    ("共建“一带一路”。", []),
    ("修订《江西省森林条例》实施以来两个月。", []),
    ("听取审议国有资产管理和情况综合报告。", [("管理和情况", "管理情况")]),
    ("对发现的问题和情况及时报告。", []),
    ("制定算力资源统一调度量与调度规范。", [("调度量", "度量")]),
    ("人民选我当代表。", []),
    ("坚持有件必备、有备必审、有错必究。", [("有错必究", "有错必纠")]),
    ("与时具进提高效能。", [("与时具进", "与时俱进")]),
    ("加强规性范文件备案审查。", [("规性范", "规范性")]),
    ("围绕海洋经济，数字经济、民营经济等重点领域。", [("海洋经济，数字经济", "海洋经济、数字经济")]),
    ("代表建议全部办理了完毕。", [("办理了完毕", "办理完毕")]),
    ("选举工作风清气正。", []),
    ("审议《关于批准某市2024年市级决算的决议》《关于批准调整某市2025年市级预算的决议》。", []),
    ("完成某市社会治理网格化服务管理条例一审。明年完成某市社会治理网络化服务管理条例二审。",
     [("理网络", "理网格")]),
    ("", []),
    ("。，、；", []),
    ("一一一一一一", []),
], ids=["three_phrases", "three_phrases_commas", "phrase_transposed", "numeral_dash", "yidaiyilu",
        "title_count_not_flagged", "dangling_conjunction", "conjunction_between_nouns", "overlapping_nouns",
        "overlap_with_verb", "homophone_in_phrase", "homophone_in_idiom", "transposed_in_word", "comma_in_list",
        "stray_particle", "fixed_phrase_not_overlap", "two_titles_one_sentence", "name_spelled_twice", "empty", "only_punct", "only_yi"])
def test_typo_flags_examples(text, expected):
    from pipeline.text.clean_typo import typo_flags
    assert [(text[s:e], after) for s, e, after, _, _ in typo_flags(text)] == expected


def test_seed001_phrase_near_misses_flagged():
    clean, edits = normalise(SEED_001.read_text("utf-8"))
    flagged = {e.before: e.after for e in edits if e.action == "flagged"}
    assert flagged["南北水调"] == "南水北调"
    assert flagged["人民当家作新"] == "人民当家作主"
    assert "风清气正" not in "".join(flagged)  # a fixed phrase is not a transposition


@pytest.mark.parametrize("raw, clean", [
    ("", ""),
    ("。，、；", "。，、；"),
    ("\r\n\r\n第一段。\r\n", "第一段。\n"),
    ("工作\x07报告。", "工作报告。"),
    ("合计１２３件，ＡＢＣ。", "合计123件，ABC。"),
    ("数字1,000和10:30不变。", "数字1,000和10:30不变。"),
    ("RCEP, IP and AI", "RCEP, IP and AI"),
    ("加强合作,推动发展!", "加强合作，推动发展！"),
    ("支持 RCEP 区域合作", "支持 RCEP 区域合作"),
    ("出现 unknownword 的情况。", "出现 unknownword 的情况。"),
    ("😀表情(附件)", "😀表情（附件）"),
    ("　　过去一年，工作扎实。", "过去一年，工作扎实。"),
    ("9" * 400, "9" * 400),
    # page-number lines are page furniture: removed, and the paragraph they split is joined
    ("常委会高度重视，认真做好办理代表建\n\n- 5 -\n\n议和督办工作，成效明显。",
     "常委会高度重视，认真做好办理代表建议和督办工作，成效明显。"),
    ("第一段结束。\n\n— 12 —\n\n第二段开始。", "第一段结束。\n\n第二段开始。"),
    ("收入稳步增长，财政\n\n第 5 页 共 20 页\n\n收入增长。", "收入稳步增长，财政收入增长。"),
    ("1\n2\n3\n", "1\n2\n3\n"),
    # an English word opening a line stands for a Chinese one as well
    ("第二部分\n\nreport指出，明年是开局之年。", "第二部分\n\n报告指出，明年是开局之年。"),
    ("Hello world\n", "Hello world\n"),
], ids=["empty", "only_punct", "crlf", "control", "fullwidth_alnum", "digits_keep_half", "latin_only",
        "exclaim", "acronym_spaces", "unknown_english", "emoji", "indent", "huge_number", "page_number_in_word",
        "page_number_between_paragraphs", "page_x_of_y", "bare_numbers_kept", "english_at_line_start",
        "english_line_alone"])
def test_hostile_and_small(raw, clean):
    got, edits = normalise(raw)
    assert got == clean
    check_log(raw, got, edits)


def test_unknown_english_is_flagged():
    _, edits = normalise("出现 unknownword 的情况。")
    assert [(e.kind, e.action, e.before) for e in edits] == [("english_intrusion", "flagged", "unknownword")]


ALPHABET = list("工作报告人大代表常委会议监督。，、；：！？“”（）,;:?!()爲講創 \n\r\t　ａ１2") + \
    ["\n\n", "points", " and ", "**一、", "**", "### ", "巩固巩固", "群群", "制\n\n度", "Ｘ", "\x07"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ALPHABET), max_size=60))
def test_replay_property_generated(pieces):
    raw = "".join(pieces)
    clean, edits = normalise(raw)
    check_log(raw, clean, edits)
    assert not HALF_BESIDE_CJK.search(clean)


# A sentence repeated later in the same section (another paragraph, not adjacent) is removed once.
DUP_BASE = "监督工作扎实有效。组织专题询问9次，开展专题调研47项，对42个市直部门开展工作评议，提出审议意见380余条。"


@pytest.mark.parametrize("raw, clean", [
    (DUP_BASE + "\n\n聚焦民生福祉，推动新增公办学位约2.8万个。\n\n对42个市直部门开展工作评议，提出审议意见380余条。\n",
     DUP_BASE + "\n\n聚焦民生福祉，推动新增公办学位约2.8万个。\n"),
    (DUP_BASE + "\n\n开展专题询问9次，对42个市直部门开展工作评议，提出审议意见380余条。\n",     # one verb differs
     DUP_BASE + "\n"),
    (DUP_BASE + "\n\n组织专题询问8次，对42个市直部门开展工作评议，提出审议意见380余条。\n",     # a number differs
     DUP_BASE + "\n\n组织专题询问8次，对42个市直部门开展工作评议，提出审议意见380余条。\n"),
    ("会议由主席团主持。\n\n开展视察调研。\n\n会议由主席团主持。\n",                          # short formula
     "会议由主席团主持。\n\n开展视察调研。\n\n会议由主席团主持。\n"),
    (DUP_BASE + "\n\n### 二、代表工作\n\n对42个市直部门开展工作评议，提出审议意见380余条。\n",   # another section
     DUP_BASE + "\n\n### 二、代表工作\n\n对42个市直部门开展工作评议，提出审议意见380余条。\n"),
    ("新的一年，我们将持续推进各项工作落到实处见到实效。另起一句话，新的一年，我们将持续推进各项工作落到实处。\n",
     "新的一年，我们将持续推进各项工作落到实处见到实效。另起一句话，新的一年，我们将持续推进各项工作落到实处。\n"),
], ids=["later_paragraph", "verb_differs", "number_differs", "short_formula", "other_section", "part_of_sentence"])
def test_repeated_sentence_in_section(raw, clean):
    got, edits = normalise(raw)
    assert got == clean
    check_log(raw, got, edits)
    removed = [e for e in edits if e.kind == "duplicated_sentence"]
    assert len(removed) == (raw != clean)


@pytest.mark.parametrize("raw, clean, action", [
    ("推动法规立改废 and 释工作。", "推动法规立改废 and 释工作。", "flagged"),      # 废|和|释 splits words
    ("配合开展执法检查 and 视察调研。", "配合开展执法检查和视察调研。", "applied"),
    ("推进基层示范 points 建设。", "推进基层示范点建设。", "applied"),
    ("坚持 and 完善制度。", "坚持和完善制度。", "applied"),
], ids=["splits_words", "between_words", "inside_word", "verbs"])
def test_english_translation_must_read_naturally(raw, clean, action):
    got, edits = normalise(raw)
    assert got == clean
    assert [e.action for e in edits if e.kind == "english_intrusion"] == [action]


def test_abbreviation_is_not_a_near_miss():
    text = ("在本县第十七届人民代表大会第三次会议上。组织第十七届人大代表开展培训。"
            "组织第十七届人民代表大会代表视察。")
    _, edits = normalise(text)
    assert [e for e in edits if e.kind == "typo"] == []


def test_is_cjk_agrees_with_the_cjk_class():
    """The per-character test and the regex class cover the same ideographs, rare name characters included."""
    from pipeline.text.clean_lex import CJK_RE, is_cjk
    for ch in "郑㙟𠮷𡌶豈a1，":
        assert is_cjk(ch) == bool(CJK_RE.fullmatch(ch)), ch
    assert is_cjk("𠮷") and not is_cjk("，") and not is_cjk("")
