"""Atomic publishing of a release: write every file into a temporary folder inside dist/, validate
that folder exactly as a user would (``pipeline.release.verify.verify_release``), then rename it to
dist/vX.Y.Z and swap the dist/latest link. A failure before the rename leaves earlier releases untouched
(``PublishError``); a failure after it leaves the new release published and says what is not up to date yet
(``PartlyPublished``), which the next run completes. Only complete releases count (``versioning.scan``); anything
else in dist/ is named and left alone. A new version is dated the day it is published (``dates``); a build that
turns out to be the previous release again is rebuilt under that release's own date, so it compares byte for byte.
"""
from __future__ import annotations

import filecmp
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path

import pandas as pd

from pipeline.release.archive import archive_name, write_archive
from pipeline.release.card import FACT_TABLES, render_card, table_facts
from pipeline.release.changelog import render_changelog
from pipeline.release.citation import render_citation
from pipeline.release.croissant import write_croissant
from pipeline.release.datapackage import write_datapackage
from pipeline.release.dates import publication_date, recorded_date
from pipeline.release.diff import TableDiff, change_rows, diff_table, previous_table
from pipeline.release.files import write_checksums, write_csv, write_text
from pipeline.release.page import write_index
from pipeline.release.parts import (RECORD as PARTS_RECORD, Part, PartsRecord, batches_of, part_key, publishing_version, share,
                                    split_frame, still_the_same)
from pipeline.release.quality import Score
from pipeline.release.sqlite import write_database
from pipeline.release.verify import verify_release
from pipeline.release.write_parts import COMPRESSED, file_names, write_all, write_part
from pipeline.release.versioning import (FIRST_VERSION, LINK, PAGE, SchemaChanges, Shape, compare, next_version,
                                         pending, releases, scan, shape_of_release)
from schemas import frames as frames_mod
from schemas import registry
from schemas.crosscheck import Failure
from schemas.dictionary import dictionary
from schemas.layout import parquet_rows, relative, release_files, table_files
from schemas.registry import CHANGES, TABLES
from schemas.validate import read_checksums, trim_heap

BUILD_PREFIX = ".building-"
COPY_PREFIX = ".latest.copy-"   # a copied dist/latest folder on its way out (replaced by the link)
CITATION_FILE = "CITATION.cff"  # in each release; `make dataset` copies dist/latest's to the repository root


def _warning_lines(warnings: tuple[str, ...]) -> str:
    return "".join(f"\n  warning: {w}" for w in warnings)


class PublishError(Exception):
    """The release was not published and dist/ is as it was; ``failures`` says why, table by table."""

    def __init__(self, failures: list[Failure], warnings: tuple[str, ...] = ()):
        self.failures, self.warnings = failures, warnings
        shown = "\n".join(f"  - {f}" for f in failures[:30])
        more = f"\n  ... and {len(failures) - 30} more" if len(failures) > 30 else ""
        super().__init__(f"release not published: {len(failures)} failure(s); "
                         f"the previous release is untouched\n{shown}{more}{_warning_lines(warnings)}")


class LatestNotALink(OSError):
    """dist/latest is a folder or file of someone's (not a copy of a release): it is left alone."""


class PartlyPublished(Exception):
    """The release in ``folder`` is published (complete, validated, renamed into place; ``status`` "published"), or
    was already (``status`` "unchanged"), but dist/latest or dist/index.html could not be brought up to date; the
    message says which, and why. Nothing to undo: the next run completes it."""

    def __init__(self, status: str, dist: Path, folder: Path, cause: BaseException, warnings: tuple[str, ...] = ()):
        self.status, self.version, self.folder, self.cause = status, folder.name.removeprefix("v"), folder, cause
        self.warnings = warnings
        behind = pending(dist, folder)
        done = (f"published {folder.name} at {folder} (complete and valid)" if status == "published" else
                f"nothing new to publish ({folder.name} already holds this build)")
        why = f"{type(cause).__name__}: {cause}"
        super().__init__(f"{done}, but {behind or 'publishing stopped after the release was in place'}: {why}. "
                         f"Nothing to undo: once that is fixed, the next run brings {dist / LINK} and {dist / PAGE} "
                         f"up to date (and publishes nothing new).{_warning_lines(warnings)}")


