"""What a release says about itself is true, whatever is in dist/ or in the input: a failure after the new folder is
renamed in says the release is published (issue 13, item 7); only complete releases count, anything else in dist/
is named and left alone (8); nothing from the input becomes live markup in the card or the changelog (12) or a
formula in a spreadsheet (13); ``validate`` catches what a tamperer would change, down to an old release through
the hash chain (14)."""
from __future__ import annotations

import errno
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from conftest import SEED_001, csv_table, release_frames, rewrite_table, run_release
from pipeline.__main__ import main
from pipeline.release import publish as publishing
from pipeline.release.files import write_checksums
from pipeline.release.publish import PublishError, publish
from pipeline.release.parts import RECORD as PARTS_RECORD
from schemas.layout import table_files
from schemas.validate import read_csv_text, validate_release


@pytest.fixture
def dist(built_copy):
    return built_copy


def _recategorise(frames: dict[str, pd.DataFrame], row: int = 0) -> dict[str, pd.DataFrame]:
    """One metric's field of work corrected (a value that no quote pins down): a patch release."""
    metrics = frames["metrics"]
    metrics.loc[row, "category"] = "petitions" if metrics.loc[row, "category"] != "petitions" else "other"
    return frames


def _changed(dist: Path) -> dict[str, pd.DataFrame]:
    return _recategorise(release_frames(dist / "latest"))


def _listed(dist: Path) -> set[str]:
    return set(re.findall(r'href="(v\d+\.\d+\.\d+)/', (dist / "index.html").read_text("utf-8")))


def _badged_latest(dist: Path) -> str:
    page = (dist / "index.html").read_text("utf-8")
    return re.search(r'<span class="name">(v[\d.]+)</span> <span class="badge latest">', page).group(1)


# ---------------------------------------------------------------- 7: a failure after the rename says what is published

