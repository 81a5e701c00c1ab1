"""Validation of tables (pandera models + cross-table rules) and of a published release folder
(checksums, Parquet and CSV agree cell by cell under the CSV text rule, every table valid, values agree with the
quotes they come from, damaged files named). Used by the Dagster asset checks, by the release step before it
publishes, and by ``python -m pipeline validate DIR`` (with ``pipeline.release.verify``, which adds the checks of
the release's metadata files and of the hash chain).
"""
from __future__ import annotations

import ctypes
import hashlib
import io
import json
import re
from collections import ChainMap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from schemas.crosscheck import Failure, count_failures, foreign_key_failures, key_failures, quote_failures
from schemas.layout import has_table, read_table, relative, safe_name, table_files
from schemas.registry import CHANGES, SCHEMA_KEY, SCHEMA_SINCE, TABLES, Table, table

ALIAS_KEY = "aliasOf"  # datapackage.json field property of a deprecated alias column (value: the column it copies)


def schema_failures(tb: Table, df: pd.DataFrame) -> list[Failure]:
    """pandera's verdict on one table: one Failure per failing cell, or per row for row-wide checks."""
    try:
        tb.schema.validate(df, lazy=True)
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


def table_failures(name: str, df: pd.DataFrame, frames: Mapping[str, pd.DataFrame],
                   tb: Table | None = None, keys: pd.DataFrame | None = None) -> list[Failure]:
    """Everything wrong with one table, given the other tables it refers to (``tb``: the table as a release
    published it, ``as_published``; default the registry's). ``keys``: when ``df`` holds only some of the table's
    rows, the key and reference columns of all of them (primary keys unique, references found over every row)."""
    tb = tb or table(name)
    if keys is None:
        return (schema_failures(tb, df) + key_failures(tb, df)
                + foreign_key_failures(tb, df, frames) + quote_failures(tb, df, frames.get("texts"))
                + count_failures(tb, df, frames))
    return (schema_failures(tb, df) + duplicate_key_failures(tb, keys) + foreign_key_failures(tb, keys, frames)
            + quote_failures(tb, df, frames.get("texts")) + count_failures(tb, df, frames))


def checked_columns(tb: Table, published: Table, frame: pd.DataFrame,
                    aliases: Mapping[str, str] | None) -> tuple[pd.DataFrame, list[Failure]]:
    """Rows of table ``tb`` as its model checks them (deprecated alias columns, checked against their columns and
    dropped; only the columns of ``published``, the table as its release declares it, when it declares fewer), and
    the failures of the aliases."""
    out = []
    if aliases:
        out += alias_failures(tb, frame, dict(aliases))
        frame = frame.drop(columns=[c for c in aliases if c in frame.columns])
    if published.published_columns:   # columns today's model does not have are not checked by it
        frame = frame[[c for c in frame.columns if c in published.columns]]
    return frame, out


def row_failures(tb: Table, published: Table, frame: pd.DataFrame, texts: pd.DataFrame | None,
                 rules: tuple["TableRule", ...] = ()) -> list[Failure]:
    """What is wrong with some rows of a table that no other row of it bears on: the model's rules (``published``: the
    table as its release declares it; a unique column is unique among these rows only), every quote against the
    clean text of ``texts`` and the caller's ``rules``. A table's parts can be checked this way in any grouping, in
    several processes at once; what needs every row (keys, references) is ``whole_table_failures``."""
    out = schema_failures(published, frame) + quote_failures(published, frame, texts)
    for rule in rules:   # rules that need the pipeline (pipeline.release.quotes): the caller's
        out += rule(tb, frame)
    return out


def whole_table_failures(tb: Table, df: pd.DataFrame, frames: Mapping[str, pd.DataFrame],
                         keys: pd.DataFrame | None = None) -> list[Failure]:
    """What is wrong with a table across its rows: primary keys unique, references found, counts agreeing.
    ``keys``: when ``df`` holds only some of the table's rows, the key and reference columns of all of them."""
    if keys is None:
        return key_failures(tb, df) + foreign_key_failures(tb, df, frames) + count_failures(tb, df, frames)
    return duplicate_key_failures(tb, keys) + foreign_key_failures(tb, keys, frames) + count_failures(tb, df, frames)


