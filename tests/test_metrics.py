"""Metric records (pipeline.extract.metrics): quote, indicator, value, unit, approx, period, category, code."""
import pytest

from pipeline.extract.indicators import load_codebook
from pipeline.extract.metrics import extract_metrics
from pipeline.extract.numbers import find_numbers
from pipeline.text.model import Sentence


def split(text, part="review"):
    """A crude sentence splitter for tests: one Sentence per 。-terminated span, all in ``part``."""
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in "。！？\n" or i == len(text) - 1:
            if text[start:i + 1].strip():
                out.append(Sentence(len(out), 0, part, start, i + 1, text[start:i + 1]))
            start = i + 1
    return out


def metrics(text, part="review"):
    sents = split(text, part)
    return extract_metrics(text, sents, find_numbers(text, sents), load_codebook())


SUMMARY = ("过去一年，市人大常委会积极践行全过程人民民主。召开常委会会议10次，主任会议16次；制定修订、打包修改地方性法规8件；"
           "听取审议“一府一委两院”专项工作报告47个，组织专题视察、专题调研43次；依法作出重大事项决议决定21项，"
           "任免国家机关工作人员201人次，圆满完成市十六届人大三次会议以来的各项工作任务。")


def test_summary_paragraph():
    got = [(m.value, m.unit, m.indicator_code, m.category) for m in metrics(SUMMARY)]
    assert got == [
        (10, "次", "sessions", "other"),
        (16, "次", "chair_meetings", "other"),
        (8, "件", "regulations_enacted_revised", "legislation"),
        (47, "个", "reports_reviewed", "oversight"),
        (43, "次", "research_studies", "oversight"),
        (21, "项", "decisions", "decisions"),
        (201, "人次", "appointments", "appointments"),
    ]


def test_quotes_and_indicators():
    ms = metrics(SUMMARY)
    assert ms[0].quote == "召开常委会会议10次" and ms[0].indicator == "常委会会议"
    assert ms[1].quote == "主任会议16次" and ms[1].indicator == "主任会议"
    assert all(SUMMARY[m.char_start:m.char_end] == m.quote for m in ms)
    assert all(m.char_start <= m.number_start < m.number_end <= m.char_end for m in ms)
    assert all(m.period == "past_year" and m.approx == "exact" for m in ms)


@pytest.mark.parametrize("text,expected", [
    ("共制定和修订地方性法规10件，修改33件次，废止12件。",
     [(10, "件", "regulations_enacted_revised"), (33, "件次", "regulations_amended"), (12, "件", "regulations_repealed")]),
    ("开展涉及民营经济等地方性法规清理，打包修改4件法规，废止11件，切实维护法治统一。",
     [(4, "件", "regulations_amended"), (11, "件", "regulations_repealed")]),
    ("组织社会各界参观宪法与人民代表大会郑州宣传基地26批845人次。", [(26, "批", ""), (845, "人次", "")]),
    ("领导干部代表带头密切联系群众，24名市级和58名开发区、区县(市)领导干部进站履职，听取意见建议。",
     [(24, "名", ""), (58, "名", "")]),
    ("市十六届人大三次会议代表提出的9件议案，545件建议均已办理完毕。",
     [(9, "件", "deputy_bills"), (545, "件", "deputy_suggestions")]),
    ("完善接待代表日制度，邀请108名代表列席常委会会议。", [(108, "名", "deputies_attending")]),
    ("扎实做好人大信访工作，办理人民群众来信来访1016批次，促进社会和谐稳定。", [(1016, "批次", "petitions")]),
    ("对报送备案的25件规范性文件进行主动审查，对公民提出的5件审查建议逐一研究并依法反馈，督促制定机关纠正处理规范性文件444件。",
     [(25, "件", "normative_documents_reviewed"), (5, "件", "review_requests"), (444, "件", "normative_documents_corrected")]),
    ("共听取审议工作报告96个，开展执法检查22次、专题询问4次、专项工作评议20次。",
     [(96, "个", "reports_reviewed"), (22, "次", "law_inspections"), (4, "次", "special_inquiries"),
      (20, "次", "work_evaluations")]),
], ids=["enact-amend-repeal", "package-repeal", "batches-visits", "two-groups", "bills-suggestions",
        "attending", "petitions", "filing-review", "oversight-summary"])
