"""Where assets keep their values between steps and runs: one file per asset and batch of documents for the
per-document assets (``partitions``: a batch is a partition), one file per asset otherwise, under
``<work>/store`` by default — a local folder or any fsspec URL (``s3://bucket/work/store`` with s3fs installed;
``memory://`` in the tests): paths are universal-pathlib ``UPath``s and the IO manager is Dagster's
``UPathIOManager``.

A batch file holds ``{document: frame}`` for every document of the batch. A step hands the store only the documents
it processed (``Handover``) and the batch's members; the store merges them with what it kept: the documents not
processed again are taken from the batch's previous file, or, when the batch structure changed (a batch split in
two as documents arrived), from the file of the batch they were in. Reading gives a lazy ``{document: frame}`` over
the batches asked for, which loads one batch file at a time.

Beside an asset's batch files, ``stamps.json`` records, for each document, the version stamp its frame was made with
(``partitions.document_stamp``) and the batch whose file holds it: how unchanged documents are skipped, and how the
plan finds the batches to run.

The files are pickles: an internal cache read back by the same code, never a published format (the release is
Parquet and CSV). Delete the folder to start from scratch.
"""

import contextlib
import fcntl
import functools
import hashlib
import json
import os
import pickle
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import dagster as dg
import pandas as pd
from pydantic import Field
from upath import UPath

from pipeline.buildlock import hold

LOCK_WAIT = 600.0  # seconds a run waits for another build to leave the work folder before failing
STAMPS = "stamps.json"
STAMP_SOURCE = "raw_documents"  # the asset whose frames carry each document's stamp (column ``stamp``)
EXTENSION = ".pkl"


def is_local(path: UPath) -> bool:
    return getattr(path, "protocol", "") in ("", "file", "local")


def _write_atomic(path: UPath, data: bytes) -> None:
    """Write a file so that a reader never sees half of it: a local file through a temporary file and a rename; an
    object store's put is atomic already."""
    if is_local(path):
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    else:
        path.write_bytes(data)


# A stored value's file: MAGIC, the SHA-256 of the payload, the payload (a pickle). A file whose digest does not
# match (edited, truncated, a disk error) is never unpickled. The digest detects damage, not an attacker who can
# write the work folder and recompute it: the work folder must belong to the user who runs the build (README).
MAGIC = b"CRSTORE2"
_HEAD = len(MAGIC) + 32


class DamagedStoreEntry(Exception):
    """A stored value failed its checksum; the entry has been removed so the next run re-creates it."""


def _seal(obj) -> bytes:
    payload = pickle.dumps(obj, protocol=5)
    return MAGIC + hashlib.sha256(payload).digest() + payload


def _payload(path: UPath, data: bytes, what: str) -> memoryview:
    """The payload of a sealed file, or ``DamagedStoreEntry`` (after removing the file and its documents' stamps, so
    that they are processed again: re-created from their source)."""
    payload = memoryview(data)[_HEAD:]
    if data[:len(MAGIC)] != MAGIC or hashlib.sha256(payload).digest() != data[len(MAGIC):_HEAD]:
        forget(path)
        raise DamagedStoreEntry(
            f"the stored {what} ({path}) is damaged (its checksum does not match: edited, truncated or a disk "
            f"error); it has been removed and is re-created from its source documents by the next run")
    return payload


def _unseal(path: UPath, data: bytes, what: str):
    """The value of a sealed file (``_payload``)."""
    return pickle.loads(_payload(path, data, what))