def key_columns(tb: Table) -> list[str]:
    """The columns of ``tb`` its primary key and its references are made of."""
    return sorted(set(tb.primary_key) | {c for fk in tb.foreign_keys for c in fk.columns})


def duplicate_key_failures(tb: Table, keys: pd.DataFrame) -> list[Failure]:
    """Rows of ``keys`` whose primary key an earlier row has (a key of one column or of several)."""
    cols = list(tb.primary_key)
    if keys.empty or not set(cols) <= set(keys.columns):
        return []
    dup = keys.duplicated(cols, keep="first").to_numpy()
    return [Failure(tb.name, ",".join(cols), int(pos), "duplicate primary key",
                    "|".join(map(str, keys.iloc[pos][cols]))) for pos in dup.nonzero()[0]]


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
    """A CSV read back cell by cell as text, exactly as written ('' stays ''; a guarded cell keeps its apostrophe:
    ``csv_cell_value`` gives the value back; a byte-order mark is not part of the first column's name)."""
    return pd.read_csv(path_or_buffer, dtype=str, keep_default_na=False, encoding=CSV_ENCODING)


CSV_OPTIONS = {"index": False, "lineterminator": "\n"}  # the one way tables are written as CSV
# UTF-8 with a byte-order mark: Excel on Chinese Windows opens a CSV by double-click in the system code page (GBK,
# 郑州市 as mojibake) unless the file starts with the UTF-8 BOM. pandas and DuckDB read the header right (tested);
# R's read.csv needs fileEncoding = "UTF-8-BOM". (Releases before 0.1.6 have no BOM; reading with utf-8-sig takes
# both.)
CSV_ENCODING = "utf-8-sig"
BOM = b"\xef\xbb\xbf"


def csv_encoding(path: Path) -> str:
    """The encoding a release's CSV file is in, as datapackage.json declares it: utf-8-sig when it starts with the
    byte-order mark, utf-8 otherwise (the releases before 0.1.6)."""
    with path.open("rb") as f:
        return "utf-8-sig" if f.read(3) == BOM else "utf-8"

# The CSV text rule. Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell that starts with one of these as a
# formula ("CSV injection", OWASP): =HYPERLINK(...) in a file name or a quote would be a live link or a command when
# a user opens the CSV. The Parquet files keep the exact text; in the CSV files a text cell starting with one of these
# (or with the guard itself, so that the rule can always be undone) gets one guard character in front, which
# spreadsheets show as text. Reading the CSV programmatically: remove one leading apostrophe from text cells.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TEXT_GUARD = "'"
CSV_TEXT_NOTE = ("In the CSV file a text cell that begins with =, +, -, @, a tab, a carriage return or an apostrophe "
                 "has one apostrophe (') put in front, so that spreadsheets show it as text instead of running it as a "
                 "formula; remove that first apostrophe to get the exact value, which the Parquet file holds as it is.")
_GUARDED_STARTS = (*CSV_FORMULA_STARTS, CSV_TEXT_GUARD)


def csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The table as its CSV file holds it: text cells under the CSV text rule (the frame itself when no cell needs
    the guard; otherwise a shallow copy with only the guarded columns new)."""
    out = df
    for col in df.columns:
        values = df[col]
        if not pd.api.types.is_string_dtype(values.dtype):   # numbers (a negative one is a number, not a formula)
            continue
        try:
            first = values.str[:1]
        except AttributeError:   # an object column without text (all missing)
            continue
        guarded = first.isin(_GUARDED_STARTS).to_numpy(dtype=bool, na_value=False)
        if guarded.any():
            if out is df:
                out = df.copy(deep=False)
            out[col] = values.where(~guarded, CSV_TEXT_GUARD + values.astype(str))
    return out


def csv_cell_value(cell: str) -> str:
    """A text cell of a release CSV back to the exact value (the CSV text rule undone)."""
    return cell[1:] if cell.startswith(CSV_TEXT_GUARD) else cell


def to_csv_text(df: pd.DataFrame) -> str:
    """A table as CSV text (release files and comparisons use the same options and the same text rule)."""
    return csv_frame(df).to_csv(**CSV_OPTIONS)


def write_csv_file(df: pd.DataFrame, path: Path) -> None:
    """A table as a CSV file, streamed: the same bytes as ``to_csv_text`` in UTF-8, without the whole text in
    memory at once (10,000 documents' texts are 300 MB of CSV)."""
    with open(path, "w", encoding=CSV_ENCODING, newline="") as f:
        csv_frame(df).to_csv(f, **CSV_OPTIONS)


class _Sha256Sink(io.RawIOBase):
    def __init__(self):
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.digest.update(b)
        return len(b)


def csv_sha256(df: pd.DataFrame, encoding: str = CSV_ENCODING) -> str:
    """SHA-256 of the CSV ``write_csv_file`` would write (in ``encoding``: an older release's has no byte-order
    mark), computed as it is generated (nothing kept)."""
    sink = _Sha256Sink()
    with io.TextIOWrapper(io.BufferedWriter(sink, 1 << 20), encoding=encoding, newline="") as text:
        csv_frame(df).to_csv(text, **CSV_OPTIONS)
        text.flush()
        return sink.digest.hexdigest()


_DIGESTS: dict[tuple, str] = {}


def sha256_file(path: Path) -> str:
    """A file's SHA-256, read once per version of the file in a process: remembered by its identity, size and
    modification and change times, so that writing a release does not read its 2 GB database four times
    (datapackage.json, croissant.json, SHA256SUMS, the validation; 10,000 documents: 1.3 s each)."""
    st = path.stat()
    key = (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if key in _DIGESTS:
        return _DIGESTS[key]
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    if len(_DIGESTS) > 100_000:
        _DIGESTS.clear()
    _DIGESTS[key] = h.hexdigest()
    return _DIGESTS[key]


_SUMS_LINE = re.compile(r"([0-9a-f]{64})  ([^/\\\x00]+(?:/[^/\\\x00]+)?)")   # a file, or a part: folder/file


def read_checksums(folder: Path) -> dict[str, str] | None:
    """{file name: sha256} as the folder's SHA256SUMS lists them, in its order (None: no SHA256SUMS; a line that is
    not ``<64 hex digits>  <file name>`` is skipped: ``checksum_failures`` names it)."""
    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        return None
    out = {}
    for line in sums.read_text("utf-8", errors="replace").splitlines():
        m = _SUMS_LINE.fullmatch(line)
        if m and safe_name(m.group(2)):
            out[m.group(2)] = m.group(1)
    return out


Digests = Callable[[Path], str]  # a file's SHA-256 (validation hashes each file once and hands the digests on)


def checksum_failures(folder: Path, digest: Digests = sha256_file) -> list[Failure]:
    sums = read_checksums(folder)
    if sums is None:
        return [Failure("SHA256SUMS", "", None, "file missing", str(folder / "SHA256SUMS"))]
    lines = (folder / "SHA256SUMS").read_text("utf-8", errors="replace").splitlines()
    out = [Failure("SHA256SUMS", "", i, "not a line of `sha256sum` (<64 hex digits>  <file name>)", line)
           for i, line in enumerate(lines) if not ((m := _SUMS_LINE.fullmatch(line)) and safe_name(m.group(2)))]
    for name, expected in sums.items():
        path = folder / name
        if not path.is_file():
            out.append(Failure(name, "", None, "listed in SHA256SUMS but missing", name))
        elif digest(path) != expected:
            out.append(Failure(name, "", None, "SHA-256 differs from SHA256SUMS", expected))
    return out


def damaged(name: str, err: Exception) -> Failure:
    """A file that cannot be read as what it should be: named, with the reader's reason, instead of a traceback."""
    reason = " ".join(str(err).split())[:200]
    return Failure(name, "", None, "damaged file: cannot be read (restore it from a good copy of the release)",
                   f"{type(err).__name__}: {reason}")


def csv_failures(tb: Table, csv_path: Path, parquet: pd.DataFrame, digest: Digests = sha256_file,
                 name: str | None = None) -> list[Failure]:
    """The CSV file against the Parquet file of the same table: byte for byte against the one way tables are
    written as CSV first (by SHA-256, streamed), cell by cell (``csv_vs_parquet``) only when the bytes differ.
    ``name``: the CSV file's name in its release (default: its file name)."""
    if digest(csv_path) == csv_sha256(parquet, csv_encoding(csv_path)):
        return []
    try:
        csv = read_csv_text(csv_path)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        return [damaged(name or csv_path.name, err)]
    return csv_vs_parquet(tb, csv, parquet)


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


def read_json(path: Path) -> dict | None:
    """A metadata file of a release as JSON (None when it is missing or not a JSON object)."""
    try:
        value = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def declared_aliases(folder: Path) -> dict[str, dict[str, str]]:
    """{table: {alias column: column it copies}} as the release's datapackage.json declares them."""
    pkg = read_json(folder / "datapackage.json") or {}
    out: dict[str, dict[str, str]] = {}
    for r in pkg.get("resources", []):
        if not isinstance(r, dict):
            continue
        for f in (r.get("schema") or {}).get("fields", []):
            if isinstance(f, dict) and ALIAS_KEY in f:
                out.setdefault(str(r.get("name")), {})[str(f.get("name"))] = str(f[ALIAS_KEY])
    return out


def _version(text) -> tuple[int, ...]:
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", str(text or ""))
    return tuple(map(int, m.groups())) if m else ()


def earlier_schema(declared) -> bool:
    """Whether a release whose datapackage.json records schema ``declared`` (None: records none, as 0.1.x) was
    published under an earlier schema than ``SCHEMA_SINCE``."""
    return _version(declared) < _version(SCHEMA_SINCE)


def as_published(tb: Table, resource: dict | None, schema_version) -> Table:
    """``tb`` as a release's datapackage.json declares it. A release published under an earlier schema (before
    ``SCHEMA_SINCE``, by the ``schema_version`` it records: 0.1.x's panel keyed by document) is checked by the rules of today's model on the columns both
    have, with its own primary key and only the foreign keys it declared — a rule added since (the panel's one-unit
    rule) does not apply to a release published before it. A release from ``SCHEMA_SINCE`` on, or an undeclared
    table: ``tb`` (what it declares is then compared with today's schema, and an edit is named)."""
    schema = (resource or {}).get("schema")
    if not isinstance(schema, dict) or not earlier_schema(schema_version):
        return tb
    fields = [f.get("name") for f in schema.get("fields", []) if isinstance(f, dict) and ALIAS_KEY not in f]
    key = schema.get("primaryKey")
    key = tuple(key) if isinstance(key, list) else (key,) if isinstance(key, str) else tb.primary_key
    declared_fks = {(tuple(fk.get("fields", ())), (fk.get("reference") or {}).get("resource"),
                     tuple((fk.get("reference") or {}).get("fields", ())))
                    for fk in schema.get("foreignKeys", []) if isinstance(fk, dict)}
    if fields == tb.columns and key == tb.primary_key:
        return tb
    return replace(tb, primary_key=key, published_columns=tuple(c for c in fields if c in tb.columns),
                   foreign_keys=tuple(fk for fk in tb.foreign_keys
                                      if fk.optional or (fk.columns, fk.table, fk.ref_columns) in declared_fks))


def resources_of(pkg: dict) -> dict[str, dict]:
    """{resource name: resource} of a datapackage.json."""
    return {str(r.get("name")): r for r in pkg.get("resources", []) if isinstance(r, dict)}


def declared_resources(folder: Path) -> tuple[str, dict[str, dict]]:
    """(the schema version the release records, {table: its resource}) from its datapackage.json."""
    pkg = read_json(folder / "datapackage.json") or {}
    return pkg.get(SCHEMA_KEY), resources_of(pkg)


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
    when first asked for and kept; tables nothing refers to, and damaged files (named by their own check), read as
    None."""

    def __init__(self, folder: Path):
        self.folder, self.columns, self.loaded = folder, referenced_columns(), {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self.columns or not has_table(self.folder, name):
            raise KeyError(name)
        if name not in self.loaded:
            try:
                self.loaded[name] = read_table(self.folder, name, columns=self.columns[name])
            except Exception as err:  # damaged: validate_release names it when it reads the table itself
                raise KeyError(name) from err
        return self.loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(n for n in self.columns if has_table(self.folder, n))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def trim_heap() -> None:
    """Give the memory freed by a table back to the system (glibc keeps freed blocks for reuse, so one table's
    peak would add to the next's in the resident size); a no-op where there is no glibc."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


# panel column -> the metrics column it copies (panel.unit is the indicator's unit, checked against indicators)
PANEL_FROM_METRICS = {"value": "value", "unit_as_written": "unit", "doc_id": "doc_id", "period": "period",
                      "year_start": "year_start", "year_end": "year_end", "approx": "approx"}


def panel_pairs(panel_columns) -> dict[str, str]:
    """The panel columns that copy a metrics column, and which (a release before 0.2 has no unit_as_written: its
    ``unit`` was the metric's)."""
    pairs = {p: m for p, m in PANEL_FROM_METRICS.items() if p in panel_columns}
    if "unit_as_written" not in panel_columns and "unit" in panel_columns:
        pairs["unit"] = "unit"
    return pairs


# panel columns that copy the document's (the place and body of the figure's doc_id)
PANEL_FROM_DOCUMENTS = ("body", "level", "province", "city", "county", "place_code")


def panel_place_failures(panel: pd.DataFrame, documents: pd.DataFrame) -> list[Failure]:
    """Each panel row's body and place are its document's; ``n_documents`` is 1 + its superseded metrics."""
    out = []
    docs = documents.drop_duplicates("doc_id").set_index("doc_id")
    known = panel["doc_id"].isin(docs.index).to_numpy()
    for col in (c for c in PANEL_FROM_DOCUMENTS if c in panel.columns and c in docs.columns):
        theirs = panel["doc_id"].map(docs[col])
        for pos in ((panel[col].astype(str) != theirs.astype(str)).to_numpy() & known).nonzero()[0]:
            out.append(Failure("panel", col, int(pos), f"differs from documents.{col} of {panel['doc_id'].iat[pos]}",
                               f"{panel[col].iat[pos]} (documents: {theirs.iat[pos]})"))
    if {"n_documents", "superseded_metric_ids"} <= set(panel.columns):
        counted = 1 + panel["superseded_metric_ids"].astype(str).str.split().str.len()
        for pos in (counted != panel["n_documents"]).to_numpy().nonzero()[0]:
            out.append(Failure("panel", "n_documents", int(pos), "differs from 1 + the superseded metrics",
                               f"{panel['n_documents'].iat[pos]} (superseded: {panel['superseded_metric_ids'].iat[pos]})"))
    return out


def superseded_failures(panel: pd.DataFrame, metrics: pd.DataFrame) -> list[Failure]:
    """Each superseded metric exists and is a figure of the same indicator, period and years as the chosen one.
    One join of (panel row, superseded id) pairs with the metrics, not a lookup per pair: 12 s for the 56,587 rows of
    10,000 documents' panel done cell by cell (pyinstrument, a release that added one document)."""
    if "superseded_metric_ids" not in panel.columns or panel.empty:
        return []
    cols = [c for c in ("indicator_code", "period", "year_start", "year_end")
            if c in metrics.columns and c in panel.columns]
    panel = panel.reset_index(drop=True)   # a failure names a row by its position
    ids = panel["superseded_metric_ids"].astype(str).str.split()
    pairs = ids[ids.str.len() > 0].explode()
    if pairs.empty:
        return []
    chosen = panel.loc[pairs.index, cols].astype(str).reset_index(names="pos")
    chosen["mid"] = pairs.to_numpy()
    m = metrics.drop_duplicates("metric_id").set_index("metric_id")[cols].astype(str)
    found = chosen.join(m, on="mid", rsuffix="_m")
    missing = ~chosen["mid"].isin(m.index).to_numpy()
    differs = ~missing & (found[cols].to_numpy() != found[[f"{c}_m" for c in cols]].to_numpy()).any(axis=1) \
        if cols else np.zeros(len(found), dtype=bool)
    out = []
    for pos, mid, gone, other in zip(found["pos"], found["mid"], missing, differs):
        if gone:
            out.append(Failure("panel", "superseded_metric_ids", int(pos), "references a missing metrics.metric_id", mid))
        elif other:
            out.append(Failure("panel", "superseded_metric_ids", int(pos),
                               "names a metric of another indicator, period or years", mid))
    return out


def panel_failures(panel: pd.DataFrame, metrics: pd.DataFrame) -> list[Failure]:
    """Each panel figure is its metric's value, unit as written, document, period, years and approx (``metric_id``)."""
    if panel.empty or metrics.empty:
        return []
    m = metrics.drop_duplicates("metric_id").set_index("metric_id")
    known = panel["metric_id"].isin(m.index).to_numpy()   # an unknown metric_id is the foreign-key rule's
    out = []
    for col, mcol in panel_pairs(panel.columns).items():
        if mcol not in m.columns:
            continue
        theirs = panel["metric_id"].map(m[mcol])
        if col == "value":
            differ = ~((panel[col] - theirs).abs() <= 1e-9 * theirs.abs().clip(lower=1))
        else:
            differ = panel[col].astype(str) != theirs.astype(str)
        for pos in (differ.to_numpy() & known).nonzero()[0]:
            out.append(Failure("panel", col, int(pos), f"differs from metrics.{mcol} of {panel['metric_id'].iat[pos]}",
                               f"{panel[col].iat[pos]} (metrics: {theirs.iat[pos]})"))
    return out


TableRule = Callable[[Table, pd.DataFrame], list[Failure]]


def _read_table_files(folder: Path, tb: Table, digest: Digests,
                      trusted: set[str] = frozenset()) -> tuple[pd.DataFrame | None, list[Failure], bool]:
    """Table ``tb`` read from its Parquet file or parts, each against its CSV twin (the same part in CSV), and the
    failures found on the way (None: nothing readable); parts named in ``trusted`` are not read (the frame then
    holds the other parts' rows only: the third value says so)."""
    parquet_files, csv_files = table_files(folder, tb.name, "parquet"), table_files(folder, tb.name, "csv")
    if not parquet_files or not csv_files:
        return None, [Failure(tb.name, "", None, "Parquet or CSV file missing", str(folder))], False
    pairs = {p.stem: [p, None] for p in parquet_files}
    out = []
    for c in csv_files:
        if c.stem in pairs:
            pairs[c.stem][1] = c
        else:
            out.append(Failure(relative(folder, c), "", None, "CSV part without its Parquet part", c.name))
    frames, skipped, first = [], 0, None
    for stem, (pq_path, csv_path) in pairs.items():
        if csv_path is None:
            out.append(Failure(relative(folder, pq_path), "", None, "Parquet part without its CSV part", pq_path.name))
        if relative(folder, pq_path) in trusted and (csv_path is None or relative(folder, csv_path) in trusted):
            skipped += 1
            continue
        try:
            frame = pd.read_parquet(pq_path)
        except Exception as err:  # pyarrow raises ArrowInvalid, OSError and others on a damaged file
            out.append(damaged(relative(folder, pq_path), err))
            continue
        if csv_path is not None:
            out += csv_failures(tb, csv_path, frame, digest, relative(folder, csv_path))
        frames.append(frame)
    if len(frames) + skipped != len(pairs):
        return None, out, False
    if not frames:   # every part trusted: the table's columns, no row
        frames = [pd.read_parquet(parquet_files[0]).iloc[:0]]
    return (frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)), out, skipped > 0


def texts_of(folder: Path, docs: set[str], read_first: Callable[[str], bool]) -> pd.DataFrame:
    """doc_id and clean_text of the documents ``docs`` from the texts table's files, those ``read_first`` says (by
    file name) first, the others only if a document is still missing."""
    files = sorted(table_files(folder, "texts", "parquet"), key=lambda f: not read_first(relative(folder, f)))
    found, left = [], set(docs)
    for f in files:
        if not left:
            break
        try:
            frame = pd.read_parquet(f, columns=["doc_id", "clean_text"])
        except Exception:  # damaged: named when the texts table is read
            continue
        frame = frame[frame["doc_id"].isin(left)]
        left -= set(frame["doc_id"])
        found.append(frame)
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=["doc_id", "clean_text"])


def validate_release(folder: Path, digest: Digests = sha256_file, rules: tuple[TableRule, ...] = (),
                     trusted: set[str] = frozenset()) -> list[Failure]:
    """Everything wrong with a published release folder's tables (empty list: valid). One table at a time, with only
    the columns other tables refer to kept, so validating a release needs about the memory of its largest table.
    ``digest``: how to hash a file (the caller may hand on digests it already has); ``rules``: more checks of each
    table that need the pipeline (``pipeline.release.verify.verify_release`` hands on the check of every value
    against its quote; ``python -m pipeline validate`` runs them all); ``trusted``: parts not read again (shared
    with a release validated with them), whose keys and references are still checked with every other row."""
    folder = Path(folder)
    if not folder.is_dir():
        return [Failure(str(folder), "", None, "not a folder", str(folder))]
    out = checksum_failures(folder, digest)
    aliases = declared_aliases(folder)
    schema_version, resources = declared_resources(folder)
    references = _ReferencedTables(folder)
    for tb in TABLES:
        parquet, failures, partial = _read_table_files(folder, tb, digest, trusted)
        out += failures
        if parquet is None:
            continue
        published = as_published(tb, resources.get(tb.name), schema_version)
        parquet, failures = checked_columns(tb, published, parquet, aliases.get(tb.name))
        out += failures
        keys = None
        if partial:
            try:
                keys = read_table(folder, tb.name, columns=[c for c in key_columns(published) if c in parquet.columns])
            except Exception as err:  # a trusted part unreadable: it was changed since it was shared
                out.append(damaged(tb.name, err))
                continue
        frames = references
        if partial and published.has_span:   # the texts of the rows checked, not every document's
            frames = ChainMap({"texts": texts_of(folder, set(parquet["doc_id"]),
                                                     # a changed document's text is in a part that changed too
                                                     lambda name: name not in trusted)}, references)
        out += row_failures(tb, published, parquet, frames.get("texts"), rules)
        out += whole_table_failures(published, parquet, frames, keys)
        if tb.name == "panel" and "metric_id" in parquet.columns:
            try:
                wanted = set(panel_pairs(parquet.columns).values())
                if "superseded_metric_ids" in parquet.columns:
                    wanted |= {"indicator_code", "period", "year_start", "year_end"}
                metrics = read_table(folder, "metrics", columns=["metric_id", *sorted(wanted)])
            except Exception:  # damaged or without these columns: named by the metrics table's own checks
                metrics = None
            if metrics is not None:
                out += panel_failures(parquet, metrics)
                out += superseded_failures(parquet, metrics)
            try:
                docs = read_table(folder, "documents", columns=[
                    "doc_id", *[c for c in PANEL_FROM_DOCUMENTS if c in parquet.columns]])
            except Exception:  # damaged or an earlier schema without these columns: named by its own checks
                docs = None
            if docs is not None:
                out += panel_place_failures(parquet, docs)
        del parquet
        trim_heap()
    changes = folder / f"{CHANGES.name}.csv"
    if changes.is_file():  # releases before 0.1.4 have none
        try:
            df = read_csv_text(changes)
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
            return out + [damaged(changes.name, err)]
        out += schema_failures(CHANGES, df) + key_failures(CHANGES, df)
        unknown = sorted(set(df["table"]) - {tb.name for tb in TABLES}) if "table" in df.columns else []
        out += [Failure(CHANGES.name, "table", None, "not a published table", name) for name in unknown]
    return out
