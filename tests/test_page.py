"""The download page without a browser: every release, file and checksum listed; table previews, the data
dictionary and the panel chart of the latest release; self-contained, escaped, and byte-identical when rendered
again (also in another process with another hash seed and locale)."""
import html
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from markupsafe import escape

from conftest import ROOT, rewrite_table
from test_release_safety import reseal
from pipeline.release.about import about
from pipeline.release.chart import CATEGORIES, MAX_BARS, format_value, panel_chart
from pipeline.release.page import human_size, normalise_query, render_index, row_text, search_text, write_index
from pipeline.release.preview import CELL_CHARS, TITLE_CHARS, cell
from pipeline.release.versioning import latest, releases
from schemas.dictionary import dictionary
from schemas.layout import table_files
from schemas.registry import TABLES

def esc(text: str) -> str:
    """Text as the template's autoescape writes it."""
    return str(escape(text))


HOSTILE = ('<script>alert(1)</script>', '"><img src=x>', "' onmouseover='alert(2)")


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside <script> elements."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


@pytest.fixture
def dist(tmp_path) -> Path:
    d = tmp_path / "dist"
    shutil.copytree(ROOT / "dist", d, symlinks=True)
    return d


@pytest.fixture
def page(dist) -> str:
    return render_index(dist)


def _sums(folder: Path) -> dict[str, str]:
    out = {}
    for line in (folder / "SHA256SUMS").read_text("utf-8").splitlines():
        digest, name = line.split("  ", 1)
        out[name] = digest
    return out


def _release_block(page: str, version: str) -> str:
    start = page.index(f'<details id="v{version}"')
    return page[start:page.index("</details>", start)]


def test_every_release_and_file_with_size_rows_and_checksum(dist, page):
    rels = releases(dist)
    assert rels, "the committed dist/ has releases"
    versions = [".".join(map(str, v)) for v, _ in rels]
    positions = [page.index(f'<details id="v{v}"') for v in versions]
    assert positions == sorted(positions, reverse=True), "newest release first"
    for (v, folder), version in zip(rels, versions):
        block = _release_block(page, version)
        rows = {r["name"]: r["rows"] for r in json.loads((folder / "datapackage.json").read_text("utf-8"))["resources"]
                if "rows" in r}   # the zip and the SQLite file have no rows
        parts: dict[str, list[str]] = {}
        for name, digest in _sums(folder).items():
            if "/" in name:   # a part of a table in parts: the table's folder is one line, sizes added up
                parts.setdefault(name.partition("/")[0], []).append(name)
                continue
            size = (folder / name).stat().st_size
            stem = name.rsplit(".", 1)[0]
            n = f"{rows[stem]:,}" if name.endswith((".csv", ".parquet")) and stem in rows else ""
            assert (f'<a href="{folder.name}/{name}">{name}</a></td><td class="n">{n}</td>'
                    f'<td class="n">{human_size(size)}</td><td class="n bytes">{size:,}</td>'
                    f'<td class="sha mono">{digest}</td>') in block, (version, name)
        for top, names in parts.items():
            size = sum((folder / n).stat().st_size for n in names)
            stem = top.rsplit(".", 1)[0]
            assert (f'<a href="{folder.name}/{top}/">{top}/</a></td><td class="n">{rows[stem]:,}</td>'
                    f'<td class="n">{human_size(size)}</td><td class="n bytes">{size:,}</td>'
                    f'<td class="sha mono">{len(names)} parts: each one\'s in SHA256SUMS</td>') in block, (version, top)
        for name in ("README.md", "CHANGELOG.md", "datapackage.json", "SHA256SUMS"):
            assert f'href="{folder.name}/{name}"' in block
        # croissant.json is linked exactly where the release has it (releases before 0.1.4 do not)
        assert ("croissant.json" in block) == (folder / "croissant.json").exists()
    assert page.count('<span class="badge latest">latest</span>') == 1
    assert f'<details id="v{versions[-1]}" open>' in page


