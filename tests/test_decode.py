"""Decoding: every common Chinese encoding is detected, never guessed; failures name file, offset, reason."""
from __future__ import annotations

import codecs
from pathlib import Path

import opencc
import pytest

from pipeline.text.decode import DecodeError, decode_bytes

SEED_001 = Path(__file__).resolve().parents[1] / "seeds" / "001_4a3b9fde25d10259.txt"
TEXT = SEED_001.read_text("utf-8")
SIMPLIFIED = opencc.OpenCC("t2s").convert(TEXT)


@pytest.mark.parametrize("data, encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
    (TEXT.encode("utf-16-le"), "utf-16-le"),
    (TEXT.encode("utf-16-be"), "utf-16-be"),
    (SIMPLIFIED.encode("gbk"), "gb18030"),
    (SIMPLIFIED.encode("gb18030"), "gb18030"),
], ids=["utf8", "utf8_bom", "utf16le_bom", "utf16be_bom", "utf16le", "utf16be", "gbk", "gb18030"])
def test_encodings_detected(data, encoding):
    text, enc = decode_bytes(data, "seed.txt")
    assert enc == encoding
    assert text == (SIMPLIFIED if encoding == "gb18030" else TEXT)
    assert not text.startswith("\ufeff")


def test_big5_detected():
    trad = opencc.OpenCC("s2t").convert(SIMPLIFIED[:3000])
    data = trad.encode("big5", errors="ignore")
    text, enc = decode_bytes(data, "tw.txt")
    assert enc == "big5"
    assert "人民代表大會常務委員會" in text


def test_crlf_kept():
    text, _ = decode_bytes("第一段。\r\n第二段。".encode("gbk"), "x.txt")
    assert text == "第一段。\r\n第二段。"


@pytest.mark.parametrize("data, reason_part, offset", [
    (b"", "empty file", None),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "PNG image", 0),
    (b"%PDF-1.7\n", "PDF", 0),
    ("工作报告".encode("utf-8") + b"\x00\x01\x02binary", "NUL", 12),
    (SIMPLIFIED[:200].encode("gbk") + b"\xff\xff", "not valid", len(SIMPLIFIED[:200].encode("gbk"))),
], ids=["empty", "png", "pdf", "nul_bytes", "broken_gbk"])
def test_undecodable(data, reason_part, offset):
    with pytest.raises(DecodeError) as info:
        decode_bytes(data, "bad.txt")
    err = info.value
    assert reason_part in err.reason
    assert err.name == "bad.txt"
    assert err.offset == offset
    assert err.hint
    assert "bad.txt" in str(err) and (offset is None or str(offset) in str(err))


def test_random_bytes_rejected():
    data = bytes((i * 37 + 11) % 256 for i in range(4000))
    with pytest.raises(DecodeError):
        decode_bytes(data, "noise.bin")


def test_plain_ascii_decodes_as_utf8():
    # decodes cleanly; recognise.report_problem is what says it holds no Chinese
    assert decode_bytes(b"hello world", "a.txt") == ("hello world", "utf-8")
