"""One build at a time per folder: an exclusive lock on a build's work folder and dist folder, so two builds (two
command lines, or the sensor's run and a command line) never write the same store or publish into the same dist.

The lock is the operating system's: ``fcntl.flock(LOCK_EX | LOCK_NB)`` on ``<folder>/.build.lock`` (POSIX; a lock
dies with its process, so a killed build leaves nothing stale to clean up). The file records who holds it (pid,
host, start time) for the message a second build prints. Within one process the lock is re-entrant (the command
line holds it for the whole build; the store and the release step ask again), and processes started by the holder
(the multiprocess executor's steps) inherit it through ``PIPELINE_BUILD_LOCKS``.
Not for NFS or object storage: there, run one build at a time by scheduling (a Dagster run queue limit).

Why not ``filelock`` (in the lock as a dependency of other packages): it is re-entrant within a process too, but
it gives a process started by the holder no way to know that its parent holds the lock (the executor's step
processes would wait for their own build), and it records no holder for the message; what is left of it here is
one ``fcntl.flock`` call.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = ".build.lock"
ENV = "PIPELINE_BUILD_LOCKS"   # os.pathsep-separated lock files held by this process or an ancestor
_held: dict[str, tuple[int, int]] = {}   # lock file -> (file descriptor, re-entry depth)


class BuildLocked(RuntimeError):
    """Another build holds the lock: the message says who and what to do."""


def lock_path(folder: Path) -> Path:
    return Path(folder) / LOCK_NAME


def holder(folder: Path) -> str:
    """Who holds (or last held) a folder's lock, as text for a message."""
    try:
        info = json.loads(lock_path(folder).read_text(encoding="utf-8"))
        return f"pid {info['pid']} on {info['host']}, since {info['since']}"
    except (OSError, ValueError, KeyError):
        return "another process"


def _inherited(path: str) -> bool:
    return path in os.environ.get(ENV, "").split(os.pathsep)


def _acquire(folder: Path, wait: float) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = os.path.realpath(lock_path(folder))
    if path in _held:
        fd, depth = _held[path]
        _held[path] = (fd, depth + 1)
        return path
    if _inherited(path):
        return ""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise BuildLocked(
                    f"another build holds {path} ({holder(folder)}): wait for it to finish (or pass --wait SECONDS "
                    f"to wait for it); a build never shares its work or dist folder") from None
            time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
    info = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.strftime("%Y-%m-%d %H:%M:%S")}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(info).encode(), 0)
    _held[path] = (fd, 1)
    os.environ[ENV] = os.pathsep.join(filter(None, [os.environ.get(ENV, ""), path]))
    return path


def _release(path: str) -> None:
    if not path or path not in _held:
        return
    fd, depth = _held[path]
    if depth > 1:
        _held[path] = (fd, depth - 1)
        return
    del _held[path]
    os.environ[ENV] = os.pathsep.join(p for p in os.environ.get(ENV, "").split(os.pathsep) if p and p != path)
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


@contextlib.contextmanager
def hold(*folders: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the build lock of every folder (in this order) for the block; raise ``BuildLocked`` when another build
    holds one of them for more than ``wait`` seconds."""
    taken: list[str] = []
    try:
        for folder in folders:
            taken.append(_acquire(Path(folder), wait))
        yield
    finally:
        for path in reversed(taken):
            _release(path)
