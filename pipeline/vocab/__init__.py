"""Vocabularies as data: each ``*.toml`` file here holds one vocabulary (units, indicator
phrasings, law instruments and actions, part keywords, ...) with a comment on where entries come
from. ``load(name)`` reads one; code never hard-codes these lists in regexes.
"""
from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources


@cache
def load(name: str) -> dict:
    """The parsed TOML vocabulary ``pipeline/vocab/<name>.toml``."""
    return tomllib.loads(resources.files(__package__).joinpath(f"{name}.toml").read_text("utf-8"))
