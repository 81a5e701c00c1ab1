"""Shared fixtures: the seeds, and one real Dagster build of them into a temporary dist/ per session."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_000 = SEEDS / "000_176ab9c851656b8e.txt"
SEED_001 = SEEDS / "001_4a3b9fde25d10259.txt"


@pytest.fixture(scope="session", autouse=True)
def publication_day():
    """Every release a test session publishes is dated the day the session started (SOURCE_DATE_EPOCH, unless the
    caller set it), so that two builds compared byte for byte cannot fall on both sides of midnight UTC."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = before or str(int(time.time()))
    yield os.environ["SOURCE_DATE_EPOCH"]
    if before is None:
        del os.environ["SOURCE_DATE_EPOCH"]


@pytest.fixture(scope="session", autouse=True)
def no_dagster_home():
    """A test's build keeps its Dagster instance in its own work folder (``<work>/dagster``, under tmp), never in a
    ``DAGSTER_HOME`` the caller's shell exported for ``make ui``; tests that want one set it themselves."""
    before = os.environ.pop("DAGSTER_HOME", None)
    yield
    if before is not None:
        os.environ["DAGSTER_HOME"] = before


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.stem: p.read_text("utf-8") for p in (SEED_000, SEED_001)}


def run_release(seeds: Path, dist: Path, *extra: str) -> int:
    """The CLI's release command, in process (it runs the real Dagster job; its work folder is build/<dist name>
    beside ``dist``)."""
    from pipeline.__main__ import main
    return main(["release", "--seeds", str(seeds), "--dist", str(dist), *extra])


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """dist/ folder holding one release built from the seeds by the real job."""
    dist = tmp_path_factory.mktemp("dist")
    assert run_release(SEEDS, dist) == 0
    return dist


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    dst = tmp_path / "seeds"
    shutil.copytree(SEEDS, dst)
    return dst


def release_frames(folder: Path) -> dict:
    """Every published table of a release folder, as the build hands them to ``publish``."""
    import pandas as pd

    from schemas.registry import TABLES
    return {tb.name: pd.read_parquet(folder / f"{tb.name}.parquet") for tb in TABLES}   # a file or its parts


def rewrite_table(folder: Path, name: str, frame) -> None:
    """Write a whole table back into a release folder as the release holds it: its one file, or its parts (each
    document's rows into the part holding the document; a document no part holds goes into the first). Files are
    replaced, never written through: a part may be another release's file too (a hard link)."""
    import pandas as pd

    from pipeline.release.files import write_csv, write_parquet
    from schemas.layout import table_files, table_path

    files = table_files(folder, name, "parquet")
    if table_path(folder, name, "parquet").is_file():
        parts = {files[0]: frame}
    else:
        where = {d: f for f in files for d in pd.read_parquet(f, columns=["doc_id"])["doc_id"]}
        holder = frame["doc_id"].map(lambda d: where.get(d, files[0]))
        parts = {f: frame[(holder == f).to_numpy()] for f in files}
    for path, rows in parts.items():
        csv = path.with_suffix(".csv") if path.parent == folder else \
            table_path(folder, name, "csv") / path.with_suffix(".csv").name
        for target, write in ((path, write_parquet), (csv, write_csv)):
            target.unlink(missing_ok=True)
            write(rows.reset_index(drop=True), target)


def csv_table(folder: Path, name: str):
    """A release's table read from its CSV file, or from its CSV parts one after the other."""
    import pandas as pd

    from schemas.layout import table_files
    from schemas.validate import read_csv_text
    return pd.concat([read_csv_text(f) for f in table_files(folder, name, "csv")], ignore_index=True)


@pytest.fixture
def built_copy(built, tmp_path) -> Path:
    """A copy of the session's built dist/ that a test may publish into."""
    d = tmp_path / "dist"
    shutil.copytree(built, d, symlinks=True)
    return d
