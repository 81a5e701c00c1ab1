"""Law names, actions, status and jurisdiction from real report sentences and hostile strings."""
from __future__ import annotations

import pytest

from pipeline.extract.laws import extract_laws, jurisdiction
from pipeline.text.model import Sentence


def run(text: str, part: str = "review"):
    sent = Sentence(index=0, section=0, part=part, char_start=0, char_end=len(text), text=text)
    laws = extract_laws(text, [sent])
    for law in laws:
        assert law.quote == text[law.char_start:law.char_end]
    return [(law.name, law.action) for law in laws]


CASES = [
    ("enact", "持续加大法规供给。制定商代都城遗址保护条例，彰显国家历史文化名城特色。",
     [("商代都城遗址保护条例", "enact")]),
    ("revise_full", "全面修订规范性文件备案审查办法，首次听取审议市“一府两院”备案审查工作情况报告。",
     [("规范性文件备案审查办法", "revise")]),
    ("first_reading", "完成高效能社会治理网格化服务管理条例一审，把实践中形成的“十个一”体系上升为法规条款。",
     [("高效能社会治理网格化服务管理条例", "first_reading")]),
    ("inspect_law", "围绕黄河国家战略推进，检查黄河保护法实施情况。", [("黄河保护法", "inspect")]),
    ("law_and_local_measures", "开展家庭教育促进法及我市实施办法执法检查。",
     [("家庭教育促进法", "inspect"), ("家庭教育促进法实施办法", "inspect")]),
    ("decision_of", "围绕对外开放，作出郑州市与国外4个城市缔结友好关系的决定。",
     [("郑州市与国外4个城市缔结友好关系的决定", "enact")]),
    ("decision_on_subject", "围绕进一步优化营商环境作出决定，充分调动和激发市场活力。",
     [("进一步优化营商环境的决定", "enact")]),
    ("decision_guanyu", "作出全国城市中首个关于加强新时代高技能人才队伍建设的决定，将每年5月10日设立为“郑州工匠日”。",
     [("关于加强新时代高技能人才队伍建设的决定", "enact")]),
    ("rules_revise", "修订市人民代表大会议事规则，广泛征求意见后提请本次大会审议；",
     [("市人民代表大会议事规则", "revise")]),
    ("enact_list", "制定停车场建设管理条例、城市公共汽车客运站条例、房屋使用安全管理条例等，出台规范城市轨道交通行为若干规定，",
     [("停车场建设管理条例", "enact"), ("城市公共汽车客运站条例", "enact"), ("房屋使用安全管理条例", "enact"),
      ("规范城市轨道交通行为若干规定", "enact")]),
    ("amend_package", "打包修改城市市容和环境卫生管理条例等8件地方性法规。", [("城市市容和环境卫生管理条例", "amend")]),
    ("law_with_he", "对基本医疗卫生与健康促进法、市文明行为促进条例等法律法规实施情况进行执法检查，",
     [("基本医疗卫生与健康促进法", "inspect"), ("市文明行为促进条例", "inspect")]),
    ("fangzhi_laws", "先后对大气污染防治法、环境保护法实施情况开展执法检查，",
     [("大气污染防治法", "inspect"), ("环境保护法", "inspect")]),
    ("two_measures_he", "修订市人大常委会任免地方国家机关工作人员办法和郑州市国家机关工作人员宪法宣誓实施办法，",
     [("市人大常委会任免地方国家机关工作人员办法", "revise"), ("郑州市国家机关工作人员宪法宣誓实施办法", "revise")]),
    ("yingdui_inside_name", "对突发事件应对管理条例、学校安全管理条例等法规的制定、修订工作开展立法调研。",
     [("突发事件应对管理条例", "research"), ("学校安全管理条例", "research")]),
    ("repeal", "废止城市房屋拆迁管理条例。", [("城市房屋拆迁管理条例", "repeal")]),
    ("quoted_draft", "审议通过《郑州市物业管理条例（修订草案）》。", [("郑州市物业管理条例", "enact")]),
    ("book_title", "表决通过《郑州市物业管理条例》。", [("郑州市物业管理条例", "enact")]),
    ("code", "围绕民法典实施开展法规清理。", [("民法典", "other")]),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_names_and_actions(text, expected):
    assert run(text) == expected


def test_plan_part_is_planned_and_readings_combine():
    text = "完成高效能社会治理网络化服务管理条例二审及上报审批，制定极端天气应对条例，"
    sent = Sentence(0, 0, "plan", 0, len(text), text)
    laws = extract_laws(text, [sent])
    assert [(x.name, x.action, x.status) for x in laws] == [
        ("高效能社会治理网络化服务管理条例", "second_reading", "planned"),
        ("高效能社会治理网络化服务管理条例", "other", "planned"),
        ("极端天气应对条例", "enact", "planned"),
    ]


def test_provincial_list_inspection():
    text = "检查省乡镇人民代表大会主席团工作条例、省街道人大工作条例等法规实施情况；"
    laws = extract_laws(text, [Sentence(0, 0, "plan", 0, len(text), text)])
    assert [(x.name, x.jurisdiction, x.action) for x in laws] == [
        ("省乡镇人民代表大会主席团工作条例", "provincial", "inspect"),
        ("省街道人大工作条例", "provincial", "inspect"),
    ]


NOT_LAWS = [
    ("lifa_zhifa", "推进民主立法、开门立法，依法履职，加强执法监督，坚持法治思维。"),
    ("fangfa", "完善方式方法，想办法解决问题。"),
    ("generic_regs", "对现行有效地方性法规及规范性文件开展专项清理，维护法律法规权威。"),
    ("xianfa_oath", "全面落实宪法宣誓制度，依法组织351名国家机关工作人员进行宪法宣誓。"),
    ("decide_verb", "认真做好讨论决定重大事项和选举任免工作，保障决定权有效行使。"),
    ("decisions_count", "本届以来，共依法作出决议决定53项。"),
    ("guiding_rules", "深入贯彻中央八项规定精神，严格执行有关规定。"),
    ("guiding_verb", "法律规定了代表的权利。"),
    ("slogan", "对中小企业促进“一法一办法”实施情况开展专项监督。"),
    ("empty", ""),
    ("punct", "，。；、《》“”"),
    ("mixed", "law 法 rule 条例 123法 ＡＢＣ条例"),
]


@pytest.mark.parametrize("text", [c[1] for c in NOT_LAWS], ids=[c[0] for c in NOT_LAWS])
def test_not_laws(text):
    assert run(text) == []


def test_constitution_as_object():
    assert run("推动全社会尊崇宪法、学习宪法、遵守宪法、维护宪法。") == [("宪法", "other"), ("宪法", "implement")]


@pytest.mark.parametrize("name,instrument,expected", [
    ("黄河保护法", "law", "national"), ("宪法", "constitution", "national"),
    ("河南省见义勇为人员奖励和保障条例", "regulation", "provincial"), ("省街道人大工作条例", "regulation", "provincial"),
    ("郑州市客运出租汽车管理条例", "regulation", "municipal"), ("物业管理条例", "regulation", "municipal"),
    ("中华人民共和国民法典", "law", "national"),
])
def test_jurisdiction(name, instrument, expected):
    assert jurisdiction(name, instrument) == expected


def test_many_sentences_offsets_are_absolute():
    clean = "制定商代都城遗址保护条例。废止城市房屋拆迁管理条例。"
    s1 = Sentence(0, 0, "review", 0, 13, clean[:13])
    s2 = Sentence(1, 0, "review", 13, len(clean), clean[13:])
    laws = extract_laws(clean, [s1, s2])
    assert [(x.sentence, x.char_start, x.quote) for x in laws] == [
        (0, 2, "商代都城遗址保护条例"), (1, 15, "城市房屋拆迁管理条例")]


# Sentences of the generalisation audit (/tmp/audit, written for this project: provincial and county
# reports in other layouts).
AUDIT = [
    ("quoted_list_adjacent", "对《中华人民共和国水污染防治法》《江西省水资源条例》开展执法检查。",
     [("中华人民共和国水污染防治法", "inspect"), ("江西省水资源条例", "inspect")]),
    ("quoted_list_he", "对《中华人民共和国安全生产法》和《江西省安全生产条例》贯彻实施情况开展执法检查。",
     [("中华人民共和国安全生产法", "inspect"), ("江西省安全生产条例", "inspect")]),
    ("quoted_list_dun", "对《中华人民共和国食品安全法》、《江西省食品安全条例》及《江西省湿地保护条例》开展执法检查。",
     [("中华人民共和国食品安全法", "inspect"), ("江西省食品安全条例", "inspect"), ("江西省湿地保护条例", "inspect")]),
    ("decision_quotes_names", "审议通过关于修改《江西省物业管理条例》等五件地方性法规的决定。",
     [("关于修改《江西省物业管理条例》等五件地方性法规的决定", "enact"), ("江西省物业管理条例", "amend")]),
    ("guanyu_report_not_title", "听取审议关于检查大气污染防治法实施情况的报告。", [("大气污染防治法", "inspect")]),
    ("wrapped_measure", "推动出台江西省实施《中华人民共和国反家庭暴力法》办法。",
     [("江西省实施《中华人民共和国反家庭暴力法》办法", "enact")]),
    ("aspect_le", "常委会审议了江西省中医药条例（草案）。", [("江西省中医药条例", "other")]),
    ("post_adopted", "江西省文明行为促进条例经省人大常委会第九次会议审议通过，自2025年1月1日起施行。",
     [("江西省文明行为促进条例", "enact")]),
    ("post_keeps_revise", "修订江西省森林条例，自2025年1月1日起施行。", [("江西省森林条例", "revise")]),
    ("kinds_not_names", "审查批准设区的市法规和自治条例单行条例41件。", []),
    ("autonomous_county_code", "审议批准长阳土家族自治县自治条例。", [("长阳土家族自治县自治条例", "other")]),
    ("guanyu_de_decision", "作出关于市政府机构改革涉及地方性法规规定的行政机关职责调整问题的决定。",
     [("关于市政府机构改革涉及地方性法规规定的行政机关职责调整问题的决定", "enact")]),
    ("xianfa_phrase", "建设宪法和人民代表大会制度理论研究基地，维护宪法和法律权威。", []),
    ("xianfa_list", "检查宪法和监督法实施情况。", [("宪法", "inspect"), ("监督法", "inspect")]),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in AUDIT], ids=[c[0] for c in AUDIT])
