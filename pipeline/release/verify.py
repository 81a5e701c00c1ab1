"""Checks of a whole release folder beyond its tables (``schemas.validate.validate_release``): the files a release
has and no others; its metadata files (datapackage.json, croissant.json, CITATION.cff, the card's figures) against
what the schemas and its own tables say they must say, regenerated and compared; its SQLite database (tables,
columns and rows of the table files) and its zip (every file of the release, byte for byte); and the hash chain: each release's
datapackage.json records the SHA-256 of the previous release's SHA256SUMS, so an old release changed after the next
one was published shows even with its own checksums rewritten. ``python -m pipeline validate`` runs them (``--all``:
every release of a dist folder and the chain between them); so does ``publish`` before it renames a build into place.
"""
from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.release.about import about
from pipeline.release.archive import archive_failures, archive_name, in_zip
from pipeline.release.croissant import croissant
from pipeline.release.datapackage import CHAIN_KEY, descriptor
from pipeline.release.dates import date_of
from pipeline.release.sqlite import database_failures, database_name
from pipeline.release.versioning import LINK, PAGE, VERSION_DIR, pending, scan
from pipeline.release.quotes import value_failures
from schemas.crosscheck import Failure
from schemas.layout import has_table, is_table_file, parquet_rows, read_table, release_files, table_files
from schemas.registry import CHANGES, SCHEMA_KEY, TABLES, Rename
from schemas.validate import (as_published, damaged, declared_aliases, read_checksums, read_csv_text, read_json,
                              resources_of, sha256_file, validate_release)

SUMS = "SHA256SUMS"
METADATA = ("datapackage.json", "README.md", "CHANGELOG.md", SUMS)
# Files that came with the row-level changes (0.1.4 of the committed dist): a release whose datapackage.json describes
# changes.csv has them all; the releases before it (committed v0.1.0-v0.1.3) have none of them.
WITH_CHANGES = ("croissant.json", "CITATION.cff", f"{CHANGES.name}.csv")
# What the regenerated metadata is not compared on: prose and links that are rewritten as the project goes on
# (descriptions, title, homepage, keywords, the citation text, the DOI); and vocabularies, which grow: every value of the
# tables must be in the vocabulary the release's own datapackage.json declares (checked against the values instead).
PROSE = {"description", "title", "homepage", "keywords", "citeAs", "creator", "url", "id", "sameAs"}
_UNSET = object()


def expected_files(pkg: dict | None) -> set[str]:
    """Every file a release has besides its tables' files, given its datapackage.json (None: missing, so the
    current layout)."""
    names = {r.get("name") for r in (pkg or {}).get("resources", []) if isinstance(r, dict)}
    out = set(METADATA) | (set(WITH_CHANGES) if pkg is None or CHANGES.name in names else set())
    return out | set(downloads(pkg))


def downloads(pkg: dict | None) -> tuple[str, ...]:
    """The SQLite database and the zip, in a release whose datapackage.json describes the database (none up to
    0.1.6)."""
    paths = {r.get("path") for r in (pkg or {}).get("resources", [])
             if isinstance(r, dict) and isinstance(r.get("path"), str)}   # a table in parts: a list
    if database_name() not in paths:
        return ()
    return database_name(), archive_name(str(pkg.get("version")))


def layout_failures(folder: Path, pkg: dict | None) -> list[Failure]:
    """Files that are there but no part of the release, files a release has that SHA256SUMS does not list, and files
    a release has that are missing (table files, one per table or a folder of parts, are ``validate_release``'s)."""
    listed = read_checksums(folder) or {}
    present = set(release_files(folder))
    expected, tables = expected_files(pkg), {tb.name for tb in TABLES}

    def belongs(name: str) -> bool:
        return name in expected or is_table_file(name, tables)

    out = []
    for name in sorted(present - set(listed) - {SUMS}):
        why = ("not listed in SHA256SUMS: its checksum is missing" if belongs(name) else
               "unexpected file: not listed in SHA256SUMS, so not part of the release (remove it)")
        out.append(Failure(name, "", None, why, name))
    out += [Failure(name, "", None, "listed in SHA256SUMS but not a file a release has (remove it and its line)", name)
            for name in sorted(n for n in listed if not belongs(n))]
    out += [Failure(name, "", None, "missing: every release has this file (restore it from a good copy)", name)
            for name in sorted(expected - present)]
    return out


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 120 else text[:117] + "..."


