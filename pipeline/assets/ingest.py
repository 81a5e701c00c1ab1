"""Raw layer: reading and decoding each document's file (partitioned by batch of documents)."""

import hashlib

import dagster as dg
import pandas as pd

from pipeline.assets.output import documents_output, schema_metadata
from pipeline.assets.convert import Processed
from pipeline.assets.partitions import batch_of, document_stamp, members, per_document
from pipeline.assets.store import STAMP_SOURCE, stamps
from pipeline.assets.settings import PipelineSettings
from pipeline.extract.metadata import load_overrides
from pipeline.text.decode import MAX_BYTES, DecodeError, decode_bytes, size_error
from pipeline.text.sources import METADATA_FILE, file_name, locate, read_source, source_sha, unreadable_sha

RAW_COLUMNS = ["doc_id", "source_file", "sha256", "n_bytes", "encoding", "raw_text", "text_sha256", "problem", "offset",
               "hint", "stamp"]


@dg.asset(group_name="raw", compute_kind="python", **per_document(schema_metadata(columns=RAW_COLUMNS)))
def raw_documents(context: dg.AssetExecutionContext, settings: PipelineSettings) -> dg.Output:
    """Each document's file, decoded (encoding detected, never guessed), with its sha256; a file that cannot be
    decoded is kept with a `problem` and left out downstream (so is one repeating another file's content, found
    when the release brings all documents together). Only the documents of the run's batches whose file, metadata
    override or code changed are read again."""
    paths, overrides = locate(settings.seeds), load_overrides(settings.seeds / METADATA_FILE)
    run = set(context.partition_keys)
    where = {d: b for d, b in batch_of(paths).items() if b in run}
    recorded = stamps(settings.store / STAMP_SOURCE)
    done = Processed({}, {}, members(where), settings.store)
    for key in sorted(where, key=lambda d: (where[d], d)):
        if recorded.get(key, ("",))[0] == document_stamp(source_sha(paths[key]), overrides.get(file_name(paths[key]))):
            continue
        row = raw_row(key, paths[key], overrides)
        if row["problem"]:
            context.log.warning(f"{row['source_file']}: {row['problem']} — {row['hint']}")
        done.found[key], done.rows[key] = row, [row]
    return documents_output(context, done, raw_frame, files=len(done.found),
                            decoded=sum(int(r["problem"] == "") for r in done.found.values()))


def raw_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=RAW_COLUMNS).astype({"offset": "Int64"})


UNREADABLE = "check the file's permissions (the user running the build must be able to read it)"


def raw_row(doc_id: str, path, overrides: dict) -> dict:
    name = file_name(path)
    row = {"doc_id": doc_id, "source_file": name, "sha256": "", "n_bytes": 0, "encoding": "", "raw_text": "",
           "text_sha256": "", "problem": "", "offset": None, "hint": ""}
    try:
        src = read_source(doc_id, path, max_bytes=MAX_BYTES)
    except OSError as err:   # no read permission, removed meanwhile, an I/O error: a problem, not a failed run
        return row | {"sha256": hashlib.sha256(b"").hexdigest(), "hint": UNREADABLE,
                      "problem": f"cannot read the file: {err.strerror or err}",
                      "stamp": document_stamp(unreadable_sha(err), overrides.get(name))}
    row |= {"sha256": src.sha256, "n_bytes": src.size, "stamp": document_stamp(src.sha256, overrides.get(name))}
    try:
        if (too_large := size_error(src.name, src.size)) is not None:
            raise too_large
        row["raw_text"], row["encoding"] = decode_bytes(src.data, src.name)
    except DecodeError as err:
        row |= {"problem": err.reason, "offset": err.offset, "hint": err.hint}
    else:
        row["text_sha256"] = hashlib.sha256(row["raw_text"].encode("utf-8")).hexdigest()
    return row


def usable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of a raw or clean documents frame without a problem."""
    return frame[frame["problem"] == ""]