def test_audit_sentences(text, expected):
    assert run(text) == expected


@pytest.mark.parametrize("text,status", [
    ("新的一年，常委会将制定江西省社会信用条例。", "planned"),
    ("2025年，常委会将修订江西省社会信用条例。", "planned"),
    ("拟制定江西省社会信用条例。", "planned"),
    ("常委会计划制定江西省社会信用条例。", "planned"),
    ("明年制定江西省社会信用条例。", "planned"),
    ("将代表建议办理纳入督查，制定江西省社会信用条例。", "done"),
    ("听取审议计划执行情况和计划安排的报告，制定江西省社会信用条例。", "done"),
    ("制定江西省社会信用条例。", "done"),
], ids=["new_year", "year_jiang", "ni", "jihua_subject", "mingnian", "jiang_as_ba", "jihua_noun", "plain"])
def test_plan_cues_in_review(text, status):
    laws = extract_laws(text, [Sentence(0, 0, "review", 0, len(text), text)])
    assert [(x.name, x.status) for x in laws] == [("江西省社会信用条例", status)]


@pytest.mark.parametrize("text", ["了", "审议了", "》《", "《》和《》", "关于《》的决定", "实施《》办法", "等决定",
                                  "关于" * 40 + "的决定", "《" * 30 + "法" + "》" * 30, "经审议通过", "将" * 50])