def _recorded(folder: UPath) -> dict[str, list]:
    """{document: [stamp, batch, rows]} of an asset's stored documents ({} when none; a damaged stamps file counts
    as none, so every document is processed again rather than trusted). A run reads each ``stamps.json`` once
    (``remembering``): every step read its inputs' and outputs' several times; a copy is returned each time."""
    path = folder / STAMPS
    known, value = _remembered(path)
    if known:
        return dict(value)
    try:
        data = path.read_bytes()
        recorded = json.loads(data.decode("utf-8"))
    except (FileNotFoundError, ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(recorded, dict):
        return {}
    recorded = {k: v for k, v in recorded.items() if isinstance(v, list) and len(v) == 3}
    _remember(path, len(data), recorded)
    return dict(recorded)


def stamps(folder: UPath) -> dict[str, tuple[str, str]]:
    """{document: (stamp, batch)} of an asset's stored documents."""
    return {k: (v[0], v[1]) for k, v in _recorded(folder).items()}


def stored_rows(folder: UPath) -> dict[str, int]:
    """{document: rows of its stored frame} of an asset (the row count of a batch, without reading it)."""
    return {k: v[2] for k, v in _recorded(folder).items()}


def _write_stamps(folder: UPath, recorded: Mapping[str, list]) -> None:
    body = {k: list(v) for k, v in sorted(recorded.items())}
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    _write_atomic(folder / STAMPS, data)
    _remember(folder / STAMPS, len(data), body)


@contextlib.contextmanager
def _stamps_lock(folder: UPath):
    """Exclusive use of a local asset folder's ``stamps.json`` while it is read, changed and written: runs over
    disjoint batches (``pipeline.assets.shards``) write one asset's stamps at the same time. An object store has no such
    lock (one run at a time there, as for the build lock)."""
    if not is_local(folder) or not os.path.isdir(folder.path):   # (no folder: no stamps to change)
        yield
        return
    with open(os.path.join(folder.path, STAMPS + ".lock"), "a+b") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _edit_stamps(folder: UPath, edit: Callable[[dict[str, list]], None]) -> dict[str, list]:
    """Apply ``edit`` (which changes the dict it is given) to an asset's stamps as they are now, and write them if
    it changed anything; under the folder's stamps lock, so that another run's changes are kept. The stamps as
    edited."""
    with _stamps_lock(folder):
        recorded = _recorded(folder)
        before = dict(recorded)
        edit(recorded)
        if recorded != before:
            _write_stamps(folder, recorded)
    return recorded


PARTS = ("found", "rows")   # a batch's two files: what its documents' step found, and their rows


def batch_path(folder: UPath, batch: str, part: str = "found") -> UPath:
    return folder / f"{batch}.{part}{EXTENSION}"


def _batch_name(path: UPath) -> str:
    return path.name.split(".", 1)[0]


def forget(path: UPath) -> None:
    """Remove a stored batch (both its files) and the stamps of the documents it held (so that the plan processes
    them again)."""
    batch = _batch_name(path)
    path.unlink(missing_ok=True)
    for part in PARTS:
        batch_path(path.parent, batch, part).unlink(missing_ok=True)
    def drop(recorded: dict) -> None:
        for d in [d for d, v in recorded.items() if v[1] == batch]:
            del recorded[d]
    _edit_stamps(path.parent, drop)


def check_store(store: UPath, changed: list[str], gone: list[str]) -> list[str]:
    """Check the seal of each stored batch file ``changed`` (relative to ``store``) and remove the batch of each
    file damaged or ``gone`` (its documents are then processed again): what was found, said for a person."""
    out = []
    for rel in changed:
        path = store / rel
        if not path.name.endswith(EXTENSION):
            continue
        try:
            _payload(path, path.read_bytes(), path.parent.name)   # the seal, without unpickling
        except FileNotFoundError:
            gone = [*gone, rel]
        except DamagedStoreEntry as err:
            out.append(str(err).replace("by the next run", "by this run"))
    for rel in gone:
        path = store / rel
        if path.name.endswith(EXTENSION) and path.parent.exists():
            forget(path)
            out.append(f"the stored {path.parent.name} ({path}) is missing; the rest of its batch has been removed and "
                       f"is re-created from its source documents by this run")
    return out


class _Memo:
    """The values a run wrote or read, by file, while the run lasts (``remembering``): a later step of an in-process
    run takes them from memory instead of reading and unpickling the file again. Each batch's clean texts are read by
    seven steps and its sentences by five; on 1,000 documents, reading them again took 4.9 s against 67.5 s of text
    work in the same profile (pyinstrument, issue 15), 0.13 s since. An entry is used only while its file is
    still the one written or read (same inode, size and modification time), so a file changed or removed meanwhile is
    read again (and its seal checked). Files are remembered until ``budget`` bytes of them are, then no more: the
    steps read batches in order, so evicting would only trade one batch for the next."""

    def __init__(self, budget: int):
        self.budget, self.used = budget, 0
        self.values: dict[str, tuple[tuple[int, int, int], int, Any]] = {}

    @staticmethod
    def _key(path: UPath) -> tuple[int, int, int] | None:
        try:
            st = os.stat(path.path)
        except OSError:
            return None
        return st.st_ino, st.st_size, st.st_mtime_ns

    def get(self, path: UPath):
        held = self.values.get(path.path)
        if held is None:
            return None
        if held[0] != self._key(path):
            self.drop(path)
            return None
        return held

    def put(self, path: UPath, size: int, value) -> None:
        self.drop(path)
        key = self._key(path)
        if key is not None and self.used + size <= self.budget:
            self.values[path.path] = (key, size, value)
            self.used += size

    def drop(self, path: UPath) -> None:
        held = self.values.pop(path.path, None)
        if held is not None:
            self.used -= held[1]


MEMO_BUDGET = 256 * 2**20   # bytes of files a run keeps in memory: all of 1,000 documents' (about 200 MB); runs
# at once share it (``pipeline.assets.shards``)
_memo: _Memo | None = None


@contextlib.contextmanager
def remembering(budget: int | None = None):
    """Keep the values of a local store's files in memory while the block runs (``_Memo``; ``budget``: bytes of
    files, MEMO_BUDGET by default)."""
    global _memo
    outer, _memo = _memo, _Memo(MEMO_BUDGET if budget is None else budget)
    try:
        yield _memo
    finally:
        _memo = outer


def let_go() -> None:
    """Forget what the current run remembers, and remember nothing more in it: the release reads every table of
    every batch once, and would otherwise hold the per-document steps' values beside them (1,000 documents, one run:
    a peak of 1,035 MiB with them held through the release, 804 MiB before there was anything to hold)."""
    if _memo is not None:
        _memo.values.clear()
        _memo.used, _memo.budget = 0, 0


def _remembered(path: UPath):
    """(True, the value) of a file remembered by the current run, or (False, None)."""
    if _memo is None or not is_local(path):
        return False, None
    held = _memo.get(path)
    return (False, None) if held is None else (True, held[2])


def _remember(path: UPath, size: int, value) -> None:
    if _memo is not None and is_local(path):
        _memo.put(path, size, value)


def _read(path: UPath, what: str):
    known, value = _remembered(path)
    if known:
        return value
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        forget(path)
        raise DamagedStoreEntry(f"the stored {what} ({path}) is missing; the rest of its batch has been removed and "
                                f"is re-created from its source documents by the next run") from None
    value = _unseal(path, data, what)
    _remember(path, len(data), value)
    return value


class Batch:
    """One stored batch of a per-document asset, each part read when first asked for: ``found``, per document, what
    the step's pure function found (what the next steps take), and ``frame``, the published table's rows of every
    document of the batch (in id order; what the checks and the release read). Two files, so that a check reading
    rows never unpickles the found objects, nor a step the rows."""

    def __init__(self, folder: UPath, name: str):
        self.folder, self.name = folder, name

    @functools.cached_property
    def found(self) -> dict[str, Any]:
        return _read(batch_path(self.folder, self.name, "found"), f"{self.folder.name} batch {self.name!r}")

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        return _read(batch_path(self.folder, self.name, "rows"), f"{self.folder.name} batch {self.name!r} rows")


def read_batch(folder: UPath, batch: str) -> Batch | None:
    """One stored batch (None when it was never written)."""
    return Batch(folder, batch) if batch_path(folder, batch).exists() else None


def prune(folder: UPath, live: Mapping[str, str]) -> None:
    """Drop what an asset's store keeps for documents that are gone, and the files of batches no stamp refers to
    (a batch split in two, once every asset has moved its documents on). ``live``: {document: its batch}."""
    def drop(recorded: dict) -> None:
        for d in [d for d in recorded if d not in live]:
            del recorded[d]
    used = {v[1] for v in _edit_stamps(folder, drop).values()} | set(live.values())
    for path in folder.glob(f"*{EXTENSION}"):
        if _batch_name(path) not in used:
            path.unlink(missing_ok=True)


def in_id_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows ordered by document id, each document's rows in the order they were made."""
    if frame["doc_id"].is_monotonic_increasing:
        return frame.reset_index(drop=True)
    return frame.sort_values("doc_id", kind="stable").reset_index(drop=True)


class Handover:
    """What a per-document step hands to the store: ``found`` for the documents it processed, one frame of their rows
    per batch of the run, and ``members``: every document of each batch ({batch: [documents]}), so that the store
    knows what to keep of its previous files and what to drop. The store writes each batch and then lets go of it
    (an in-process run keeps a reference to every output value until the run ends)."""

    def __init__(self, found: Mapping[str, Any], frames: Mapping[str, pd.DataFrame], members: Mapping[str, list[str]]):
        self.found, self.frames = dict(found), dict(frames)
        self.members = {b: list(docs) for b, docs in members.items()}


class StoredDocuments(Mapping):
    """Read-only ``{document: found}`` over the documents of some stored batches, loading one batch file at a time
    (documents are asked for batch by batch), and their rows as one frame (``concat``). ``where``: {document: batch}
    of the documents it covers."""

    def __init__(self, folder: UPath, where: Mapping[str, str]):
        self.folder, self.where = folder, dict(where)
        self._name, self._batch = None, None

    def within(self, batches: set[str]) -> "StoredDocuments":
        """The same, over the documents of ``batches`` only."""
        return StoredDocuments(self.folder, {d: b for d, b in self.where.items() if b in batches})

    def batch(self, name: str) -> Batch:
        if name != self._name:
            batch = read_batch(self.folder, name)
            if batch is None:
                raise KeyError(f"{self.folder.name} has no stored batch {name!r} ({batch_path(self.folder, name)}); "
                               f"run the job for batch {name!r} first")
            self._name, self._batch = name, batch
        return self._batch

    def __getitem__(self, key: str):
        name = self.where.get(key)
        if name is None:
            raise KeyError(f"{self.folder.name} has no stored table for document {key!r} in the batches of this run")
        return self.batch(name).found[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.where)

    def __len__(self) -> int:
        return len(self.where)

    def concat(self, keep: set[str] | None = None, columns: list[str] | None = None) -> pd.DataFrame:
        """The rows of every document (only those in ``keep``, when given; only ``columns``, when given: the others,
        e.g. whole texts, are let go batch by batch), in the order of the documents' ids (the order of a release's
        rows, whatever batches the documents are in). No document: an empty frame with the stored frames' columns
        (no columns at all when nothing is stored)."""
        wanted = set(self.where) if keep is None else set(self.where) & set(keep)
        taken = None if columns is None else list(dict.fromkeys(["doc_id", *columns]))
        parts = []
        for name in sorted(set(self.where.values())):
            frame = self.batch(name).frame
            rows = frame if wanted >= set(frame["doc_id"]) else frame[frame["doc_id"].isin(wanted)]
            parts.append(rows if taken is None else rows[taken])
        if not parts:
            return pd.DataFrame()
        nonempty = [p for p in parts if len(p)]
        out = in_id_order(pd.concat(nonempty, ignore_index=True)) if nonempty else parts[0].iloc[:0]
        return out if columns is None else out[columns]


class BatchStore(dg.UPathIOManager):
    """Dagster's ``UPathIOManager`` over batch files: ``<base>/<asset>/<batch>.pkl`` for a per-document asset,
    ``<base>/<asset>.pkl`` otherwise. A run over several batches (a single-run backfill) writes each of them;
    an input over several batches is one lazy ``StoredDocuments``."""

    extension = EXTENSION

    def folder(self, asset: str) -> UPath:
        return self._base_path / asset

    def dump_to_path(self, context: dg.OutputContext, obj, path: UPath) -> None:
        self.make_directory(path.parent)
        data = _seal(obj)
        _write_atomic(path, data)
        _remember(path, len(data), obj)

    def load_from_path(self, context: dg.InputContext, path: UPath):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise dg.DagsterInvariantViolationError(
                f"{path.parent.name} has not been materialized yet ({path} is missing)") from None
        return _unseal(path, data, path.parent.name)

    def handle_output(self, context: dg.OutputContext, obj) -> None:
        if not context.has_asset_partitions:
            return super().handle_output(context, obj)
        name = context.asset_key.to_user_string()
        if not isinstance(obj, Handover):
            raise dg.DagsterInvariantViolationError(
                f"{name} must hand the store the documents it processed and its batches' members (a Handover)")
        self.write_batches(name, list(context.asset_partition_keys), obj)

    def write_batches(self, name: str, batches: list[str], obj: Handover) -> None:
        """Write each batch of ``batches``: its members, those processed from ``obj``, the others from the batch
        files that held them; record their stamps (a raw document's from its row, the others' from the raw
        documents' stamps) and rows, and drop the documents no longer in the batch."""
        folder = self.folder(name)
        self.make_directory(folder)
        recorded = _recorded(folder)
        source = recorded if name == STAMP_SOURCE else _recorded(self.folder(STAMP_SOURCE))
        files: dict[str, Batch | None] = {}
        updated: dict[str, list] = {}   # the stamps this call writes, and the documents that left its batches
        left: dict[str, str] = {}
        for batch in batches:
            members = obj.members.get(batch, [])
            files[batch] = read_batch(folder, batch)
            found, parts, stamp = {}, [obj.frames.pop(batch)], {}
            for doc in members:
                if doc in obj.found:
                    found[doc] = obj.found.pop(doc)
                    stamp[doc] = found[doc]["stamp"] if name == STAMP_SOURCE else source.get(doc, [""])[0]
            kept: dict[str, list[str]] = {}   # the documents not processed, by the batch file that holds them
            for doc in members:
                if doc not in found:
                    held = batch if files[batch] is not None and doc in files[batch].found else \
                        (recorded[doc][1] if doc in recorded else "")
                    kept.setdefault(held, []).append(doc)
                    stamp[doc] = recorded.get(doc, [""])[0]
            for held, docs in kept.items():
                if held not in files:
                    files[held] = read_batch(folder, held) if held else None
                stored = files[held]
                if stored is None or any(d not in stored.found for d in docs):
                    raise dg.DagsterInvariantViolationError(
                        f"{name}: documents of batch {batch!r} were neither processed nor stored: "
                        f"{[d for d in docs if stored is None or d not in stored.found][:5]}")
                found.update((d, stored.found[d]) for d in docs)
                parts.append(stored.frame[stored.frame["doc_id"].isin(docs)])
            rows = [p for p in parts if len(p)]
            frame = in_id_order(pd.concat(rows, ignore_index=True)) if len(rows) > 1 else (rows or parts)[0]
            counts = frame["doc_id"].value_counts().to_dict()
            for doc in members:
                recorded[doc] = updated[doc] = [stamp[doc], batch, int(counts.get(doc, 0))]
            previous = files[batch]
            for doc in (previous.found if previous is not None else {}):
                if doc not in found and recorded.get(doc, ["", ""])[1] == batch:
                    del recorded[doc]
                    left[doc] = batch
            self.dump_to_path(None, frame, batch_path(folder, batch, "rows"))
            self.dump_to_path(None, found, batch_path(folder, batch, "found"))   # last: it marks the batch written
            del files[batch]   # let go of it: a batch that stays never gives documents to another one

        def apply(now: dict) -> None:   # onto the stamps as they are now: a run over other batches may have written
            now.update(updated)
            for doc, batch in left.items():
                if now.get(doc, ["", ""])[1] == batch:
                    del now[doc]
        _edit_stamps(folder, apply)

    def load_input(self, context: dg.InputContext):
        name = context.upstream_output.asset_key.to_user_string()
        if not context.has_asset_partitions:
            return super().load_input(context)
        return self.documents(name, list(context.asset_partition_keys))

    def documents(self, name: str, batches: list[str]) -> StoredDocuments:
        """The stored documents of an asset in ``batches``, as a lazy ``{document: found}``."""
        wanted = set(batches)
        folder = self.folder(name)
        return StoredDocuments(folder, {d: b for d, (_, b) in sorted(stamps(folder).items()) if b in wanted})


class DocumentStore(dg.ConfigurableIOManagerFactory):
    """The files of every asset's value: per batch of documents for partitioned assets, whole for the others."""

    base_dir: str = Field(default="build/dist/store", description="Folder or fsspec URL of the stored values (a "
                          "cache: safe to delete). On a cluster, a location every worker sees (e.g. s3://...).")

    @property
    def base(self) -> UPath:
        return UPath(self.base_dir)

    @contextlib.contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext):
        """Hold the work folder's build lock while a run (or, with the multiprocess executor, a step) uses a local
        store, so two builds never write it at once (``pipeline.buildlock``; the command line holds it already).
        An object store has no such lock: one build at a time is then the operator's to ensure. The run's steps
        share the values they write and read (``remembering``) while it lasts."""
        with remembering():
            if is_local(self.base):
                with hold(self.base.parent, wait=LOCK_WAIT):
                    yield self.create_io_manager(context)
            else:
                yield self.create_io_manager(context)

    def create_io_manager(self, context) -> BatchStore:
        return BatchStore(base_path=self.base)