def test_enumerations(text, expected):
    assert [(m.value, m.unit, m.indicator_code) for m in metrics(text)] == expected


def test_shared_object_indicator():
    ms = metrics("召开常委会会议10次，主任会议16次。")
    assert [m.indicator for m in ms] == ["常委会会议", "主任会议"]
    ms = metrics("共制定和修订地方性法规10件，修改33件次，废止12件。")
    assert [m.indicator for m in ms] == ["地方性法规"] * 3


@pytest.mark.parametrize("text,value,unit,approx", [
    ("全年多途径征集意见建议590余条、采纳140条。", 590, "条", "over"),
    ("接待群众1.2万人次、收集意见建议3300余条、推动解决问题2100余件。", 12000, "人次", "exact"),
    ("所提问题得到解决和基本解决的建议401件、占比73.6%，较上年提高1.2个百分点。", 73.6, "%", "exact"),
    ("所提问题得到解决和基本解决的建议401件、占比73.6%，较上年提高1.2个百分点。", 1.2, "个百分点", "exact"),
    ("举办读书班，两次召开警示教育会。", 2, "次", "exact"),
    ("累计线上线下接待群众7万余人次，解决群众反映问题28579件。", 70000, "人次", "over"),
    ("近3000名代表参加培训。", 3000, "名", "under"),
], ids=["yu", "wan", "percent", "points", "liang", "wan-yu", "jin"])
def test_values_units_approx(text, value, unit, approx):
    m = next(m for m in metrics(text) if m.unit == unit)
    assert m.value == pytest.approx(value) and m.approx == approx


@pytest.mark.parametrize("text,part,period", [
    ("召开常委会会议10次。", "review", "past_year"),
    ("召开常委会会议10次。", "plan", "plan"),
    ("召开常委会会议10次。", "proposals", "other"),
    ("本届以来，共依法作出决议决定53项，依法任免地方国家机关工作人员767人次。", "review", "term"),
    ("先后召开4场新闻发布会，对6部新颁布法规进行解读。", "review", "term"),
    ("检查黄河保护法实施情况，连续4年听取审议核心示范区规划落实情况的报告。", "review", "term"),
], ids=["review", "plan", "proposals", "benjie", "xianhou", "streak"])
def test_period(text, part, period):
    ms = metrics(text, part)
    assert ms and all(m.period == period for m in ms)


def test_multi_year_review_heading_makes_term():
    text = "### 五年工作的回顾\n\n**三、持之以恒开展监督**\n\n常委会共听取审议工作报告96个，开展执法检查22次。\n"
    ms = metrics(text)
    assert [m.period for m in ms] == ["term", "term"]
    assert [m.category for m in ms] == ["oversight", "oversight"]


@pytest.mark.parametrize("text,category", [
    ("### 强化政治引领，坚持党的全面领导\n\n学思践悟党的创新理论。理论学习中心组集体学习12次，举办专题宣讲14次。\n", "party"),
    ("### 抓好自身建设\n\n驰而不息锤炼纪律作风。举办读书班，两次召开警示教育会。\n", "self"),
    ("### 提升监督实效\n\n聚焦优质均衡发展加强监督。2025年票决确定的10件民生实事38个项目已全面完成，其中，28个项目超额完成。\n", "oversight"),
    ("### 抓好自身建设\n\n中央和省、市媒体刊发市人大工作宣传稿件1100余篇。\n", "publicity"),
    # the examples of an enumeration do not decide: what was done with the nine does (seed 000)
    ("### 加强自身建设\n\n与时俱进提高工作效能。养老服务联动监督、代表主题活动等9项工作，在全省人大系统作典型发言或经验交流。\n",
     "self"),
    # a heading naming two fields (立法, 普法) does not decide; the sentence (宪法日, 宣传周) does (seed 000)
    ("### 坚持因地制宜，着力推动立法普法走深走实\n\n坚定维护宪法权威。以国家宪法日和“宪法宣传周”为契机，扎实推进城市广场集中宣讲等7项活动。\n",
     "publicity"),
], ids=["party-heading", "self-clause", "oversight-lead-in", "publicity-clause", "examples-do-not-decide",
        "two-field-heading-does-not-decide"])
