"""croissant.json (MLCommons Croissant 1.1), generated from the schemas and dataset.toml: one FileObject
per table file with its sha256, one RecordSet per table (and for the release's changes.csv) with typed,
described fields, the primary key and the foreign keys that mlcroissant can load; a FileObject for the SQLite
database of every table; the dataset's name, licence, version, publication date, creator, citation, and the
homepage and DOI (``sameAs``) when dataset.toml gives them.
"""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.release import sqlite
from pipeline.release.about import about, doi_url, link
from pipeline.release.aliases import alias_columns
from pipeline.release.files import sha256_file
from schemas.layout import PART_PREFIX, is_parted
from schemas.dictionary import ColumnDoc, columns
from schemas.registry import CHANGES, TABLES, ForeignKey, Rename, Table, table
from schemas.validate import CSV_TEXT_NOTE, Digests

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"

# The standard @context of Croissant 1.1, as mlcroissant 1.1.1 expects it (a different one draws a warning).
CONTEXT: dict = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "description": {"@container": "@language"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "name": {"@container": "@language"},
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

ENCODING_FORMATS = {"csv": "text/csv", "parquet": "application/x-parquet"}

# Which file the record sets read. Parquet: it keeps '' apart from null and text apart from numbers;
# mlcroissant reads CSV with a bare pandas.read_csv (no dtypes), which turns '' into NaN and a text
# column holding only digits into numbers. changes.csv has no Parquet twin and is read as CSV.
SOURCE_FORMAT = "parquet"

# Frictionless type (schemas.dictionary) -> Croissant dataType
DATA_TYPES = {"string": "sc:Text", "integer": "sc:Integer", "number": "sc:Float", "boolean": "sc:Boolean"}


def _file_id(table: str, fmt: str) -> str:
    return f"{table}.{fmt}"


def _file_object(folder: Path, table: str, fmt: str, digest: Digests = sha256_file) -> dict:
    path = folder / _file_id(table, fmt)
    if is_parted(folder, table):   # a folder of parts: a FileSet (each part's SHA-256 is in SHA256SUMS)
        return {
            "@type": "cr:FileSet", "@id": _file_id(table, fmt), "name": path.name,
            "description": f"Table `{table}` as {fmt.upper()}, one part per batch of documents."
                           + (f" {CSV_TEXT_NOTE}" if fmt == "csv" else ""),
            "encodingFormat": ENCODING_FORMATS[fmt], "includes": f"{path.name}/{PART_PREFIX}*.{fmt}",
        }
    return {
        "@type": "cr:FileObject", "@id": _file_id(table, fmt), "name": path.name,
        "description": f"Table `{table}` as {fmt.upper()}." + (f" {CSV_TEXT_NOTE}" if fmt == "csv" else ""),
        "contentUrl": path.name, "contentSize": f"{path.stat().st_size} B",
        "encodingFormat": ENCODING_FORMATS[fmt], "sha256": digest(path),
    }


def _joinable(tb: Table) -> list[ForeignKey]:
    """Foreign keys a Croissant join can follow: one column, always set (not optional), to another table,
    and not part of a cycle (documents <-> texts)."""
    return [fk for fk in tb.foreign_keys
            if len(fk.columns) == 1 and not fk.optional and fk.table != tb.name
            and not any(back.table == tb.name for back in table(fk.table).foreign_keys)]


def _references(tb: Table) -> dict[str, ForeignKey]:
    """The foreign keys declared as `references`: those to a table that declares none itself (documents,
    indicators). mlcroissant loads a field with both `source` and `references` by joining the referenced
    record set, and caches a joined record set's output as a one-shot generator, so a reference to a table
    with references of its own (proposal_id -> proposals) fails once that table was loaded from the same
    Dataset. The others are named in the column descriptions and declared in datapackage.json."""
    return {fk.columns[0]: fk for fk in _joinable(tb) if not _joinable(table(fk.table))}


def _field(tb: Table, c: ColumnDoc, fmt: str, refs: dict[str, ForeignKey], parted: bool = False) -> dict:
    f: dict = {
        "@type": "cr:Field", "@id": f"{tb.name}/{c.name}", "name": c.name, "description": c.description,
        "dataType": DATA_TYPES[c.type],
        "source": {"fileSet" if parted else "fileObject": {"@id": _file_id(tb.name, fmt)},
                   "extract": {"column": c.name}},
    }
    if c.name in refs:
        fk = refs[c.name]
        f["references"] = {"field": {"@id": f"{fk.table}/{fk.ref_columns[0]}"}}
    return f


def _record_set(tb: Table, fmt: str, renamed: tuple[Rename, ...], parted: bool = False) -> dict:
    refs = _references(tb)
    keys = [{"@id": f"{tb.name}/{k}"} for k in tb.primary_key]
    return {
        "@type": "cr:RecordSet", "@id": tb.name, "name": tb.name, "description": tb.description,
        "key": keys[0] if len(keys) == 1 else keys,
        "field": [_field(tb, c, fmt, refs, parted) for c in columns(tb) + alias_columns(tb, renamed)],
    }


def _published(folder: Path, source_format: str) -> list[tuple[Table, tuple[str, ...], str]]:
    """(table, its file formats, the format its record set reads) for every table file of the release."""
    out = [(tb, ("csv", "parquet"), source_format) for tb in TABLES]
    if (folder / _file_id(CHANGES.name, "csv")).exists():
        out.append((CHANGES, ("csv",), "csv"))
    return out


def bibtex(version: str, date: str | None = None) -> str:
    """The dataset's BibTeX entry: the year and date of publication when the release has one (``date``), the DOI
    and address when dataset.toml gives them."""
    a = about()
    lines = [f"  title = {{{{{a['title']}}}}}", f"  author = {{{{{a['creator']['name']}}}}}",
             f"  version = {{{version}}}"]
    if date:
        lines += [f"  year = {{{date[:4]}}}", f"  date = {{{date}}}"]
    if link("doi"):
        lines.append(f"  doi = {{{link('doi')}}}")
    if link("homepage"):
        lines.append(f"  howpublished = {{\\url{{{link('homepage')}}}}}")
    lines.append(f"  note = {{Version {version}, licensed {a['license']['name']}}}")
    return f"@misc{{{a['citation']['bibtex_key']},\n" + ",\n".join(lines) + "\n}"


def _database(folder: Path, digest: Digests) -> list[dict]:
    """The FileObject of the SQLite database, in a release that has one (from the first after 0.1.6)."""
    path = folder / sqlite.database_name()
    if not path.is_file():
        return []
    return [{"@type": "cr:FileObject", "@id": path.name, "name": path.name,
             "description": "Every table of the release (and its changes) in one SQLite database, typed and keyed as "
                            "the record sets here; browse it with `datasette " + path.name + "`.",
             "contentUrl": path.name, "contentSize": f"{path.stat().st_size} B",
             "encodingFormat": sqlite.MEDIA_TYPE, "sha256": digest(path)}]


def croissant(folder: Path, version: str, renamed: tuple[Rename, ...] = (), digest: Digests = sha256_file,
              date: str | None = None) -> dict:
    """The Croissant JSON-LD of the release in ``folder`` (its table files and database must already be written);
    ``renamed``: the renames whose deprecated alias columns the files carry; ``date``: the publication date."""
    return _croissant(folder, version, SOURCE_FORMAT, renamed, digest, date)


def _croissant(folder: Path, version: str, source_format: str, renamed: tuple[Rename, ...] = (),
               digest: Digests = sha256_file, date: str | None = None) -> dict:
    a = about()
    published = _published(folder, source_format)
    creator = {"@type": "sc:Organization", "name": a["creator"]["name"]}
    if link("creator", "url"):
        creator["url"] = link("creator", "url")
    out = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": a["name"],
        "description": a["description"],
        "conformsTo": CONFORMS_TO,
        "citeAs": bibtex(version, date),
        "creator": creator,
    }
    if date:
        out["datePublished"] = date
    out |= {"inLanguage": a["language"], "keywords": a["keywords"], "license": a["license"]["path"]}
    if doi_url():
        out["sameAs"] = doi_url()
    if link("homepage"):
        out["url"] = link("homepage")
    out |= {
        "version": version,
        "distribution": [_file_object(folder, tb.name, fmt, digest) for tb, fmts, _ in published for fmt in fmts]
                        + _database(folder, digest),
        "recordSet": [_record_set(tb, fmt, renamed, is_parted(folder, tb.name)) for tb, _, fmt in published],
    }
    return out


def write_croissant(folder: Path, version: str, renamed: tuple[Rename, ...] = (), date: str | None = None) -> None:
    """Write ``folder``/croissant.json: same files, version and date, same bytes."""
    text = json.dumps(croissant(folder, version, renamed, date=date), ensure_ascii=False, indent=2)
    (folder / "croissant.json").write_text(text + "\n", encoding="utf-8", newline="")