def differences(actual, expected, where: str, prose: set[str] = PROSE) -> Iterator[tuple[str, str]]:
    """(where, what) for every place ``actual`` says something other than ``expected``, prose and vocabularies left
    out; lists of named objects (resources, fields, record sets) are compared by name and order."""
    if isinstance(actual, dict) and isinstance(expected, dict):
        for key in [*expected, *(k for k in actual if k not in expected)]:
            if key in prose or key == "enum":
                continue
            here = f"{where}.{key}"
            if key not in actual:
                yield here, f"missing (should be {_short(expected[key])})"
            elif key not in expected:
                yield here, f"{_short(actual[key])} (nothing should be there)"
            else:
                yield from differences(actual[key], expected[key], here, prose)
        return
    if isinstance(actual, list) and isinstance(expected, list) and _named(actual) and _named(expected):
        names_a, names_e = [_name(x) for x in actual], [_name(x) for x in expected]
        if names_a != names_e:
            yield where, f"{_short(names_a)} (should be {_short(names_e)})"
        by_name = dict(zip(names_a, actual))
        for name, item in zip(names_e, expected):
            if name in by_name:
                yield from differences(by_name[name], item, f"{where}[{name}]", prose)
        return
    if actual != expected:
        yield where, f"{_short(actual)} (should be {_short(expected)})"


def _named(items: list) -> bool:
    return bool(items) and all(isinstance(x, dict) and ("name" in x or "@id" in x) for x in items)


def _name(item: dict) -> str:
    return str(item.get("@id", item.get("name")))


def _tables(folder: Path) -> dict[str, tuple[int, list[str]]]:
    """(rows, columns) of each table file that can be read (Parquet footers; changes.csv is read), each read once."""
    out = {}
    for tb in TABLES:
        try:
            files = table_files(folder, tb.name, "parquet")
            if files:
                out[tb.name] = (parquet_rows(files), pq.read_schema(files[0]).names)
        except Exception:  # missing or damaged: named by validate_release
            continue
    try:
        changes = read_csv_text(folder / f"{CHANGES.name}.csv")
        out[CHANGES.name] = (len(changes), list(changes.columns))
    except Exception:  # releases before 0.1.4 have none; a damaged one is named by validate_release
        pass
    return out


def _rows(folder: Path) -> dict[str, int]:
    """Rows of each table file that can be read."""
    return {name: rows for name, (rows, _) in _tables(folder).items()}


def _enum_failures(folder: Path, pkg: dict) -> list[Failure]:
    """Every value of a column with a vocabulary in the release's datapackage.json is in that vocabulary."""
    out = []
    for r in pkg.get("resources", []):
        fields = {f.get("name"): f.get("constraints", {}).get("enum") for f in (r.get("schema") or {}).get("fields", [])
                  if isinstance(f, dict) and isinstance(f.get("constraints"), dict)}
        fields = {k: v for k, v in fields.items() if isinstance(v, list)}
        if not fields or not has_table(folder, str(r.get("name"))):
            continue
        try:
            df = read_table(folder, str(r.get("name")), columns=list(fields))
        except Exception:  # damaged or without these columns: named by validate_release
            continue
        for col, allowed in fields.items():
            bad = ~df[col].astype(str).isin([str(a) for a in allowed])
            for pos in bad.to_numpy().nonzero()[0][:20]:
                out.append(Failure("datapackage.json", f"resources[{r['name']}].schema.fields[{col}]", int(pos),
                                   "table value outside the vocabulary declared here", str(df[col].iat[pos])))
    return out


def _renamed(folder: Path) -> tuple[Rename, ...]:
    return tuple(Rename(t, alias, target) for t, cols in declared_aliases(folder).items()
                 for alias, target in cols.items())


def _metadata_failure(file: str, where: str, what: str) -> Failure:
    return Failure(file, where.lstrip("."), None, "differs from what the schemas and the release's tables say", what)


def _earlier_schema(folder: Path, pkg: dict) -> bool:
    """Whether the release was published under an earlier schema than today's models (other columns or keys in a
    table it declares: 0.1.x's panel keyed by document): what it declares cannot be regenerated from today's models."""
    resources = resources_of(pkg)
    return any(as_published(tb, resources[tb.name], pkg.get(SCHEMA_KEY)) is not tb
               for tb in TABLES if tb.name in resources)