@dataclass(frozen=True)
class PublishResult:
    status: str                 # "published" | "unchanged"
    version: str
    folder: Path
    rows: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()   # what else is in dist/ (not a release, left alone) or was repaired


def _version_of(folder: Path) -> str:
    return json.loads((folder / "datapackage.json").read_text("utf-8"))["version"]


def _build_shape(documents: pd.DataFrame) -> Shape:
    return Shape({n: tuple((c.name, c.type) for c in cols) for n, cols in dictionary().items()},
                 frozenset(documents["doc_id"]), in_parts=frozenset(tb.name for tb in TABLES if not tb.whole))


def _changes(previous: Path | None, documents: pd.DataFrame) -> SchemaChanges | None:
    """How the build's shape differs from the release in ``previous`` (None when there is none)."""
    if previous is None:
        return None
    return compare(shape_of_release(previous), _build_shape(documents), registry.RENAMES)


def _renamed(changes: SchemaChanges | None) -> tuple:
    return changes.renamed if changes else ()


@dataclass
class Written:
    """What a release's other files need from its tables, gathered while each table was written: rows per table,
    the card's facts and the row-level differences from the previous release; the key of each part file written
    or shared (``pipeline.release.parts``) and the SHA-256 of each part shared with the previous release; the SHA-256
    of each part written and checked as written (``pipeline.release.write_parts``), and the failures found."""
    rows: dict[str, int] = field(default_factory=dict)
    facts: dict = field(default_factory=dict)
    diffs: list[TableDiff] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)
    shared: dict[str, str] = field(default_factory=dict)
    checked: dict[str, str] = field(default_factory=dict)   # parts written and checked as written: their SHA-256
    failures: list[Failure] = field(default_factory=list)   # what checking them found
    compressed: list[Path] = field(default_factory=list)    # their files compressed for the zip


@dataclass(frozen=True)
class Sharing:
    """What a build may share with the previous release: the parts recorded when it was published
    (``PartsRecord.load``) and the version of the publishing code; and how the parts not shared are written."""
    previous: Path | None = None
    recorded: Mapping = field(default_factory=dict)
    version: str = ""
    processes: int = 1   # how many processes write and check the parts not shared


def parts_of(tables: Mapping[str, pd.DataFrame], name: str) -> list[Part] | None:
    """The parts of a table made document by document (one per batch of the documents published), or None for a
    table over all documents (one file). ``tables`` may say which parts, and what each is made from, through a
    ``parts(name)`` method (``pipeline.assets.published.PublishedTables``); a plain mapping of frames is cut by the
    batches of its documents table, which gives the same parts."""
    if registry.table(name).whole:
        return None
    parted = getattr(tables, "parts", None)
    if parted is not None:
        return parted(name)
    try:
        return split_frame(tables[name], batches_of(tables["documents"]))
    except KeyError as err:
        raise PublishError([Failure(name, "doc_id", None, "rows of a document the documents table does not have "
                                    "(they would be in no part)", str(err))]) from None


def _shareable(names: tuple[str, ...], key: str | None, sharing: Sharing) -> bool:
    """May the previous release's files ``names`` be shared as they are (the same key, the same files as
    recorded)?"""
    if key is None or sharing.previous is None:
        return False
    return all((r := sharing.recorded.get(n)) is not None and r.key == key
               and still_the_same(sharing.previous / n, r) for n in names)


