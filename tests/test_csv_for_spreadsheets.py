"""CSV files a spreadsheet opens right (issue 14, item 6, first part): UTF-8 with a byte-order mark, so that Excel on
Chinese Windows shows 郑州市 and not mojibake when the file is opened by double-click; pandas and DuckDB still read
the header right; datapackage.json declares the encoding; the card says what R needs."""
import json

import duckdb
import pandas as pd

from schemas.layout import table_files
from schemas.registry import TABLES


def test_every_csv_starts_with_the_utf8_byte_order_mark_and_declares_it(built):
    latest = built / "latest"
    pkg = json.loads((latest / "datapackage.json").read_text("utf-8"))
    encodings = {r["name"]: r["encoding"] for r in pkg["resources"] if r.get("format") == "csv"}
    for tb in TABLES:
        files = table_files(latest, tb.name, "csv")   # one file, or each part of a table in parts
        assert files and all(f.read_bytes()[:3] == b"\xef\xbb\xbf" for f in files), tb.name
        assert encodings[tb.name] == "utf-8-sig"


def test_excel_code_page_would_not_read_the_text_but_the_mark_tells_it_utf8(built):
    data = b"".join(f.read_bytes() for f in table_files(built / "latest", "documents", "csv"))
    assert data.startswith(b"\xef\xbb\xbf") and "郑州市".encode("utf-8") in data


def test_pandas_and_duckdb_read_the_header_right(built):
    """Each part is a whole CSV file; DuckDB reads a table's parts as one table, pandas its Parquet folder."""
    latest = built / "latest"
    path = table_files(latest, "documents", "csv")[0]
    assert list(pd.read_csv(path).columns)[0] == "doc_id"
    assert duckdb.sql(f"select * from read_csv('{path}')").columns[0] == "doc_id"
    whole = pd.read_parquet(latest / "documents.parquet")
    assert list(pd.read_csv(path).columns) == list(whole.columns)
    parts = duckdb.sql(f"select * from read_csv('{latest}/documents.csv/*.csv')").df()
    assert list(parts.columns) == list(whole.columns) and len(parts) == len(whole)
    assert len(duckdb.sql(f"select * from read_parquet('{latest}/documents.parquet/*.parquet')").df()) == len(whole)


def test_the_card_says_what_r_needs(built):
    assert 'fileEncoding = "UTF-8-BOM"' in (built / "latest" / "README.md").read_text("utf-8")
