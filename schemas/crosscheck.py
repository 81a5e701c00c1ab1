"""Rules across tables that pandera's per-table models cannot express: every referenced id exists
(from the registry's foreign keys) and every record's quote is exactly the clean-text span it
claims (``quote == clean_text[char_start:char_end]``).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from schemas.registry import Table


@dataclass(frozen=True)
class Failure:
    """One reason a table is not publishable, precise enough to act on."""

    table: str
    column: str
    row: int | None      # 0-based row position in the table (None: the table as a whole)
    check: str
    value: str

    def __str__(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        if self.row is not None:
            where += f" row {self.row}"
        return f"{where}: {self.check}" + (f" (value: {self.value[:80]!r})" if self.value else "")


def joined(df: pd.DataFrame, cols, sep: str = "\x1f") -> pd.Series:
    """Each row's values of ``cols`` as one text, joined by ``sep`` (a key of one or several columns), column by
    column: ``agg(sep.join, axis=1)`` makes one Python call per row (15 s of a 1,000-document release's diff)."""
    out = df[cols[0]].astype(str)
    for c in cols[1:]:
        out = out + sep + df[c].astype(str)
    return out


def foreign_key_failures(tb: Table, df: pd.DataFrame, frames: Mapping[str, pd.DataFrame]) -> list[Failure]:
    out: list[Failure] = []
    for fk in tb.foreign_keys:
        ref = frames.get(fk.table)
        if ref is None or any(c not in df.columns for c in fk.columns) or df.empty:
            continue
        missing = ~joined(df, fk.columns).isin(pd.Index(joined(ref, fk.ref_columns)).unique()).to_numpy()
        if fk.optional:
            missing &= ~(df[list(fk.columns)].astype(str) == "").all(axis=1).to_numpy()
        for pos in missing.nonzero()[0]:
            key = "|".join(df[list(fk.columns)].iloc[pos].astype(str))
            out.append(Failure(tb.name, ",".join(fk.columns), int(pos),
                               f"references a missing {fk.table}.{','.join(fk.ref_columns)}", key))
    return out


def quote_failures(tb: Table, df: pd.DataFrame, texts: pd.DataFrame | None) -> list[Failure]:
    """Rows whose quote differs from texts.clean_text[char_start:char_end] of their document."""
    if texts is None or not tb.has_span or df.empty:
        return []
    clean = dict(zip(texts["doc_id"], texts["clean_text"]))
    out: list[Failure] = []
    for pos, (doc, quote, start, end) in enumerate(zip(df["doc_id"], df["quote"], df["char_start"], df["char_end"])):
        text = clean.get(doc)
        if text is None:
            continue  # reported by the foreign-key rule
        if not (0 <= int(start) < int(end) <= len(text)) or text[int(start):int(end)] != quote:
            out.append(Failure(tb.name, "quote", pos,
                               f"quote != texts.clean_text[{start}:{end}] of {doc}", str(quote)))
    return out


def key_failures(tb: Table, df: pd.DataFrame) -> list[Failure]:
    """Duplicate primary keys (single-column keys are already unique=True in the model)."""
    if len(tb.primary_key) < 2 or df.empty:
        return []
    dup = df.duplicated(list(tb.primary_key), keep="first")
    return [Failure(tb.name, ",".join(tb.primary_key), int(pos), "duplicate primary key",
                    "|".join(map(str, df.iloc[pos][list(tb.primary_key)])))
            for pos in dup.to_numpy().nonzero()[0]]


def count_failures(tb: Table, df: pd.DataFrame, frames: Mapping[str, pd.DataFrame]) -> list[Failure]:
    """proposals.n_recommendations equals its number of rows in recommendations."""
    recs = frames.get("recommendations")
    if tb.name != "proposals" or recs is None or df.empty:
        return []
    counts = recs.groupby("proposal_id").size()
    return [Failure(tb.name, "n_recommendations", pos, f"differs from the {counts.get(pid, 0)} rows in recommendations", str(n))
            for pos, (pid, n) in enumerate(zip(df["proposal_id"], df["n_recommendations"])) if counts.get(pid, 0) != n]
