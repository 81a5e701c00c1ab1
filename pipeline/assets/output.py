"""Materialization metadata every table asset reports: row count, column schema (from the pandera models; on the
definition for a per-document asset) and a Markdown preview of the first rows."""

import dagster as dg
import pandas as pd

from pipeline.assets.convert import Batched
from pipeline.assets.store import Handover, stored_rows
from schemas.dictionary import columns
from schemas.registry import table

PREVIEW_ROWS = 5
PREVIEW_CELL = 40


def column_schema(name: str) -> dg.TableSchema:
    return dg.TableSchema(columns=[
        dg.TableColumn(name=c.name, type=c.dtype, description=c.description,
                       constraints=dg.TableColumnConstraints(nullable=c.nullable, unique=c.unique))
        for c in columns(table(name))])


def preview(df: pd.DataFrame) -> str:
    """The first rows as a Markdown table, long cells cut."""
    def cell(v) -> str:
        s = "" if v is None or (isinstance(v, float) and v != v) else str(v)
        s = s.replace("\n", " ").replace("|", "\\|")
        return s if len(s) <= PREVIEW_CELL else s[:PREVIEW_CELL - 1] + "…"
    head = df.head(PREVIEW_ROWS)
    lines = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in head.itertuples(index=False)]
    return "\n".join(lines)


def table_output(df: pd.DataFrame, name: str, output_name: str = "result", **extra) -> dg.Output:
    """An Output carrying a whole table (not per document) and its metadata; ``name`` is the published table it
    feeds, ``output_name`` the output of a multi-asset."""
    meta = {"dagster/row_count": len(df), "preview": dg.MetadataValue.md(preview(df)), **extra}
    meta["dagster/column_schema"] = column_schema(name)
    return dg.Output(df, output_name=output_name, metadata=meta)


def schema_metadata(name: str | None = None, columns: list[str] | None = None) -> dict:
    """Definition metadata of a per-document asset: its column schema (the registry's for a published table, else
    the column names). Dagster copies a run's output metadata into every partition's materialization event and
    serialises it each time: a 15-column schema there cost more than the document's own text work (measured on
    200 documents), so the static part is declared once, on the asset."""
    schema = column_schema(name) if name else dg.TableSchema(columns=[dg.TableColumn(c) for c in columns or []])
    return {"dagster/column_schema": schema}


def documents_output(context, frames: Batched, name: str | None = None,
                     output_name: str = "result", **extra) -> dg.Output:
    """The Output of a per-document asset: ``{document: frame}`` for the documents the run processed, with their
    row count and a preview of the first rows (the column schema is on the asset's definition), and a progress
    line."""
    nonempty = [f for f in frames.values() if len(f)]
    sample = (pd.concat(nonempty[:PREVIEW_ROWS], ignore_index=True) if nonempty
              else next(iter(frames.values()), pd.DataFrame()))
    rows = sum(len(f) for f in frames.values())
    label = output_name if output_name != "result" else context.asset_key.to_user_string()
    n_members = sum(len(d) for d in frames.members.values())
    context.log.info(f"{label}: {rows} row(s) in {len(frames)} document(s) processed "
                     f"({n_members} in {len(frames.members)} batch(es))")
    key = dg.AssetKey(label) if output_name != "result" else context.asset_key
    kept = stored_rows(frames.store / key.to_user_string()) if frames.store is not None else {}
    for batch, docs in frames.members.items():   # each batch's own figures on its materialization
        context.add_asset_metadata(partition_key=batch, asset_key=key, metadata={
            "dagster/row_count": sum(len(frames[d]) if d in frames else kept.get(d, 0) for d in docs),
            "documents": len(docs), "processed": sum(d in frames for d in docs)})
    meta = {"rows processed": rows, "documents processed": len(frames),
            "preview": dg.MetadataValue.md(preview(sample)), **extra}
    return dg.Output(Handover(frames, frames.members), output_name=output_name, metadata=meta)
