"""A build with nothing changed starts no run (``pipeline/assets/uptodate.py``), and every kind of change still
does: a document, metadata.csv, the annotations, the work store, the dist folder; a build that failed leaves
nothing to trust."""
import shutil

import dagster as dg
import pytest

from conftest import SEEDS, run_release
from pipeline.instance import open_instance

NO_RUN = "no run started"


@pytest.fixture
def folders(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    dist, work = tmp_path / "dist", tmp_path / "build" / "dist"
    assert run_release(seeds, dist) == 0
    return seeds, dist, work


def runs(work) -> int:
    with open_instance(work) as instance:
        return len(instance.get_runs())


def build(seeds, dist, capsys) -> str:
    capsys.readouterr()
    assert run_release(seeds, dist) == 0
    return capsys.readouterr().out


def test_nothing_changed_starts_no_run_and_says_the_release_is_unchanged(folders, capsys):
    seeds, dist, work = folders
    before = runs(work)
    out = build(seeds, dist, capsys)
    assert NO_RUN in out and "unchanged: v0.1.0" in out
    assert runs(work) == before
    (seeds / next(p.name for p in seeds.glob("*.txt"))).touch()   # a new modification time alone changes nothing
    assert NO_RUN in build(seeds, dist, capsys)


CHANGES = ["document", "metadata", "gold", "store", "dist page", "new file", "instance"]


def _change(seeds, dist, work, change: str) -> None:
    if change == "document":
        doc = next(seeds.glob("*.txt"))
        doc.write_text(doc.read_text("utf-8") + "\n全年共审议法规案3件。\n", encoding="utf-8")
    elif change == "metadata":
        (seeds / "metadata.csv").write_text("file,city\nno_such_file.txt,某市\n", encoding="utf-8")
    elif change == "gold":
        (seeds / "gold" / "notes.md").write_text("a note", encoding="utf-8")
    elif change == "store":
        stamps = next((work / "store" / "sentences").glob("*.rows.pkl"))
        stamps.write_bytes(stamps.read_bytes())   # rewritten: its modification time moves
    elif change == "dist page":
        (dist / "index.html").unlink()
    elif change == "instance":   # the UI would show nothing built: the run records it again
        shutil.rmtree(work / "dagster")
    else:
        (seeds / "notes.docx").write_bytes(b"not a document")


def test_any_change_starts_a_run(folders, capsys):
    """Each kind of change in turn on one built folder (one build, not one per change: each change's build and the
    build after it leave the folder up to date for the next)."""
    seeds, dist, work = folders
    for change in CHANGES:
        _change(seeds, dist, work, change)
        before = runs(work)
        out = build(seeds, dist, capsys)
        assert NO_RUN not in out and runs(work) == before + 1, change
        if change == "dist page":
            assert (dist / "index.html").is_file()   # the run repaired it
        assert NO_RUN in build(seeds, dist, capsys), change   # and then there is nothing to do again


def test_a_failed_build_leaves_nothing_to_trust(folders, capsys, monkeypatch):
    seeds, dist, work = folders
    import pipeline.assets.release as release_asset

    def fails(*args, **kwargs):
        raise OSError(28, "No space left on device")

    doc = next(seeds.glob("*.txt"))
    doc.write_text(doc.read_text("utf-8") + "\n全年共审议法规案3件。\n", encoding="utf-8")
    monkeypatch.setattr(release_asset, "publish", fails)
    capsys.readouterr()
    assert run_release(seeds, dist) == 1
    monkeypatch.undo()
    out = build(seeds, dist, capsys)   # the stored tables are up to date, but the release is not: it runs
    assert NO_RUN not in out and "published v0.1.1" in out
