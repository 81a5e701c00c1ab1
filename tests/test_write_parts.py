"""The parts of a table written and checked in several processes at once (pipeline.release.write_parts): the same
files and the same failures as in one process, a failing row named by its position in the whole table."""
import filecmp
import shutil
from functools import partial

import pandas as pd
import pytest

from pipeline.release import write_parts
from pipeline.release.parts import Part
from pipeline.release.write_parts import file_names, write_all
from schemas.layout import read_table, table_path


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
