"""Versions and changes: the row-level diff by primary key, changes.csv and the changelog, the version rule on
real releases (patch, minor, major), and a renamed column's deprecated alias kept for exactly one release."""
import json

import numpy as np
import pandas as pd
import pytest

from conftest import release_frames
from pipeline.release.diff import change_rows, diff_table
from pipeline.release.publish import publish
from schemas import registry
from schemas.layout import table_files
from schemas.registry import Rename
from schemas.validate import read_csv_text, validate_release
from test_release_job import snapshot
from test_release_safety import reseal


@pytest.fixture
def dist(built_copy):
    return built_copy


def test_diff_by_primary_key():
    old = pd.DataFrame({"k": ["a", "b", "c"], "v": [1.0, 2.0, np.nan], "w": ["x", "y", "z"]})
    new = pd.DataFrame({"k": ["b", "c", "d"], "v": [2.0, np.nan, 4.0], "w": ["Y", "z", "q"]})
    d = diff_table("t", old, new, ["k"])
    assert (d.added, d.removed, d.changed) == (("d",), ("a",), (("b", ("w",)),))
    assert d.columns_changed == (("w", 1),)
    assert change_rows([d]) == [{"table": "t", "key": "a", "change": "removed", "columns": ""},
                                {"table": "t", "key": "b", "change": "changed", "columns": "w"},
                                {"table": "t", "key": "d", "change": "added", "columns": ""}]


def test_diff_composite_key_missing_values_and_retyped_column():
    old = pd.DataFrame({"doc": ["x", "x"], "code": ["p", "q"], "n": pd.array([1, None], dtype="Int64")})
    new = pd.DataFrame({"doc": ["x", "x"], "code": ["p", "q"], "n": [1.5, np.nan]})
    d = diff_table("t", old, new, ["doc", "code"])
    assert d.changed == (("x | p", ("n",)),)   # a missing value equals a missing value whatever the dtype
    assert diff_table("t", None, new, ["doc", "code"]).added == ("x | p", "x | q")


def test_identical_tables_have_no_diff():
    df = pd.DataFrame({"k": ["a"], "v": ["同"]})
    assert diff_table("t", df, df.copy(), ["k"]).unchanged


def _changes(folder):
    return read_csv_text(folder / "changes.csv")


def recategorised(frames: dict, row: int = 0) -> dict:
    """One metric's field of work corrected: a value no quote pins down (a metric's value must be the number its
    quote states, so a corrected value would be an invalid release)."""
    metrics = frames["metrics"]
    metrics.loc[row, "category"] = "petitions" if metrics.loc[row, "category"] != "petitions" else "other"
    return frames


def test_corrected_value_is_one_changed_row(dist):
    frames = recategorised(release_frames(dist / "latest"), 3)
    key = frames["metrics"].loc[3, "metric_id"]
    result = publish(frames, dist)
    assert (result.status, result.version) == ("published", "0.1.1")
    changes = _changes(result.folder)
    assert changes.to_dict("records") == [{"table": "metrics", "key": key, "change": "changed", "columns": "category"}]
    log = (result.folder / "CHANGELOG.md").read_text("utf-8")
    assert "Patch release" in log and "| metrics | 120 | 120 | 0 | 0 | 1 | `category` (1) |" in log.replace(
        str(len(frames["metrics"])), "120")
    # the same frames again: nothing new, whatever the history before
    again = snapshot(dist)
    assert publish(frames, dist).status == "unchanged" and snapshot(dist) == again


def test_removed_document_is_a_minor_release_and_every_row_is_listed(dist):
    frames = release_frames(dist / "latest")
    gone = sorted(frames["documents"]["doc_id"])[-1]
    lost = {name: int((df["doc_id"] == gone).sum()) for name, df in frames.items() if "doc_id" in df.columns}
    frames = {name: df[df["doc_id"] != gone].reset_index(drop=True) if "doc_id" in df.columns else df
              for name, df in frames.items()}
    result = publish(frames, dist)
    assert result.version == "0.2.0"
    changes = _changes(result.folder)
    assert (changes["change"] == "removed").all()
    assert changes.groupby("table").size().to_dict() == {k: v for k, v in lost.items() if v}
    assert f"Documents removed (their rows are gone from every table): `{gone}`" in \
        (result.folder / "CHANGELOG.md").read_text("utf-8")


