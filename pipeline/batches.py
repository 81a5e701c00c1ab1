"""Batches of documents: the documents whose id's SHA-256 starts with one prefix of bits, ``b`` + the bits (``b``
alone: every document; ``b01``: the ids whose hash starts with the bits 0, 1), using the shortest prefixes that leave
at most ``BATCH_SIZE`` documents in a batch. The batches are a function of the set of document ids alone — not of
the order the documents arrived in, nor of the folder's layout — and a new document changes one batch (or splits one
in two). They are the build's Dagster partitions (``pipeline.assets.partitions``, over every input document) and
a release's table parts (``pipeline.release.publish``, over the documents it publishes: ``schemas.layout``)."""

import hashlib

BATCH_SIZE = 100   # most documents a batch holds
_BITS = 64         # bits of an id's hash a batch prefix may use (two ids never share all 64 in practice)


def _bits(doc_id: str) -> int:
    return int.from_bytes(hashlib.sha256(doc_id.encode("utf-8")).digest()[:8], "big")


def batch_of(doc_ids, size: int | None = None) -> dict[str, str]:
    """{document: its batch} for a set of document ids: the shortest hash prefixes holding at most ``size`` ids
    (default ``BATCH_SIZE``)."""
    size = size or BATCH_SIZE
    out: dict[str, str] = {}
    stack = [("", sorted((_bits(d), d) for d in set(doc_ids)))]
    while stack:
        prefix, docs = stack.pop()
        if len(docs) <= size or len(prefix) >= _BITS:
            out.update((d, f"b{prefix}") for _, d in docs)
            continue
        bit = _BITS - 1 - len(prefix)
        stack.append((prefix + "1", [x for x in docs if x[0] >> bit & 1]))
        stack.append((prefix + "0", [x for x in docs if not x[0] >> bit & 1]))
    return out


def members(where: dict[str, str]) -> dict[str, list[str]]:
    """{batch: its documents in id order} from {document: batch}."""
    out: dict[str, list[str]] = {}
    for doc in sorted(where):
        out.setdefault(where[doc], []).append(doc)
    return out
