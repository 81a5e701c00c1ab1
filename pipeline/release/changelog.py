"""CHANGELOG.md of a release: this version's changes against the previous release (table row counts
and documents added or removed), followed by the previous release's changelog."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from schemas.registry import TABLES


def render_changelog(version: str, frames: dict[str, pd.DataFrame], previous: Path | None,
                     previous_version: str | None) -> str:
    lines = ["# Changelog", "", f"## {version}", ""]
    if previous is None:
        lines += ["First release.", "", "| table | rows |", "|---|---:|"]
        lines += [f"| {tb.name} | {len(frames[tb.name])} |" for tb in TABLES]
        return "\n".join(lines) + "\n"
    lines += [f"Compared with {previous_version}:", "", "| table | rows before | rows now | change |", "|---|---:|---:|---:|"]
    for tb in TABLES:
        now = len(frames[tb.name])
        path = previous / f"{tb.name}.parquet"
        before = pq.read_metadata(path).num_rows if path.exists() else 0
        lines.append(f"| {tb.name} | {before} | {now} | {now - before:+d} |")
    old_docs = set(pd.read_parquet(previous / "documents.parquet")["doc_id"]) if (previous / "documents.parquet").exists() else set()
    new_docs = set(frames["documents"]["doc_id"])
    for label, ids in (("Documents added", new_docs - old_docs), ("Documents removed", old_docs - new_docs)):
        if ids:
            lines += ["", f"{label}: " + ", ".join(sorted(ids))]
    old_log = previous / "CHANGELOG.md"
    if old_log.exists():
        body = old_log.read_text("utf-8").removeprefix("# Changelog\n")
        lines += ["", body.strip("\n")]
    return "\n".join(lines) + "\n"
