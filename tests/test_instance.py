"""Which Dagster instance a build uses (pipeline.instance): ``$DAGSTER_HOME`` when set, else ``<work>/dagster``;
created with a ``dagster.yaml`` on first use, never overwritten; persistent, so two opens see the same runs."""
from pathlib import Path

import dagster as dg

from pipeline.instance import DEFAULT_CONFIG, instance_home, open_instance


def test_the_default_folder_is_dagster_in_the_work_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert instance_home(tmp_path / "work") == tmp_path / "work" / "dagster"
    assert instance_home(Path("build/dist")) == Path("build/dist/dagster")   # make dataset's, in the project


def test_dagster_home_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    assert instance_home(tmp_path / "work") == tmp_path / "home"
    with open_instance(tmp_path / "work") as instance:
        assert instance.is_persistent
    assert (tmp_path / "home" / "dagster.yaml").is_file()
    assert not (tmp_path / "work").exists()
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("DAGSTER_HOME", "~/elsewhere")   # as Dagster reads it: ~ expanded
    assert instance_home(tmp_path / "work") == tmp_path / "elsewhere"


def test_the_folder_and_its_yaml_are_made_once_and_never_overwritten(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    work = tmp_path / "build" / "dist"
    with open_instance(work):
        pass
    config = work / "dagster" / "dagster.yaml"
    assert config.read_text("utf-8") == DEFAULT_CONFIG == "telemetry:\n  enabled: false\n"
    mine = DEFAULT_CONFIG + "# an operator's own settings\n"
    config.write_text(mine, encoding="utf-8")
    with open_instance(work):
        pass
    assert config.read_text("utf-8") == mine


@dg.asset
def one() -> int:
    return 1


def test_two_opens_see_the_same_runs(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    with open_instance(tmp_path) as first:
        result = dg.materialize([one], instance=first)
        assert result.success
    with open_instance(tmp_path) as second:
        assert [r.run_id for r in second.get_runs()] == [result.run_id]
        assert second.get_latest_materialization_event(one.key).run_id == result.run_id