def _pretend_previous_release_used(folder, table, old, new):
    """Make a release look as if it had been built before ``table.new`` was renamed from ``old``."""
    pkg_path = folder / "datapackage.json"
    pkg = json.loads(pkg_path.read_text("utf-8"))
    for r in pkg["resources"]:
        if r["name"] == table:
            for f in r["schema"]["fields"]:
                if f["name"] == new:
                    f["name"] = old
    pkg_path.write_text(json.dumps(pkg, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for path in table_files(folder, table, "parquet"):   # its one file, or each of its parts
        frame = pd.read_parquet(path).rename(columns={new: old})
        path.unlink()   # not written through: another release may share the file (a hard link)
        frame.to_parquet(path, index=False)
    reseal(folder)   # only a complete release counts as the previous one


def test_renamed_column_keeps_a_deprecated_alias_for_one_release(dist, monkeypatch):
    frames = release_frames(dist / "latest")
    _pretend_previous_release_used(dist / "v0.1.0", "metrics", "indicator_text", "indicator")
    monkeypatch.setattr(registry, "RENAMES", (Rename("metrics", "indicator_text", "indicator"),))

    renamed = publish(frames, dist)
    assert renamed.version == "1.0.0"                     # a rename is a major change
    metrics = pd.read_parquet(renamed.folder / "metrics.parquet")
    assert list(metrics.columns)[-1] == "indicator_text"
    assert metrics["indicator_text"].equals(metrics["indicator"])
    fields = next(r for r in json.loads((renamed.folder / "datapackage.json").read_text("utf-8"))["resources"]
                  if r["name"] == "metrics")["schema"]["fields"]
    alias = next(f for f in fields if f["name"] == "indicator_text")
    assert alias["aliasOf"] == "indicator" and "Deprecated" in alias["description"]
    log = (renamed.folder / "CHANGELOG.md").read_text("utf-8")
    assert "`metrics.indicator_text` is now `metrics.indicator`" in log and "**Deprecated:**" in log
    assert validate_release(renamed.folder) == []
    assert publish(frames, dist).status == "unchanged"     # the alias is part of what the build reproduces

    recategorised(frames)
    after = publish(frames, dist)
    assert after.version == "1.0.1"                        # dropping the announced alias bumps nothing
    assert "indicator_text" not in pd.read_parquet(after.folder / "metrics.parquet").columns
    assert "Deprecated alias `metrics.indicator_text` removed" in (after.folder / "CHANGELOG.md").read_text("utf-8")
    assert validate_release(after.folder) == []


def test_an_alias_that_differs_from_its_column_is_invalid(dist, monkeypatch):
    frames = release_frames(dist / "latest")
    _pretend_previous_release_used(dist / "v0.1.0", "laws", "law_name", "name")
    monkeypatch.setattr(registry, "RENAMES", (Rename("laws", "law_name", "name"),))
    folder = publish(frames, dist).folder
    path = table_files(folder, "laws", "parquet")[0]
    laws = pd.read_parquet(path)
    laws.loc[0, "law_name"] = "别的名字"
    path.unlink()   # not written through: another release may share the file (a hard link)
    laws.to_parquet(path, index=False)
    assert any(f.check == "deprecated alias differs from name" for f in validate_release(folder))


def test_a_maintainers_release_note_heads_its_versions_entry():
    from pipeline.release.about import about
    from pipeline.release.changelog import render_changelog
    from pipeline.release.versioning import SchemaChanges
    version, note = next(iter(about()["release_notes"].items()))
    log = render_changelog(version, {"metrics": 1}, "0.0.1", SchemaChanges(), [], None)
    assert note in log and log.index(note) < log.index("| table |")
    assert note not in render_changelog("9.9.9", {"metrics": 1}, "9.9.8", SchemaChanges(), [], None)


@pytest.mark.parametrize("changed, says", [(False, "every value as it was; only the files changed"),
                                           (True, "values were corrected")])
def test_a_patch_release_says_whether_any_row_changed(changed, says):
    from pipeline.release.changelog import render_changelog
    from pipeline.release.diff import TableDiff
    from pipeline.release.versioning import SchemaChanges

    diffs = [TableDiff("metrics", 3, 3, changed=((("d:m1"), ("value",)),) if changed else ())]
    text = render_changelog("0.1.6", {"metrics": 3}, "0.1.5", SchemaChanges(), diffs, None)
    assert says in text


def test_diff_when_the_primary_key_changed():
    """A release whose table has a new primary key (the panel keyed by place, 1.0.0): every old row is removed and
    every new row added, and the row counts before and now are both told (not 'rows before: 0')."""
    old = pd.DataFrame({"doc_id": ["a", "a", "b"], "indicator_code": ["x", "y", "x"], "value": [1.0, 2.0, 3.0]})
    new = pd.DataFrame({"place": ["p", "q"], "indicator_code": ["x", "x"], "value": [1.0, 3.0]})
    d = diff_table("panel", old, new, ["place", "indicator_code"])
    assert (d.rows_before, d.rows_now) == (3, 2)
    assert d.added == ("p | x", "q | x") and d.removed == ("x", "y")
