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
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.release.aliases import with_aliases
from pipeline.release.archive import archive_name, write_archive
from pipeline.release.card import render_card, table_facts
from pipeline.release.changelog import render_changelog
from pipeline.release.citation import render_citation
from pipeline.release.croissant import write_croissant
from pipeline.release.datapackage import write_datapackage
from pipeline.release.dates import publication_date, recorded_date
from pipeline.release.diff import TableDiff, change_rows, diff_table, previous_table
from pipeline.release.files import write_checksums, write_csv, write_parquet, write_text
from pipeline.release.page import write_index
from pipeline.release.quality import Score
from pipeline.release.sqlite import write_database
from pipeline.release.verify import verify_release
from pipeline.release.versioning import (FIRST_VERSION, LINK, PAGE, SchemaChanges, Shape, compare, next_version,
                                         pending, releases, scan, shape_of_release)
from schemas import frames as frames_mod
from schemas import registry
from schemas.crosscheck import Failure
from schemas.dictionary import dictionary
from schemas.registry import CHANGES, TABLES
from schemas.validate import trim_heap

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
                 frozenset(documents["doc_id"]))


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
    the card's facts and the row-level differences from the previous release."""
    rows: dict[str, int] = field(default_factory=dict)
    facts: dict = field(default_factory=dict)
    diffs: list[TableDiff] = field(default_factory=list)


def _write_tables(folder: Path, tables: Mapping[str, pd.DataFrame], names: list[str], renamed: tuple,
                  previous: Path | None, written: Written) -> None:
    """Parquet and CSV of each table in ``names`` (with the deprecated aliases of ``renamed``), one table at a time:
    each is taken from ``tables`` (which may load it just then), written, compared with ``previous``'s and let go
    before the next, so a release holds one table in memory, not all of them (10,000 documents: 7.4 GiB when
    every table was held at once)."""
    for name in names:
        frame = tables[name]
        written.rows[name] = len(frame)
        written.facts |= table_facts(name, frame)
        published = with_aliases({name: frame}, tuple(r for r in renamed if r.table == name))[name]
        del frame
        write_parquet(published, folder / f"{name}.parquet")
        write_csv(published, folder / f"{name}.csv")
        if previous is not None:
            written.diffs.append(diff_table(name, previous_table(previous, name), published,
                                            list(registry.table(name).primary_key)))
        del published
        trim_heap()


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
                    changes: SchemaChanges | None, quality: tuple[Score, ...] = (), date: str | None = None) -> None:
    """Every file of release ``version`` but the tables' (already in ``folder``), as the successor of ``previous``,
    from which it differs by ``changes`` and, row by row, by ``written.diffs``; ``date``: its publication date.
    The SQLite database is written from the table files, before the metadata that describes it; the zip of every
    file after them, and SHA256SUMS last."""
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
    write_archive(folder, version, date)
    write_checksums(folder)


def _differs(changes: SchemaChanges, diffs: list[TableDiff]) -> bool:
    """Whether a build's tables differ from the previous release's: in columns, documents or any row. (A rename's
    alias is not counted: whether a release carries it depends on the release before, which the rebuild as the
    previous release reproduces.)"""
    shape = (changes.tables_added, changes.tables_removed, changes.columns_added, changes.columns_removed,
             changes.columns_retyped, changes.documents_added, changes.documents_removed)
    return any(shape) or any(d.added or d.removed or d.changed or d.rows_before != d.rows_now for d in diffs)


def _same_content(new: Path, old: Path) -> bool:
    """The two folders hold the same files, byte for byte."""
    names = sorted(p.name for p in new.iterdir())
    return names == sorted(p.name for p in old.iterdir()) and \
        all(filecmp.cmp(new / n, old / n, shallow=False) for n in names)


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
    for p in folder.iterdir():
        if p.is_file():
            _fsync(p)
    _fsync(folder)


def _copy_of_a_release(folder: Path, dist: Path) -> Path | None:
    """The complete release of ``dist`` that ``folder`` is a byte-for-byte copy of (as `cp -rL dist/` leaves
    dist/latest), or None."""
    if folder.is_symlink() or not folder.is_dir() or not (folder / "SHA256SUMS").is_file():
        return None
    sums = (folder / "SHA256SUMS").read_bytes()
    names = sorted(p.name for p in folder.iterdir())
    for _, release in releases(dist):
        if (release / "SHA256SUMS").read_bytes() == sums and sorted(p.name for p in release.iterdir()) == names \
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


def publish(tables: Mapping[str, pd.DataFrame], dist: Path, quality: tuple[Score, ...] = ()) -> PublishResult:
    """Publish the tables as the next release in ``dist`` (or report that nothing changed); ``tables`` may load
    each table when asked for it (each is asked for once, documents twice); ``quality``: the scores against hand
    annotations that the dataset card prints."""
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
    tmp = Path(tempfile.mkdtemp(prefix=BUILD_PREFIX, dir=dist))
    try:
        written = Written()
        _write_tables(tmp, tables, [tb.name for tb in TABLES], _renamed(changes), previous, written)
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
            rebuilt = Written(written.rows, written.facts, _diffs_between(predecessor, previous))
            _write_metadata(tmp, rebuilt, previous_version, predecessor, as_before, quality,
                            recorded_date(previous))
            if _same_content(tmp, previous):
                shutil.rmtree(tmp)
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
        _write_metadata(tmp, written, version, previous, changes, quality, publication_date())
        failures = verify_release(tmp, previous)
        if failures:
            raise PublishError(failures, warnings)
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0700
        sync_folder(tmp)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
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
