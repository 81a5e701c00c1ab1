"""The synthetic corpus generator of the scale benchmark (bench/make_corpus.py): deterministic, decodable,
report-sized, every layout/genre/encoding present, and the figures it plants are found by the extractors."""
from __future__ import annotations

import csv
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "bench" / "make_corpus.py"

FAMILY = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "utf-16": "utf-16", "gb18030": "gb", "big5": "big5"}


def _family(codec: str) -> str:
    c = codec.lower().replace("_", "-")
    for prefix in ("utf-8", "utf-16"):
        if c.startswith(prefix):
            return prefix
    return {"gb18030": "gb", "gbk": "gb", "gb2312": "gb", "big5": "big5", "big5hkscs": "big5", "cp950": "big5"}.get(c, c)


@pytest.fixture(scope="module")
def mc():
    spec = importlib.util.spec_from_file_location("make_corpus", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    yield mod
    sys.modules.pop("make_corpus", None)


@pytest.fixture(scope="module")
def corpus60(mc, tmp_path_factory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("c60")
    mc.make_corpus(60, out, seed=3)
    with open(out / "manifest.csv", encoding="utf-8") as f:
        return out, list(csv.DictReader(f))


def _folder(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def test_cli_deterministic_and_seed_dependent(tmp_path):
    runs = {}
    for name, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        r = subprocess.run([sys.executable, str(SCRIPT), "20", str(tmp_path / name), "--seed", seed],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith("make_corpus: 20 documents,") and r.stdout.count("\n") == 1
        runs[name] = _folder(tmp_path / name)
    assert len(runs["a"]) == 21 and "manifest.csv" in runs["a"]
    assert runs["a"] == runs["b"]
    assert runs["a"] != runs["c"] and runs["a"]["manifest.csv"] != runs["c"]["manifest.csv"]


def test_file_names(corpus60):
    out, rows = corpus60
    assert [r["file"] for r in rows] == sorted(p.name for p in out.glob("*.txt"))
    for k, r in enumerate(rows):
        assert re.fullmatch(rf"c{k:06d}_[a-z]+_20(1[5-9]|2[0-5])\.txt", r["file"]), r["file"]
        assert r["file"].endswith(f"_{r['year']}.txt")


def test_every_file_decodes_to_declared_family(corpus60):
    from pipeline.text.decode import decode_bytes
    out, rows = corpus60
    for r in rows:
        data = (out / r["file"]).read_bytes()
        text, codec = decode_bytes(data, r["file"])
        assert _family(codec) == FAMILY[r["encoding"]], (r["file"], r["encoding"], codec)
        assert len(text) == int(r["n_chars"])
        assert r["place"].removesuffix("市")[:2] in text or r["script"] == "traditional"


def test_sizes_within_bounds(corpus60):
    out, rows = corpus60
    for r in rows:
        n = (out / r["file"]).stat().st_size
        assert n == int(r["n_bytes"])
        assert 5_000 <= n <= 25_000, (r["file"], n)


def test_mix_covers_every_value(corpus60, mc):
    _, rows = corpus60
    assert {r["genre"] for r in rows} == set(mc.GENRE_QUOTA)
    assert {r["layout"] for r in rows} == set(mc.LAYOUT_QUOTA)
    assert {r["encoding"] for r in rows} >= {"utf-8", "gb18030", "utf-16", "big5"}
    assert sum(r["genre"] == "work_report" for r in rows) == 3 * mc.GENRE_QUOTA["work_report"]
    assert all(r["script"] == "traditional" for r in rows if r["encoding"] == "big5")
    kinds = {kv.split("=")[0] for r in rows for kv in r["defects"].split(";") if kv}
    assert kinds == set(mc.DEFECT_RATES)


def test_layouts_render_their_headings(corpus60):
    from pipeline.text.decode import decode_bytes
    out, rows = corpus60
    marks = {"markdown": ("### ",), "numbered": ("一、",), "parts": ("第一部分",)}
    for r in rows:
        if r["genre"] != "work_report" or r["script"] == "traditional":
            continue
        text, _ = decode_bytes((out / r["file"]).read_bytes(), r["file"])
        if r["layout"] == "plain":
            assert "### " not in text and "第一部分" not in text and "\n（一）" not in text
        else:
            assert any(m in text for m in marks[r["layout"]]), (r["file"], r["layout"])


def test_defects_are_in_the_text(corpus60):
    from pipeline.text.decode import decode_bytes
    out, rows = corpus60
    for r in rows:
        defects = dict(kv.split("=") for kv in r["defects"].split(";") if kv)
        text, _ = decode_bytes((out / r["file"]).read_bytes(), r["file"])
        if "page_break_split" in defects and r["layout"] != "markdown":
            assert any(line and "\u4e00" <= line[-1] <= "\u9fff" for line in text.splitlines()), r["file"]
        if "width_mix" in defects:
            assert "," in text or ";" in text, r["file"]
        if "english_intrusion" in defects:
            assert any(w in text for w in (" and ", " points ", " meeting ", " report ", " construction ",
                                           " deputies ", " supervision ", " legislation ")), r["file"]


def test_pipeline_finds_planted_session_figures(corpus60):
    from pipeline.extract.indicators import load_codebook
    from pipeline.extract.metrics import extract_metrics
    from pipeline.extract.numbers import find_numbers
    from pipeline.text.decode import decode_bytes
    from pipeline.text.normalise import normalise
    from pipeline.text.sections import split_sections
    from pipeline.text.sentences import split_sentences
    out, rows = corpus60
    picked, encodings = [], set()
    for r in rows:  # three planted documents in three encodings (one traditional Big5 if there is one)
        if r["figures"] and r["encoding"] not in encodings and len(picked) < 3:
            picked.append(r)
            encodings.add(r["encoding"])
    assert len(picked) == 3
    codebook = load_codebook()
    for r in picked:
        raw, _ = decode_bytes((out / r["file"]).read_bytes(), r["file"])
        clean, _ = normalise(raw)
        sents = split_sentences(clean, split_sections(clean))
        metrics = extract_metrics(clean, sents, find_numbers(clean, sents), codebook)
        figures = {k: float(v) for k, v in (kv.split("=") for kv in r["figures"].split(";"))}
        values = {m.value for m in metrics}
        assert figures["sessions"] in values and figures["director_meetings"] in values, (r["file"], figures)
        assert figures["appointments"] in values, r["file"]
        sessions = [m for m in metrics if m.value == figures["sessions"] and m.unit == "次"]
        assert sessions and "会议" in sessions[0].quote, (r["file"], sessions)
        assert {m.period for m in sessions} <= {"past_year", "term"}
