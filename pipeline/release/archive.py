"""The release as one download: ``<name>-<version>.zip``, holding every file of the release folder under a folder
of the same name, except SHA256SUMS (which lists the zip, so the zip cannot hold it: check the zip against it, and
the files inside against datapackage.json's SHA-256) and the zip itself. Reproducible: members sorted by name, each
dated the release's publication date (1980-01-01, the earliest date a zip can hold, for a release without one),
permissions rw-r--r--, Deflate at zlib's default level (6); same files, same zlib: same bytes. What the release's validation reads
back from it: ``archive_failures``.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from pathlib import Path

from pipeline.release.about import about
from schemas.crosscheck import Failure
from schemas.validate import Digests, sha256_file

MEDIA_TYPE = "application/zip"
SUMS = "SHA256SUMS"
EARLIEST = (1980, 1, 1, 0, 0, 0)
_CHUNK = 1 << 20


def archive_stem(version: str) -> str:
    return f"{about()['name']}-{version}"


def archive_name(version: str) -> str:
    return f"{archive_stem(version)}.zip"


def members(folder: Path, version: str) -> list[str]:
    """The release files the zip holds, by name (every file of ``folder`` but SHA256SUMS and the zip)."""
    skip = {SUMS, archive_name(version)}
    return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                  and p.name not in skip)


def _info(name: str, size: int, date: str | None) -> zipfile.ZipInfo:
    when = max(tuple(map(int, date.split("-"))) + (0, 0, 0), EARLIEST) if date else EARLIEST   # zip: 1980 at least
    info = zipfile.ZipInfo(name, date_time=when)
    info.create_system = 3                      # Unix, so that the permissions below are read
    info.external_attr = 0o100644 << 16     # a regular file, rw-r--r--
    info.compress_type = zipfile.ZIP_DEFLATED
    info.file_size = size                       # known before writing: Zip64 only where a file needs it
    return info


def write_archive(folder: Path, version: str, date: str | None) -> Path:
    """Write ``folder``/<name>-<version>.zip of the files already in ``folder``; ``date``: YYYY-MM-DD or None."""
    path = folder / archive_name(version)
    tmp = folder / f".{path.name}.tmp"
    stem = archive_stem(version)
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in members(folder, version):
            source = folder / name
            info = _info(f"{stem}/{name}", source.stat().st_size, date)
            with source.open("rb") as src, zf.open(info, "w") as dst:
                shutil.copyfileobj(src, dst, _CHUNK)
    os.replace(tmp, path)
    return path


def _member_sha256(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    h = hashlib.sha256()
    with zf.open(info) as f:
        for block in iter(lambda: f.read(_CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def archive_failures(folder: Path, version: str, expected: list[str], digest: Digests = sha256_file) -> list[Failure]:
    """The zip against the release folder: it holds exactly the files ``expected`` (by name, under its folder),
    each with the bytes of the release's file."""
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
                if info.filename in wanted and (folder / name).is_file() and \
                        _member_sha256(zf, info) != digest(folder / name):
                    out.append(Failure(path.name, name, None, "member differs from the release's file", name))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
        return [Failure(path.name, "", None, "damaged file: cannot be read as a zip (restore it from a good copy "
                        "of the release)", f"{type(err).__name__}: {err}")]
    return out
