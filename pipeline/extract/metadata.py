"""What a document says about itself: title, issuer, place and level, genre, date, meeting, speaker,
review period and plan year; plus the optional per-file overrides of ``seeds/metadata.csv``, read tolerantly: a
cell, column or row that cannot be used is reported with its line and left out, and the rest applies.

Reads the front matter and the part tags of the sections; vocabulary ``pipeline/vocab/metadata.toml``; places
and their codes: ``pipeline/extract/places.py``. Extraction stage.
"""
from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime
import difflib
import io
import re
import urllib.parse
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.extract import places
from pipeline.extract.model import BODIES, FIRST_YEAR, GENRES, ISO_DATE, LAST_YEAR, LEVELS, SOURCE_URL, DocumentMeta
from pipeline.text.decode import MAX_BYTES, DecodeError, decode_bytes
from pipeline.text.model import Section
from pipeline.extract.numerals import parse_numeral
from pipeline.text.clean_lex import CJK
from pipeline.vocab import alternation, load, longest_first

_FRONT = 1500           # characters of front matter searched for title, issuer, date, speaker
_INT_FIELDS = {f.name for f in dataclasses.fields(DocumentMeta) if f.type in ("int | None", int)}


@dataclass(frozen=True)
class _Vocab:
    issuer_re: re.Pattern
    wrapped_re: re.Pattern
    mention_re: re.Pattern
    wrapped_short: str
    issuers: dict[str, str]
    divisions: dict[str, str]
    national: tuple[str, ...]
    provinces: dict[str, str]
    cppcc_issuers: tuple[str, ...]
    bodies: dict[str, str]
    body_words: dict[str, tuple[str, ...]]
    body_title: dict[str, tuple[str, ...]]
    delivery_frame: re.Pattern
    report_frame: tuple[str, ...]
    date_frame: re.Pattern
    press: tuple[str, ...]
    proposal_title: tuple[str, ...]
    proposal_share: float
    speaker_re: re.Pattern
    speaker_prose_re: re.Pattern
    span_re: re.Pattern
    term_words: tuple[str, ...]
    term_years: int
    year_words: tuple[str, ...]
    review_cue: re.Pattern
    plan_cue: re.Pattern
    press_cues: tuple[str, ...]
    press_window: int
    press_date: re.Pattern


@cache
def vocab() -> _Vocab:
    """The front-matter vocabularies, loaded once."""
    v = load("metadata")
    g, r, w = v["genre"], v["review"], v["issuer_wrapped"]
    place = rf"[{CJK}]{{0,12}}?(?:" + alternation(v["division_suffixes"]) + ")"
    return _Vocab(
        issuer_re=re.compile(rf"(全国|{place})?(?:第[一二三四五六七八九十]+届)?({alternation(v['issuers'])})"),
        wrapped_re=re.compile(rf"(?:{alternation(w['prefixes'])})(全国|{place}){re.escape(w['suffix'])}"),
        wrapped_short=w["short"],
        mention_re=re.compile(rf"({place})(?:第?[一二三四五六七八九十]+届)?(?:{alternation(v['place_mentions']['words'])})"),
        issuers=dict(v["issuers"]),
        divisions=dict(v["division_suffixes"]),
        national=tuple(v["national"]["words"]),
        provinces=dict(v["provinces"]),
        cppcc_issuers=tuple(g["cppcc_issuers"]),
        bodies=dict(v["bodies"]), body_words={b: tuple(w) for b, w in v["body_words"].items()},
        body_title={b: tuple(w) for b, w in v["body_title"].items()},
        delivery_frame=re.compile(v["body_frame"]["delivery_frame"]),
        report_frame=tuple(g["report_frame"]),
        date_frame=re.compile(g["report_date_frame"]),
        press=tuple(g["press"]),
        proposal_title=tuple(g["proposal_title"]),
        proposal_share=float(g["proposal_share"]),
        speaker_prose_re=re.compile(
            rf"(?:{alternation(v['speaker']['posts'])})([{CJK}·]{{2,3}}?)(?:代表[^，。；\n]{{1,20}}?)?"
            rf"(?:{alternation(v['speaker']['delivered'])})[^，。；\n]{{0,20}}?(?:{alternation(v['speaker']['report_words'])})"),
        speaker_re=re.compile(rf"^(.{{2,30}}?(?:{alternation(v['speaker']['posts'])}))[ \t\u3000]+([{CJK}·]{{2,10}})$"),
        span_re=re.compile(r["span_pattern"]),
        term_words=tuple(r["term_words"]),
        term_years=int(r["term_years"]),
        year_words=tuple(r["year_words"]),
        review_cue=re.compile(r["review_cue"]),
        plan_cue=re.compile(r["plan_cue"]),
        press_cues=tuple(v["press_date"]["cues"]),
        press_window=int(v["press_date"]["window"]),
        press_date=re.compile(v["press_date"]["pattern"]),
    )


