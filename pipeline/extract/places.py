"""Places: China's administrative divisions with their GB/T 2260 codes (``pipeline/vocab/divisions.csv``, made
from a kept source by ``pipeline/vocab/make_divisions.py``) and the place an issuer's name gives — province,
prefecture, county, level and the code of the most specific of them — using the document's text only to choose
between divisions of the same name. Short forms of prefectures (延边州) are in ``pipeline/vocab/metadata.toml``.
Extraction stage: pure functions, no dagster.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pipeline.vocab import load

# the table's levels -> documents.level
LEVEL = {"province": "provincial", "prefecture": "municipal", "county": "county"}
_STEM_SUFFIX = r"(?:市|地区|盟)$"        # 郑州市 -> 郑州, 阿里地区 -> 阿里, 兴安盟 -> 兴安


@dataclass(frozen=True)
class Division:
    code: str       # six digits
    name: str       # full name, e.g. 郑州市
    parent: str     # the code of the division it belongs to ('' for a province)
    level: str      # province, prefecture or county
    kind: str       # as the source calls it: 地级市, 县级市, 市辖区, 自治县, ...


@dataclass(frozen=True)
class Place:
    """Where an issuer is: full names where the table knows the place, else as written; ``code`` only when one
    division fits."""

    province: str = ""
    city: str = ""      # the prefecture ('' for a province, a district of a municipality, a 省直辖 county)
    county: str = ""
    level: str = ""     # one of the documents' levels
    code: str = ""


@dataclass(frozen=True)
class Divisions:
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]    # full names and short forms of prefectures
    longest: int                                # characters of the longest name

    def chain(self, d: Division) -> list[Division]:
        """``d`` and the divisions it belongs to, most specific first."""
        out = [d]
        while out[-1].parent:
            out.append(self.by_code[out[-1].parent])
        return out


def _rows() -> Iterable[dict]:
    text = resources.files("pipeline.vocab").joinpath("divisions.csv").read_text("utf-8")
    return csv.DictReader(ln for ln in text.splitlines() if not ln.startswith("#"))


@cache
def divisions() -> Divisions:
    """The code table, loaded once, indexed by code and by name (a prefecture also by its short forms: 郑州,
    延边, 延边州; a short form equal to a province's short name, 海南 or 吉林, is not one)."""
    by_code = {r["code"]: Division(r["code"], r["name"], r["parent"], r["level"], r["kind"]) for r in _rows()}
    meta = load("metadata")
    province_short = set(meta["provinces"].values())
    names: dict[str, list[Division]] = {}
    for d in by_code.values():
        names.setdefault(d.name, []).append(d)
    for d in by_code.values():
        if d.level != "prefecture":
            continue
        stem = meta["prefecture_short"].get(d.name) or re.sub(_STEM_SUFFIX, "", d.name)
        forms = [stem] + ([stem + "州"] if d.name.endswith("自治州") else [])
        for form in forms:
            if len(form) >= 2 and form not in province_short and form not in names:
                names[form] = [d]
    return Divisions(by_code, {k: tuple(v) for k, v in names.items()}, max(map(len, names)))


def place_of_code(code: str) -> Place:
    """The place a code names (an empty Place for a code not in the table)."""
    t = divisions()
    d = t.by_code.get(code)
    if d is None:
        return Place()
    names = {x.level: x.name for x in t.chain(d)}
    return Place(names.get("province", ""), names.get("prefecture", ""), names.get("county", ""), LEVEL[d.level],
                 d.code)


def place_of_names(province: str = "", city: str = "", county: str = "") -> Place:
    """The place named by full or short names (a correction in metadata.csv): the most specific name that,
    with the others, fits one division; no code when none or several do."""
    t = divisions()
    given = [n for n in (county, city, province) if n]
    if not given:
        return Place()
    fits = [d for d in t.by_name.get(given[0], ()) if _within(t, d, given[1:])]
    return place_of_code(fits[0].code) if len(fits) == 1 else Place()


def _within(t: Divisions, d: Division, names: Iterable[str]) -> bool:
    """Whether every name (full or short) is one of the divisions ``d`` belongs to."""
    above = t.chain(d)[1:]
    return all(any(x in t.by_name.get(n, ()) or x.name == n for x in above) for n in names)


def segments(written: str) -> list[tuple[str, tuple[Division, ...]]]:
    """``written`` cut into the longest names of the table from the left (河南省郑州市金水区 -> 河南省, 郑州市,
    金水区), each with the divisions of that name; what follows the last known name is one segment of no division
    (广州市㙟川区 -> 广州市, 㙟川区). A short form followed only by a suffix is not a name (大同县 is no 大同 + 县)."""
    t = divisions()
    out: list[tuple[str, tuple[Division, ...]]] = []
    i = 0
    while i < len(written):
        size = next((n for n in range(min(t.longest, len(written) - i), 1, -1) if written[i:i + n] in t.by_name), 0)
        if not size:
            out.append((written[i:], ()))
            break
        out.append((written[i:i + size], t.by_name[written[i:i + size]]))
        i += size
    if len(out) > 1 and not out[-1][1] and len(out[-1][0]) == 1:
        tail = out.pop()
        out[-1] = (out[-1][0] + tail[0], ())
    return out


def resolve(written: str, text: str, level_of_suffix) -> Place:
    """The place of an issuer's place name as written (without its province: 郑州市金水区, 朝阳区, 某某县), given
    the document's text. A name in the table that several divisions share is chosen by the names around it,
    then by the provinces and prefectures the text names most; still several: no code, and only the names they
    share. A name not in the table keeps its written form and the level its suffix gives (``level_of_suffix``)."""
    t = divisions()
    parts = segments(written)
    if not parts:
        return Place()
    last, fits = parts[-1]
    context = [name for name, _ in parts[:-1]]
    fits = tuple(d for d in fits if _within(t, d, context))
    if not fits:   # unknown, or a known name under places it does not belong to: as written
        above = resolve("".join(context), text, level_of_suffix) if context else Place()
        level = level_of_suffix(last)
        if level == "county":
            return Place(above.province, above.city, last, level)
        return Place(above.province, last if level == "municipal" else "", "", level)
    if len(fits) > 1:
        fits = _by_mentions(t, fits, text)
    if len(fits) == 1:
        return place_of_code(fits[0].code)
    shared = [place_of_code(d.code) for d in fits]
    same = {f: {getattr(p, f) for p in shared} for f in ("province", "city", "level")}
    one = {f: next(iter(v)) if len(v) == 1 else "" for f, v in same.items()}
    return Place(one["province"], one["city"], last if one["level"] == "county" else "", one["level"])


def _by_mentions(t: Divisions, fits: tuple[Division, ...], text: str) -> tuple[Division, ...]:
    """The divisions among ``fits`` whose province, then whose prefecture, the text names most (all of them
    when it names none)."""
    provinces = load("metadata")["provinces"]
    for level in ("province", "prefecture"):
        counts = {}
        for d in fits:
            up = next((x for x in t.chain(d) if x.level == level), None)
            if up is None:
                counts[d] = 0
                continue
            short = provinces.get(up.name) if level == "province" else None
            forms = {up.name, short or ""} | {n for n, ds in t.by_name.items() if ds == (up,)}
            counts[d] = sum(text.count(f) for f in forms if f)
        best = max(counts.values())
        if best:
            fits = tuple(d for d in fits if counts[d] == best)
        if len(fits) == 1:
            break
    return fits


def same_name(written: str, name: str) -> bool:
    """Whether ``written`` is the division name ``name`` or a short form of it (郑州 for 郑州市, 河南 for 河南省,
    延边州 for 延边朝鲜族自治州); never for an empty ``name``."""
    if not name:
        return False
    if written == name or load("metadata")["provinces"].get(name) == written:
        return True
    return any(d.name == name for d in divisions().by_name.get(written, ()))


def known(name: str) -> bool:
    """Whether the code table has a division of this name (full or short)."""
    return name in divisions().by_name
