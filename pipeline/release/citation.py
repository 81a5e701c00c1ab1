"""CITATION.cff (Citation File Format 1.2.0, type dataset), generated from dataset.toml. Every string is
written as a JSON-quoted scalar, which YAML reads back unchanged; no date, so the bytes are reproducible.
"""
from __future__ import annotations

import json

from pipeline.release.about import about

CFF_VERSION = "1.2.0"


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def render_citation(version: str) -> str:
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
        f"    website: {_q(a['creator']['url'])}",
        f"version: {_q(version)}",
        f"license: {_q(a['license']['name'])}",
        f"url: {_q(a['homepage'])}",
        f"repository-code: {_q(a['repository'])}",
        "keywords:",
        *(f"  - {_q(k)}" for k in a["keywords"]),
    ]
    return "\n".join(lines) + "\n"
