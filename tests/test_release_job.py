"""Integration: the real Dagster job on both seeds, publishing into a temporary dist/ — valid, atomic,
deterministic, refusing to publish a broken table, and identical to the committed release."""
import filecmp
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.buildlock import LOCK_NAME
from pipeline.release.parts import RECORD as PARTS_RECORD

from conftest import ROOT, SEEDS, run_release
from pipeline.__main__ import main
from pipeline.extract.model import Law
from schemas.layout import table_files
from schemas.registry import TABLES
from schemas.validate import declared_aliases, validate_release


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file and link under a folder, with its bytes (links: their target)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.name in (LOCK_NAME, PARTS_RECORD):   # who holds the build lock, the keys of the parts published:
            continue                              # the dist folder's bookkeeping, not part of a release
        rel = str(p.relative_to(folder))
        if p.is_symlink():
            out[rel] = b"-> " + str(p.readlink()).encode()
        elif p.is_file():
            out[rel] = p.read_bytes()
    return out


def test_release_layout_and_validity(built):
    latest = built / "latest"
    assert latest.is_symlink() and latest.resolve().name.startswith("v")
    for tb in TABLES:
        assert (latest / f"{tb.name}.parquet").exists() and (latest / f"{tb.name}.csv").exists()
    for name in ("datapackage.json", "README.md", "CHANGELOG.md", "SHA256SUMS"):
        assert (latest / name).exists(), name
    assert (built / "index.html").exists()
    assert validate_release(latest) == []
    docs = pd.read_parquet(latest / "documents.parquet")
    assert sorted(docs["source_file"]) == sorted(p.name for p in SEEDS.glob("*.txt"))
    for table in ("metrics", "laws", "oversight", "proposals", "numbers", "sentences", "sections", "edits"):
        assert len(pd.read_parquet(latest / f"{table}.parquet")) > 0, table


def test_every_record_quotes_its_clean_text(built):
    latest = built / "latest"
    clean = dict(pd.read_parquet(latest / "texts.parquet")[["doc_id", "clean_text"]].itertuples(index=False))
    for table in ("sentences", "numbers", "metrics", "laws", "oversight", "proposals", "recommendations"):
        df = pd.read_parquet(latest / f"{table}.parquet")
        for r in df.itertuples():
            assert clean[r.doc_id][r.char_start:r.char_end] == r.quote, (table, r.Index)


def test_rebuild_with_unchanged_inputs_publishes_nothing(built, tmp_path):
    dist = tmp_path / "dist"
    shutil.copytree(built, dist, symlinks=True)
    before = snapshot(dist)
    assert run_release(SEEDS, dist) == 0
    assert snapshot(dist) == before


def test_two_builds_are_byte_identical(built, tmp_path):
    dist = tmp_path / "dist"
    assert run_release(SEEDS, dist) == 0
    assert snapshot(dist) == snapshot(built)


def test_broken_table_blocks_publishing_and_keeps_previous_release(built, tmp_path, monkeypatch, capsys):
    dist = tmp_path / "dist"
    shutil.copytree(built, dist, symlinks=True)
    before = snapshot(dist)

    def broken_laws(clean, sentences):  # a record whose quote is not the text at its offsets
        return [Law(sentence=sentences[0].index, char_start=0, char_end=3, quote="不对的", name="不存在条例",
                    instrument="regulation", jurisdiction="municipal", action="enact", status="done")]

    monkeypatch.setattr("pipeline.assets.records.extract_laws", broken_laws)
    assert run_release(SEEDS, dist) == 1
    out = capsys.readouterr().out
    assert "laws_valid" in out and "quote" in out and "NOT published" in out
    assert snapshot(dist) == before


def test_validate_names_table_column_and_row_of_a_corrupted_csv(built, tmp_path, capsys):
    copy = tmp_path / "release"
    shutil.copytree(built / "latest", copy)
    assert main(["validate", str(copy)]) == 0
    path = table_files(copy, "metrics", "csv")[0]   # its one file, or its first part
    lines = path.read_text("utf-8").split("\n")
    header = lines[0].split(",")
    row = lines[3].split(",")
    col = header.index("value")
    row[col] = str(float(row[col]) + 1)
    lines[3] = ",".join(row)
    path.write_text("\n".join(lines), encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "metrics.value row 2" in out


def test_committed_dist_is_what_the_build_produces(built, tmp_path):
    committed = ROOT / "dist"
    latest = committed / "latest"
    assert latest.is_symlink(), "dist/latest must be committed (run `make dataset` and commit dist/)"
    aliases = declared_aliases(latest)   # a renamed column's old name, published one release beside the new one
    for tb in TABLES:  # the data files are exactly what this code makes from these seeds
        if tb.name in aliases:    # the same values, once the deprecated alias a fresh first build has not is left out
            ours = pd.read_parquet(latest / f"{tb.name}.parquet").drop(columns=list(aliases[tb.name]))
            pd.testing.assert_frame_equal(ours, pd.read_parquet(built / "latest" / f"{tb.name}.parquet"))
            continue
        for ext in ("parquet", "csv"):
            ours, theirs = table_files(latest, tb.name, ext), table_files(built / "latest", tb.name, ext)
            assert [f.relative_to(latest) for f in ours] == [f.relative_to(built / "latest") for f in theirs], tb.name
            for a, b in zip(ours, theirs):
                assert filecmp.cmp(a, b, shallow=False), f"dist/latest/{a.relative_to(latest)} is stale"
    dist = tmp_path / "dist"  # and building on top of the committed dist/ publishes nothing new
    shutil.copytree(committed, dist, symlinks=True)
    before = snapshot(dist)
    assert run_release(SEEDS, dist) == 0
    assert snapshot(dist) == before
