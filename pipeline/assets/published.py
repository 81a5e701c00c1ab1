"""Which asset each published table comes from, and how an asset's value becomes the published frame."""

from collections.abc import Iterator, Mapping

import pandas as pd

from pipeline.assets.clean import texts_table
from pipeline.assets.store import StoredDocuments
from schemas import frames
from schemas.registry import TABLES

# published table -> asset producing it (same name unless stated)
ASSET_OF = {tb.name: tb.name for tb in TABLES} | {"texts": "clean_documents"}


def published_frame(table_name: str, value, keep: set[str] | None = None) -> pd.DataFrame:
    """The table as published from an asset's value: a per-document asset's documents (those in ``keep`` when
    given) one after the other in document order, or a whole table as it is."""
    frame = value.concat(keep) if isinstance(value, StoredDocuments) else value
    if frame.columns.empty:  # no document at all
        return frames.build(table_name, [])
    return texts_table(frame) if table_name == "texts" else frame


class PublishedTables(Mapping):
    """``{table: frame}`` of a release made from the assets' values, each table put together when asked for and not
    kept (the release writes one table at a time); ``keep``: the documents published (None: all)."""

    def __init__(self, values: dict, keep: set[str] | None = None):
        self.values, self.keep = values, keep

    def __getitem__(self, name: str) -> pd.DataFrame:
        return published_frame(name, self.values[name], self.keep)

    def __contains__(self, name: object) -> bool:  # Mapping's would put the table together to find out
        return name in self.values

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)
