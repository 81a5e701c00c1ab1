"""The release as one download: ``<name>-<version>.zip``, holding every file of the release folder under a folder
of the same name, except SHA256SUMS (which lists the zip, so the zip cannot hold it: check the zip against it, and
the files inside against datapackage.json's SHA-256) and the zip itself. Reproducible: members sorted by name, each
dated the release's publication date (1980-01-01, the earliest date a zip can hold, for a release without one),
permissions rw-r--r--, Deflate at zlib's default level (6); same files, same zlib: same bytes. What the release's
validation reads back from it: ``archive_failures``.

A release whose tables are in parts (``schemas.layout``) leaves the SQLite database out of its zip: the database is
a download of its own, made from the tables the zip holds, and compressing it was most of the zip's cost and size
(1,000 documents: 3.1 of 5.6 s, 34 of 66 MiB). A part shared with the previous release (``pipeline.release.parts``)
goes into the zip as the previous zip's compressed bytes, under a header of its own: Deflate at the same level gives
the same bytes again, so the zip is the one a fresh build writes (tests/test_downloads.py compares them).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import zipfile
from collections.abc import Collection
from pathlib import Path

from pipeline.release.about import about
from schemas.crosscheck import Failure
from pipeline.release.sqlite import database_name
from schemas.layout import is_parted, release_files
from schemas.registry import TABLES
from schemas.validate import Digests, sha256_file

MEDIA_TYPE = "application/zip"
SUMS = "SHA256SUMS"
EARLIEST = (1980, 1, 1, 0, 0, 0)
_CHUNK = 1 << 20
_LOCAL_HEADER = 30          # bytes of a zip member's local header before its name and extra field
_DATA_DESCRIPTOR = 0x08     # flag bit: sizes and CRC after the data (never in the zips written here)


def archive_stem(version: str) -> str:
    return f"{about()['name']}-{version}"


def archive_name(version: str) -> str:
    return f"{archive_stem(version)}.zip"


def in_zip(names, folder: Path, version: str) -> list[str]:
    """Which of a release's file ``names`` its zip holds (all but SHA256SUMS, the zip, and in a release whose tables
    are in parts the database), sorted."""
    skip = {SUMS, archive_name(version)}
    if any(is_parted(folder, tb.name) for tb in TABLES):
        skip.add(database_name())
    return sorted(n for n in names if n not in skip)


def members(folder: Path, version: str) -> list[str]:
    """The release files the zip holds, by name."""
    return in_zip(release_files(folder), folder, version)


def _info(name: str, size: int, date: str | None) -> zipfile.ZipInfo:
    when = max(tuple(map(int, date.split("-"))) + (0, 0, 0), EARLIEST) if date else EARLIEST   # zip: 1980 at least
    info = zipfile.ZipInfo(name, date_time=when)
    info.create_system = 3                      # Unix, so that the permissions below are read
    info.external_attr = 0o100644 << 16     # a regular file, rw-r--r--
    info.compress_type = zipfile.ZIP_DEFLATED
    info.file_size = size                       # known before writing: Zip64 only where a file needs it
    return info


def _add(zf: zipfile.ZipFile, source: Path, info: zipfile.ZipInfo) -> None:
    """Compress file ``source`` into ``zf`` as member ``info`` (the one way members are compressed here)."""
    with source.open("rb") as src, zf.open(info, "w") as dst:
        shutil.copyfileobj(src, dst, _CHUNK)


def _identity(path: Path) -> bytes:
    st = path.stat()
    return f"{st.st_ino} {st.st_size} {st.st_mtime_ns}".encode()


def compress(folder: Path, names: list[str], into: Path) -> None:
    """Compress the release files ``names`` of ``folder`` into the zip ``into``, each member as ``write_archive``
    compresses it, named by the file's name and noting the file's identity, so that ``write_archive`` takes its bytes
    while the file is unchanged. The release's parts are compressed this way as they are written, several processes
    at once (``pipeline.release.write_parts``): 10,000 documents' zip took 24 s in one process."""
    with zipfile.ZipFile(into, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            info = _info(name, (folder / name).stat().st_size, None)
            info.comment = _identity(folder / name)
            _add(zf, folder / name, info)


def write_archive(folder: Path, version: str, date: str | None, previous: Path | None = None,
                  shared: Collection[str] = (), compressed: Collection[Path] = ()) -> Path:
    """Write ``folder``/<name>-<version>.zip of the files already in ``folder``; ``date``: YYYY-MM-DD or None;
    ``shared``: files that are the release ``previous``'s too (hard links), taken compressed from its zip;
    ``compressed``: zips written by ``compress``, whose members are taken as they are while their files are
    unchanged."""
    path = folder / archive_name(version)
    tmp = folder / f".{path.name}.tmp"
    stem = archive_stem(version)
    sources = [_Compressed.of_release(previous, shared)]
    sources += [_Compressed(z, "", lambda name, old: old.comment == _identity(folder / name)) for z in compressed]
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name in members(folder, version):
                source = folder / name
                info = _info(f"{stem}/{name}", source.stat().st_size, date)
                if not any(s.copy(name, zf, info) for s in sources):
                    _add(zf, source, info)
    finally:
        for s in sources:
            s.close()
    os.replace(tmp, path)
    return path


class _Compressed:
    """Members of another zip, for files whose compressed bytes are known already (a part shared with the previous
    release, in that release's zip; a part compressed as it was written): copied as they are. Hand-written because
    ``zipfile`` has no way to add a member already compressed; it does here what ``ZipFile.open(info, "w")`` does (a
    local header, the data, the member listed), with the data taken from the other zip: the same deflated bytes, so
    the same zip (1,000 documents: the zip took 2.5 s without the database, most of it compressing parts that had
    not changed). ``accept(name, member)``: whether the member may stand for the file ``name``."""

    def __init__(self, path: Path | None, stem: str, accept):
        self.accept, self.zf, self.infos = accept, None, {}
        if path is None:
            return
        try:
            self.zf = zipfile.ZipFile(path)
            self.infos = {i.filename.removeprefix(f"{stem}/" if stem else ""): i for i in self.zf.infolist()}
        except (OSError, ValueError, zipfile.BadZipFile):
            self.zf = None   # no usable zip there: every member is compressed again

    @classmethod
    def of_release(cls, previous: Path | None, shared: Collection[str]) -> "_Compressed":
        """The zip of the release ``previous``, for the files ``shared`` with it."""
        shared = set(shared)
        if previous is None or not shared:
            return cls(None, "", None)
        try:
            old = str(json.loads((previous / "datapackage.json").read_text("utf-8"))["version"])
        except (OSError, ValueError, KeyError, TypeError):
            return cls(None, "", None)
        return cls(previous / archive_name(old), archive_stem(old), lambda name, _: name in shared)

    def close(self) -> None:
        if self.zf is not None:
            self.zf.close()

    def copy(self, name: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
        """Add file ``name`` to ``zf`` as ``info`` from the other zip (False: not there alike)."""
        old = self.infos.get(name) if self.zf is not None else None
        if old is None or old.file_size != info.file_size or old.compress_type != info.compress_type \
                or old.flag_bits & _DATA_DESCRIPTOR or not self.accept(name, old):
            return False
        fp = self.zf.fp
        fp.seek(old.header_offset)
        header = fp.read(_LOCAL_HEADER)
        if header[:4] != b"PK\x03\x04":
            return False
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        fp.seek(old.header_offset + _LOCAL_HEADER + name_len + extra_len)
        info.CRC, info.compress_size, info.flag_bits = old.CRC, old.compress_size, 0
        zip64 = info.file_size * 1.05 > zipfile.ZIP64_LIMIT   # as ZipFile.open(info, "w") decides
        zf.fp.seek(zf.start_dir)
        info.header_offset = zf.start_dir
        zf.fp.write(info.FileHeader(zip64))
        left = old.compress_size
        while left:
            block = fp.read(min(_CHUNK, left))
            if not block:
                raise zipfile.BadZipFile(f"{self.zf.filename}: member {old.filename} is cut short")
            zf.fp.write(block)
            left -= len(block)
        zf.filelist.append(info)
        zf.NameToInfo[info.filename] = info
        zf.start_dir = zf.fp.tell()
        return True


def _member_sha256(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    h = hashlib.sha256()
    with zf.open(info) as f:
        for block in iter(lambda: f.read(_CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def archive_failures(folder: Path, version: str, expected: list[str], digest: Digests = sha256_file,
                     trusted: Collection[str] = ()) -> list[Failure]:
    """The zip against the release folder: it holds exactly the files ``expected`` (by name, under its folder),
    each with the bytes of the release's file (but ``trusted`` ones: files shared with the previous release, whose
    members are that release's zip's, checked when it was published)."""
    path = folder / archive_name(version)
    if not path.is_file():
        return []   # named by the layout check when the release should have one
    stem, out = archive_stem(version), []
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = [i.filename for i in infos]
            wanted = [f"{stem}/{n}" for n in expected]
            if names != wanted:
                out.append(Failure(path.name, "", None, "members differ from the release's files",
                                   f"missing {sorted(set(wanted) - set(names))[:5]}, "
                                   f"extra {sorted(set(names) - set(wanted))[:5]}" if set(names) != set(wanted)
                                   else "not in name order"))
            for info in infos:
                name = info.filename.removeprefix(f"{stem}/")
                if info.filename in wanted and name not in trusted and (folder / name).is_file() and \
                        _member_sha256(zf, info) != digest(folder / name):
                    out.append(Failure(path.name, name, None, "member differs from the release's file", name))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
        return [Failure(path.name, "", None, "damaged file: cannot be read as a zip (restore it from a good copy "
                        "of the release)", f"{type(err).__name__}: {err}")]
    return out
