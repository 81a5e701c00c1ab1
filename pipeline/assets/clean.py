"""Clean layer: each document's normalised text and the log of every edit."""

from collections import Counter
from functools import partial

import dagster as dg
import pandas as pd

from pipeline.assets.convert import each_document, span_ids
from pipeline.assets.ingest import usable
from pipeline.assets.output import documents_output, schema_metadata
from pipeline.assets.partitions import CODE_VERSION, per_document
from pipeline.text.normalise import normalise
from pipeline.text.recognise import report_problem
from schemas import frames

CLEAN_COLUMNS = ["doc_id", "source_file", "raw_text", "clean_text", "problem", "hint"]
NOT_A_REPORT = "check that the file is a congress work report, digest or proposal digest"


@dg.multi_asset(
    group_name="clean",
    outs={
        "clean_documents": dg.AssetOut(
            code_version=CODE_VERSION, metadata=schema_metadata(columns=CLEAN_COLUMNS), description=(
            "Each decoded document's raw and normalised text (published as `texts`); a text that is not a "
            "recognisable report carries a `problem`.")),
        "edits": dg.AssetOut(code_version=CODE_VERSION, metadata=schema_metadata("edits"), description=(
            "Every edit made while cleaning, and every suspicion flagged, with raw and clean offsets.")),
    },
    **per_document(),
)
def clean_documents_and_edits(context: dg.AssetExecutionContext, raw_documents):
    """Normalise every decoded document and log each edit."""
    texts, edits = each_document(context, partial(clean_document, context.log), raw_documents, outputs=2)
    yield documents_output(context, texts, clean_frame, output_name="clean_documents")
    yield documents_output(context, edits, "edits", output_name="edits")


def clean_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=CLEAN_COLUMNS)


def clean_document(log, doc_id: str, raw: dict) -> tuple[tuple, tuple]:
    """((its source file, clean text and problem, [the document's clean text row]), ({edit action: count}, its edit
    rows)); nothing when the file could not be decoded."""
    if raw["problem"]:
        return (None, []), ({}, [])
    clean, edits = normalise(raw["raw_text"])
    problem = report_problem(clean)
    row = {"doc_id": doc_id, "source_file": raw["source_file"], "raw_text": raw["raw_text"], "clean_text": clean,
           "problem": problem or "", "hint": NOT_A_REPORT if problem else ""}
    # what the later steps read: not the raw text, which is half of the row and which they have no use for
    text = {"source_file": row["source_file"], "clean_text": clean, "problem": row["problem"]}
    if problem:
        log.warning(f"{raw['source_file']}: {problem}")
        return (text, [row]), ({}, [])
    ordered = sorted(edits, key=lambda e: (e.raw_start, e.raw_end, e.kind))
    ids = span_ids(doc_id, "e", [(e.raw_start, e.raw_end) for e in ordered])
    edit_rows = [{"edit_id": eid, "doc_id": doc_id, "seq": seq, "kind": e.kind, "action": e.action,
                  "before": e.before, "after": e.after, "raw_start": e.raw_start, "raw_end": e.raw_end,
                  "clean_start": e.clean_start, "clean_end": e.clean_end, "rule": e.rule, "confidence": e.confidence}
                 for seq, (e, eid) in enumerate(zip(ordered, ids))]
    return (text, [row]), (dict(Counter(e.action for e in ordered)), edit_rows)


def texts_table(clean_documents: pd.DataFrame) -> pd.DataFrame:
    """The published `texts` table: usable documents' raw and clean text."""
    return frames.build("texts", usable(clean_documents)[["doc_id", "raw_text", "clean_text"]].to_dict("records"))
