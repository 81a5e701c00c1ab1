"""What a document says about itself: title, issuer, place and level, genre, date, meeting, speaker,
review period and plan year; plus the optional per-file overrides of ``seeds/metadata.csv``.

Reads the front matter and the part tags of the sections; vocabulary ``pipeline/vocab/metadata.toml``.
Extraction stage.
"""
from __future__ import annotations

import csv
import dataclasses
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.extract.model import DocumentMeta
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
    wrapped_short: str
    issuers: dict[str, str]
    divisions: dict[str, str]
    national: tuple[str, ...]
    provinces: dict[str, str]
    municipalities: frozenset[str]
    city_province: dict[str, str]
    cppcc_issuers: tuple[str, ...]
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
        issuers=dict(v["issuers"]),
        divisions=dict(v["division_suffixes"]),
        national=tuple(v["national"]["words"]),
        provinces=dict(v["provinces"]),
        municipalities=frozenset(v["municipalities"]["names"]),
        city_province=_city_province(),
        cppcc_issuers=tuple(g["cppcc_issuers"]),
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


def _city_province() -> dict[str, str]:
    """City or prefecture (full name and short stem: 宜宾市 / 宜宾, 延边朝鲜族自治州 / 延边) -> province,
    from ``pipeline/vocab/cities.toml``. A stem equal to a province's short name (海南藏族自治州 / 海南)
    is kept only as a full name."""
    c = load("cities")
    provinces = load("metadata")["provinces"]
    short_provinces = set(provinces.values())
    out: dict[str, str] = {}
    for table in ("provinces", "provincial_county_cities"):
        for prov, names in c[table].items():
            for full in names:
                out[full] = prov
                stem = c["prefecture_short"].get(full) or re.sub(r"(?:市|地区|盟|林区|县)$", "", full)
                if len(stem) >= 2 and stem not in short_provinces:
                    out.setdefault(stem, prov)
    return out


def _lines(text: str) -> list[str]:
    return [ln.strip().strip("#*").strip() for ln in text.splitlines() if ln.strip().strip("#*").strip()]


def _num(s: str) -> int | None:
    """A year, month or day written in Arabic or Chinese numerals (二〇二三, 十二), or None."""
    try:
        return int(parse_numeral(s))
    except ValueError:
        return None


def _place(prefix: str, v: _Vocab) -> tuple[str, str, str]:
    """(province, city, level) of an issuer's place prefix."""
    if not prefix:
        return "", "", ""
    if prefix == "全国":
        return "", "", "national"
    province = next((p for p in longest_first(v.provinces) if prefix.startswith(p)), "")
    if not province:
        province = next((p for p, short in v.provinces.items() if prefix.startswith(short)
                         and prefix[len(short):] in ("", "省")), "")
    rest = prefix[len(province):] if prefix.startswith(province) else ""
    if province in v.municipalities:
        if rest:   # a district of a municipality
            return province, "", "county"
        return province, "", "provincial"
    if province and not rest:
        return province, "", "provincial"
    place = rest or prefix
    level = next((lv for suf, lv in sorted(v.divisions.items(), key=lambda x: -len(x[0]))
                  if place.endswith(suf)), "")
    city = place if level == "municipal" else ""
    if level == "county":     # a district of a city: the city; a county directly named: the county itself
        m = re.match(rf"^([{CJK}]{{2,8}}?[市州盟])(?=.)", place)
        city = m.group(1) if m else place
    return province, city, level


def _issuer(front: str, v: _Vocab) -> tuple[str, str]:
    """(issuer as written in short form, its place prefix)."""
    for ln in _lines(front)[:6]:
        m = v.wrapped_re.search(ln)     # 政协宜宾市委员会
        if m:
            return m.group(1) + v.wrapped_short, m.group(1)
        for m in v.issuer_re.finditer(ln):
            prefix = m.group(1) or ""
            if prefix.startswith(("受", "在", "向")):
                continue
            body = v.issuers[m.group(2)]
            if prefix or m.group(2) in ("人民代表大会常务委员会", "人大常委会"):
                return prefix + body, prefix
    return "", ""


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


def _province_from_text(clean: str, city: str, v: _Vocab) -> str:
    for key in (city, re.sub(r"(?:市|地区|盟|州)$", "", city)):
        if key and key in v.city_province:
            return v.city_province[key]
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
    province, city, level = _place(prefix, v)
    if not level and any(w in front for w in v.national):
        level = "national"
    if city and not province:
        province = _province_from_text(clean, city, v)
    date, meeting = _date(front, v)
    plan_year = _plan_year(clean, sections, date, v)
    if not date:
        date, meeting = _press_date(front, plan_year, v)
    review_start, review_end = _review(clean, sections, plan_year, v)
    return DocumentMeta(title=title, issuer=issuer, city=city, province=province, level=level,
                        genre=_genre(clean, sections, title, front, issuer, v), date=date, meeting=meeting,
                        speaker=_speaker(front, v), review_start=review_start, review_end=review_end,
                        plan_year=plan_year)


def load_overrides(path: str | Path) -> dict[str, dict]:
    """Rows of an optional metadata CSV keyed by source_file (and by its stem); {} when absent."""
    p = Path(path)
    if not p.is_file():
        return {}
    out: dict[str, dict] = {}
    with p.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            key = (row.get("source_file") or "").strip()
            if not key:
                continue
            clean_row = {k.strip(): (val or "").strip() for k, val in row.items() if k and k != "source_file"}
            out[key] = clean_row
            out.setdefault(Path(key).stem, clean_row)
    return out


def apply_overrides(meta: DocumentMeta, row: dict) -> DocumentMeta:
    """``meta`` with every non-empty DocumentMeta field of ``row`` replacing the inferred value."""
    names = {f.name for f in dataclasses.fields(DocumentMeta)}
    changes: dict = {}
    for k, val in row.items():
        if k not in names or val is None or str(val).strip() == "":
            continue
        if k in _INT_FIELDS:
            try:
                changes[k] = int(float(str(val).strip()))
            except ValueError:
                continue
        else:
            changes[k] = str(val).strip()
    return dataclasses.replace(meta, **changes)