def test_croissant_is_linked_where_it_exists(dist):
    newest = latest(dist)
    if not (newest / "croissant.json").exists():
        (newest / "croissant.json").write_text("{}\n", encoding="utf-8")
    page = render_index(dist)
    assert f'<a href="{newest.name}/croissant.json">croissant.json</a>' in page
    older = [p for _, p in releases(dist) if p != newest]
    assert all((f"{p.name}/croissant.json" in page) == (p / "croissant.json").exists() for p in older)
    assert any(not (p / "croissant.json").exists() for p in older)   # releases before 0.1.4 have none


@pytest.mark.parametrize("n, text", [(0, "0 B"), (857, "857 B"), (1023, "1023 B"), (1024, "1.0 KiB"),
                                     (13547, "13.2 KiB"), (5 * 1024 ** 2 + 1, "5.0 MiB"), (3 * 1024 ** 4, "3072.0 GiB")],
                         ids=["zero", "csv", "below-kib", "kib", "parquet", "mib", "huge"])
def test_human_size(n, text):
    assert human_size(n) == text


def test_each_table_preview_shows_its_first_rows(dist, page):
    folder = latest(dist)
    for tb in TABLES:
        start = page.index(f'<details id="table-{tb.name}">')
        block = page[start:page.index("</details>", start)]
        files = table_files(folder, tb.name, "parquet")   # its one file, or its parts one after the other
        frame = pa.concat_tables([pq.read_table(f) for f in files]).slice(0, 5).to_pylist()
        columns = pq.ParquetFile(files[0]).schema_arrow.names
        for fmt in ("parquet", "csv"):   # every file of the table is linked
            for f in table_files(folder, tb.name, fmt):
                assert f'href="{folder.name}/{f.relative_to(folder).as_posix()}"' in block, (tb.name, f)
        if frame:
            assert "<thead><tr>" + "".join(f"<th>{esc(c)}</th>" for c in columns) + "</tr></thead>" in block, tb.name
        else:
            assert "No rows in this release." in block, tb.name
        assert block.count("<tr>") == len(frame) + (1 if frame else 0), tb.name
        for rec in frame:
            for c in columns:
                assert f">{esc(cell(rec[c]).text)}</td>" in block, (tb.name, c)
    texts = pd.read_parquet(folder / "texts.parquet")
    raw = texts["raw_text"].iloc[0]
    shown = raw[:CELL_CHARS - 1] + "…"
    assert f">{esc(shown)}</td>" in page
    assert f'title="{esc(raw[:TITLE_CHARS - 1] + "…")}"' in page     # the tooltip, capped
    assert esc(raw[:TITLE_CHARS + 50]) not in page                    # never the whole text


@pytest.mark.parametrize("value, text, null, numeric", [
    (None, "null", True, False), (float("nan"), "null", True, False), (True, "true", False, False),
    (10.0, "10", False, True), (73.6, "73.6", False, True), (1e20, "1e+20", False, True), (-3, "-3", False, True),
    ("", "", False, False), ("郑州市人大常委会", "郑州市人大常委会", False, False),
], ids=["none", "nan", "bool", "float-int", "float", "huge-float", "int", "empty", "cjk"])
def test_preview_cell(value, text, null, numeric):
    c = cell(value)
    assert (c.text, c.title, c.null, c.numeric) == (text, "", null, numeric)


def test_preview_cell_cut_long_text():
    long = "依法履职" * 300
    c = cell(long)
    assert len(c.text) == CELL_CHARS and c.text.endswith("…") and long.startswith(c.text[:-1])
    assert len(c.title) == TITLE_CHARS and c.wrap


def test_dictionary_has_one_row_per_column(page):
    docs = [d for cols in dictionary().values() for d in cols]
    assert len(docs) == sum(len(tb.columns) for tb in TABLES)
    rows = re.findall(r'<tr data-search="[^"]*"><td class="col"><span class="tbl">([^<]*)</span>'
                      r'<span class="mono">([^<]*)</span>', page)
    assert rows == [(d.table, d.name) for d in docs]
    assert f'<span id="dict-count" aria-live="polite">{len(docs)} columns</span>' in page
    level = next(d for d in dictionary()["documents"] if d.name == "level")
    assert "<code>national</code><code>provincial</code>" in page and "<code>&#39;&#39;</code>" in page
    assert level.allowed[-1] == ""


