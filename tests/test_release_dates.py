"""A release's publication date and its optional links (issue 14, item 7): the date is recorded once, when a version
is first published, and every rebuild of that version reuses it, so the bytes stay the same; the homepage, source
address, creator's address and DOI appear only when dataset.toml gives them, and no placeholder address anywhere."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import SEEDS, release_frames, run_release
from pipeline.release import about as about_module
from pipeline.release.card import render_card
from pipeline.release.citation import render_citation
from pipeline.release.croissant import bibtex, croissant
from pipeline.release.datapackage import descriptor
from pipeline.release.dates import publication_date, recorded_date
from pipeline.release.page import render_index
from pipeline.release.publish import publish
from schemas.layout import release_files
from test_release_job import snapshot

ROOT = Path(__file__).resolve().parents[1]
EPOCH_2031_03_04 = "1930348800"   # 2031-03-04T00:00:00Z


def _day(epoch: str) -> str:
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date().isoformat()


# ---------------------------------------------------------------- the date a release gets

def test_publication_date_is_source_date_epochs_day_or_today_in_utc(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2031_03_04)
    assert publication_date() == "2031-03-04"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH_2031_03_04) + 86_399))
    assert publication_date() == "2031-03-04"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = dt.datetime.now(dt.timezone.utc).date().isoformat()
    assert publication_date() in {before, dt.datetime.now(dt.timezone.utc).date().isoformat()}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        publication_date()


def test_every_file_of_a_release_gives_its_publication_date(built, publication_day):
    release = built / "latest"
    date = _day(publication_day)
    pkg = json.loads((release / "datapackage.json").read_text("utf-8"))
    assert pkg["created"] == f"{date}T00:00:00Z" and recorded_date(release) == date
    assert yaml.safe_load((release / "CITATION.cff").read_text("utf-8"))["date-released"] == date
    jsonld = json.loads((release / "croissant.json").read_text("utf-8"))
    assert jsonld["datePublished"] == date
    assert f"year = {{{date[:4]}}}" in jsonld["citeAs"] and f"date = {{{date}}}" in jsonld["citeAs"]
    card = (release / "README.md").read_text("utf-8")
    assert f"Published {date}." in card and f"year = {{{date[:4]}}}" in card
    assert f'<time datetime="{date}"' in (built / "index.html").read_text("utf-8")


def test_a_rebuild_on_another_day_publishes_nothing(built_copy, monkeypatch):
    before = snapshot(built_copy)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2031_03_04)
    assert run_release(SEEDS, built_copy) == 0
    assert snapshot(built_copy) == before


def test_the_next_version_gets_the_day_it_is_published_and_the_old_keeps_its_own(built_copy, monkeypatch,
                                                                                   publication_day):
    old = snapshot(built_copy / "v0.1.0")
    frames = release_frames(built_copy / "latest")
    metrics = frames["metrics"]
    metrics.loc[0, "category"] = "petitions" if metrics.loc[0, "category"] != "petitions" else "other"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2031_03_04)
    result = publish(frames, built_copy)
    assert (result.status, result.version) == ("published", "0.1.1")
    assert recorded_date(result.folder) == "2031-03-04"
    assert recorded_date(built_copy / "v0.1.0") == _day(publication_day)
    assert snapshot(built_copy / "v0.1.0") == old
    # and publishing the same tables once more, another day, changes nothing
    again = snapshot(built_copy)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH_2031_03_04) + 5 * 86_400))
    assert publish(frames, built_copy).status == "unchanged"
    assert snapshot(built_copy) == again


def test_validate_names_a_citation_whose_date_disagrees(built, tmp_path, capsys):
    from pipeline.__main__ import main
    from pipeline.release.files import write_checksums
    folder = tmp_path / "release"
    shutil.copytree(built / "latest", folder)
    cff = folder / "CITATION.cff"
    cff.write_text(re.sub(r'^date-released: ".*"$', 'date-released: "1999-12-31"', cff.read_text("utf-8"),
                          flags=re.M), encoding="utf-8")
    write_checksums(folder)
    capsys.readouterr()
    assert main(["validate", str(folder)]) == 1
    assert "CITATION.cff.date-released" in capsys.readouterr().out


# ---------------------------------------------------------------- the optional links

PLACEHOLDER = "example.invalid"


def test_no_placeholder_address_in_the_settings_or_any_file_of_a_release(built):
    assert PLACEHOLDER not in (ROOT / "pipeline" / "release" / "dataset.toml").read_text("utf-8")
    release = (built / "latest").resolve()
    for path in [*(release / n for n in release_files(release)), built / "index.html"]:
        assert PLACEHOLDER.encode() not in path.read_bytes(), path.name
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                assert all(PLACEHOLDER.encode() not in zf.read(i) for i in zf.infolist())


LINKS = {"homepage": "https://congress.example.org/", "repository": "https://code.example.org/congress",
         "doi": "10.5281/zenodo.1234567"}
CREATOR_URL = "https://people.example.org/"


@pytest.fixture
def with_links(monkeypatch):
    facts = about_module.about()
    monkeypatch.setattr(about_module, "about",
                        lambda: {**facts, **LINKS, "creator": {**facts["creator"], "url": CREATOR_URL}})


@pytest.fixture
def without_links(monkeypatch):
    facts = {k: v for k, v in about_module.about().items() if k not in LINKS}
    monkeypatch.setattr(about_module, "about",
                        lambda: {**facts, "homepage": "  ", "creator": {"name": facts["creator"]["name"]}})


def _card(release: Path, version: str, date: str | None) -> str:
    from pipeline.release.card import table_facts
    import pandas as pd
    facts = {}
    for name in ("documents", "problems", "metrics", "panel"):
        facts |= table_facts(name, pd.read_parquet(release / f"{name}.parquet"))
    rows = {r["name"]: r["rows"] for r in json.loads((release / "datapackage.json").read_text("utf-8"))["resources"]
            if "rows" in r}
    return render_card(version, facts, rows, (), date)


def test_links_and_doi_when_set(with_links, built):
    release = built / "latest"
    cff = yaml.safe_load(render_citation("1.2.3", "2031-03-04"))
    assert (cff["doi"], cff["url"], cff["repository-code"], cff["authors"][0]["website"]) == \
           (LINKS["doi"], LINKS["homepage"], LINKS["repository"], CREATOR_URL)
    doc = croissant(release, "1.2.3", date="2031-03-04")
    assert (doc["sameAs"], doc["url"], doc["creator"]["url"]) == \
           (f"https://doi.org/{LINKS['doi']}", LINKS["homepage"], CREATOR_URL)
    pkg = descriptor(release, "1.2.3", {}, date="2031-03-04")
    assert (pkg["id"], pkg["homepage"]) == (f"https://doi.org/{LINKS['doi']}", LINKS["homepage"])
    bib = bibtex("1.2.3", "2031-03-04")
    assert f"doi = {{{LINKS['doi']}}}" in bib and f"\\url{{{LINKS['homepage']}}}" in bib
    card = _card(release, "1.2.3", "2031-03-04")
    assert all(url in card for url in (f"https://doi.org/{LINKS['doi']}", LINKS["homepage"], LINKS["repository"]))
    page = render_index(built)
    assert f'href="https://doi.org/{LINKS["doi"]}"' in page and f'href="{LINKS["homepage"]}"' in page


def test_no_link_and_no_key_when_unset(without_links, built):
    release = built / "latest"
    cff = yaml.safe_load(render_citation("1.2.3"))
    assert not {"doi", "url", "repository-code", "date-released"} & set(cff)
    assert cff["authors"] == [{"name": about_module.about()["creator"]["name"]}]
    doc = croissant(release, "1.2.3")
    assert not {"sameAs", "url", "datePublished"} & set(doc) and "url" not in doc["creator"]
    pkg = descriptor(release, "1.2.3", {})
    assert not {"id", "homepage", "created"} & set(pkg)
    bib = bibtex("1.2.3")
    assert "doi" not in bib and "url" not in bib and "year" not in bib
    assert "https://" not in _card(release, "1.2.3", None).split("## What is in this release")[0]