def test_category(text, category):
    ms = metrics(text)
    assert ms and all(m.category == category for m in ms)


@pytest.mark.parametrize("text", [
    "——2023年1月5日在郑州市第十六届人民代表大会第一次会议上",
    "认真贯彻党的十九大、二十大精神，“7·20”特大暴雨灾害发生后，2020年9月，召开市委人大工作会议。",
    "作出在全市开展第八个五年法治宣传教育的决议。",
    "围绕市委十二届九次全会和市委经济工作会议部署，聚焦“1+7+7+7”工作部署，为确保郑州“十五五”良好开局贡献力量。",
    "认真落实“第一议题”制度，紧紧围绕“四个机关”定位要求，聚焦“两高四着力”。",
    "分获全国第32届人大新闻一、二等奖，该一等奖系全省唯一。",
    "", "，。；", "\u200b\ufeff",
], ids=["dateline", "congress-dates", "eighth-five-year", "plenum-slogans", "quoted-names", "prizes",
        "empty", "punct", "zero-width"])
def test_not_metrics(text):
    assert metrics(text) == []


def test_quotes_always_index_clean_text():
    text = SUMMARY + "\n组织\n社会各界参观宣传基地26批845人次。累计线上线下接待群众7万余人次。"
    for m in metrics(text):
        assert text[m.char_start:m.char_end] == m.quote
        assert m.quote


def one(text, value, part="review"):
    return next(m for m in metrics(text, part) if m.value == value)


# Sentences of the audit documents (/tmp/audit, written for this project to test other layouts).
@pytest.mark.parametrize("text,value,unit,indicator", [
    ("开展专题询问2次，12个部门负责人到会应询。", 12, "个", "部门负责人"),
    ("对公民提出的5件审查建议逐一研究并依法反馈。", 5, "件", "审查建议"),
    ("其中，28个项目超额完成。", 28, "个", "项目"),
    ("两件新闻作品分获全国第32届人大新闻一、二等奖。", 2, "件", "新闻作品"),
    ("推动全市744个代表联络站全覆盖。", 744, "个", "代表联络站"),
    ("推动全市744个代表联络站标准化运行。", 744, "个", "代表联络站"),
    ("在全市设立21个基层立法联系点。", 21, "个", "基层立法联系点"),
    ("开展9轮专项清理。", 9, "轮", "专项清理"),
    ("补选县人大代表3名。", 3, "名", "县人大代表"),
], ids=["dept-heads", "adverb-zhuyi", "adverb-chao-e", "verb-before-ordinal", "adj-verb", "vn-verb",
        "d-tagged-compound", "a-tagged-compound", "by-election"])
def test_counted_noun(text, value, unit, indicator):
    m = one(text, value)
    assert (m.unit, m.indicator) == (unit, indicator)
    assert text[m.char_start:m.char_end] == m.quote


@pytest.mark.parametrize("text,value,category", [
    ("补选县人大代表3名。", 3, "appointments"),
    ("选举产生新一届市人大代表558名。", 558, "appointments"),
    ("指导各选举单位组织432名市人大代表进行异地集中视察。", 432, "deputies"),
    ("两件新闻作品分获全国第32届人大新闻一、二等奖。", 2, "publicity"),
], ids=["by-election", "election", "election-unit-is-not-verb", "news-prize"])
def test_category_governing_verb(text, value, category):
    assert one(text, value).category == category


# A plan sentence inside a review section is plan; a past decision holding 将 is not.
@pytest.mark.parametrize("text,value,period", [
    ("新的一年，常委会将召开常委会会议6次左右，审议法规案20件。", 6, "plan"),
    ("新的一年，常委会将召开常委会会议6次左右，审议法规案20件。", 20, "plan"),
    ("2025年，常委会将开展执法检查4次。", 4, "plan"),
    ("县人大常委会计划听取审议专项工作报告12个。", 12, "plan"),
    ("明年，继续开展执法检查3次。", 3, "plan"),
    ("拟制定地方性法规5件。", 5, "plan"),
    ("作出关于设立工匠日的决定，将每年5月10日设立为“郑州工匠日”，开展宣传活动12次。", 12, "past_year"),
    ("所提问题得到解决或计划逐步解决的占76.3%。", 76.3, "past_year"),
    ("听取审议省政府关于国民经济和社会发展计划执行情况等报告18个。", 18, "past_year"),
    ("将代表建议纳入重点督办，办理8件。", 8, "past_year"),
    ("全年召开常委会会议10次。", 10, "past_year"),
], ids=["new-year", "new-year-later-clause", "year-will", "jihua-verb", "mingnian", "ni",
        "past-decision-jiang", "jihua-in-relative", "jihua-noun", "disposal-jiang", "review"])
