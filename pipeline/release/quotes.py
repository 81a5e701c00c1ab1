"""Each figure against the characters it quotes: a value is one of the numbers its quote states, read again with
the pipeline's numeral parser. A rule of the release's validation (``verify.verify_release`` hands it to
``schemas.validate.validate_release``) that lives here because it needs the pipeline, and ``schemas`` does not
import the pipeline.
"""
from __future__ import annotations

import math
import re

import pandas as pd

from pipeline.extract.numerals import find_numerals
from schemas.crosscheck import Failure
from schemas.registry import Table

# The values a quote states: every numeral the pipeline's parser finds in it (a range gives both ends), also with
# what stands between two digits taken out (a space or mark inside one number, which cleaning joins or flags).
_BETWEEN_DIGITS = re.compile(r"(?<=[0-9０-９])[^\w.．,，]+(?=[0-9０-９])")
VALUE_TABLES = ("numbers", "metrics")  # tables whose value is read from the numeral in their quote


def stated_values(quote: str) -> set[float]:
    out: set[float] = set()
    for text in {quote, _BETWEEN_DIGITS.sub("", quote)}:
        for n in find_numerals(text):
            out.add(float(n.value))
            if n.end_value is not None:
                out.add(float(n.end_value))
    return out


def _same(value: float, candidates: set[float]) -> bool:
    return any(math.isclose(value, c, rel_tol=1e-9, abs_tol=1e-9) for c in candidates)


# A quote whose only numeral is one run of ASCII digits (召开常委会会议10次: most of them) states that number; the
# others are read by the parser. No character that can be part of a numeral may stand beside the run.
_NOT_NUMERAL = r"[^0-9０-９.．,，零〇一二三四五六七八九两十百千万亿点分之]"
_ONE_ASCII_NUMBER = rf"^{_NOT_NUMERAL}*([0-9]+(?:\.[0-9]+)?){_NOT_NUMERAL}*$"


def value_failures(tb: Table, df: pd.DataFrame) -> list[Failure]:
    """Rows whose value is none of the numbers its quote states (re-read with the pipeline's numeral parser): a value
    edited without its quote, or a quote cut from the wrong characters. Quotes stating one ASCII number are compared
    at once (vectorised); only the others go through the parser (≈ 12 µs a row)."""
    if tb.name not in VALUE_TABLES or df.empty:
        return []
    values = df["value"].to_numpy(dtype=float, na_value=float("nan"))
    simple = pd.to_numeric(df["quote"].astype(str).str.extract(_ONE_ASCII_NUMBER, expand=False), errors="coerce")
    agrees = (abs(simple.to_numpy(dtype=float, na_value=float("nan")) - values) <= 1e-9 * abs(values).clip(min=1))
    out, cache = [], {}
    for pos in (~agrees).nonzero()[0]:
        value, quote = values[pos], df["quote"].iat[pos]
        if math.isnan(value):
            continue
        stated = cache.get(quote)
        if stated is None:
            stated = cache[quote] = stated_values(str(quote))
        if not _same(float(value), stated):
            shown = ", ".join(f"{v:g}" for v in sorted(stated)) or "no number"
            out.append(Failure(tb.name, "value", int(pos), f"differs from the number its quote states ({shown})",
                               f"{value:g} (quote: {quote})"))
    return out


