"""Numeral tokenising and values (pipeline.extract.numerals)."""
import pytest

from pipeline.extract.numerals import find_numerals, parse_numeral


@pytest.mark.parametrize("text,value", [
    ("10", 10), ("１２３", 123), ("1.2万", 12000), ("7万", 70000), ("3.5亿", 3.5e8), ("两", 2),
    ("三千六百三十四", 3634), ("二〇二五", 2025), ("〇", 0), ("十六", 16), ("两万三千", 23000),
    ("零点五", 0.5), ("1,234", 1234), ("０.５", 0.5),
], ids=lambda x: str(x))
def test_parse_numeral(text, value):
    assert parse_numeral(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "余", "万", "abc", "多"])
def test_parse_numeral_rejects(text):
    with pytest.raises(ValueError):
        parse_numeral(text)


def toks(text):
    return [(n.text, n.value, n.kind) for n in find_numerals(text)]


@pytest.mark.parametrize("text,expected", [
    ("召开常委会会议10次,主任会议16次", [("10", 10, "number"), ("16", 16, "number")]),
    ("接待群众1.2万人次、收集意见建议3300余条", [("1.2万", 12000, "number"), ("3300", 3300, "number")]),
    ("三年行动计划(2026—2028)", [("三", 3, "number"), ("2026—2028", 2026, "range")]),
    ("市十六届人大三次会议", [("十六", 16, "number"), ("三", 3, "number")]),
    ("累计线上线下接待群众7万余人次", [("7万", 70000, "number")]),
    ("三分之一", [("三分之一", 1 / 3, "fraction")]),
    ("百分之七十", [("百分之七十", 70, "percent")]),
    ("市“十五五”规划", [("十五五", 15, "sequence")]),
    ("办理建议五六件", [("五六", 5, "range")]),
], ids=["enumeration", "wan-decimal", "year-range", "session", "wan-yu", "fraction", "percent-word",
        "fifteenth-five", "five-six"])
def test_find_numerals(text, expected):
    got = toks(text)
    assert [(t, k) for t, _, k in got] == [(t, k) for t, _, k in expected]
    assert [v for _, v, _ in got] == pytest.approx([v for _, v, _ in expected])


@pytest.mark.parametrize("text", ["", "，，。。！", "征程万里风正劲，重任千钧", "𠀀𠀁 \u200b\ufeff", "abc DEF"],
                         ids=["empty", "punct", "bare-wan-qian", "astral", "latin"])
def test_no_numerals(text):
    assert find_numerals(text) == []


def test_huge_and_mixed():
    got = find_numerals("99999999999999999999999亿件和ｆｕｌｌ１２件")
    assert [n.value for n in got] == pytest.approx([9.9999999999999999e30, 12])
    assert all(text[n.start:n.end] == n.text for text in ["99999999999999999999999亿件和ｆｕｌｌ１２件"] for n in got)


def test_spans_index_the_text():
    text = "共制定和修订地方性法规10件，修改33件次，废止12件。"
    for n in find_numerals(text):
        assert text[n.start:n.end] == n.text
