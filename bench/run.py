"""Scale benchmark (DESIGN.md "Scale", issue 6 item 3): times a full build of a corpus folder with the real CLI and
compares it with a bare read-decode-regex scan of the same files, measured in the same run.

    python bench/run.py CORPUS [--dist DIR] [--no-add-one] [--executor NAME] [--jobs N]
                        [--compare NAME | --no-compare]
                        [--profile OUT.txt]

- full build: ``python -m pipeline release --seeds <copy of CORPUS> --dist DIR`` as a subprocess (wall time, peak
  RSS of the child from getrusage, documents/s, characters/s; characters = sum of the decoded texts' lengths), with
  its persistent Dagster instance in its work folder (``DAGSTER_HOME`` is not passed on);
- stage_peak_rss_mib: the child's VmRSS sampled every 0.2 s, the highest seen before each stage's progress line
  (the memory a stage reached, allocator high-water included);
- stages: from the CLI's progress lines ``[  12.6s] clean_documents: ...``; a stage's time is the difference
  between its stamp and the previous line's stamp (the job runs in process, one step at a time, so an interval
  also holds the table checks and output writing done before that asset logged; the first one also holds
  loading the pipeline's modules);
- baseline: read every file's bytes, decode (codec from manifest.csv, else ``decode_bytes``), count the matches
  of one number regex; ratio = pipeline seconds per character / baseline seconds per character, for the text and
  extraction stages (clean_documents .. panel: everything logged after raw_documents and before release; not the
  plan, which hashes the files) and for the whole build;
- add one (unless --no-add-one): after the full build, add ONE new document (make_corpus's ``make_document``) and
  rebuild into the same dist (and so the same work folder: only that document is processed, then the release);
  its time as a share of the full build, and how many documents the CLI's plan processed;
- dagster_events: the events the build's run wrote to the persistent Dagster instance (add_one_dagster_events:
  the add-one build's);
- pure pass (bench/pure.py, in a subprocess): the text and extraction functions called directly over the same files;
  ``per_document_s`` (the build's per-document stages: every stage but plan, panel and release) beside it,
  ``one_run_per_document_s`` (the same of the build made as one run: the first build's with ``--jobs 1``, else the
  comparison's) and ``ratio_build_to_pure``, the one run's over the pure pass (issue 15's target: at most 1.25; the
  orchestration's cost on one core, so not divided by the cores of runs at once);
- no-op (unless --no-add-one): the same build again with nothing changed (``noop_s``), before the add-one build, so
  that ``add_one_s - noop_s`` is what one new document costs;
- jobs: the builds run with the CLI's ``--jobs`` (``--jobs N``; default the CLI's: one run per CPU at once over
  disjoint batches, then the release's run); ``peak_rss_mib`` is the largest process's or, when several run at
  once, the highest sum of all of them (sampled);
- other executor (``--compare``, default in_process as ONE run, ``--jobs 1``; or multiprocess, dask; ``--no-compare``
  skips it): the same full build that way into a dist folder of its own (``compare_build_s``, ``compare_ratio``: its
  wall time over the first build's), and whether the two releases are byte-identical (``compare_identical``: their
  SHA256SUMS, which list every file's SHA-256, are the same);
- --profile OUT.txt: the full build runs under pyinstrument (sampling; slower) and its call tree goes to OUT.txt.

CORPUS is copied into a temporary folder without manifest.csv (the manifest is not a document). Prints
``key: value`` lines, then one line of JSON with every figure.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import contextlib
import resource
import sqlite3
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import make_corpus  # noqa: E402  (bench/make_corpus.py: the new document of --add-one)

NUMBER = re.compile(r"\d+(?:\.\d+)?")
STAMP = re.compile(r"^\[\s*(\d+(?:\.\d+)?)s\] (?!warning: |FAILED )([a-z_]+): ")
PUBLISHED = re.compile(r"^\s+documents: (\d+); problems: (\d+)")
PLANNED = re.compile(r"plan: \d+ document\(s\): (\d+) to process")
NOT_DOCUMENTS = {"manifest.csv"}
CODECS = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "utf-16": "utf-16", "gb18030": "gb18030", "big5": "big5"}
NOT_TEXT_STAGES = ("plan", "raw_documents", "release")  # hashing and reading files, writing the release
NOT_PER_DOCUMENT = ("plan", "panel", "problems", "release")   # stages over the whole corpus, not per document
ADDED_SEED = 0  # seed of the document --add-one generates (any seed: it only has to be new)


def stage(corpus: Path, to: Path) -> list[Path]:
    """Copy the corpus's documents (not its manifest) into ``to``."""
    to.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in corpus.iterdir()
                   if p.is_file() and not p.name.startswith(".") and p.name not in NOT_DOCUMENTS)
    for p in files:
        shutil.copyfile(p, to / p.name)
    return [to / p.name for p in files]


