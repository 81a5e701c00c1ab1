"""The pure pass: the pipeline's text and extraction functions called directly over a corpus's files, one
document after the other, with no Dagster, no store and no tables between them. It is the floor a build's
per-document stages are measured against (``ratio_build_to_pure`` in bench/run.py), and what issue 16 makes faster.

    python bench/pure.py CORPUS [--limit N] [--digests OUT.json] [--against REF.json]

For each file: read the bytes, ``decode_bytes``, ``normalise``, ``report_problem`` (a refused text stops there, as in
the build), ``split_sections``, ``split_sentences``, ``find_numbers``, ``extract_metrics``, ``extract_laws``,
``extract_oversight``, ``extract_proposals``, ``infer_metadata``. Module imports, the vocabularies' first load and
jieba's dictionary and tags happen before the clock starts (one warm-up document, then the dictionaries loaded
explicitly: the first document need not reach every rule that loads one), as a long-running build pays them once.

In the same process and on the same files, the bare scan of bench/run.py (read, decode with the manifest's codec,
count one number regex; the fastest of three, as it is short and noisy) gives the unit: each function's seconds are
printed with its characters per second and its ratio to the bare scan (``ratio_to_scan``; issue 16's target: the
whole pass at most 70).

``--digests OUT.json`` writes, for every document and function, a SHA-256 of the function's output (its ``repr``:
the dataclasses' fields, in order); ``--against REF.json`` compares with such a file written before a change and
lists the documents whose outputs differ, per function (exit 1 when any does): an optimisation must leave them all
equal. Prints ``key: value`` lines, then one line of JSON.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pipeline.extract.indicators import load_codebook  # noqa: E402
from pipeline.extract.laws import extract_laws  # noqa: E402
from pipeline.extract.metadata import infer_metadata  # noqa: E402
from pipeline.extract.metrics import extract_metrics  # noqa: E402
from pipeline.extract.numbers import find_numbers  # noqa: E402
from pipeline.extract.oversight import extract_oversight  # noqa: E402
from pipeline.extract.proposals import extract_proposals  # noqa: E402
from pipeline.text.decode import DecodeError, decode_bytes  # noqa: E402
from pipeline.text.normalise import normalise  # noqa: E402
from pipeline.text.recognise import report_problem  # noqa: E402
from pipeline.text.sections import split_sections  # noqa: E402
from pipeline.text.sentences import split_sentences  # noqa: E402
from pipeline.text.sources import scan  # noqa: E402
from run import baseline, manifest_codecs  # noqa: E402



FUNCTIONS = ("read", "decode", "normalise", "recognise", "sections", "sentences", "numbers", "metrics", "laws",
             "oversight", "proposals", "metadata")
SCAN_REPEATS = 3


def documents(corpus: Path) -> list[Path]:
    """The files the build reads as documents (``sources.scan``: manifest.csv and other non-text files left out)."""
    return list(scan(corpus).documents.values())


def one_document(path: Path, codebook, clock: dict[str, float], digests: dict[str, str] | None = None) -> bool:
    """Every pure function over one file, each one's seconds added to ``clock`` (and, with ``digests``, the SHA-256
    of its output's repr stored there, outside the clock); False when the text is refused."""
    def timed(name, fn, *args):
        t0 = time.perf_counter()
        out = fn(*args)
        clock[name] += time.perf_counter() - t0
        if digests is not None and name != "read":
            digests[name] = hashlib.sha256(repr(out).encode("utf-8", "surrogatepass")).hexdigest()
        return out

    data = timed("read", path.read_bytes)
    try:
        raw, _ = timed("decode", decode_bytes, data, path.name)
    except DecodeError:
        return False
    clean, _ = timed("normalise", normalise, raw)
    if timed("recognise", report_problem, clean):
        return False
    sections = timed("sections", split_sections, clean)
    sentences = timed("sentences", split_sentences, clean, sections)
    numbers = timed("numbers", find_numbers, clean, sentences)
    timed("metrics", extract_metrics, clean, sentences, numbers, codebook)
    timed("laws", extract_laws, clean, sentences)
    timed("oversight", extract_oversight, clean, sentences)
    timed("proposals", extract_proposals, clean, sections, sentences)
    timed("metadata", infer_metadata, clean, sections, path.name)
    return True


