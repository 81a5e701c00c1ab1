"""Faults: a publish killed with SIGKILL at any moment leaves the previous release byte-identical, dist/latest a
complete valid release and dist/index.html listing only complete releases; the next publish completes and
leaves no build folder behind. (A validation failure keeping the previous release byte-identical is
test_publish.test_invalid_table_is_not_published and
test_release_job.test_broken_table_blocks_publishing_and_keeps_previous_release;
two builds being byte-identical is test_release_job.test_two_builds_are_byte_identical.)"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.release.parts import RECORD as PARTS_RECORD   # the keys of the parts published: bookkeeping

from conftest import ROOT, release_frames
from pipeline.release.publish import BUILD_PREFIX, publish
from schemas.validate import validate_release
from test_release_job import snapshot

VERSION = re.compile(r"v(\d+)\.(\d+)\.(\d+)")
# The child loads the latest release's tables, corrects one metric's category (so a new release must be published; a
# metric's value is pinned down by its quote) and publishes.
CHILD = """
import sys
from pathlib import Path
import pandas as pd
from pipeline.release.publish import publish
from schemas.registry import TABLES
dist = Path(sys.argv[1])
if len(sys.argv) > 2:  # die by SIGKILL on the first os.<call> whose destination name starts with <prefix>
    import os, signal
    call, prefix = sys.argv[2].split(":")
    real = getattr(os, call)
    def fatal(src, dst, *args, **kwargs):
        if Path(dst).name.startswith(prefix):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(src, dst, *args, **kwargs)
    setattr(os, call, fatal)
frames = {tb.name: pd.read_parquet(dist / "latest" / f"{tb.name}.parquet") for tb in TABLES}
frames["metrics"].loc[0, "category"] = "petitions" if frames["metrics"].loc[0, "category"] != "petitions" else "other"
publish(frames, dist)
"""
# When to kill: seconds after the child's .building-* folder appears, or at the first sight of a file, or (the
# windows too short to hit from outside) the child kills itself just before one of publish's renames.
KILLS = {"at-once": 0.0, "after-50ms": 0.05, "after-200ms": 0.2,
         "checksums-written": "SHA256SUMS",      # the build folder is complete, being compared / validated
         "right-after-rename": "vX.Y.Z",         # the new release folder exists; link and page not yet swapped
         "validated-before-rename": "rename:v",  # the build folder validated, not yet renamed to vX.Y.Z
         "before-link-swap": "replace:latest",   # dist/.latest.tmp made, not yet moved over dist/latest
         "before-page-swap": "replace:index.html"}  # dist/.index.html.tmp written, not yet moved over index.html
POLL, DEADLINE = 0.005, 90.0


def _changed_frames(release: Path) -> dict[str, pd.DataFrame]:
    frames = release_frames(release)
    metrics = frames["metrics"]
    metrics.loc[0, "category"] = "petitions" if metrics.loc[0, "category"] != "petitions" else "other"
    return frames


def _versions(dist: Path) -> set[str]:
    return {p.name for p in dist.iterdir() if VERSION.fullmatch(p.name) and p.is_dir() and not p.is_symlink()}


def _listed(dist: Path) -> set[str]:
    return set(re.findall(r'href="(v\d+\.\d+\.\d+)/', (dist / "index.html").read_text("utf-8")))


def _kill_when_due(case: str, dist: Path, seen_building: float | None, now: float, old: set[str]) -> bool:
    when = KILLS[case]
    if isinstance(when, float):
        return seen_building is not None and now - seen_building >= when
    if when == "SHA256SUMS":
        return any(dist.glob(f"{BUILD_PREFIX}*/SHA256SUMS"))
    if when == "vX.Y.Z":
        return bool(_versions(dist) - old)
    return False  # the child kills itself


@pytest.fixture(scope="module")
def killed(built, tmp_path_factory):
    """Every case's child started at once, each on its own copy of a release, and killed at its moment."""
    root = tmp_path_factory.mktemp("faults")
    previous = (built / "latest").resolve().name
    old = _versions(built)
    before = snapshot(built / previous)
    runs = {}
    for case in KILLS:
        dist = root / case
        shutil.copytree(built, dist, symlinks=True)
        log = (root / f"{case}.log").open("wb")
        runs[case] = {"dist": dist, "log": root / f"{case}.log", "building": None, "returncode": None,
                      "proc": subprocess.Popen([sys.executable, "-c", CHILD, str(dist)]
                                               + ([KILLS[case]] if ":" in str(KILLS[case]) else []), cwd=ROOT,
                                               stdout=log, stderr=subprocess.STDOUT)}
        log.close()
    start = time.monotonic()
    while any(r["returncode"] is None for r in runs.values()) and time.monotonic() - start < DEADLINE:
        for case, r in runs.items():
            if r["returncode"] is not None:
                continue
            now = time.monotonic()
            if r["building"] is None and any(r["dist"].glob(BUILD_PREFIX + "*")):
                r["building"] = now
            if _kill_when_due(case, r["dist"], r["building"], now, old):
                os.kill(r["proc"].pid, signal.SIGKILL)
            r["returncode"] = r["proc"].poll()
        time.sleep(POLL)
    for r in runs.values():
        if r["returncode"] is None:
            r["proc"].kill()
            r["returncode"] = r["proc"].wait()
    return {"runs": runs, "previous": previous, "old": old, "before": before}


@pytest.mark.parametrize("case", list(KILLS))
def test_publish_killed(killed, case):
    run, previous, old = killed["runs"][case], killed["previous"], killed["old"]
    dist = run["dist"]
    assert run["returncode"] == -signal.SIGKILL, (f"the child was not killed mid-publish "
                                                  f"(exit {run['returncode']}): {run['log'].read_text()[-2000:]}")
    assert snapshot(dist / previous) == killed["before"], "the previous release changed"
    # dist/latest is a complete release: the untouched previous one (valid: test_release_job validates it) or
    # a new folder, which only gets its vX.Y.Z name once fully written and validated
    latest = dist / "latest"
    assert latest.is_symlink() and os.readlink(latest) in _versions(dist)
    new = _versions(dist) - old
    assert len(new) <= 1
    for name in new:
        assert validate_release(dist / name) == [], f"half-written {name}"
    assert previous in _listed(dist) and _listed(dist) <= _versions(dist)
    # the next publish completes the interrupted one
    result = publish(_changed_frames(dist / previous), dist)
    assert result.status == ("unchanged" if new else "published")
    assert VERSION.fullmatch(result.folder.name) and result.folder.name not in old
    assert os.readlink(latest) == result.folder.name
    assert _listed(dist) == _versions(dist) == old | {result.folder.name}
    assert snapshot(dist / previous) == killed["before"]
    leftovers = [p.name for p in dist.iterdir() if p.name.startswith(".") and p.name not in (".build.lock", PARTS_RECORD)]
    assert leftovers == [], "leftover temporary files"   # (the build lock of the CLI that made `built` stays)
