"""CHANGELOG.md of a release: why it got its version (schema and document changes), a row-level summary per
table (rows added, removed and changed by primary key, and the columns that changed most), then the
previous release's changelog. Document ids come from file names: each is written as a code span that nothing in it
can close (``mdtext.md_code``)."""
from __future__ import annotations

from pathlib import Path

from pipeline.release.about import about
from pipeline.release.diff import TableDiff
from pipeline.release.mdtext import md_code
from pipeline.release.versioning import SchemaChanges

TOP_COLUMNS = 4  # changed columns named per table


def _kind(version: str, previous_version: str, diffs: list[TableDiff]) -> str:
    new, old = [int(x) for x in version.split(".")], [int(x) for x in previous_version.split(".")]
    if new[0] != old[0]:
        return "Major release: a table or column was removed, renamed or retyped, or a table's files were laid out anew; code reading the previous release may need changes."
    if new[1] != old[1]:
        return "Minor release: documents, tables or columns were added (or documents removed); code reading the previous release keeps working."
    if all(d.unchanged for d in diffs):
        return "Patch release: same tables, columns, documents and rows, every value as it was; only the files changed."
    return "Patch release: same tables, columns and documents; values were corrected."


def _schema_lines(c: SchemaChanges) -> list[str]:
    lines = []
    for label, items in (("Tables added", c.tables_added), ("Tables removed", c.tables_removed),
                         ("Columns added", c.columns_added), ("Columns removed", c.columns_removed),
                         ("Columns retyped", c.columns_retyped), ("Documents added", c.documents_added),
                         ("Documents removed (their rows are gone from every table)", c.documents_removed)):
        if items:
            lines.append(f"- {label}: " + ", ".join(md_code(i) for i in items))
    for r in c.renamed:
        lines.append(f"- Column renamed: `{r.table}.{r.old}` is now `{r.table}.{r.new}`. **Deprecated:** this release "
                     f"still carries `{r.old}` as an alias with the same values; the next release drops it. "
                     f"Switch to `{r.new}` now.")
    for a in c.aliases_dropped:
        lines.append(f"- Deprecated alias `{a}` removed, as announced in the previous release.")
    if c.tables_reshaped:
        lines.append("- Tables now in parts, one file per batch of documents (`<table>.parquet/part-*.parquet`, "
                     "`<table>.csv/part-*.csv`), so that a release rewrites only the parts whose documents changed: "
                     + ", ".join(md_code(t) for t in c.tables_reshaped) + ". `pandas.read_parquet('<table>.parquet')` "
                     "reads a table either way; a CSV reader opens the parts one after the other.")
    return lines


def _table_line(d: TableDiff) -> str:
    cols = ", ".join(f"`{c}` ({n})" for c, n in d.columns_changed[:TOP_COLUMNS])
    if len(d.columns_changed) > TOP_COLUMNS:
        cols += f", {len(d.columns_changed) - TOP_COLUMNS} more"
    return (f"| {d.table} | {d.rows_before} | {d.rows_now} | {len(d.added)} | {len(d.removed)} | "
            f"{len(d.changed)} | {cols} |")


def render_changelog(version: str, rows: dict[str, int], previous_version: str | None,
                     changes: SchemaChanges | None, diffs: list[TableDiff], previous_log: Path | None) -> str:
    lines = ["# Changelog", "", f"## {version}", ""]
    if previous_version is None or changes is None:
        lines += ["First release.", "", "| table | rows |", "|---|---:|"]
        lines += [f"| {name} | {n} |" for name, n in rows.items()]
        return "\n".join(lines) + "\n"
    lines += [f"Compared with {previous_version}. {_kind(version, previous_version, diffs)}", ""]
    note = about().get("release_notes", {}).get(version)
    if note:
        lines += [note, ""]
    schema = _schema_lines(changes)
    if schema:
        lines += schema + [""]
    lines += ["Rows matched by primary key; `changes.csv` lists every added, removed and changed row.", "",
              "| table | rows before | rows now | added | removed | changed | columns changed (rows) |",
              "|---|---:|---:|---:|---:|---:|---|"]
    lines += [_table_line(d) for d in diffs]
    if previous_log is not None and previous_log.exists():
        body = previous_log.read_text("utf-8").removeprefix("# Changelog\n")
        lines += ["", body.strip("\n")]
    return "\n".join(lines) + "\n"
