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


def longest_first(words) -> tuple[str, ...]:
    """Distinct words, longest first (ties in a fixed order), so alternations prefer the longest match."""
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


def alternation(words) -> str:
    """A regex alternation matching any of the words, longest first."""
    import re

    return "|".join(map(re.escape, longest_first(words)))
