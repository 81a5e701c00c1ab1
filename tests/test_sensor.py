"""The sensor asks for a run when a seeds file is new, changed (by content, not mtime) or removed."""
import json
import os

import dagster as dg

from pipeline.assets.automation import seeds_sensor
from pipeline.assets.settings import PipelineSettings


def _tick(folder, cursor=None):
    ctx = dg.build_sensor_context(cursor=cursor, resources={"settings": PipelineSettings(seeds_dir=str(folder))})
    return seeds_sensor(ctx)


def test_new_file_requests_a_run_and_unchanged_folder_skips(tmp_path):
    (tmp_path / "a.txt").write_text("市人大常委会工作报告", encoding="utf-8")
    first = _tick(tmp_path)
    assert len(first.run_requests) == 1 and first.cursor
    again = _tick(tmp_path, first.cursor)
    assert not again.run_requests and "no new" in again.skip_reason.skip_message

    (tmp_path / "b.txt").write_text("另一份报告", encoding="utf-8")
    added = _tick(tmp_path, first.cursor)
    assert len(added.run_requests) == 1
    assert added.run_requests[0].tags["seeds/changed"] == "b.txt"
    assert set(json.loads(added.cursor)) == {"a.txt", "b.txt"}


def test_touch_without_change_skips_but_edit_and_delete_request(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("一", encoding="utf-8")
    cursor = _tick(tmp_path).cursor
    os.utime(f, (1, 1))  # modification time alone is not a change
    assert not _tick(tmp_path, cursor).run_requests
    f.write_text("二", encoding="utf-8")
    edited = _tick(tmp_path, cursor)
    assert edited.run_requests[0].tags["seeds/changed"] == "a.txt"
    f.unlink()
    removed = _tick(tmp_path, edited.cursor)
    assert removed.run_requests[0].tags["seeds/removed"] == "a.txt"


def test_missing_folder_is_a_skip_not_a_crash(tmp_path):
    result = _tick(tmp_path / "nope")
    assert not result.run_requests and "does not exist" in result.skip_reason.skip_message


def test_changing_a_file_back_runs_again(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("一", encoding="utf-8")
    first = _tick(tmp_path)
    f.write_text("二", encoding="utf-8")
    second = _tick(tmp_path, first.cursor)
    f.write_text("一", encoding="utf-8")
    third = _tick(tmp_path, second.cursor)
    assert len(third.run_requests) == 1 and third.cursor == first.cursor
    assert third.run_requests[0].run_key is None  # a content-derived key would make Dagster drop this run