def manifest_codecs(corpus: Path) -> dict[str, str]:
    """{file name: Python codec} from the corpus's manifest.csv (make_corpus.py), {} without one."""
    if not (corpus / "manifest.csv").is_file():
        return {}
    with open(corpus / "manifest.csv", encoding="utf-8", newline="") as f:
        return {r["file"]: CODECS[r["encoding"]] for r in csv.DictReader(f) if r.get("encoding") in CODECS}


def baseline(files: list[Path], codecs: dict[str, str]) -> dict:
    """Read, decode and scan every file with one number regex; wall time and counts."""
    t0 = time.perf_counter()
    chars = matches = 0
    for p in files:
        data = p.read_bytes()
        codec = codecs.get(p.name)
        if codec:
            text = data.decode(codec)
        else:
            from pipeline.text.decode import DecodeError, decode_bytes
            try:
                text = decode_bytes(data, p.name)[0]
            except DecodeError:
                continue    # refused by the build too (empty, binary): nothing to scan
        chars += len(text)
        matches += sum(1 for _ in NUMBER.finditer(text))
    return {"s": time.perf_counter() - t0, "chars": chars, "matches": matches}


def pure(seeds: Path) -> dict:
    """bench/pure.py over ``seeds`` in its own process: its JSON line."""
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "pure.py"), str(seeds)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def build(seeds: Path, dist: Path, executor: str = "in_process", profile: Path | None = None,
          jobs: int | None = None) -> dict:
    """Run the CLI once; wall time, exit code, per-stage seconds, published document count. With ``profile``,
    under pyinstrument, writing its text report there (slower: sampling overhead); ``jobs``: the CLI's --jobs
    (None: its default)."""
    cli = ["-m", "pipeline", "release", "--seeds", str(seeds), "--dist", str(dist), "--executor", executor,
           *(["--jobs", str(jobs)] if jobs is not None else [])]
    cmd = [sys.executable, *(["-m", "pyinstrument", "-r", "text", "-o", str(profile)] if profile else []), *cli]
    t0 = time.perf_counter()
    # the build's Dagster instance in its own work folder (<work>/dagster), never a DAGSTER_HOME exported for the UI
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = RssSampler(proc.pid)
    stamps, published, processed, stage_rss = [], None, None, {}
    for line in proc.stdout:
        sys.stderr.write("  | " + line)  # live progress; stdout stays the report
        if m := PLANNED.search(line):
            processed = int(m.group(1))
        if m := STAMP.match(line):
            stamps.append((m.group(2), float(m.group(1))))
            stage_rss[m.group(2)] = max(stage_rss.get(m.group(2), 0), sampler.take())
        elif m := PUBLISHED.match(line):
            published = int(m.group(1))
    rc = proc.wait()
    wall = time.perf_counter() - t0
    sampler.stop()
    peak = sampler.peak
    stages, last = {}, 0.0
    for name, t in stamps:
        stages[name] = round(stages.get(name, 0.0) + t - last, 2)
        last = t
    return {"wall_s": wall, "rc": rc, "stages": stages, "published": published, "processed": processed,
            "stage_rss_mib": {k: round(v / 1024) for k, v in stage_rss.items()}, "rss_kib": peak}


