"""The download page dist/index.html: every complete release with its files, rows, sizes and checksums; for the
latest, table previews and the panel chart; the searchable data dictionary. One self-contained file
(no network), rendered with autoescaping, and byte-identical for the same dist/. A vX.Y.Z folder that is not a
complete release (``versioning.scan``) is not listed."""
from __future__ import annotations

import json
import os
import unicodedata
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from opencc import OpenCC

from pipeline.release.about import about, doi_url, link
from pipeline.release.archive import archive_name
from pipeline.release.chart import chart_ready, panel_chart
from pipeline.release.dates import date_of
from pipeline.release.preview import preview
from pipeline.release.sqlite import database_name
from pipeline.release.versioning import scan
from schemas.dictionary import ColumnDoc, dictionary
from schemas.registry import TABLES, table
from schemas.layout import has_table, is_parted, read_table, relative, table_files
from schemas.validate import read_checksums, read_json

_ENV = Environment(loader=PackageLoader("pipeline.release", "templates"), undefined=StrictUndefined,
                   autoescape=select_autoescape(["html", "j2"]), keep_trailing_newline=True)
# release files linked above the file list, in this order, when the release has them
_LINKS = (("README.md", "dataset card"), ("CHANGELOG.md", "changelog"), ("datapackage.json", "datapackage.json"),
          ("croissant.json", "croissant.json"), ("SHA256SUMS", "SHA256SUMS"))


def human_size(n: int) -> str:
    """857 → '857 B', 13539 → '13.2 KiB' (binary units, locale-free)."""
    if n < 1024:
        return f"{n} B"
    for unit in ("KiB", "MiB", "GiB"):
        n /= 1024
        if n < 1024 or unit == "GiB":
            return f"{n:.1f} {unit}"
    raise AssertionError("unreachable")


def _rows(folder: Path) -> dict[str, int]:
    """Row counts per table, from the release's datapackage.json, in its order."""
    pkg = folder / "datapackage.json"
    if not pkg.exists():
        return {}
    return {r["name"]: r["rows"] for r in json.loads(pkg.read_text("utf-8"))["resources"] if "rows" in r}


def _files(folder: Path) -> list[dict]:
    """Every file of SHA256SUMS: tables in registry order (Parquet, then CSV), then the others by name; a table's
    folder of parts is one entry (its parts, sizes added up; each part's SHA-256 is in SHA256SUMS)."""
    sums = read_checksums(folder)
    if sums is None:   # a release without checksums still lists its files
        sums = {p.name: "" for p in folder.iterdir() if p.is_file()}
    rows = _rows(folder)
    order = {f"{name}.{ext}": (i, j) for i, name in enumerate(_table_names(rows))
             for j, ext in enumerate(("parquet", "csv"))}
    grouped: dict[str, list[str]] = {}
    for name in sums:
        grouped.setdefault(name.partition("/")[0], []).append(name)
    out = []
    for top in sorted(grouped, key=lambda n: (order.get(n, (len(order), 0)), n)):
        names = grouped[top]
        size = sum((folder / n).stat().st_size for n in names if (folder / n).is_file())
        stem = top.rpartition(".")[0]
        parted = names != [top]
        out.append({"name": top + ("/" if parted else ""), "bytes": size, "bytes_text": f"{size:,}",
                    "size": human_size(size), "parts": len(names) if parted else 0,
                    "sha256": "" if parted else sums[top],
                    "rows": f"{rows[stem]:,}" if top in order and stem in rows else ""})
    return out


def _table_links(folder: Path, name: str) -> list[dict]:
    """The files of table ``name`` to download, Parquet then CSV: its one file, or each of its parts."""
    out = []
    for fmt in ("parquet", "csv"):
        files = table_files(folder, name, fmt)
        out.append({"format": fmt, "parted": is_parted(folder, name),
                    "files": [{"href": f"{folder.name}/{relative(folder, f)}", "name": relative(folder, f),
                               "size": human_size(f.stat().st_size)} for f in files]})
    return out


def _table_names(rows: dict[str, int]) -> list[str]:
    """The registry's tables, then any other table the release's datapackage.json lists (e.g. its changes)."""
    names = [tb.name for tb in TABLES]
    return names + [n for n in rows if n not in names]


def _description(name: str) -> str:
    try:
        return table(name).description
    except KeyError:
        return ""


def _downloads(folder: Path) -> list[tuple[str, str]]:
    """The one-file downloads of a release (the zip of it, its SQLite database), when it has them."""
    return [(archive_name(folder.name.removeprefix("v")), "everything (zip)"), (database_name(), "SQLite database")]


