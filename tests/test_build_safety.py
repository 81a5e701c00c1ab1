"""A build that is damaged, doubled or failing says so (issue 13, items 3, 4, 6 and 9): one build at a time per
folder, a damaged work store re-created from the sources instead of published, the real cause of a failed step
with what to do, and output to a terminal that cannot show Chinese."""
import errno
import io
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT, SEEDS, run_release
from pipeline.__main__ import main
from pipeline.assets import store
from pipeline.buildlock import BuildLocked, hold


def _stored_files(work: Path, asset: str) -> list[Path]:
    return sorted((work / "store" / asset).glob("*.pkl"))


@pytest.fixture
def fresh(tmp_path):
    """A seeds copy built once into tmp_path/dist (work folder tmp_path/build/dist)."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    assert run_release(seeds, tmp_path / "dist") == 0
    return seeds, tmp_path / "dist", tmp_path / "build" / "dist"


def test_a_value_edited_inside_the_store_is_never_published(fresh, capsys):
    seeds, dist, work = fresh
    before = pd.read_parquet(dist / "latest" / "metrics.parquet")
    target = max(_stored_files(work, "metrics"), key=lambda p: p.stat().st_size)
    data = target.read_bytes()
    head, frame = data[:store._HEAD], pickle.loads(data[store._HEAD:])   # the batch's rows
    frame.loc[frame.index[0], "value"] = 99999.0   # the checksum in the header is left as it was
    target.write_bytes(head + pickle.dumps(frame, protocol=5))
    capsys.readouterr()
    assert run_release(seeds, dist) == 0
    out = capsys.readouterr().out
    assert "is damaged" in out and "re-created from its source documents by this run" in out   # found before the run
    after = pd.read_parquet(dist / "latest" / "metrics.parquet")
    assert 99999.0 not in after["value"].tolist()
    pd.testing.assert_frame_equal(before, after)


def test_a_truncated_store_file_is_re_created_and_the_run_says_so(fresh, capsys):
    seeds, dist, work = fresh
    target = next(p for p in _stored_files(work, "sentences") if p.name.endswith(".rows.pkl"))
    target.write_bytes(target.read_bytes()[:100])
    capsys.readouterr()
    assert run_release(seeds, dist) == 0
    out = capsys.readouterr().out
    assert "is damaged" in out and "unchanged" in out
    assert run_release(seeds, dist) == 0   # and the store is whole again: nothing to re-create
    assert "damaged" not in capsys.readouterr().out


def test_damage_the_run_itself_finds_is_re_created_and_said(fresh, capsys):
    """Without the record of the store the last build left (deleted here), a damaged file is found by the step that
    reads it: the run stops, says so, and the command line plans and runs again."""
    seeds, dist, work = fresh
    (work / "last_build.json").unlink()
    target = next(p for p in _stored_files(work, "sentences") if p.name.endswith(".rows.pkl"))
    target.write_bytes(target.read_bytes()[:100])
    doc = next(seeds.glob("*.txt"))
    doc.write_text(doc.read_text("utf-8") + "\n全年共审议法规案3件。\n", encoding="utf-8")
    capsys.readouterr()
    assert run_release(seeds, dist) == 0
    out = capsys.readouterr().out
    assert "is damaged" in out and "re-creating the damaged stored tables" in out and "published v0.1.1" in out
    assert main(["validate", str(dist / "latest")]) == 0


def _holder(folder: Path) -> subprocess.Popen:
    code = ("import sys, time; from pathlib import Path; from pipeline.buildlock import hold\n"
            "with hold(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)\n")
    p = subprocess.Popen([sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert p.stdout.readline().strip() == "held"
    return p


def test_the_build_lock_is_exclusive_between_processes_and_reentrant_within_one(tmp_path):
    p = _holder(tmp_path)
    try:
        with pytest.raises(BuildLocked, match=f"pid {p.pid}"):
            with hold(tmp_path):
                pass
    finally:
        p.kill()
        p.wait()
    with hold(tmp_path):
        with hold(tmp_path):   # the command line holds it; the store and the release step ask again
            pass


def test_two_builds_at_once_on_one_dist_one_builds_the_other_says_why(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    cmd = [sys.executable, "-m", "pipeline", "release", "--seeds", str(seeds), "--dist", str(tmp_path / "dist")]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
             for _ in range(2)]
    outs = [p.communicate(timeout=600)[0] for p in procs]
    codes = [p.returncode for p in procs]
    assert sorted(codes) == [0, 3], outs
    loser = outs[codes.index(3)]
    assert "another build holds" in loser and ".build.lock" in loser
    assert subprocess.run([sys.executable, "-m", "pipeline", "validate", str(tmp_path / "dist" / "latest")],
                          cwd=ROOT).returncode == 0


def test_a_failed_step_shows_the_underlying_error_and_what_to_do(built_copy, monkeypatch, capsys):
    import pipeline.assets.release as release_asset

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(built_copy / "v9"))

    monkeypatch.setattr(release_asset, "publish", full_disk)
    assert run_release(SEEDS, built_copy) == 1
    out = capsys.readouterr().out
    assert "step release failed: OSError: [Errno 28] No space left on device" in out
    assert "what to do: the disk is full" in out


def test_output_to_a_terminal_that_cannot_show_chinese(tmp_path, monkeypatch):
    from pipeline.__main__ import main

    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="latin-1"))
    code = main(["release", "--seeds", str(tmp_path / "报告"), "--dist", str(tmp_path / "dist")])
    sys.stdout.flush()
    assert code == 2
    assert "\\u62a5\\u544a" in raw.getvalue().decode("latin-1")