class RssSampler:
    """The resident memory (VmRSS, KiB) of the child and of every process under it (a build with ``--jobs`` > 1
    runs in several processes at once: their sum is what the machine must hold), sampled every ``every`` seconds;
    ``take()`` returns the highest since the previous call, which attributes each peak to the stage that logged
    next; ``peak`` is the highest of all (Linux only: 0 elsewhere)."""

    def __init__(self, pid: int, every: float = 0.2):
        self.pid, self.every, self.high, self.peak, self.done = pid, every, 0, 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @staticmethod
    def _tree(pid: int) -> list[int]:
        out, todo = [], [pid]
        while todo:
            p = todo.pop()
            out.append(p)
            try:
                todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
            except (OSError, ValueError):
                pass
        return out

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except (OSError, ValueError, IndexError):
            pass
        return 0

    def _sample(self) -> None:
        now = sum(self._rss(p) for p in self._tree(self.pid))
        self.high, self.peak = max(self.high, now), max(self.peak, now)

    def _run(self) -> None:
        while not self.done.wait(self.every):
            self._sample()

    def take(self) -> int:
        self._sample()
        high, self.high = self.high, 0
        return high

    def stop(self) -> None:
        self.done.set()
        self.thread.join()


def add_document(folder: Path, index: int) -> Path:
    """Write one new synthetic document (make_corpus's document ``index``) into ``folder``."""
    genre, layout, encoding = make_corpus.plan(index + 1, ADDED_SEED)[index]
    name, data, _ = make_corpus.make_document(index, ADDED_SEED, genre, layout, encoding, make_corpus.load_vocab())
    path = folder / name
    if path.exists():
        path = folder / f"added_{name}"
    path.write_bytes(data)
    return path


def dagster_events(dist: Path) -> int:
    """Events the Dagster instance of a dist folder's builds has recorded (its SQLite run storage: one database per
    run under <work>/dagster/history/runs, index.db aside), so that a build's events are the difference."""
    total = 0
    for db in (dist.parent / "build" / dist.name / "dagster" / "history" / "runs").glob("*.db"):
        if db.name == "index.db":
            continue
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
            total += con.execute("select count(*) from event_logs").fetchone()[0]
    return total


def _sums(dist: Path) -> bytes | None:
    """The SHA256SUMS of the release a build published into ``dist`` (None: none)."""
    sums = dist / "latest" / "SHA256SUMS"
    return sums.read_bytes() if sums.is_file() else None


