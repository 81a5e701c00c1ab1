"""Deciding a new release's version by comparing it with the previous one (semantic versioning for
data): major when a column is removed, renamed or retyped or a table disappears; minor when
documents, tables or columns are added (or documents removed); patch when only values changed.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from schemas.registry import CHANGES, Rename
from schemas.validate import ALIAS_KEY

FIRST_VERSION = "0.1.0"
VERSION_DIR = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Shape:
    """What versioning compares: each table's typed columns, and the documents covered."""

    columns: dict[str, tuple[tuple[str, str], ...]]   # table -> ((column, type), ...), aliases excluded
    doc_ids: frozenset[str]
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # table -> deprecated alias columns


@dataclass(frozen=True)
class SchemaChanges:
    """How the shape of a new build differs from the previous release (names as ``table.column``)."""

    tables_added: tuple[str, ...] = ()
    tables_removed: tuple[str, ...] = ()
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    columns_retyped: tuple[str, ...] = ()
    renamed: tuple[Rename, ...] = ()       # renamed now: the new release carries the old name as an alias
    aliases_dropped: tuple[str, ...] = ()  # aliases of the previous release that this one no longer carries
    documents_added: tuple[str, ...] = ()
    documents_removed: tuple[str, ...] = ()

    @property
    def breaking(self) -> bool:
        return bool(self.tables_removed or self.columns_removed or self.columns_retyped or self.renamed)

    @property
    def additive(self) -> bool:
        return bool(self.tables_added or self.columns_added or self.documents_added or self.documents_removed)


def shape_of_release(folder: Path) -> Shape:
    pkg = json.loads((folder / "datapackage.json").read_text("utf-8"))
    cols, aliases = {}, {}
    for r in pkg["resources"]:
        if r["name"] == CHANGES.name:
            continue
        fields = r["schema"]["fields"]
        cols[r["name"]] = tuple((f["name"], f["type"]) for f in fields if ALIAS_KEY not in f)
        aliases[r["name"]] = tuple(f["name"] for f in fields if ALIAS_KEY in f)
    docs = pd.read_parquet(folder / "documents.parquet", columns=["doc_id"])["doc_id"]
    return Shape(cols, frozenset(docs), {k: v for k, v in aliases.items() if v})


def compare(old: Shape, new: Shape, renames: tuple[Rename, ...] = ()) -> SchemaChanges:
    renamed = tuple(r for r in renames
                    if r.table in old.columns and r.table in new.columns
                    and r.old in dict(old.columns[r.table]) and r.new not in dict(old.columns[r.table])
                    and r.new in dict(new.columns[r.table]) and r.old not in dict(new.columns[r.table]))
    renamed_old = {(r.table, r.old) for r in renamed}
    renamed_new = {(r.table, r.new) for r in renamed}
    added, removed, retyped = [], [], []
    for name in sorted(set(old.columns) & set(new.columns)):
        a, b = dict(old.columns[name]), dict(new.columns[name])
        removed += [f"{name}.{c}" for c in a if c not in b and (name, c) not in renamed_old]
        added += [f"{name}.{c}" for c in b if c not in a and (name, c) not in renamed_new]
        retyped += [f"{name}.{c}" for c in a if c in b and a[c] != b[c]]
    dropped = tuple(f"{t}.{c}" for t, cols in sorted(old.aliases.items()) for c in cols
                    if not any(r.table == t and r.old == c for r in renamed))
    return SchemaChanges(
        tables_added=tuple(sorted(set(new.columns) - set(old.columns))),
        tables_removed=tuple(sorted(set(old.columns) - set(new.columns))),
        columns_added=tuple(added), columns_removed=tuple(removed), columns_retyped=tuple(retyped),
        renamed=renamed, aliases_dropped=dropped,
        documents_added=tuple(sorted(new.doc_ids - old.doc_ids)),
        documents_removed=tuple(sorted(old.doc_ids - new.doc_ids)))


def bump(previous: str, old: Shape, new: Shape, renames: tuple[Rename, ...] = ()) -> str:
    """major: a table or column removed, renamed or retyped; minor: tables, columns or documents added (or
    documents removed); patch: values only. Dropping the deprecated alias of a column renamed in the
    previous release is part of that rename (announced in its changelog) and bumps nothing by itself."""
    return next_version(previous, compare(old, new, renames))


def next_version(previous: str, c: SchemaChanges) -> str:
    """The version after ``previous`` for a build that differs from it by ``c`` (rule: see ``bump``)."""
    major, minor, patch = map(int, previous.split("."))
    if c.breaking:
        return f"{major + 1}.0.0"
    if c.additive:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def releases(dist: Path) -> list[tuple[tuple[int, int, int], Path]]:
    """Published release folders, oldest first."""
    out = []
    if dist.is_dir():
        for p in dist.iterdir():
            m = VERSION_DIR.match(p.name)
            if m and p.is_dir() and not p.is_symlink():
                out.append((tuple(map(int, m.groups())), p))
    return sorted(out)


def latest(dist: Path) -> Path | None:
    """The newest published release folder. A folder only gets its vX.Y.Z name after it was fully
    written and validated, so the newest one is complete even when a run was killed before it could
    move dist/latest to it (``publish`` repairs the link)."""
    rel = releases(dist)
    return rel[-1][1] if rel else None
