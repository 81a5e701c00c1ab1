"""Raw layer: reading and decoding the input files."""

import hashlib

import dagster as dg
import pandas as pd

from pipeline.assets.output import table_output
from pipeline.assets.settings import PipelineSettings
from pipeline.text.decode import DecodeError, decode_bytes
from pipeline.text.sources import read_sources

KEEP_FIRST = "remove one of the two copies; only the first (by name) is used"
RAW_COLUMNS = ["doc_id", "source_file", "sha256", "n_bytes", "encoding", "raw_text", "problem", "offset", "hint"]


@dg.asset(group_name="raw", compute_kind="python")
def raw_documents(context: dg.AssetExecutionContext, settings: PipelineSettings) -> dg.Output[pd.DataFrame]:
    """Every file of the seeds folder, decoded (encoding detected, never guessed), with its sha256; files that
    cannot be decoded or repeat another file's content are kept with a `problem` and left out downstream."""
    rows, first_of = [], {}  # first file seen with given bytes, or with given decoded text
    for src in read_sources(settings.seeds):
        row = {"doc_id": src.doc_id, "source_file": src.name, "sha256": src.sha256, "n_bytes": len(src.data),
               "encoding": "", "raw_text": "", "problem": "", "offset": None, "hint": ""}
        if src.sha256 in first_of:
            row |= {"problem": f"same content as {first_of[src.sha256]}",
                    "hint": KEEP_FIRST}
        else:
            first_of[src.sha256] = src.name
            try:
                row["raw_text"], row["encoding"] = decode_bytes(src.data, src.name)
            except DecodeError as err:
                row |= {"problem": err.reason, "offset": err.offset, "hint": err.hint}
            else:
                text_key = "text:" + hashlib.sha256(row["raw_text"].encode("utf-8")).hexdigest()
                if text_key in first_of:
                    row |= {"problem": f"same text as {first_of[text_key]} (in another encoding)",
                            "hint": KEEP_FIRST}
                first_of.setdefault(text_key, src.name)
        if row["problem"]:
            context.log.warning(f"{src.name}: {row['problem']} — {row['hint']}")
        rows.append(row)
    df = pd.DataFrame(rows, columns=RAW_COLUMNS).astype({"offset": "Int64"})
    context.log.info(f"raw_documents: {len(df)} file(s) read, {int((df['problem'] == '').sum())} decoded")
    return table_output(df, files=len(df))


def usable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of a per-document frame without a problem."""
    return frame[frame["problem"] == ""]
