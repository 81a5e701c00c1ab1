"""Publishing without Dagster: versions by rule, atomic swaps, and recovery from a run killed mid-publish."""

import pytest

from conftest import SEEDS, release_frames
from pipeline.text.sources import GOLD_FOLDER
from pipeline.release.publish import PublishError, publish
from pipeline.release.quality import evaluate
from pipeline.release.versioning import Shape, bump
from test_release_job import snapshot


@pytest.fixture
def dist(built_copy):
    return built_copy


def test_same_frames_publish_nothing(dist):
    before = snapshot(dist)
    frames = release_frames(dist / "latest")
    result = publish(frames, dist, tuple(evaluate(frames, SEEDS / GOLD_FOLDER)))  # what the build's card holds
    assert result.status == "unchanged" and snapshot(dist) == before


def test_corrected_value_is_a_patch_release_and_old_release_stays(dist):
    old = snapshot(dist / "v0.1.0")
    frames = release_frames(dist / "latest")
    metrics = frames["metrics"]
    metrics.loc[0, "category"] = "petitions" if metrics.loc[0, "category"] != "petitions" else "other"
    result = publish(frames, dist)
    assert (result.status, result.version) == ("published", "0.1.1")
    assert (dist / "latest").readlink().name == "v0.1.1"
    assert snapshot(dist / "v0.1.0") == old
    page = (dist / "index.html").read_text("utf-8")
    assert "v0.1.1" in page and "v0.1.0" in page
    assert "0.1.0" in (dist / "v0.1.1" / "CHANGELOG.md").read_text("utf-8")


def test_a_run_killed_after_the_rename_is_completed_by_the_next(dist):
    frames = release_frames(dist / "latest")
    metrics = frames["metrics"]
    metrics.loc[0, "category"] = "petitions" if metrics.loc[0, "category"] != "petitions" else "other"
    stale_index = (dist / "index.html").read_bytes()
    publish(frames, dist)
    done = snapshot(dist)
    (dist / "latest").unlink()                      # as if killed between the rename and the link swap
    (dist / "latest").symlink_to("v0.1.0")
    (dist / "index.html").write_bytes(stale_index)
    (dist / ".building-leftover").mkdir()           # and a folder of an earlier killed build
    result = publish(frames, dist)
    assert (result.status, result.version) == ("unchanged", "0.1.1")
    assert snapshot(dist) == done
    assert not (dist / ".building-leftover").exists()


def test_a_process_writing_parts_that_dies_publishes_nothing_and_says_what_to_do(dist, monkeypatch):
    from concurrent.futures.process import BrokenProcessPool
    from pipeline.release import publish as publish_module
    before = snapshot(dist)
    frames = release_frames(dist / "latest")
    frames["laws"].loc[0, "quote"] = frames["laws"].loc[0, "quote"] + "。"   # a change: the laws parts are written
    def killed(*args, **kwargs):
        raise BrokenProcessPool("A process in the process pool was terminated abruptly")
    monkeypatch.setattr(publish_module, "write_all", killed)
    with pytest.raises(PublishError, match=r"(?s)ended without a result.*--jobs 1.*untouched|untouched.*--jobs 1"):
        publish(frames, dist)
    assert snapshot(dist) == before


def test_invalid_table_is_not_published(dist):
    before = snapshot(dist)
    frames = release_frames(dist / "latest")
    frames["laws"].loc[0, "quote"] = "这不是原文"
    with pytest.raises(PublishError, match=r"laws\.quote row 0"):
        publish(frames, dist)
    assert snapshot(dist) == before


def _shape(cols, docs=("a",)):
    return Shape({"t": tuple(cols)}, frozenset(docs))


@pytest.mark.parametrize("old, new, version", [
    (_shape([("x", "string")]), _shape([("x", "string")]), "1.4.3"),
    (_shape([("x", "string")]), _shape([("x", "string")], docs=("a", "b")), "1.5.0"),
    (_shape([("x", "string")]), _shape([("x", "string"), ("y", "integer")]), "1.5.0"),
    (_shape([("x", "string"), ("y", "integer")]), _shape([("x", "string")]), "2.0.0"),
    (_shape([("x", "string")]), _shape([("x", "integer")]), "2.0.0"),
], ids=["values-only", "new-document", "new-column", "column-removed", "column-retyped"])
def test_version_rule(old, new, version):
    assert bump("1.4.2", old, new) == version
