"""Smoke test of the scale benchmark (bench/run.py): on a 6-document synthetic corpus it builds, rebuilds with
one more document, and prints a parseable JSON line with the figures the README quotes."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from pure import differences  # noqa: E402  (bench/pure.py)


def test_bench_run_smoke(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), "6", str(corpus), "--seed", "3"],
                   check=True, capture_output=True, timeout=60)
    # the second build: in process as one run (--jobs 1), beside the first's one run per CPU (a multiprocess build of
    # six documents takes two minutes; tests/test_executors.py builds on it and on Dask)
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), str(corpus),
                           "--dist", str(tmp_path / "dist"), "--compare", "in_process"],
                          capture_output=True, text=True, timeout=200, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    assert r["documents"] == 6 and r["documents_published"] == 6
    assert r["build_exit"] == 0 and r["build_s"] > 0 and r["peak_rss_mib"] > 0
    with open(corpus / "manifest.csv", encoding="utf-8", newline="") as f:
        assert r["characters"] == sum(int(row["n_chars"]) for row in csv.DictReader(f)) > 0
    assert r["baseline_chars_per_s"] > 0 and r["baseline_matches"] > 0
    assert r["ratio_text_extraction"] > 0 and r["ratio_overall"] >= r["ratio_text_extraction"]
    assert {"raw_documents", "clean_documents", "metrics", "panel", "release"} <= set(r["stages_s"])
    assert set(r["stage_peak_rss_mib"]) == set(r["stages_s"]) and 0 < r["stage_peak_rss_mib"]["release"]
    assert r["add_one_exit"] == 0 and r["add_one_share"] > 0
    assert r["add_one_documents_processed"] == 1  # the other six are unchanged: not processed again
    assert r["noop_exit"] == 0 and r["noop_documents_processed"] == 0 and r["noop_s"] > 0
    assert r["add_one_minus_noop_s"] == round(r["add_one_s"] - r["noop_s"], 2)
    # the pure pass: the same functions called directly over the same six files, beside the build's stages
    assert r["pure_s"] > 0 and set(r["pure_stages_s"]) >= {"decode", "normalise", "metrics", "laws", "metadata"}
    assert r["per_document_s"] > 0 and r["one_run_per_document_s"] > 0   # (the comparison below is one run)
    assert r["ratio_build_to_pure"] == round(r["one_run_per_document_s"] / r["pure_s"], 2)
    assert r["dagster_events"] >= r["add_one_dagster_events"] > 0   # what the runs wrote to the instance
    # the same build with the other executor: its time beside, and the same bytes
    assert r["compare_executor"] == "in_process" and r["compare_exit"] == 0 and r["compare_identical"] is True
    assert r["compare_jobs"] == 1 and r["jobs"] == r["cpus"]   # one run, against the CLI's default
    assert r["compare_ratio"] == round(r["compare_build_s"] / r["build_s"], 2)
    assert (tmp_path / "dist" / "latest").exists()
    assert "documents: 6\n" in proc.stdout


def test_bench_floor_times_every_pass_against_the_same_scan(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), "4", str(corpus), "--seed", "5"],
                   check=True, capture_output=True, timeout=60)
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "floor.py"), str(corpus), "--limit", "3"],
                          capture_output=True, text=True, timeout=90, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    with open(corpus / "manifest.csv", encoding="utf-8", newline="") as f:
        assert r["characters"] == sum(int(row["n_chars"]) for row in list(csv.DictReader(f))[:3])
    assert r["documents"] == 3 and r["baseline_s"] > 0
    for name in ("opencc_t2s", "jieba_cut", "rjieba_cut", "nfkc", "python_loop_per_char", "cn2an_numerals"):
        assert r[f"{name}_s"] > 0 and r[f"{name}_ratio"] >= 0, name


def test_bench_pure_prints_ratios_and_compares_outputs(tmp_path: Path) -> None:
    """bench/pure.py: characters/s and the ratio to the bare scan for the pass and each function; --digests then
    --against on the same code finds no difference, and a changed digest is named."""
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), "3", str(corpus), "--seed", "7"],
                   check=True, capture_output=True, timeout=60)
    digests = tmp_path / "digests.json"

    def pure(*extra: str) -> tuple[int, str, dict]:
        proc = subprocess.run([sys.executable, str(ROOT / "bench" / "pure.py"), str(corpus), *extra],
                              capture_output=True, text=True, timeout=120, cwd=ROOT)
        return proc.returncode, proc.stdout, json.loads(proc.stdout.strip().splitlines()[-1])

    rc, _, r = pure("--digests", str(digests))
    assert rc == 0 and r["pure_documents"] == 3 and r["scan_s"] > 0 and r["ratio_to_scan"] > 0
    with open(corpus / "manifest.csv", encoding="utf-8", newline="") as f:
        assert r["characters"] == sum(int(row["n_chars"]) for row in csv.DictReader(f))
    assert set(r["per_function"]) >= {"decode", "normalise", "metrics", "laws", "oversight", "proposals"}
    assert r["per_function"]["normalise"]["ratio_to_scan"] > 0 and r["per_function"]["normalise"]["chars_per_s"] > 0
    ref = json.loads(digests.read_text("utf-8"))
    name = sorted(ref)[0]
    ref[name]["metrics"] = "0" * 64
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(ref), encoding="utf-8")
    rc, out, r = pure("--against", str(changed))
    assert rc == 1 and r["outputs_differ"] == {"metrics": 1} and f"differs: metrics: 1 document(s): {name}" in out
    assert differences(json.loads(digests.read_text("utf-8")), json.loads(digests.read_text("utf-8"))) == {}


def test_bench_hostile_times_both_shapes() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "hostile.py")], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    assert set(r) == {"one_line_1mb", "paragraph_30k"}
    assert r["paragraph_30k"]["chars"] == 30_000 and r["one_line_1mb"]["chars"] > 300_000
    assert all(x["s"] > 0 and x["tenth_s"] > 0 and "normalise" in x["functions_s"] for x in r.values())