def _write_parts(folder: Path, name: str, parts: list[Part], renamed: tuple, written: Written,
                 sharing: Sharing) -> tuple[list[str], set[str]]:
    """Write (or share) every part of table ``name``, the parts written checked as written (``write_parts``, in
    ``sharing.processes`` processes at once), and count its rows: ([the Parquet file name of each part, in order],
    {those shared})."""
    aliases = tuple(r for r in renamed if r.table == name)
    order, shared, to_write = [], set(), []
    for part in parts:
        key = part_key(name, part, aliases, sharing.version)
        names = file_names(name, part.batch)
        order.append(names[0])
        if _shareable(names, key, sharing):
            for n in names:
                share(sharing.previous / n, folder / n)
                written.shared[n] = sharing.recorded[n].sha256
            shared.add(names[0])
        else:
            for n in names:
                written.shared.pop(n, None)
            to_write.append(part)
        if key is not None:
            written.keys |= dict.fromkeys(names, key)
    rows = {n: parquet_rows([folder / n]) for n in shared}
    if to_write:
        try:
            checked = write_all(folder, name, to_write, renamed, sharing.processes)
        except BrokenProcessPool as err:   # a process killed (out of memory?) before it said what it wrote
            raise PublishError([Failure(name, "", None, "a process writing the parts of this table ended without a "
                                        "result (killed, or out of memory?): publish again, with --jobs 1 (one "
                                        "process) or more memory", f"{type(err).__name__}: {err}")]) from None
        written.checked |= checked.digests
        written.compressed += checked.compressed
        rows |= {file_names(name, p.batch)[0]: checked.rows.get(p.batch, 0) for p in to_write}
        offsets = dict(zip(order, accumulate((rows[n] for n in order), initial=0)))
        written.failures += checked.in_table(offsets)
    written.rows[name] = sum(rows.values())
    return order, shared


def _write_tables(folder: Path, tables: Mapping[str, pd.DataFrame], names: list[str], renamed: tuple,
                  previous: Path | None, written: Written, sharing: Sharing = Sharing()) -> None:
    """Parquet and CSV of each table in ``names`` (with the deprecated aliases of ``renamed``), one table at a time:
    each is taken from ``tables`` (which may load it just then), written (a table made document by document as one
    part per batch of documents, a part that cannot have changed shared with the previous release: ``sharing``),
    compared with ``previous``'s and let go before the next, so a release holds one table in memory, not all of
    them (10,000 documents: 7.4 GiB when every table was held at once). Only the parts written are compared with
    the previous release's parts that were not shared: the rows of a shared part are the same."""
    for name in names:
        parts = parts_of(tables, name)
        if parts is None:
            frame = tables[name]
            new = write_part(folder, name, frame, renamed)
            written.rows[name] = len(new)
            written.facts |= table_facts(name, frame)
            old = previous_table(previous, name) if previous is not None else None
            before = None
        else:
            order, shared = _write_parts(folder, name, parts, renamed, written, sharing)
            if name in FACT_TABLES:
                whole = [pd.read_parquet(folder / n) for n in order]
                written.facts |= table_facts(name, pd.concat(whole, ignore_index=True) if whole else tables[name])
                del whole
            # the rows written, as written (read back only to be compared with the previous release's)
            fresh = [pd.read_parquet(folder / n) for n in order if n not in shared] if previous is not None else []
            new = pd.concat(fresh, ignore_index=True) if fresh else None
            del fresh
            old, before = (None, None) if previous is None else _unshared(previous, name, shared)
        if previous is not None:
            if new is None and old is None:
                diff = TableDiff(name, 0, 0)
            else:   # every part shared: the rows not shared (of documents removed) are the differences
                diff = diff_table(name, old, new if new is not None else old.iloc[:0],
                                  list(registry.table(name).primary_key))
            written.diffs.append(replace(diff, rows_before=diff.rows_before if before is None else before,
                                         rows_now=written.rows[name]))
        del new, old
        trim_heap()


def _unshared(previous: Path, name: str, shared: set[str]) -> tuple[pd.DataFrame | None, int | None]:
    """(the rows of the previous release's table ``name`` not in a part this build shares, how many rows the
    table had in all); (None, None) when it had no such table."""
    files = table_files(previous, name, "parquet")
    if not files:
        return None, None
    kept = [f for f in files if relative(previous, f) not in shared]
    old = pd.concat([pd.read_parquet(f) for f in kept], ignore_index=True) if kept else \
        pd.read_parquet(files[0]).iloc[:0]
    return old, parquet_rows(files)


