"""Row-level difference between a new build and the previous release, table by table: rows added, removed
and changed, matched by primary key, and for changed rows which columns differ. Feeds CHANGELOG.md and the
release's changes.csv."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from schemas.crosscheck import joined
from schemas.layout import has_table, read_table


KEY_SEP = " | "   # between the values of a composite primary key in changes.csv
_MISSING = "\x00"  # stands for a missing cell when cells are compared as text


@dataclass(frozen=True)
class TableDiff:
    table: str
    rows_before: int
    rows_now: int
    added: tuple[str, ...] = ()                        # primary keys, as text
    removed: tuple[str, ...] = ()
    changed: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (primary key, columns whose value changed)
    columns_changed: tuple[tuple[str, int], ...] = field(default=())  # (column, rows) most changed first

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _cell_hashes(df: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """A 64-bit hash of every cell's text form (rows x ``cols``): the same value gives the same text whatever the
    dtype (a missing value is ``_MISSING``; 1 and 1.0 differ, so a retyped column shows as changed). Comparing
    hashes instead of text keeps one integer per cell in memory, not a copy of the table as strings (two at once,
    old and new, for the largest table of a 10,000-document release)."""
    out = np.empty((len(df), len(cols)), dtype=np.uint64)
    for j, c in enumerate(cols):
        s = df[c]
        text = s.astype(object).where(s.notna(), _MISSING).astype(str).to_numpy(dtype=object)
        out[:, j] = pd.util.hash_array(text, categorize=False)
    return out


def _keys(df: pd.DataFrame, key: list[str]) -> np.ndarray:
    """Each row's primary key as text, the values of a composite key joined by KEY_SEP."""
    if not len(df):
        return np.array([], dtype=object)
    return joined(df, key, KEY_SEP).to_numpy(dtype=object)


def _first_of_each(keys: np.ndarray) -> tuple[pd.Index, np.ndarray]:
    """The distinct keys (first occurrence wins) and the rows they are on."""
    first = ~pd.Index(keys).duplicated(keep="first")
    return pd.Index(keys[first]), np.nonzero(first)[0]


def diff_table(name: str, old: pd.DataFrame | None, new: pd.DataFrame, key: list[str]) -> TableDiff:
    """How ``new`` differs from ``old`` (None: the table did not exist), rows matched on ``key``; only the
    columns both have are compared (added and removed columns are reported by the schema comparison)."""
    if old is None:
        return TableDiff(name, 0, len(new), added=tuple(sorted(_keys(new, key))))
    if any(k not in old.columns for k in key):
        # the primary key changed (panel 1.0: keyed by place, not by document): no row can be matched, so every
        # old row is removed (named by the key columns it has) and every new row added
        had = [k for k in key if k in old.columns]
        gone = _keys(old, had) if had else np.array([f"row {i}" for i in range(len(old))], dtype=object)
        return TableDiff(name, len(old), len(new), added=tuple(sorted(_keys(new, key))),
                         removed=tuple(sorted(pd.unique(gone))))
    common = [c for c in new.columns if c in old.columns and c not in key]
    keys_a, rows_a = _first_of_each(_keys(old, key))
    keys_b, rows_b = _first_of_each(_keys(new, key))
    in_a = keys_a.get_indexer(keys_b)          # each new key's place among the old ones (-1: added)
    added = sorted(keys_b[in_a < 0])
    removed = sorted(keys_a[keys_b.get_indexer(keys_a) < 0])
    both = np.nonzero(in_a >= 0)[0]
    differs = _cell_hashes(old, common)[rows_a[in_a[both]]] != _cell_hashes(new, common)[rows_b[both]]
    changed, per_column = [], Counter()
    for i in np.nonzero(differs.any(axis=1))[0]:
        cols = tuple(c for c, d in zip(common, differs[i]) if d)
        changed.append((keys_b[both[i]], cols))
        per_column.update(cols)
    changed.sort()
    return TableDiff(name, len(old), len(new), tuple(added), tuple(removed), tuple(changed),
                     tuple(sorted(per_column.items(), key=lambda kv: (-kv[1], kv[0]))))


def previous_table(previous: Path, name: str) -> pd.DataFrame | None:
    """Table ``name`` as the release in ``previous`` published it (None: that release has no such table)."""
    return read_table(previous, name) if has_table(previous, name) else None


def change_rows(diffs: list[TableDiff]) -> list[dict]:
    """The rows of changes.csv: one per added, removed or changed row, table by table, key by key."""
    rows = []
    for d in diffs:
        items = [(k, "added", "") for k in d.added] + [(k, "removed", "") for k in d.removed] \
            + [(k, "changed", " ".join(cols)) for k, cols in d.changed]
        rows += [{"table": d.table, "key": k, "change": what, "columns": cols} for k, what, cols in sorted(items)]
    return rows
