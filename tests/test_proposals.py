"""CPPCC proposals: titles, proposers, recommendations, page breaks and a misplaced title."""
from __future__ import annotations

import pytest

from pipeline.extract.proposals import extract_proposals
from pipeline.text.model import Section


def section(clean: str) -> list[Section]:
    return [Section(0, None, 1, "", "front", 0, 0, 0, 0),
            Section(1, None, 1, "提案选编", "proposals", 0, 0, 0, len(clean))]


def summary(clean: str, sections=None):
    props = extract_proposals(clean, section(clean) if sections is None else sections, [])
    for p in props:
        assert clean[p.title_start:p.title_end] == p.title
        for r in p.recommendations:
            assert clean[r.char_start:r.char_end] == r.text
    return [(p.title, p.proposer, p.proposer_kind, len(p.recommendations)) for p in props]


MEMBER = """### 提案选编

#### 以青年赛事为引擎 激活郑州文创发展动能

将郑州文化底蕴与青年潮流赛事深度结合，是摆脱文创产业困境的关键路径。

市政协委员张艳凤建议，实施“青春赛场”文化赋能计划，评估升级青年赛事；在赛事各环节融入本土文化元素。

搭建“青年创客”全链条孵化平台，对优秀作品实行“版权

收购+收益分红”机制并开设创意成果转化专区。

拓展“数字+”与“场景+”新业态，鼓励利用新技术开发数字文创产品。
"""

SEMICOLONS = """### 提案选编

#### 推动郑州纳入国家“具身智能+制造业”融合试点城市

“具身智能”是国家“十五五”规划建议中未来产业的重点方向。

市政协委员赵新珍建议，制定专项发展规划；实施“强基铸核”工程；打造“中原场景试验场”；构建产业链支撑体系；积极争取国家政策支持。
"""

PARTY = """### 提案选编

#### 强化郑州算力枢纽功能 深度融入全国一体化算力体系

如何强化郑州算力枢纽功能，是当前郑州发展面临的重要课题。

九三学社郑州市委员会建议，聚焦算力枢纽建设，供给生态重塑、算力赋能深化、保障网络完善四大重点，多措并举推动发展。

建强“中枢纽带”，打通全国对接通道。争取将郑州纳入试点城市。

重塑“供给生态”，提升资源配置效能。加快算力项目建设。

做深“算力赋能”，打造产业协同新格局。聚焦重点领域打造典型应用场景。

织密“保障网络”，筑牢安全发展底线。制定算力体系建设支持政策。
"""

# the second title sits in the middle of the first proposal's paragraph (raw layout of seed 000)
MISPLACED_RAW = """### 提案选编

#### 加快场景培育与开放 推动新场景大规模应用

场景是连接技术与产业的关键桥梁。

市政协委员任瑜建议，构建场景培育开放机制，进一步开放场景资源，引导各类市场主体发掘需求、拓展新场景。

增强中小企业场景参与能力，建立场

#### 提振消费 助力拉动经济增长主引擎

场景创新券制度，根据发展重点调整发放力度和范围，补贴中小企业购买相关场景资源。

扩大场景应用体系建设，鼓励各类主体参与人工智能、低空经济等领域应用场景建设，推动场景应用规范化、规模化发展。

提升重点群体就业创业能力。

加快新型消费场景培育，完善配套设施建设。结合郑州文化特色改造特色商业街区。

疏通以旧换新梗阻，释放消费需求。扩大补贴范围，增设首次购车补贴。

本报记者 杨丽萍 张倩
"""

# the same after cleaning moved the title behind the interrupted paragraph
MISPLACED_AT_PARA = MISPLACED_RAW.replace("建立场\n\n#### 提振消费 助力拉动经济增长主引擎\n\n场景创新券制度", "建立场景创新券制度").replace(
    "相关场景资源。\n\n", "相关场景资源。\n\n#### 提振消费 助力拉动经济增长主引擎\n\n", 1)

