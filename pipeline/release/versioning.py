"""Deciding a new release's version by comparing it with the previous one (semantic versioning for
data): major when a column is removed, renamed or retyped or a table disappears; minor when
documents, tables or columns are added; patch when only values changed.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

FIRST_VERSION = "0.1.0"
VERSION_DIR = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Shape:
    """What versioning compares: each table's typed columns, and the documents covered."""

    columns: dict[str, tuple[tuple[str, str], ...]]   # table -> ((column, type), ...)
    doc_ids: frozenset[str]


def shape_of_release(folder: Path) -> Shape:
    pkg = json.loads((folder / "datapackage.json").read_text("utf-8"))
    cols = {r["name"]: tuple((f["name"], f["type"]) for f in r["schema"]["fields"]) for r in pkg["resources"]}
    docs = pd.read_parquet(folder / "documents.parquet", columns=["doc_id"])["doc_id"]
    return Shape(cols, frozenset(docs))


def bump(previous: str, old: Shape, new: Shape) -> str:
    major, minor, patch = map(int, previous.split("."))
    for name, cols in old.columns.items():
        if name not in new.columns or not set(cols) <= set(new.columns[name]):
            return f"{major + 1}.0.0"
    if set(new.columns) != set(old.columns) or any(set(new.columns[n]) != set(c) for n, c in old.columns.items()) \
            or not new.doc_ids <= old.doc_ids:
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
