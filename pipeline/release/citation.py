"""CITATION.cff (Citation File Format 1.2.0, type dataset), generated from dataset.toml. Every string is
written as a JSON-quoted scalar, which YAML reads back unchanged. The release date (``date-released``) is the
release's publication date, recorded once (``dates``), so a rebuild gives the same bytes; the addresses and the DOI
are written only when dataset.toml gives them.
"""
from __future__ import annotations

import json

from pipeline.release.about import about, link

CFF_VERSION = "1.2.0"


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _optional(key: str, value: str | None, indent: str = "") -> list[str]:
    return [f"{indent}{key}: {_q(value)}"] if value else []


def render_citation(version: str, date: str | None = None) -> str:
    """``date``: the release's publication date (YYYY-MM-DD), None for a release published without one."""
    a = about()
    lines = [
        "# Generated from pipeline/release/dataset.toml by pipeline/release/citation.py: do not edit by hand.",
        f"cff-version: {CFF_VERSION}",
        f"message: {_q(a['citation']['message'])}",
        "type: dataset",
        f"title: {_q(a['title'])}",
        f"abstract: {_q(a['description'])}",
        "authors:",
        f"  - name: {_q(a['creator']['name'])}",
        *_optional("website", link("creator", "url"), "    "),
        f"version: {_q(version)}",
        *_optional("date-released", date),
        *_optional("doi", link("doi")),
        f"license: {_q(a['license']['name'])}",
        *_optional("url", link("homepage")),
        *_optional("repository-code", link("repository")),
        "keywords:",
        *(f"  - {_q(k)}" for k in a["keywords"]),
    ]
    return "\n".join(lines) + "\n"