def _lines(text: str) -> list[str]:
    return [ln.strip().strip("#*").strip() for ln in text.splitlines() if ln.strip().strip("#*").strip()]


def _num(s: str) -> int | None:
    """A year, month or day written in Arabic or Chinese numerals (二〇二三, 十二), or None."""
    try:
        return int(parse_numeral(s))
    except ValueError:
        return None


def _place(prefix: str, clean: str, v: _Vocab) -> places.Place:
    """The place of an issuer's place prefix (全国, 河南省, 郑州市金水区, 朝阳区), the text choosing between places of
    the same name; a name the code table does not know keeps its written form, its level from its suffix."""
    if not prefix:
        return places.Place()
    if prefix == "全国":
        return places.Place(level="national")
    province = next((p for p in longest_first(v.provinces) if prefix.startswith(p)), "")
    if not province:
        province = next((p for p, short in v.provinces.items() if prefix.startswith(short)
                         and prefix[len(short):] in ("", "省")), "")
    rest = prefix[len(province):] if prefix.startswith(province) else ""
    return places.resolve(province + rest if province else prefix, clean, lambda name: _suffix_level(name, v))


def _names_place(prefix: str, v: _Vocab) -> bool:
    """Whether an issuer's place prefix names a place: not a division suffix alone (市, 县, 区, 州, 盟, 旗, ...) and
    of 2 characters at least."""
    return len(prefix) >= 2 and prefix not in v.divisions


def _mentioned_place(front: str, suffix: str, v: _Vocab) -> str:
    """The first place the front matter names before a congress's session or a body (在郑州市第十六届人民代表大会…,
    郑州市人大常委会, 政协郑州市委员会) that ends with ``suffix`` (the bare 市 of the issuer 市人大常委会) and that the
    code table knows, as written (the longest such tail of what precedes the word: 受郑州市… -> 郑州市); '' when
    the front matter names none."""
    found = sorted([*v.mention_re.finditer(front), *v.wrapped_re.finditer(front)], key=lambda m: m.start())
    for m in found:
        written = m.group(1)
        for i in range(len(written) - 1):
            tail = written[i:]
            if _names_place(tail, v) and tail.endswith(suffix) and all(d for _, d in places.segments(tail)):
                return tail
    return ""


def _suffix_level(name: str, v: _Vocab) -> str:
    """The level a place name's suffix gives (县: county, 市: municipal, ...; '' for none)."""
    return next((lv for suf, lv in sorted(v.divisions.items(), key=lambda x: -len(x[0])) if name.endswith(suf)), "")


def _issuer(front: str, v: _Vocab) -> tuple[str, str]:
    """(issuer as written in short form, its place prefix)."""
    for ln in _lines(front)[:6]:
        m = v.wrapped_re.search(ln)     # 政协宜宾市委员会
        if m:
            return m.group(1) + v.wrapped_short, m.group(1)
        for m in v.issuer_re.finditer(ln):
            prefix = m.group(1) or ""
            if prefix.startswith(("受", "在", "向", "我", "代表")):   # 受…委托, 在…上, 我代表市人民政府: no place
                continue
            body = v.issuers[m.group(2)]
            if prefix or m.group(2) in ("人民代表大会常务委员会", "人大常委会"):
                return prefix + body, prefix
    return "", ""


