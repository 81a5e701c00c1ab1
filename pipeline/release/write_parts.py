"""Writing the parts of a table into a release folder, several processes at once, each part checked as it was
written: read back from its Parquet file, its CSV twin compared with it byte for byte, its rows checked by the
table's model, quotes and values (``schemas.validate.row_failures``). What needs every row of the table (keys,
references) is left to the release's validation, which then reads only the key columns of these parts.

Writing and checking the parts is most of a release's work and needs nothing from the other parts: on 10,000
documents (2 CPUs, pyinstrument) writing the parts' Parquet and CSV took 68 s and checking them 76 s of a 268 s
release (the CSV compared with the Parquet file 44 s, the model 26 s), all in one process. Here the parts are cut
into consecutive groups, one per process; a failure of a row is named by its position in the table (its parts read
in order, as ``pd.read_parquet("metrics.parquet/")`` reads them), as when the whole table is checked.
"""
from __future__ import annotations

import multiprocessing
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from pipeline.release.aliases import with_aliases
from pipeline.release.archive import compress
from pipeline.release.files import write_csv, write_parquet
from pipeline.release.parts import Part
from pipeline.release.quotes import value_failures
from schemas.crosscheck import Failure
from schemas.layout import part_name, table_path
from schemas.registry import table
from schemas.validate import checked_columns, csv_failures, damaged, row_failures, sha256_file, texts_of

COMPRESSED = ".compressed"   # in the release folder while it is written (hidden: not a file of the release)
# A process more costs its start and a second copy of the checks' state; below this many parts to write for each
# process, a table's parts are written in this one (1,000 documents: 16 parts a table).
MIN_PARTS_PER_PROCESS = 4


@dataclass
class Checked:
    """What writing some parts of a table found: rows per part (by batch), the SHA-256 of each file written (by
    its name in the release) and the failures, each with the Parquet file of the part whose row it names (the row
    counted in that file; None: a failure of no row); and the files compressed for the release's zip."""
    rows: dict[str, int] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    failures: list[tuple[str | None, Failure]] = field(default_factory=list)
    compressed: list[Path] = field(default_factory=list)   # zips of the files written, for the release's zip

    def in_table(self, offsets: dict[str, int]) -> list[Failure]:
        """The failures, a row counted in the whole table (``offsets``: {part's Parquet file: its first row's
        position in the table})."""
        return [f if part is None else replace(f, row=f.row + offsets[part]) for part, f in self.failures]


def file_names(name: str, batch: str) -> tuple[str, str]:
    """The release's names of batch ``batch``'s part of table ``name`` (Parquet, CSV)."""
    return tuple(f"{name}.{fmt}/{part_name(batch, fmt)}" for fmt in ("parquet", "csv"))


def write_part(folder: Path, name: str, frame: pd.DataFrame, renamed: tuple, batch: str | None = None) -> pd.DataFrame:
    """Write ``frame`` as table ``name``'s files (``batch``: as that batch's part); the frame as published (the
    deprecated aliases of ``renamed`` added)."""
    published = with_aliases({name: frame}, tuple(r for r in renamed if r.table == name))[name]
    for fmt, write in (("parquet", write_parquet), ("csv", write_csv)):
        path = table_path(folder, name, fmt)
        if batch is not None:
            path.mkdir(exist_ok=True)
            path = path / part_name(batch, fmt)
        # never written through: the file there may be a previous release's, shared by a hard link
        path.unlink(missing_ok=True)
        write(published, path)
    return published


def write_checked(folder: Path, name: str, parts: list[Part], renamed: tuple) -> Checked:
    """Write ``parts`` of table ``name`` (with the deprecated aliases of ``renamed``) into the release ``folder``, then
    check each as written, as the release's validation would (``pipeline.release.verify``), and compress them for the
    release's zip (``pipeline.release.archive.compress``)."""
    tb = table(name)
    out = Checked()
    for part in parts:
        write_part(folder, name, part.load(), renamed, part.batch)
    frames, starts = [], []   # the parts read back; the position of each one's first row among them
    for part in parts:
        pq_name, csv_name = file_names(name, part.batch)
        try:
            frame = pd.read_parquet(folder / pq_name)
        except Exception as err:  # pyarrow raises ArrowInvalid, OSError and others on a damaged file
            out.failures.append((None, damaged(pq_name, err)))
            continue
        out.failures += [_in_part(f, name, pq_name, 0) for f in
                         csv_failures(tb, folder / csv_name, frame, sha256_file, csv_name)]
        out.rows[part.batch] = len(frame)
        out.digests |= {n: sha256_file(folder / n) for n in (pq_name, csv_name)}
        starts.append((sum(len(f) for f in frames), pq_name))
        frames.append(frame)
    if not frames:
        return out
    rows = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    del frames
    aliases = {r.old: r.new for r in renamed if r.table == name}
    rows, failures = checked_columns(tb, tb, rows, aliases)
    # the texts parts of the same batches first (written before, or shared)
    same_batches = {file_names("texts", p.batch)[0] for p in parts}
    texts = texts_of(folder, set(rows["doc_id"]), same_batches.__contains__) if tb.has_span else None
    failures += row_failures(tb, tb, rows, texts, (value_failures,))
    for f in failures:   # a row's part file and its position there
        start, pq_name = next((s, n) for s, n in reversed(starts) if f.row is None or s <= f.row)
        out.failures.append(_in_part(f, name, pq_name, start))
    (folder / COMPRESSED).mkdir(exist_ok=True)
    into = folder / COMPRESSED / f"{name}-{parts[0].batch}.zip"
    compress(folder, sorted(out.digests), into)
    out.compressed.append(into)
    return out


def _in_part(failure: Failure, name: str, pq_name: str, start: int) -> tuple[str | None, Failure]:
    """``failure`` of table ``name``'s rows with the part file ``pq_name`` whose rows start at ``start``."""
    if failure.table != name or failure.row is None:
        return None, failure
    return pq_name, replace(failure, row=failure.row - start)


def _groups(parts: list[Part], n: int) -> list[list[Part]]:
    """``parts`` cut into ``n`` groups of consecutive parts, as even as can be."""
    size, extra = divmod(len(parts), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (i < extra)
        out.append(parts[start:end])
        start = end
    return [g for g in out if g]


def _picklable(parts: list[Part]) -> bool:
    """Can ``parts`` go to another process (a part cut from a frame in memory holds a lambda: it cannot)?"""
    try:
        pickle.dumps(parts[:1])
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return True


def write_all(folder: Path, name: str, parts: list[Part], renamed: tuple, processes: int = 1) -> Checked:
    """Write and check every one of ``parts`` of table ``name``: in ``processes`` processes at once (forked from
    this one) when there are at least ``MIN_PARTS_PER_PROCESS`` parts for each and this process may start
    processes, else here."""
    n = min(processes, len(parts) // MIN_PARTS_PER_PROCESS)
    # a daemonic process (a Dask worker's) may not start processes of its own
    if n <= 1 or multiprocessing.current_process().daemon or not _picklable(parts):
        return write_checked(folder, name, parts, renamed)
    groups = _groups(parts, n)
    sys.stdout.flush()   # a forked process would print again what is still buffered
    sys.stderr.flush()
    with ProcessPoolExecutor(len(groups), mp_context=multiprocessing.get_context("fork")) as pool:
        done = list(pool.map(write_checked, *zip(*[(folder, name, g, renamed) for g in groups])))
    out = Checked()
    for checked in done:
        out.rows |= checked.rows
        out.digests |= checked.digests
        out.failures += checked.failures
        out.compressed += checked.compressed
    return out
