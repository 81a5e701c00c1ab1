"""Finding the input files of a seeds folder, the document id of each, and reading their bytes with their sha256.
Reads bytes only; decoding is ``pipeline.text.decode``.
"""
from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

METADATA_FILE = "metadata.csv"  # optional overrides, not a document


@dataclass(frozen=True)
class Source:
    path: Path
    doc_id: str
    data: bytes
    sha256: str
    name: str  # the file name as text (``file_name``)


def source_paths(folder: Path) -> list[Path]:
    """Every regular, non-hidden file of the folder except the metadata overrides, sorted by name."""
    if not folder.is_dir():
        raise FileNotFoundError(f"seeds folder {folder} does not exist: pass --seeds DIR with your text files")
    return sorted((p for p in folder.iterdir()
                   if p.is_file() and not p.name.startswith(".") and p.name != METADATA_FILE),
                  key=lambda p: p.name)


def file_name(path: Path) -> str:
    """The file's name as text. A name whose bytes are not UTF-8 (on Linux: lone surrogates, which no table can
    store), e.g. a GBK name unzipped from an archive made on Chinese Windows, is read as GB18030, and failing
    that shown with \\xNN escapes."""
    name = path.name
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def doc_id_for(path: Path) -> str:
    """Stable id of a document: its file name without extension, NFC, whitespace as '_' (and '...' as '…': Dagster
    refuses it in a partition key)."""
    stem = unicodedata.normalize("NFC", Path(file_name(path)).stem).replace("...", "…")
    return "_".join(stem.split()) or "_"


def locate(folder: Path) -> dict[str, Path]:
    """{doc_id: path} of every input file, without reading them: the documents (and partition keys) of a folder."""
    out: dict[str, Path] = {}
    for p in source_paths(folder):
        doc_id = doc_id_for(p)
        if doc_id in out:  # same stem, other extension: keep both, distinguish by extension
            doc_id = f"{doc_id}{Path(file_name(p)).suffix.replace('.', '_')}"
        out[doc_id] = p
    return out


def read_source(doc_id: str, path: Path) -> Source:
    data = path.read_bytes()
    return Source(path, doc_id, data, hashlib.sha256(data).hexdigest(), file_name(path))


def read_sources(folder: Path) -> list[Source]:
    return [read_source(doc_id, p) for doc_id, p in locate(folder).items()]
