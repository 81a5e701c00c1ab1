"""Number roles (pipeline.extract.numbers): metric, year, date, ordinal, name, duration, other."""
import pytest

from pipeline.extract.numbers import find_numbers
from pipeline.text.model import Sentence


def mentions(text):
    return find_numbers(text, [Sentence(0, 0, "review", 0, len(text), text)] if text else [])


def roles(text):
    return [(m.quote, m.role) for m in mentions(text)]


@pytest.mark.parametrize("text,quote,role,unit,value,approx", [
    ("召开常委会会议10次,主任会议16次", "10次", "metric", "次", 10, "exact"),
    ("接待群众1.2万人次、收集意见建议3300余条", "1.2万人次", "metric", "人次", 12000, "exact"),
    ("收集意见建议3300余条", "3300余条", "metric", "条", 3300, "over"),
    ("推动解决问题2100余件", "2100余件", "metric", "件", 2100, "over"),
    ("所提问题得到解决和基本解决的建议401件、占比73.6%", "73.6%", "metric", "%", 73.6, "exact"),
    ("较上年提高1.2个百分点", "1.2个百分点", "metric", "个百分点", 1.2, "exact"),
    ("举办读书班,两次召开警示教育会", "两次", "metric", "次", 2, "exact"),
    ("对五部门依法行政工作情况进行满意度测评", "五部门", "metric", "部门", 5, "exact"),
    ("组织社会各界参观宣传基地26批845人次", "845人次", "metric", "人次", 845, "exact"),
    ("连续4年听取审议", "连续4年", "metric", "年", 4, "exact"),
    ("共邀请240余名代表列席常委会会议", "240余名", "metric", "名", 240, "over"),
    ("累计线上线下接待群众7万余人次", "7万余人次", "metric", "人次", 70000, "over"),
    ("近3000名代表参加", "近3000名", "metric", "名", 3000, "under"),
    ("约300人次参加", "约300人次", "metric", "人次", 300, "about"),
    ("培训100人左右", "100人左右", "metric", "人", 100, "about"),
    ("开展视察10次以上", "10次以上", "metric", "次", 10, "over"),
    ("代表集中视察不少于2次", "不少于2次", "metric", "次", 2, "over"),
    ("每名代表每年进站至少2次", "至少2次", "metric", "次", 2, "over"),
    ("会期不超过3天的会议5次", "5次", "metric", "次", 5, "exact"),
    ("连续第8年开展环保行活动", "连续第8年", "metric", "年", 8, "exact"),
    ("远程会诊仅1.8万例", "1.8万例", "metric", "例", 18000, "exact"),
    ("市、县、乡人大三级联动", "三级", "metric", "级", 3, "exact"),
], ids=["sessions", "wan", "yu", "yu-2100-not-year", "percent", "points", "liang-ci", "bumen", "batch-visits",
        "streak", "yu-ming", "wan-yu", "jin", "yue", "zuoyou", "yishang", "bushaoyu", "zhishao",
        "buchaoguo-duration", "streak-ordinal", "cases-wan", "list-size"])
def test_metric_numbers(text, quote, role, unit, value, approx):
    m = next(m for m in mentions(text) if m.quote == quote)
    assert (m.role, m.unit, m.approx) == (role, unit, approx)
    assert m.value == pytest.approx(value)


@pytest.mark.parametrize("text,quote,role", [
    ("——2023年1月5日在郑州市第十六届人民代表大会第一次会议上", "2023年", "year"),
    ("——2023年1月5日在郑州市第十六届人民代表大会第一次会议上", "1月", "date"),
    ("——2023年1月5日在郑州市第十六届人民代表大会第一次会议上", "5日", "date"),
    ("——2023年1月5日在郑州市第十六届人民代表大会第一次会议上", "第十六", "ordinal"),
    ("——2023年1月5日在郑州市第十六届人民代表大会第一次会议上", "第一", "ordinal"),
    ("2020年9月，召开市委人大工作会议", "9月", "date"),
    ("将每年5月10日设立为“郑州工匠日”", "10日", "date"),
    ("将每年农历三月初三所在的周设为“岐黄文化宣传周”", "三月", "date"),
    ("将每年农历三月初三所在的周设为“岐黄文化宣传周”", "初三", "date"),
    ("“7·20”特大暴雨灾害发生后", "7", "date"),
    ("圆满完成市十六届人大三次会议以来的各项工作任务", "十六届", "ordinal"),
    ("圆满完成市十六届人大三次会议以来的各项工作任务", "三次会议", "ordinal"),
    ("认真学习党的二十届四中全会精神", "四中全会", "ordinal"),
    ("围绕市委十二届九次全会和市委经济工作会议部署", "九次全会", "ordinal"),
    ("认真贯彻党的十九大、二十大精神", "十九大", "ordinal"),
    ("分获全国第32届人大新闻一、二等奖", "第32", "ordinal"),
    ("分获全国第32届人大新闻一、二等奖", "一", "ordinal"),
    ("完成高效能社会治理网格化服务管理条例一审", "一审", "ordinal"),
    ("为确保郑州“十五五”良好开局贡献力量", "十五五", "name"),
    ("聚焦“1+7+7+7”工作部署", "1", "name"),
    ("聚焦“两高四着力”重大要求", "两", "name"),
    ("扎实推进“三官一员”进站点工作", "三", "name"),
    ("把实践中形成的“十个一”体系上升为法规条款", "十", "name"),
    ("紧紧围绕“四个机关”定位要求", "四", "name"),
    ("对市一府一委两院监督工作迈出新步伐", "两", "name"),
    ("一步一个脚印努力把宏伟蓝图变为生动现实", "一", "name"),
    ("扎实开展深入贯彻中央八项规定精神学习教育", "八", "name"),
    ("作出在全市开展第八个五年法治宣传教育的决议", "第八", "ordinal"),
    ("作出在全市开展第八个五年法治宣传教育的决议", "五年", "duration"),
    ("过去五年，是郑州发展史上极不寻常的五年", "五年", "duration"),
    ("出台《具身智能产业发展三年行动计划(2026—2028)》", "2026—2028", "year"),
    ("### 2026 昂首阔步新征程", "2026", "year"),
    ("一批高质量的议案已经转化为法规", "一批", "other"),
    ("努力打造一支政治坚定的人大工作队伍", "一支", "other"),
    ("着力将一张张“民生清单”变为“幸福账单”", "一张", "other"),
    ("在三大攻坚战中加强联系指导", "三", "other"),
    ("实现市县两级人大常委会听取审议报告全覆盖", "两", "other"),
], ids=lambda x: x if len(str(x)) < 12 else None)
def test_non_metric_roles(text, quote, role):
    found = [m for m in mentions(text) if m.quote == quote]
    assert found, roles(text)
    assert found[0].role == role


