"""Finding the input files of a seeds folder, the document id of each, and reading their bytes with their sha256.
Reads bytes only; decoding is ``pipeline.text.decode``.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

METADATA_FILE = "metadata.csv"  # optional overrides, not a document
DOCUMENT_SUFFIX = ".txt"  # the usual extension of a document: the only one its id leaves out
# Files read as documents, by extension (any case): plain text, and Markdown — plain text too, the form a report
# copied from a web page is often saved in (the seeds' headings are Markdown). Anything else in the folder (a
# manifest.csv, a scan, a .docx) is listed as skipped, never read: a .docx or .pdf must be saved as text first.
TEXT_SUFFIXES = (DOCUMENT_SUFFIX, ".md")
GOLD_FOLDER = "gold"  # hand annotations the card's quality figures come from, not documents


@dataclass(frozen=True)
class Source:
    path: Path
    doc_id: str
    data: bytes
    sha256: str
    name: str  # the file name as text (``file_name``)
    size: int  # bytes in the file (``data`` is empty when the file was too large to read)


@dataclass(frozen=True)
class Skipped:
    """An entry of the input folder that is not read as a document, with why and what to do."""

    name: str
    reason: str
    hint: str


@dataclass(frozen=True)
class Folder:
    """What an input folder holds: the documents ({doc_id: path}, each path a regular file inside the folder), the
    entries not read (links leading outside, FIFOs, devices, sub-folders), and files left out because their
    document id is taken (named problems, never an overwrite)."""

    documents: dict[str, Path]   # by file name; a path may be a link to a regular file inside the folder
    skipped: tuple[Skipped, ...]
    collisions: tuple[Skipped, ...]


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _skip(folder_real: str, p: Path) -> Skipped | None:
    """Why one entry is not read as a document (None: it is a regular file, or a link to one inside the folder),
    decided WITHOUT reading it: a symbolic
    link is followed only when its target is a regular file inside the input folder (``os.path.realpath``, then
    ``os.stat`` of the target)."""
    name = file_name(p)
    try:
        mode = os.lstat(p).st_mode
    except OSError as err:
        return Skipped(name, f"cannot be examined: {err.strerror}", "check the entry and its permissions")
    if stat.S_ISREG(mode):
        return None
    if not stat.S_ISLNK(mode):
        what = _kind(mode)
        hint = "sub-folders are not read: move its files into the input folder" if what == "a folder" \
            else "only regular files are read"
        return Skipped(name, f"{what}, not read", hint)
    target = os.path.realpath(p)
    if os.path.commonpath([folder_real, target]) != folder_real:
        return Skipped(name, f"symbolic link leading outside the input folder (to {target}), not read",
                             "copy the file into the input folder if it is meant to be a document")
    try:
        mode = os.stat(target).st_mode
    except OSError as err:
        return Skipped(name, f"symbolic link whose target cannot be reached: {err.strerror}",
                             "fix or remove the link")
    if not stat.S_ISREG(mode):
        return Skipped(name, f"symbolic link to {_kind(mode)}, not read", "only regular files are read")
    return None


def _not_text(p: Path) -> Skipped | None:
    """Why a file is not a document by its name: its extension is not one of ``TEXT_SUFFIXES``, or it is the
    folder's readme (README.md, readme.txt: a description of the collection, not a report)."""
    if p.stem.lower() == "readme":
        return Skipped(file_name(p), "the folder's readme, not read as a document",
                       "rename it if it is a report")
    if p.suffix.lower() in TEXT_SUFFIXES:
        return None
    what = f"a {p.suffix} file" if p.suffix else "a file without extension"
    return Skipped(file_name(p), f"{what}, not read: only {' and '.join(TEXT_SUFFIXES)} files are documents",
                   "if it is a report, save it as plain text with a .txt name")


