"""Writing table files byte-for-byte reproducibly (same frame → same bytes) and checksumming them."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from schemas.layout import release_files
from schemas.validate import sha256_file, write_csv_file


def arrow_schema(df: pd.DataFrame) -> pa.Schema:
    """The Arrow schema a table is written with: pyarrow's reading of the frame's dtypes, with a text column that
    holds no value at all (an empty part of a table, whose text columns are Python objects) typed as text too, so
    that every part of a table has the same schema."""
    schema = pa.Schema.from_pandas(df, preserve_index=False)
    for i, f in enumerate(schema):
        if pa.types.is_null(f.type):
            schema = schema.set(i, f.with_type(pa.string()))
    return schema


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    table = pa.Table.from_pandas(df, schema=arrow_schema(df), preserve_index=False)
    # zstd at a fixed level, statistics on, no timestamps in the footer: deterministic output
    pq.write_table(table, path, compression="zstd", compression_level=9, write_statistics=True)


def write_csv(df: pd.DataFrame, path: Path) -> None:
    write_csv_file(df, path)


def write_text(text: str, path: Path) -> None:
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8", newline="")


def write_checksums(folder: Path, known: dict[str, str] | None = None) -> str:
    """SHA256SUMS over every other file of the release folder (parts of a table included, as ``metrics.parquet/
    part-b01.parquet``), sorted by name, `sha256sum -c` compatible; ``known``: digests already computed, by name."""
    known = known or {}
    lines = [f"{known.get(n) or sha256_file(folder / n)}  {n}" for n in release_files(folder) if n != "SHA256SUMS"]
    text = "\n".join(lines) + "\n"
    (folder / "SHA256SUMS").write_text(text, encoding="utf-8", newline="")
    return text
