"""Is a clean text a people's congress / CPPCC work report or digest? ``report_problem`` answers None or a
human reason (no Chinese, too short, no report vocabulary). Vocabulary: pipeline/vocab/text_report_terms.toml.
"""
from __future__ import annotations

from pipeline.text.clean_lex import cjk_count
from pipeline.vocab import load


def report_problem(clean: str) -> str | None:
    cfg = load("text_report_terms")["terms"]
    n = cjk_count(clean)
    if n == 0:
        return "no Chinese text"
    if n < cfg["min_cjk"]:
        return f"only {n} Chinese characters"
    found = [w for w in cfg["words"] if w in clean]
    if len(found) < cfg["min_terms"]:
        listed = "/".join(cfg["words"][:6])
        got = f" (found only {'、'.join(found)})" if found else ""
        return f"no report vocabulary ({listed}…){got}"
    return None
