"""The indicator codebook (``vocab/indicators.toml``) and the rule that files a metric under a code.

``load_codebook()`` gives the codebook rows; ``classify()`` maps an indicator phrase and its
clause to a code by the longest matching phrasing. Metrics themselves are built in ``metrics.py``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.vocab import load

_INDICATOR_BONUS = 2
_GAP = "[^，。；：！？,;:!?\n]{0,15}?"   # what "…" stands for in a phrasing: part of the same clause


@dataclass(frozen=True)
class Indicator:
    """One row of the codebook."""

    code: str
    label_en: str
    label_zh: str
    unit: str
    category: str
    phrasings: tuple[str, ...]
    same_units: tuple[str, ...] = ()   # units counting the same things one for one as ``unit`` (panel.py)


@cache
def load_codebook() -> list[Indicator]:
    """Every indicator of ``pipeline/vocab/indicators.toml``, in file order."""
    return [Indicator(code=r["code"], label_en=r["label_en"], label_zh=r["label_zh"], unit=r["unit"],
                      category=r["category"], phrasings=tuple(r["phrasings"]),
                      same_units=tuple(r.get("same_units", ())))
            for r in load("indicators")["indicator"]]


PHRASING_SEP = " | "   # how the indicators table writes a list in one cell


def codebook_rows() -> list[dict]:
    """The codebook as the ``indicators`` table's rows."""
    return [{"indicator_code": i.code, "label_en": i.label_en, "label_zh": i.label_zh, "unit": i.unit,
             "same_units": PHRASING_SEP.join(i.same_units), "category": i.category,
             "phrasings": PHRASING_SEP.join(i.phrasings)} for i in load_codebook()]


@cache
def accepted_units(code: str) -> frozenset[str]:
    """Units a figure may be written in to be filed under ``code`` (empty: unknown code)."""
    for r in load("indicators")["indicator"]:
        if r["code"] == code:
            return frozenset(r.get("units", [r["unit"]])) | {r["unit"]}
    return frozenset()


@cache
def blocked_by(code: str) -> tuple[str, ...]:
    """Words that, inside a metric's counted noun, keep it out of ``code`` (vocab ``blocked_by``)."""
    for r in load("indicators")["indicator"]:
        if r["code"] == code:
            return tuple(r.get("blocked_by", ()))
    return ()


@cache
def _pattern(phrasing: str) -> tuple[re.Pattern, int]:
    parts = [p for p in phrasing.split("…")]
    rx = _GAP.join(re.escape(p) for p in parts)
    return re.compile(rx), sum(len(p) for p in parts)


class _PhrasingIndex:
    """A codebook's phrasings in classify's order, indexed by the first one or two characters of each (of its
    part before the first "…"): a phrasing can match a text only if the text holds them. classify then runs
    the regexes of those phrasings only, in the same order (c200's 8k calls: 210 phrasings → 8 on average,
    classify 35 → 17 µs a call, same codes)."""

    def __init__(self, codebook: tuple[Indicator, ...]) -> None:
        self.codebook = codebook
        self.entries = [(ind, ph) for ind in codebook for ph in ind.phrasings]
        self.always: list[int] = []                     # phrasings opening with "…": no key
        self.by_key: dict[str, list[int]] = {}
        for k, (_, ph) in enumerate(self.entries):
            key = ph.split("…")[0][:2]
            if key:
                self.by_key.setdefault(key, []).append(k)
            else:
                self.always.append(k)

    def candidates(self, *texts: str) -> list[int]:
        """Positions (in ``entries``) of the phrasings whose first characters occur in one of ``texts``."""
        keys: set[str] = set()
        for t in texts:
            keys.update(t)
            keys.update(t[k:k + 2] for k in range(len(t) - 1))
        found = set(self.always)
        for key in keys & self.by_key.keys():
            found.update(self.by_key[key])
        return sorted(found)


_INDEX: list[_PhrasingIndex] = []   # the index of the last codebook seen (one codebook per run)


def _index(codebook: list[Indicator]) -> _PhrasingIndex:
    key = tuple(codebook)
    if not _INDEX or _INDEX[0].codebook != key:   # same indicators: compared by identity, fast
        _INDEX[:] = [_PhrasingIndex(key)]
    return _INDEX[0]


def classify(indicator: str, context: str, codebook: list[Indicator], unit: str | None = None) -> str:
    """The code whose phrasing best matches ``indicator`` or ``context``; '' if none.

    The longest match wins (a "…" phrasing counts the whole span it matched); a match inside the
    indicator phrase counts ``_INDICATOR_BONUS`` characters more; ties go to the codebook's order. With ``unit`` given, codes whose
    accepted units do not include it are skipped. A code is skipped when the indicator (the counted
    noun) holds one of its ``blocked_by`` words (纠正…文件19件 is no regulation: 文件 blocks regulations_*).
    """
    best, best_score = "", 0
    index = _index(codebook)
    for k in index.candidates(indicator, context):
        ind, ph = index.entries[k]
        if unit is not None:
            ok = accepted_units(ind.code) or frozenset({ind.unit})
            if unit not in ok:
                continue
        if indicator and any(b in indicator for b in blocked_by(ind.code)):
            continue
        rx, _ = _pattern(ph)
        m = rx.search(indicator) if indicator else None
        if m:
            score = m.end() - m.start() + _INDICATOR_BONUS
        elif context and (m := rx.search(context)):
            score = m.end() - m.start()
        else:
            continue
        if score > best_score:
            best, best_score = ind.code, score
    return best
