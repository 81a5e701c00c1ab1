"""The work store (``pipeline/assets/store.py``), on a local folder and on fsspec's ``memory://`` file system: batch
files (rows and what each document's step found) merged with what was kept, moved when batches change, checked
before they are unpickled, and the same through Dagster's IO-manager contexts."""
import uuid

import dagster as dg
import pandas as pd
import pytest
from upath import UPath

from pipeline.assets import store


@pytest.fixture(params=["local", "memory"])
def base(request, tmp_path) -> UPath:
    if request.param == "local":
        return UPath(tmp_path / "store")
    return UPath(f"memory://store-{uuid.uuid4().hex}")


def row(doc: str, stamp: str = "s1", value: float = 1.0) -> dict:
    return {"doc_id": doc, "stamp": stamp, "value": value}


def handover(rows: dict[str, dict], members: dict[str, list[str]]) -> store.Handover:
    """What a step hands over: its rows, found (here: the row itself) per document, one frame per batch."""
    frames = {b: pd.DataFrame([rows[d] for d in docs if d in rows], columns=["doc_id", "stamp", "value"])
              for b, docs in members.items()}
    return store.Handover(rows, frames, members)


def test_a_batch_is_written_merged_and_its_gone_documents_dropped(base):
    io = store.BatchStore(base_path=base)
    io.write_batches("raw_documents", ["b"], handover({"c": row("c"), "a": row("a")}, {"b": ["a", "c"]}))
    assert store.stamps(io.folder("raw_documents")) == {"a": ("s1", "b"), "c": ("s1", "b")}
    # a new document: a and c are kept from the batch's file without being handed over again
    io.write_batches("raw_documents", ["b"], handover({"b2": row("b2", "s9", 2.0)}, {"b": ["a", "b2", "c"]}))
    docs = io.documents("raw_documents", ["b"])
    assert sorted(docs) == ["a", "b2", "c"] and docs["c"]["value"] == 1.0
    assert docs.concat()["doc_id"].tolist() == ["a", "b2", "c"]   # rows in id order, whatever came first
    assert docs.concat(keep={"b2"}, columns=["value"])["value"].tolist() == [2.0]
    assert store.stamps(io.folder("raw_documents"))["b2"] == ("s9", "b")
    assert store.stored_rows(io.folder("raw_documents")) == {"a": 1, "b2": 1, "c": 1}
    io.write_batches("raw_documents", ["b"], handover({}, {"b": ["a", "b2"]}))   # c's file was deleted
    assert sorted(io.documents("raw_documents", ["b"])) == ["a", "b2"]
    assert "c" not in store.stamps(io.folder("raw_documents"))
    assert io.documents("raw_documents", ["b"]).concat()["doc_id"].tolist() == ["a", "b2"]


def test_documents_move_with_a_split_batch_and_the_old_file_is_pruned(base):
    io = store.BatchStore(base_path=base)
    io.write_batches("raw_documents", ["b"], handover({"a": row("a"), "c": row("c")}, {"b": ["a", "c"]}))
    io.write_batches("raw_documents", ["b0", "b1"], handover({}, {"b0": ["a"], "b1": ["c"]}))
    assert io.documents("raw_documents", ["b1"])["c"]["value"] == 1.0
    assert io.documents("raw_documents", ["b1"]).concat()["doc_id"].tolist() == ["c"]
    assert store.stamps(io.folder("raw_documents")) == {"a": ("s1", "b0"), "c": ("s1", "b1")}
    store.prune(io.folder("raw_documents"), {"a": "b0", "c": "b1"})
    assert sorted(p.name for p in io.folder("raw_documents").glob("*.pkl")) == [
        "b0.found.pkl", "b0.rows.pkl", "b1.found.pkl", "b1.rows.pkl"]


def test_a_damaged_batch_is_never_unpickled_and_its_documents_are_made_again(base):
    io = store.BatchStore(base_path=base)
    io.write_batches("raw_documents", ["b"], handover({"a": row("a")}, {"b": ["a"]}))
    path = store.batch_path(io.folder("raw_documents"), "b")
    path.write_bytes(path.read_bytes()[:-3] + b"\x00\x00\x00")
    with pytest.raises(store.DamagedStoreEntry, match="raw_documents batch 'b'"):
        io.documents("raw_documents", ["b"])["a"]
    assert not path.exists() and store.stamps(io.folder("raw_documents")) == {}   # processed again next time


def test_a_whole_table_goes_through_dagster_contexts(base):
    io = store.BatchStore(base_path=base)
    value = pd.DataFrame({"x": [1, 2]})
    io.handle_output(dg.build_output_context(asset_key=dg.AssetKey("panel")), value)
    loaded = io.load_input(dg.build_input_context(asset_key=dg.AssetKey("panel"),
                                                  upstream_output=dg.build_output_context(
                                                      asset_key=dg.AssetKey("panel"))))
    pd.testing.assert_frame_equal(loaded, value)


