"""datapackage.json (Frictionless Data Package v2), generated from the schemas: one CSV resource per
table (and for the release's changes.csv) with field types, descriptions, constraints, primary and foreign
keys, bytes and sha256; a deprecated alias column is marked with ``aliasOf``.
"""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.release.about import about
from pipeline.release.aliases import alias_columns
from pipeline.release.files import sha256_file
from pipeline.release.versioning import ALIAS_KEY
from schemas.dictionary import ColumnDoc, columns
from schemas.registry import CHANGES, TABLES, Rename, Table


def _field(c: ColumnDoc) -> dict:
    f: dict = {"name": c.name, "type": c.type, "description": c.description}
    cons: dict = {}
    if not c.nullable and c.type != "string":
        cons["required"] = True
    if c.unique:
        cons["unique"] = True
    if c.allowed:
        cons["enum"] = list(c.allowed)
    if c.minimum is not None:
        cons["minimum"] = c.minimum
    if c.maximum is not None:
        cons["maximum"] = c.maximum
    if c.pattern:
        cons["pattern"] = c.pattern.removeprefix("^").removesuffix("$")
    if cons:
        f["constraints"] = cons
    return f


def _fields(tb: Table, renamed: tuple[Rename, ...]) -> list[dict]:
    target = {r.old: r.new for r in renamed if r.table == tb.name}
    return [_field(c) for c in columns(tb)] + [{**_field(a), ALIAS_KEY: target[a.name]}
                                               for a in alias_columns(tb, renamed)]


def _resource(tb: Table, folder: Path, rows: int, renamed: tuple[Rename, ...] = ()) -> dict:
    path = folder / f"{tb.name}.csv"
    schema: dict = {"fields": _fields(tb, renamed), "primaryKey": list(tb.primary_key),
                    # text columns use '' for "none": only integer/number cells may be missing
                    "missingValues": [""]}
    fks = [{"fields": list(fk.columns), "reference": {"resource": fk.table, "fields": list(fk.ref_columns)}}
           for fk in tb.foreign_keys if not fk.optional]
    if fks:
        schema["foreignKeys"] = fks
    return {
        "name": tb.name, "path": path.name, "type": "table", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8", "description": tb.description, "bytes": path.stat().st_size,
        "hash": f"sha256:{sha256_file(path)}", "rows": rows, "schema": schema,
    }


def descriptor(folder: Path, version: str, rows: dict[str, int], renamed: tuple[Rename, ...] = ()) -> dict:
    a = about()
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": a["name"], "title": a["title"], "description": a["description"], "version": version,
        "homepage": a["homepage"], "keywords": a["keywords"],
        "licenses": [{"name": a["license"]["name"], "path": a["license"]["path"], "title": a["license"]["title"]}],
        "resources": [_resource(tb, folder, rows[tb.name], renamed) for tb in (*TABLES, CHANGES)],
    }


def write_datapackage(folder: Path, version: str, rows: dict[str, int], renamed: tuple[Rename, ...] = ()) -> None:
    """``rows``: rows per table, the release's changes.csv included."""
    text = json.dumps(descriptor(folder, version, rows, renamed), ensure_ascii=False, indent=2, sort_keys=False)
    (folder / "datapackage.json").write_text(text + "\n", encoding="utf-8", newline="")