@pytest.mark.parametrize("query, expected", [
    ("ＩＮＤＩＣＡＴＯＲ_code", "indicator_code"), ("Metrics.Value", "metrics.value"), ("郑州市", "郑州市"),
], ids=["full-width", "case", "cjk"])
def test_normalise_query(query, expected):
    assert normalise_query(query) == expected


def test_search_text_finds_simplified_and_traditional():
    approx = next(d for d in dictionary()["metrics"] if d.name == "approx")
    text = search_text(approx)
    assert "余" in text and "餘" in text and "metrics.approx" in text and "exact" in text
    assert normalise_query(row_text(approx)) in text


def test_panel_chart_one_bar_per_figure(dist, page):
    folder = latest(dist)
    panel = pd.read_parquet(folder / "panel.parquet")
    assert panel.groupby(["indicator_code", "period"]).size().max() <= MAX_BARS   # so every figure gets its bar
    tags = Tags(page)
    svgs = [a for t, a in tags.tags if t == "svg"]
    assert len(svgs) == 1 and svgs[0]["role"] == "img" and svgs[0]["aria-label"].startswith("Harmonised panel:")
    assert f"{len(panel)} figures" in svgs[0]["aria-label"]
    assert len([a for t, a in tags.tags if t == "rect" and a.get("class") == "bar"]) == len(panel)
    charts = [(a["data-indicator"], a["data-period"]) for t, a in tags.tags if t == "g" and a.get("class") == "panel"]
    assert len(charts) == len(set(charts)) == len(panel.groupby(["indicator_code", "period"]))
    groups = list(dict.fromkeys(code for code, _ in charts))
    codebook = pd.read_parquet(folder / "indicators.parquet")
    rank = {c: i for i, c in enumerate(CATEGORIES)}
    expected = sorted((r.indicator_code for r in codebook.itertuples() if r.indicator_code in set(panel["indicator_code"])),
                      key=lambda c: (rank[codebook.set_index("indicator_code").loc[c, "category"]],
                                     list(codebook["indicator_code"]).index(c)))
    assert groups == expected                                  # by category as a report runs, then codebook order
    assert groups[0].startswith("regulations_") and 'class="group">Legislation</text>' in page
    assert "<figcaption>" in page and "<title>Harmonised panel:" in page
    label = pd.read_parquet(folder / "indicators.parquet").set_index("indicator_code").loc["sessions", "label_en"]
    assert f'class="ptitle">{html.escape(label)}</text>' in page
    for r in panel.itertuples():    # every bar's label says the years it covers
        years = str(r.year_end) if r.year_start == r.year_end else f"{r.year_start}–{r.year_end}"
        assert re.search(rf'class="blabel">[^<]* {years}(?: #\d+)?</text>', page), (r.metric_id, years)


def _synthetic_panel(n_docs: int, city: str = "洛阳市") -> pd.DataFrame:
    """Every document: one place (a city, or a province when no city), one figure of two indicators for one period."""
    rows = []
    for i in range(n_docs):
        period = ("past_year", "term", "plan")[i % 3]
        end = 2000 + i % 25
        start = end - 4 if period == "term" else end
        for code in ("sessions", "laws_x"):
            rows.append({"body": "congress", "place_code": "", "level": "municipal" if i % 3 else "provincial", "province": "河南省",
                         "city": city if i % 3 else "", "county": "", "period": period, "year_start": start,
                         "year_end": end, "indicator_code": code, "value": float((i * 37) % 1000), "unit": "件",
                         "unit_as_written": "件", "approx": "exact", "doc_id": f"d{i:03d}",
                         "metric_id": f"d{i:03d}:m0", "n_documents": 1, "superseded_metric_ids": ""})
    df = pd.DataFrame(rows, columns=PANEL_COLUMNS)
    return df.astype({"year_start": "Int64", "year_end": "Int64"})


