"""Deciding a new release's version by comparing it with the previous one (semantic versioning for
data): major when a column is removed, renamed or retyped or a table disappears; minor when
documents, tables or columns are added (or documents removed); patch when only values changed.
Which folders of dist/ are releases at all (``scan``): only complete ones.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path


from pipeline.release.parts import recorded_digests
from schemas.layout import is_parted, read_table
from schemas.registry import CHANGES, Rename
from schemas.validate import ALIAS_KEY, checksum_failures, read_checksums, read_json, sha256_file

FIRST_VERSION = "0.1.0"
VERSION_DIR = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Shape:
    """What versioning compares: each table's typed columns, and the documents covered."""

    columns: dict[str, tuple[tuple[str, str], ...]]   # table -> ((column, type), ...), aliases excluded
    doc_ids: frozenset[str]
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # table -> deprecated alias columns
    in_parts: frozenset[str] = frozenset()   # tables published as a folder of parts (schemas.layout), not one file


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
    # tables whose files became a folder of parts, or one file again: a reader that opens <table>.csv as a file
    # must change (pandas and pyarrow read <table>.parquet either way)
    tables_reshaped: tuple[str, ...] = ()

    @property
    def breaking(self) -> bool:
        return bool(self.tables_removed or self.columns_removed or self.columns_retyped or self.renamed
                    or self.tables_reshaped)

    @property
    def additive(self) -> bool:
        return bool(self.tables_added or self.columns_added or self.documents_added or self.documents_removed)


def shape_of_release(folder: Path) -> Shape:
    pkg = json.loads((folder / "datapackage.json").read_text("utf-8"))
    cols, aliases = {}, {}
    for r in pkg["resources"]:
        if r["name"] == CHANGES.name or "schema" not in r:   # the changes, the database and the zip: no tables
            continue
        fields = r["schema"]["fields"]
        cols[r["name"]] = tuple((f["name"], f["type"]) for f in fields if ALIAS_KEY not in f)
        aliases[r["name"]] = tuple(f["name"] for f in fields if ALIAS_KEY in f)
    docs = read_table(folder, "documents", columns=["doc_id"])["doc_id"]
    return Shape(cols, frozenset(docs), {k: v for k, v in aliases.items() if v},
                 frozenset(name for name in cols if is_parted(folder, name)))


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
        documents_removed=tuple(sorted(old.doc_ids - new.doc_ids)),
        tables_reshaped=tuple(sorted((old.in_parts ^ new.in_parts) & set(old.columns) & set(new.columns))))


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


# What a dist folder holds besides its releases: the link, the page, and (hidden) the files of tools and of
# interrupted builds (build folders, the link and page being swapped in, the build lock).
LINK, PAGE = "latest", "index.html"
LEAVE_UNCHECKED = "Not counted as a release, and left alone"


def _incomplete(folder: Path) -> str | None:
    """Why ``folder`` is not a complete release, checked without reading the files through (None: it looks
    complete): SHA256SUMS lists its files, each exists with the size its datapackage.json and croissant.json give,
    each Parquet file has both its magic numbers, and datapackage.json names this version."""
    sums = read_checksums(folder)
    if not sums:
        return "no SHA256SUMS" if sums is None else "SHA256SUMS lists no file"
    missing = [n for n in sums if not (folder / n).is_file()]
    if missing:
        return f"{len(missing)} file(s) listed in SHA256SUMS missing ({', '.join(missing[:3])})"
    pkg = read_json(folder / "datapackage.json")
    if pkg is None or "datapackage.json" not in sums:
        return "no readable datapackage.json listed in SHA256SUMS"
    if f"v{pkg.get('version')}" != folder.name:
        return f"its datapackage.json says version {pkg.get('version')!r}"
    sizes = {r.get("path"): r.get("bytes") for r in pkg.get("resources", [])   # a table in parts has none
             if isinstance(r, dict) and isinstance(r.get("path"), str) and r.get("bytes") is not None}
    jsonld = read_json(folder / "croissant.json") if "croissant.json" in sums else None
    for f in (jsonld or {}).get("distribution", []):
        if isinstance(f, dict) and str(f.get("contentSize", "")).endswith(" B"):
            sizes.setdefault(f.get("contentUrl"), f["contentSize"][:-2])
    for name in sums:
        size = (folder / name).stat().st_size
        if name in sizes and str(sizes[name]) != str(size):
            return f"{name} has {size} bytes, its metadata says {sizes[name]}"
        if name.endswith(".parquet"):
            with (folder / name).open("rb") as f:
                head = f.read(4)
                f.seek(max(size - 4, 0))
                if head != b"PAR1" or f.read(4) != b"PAR1":
                    return f"{name} is cut short (no Parquet footer)"
    return None


