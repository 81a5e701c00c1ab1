"""The heading tree of a clean text: markdown '#' headings, bold **…** heading lines and bold lead-ins,
numbered headings (一、 （一） 1. 第X部分) and a title line; each section with its part (front / review /
plan / proposals) from the part keywords of pipeline/vocab/parts.toml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

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
    return len(s) <= 40 and any(s.startswith(p) for p in load("headings")["byline"]["prefixes"])


_MD = re.compile(r"^(#{1,6})[ \t]*(.*?)[ \t#]*$")
_BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*[ \t]*$")
_BOLD_LEAD = re.compile(r"^\*\*(.+?)\*\*(?=\S)")


def heading_in_line(line: str, offset: int = 0) -> HeadingLine | None:
    """The heading a line holds (None for a body line). ``offset`` is the line's start in the text."""
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
    """Every heading of the text, in order (the first line counts as a title when it looks like one)."""
    out, pos, first = [], 0, True
    for line in clean.split("\n"):
        h = heading_in_line(line, pos)
        if h is None and first and line.strip():
            s = line.strip()
            if len(s) <= 60 and not re.search("[，。；,;]", s):
                lead = len(line) - len(line.lstrip())
                h = HeadingLine(pos + lead, pos + lead + len(s), s, "title")
        if line.strip():
            first = False
        if h:
            out.append(h)
        pos += len(line) + 1
    return out


def _part_keyword(heading: str) -> str | None:
    parts = load("parts")["parts"]
    for part in ("proposals", "plan", "review", "front"):
        if any(k in heading for k in parts[part]):
            return part
    return None


def split_sections(clean: str) -> list[Section]:
    heads = heading_lines(clean)
    # levels: markdown '#' count; numbered styles ranked by first appearance, below the enclosing markdown level
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
    bounds = [h.start for h in heads] + [len(clean)]
    first_start = heads[0].start if heads else len(clean)
    sections = [Section(0, None, 0, "", "front", 0, 0, 0, first_start)]
    review_years: list[int] = []
    parts_cfg = load("parts")
    year_re = re.compile(parts_cfg["plan_year"]["pattern"])
    stack: list[tuple[int, int]] = []  # (level, index)
    for k, h in enumerate(heads):
        idx = k + 1
        level = levels[k]
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        body = clean[h.end:bounds[k + 1]]
        part = _part_keyword(h.text)
        ym = year_re.match(h.text)
        if ym and review_years and int(ym.group(1)) >= max(review_years):
            part = "plan"
        previous = [s for s in sections[1:] if s.level <= level]
        all_front = all(s.part == "front" for s in sections)
        if part is None:
            if all_front and (h.style == "title" or k == 0 or h.text.startswith("—")):
                part = "front"
            elif previous:
                part = previous[-1].part
                if part == "front":
                    part = "review"
            else:
                part = "front" if all_front and k == 0 else "review"
        if part == "front" and re.match(r"\s*(" + "|".join(map(re.escape, _review_openers())) + ")", body):
            part = "review"
        if part == "review":
            review_years += [int(y) for y in re.findall(r"(20\d\d)年", body)]
        sections.append(Section(idx, parent, level, h.text, part, h.start, h.end, h.start, bounds[k + 1]))
        stack.append((level, idx))
    return sections


@cache
def _review_openers() -> tuple[str, ...]:
    return tuple(k for k in load("parts")["parts"]["review"] if k.endswith(("一年", "五年", "以来", "年来")))


def section_at(sections: list[Section], offset: int) -> Section:
    """The innermost section whose span holds ``offset`` (sections do not nest in their spans)."""
    for s in reversed(sections):
        if s.char_start <= offset < s.char_end or (s.char_start == offset == s.char_end):
            return s
    return sections[-1] if sections and offset >= sections[-1].char_start else sections[0]
