"""Which asset each published table comes from, and how an asset's value becomes the published frame."""

from collections.abc import Iterator, Mapping
from functools import partial

import pandas as pd

from pipeline.assets.clean import texts_table
from pipeline.assets.ingest import usable
from pipeline.assets.store import StoredDocuments, stamps
from pipeline.release.parts import Part, batches_of, in_part_order, rows_key
from schemas import frames
from schemas.registry import TABLES
from schemas.validate import referenced_columns

# published table -> asset producing it (the registry's: the asset named after the table unless it says otherwise)
ASSET_OF = {tb.name: tb.asset or tb.name for tb in TABLES}


def published_frame(table_name: str, value, keep: set[str] | None = None) -> pd.DataFrame:
    """The table as published from an asset's value: a per-document asset's documents (those in ``keep`` when
    given) one after the other in document order, or a whole table as it is."""
    frame = value.concat(keep) if isinstance(value, StoredDocuments) else value
    if frame.columns.empty:  # no document at all
        return frames.build(table_name, [])
    return texts_table(frame) if table_name == "texts" else frame


def referenced_frame(table_name: str, value, keep: set[str] | None = None) -> pd.DataFrame:
    """Only what other tables' checks read of a published table (its keys; of ``texts``, the clean text), taken
    document by document: a check of 10,000 documents' sentences then holds their texts once, not twice with the
    raw texts beside them."""
    cols = referenced_columns()[table_name]
    extra = ["problem"] if table_name == "texts" else []
    frame = value.concat(keep, columns=cols + extra) if isinstance(value, StoredDocuments) else value
    if frame.columns.empty:  # no document at all
        return frames.build(table_name, [])[cols]
    return (usable(frame) if extra else frame)[cols].reset_index(drop=True)


class PublishedTables(Mapping):
    """``{table: frame}`` of a release made from the assets' values, each table put together when asked for and not
    kept (the release writes one table at a time); ``keep``: the documents published (None: all)."""

    def __init__(self, values: dict, keep: set[str] | None = None):
        self.values, self.keep = values, keep
        self._where: dict[str, str] | None = None   # {document: its part's batch}, worked out when first needed

    def __getitem__(self, name: str) -> pd.DataFrame:
        return published_frame(name, self.values[name], self.keep)

    def parts(self, name: str) -> list[Part] | None:
        """The parts of a table made document by document: one per batch of the documents published
        (``pipeline.release.parts``), each loaded from the stored batches its documents are in, and keyed by their
        stamps (the same stamps, the same rows); None for a whole table."""
        value = self.values[name]
        if not isinstance(value, StoredDocuments):
            return None
        if self._where is None:
            self._where = batches_of(self["documents"])
        recorded = stamps(value.folder)
        by_part: dict[str, list[str]] = {}
        for doc, batch in self._where.items():
            by_part.setdefault(batch, []).append(doc)
        out = []
        for batch in in_part_order(self._where.values()):
            docs = sorted(by_part[batch])
            stored = {value.where[d] for d in docs if d in value.where}
            out.append(Part(batch, partial(published_frame, name, value.within(stored), set(docs)),
                            rows_key([(d, recorded.get(d, ("",))[0]) for d in docs])))
        return out

    def __contains__(self, name: object) -> bool:  # Mapping's would put the table together to find out
        return name in self.values

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)