_VERIFIED: dict[tuple, bool] = {}


def _verifies(folder: Path) -> list[str]:
    """The files of ``folder`` whose SHA-256 differs from its SHA256SUMS (read through; remembered while the files
    keep their size and time, so that a run reads a release once however often it asks)."""
    sums = read_checksums(folder) or {}
    stamp = tuple((n, st.st_size, st.st_mtime_ns, st.st_ino) for n in ["SHA256SUMS", *sums]
                  for st in [(folder / n).stat()])
    if _VERIFIED.get((folder, stamp)):
        return []
    # the release a build of this dist folder published last: its files still the ones recorded are not read again
    # (10,000 documents: a release of about 4 GB, 3 s of SHA-256 on every build)
    known = recorded_digests(folder)
    bad = [f.table for f in checksum_failures(folder, lambda p: known.get(p.relative_to(folder).as_posix())
                                              or sha256_file(p))]
    if not bad:
        _VERIFIED[(folder, stamp)] = True
    return bad


@dataclass(frozen=True)
class DistScan:
    """What a dist folder holds: its complete releases (oldest first), the newest of them whose files verify against
    its SHA256SUMS (the one the next release is compared with), and what else is there, said for a person to act on."""

    releases: tuple[tuple[tuple[int, int, int], Path], ...]
    latest: Path | None
    warnings: tuple[str, ...] = ()
    broken: dict[str, str] = field(default_factory=dict)   # vX.Y.Z folder name -> why it is no release


def scan(dist: Path) -> DistScan:
    """Only complete releases count: every vX.Y.Z folder gets the cheap check (``_incomplete``), and the newest that
    passes it is read through against its SHA256SUMS (an older one only when the newer fails). Reading every release
    through on every build would cost the whole history's bytes (≈ 1.3 GB/s of SHA-256 on this kind of machine: 0.1 s
    for a 130 MB release, but 100 releases would be 10 s); the others are checked by listing and size only.
    Anything else in dist/ is named in ``warnings`` and left alone."""
    found, warnings, broken = [], [], {}
    if not dist.is_dir():
        return DistScan((), None)
    for p in sorted(dist.iterdir()):
        m = VERSION_DIR.match(p.name)
        if m and p.is_dir() and not p.is_symlink():
            why = _incomplete(p)
            if why is None:
                found.append((tuple(map(int, m.groups())), p))
            else:
                broken[p.name] = why
        elif p.name.startswith(".") or p.name in (LINK, PAGE):
            continue
        else:
            warnings.append(f"{p} is not a release (no vX.Y.Z folder): left alone; move it out of {dist} if it is "
                            f"not meant to be published there")
    found.sort()
    newest = None
    for version, p in reversed(found):
        bad = _verifies(p)
        if not bad:
            newest = p
            break
        broken[p.name] = f"SHA-256 of {', '.join(bad[:3])} differs from its SHA256SUMS"
    complete = tuple((v, p) for v, p in found if p.name not in broken)
    for name, why in sorted(broken.items()):
        warnings.append(f"{dist / name} is not a complete release ({why}). {LEAVE_UNCHECKED}: restore it from a "
                        f"complete copy, or delete it if it is a leftover")
    return DistScan(complete, newest, tuple(warnings), broken)


def releases(dist: Path) -> list[tuple[tuple[int, int, int], Path]]:
    """Complete release folders, oldest first (see ``scan``)."""
    return list(scan(dist).releases)


def latest(dist: Path) -> Path | None:
    """The newest complete release folder whose files verify. A folder only gets its vX.Y.Z name after it was fully
    written and validated, so the newest one is complete even when a run was killed before it could move
    dist/latest to it (``publish`` repairs the link); a vX.Y.Z folder put there by other means (a copy cut short,
    an empty folder) is not a release (``scan``)."""
    return scan(dist).latest


def pending(dist: Path, folder: Path) -> str:
    """What of dist/ does not show the release in ``folder`` yet: the link, the page ('' when both do)."""
    link, page, out = dist / LINK, dist / PAGE, []
    if link.is_symlink():
        if os.readlink(link) != folder.name:
            out.append(f"{link} still points at {os.readlink(link)}")
    elif link.exists():
        out.append(f"{link} is a folder (or file), not a link: left alone, so it does not point at {folder.name}")
    else:
        out.append(f"{link} is missing")
    try:
        listed = f'id="{folder.name}"' in page.read_text("utf-8")
    except (OSError, ValueError):
        listed = False
    if not listed:
        out.append(f"{page} does not list {folder.name} yet")
    return " and ".join(out)
