"""Row-level difference between a new build and the previous release, table by table: rows added, removed
and changed, matched by primary key, and for changed rows which columns differ. Feeds CHANGELOG.md and the
release's changes.csv."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from schemas.registry import TABLES

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


def _as_text(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """Cells as comparable text: the same value gives the same text whatever the dtype (1 and 1.0 do not:
    a retyped column shows as changed)."""
    out = pd.DataFrame(index=df.index)
    for c in cols:
        s = df[c]
        out[c] = s.astype(object).where(s.notna(), _MISSING).astype(str)
    return out


def _keys(df: pd.DataFrame, key: list[str]) -> pd.Series:
    return df[key].astype(str).agg(KEY_SEP.join, axis=1) if len(df) else pd.Series([], dtype=str)


def diff_table(name: str, old: pd.DataFrame | None, new: pd.DataFrame, key: list[str]) -> TableDiff:
    """How ``new`` differs from ``old`` (None: the table did not exist), rows matched on ``key``; only the
    columns both have are compared (added and removed columns are reported by the schema comparison)."""
    if old is None or any(k not in old.columns for k in key):
        return TableDiff(name, 0, len(new), added=tuple(sorted(_keys(new, key))))
    common = [c for c in new.columns if c in old.columns and c not in key]
    a = _as_text(old, common).assign(_key=_keys(old, key).to_numpy()).set_index("_key")
    b = _as_text(new, common).assign(_key=_keys(new, key).to_numpy()).set_index("_key")
    added = sorted(set(b.index) - set(a.index))
    removed = sorted(set(a.index) - set(b.index))
    both = sorted(set(a.index) & set(b.index))
    a, b = a.loc[both], b.loc[both]
    differs = a.ne(b) if common else pd.DataFrame(index=both)
    changed, per_column = [], Counter()
    for k, row in zip(both, differs.itertuples(index=False, name=None)):
        cols = tuple(c for c, d in zip(common, row) if d)
        if cols:
            changed.append((k, cols))
            per_column.update(cols)
    return TableDiff(name, len(old), len(new), tuple(added), tuple(removed), tuple(changed),
                     tuple(sorted(per_column.items(), key=lambda kv: (-kv[1], kv[0]))))


def diff_release(previous: Path, frames: dict[str, pd.DataFrame]) -> list[TableDiff]:
    """Every published table of the new build against the same table of the release in ``previous``."""
    out = []
    for tb in TABLES:
        path = previous / f"{tb.name}.parquet"
        old = pd.read_parquet(path) if path.exists() else None
        out.append(diff_table(tb.name, old, frames[tb.name], list(tb.primary_key)))
    return out


def change_rows(diffs: list[TableDiff]) -> list[dict]:
    """The rows of changes.csv: one per added, removed or changed row, table by table, key by key."""
    rows = []
    for d in diffs:
        items = [(k, "added", "") for k in d.added] + [(k, "removed", "") for k in d.removed] \
            + [(k, "changed", " ".join(cols)) for k, cols in d.changed]
        rows += [{"table": d.table, "key": k, "change": what, "columns": cols} for k, what, cols in sorted(items)]
    return rows