PLAIN = """提案选编
关于加强社区养老服务的提案
我市老龄化程度不断加深。
民盟某某市委员会建议，完善社区养老服务网络；加大养老护理人员培训力度；推进医养结合。
关于优化营商环境的提案
市政协委员李明、王芳建议，深化“放管服”改革。
推进政务服务一网通办。
"""


@pytest.mark.parametrize("text,expected", [
    (MEMBER, [("以青年赛事为引擎 激活郑州文创发展动能", "张艳凤", "member", 3)]),
    (SEMICOLONS, [("推动郑州纳入国家“具身智能+制造业”融合试点城市", "赵新珍", "member", 5)]),
    (PARTY, [("强化郑州算力枢纽功能 深度融入全国一体化算力体系", "九三学社郑州市委员会", "party_committee", 4)]),
    (MISPLACED_RAW, [("加快场景培育与开放 推动新场景大规模应用", "任瑜", "member", 3),
                     ("提振消费 助力拉动经济增长主引擎", "", "unknown", 3)]),
    (MISPLACED_AT_PARA, [("加快场景培育与开放 推动新场景大规模应用", "任瑜", "member", 3),
                         ("提振消费 助力拉动经济增长主引擎", "", "unknown", 3)]),
    (PLAIN, [("关于加强社区养老服务的提案", "民盟某某市委员会", "party_committee", 3),
             ("关于优化营商环境的提案", "李明、王芳", "member", 2)]),
], ids=["member_paragraphs", "semicolon_clauses", "party_committee_summary", "misplaced_title_raw",
        "misplaced_title_moved", "plain_lines"])
def test_proposals(text, expected):
    assert summary(text) == expected


def test_recommendation_text_of_page_break():
    p = extract_proposals(MEMBER, section(MEMBER), [])[0]
    assert p.recommendations[0].text.startswith("实施“青春赛场”文化赋能计划")
    assert "收购+收益分红" in p.recommendations[1].text


def test_group_proposer():
    text = "### 提案选编\n\n#### 加快发展数字经济\n\n市政协经济界别建议，建设数据交易平台；培育数字企业。\n"
    assert summary(text) == [("加快发展数字经济", "市政协经济界别", "group", 2)]


@pytest.mark.parametrize("text", ["", "，。；", "提案选编\n", "#### \n\n😀"], ids=["empty", "punct", "container", "odd"])
def test_hostile(text):
    assert summary(text, section(text)) == []


def test_no_proposals_part():
    text = "# 工作报告\n\n过去一年，制定条例3件。\n"
    assert extract_proposals(text, [Section(0, None, 1, "", "front", 0, 0, 0, len(text))], []) == []


# A CPPCC digest in plain title lines (audit document /tmp/audit/audit_proposals.txt, written for this
# project): a long digest title, a proposer after a background sentence, proposer lines, 工商联.
AUDIT = """政协宜宾市委员会2024年度重点提案选编

关于加快发展银发经济的建议
当前，我市60岁以上老年人口已超过100万，占总人口的22.5%。民盟宜宾市委员会建议：一是完善养老服务设施布局，推进社区嵌入式养老服务；二是培育银发经济市场主体；三是加强老年用品研发和推广。

优化营商环境 助力民营经济发展
市工商联建议：进一步清理涉企收费；建立政企常态化沟通机制；加大对中小微企业的金融支持力度。

推进无废城市建设
近年来，我市固体废物产生量逐年增加。建议：完善生活垃圾分类收运体系；推动建筑垃圾资源化利用。

关于提升中小学课后服务质量的建议
提案人：民进宜宾市委员会
目前我市课后服务内容较为单一。建议：一是丰富课后服务课程供给；二是引入优质社会资源参与课后服务。

关于完善基层医疗卫生服务体系的建议
提案人：市政协委员　陈刚
建议：加强乡镇卫生院能力建设；推进县域医共体建设；提高乡村医生待遇。
"""


