"""What the per-character target can be measured against: the cost of single passes the pipeline cannot do
without, each relative to the bare scan of ``run.py`` (read, decode, one number regex), on the same files in the
same process. DESIGN.md's target puts the whole text and extraction work within 5x of the bare scan; this shows
how much of that budget one pass of each library the brief prescribes (OpenCC, jieba's dictionary for the
cleaning's word checks, and rjieba, the compiled jieba the cleaning segments with; cn2an) or one Python-level step
per character already takes.

    python bench/floor.py CORPUS [--limit N]

Prints ``key: value`` lines (seconds, characters per second, ratio to the bare scan) and a last line of JSON.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from run import NOT_DOCUMENTS, baseline, manifest_codecs  # noqa: E402

NUMERAL = re.compile(r"[零〇一二三四五六七八九十百千万亿两]+")


def texts(files: list[Path], codecs: dict[str, str]) -> list[str]:
    from pipeline.text.decode import decode_bytes
    out = []
    for p in files:
        data = p.read_bytes()
        codec = codecs.get(p.name)
        out.append(data.decode(codec) if codec else decode_bytes(data, p.name)[0])
    return out


def timed(fn, items: list[str]) -> float:
    t0 = time.perf_counter()
    for x in items:
        fn(x)
    return time.perf_counter() - t0


def passes() -> dict:
    """name -> one pass over one document's text."""
    import cn2an
    import jieba
    import opencc
    import rjieba

    from pipeline.text.clean_lex import word_freq
    t2s = opencc.OpenCC("t2s")
    jieba.initialize()
    word_freq("的")  # load the dictionary outside the timing

    def python_per_char(text: str) -> None:
        for ch in text:
            pass

    def numerals(text: str) -> None:
        for m in NUMERAL.finditer(text):
            try:
                cn2an.cn2an(m.group(), "smart")
            except ValueError:
                pass

    rjieba.cut("的", False)   # its dictionary, outside the timing
    return {"opencc_t2s": t2s.convert, "jieba_cut": lambda t: jieba.lcut(t, HMM=False),
            "rjieba_cut": lambda t: rjieba.cut(t, False),
            "nfkc": lambda t: unicodedata.normalize("NFKC", t), "python_loop_per_char": python_per_char,
            "cn2an_numerals": numerals}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--limit", type=int, default=200, help="documents to time (default 200)")
    a = ap.parse_args()
    codecs = manifest_codecs(a.corpus)
    files = sorted(p for p in a.corpus.iterdir()
                   if p.is_file() and not p.name.startswith(".") and p.name not in NOT_DOCUMENTS)[:a.limit]
    base = baseline(files, codecs)
    docs = texts(files, codecs)
    chars = sum(map(len, docs))
    r: dict = {"documents": len(files), "characters": chars, "baseline_s": round(base["s"], 4),
               "baseline_chars_per_s": round(chars / base["s"])}
    for name, fn in passes().items():
        s = timed(fn, docs)
        r[f"{name}_s"] = round(s, 4)
        r[f"{name}_ratio"] = round(s / base["s"], 1)
    for k, v in r.items():
        print(f"{k}: {v}")
    print(json.dumps(r, ensure_ascii=False))


if __name__ == "__main__":
    main()
