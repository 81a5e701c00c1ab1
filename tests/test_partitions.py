"""One dynamic partition per document: the plan (which partitions to add, delete, process), the sensor that adds
them and requests ONE run, and proof by counting materializations that unchanged documents are not processed
again — for a changed file, a new file, a deleted file and a change of code version."""
import shutil
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from conftest import SEEDS
from pipeline.assets import partitions
from pipeline.assets.automation import seeds_sensor, split_assets
from pipeline.assets.partitions import DOCUMENTS
from pipeline.assets.plan import make_plan
from pipeline.assets.settings import PipelineSettings
from pipeline.definitions import build_definitions

S = {"a": "s1", "b": "s2", "c": "s3", "d": "s4"}


def stored(stamps: dict[str, str], assets=("raw_documents", "sentences")) -> dict[str, dict[str, str]]:
    return {a: dict(stamps) for a in assets}


def test_plan_first_build_processes_every_document_in_name_order():
    plan = make_plan(S, [], {})
    assert plan.add == ("a", "b", "c", "d") and plan.delete == () and plan.process == ("a", "b", "c", "d")
    assert plan.partition_range == ("a", "d")


def test_plan_nothing_changed_processes_nothing():
    plan = make_plan(S, ["a", "b", "c", "d"], stored(S))
    assert not plan.changes_anything and plan.partition_range is None


def test_plan_moves_a_changed_document_after_the_unchanged_ones():
    now = S | {"b": "s2-new"}
    plan = make_plan(now, ["a", "b", "c", "d"], stored(S))
    assert plan.delete == ("b",) and plan.add == ("b",) and plan.process == ("b",)
    assert plan.partition_range == ("b", "b")


def test_plan_new_and_changed_documents_form_one_range_at_the_end():
    now = S | {"a": "s1-new", "e": "s5"}
    plan = make_plan(now, ["a", "b", "c", "d"], stored(S))
    assert plan.delete == ("a",) and plan.add == ("a", "e") and plan.process == ("a", "e")


def test_plan_new_document_at_the_end_needs_no_move():
    plan = make_plan(S | {"e": "s5"}, ["a", "b", "c", "d"], stored(S))
    assert plan.delete == () and plan.add == ("e",) and plan.process == ("e",)


def test_plan_deleted_file_deletes_its_partition_and_processes_nothing():
    now = {k: v for k, v in S.items() if k != "c"}
    plan = make_plan(now, ["a", "b", "c", "d"], stored(S))
    assert plan.delete == ("c",) and plan.add == () and plan.process == () and plan.removed == ("c",)
    assert plan.changes_anything


def test_plan_new_code_version_processes_all_without_moving_any():
    now = {k: v + "-code2" for k, v in S.items()}
    plan = make_plan(now, ["b", "a", "d", "c"], stored(S))
    assert plan.delete == () and plan.add == () and plan.process == ("b", "a", "d", "c")


def test_plan_a_step_that_failed_for_one_asset_reprocesses_that_document():
    half = stored(S)
    half["sentences"]["c"] = "stale"
    plan = make_plan(S, ["a", "b", "c", "d"], half)
    assert plan.process == ("c",)


def test_stamp_follows_bytes_override_and_code_version(monkeypatch):
    base = partitions.document_stamp("ab" * 32, None)
    assert partitions.document_stamp("ab" * 32, None) == base
    assert partitions.document_stamp("cd" * 32, None) != base
    assert partitions.document_stamp("ab" * 32, {"city": "某市"}) != base
    monkeypatch.setattr(partitions, "CODE_VERSION", "0" * 16)
    assert partitions.document_stamp("ab" * 32, None) != base


def test_code_version_covers_rules_and_vocabularies(tmp_path):
    (tmp_path / "pipeline" / "vocab").mkdir(parents=True)
    (tmp_path / "pipeline" / "vocab" / "units.toml").write_text("a = 1\n")
    parts = ("pipeline/vocab",)
    before = partitions.code_version(tmp_path, parts)
    (tmp_path / "pipeline" / "vocab" / "units.toml").write_text("a = 2\n")
    assert partitions.code_version(tmp_path, parts) != before


# --- the sensor and the real job, on a persistent-like instance -------------------------------------------