def test_plan_cues(text, value, period):
    assert one(text, value).period == period


@pytest.mark.parametrize("text", [
    "将将将将将", "计划计划100万", "新的一年，" * 20, "将\u3000\u200b召开会议𠀀3次", "明年" + "9" * 40 + "次",
], ids=["only-jiang", "jihua-bare-wan", "repeated-cue", "odd-unicode", "huge-number"])
def test_plan_cue_hostile(text):
    for m in metrics(text):
        assert text[m.char_start:m.char_end] == m.quote
        assert m.period in ("plan", "past_year", "term", "other")


@pytest.mark.parametrize("line,numbered", [
    ("三、2025年工作", True), ("（一）奋进新征程", True), ("第二部分　2025年工作安排", True), ("12. 加强监督", True),
    ("2025年主要任务", False), ("10.5%的增长", False), ("", False),
], ids=["cn", "cn-paren", "part", "arabic", "year", "decimal", "empty"])
def test_heading_numbering_from_vocab(line, numbered):
    from pipeline.extract.metrics import _heading_numbering
    assert bool(_heading_numbering().match(line)) is numbered


# ---------------------------------------------------------------- codes from the metric's own clause only

def codes(text, part="review"):
    return [(m.value, m.indicator_code) for m in metrics(text, part)]


@pytest.mark.parametrize("text,expected", [
    ("废止规章2件，批准甲市、乙市、丙市等设区的市法规9件。", [(2, "regulations_repealed"), (9, "regulations_approved")]),
    ("审查批准自治县自治条例和单行条例3件。", [(3, "regulations_approved")]),
    ("废止法规2件，清理文件300件。", [(2, "regulations_repealed"), (300, "")]),
    ("督促有关机关纠正违反上位法的文件7件。", [(7, "normative_documents_corrected")]),
    ("修订完善制度规范12项。", [(12, "internal_rules")]),
    ("建立立法项目库，储备立法项目25个。", [(25, "")]),
    ("向社会公开征求意见的法规草案9件。", [(9, "")]),
    ("全市15个街道建成代表联络站40个。", [(15, ""), (40, "liaison_stations")]),
    ("首次对市政府8个部门开展满意度测评。", [(8, "satisfaction_votes")]),
    ("依法选举产生市人大代表300名、区人大代表900名。", [(300, "deputies_elected"), (900, "deputies_elected")]),
    ("组织立法调研、座谈、论证12次。", [(12, "legislative_research")]),
    ("组织30名市直机关干部进行宪法宣誓。", [(30, "oath_takers")]),
], ids=["approved-after-repealed", "autonomous-regulations", "no-carry-over", "documents-not-regulations",
        "rules-not-regulations", "stockpiled-projects", "drafts-not-opinions", "subject-not-stations",
        "object-first", "series-verb", "shared-number-series", "predicate-after-noun"])
def test_codes_from_own_clause(text, expected):
    assert codes(text) == expected


@pytest.mark.parametrize("text,value,category", [
    ("常委会党组向区委请示报告重大事项20件。", 20, "party"),
    ("通过微信公众号发布信息800余条。", 800, "publicity"),
    ("全年受理来信来访300件次，办结率98%。", 98, "petitions"),
    ("代表提出建议260件，办复率100%。", 100, "deputies"),
    ("受理群众来信来访500件次，较上年下降8.5%。", 8.5, "petitions"),
    ("新建代表履职站点12个。", 12, "deputies"),
], ids=["request-report", "wechat", "rate-petitions", "rate-deputies", "change-petitions", "stations"])
def test_category_audit_cases(text, value, category):
    assert one(text, value).category == category