def _without_schemas(doc: dict) -> dict:
    """A copy of a datapackage.json or croissant.json without what the models generate (the schema version, each
    resource's schema, each record set's fields and key)."""
    out = {k: v for k, v in doc.items() if k != SCHEMA_KEY}
    if isinstance(out.get("resources"), list):
        out["resources"] = [{k: v for k, v in r.items() if k != "schema"} if isinstance(r, dict) else r
                            for r in out["resources"]]
    if isinstance(out.get("recordSet"), list):
        out["recordSet"] = [{k: v for k, v in r.items() if k not in ("field", "key")} if isinstance(r, dict) else r
                            for r in out["recordSet"]]
    return out


def earlier_schema_failures(folder: Path, pkg: dict) -> list[Failure]:
    """For a release of an earlier schema: each table's declared fields are its Parquet file's columns, in order."""
    out = []
    for name, r in resources_of(pkg).items():
        fields = [f.get("name") for f in (r.get("schema") or {}).get("fields", []) if isinstance(f, dict)]
        files = table_files(folder, name, "parquet")
        if not fields or not files:
            continue
        try:
            columns = pq.read_schema(files[0]).names
        except Exception:  # damaged: named by validate_release
            continue
        if fields != columns:
            out.append(_metadata_failure("datapackage.json", f"resources[{name}].schema.fields",
                                         f"{_short(fields)} (the table's columns are {_short(columns)})"))
    return out


def metadata_failures(folder: Path, digest) -> list[Failure]:
    """datapackage.json and croissant.json regenerated from the schemas and the release's own tables (rows, sizes,
    SHA-256, types, keys, licence, version) and compared; CITATION.cff's and the card's version, licence and row
    counts."""
    out: list[Failure] = []
    pkg_path = folder / "datapackage.json"
    pkg = read_json(pkg_path)
    if pkg is None:
        return [damaged(pkg_path.name, ValueError("not a JSON object"))] if pkg_path.exists() else []
    name = f"v{pkg.get('version')}"
    if VERSION_DIR.match(folder.name) and name != folder.name:
        out.append(_metadata_failure("datapackage.json", "version", f"{pkg.get('version')!r} in folder {folder.name}"))
    rows, renamed = _rows(folder), _renamed(folder)
    tables = {r: n for r, n in rows.items() if has_table(folder, r, "csv")}
    chain = pkg.get(CHAIN_KEY)
    date = date_of(pkg)
    try:
        expected = descriptor(folder, str(pkg.get("version")), tables, renamed,
                              chain if isinstance(chain, dict) else None, digest, date)
    except Exception as err:  # a table file the descriptor reads is unreadable: named by validate_release
        return out + [damaged("datapackage.json", err)]
    earlier = _earlier_schema(folder, pkg)
    if earlier:   # the schema part is checked against the release's own tables, not regenerated from today's models
        out += earlier_schema_failures(folder, pkg)
        pkg, expected = _without_schemas(pkg), _without_schemas(expected)
    out += [_metadata_failure("datapackage.json", w, what) for w, what in differences(pkg, expected, "")]
    out += _enum_failures(folder, pkg)
    jsonld_path = folder / "croissant.json"
    jsonld = read_json(jsonld_path)
    if jsonld is None and jsonld_path.exists():
        out.append(damaged(jsonld_path.name, ValueError("not a JSON object")))
    elif jsonld is not None:
        try:
            expected_ld = croissant(folder, str(pkg.get("version")), renamed, digest, date)
        except Exception as err:
            return out + [damaged("croissant.json", err)]
        if earlier:
            jsonld, expected_ld = _without_schemas(jsonld), _without_schemas(expected_ld)
        out += [_metadata_failure("croissant.json", w, what) for w, what in differences(jsonld, expected_ld, "")]
    out += _text_failures(folder, str(pkg.get("version")), rows, date)
    return out


