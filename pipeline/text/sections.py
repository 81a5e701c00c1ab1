"""The heading tree of a clean text: markdown '#' headings, bold **…** heading lines and bold lead-ins,
numbered headings (一、 （一） 1. 第X部分), short plain heading lines and a title line; each section with its
part (front / review / plan / proposals). Only top-level headings (the first level below the title block)
switch the part, by the keywords of pipeline/vocab/parts.toml or a plan year; deeper headings inherit it.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from pipeline.text.clean_lex import is_cjk
from pipeline.text.model import Section
from pipeline.vocab import load


@dataclass(frozen=True)
class HeadingLine:
    """A heading found on one line: its span (markup included), its text without markup, its style."""

    start: int
    end: int
    text: str
    style: str           # "md1".."md6" | "part" | "cn" | "cn_paren" | "arabic" | "arabic_paren" | "bold" | "title"
    inline: bool = False  # a lead-in heading followed by body text on the same line


@cache
def _patterns() -> dict[str, re.Pattern]:
    n = load("headings")["numbering"]["numerals"]
    return {
        "part": re.compile(f"^第[{n}\\d]+(?:部分|章|篇)"),
        "cn": re.compile(f"^[{n}]+、"),
        "cn_paren": re.compile(f"^[（(][{n}]+[）)]"),
        "arabic": re.compile(r"^\d{1,2}(?:[.．](?!\d)|、)"),
        "arabic_paren": re.compile(r"^[（(]\d{1,2}[）)]"),
    }


def _numbering(text: str) -> str | None:
    for style, pat in _patterns().items():
        if pat.match(text):
            return style
    return None


def is_byline(line: str) -> bool:
    s = line.strip()
    return len(s) <= 40 and s.startswith(_byline_prefixes())


@cache
def _byline_prefixes() -> tuple[str, ...]:
    return tuple(load("headings")["byline"]["prefixes"])


_MD = re.compile(r"^(#{1,6})[ \t]*(.*?)[ \t#]*$")
_BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*[ \t]*$")
_BOLD_LEAD = re.compile(r"^\*\*(.+?)\*\*(?=\S)")


@lru_cache(maxsize=4096)
def heading_in_line(line: str, offset: int = 0) -> HeadingLine | None:
    """The heading a line holds (None for a body line). ``offset`` is the line's start in the text. Cached: the
    cleaning rules and the sections ask about the same lines of a document (a HeadingLine is immutable)."""
    cfg = load("headings")["numbering"]
    s = line.rstrip()
    if not s.strip() or is_byline(s):
        return None
    m = _MD.match(s)
    if m and m.group(2):
        return HeadingLine(offset, offset + len(s), m.group(2), f"md{len(m.group(1))}")
    m = _BOLD_LINE.match(s)
    if m:
        inner = m.group(1).strip()
        return HeadingLine(offset, offset + len(s), inner, _numbering(inner) or "bold")
    m = _BOLD_LEAD.match(s)
    if m and len(m.group(1)) <= cfg["max_heading_chars"]:
        inner = m.group(1).strip()
        return HeadingLine(offset, offset + m.end(), inner, _numbering(inner) or "bold", inline=True)
    style = _numbering(s)
    if style:
        body = s.rstrip("。")
        if len(s) <= cfg["max_heading_chars"] and "。" not in body and not re.search("[，；,;]", body[-1:]):
            return HeadingLine(offset, offset + len(s), s, style)
        lead = re.match("^[^。！？]+[。！？]", s)
        if lead and len(lead.group()) <= cfg["max_lead_chars"] and lead.end() < len(s) and "，" not in lead.group():
            return HeadingLine(offset, offset + lead.end(), lead.group(), style, inline=True)
    return None


def heading_lines(clean: str) -> list[HeadingLine]:
    """Every heading of the text, in order (the first line counts as a title when it looks like one).

    Besides :func:`heading_in_line`, a short unpunctuated stand-alone line with a part keyword or a year plus
    工作/任务 ("2025年主要任务") is a heading ("plain"), and a numbered line right after a line that opens an
    enumeration (ending in ： or ；) is a list item, not a heading."""
    cfg = load("headings")["list_items"]
    out, pos, first, prev = [], 0, True, ""
    for line in clean.split("\n"):
        h = heading_in_line(line, pos)
        s = line.strip()
        if h is None and first and s:
            if len(s) <= 60 and not re.search("[，。；,;]", s):
                lead = len(line) - len(line.lstrip())
                h = HeadingLine(pos + lead, pos + lead + len(s), s, "title")
        elif h is None and s and _is_plain_heading(s):
            lead = len(line) - len(line.lstrip())
            h = HeadingLine(pos + lead, pos + lead + len(s), s, "plain")
        elif (h is not None and h.style in _patterns() and prev.endswith(tuple(cfg["openers"]))
              and not any(w in prev for w in cfg["salutations"])):
            h = None
        if s:
            first = False
            prev = s
        if h:
            out.append(h)
        pos += len(line) + 1
    return out


def _is_plain_heading(s: str) -> bool:
    cfg = load("parts")["plain_heading"]
    if len(s) > cfg["max_chars"] or s.startswith(("—", "-", "－")) or is_byline(s) or _numbering(s):
        return False
    if not is_cjk(s[-1]) and not s[-1].isdigit():
        return False
    if re.search("[，。；！？,;!?：:]", s):
        return False
    if _part_keyword(s, front=False):
        return True
    return bool(re.search(r"(?<!\d)20\d\d年", s)) and any(w in s for w in cfg["year_words"])


def strip_numbering(heading: str) -> str:
    """The heading's words without its numbering (三、 （二） 1. 第二部分) and the spaces after it."""
    for pat in _patterns().values():
        m = pat.match(heading)
        if m:
            return heading[m.end():].lstrip(" \t\u3000、：:.．")
    return heading


