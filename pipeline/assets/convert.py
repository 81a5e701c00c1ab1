"""Between published frames and the dataclasses the pure functions take: ids in, indices out.
Ids are ``<doc_id>:<letter><seq>`` so they are stable and sort in document order."""

from collections.abc import Iterator

import pandas as pd

from pipeline.extract.model import NumberMention
from pipeline.text.model import Section, Sentence


def rid(doc_id: str, letter: str, seq: int) -> str:
    return f"{doc_id}:{letter}{seq:05d}"


def by_doc(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
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
