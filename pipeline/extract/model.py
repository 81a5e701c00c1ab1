"""The record types extraction produces. Offsets index the document's clean text, half-open.

For every record ``quote == clean_text[char_start:char_end]`` must hold (the release checks it).
"""
from __future__ import annotations

from dataclasses import dataclass, field

NUMBER_ROLES = ("metric", "year", "date", "ordinal", "name", "duration", "other")
APPROX = ("exact", "over", "about", "under")
PERIODS = ("past_year", "term", "plan", "other")
PANEL_PERIODS = PERIODS[:3]   # periods a panel figure may have (other: no comparable period)
CATEGORIES = ("legislation", "oversight", "decisions", "appointments", "deputies", "petitions",
              "party", "self", "publicity", "other")
LAW_ACTIONS = ("enact", "revise", "amend", "repeal", "first_reading", "second_reading", "third_reading",
               "inspect", "research", "implement", "approve", "review", "other")
LAW_STATUS = ("done", "planned")
JURISDICTIONS = ("national", "provincial", "municipal", "unknown")
OVERSIGHT_KINDS = ("report_review", "law_inspection", "special_inquiry", "research", "inspection_visit",
                   "work_evaluation", "satisfaction_vote", "other")
PROPOSER_KINDS = ("member", "party_committee", "group", "unknown")
# What a document's metadata may hold (schemas.tables.Documents checks the published table against these;
# pipeline.extract.metadata checks the cells of seeds/metadata.csv against them)
LEVELS = ("national", "provincial", "municipal", "county", "")
GENRES = ("work_report", "press_digest", "proposal_digest", "other", "")
BODIES = ("congress", "cppcc", "government", "")   # who issued it: people's congress, CPPCC, government
ISO_DATE = r"^(\d{4}-\d{2}-\d{2})?$"
PLACE_CODE = r"^(\d{6})?$"         # GB/T 2260 administrative division code, or ''
SOURCE_URL = r"^(https?://[^\s]+)?$"  # where a document was taken from: an http(s) address, or ''
FIRST_YEAR, LAST_YEAR = 1949, 2100  # any year a document's dates and periods name (the People's Republic's)


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
