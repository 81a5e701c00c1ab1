"""A version of some code: the hash of its files, so that what was made with other code is made again."""

import hashlib
from pathlib import Path

CODE_SUFFIXES = (".py", ".toml", ".txt", ".csv")


def code_version(root: Path, parts: tuple[str, ...], suffixes: tuple[str, ...] = CODE_SUFFIXES) -> str:
    """sha256 (16 hex digits) of every file with one of ``suffixes`` under ``parts`` (folders or files relative to
    ``root``), by relative path and content: any change to a rule, a vocabulary, a schema or a template changes it."""
    h = hashlib.sha256()
    for part in parts:
        p = root / part
        files = sorted(f for f in (p.rglob("*") if p.is_dir() else [p])
                       if f.is_file() and f.suffix in suffixes)
        for f in files:
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]
