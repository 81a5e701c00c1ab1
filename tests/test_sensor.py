"""The sensor, alone: it asks for one run when a seeds file is new, changed (by content, not mtime) or removed,
with the partition requests that make the batches to run one range, and never twice for the same plan.
(tests/test_partitions.py runs what it requests.)"""
import os

import dagster as dg
import pytest

from pipeline.assets.automation import seeds_sensor
from pipeline.assets.settings import PipelineSettings
from pipeline.definitions import build_definitions

RANGE = ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end")


@pytest.fixture
def tick(tmp_path):
    settings = PipelineSettings(seeds_dir=str(tmp_path / "seeds"), dist_dir=str(tmp_path / "dist"),
                                work_dir=str(tmp_path / "work"))
    repo = build_definitions(settings).get_repository_def()
    instance = dg.DagsterInstance.ephemeral()

    def run(cursor=None) -> dg.SensorResult:
        return seeds_sensor(dg.build_sensor_context(instance=instance, cursor=cursor, repository_def=repo,
                                                    resources={"settings": settings}))
    (tmp_path / "seeds").mkdir()
    yield run
    instance.dispose()


def _requested(result: dg.SensorResult) -> tuple[str, str]:
    (request,) = result.run_requests
    return request.tags[RANGE[0]], request.tags[RANGE[1]]


def test_new_files_request_one_run_over_one_range_and_add_their_partitions(tick, tmp_path):
    (tmp_path / "seeds" / "a.txt").write_text("市人大常委会工作报告", encoding="utf-8")
    (tmp_path / "seeds" / "b.txt").write_text("另一份报告", encoding="utf-8")
    first = tick()
    assert _requested(first) == ("b", "b")   # two documents: one batch (every id's hash starts with no bits)
    (add,) = first.dynamic_partitions_requests
    assert isinstance(add, dg.AddDynamicPartitionsRequest) and list(add.partition_keys) == ["b"]
    again = tick(first.cursor)
    assert not again.run_requests and "already requested" in again.skip_reason.skip_message


def test_touch_without_change_skips_but_an_edit_requests(tick, tmp_path):
    f = tmp_path / "seeds" / "a.txt"
    f.write_text("一", encoding="utf-8")
    cursor = tick().cursor
    os.utime(f, (1, 1))  # modification time alone is not a change
    assert not tick(cursor).run_requests
    f.write_text("二", encoding="utf-8")
    assert _requested(tick(cursor)) == ("b", "b")


def test_missing_folder_is_a_skip_not_a_crash(tick, tmp_path):
    (tmp_path / "seeds").rmdir()
    result = tick()
    assert not result.run_requests and "does not exist" in result.skip_reason.skip_message


def test_changing_a_file_back_runs_again(tick, tmp_path):
    f = tmp_path / "seeds" / "a.txt"
    f.write_text("一", encoding="utf-8")
    first = tick()
    f.write_text("二", encoding="utf-8")
    second = tick(first.cursor)
    f.write_text("一", encoding="utf-8")
    third = tick(second.cursor)
    assert len(third.run_requests) == 1 and third.cursor == first.cursor
    assert third.run_requests[0].run_key is None  # a content-derived key would make Dagster drop this run
