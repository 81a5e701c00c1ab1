"""The schemas are the one source of truth: datapackage.json, the card and Dagster's column schemas say
what the pandera models say, and the models reject what the contract forbids."""
import json

import pandas as pd
import pytest

from pipeline.assets.output import column_schema
from schemas import frames
from schemas.registry import TABLES, table
from schemas.validate import table_failures, validate_frames


def test_datapackage_card_and_dagster_agree_with_the_models(built):
    latest = built / "latest"
    pkg = {r["name"]: r for r in json.loads((latest / "datapackage.json").read_text("utf-8"))["resources"]}
    card = (latest / "README.md").read_text("utf-8")
    for tb in TABLES:
        model_cols = {c: col.description for c, col in tb.schema.columns.items()}
        assert all(model_cols.values()), f"{tb.name}: a column has no description"
        fields = pkg[tb.name]["schema"]["fields"]
        assert [f["name"] for f in fields] == list(model_cols)
        assert {f["name"]: f["description"] for f in fields} == model_cols
        assert pkg[tb.name]["schema"]["primaryKey"] == list(tb.primary_key)
        assert [c.name for c in column_schema(tb.name).columns] == list(model_cols)
        assert f"### {tb.name}" in card
        for col in model_cols:
            assert f"| `{col}` |" in card, f"card lacks {tb.name}.{col}"


def _metric(**over) -> dict:
    row = {"metric_id": "d:m00000", "doc_id": "d", "sentence_id": "d:s00000", "value": 10.0, "unit": "次",
           "indicator": "常委会会议", "indicator_code": "", "approx": "exact", "period": "past_year",
           "year_start": 2025, "year_end": 2025, "category": "other", "quote": "召开常委会会议10次",
           "char_start": 0, "char_end": 10}
    return row | over


@pytest.mark.parametrize("bad, column", [
    ({"approx": "roughly"}, "approx"),
    ({"period": "2025"}, "period"),
    ({"category": "sports"}, "category"),
    ({"char_start": -1}, "char_start"),
    ({"year_start": 1800}, "year_start"),
], ids=["approx-vocab", "period-vocab", "category-vocab", "negative-offset", "year-range"])
def test_metrics_model_rejects_values_outside_the_contract(bad, column):
    df = frames.build("metrics", [_metric(**bad)])
    failures = table_failures("metrics", df, {})
    assert failures and {f.column for f in failures} >= {column}
    assert all(f.row == 0 for f in failures if f.column == column)


def test_an_amount_without_unit_is_a_valid_metric():
    """老年人口已超过100万: a 万 amount with no unit after it (units.toml [bare]) must not block a release."""
    assert table_failures("metrics", frames.build("metrics", [_metric(unit="")]), {}) == []


def test_span_order_duplicate_ids_and_quotes_are_checked():
    texts = frames.build("texts", [{"doc_id": "d", "raw_text": "x", "clean_text": "召开常委会会议10次，主任会议16次"}])
    df = frames.build("metrics", [_metric(), _metric(char_start=10, char_end=10, quote="")])
    kinds = {f.check for f in table_failures("metrics", df, {"texts": texts})}
    assert any("char_start < char_end" in k for k in kinds)
    assert any("unique" in k or "duplicate" in k for k in kinds)
    shifted = frames.build("metrics", [_metric(char_start=1, char_end=11)])
    quote = table_failures("metrics", shifted, {"texts": texts})
    assert [(f.column, f.row) for f in quote] == [("quote", 0)]


def test_missing_references_are_named():
    sentences = frames.build("sentences", [])
    docs = frames.build("documents", [])
    failures = table_failures("metrics", frames.build("metrics", [_metric()]),
                              {"sentences": sentences, "documents": docs})
    assert {f.column for f in failures} == {"doc_id", "sentence_id"}


def test_validate_frames_reports_missing_tables():
    failures = validate_frames({})
    assert {f.table for f in failures} == {tb.name for tb in TABLES}


def test_build_refuses_rows_without_required_numbers():
    with pytest.raises(ValueError, match="documents.n_bytes"):
        frames.build("documents", [{"doc_id": "a"}])


def test_empty_tables_keep_their_dtypes():
    df = frames.build("panel", [])
    assert list(df.columns) == table("panel").columns
    assert str(df["year_end"].dtype) == "Int64" and df["value"].dtype == float



def _row(name: str, **values) -> dict:
    """A row of table ``name``: 0 in every column but the text ones (''), then ``values``."""
    empty = frames.build(name, [])
    return {c: "" if empty[c].dtype == object else 0 for c in empty.columns} | values


@pytest.mark.parametrize("name, column, value", [("sections", "level", 1.5), ("metrics", "year_start", 2020.5),
                                                 ("sections", "char_end", float("nan"))])
def test_build_refuses_a_value_it_would_change(name, column, value):
    # pandas' astype("int64") stores 1.5 as 1: such a row must be refused, not rounded without a word
    with pytest.raises(ValueError, match=f"{name}.{column}"):
        frames.build(name, [_row(name, **{column: value})])


def test_build_keeps_whole_numbers_and_nulls_where_they_fit():
    df = frames.build("metrics", [_row("metrics", year_start=2020.0, year_end=None, char_end=7)])
    assert df["year_start"].tolist() == [2020] and df["year_end"].isna().all() and df["char_end"].tolist() == [7]
