"""The data contract: one pandera DataFrameModel per published table (``schemas.tables``), the
registry of keys and relations (``schemas.registry``), cross-table rules (``schemas.crosscheck``) and
validation of frames or a published folder (``schemas.validate``).

Every description, dtype and vocabulary a user sees (data dictionary, datapackage.json, the card,
Dagster column schemas) is generated from here.
"""
from schemas.registry import TABLES, Table, table

__all__ = ["TABLES", "Table", "table"]
