"""The issuer's place as data: province, prefecture (city), county, level and the GB/T 2260 code of the most
specific of them, from the issuer's name and the code table (pipeline/vocab/divisions.csv); a name several places
share is settled by the provinces and prefectures the text names, or left without a code."""
from __future__ import annotations

import pytest

from pipeline.extract.metadata import infer_metadata
from pipeline.extract.places import divisions, place_of_code, segments


def _meta(title: str, body: str = ""):
    return infer_metadata(f"# {title}\n\n各位代表：\n{body}\n", [], "x.txt")


# (title, text after it, (province, city, county, level, place_code))
CASES = {
    "provincial": ("河南省人民代表大会常务委员会工作报告", "", ("河南省", "", "", "provincial", "410000")),
    "autonomous_region": ("广西壮族自治区人大常委会工作报告", "", ("广西壮族自治区", "", "", "provincial", "450000")),
    "municipality": ("北京市人民代表大会常务委员会工作报告", "", ("北京市", "", "", "provincial", "110000")),
    "municipal": ("郑州市人民代表大会常务委员会工作报告", "", ("河南省", "郑州市", "", "municipal", "410100")),
    "prefecture_short_form": ("恩施州人大常委会工作报告", "", ("湖北省", "恩施土家族苗族自治州", "", "municipal", "422800")),
    "cppcc_wrapped": ("政协宜宾市委员会2024年度重点提案选编", "", ("四川省", "宜宾市", "", "municipal", "511500")),
    "district_of_city": ("郑州市金水区人民代表大会常务委员会工作报告", "",
                         ("河南省", "郑州市", "金水区", "county", "410105")),
    "district_alone": ("金水区人大常委会工作报告", "", ("河南省", "郑州市", "金水区", "county", "410105")),
    "county_directly_named": ("兰考县人民代表大会常务委员会工作报告", "", ("河南省", "开封市", "兰考县", "county", "410225")),
    "county_level_city": ("义乌市人大常委会工作报告", "", ("浙江省", "金华市", "义乌市", "county", "330782")),
    "provincial_county_city": ("济源市人大常委会工作报告", "", ("河南省", "", "济源市", "county", "419001")),
    "municipality_district": ("重庆市渝中区人大常委会工作报告", "", ("重庆市", "", "渝中区", "county", "500103")),
    "national": ("全国人民代表大会常务委员会工作报告", "", ("", "", "", "national", "")),
    "ambiguous_by_province": ("朝阳区人大常委会工作报告", "为建设国际一流的和谐宜居之都，北京",
                              ("北京市", "", "朝阳区", "county", "110105")),
    "ambiguous_by_city": ("朝阳区人大常委会工作报告", "全力支持长春现代化都市圈建设",
                          ("吉林省", "长春市", "朝阳区", "county", "220104")),
    "ambiguous_by_name_around": ("长春市朝阳区人大常委会工作报告", "", ("吉林省", "长春市", "朝阳区", "county", "220104")),
    "ambiguous_unsettled": ("朝阳区人大常委会工作报告", "", ("", "", "朝阳区", "county", "")),
    "ambiguous_same_province": ("鼓楼区人大常委会工作报告", "全省（江苏）一盘棋",
                                ("江苏省", "", "鼓楼区", "county", "")),     # 南京 and 徐州 both have one
    "not_under_named_city": ("郑州市鼓楼区人大常委会工作报告", "", ("河南省", "郑州市", "鼓楼区", "county", "")),
    "unknown_county": ("某某县人民代表大会常务委员会工作报告", "", ("", "", "某某县", "county", "")),
    "unknown_county_province_in_text": ("某某县人大常委会工作报告", "河南省委", ("河南省", "", "某某县", "county", "")),
    "abolished_county": ("大同县人大常委会工作报告", "", ("", "", "大同县", "county", "")),   # not 大同 + 县
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_place_of_the_issuer(case):
    title, body, expected = CASES[case]
    m = _meta(title, body)
    assert (m.province, m.city, m.county, m.level, m.place_code) == expected


@pytest.mark.parametrize("case", [c for c in CASES if CASES[c][2][4]], ids=[c for c in CASES if CASES[c][2][4]])
def test_code_names_the_place_in_the_table(case):
    """The code is the table's code of the names given, its level the document's level, and its digits say the
    same: a county's code starts with its prefecture's four digits (省直辖 units: with their province's two)."""
    _, _, (province, city, county, level, code) = CASES[case]
    p = place_of_code(code)
    assert (p.province, p.city, p.county, p.level, p.code) == (province, city, county, level, code)
    t = divisions()
    d = t.by_code[code]
    assert d.name == (county or city or province)
    if d.parent:
        parent = t.by_code[d.parent]
        assert code.startswith(parent.code[:4 if parent.level == "prefecture" else 2])


def test_every_name_in_the_table_maps_back():
    """Each division's full name segments to itself, and the level names are the documents' levels."""
    t = divisions()
    for d in list(t.by_code.values())[::7]:
        ((name, found),) = segments(d.name)
        assert name == d.name and d in found
    assert {place_of_code(c).level for c in t.by_code} == {"provincial", "municipal", "county"}
    assert place_of_code("999999").code == "" and place_of_code("").code == ""


# Digests whose issuer is a division suffix alone (市人大常委会, 县人大常委会): the place is the one the front
# matter names elsewhere, else unknown; two cities' digests of one province never share the place 市.
BARE = {
    "meeting_line": ("市人大常委会工作报告（摘要）",
                     "——2024年1月8日在郑州市第十六届人民代表大会第三次会议上\n\n过去一年，市人大常委会依法履职。河南",
                     ("河南省", "郑州市", "", "municipal", "410100")),
    "body_in_text": ("市人大常委会工作报告（摘要）",
                     "过去一年，洛阳市人大常委会在市委领导下依法履职。河南省委",
                     ("河南省", "洛阳市", "", "municipal", "410300")),
    "short_meeting_form": ("县人大常委会工作报告（摘要）",
                           "本报讯 1月10日，在兰考县十七届人大四次会议上，县人大常委会主任作报告。",
                           ("河南省", "开封市", "兰考县", "county", "410225")),
    "nowhere": ("市人大常委会工作报告（摘要）", "过去一年，市人大常委会依法履职。河南省委；认真贯彻全国人大常委会部署。",
                ("", "", "", "", "")),
    "other_level_only": ("县人大常委会工作报告（摘要）", "受洛阳市人大常委会委托。河南",      # a 市 is no 县's place
                         ("", "", "", "", "")),
}


@pytest.mark.parametrize("case", list(BARE), ids=list(BARE))
def test_issuer_of_a_suffix_alone_names_no_place(case):
    title, body, expected = BARE[case]
    m = _meta(title, body)
    assert (m.province, m.city, m.county, m.level, m.place_code) == expected
    assert m.body == "congress" and m.issuer == title[:6]