def _diffs_between(old: Path | None, new: Path) -> list[TableDiff]:
    """Every table of the release in ``new`` against the same table of the release in ``old``, one at a time."""
    if old is None:
        return []
    out = []
    for tb in TABLES:
        now = previous_table(new, tb.name)
        if now is not None:
            out.append(diff_table(tb.name, previous_table(old, tb.name), now, list(tb.primary_key)))
    return out


def _write_metadata(folder: Path, written: Written, version: str, previous: Path | None,
                    changes: SchemaChanges | None, quality: tuple[Score, ...] = (), date: str | None = None,
                    shared_from: Path | None = None) -> None:
    """Every file of release ``version`` but the tables' (already in ``folder``), as the successor of ``previous``,
    from which it differs by ``changes`` and, row by row, by ``written.diffs``; ``date``: its publication date.
    The SQLite database is written from the table files, before the metadata that describes it; the zip of every
    file after them (the parts shared with the release ``shared_from`` taken from its zip), and SHA256SUMS last."""
    previous_version = _version_of(previous) if previous is not None else None
    renamed = _renamed(changes)
    diffs = written.diffs if previous is not None else []
    changed = frames_mod.build(CHANGES.name, change_rows(diffs))
    write_csv(changed, folder / f"{CHANGES.name}.csv")
    write_database(folder, renamed, changed)
    rows = {tb.name: written.rows[tb.name] for tb in TABLES}
    write_datapackage(folder, version, rows | {CHANGES.name: len(changed)}, renamed, previous, date)
    write_croissant(folder, version, renamed, date)
    write_text(render_citation(version, date), folder / CITATION_FILE)
    write_text(render_card(version, written.facts, rows, quality, date), folder / "README.md")
    write_text(render_changelog(version, rows, previous_version, changes, diffs,
                                previous / "CHANGELOG.md" if previous is not None else None),
               folder / "CHANGELOG.md")
    write_archive(folder, version, date, shared_from, written.shared, written.compressed)
    write_checksums(folder, written.shared | written.checked)


def _differs(changes: SchemaChanges, diffs: list[TableDiff]) -> bool:
    """Whether a build's tables differ from the previous release's: in columns, documents or any row. (A rename's
    alias is not counted: whether a release carries it depends on the release before, which the rebuild as the
    previous release reproduces.)"""
    shape = (changes.tables_added, changes.tables_removed, changes.columns_added, changes.columns_removed,
             changes.columns_retyped, changes.documents_added, changes.documents_removed, changes.tables_reshaped)
    return any(shape) or any(d.added or d.removed or d.changed or d.rows_before != d.rows_now for d in diffs)


def _same_content(new: Path, old: Path) -> bool:
    """The two folders hold the same files, byte for byte (a file shared by a hard link is the same)."""
    names = release_files(new)
    return names == release_files(old) and \
        all(os.path.samefile(new / n, old / n) or filecmp.cmp(new / n, old / n, shallow=False) for n in names)


