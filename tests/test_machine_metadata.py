"""Metadata a machine can read: croissant.json loads every table through mlcroissant (the CLI and the
Python API) with the values of the Parquet files and checks their hashes; datapackage.json passes
`frictionless validate`; CITATION.cff is Citation File Format 1.2.0. All run offline on a copy of the
session's build of the seeds (the files of the current release layout: the SQLite database and the zip too).
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
import yaml

from pipeline.release.about import about, link
from pipeline.release.citation import render_citation
from pipeline.release.croissant import write_croissant
from pipeline.release.dates import recorded_date
from pipeline.release.sqlite import database_name
from pipeline.release.files import write_parquet
from schemas.dictionary import columns
from schemas.registry import TABLES, Rename, table

MLCROISSANT = Path(sys.executable).with_name("mlcroissant")
FRICTIONLESS = Path(sys.executable).with_name("frictionless")
VERSION = "9.8.7"
# mlcroissant 1.1.1 recommends nothing more (it did recommend a publication date before releases had one).
ALLOWED_WARNINGS: list[str] = []


def _copy_release(source: Path, dst: Path) -> Path:
    shutil.copytree(source, dst, symlinks=False)
    write_croissant(dst, VERSION, date=recorded_date(source))
    return dst


@pytest.fixture(scope="module")
def source(built) -> Path:
    return built / "latest"


@pytest.fixture(scope="module")
def release(source, tmp_path_factory) -> Path:
    return _copy_release(source, tmp_path_factory.mktemp("machine") / "release")


@pytest.fixture(scope="module")
def jsonld(release) -> dict:
    return json.loads((release / "croissant.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def dataset(release):
    import mlcroissant as mlc
    return mlc.Dataset(jsonld=release / "croissant.json")


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=120)


def _plain(v):
    """A loaded or stored cell as a plain Python value (bytes decoded, every kind of null as None)."""
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return v.item() if hasattr(v, "item") else v


# ---------------------------------------------------------------- the generated document itself

def test_croissant_is_reproducible_and_has_no_local_path(source, release, tmp_path):
    first = (release / "croissant.json").read_bytes()
    again = _copy_release(source, tmp_path / "again")  # another folder, same files
    assert (again / "croissant.json").read_bytes() == first
    text = first.decode("utf-8")
    assert str(release) not in text and str(tmp_path) not in text and "/tmp" not in text
    assert text.endswith("}\n") and "人大常委会工作报告" in text  # UTF-8, not \u escapes


def test_croissant_describes_every_file_table_and_column(release, jsonld):
    a = about()
    assert jsonld["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    from mlcroissant._src.core.context import Context, CroissantVersion
    from mlcroissant._src.core.rdf import make_context
    assert jsonld["@context"] == make_context(Context(conforms_to=CroissantVersion.V_1_1))
    assert (jsonld["name"], jsonld["version"], jsonld["license"], jsonld.get("url")) == \
           (a["name"], VERSION, a["license"]["path"], link("homepage"))
    assert jsonld["creator"]["name"] == a["creator"]["name"] and jsonld["keywords"] == a["keywords"]
    assert jsonld["creator"].get("url") == link("creator", "url")
    assert jsonld["citeAs"].startswith("@misc{") and f"version = {{{VERSION}}}" in jsonld["citeAs"]
    assert jsonld["datePublished"] == recorded_date(release) and f"year = {{{jsonld['datePublished'][:4]}}}" \
        in jsonld["citeAs"]

    files = {f["@id"]: f for f in jsonld["distribution"]}
    extra = ["changes"] if (release / "changes.csv").exists() else []  # releases from v0.1.4 on
    assert set(files) == {f"{tb.name}.{ext}" for tb in TABLES for ext in ("csv", "parquet")} | \
           {f"{name}.csv" for name in extra} | {database_name()}
    formats = {"csv": "text/csv", "parquet": "application/x-parquet", "sqlite": "application/vnd.sqlite3"}
    for name, f in files.items():
        assert f["encodingFormat"] == formats[name.split(".")[1]]
        if (release / name).is_dir():   # a table in parts: a FileSet of its part files
            assert f["@type"] == "cr:FileSet" and f["includes"] == f"{name}/part-*.{name.split('.')[1]}"
            assert list((release / name).glob(f"part-*.{name.split('.')[1]}"))
            continue
        assert f["contentUrl"] == name and f["contentSize"] == f"{(release / name).stat().st_size} B"
        assert f["sha256"] == hashlib.sha256((release / name).read_bytes()).hexdigest()

    sets = {rs["@id"]: rs for rs in jsonld["recordSet"]}
    assert list(sets) == [tb.name for tb in TABLES] + extra
    assert {"documents", "texts", "problems", "panel", "indicators"} <= set(sets)
    types = {"string": "sc:Text", "integer": "sc:Integer", "number": "sc:Float", "boolean": "sc:Boolean"}
    for tb in TABLES:
        rs = sets[tb.name]
        assert rs["description"] == tb.description
        keys = rs["key"] if isinstance(rs["key"], list) else [rs["key"]]
        assert [k["@id"] for k in keys] == [f"{tb.name}/{c}" for c in tb.primary_key]
        got = [(f["name"], f["dataType"], f["description"], f["source"]["extract"]["column"]) for f in rs["field"]]
        assert got == [(c.name, types[c.type], c.description, c.name) for c in columns(tb)]
        kind = "fileSet" if (release / f"{tb.name}.parquet").is_dir() else "fileObject"
        assert {f["source"][kind]["@id"] for f in rs["field"]} == {f"{tb.name}.parquet"}


def test_references_declare_the_foreign_keys_to_documents_and_the_codebook(jsonld):
    refs = {(rs["@id"], f["name"]): f["references"]["field"]["@id"]
            for rs in jsonld["recordSet"] for f in rs["field"] if "references" in f}
    assert refs[("metrics", "doc_id")] == "documents/doc_id"
    assert refs[("panel", "indicator_code")] == "indicators/indicator_code"
    # every declared reference is a foreign key of the registry, to a record set that declares none itself
    for (name, col), target in refs.items():
        fk_targets = {(fk.columns, f"{fk.table}/{fk.ref_columns[0]}") for fk in table(name).foreign_keys}
        assert ((col,), target) in fk_targets
        assert not any(rs == target.split("/")[0] for rs, _ in refs)
    assert ("recommendations", "proposal_id") not in refs and ("texts", "doc_id") not in refs


# ---------------------------------------------------------------- the tools that read it

def test_mlcroissant_validate_passes_with_no_fixable_warning(release):
    out = _run(MLCROISSANT, "validate", "--jsonld", release / "croissant.json")
    log = out.stdout + out.stderr
    assert out.returncode == 0, log
    assert "error" not in log.lower()
    warnings = [re.sub(r"^-\s+\[[^]]*\]\s*", "", line.strip()) for line in log.splitlines()
                if line.startswith("  -  ")]
    assert warnings == ALLOWED_WARNINGS, log
    assert "not standard" not in log  # the @context is the one mlcroissant expects


@pytest.mark.parametrize("name", [tb.name for tb in TABLES])
def test_every_record_set_loads_the_parquet_values(dataset, release, name):
    # One Dataset, record sets in registry order: proposals is loaded before recommendations, which
    # must not need it (see croissant._references).
    expected = pd.read_parquet(release / f"{name}.parquet")
    records = list(dataset.records(name))
    assert len(records) == len(expected)
    for i, rec in enumerate(records):
        assert set(rec) == {f"{name}/{c}" for c in expected.columns}
        for c in expected.columns:
            assert _plain(rec[f"{name}/{c}"]) == _plain(expected.iloc[i][c]), (name, i, c)


def test_a_nullable_integer_and_an_empty_text_keep_their_meaning(release):
    import mlcroissant as mlc
    expected = pd.read_parquet(release / "metrics.parquet")
    assert expected["year_start"].isna().any() and (expected["indicator_code"] == "").any()
    # a fresh Dataset: mlcroissant 1.1.1 yields nothing for a record set loaded a second time from one
    records = list(mlc.Dataset(jsonld=release / "croissant.json").records("metrics"))
    null_rows = expected.index[expected["year_start"].isna()]
    for i in null_rows:
        assert _plain(records[i]["metrics/year_start"]) is None
    some = expected.index[expected["year_start"].notna()][0]
    assert records[some]["metrics/year_start"] == int(expected["year_start"][some])
    empty = expected.index[expected["indicator_code"] == ""][0]
    assert records[empty]["metrics/indicator_code"] == b""  # '', not null as a CSV source would give


def test_mlcroissant_load_cli_reads_the_long_chinese_texts(release):
    out = _run(MLCROISSANT, "load", "--jsonld", release / "croissant.json", "--record_set", "texts",
               "--num_records", "-1")
    assert out.returncode == 0, out.stderr[-2000:]
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    texts = pd.read_parquet(release / "texts.parquet")
    assert len(lines) == len(texts) == 2
    for raw in texts["raw_text"]:
        assert len(raw) > 5_000 and "人大" in raw
        assert any(repr(raw.encode("utf-8")[-300:])[2:-1] in line for line in lines)


def test_a_corrupted_table_file_fails_its_hash_check(source, tmp_path):
    """A table in one file (the panel) is a FileObject with its SHA-256, which mlcroissant checks; a table in parts
    is a FileSet, whose parts' SHA-256 are in SHA256SUMS (checked by `python -m pipeline validate`)."""
    import mlcroissant as mlc
    folder = _copy_release(source, tmp_path / "release")
    path = folder / "panel.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(Exception) as err:
        list(mlc.Dataset(jsonld=folder / "croissant.json").records("panel"))
    assert "Hash of downloaded file" in str(err.value.__cause__)


