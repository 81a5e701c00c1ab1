"""The pure pass (bench/pure.py) on the two hostile shapes whose time must stay linear: a 1 MB text on one line
(the seeds' lines joined, in copies whose figures differ, up to just under decode.MAX_BYTES, the largest file a
build reads) and a
30,000-character paragraph without punctuation (tests/test_linear_metrics.py's ``paragraph``: the seeds' ideographs
and digits, figures changed from copy to copy). Each is also timed at a tenth of its size: linear work takes about
ten times as long at the full size (``ratio_to_tenth``).

    python bench/hostile.py

Prints each shape's seconds per function and in all, then one line of JSON.
"""
from __future__ import annotations

import json
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pipeline.extract.indicators import load_codebook  # noqa: E402
from pipeline.text.decode import MAX_BYTES  # noqa: E402
from pure import one_document, warm_up_dictionaries  # noqa: E402

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
PARAGRAPH_CHARS = 30_000


def copies(body: str, n: int) -> str:
    """``body`` repeated up to ``n`` characters, each copy's figures changed (so no copy repeats another)."""
    out, copy = [], 0
    while sum(map(len, out)) < n:
        out.append(re.sub(r"\d+", lambda m: str(int(m.group()) + 7 * copy), body))
        copy += 1
    return "".join(out)[:n]


def one_line(size: int) -> str:
    """The seeds' text with its lines joined, in copies up to at most ``size`` UTF-8 bytes."""
    body = "".join("".join(p.read_text("utf-8").splitlines()) for p in SEEDS)
    text = copies(body, size // 3 + 1)
    while len(text.encode("utf-8")) > size:
        text = text[:len(text) - max(1, (len(text.encode("utf-8")) - size) // 3)]
    return text


PARAGRAPH_BODY = 2_500   # tests/test_linear_metrics.py's BODY


def paragraph(n: int) -> str:
    """``n`` characters of the seeds' ideographs and digits, one line, in copies of the first PARAGRAPH_BODY of them
    (tests/test_linear_metrics.py's)."""
    body = re.sub(r"[^\u4e00-\u9fff0-9]", "", "".join(p.read_text("utf-8") for p in SEEDS))[:PARAGRAPH_BODY]
    return copies(body, n)


def timed(text: str, codebook) -> dict:
    """Seconds of each pure function over ``text`` (written as a UTF-8 file, read as the build reads it)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hostile.txt"
        path.write_text(text, encoding="utf-8")
        clock: dict[str, float] = defaultdict(float)
        one_document(path, codebook, clock)
    return {"chars": len(text), "s": round(sum(clock.values()), 2), "functions_s": {k: round(v, 2) for k, v in clock.items()}}


def clear_text_caches() -> None:
    """Empty the pipeline's bounded caches (jieba's segmentation of a run, a line's heading, a run's typo flags...),
    not its loaded vocabularies: each size is timed as a first reading. (The tenth of a shape is the start of the
    whole; read after a warm-up on the same text, it was served from them: the 30,000-character paragraph
    took 12 times its tenth, 7.5 times when both are read cold.)"""
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("pipeline"):
            for obj in list(vars(module).values()):
                info = getattr(obj, "cache_info", None)
                if callable(info) and info().maxsize is not None:
                    obj.cache_clear()


def main() -> int:
    codebook = load_codebook()
    timed(paragraph(2_000), codebook)   # imports, vocabularies
    warm_up_dictionaries()
    r = {}
    for name, make, size in (("one_line_1mb", one_line, MAX_BYTES - 1), ("paragraph_30k", paragraph, PARAGRAPH_CHARS)):
        clear_text_caches()
        tenth = timed(make(size // 10), codebook)
        clear_text_caches()
        full = timed(make(size), codebook)
        r[name] = {**full, "tenth_s": tenth["s"], "ratio_to_tenth": round(full["s"] / tenth["s"], 1) if tenth["s"] else None}
    for name, x in r.items():
        print(f"{name}: {x['chars']} chars, {x['s']} s (a tenth: {x['tenth_s']} s, ratio {x['ratio_to_tenth']}); "
              + ", ".join(f"{k} {v}" for k, v in x["functions_s"].items()))
    print(json.dumps(r, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
