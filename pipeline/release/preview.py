"""Table previews for the download page: the first rows of a release's Parquet files as display strings
(long cells cut with an ellipsis, the fuller value kept for a tooltip). Plain values only: escaping is
the template's job (autoescape), so nothing here produces markup."""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

PREVIEW_ROWS = 5
CELL_CHARS = 80        # a cell longer than this is cut, with an ellipsis
WRAP_COLUMNS = 40      # a cell wider than this (a CJK character counts two) may wrap
TITLE_CHARS = 600      # the tooltip keeps this much of a cut cell (a whole text would bloat the page)


@dataclass(frozen=True)
class Cell:
    text: str             # what the cell shows
    title: str            # tooltip: the fuller value when cut, else ''
    null: bool = False
    numeric: bool = False
    wrap: bool = False    # long enough to be wrapped over several lines (short cells stay on one)


@dataclass(frozen=True)
class Preview:
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def cell(value: object, limit: int = CELL_CHARS) -> Cell:
    """One value as shown: null, booleans and numbers written the same way whatever the locale."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Cell("null", "", null=True)
    if isinstance(value, bool):
        return Cell("true" if value else "false", "")
    if isinstance(value, int):
        return Cell(str(value), "", numeric=True)
    if isinstance(value, float):
        return Cell(str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value), "", numeric=True)
    text = str(value)
    if len(text) <= limit:
        return Cell(text, "", wrap=_columns(text) > WRAP_COLUMNS)
    return Cell(_cut(text, limit), _cut(text, TITLE_CHARS), wrap=True)


def preview(paths: Path | list[Path], n: int = PREVIEW_ROWS, limit: int = CELL_CHARS) -> Preview:
    """The first ``n`` rows of a Parquet file, or of a table's parts one after the other (only the first batches
    are read, however big the table)."""
    paths = [paths] if isinstance(paths, Path) else paths
    columns: tuple[str, ...] = ()
    rows: list[tuple[Cell, ...]] = []
    for path in paths:
        pf = pq.ParquetFile(path)
        columns = columns or tuple(pf.schema_arrow.names)
        for batch in pf.iter_batches(batch_size=n):
            rows += [tuple(cell(rec[c], limit) for c in columns) for rec in batch.to_pylist()[:n - len(rows)]]
            if len(rows) >= n:
                break
        if len(rows) >= n:
            break
    return Preview(columns, tuple(rows))