def test_changes_csv_and_a_renamed_columns_alias_are_described_and_load(source, tmp_path):
    import mlcroissant as mlc
    folder = tmp_path / "release"
    shutil.copytree(source, folder, symlinks=False)
    (folder / "changes.csv").write_text("table,key,change,columns\nmetrics,m1,changed,value unit\n"
                                        "laws,l1,added,\n", encoding="utf-8")
    for part in (folder / "metrics.parquet").glob("part-*.parquet"):   # the table in parts
        metrics = pd.read_parquet(part)
        write_parquet(metrics.assign(unit_old=metrics["unit"]), part)
    write_croissant(folder, VERSION, (Rename("metrics", "unit_old", "unit"),))
    doc = json.loads((folder / "croissant.json").read_text("utf-8"))
    files = {f["@id"]: f for f in doc["distribution"]}
    assert "changes.parquet" not in files
    assert files["changes.csv"]["sha256"] == hashlib.sha256((folder / "changes.csv").read_bytes()).hexdigest()
    sets = {rs["@id"]: rs for rs in doc["recordSet"]}
    assert [k["@id"] for k in sets["changes"]["key"]] == ["changes/table", "changes/key"]
    alias = next(f for f in sets["metrics"]["field"] if f["name"] == "unit_old")
    assert alias["dataType"] == "sc:Text" and "Deprecated alias of `unit`" in alias["description"]

    ds = mlc.Dataset(jsonld=folder / "croissant.json")
    assert not ds.metadata.issues.errors
    changes = list(ds.records("changes"))
    assert [(r["changes/table"], r["changes/change"]) for r in changes] == \
           [(b"metrics", b"changed"), (b"laws", b"added")]
    assert changes[0]["changes/columns"] == b"value unit"
    assert _plain(changes[1]["changes/columns"]) in ("", None)  # a CSV source reads '' as null
    loaded = list(ds.records("metrics"))
    assert [r["metrics/unit_old"] for r in loaded] == [r["metrics/unit"] for r in loaded] != []


