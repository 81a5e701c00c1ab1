"""Clean layer: normalised texts and the log of every edit."""

import dagster as dg
import pandas as pd

from pipeline.assets.convert import span_ids
from pipeline.assets.ingest import usable
from pipeline.assets.output import table_output
from pipeline.text.normalise import normalise
from pipeline.text.recognise import report_problem
from schemas import frames

CLEAN_COLUMNS = ["doc_id", "source_file", "raw_text", "clean_text", "problem", "hint"]


@dg.multi_asset(
    group_name="clean",
    outs={
        "clean_documents": dg.AssetOut(description="Each decoded document's raw and normalised text (published as "
                                                   "`texts`); a text that is not a recognisable report carries a `problem`."),
        "edits": dg.AssetOut(description="Every edit made while cleaning, and every suspicion flagged, with raw and clean offsets."),
    },
)
def clean_documents_and_edits(context: dg.AssetExecutionContext, raw_documents: pd.DataFrame):
    """Normalise every decoded document and log each edit."""
    docs, edit_rows = [], []
    for doc in usable(raw_documents).itertuples():
        clean, edits = normalise(doc.raw_text)
        problem = report_problem(clean)
        docs.append({"doc_id": doc.doc_id, "source_file": doc.source_file, "raw_text": doc.raw_text,
                     "clean_text": clean, "problem": problem or "",
                     "hint": "check that the file is a congress work report, digest or proposal digest" if problem else ""})
        if problem:
            context.log.warning(f"{doc.source_file}: {problem}")
            continue
        ordered = sorted(edits, key=lambda e: (e.raw_start, e.raw_end, e.kind))
        ids = span_ids(doc.doc_id, "e", [(e.raw_start, e.raw_end) for e in ordered])
        for seq, (e, eid) in enumerate(zip(ordered, ids)):
            edit_rows.append({"edit_id": eid, "doc_id": doc.doc_id, "seq": seq,
                              "kind": e.kind, "action": e.action, "before": e.before, "after": e.after,
                              "raw_start": e.raw_start, "raw_end": e.raw_end, "clean_start": e.clean_start,
                              "clean_end": e.clean_end, "rule": e.rule, "confidence": e.confidence})
    clean_df = pd.DataFrame(docs, columns=CLEAN_COLUMNS)
    edits_df = frames.build("edits", edit_rows)
    context.log.info(f"clean_documents: {len(clean_df)} text(s); edits: {len(edits_df)} row(s)")
    yield table_output(clean_df, output_name="clean_documents")
    yield table_output(edits_df, "edits", output_name="edits")


def texts_table(clean_documents: pd.DataFrame) -> pd.DataFrame:
    """The published `texts` table: usable documents' raw and clean text."""
    return frames.build("texts", usable(clean_documents)[["doc_id", "raw_text", "clean_text"]].to_dict("records"))
