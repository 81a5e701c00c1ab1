"""How a release folder holds a table: one file (``metrics.parquet``, ``metrics.csv``), or, for a table made
document by document, a folder of that name holding one part per batch of documents
(``metrics.parquet/part-b01.parquet``, ``metrics.csv/part-b01.csv``), so that a new release rewrites only the
parts whose documents changed and shares the others with the release before (``pipeline.release.publish``).

Why ``<table>.parquet/`` rather than ``<table>/``: every reader of a one-file release keeps working unchanged —
``pd.read_parquet("metrics.parquet")`` and ``pyarrow.parquet.read_table`` read a folder of parts as one table,
DuckDB reads ``read_parquet('metrics.parquet/*.parquet')``, and scripts (the scorer of ``../shared/eval``
included) that open ``<table>.parquet`` need no change. Each CSV part is a whole CSV file (header, BOM), which a
spreadsheet opens alone.

Parts are read in the order of their names (the batches' order), and rows inside a part in document order; a
release's table is the parts one after the other. Release files are named by their path relative to the release
folder, with ``/`` between folder and file (SHA256SUMS, the zip, datapackage.json).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

PART_PREFIX = "part-"
FORMATS = ("parquet", "csv")
PARTS_NOTE = ("The table is one part per batch of documents (a folder of files, each with the columns and header "
              "of the whole table; a document's rows are all in one part): read them one after the other, e.g. "
              "pandas.read_parquet on the folder, or DuckDB read_csv('<table>.csv/*.csv').")


def part_name(batch: str, fmt: str) -> str:
    """The file name of batch ``batch``'s part of a table in format ``fmt``."""
    return f"{PART_PREFIX}{batch}.{fmt}"


def table_path(folder: Path, name: str, fmt: str) -> Path:
    """Where table ``name`` is in format ``fmt``: a file, or a folder of parts."""
    return folder / f"{name}.{fmt}"


def is_parted(folder: Path, name: str) -> bool:
    return table_path(folder, name, "parquet").is_dir()


def table_files(folder: Path, name: str, fmt: str) -> list[Path]:
    """The files holding table ``name`` in format ``fmt``, in reading order ([] when there is none)."""
    path = table_path(folder, name, fmt)
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.name.startswith(PART_PREFIX)
                      and p.name.endswith(f".{fmt}"))
    return []


def has_table(folder: Path, name: str, fmt: str = "parquet") -> bool:
    return table_path(folder, name, fmt).exists()


def read_table(folder: Path, name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Table ``name`` from its Parquet file or parts, one part after the other (``columns``: only these)."""
    files = table_files(folder, name, "parquet")
    if not files:
        raise FileNotFoundError(f"{table_path(folder, name, 'parquet')}: no such table file or folder of parts")
    if len(files) == 1:
        return pd.read_parquet(files[0], columns=columns)
    return pd.concat([pd.read_parquet(f, columns=columns) for f in files], ignore_index=True)


def parquet_rows(files) -> int:
    """Rows of Parquet files, from their footers (nothing else is read)."""
    return sum(pq.ParquetFile(f).metadata.num_rows for f in files)


def relative(folder: Path, path: Path) -> str:
    """A release file's name: its path relative to the release folder, ``/`` between folder and file."""
    return path.relative_to(folder).as_posix()


def release_files(folder: Path) -> list[str]:
    """Every file of a release folder by name (``relative``), parts included, sorted; files and folders whose
    names start with a dot (a build's temporary files) are not the release's."""
    out = []
    for p in folder.iterdir():
        if p.name.startswith("."):
            continue
        if p.is_dir() and not p.is_symlink():
            out += [relative(folder, q) for q in p.rglob("*") if q.is_file() and not q.name.startswith(".")]
        elif p.is_file():
            out.append(p.name)
    return sorted(out)


def is_table_file(name: str, tables: set[str]) -> bool:
    """Is ``name`` (a release file's name) a file of one of ``tables`` in one of the formats: the table's one file,
    or a part in its folder?"""
    top, _, rest = name.partition("/")
    if not rest:
        return any(top == f"{t}.{fmt}" for t in tables for fmt in FORMATS)
    fmt = top.rpartition(".")[2]
    return top.rpartition(".")[0] in tables and fmt in FORMATS and "/" not in rest \
        and rest.startswith(PART_PREFIX) and rest.endswith(f".{fmt}")


def safe_name(name: str) -> bool:
    """A file name a release may list: a file of the folder or of one folder in it, never outside it."""
    parts = name.split("/")
    return 1 <= len(parts) <= 2 and all(p and p not in (".", "..") and "\\" not in p and "\x00" not in p
                                        for p in parts)
