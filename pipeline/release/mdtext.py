"""Text that goes into the generated Markdown (the dataset card, CHANGELOG.md). Markdown renderers pass raw HTML
through (python-markdown, markdown-it, GitHub's before it sanitises) and make links of ``[x](url)``: a file name such
as ``<img src=x onerror=alert(1)>.txt`` copied as it is would run. So every value that comes from the input (file
names, metadata.csv, the text) goes through ``md_text`` (a table cell or a line of prose) or ``md_code`` (an
identifier in a code span); text of this project's own (schemas, dataset.toml) through ``md_prose``, which keeps
its Markdown. Each returns ``Markdown``, which the card's template leaves as it is (anything else it escapes).
"""
from __future__ import annotations

import re

# Line breaks of any kind: a value never ends its table row or paragraph (and so never starts an HTML block).
_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")
# Markdown's punctuation that makes markup (emphasis, code, links, images, table cells), escaped with a backslash:
# an underscore only where it could open or close emphasis (inside a word it cannot: press_digest stays as it is).
_PUNCT = re.compile(r"[\\`*\[\]|]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


class Markdown(str):
    """Text that is Markdown already, safe to put in a generated Markdown file as it is."""


def _plain(value) -> str:
    """None, NaN and pandas' NA are empty; anything else its text."""
    if value is None:
        return ""
    try:
        missing = bool(value != value)
    except (TypeError, ValueError):   # pandas.NA has no truth value
        missing = True
    return "" if missing else str(value)


def md_text(value) -> Markdown:
    """A value from the input as Markdown that shows exactly its characters and makes no markup: HTML's characters
    as entities, Markdown's punctuation escaped, line breaks as spaces."""
    text = _BREAKS.sub(" ", _plain(value)).translate(_HTML)
    return Markdown(_PUNCT.sub(lambda m: "\\" + m.group(0), text))


def md_code(value) -> Markdown:
    """A value from the input in a code span: fenced with more backticks than it holds, so nothing closes it early
    (the code span shows its characters as they are; renderers escape its HTML)."""
    text = _BREAKS.sub(" ", _plain(value))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text[:1] == "`" or text[-1:] == "`" else ""   # `` `x ``: the space keeps the fence apart
    return Markdown(f"{fence}{pad}{text}{pad}{fence}")


def md_prose(value) -> Markdown:
    """This project's own text (schemas, dataset.toml), kept as Markdown but fit for a table cell: HTML's
    characters as entities (``<doc_id>`` shows as written), ``|`` escaped, line breaks as spaces."""
    return Markdown(_BREAKS.sub(" ", _plain(value)).translate(_HTML).replace("|", "\\|"))


def md_escape_by_default(value):
    """The card template's ``finalize``: what the template prints is escaped as ``md_text`` unless it is
    ``Markdown`` already or a number."""
    if isinstance(value, Markdown) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    return md_text(value)
