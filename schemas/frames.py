"""Typed, ordered DataFrames for a published table, built from plain rows. Every asset builds its
table through ``build`` so column order and dtypes always follow the model.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from schemas.registry import table

# pandera dtype name -> pandas dtype used in memory, Parquet and CSV round trips
PANDAS_DTYPES = {"str": object, "int64": "int64", "float64": "float64", "Int64": "Int64", "bool": "bool"}


def dtype_name(name: str, column: str) -> str:
    return str(table(name).schema.columns[column].dtype)


def build(name: str, rows: Iterable[Mapping]) -> pd.DataFrame:
    """A frame with exactly the table's columns, in order, with its dtypes (rows may be empty)."""
    cols = table(name).columns
    df = pd.DataFrame(list(rows), columns=cols)
    for c in cols:
        kind = dtype_name(name, c)
        if kind == "str":
            df[c] = df[c].fillna("").astype(str).astype(object)
        else:
            try:
                df[c] = df[c].astype(PANDAS_DTYPES[kind])
            except (ValueError, TypeError) as err:
                raise ValueError(f"{name}.{c}: values do not fit dtype {kind} ({err}); "
                                 f"every row must give this column") from err
    return df.reset_index(drop=True)