def _body(title: str, issuer: str, genre: str, front: str, v: _Vocab) -> str:
    """Who issued the text (model.BODIES): the body the title names first (政府工作报告, 政协, 人大常委会), else by
    its issuer's short form, else a proposal digest is a CPPCC's, else the body whose words the front matter uses
    more ('' on a tie). The frame a report is delivered in ("在…人民代表大会…会议上") counts for no body."""
    title, front = v.delivery_frame.sub("", title), v.delivery_frame.sub("", front)
    named = [(title.find(w), body) for body, words in v.body_title.items() for w in words if w in title]
    if named:
        return min(named)[1]
    for short, body in v.bodies.items():
        if issuer.endswith(short):
            return body
    if genre == "proposal_digest":
        return "cppcc"
    counts = {body: sum(front.count(w) for w in words) for body, words in v.body_words.items()}
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] == 0 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return ""
    return ranked[0][0]


def _date(front: str, v: _Vocab) -> tuple[str, str]:
    """(ISO date, meeting) from "——2023年1月5日在…会议上"."""
    m = v.date_frame.search(front)
    if not m:
        return "", ""
    d = re.match(r"(.+?)年(.+?)月(.+?)日在(.+?)上$", m.group())
    if not d:
        return "", ""
    y, mo, da = (_num(x) for x in d.group(1, 2, 3))
    iso = f"{y:04d}-{mo:02d}-{da:02d}" if y and mo and da else ""
    return iso, d.group(4)


def _press_date(front: str, plan_year: int | None, v: _Vocab) -> tuple[str, str]:
    """(ISO date, meeting) from a press lead "本报讯（记者 …）2月26日，在…会议上"; the year when the lead omits it
    is the plan year (a congress session meets in the year it plans for); no year known: no date."""
    cue = min((i for i in (front.find(c) for c in v.press_cues) if i >= 0), default=-1)
    if cue < 0:
        return "", ""
    m = v.press_date.search(front, cue, cue + v.press_window)
    if not m:
        return "", ""
    y = int(m.group(1)) if m.group(1) else plan_year
    mo, da = int(m.group(2)), int(m.group(3))
    if not y or not (1 <= mo <= 12 and 1 <= da <= 31):
        return "", m.group(4) or ""
    return f"{y:04d}-{mo:02d}-{da:02d}", m.group(4) or ""


def _speaker(front: str, v: _Vocab) -> str:
    """The name on a byline (“市人大常委会主任　王某某”), else in a digest's prose (主任黄某某作…工作报告)."""
    for ln in _lines(front)[:8]:
        m = v.speaker_re.match(ln)
        if m:
            return m.group(2)
    m = v.speaker_prose_re.search(front)
    return m.group(1) if m else ""


def _genre(clean: str, sections: list[Section], title: str, front: str, issuer: str, v: _Vocab) -> str:
    prop = sum(s.char_end - s.char_start for s in sections if s.part == "proposals")
    if any(w in title for w in v.proposal_title) or (clean and prop / len(clean) > v.proposal_share):
        return "proposal_digest"
    if prop and issuer.endswith(v.cppcc_issuers):
        return "proposal_digest"
    if any(w in front[:300] for w in v.press) or any(w in clean for w in v.press[1:3]):
        return "press_digest"
    if any(w in clean for w in v.report_frame) or v.date_frame.search(front):
        return "work_report"
    return "other"


def _plan_year(clean: str, sections: list[Section], date: str, v: _Vocab) -> int | None:
    plan = [s for s in sections if s.part == "plan"]
    cue = v.plan_cue.search(clean[:_FRONT])
    if plan:
        first = plan[0]
        head = clean[first.char_start:min(first.char_end, first.heading_end + 200)]
        m = re.search(r"(?<!\d)(20\d{2}|19\d{2})(?:\s|年)", head)
        if m:
            return int(m.group(1))
    if cue:
        return int(cue.group(1))
    if date:
        return int(date[:4])
    return None


def _review(clean: str, sections: list[Section], plan_year: int | None, v: _Vocab
            ) -> tuple[int | None, int | None]:
    if plan_year is None:
        return None, None
    cue = v.review_cue.search(clean[:_FRONT])
    if cue:
        first, last = int(cue.group(1)), int(cue.group(2) or cue.group(1))
        if first <= last < plan_year:
            return first, last
    review = "".join(clean[s.char_start:s.char_end] for s in sections if s.part in ("review", "front"))[:4000]
    text = review or clean[:4000]
    m = v.span_re.search(text)
    n = _num(m.group(1) or m.group(2)) if m else None
    if n and 1 < n <= 10:
        return plan_year - n, plan_year - 1
    if any(w in text for w in v.term_words):
        return plan_year - v.term_years, plan_year - 1
    if n == 1 or any(w in text for w in v.year_words):
        return plan_year - 1, plan_year - 1
    years = [int(y) for y in re.findall(r"(?<!\d)(20\d{2})年", text) if int(y) < plan_year]
    if years:
        return min(years), max(years)
    return plan_year - 1, plan_year - 1