def test_hostile_grammar(text):
    for law in extract_laws(text, [Sentence(0, 0, "review", 0, len(text), text)]):
        assert law.quote == text[law.char_start:law.char_end] and law.name


@pytest.mark.parametrize("name,expected", [
    ("江西省实施《中华人民共和国反家庭暴力法》办法", "provincial"), ("江西物业管理条例", "provincial"),
    ("吉林市城市管理条例", "municipal"), ("海南藏族自治州草原管理条例", "municipal"), ("海南省椰子保护条例", "provincial"),
])
def test_jurisdiction_province_prefix(name, expected):
    assert jurisdiction(name, "regulation") == expected


# Grammar of the second blind audit (written for this project, not copied from it): counted lists
# sharing one suffix, readings before the name, a verb closing the clause, 自治法, slogans, verbs left
# at a name's head.
AUDIT2 = [
    ("shared_suffix_count", "对省土地整治、农村公路两个条例进行二审。",
     [("省土地整治条例", "second_reading"), ("省农村公路条例", "second_reading")]),
    ("shared_suffix_deng", "对市停车场管理、养犬管理、电梯安全等三个办法进行一审。",
     [("市停车场管理办法", "first_reading"), ("市养犬管理办法", "first_reading"),
      ("市电梯安全办法", "first_reading")]),
    ("shared_suffix_he", "制定江西省物业管理和城乡供水两个条例。",
     [("江西省物业管理条例", "enact"), ("江西省城乡供水条例", "enact")]),
    ("shared_suffix_city_prefix", "修订郑州市电梯安全、燃气管理等两个条例。",
     [("郑州市电梯安全条例", "revise"), ("郑州市燃气管理条例", "revise")]),
    ("shared_suffix_not_prefix", "对市容环境、园林绿化两部条例开展执法检查。",
     [("市容环境条例", "inspect"), ("园林绿化条例", "inspect")]),
    ("count_after_full_names", "修改停车场管理条例、养犬管理条例等3件条例。",
     [("停车场管理条例", "amend"), ("养犬管理条例", "amend")]),
    ("first_reading_before", "一审《甘肃省祁连山自然保护区条例（修订草案）》，",
     [("甘肃省祁连山自然保护区条例", "first_reading")]),
    ("third_reading_before", "三审《某市河道管理条例》。", [("某市河道管理条例", "third_reading")]),
    ("closing_verb", "对《青海省草原保护条例》等法规中与上位法不一致的条款打包修改，废止《青海省林地管理条例》。",
     [("青海省草原保护条例", "amend"), ("青海省林地管理条例", "repeal")]),
    ("closing_verb_not_noun", "对物业管理条例提出修改意见。", [("物业管理条例", "other")]),
    ("autonomy_law_quoted", "对《中华人民共和国民族区域自治法》实施情况开展执法检查，",
     [("中华人民共和国民族区域自治法", "inspect")]),
    ("autonomy_law", "检查民族区域自治法实施情况。", [("民族区域自治法", "inspect")]),
    ("slogan_list", "开展“学条例、强履职”专题培训，", []),
    ("slogan_halfwidth", '开展"学条例、强履职"专题培训，', []),
    ("leading_verb", "落实常委会组成人员履职管理办法，完善常委会会议旁听制度，",
     [("常委会组成人员履职管理办法", "implement")]),
    ("leading_shishi", "实施长江保护条例，", [("长江保护条例", "other")]),
    ("wrapped_unquoted_keeps_verb", "出台全国首部实施反家庭暴力法办法，", [("实施反家庭暴力法办法", "enact")]),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in AUDIT2], ids=[c[0] for c in AUDIT2])