def scan(folder: Path) -> Folder:
    """The documents and skipped entries of a folder (non-hidden entries except the metadata overrides and the gold
    annotations), by name. Only text files (``TEXT_SUFFIXES``) are documents; every other entry is skipped.

    Document ids are unique by construction. Each file asks for ``doc_id_for`` (from its own name); a file whose
    name is its id (``a_b.txt``) is served first, so its id never changes when a look-alike (``a b.txt``) is added;
    a file whose id is taken gets ``~`` and six hex digits of its name's SHA-256 (``a_b~cd6c4a``) if that is no
    other file's id, and is otherwise left out as a named collision."""
    if not folder.is_dir():
        raise FileNotFoundError(f"seeds folder {folder} does not exist: pass --seeds DIR with your text files")
    folder_real = os.path.realpath(folder)
    files, skipped = [], []
    for p in sorted(folder.iterdir(), key=lambda p: file_name(p)):
        if p.name.startswith(".") or p.name == METADATA_FILE or (p.name == GOLD_FOLDER and p.is_dir()):
            continue
        skip = _skip(folder_real, p) or _not_text(p)
        if skip:
            skipped.append(skip)
        else:
            files.append(p)
    wanted = {p: doc_id_for(p) for p in files}
    claimed = set(wanted.values())
    # a file whose name is its id (nothing rewritten) is served first: it keeps its id whatever is added beside it
    canonical = sorted(files, key=lambda p: (not _verbatim(p, wanted[p]), file_name(p)))
    documents, collisions = {}, []
    for p in canonical:
        doc_id = wanted[p]
        if doc_id in documents:
            alt = f"{doc_id}~{hashlib.sha256(file_name(p).encode('utf-8')).hexdigest()[:6]}"
            if alt in documents or alt in claimed:
                collisions.append(Skipped(file_name(p), f"document id {doc_id!r} is taken by "
                                          f"{file_name(documents[doc_id])} and {alt!r} by another file",
                                          "rename one of the files"))
                continue
            doc_id = alt
        documents[doc_id] = p
    return Folder(dict(sorted(documents.items(), key=lambda kv: file_name(kv[1]))), tuple(skipped),
                  tuple(collisions))


def gold_folder(folder: Path) -> Path:
    """The input folder's hand annotations (``gold/``), or a path that does not exist when ``gold`` is missing or is
    a link leading outside the input folder (never followed: what is read comes from the input folder only)."""
    gold = folder / GOLD_FOLDER
    real = os.path.realpath(gold)
    inside = os.path.commonpath([os.path.realpath(folder), real]) == os.path.realpath(folder)
    return gold if inside and os.path.isdir(real) else folder / (GOLD_FOLDER + ".outside-the-input-folder")


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


# A cell starting with one of these is a formula to a spreadsheet (OWASP, CSV injection): no id starts with one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_id(s: str) -> str:
    return "_" + s if s.startswith(FORMULA_START) else s


def doc_id_for(path: Path) -> str:
    """Stable id of a document, from its file name alone: the name without ``.txt`` (other extensions are kept as
    ``_md``, ``_html``, so ``a.md`` never takes the id of ``a.txt``), NFC, whitespace as '_' ('...' as '…': Dagster
    refuses it in a partition key; '_' before a first character a spreadsheet reads as a formula: = + - @). Two
    names that still give one id are told apart by ``scan``."""
    p = Path(file_name(path))
    suffix = p.suffix if p.suffix.lower() != DOCUMENT_SUFFIX else ""
    stem = unicodedata.normalize("NFC", p.stem + ("_" + suffix[1:] if suffix else "")).replace("...", "…")
    return _safe_id("_".join(stem.split()) or "_")


def _verbatim(path: Path, doc_id: str) -> bool:
    """Is the id the file's name without anything rewritten (``a.txt`` → ``a``)?"""
    return doc_id + DOCUMENT_SUFFIX == file_name(path)


def locate(folder: Path) -> dict[str, Path]:
    """{doc_id: path} of every document of the folder, without reading them: the documents (and partition keys)."""
    return scan(folder).documents


def _open_regular(path: Path):
    """The file opened for reading, refusing anything that is not a regular file now (the entry may have been
    replaced since the folder was scanned: O_NONBLOCK, so that a FIFO put in its place cannot hang the build)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise IsADirectoryError(errno.EINVAL, "not a regular file any more", str(path))
    return os.fdopen(fd, "rb")


def read_source(doc_id: str, path: Path, max_bytes: int | None = None) -> Source:
    """The file's bytes and SHA-256. A file larger than ``max_bytes`` is hashed as a stream and not held in memory
    (``data`` empty, ``size`` its size): a 20 GB file dropped in the folder costs a read, not the memory."""
    with _open_regular(path) as f:
        size = os.fstat(f.fileno()).st_size
        if max_bytes is not None and size > max_bytes:
            return Source(path, doc_id, b"", hashlib.file_digest(f, "sha256").hexdigest(), file_name(path), size)
        data = f.read()
    return Source(path, doc_id, data, hashlib.sha256(data).hexdigest(), file_name(path), len(data))


def unreadable_sha(err: OSError) -> str:
    """The stand-in for the sha256 of a file that cannot be read, in its stamp: the error, so that the document is
    processed again (and read) once the error is gone."""
    return hashlib.sha256(f"unreadable: {err.errno}".encode()).hexdigest()


def source_sha(path: Path) -> str:
    """sha256 of a file's bytes (``unreadable_sha`` when it cannot be read: reported when the document is read)."""
    try:
        with _open_regular(path) as f:
            return hashlib.file_digest(f, "sha256").hexdigest()   # streamed: memory stays flat for any size
    except OSError as err:
        return unreadable_sha(err)