def test_audit_digest():
    secs = [Section(0, None, 1, "", "front", 0, 0, 0, 0),
            Section(1, None, 1, "政协宜宾市委员会2024年度重点提案选编", "proposals", 0, 21, 0, len(AUDIT))]
    assert summary(AUDIT, secs) == [
        ("关于加快发展银发经济的建议", "民盟宜宾市委员会", "party_committee", 3),
        ("优化营商环境 助力民营经济发展", "市工商联", "group", 3),
        ("推进无废城市建设", "", "unknown", 2),
        ("关于提升中小学课后服务质量的建议", "民进宜宾市委员会", "party_committee", 2),
        ("关于完善基层医疗卫生服务体系的建议", "陈刚", "member", 3),
    ]


@pytest.mark.parametrize("line,expected", [
    ("提案人：致公党宜宾市委员会", ("致公党宜宾市委员会", "party_committee")),
    ("提出单位：台盟某某市支部", ("台盟某某市支部", "party_committee")),
    ("提案单位：市政协农业和农村界别", ("市政协农业和农村界别", "group")),
    ("提案者: 张三", ("张三", "member")),
    ("提案人：市政协委员 李四", ("李四", "member")),
    ("提案人：", ("", "unknown")),
    ("提案人：😀😀", ("", "unknown")),
], ids=["party", "branch", "sector", "halfwidth_colon", "member_title", "empty", "odd"])
def test_proposer_lines(line, expected):
    text = f"提案选编\n关于加强某项工作的建议\n{line}\n建议：一是加强统筹；二是加大投入。\n"
    got = summary(text)
    assert [(g[1], g[2]) for g in got] == [expected]


@pytest.mark.parametrize("title", ["政协宜宾市委员会2024年度重点提案选编", "中国人民政治协商会议某某市委员会十四届三次会议优秀提案",
                                   "重点提案"], ids=["long_digest", "very_long", "short"])
def test_digest_title_is_never_a_proposal(title):
    text = f"{title}\n关于加强某项工作的建议\n市工商联建议：加强统筹；加大投入。\n"
    assert summary(text) == [("关于加强某项工作的建议", "市工商联", "group", 2)]


# Proposer lines under a title (grammar of the second blind audit; sentences written for this project):
# a member's title and name, a democratic party's branch, a federation, a sector; never a new proposal.
BARE = """某县政协提案选编

编者按：本报摘登部分优秀提案。

发展山区特色茶产业
县政协委员王晓东
我县茶园面积大但品牌弱。建议：一是建设茶叶加工园区；二是打造区域公用品牌。

完善农村养老服务体系 提升老年人幸福感
九三学社某县支社
老龄化程度加深。为此建议：（一）建设互助养老点；（二）培育护理人才；（三）推广长者食堂。

促进妇女就业创业
县妇联
建议：一是开展技能培训；二是设立创业贷款。

推进科技成果转化
县政协经济界别
建议：一是建立转化平台；二是完善激励机制；三是培育技术经纪人。

加快县域物流体系建设
民盟某县总支
物流成本偏高。建议：一是建设县级物流中心；二是整合快递资源。

关于加强学校体育工作的建议
当前学生体质有待增强。建议：一是保障体育课时；二是改善场地设施。
"""


def test_bare_proposer_lines():
    assert summary(BARE) == [
        ("发展山区特色茶产业", "王晓东", "member", 2),
        ("完善农村养老服务体系 提升老年人幸福感", "九三学社某县支社", "party_committee", 3),
        ("促进妇女就业创业", "县妇联", "group", 2),
        ("推进科技成果转化", "县政协经济界别", "group", 3),
        ("加快县域物流体系建设", "民盟某县总支", "party_committee", 2),
        ("关于加强学校体育工作的建议", "", "unknown", 2),
    ]


