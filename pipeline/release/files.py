"""Writing table files byte-for-byte reproducibly (same frame → same bytes) and checksumming them."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from schemas.validate import sha256_file, write_csv_file


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    table = pa.Table.from_pandas(df, preserve_index=False)
    # zstd at a fixed level, statistics on, no timestamps in the footer: deterministic output
    pq.write_table(table, path, compression="zstd", compression_level=9, write_statistics=True)


def write_csv(df: pd.DataFrame, path: Path) -> None:
    write_csv_file(df, path)


def write_text(text: str, path: Path) -> None:
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8", newline="")


def write_checksums(folder: Path) -> str:
    """SHA256SUMS over every other file of the folder, sorted by name, `sha256sum -c` compatible."""
    lines = [f"{sha256_file(p)}  {p.name}" for p in sorted(folder.iterdir())
             if p.is_file() and p.name != "SHA256SUMS"]
    text = "\n".join(lines) + "\n"
    (folder / "SHA256SUMS").write_text(text, encoding="utf-8", newline="")
    return text
