"""The indicator codebook (pipeline.extract.indicators)."""
import pytest

from pipeline.extract.indicators import Indicator, accepted_units, blocked_by, classify, load_codebook
from pipeline.extract.model import CATEGORIES

REQUIRED = ["sessions", "chair_meetings", "regulations_enacted_revised", "regulations_amended",
            "regulations_repealed", "reports_reviewed", "law_inspections", "special_inquiries",
            "research_studies", "work_evaluations", "decisions", "appointments", "deputy_suggestions",
            "deputy_bills", "liaison_stations", "normative_documents_reviewed", "petitions",
            "legislative_opinions_collected", "deputies_attending", "trainings"]


def test_codebook_rows():
    cb = load_codebook()
    codes = [i.code for i in cb]
    assert len(codes) == len(set(codes))
    assert set(REQUIRED) <= set(codes)
    for i in cb:
        assert isinstance(i, Indicator)
        assert i.label_en and i.label_zh and i.unit and i.phrasings
        assert i.category in CATEGORIES
        assert i.unit in accepted_units(i.code)


def test_codebook_is_frozen():
    with pytest.raises(Exception):
        load_codebook()[0].code = "x"


@pytest.mark.parametrize("indicator,context,unit,code", [
    ("常委会会议", "召开常委会会议10次", "次", "sessions"),
    ("常委会会议", "举行常委会会议10次", "次", "sessions"),
    ("主任会议", "召开主任会议16次", "次", "chair_meetings"),
    ("地方性法规", "共制定和修订地方性法规10件", "件", "regulations_enacted_revised"),
    ("地方性法规", "修改33件次地方性法规", "件次", "regulations_amended"),
    ("法规", "废止12件法规", "件", "regulations_repealed"),
    ("专项工作报告", "听取审议“一府一委两院”专项工作报告47个", "个", "reports_reviewed"),
    ("执法检查", "开展执法检查22次", "次", "law_inspections"),
    ("专题询问", "专题询问4次", "次", "special_inquiries"),
    ("专题调研", "组织专题视察、专题调研43次", "次", "research_studies"),
    ("专项工作评议", "专项工作评议20次", "次", "work_evaluations"),
    ("重大事项决议决定", "依法作出重大事项决议决定21项", "项", "decisions"),
    ("国家机关工作人员", "任免国家机关工作人员201人次", "人次", "appointments"),
    ("建议", "545件建议均已办理完毕", "件", "deputy_suggestions"),
    ("议案", "代表提出的9件议案", "件", "deputy_bills"),
    ("代表联络站", "推动全市744个代表联络站标准化运行", "个", "liaison_stations"),
    ("规范性文件", "对报送备案的25件规范性文件进行主动审查", "件", "normative_documents_reviewed"),
    ("人民群众来信来访", "办理人民群众来信来访1016批次", "批次", "petitions"),
    ("意见建议", "全年多途径征集意见建议590余条", "条", "legislative_opinions_collected"),
    ("代表", "邀请108名代表列席常委会会议", "名", "deputies_attending"),
    ("基层代表", "基层代表240人次进行履责培训", "人次", "trainings"),
], ids=lambda x: x if x in REQUIRED else None)
def test_classify(indicator, context, unit, code):
    assert classify(indicator, context, load_codebook(), unit=unit) == code


@pytest.mark.parametrize("indicator,context,unit", [
    ("代表", "邀请108名代表列席常委会会议", "个"),       # unit excludes every candidate
    ("项目", "28个项目超额完成", "个"),
    ("", "", None),
    ("城市", "与国外4个城市缔结友好关系", "个"),
], ids=["unit-mismatch", "no-phrasing", "empty", "friendship"])
def test_classify_none(indicator, context, unit):
    assert classify(indicator, context, load_codebook(), unit=unit) == ""


def test_classify_without_unit_and_custom_codebook():
    cb = [Indicator("x", "X", "叉", "次", "other", ("测试…会议",))]
    assert classify("", "测试工作会议3次", cb) == "x"
    assert classify("", "测试3次", cb) == ""


@pytest.mark.parametrize("indicator,context", [
    ("人大代表联系点", "建成人大代表联系点12个"),
    ("代表之家", "新建代表之家5个"),
], ids=["contact-point", "home"])
def test_liaison_station_forms(indicator, context):
    assert classify(indicator, context, load_codebook(), unit="个") == "liaison_stations"


def test_removed_seed_phrasings_absent():
    phrasings = {p for ind in load_codebook() for p in ind.phrasings}
    assert "家站点" not in phrasings and "联系点…代表" not in phrasings


@pytest.mark.parametrize("indicator,context,unit,code", [
    ("制度规范", "制定修订制度规范37项", "项", "internal_rules"),
    ("存在问题的文件", "纠正存在问题的文件5件", "件", "normative_documents_corrected"),
    ("储备立法项目", "储备立法项目40个", "个", ""),
    ("设区的市法规", "批准设区的市法规6件", "件", "regulations_approved"),
    ("单行条例", "批准自治条例和单行条例2件", "件", "regulations_approved"),
    ("意见的法规草案", "征求意见的法规草案8件", "件", ""),
    ("", "", None, ""),
], ids=["rules", "documents", "stockpiled", "approved", "autonomous", "drafts", "empty"])
def test_blocked_nouns(indicator, context, unit, code):
    assert classify(indicator, context, load_codebook(), unit=unit) == code


def test_blocked_by_vocab():
    assert "文件" in blocked_by("regulations_enacted_revised")
    assert blocked_by("sessions") == () and blocked_by("no_such_code") == ()