def _part_keyword(heading: str, front: bool = True) -> str | None:
    parts = load("parts")["parts"]
    for part in ("proposals", "plan", "review", "front"):
        if part == "front" and not front:
            continue
        if any(k in heading for k in parts[part]):
            return part
    return None


def _levels(heads: list[HeadingLine]) -> list[int]:
    """Markdown '#' count; numbered (and plain) styles ranked by first appearance, below the enclosing
    markdown level; a title is level 1."""
    ranks: dict[str, int] = {}
    levels, md_level = [], 0
    for h in heads:
        if h.style.startswith("md"):
            md_level = int(h.style[2:])
            levels.append(md_level)
        elif h.style == "title":
            levels.append(1)
            md_level = max(md_level, 1)
        else:
            ranks.setdefault(h.style, len(ranks) + 1)
            levels.append(md_level + ranks[h.style])
    return levels


def _title_block(heads: list[HeadingLine], levels: list[int]) -> set[int]:
    """Indices of the title block: the first heading when it is a title line or a '#' heading no other heading
    shares the level of (and names no review/plan part), and the subtitle lines (——…) right after it."""
    if not heads:
        return set()
    h0 = heads[0]
    lone_md = h0.style == "md1" and all(lv > levels[0] for lv in levels[1:])
    if h0.style != "title" and not lone_md or _part_keyword(h0.text) in ("review", "plan"):
        return set()
    block = {0}
    for k in range(1, len(heads)):
        if not heads[k].text.startswith(("—", "－－", "--")):
            break
        block.add(k)
    return block


def _review_year(years: list[int]) -> int | None:
    """The year the review part mostly talks about (ties: the later one)."""
    if not years:
        return None
    counts: dict[int, int] = {}
    for y in years:
        counts[y] = counts.get(y, 0) + 1
    return max(counts, key=lambda y: (counts[y], y))


def split_sections(clean: str) -> list[Section]:
    heads = heading_lines(clean)
    levels = _levels(heads)
    block = _title_block(heads, levels)
    body_levels = [lv for k, lv in enumerate(levels) if k not in block]
    top = min(body_levels) if body_levels else 0
    bounds = [h.start for h in heads] + [len(clean)]
    first_start = heads[0].start if heads else len(clean)
    sections = [Section(0, None, 0, "", "front", 0, 0, 0, first_start)]
    parts_cfg = load("parts")
    year_re = re.compile(parts_cfg["plan_year"]["pattern"])
    date_years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d)年", clean[:first_start])]
    review_years: list[int] = []
    seen_body = False     # a numbered / markdown / bold heading of the body has been seen
    stack: list[tuple[int, int]] = []  # (level, index)
    for k, h in enumerate(heads):
        idx = k + 1
        level = levels[k]
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        body = clean[h.end:bounds[k + 1]]
        ancestor = next((i for lv, i in reversed(stack) if lv >= top and i - 1 not in block), None)
        if k in block:
            part = "proposals" if _part_keyword(h.text) == "proposals" else "front"
        elif ancestor is not None and level > top:
            part = sections[ancestor].part   # deeper headings inherit; only the top level switches parts
        else:
            part = _top_part(h, k, sections, level, seen_body, review_years, date_years, year_re)
        if part == "front" and re.match(r"\s*(" + "|".join(map(re.escape, _review_openers())) + ")", body):
            part = "review"
        if k in block and part == "front":
            date_years += [int(y) for y in re.findall(r"(?<!\d)(20\d\d)年", body)]
        if part == "review":
            review_years += [int(y) for y in re.findall(r"(?<!\d)(20\d\d)年", body)]
        if k not in block and h.style not in ("title", "plain"):
            seen_body = True
        sections.append(Section(idx, parent, level, h.text, part, h.start, h.end, h.start, bounds[k + 1]))
        stack.append((level, idx))
    return _headless_body(clean, sections, {k + 1 for k in block})