def _province_from_text(clean: str, v: _Vocab) -> str:
    """The province the text names most (full or short name), '' when it names none."""
    counts = {full: clean.count(full) + clean.count(short) for full, short in v.provinces.items()}
    best = max(counts, key=counts.get) if counts else ""
    return best if best and counts[best] else ""


def infer_metadata(clean: str, sections: list[Section], source_name: str) -> DocumentMeta:
    """What the text says about itself; fields the text does not give stay empty."""
    v = vocab()
    front = clean[:_FRONT]
    lines = _lines(front)
    title = lines[0] if lines else ""
    issuer, prefix = _issuer(front, v)
    bare = bool(prefix) and not _names_place(prefix, v)     # 市人大常委会: a sub-national body of no place named
    if bare:
        prefix = _mentioned_place(front, prefix, v)
    place = _place(prefix, clean, v)
    level, province = place.level, place.province
    if not level and not bare and any(w in front for w in v.national):
        level = "national"
    if (place.city or place.county) and not province and not places.known(place.county or place.city):
        province = _province_from_text(clean, v)     # a place the code table does not know: the text's province
    date, meeting = _date(front, v)
    plan_year = _plan_year(clean, sections, date, v)
    if not date:
        date, meeting = _press_date(front, plan_year, v)
    review_start, review_end = _review(clean, sections, plan_year, v)
    genre = _genre(clean, sections, title, front, issuer, v)
    return DocumentMeta(title=title, issuer=issuer, body=_body(title, issuer, genre, front, v), city=place.city,
                        province=province, level=level, county=place.county, place_code=place.code,
                        genre=genre, date=date, meeting=meeting,
                        speaker=_speaker(front, v), review_start=review_start, review_end=review_end,
                        plan_year=plan_year)


# seeds/metadata.csv: corrections a user writes by hand or saves from a spreadsheet

_KEY = "source_file"
_FIELDS = tuple(f.name for f in dataclasses.fields(DocumentMeta))
_CHOICES = {"level": LEVELS, "genre": GENRES, "body": BODIES}
_YEAR_HINT = f"write a year as four digits from {FIRST_YEAR} to {LAST_YEAR} (e.g. 2024), or leave the cell empty"
_KEEP_NAME = "write the file's name exactly as in the seeds folder, with its extension (e.g. 001_x.txt)"
_RESAVE = 'save it as "CSV UTF-8" (or GBK) text'
_DATE_HINT = "write the date as YYYY-MM-DD (e.g. 2024-01-05), or leave the cell empty"
_CODE_HINT = ("write the place's 6-digit administrative division code (GB/T 2260, e.g. 410100 for 郑州市, 410105 for "
              "郑州市金水区), or leave the cell empty and write its names in province, city and county")
