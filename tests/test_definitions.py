"""The code location loads, with every stage's asset, the blocking checks, the job, schedule and sensor."""
import dagster as dg

from pipeline.definitions import defs
from schemas.registry import TABLES

STAGES = ["raw_documents", "clean_documents", "edits", "sections", "sentences", "numbers", "metrics", "laws",
          "oversight", "proposals", "recommendations", "documents", "indicators", "panel", "problems", "release"]


def test_definitions_load_and_validate():
    repo = defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    assert set(STAGES) <= keys
    dg.Definitions.validate_loadable(defs)


def test_every_asset_has_a_description_and_group():
    graph = defs.get_repository_def().asset_graph
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description, f"{key.to_user_string()} has no description"
        assert node.group_name in {"raw", "clean", "structure", "records", "catalog", "release"}, key


def test_one_blocking_check_per_published_table():
    graph = defs.get_repository_def().asset_graph
    checks = {k.name: graph.get_check_spec(k) for k in graph.asset_check_keys}
    assert {f"{t.name}_valid" for t in TABLES} == set(checks)
    assert all(spec.blocking for spec in checks.values())


def test_schedule_and_sensor_target_the_release_job():
    repo = defs.get_repository_def()
    assert repo.get_schedule_def("daily_release").job_name == "release_job"
    assert repo.get_sensor_def("seeds_sensor").job_name == "release_job"