@pytest.mark.parametrize("line,expected", [
    ("市政协委员张华、李明", [("关于加强某项工作的建议", "张华、李明", "member", 2)]),
    ("委员 赵六", [("关于加强某项工作的建议", "赵六", "member", 2)]),
    ("民进某市委员会", [("关于加强某项工作的建议", "民进某市委员会", "party_committee", 2)]),
    ("县工商联", [("关于加强某项工作的建议", "县工商联", "group", 2)]),
], ids=["two_members", "member_space", "party_committee", "federation"])
def test_bare_proposer_line_forms(line, expected):
    text = f"提案选编\n关于加强某项工作的建议\n{line}\n建议：一是加强统筹；二是加大投入。\n"
    assert summary(text) == expected


@pytest.mark.parametrize("line", ["推动成立老年协会", "陈丽华", "委员😀", "县政协委员", "支持民营经济发展 优化营商环境"],
                         ids=["title_ending_in_suffix", "bare_name", "odd", "title_only", "spaced_title"])
def test_title_line_is_not_a_proposer(line):
    text = f"提案选编\n关于加强某项工作的建议\n{line}\n建议：一是加强统筹；二是加大投入。\n"
    got = summary(text)
    assert all(g[1] != line for g in got)


# Audit 3 layout: a digest with an editor's note, proposer lines (市委会), enumerated recommendations
# inside one paragraph, handling reports after each proposal and a bracketed source line at the end.
DIGEST3 = """某市政协2025年度优秀提案选编

编者按：现将部分优秀提案摘编如下，供各承办单位参阅，所提建议多数已被采纳。

发展茶叶精深加工 提升茶产业综合效益
市政协委员王建国
我市茶园面积较大，但精深加工能力不足。为此建议：一是培育龙头加工企业，延伸产业链；二是建设茶叶交易中心；三是打造区域公用品牌。
【办理情况】该提案由市农业农村局主办，相关建议已纳入产业规划。

关于完善社区养老服务设施的建议
民盟某市委会
我市老龄化程度加深，社区养老设施短缺。建议：
1.新建小区按标准配建养老服务用房；
2.盘活闲置资源改建养老设施；
3.加大运营补贴力度。
承办单位：市民政局
办理结果：已出台社区养老设施建设方案。

推动乡村文化振兴
民进某市委员会
乡村文化设施利用率不高。建议从以下方面着力：（一）建强村级文化阵地；（二）培育乡土文化人才。【办理情况】市文化广电旅游局已办理。

加强校园食品安全管理的建议
当前校园食品安全监管仍有薄弱环节。建议：第一，落实校长陪餐制度；第二，推行明厨亮灶；第三，建立家长参与监督机制；第四，定期公开检测结果。

（市政协提案委员会办公室供稿）

说明：本选编根据提案原文摘编，个别文字有删节。
"""


def test_audit3_digest():
    got = summary(DIGEST3, sections=[])
    assert got == [
        ("发展茶叶精深加工 提升茶产业综合效益", "王建国", "member", 3),
        ("关于完善社区养老服务设施的建议", "民盟某市委会", "party_committee", 3),
        ("推动乡村文化振兴", "民进某市委员会", "party_committee", 2),
        ("加强校园食品安全管理的建议", "", "unknown", 4),
    ]


def test_audit3_recommendations_stop_at_handling_report():
    props = extract_proposals(DIGEST3, [], [])
    texts = [r.text for p in props for r in p.recommendations]
    assert texts[0].startswith("一是培育龙头加工企业")
    assert not any("办理" in t or "承办单位" in t for t in texts)
    assert props[2].recommendations[-1].text == "（二）培育乡土文化人才。"


@pytest.mark.parametrize("line", ["（市政协提案委员会办公室供稿）", "(本报记者整理)", "编者按：以下提案供参阅。",
                                  "说明：个别文字有删节。"], ids=["source", "source_half", "editor_note", "note"])
def test_front_and_back_matter_is_never_a_proposal(line):
    text = "某市政协优秀提案选编\n\n" + line + "\n\n建议加强管理，完善制度。\n"
    assert summary(text, sections=[]) == []