def test_audit2_sentences(text, expected):
    assert run(text) == expected


def test_shared_suffix_quotes_and_jurisdiction():
    text = "对自治州草原、湿地两个条例进行二审。"
    laws = extract_laws(text, [Sentence(0, 0, "review", 0, len(text), text)])
    assert [(x.name, x.quote, x.jurisdiction) for x in laws] == [
        ("自治州草原条例", "自治州草原、湿地两个条例", "municipal"),
        ("自治州湿地条例", "湿地两个条例", "municipal"),
    ]


@pytest.mark.parametrize("text", ["、两个条例", "对、、两个条例进行二审", "A、B两个条例", "等两个条例", "“条例”", '"' * 5 + "条例",
                                  "一审" * 20, "对" + "、" * 30 + "两个办法"])
def test_hostile_shared_suffix(text):
    for law in extract_laws(text, [Sentence(0, 0, "review", 0, len(text), text)]):
        assert law.quote == text[law.char_start:law.char_end] and law.name


# Audit 3: an uncounted 、 list before one suffix, readings written as 进行初次/第二次审议, a decision
# name followed by 等 and a count of its kind (own sentences in the grammar of the audit documents).
AUDIT3 = [
    ("uncounted_list", "围绕城市治理，制定岳阳市洞庭湖湿地保护、城市供水、电动自行车管理条例，出台《岳阳市文明行为促进条例》。",
     [("岳阳市洞庭湖湿地保护条例", "enact"), ("岳阳市城市供水条例", "enact"), ("岳阳市电动自行车管理条例", "enact"),
      ("岳阳市文明行为促进条例", "enact")]),
    ("uncounted_list_no_place", "修订物业管理、城乡供水条例。", [("物业管理条例", "revise"), ("城乡供水条例", "revise")]),
    ("list_item_with_verb_is_no_list", "开展调查研究、制定计划、修订条例。", []),
    ("decision_cut_at_deng", "作出关于加强湘江流域保护的决定等重大事项决议决定41项。",
     [("关于加强湘江流域保护的决定", "enact")]),
    ("initial_reading", "对《岳阳市物业管理条例（草案）》进行初次审议。", [("岳阳市物业管理条例", "first_reading")]),
    ("second_reading_words", "对《岳阳市乡村旅游条例（草案）》进行第二次审议，再次审议岳阳市燃气条例。",
     [("岳阳市乡村旅游条例", "second_reading"), ("岳阳市燃气条例", "second_reading")]),
    ("third_reading_words", "对岳阳市燃气条例进行第三次审议。", [("岳阳市燃气条例", "third_reading")]),
    ("continued_reading_is_other", "继续审议《岳阳市燃气条例（草案）》。", [("岳阳市燃气条例", "other")]),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in AUDIT3], ids=[c[0] for c in AUDIT3])
def test_audit3_sentences(text, expected):
    assert run(text) == expected


@pytest.mark.parametrize("text", ["制定、、条例", "制定A、B条例", "制定😀、条例", "制定" + "、".join(["城市"] * 50) + "条例",
                                  "制定一二三四五六七八九十一二三、城市绿化条例"],
                         ids=["empty_items", "latin", "emoji", "many", "too_long"])
def test_hostile_uncounted_list(text):
    for name, _ in run(text):
        assert name.endswith("条例")


@pytest.mark.parametrize("text, names", [
    ("常委会认真贯彻实施宪法、监督法、代表法，依法履职。", ["宪法", "监督法", "代表法"]),
    ("全年就立法规划、重要法规草案、重大事项决定等向省委请示报告43次。", []),
    ("批准设区的市、自治州法规和单行条例27件。", []),
    ("对照上位法及时修改完善相关条例。", []),
], ids=["bare-fa-after-verb-word", "decision-list-is-no-names", "kinds-of-regulation", "generic-references"])
def test_lists_and_generic_references(text, names):
    from pipeline.extract.laws import extract_laws
    from pipeline.text.model import Sentence
    got = [law.name for law in extract_laws(text, [Sentence(0, 0, "review", 0, len(text), text)])]
    assert got == names