PANEL_COLUMNS = ["body", "place_code", "level", "province", "city", "county", "period", "year_start", "year_end",
                 "indicator_code", "value", "unit", "unit_as_written", "approx", "doc_id", "metric_id", "n_documents",
                 "superseded_metric_ids"]
INDICATORS = pd.DataFrame({"indicator_code": ["sessions"], "label_en": ["Standing committee sessions held"],
                           "unit": ["次"]})


def test_single_years_and_term_totals_never_share_a_chart():
    svg = str(panel_chart(_synthetic_panel(6), INDICATORS))
    charts = re.findall(r'<g class="panel" data-indicator="([^"]+)" data-period="([^"]+)">(.*?)</g>', svg, re.S)
    assert sorted((c, p) for c, p, _ in charts) == sorted(
        (c, p) for c in ("sessions", "laws_x") for p in ("past_year", "term", "plan"))
    for _, period, body in charts:
        assert set(re.findall(r'data-period="([^"]+)"', body)) == {period}
        labels = re.findall(r'class="blabel">([^<]*)<', body)
        spans = [bool(re.search(r"\d{4}–\d{4}$", x)) for x in labels]
        assert all(spans) if period == "term" else not any(spans), labels
    assert "洛阳市 1997–2001" in svg and "洛阳市 2002" in svg and "河南省 2000" in svg   # term, plan, single year

@pytest.mark.parametrize("n_docs", [2, 300], ids=["two-documents", "three-hundred"])
def test_chart_scales_from_two_to_300_documents(n_docs):
    svg = str(panel_chart(_synthetic_panel(n_docs), INDICATORS))
    bars = svg.count('class="bar"')
    per_chart = [sum(1 for i in range(n_docs) if i % 3 == k) for k in range(3)]
    assert bars == 2 * sum(min(n, MAX_BARS) for n in per_chart)
    assert svg.index('data-indicator="sessions"') < svg.index('data-indicator="laws_x"')   # codebook first
    if n_docs > MAX_BARS:
        assert f"{MAX_BARS} largest of {per_chart[0]}" in svg
        values = [float(v.replace(",", "")) for v in re.findall(r'class="bvalue">([^<]*)<', svg)][:MAX_BARS]
        assert values == sorted(values, reverse=True) and values[0] == 999.0
    height = float(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))
    assert height < 800    # two panels side by side, at most MAX_BARS bars each
    assert svg == str(panel_chart(_synthetic_panel(n_docs).iloc[::-1], INDICATORS))   # row order does not matter


def test_chart_escapes_names_and_labels():
    hostile_indicators = INDICATORS.assign(label_en=[HOSTILE[0]])
    svg = str(panel_chart(_synthetic_panel(4, city=HOSTILE[1]).assign(
        province=[HOSTILE[2]] * 8), hostile_indicators))
    for s in HOSTILE:
        assert s not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg and "&#x27; onmouseover=&#x27;" in svg
    assert "&quot;&gt;&lt;img src=x&gt;" in svg


def test_chart_of_an_empty_panel():
    svg = str(panel_chart(_synthetic_panel(0), INDICATORS))
    assert "No panel figures in this release." in svg and 'class="bar"' not in svg


@pytest.mark.parametrize("value, text", [(1016.0, "1,016"), (73.6, "73.6"), (0.125, "0.12"), (12000.0, "12,000"),
                                         (float("nan"), "n/a"), (-2.0, "-2")])
def test_format_value(value, text):
    assert format_value(value) == text