_URL_HINT = "write the full address the file was taken from, starting with http:// or https://, or leave the cell empty"
_PLACE = ("province", "city", "county")
_NOT_INFERRED = ("source_url", "retrieved")    # from metadata.csv only: a refused cell leaves them empty
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),   # UTF-32's BOM starts as UTF-16's
              (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class OverrideProblem:
    """Something in metadata.csv that is not used: where (line 1 is the header; None: the whole file), why and
    what to do."""

    line: int | None
    reason: str
    hint: str


@dataclass(frozen=True, eq=False)
class Overrides(Mapping):
    """What metadata.csv changes: {source_file: {field: value}} with only the usable, non-empty cells of each row
    (typed as DocumentMeta's fields; a document's stamp hashes its row, so only what applies counts), and the
    problems met reading it."""

    rows: dict[str, dict]
    problems: tuple[OverrideProblem, ...] = ()

    def __getitem__(self, source_file: str) -> dict:
        return self.rows[source_file]

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def load_overrides(path: str | Path, files: Collection[str] | None = None) -> Overrides:
    """The overrides of an optional metadata CSV (none when it is absent or empty), in any encoding the documents
    may have. Never fails on what the file holds: a cell the documents table would refuse, an unknown column, a
    row without a source_file, a second row for a file (the first is used) and, given the input ``files``' names,
    a row naming none of them are left out and reported in ``problems``; the rest applies."""
    p = Path(path)
    problems: list[OverrideProblem] = []
    text = _metadata_text(p, problems)
    rows = _parse(text, files, problems) if text else {}
    return Overrides(rows, tuple(problems))


def apply_overrides(meta: DocumentMeta, row: Mapping) -> DocumentMeta:
    """``meta`` with every non-empty cell of ``row`` that fits its DocumentMeta field replacing the inferred value
    (``row``: a row of ``load_overrides``, or any {field: value})."""
    changes = {}
    for k, val in row.items():
        text = "" if val is None else str(val).strip()
        if k in _FIELDS and text:
            value, why = _cell(k, text)
            if why is None:
                changes[k] = value
    return dataclasses.replace(meta, **_with_place(meta, changes))


def _with_place(meta: DocumentMeta, changes: dict) -> dict:
    """``changes`` with what a corrected place implies: level national clears the place (a national body has
    none); a place_code gives the names and level from the code table (names the row also gives become the
    code's: the code is the more precise; ``load_overrides`` reports those that name another place); a corrected
    name gets the code of the place the names then make (with the inferred names, else alone), '' when they make
    none (and a county named makes the level county). Otherwise what the row gives is never replaced."""
    if changes.get("level") == "national":
        return {**changes, **dict.fromkeys((*_PLACE, "place_code"), "")}
    if "place_code" in changes:
        p = places.place_of_code(changes["place_code"])
        changes = {k: val for k, val in changes.items() if k not in _PLACE}
    elif any(k in changes for k in _PLACE):
        merged = dataclasses.replace(meta, **{k: changes[k] for k in _PLACE if k in changes})
        p = places.place_of_names(merged.province, merged.city, merged.county)
        if not p.code:
            p = places.place_of_names(*(changes.get(k, "") for k in _PLACE))
        if not p.code:    # a county named is a county-level place, known or not
            return {**({"level": "county"} if changes.get("county") else {}), **changes, "place_code": ""}
    else:
        return changes
    table = {"province": p.province, "city": p.city, "county": p.county, "level": p.level, "place_code": p.code}
    return {**table, **changes}


def _disagreeing(code: str, names: Mapping) -> dict[str, str]:
    """{field: the code's name ('' for none)} of each place name in ``names`` that is not the code's division at
    that level, by its full name or a short form (河南, 郑州)."""
    p = places.place_of_code(code)
    return {k: getattr(p, k) for k in _PLACE if names.get(k) and not places.same_name(names[k], getattr(p, k))}


def _place_problems(row: dict, line: int, problem) -> None:
    """Report, and drop from ``row``, place cells that contradict the row's place_code or its level national."""
    if "place_code" in row:
        code = row["place_code"]
        wrong = _disagreeing(code, row)
        if wrong:
            p = places.place_of_code(code)
            names = ", ".join(f"{k} {getattr(p, k)}" for k in _PLACE if getattr(p, k))
            given = ", ".join(f"{k} {_q(row[k])}" for k in wrong)
            problem(line, f"{given} {'is' if len(wrong) == 1 else 'are'} not the place of place_code {code} "
                          f"({names}): the code's names are used",
                    f"give only the place_code, or names that match it ({names})")
            for k in wrong:
                del row[k]
    if row.get("level") == "national":
        given = [k for k in (*_PLACE, "place_code") if k in row]
        if given:
            problem(line, f"level national has no place, but the row gives {', '.join(given)}: "
                          f"{'it is' if len(given) == 1 else 'they are'} not used",
                    "leave the place cells empty for a national body, or give the level of the place")
            for k in given:
                del row[k]


def _metadata_text(p: Path, problems: list[OverrideProblem]) -> str:
    """The file's text ('' when there is none to use; why, in ``problems``)."""
    if not p.exists() and not p.is_symlink():
        return ""
    if p.is_symlink() and not p.resolve().is_relative_to(p.parent.resolve()):
        problems.append(OverrideProblem(None, "a link to a file outside the seeds folder: not read",
                                        "copy the file into the seeds folder instead of linking to it"))
        return ""
    if not p.is_file():
        problems.append(OverrideProblem(None, "not a regular file (a folder, pipe or device): not read",
                                        "metadata.csv must be a CSV file; rename what has its name"))
        return ""
    try:
        data = p.read_bytes()
    except OSError as err:
        problems.append(OverrideProblem(None, f"cannot read the file: {err.strerror or err}; no override is used",
                                        "check its permissions (the user running the build must be able to read it)"))
        return ""
    if not data:
        return ""
    try:
        return _decode(data, p.name)
    except DecodeError as err:
        where = f" at byte {err.offset}" if err.offset is not None else ""
        problems.append(OverrideProblem(None, f"cannot decode the file{where}: {err.reason}; no override is used",
                                        _RESAVE))
        return ""


def _decode(data: bytes, name: str) -> str:
    """The documents' decoder (``pipeline.text.decode``: BOMs, UTF-8, UTF-16, GB18030 or Big5 by which reads as
    Chinese prose). A table with too little Chinese for it to tell (file names, years, a few names) or larger than
    one report is read as the first of UTF-8 and GB18030 that decodes it strictly: spreadsheet programs on Chinese
    Windows save "CSV" in GBK. UTF-16 without a byte-order mark is left to the decoder."""
    error = None
    if len(data) <= MAX_BYTES:
        try:
            return decode_bytes(data, name)[0]
        except DecodeError as err:
            error = err
    boms = [codec for bom, codec in _WIDE_BOMS if data.startswith(bom)][:1]
    for codec in boms or (("utf-8-sig", "gb18030") if b"\0" not in data else ()):   # else UTF-16 without BOM?
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    raise error or DecodeError(name, "not UTF-8, UTF-16 with a byte-order mark or GB18030 text")


def _parse(text: str, files: Collection[str] | None, problems: list[OverrideProblem]) -> dict[str, dict]:
    """{source_file: usable cells} of the rows of metadata.csv's text; what is not used, in ``problems``."""
    def problem(line: int, reason: str, hint: str, column: str = "") -> None:
        where = f"line {line}, column {column}: " if column else f"line {line}: "
        problems.append(OverrideProblem(line, where + reason, hint))

    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","   # Excel's "Unicode text" is tab-separated
    records = _records(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True), problem)
    at, header = next(((line, cells) for line, cells in records if any(c.strip() for c in cells)), (1, []))
    columns = _columns(at, header, problem)
    if _KEY not in columns.values():
        problem(at, f"no {_KEY} column (the header is {_q(delimiter.join(header))}): no override is used",
                f"name the first column {_KEY} and write in it the file each row is about; the other columns "
                f"are any of {', '.join(_FIELDS)}")
        return {}
    key_at = next(i for i, col in columns.items() if col == _KEY)
    stems = {Path(f).stem: f for f in files or ()}
    rows: dict[str, dict] = {}
    line_of: dict[str, int] = {}
    unnamed = False
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        extra = [i for i, c in enumerate(cells) if c.strip() and (i >= len(header) or not header[i].strip())]
        if extra and not unnamed:   # a column without a name, or an unquoted comma inside a cell
            unnamed = True
            problem(line, f"a cell in column {extra[0] + 1}, which has no name in the header: cells without a "
                          "column name are not used (reported once)",
                    'give the column a name, or write a cell that contains a comma in "double quotes"')
        key = cells[key_at].strip() if key_at < len(cells) else ""
        if not key:
            problem(line, f"no {_KEY}: the row is not used", _KEEP_NAME)
            continue
        if key in line_of:
            problem(line, f"{_KEY} {_q(key)} already has a row on line {line_of[key]}: line {line_of[key]} is used, "
                          "this one is not", "merge the two rows into one")
            continue
        line_of[key] = line
        if files is not None and key not in files:
            like = stems.get(key) or stems.get(Path(key).stem)
            problem(line, f"{_KEY} {_q(key)} matches no document of the seeds folder: the row is not used"
                          + (f" (did you mean {_q(like)}?)" if like else ""), _KEEP_NAME)
            continue
        rows[key] = {}
        for i, col in columns.items():
            raw = cells[i].strip() if i < len(cells) else ""
            if col == _KEY or not raw:
                continue
            value, why = _cell(col, raw)
            if why is None:
                rows[key][col] = value
            else:
                kept = "is left empty" if col in _NOT_INFERRED else "inferred from the text is kept"
                problem(line, f"{why[0]}; the {col} {kept}", why[1], col)
        _place_problems(rows[key], line, problem)
    return rows


