"""The two one-file downloads of a release (issue 14, item 6): the zip of every file and the SQLite database of every
table — what they hold, that the same files give the same bytes, that the release's metadata and page describe them,
that `validate` reads them back, and that Datasette serves the database as it is."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from pipeline.__main__ import main
from pipeline.release.archive import archive_name, archive_stem, write_archive
from pipeline.release.dates import recorded_date
from pipeline.release.files import write_checksums
from pipeline.release.sqlite import SQL_TYPES, database_name, declared_foreign_keys, write_database
from schemas.dictionary import columns
from schemas.registry import CHANGES, TABLES
from schemas.validate import read_checksums, read_csv_text


@pytest.fixture(scope="module")
def release(built) -> Path:
    return built / "latest"


@pytest.fixture(scope="module")
def version(release) -> str:
    return json.loads((release / "datapackage.json").read_text("utf-8"))["version"]


@pytest.fixture
def copy(release, tmp_path) -> Path:
    folder = tmp_path / release.name
    shutil.copytree(release, folder)
    return folder


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _plain(v):
    """A cell as a plain Python value (every kind of null as None, numpy scalars as Python's)."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return v.item() if hasattr(v, "item") else v


def _parquet_rows(folder: Path, name: str) -> list[tuple]:
    frame = pd.read_parquet(folder / f"{name}.parquet")
    return [tuple(_plain(v) for v in row) for row in frame.itertuples(index=False)]


def _validate(folder: Path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["validate", str(folder)])
    return code, capsys.readouterr().out


# ---------------------------------------------------------------- the zip

def test_the_zip_holds_every_file_of_the_release_but_the_checksums(release, version):
    """Every file of the release, the parts of its tables included, but SHA256SUMS, the zip itself and (a release
    in parts) the database, a download of its own."""
    path = release / archive_name(version)
    sums = read_checksums(release)
    assert path.name == f"congress-work-reports-{version}.zip" and path.name in sums
    assert sums[path.name] == _sha256(path)
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        expected = sorted(set(sums) - {path.name, database_name()})
        assert [i.filename for i in infos] == [f"{archive_stem(version)}/{n}" for n in expected]
        assert "SHA256SUMS" not in {Path(i.filename).name for i in infos}
        assert {"datapackage.json", "panel.parquet", "panel.csv", "metrics.parquet/part-b.parquet",
                "metrics.csv/part-b.csv"} <= set(expected)
        date = tuple(map(int, recorded_date(release).split("-"))) + (0, 0, 0)
        for info in infos:
            name = info.filename.removeprefix(f"{archive_stem(version)}/")
            assert zf.read(info) == (release / name).read_bytes(), name
            assert (info.date_time, info.external_attr >> 16, info.create_system, info.compress_type) == \
                   (date, 0o100644, 3, zipfile.ZIP_DEFLATED), name


def test_the_zip_is_the_same_bytes_from_the_same_files(copy, version, tmp_path):
    first = _sha256(copy / archive_name(version))
    other = tmp_path / "elsewhere"
    shutil.copytree(copy, other)
    for p in other.iterdir():            # other times, other permissions, another folder: same zip
        os.utime(p, (1_000_000_000, 1_000_000_000))
        os.chmod(p, 0o600)
    (other / archive_name(version)).unlink()
    write_archive(other, version, recorded_date(copy))
    assert _sha256(other / archive_name(version)) == first
    write_archive(other, version, "2030-05-06")   # the date is the only thing that can move it
    assert _sha256(other / archive_name(version)) != first


def test_validate_names_a_zip_whose_member_differs_or_is_missing(copy, version, capsys):
    path = copy / archive_name(version)
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    key = f"{archive_stem(version)}/panel.csv"
    members[key] = members[key].replace(b"\n", b"\r\n", 1)
    del members[f"{archive_stem(version)}/indicators.csv"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    write_checksums(copy)
    code, out = _validate(copy, capsys)
    assert code == 1
    assert re.search(rf"{re.escape(path.name)}.*members differ.*indicators\.csv", out), out
    assert re.search(rf"{re.escape(path.name)}.*panel\.csv.*member differs", out), out


def test_validate_names_a_missing_zip_or_database(copy, version, capsys):
    (copy / archive_name(version)).unlink()
    (copy / database_name()).unlink()
    code, out = _validate(copy, capsys)
    assert code == 1
    for name in (archive_name(version), database_name()):
        assert re.search(rf"{re.escape(name)}.*(missing|listed in SHA256SUMS)", out), out


# ---------------------------------------------------------------- the SQLite database

def test_every_table_is_in_the_database_typed_and_keyed_from_the_schema(release):
    con = sqlite3.connect(f"{(release / database_name()).as_uri()}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
        assert tables == [tb.name for tb in TABLES] + [CHANGES.name]
        for tb in (*TABLES, CHANGES):
            info = con.execute(f'PRAGMA table_info("{tb.name}")').fetchall()   # cid, name, type, notnull, dflt, pk
            cols = columns(tb)
            assert [(r[1], r[2], bool(r[3])) for r in info] == [(c.name, SQL_TYPES[c.type], not c.nullable)
                                                                   for c in cols], tb.name
            assert [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]] == list(tb.primary_key), tb.name
            fks = {(r[2], r[3], r[4]) for r in con.execute(f'PRAGMA foreign_key_list("{tb.name}")')}
            assert fks == {(fk.table, c, rc) for fk in declared_foreign_keys(tb)
                           for c, rc in zip(fk.columns, fk.ref_columns)}, tb.name
            indexed = {tuple(r2[2] for r2 in con.execute(f'PRAGMA index_info("{r[1]}")'))
                       for r in con.execute(f'PRAGMA index_list("{tb.name}")')}
            assert tuple(tb.primary_key) in indexed, tb.name
            for fk in tb.foreign_keys:   # every key a join uses has an index that starts with it
                assert any(ix[:len(fk.columns)] == fk.columns for ix in indexed), (tb.name, fk.columns)
            for c in cols:
                if c.unique:
                    assert (c.name,) in indexed, (tb.name, c.name)
            sql = con.execute("SELECT sql FROM sqlite_master WHERE name = ?", (tb.name,)).fetchone()[0]
            assert all(" ".join(c.description.split()) in sql for c in cols)   # Datasette shows the statement
    finally:
        con.close()


@pytest.mark.parametrize("name", [tb.name for tb in TABLES])
def test_the_database_holds_the_values_of_the_parquet_files(release, name):
    con = sqlite3.connect(f"{(release / database_name()).as_uri()}?mode=ro", uri=True)
    try:
        rows = con.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()
    finally:
        con.close()
    assert rows == _parquet_rows(release, name)


def test_the_changes_are_in_the_database_as_in_changes_csv(release):
    con = sqlite3.connect(f"{(release / database_name()).as_uri()}?mode=ro", uri=True)
    try:
        rows = con.execute('SELECT * FROM "changes" ORDER BY rowid').fetchall()
    finally:
        con.close()
    assert rows == [tuple(r) for r in read_csv_text(release / "changes.csv").itertuples(index=False)]


def test_the_database_is_the_same_bytes_from_the_same_files(copy, tmp_path):
    first = _sha256(copy / database_name())
    changes = read_csv_text(copy / "changes.csv")
    for attempt in range(2):   # written twice more, in two folders: one SHA-256
        folder = tmp_path / f"again{attempt}"
        shutil.copytree(copy, folder)
        (folder / database_name()).unlink()
        write_database(folder, changes=changes)
        assert _sha256(folder / database_name()) == first
        assert not [p for p in folder.iterdir() if p.name.startswith(".")]   # no journal or temporary file left


def test_the_cards_sql_runs_on_the_database(release):
    card = (release / "README.md").read_text("utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", card, flags=re.S)
    assert len(blocks) == 1 and database_name() in card and archive_name(
        json.loads((release / "datapackage.json").read_text("utf-8"))["version"]) in card
    con = sqlite3.connect(f"{(release / database_name()).as_uri()}?mode=ro", uri=True)
    try:
        rows = con.execute(blocks[0]).fetchall()
    finally:
        con.close()
    assert rows


def test_validate_names_a_database_row_missing(copy, capsys):
    path = copy / database_name()
    con = sqlite3.connect(path)
    con.execute("DELETE FROM laws WHERE rowid = (SELECT max(rowid) FROM laws)")
    con.commit()
    con.close()
    write_checksums(copy)
    code, out = _validate(copy, capsys)
    assert code == 1 and re.search(rf"{re.escape(database_name())}.*laws.*rows, the table file has", out), out


def test_validate_names_a_damaged_database(copy, capsys):
    path = copy / database_name()
    path.write_bytes(b"not a database at all" * 100)
    write_checksums(copy)
    code, out = _validate(copy, capsys)
    assert code == 1 and database_name() in out and "SQLite" in out


# ---------------------------------------------------------------- described and linked

def test_datapackage_describes_the_database_and_the_zip(release, version):
    pkg = json.loads((release / "datapackage.json").read_text("utf-8"))
    files = {r["name"]: r for r in pkg["resources"] if r["type"] == "file"}
    assert set(files) == {"sqlite", "zip"}
    db = files["sqlite"]
    assert (db["path"], db["format"], db["mediatype"], db["bytes"], db["hash"]) == \
           (database_name(), "sqlite", "application/vnd.sqlite3", (release / database_name()).stat().st_size,
            f"sha256:{_sha256(release / database_name())}")
    zipped = files["zip"]
    assert (zipped["path"], zipped["format"], zipped["mediatype"]) == (archive_name(version), "zip", "application/zip")
    assert "bytes" not in zipped and "hash" not in zipped and "SHA256SUMS" in zipped["description"]


def test_the_page_and_the_card_link_both(built, release, version):
    page = (built / "index.html").read_text("utf-8")
    for name in (archive_name(version), database_name()):
        assert f'href="{release.resolve().name}/{name}"' in page
    card = (release / "README.md").read_text("utf-8")
    assert f"`{archive_name(version)}`" in card and f"`{database_name()}`" in card


# ---------------------------------------------------------------- Datasette

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.loads(resp.read().decode("utf-8"))


@pytest.fixture
def datasette(release, tmp_path):
    """`datasette serve` on a copy of the release's database (Datasette may write beside the file it serves), on a
    free port; stopped by its own process id."""
    db = tmp_path / database_name()
    shutil.copyfile(release / database_name(), db)
    port = _free_port()
    log = (tmp_path / "datasette.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(db), "--host", "127.0.0.1",
                             "--port", str(port), "--setting", "max_returned_rows", "100000"],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120   # a start-up allowance, not a measured target
        while True:
            if proc.poll() is not None:
                pytest.fail(f"datasette exited with {proc.returncode}: "
                            f"{(tmp_path / 'datasette.log').read_text('utf-8', 'replace')[-2000:]}")
            try:
                _get_json(f"{base}/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail("datasette did not answer")
                time.sleep(0.2)
        yield base, db.stem
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_datasette_serves_the_panel_rows_of_the_parquet_file(datasette, release):
    base, db = datasette
    query = urllib.parse.urlencode({"sql": "SELECT * FROM panel ORDER BY rowid", "_shape": "array"})
    rows = _get_json(f"{base}/{db}.json?{query}")
    panel = pd.read_parquet(release / "panel.parquet")
    assert len(rows) == len(panel) > 0
    assert [list(r) for r in rows] == [list(panel.columns)] * len(rows)   # whatever columns the panel has
    assert [tuple(r[c] for c in panel.columns) for r in rows] == _parquet_rows(release, "panel")
    # and the table's own page knows its primary key and references
    table = _get_json(f"{base}/{db}/panel.json?_shape=objects&_size=1")
    tb = next(t for t in TABLES if t.name == "panel")
    assert table["primary_keys"] == list(tb.primary_key)


def test_a_publication_date_before_1980_gives_a_zip_dated_1980(copy, version):
    """SOURCE_DATE_EPOCH=0 (1970-01-01) is a date a zip cannot hold: its members are dated 1980-01-01."""
    import zipfile
    path = write_archive(copy, version, "1970-01-01")
    with zipfile.ZipFile(path) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
