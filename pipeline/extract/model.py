"""The record types extraction produces. Offsets index the document's clean text, half-open.

For every record ``quote == clean_text[char_start:char_end]`` must hold (the release checks it).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from schemas.values import (  # noqa: F401  (the vocabularies, re-exported for the extraction code)
    NUMBER_ROLES,
    APPROX,
    PERIODS,
    PANEL_PERIODS,
    CATEGORIES,
    LAW_ACTIONS,
    LAW_STATUS,
    JURISDICTIONS,
    OVERSIGHT_KINDS,
    PROPOSER_KINDS,
    LEVELS,
    GENRES,
    BODIES,
    ISO_DATE,
    PLACE_CODE,
    SOURCE_URL,
    FIRST_YEAR,
    LAST_YEAR)


@dataclass(frozen=True)
class NumberMention:
    """A number as written (Arabic or Chinese numerals, with 万/亿, %, 余/多/近/约 ...)."""

    sentence: int        # Sentence.index
    char_start: int
    char_end: int
    quote: str           # the number with its unit and approximation words, as written
    value: float
    unit: str            # counting unit as written ('' when none): 次, 件, 人次, %, 个百分点, 年 ...
    approx: str          # one of APPROX
    role: str            # one of NUMBER_ROLES


@dataclass(frozen=True)
class Metric:
    """A quantitative fact: what is counted, how many, when."""

    sentence: int
    char_start: int
    char_end: int
    quote: str           # shortest span holding indicator words, number and unit
    value: float
    unit: str
    indicator: str       # short Chinese noun phrase naming what is counted
    indicator_code: str  # codebook code ('' when not a standard indicator)
    approx: str
    period: str
    category: str
    number_start: int    # span of the number itself (inside the quote)
    number_end: int


@dataclass(frozen=True)
class Law:
    """A law, regulation, rule or decision named in the text and what was done to it."""

    sentence: int
    char_start: int
    char_end: int
    quote: str           # the span naming it (may cover a list: 制定A、B等条例)
    name: str            # as written, without 《》
    instrument: str      # law | regulation | rules | measures | provisions | decision | resolution | constitution | other
    jurisdiction: str    # one of JURISDICTIONS
    action: str          # one of LAW_ACTIONS
    status: str          # one of LAW_STATUS


@dataclass(frozen=True)
class Oversight:
    """An oversight activity: a report heard, an inspection, an inquiry, a study, an evaluation."""

    sentence: int
    char_start: int
    char_end: int
    quote: str
    kind: str            # one of OVERSIGHT_KINDS
    subject: str         # what was overseen, as written
    status: str          # done | planned


@dataclass(frozen=True)
class Recommendation:
    seq: int             # 1-based order inside its proposal
    char_start: int
    char_end: int
    text: str


@dataclass(frozen=True)
class Proposal:
    """A CPPCC proposal (提案) in a digest, with its recommendations."""

    index: int
    title: str
    title_start: int     # span of the title in the clean text
    title_end: int
    proposer: str        # '' when none is named
    proposer_kind: str   # one of PROPOSER_KINDS
    char_start: int      # span of the whole proposal (title + body)
    char_end: int
    recommendations: tuple[Recommendation, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DocumentMeta:
    """What the text says about itself; every field may be empty when the text does not say."""

    title: str = ""
    issuer: str = ""         # e.g. 郑州市人大常委会
    body: str = ""           # one of BODIES
    city: str = ""           # prefecture, e.g. 郑州市 ('' for national/provincial documents)
    province: str = ""
    level: str = ""          # one of LEVELS
    county: str = ""         # county-level division, e.g. 金水区 ('' above county level)
    place_code: str = ""     # GB/T 2260 code of the most specific of province, city, county ('' unknown, national)
    genre: str = ""          # one of GENRES
    date: str = ""           # ISO date delivered, YYYY-MM-DD
    meeting: str = ""        # e.g. 郑州市第十六届人民代表大会第一次会议
    speaker: str = ""
    review_start: int | None = None
    review_end: int | None = None
    plan_year: int | None = None
    source_url: str = ""     # where the file was taken from (seeds/metadata.csv only)
    retrieved: str = ""      # ISO date it was taken (seeds/metadata.csv only)