@pytest.mark.parametrize("body,n", [
    ("建议：一是甲；二是乙；三是丙。", 3),
    ("建议：一是甲；三是丙。", 2),            # 三是 out of order: the run stops at 一是 → no list, ；-split
    ("建议：（1）甲；（2）乙。", 2),
    ("建议：1.5万元补贴太少；应当提高。", 2),  # 1.5 is a number, not a marker
], ids=["yishi", "broken_run", "paren_digits", "decimal"])
def test_enumerated_recommendations(body, n):
    text = "### 提案选编\n\n#### 关于某事的建议\n\n" + body + "\n"
    assert summary(text)[0][3] == n


# Audit 4 layout (sentences written for this project): titles numbered without markdown, 提案人 lines naming
# a member by "<name>委员" or "<name>（description）", recommendations after a "建议：" line as （一）… lines,
# as 1）… lines followed by a handling report, problems listed with 一是… before the recommendations, one
# unnumbered 为此建议 paragraph, a closing 以上提案… paragraph and a bracketed source line.
NUMBERED = """某市政协2025年度重点提案摘编

1.关于加快培育低空经济产业集群的提案
提案人：王建国委员
我市低空经济起步较晚。一是产业链条短，二是应用场景少，三是配套政策不足。
建议：一是编制产业发展规划；二是建设低空飞行服务站；三是设立产业发展基金。

2、关于加强城市内涝治理的提案
提案人：陈丽华（市政协委员，市第二医院副院长）
近年来极端天气频发。
建议：
（一）加强规划统筹。将排水防涝纳入国土空间规划。
（二）加快管网改造。推进雨污分流。
（三）提升监测预警能力。建设智慧水务平台。
（四）完善应急处置机制。定期开展演练。

3）关于推动科技成果转化的提案
提案人：民建宁波市委会
科技成果转化率偏低。具体建议如下：
1）建设成果转化中试基地。
2）培育技术经纪人队伍。
3）完善科研人员激励机制。
办理情况：该提案由市科技局主办，答复称已出台相关政策，建议已被采纳。

（1）关于发展银发经济的提案
提案人：市政协委员 周晓敏
我市老龄化程度加深，养老服务供给不足。
为此建议，由市政府牵头建立银发经济发展协调机制，明确各部门职责，统筹推进养老服务和老年用品产业发展。

一、关于保护历史文化街区的提案
提案人：九三学社宁波市委会
历史街区保护面临压力。对策建议：
加强街区风貌管控。
引导社会资本参与活化利用。

①关于促进民营经济发展的提案
提案人：市工商联
民营企业融资难。
建议加大信贷投放，降低融资成本。
完善政府性融资担保体系。

以上提案已交市政府有关部门办理，办理情况将适时向社会公开。

（市政协提案委员会办公室整理）
"""


def test_numbered_digest():
    assert summary(NUMBERED) == [
        ("关于加快培育低空经济产业集群的提案", "王建国", "member", 3),
        ("关于加强城市内涝治理的提案", "陈丽华", "member", 4),
        ("关于推动科技成果转化的提案", "民建宁波市委会", "party_committee", 3),
        ("关于发展银发经济的提案", "周晓敏", "member", 1),
        ("关于保护历史文化街区的提案", "九三学社宁波市委会", "party_committee", 2),
        ("关于促进民营经济发展的提案", "市工商联", "group", 2),
    ]


def test_numbered_digest_recommendation_texts():
    props = extract_proposals(NUMBERED, section(NUMBERED), [])
    texts = [[r.text for r in p.recommendations] for p in props]
    assert texts[0][0] == "一是编制产业发展规划；"     # not the problems' 一是产业链条短
    assert texts[1][0] == "（一）加强规划统筹。将排水防涝纳入国土空间规划。"
    assert texts[2][-1] == "3）完善科研人员激励机制。"
    assert texts[3] == ["由市政府牵头建立银发经济发展协调机制，明确各部门职责，统筹推进养老服务和老年用品产业发展。"]
    assert texts[5] == ["加大信贷投放，降低融资成本。", "完善政府性融资担保体系。"]
    assert not any("以上提案" in t or "整理" in t or "办理情况" in t for ts in texts for t in ts)


