"""The release's SQLite database (``<name>.sqlite``, served as it is by ``datasette``): one table per published table
(and the release's changes), written from the release's own Parquet files (the frames as published, deprecated
alias columns included), typed and keyed from the schemas — column types and NOT NULL from the data dictionary,
the primary key, unique columns, the foreign keys datapackage.json declares, an index on every key a join uses —
each column's description kept as a comment in its CREATE TABLE statement (Datasette and the sqlite3 shell show
it). Same files, same SQLite library: same bytes (one transaction, fixed page size, rows in file order). What the
release's validation reads back from it: ``database_failures``.
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from pipeline.release.about import about
from pipeline.release.aliases import alias_columns
from schemas.crosscheck import Failure
from schemas.dictionary import ColumnDoc, columns
from schemas.layout import read_table
from schemas.registry import CHANGES, TABLES, Rename, Table

MEDIA_TYPE = "application/vnd.sqlite3"
# Frictionless type (schemas.dictionary) -> SQLite column type (a boolean is 0 or 1)
SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}
PAGE_SIZE = 4096


def database_name() -> str:
    return f"{about()['name']}.sqlite"


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _names(cols) -> str:
    return ", ".join(_q(c) for c in cols)


def _comment(text: str) -> str:
    return " ".join(text.split())   # one line: a -- comment ends at the line's end


def declared_foreign_keys(tb: Table):
    """The foreign keys the database declares: those datapackage.json declares (not the optional ones, whose ''
    means "no reference" and would fail SQLite's foreign-key check)."""
    return [fk for fk in tb.foreign_keys if not fk.optional]


def referenced_keys(tb: Table, cols: list[ColumnDoc]) -> list[tuple[str, ...]]:
    """Column sets of ``tb`` that another table's foreign key references and that neither the primary key nor a
    unique column is: SQLite wants a UNIQUE constraint on them (panel (indicator_code, unit) -> indicators). Each
    holds a unique column or the primary key, so it is unique."""
    plain = {tuple(tb.primary_key)} | {(c.name,) for c in cols if c.unique}
    refs = sorted({fk.ref_columns for other in TABLES for fk in declared_foreign_keys(other) if fk.table == tb.name})
    return [ref for ref in refs if ref not in plain and any(set(k) <= set(ref) for k in plain)]


def create_table(tb: Table, cols: list[ColumnDoc]) -> str:
    """The CREATE TABLE statement of ``tb`` with the columns ``cols`` (the schema's, then any alias columns)."""
    lines = []
    for c in cols:
        null = "" if c.nullable else " NOT NULL"
        lines.append(f"  {_q(c.name)} {SQL_TYPES[c.type]}{null},  -- {_comment(c.description)}")
    keys = [f"  PRIMARY KEY ({_names(tb.primary_key)})"]
    keys += [f"  UNIQUE ({_q(c.name)})" for c in cols if c.unique and (c.name,) != tuple(tb.primary_key)]
    keys += [f"  UNIQUE ({_names(ref)})" for ref in referenced_keys(tb, cols)]
    keys += [f"  FOREIGN KEY ({_names(fk.columns)}) REFERENCES {_q(fk.table)} ({_names(fk.ref_columns)})"
             for fk in declared_foreign_keys(tb)]
    body = "\n".join(lines) + "\n" + ",\n".join(keys)
    return f"CREATE TABLE {_q(tb.name)} (  -- {_comment(tb.description)}\n{body}\n)"


def create_indexes(tb: Table, cols: list[ColumnDoc]) -> list[str]:
    """An index on the columns of every foreign key (optional ones too: they are joined on as well) that the
    primary key or a unique column does not already index."""
    indexed = {tuple(tb.primary_key[:n]) for n in range(1, len(tb.primary_key) + 1)}
    indexed |= {(c.name,) for c in cols if c.unique}
    out, seen = [], set()
    for fk in tb.foreign_keys:
        if fk.columns in indexed or fk.columns in seen:
            continue
        seen.add(fk.columns)
        out.append(f"CREATE INDEX {_q(tb.name + '_by_' + '_'.join(fk.columns))} ON {_q(tb.name)} "
                   f"({_names(fk.columns)})")
    return out


def _rows(frame: pd.DataFrame) -> Iterator[tuple]:
    """The frame's rows as plain Python values (numpy scalars are not SQLite values; every kind of null is NULL)."""
    values = []
    for name in frame.columns:
        s = frame[name].astype(object)
        values.append(s.where(frame[name].notna(), None).tolist())
    return zip(*values)


def _contents(folder: Path, renamed: tuple[Rename, ...], changes: pd.DataFrame | None):
    """(table, its columns, its frame loaded when asked) for every table the database holds, in registry order."""
    for tb in TABLES:
        yield tb, columns(tb) + alias_columns(tb, renamed), lambda tb=tb: read_table(folder, tb.name)
    if changes is not None:
        yield CHANGES, columns(CHANGES), lambda: changes


def write_database(folder: Path, renamed: tuple[Rename, ...] = (), changes: pd.DataFrame | None = None) -> Path:
    """Write ``folder``/<name>.sqlite from the folder's Parquet files (one table in memory at a time) and
    ``changes`` (the release's changes, as its changes.csv holds them before the CSV text rule)."""
    path = folder / database_name()
    tmp = folder / f".{path.name}.tmp"
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp, isolation_level=None)
    try:
        con.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        con.execute("PRAGMA encoding = 'UTF-8'")
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("BEGIN")
        for tb, cols, load in _contents(folder, renamed, changes):
            frame = load()
            names = [c.name for c in cols]
            if list(frame.columns) != names:
                raise ValueError(f"{tb.name}: the file's columns {list(frame.columns)} are not the schema's {names}")
            con.execute(create_table(tb, cols))
            con.executemany(f"INSERT INTO {_q(tb.name)} VALUES ({', '.join('?' * len(names))})", _rows(frame))
            del frame
            for statement in create_indexes(tb, cols):
                con.execute(statement)
        con.execute("COMMIT")
    finally:
        con.close()
    os.replace(tmp, path)
    return path


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def database_failures(folder: Path, rows: dict[str, int], columns_of: dict[str, list[str]]) -> list[Failure]:
    """The release's database against its table files: a sound SQLite file whose tables are exactly the tables of
    ``rows`` (rows per table file), each with the columns of ``columns_of`` (its file's columns, in order) and as
    many rows, and no declared foreign key unresolved."""
    path = folder / database_name()
    name = path.name
    if not path.is_file():
        return []   # named by the layout check when the release should have one
    try:
        con = _read_only(path)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchall()
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            out = [] if ok == [("ok",)] else [Failure(name, "", None, "damaged SQLite file (integrity_check)",
                                                      "; ".join(str(r[0]) for r in ok[:5]))]
            out += [Failure(name, t, None, "table missing from the database", t) for t in sorted(set(rows) - tables)]
            out += [Failure(name, t, None, "table in the database that the release does not have", t)
                    for t in sorted(tables - set(rows))]
            for t in [t for t in rows if t in tables]:
                cols = [r[1] for r in con.execute(f"PRAGMA table_info({_q(t)})")]
                if cols != columns_of.get(t, cols):
                    out.append(Failure(name, t, None, "columns differ from the table file's",
                                       f"{','.join(cols)} (file: {','.join(columns_of[t])})"))
                n = con.execute(f"SELECT count(*) FROM {_q(t)}").fetchone()[0]
                if n != rows[t]:
                    out.append(Failure(name, t, None, f"{n} rows, the table file has {rows[t]}", str(n)))
            for table, rowid, parent, _ in con.execute("PRAGMA foreign_key_check").fetchall()[:20]:
                out.append(Failure(name, table, None, f"foreign key to {parent} unresolved", f"rowid {rowid}"))
            return out
        finally:
            con.close()
    except sqlite3.Error as err:
        return [Failure(name, "", None, "damaged file: cannot be read as SQLite (restore it from a good copy of "
                        "the release)", f"{type(err).__name__}: {err}")]
