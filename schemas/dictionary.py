"""The data dictionary, derived from the pandera models: one ColumnDoc per published column.
datapackage.json, the dataset card, the download page and Dagster's column schemas all read this.
"""
from __future__ import annotations

from dataclasses import dataclass

from schemas.registry import TABLES, Table

# pandera dtype -> Frictionless Table Schema type
FRICTIONLESS_TYPES = {"str": "string", "int64": "integer", "Int64": "integer", "float64": "number", "bool": "boolean"}


@dataclass(frozen=True)
class ColumnDoc:
    table: str
    name: str
    dtype: str                 # pandera/pandas dtype name
    type: str                  # Frictionless type
    nullable: bool
    unique: bool
    description: str
    allowed: tuple[str, ...]   # vocabulary (isin check) or ()
    minimum: float | None
    maximum: float | None
    pattern: str | None


def _stat(checks, key):
    for ch in checks:
        if key in (ch.statistics or {}):
            return ch.statistics[key]
    return None


def columns(tb: Table) -> list[ColumnDoc]:
    out = []
    for name, col in tb.schema.columns.items():
        checks = col.checks
        allowed = _stat(checks, "allowed_values")
        minimum = _stat(checks, "min_value")
        maximum = _stat(checks, "max_value")
        pattern = _stat(checks, "pattern")
        out.append(ColumnDoc(
            table=tb.name, name=name, dtype=str(col.dtype), type=FRICTIONLESS_TYPES[str(col.dtype)],
            nullable=bool(col.nullable), unique=bool(col.unique), description=col.description or "",
            allowed=tuple(str(a) for a in allowed) if allowed is not None else (),
            minimum=minimum if str(col.dtype) != "str" else None,
            maximum=maximum if str(col.dtype) != "str" else None,
            pattern=str(pattern) if pattern is not None else None,
        ))
    return out


def dictionary() -> dict[str, list[ColumnDoc]]:
    return {tb.name: columns(tb) for tb in TABLES}
