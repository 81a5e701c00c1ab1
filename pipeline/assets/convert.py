"""What a per-document step hands on (``Processed``: what the pure functions found, and the published rows), which
documents it processes, and record ids. A record's id is ``<doc_id>:<letter><start>-<end>``, from the characters it covers: an id stays the same
from one release to the next as long as its record does, so release diffs by primary key mean something
(a sequence number would shift every later id when one record is added)."""

from dataclasses import dataclass
from typing import Any

from pipeline.assets.partitions import members
from pipeline.assets.store import STAMP_SOURCE, stamps


def span_id(doc_id: str, letter: str, start: int, end: int) -> str:
    return f"{doc_id}:{letter}{start:06d}-{end:06d}"


def span_ids(doc_id: str, letter: str, spans: list[tuple[int, int]]) -> list[str]:
    """One id per span, in order; a span that repeats (two records quoting the same characters) gets
    ``~2``, ``~3``... in the order the records come."""
    seen: dict[str, int] = {}
    out = []
    for start, end in spans:
        base = span_id(doc_id, letter, start, end)
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}~{seen[base]}")
    return out


def ids_by_index(doc_id: str, letter: str, spans: list) -> dict[int, str]:
    """{index: id} of one document's sections or sentences (``spans``: the pure functions' objects, in order)."""
    ids = span_ids(doc_id, letter, [(s.char_start, s.char_end) for s in spans])
    return {s.index: i for s, i in zip(spans, ids)}


def extractable(clean) -> bool:
    """A document's clean text is there to extract from (decoded, and recognised as a report)."""
    return clean is not None and not clean["problem"]


@dataclass
class Processed:
    """What a per-document step made of the documents it processed, for one of its outputs: ``found``, per document,
    what the pure function returned, in the form the next steps' pure functions take (sections, sentences, numbers
    as their dataclasses; a document's text and metadata as a dict; None when nothing downstream reads it), and
    ``rows``, per document, its rows of the published table. ``members``: every document of each batch of the run
    ({batch: [documents]}), so that the store keeps the others and drops the documents gone; ``store``: the store's
    base folder."""

    found: dict[str, Any]
    rows: dict[str, list[dict]]
    members: dict[str, list[str]]
    store: Any = None


def run_documents(context, *inputs) -> tuple[dict[str, list[str]], list[str]]:
    """(every document of each batch of the run, the documents to process: those whose stamp in any output of the
    step differs from their raw document's), from the stamps the store keeps beside the step's first input."""
    base = inputs[0].folder.parent
    raw = stamps(base / STAMP_SOURCE)
    batches = set(context.partition_keys)
    where = {d: b for d, (_, b) in raw.items() if b in batches}
    outputs = [stamps(base / key.to_user_string()) for key in context.selected_asset_keys]
    todo = [d for d in sorted(where, key=lambda d: (where[d], d))
            if any(out.get(d, ("",))[0] != raw[d][0] for out in outputs)]
    return members(where), todo


def each_document(context, per_document, *inputs, outputs: int = 1) -> Processed | tuple[Processed, ...]:
    """``per_document(doc_id, what each input found for it)`` for every document of the run's batches whose stored
    tables are not up to date: ``(found, rows)``, or one such pair per output when ``outputs`` > 1. ``inputs``: the
    upstream per-document assets' values ({document: found}, read one batch at a time)."""
    batch_members, todo = run_documents(context, *inputs)
    made = [Processed({}, {}, batch_members, inputs[0].folder.parent) for _ in range(outputs)]
    for doc in todo:
        result = per_document(doc, *(value[doc] for value in inputs))
        for out, (found, rows) in zip(made, result if outputs > 1 else (result,)):
            out.found[doc], out.rows[doc] = found, rows
    return tuple(made) if outputs > 1 else made[0]
