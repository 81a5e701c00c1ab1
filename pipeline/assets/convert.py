"""Between published frames and the dataclasses the pure functions take: ids in, indices out.
A record's id is ``<doc_id>:<letter><start>-<end>``, from the characters it covers: an id stays the same
from one release to the next as long as its record does, so release diffs by primary key mean something
(a sequence number would shift every later id when one record is added)."""

from collections.abc import Iterator

import pandas as pd

from pipeline.assets.partitions import members
from pipeline.assets.store import STAMP_SOURCE, stamps
from pipeline.extract.model import NumberMention
from pipeline.text.model import Section, Sentence


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


def section_ids(df: pd.DataFrame | None) -> dict[int, str]:
    """{section seq: section_id} of one document's sections."""
    return {} if df is None else dict(zip(df["seq"].astype(int), df["section_id"]))


def sentence_ids(df: pd.DataFrame | None) -> dict[int, str]:
    """{sentence seq: sentence_id} of one document's sentences."""
    return {} if df is None else dict(zip(df["seq"].astype(int), df["sentence_id"]))


def by_doc(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """{doc_id: its rows}. A frame of one document (a per-document partition: nearly every call) is returned as it
    is: a groupby costs about 1 ms even then (0.8 s of a 200-document build, issue 15's profile)."""
    if df.empty:
        return {}
    ids = df["doc_id"]
    if (ids == ids.iat[0]).all():
        return {ids.iat[0]: df}
    return {doc: part for doc, part in df.groupby("doc_id", sort=True)}


def sections_of(df: pd.DataFrame | None) -> list[Section]:
    if df is None:
        return []
    seq_of = dict(zip(df["section_id"], df["seq"]))
    return [Section(index=int(r.seq), parent=int(seq_of[r.parent_id]) if r.parent_id else None, level=int(r.level),
                    heading=r.heading, part=r.part, heading_start=int(r.heading_start), heading_end=int(r.heading_end),
                    char_start=int(r.char_start), char_end=int(r.char_end)) for r in df.itertuples()]


def sentences_of(df: pd.DataFrame | None, sections: pd.DataFrame | None) -> list[Sentence]:
    if df is None:
        return []
    seq_of = dict(zip(sections["section_id"], sections["seq"])) if sections is not None else {}
    return [Sentence(index=int(r.seq), section=int(seq_of.get(r.section_id, 0)), part=r.part,
                     char_start=int(r.char_start), char_end=int(r.char_end), text=r.quote) for r in df.itertuples()]


def numbers_of(df: pd.DataFrame | None, sentences: pd.DataFrame | None) -> list[NumberMention]:
    if df is None:
        return []
    seq_of = dict(zip(sentences["sentence_id"], sentences["seq"])) if sentences is not None else {}
    return [NumberMention(sentence=int(seq_of[r.sentence_id]), char_start=int(r.char_start), char_end=int(r.char_end),
                          quote=r.quote, value=float(r.value), unit=r.unit, approx=r.approx, role=r.role)
            for r in df.itertuples()]


def documents_with(clean_documents: pd.DataFrame, *tables: pd.DataFrame) -> Iterator[tuple]:
    """(document row, [that document's rows of each table or None]) for every usable document."""
    groups = [by_doc(t) for t in tables]
    for doc in clean_documents[clean_documents["problem"] == ""].sort_values("doc_id").itertuples():
        yield doc, [g.get(doc.doc_id) for g in groups]


class Batched(dict):
    """``{document: value}`` of the documents a step processed, with ``members``: every document of each batch of
    the run ({batch: [documents]}), which the store needs to keep the others and drop the documents gone."""

    def __init__(self, values: dict, members: dict[str, list[str]], store=None):
        super().__init__(values)
        self.members, self.store = members, store   # store: the store's base folder (what it keeps of the others)

    def map(self, fn) -> "Batched":
        return Batched({k: fn(v) for k, v in self.items()}, self.members, self.store)


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


def each_document(context, table_fn, *inputs) -> Batched:
    """``{document: table_fn(its frame of each input)}`` for every document of the run's batches whose stored tables
    are not up to date; ``inputs`` are the ``{document: frame}`` values of upstream per-document assets (read one
    batch at a time)."""
    batch_members, todo = run_documents(context, *inputs)
    return Batched({key: table_fn(*(value[key] for value in inputs)) for key in todo}, batch_members,
                   inputs[0].folder.parent)
