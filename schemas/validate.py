"""Validation of tables (pandera models + cross-table rules) and of a published release folder
(checksums, Parquet and CSV agree cell by cell, every table valid). Used by the Dagster asset
checks, by the release step before it publishes, and by ``python -m pipeline validate DIR``.
"""
from __future__ import annotations

import ctypes
import hashlib
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from schemas.crosscheck import Failure, count_failures, foreign_key_failures, key_failures, quote_failures
from schemas.registry import CHANGES, TABLES, Table, table

ALIAS_KEY = "aliasOf"  # datapackage.json field property of a deprecated alias column (value: the column it copies)


def schema_failures(tb: Table, df: pd.DataFrame) -> list[Failure]:
    """pandera's verdict on one table: one Failure per failing cell, or per row for row-wide checks."""
    try:
        tb.model.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        described = {c.name: c.description or c.name for c in tb.schema.checks}
        out, seen = [], set()
        for fc in err.failure_cases.itertuples(index=False):
            idx = getattr(fc, "index", None)
            row = None if idx is None or pd.isna(idx) else int(idx)
            if fc.schema_context == "DataFrameSchema" and fc.column in df.columns:
                # a row-wide check (e.g. char_start < char_end) fails once per row, not once per cell
                if (fc.check, row) not in seen:
                    seen.add((fc.check, row))
                    out.append(Failure(tb.name, "", row, described.get(str(fc.check), str(fc.check)), ""))
                continue
            out.append(Failure(tb.name, str(fc.column if fc.column is not None else ""), row,
                               str(fc.check), str(fc.failure_case)))
        return out
    return []


def table_failures(name: str, df: pd.DataFrame, frames: Mapping[str, pd.DataFrame]) -> list[Failure]:
    """Everything wrong with one table, given the other tables it refers to."""
    tb = table(name)
    return (schema_failures(tb, df) + key_failures(tb, df)
            + foreign_key_failures(tb, df, frames) + quote_failures(tb, df, frames.get("texts"))
            + count_failures(tb, df, frames))


def validate_frames(frames: dict[str, pd.DataFrame]) -> list[Failure]:
    """Every failure across all published tables; missing tables are failures too."""
    out: list[Failure] = []
    for tb in TABLES:
        if tb.name not in frames:
            out.append(Failure(tb.name, "", None, "table missing", ""))
            continue
        out += table_failures(tb.name, frames[tb.name], frames)
    return out


def read_csv_text(path_or_buffer) -> pd.DataFrame:
    """A CSV read back cell by cell as text, exactly as written ('' stays '')."""
    return pd.read_csv(path_or_buffer, dtype=str, keep_default_na=False)


CSV_OPTIONS = {"index": False, "lineterminator": "\n"}  # the one way tables are written as CSV


def to_csv_text(df: pd.DataFrame) -> str:
    """A table as CSV text (release files and comparisons use the same options)."""
    return df.to_csv(**CSV_OPTIONS)