def _full_disk(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_page_that_cannot_be_written_says_the_release_is_published(dist, monkeypatch):
    frames = _changed(dist)
    monkeypatch.setattr(publishing, "write_index", _full_disk)
    with pytest.raises(Exception) as info:
        publish(frames, dist)
    assert type(info.value).__name__ == "PartlyPublished", repr(info.value)
    text = str(info.value)
    assert "published v0.1.1" in text and "dist/index.html" in text and "No space left on device" in text
    assert "next run" in text and "not published" not in text.lower()
    assert os.readlink(dist / "latest") == "v0.1.1"
    monkeypatch.undo()
    assert publish(frames, dist).status == "unchanged"   # the next run repairs the page
    assert "v0.1.1" in _listed(dist)


def test_a_link_that_cannot_be_swapped_says_where_latest_points(dist, monkeypatch):
    frames = _changed(dist)
    real = os.replace

    def no_link(src, dst, *args, **kwargs):
        if Path(dst).name == "latest":
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", no_link)
    with pytest.raises(Exception) as info:
        publish(frames, dist)
    text = str(info.value)
    assert type(info.value).__name__ == "PartlyPublished", repr(info.value)
    assert "published v0.1.1" in text and "dist/latest still points at v0.1.0" in text and "Input/output" in text
    monkeypatch.undo()
    assert publish(frames, dist).status == "unchanged" and os.readlink(dist / "latest") == "v0.1.1"


def test_the_command_line_says_published_when_only_the_page_failed(dist, seeds_copy, monkeypatch, capsys):
    (seeds_copy / SEED_001.name).unlink()                    # a document removed: v0.2.0
    monkeypatch.setattr(publishing, "write_index", _full_disk)
    assert run_release(seeds_copy, dist) == 1
    out = capsys.readouterr().out
    summary = out[out.index("\nsummary"):]
    assert "NOT published" not in summary and "untouched" not in summary
    assert "published v0.2.0" in summary and "dist/index.html" in summary and "No space left" in summary
    assert summary.count("No space left") == 1   # said once, as the state of the dist folder
    assert os.readlink(dist / "latest") == "v0.2.0"


# ---------------------------------------------------------------- 8: only complete releases count

def _leftovers(dist: Path) -> list[str]:
    return [p.name for p in dist.iterdir() if p.name.startswith(".") and p.name not in (".build.lock", PARTS_RECORD)]


def test_latest_copied_as_a_folder_becomes_a_link_again(dist):
    target = os.readlink(dist / "latest")
    (dist / "latest").unlink()
    shutil.copytree(dist / target, dist / "latest")           # what `cp -rL` leaves
    result = publish(_changed(dist), dist)
    assert (result.status, result.version) == ("published", "0.1.1")
    assert (dist / "latest").is_symlink() and os.readlink(dist / "latest") == "v0.1.1"
    assert any("dist/latest" in w for w in result.warnings)
    assert _leftovers(dist) == []


def test_a_folder_at_latest_that_is_not_a_copy_is_left_alone_and_named(dist):
    frames = _changed(dist)
    (dist / "latest").unlink()
    (dist / "latest").mkdir()
    (dist / "latest" / "mine.txt").write_text("my notes", encoding="utf-8")
    with pytest.raises(Exception) as info:
        publish(frames, dist)
    text = str(info.value)
    assert type(info.value).__name__ == "PartlyPublished", repr(info.value)
    assert "published v0.1.1" in text and "dist/latest is a folder" in text and "left alone" in text
    assert (dist / "latest" / "mine.txt").read_text("utf-8") == "my notes"
    assert validate_release(dist / "v0.1.1") == []


def test_an_empty_version_folder_is_named_and_left_alone(dist):
    (dist / "v9.9.9").mkdir()
    result = publish(_changed(dist), dist)
    assert (result.status, result.version) == ("published", "0.1.1")
    assert any("dist/v9.9.9" in w and "not a complete release" in w for w in result.warnings)
    assert (dist / "v9.9.9").is_dir() and "v9.9.9" not in _listed(dist)
    assert _badged_latest(dist) == "v0.1.1" and os.readlink(dist / "latest") == "v0.1.1"


def _complete_copy_as(dist: Path, source: str, version: str) -> Path:
    """A release folder ``version`` made from ``source``, complete and consistent (as if published elsewhere)."""
    folder = dist / f"v{version}"
    shutil.copytree(dist / source, folder)
    pkg = json.loads((folder / "datapackage.json").read_text("utf-8"))
    pkg["version"] = version
    (folder / "datapackage.json").write_text(json.dumps(pkg, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_checksums(folder)
    return folder


@pytest.mark.parametrize("damage", ["truncated-and-missing", "one-byte-changed"])
def test_a_half_copied_release_is_not_the_previous_release(dist, damage):
    half = _complete_copy_as(dist, "v0.1.0", "0.2.0")
    if damage == "truncated-and-missing":
        texts = table_files(half, "texts", "parquet")[0]
        data = texts.read_bytes()
        texts.unlink()   # not written through: the file may be shared with v0.1.0 (a hard link)
        texts.write_bytes(data[:len(data) // 2])
        table_files(half, "sentences", "csv")[0].unlink()
    else:  # same size, so only the SHA-256 tells
        metrics = table_files(half, "metrics", "csv")[0]
        data = bytearray(metrics.read_bytes())
        data[-3] ^= 1
        metrics.unlink()
        metrics.write_bytes(bytes(data))
    result = publish(_changed(dist), dist)
    assert (result.status, result.version) == ("published", "0.1.1")
    log = (result.folder / "CHANGELOG.md").read_text("utf-8")
    assert "Compared with 0.1.0" in log
    assert len(read_csv_text(result.folder / "changes.csv")) == 1          # one changed row, not every row added
    assert any("dist/v0.2.0" in w for w in result.warnings)
    assert "v0.2.0" not in _listed(dist) and _badged_latest(dist) == "v0.1.1"
    assert half.is_dir()                                                    # left alone


def test_a_broken_folder_holding_the_next_version_is_left_alone_and_skipped(dist):
    (dist / "v0.1.1").mkdir()
    result = publish(_changed(dist), dist)
    assert (result.status, result.version) == ("published", "0.1.2")
    assert any("dist/v0.1.1" in w and "not a complete release" in w and "v0.1.2" in w for w in result.warnings)
    assert os.readlink(dist / "latest") == "v0.1.2" and (dist / "v0.1.1").is_dir()
    assert "Compared with 0.1.0" in (result.folder / "CHANGELOG.md").read_text("utf-8")


# ---------------------------------------------------------------- 12: no live markup from the input

HOSTILE = ("<img src=x onerror=alert(1)>", "[click](javascript:alert(2))", "<script>alert(3)</script>",
           "`x` <b onmouseover=alert(4)>y</b>", "a|b\n<iframe src=//evil>", "![i](http://evil/i.png)")


class _Tags(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _render(markdown_text: str, renderer: str) -> str:
    if renderer == "python-markdown":
        markdown = pytest.importorskip("markdown")
        return markdown.markdown(markdown_text, extensions=["tables", "fenced_code"])
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark").enable("table").render(markdown_text)


SAFE_TAGS = {"h1", "h2", "h3", "p", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "a",
             "strong", "em"}


def _assert_no_markup_from_input(html: str) -> None:
    from pipeline.release.about import about
    tags = _Tags(html)
    assert {t for t, _ in tags.tags} <= SAFE_TAGS, {t for t, _ in tags.tags} - SAFE_TAGS
    for tag, attrs in tags.tags:
        assert not any(a.startswith("on") for a in attrs), (tag, attrs)
        if tag == "a":
            assert attrs["href"].startswith("#") or attrs["href"] == about()["license"]["path"], attrs
        else:
            assert not set(attrs) - {"style", "class"}, (tag, attrs)  # python-markdown aligns cells with style


def _hostile_facts(release: Path) -> tuple[dict, dict]:
    from pipeline.release.card import table_facts
    docs = pd.read_parquet(release / "documents.parquet")
    docs["doc_id"] = [HOSTILE[i % len(HOSTILE)] for i in range(len(docs))]
    docs["source_file"] = HOSTILE[0] + ".txt"
    docs["issuer"] = HOSTILE[4]
    docs["genre"] = HOSTILE[1]
    problems = pd.DataFrame({"source_file": [HOSTILE[0] + ".txt", HOSTILE[5]], "stage": [HOSTILE[3], "read"],
                             "reason": [HOSTILE[2], HOSTILE[4]], "offset": pd.array([None, 3], dtype="Int64"),
                             "hint": [HOSTILE[1], HOSTILE[0]]})
    facts = {}
    for name in ("documents", "problems", "metrics", "panel"):
        frame = {"documents": docs, "problems": problems}.get(name)
        facts |= table_facts(name, frame if frame is not None else pd.read_parquet(release / f"{name}.parquet"))
    rows = {r["name"]: r["rows"] for r in json.loads((release / "datapackage.json").read_text("utf-8"))["resources"]
            if "rows" in r}
    return facts, rows


@pytest.mark.parametrize("renderer", ["python-markdown", "markdown-it-py"])
def test_the_card_renders_no_markup_from_file_names_or_metadata(built, renderer):
    from pipeline.release.card import render_card
    facts, rows = _hostile_facts(built / "latest")
    card = render_card("0.1.0", facts, rows)
    html = _render(card, renderer)
    _assert_no_markup_from_input(html)
    shown = "".join(_Tags(html).text)
    assert HOSTILE[0] + ".txt" in shown and HOSTILE[2] in shown   # shown as text, not dropped


@pytest.mark.parametrize("renderer", ["python-markdown", "markdown-it-py"])
def test_the_changelog_renders_no_markup_from_document_ids(renderer):
    from pipeline.release.changelog import render_changelog
    from pipeline.release.diff import TableDiff
    from pipeline.release.versioning import SchemaChanges
    changes = SchemaChanges(documents_added=HOSTILE, documents_removed=("``" + HOSTILE[2],))
    log = render_changelog("0.2.0", {"documents": 6}, "0.1.0", changes,
                           [TableDiff("documents", 1, 6, added=HOSTILE)], None)
    html = _render(log, renderer)
    _assert_no_markup_from_input(html)
    assert HOSTILE[0] in "".join(_Tags(html).text)


def test_machine_metadata_carries_no_text_from_the_input(dist):
    frames = release_frames(dist / "latest")
    frames["documents"].loc[0, "source_file"] = HOSTILE[0] + ".txt"
    frames["documents"].loc[0, "title"] = HOSTILE[2]
    folder = publish(frames, dist).folder
    for name in ("datapackage.json", "croissant.json", "CITATION.cff"):
        text = (folder / name).read_text("utf-8")
        assert "onerror" not in text and "<script" not in text, name


# ---------------------------------------------------------------- 13: no formula in a spreadsheet

FORMULAS = {("documents", "title"): '=HYPERLINK("http://evil.invalid","click")', ("laws", "name"): "+cmd|' /C calc'!A0",
            ("sections", "heading"): "-2+3", ("documents", "speaker"): "@SUM(1+1)", ("documents", "meeting"): "\t=1+1",
            ("oversight", "subject"): "'=already quoted"}


def test_csv_cells_a_spreadsheet_would_run_start_with_an_apostrophe(dist):
    frames = release_frames(dist / "latest")
    for (table, column), value in FORMULAS.items():
        frames[table].loc[0, column] = value
    folder = publish(frames, dist).folder
    assert validate_release(folder) == []
    for (table, column), value in FORMULAS.items():
        assert pd.read_parquet(folder / f"{table}.parquet").loc[0, column] == value     # Parquet: the exact text
        assert csv_table(folder, table).loc[0, column] == "'" + value                  # CSV: one apostrophe more
    for path in (p for p in folder.rglob("*.csv") if p.is_file()):
        csv = read_csv_text(path)
        for column in csv.columns:
            assert not csv[column].str.match(r"[=+\-@\t\r]").any(), (path.name, column)
    card = (folder / "README.md").read_text("utf-8")
    pkg = json.loads((folder / "datapackage.json").read_text("utf-8"))
    from schemas.validate import CSV_TEXT_NOTE
    assert CSV_TEXT_NOTE in card
    assert all(CSV_TEXT_NOTE in r["description"] for r in pkg["resources"] if r["format"] == "csv")


def test_validate_knows_the_apostrophe_rule(dist, capsys):
    frames = release_frames(dist / "latest")
    frames["documents"].loc[0, "title"] = "=1+1"
    folder = publish(frames, dist).folder
    path = table_files(folder, "documents", "csv")[0]
    csv = read_csv_text(path)
    csv.loc[0, "title"] = "=1+1"                       # the apostrophe taken away again
    path.unlink()   # not written through (a hard link)
    csv.to_csv(path, index=False, lineterminator="\n")
    write_checksums(folder)
    capsys.readouterr()
    assert main(["validate", str(folder)]) == 1
    assert "documents.title row 0" in capsys.readouterr().out


# ---------------------------------------------------------------- 14: validate catches what a tamperer changes

def reseal(folder: Path) -> None:
    """A release folder whose files were edited in place made complete again: the sizes and SHA-256 its
    datapackage.json and croissant.json give, and its SHA256SUMS, rewritten to match the files (what a test that
    edits a release in place needs, since only complete releases count)."""
    from schemas.validate import sha256_file
    pkg_path, ld_path = folder / "datapackage.json", folder / "croissant.json"
    pkg = json.loads(pkg_path.read_text("utf-8"))
    for r in pkg["resources"]:
        if "hash" not in r:   # the zip: it holds datapackage.json, so SHA256SUMS alone gives its checksum
            continue
        path = folder / r["path"]
        r["bytes"], r["hash"] = path.stat().st_size, f"sha256:{sha256_file(path)}"
    pkg_path.write_text(json.dumps(pkg, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if ld_path.exists():
        jsonld = json.loads(ld_path.read_text("utf-8"))
        for f in jsonld["distribution"]:
            if "contentUrl" not in f:   # a table in parts: a FileSet, without size or SHA-256 of its own
                continue
            path = folder / f["contentUrl"]
            f["contentSize"], f["sha256"] = f"{path.stat().st_size} B", sha256_file(path)
        ld_path.write_text(json.dumps(jsonld, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_checksums(folder)


def _reseal(folder: Path) -> None:
    """What a careful tamperer does after editing a table: every file that describes it (or holds it: the database
    and the zip) rewritten to agree."""
    from pipeline.release.archive import archive_name, write_archive
    from pipeline.release.croissant import write_croissant
    from pipeline.release.datapackage import write_datapackage
    from pipeline.release.dates import date_of
    from pipeline.release.sqlite import database_name, write_database
    pkg = json.loads((folder / "datapackage.json").read_text("utf-8"))
    date = date_of(pkg)
    if (folder / database_name()).exists():
        write_database(folder, changes=read_csv_text(folder / "changes.csv"))
    rows = {r["name"]: r["rows"] for r in pkg["resources"] if "rows" in r}
    for name in rows:
        files = table_files(folder, name, "parquet")
        if files:
            rows[name] = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    write_datapackage(folder, pkg["version"], rows, date=date)
    if pkg.get("previousRelease"):
        fresh = json.loads((folder / "datapackage.json").read_text("utf-8"))
        fresh["previousRelease"] = pkg["previousRelease"]
        (folder / "datapackage.json").write_text(json.dumps(fresh, ensure_ascii=False, indent=2) + "\n",
                                                 encoding="utf-8")
    write_croissant(folder, pkg["version"], date=date)
    if (folder / archive_name(pkg["version"])).exists():
        write_archive(folder, pkg["version"], date)
    write_checksums(folder)


def _validate(target: Path, capsys, *flags: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["validate", *flags, str(target)])
    return code, capsys.readouterr().out


@pytest.fixture
def release(built, tmp_path) -> Path:
    folder = tmp_path / "v0.1.0"
    shutil.copytree(built / "latest", folder)
    return folder


def test_an_untouched_release_is_valid(release, capsys):
    assert _validate(release, capsys) == (0, f"{release}: valid\n")


@pytest.mark.parametrize("table, names", [("metrics", ("metrics.value row 0", "quote")),   # against its quote
                                          ("panel", ("panel.value row 0", "metrics"))],     # against its metric
                         ids=["metric_value_vs_quote", "panel_value_vs_metric"])
def test_a_value_changed_everywhere_is_named(release, capsys, table, names):
    frame = pd.read_parquet(release / f"{table}.parquet")
    frame.loc[0, "value"] += 1000
    rewrite_table(release, table, frame)
    _reseal(release)
    code, out = _validate(release, capsys)
    assert code == 1 and all(n in out for n in names)


def test_a_deleted_row_disagrees_with_datapackage(release, capsys):
    laws = pd.read_parquet(release / "laws.parquet")
    rewrite_table(release, "laws", laws.iloc[:-1])
    write_checksums(release)
    code, out = _validate(release, capsys)
    assert code == 1 and "datapackage.json" in out and "laws" in out and "rows" in out


@pytest.mark.parametrize("edit, named", [
    (lambda pkg: _field(pkg, "metrics", "value").update(type="string"), "type"),
    (lambda pkg: _resource(pkg, "metrics").update(rows=1), "rows"),
    (lambda pkg: _resource(pkg, "laws")["schema"].update(primaryKey=["doc_id"]), "primaryKey"),
    (lambda pkg: pkg["licenses"][0].update(name="CC0-1.0", path="https://creativecommons.org/publicdomain/zero/1.0/"),
     "licenses"),
], ids=["type", "rows", "primary-key", "licence"])
def test_an_edited_datapackage_is_named(release, capsys, edit, named):
    path = release / "datapackage.json"
    pkg = json.loads(path.read_text("utf-8"))
    edit(pkg)
    path.write_text(json.dumps(pkg, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_checksums(release)
    code, out = _validate(release, capsys)
    assert code == 1 and "datapackage.json" in out and named in out


def _resource(pkg: dict, name: str) -> dict:
    return next(r for r in pkg["resources"] if r["name"] == name)


def _field(pkg: dict, table: str, column: str) -> dict:
    return next(f for f in _resource(pkg, table)["schema"]["fields"] if f["name"] == column)


@pytest.mark.parametrize("name", ["datapackage.json", "croissant.json"])
def test_a_deleted_metadata_file_is_named(release, capsys, name):
    (release / name).unlink()
    write_checksums(release)
    code, out = _validate(release, capsys)
    assert code == 1 and name in out and "missing" in out


def test_an_edited_croissant_is_named(release, capsys):
    path = release / "croissant.json"
    jsonld = json.loads(path.read_text("utf-8"))
    next(f for f in jsonld["distribution"] if f["@id"] == "metrics.csv")["sha256"] = "0" * 64
    path.write_text(json.dumps(jsonld, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_checksums(release)
    code, out = _validate(release, capsys)
    assert code == 1 and "croissant.json" in out and "metrics.csv" in out


@pytest.mark.parametrize("listed", [False, True], ids=["unlisted", "listed"])
def test_an_extra_file_is_named(release, capsys, listed):
    (release / "run_me.sh").write_text("echo hi\n", encoding="utf-8")
    if listed:
        write_checksums(release)
    code, out = _validate(release, capsys)
    assert code == 1 and "run_me.sh" in out


def test_a_truncated_parquet_file_is_named_not_a_traceback(release, capsys):
    path = table_files(release, "metrics", "parquet")[0]
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data[:len(data) // 2])
    write_checksums(release)
    code, out = _validate(release, capsys)
    assert code == 1 and "metrics.parquet" in out and "damaged" in out


def test_the_hash_chain_catches_a_tampered_old_release(dist, capsys):
    first = publish(_changed(dist), dist)                        # v0.1.1, chained to v0.1.0
    frames = _recategorise(_changed(dist), row=1)
    second = publish(frames, dist)                               # v0.1.2, chained to v0.1.1
    assert (first.version, second.version) == ("0.1.1", "0.1.2")
    pkg = json.loads((second.folder / "datapackage.json").read_text("utf-8"))
    assert pkg["previousRelease"]["version"] == "0.1.1"
    assert _validate(dist, capsys, "--all")[0] == 0
    # a field of work changed in v0.1.1, every file that describes it rewritten to agree: consistent on its own
    # (a folder checked alone is checked against the release it follows, not the one after it) ...
    tampered = _recategorise(release_frames(first.folder), row=5)["metrics"]
    rewrite_table(first.folder, "metrics", tampered)
    _reseal(first.folder)
    assert _validate(first.folder, capsys)[0] == 0
    # ... but v0.1.2 recorded the SHA-256 of v0.1.1's SHA256SUMS
    code, out = _validate(dist, capsys, "--all")
    assert code == 1 and "v0.1.2" in out and "v0.1.1/SHA256SUMS" in out