def _text_failures(folder: Path, version: str, rows: dict[str, int], date: str | None = None) -> list[Failure]:
    """The version, publication date, licence and row counts the human-readable files state."""
    out, lic = [], about()["license"]
    cff = folder / "CITATION.cff"
    if cff.is_file():
        text = cff.read_text("utf-8", errors="replace")
        for key, value in (("version", version), ("license", lic["name"])):
            if not re.search(rf'^{key}: {re.escape(json.dumps(value))}$', text, flags=re.M):
                out.append(_metadata_failure("CITATION.cff", key, f"should be {value}"))
        stated = re.search(r'^date-released: "([^"]*)"$', text, flags=re.M)
        if (stated.group(1) if stated else None) != date:
            out.append(_metadata_failure("CITATION.cff", "date-released",
                                         f"{stated.group(1) if stated else 'none'} (datapackage.json: "
                                         f"{date or 'none'})"))
    card = folder / "README.md"
    if card.is_file():
        text = card.read_text("utf-8", errors="replace")
        if not re.search(rf"^# .* — v{re.escape(version)}$", text, flags=re.M):
            out.append(_metadata_failure("README.md", "title", f"does not name version {version}"))
        for tb in TABLES:
            m = re.search(rf"^\| \[`{tb.name}`\]\(#{tb.name}\) \| (\d+) \|", text, flags=re.M)
            if tb.name in rows and (m is None or int(m.group(1)) != rows[tb.name]):
                out.append(_metadata_failure("README.md", f"rows of {tb.name}",
                                             f"{m.group(1) if m else 'none'} (the table has {rows[tb.name]})"))
        if lic["path"] not in text:
            out.append(_metadata_failure("README.md", "licence", f"does not give {lic['name']} ({lic['path']})"))
    log = folder / "CHANGELOG.md"
    if log.is_file():
        m = re.search(r"^## (\S+)", log.read_text("utf-8", errors="replace"), flags=re.M)
        if m is None or m.group(1) != version:
            out.append(_metadata_failure("CHANGELOG.md", "version",
                                         f"{m.group(1) if m else 'none'} (should be {version})"))
    return out


def download_failures(folder: Path, pkg: dict | None, digest, trusted: Collection[str] = ()) -> list[Failure]:
    """The SQLite database against the table files (tables, columns, rows), and the zip against the release's files
    (every file SHA256SUMS lists that the zip holds, byte for byte; ``trusted``: shared with the previous release,
    whose zip's members they are)."""
    if not downloads(pkg):
        return []
    version = str(pkg.get("version"))
    listed = in_zip(read_checksums(folder) or {}, folder, version)
    tables = _tables(folder)
    return (database_failures(folder, {n: r for n, (r, _) in tables.items()}, {n: c for n, (_, c) in tables.items()})
            + archive_failures(folder, version, listed, digest, trusted))


def chain_failures(folder: Path, previous) -> list[Failure]:
    """The chain entry of ``folder``'s datapackage.json against the release it follows: ``previous`` (publishing:
    the release the build follows, or None for a first release) or, when not given, the folder of that version
    beside it if there is one (a release checked alone cannot check its entry)."""
    pkg = read_json(folder / "datapackage.json")
    if pkg is None:
        return []
    entry = pkg.get(CHAIN_KEY)
    if previous is _UNSET:
        if not isinstance(entry, dict):
            return []
        previous = folder.parent / f"v{entry.get('version')}"
        if not previous.is_dir():
            return []
    if previous is None:
        return [] if entry is None else [Failure("datapackage.json", CHAIN_KEY, None,
                                                 "a first release follows no release", _short(entry))]
    return _link_failures(folder, entry, previous)


def _link_failures(folder: Path, entry, previous: Path) -> list[Failure]:
    where = f"{folder.name}/datapackage.json"
    if not isinstance(entry, dict):
        return [Failure(where, CHAIN_KEY, None, f"missing: the release follows {previous.name} and must record the "
                        f"SHA-256 of its SHA256SUMS", "")]
    sums = previous / SUMS
    actual = sha256_file(sums) if sums.is_file() else "(no SHA256SUMS)"
    out = []
    if f"v{entry.get('version')}" != previous.name:
        out.append(Failure(where, CHAIN_KEY, None, f"names {entry.get('version')}, but the release it follows is "
                           f"{previous.name}", _short(entry)))
    elif entry.get("sha256") != actual:
        out.append(Failure(where, CHAIN_KEY, None, f"{previous.name}/SHA256SUMS changed after this release was "
                           f"published (recorded {entry.get('sha256')}, now {actual}): {previous.name} was altered; "
                           f"restore it from a good copy", str(sums)))
    return out