def write_csv_file(df: pd.DataFrame, path: Path) -> None:
    """A table as a CSV file, streamed: the same bytes as ``to_csv_text`` in UTF-8, without the whole text in
    memory at once (10,000 documents' texts are 300 MB of CSV)."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        df.to_csv(f, **CSV_OPTIONS)


class _Sha256Sink(io.RawIOBase):
    def __init__(self):
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.digest.update(b)
        return len(b)


def csv_sha256(df: pd.DataFrame) -> str:
    """SHA-256 of the CSV ``write_csv_file`` would write, computed as it is generated (nothing kept)."""
    sink = _Sha256Sink()
    with io.TextIOWrapper(io.BufferedWriter(sink, 1 << 20), encoding="utf-8", newline="") as text:
        df.to_csv(text, **CSV_OPTIONS)
        text.flush()
        return sink.digest.hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_checksums(folder: Path) -> dict[str, str] | None:
    """{file name: sha256} as the folder's SHA256SUMS lists them, in its order (None: no SHA256SUMS)."""
    sums = folder / "SHA256SUMS"
    if not sums.exists():
        return None
    out = {}
    for line in sums.read_text("utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if name:
            out[name] = digest
    return out


def checksum_failures(folder: Path) -> list[Failure]:
    sums = read_checksums(folder)
    if sums is None:
        return [Failure("SHA256SUMS", "", None, "file missing", str(folder / "SHA256SUMS"))]
    out = []
    for name, digest in sums.items():
        path = folder / name
        if not path.exists():
            out.append(Failure(name, "", None, "listed in SHA256SUMS but missing", name))
        elif sha256_file(path) != digest:
            out.append(Failure(name, "", None, "SHA-256 differs from SHA256SUMS", digest))
    return out


def csv_failures(tb: Table, csv_path: Path, parquet: pd.DataFrame) -> list[Failure]:
    """The CSV file against the Parquet file of the same table: byte for byte against the one way tables are
    written as CSV first (by SHA-256, streamed), cell by cell (``csv_vs_parquet``) only when the bytes differ."""
    if sha256_file(csv_path) == csv_sha256(parquet):
        return []
    return csv_vs_parquet(tb, read_csv_text(csv_path), parquet)


def csv_vs_parquet(tb: Table, csv: pd.DataFrame, parquet: pd.DataFrame) -> list[Failure]:
    """Cells where the CSV differs from what the Parquet file of the same table writes as CSV."""
    expected = read_csv_text(io.StringIO(to_csv_text(parquet)))
    if list(csv.columns) != list(expected.columns):
        return [Failure(tb.name, "", None, "CSV columns differ from Parquet columns", ",".join(csv.columns))]
    if len(csv) != len(expected):
        return [Failure(tb.name, "", None, f"CSV has {len(csv)} rows, Parquet {len(expected)}", "")]
    out = []
    for col in csv.columns:
        a, b = csv[col].to_numpy(), expected[col].to_numpy()
        for pos in (a != b).nonzero()[0]:
            out.append(Failure(tb.name, col, int(pos), "CSV value differs from the Parquet file",
                               f"{a[pos]!r} (Parquet: {b[pos]!r})"))
    return out


def declared_aliases(folder: Path) -> dict[str, dict[str, str]]:
    """{table: {alias column: column it copies}} as the release's datapackage.json declares them."""
    path = folder / "datapackage.json"
    if not path.exists():
        return {}
    out: dict[str, dict[str, str]] = {}
    for r in json.loads(path.read_text("utf-8")).get("resources", []):
        for f in r.get("schema", {}).get("fields", []):
            if ALIAS_KEY in f:
                out.setdefault(r["name"], {})[f["name"]] = f[ALIAS_KEY]
    return out


def alias_failures(tb: Table, df: pd.DataFrame, aliases: dict[str, str]) -> list[Failure]:
    """A deprecated alias must be the last columns and hold exactly its column's values."""
    out = []
    if list(df.columns[len(df.columns) - len(aliases):]) != list(aliases):
        out.append(Failure(tb.name, "", None, "deprecated alias columns must come last", ",".join(aliases)))
    for alias, target in aliases.items():
        if alias not in df.columns or target not in df.columns:
            out.append(Failure(tb.name, alias, None, f"alias of {target}: column missing", ""))
            continue
        a, b = df[alias].astype(str).to_numpy(), df[target].astype(str).to_numpy()
        out += [Failure(tb.name, alias, int(pos), f"deprecated alias differs from {target}", str(a[pos]))
                for pos in (a != b).nonzero()[0][:20]]
    return out


def referenced_columns() -> dict[str, list[str]]:
    """{table: the columns other tables' checks read from it} (foreign keys, quotes, recommendation counts)."""
    out: dict[str, set[str]] = {"recommendations": {"proposal_id"}}
    for tb in TABLES:
        for fk in tb.foreign_keys:
            out.setdefault(fk.table, set()).update(fk.ref_columns)
        if tb.has_span:
            out.setdefault("texts", set()).update({"doc_id", "clean_text"})
    return {name: sorted(cols) for name, cols in out.items()}


class _ReferencedTables(Mapping):
    """The columns of a release folder's tables that other tables' checks read, each read from its Parquet file
    when first asked for and kept; tables nothing refers to read as None."""

    def __init__(self, folder: Path):
        self.folder, self.columns, self.loaded = folder, referenced_columns(), {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        path = self.folder / f"{name}.parquet"
        if name not in self.columns or not path.exists():
            raise KeyError(name)
        if name not in self.loaded:
            self.loaded[name] = pd.read_parquet(path, columns=self.columns[name])
        return self.loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(n for n in self.columns if (self.folder / f"{n}.parquet").exists())

    def __len__(self) -> int:
        return sum(1 for _ in self)


def trim_heap() -> None:
    """Give the memory freed by a table back to the system (glibc keeps freed blocks for reuse, so one table's
    peak would add to the next's in the resident size); a no-op where there is no glibc."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def validate_release(folder: Path) -> list[Failure]:
    """Everything wrong with a published release folder (empty list: valid). One table at a time, with only the
    columns other tables refer to kept, so validating a release needs about the memory of its largest table."""
    folder = Path(folder)
    if not folder.is_dir():
        return [Failure(str(folder), "", None, "not a folder", str(folder))]
    out = checksum_failures(folder)
    aliases = declared_aliases(folder)
    references = _ReferencedTables(folder)
    for tb in TABLES:
        pq_path, csv_path = folder / f"{tb.name}.parquet", folder / f"{tb.name}.csv"
        if not pq_path.exists() or not csv_path.exists():
            out.append(Failure(tb.name, "", None, "Parquet or CSV file missing", str(folder)))
            continue
        parquet = pd.read_parquet(pq_path)
        out += csv_failures(tb, csv_path, parquet)
        if tb.name in aliases:
            out += alias_failures(tb, parquet, aliases[tb.name])
            parquet = parquet.drop(columns=[c for c in aliases[tb.name] if c in parquet.columns])
        out += table_failures(tb.name, parquet, references)
        del parquet
        trim_heap()
    changes = folder / f"{CHANGES.name}.csv"
    if changes.exists():  # releases before 0.1.4 have none
        df = read_csv_text(changes)
        out += schema_failures(CHANGES, df) + key_failures(CHANGES, df)
        unknown = sorted(set(df["table"]) - {tb.name for tb in TABLES}) if "table" in df.columns else []
        out += [Failure(CHANGES.name, "table", None, "not a published table", name) for name in unknown]
    return out
