"""Batches of documents as dynamic partitions: the batches, the plan (which partitions to add, delete, run), the
sensor that adds them and requests ONE run, and proof by counting the documents each step processed that unchanged
documents are not processed again, even when their batch runs or splits — for a changed file, a new file, a
deleted file and a change of code version."""
import shutil
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from conftest import SEEDS
from pipeline import batches
from pipeline.assets import partitions
from pipeline.assets.automation import seeds_sensor, split_assets
from pipeline.assets.partitions import BATCHES
from pipeline.assets.plan import make_plan
from pipeline.assets.settings import PipelineSettings
from pipeline.definitions import build_definitions

S = {"a": "s1", "b": "s2", "c": "s3", "d": "s4"}


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of at most 2 documents, so that a handful of documents make several batches."""
    monkeypatch.setattr(batches, "BATCH_SIZE", 2)
    return partitions.batch_of


def stored(stamps: dict[str, str], assets=("raw_documents", "sentences")) -> dict[str, dict[str, tuple[str, str]]]:
    where = partitions.batch_of(stamps)
    return {a: {d: (s, where[d]) for d, s in stamps.items()} for a in assets}


def test_batches_are_a_function_of_the_ids_alone_and_at_most_the_batch_size():
    ids = [f"doc{i}" for i in range(1000)]
    where = partitions.batch_of(ids)
    assert where == partitions.batch_of(reversed(ids))   # not the order documents arrived in
    sizes = [len(v) for v in partitions.members(where).values()]
    assert max(sizes) <= batches.BATCH_SIZE and sum(sizes) == 1000
    assert 10 <= len(sizes) <= 30   # about 70 documents a batch: partitions grow far slower than documents
    more = partitions.batch_of(ids + ["doc-new"])   # a new document changes one batch, or splits one in two
    assert len({where[d] for d in ids if more[d] != where[d]}) <= 1
    assert partitions.batch_of(["only"]) == {"only": "b"}


def test_plan_first_build_processes_every_batch(small_batches):
    plan = make_plan(S, [], {})
    batches = sorted(set(small_batches(S).values()))
    assert plan.add == tuple(batches) and plan.delete == () and plan.process == tuple(batches)
    assert plan.changed == ("a", "b", "c", "d") and plan.partition_range == (batches[0], batches[-1])


def test_plan_nothing_changed_processes_nothing(small_batches):
    batches = sorted(set(small_batches(S).values()))
    plan = make_plan(S, batches, stored(S))
    assert not plan.changes_anything and plan.partition_range is None and plan.changed == ()


def test_plan_runs_the_batch_of_a_changed_document_moved_after_the_others(small_batches):
    where = small_batches(S)
    order = sorted(set(where.values()), key=lambda b: b != where["b"])   # b's batch first
    plan = make_plan(S | {"b": "s2-new"}, order, stored(S))
    assert plan.changed == ("b",) and plan.process == (where["b"],)
    assert plan.delete == (where["b"],) and plan.add == (where["b"],)


def test_plan_deleted_file_runs_its_batch_and_processes_no_document(small_batches):
    now = {k: v for k, v in S.items() if k != "c"}
    plan = make_plan(now, sorted(set(small_batches(S).values())), stored(S))
    assert plan.changed == () and plan.removed == ("c",) and plan.process


def test_plan_new_code_version_processes_all_without_moving_any(small_batches):
    batches = sorted(set(small_batches(S).values()), reverse=True)
    plan = make_plan({k: v + "-code2" for k, v in S.items()}, batches, stored(S))
    assert plan.delete == () and plan.add == () and plan.process == tuple(batches)


def test_plan_a_step_that_failed_for_one_asset_reruns_that_documents_batch(small_batches):
    half = stored(S)
    half["sentences"]["c"] = ("stale", half["sentences"]["c"][1])
    plan = make_plan(S, sorted(set(small_batches(S).values())), half)
    assert plan.changed == ("c",) and plan.process == (small_batches(S)["c"],)


def test_plan_a_split_batch_runs_its_halves_but_processes_only_the_new_document(small_batches):
    two = {"a": "s1", "b": "s2"}
    assert set(small_batches(two).values()) == {"b"}
    plan = make_plan(two | {"c": "s3"}, ["b"], stored(two))
    assert plan.delete == ("b",) and set(plan.add) == set(small_batches(two | {"c": "s3"}).values())
    assert plan.changed == ("c",)   # a and b moved to another batch: their tables are moved, not made again


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
    {asset: (sorted batches materialized, documents processed)} of that run."""

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

    def tick(self) -> dict[str, tuple[list[str], int]] | None:
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
        done: dict[str, tuple[list[str], int]] = {}
        for event in self.last_run.get_asset_materialization_events():
            mat = event.event_specific_data.materialization
            batches, processed = done.get(event.asset_key.to_user_string(), ([], 0))
            processed += mat.metadata["processed"].value if "processed" in mat.metadata else 0
            done[event.asset_key.to_user_string()] = (batches + [event.partition or "-"], processed)
        return {k: (sorted(b), n) for k, (b, n) in done.items()}

    def batch_rows(self, asset: str) -> int:
        """The rows of an asset over its batches, as the latest materialization of each batch says."""
        total = 0
        for batch in self.partitions():
            (record,) = self.instance.fetch_materializations(dg.AssetRecordsFilter(
                asset_key=dg.AssetKey(asset), asset_partitions=[batch]), limit=1).records
            total += record.asset_materialization.metadata["dagster/row_count"].value
        return total

    def partitions(self) -> list[str]:
        return list(self.instance.get_dynamic_partitions(BATCHES.name))

    def published(self, table: str) -> pd.DataFrame:
        return pd.read_parquet(self.dist / "latest" / f"{table}.parquet")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    root = tmp_path_factory.mktemp("partitions")
    shutil.copytree(SEEDS, root / "seeds", ignore=shutil.ignore_patterns("gold"))
    with pytest.MonkeyPatch.context() as mp:   # one document a batch until a third arrives in a batch
        mp.setattr(batches, "BATCH_SIZE", 1)
        yield Corpus(root)


