"""datapackage.json (Frictionless Data Package v2), generated from the schemas: one CSV resource per
table (and for the release's changes.csv) with field types, descriptions (and the CSV text rule), constraints,
primary and foreign keys, bytes and sha256; a deprecated alias column is marked with ``aliasOf``; the SHA-256 of
the previous release's SHA256SUMS (``previousRelease``: the hash chain, checked by ``verify``); the publication date
(``created``; none in 0.1.0 to 0.1.6); the DOI (``id``) and homepage when dataset.toml gives them. The SQLite database and the
zip of the release are ``file`` resources; the zip's has no size or SHA-256 (the zip holds this file: SHA256SUMS
gives them).
"""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.release import archive, sqlite
from pipeline.release.about import about, doi_url, link
from pipeline.release.aliases import alias_columns
from pipeline.release.dates import DATE_KEY, created
from pipeline.release.files import sha256_file
from pipeline.release.versioning import ALIAS_KEY
from schemas.dictionary import ColumnDoc, columns
from schemas.layout import PARTS_NOTE, is_parted, relative, table_files
from schemas.registry import CHANGES, SCHEMA_KEY, SCHEMA_SINCE, TABLES, Rename, Table
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
    files = table_files(folder, tb.name, "csv")
    path = files[0]
    schema: dict = {"fields": _fields(tb, renamed), "primaryKey": list(tb.primary_key),
                    # text columns use '' for "none": only integer/number cells may be missing
                    "missingValues": [""]}
    fks = [{"fields": list(fk.columns), "reference": {"resource": fk.table, "fields": list(fk.ref_columns)}}
           for fk in tb.foreign_keys if not fk.optional]
    if fks:
        schema["foreignKeys"] = fks
    out = {"name": tb.name, "path": path.name, "type": "table", "format": "csv", "mediatype": "text/csv",
           "encoding": csv_encoding(path), "description": f"{tb.description} {CSV_TEXT_NOTE}"}
    if is_parted(folder, tb.name):
        # one part per batch of documents, each a whole CSV file with its header: a multipart resource; each part's
        # size and SHA-256 are in SHA256SUMS (a resource's bytes and hash would be those of the parts joined)
        out |= {"path": [relative(folder, f) for f in files],
                "description": f"{tb.description} {CSV_TEXT_NOTE} {PARTS_NOTE}"}
    else:
        out |= {"bytes": path.stat().st_size, "hash": f"sha256:{digest(path)}"}
    return out | {"rows": rows, "schema": schema}


def _downloads(folder: Path, version: str, digest: Digests) -> list[dict]:
    """The file resources of the SQLite database and the zip: in a release that has its database (which is written
    before this file; the zip, holding this file, after it)."""
    db = folder / sqlite.database_name()
    if not db.is_file():
        return []   # the releases up to 0.1.6
    database_left_out = db.name not in archive.in_zip([db.name], folder, version)
    return [
        {"name": "sqlite", "path": db.name, "type": "file", "format": "sqlite", "mediatype": sqlite.MEDIA_TYPE,
         "description": "Every table of the release (and its changes) in one SQLite database, typed and keyed as "
                        "described here, each column's description in its CREATE TABLE statement; open it with "
                        f"any SQLite client, or browse it with `datasette {db.name}`.",
         "bytes": db.stat().st_size, "hash": f"sha256:{digest(db)}"},
        {"name": "zip", "path": archive.archive_name(version), "type": "file", "format": "zip",
         "mediatype": archive.MEDIA_TYPE,
         "description": f"Every file of the release in one download, in a folder {archive.archive_stem(version)}/, "
                        "except SHA256SUMS, which gives the zip's SHA-256 (the zip holds this file, so this file "
                        "cannot give its size or checksum)"
                        + (", and the SQLite database, a download of its own made from the tables the zip holds."
                           if database_left_out else ".")},
    ]


def chain_entry(previous: Path) -> dict:
    """What a release records of the release ``previous`` it follows: tampering with that release's files then
    shows, even with its SHA256SUMS rewritten to match, because this release's SHA256SUMS covers this entry."""
    version = json.loads((previous / "datapackage.json").read_text("utf-8"))["version"]
    return {"version": version, "path": f"../{previous.name}/SHA256SUMS",
            "sha256": sha256_file(previous / "SHA256SUMS")}


def descriptor(folder: Path, version: str, rows: dict[str, int], renamed: tuple[Rename, ...] = (),
               previous: Path | dict | None = None, digest: Digests = sha256_file, date: str | None = None) -> dict:
    """``rows``: rows per table (a table without an entry, such as the changes of releases before 0.1.4, is left
    out); ``previous``: the release this one follows (or its chain entry as already recorded); ``date``: the
    publication date (YYYY-MM-DD; None for the releases published without one)."""
    a = about()
    out: dict = {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json"}
    if doi_url():
        out["id"] = doi_url()
    out |= {"name": a["name"], "title": a["title"], "description": a["description"], "version": version,
            SCHEMA_KEY: SCHEMA_SINCE}
    if date:
        out[DATE_KEY] = created(date)
    if link("homepage"):
        out["homepage"] = link("homepage")
    out |= {
        "keywords": a["keywords"],
        "licenses": [{"name": a["license"]["name"], "path": a["license"]["path"], "title": a["license"]["title"]}],
    }
    if previous is not None:
        out[CHAIN_KEY] = previous if isinstance(previous, dict) else chain_entry(previous)
    out["resources"] = [_resource(tb, folder, rows[tb.name], renamed, digest) for tb in (*TABLES, CHANGES)
                        if tb.name in rows] + _downloads(folder, version, digest)
    return out


def write_datapackage(folder: Path, version: str, rows: dict[str, int], renamed: tuple[Rename, ...] = (),
                      previous: Path | None = None, date: str | None = None) -> None:
    """``rows``: rows per table, the release's changes.csv included; ``previous``: the release this one follows;
    ``date``: its publication date."""
    text = json.dumps(descriptor(folder, version, rows, renamed, previous, date=date), ensure_ascii=False, indent=2,
                      sort_keys=False)
    (folder / "datapackage.json").write_text(text + "\n", encoding="utf-8", newline="")
