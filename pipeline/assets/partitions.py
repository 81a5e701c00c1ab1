"""One dynamic partition per document, and the version stamp that says whether a document's stored tables are
up to date: the hash of its file's bytes and metadata override, plus the code version of every per-document
step. A document whose stamp has not changed is never processed again."""

import hashlib
import json
import warnings
from pathlib import Path

import dagster as dg

# backfill_policy is marked beta; it is what DESIGN.md's stack notes prescribe for many partitions in one run
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)

DOCUMENTS = dg.DynamicPartitionsDefinition(name="documents")

# every per-document asset runs its partitions in ONE run (one step per asset for all documents of the run)
SINGLE_RUN = dg.BackfillPolicy.single_run()

_ROOT = Path(__file__).resolve().parents[2]
# what the per-document tables are computed by: the text and extraction code, its vocabularies, the schemas
# the tables are built to, and the per-document assets themselves
_CODE = ("pipeline/text", "pipeline/extract", "pipeline/vocab", "schemas",
         "pipeline/assets/convert.py", "pipeline/assets/ingest.py", "pipeline/assets/clean.py",
         "pipeline/assets/structure.py", "pipeline/assets/records.py", "pipeline/assets/catalog.py",
         "pipeline/assets/partitions.py")


def code_version(root: Path = _ROOT, parts: tuple[str, ...] = _CODE) -> str:
    """sha256 (16 hex digits) of the per-document code: every .py and vocabulary file under ``parts``, by
    relative path and content. Any change to a rule, a vocabulary or a schema changes it."""
    h = hashlib.sha256()
    for part in parts:
        p = root / part
        files = sorted(f for f in (p.rglob("*") if p.is_dir() else [p])
                       if f.is_file() and f.suffix in (".py", ".toml", ".txt", ".csv"))
        for f in files:
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


CODE_VERSION = code_version()


def document_stamp(sha256: str, override: dict | None) -> str:
    """What a document's tables depend on besides code: its bytes and its row of seeds/metadata.csv."""
    extra = hashlib.sha256(json.dumps(override or {}, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"{sha256[:16]}.{extra[:8]}.{CODE_VERSION}"


def per_document(metadata: dict | None = None) -> dict:
    """Keyword arguments every per-document asset shares: partitioned by document, all partitions of a run in one
    step, and the code version Dagster shows and records with each materialization (``metadata``: the asset's
    definition metadata; for a multi-asset, give it to each ``AssetOut``)."""
    return {"partitions_def": DOCUMENTS, "backfill_policy": SINGLE_RUN,
            **({"code_version": CODE_VERSION, "metadata": metadata} if metadata is not None else {})}
