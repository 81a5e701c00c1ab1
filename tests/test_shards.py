"""A build over several runs at once (pipeline.assets.shards, ``--jobs``): the plan's batches cut into consecutive
ranges, one run per range in its own process, then the release's run; the same bytes as one run, stamps written by
runs at the same time all kept, and a failed run's build publishes nothing."""
import shutil

import dagster as dg
import pandas as pd
import pytest
from upath import UPath

from conftest import SEEDS, run_release
from pipeline import batches
from pipeline.assets import plan as plan_module
from pipeline.assets import records, store
from pipeline.assets.plan import Plan
from pipeline.instance import open_instance
from pipeline.release import write_parts

SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))


def plan(process: str, documents: dict[str, int]) -> Plan:
    where = {f"{b}{i}": b for b, n in documents.items() for i in range(n)}
    return Plan({}, where, (), (), tuple(process), tuple(where), ())


@pytest.fixture(autouse=True)
def any_number_of_documents(monkeypatch):
    monkeypatch.setattr(plan_module, "MIN_PER_RUN", 1)   # a run at once per range, however few documents
    monkeypatch.setattr(write_parts, "MIN_PARTS_PER_PROCESS", 1)   # and the release's parts in a process each


def test_shards_are_consecutive_ranges_whose_largest_is_as_small_as_can_be():
    assert plan("abcd", dict(a=1, b=1, c=1, d=1)).shards(2) == [("a", "b"), ("c", "d")]
    assert plan("abc", dict(a=72, b=73, c=55)).shards(2) == [("a", "a"), ("b", "c")]   # 73+55, not 72+73
    assert plan("abcd", dict(a=10, b=1, c=1, d=1)).shards(2) == [("a", "a"), ("b", "d")]
    assert plan("abc", dict(a=1, b=1, c=1)).shards(5) == [("a", "a"), ("b", "b"), ("c", "c")]
    assert plan("abc", dict(a=1, b=1, c=1)).shards(1) == [("a", "c")]
    assert plan("a", dict(a=9)).shards(2) == [("a", "a")] and plan("", {}).shards(2) == []
    # a batch to run with no document to process (one was deleted) still gets a range
    assert plan("ab", dict(a=5)).shards(2) == [("a", "a"), ("b", "b")]


def test_no_more_runs_than_there_are_documents_for(monkeypatch):
    monkeypatch.setattr(plan_module, "MIN_PER_RUN", 100)
    assert plan("abcd", dict(a=60, b=60, c=60, d=60)).shards(8) == [("a", "b"), ("c", "d")]
    assert plan("ab", dict(a=60, b=39)).shards(2) == [("a", "b")]   # 99 documents: one run


def test_stamps_written_meanwhile_by_a_run_over_other_batches_are_kept(tmp_path, monkeypatch):
    io = store.BatchStore(base_path=UPath(tmp_path / "store"))
    row, pending = {"doc_id": "b2", "stamp": "s2"}, [True]
    write = io.dump_to_path
    def dump(context, obj, path):   # while batch b1 is written, another run writes batch b2 of the same asset
        write(context, obj, path)
        if path.name == "b1.found.pkl" and pending:
            pending.pop()
            io.write_batches("raw_documents", ["b2"], store.Handover(
                {"b2": row}, {"b2": pd.DataFrame([row])}, {"b2": ["b2"]}))
    monkeypatch.setattr(io, "dump_to_path", dump)
    io.write_batches("raw_documents", ["b1"], store.Handover(
        {"b1": {"doc_id": "b1", "stamp": "s1"}}, {"b1": pd.DataFrame([{"doc_id": "b1", "stamp": "s1"}])},
        {"b1": ["b1"]}))
    assert store.stamps(io.folder("raw_documents")) == {"b1": ("s1", "b1"), "b2": ("s2", "b2")}


@pytest.fixture
def one_document_a_batch(tmp_path, monkeypatch):
    monkeypatch.setattr(batches, "BATCH_SIZE", 1)   # the seeds' two documents: two batches, two ranges
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    return seeds


def _runs(dist) -> list[dg.DagsterRun]:
    with open_instance(dist.parent / "build" / dist.name) as instance:
        return instance.get_runs()


def test_runs_at_once_publish_what_one_run_publishes(one_document_a_batch, tmp_path, capsys):
    assert run_release(one_document_a_batch, tmp_path / "one", "--jobs", "1") == 0
    assert run_release(one_document_a_batch, tmp_path / "two", "--jobs", "2") == 0
    assert "2 runs at once over batches" in capsys.readouterr().out
    sums = [(tmp_path / d / "latest" / "SHA256SUMS").read_text() for d in ("one", "two")]
    assert sums[0] == sums[1]
    assert len(_runs(tmp_path / "one")) == 1
    assert len(_runs(tmp_path / "two")) == 4   # the codebook, one run per range, the release
    assert run_release(one_document_a_batch, tmp_path / "two", "--jobs", "2") == 0   # nothing changed: no run
    assert len(_runs(tmp_path / "two")) == 4


def test_a_failed_run_among_several_publishes_nothing(one_document_a_batch, tmp_path, monkeypatch, capsys):
    dist = tmp_path / "dist"
    assert run_release(one_document_a_batch, dist, "--jobs", "2") == 0
    before = (dist / "latest" / "SHA256SUMS").read_text()
    for p in one_document_a_batch.glob("*.txt"):   # both documents change: both ranges run
        p.write_text(p.read_text("utf-8") + "\n全年共审议法规案3件。\n", encoding="utf-8")
    def broken(text, sentences):
        raise RuntimeError("laws broke on purpose")
    monkeypatch.setattr(records, "extract_laws", broken)
    assert run_release(one_document_a_batch, dist, "--jobs", "2") == 1
    out = capsys.readouterr().out
    assert "in the run over batches" in out and "laws broke on purpose" in out and "NOT published" in out
    assert (dist / "latest" / "SHA256SUMS").read_text() == before


@pytest.mark.parametrize("jobs", ["0", "-2", "two"])
def test_jobs_is_a_count_of_at_least_one(jobs, tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        run_release(SEEDS, tmp_path / "dist", "--jobs", jobs)
    assert stopped.value.code == 2 and "at least 1" in capsys.readouterr().err
    assert not (tmp_path / "dist").exists()
