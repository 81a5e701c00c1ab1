"""The dataset-level facts of ``dataset.toml`` (name, title, licence, the optional links and DOI), loaded once."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

DOI_RESOLVER = "https://doi.org/"


@cache
def about() -> dict:
    return tomllib.loads((Path(__file__).with_name("dataset.toml")).read_text("utf-8"))


def link(*keys: str) -> str | None:
    """An optional fact of ``dataset.toml`` (``link("homepage")``, ``link("creator", "url")``, ``link("doi")``): its
    value, or None when it is absent or empty; every file that would print it leaves it out then."""
    value = about()
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value.strip() or None if isinstance(value, str) else None


def doi_url() -> str | None:
    """The dataset's DOI as a resolvable address (None without a DOI)."""
    doi = link("doi")
    return f"{DOI_RESOLVER}{doi}" if doi else None
