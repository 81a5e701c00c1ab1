"""A release whose tables are in parts (schemas.layout, pipeline.release.parts): one part per batch of documents; a
new build shares (hard links) the parts whose documents did not change and writes the others, and what it publishes
is byte for byte what a fresh build of the same documents publishes."""
import filecmp
import os
import shutil

import pandas as pd
import pytest

from conftest import SEEDS, run_release
from pipeline import batches
from pipeline.release.archive import archive_name, write_archive
from pipeline.release.dates import recorded_date
from pipeline.release.parts import RECORD
from pipeline.release.publish import PublishError, publish
from schemas.layout import part_name, release_files, table_files
from schemas.registry import TABLES
from schemas.validate import read_csv_text, validate_release

SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
IN_PARTS = [tb.name for tb in TABLES if not tb.whole]


def _two_releases(folder):
    """The seeds (one document per batch) built into ``folder``, then one of them changed and built again."""
    seeds, dist = folder / "seeds", folder / "dist"
    shutil.copytree(SEEDS, seeds)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(batches, "BATCH_SIZE", 1)
        assert run_release(seeds, dist) == 0
        changed = seeds / f"{SEED_IDS[0]}.txt"
        changed.write_text(changed.read_text("utf-8") + "\n全年共审议法规案3件。\n", encoding="utf-8")
        assert run_release(seeds, dist) == 0
    return seeds, dist


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory):
    """Built once for the tests that only read it (two builds of ≈ 6 s each)."""
    return _two_releases(tmp_path_factory.mktemp("two_releases"))


@pytest.fixture(autouse=True)
def one_document_per_batch(monkeypatch):
    """Every test of the module sees the batches its releases were built with (and builds so)."""
    monkeypatch.setattr(batches, "BATCH_SIZE", 1)


@pytest.fixture
def two_releases_to_change(tmp_path):
    """Built for a test that builds again on it."""
    return _two_releases(tmp_path)


def _part(release, table, doc, fmt):
    return release / f"{table}.{fmt}" / part_name(batches.batch_of(SEED_IDS)[doc], fmt)


def test_the_parts_of_unchanged_documents_are_shared_the_others_written(two_releases):
    _, dist = two_releases
    first, second = dist / "v0.1.0", dist / "v0.1.1"
    for table in IN_PARTS:
        for fmt in ("parquet", "csv"):
            assert len(table_files(second, table, fmt)) == 2, table
            assert os.path.samefile(_part(first, table, SEED_IDS[1], fmt), _part(second, table, SEED_IDS[1], fmt))
            assert not os.path.samefile(_part(first, table, SEED_IDS[0], fmt), _part(second, table, SEED_IDS[0], fmt))
    assert validate_release(second) == []
    changes = read_csv_text(second / "changes.csv")
    assert len(changes) and changes["key"].str.contains(SEED_IDS[1]).sum() == 0   # only the changed document's rows
    assert (dist / RECORD).is_file()


def test_a_release_made_of_shared_parts_is_the_one_a_fresh_build_makes(two_releases, tmp_path):
    seeds, dist = two_releases
    second = dist / "v0.1.1"
    fresh = tmp_path / "fresh"
    assert run_release(seeds, fresh) == 0
    alone = fresh / "v0.1.0"
    tables = [n for n in release_files(second) if n.partition("/")[0].rpartition(".")[0] in IN_PARTS]
    assert tables == [n for n in release_files(alone) if n.partition("/")[0].rpartition(".")[0] in IN_PARTS]
    assert all(filecmp.cmp(second / n, alone / n, shallow=False) for n in tables)
    # the zip took the shared parts compressed from the previous zip: the same bytes as compressing them again
    again = tmp_path / "again"
    shutil.copytree(second, again)
    (again / archive_name("0.1.1")).unlink()
    write_archive(again, "0.1.1", recorded_date(second))
    assert filecmp.cmp(again / archive_name("0.1.1"), second / archive_name("0.1.1"), shallow=False)


def test_a_part_touched_since_it_was_published_is_written_again(two_releases_to_change):
    seeds, dist = two_releases_to_change
    kept = _part(dist / "v0.1.1", "sentences", SEED_IDS[1], "parquet")
    os.utime(kept, ns=(1_000_000_000, 1_000_000_000))   # not the file recorded any more: not trusted
    changed = seeds / f"{SEED_IDS[0]}.txt"
    changed.write_text(changed.read_text("utf-8") + "\n全年共审议法规案4件。\n", encoding="utf-8")
    assert run_release(seeds, dist) == 0
    third = dist / "v0.1.2"
    assert not os.path.samefile(kept, _part(third, "sentences", SEED_IDS[1], "parquet"))
    assert filecmp.cmp(kept, _part(third, "sentences", SEED_IDS[1], "parquet"), shallow=False)
    assert os.path.samefile(_part(dist / "v0.1.1", "laws", SEED_IDS[1], "parquet"),
                            _part(third, "laws", SEED_IDS[1], "parquet"))
    assert validate_release(third) == []


def test_keys_are_checked_across_shared_and_written_parts(two_releases, tmp_path):
    """A shared part is not read again, but a key of a written part that a shared part already has is found."""
    _, dist = two_releases
    folder = tmp_path / "copy"
    shutil.copytree(dist / "v0.1.1", folder)
    shared = _part(folder, "laws", SEED_IDS[1], "parquet")
    written = _part(folder, "laws", SEED_IDS[0], "parquet")
    laws = pd.read_parquet(written)
    laws.loc[0, "law_id"] = pd.read_parquet(shared)["law_id"].iloc[0]
    written.unlink()
    laws.to_parquet(written, index=False)
    batch = batches.batch_of(SEED_IDS)[SEED_IDS[1]]
    trusted = {n for n in release_files(folder) if n.endswith("/" + part_name(batch, n.rpartition(".")[2]))}
    assert len(trusted) == 2 * len(IN_PARTS)
    failures = validate_release(folder, trusted=trusted)
    assert any(f.table == "laws" and f.check == "duplicate primary key" for f in failures), failures


def test_rows_of_a_document_not_published_are_refused(built_copy):
    frames = {tb.name: pd.read_parquet(built_copy / "latest" / f"{tb.name}.parquet") for tb in TABLES}
    frames["laws"].loc[0, "doc_id"] = "no-such-document"
    with pytest.raises(PublishError, match="no-such-document"):
        publish(frames, built_copy)