@pytest.mark.parametrize("numbering", ["1.", "1．", "1、", "1）", "1)", "(1)", "（1）", "一、", "（一）", "①", "12.", "第一，"],
                         ids=["dot", "wide_dot", "comma", "paren", "half_paren", "half_both", "both", "cn_comma",
                              "cn_both", "circled", "two_digits", "di"])
def test_title_numbering_is_stripped(numbering):
    text = f"提案选编\n{numbering}关于加强某项工作的提案\n提案人：王建国委员\n建议：一是加强统筹；二是加大投入。\n"
    assert summary(text) == [("关于加强某项工作的提案", "王建国", "member", 2)]


def test_markdown_title_numbering_is_stripped():
    text = "### 提案选编\n\n#### 2.关于加强某项工作的提案\n\n建议：一是加强统筹；二是加大投入。\n"
    assert summary(text) == [("关于加强某项工作的提案", "", "unknown", 2)]


@pytest.mark.parametrize("line,expected", [
    ("提案人：王建国委员", ("王建国", "member")),
    ("提案人：陈丽华（市政协委员，市第二医院副院长）", ("陈丽华", "member")),
    ("提案人：陈丽华(市政协委员)", ("陈丽华", "member")),
    ("提案人：民建宁波市委会", ("民建宁波市委会", "party_committee")),
    ("提案人：市政协委员 周晓敏", ("周晓敏", "member")),
    ("提案人：九三学社宁波市委会", ("九三学社宁波市委会", "party_committee")),
    ("提案人：张三、李四委员", ("张三、李四", "member")),
    ("提案人：李红梅委员、赵强委员", ("李红梅、赵强", "member")),
    ("提案人：王建国等5位委员", ("王建国", "member")),
    ("提案人：市工商联", ("市工商联", "group")),
    ("领衔提案人：王建国", ("王建国", "member")),
    ("领衔提案人：民盟宁波市委会（执笔：张三）", ("民盟宁波市委会", "party_committee")),
    ("王建国委员", ("王建国", "member")),
    ("陈丽华（市政协委员，市第二医院副院长）", ("陈丽华", "member")),
    ("提案人：（市政协委员）", ("", "unknown")),
], ids=["name_weiyuan", "name_description", "name_half_description", "party_shiweihui", "title_space_name",
        "jiusan", "two_names_weiyuan", "two_names_each", "deng_n_wei", "federation", "lead_proposer",
        "party_with_note", "bare_name_weiyuan", "bare_name_description", "description_only"])
def test_proposer_line_forms_audit4(line, expected):
    text = f"提案选编\n关于加强某项工作的提案\n{line}\n建议：一是加强统筹；二是加大投入。\n"
    assert summary(text) == [("关于加强某项工作的提案", *expected, 2)]


@pytest.mark.parametrize("para,expected", [
    ("王建国委员提出，应当加强统筹；加大投入。", ("王建国", "member", 2)),
    ("市政协王建国委员建议：加强统筹；加大投入。", ("王建国", "member", 2)),
    ("当前问题突出。张三、李四委员建议，加强统筹；加大投入。", ("张三、李四", "member", 2)),
], ids=["name_weiyuan_tichu", "body_name_weiyuan", "two_names_after_background"])
def test_member_named_before_title_in_sentence(para, expected):
    text = f"提案选编\n关于加强某项工作的提案\n{para}\n"
    assert summary(text) == [("关于加强某项工作的提案", *expected)]


