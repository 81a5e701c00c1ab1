"""The parts of a table written and checked in several processes at once (pipeline.release.write_parts): the same
files and the same failures as in one process, a failing row named by its position in the whole table."""
import filecmp
import multiprocessing
import shutil
from functools import partial

import pandas as pd
import pytest

from pipeline.release import write_parts
from pipeline.release.archive import write_archive
from pipeline.release.parts import Part
from pipeline.release.write_parts import file_names, write_all
from schemas.layout import read_table, table_path
from schemas.registry import TABLES


@pytest.fixture
def laws_in_two_parts(built, tmp_path):
    """The seeds' laws cut into two parts by document (the second's row 1 with a quote that is not the text's),
    each readable by another process, and a release folder holding the seeds' texts."""
    laws = read_table(built / "latest", "laws")
    docs = sorted(set(laws["doc_id"]))
    assert len(docs) == 2
    parts = []
    for batch, doc in zip("ab", docs):
        rows = laws[laws["doc_id"] == doc].reset_index(drop=True)
        if batch == "b":
            rows.loc[1, "quote"] = "这不是原文"
        rows.to_parquet(tmp_path / f"{batch}.parquet")
        parts.append(Part(batch, partial(pd.read_parquet, tmp_path / f"{batch}.parquet")))
    first_rows = int((laws["doc_id"] == docs[0]).sum())
    folder = tmp_path / "release"
    folder.mkdir()
    shutil.copytree(table_path(built / "latest", "texts", "parquet"), table_path(folder, "texts", "parquet"))
    return folder, parts, first_rows


def test_parts_written_at_once_are_the_files_and_failures_of_one_process(laws_in_two_parts, tmp_path, monkeypatch):
    folder, parts, first_rows = laws_in_two_parts
    alone = tmp_path / "alone"
    shutil.copytree(folder, alone)
    monkeypatch.setattr(write_parts, "MIN_PARTS_PER_PROCESS", 1)
    at_once, here = write_all(folder, "laws", parts, (), processes=2), write_all(alone, "laws", parts, (), processes=1)
    names = [n for p in parts for n in file_names("laws", p.batch)]
    assert sorted(at_once.digests) == sorted(here.digests) == sorted(names)
    assert all(filecmp.cmp(folder / n, alone / n, shallow=False) for n in names)
    offsets = {file_names("laws", "a")[0]: 0, file_names("laws", "b")[0]: first_rows}
    for checked in (at_once, here):
        failures = checked.in_table(offsets)
        # the second part's row 1 is the table's row first_rows + 1, in whichever process it was checked
        assert [(f.table, f.column, f.row) for f in failures] == [("laws", "quote", first_rows + 1)]
        assert checked.rows == {"a": first_rows, "b": sum(len(p.load()) for p in parts) - first_rows}


def test_a_process_that_may_not_start_processes_writes_the_parts_itself(laws_in_two_parts, monkeypatch):
    folder, parts, first_rows = laws_in_two_parts
    monkeypatch.setattr(write_parts, "MIN_PARTS_PER_PROCESS", 1)
    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True)   # as in a Dask worker
    started = []
    monkeypatch.setattr(write_parts, "ProcessPoolExecutor", lambda *a, **k: started.append(a) or 1 / 0)
    checked = write_all(folder, "laws", parts, (), processes=2)
    assert not started and len(checked.digests) == 4


def test_texts_are_written_before_every_table_whose_quotes_are_checked_against_them():
    # the release writes its tables in registry order, and a part's quotes are checked against the texts written
    names = [tb.name for tb in TABLES]
    assert all(names.index("texts") < names.index(tb.name) for tb in TABLES if tb.has_span)


def test_the_zip_takes_the_parts_compressed_as_written_and_only_while_they_are_unchanged(laws_in_two_parts, tmp_path):
    folder, parts, _ = laws_in_two_parts
    checked = write_all(folder, "laws", parts, (), processes=1)
    assert checked.compressed and all(p.parent.name == write_parts.COMPRESSED for p in checked.compressed)
    plain = tmp_path / "plain"
    shutil.copytree(folder, plain, ignore=shutil.ignore_patterns(write_parts.COMPRESSED))
    ours = write_archive(folder, "9.9.9", "2026-01-02", compressed=checked.compressed)
    assert filecmp.cmp(ours, write_archive(plain, "9.9.9", "2026-01-02"), shallow=False)
    # a part written again since it was compressed (the same size, one digit changed): its member is compressed
    # again, not taken
    changed = folder / file_names("laws", "b")[1]
    data = bytearray(changed.read_bytes())
    at = max(data.rfind(d) for d in b"012345678")
    data[at] += 1
    changed.write_bytes(bytes(data))
    (plain / file_names("laws", "b")[1]).write_bytes(bytes(data))
    ours = write_archive(folder, "9.9.9", "2026-01-02", compressed=checked.compressed)
    assert filecmp.cmp(ours, write_archive(plain, "9.9.9", "2026-01-02"), shallow=False)
