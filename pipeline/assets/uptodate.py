"""Whether a command-line build has anything to do. A build that changes nothing (same documents, metadata.csv,
annotations, code, work store and dist folder as after the last build that succeeded) publishes nothing new; this
says so from a fingerprint of all of that, without starting a Dagster run that would read, write, compare and
validate every table only to find the release unchanged (23 s at 1,000 documents, measured with bench/run.py at
c0c8eb8; a fingerprint costs the plan's hashing of the files, which the build does anyway, and a stat of the
store's files).

The fingerprint is recorded in ``<work>/last_build.json`` after a build that succeeded. Anything that could change
what a run would do or find changes it: a document's bytes or metadata.csv row (the plan's stamps), the folder's
listing (collisions, skipped files), metadata.csv and gold/ as bytes, any file of ``pipeline/`` or ``schemas/``
(rules, vocabularies, templates, release code), SOURCE_DATE_EPOCH, any file of the work store touched since
(a damaged entry is then found by the run), and the published state of the dist folder (where ``latest`` points,
its files and sizes, SHA256SUMS and index.html as bytes: a release to repair is repaired by the run)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from pipeline.codeversion import code_version
from pipeline.text.sources import METADATA_FILE, gold_folder

RECORD = "last_build.json"
_ROOT = Path(__file__).resolve().parents[2]
_RELEASE_CODE = ("pipeline", "schemas")
_RELEASE_SUFFIXES = (".py", ".toml", ".txt", ".csv", ".j2", ".json")


def _digest(parts) -> str:
    # file names that are not UTF-8 come from the file system as surrogate escapes: hashed as their bytes
    body = json.dumps(parts, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogateescape")
    return hashlib.sha256(body).hexdigest()[:32]


def _file_sha(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _tree(folder: Path) -> list:
    """(relative path, size, modification time in ns) of every file under a folder ([] when missing)."""
    out = []
    for dirpath, _, names in os.walk(folder):
        for name in names:
            p = Path(dirpath) / name
            try:
                st = p.lstat()
            except OSError:
                continue
            out.append((p.relative_to(folder).as_posix(), st.st_size, st.st_mtime_ns))
    return sorted(out)


def _gold(seeds: Path) -> list:
    gold = gold_folder(seeds)   # never a link leading outside the input folder
    return [(rel, _file_sha(gold / rel)) for rel, _, _ in _tree(gold)] if gold.is_dir() else []


def _dist(dist: Path) -> dict:
    latest = dist / "latest"
    target = os.readlink(latest) if latest.is_symlink() else ""
    folder = latest.resolve() if target else None
    return {"latest": target,
            "files": [(rel, size) for rel, size, _ in _tree(folder)] if folder else [],
            "sums": _file_sha(folder / "SHA256SUMS") if folder else "",
            "index": _file_sha(dist / "index.html")}


def _instance(home: Path) -> list:
    """Which Dagster instance is at ``home``: the identity of its dagster.yaml (inode and change time, set when it
    was created) and of its SQLite run storage, so that a deleted and re-created instance, which holds none of the
    build's materializations, is another ([] where there is none). Not their modification times: a running
    ``dagster dev`` writes its daemons' heartbeats into the run storage."""
    out = []
    for path in (home / "dagster.yaml", home / "history" / "runs.db"):
        try:
            st = path.stat()
        except OSError:
            out.append(None)
            continue
        out.append([st.st_ino, st.st_ctime_ns] if path.name == "dagster.yaml" else st.st_ino)
    return out


def fingerprint(seeds: Path, stamps: dict[str, str], store: Path, dist: Path, home: Path) -> dict:
    """What a build's outcome depends on, as digests: ``inputs`` (the documents' ``stamps``, the folder,
    metadata.csv, gold/, code, SOURCE_DATE_EPOCH), ``store`` and ``dist`` (their state) and the Dagster instance at
    ``home`` that records the build's materializations."""
    listing = sorted(p.name for p in seeds.iterdir()) if seeds.is_dir() else []
    inputs = {"stamps": stamps, "listing": listing, "metadata": _file_sha(seeds / METADATA_FILE),
              "gold": _gold(seeds), "code": code_version(_ROOT, _RELEASE_CODE, _RELEASE_SUFFIXES),
              "epoch": os.environ.get("SOURCE_DATE_EPOCH", "")}
    return {"inputs": _digest(inputs), "store": _digest(_tree(Path(str(store)))), "dist": _digest(_dist(dist)),
            "instance": _instance(home)}


def _after(before: dict, listing: list, dist: Path, home: Path) -> dict:
    """The fingerprint a build that succeeded leaves: its inputs', and the store (``listing``: its files), dist
    folder and instance as it left them."""
    return {**before, "store": _digest(listing), "dist": _digest(_dist(dist)), "instance": _instance(home)}


def _recorded(work: Path) -> dict:
    try:
        data = json.loads((work / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def up_to_date(work: Path, now: dict) -> bool:
    """Did the last build that succeeded in this work folder leave exactly this state?"""
    return _recorded(work).get("fingerprint") == now


def record(work: Path, before: dict, store: Path, dist: Path, home: Path) -> None:
    """Remember the state a build that succeeded left (``before``: the fingerprint it started from; called after the
    store and the dist folder are final), and the store's files as it left them (``store_changes``): one listing of
    the store serves both."""
    listing = _tree(Path(str(store)))
    body = {"fingerprint": _after(before, listing, dist, home), "store_files": listing}
    tmp = work / (RECORD + ".tmp")
    tmp.write_text(json.dumps(body, sort_keys=True, ensure_ascii=False), encoding="utf-8", errors="surrogateescape")
    os.replace(tmp, work / RECORD)


def store_changes(work: Path, store: Path) -> tuple[list[str], list[str]]:
    """(files of the store changed or added, files gone) since the last build that succeeded left it, by path
    relative to the store (([], []) when no build left a record): what was not written by a build, and may be
    damaged, without reading the rest."""
    before = {rel: (size, mtime) for rel, size, mtime in _recorded(work).get("store_files", [])}
    if not before:
        return [], []
    now = {rel: (size, mtime) for rel, size, mtime in _tree(Path(str(store)))}
    return sorted(r for r, v in now.items() if before.get(r) != v), sorted(set(before) - set(now))


def forget(work: Path) -> None:
    (work / RECORD).unlink(missing_ok=True)