@pytest.mark.parametrize("body,n", [
    ("建议：\n（一）加强规划统筹。将排水纳入规划。\n（二）加快管网改造。\n（三）提升监测能力。\n（四）完善应急机制。", 4),
    ("为此建议：\n1.加强规划统筹。\n2.加快管网改造。", 2),
    ("具体建议如下：\n（一）编制全域旅游规划\n（二）打造精品旅游线路\n（三）完善旅游服务设施", 3),
    ("对策建议\n加强规划统筹。\n加快管网改造。", 2),
    ("建议从以下方面着力：\n加强规划统筹。\n加快管网改造。\n提升监测能力。", 3),
    ("1）建设中试基地。\n2）培育经纪人队伍。\n3）完善激励机制。\n办理情况：该提案由市科技局主办，答复称已采纳。", 3),
    ("1）建设中试基地。\n2）培育经纪人队伍。\n3）完善激励机制。\n【办理情况】该提案由市科技局主办。", 3),
    ("建设中试基地。\n培育经纪人队伍。\n完善激励机制。\n办理结果：已出台政策，建议已采纳。", 3),
    ("建设中试基地。\n培育经纪人队伍。\n完善激励机制。\n〔答复情况〕市科技局答复称已采纳相关建议。", 3),
    ("建设中试基地。\n培育经纪人队伍。\n完善激励机制。\n承办单位：市科技局", 3),
    ("建设中试基地。\n培育经纪人队伍。\n完善激励机制。办理情况：已采纳。", 3),
    ("建设中试基地。\n培育经纪人队伍。\n完善激励机制。\n办理情况\n该提案由市科技局主办，建议已采纳。", 3),
    ("问题突出：一是链条短，二是场景少，三是政策缺，四是人才少。\n建议：一是编制规划；二是建设站点；三是设立基金。", 3),
    ("问题突出：一是链条短，二是场景少，三是政策缺。建议：一是编制规划；二是建设站点。", 2),
    ("问题突出。\n为此建议，由市政府牵头建立协调机制，明确各部门职责，统筹推进相关工作。", 1),
    ("建设中试基地。\n培育经纪人队伍。\n以上提案已交市政府有关部门办理。\n（市政协提案委员会办公室整理）", 2),
    ("建设中试基地。\n培育经纪人队伍。（市政协提案委员会办公室整理）", 2),
    ("问题突出。\n建议：", 0),
], ids=["yi_lines_after_jianyi", "digit_lines_after_weici", "unpunctuated_items", "duice_line", "to_colon",
        "banli_qingkuang", "banli_bracketed", "banli_jieguo", "dafu_bracketed", "chengban", "banli_inline",
        "banli_alone_line", "problems_then_recs", "problems_then_recs_inline", "single_weici_paragraph",
        "closing_and_source", "inline_source", "announcement_only"])
@pytest.mark.parametrize("head", ["提案人：王建国委员\n", "提案人：民建宁波市委会\n近年来问题日益突出。\n"],
                         ids=["member_line", "party_line_background"])
def test_recommendation_counts_audit4(head, body, n):
    text = "提案选编\n关于加强某项工作的提案\n" + head + body + "\n"
    got = summary(text)
    assert [(g[0], g[3]) for g in got] == [("关于加强某项工作的提案", n)]


def test_list_items_are_not_titles_and_do_not_run_on():
    text = ("提案选编\n1.关于发展县域旅游的提案\n提案人：王建国委员\n建议：\n（一）编制全域旅游规划\n（二）打造精品旅游线路\n"
            "2.关于完善城乡公交的提案\n提案人：李红梅委员\n城乡公交覆盖不足。\n建议加密公交线路；延长运营时间。\n")
    assert summary(text) == [("关于发展县域旅游的提案", "王建国", "member", 2),
                             ("关于完善城乡公交的提案", "李红梅", "member", 2)]


@pytest.mark.parametrize("line", ["1.", "（一）", "①", "提案人：", "办理情况：", "以上提案", "（整理）"],
                         ids=["digit_only", "cn_only", "circled_only", "prefix_only", "progress_only", "closing_only",
                              "source_only"])
def test_hostile_audit4(line):
    text = f"提案选编\n{line}\n"
    assert summary(text) == []
