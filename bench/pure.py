"""The pure pass (issue 15, item 3): the pipeline's text and extraction functions called directly over a corpus's
files, one document after the other, with no Dagster, no store and no tables between them — the floor a build's
per-document stages are measured against (``ratio_build_to_pure`` in bench/run.py).

    python bench/pure.py CORPUS [--limit N]

For each file: read the bytes, ``decode_bytes``, ``normalise``, ``report_problem`` (a refused text stops there, as in
the build), ``split_sections``, ``split_sentences``, ``find_numbers``, ``extract_metrics``, ``extract_laws``,
``extract_oversight``, ``extract_proposals``, ``infer_metadata``. Module imports and the vocabularies' first load
happen before the clock starts (one warm-up document), as a long-running build pays them once. Prints ``key: value``
lines, then one line of JSON: ``pure_s`` and the seconds of each function (``pure_stages_s``).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

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



def documents(corpus: Path) -> list[Path]:
    """The files the build reads as documents (``sources.scan``: manifest.csv and other non-text files left out)."""
    return list(scan(corpus).documents.values())


def one_document(path: Path, codebook, clock: dict[str, float]) -> bool:
    """Every pure function over one file, each one's seconds added to ``clock``; False when the text is refused."""
    def timed(name, fn, *args):
        t0 = time.perf_counter()
        out = fn(*args)
        clock[name] += time.perf_counter() - t0
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


def pure_pass(files: list[Path]) -> dict:
    """Seconds of the pure pass over ``files`` (after a warm-up on the first), total and per function."""
    codebook = load_codebook()
    if files:
        one_document(files[0], codebook, defaultdict(float))   # imports, vocabularies, jieba's dictionary
    clock: dict[str, float] = defaultdict(float)
    t0 = time.perf_counter()
    usable = sum(one_document(p, codebook, clock) for p in files)
    total = time.perf_counter() - t0
    return {"pure_s": round(total, 2), "pure_documents": usable,
            "pure_stages_s": {k: round(v, 2) for k, v in clock.items()}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    a = ap.parse_args(argv)
    r = pure_pass(documents(a.corpus)[:a.limit])
    for k, v in r.items():
        print(f"{k}: {', '.join(f'{s} {t}' for s, t in v.items()) if isinstance(v, dict) else v}")
    print(json.dumps(r, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