def _headless_body(clean: str, sections: list[Section], block: set[int]) -> list[Section]:
    """A body without headings (only a title block, then text up to the end or to a proposals part) gets a part
    per paragraph from the report-frame cues of ``parts.toml`` [paragraph_parts]: the paragraphs become
    heading-less sections (empty heading span at the paragraph start) below the title, runs of one part merged."""
    host = sections[max(block)] if block else sections[0]
    if host.part != "front" or any(s.part != "proposals" for s in sections[1:] if s.index not in block):
        return sections
    start = host.heading_end
    runs: list[tuple[int, str]] = []     # (start, part) of each run of paragraphs of one part
    part, pos = "front", 0
    for line in clean[start:host.char_end].split("\n"):
        a = start + pos + len(line) - len(line.lstrip())
        pos += len(line) + 1
        if not line.strip():
            continue
        new = _paragraph_part(line.strip(), part)
        if not runs or new != runs[-1][1]:
            runs.append((a, new))
        part = new
    if not runs or runs == [(runs[0][0], "front")]:
        return sections
    if runs[0][1] == "front":
        host_end, runs = runs[1][0], runs[1:]
    else:
        host_end = runs[0][0]
    shift = len(runs)
    out = [dataclasses.replace(s, char_end=host_end) if s.index == host.index else s
           for s in sections[:host.index + 1]]
    ends = [a for a, _ in runs[1:]] + [host.char_end]
    for j, ((a, p), b) in enumerate(zip(runs, ends)):
        out.append(Section(host.index + 1 + j, host.index or None, host.level + 1, "", p, a, a, a, b))
    for s in sections[host.index + 1:]:
        parent = s.parent + shift if s.parent is not None and s.parent > host.index else s.parent
        out.append(dataclasses.replace(s, index=s.index + shift, parent=parent))
    return out


def _paragraph_part(para: str, previous: str) -> str:
    """The part of one paragraph of a heading-less body, given the part of the paragraph before it."""
    cfg = load("parts")
    pp, plan_words = cfg["paragraph_parts"], cfg["parts"]["plan"]
    head = para[:pp["cue_window"]]
    if previous == "front" and (any(w in head for w in pp["lead"])
                                or para.startswith(tuple(cfg["parts"]["front"]))):   # 本报讯… / 各位代表：
        return "front"
    if any(w in head for w in pp["plan"]):
        if (any(w in para for w in pp["modals"]) or any(w in para for w in plan_words)
                or re.search(r"(?<!\d)20\d\d年", para)):
            return "plan"
    if any(w in head for w in pp["review"] + pp["plan"]):
        return "review"
    if any(para.startswith(w) for w in plan_words):
        return "plan"
    return "review" if previous == "front" else previous


def _top_part(h: HeadingLine, k: int, sections: list[Section], level: int, seen_body: bool,
              review_years: list[int], date_years: list[int], year_re: re.Pattern) -> str:
    """The part a top-level heading opens: its keyword, else plan when it names a year later than the year the
    review text mostly talks about (or not earlier than the front matter's date), else the previous top-level
    section's part."""
    text = strip_numbering(h.text)
    # front keywords only before the body's first heading, and never on a numbered heading
    numbered = h.style in _patterns()
    part = _part_keyword(text, front=not seen_body and not numbered)
    if part in (None, "front"):
        ym = year_re.search(text)
        if ym:
            year = int(ym.group(1))
            ref = _review_year(review_years)
            if ref is not None or date_years:
                is_plan = (ref is not None and year > ref) or (bool(date_years) and year >= date_years[0])
            else:
                is_plan = any(s.part == "review" for s in sections[1:])
            if is_plan:
                return "plan"
    if part is not None:
        return part
    previous = [s for s in sections[1:] if s.level <= level]
    all_front = all(s.part == "front" for s in sections)
    if all_front and (h.style == "title" or k == 0 or h.text.startswith("—")):
        return "front"
    if previous:
        return "review" if previous[-1].part == "front" else previous[-1].part
    return "front" if all_front and k == 0 else "review"


@cache
def _review_openers() -> tuple[str, ...]:
    return tuple(k for k in load("parts")["parts"]["review"] if k.endswith(("一年", "五年", "以来", "年来")))


def section_at(sections: list[Section], offset: int) -> Section:
    """The innermost section whose span holds ``offset`` (sections do not nest in their spans)."""
    for s in reversed(sections):
        if s.char_start <= offset < s.char_end or (s.char_start == offset == s.char_end):
            return s
    return sections[-1] if sections and offset >= sections[-1].char_start else sections[0]
