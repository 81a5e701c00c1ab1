"""Hostile input (tests/hostile/README.md): one real build over every file of the corpus plus a generated 10 MB
single-line file. Each file gets a document with the right encoding and its figures, or a named problem (stage,
reason, offset where it means something, hint) that the CLI prints; nothing crashes and the release is published."""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from conftest import run_release
from pipeline.text.decode import MAX_BYTES
from pipeline.text.sources import file_name

CORPUS = Path(__file__).resolve().parent / "hostile"
LONG_LINE = "long_line_10mb.txt"
LONG_LINE_BYTES = 10_000_000
# committed under a UTF-8 name, copied under this name in GBK bytes (not UTF-8: an archive unzipped from Windows)
GBK_NAMED = ("gbk_file_name.txt", "宏远县人大常委会工作报告.txt")

PAST, PLAN = "past_year", "plan"
# file -> (encoding, doc_id, [(indicator_code, value, period)], [law names]) of the document it must give
DOCUMENTS = {
    "gb18030.txt": ("gb18030", "gb18030", [("sessions", 9, PAST), ("deputy_suggestions", 87, PAST)], []),
    "gbk.txt": ("gb18030", "gbk", [("regulations_enacted_revised", 3, PAST), ("deputy_suggestions", 156, PAST)],
                ["北湖市湿地保护条例"]),
    "big5.txt": ("big5", "big5", [("sessions", 7, PAST), ("deputy_suggestions", 118, PAST)], ["南屏市古村落保护条例"]),
    "utf16le_bom.txt": ("utf-16-le", "utf16le_bom", [("sessions", 6, PAST), ("appointments", 47, PAST)], []),
    "utf16le_nobom.txt": ("utf-16-le", "utf16le_nobom", [("deputy_suggestions", 131, PAST)], []),
    "utf16be_nobom.txt": ("utf-16-be", "utf16be_nobom", [("sessions", 8, PAST), ("appointments", 53, PAST)], []),
    "utf8_bom.txt": ("utf-8-sig", "utf8_bom", [("sessions", 10, PAST), ("deputy_suggestions", 142, PAST)],
                     ["白河市城市绿化条例"]),
    "no_headings.txt": ("utf-8", "no_headings", [("sessions", 8, PAST), ("law_inspections", 3, PAST)], []),
    "西林市报告_原件.txt": ("utf-8", "西林市报告_原件", [("sessions", 11, PAST), ("deputy_suggestions", 203, PAST)], []),
    "2024年 某市 人大 工作报告.txt": ("utf-8", "2024年_某市_人大_工作报告", [("sessions", 7, PAST), ("law_inspections", 4, PLAN)],
                                  []),
    GBK_NAMED[1]: ("utf-8", "宏远县人大常委会工作报告", [("sessions", 5, PAST), ("deputy_suggestions", 64, PAST)], []),
}
# file -> (stage, offset or None, words the reason must hold)
PROBLEMS = {
    "empty.txt": ("decode", None, "empty file"),
    "工作报告_改名.txt": ("decode", 0, "ZIP archive"),           # a .docx renamed .txt (a copy of 工作报告.docx)
    "网页另存.txt": ("decode", 2, "HTML page"),                # a saved page renamed .txt (the page starts with CR LF)
    "numbers_only.txt": ("recognise", None, "no Chinese text"),
    "西林市报告_转存.txt": ("decode", None, "same content as 西林市报告_原件.txt"),
    LONG_LINE: ("decode", MAX_BYTES, "10.0 MB, more than the"),
}

# files that are no text files by their name: listed as skipped in the summary, never read, no problem row
SKIPPED = {"工作报告.docx": "a .docx file", "archive.dat": "a .dat file", "report_page.html": "a .html file"}
RENAMED = {"工作报告_改名.txt": "工作报告.docx", "网页另存.txt": "report_page.html"}   # copy -> committed file