def test_frictionless_validates_the_datapackage(release):
    out = _run(FRICTIONLESS, "validate", release / "datapackage.json")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "INVALID" not in out.stdout


# ---------------------------------------------------------------- CITATION.cff

# The parts of the CFF 1.2.0 JSON schema (citation-file-format/citation-file-format, schema.json) this
# file uses, transcribed: no copy of the schema ships with any installed package. The SPDX licence
# list is checked against packaging's copy instead of the schema's enum.
_URL = {"type": "string", "format": "uri", "pattern": "^(https|http|ftp|sftp)://.+"}
_STR = {"type": "string", "minLength": 1}
_DATE = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_DOI = {"type": "string", "pattern": r"^10\.\d{4,9}(\.\d+)?/[A-Za-z0-9:/_;\-\.\(\)\[\]\\]+$"}
CFF_1_2_0 = {
    "$schema": "http://json-schema.org/draft-07/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["authors", "cff-version", "message", "title"],
    "properties": {
        "abstract": _STR,
        "authors": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"anyOf": [
            {"type": "object", "additionalProperties": False, "required": ["name"],
             "properties": {"name": _STR, "website": _URL, "email": _STR, "address": _STR, "city": _STR,
                            "country": _STR, "alias": _STR, "orcid": _URL}},
            {"type": "object", "additionalProperties": False, "required": ["family-names"],
             "properties": {"family-names": _STR, "given-names": _STR, "affiliation": _STR,
                            "website": _URL, "email": _STR, "orcid": _URL}},
        ]}},
        "cff-version": {"type": "string", "pattern": r"^1\.2\.0$"},
        "commit": _STR, "contact": {"type": "array"}, "date-released": _DATE,
        "doi": _DOI, "identifiers": {"type": "array"},
        "keywords": {"type": "array", "minItems": 1, "uniqueItems": True, "items": _STR},
        "license": {"type": "string"}, "license-url": _URL, "message": _STR,
        "preferred-citation": {"type": "object"}, "references": {"type": "array"},
        "repository": _URL, "repository-artifact": _URL, "repository-code": _URL,
        "title": _STR, "type": {"type": "string", "enum": ["dataset", "software"]}, "url": _URL,
        "version": {"anyOf": [_STR, {"type": "number"}]},
    },
}


