"""A text as an array of its code points (numpy), for the rules that test every position at once (grams, the
traditional-script edits, doubled units, the names of two_spellings): Python's string offsets are code-point
offsets, so an index into the array is an offset into the text, astral characters included."""
from __future__ import annotations

import numpy as np

from pipeline.text.clean_lex import CJK_RANGES


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` (uint32, one per character)."""
    return np.frombuffer(text.encode("utf-32-le"), dtype="<u4")


def cjk_mask(codes: np.ndarray) -> np.ndarray:
    """Which code points are CJK ideographs (clean_lex.CJK's ranges)."""
    return np.logical_or.reduce([(codes >= a) & (codes <= b) for a, b in CJK_RANGES])