def _links(folder: Path) -> list[dict]:
    return [{"href": f"{folder.name}/{name}", "text": text} for name, text in (*_downloads(folder), *_LINKS)
            if (folder / name).is_file()]


@cache
def _to_traditional() -> OpenCC:
    return OpenCC("s2t")


def normalise_query(text: str) -> str:
    """What the dictionary search compares: NFKC (full-width letters become ASCII) and lower case.
    The page's script does the same to the query (String.normalize('NFKC').toLowerCase())."""
    return unicodedata.normalize("NFKC", text).lower()


def row_text(doc: ColumnDoc) -> str:
    """The searchable text of one dictionary row: what the row shows."""
    return " ".join([f"{doc.table}.{doc.name}", doc.type, doc.description, *doc.allowed])


def search_text(doc: ColumnDoc) -> str:
    """The row text normalised, plus its traditional-character form, so 議案 finds 议案."""
    text = normalise_query(row_text(doc))
    traditional = _to_traditional().convert(text)
    return text if traditional == text else f"{text}\n{traditional}"


def _constraints(doc: ColumnDoc) -> list[dict]:
    out = []
    if doc.unique:
        out.append("unique")
    if doc.minimum is not None and doc.maximum is not None:
        out.append(f"{doc.minimum:g} to {doc.maximum:g}")
    elif doc.minimum is not None:
        out.append(f"≥ {doc.minimum:g}")
    elif doc.maximum is not None:
        out.append(f"≤ {doc.maximum:g}")
    out = [{"text": t, "code": False} for t in out]
    if doc.pattern:
        out.append({"text": doc.pattern, "code": True})
    return out


def _dictionary() -> list[dict]:
    return [{"table": d.table, "name": d.name, "type": d.type, "nullable": d.nullable, "description": d.description,
             "allowed": d.allowed, "constraints": _constraints(d), "search": search_text(d)}
            for cols in dictionary().values() for d in cols]


def _latest(folder: Path) -> dict:
    rows = _rows(folder)
    tables = []
    for name in _table_names(rows):
        files = table_files(folder, name, "parquet")
        if files:
            tables.append({"name": name, "description": _description(name), "rows": rows.get(name),
                           "rows_text": f"{rows[name]:,}" if name in rows else "?",
                           "folder": folder.name, "links": _table_links(folder, name), "preview": preview(files)})
    chart, chart_facts = None, None
    panel = read_table(folder, "panel") if has_table(folder, "panel") else None
    # a release made before the panel was keyed by place (0.1.x) has no chart: its panel has no years spans
    if panel is not None and chart_ready(panel) and has_table(folder, "indicators"):
        indicators = read_table(folder, "indicators")
        chart = panel_chart(panel, indicators)
        chart_facts = {"figures": len(panel), "indicators": panel["indicator_code"].nunique(),
                       "documents": panel["doc_id"].nunique()}
    return {"tables": tables, "chart": chart, "chart_facts": chart_facts,
            "documents": rows.get("documents"), "records": f"{sum(rows.values()):,}"}


def render_index(dist: Path) -> str:
    found = scan(dist)
    newest = found.latest
    items = []
    for v, p in reversed(found.releases):
        files, rows = _files(p), _rows(p)
        items.append({"version": ".".join(map(str, v)), "folder": p.name, "is_latest": p == newest, "files": files,
                      "date": date_of(read_json(p / "datapackage.json")),
                      "links": _links(p), "size": human_size(sum(f["bytes"] for f in files)),
                      "documents": rows.get("documents"), "records": f"{sum(rows.values()):,}"})
    doc_rows = _dictionary()
    links = [(text, url) for text, url in (("DOI", doi_url()), ("Homepage", link("homepage")),
                                           ("Source code", link("repository"))) if url]
    return _ENV.get_template("index.html.j2").render(
        about=about(), links=links, releases=items, latest=items[0] if items else None,
        current=_latest(newest) if newest else None, dictionary=doc_rows,
        n_tables=len({d["table"] for d in doc_rows}))


def write_index(dist: Path) -> None:
    """(Re)write dist/index.html atomically when its content changes."""
    page, target = render_index(dist), dist / "index.html"
    if target.exists() and target.read_text("utf-8") == page:
        return
    tmp = dist / ".index.html.tmp"
    tmp.write_text(page, encoding="utf-8", newline="")
    os.replace(tmp, target)