@pytest.mark.parametrize("text,value,quote_end,indicator", [
    ("调研组深入15个县（市、区）开展调研。", 15, "15个县（市、区）", "县（市、区）"),
    ("走访30个村（社区居委会和各类基层组织代表及群众等）。", 30, "30个村", "走访"),
    ("基层立法联系点增至25个。", 25, "25个", "基层立法联系点"),
    ("设立基层立法联系点20个，其中2024年新增5个。", 5, "新增5个", "新增基层立法联系点"),
    ("监督系统覆盖率达到100%。", 100, "100%", "监督系统覆盖率"),
], ids=["bracket-closed", "bracket-too-far", "increased-to", "newly-added", "reached"])
def test_quote_brackets_and_change_verbs(text, value, quote_end, indicator):
    m = one(text, value)
    assert m.quote.endswith(quote_end) and m.indicator == indicator
    assert m.quote.count("（") == m.quote.count("）")
    assert text[m.char_start:m.char_end] == m.quote


def test_modal_chain_is_plan():
    assert one("常委会将计划听取审议专项工作报告10项。", 10).period == "plan"


@pytest.mark.parametrize("text", ["、、、5件", "（（（3个", "2024年新增", "增至", "率100%", "县（市、区）"],
                         ids=["commas", "open-brackets", "no-number", "verb-only", "bare-rate", "brackets-only"])
def test_audit_hostile(text):
    for m in metrics(text):
        assert text[m.char_start:m.char_end] == m.quote


def metrics_parts(chunks):
    """Metrics of a document given as (text, part) chunks, one Sentence per 。-terminated span."""
    text, sents = "", []
    for chunk, part in chunks:
        base = len(text)
        text += chunk
        for s in split(chunk, part):
            sents.append(Sentence(len(sents), 0, part, base + s.char_start, base + s.char_end, s.text))
    return text, extract_metrics(text, sents, find_numbers(text, sents), load_codebook())


def periods(chunks):
    text, ms = metrics_parts(chunks)
    assert all(text[m.char_start:m.char_end] == m.quote for m in ms)
    return [(m.value, m.period) for m in ms]


TERM_HEAD = ("### 五年来工作回顾\n", "front")


# Inside a multi-year review, a clause opening with the review's last year reports that year only.
@pytest.mark.parametrize("chunks,expected", [
    ([TERM_HEAD, ("五年来，常委会共开展执法检查30次。2024年，举行常委会会议8次，听取审议工作报告21个。\n", "review")],
     [(30, "term"), (8, "past_year"), (21, "past_year")]),
    ([TERM_HEAD, ("五年来，共开展专题询问12次。2022年，举行常委会会议7次。2024年，审议法规草案6件。\n", "review")],
     [(12, "term"), (7, "term"), (6, "past_year")]),
    ([TERM_HEAD, ("五年来，共开展专题询问12次。二〇二四年，举行常委会会议8次。\n", "review")],
     [(12, "term"), (8, "past_year")]),
    ([TERM_HEAD, ("五年来，共开展专题询问12次。2024年，举行常委会会议8次。\n", "review"),
      ("2025年是新一届常委会履职的开局之年。全年拟审议法规草案5件。\n", "plan")],
     [(12, "term"), (8, "past_year"), (5, "plan")]),
    ([TERM_HEAD, ("五年来，共开展专题询问12次。2024年，举行常委会会议8次。\n", "review"),
      ("到2030年，基本建成现代化人大工作体系。\n", "plan")],
     [(12, "term"), (8, "past_year")]),
    ([TERM_HEAD, ("五年来，共开展专题询问12次。常委会各项工作稳步推进。\n", "review"),
      ("2024年，举行常委会会议8次。\n", "review"), ("2025年是开局之年。\n", "plan")],
     [(12, "term"), (8, "past_year")]),
    ([TERM_HEAD, ("力争到2030年实现联络站全覆盖。五年来，建成代表联络站40个。2024年，举行常委会会议8次。\n", "review")],
     [(40, "term"), (8, "past_year")]),
    ([TERM_HEAD, ("五年来，共开展专题询问12次。2024年3月，举行立法听证会1次。2024年以来，建成联络站9个。\n", "review")],
     [(12, "term"), (1, "term"), (9, "term")]),
    ([TERM_HEAD, ("2020年，建成联络站9个。2024年，举行常委会会议8次。\n", "review")],
     [(9, "term"), (8, "past_year")]),
    ([TERM_HEAD, ("五年来，共开展专题询问12次。去年，举行常委会会议8次。\n", "review")],
     [(12, "term"), (8, "past_year")]),
], ids=["last-year-clause", "earlier-year-stays-term", "chinese-numeral-year", "plan-year-agrees",
        "goal-year-ignored", "plan-year-only", "goal-year-in-review", "date-and-since", "first-year", "qunian"])