def per_document_assets(corpus: Corpus) -> list[str]:
    return [k.to_user_string() for k in split_assets(corpus.defs.resolve_asset_graph())[0]]


SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))


def test_first_tick_adds_the_batches_and_processes_every_document_in_one_run(corpus):
    done = corpus.tick()
    batches = sorted(set(partitions.batch_of(SEED_IDS).values()))
    assert sorted(corpus.partitions()) == batches
    for asset in per_document_assets(corpus):
        assert done[asset] == (batches, len(SEED_IDS)), asset
    assert done["release"] == (["-"], 0)
    assert len(corpus.instance.get_runs()) == 1  # one run for all batches, not one per batch
    assert sorted(corpus.published("documents")["doc_id"]) == SEED_IDS


def test_second_tick_without_change_requests_nothing(corpus):
    result = corpus.sensor()
    assert not result.run_requests and "nothing new" in result.skip_reason.skip_message


def test_changed_and_new_documents_alone_are_processed(corpus, monkeypatch):
    before = corpus.published("sentences")
    monkeypatch.setattr(batches, "BATCH_SIZE", 2)   # the new document joins a batch of an unchanged one
    changed = corpus.seeds / f"{SEED_IDS[0]}.txt"
    changed.write_text(changed.read_text("utf-8") + "\n全年共审议法规案3件。\n", encoding="utf-8")
    shutil.copyfile(corpus.seeds / f"{SEED_IDS[1]}.txt", corpus.seeds / "002_new_report.txt")
    (corpus.seeds / "002_new_report.txt").write_text(
        (corpus.seeds / "002_new_report.txt").read_text("utf-8").replace("常委会", "常務委員會", 1), encoding="utf-8")
    done = corpus.tick()
    for asset in per_document_assets(corpus):
        assert done[asset][1] == 2, asset  # the unchanged seed is not processed again, though its batch changed
    docs = corpus.published("sentences")
    unchanged = SEED_IDS[1]
    pd.testing.assert_frame_equal(docs[docs["doc_id"] == unchanged].reset_index(drop=True),
                                  before[before["doc_id"] == unchanged].reset_index(drop=True))
    assert sorted(corpus.published("documents")["doc_id"]) == sorted(SEED_IDS + ["002_new_report"])
    assert sorted(corpus.partitions()) == sorted(set(partitions.batch_of(SEED_IDS + ["002_new_report"]).values()))
    for table in ("sentences", "metrics", "documents"):   # a batch's row count holds its unchanged documents too
        assert corpus.batch_rows(table) == len(corpus.published(table)), table
    assert len(corpus.instance.get_runs()) == 2


def test_deleted_file_leaves_the_release_and_the_changelog_says_so(corpus, monkeypatch):
    monkeypatch.setattr(batches, "BATCH_SIZE", 2)
    (corpus.seeds / "002_new_report.txt").unlink()
    done = corpus.tick()
    assert all(done[a][1] == 0 for a in per_document_assets(corpus) if a in done)  # no document processed
    assert sorted(corpus.published("documents")["doc_id"]) == SEED_IDS
    changelog = (corpus.dist / "latest" / "CHANGELOG.md").read_text("utf-8")
    newest = changelog.split("\n## ")[1]
    assert "002_new_report" in newest and "removed" in newest.lower()


def test_new_code_version_processes_every_document_again(corpus, monkeypatch):
    monkeypatch.setattr(batches, "BATCH_SIZE", 2)
    monkeypatch.setattr(partitions, "CODE_VERSION", "feedfacefeedface")
    done = corpus.tick()
    for asset in per_document_assets(corpus):
        assert done[asset][1] == len(SEED_IDS), asset


def test_a_run_checks_the_rows_of_its_batches_not_every_batch(tmp_path, monkeypatch):
    monkeypatch.setattr(batches, "BATCH_SIZE", 1)   # the two seeds in two batches
    shutil.copytree(SEEDS, tmp_path / "seeds", ignore=shutil.ignore_patterns("gold"))
    corpus = Corpus(tmp_path)
    corpus.tick()
    changed = corpus.seeds / f"{SEED_IDS[0]}.txt"
    changed.write_text(changed.read_text("utf-8") + "\n全年共审议法规案3件。\n", encoding="utf-8")
    done = corpus.tick()
    assert done["sentences"] == ([partitions.batch_of(SEED_IDS)[SEED_IDS[0]]], 1)
    checked = {e.asset_check_key.name: e.metadata["rows"].value for e in corpus.last_run.get_asset_check_evaluations()}
    sentences = corpus.published("sentences")
    assert checked["sentences_valid"] == (sentences["doc_id"] == SEED_IDS[0]).sum() < len(sentences)