def warm_up_dictionaries() -> None:
    """Load what the rules load once per process, on first use, whichever document first needs it: jieba's
    dictionary (0.65 s), its part-of-speech tags and tagger (0.2 s), rjieba's dictionary (0.08 s). A per-process
    cost, not a per-character one: left in the clock, its 0.9 s landed in whichever function the first document
    to need it reached. (jieba's own calls, which load the same objects
    the pipeline's wrappers cache, so that this runs at any commit.)"""
    import logging

    import jieba
    import jieba.posseg
    import rjieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    jieba.posseg.lcut("人民代表大会常务委员会")
    rjieba.cut("人民代表大会常务委员会", False)


def pure_pass(files: list[Path], digests: dict[str, dict[str, str]] | None = None) -> dict:
    """Seconds of the pure pass over ``files`` (after a warm-up on the first), total and per function; with
    ``digests``, each file's output digests by name."""
    codebook = load_codebook()
    if files:
        one_document(files[0], codebook, defaultdict(float))   # imports, vocabularies
    warm_up_dictionaries()
    clock: dict[str, float] = defaultdict(float)
    usable = 0
    for p in files:
        d = None if digests is None else digests.setdefault(p.name, {})
        usable += one_document(p, codebook, clock, d)
    total = sum(clock.values())
    return {"pure_s": round(total, 2), "pure_documents": usable,
            "pure_stages_s": {k: round(clock[k], 2) for k in FUNCTIONS if k in clock},
            "clock": {"pure": total, **clock}}


def against_scan(clock: dict[str, float], scan_s: float, chars: int) -> dict:
    """Characters per second and ratio to the bare scan, of the whole pass and of each function (``clock``:
    pure_pass's unrounded seconds)."""
    def rates(s: float) -> dict:
        return {"s": round(s, 3), "chars_per_s": round(chars / s) if s else None,
                "ratio_to_scan": round(s / scan_s, 1) if scan_s else None}

    whole = rates(clock["pure"])
    return {"characters": chars, "scan_s": round(scan_s, 4),
            "scan_chars_per_s": round(chars / scan_s) if scan_s else None,
            "pure_chars_per_s": whole["chars_per_s"], "ratio_to_scan": whole["ratio_to_scan"],
            "per_function": {k: rates(v) for k, v in clock.items() if k != "pure"}}


def differences(new: dict[str, dict[str, str]], ref: dict[str, dict[str, str]]) -> dict[str, list[str]]:
    """{function: files whose output digest differs from ``ref``} (a file missing on one side counts under "files")."""
    out: dict[str, list[str]] = defaultdict(list)
    for name in sorted(set(new) | set(ref)):
        if name not in new or name not in ref:
            out["files"].append(name)
            continue
        for fn in sorted(set(new[name]) | set(ref[name])):
            if new[name].get(fn) != ref[name].get(fn):
                out[fn].append(name)
    return dict(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    ap.add_argument("--digests", type=Path, help="write each document's output digests (JSON) here")
    ap.add_argument("--against", type=Path, help="compare the output digests with this file (from --digests)")
    a = ap.parse_args(argv)
    files = documents(a.corpus)[:a.limit]
    codecs = manifest_codecs(a.corpus)
    scan_runs = [baseline(files, codecs) for _ in range(SCAN_REPEATS)]
    digests: dict[str, dict[str, str]] | None = {} if a.digests or a.against else None
    r = pure_pass(files, digests)
    r.update(against_scan(r.pop("clock"), min(b["s"] for b in scan_runs), scan_runs[0]["chars"]))
    rc = 0
    if a.digests:
        a.digests.write_text(json.dumps(digests, indent=0, sort_keys=True), encoding="utf-8")
    if a.against:
        diff = differences(digests, json.loads(a.against.read_text(encoding="utf-8")))
        r["outputs_differ"] = {fn: len(names) for fn, names in diff.items()}
        for fn, names in diff.items():
            print(f"differs: {fn}: {len(names)} document(s): {', '.join(names[:10])}"
                  + (" ..." if len(names) > 10 else ""))
        rc = 1 if diff else 0
    for k, v in r.items():
        if k == "per_function":
            for fn, f in v.items():
                print(f"{fn}: {f['s']} s, {f['chars_per_s']} chars/s, {f['ratio_to_scan']}x scan")
        elif isinstance(v, dict):
            print(f"{k}: {', '.join(f'{s} {t}' for s, t in v.items())}")
        else:
            print(f"{k}: {v}")
    print(json.dumps(r, ensure_ascii=False))
    return rc


if __name__ == "__main__":
    sys.exit(main())