def cpus_available() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def machine() -> dict:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
    except OSError:
        commit = ""
    return {"cpus": cpus_available(), "python": platform.python_version(), "platform": platform.platform(),
            "commit": commit}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, help="folder of documents (e.g. written by bench/make_corpus.py)")
    ap.add_argument("--dist", type=Path, help="release folder to build into (default: a temporary folder)")
    ap.add_argument("--no-add-one", dest="add_one", action="store_false",
                    help="skip the second build (one document added to the built corpus, republished)")
    ap.add_argument("--executor", default="in_process", choices=("in_process", "multiprocess", "dask"))
    ap.add_argument("--jobs", type=int, default=None,
                    help="the CLI's --jobs for the builds (default: the CLI's, one run per CPU at once)")
    ap.add_argument("--compare", default="in_process", choices=("in_process", "multiprocess", "dask"),
                    help="time a second full build with this executor (default in_process, as one run: --jobs 1)")
    ap.add_argument("--no-compare", dest="compare", action="store_const", const=None,
                    help="skip the build with another executor")
    ap.add_argument("--profile", type=Path, help="run the full build under pyinstrument; its report goes here")
    a = ap.parse_args(argv)

    codecs = manifest_codecs(a.corpus)
    with tempfile.TemporaryDirectory(prefix="bench_") as tmp:
        seeds, dist = Path(tmp) / "seeds", a.dist or Path(tmp) / "dist"
        files = stage(a.corpus, seeds)
        base = baseline(files, codecs)
        pure_r = pure(seeds)
        full = build(seeds, dist, a.executor, a.profile, a.jobs)
        full_events = dagster_events(dist)
        rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux (bytes on macOS)
        if sys.platform == "darwin":
            rss_kib //= 1024
        rss_kib = max(rss_kib, full["rss_kib"])   # the largest process, or all of them at once when more
        other = identical = None
        if a.compare and full["rc"] == 0:
            other_dist = Path(tmp) / "compare" / "dist"
            other = build(seeds, other_dist, a.compare, jobs=1 if a.compare == "in_process" else None)
            identical = _sums(dist) == _sums(other_dist) is not None
            shutil.rmtree(other_dist.parent, ignore_errors=True)
        added = noop = None
        if a.add_one and full["rc"] == 0:
            noop = build(seeds, dist, a.executor, jobs=a.jobs)
            add_document(seeds, len(files))
            before = dagster_events(dist)
            added = build(seeds, dist, a.executor, jobs=a.jobs)
            added["events"] = dagster_events(dist) - before

    n, chars = len(files), base["chars"]
    full_jobs = (a.jobs or cpus_available()) if a.executor == "in_process" else 1
    text_stages = {k: v for k, v in full["stages"].items() if k not in NOT_TEXT_STAGES}
    text_s = sum(text_stages.values())
    def per_document(stages: dict) -> float:
        return round(sum(v for k, v in stages.items() if k not in NOT_PER_DOCUMENT), 2)
    per_document_s = per_document(full["stages"])
    # the orchestration's cost against the pure pass (one core) is a one-run build's: with runs at once the
    # per-document stages also divide by the cores
    one_run = full if full_jobs == 1 else other if other is not None and a.compare == "in_process" else None
    one_run_s = per_document(one_run["stages"]) if one_run is not None else None
    r = {
        **machine(),
        "corpus": str(a.corpus), "executor": a.executor,
        "jobs": full_jobs, "documents": n, "documents_published": full["published"], "characters": chars,
        "build_exit": full["rc"], "build_s": round(full["wall_s"], 2),
        "documents_per_s": round(n / full["wall_s"], 2), "chars_per_s": round(chars / full["wall_s"]),
        "peak_rss_mib": round(rss_kib / 1024, 1), "dagster_events": full_events,
        "stages_s": full["stages"], "stage_peak_rss_mib": full["stage_rss_mib"], "text_extraction_s": round(text_s, 2),
        "text_extraction_chars_per_s": round(chars / text_s) if text_s else None,
        "baseline_s": round(base["s"], 4), "baseline_chars_per_s": round(chars / base["s"]) if base["s"] else None,
        "baseline_matches": base["matches"], "baseline_decoder": "manifest codec" if codecs else "decode_bytes",
        "ratio_text_extraction": round(text_s / base["s"], 1) if base["s"] else None,
        "ratio_overall": round(full["wall_s"] / base["s"], 1) if base["s"] else None,
        "pure_s": pure_r["pure_s"], "pure_stages_s": pure_r["pure_stages_s"], "per_document_s": per_document_s,
        "one_run_per_document_s": one_run_s,
        "ratio_build_to_pure": round(one_run_s / pure_r["pure_s"], 2) if pure_r["pure_s"] and one_run_s else None,
    }
    if other is not None:
        r |= {"compare_executor": a.compare, "compare_jobs": 1 if a.compare == "in_process" else None,
              "compare_exit": other["rc"], "compare_build_s": round(other["wall_s"], 2),
              # from the printed (rounded) figures, so that the three agree to the digit
              "compare_ratio": round(round(other["wall_s"], 2) / round(full["wall_s"], 2), 2),
              "compare_identical": identical}
    if noop is not None:
        r |= {"noop_exit": noop["rc"], "noop_s": round(noop["wall_s"], 2),
              "noop_documents_processed": noop["processed"]}
    if added is not None:
        r |= {"add_one_exit": added["rc"], "add_one_s": round(added["wall_s"], 2),
              # from the printed (rounded) figures, so that the three agree to the digit
              "add_one_minus_noop_s": round(round(added["wall_s"], 2) - round(noop["wall_s"], 2), 2),
              "add_one_share": round(added["wall_s"] / full["wall_s"], 3),
              "add_one_documents_processed": added["processed"], "add_one_dagster_events": added["events"],
              "add_one_stages_s": added["stages"]}
    for k, v in r.items():
        if isinstance(v, dict):
            v = ", ".join(f"{s} {t}" for s, t in v.items())
        print(f"{k}: {v}")
    print("stage times: differences between consecutive progress stamps (0.1 s resolution)")
    print(json.dumps(r, ensure_ascii=False, sort_keys=False))
    return 0 if full["rc"] == 0 and all(b is None or b["rc"] == 0 for b in (noop, added, other)) else 1


if __name__ == "__main__":
    sys.exit(main())