def _long_line(source: str) -> bytes:
    """A single 10 MB line: the committed text's lines joined, repeated (deterministic)."""
    line = "".join(source.splitlines()).encode("utf-8")
    return line * (LONG_LINE_BYTES // len(line) + 1)


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    seeds = tmp_path_factory.mktemp("hostile_seeds")
    for p in CORPUS.iterdir():
        if p.name not in ("README.md", GBK_NAMED[0]):
            shutil.copyfile(p, seeds / p.name)
    try:
        with open(os.fsencode(seeds) + b"/" + GBK_NAMED[1].encode("gbk"), "wb") as f:
            f.write((CORPUS / GBK_NAMED[0]).read_bytes())
        gbk_name = True
    except OSError:  # a file system that only takes UTF-8 names (macOS): the name stays UTF-8
        (seeds / GBK_NAMED[1]).write_bytes((CORPUS / GBK_NAMED[0]).read_bytes())
        gbk_name = False
    for copy, original in RENAMED.items():
        shutil.copyfile(CORPUS / original, seeds / copy)
    (seeds / LONG_LINE).write_bytes(_long_line((CORPUS / "no_headings.txt").read_text("utf-8")))
    dist = tmp_path_factory.mktemp("hostile_dist")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run_release(seeds, dist)
    latest = dist / "latest"
    tables = {t: pd.read_parquet(latest / f"{t}.parquet")
              for t in ("documents", "problems", "metrics", "laws", "texts")}
    return SimpleNamespace(code=code, out=out.getvalue(), tables=tables, gbk_name=gbk_name,
                           files=sorted(file_name(p) for p in seeds.iterdir()))


def test_corpus_and_expectations_agree(build):
    assert build.files == sorted(set(DOCUMENTS) | set(PROBLEMS) | set(SKIPPED))
    assert build.gbk_name or not sys.platform.startswith("linux")
    line = _long_line("一二三\n四五六")
    assert b"\n" not in line and LONG_LINE_BYTES <= len(line) < LONG_LINE_BYTES + 18


def test_build_publishes_and_names_every_file(build):
    assert build.code == 0, build.out
    assert "published v" in build.out
    docs, problems = build.tables["documents"], build.tables["problems"]
    assert sorted(docs["source_file"]) == sorted(DOCUMENTS)
    assert sorted(problems["source_file"]) == sorted(PROBLEMS)
    assert len(problems) == len(PROBLEMS)  # one problem per file, no file both ways
    skipped = build.out[build.out.index("skipped ("):]
    for name, what in SKIPPED.items():
        assert f"{name}: {what}, not read" in skipped and "save it as plain text" in skipped


@pytest.mark.parametrize("name", list(DOCUMENTS), ids=list(DOCUMENTS))
def test_document(build, name):
    tables = build.tables
    encoding, doc_id, figures, laws = DOCUMENTS[name]
    doc = tables["documents"].set_index("source_file").loc[name]
    assert (doc["encoding"], doc["doc_id"]) == (encoding, doc_id)
    metrics = tables["metrics"][tables["metrics"]["doc_id"] == doc_id]
    found = set(zip(metrics["indicator_code"], metrics["value"], metrics["period"]))
    for code, value, period in figures:
        assert (code, float(value), period) in found, (code, value, period, sorted(found))
    assert set(laws) <= set(tables["laws"].loc[tables["laws"]["doc_id"] == doc_id, "name"])


def test_characters_outside_gbk_survive(build):
    """GB18030's four-byte characters (CJK Ext-A 㙟, Ext-B 𠮷) are decoded and kept in text and title."""
    tables = build.tables
    clean = tables["texts"].set_index("doc_id").loc["gb18030", "clean_text"]
    assert "陈𠮷" in clean and clean.startswith("㙟川区")
    assert tables["documents"].set_index("doc_id").loc["gb18030", "title"].startswith("㙟川区")


@pytest.mark.parametrize("name", list(PROBLEMS), ids=list(PROBLEMS))
def test_problem(build, name):
    stage, offset, reason = PROBLEMS[name]
    rows = build.tables["problems"][build.tables["problems"]["source_file"] == name]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["stage"] == stage
    assert (None if pd.isna(row["offset"]) else int(row["offset"])) == offset
    assert reason in row["reason"] and row["hint"].strip()
    assert f"{name}: {row['reason']} — {row['hint']}" in build.out, "the CLI summary does not name the file"
