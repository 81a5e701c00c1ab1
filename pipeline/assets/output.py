"""Materialization metadata every table asset reports: row count, column schema (from the pandera models; on the
definition for a per-document asset) and a Markdown preview of the first rows."""

from collections.abc import Callable

import dagster as dg
import pandas as pd

from pipeline.assets.convert import Processed
from pipeline.assets.store import Handover, stored_rows
from schemas import frames
from schemas.dictionary import columns
from schemas.registry import table as registered

PREVIEW_ROWS = 5
PREVIEW_CELL = 40


def column_schema(name: str) -> dg.TableSchema:
    return dg.TableSchema(columns=[
        dg.TableColumn(name=c.name, type=c.dtype, description=c.description,
                       constraints=dg.TableColumnConstraints(nullable=c.nullable, unique=c.unique))
        for c in columns(registered(name))])


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


def documents_output(context, processed: Processed, table: str | Callable[[list[dict]], pd.DataFrame],
                     output_name: str = "result", **extra) -> dg.Output:
    """The Output of a per-document asset: what it found for the documents it processed and, per batch of the run,
    one frame of their rows (``table``: the published table's name, or a function making the frame from rows);
    each batch's materialization gets its own row count (its unchanged documents included), the run's output a
    preview of the first rows; and a progress line."""
    make = (lambda rows: frames.build(table, rows)) if isinstance(table, str) else table
    batch_frames = {batch: make([r for d in docs if d in processed.rows for r in processed.rows[d]])
                    for batch, docs in processed.members.items()}
    rows = sum(len(r) for r in processed.rows.values())
    label = output_name if output_name != "result" else context.asset_key.to_user_string()
    n_members = sum(len(d) for d in processed.members.values())
    context.log.info(f"{label}: {rows} row(s) in {len(processed.rows)} document(s) processed "
                     f"({n_members} in {len(processed.members)} batch(es))")
    key = dg.AssetKey(label)
    kept = stored_rows(processed.store / label) if processed.store is not None else {}
    for batch, docs in processed.members.items():   # each batch's own figures on its materialization
        context.add_asset_metadata(partition_key=batch, asset_key=key, metadata={
            "dagster/row_count": sum(len(processed.rows[d]) if d in processed.rows else kept.get(d, 0) for d in docs),
            "documents": len(docs), "processed": sum(d in processed.rows for d in docs)})
    sample = next((f for f in batch_frames.values() if len(f)), next(iter(batch_frames.values()), pd.DataFrame()))
    meta = {"rows processed": rows, "documents processed": len(processed.rows),
            "preview": dg.MetadataValue.md(preview(sample)), **extra}
    return dg.Output(Handover(processed.found, batch_frames, processed.members), output_name=output_name,
                     metadata=meta)
