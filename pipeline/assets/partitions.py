"""Batches of documents as dynamic partitions, and the version stamp that says whether a document's stored tables
are up to date: the hash of its file's bytes and metadata override, plus the code version of every per-document
step. A document whose stamp has not changed is never processed again, whatever batch it is in.

A batch (``pipeline.batches``) is the documents whose id hashes to one prefix of bits: ``b`` + the bits (``b`` alone: every document;
``b01``: the ids whose SHA-256 starts with the bits 0, 1). The prefixes are the shortest that leave at most
``BATCH_SIZE`` documents in a batch, so the batches are a function of the set of document ids alone — not of the
order the documents arrived in, nor of the folder's layout — and a new document changes one batch (or splits one
in two). Why this grain (issue 15): Dagster writes an event per asset and partition (≈8.6 ms each on a SQLite
instance, measured here), so the partitions must grow with the corpus far slower than the documents do; a fixed
number of hash shards is either too many for a small corpus or too coarse for a large one, sub-folders and years
are the user's layout or not known before extraction. With 100 documents at most, a batch holds about 70 on
average: 1,000 documents are about 15 partitions per asset, 30,000 about 430."""

import hashlib
import json
import warnings
from pathlib import Path

import dagster as dg

from pipeline.batches import batch_of, members  # noqa: F401  (the batches are the partitions' keys)
from pipeline.codeversion import code_version

# backfill_policy is marked beta; it is what DESIGN.md's stack notes prescribe for many partitions in one run
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)

BATCHES = dg.DynamicPartitionsDefinition(name="batches")

# every per-document asset runs its partitions in ONE run (one step per asset for all batches of the run)
SINGLE_RUN = dg.BackfillPolicy.single_run()

_ROOT = Path(__file__).resolve().parents[2]
# what the per-document tables are computed by: the text and extraction code, its vocabularies, the schemas the
# tables are built to, and the Dagster layer that runs them, as folders (not a list of modules to keep up to date: a
# new layer module is covered; a change to the layer's release-level modules reprocesses every document once)
_CODE = ("pipeline/text", "pipeline/extract", "pipeline/vocab", "schemas", "pipeline/assets")


CODE_VERSION = code_version(_ROOT, _CODE)


def document_stamp(sha256: str, override: dict | None) -> str:
    """What a document's tables depend on besides code: its bytes and its row of seeds/metadata.csv."""
    extra = hashlib.sha256(json.dumps(override or {}, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"{sha256[:16]}.{extra[:8]}.{CODE_VERSION}"


def per_document(metadata: dict | None = None) -> dict:
    """Keyword arguments every per-document asset shares: partitioned by batch of documents, all batches of a run in
    one step, and the code version Dagster shows and records with each materialization (``metadata``: the asset's
    definition metadata; for a multi-asset, give it to each ``AssetOut``)."""
    return {"partitions_def": BATCHES, "backfill_policy": SINGLE_RUN,
            **({"code_version": CODE_VERSION, "metadata": metadata} if metadata is not None else {})}