@pytest.mark.parametrize("version, date", [("0.1.3", None), ("1.0", "2027-01-31"), ("10.20.30", "2026-12-04")])
def test_citation_cff_is_cff_1_2_0_for_a_dataset(version, date):
    text = render_citation(version, date)
    assert text == render_citation(version, date) and text.endswith("\n")
    cff = yaml.safe_load(text)
    jsonschema.Draft7Validator(CFF_1_2_0, format_checker=jsonschema.FormatChecker()).validate(cff)
    a = about()
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["version"] == version and isinstance(cff["version"], str)  # "1.0" stays a string
    assert (cff["title"], cff["abstract"], cff.get("url"), cff.get("repository-code"), cff.get("doi")) == \
           (a["title"], a["description"], link("homepage"), link("repository"), link("doi"))
    website = {"website": link("creator", "url")} if link("creator", "url") else {}
    assert cff["authors"] == [{"name": a["creator"]["name"], **website}]
    assert cff["keywords"] == a["keywords"] and cff["message"] == a["citation"]["message"]
    from packaging.licenses._spdx import LICENSES
    spdx = LICENSES[cff["license"].lower()]
    assert cff["license"] == a["license"]["name"] == spdx["id"] and not spdx["deprecated"]
    assert cff.get("date-released") == date   # quoted: YAML reads it back as the text YYYY-MM-DD


def test_the_cff_schema_transcription_bites():
    ok = yaml.safe_load(render_citation("0.1.3", "2026-12-04"))
    for broken in ({**ok, "authors": []}, {**ok, "cff-version": "1.1.0"}, {**ok, "type": "data"},
                   {**ok, "date_released": "2020-01-01"}, {k: v for k, v in ok.items() if k != "message"},
                   {**ok, "authors": [{"website": "https://example.invalid"}]}, {**ok, "url": "example.invalid"},
                   {**ok, "date-released": "4 December 2026"}, {**ok, "doi": "https://doi.org/10.5281/zenodo.1"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.Draft7Validator(CFF_1_2_0, format_checker=jsonschema.FormatChecker()).validate(broken)