def verify_release(folder: Path, previous=_UNSET, chain: bool = True,
                   trusted: Mapping[str, str] | None = None, checked: Mapping[str, str] | None = None) -> list[Failure]:
    """Everything wrong with a release folder: its tables (``validate_release``), its files, its metadata and (unless
    not ``chain``) its link in the hash chain (see ``chain_failures`` for ``previous``). Each file is hashed once.
    ``trusted``: {file name: SHA-256} of parts shared with the previous release, which was validated with them
    (publishing: ``pipeline.release.parts``); they are not read again, but the keys and references of their rows
    are checked with every other row. ``checked``: {file name: SHA-256} of parts this build wrote and checked as
    written (``pipeline.release.write_parts``): their rows are not read again either, only their keys and references."""
    folder = Path(folder)
    if not folder.is_dir():
        return [Failure(str(folder), "", None, "not a folder", str(folder))]
    trusted, known = trusted or {}, {**(trusted or {}), **(checked or {})}
    digests = {name: known.get(name) or sha256_file(folder / name) for name in release_files(folder)}

    def digest(path: Path) -> str:
        try:
            name = path.relative_to(folder).as_posix()
        except ValueError:
            return sha256_file(path)
        return digests[name] if name in digests else sha256_file(path)

    pkg = read_json(folder / "datapackage.json")
    # The database's and the zip's checks are SQLite's and zlib's work, which let go of the GIL: they run in a thread
    # meanwhile (10,000 documents: integrity_check 9.7 s, the zip's members 3.7 s, beside 17.6 s of table checks).
    with ThreadPoolExecutor(1) as background:
        downloads = background.submit(download_failures, folder, pkg, digest, trusted)
        out = validate_release(folder, digest, (value_failures,), set(known)) + layout_failures(folder, pkg)
        out += metadata_failures(folder, digest)
        out += downloads.result()
    return out + (chain_failures(folder, previous) if chain else [])


@dataclass
class DistReport:
    """``verify_dist``'s verdict: failures per release folder, the chain, and what else is in the dist folder."""

    failures: dict[str, list[Failure]] = field(default_factory=dict)   # folder name -> failures ([] valid)
    chain: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)                     # what a person should know, not failures

    @property
    def valid(self) -> bool:
        return not self.chain and not any(self.failures.values())


def verify_dist(dist: Path) -> DistReport:
    """Every vX.Y.Z folder of ``dist`` (complete or not), dist/latest, and the hash chain: once a release records its
    predecessor's SHA256SUMS, every later release must, each the one just before it."""
    report = DistReport()
    folders = sorted((tuple(map(int, m.groups())), p) for p in dist.iterdir()
                     if (m := VERSION_DIR.match(p.name)) and p.is_dir() and not p.is_symlink())
    for _, folder in folders:
        report.failures[folder.name] = verify_release(folder, chain=False)
    unchained, before, started = [], None, None
    for _, folder in folders:
        if not (folder / SUMS).is_file():   # no release at all (named above): nothing to chain
            continue
        entry = (read_json(folder / "datapackage.json") or {}).get(CHAIN_KEY)
        if entry is None and started is None:
            unchained.append(folder.name)
        elif before is None:
            report.chain.append(Failure(f"{folder.name}/datapackage.json", CHAIN_KEY, None,
                                        "names a release before it, but there is none", _short(entry)))
        else:
            started = started or folder.name
            report.chain += _link_failures(folder, entry, before)
        before = folder
    if unchained:
        report.notes.append(f"{', '.join(unchained)}: no hash-chain entry (published before the chain started, or the "
                            f"first release); checked by their own SHA256SUMS only")
    found = scan(dist)
    report.notes += list(found.warnings)
    if found.latest is not None:
        behind = pending(dist, found.latest)
        if behind:
            report.chain.append(Failure(f"{LINK}, {PAGE}", "", None, f"not up to date with the newest complete release "
                                        f"{found.latest.name}: {behind} (the next `release` run brings them up to "
                                        f"date)", ""))
        report.notes.append(f"SHA-256 of {found.latest / SUMS}: {sha256_file(found.latest / SUMS)} (the newest "
                            f"release has no successor to vouch for it: keep this value elsewhere, e.g. in git)")
    return report