@pytest.mark.parametrize("text", ["坚持统一领导", "唯一", "进一步加强", "逐一研究并依法反馈", "核心零部件企业",
                                  "零售业态"],
                         ids=["tongyi", "weiyi", "jinyibu", "zhuyi", "lingbujian", "lingshou"])
def test_words_with_numeral_characters_are_not_numbers(text):
    assert mentions(text) == []


def test_each_number_once_and_quotes_index_text():
    text = "召开常委会会议10次，主任会议16次；制定修订、打包修改地方性法规8件；2025年票决确定的10件民生实事38个项目已全面完成。"
    ms = mentions(text)
    assert [m.quote for m in ms] == ["10次", "16次", "8件", "2025年", "10件", "38个"]
    assert all(text[m.char_start:m.char_end] == m.quote for m in ms)
    assert all(m.sentence == 0 for m in ms)


@pytest.mark.parametrize("text", ["", "，；。！？", "ＡＢＣ", "\u200b\ufeff", "一二三四五六七八九十百千万亿" * 3],
                         ids=["empty", "punct", "fullwidth-latin", "zero-width", "numeral-soup"])
def test_hostile(text):
    ms = mentions(text)
    assert all(m.role in ("metric", "year", "date", "ordinal", "name", "duration", "other") for m in ms)
    assert all(text[m.char_start:m.char_end] == m.quote for m in ms)
    assert not any(m.role == "metric" for m in ms)


def test_huge_number_is_a_metric():
    (m,) = mentions("99999999999999999999999亿件")
    assert m.role == "metric" and m.unit == "件" and m.value > 1e30


# Audit documents (/tmp/audit, written for this project): classifier + noun is the classifier alone,
# bare 万/亿 amounts, 达到 stays exact.
@pytest.mark.parametrize("text,quote,unit,value,approx", [
    ("12个部门负责人到会应询", "12个", "个", 12, "exact"),
    ("实现与财政、审计、税务等12个部门的横向联通", "12个", "个", 12, "exact"),
    ("全市60岁以上老年人口已超过100万，占总人口的22.5%", "超过100万", "", 1000000, "over"),
    ("惠及群众100万人", "100万人", "人", 1000000, "exact"),
    ("投入资金100万元", "100万元", "元", 1000000, "exact"),
    ("累计投入3.5亿。", "3.5亿", "", 350000000, "exact"),
    ("代表联络站总数达到2600个", "2600个", "个", 2600, "exact"),
    ("代表联络站总数达到2600多个", "2600多个", "个", 2600, "over"),
], ids=["classifier-noun", "classifier-de", "bare-wan", "wan-ren", "wan-yuan", "bare-yi", "reach-exact", "reach-over"])
def test_audit_units(text, quote, unit, value, approx):
    m = next(m for m in mentions(text) if m.quote == quote)
    assert (m.role, m.unit, m.value, m.approx) == ("metric", unit, value, approx)


@pytest.mark.parametrize("text", ["十万火急", "万众一心", "最近3名代表", "附近100万"],
                         ids=["idiom", "wan-word", "zuijin", "fujin"])
def test_bare_multiplier_and_near_words(text):
    ms = mentions(text)
    assert all(m.approx != "under" for m in ms)
    assert all(not (m.role == "metric" and m.unit == "") or m.quote.endswith("万") for m in ms)
    assert [m.quote for m in ms if m.role == "metric" and m.unit == ""] == (["100万"] if "100万" in text else [])