class Corpus:
    """A seeds folder, a work folder and one Dagster instance; ``tick`` evaluates the sensor, applies its
    partition requests as the daemon does and runs its run request in process, returning
    {asset: sorted partitions materialized} of that run."""

    def __init__(self, root: Path):
        self.seeds, self.dist = root / "seeds", root / "dist"
        self.settings = PipelineSettings(seeds_dir=str(self.seeds), dist_dir=str(self.dist),
                                         work_dir=str(root / "work"))
        self.defs = build_definitions(self.settings)
        self.instance = dg.DagsterInstance.ephemeral()
        self.cursor = None
        self.last_run = None

    def sensor(self) -> dg.SensorResult:
        context = dg.build_sensor_context(instance=self.instance, cursor=self.cursor,
                                          repository_def=self.defs.get_repository_def(),
                                          resources={"settings": self.settings})
        return seeds_sensor(context)

    def tick(self) -> dict[str, list[str]] | None:
        result = self.sensor()
        if not result.run_requests:
            return None
        for req in result.dynamic_partitions_requests:
            if isinstance(req, dg.DeleteDynamicPartitionsRequest):
                for key in req.partition_keys:
                    self.instance.delete_dynamic_partition(req.partitions_def_name, key)
            else:
                self.instance.add_dynamic_partitions(req.partitions_def_name, list(req.partition_keys))
        self.cursor = result.cursor
        (request,) = result.run_requests
        self.last_run = self.defs.resolve_job_def("release_job").execute_in_process(
            instance=self.instance, tags=request.tags, asset_selection=request.asset_selection)
        done: dict[str, list[str]] = {}
        for event in self.last_run.get_asset_materialization_events():
            done.setdefault(event.asset_key.to_user_string(), []).append(event.partition)
        return {k: sorted(p for p in v if p is not None) or ["-"] for k, v in done.items()}

    def partitions(self) -> list[str]:
        return list(self.instance.get_dynamic_partitions(DOCUMENTS.name))

    def published(self, table: str) -> pd.DataFrame:
        return pd.read_parquet(self.dist / "latest" / f"{table}.parquet")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    root = tmp_path_factory.mktemp("partitions")
    shutil.copytree(SEEDS, root / "seeds", ignore=shutil.ignore_patterns("gold"))
    return Corpus(root)


def per_document_assets(corpus: Corpus) -> list[str]:
    return [k.to_user_string() for k in split_assets(corpus.defs.resolve_asset_graph())[0]]


SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))


def test_first_tick_adds_one_partition_per_document_and_processes_them_in_one_run(corpus):
    done = corpus.tick()
    assert corpus.partitions() == SEED_IDS
    for asset in per_document_assets(corpus):
        assert done[asset] == SEED_IDS, asset
    assert done["release"] == ["-"]
    assert len(corpus.instance.get_runs()) == 1  # one run for all documents, not one per document
    assert sorted(corpus.published("documents")["doc_id"]) == SEED_IDS


def test_second_tick_without_change_requests_nothing(corpus):
    result = corpus.sensor()
    assert not result.run_requests and "nothing new" in result.skip_reason.skip_message


def test_changed_and_new_documents_alone_are_processed(corpus):
    changed = corpus.seeds / f"{SEED_IDS[0]}.txt"
    changed.write_text(changed.read_text("utf-8") + "\n全年共审议法规案3件。\n", encoding="utf-8")
    shutil.copyfile(corpus.seeds / f"{SEED_IDS[1]}.txt", corpus.seeds / "002_new_report.txt")
    (corpus.seeds / "002_new_report.txt").write_text(
        (corpus.seeds / "002_new_report.txt").read_text("utf-8").replace("常委会", "常務委員會", 1), encoding="utf-8")
    done = corpus.tick()
    expected = sorted([SEED_IDS[0], "002_new_report"])
    for asset in per_document_assets(corpus):
        assert done[asset] == expected, asset  # the unchanged seed is not materialized again
    assert corpus.partitions() == [SEED_IDS[1], *expected]  # the changed one moved to the end: one range
    assert sorted(corpus.published("documents")["doc_id"]) == sorted(SEED_IDS + ["002_new_report"])
    assert len(corpus.instance.get_runs()) == 2


def test_deleted_file_leaves_the_release_and_the_changelog_says_so(corpus):
    (corpus.seeds / "002_new_report.txt").unlink()
    done = corpus.tick()
    assert set(done) == {"indicators", "problems", "panel", "release"}  # no per-document step ran
    assert "002_new_report" not in corpus.partitions()
    assert sorted(corpus.published("documents")["doc_id"]) == SEED_IDS
    changelog = (corpus.dist / "latest" / "CHANGELOG.md").read_text("utf-8")
    newest = changelog.split("\n## ")[1]
    assert "002_new_report" in newest and "removed" in newest.lower()


def test_new_code_version_processes_every_document_again(corpus, monkeypatch):
    monkeypatch.setattr(partitions, "CODE_VERSION", "feedfacefeedface")
    done = corpus.tick()
    for asset in per_document_assets(corpus):
        assert done[asset] == SEED_IDS, asset
    assert corpus.partitions() == [SEED_IDS[1], SEED_IDS[0]]  # everything is one range: nothing moved


def test_by_doc_splits_several_documents_and_keeps_one_as_it_is():
    import pandas as pd
    from pipeline.assets.convert import by_doc
    one = pd.DataFrame({"doc_id": ["a", "a"], "x": [1, 2]})
    assert list(by_doc(one)) == ["a"] and by_doc(one)["a"] is one
    two = pd.DataFrame({"doc_id": ["b", "a", "b"], "x": [1, 2, 3]})
    assert {k: list(v["x"]) for k, v in by_doc(two).items()} == {"a": [2], "b": [1, 3]}
    assert by_doc(one.iloc[:0]) == {}
