"""Deprecated aliases of renamed columns: the release that renames a column also publishes the old name,
with the same values, for one release (``schemas.registry.RENAMES`` declares the renames,
``versioning.compare`` decides which take effect now)."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from schemas.dictionary import ColumnDoc, columns
from schemas.registry import Rename, Table


def with_aliases(frames: dict[str, pd.DataFrame], renamed: tuple[Rename, ...]) -> dict[str, pd.DataFrame]:
    """The frames with each renamed column's old name appended as a copy of the new one."""
    out = dict(frames)
    for r in renamed:
        out[r.table] = out[r.table].assign(**{r.old: out[r.table][r.new]})
    return out


def alias_description(r: Rename) -> str:
    return (f"Deprecated alias of `{r.new}` (same values), kept for one release after the column was renamed; "
            f"the next release drops it. Use `{r.new}`.")


def alias_columns(tb: Table, renamed: tuple[Rename, ...]) -> list[ColumnDoc]:
    """The dictionary entries of ``tb``'s deprecated alias columns: each its new column's, renamed back."""
    by_name = {c.name: c for c in columns(tb)}
    return [replace(by_name[r.new], name=r.old, description=alias_description(r), unique=False)
            for r in renamed if r.table == tb.name]
