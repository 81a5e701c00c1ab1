"""Is a clean text a people's congress / CPPCC work report or digest? ``report_problem`` answers None or a
human reason naming what is missing (Chinese text, a congress or CPPCC body, report vocabulary). Decided by what
the text says, not by its length: a 150-character press teaser listing a congress's figures is recognised.
Vocabulary: pipeline/vocab/text_report_terms.toml.
"""
from __future__ import annotations

from pipeline.text.clean_lex import CJK_RE
from pipeline.vocab import load


def report_problem(clean: str) -> str | None:
    cfg = load("text_report_terms")["terms"]
    if CJK_RE.search(clean) is None:   # (not a count of every CJK character: c1000 0.4 s -> 0.0 s)
        return "no Chinese text"
    if not any(b in clean for b in cfg["bodies"]):
        return f"no people's congress or CPPCC body named ({'/'.join(cfg['bodies'])})"
    found = [w for w in dict.fromkeys(cfg["words"] + cfg["bodies"]) if w in clean]
    if len(found) < cfg["min_terms"]:
        listed = "/".join(cfg["words"][:6])
        return (f"no report vocabulary: {cfg['min_terms']} distinct report words needed ({listed}…), found only "
                f"{'、'.join(found)}")
    return None