def _predecessor(dist: Path, folder: Path) -> Path | None:
    """The release published before ``folder`` (None for the first)."""
    order = [p for _, p in releases(dist)]
    i = order.index(folder)
    return order[i - 1] if i > 0 else None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Flush every file of ``folder`` and the folder itself to disk, so that a power cut after the rename
    cannot leave a vX.Y.Z folder with empty files (a kill -9 cannot: the kernel keeps what was written)."""
    for name in release_files(folder):
        _fsync(folder / name)
    for p in folder.iterdir():
        if p.is_dir():
            _fsync(p)
    _fsync(folder)


def _copy_of_a_release(folder: Path, dist: Path) -> Path | None:
    """The complete release of ``dist`` that ``folder`` is a byte-for-byte copy of (as `cp -rL dist/` leaves
    dist/latest), or None."""
    if folder.is_symlink() or not folder.is_dir() or not (folder / "SHA256SUMS").is_file():
        return None
    sums = (folder / "SHA256SUMS").read_bytes()
    names = release_files(folder)
    for _, release in releases(dist):
        if (release / "SHA256SUMS").read_bytes() == sums and release_files(release) == names \
                and all((folder / n).is_file() and filecmp.cmp(folder / n, release / n, shallow=False) for n in names):
            return release
    return None


def point_latest(dist: Path, folder: Path) -> tuple[str, ...]:
    """Make dist/latest a link to ``folder`` and dist/index.html list every release; atomic, and a no-op
    when both are already right (so a run killed after the rename is completed by the next one). A dist/latest that
    is a copy of a release (not a link) is replaced by the link, and said so in the notes returned; anything else
    there is left alone (``LatestNotALink``, after the page is brought up to date)."""
    link, notes, refused = dist / LINK, [], None
    if link.exists() and not link.is_symlink():
        copied = _copy_of_a_release(link, dist)
        if copied is None:
            refused = LatestNotALink(f"{link} is a folder (or file), not a link to a release, and not a copy of one: "
                                     f"left alone; move it away (mv {link} {link}.old) and run again to make "
                                     f"{link} a link to {folder.name}")
        else:
            aside = dist / f"{COPY_PREFIX}{os.getpid()}"
            os.rename(link, aside)   # the copy is byte-identical to a release: nothing is lost by replacing it
            notes.append(f"{link} was a copy of {copied.name} (as `cp -rL` leaves it), not a link: replaced by a "
                         f"link to {folder.name}")
    if refused is None and not (link.is_symlink() and os.readlink(link) == folder.name):
        tmp = dist / ".latest.tmp"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(folder.name, tmp)
        os.replace(tmp, link)
    remove_stale_builds(dist, builds=False)
    write_index(dist)
    if refused is not None:
        raise refused
    return tuple(notes)


def remove_stale_builds(dist: Path, builds: bool = True) -> None:
    """Folders left by a build that was killed before it could rename or delete them (``builds``), and copies of a
    release that stood at dist/latest, already replaced by the link."""
    for p in [*(dist.glob(BUILD_PREFIX + "*") if builds else ()), *dist.glob(COPY_PREFIX + "*")]:
        shutil.rmtree(p, ignore_errors=True)


def _complete_the_dist(status: str, dist: Path, folder: Path, warnings: tuple[str, ...]) -> tuple[str, ...]:
    """dist/latest and the page brought up to date for the release in ``folder`` (published or unchanged): the
    notes of what was repaired, or ``PartlyPublished`` saying what is not up to date and why."""
    try:
        return point_latest(dist, folder)
    except Exception as err:  # a full disk, a folder at dist/latest, a file system error
        raise PartlyPublished(status, dist, folder, err, warnings) from None  # the message carries the cause


def publish(tables: Mapping[str, pd.DataFrame], dist: Path, quality: tuple[Score, ...] = (),
            processes: int = 1) -> PublishResult:
    """Publish the tables as the next release in ``dist`` (or report that nothing changed); ``tables`` may load
    each table when asked for it (each is asked for once, documents twice); ``quality``: the scores against hand
    annotations that the dataset card prints. The keys of the parts published are kept in the dist folder, so that
    the next build shares the parts that cannot have changed (``pipeline.release.parts``); the others are written
    and checked in ``processes`` processes at once (``pipeline.release.write_parts``)."""
    missing = [tb.name for tb in TABLES if tb.name not in tables]
    if missing:
        raise PublishError([Failure(name, "", None, "table missing from the build", "") for name in missing])
    documents = tables["documents"]
    if documents.empty:
        raise PublishError([Failure("documents", "", None, "no usable document: every input file has a problem "
                                    "(see the problems listed above); nothing to publish", "")])
    dist.mkdir(parents=True, exist_ok=True)
    remove_stale_builds(dist)
    found = scan(dist)
    previous, warnings = found.latest, found.warnings
    changes = _changes(previous, documents)
    # what the dist folder's record says of the previous release's files (it names the release it describes, and each
    # file's identity: a failed or killed build leaves it true of that release)
    record = PartsRecord(dist / PARTS_RECORD)
    sharing = Sharing(previous, record.load(previous), publishing_version(), processes)
    tmp = Path(tempfile.mkdtemp(prefix=BUILD_PREFIX, dir=dist))
    try:
        written = Written()
        _write_tables(tmp, tables, [tb.name for tb in TABLES], _renamed(changes), previous, written, sharing)
        if previous is not None and not _differs(changes, written.diffs):
            # No row and no column changed: rebuild the previous release from these tables, as the successor of
            # its own predecessor; identical bytes, file for file, means this build changes nothing (a different
            # card, page template or quality figure would show here). Table files do not depend on the version,
            # only on the deprecated aliases, which depend on the release before.
            previous_version = _version_of(previous)
            predecessor = _predecessor(dist, previous)
            as_before = _changes(predecessor, documents)
            _rewrite_aliased(tmp, tables, _renamed(changes), _renamed(as_before), written)
            # the build's tables are the previous release's: its differences from the predecessor are theirs
            rebuilt = replace(written, diffs=_diffs_between(predecessor, previous))
            _write_metadata(tmp, rebuilt, previous_version, predecessor, as_before, quality,
                            recorded_date(previous), previous)
            if _same_content(tmp, previous):
                shutil.rmtree(tmp)
                # the previous release's files are this build's: what was recorded of them holds, unless known anew
                known = {n: r.key for n, r in sharing.recorded.items() if (previous / n).is_file()}
                record.save(previous, known | written.keys, read_checksums(previous) or {})
                notes = _complete_the_dist("unchanged", dist, previous, warnings)
                return PublishResult("unchanged", previous_version, previous, dict(written.rows), warnings + notes)
            _rewrite_aliased(tmp, tables, _renamed(as_before), _renamed(changes), written)
            (tmp / archive_name(previous_version)).unlink(missing_ok=True)   # named after the version: not ours
        version = next_version(_version_of(previous), changes) if changes is not None else FIRST_VERSION
        final = dist / f"v{version}"
        while final.exists() or final.is_symlink():   # not a release (those are all older): left alone, skipped
            why = found.broken.get(final.name, "it is not a folder")
            major, minor, patch = map(int, version.split("."))
            version = f"{major}.{minor}.{patch + 1}"
            warnings += (f"{final} holds the version this build would publish but is not a complete release "
                         f"({why}): left alone, and this build is published as v{version}; delete it, or restore "
                         f"it from a complete copy",)
            final = dist / f"v{version}"
        _write_metadata(tmp, written, version, previous, changes, quality, publication_date(), previous)
        shutil.rmtree(tmp / COMPRESSED, ignore_errors=True)   # what the zip was made from, not a file of the release
        failures = written.failures + verify_release(tmp, previous, trusted=written.shared, checked=written.checked)
        if failures:
            raise PublishError(failures, warnings)
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0700
        sync_folder(tmp)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    record.save(final, written.keys, read_checksums(final) or {})
    try:   # from here on the release is published: a failure only leaves the link or the page behind
        _fsync(dist)
    except OSError as err:
        raise PartlyPublished("published", dist, final, err, warnings) from None
    notes = _complete_the_dist("published", dist, final, warnings)
    return PublishResult("published", version, final, dict(written.rows), warnings + notes)


def _rewrite_aliased(folder: Path, tables: Mapping[str, pd.DataFrame], now: tuple, wanted: tuple,
                     written: Written) -> None:
    """Rewrite the tables whose deprecated aliases differ between ``now`` (as written) and ``wanted``."""
    if set(now) != set(wanted):
        names = sorted({r.table for r in set(now) ^ set(wanted)}, key=[tb.name for tb in TABLES].index)
        _write_tables(folder, tables, names, wanted, None, written)
