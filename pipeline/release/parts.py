"""A table made document by document is published as one part per batch of documents (``schemas.layout``,
``pipeline.batches`` over the documents the release publishes), and a part whose rows cannot have changed is not
written again: it is the previous release's file, shared by a hard link (a copy where the file system has none).

Whether a part can have changed is decided by its key: what its rows are made from (the stamps of its documents:
their bytes, metadata.csv row and the per-document code) and how it is written (the table, its deprecated aliases,
the publishing code and the pandas and pyarrow versions). The keys of the parts of the last release published are
recorded in the dist folder (``PartsRecord``: ``dist/.parts.json``), with each file's SHA-256 and identity (inode,
size, modification time); the next build links a part when the previous release is the one recorded, the part's
key is the same and the file is still the one written then. Anything else (no record, a file touched since) writes
the part again, which gives the same bytes: sharing a file saves the time, never changes the release.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.batches import batch_of
from pipeline.codeversion import code_version
from schemas.layout import part_name

RECORD = ".parts.json"   # in the dist folder (hidden: not a release, left alone by versioning.scan)
_ROOT = Path(__file__).resolve().parents[2]
# what a part's bytes depend on besides its rows: the code that writes a release and the schemas it follows
_PUBLISHING_CODE = ("pipeline/release", "pipeline/assets/published.py", "schemas")
_SUFFIXES = (".py", ".toml", ".txt", ".csv", ".json")


@dataclass(frozen=True)
class Part:
    """One batch's part of a table: ``load()`` gives its rows as published; ``key``: what those rows are made from
    (None: unknown, so the part is always written)."""
    batch: str
    load: Callable[[], pd.DataFrame]
    key: str | None = None


def publishing_version() -> str:
    """The version of what turns rows into a part's bytes (code, schemas, libraries)."""
    libraries = f"pandas {pd.__version__} pyarrow {pa.__version__} python {sys.version_info[:2]}"
    return hashlib.sha256(f"{code_version(_ROOT, _PUBLISHING_CODE, _SUFFIXES)} {libraries}".encode()).hexdigest()[:16]


def part_key(table: str, part: Part, aliases: tuple, version: str) -> str | None:
    """The key of table ``table``'s ``part`` as published with ``aliases`` by publishing code ``version``."""
    if part.key is None:
        return None
    body = json.dumps([table, part.key, sorted(map(str, aliases)), version], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def rows_key(stamps: list[tuple[str, str]]) -> str:
    """The key of a part's rows from its documents' (id, stamp) pairs."""
    return hashlib.sha256(json.dumps(sorted(stamps), ensure_ascii=False).encode("utf-8")).hexdigest()


def in_part_order(batches) -> list[str]:
    """Batches in the order of their part files' names (the order a table's parts are read in)."""
    return sorted(set(batches), key=lambda b: part_name(b, "parquet"))


def split_frame(frame: pd.DataFrame, where: Mapping[str, str]) -> list[Part]:
    """A whole table cut into the parts of ``where`` ({document: batch}), every batch one part (none of its rows:
    an empty part), each part's rows in the frame's order; parts without a key (the frame says nothing of what its
    rows are made from). Rows of a document ``where`` does not have raise ``KeyError`` (they would be lost)."""
    batch = frame["doc_id"].map(where)
    unknown = frame.loc[batch.isna(), "doc_id"]
    if len(unknown):
        raise KeyError(f"rows of documents that are not published: {sorted(set(unknown))[:5]}")
    return [Part(b, (lambda b=b: frame[(batch == b).to_numpy()].reset_index(drop=True)))
            for b in in_part_order(where.values())]


def batches_of(documents: pd.DataFrame) -> dict[str, str]:
    """{document: batch} of the documents a release publishes."""
    return batch_of(documents["doc_id"])


@dataclass(frozen=True)
class Recorded:
    key: str | None      # a part's key; None for the release's other files
    sha256: str
    inode: int
    size: int
    mtime_ns: int


class PartsRecord:
    """What the last release published in a dist folder was made of (``dist/.parts.json``): every file's SHA-256 and
    identity, and each part's key. It also spares the next build reading that release through to know it is whole
    (``pipeline.release.versioning.scan``): a file still the one recorded has the SHA-256 recorded."""

    def __init__(self, path: Path | None):
        self.path = path

    def load(self, release: Path | None) -> dict[str, Recorded]:
        """{file name: what was recorded} when ``release`` is the release recorded ({} otherwise)."""
        if self.path is None or release is None:
            return {}
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if data.get("release") != release.name:
                return {}
            return {name: Recorded(*entry) for name, entry in data["files"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return {}   # missing or damaged: every part is written again

    def save(self, release: Path, keys: dict[str, str], digests: Mapping[str, str]) -> None:
        """Record the files of ``release`` (just published, or found unchanged): their SHA-256 (``digests``, as its
        SHA256SUMS gives them), identity and, for its parts, their keys ({file name: key})."""
        if self.path is None:
            return
        files = {}
        for name, digest in sorted(digests.items()):
            st = (release / name).stat()
            files[name] = [keys.get(name), digest, st.st_ino, st.st_size, st.st_mtime_ns]
        tmp = self.path.with_name(self.path.name + ".tmp")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"release": release.name, "files": files}, ensure_ascii=False), "utf-8")
        os.replace(tmp, self.path)


def recorded_digests(release: Path) -> dict[str, str]:
    """{file name: SHA-256} of the files of ``release`` that are still the ones its dist folder's record names
    ({} when the record is of another release, or missing)."""
    recorded = PartsRecord(release.parent / RECORD).load(release)
    return {name: r.sha256 for name, r in recorded.items() if still_the_same(release / name, r)}


def still_the_same(path: Path, recorded: Recorded) -> bool:
    """Is ``path`` the file recorded (same inode, size and modification time: not rewritten or touched since)?"""
    try:
        st = path.stat()
    except OSError:
        return False
    return (st.st_ino, st.st_size, st.st_mtime_ns) == (recorded.inode, recorded.size, recorded.mtime_ns)


def share(source: Path, target: Path) -> None:
    """``target`` becomes the file ``source`` (a hard link; a copy where links are refused: another file system)."""
    target.parent.mkdir(exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