def test_review_last_year_is_past_year(chunks, expected):
    assert periods(chunks) == expected


# 计划 announces future work only as a verb; the nouns 立法计划 / 工作计划 / 计划执行 keep the section's period.
@pytest.mark.parametrize("chunks,expected", [
    ([TERM_HEAD, ("五年来，年度立法计划确定的项目全部完成，共审议法规草案26件。\n", "review")], [(26, "term")]),
    ([TERM_HEAD, ("本届以来，工作计划安排的调研课题如期结题，形成调研报告31篇。\n", "review")], [(31, "term")]),
    ([("常委会监督工作计划执行良好，开展专题询问3次。\n", "review")], [(3, "past_year")]),
    ([("按照年度工作计划，听取审议专项工作报告14个。\n", "review")], [(14, "past_year")]),
    ([("年度立法计划安排审议法规草案8件。\n", "review")], [(8, "past_year")]),
    ([TERM_HEAD, ("五年来，立法计划确定制定法规26件。\n", "review")], [(26, "term")]),
    ([("常委会计划开展执法检查4次。\n", "review")], [(4, "plan")]),
    ([("计划审议地方性法规草案7件。\n", "review")], [(7, "plan")]),
    ([("同时计划组织专题调研5次。\n", "review")], [(5, "plan")]),
], ids=["legislative-plan-noun", "work-plan-relative", "plan-execution", "according-to-plan",
        "plan-noun-subject", "plan-noun-subject-term",
        "subject-plans", "clause-opening", "lead-word"])
def test_jihua_noun_is_not_a_plan_cue(chunks, expected):
    assert periods(chunks) == expected


@pytest.mark.parametrize("text,value,category", [
    ("### 加强自身建设\n\n编印《市人大通讯》刊物24期。\n", 24, "publicity"),
    ("### 加强自身建设\n\n编印《人大之窗》杂志36期，出版工作文集2册。\n", 36, "publicity"),
    ("组织常委会委员和部分代表深入基层视察、调研18次。", 18, "oversight"),
    ("组织代表开展集中视察6次。", 6, "deputies"),
    ("走访代表120人次。", 120, "deputies"),
], ids=["periodical", "magazine", "committee-and-deputies-inspect", "deputies-inspect", "bare-deputies"])
def test_category_publications_and_inspections(text, value, category):
    assert one(text, value).category == category


@pytest.mark.parametrize("chunks", [
    [TERM_HEAD, ("2024年", "review")], [TERM_HEAD, ("2024年，", "review")], [("9999年，召开会议3次。", "review")],
    [TERM_HEAD, ("二〇二四年，、，。", "review"), ("计划。", "plan")], [("２０２４年，召开会议3次。", "review")],
], ids=["bare-year", "year-comma", "out-of-range-year", "punctuation", "full-width-digits"])
def test_review_year_hostile(chunks):
    periods(chunks)


def test_paragraph_cues_equal_the_plain_scan(seed_texts):
    """The indexed paragraph cue lookup says what ``w in paragraph[:pos]`` says, at every position of the seeds."""
    from pipeline.extract.metrics import _ParagraphCues, _vocab
    v = _vocab()
    for text in seed_texts.values():
        cues = _ParagraphCues(text, v)
        for pos in range(0, len(text), 7):
            before = text[text.rfind("\n", 0, pos) + 1:pos]
            want = "term" if any(w in before for w in v.term) else \
                "past_year" if any(w in before for w in v.past_year) else ""
            assert cues.before(pos) == want, pos
