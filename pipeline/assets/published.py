"""Which asset each published table comes from, and how an asset's value becomes the published frame."""

import pandas as pd

from pipeline.assets.clean import texts_table
from schemas.registry import TABLES

# published table -> asset producing it (same name unless stated)
ASSET_OF = {tb.name: tb.name for tb in TABLES} | {"texts": "clean_documents"}


def published_frame(table_name: str, value: pd.DataFrame) -> pd.DataFrame:
    return texts_table(value) if table_name == "texts" else value