def test_a_batch_goes_through_dagster_contexts(base):
    io = store.BatchStore(base_path=base)
    parts = dg.StaticPartitionsDefinition(["b"])   # the IO manager does not care how batches are defined
    out = dg.build_output_context(asset_key=dg.AssetKey("raw_documents"), partition_key="b",
                                  asset_partitions_def=parts)
    io.handle_output(out, handover({"a": row("a")}, {"b": ["a"]}))
    loaded = io.load_input(dg.build_input_context(asset_key=dg.AssetKey("raw_documents"), partition_key="b",
                                                  asset_partitions_def=parts, upstream_output=out))
    assert list(loaded) == ["a"] and loaded["a"]["stamp"] == "s1"


def test_a_run_reads_each_file_once_and_again_when_it_changed(tmp_path, monkeypatch):
    io = store.BatchStore(base_path=UPath(tmp_path / "store"))
    reads = []
    unseal = store._unseal
    monkeypatch.setattr(store, "_unseal", lambda path, data, what: reads.append(path.name) or unseal(path, data, what))
    with store.remembering():
        io.write_batches("raw_documents", ["b"], handover({"a": row("a")}, {"b": ["a"]}))
        for _ in range(3):   # written by this run: never read back from the file
            assert io.documents("raw_documents", ["b"])["a"]["value"] == 1.0
        assert reads == []
        # the file replaced meanwhile (another value, another inode): read again, its seal checked
        other = store.BatchStore(base_path=UPath(tmp_path / "other"))
        other.write_batches("raw_documents", ["b"], handover({"a": row("a", value=2.0)}, {"b": ["a"]}))
        found = store.batch_path(io.folder("raw_documents"), "b")
        found.write_bytes(store.batch_path(other.folder("raw_documents"), "b").read_bytes())
        assert io.documents("raw_documents", ["b"])["a"]["value"] == 2.0 and reads == ["b.found.pkl"]
        assert io.documents("raw_documents", ["b"])["a"]["value"] == 2.0 and reads == ["b.found.pkl"]
        found.write_bytes(found.read_bytes()[:-1] + b"!")   # damaged while remembered: found out
        with pytest.raises(store.DamagedStoreEntry):
            io.documents("raw_documents", ["b"])["a"]
    # outside a run nothing is kept: every read is a read
    io.write_batches("raw_documents", ["b"], handover({"a": row("a")}, {"b": ["a"]}))
    reads.clear()
    for _ in range(2):
        io.documents("raw_documents", ["b"])["a"]
    assert reads == ["b.found.pkl", "b.found.pkl"]


def test_a_run_remembers_no_more_than_its_budget(tmp_path):
    io = store.BatchStore(base_path=UPath(tmp_path / "store"))
    with store.remembering(budget=1) as memo:
        io.write_batches("raw_documents", ["b"], handover({"a": row("a")}, {"b": ["a"]}))
        assert memo.values == {} and memo.used == 0
    with store.remembering() as memo:
        io.write_batches("raw_documents", ["b"], handover({"a": row("a")}, {"b": ["a"]}))
        files = [store.batch_path(io.folder("raw_documents"), "b", part) for part in store.PARTS]
        files.append(io.folder("raw_documents") / store.STAMPS)
        assert memo.used == sum(f.stat().st_size for f in files) and len(memo.values) == 3


def test_stamps_read_in_a_run_are_copies_and_follow_the_file(tmp_path):
    io = store.BatchStore(base_path=UPath(tmp_path / "store"))
    folder = io.folder("raw_documents")
    with store.remembering():
        io.write_batches("raw_documents", ["b"], handover({"a": row("a")}, {"b": ["a"]}))
        store._recorded(folder)["a"] = ["changed", "b", 0]   # a caller's change is its own
        assert store.stamps(folder) == {"a": ("s1", "b")}
        (folder / store.STAMPS).write_text('{"a":["s2","c",1]}', encoding="utf-8")   # changed on disk: read again
        assert store.stamps(folder) == {"a": ("s2", "c")}


def test_after_let_go_a_run_remembers_nothing_more(tmp_path):
    io = store.BatchStore(base_path=UPath(tmp_path / "store"))
    with store.remembering() as memo:
        io.write_batches("raw_documents", ["b"], handover({"a": row("a")}, {"b": ["a"]}))
        assert memo.values
        store.let_go()   # the release: it reads every batch once
        io.write_batches("raw_documents", ["b"], handover({"a": row("a", value=3.0)}, {"b": ["a"]}))
        assert io.documents("raw_documents", ["b"])["a"]["value"] == 3.0
        assert memo.values == {} and memo.used == 0
