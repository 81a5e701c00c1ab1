"""The dataset-level facts of ``dataset.toml`` (name, title, licence), loaded once."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path


@cache
def about() -> dict:
    return tomllib.loads((Path(__file__).with_name("dataset.toml")).read_text("utf-8"))