def test_nothing_external(page):
    tags = Tags(page)
    for tag, attrs in tags.tags:
        for key in ("src", "href", "srcset", "data", "poster", "xlink:href"):
            value = attrs.get(key) or ""
            if tag == "a" and key == "href":
                continue   # a plain link (the licence) loads nothing
            assert not re.match(r"\s*(https?:)?//", value, re.I), (tag, key, value)
    assert {t for t, _ in tags.tags} & {"img", "iframe", "object", "embed", "video", "audio", "source"} == set()
    assert [a for t, a in tags.tags if t == "script"] == [{}]          # one inline script, no src
    assert all(a.get("href", "").startswith("data:") for t, a in tags.tags if t == "link")
    styles = "".join(re.findall(r"<style>(.*?)</style>", page, re.S))
    assert styles and not re.search(r"url\(|@import|@font-face", styles)
    external = [a["href"] for t, a in tags.tags if t == "a" and re.match(r"https?:", a.get("href", ""))]
    assert set(external) == {about()["license"]["path"]}


def _poison(dist: Path) -> Path:
    folder = latest(dist)
    docs = pd.read_parquet(folder / "documents.parquet")
    docs.loc[0, "title"] = HOSTILE[0] + HOSTILE[1]
    docs.loc[0, "city"] = HOSTILE[1]
    rewrite_table(folder, "documents", docs)   # its file, or its parts
    laws = pd.read_parquet(folder / "laws.parquet")
    laws.loc[0, "name"] = HOSTILE[2] + HOSTILE[0]
    rewrite_table(folder, "laws", laws)
    panel = pd.read_parquet(folder / "panel.parquet")
    panel.loc[:, "city"] = HOSTILE[0]
    rewrite_table(folder, "panel", panel)
    indicators = pd.read_parquet(folder / "indicators.parquet")
    indicators.loc[0, "label_en"] = HOSTILE[1]
    rewrite_table(folder, "indicators", indicators)
    texts = pd.read_parquet(folder / "texts.parquet")
    texts.loc[0, "raw_text"] = HOSTILE[1] * 40 + HOSTILE[0]   # cut cell: the tooltip carries it
    rewrite_table(folder, "texts", texts)
    reseal(folder)   # edited in place: made complete again, or the page would not count it as a release
    return folder


def test_text_from_documents_is_escaped(dist):
    _poison(dist)
    page = render_index(dist)
    for s in HOSTILE:
        assert s not in page, s
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3     # preview, chart labels and tooltips
    assert "&#34;&gt;&lt;img src=x&gt;" in page or "&quot;&gt;&lt;img src=x&gt;" in page
    tags = Tags(page)
    assert [t for t, _ in tags.tags if t in ("img", "script")] == ["script"]
    assert "alert" not in "".join(tags.scripts)
    assert not any(k.startswith("on") for _, a in tags.tags for k in a)   # no event-handler attribute


def test_rendering_is_deterministic(dist, tmp_path):
    first = render_index(dist)
    assert render_index(dist) == first
    other = tmp_path / "elsewhere" / "dist"                          # nothing depends on where dist/ is
    shutil.copytree(dist, other, symlinks=True)
    assert render_index(other) == first
    write_index(dist)
    mtime = (dist / "index.html").stat().st_mtime_ns
    write_index(dist)                                                # unchanged: not rewritten
    assert (dist / "index.html").stat().st_mtime_ns == mtime
    assert (dist / "index.html").read_text("utf-8") == first


def test_same_bytes_in_another_process_hash_seed_and_locale(dist):
    write_index(dist)
    env = dict(os.environ, PYTHONHASHSEED="12345", LC_ALL="C", LANG="C", TZ="Pacific/Kiritimati")
    code = ("import sys; from pathlib import Path; from pipeline.release.page import render_index; "
            "sys.stdout.buffer.write(render_index(Path(sys.argv[1])).encode('utf-8'))")
    out = subprocess.run([sys.executable, "-c", code, str(dist)], cwd=ROOT, env=env, capture_output=True, check=True)
    assert out.stdout == (dist / "index.html").read_bytes()


def test_empty_dist_still_has_the_dictionary(tmp_path):
    page = render_index(tmp_path / "nothing-yet")
    assert "No release has been published yet." in page
    assert page.count("<tr data-search=") == sum(len(tb.columns) for tb in TABLES)
    assert "<svg" not in page