def _columns(line: int, header: list[str], problem) -> dict[int, str]:
    """{index: field} of the header's usable columns (names compared without case); an unknown or repeated name
    is reported once."""
    known = (_KEY, *_FIELDS)
    out: dict[int, str] = {}
    for i, name in enumerate(header):
        col = name.strip().lstrip("\ufeff").lower()
        if col in out.values():
            first = next(j for j, c in out.items() if c == col)
            problem(line, f"appears twice (columns {first + 1} and {i + 1}): column {i + 1} is not used",
                    "delete one of the two columns", col)
        elif col in known:
            out[i] = col
        elif col:
            like = difflib.get_close_matches(col, known, n=1)
            problem(line, "not a metadata field: its cells are not used" + (f" (did you mean {like[0]}?)" if like
                                                                             else ""),
                    f"rename it to one of {', '.join(known)}, or delete it", _q(name.strip()))
    return out


def _records(reader, problem) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each record; a record that is not valid CSV is reported and skipped."""
    end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            unclosed = "end of data" in str(err)
            problem(end + 1, "a quoted cell that starts on this line is never closed: this line and the ones after "
                             "it are not used" if unclosed else f"not valid CSV ({err}): the row is not used",
                    'write a cell that holds a comma, a quote or a line break in "double quotes", a quote inside '
                    'it as ""')
            end = reader.line_num
            continue
        yield end + 1, cells   # a quoted cell may span lines: the record's first line
        end = reader.line_num


def _cell(field: str, raw: str) -> tuple[object, tuple[str, str] | None]:
    """(value, None) when ``raw`` fits ``field`` as the documents table accepts it, else (None, (why, what to do))."""
    if field in _INT_FIELDS:
        if not re.fullmatch(r"\d{1,9}(?:\.0*)?", raw):  # more digits: no year
            return None, (f"{_q(raw)} is not a year", _YEAR_HINT)
        year = int(raw.split(".")[0])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            return None, (f"{_q(raw)} is not a year from {FIRST_YEAR} to {LAST_YEAR}", _YEAR_HINT)
        return year, None
    if field in _CHOICES:
        allowed = _CHOICES[field]
        if raw.lower() not in allowed:
            return None, (f"{_q(raw)} is not a {field}", f"write one of {', '.join(a for a in allowed if a)}, "
                                                           "or leave the cell empty")
        return raw.lower(), None
    if field in ("date", "retrieved"):
        try:
            ok = bool(re.fullmatch(ISO_DATE, raw)) and bool(datetime.date.fromisoformat(raw))
        except ValueError:
            ok = False
        if not ok:
            return None, (f"{_q(raw)} is not a date of the calendar written YYYY-MM-DD", _DATE_HINT)
    if field == "place_code":
        code = raw.split(".")[0] if re.fullmatch(r"\d{6}(?:\.0*)?", raw) else ""   # a spreadsheet's 410100.0
        if not code:
            return None, (f"{_q(raw)} is not a 6-digit administrative division code", _CODE_HINT)
        if not places.place_of_code(code).code:
            return None, (f"{_q(raw)} is no division of the code table (pipeline/vocab/divisions.csv)", _CODE_HINT)
        return code, None
    if field == "source_url" and not _web_address(raw):
        return None, (f"{_q(raw)} is not a web address (http:// or https://, a host, no spaces)", _URL_HINT)
    return raw, None


def _web_address(raw: str) -> bool:
    """Whether ``raw`` is an http or https address with a host and no spaces or control characters."""
    if not re.fullmatch(SOURCE_URL, raw) or any(ord(c) < 32 or ord(c) == 127 for c in raw):
        return False
    try:
        parts = urllib.parse.urlsplit(raw)
    except ValueError:    # e.g. an unclosed [ in the host
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _q(value: str, most: int = 60) -> str:
    """A value of the file quoted for a message, cut to ``most`` characters."""
    return repr(value if len(value) <= most else value[:most] + "…")
