"""The download page dist/index.html: every release with its files, rows, sizes and checksums.
Rendered with autoescaping, so no text from a document can inject markup."""
from __future__ import annotations

import json
import os
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from pipeline.release.about import about
from pipeline.release.versioning import latest, releases

_ENV = Environment(loader=PackageLoader("pipeline.release", "templates"), undefined=StrictUndefined,
                   autoescape=select_autoescape(["html", "j2"]), keep_trailing_newline=True)


def _files(folder: Path) -> list[dict]:
    sums = dict(reversed(line.split("  ", 1)) for line in (folder / "SHA256SUMS").read_text("utf-8").splitlines())
    rows = {}
    pkg = folder / "datapackage.json"
    if pkg.exists():
        for r in json.loads(pkg.read_text("utf-8"))["resources"]:
            rows[f"{r['name']}.csv"] = rows[f"{r['name']}.parquet"] = r.get("rows", "")
    return [{"name": name, "bytes": (folder / name).stat().st_size, "sha256": digest, "rows": rows.get(name, "")}
            for name, digest in sorted(sums.items())]


def render_index(dist: Path) -> str:
    newest = latest(dist)
    items = [{"version": ".".join(map(str, v)), "folder": p.name, "is_latest": p == newest, "files": _files(p)}
             for v, p in reversed(releases(dist))]
    return _ENV.get_template("index.html.j2").render(about=about(), releases=items)


def write_index(dist: Path) -> None:
    """(Re)write dist/index.html atomically when its content changes."""
    page, target = render_index(dist), dist / "index.html"
    if target.exists() and target.read_text("utf-8") == page:
        return
    tmp = dist / ".index.html.tmp"
    tmp.write_text(page, encoding="utf-8", newline="")
    os.replace(tmp, target)
