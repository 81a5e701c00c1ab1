"""datapackage.json (Frictionless Data Package v2), generated from the schemas: one CSV resource per
table (and for the release's changes.csv) with field types, descriptions (and the CSV text rule), constraints,
primary and foreign keys, bytes and sha256; a deprecated alias column is marked with ``aliasOf``; the SHA-256 of
the previous release's SHA256SUMS (``previousRelease``: the hash chain, checked by ``verify``).
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
from schemas.validate import CSV_TEXT_NOTE, Digests, csv_encoding

CHAIN_KEY = "previousRelease"  # {"version", "path", "sha256"} of the release this one follows (absent in the first)


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


def _resource(tb: Table, folder: Path, rows: int, renamed: tuple[Rename, ...] = (),
              digest: Digests = sha256_file) -> dict:
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
        "encoding": csv_encoding(path), "description": f"{tb.description} {CSV_TEXT_NOTE}", "bytes": path.stat().st_size,
        "hash": f"sha256:{digest(path)}", "rows": rows, "schema": schema,
    }


def chain_entry(previous: Path) -> dict:
    """What a release records of the release ``previous`` it follows: tampering with that release's files then
    shows, even with its SHA256SUMS rewritten to match, because this release's SHA256SUMS covers this entry."""
    version = json.loads((previous / "datapackage.json").read_text("utf-8"))["version"]
    return {"version": version, "path": f"../{previous.name}/SHA256SUMS",
            "sha256": sha256_file(previous / "SHA256SUMS")}


def descriptor(folder: Path, version: str, rows: dict[str, int], renamed: tuple[Rename, ...] = (),
               previous: Path | dict | None = None, digest: Digests = sha256_file) -> dict:
    """``rows``: rows per table (a table without an entry, such as the changes of releases before 0.1.4, is left
    out); ``previous``: the release this one follows (or its chain entry as already recorded)."""
    a = about()
    out = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": a["name"], "title": a["title"], "description": a["description"], "version": version,
        "homepage": a["homepage"], "keywords": a["keywords"],
        "licenses": [{"name": a["license"]["name"], "path": a["license"]["path"], "title": a["license"]["title"]}],
    }
    if previous is not None:
        out[CHAIN_KEY] = previous if isinstance(previous, dict) else chain_entry(previous)
    out["resources"] = [_resource(tb, folder, rows[tb.name], renamed, digest) for tb in (*TABLES, CHANGES)
                        if tb.name in rows]
    return out


def write_datapackage(folder: Path, version: str, rows: dict[str, int], renamed: tuple[Rename, ...] = (),
                      previous: Path | None = None) -> None:
    """``rows``: rows per table, the release's changes.csv included; ``previous``: the release this one follows."""
    text = json.dumps(descriptor(folder, version, rows, renamed, previous), ensure_ascii=False, indent=2,
                      sort_keys=False)
    (folder / "datapackage.json").write_text(text + "\n", encoding="utf-8", newline="")
