"""CPPCC proposals (提案) in the proposals part of a clean text: title, proposer, recommendations.

Works on the lines of that part: title lines (markdown, bold or short unpunctuated lines; list numbering
dropped), proposer lines, paragraphs up to a handling report, bylines. Repairs two layout accidents: paragraphs split by a page break and a title misplaced into the
previous proposal's body. Vocabulary: ``pipeline/vocab/proposals.toml``. Extraction stage.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pipeline.extract.model import Proposal, Recommendation
from pipeline.text.model import Section, Sentence
from pipeline.vocab import alternation, load, longest_first

_TERMINAL = "。！？!?；;…”’」）)"
_CLAUSE_PUNCT = "，。；：！？,;:!?"
_MD_HEADING = re.compile(r"^(#{1,6})\s*(.+?)\s*#*$")
_BOLD_HEADING = re.compile(r"^\*\*(.+?)\*\*$")


@dataclass(frozen=True)
class _Vocab:
    container: tuple[str, ...]
    container_short: tuple[str, ...]
    container_max: int
    title_starts: tuple[str, ...]
    byline: tuple[str, ...]
    prefix_re: re.Pattern
    member_titles: tuple[str, ...]
    name_re: re.Pattern
    names_re: re.Pattern
    member_re: re.Pattern
    org_re: re.Pattern
    org_end_re: re.Pattern
    parties: tuple[str, ...]
    groups: tuple[str, ...]
    summary: re.Pattern
    background: tuple[str, ...]     # longest first
    lead_max: int
    title_max: int
    line_not_starts: tuple[str, ...]
    progress_start_re: re.Pattern
    progress_inline_re: re.Pattern
    matter: tuple[str, ...]
    matter_brackets: tuple[tuple[str, str], ...]
    source_note_re: re.Pattern
    numbering_re: re.Pattern
    suffixed_re: re.Pattern
    suffixed_head_re: re.Pattern
    member_after_re: re.Pattern
    description_re: re.Pattern
    recommending_verbs: tuple[str, ...]
    lead_re: re.Pattern
    body_cues: tuple[str, ...]
    enum_res: tuple[re.Pattern, ...]
    enum_numerals: str
    enum_before: str


@cache
def vocab() -> _Vocab:
    """The proposal layout vocabularies, loaded once."""
    v = load("proposals")
    m, o, c, px = v["member"], v["organisation"], v["container"], v["prefix"]
    verbs = alternation(m["verbs"])
    names = f"{m['name_chars']}(?:[、和]{m['name_chars']})*?"
    pr, li = v["progress"], v["lead_in"]
    marker = alternation(pr["words"])
    colon = f"[{re.escape(pr['colons'])}]"
    bracketed = "|".join(f"{re.escape(a)}[ \t\u3000]*(?:{marker})[ \t\u3000]*(?:{re.escape(b)}|{colon})"
                         for a, b in pr["brackets"])
    opens = "".join(re.escape(a) for a, _ in v["matter"]["brackets"])
    closes = "".join(re.escape(b) for _, b in v["matter"]["brackets"])
    desc_open = "".join(re.escape(a) for a, _ in m["descriptions"])
    desc_close = "".join(re.escape(b) for _, b in m["descriptions"])
    org = (rf"(?:[^{_CLAUSE_PUNCT}\s]{{2,{int(o['max_len'])}}}?(?:{alternation(o['suffixes'])})"
           rf"|[^{_CLAUSE_PUNCT}\s]{{0,{int(o['max_len'])}}}?(?:{alternation(o['standalone'])}))")
    return _Vocab(
        container=longest_first(c["words"]),
        container_short=longest_first(c["short_words"]),
        container_max=int(c["max_len"]),
        title_starts=tuple(c["title_starts"]),
        byline=longest_first(v["byline"]["starts"]),
        prefix_re=re.compile(rf"(?:{alternation(px['words'])})[\s]*[{re.escape(px['separators'])}][\s]*"),
        member_titles=longest_first(m["titles"]),
        name_re=re.compile(rf"^{m['name_chars']}$"),
        names_re=re.compile(rf"^{m['name_chars']}(?:[、和]{m['name_chars']})*$"),
        member_re=re.compile(
            f"(?:{alternation(m['titles'])})"
            + f"({m['name_chars']}(?:[、和]{m['name_chars']})*?)等?(?:{verbs})"),
        org_re=re.compile(f"({org})(?:{verbs})"),
        org_end_re=re.compile(f"^({org})$"),
        parties=longest_first(v["parties"]["names"]),
        groups=longest_first(v["groups"]["words"]),
        summary=re.compile(v["summary"]["pattern"]),
        background=longest_first(v["background"]["cues"]),
        lead_max=int(v["style"]["lead_max"]),
        title_max=int(v["title"]["max_len"]),
        line_not_starts=longest_first(v["proposer_line"]["not_starts"]),
        progress_start_re=re.compile(rf"^(?:{bracketed}|(?:{marker})[ \t\u3000]*(?:{colon}|$))"),
        progress_inline_re=re.compile(rf"{bracketed}|(?<=[。！？!?；;])[ \t\u3000]*(?:{marker})[ \t\u3000]*{colon}"),
        matter=longest_first(v["matter"]["starts"]),
        matter_brackets=tuple((o, c) for o, c in v["matter"]["brackets"]),
        source_note_re=re.compile(rf"[{opens}][^{opens}{closes}]{{0,40}}(?:{alternation(v['matter']['source_words'])})"
                                  rf"[{closes}][ \t\u3000]*$"),
        numbering_re=re.compile(v["title"]["numbering"]),
        suffixed_re=re.compile(rf"^({names}){m['name_suffix']}$"),
        suffixed_head_re=re.compile(rf"({names}){m['name_suffix']}(?!会)"),
        member_after_re=re.compile(rf"(?:^|(?<=[，,：:\s]))(?:{m['name_body']})?({names}){m['name_suffix']}(?:{verbs})"),
        description_re=re.compile(rf"^(.+?)[ \t\u3000]*[{desc_open}]([^{desc_open}{desc_close}]*)[{desc_close}]$"),
        recommending_verbs=tuple(m["recommending_verbs"]),
        lead_re=re.compile(
            rf"(?:(?:{alternation(li['connectives'])})[，,]?)?(?:{alternation(li['fillers'])})*"
            rf"(?:(?:{alternation(li['words'])})(?:[：:，,。]|[^。！？!?；;，,：:\n]{{0,{int(li['to_colon'])}}}[：:]"
            rf"|(?=[ \t\u3000]*(?:\n|$)))"
            rf"|(?:{alternation(li['direct'])})(?![{li['not_followed_by']}]))"),
        body_cues=tuple(v["body"]["cues"]),
        enum_res=tuple(re.compile(p) for p in v["enumeration"]["patterns"]),
        enum_numerals=v["enumeration"]["numerals"],
        enum_before=v["enumeration"]["before"],
    )


@dataclass
class _Para:
    start: int
    end: int
    interrupted: bool = False   # ended without terminal punctuation (page break, misplaced heading)


@dataclass
class _Item:
    title: str
    title_start: int
    title_end: int
    paras: list[_Para] = field(default_factory=list)
    proposer: tuple[str, str, int] | None = None    # from a proposer line right under the title
    closed: bool = False    # ended by a handling report, back matter or a byline: nothing runs on into the next


def _lines(clean: str, start: int, end: int):
    """(start, end, text) of every non-blank line in the span, stripped."""
    pos = start
    for raw in clean[start:end].split("\n"):
        s, e = pos, pos + len(raw)
        pos = e + 1
        text = raw.strip()
        if text:
            lead = len(raw) - len(raw.lstrip())
            yield s + lead, s + lead + len(text), text


def _heading_text(line: str) -> tuple[str, int] | None:
    """Heading text and its offset inside the line for markdown/bold headings."""
    m = _MD_HEADING.match(line) or _BOLD_HEADING.match(line)
    if not m:
        return None
    g = m.lastindex or 1
    if not m.group(g).strip("#* "):
        return None
    return m.group(g), m.start(g)


def _is_container(text: str, v: _Vocab) -> bool:
    """A heading of the part holding proposals ("…年度重点提案选编"), not a proposal's own title."""
    text = text.strip().rstrip("。：:")
    if any(text.endswith(w) for w in v.container):
        return True
    return len(text) <= v.container_max and not text.startswith(v.title_starts) \
        and any(w in text for w in v.container + v.container_short)


def _region(clean: str, sections: list[Section], v: _Vocab) -> tuple[int, int] | None:
    parts = [s for s in sections if s.part == "proposals"]
    if parts:
        return min(s.char_start for s in parts), max(s.char_end for s in parts)
    for s, e, text in _lines(clean, 0, len(clean)):
        h = _heading_text(text)
        if _is_container(h[0] if h else text, v) and (h or not any(c in text for c in _CLAUSE_PUNCT)):
            return s, len(clean)
    return None


def _short_title(text: str, v: _Vocab) -> bool:
    return len(text) <= v.title_max and not any(c in text for c in _CLAUSE_PUNCT) \
        and text[-1] not in _TERMINAL[:-4] and not text.startswith(("#", "*")) \
        and re.search(r"[\u4e00-\u9fff]{2}", text) is not None


def _is_matter(text: str, v: _Vocab) -> bool:
    """Front/back matter of a digest: an editor's note, an explanation, a bracketed source line."""
    if text.startswith(v.matter):
        return True
    return any(text.startswith(o) and text.endswith(c) and c not in text[len(o):-len(c)]
               for o, c in v.matter_brackets)


def _strip_numbering(title: str, v: _Vocab) -> tuple[str, int]:
    """A title without its list numbering ("1.关于…的提案" → "关于…的提案") and the numbering's length."""
    m = v.numbering_re.match(title)
    if m and title[m.end():].strip():
        return title[m.end():], m.end()
    return title, 0


def _marker(text: str, v: _Vocab) -> tuple[int, int] | None:
    """(family, ordinal) of an enumeration marker opening ``text`` ("（二）…" → family of （一）, 2)."""
    for f, rx in enumerate(v.enum_res):
        m = rx.match(text)
        if m:
            return f, _ordinal(m.group(1), v)
    return None


def _continues_list(clean: str, text: str, it: _Item, v: _Vocab) -> bool:
    """``text`` opens with the marker that follows the one opening the item's last paragraph
    ("2）培育人才" after "1）建设基地…"): an item of a recommendation list, not a new title."""
    if not it.paras:
        return False
    here, last = _marker(text, v), _marker(clean[it.paras[-1].start:it.paras[-1].end], v)
    return here is not None and last is not None and here[0] == last[0] and here[1] == last[1] + 1


def _announces(text: str, v: _Vocab) -> bool:
    """``text`` is only a lead-in announcing the recommendations ("建议：", "对策建议", "具体建议如下：")."""
    m = v.lead_re.match(text)
    return m is not None and not text[m.end():].strip(" \t\u3000：:，,。")


def _items(clean: str, start: int, end: int, v: _Vocab) -> list[_Item]:
    lines = list(_lines(clean, start, end))
    marked = any(_heading_text(t) and not _is_container(_heading_text(t)[0], v) for _, _, t in lines)
    items: list[_Item] = []
    closed = True
    for i, (s, e, text) in enumerate(lines):
        h = _heading_text(text)
        if _is_matter(text if h is None else h[0], v) or v.progress_start_re.match(text if h is None else h[0]):
            closed = True   # "编者按：…", "（…供稿）", "【办理情况】…", "以上提案…": no proposal's body
            if items:
                items[-1].closed = True
            continue
        if h is None and v.prefix_re.match(text) and not re.search("[。！？!?]", text[:-1]):
            hit = _prefixed(clean, s, e, v)    # "提案人：…" is a line of its own, never the body
            if items and not closed and items[-1].proposer is None and hit:
                items[-1].proposer = hit
            continue
        who = _bare_proposer(text, v) if h is None else None
        if who:
            if items and not closed and not items[-1].paras and items[-1].proposer is None:
                items[-1].proposer = (who[0], who[1], e)   # "民建永春县总支" under a title
            continue    # a line that only names a proposer is never a title
        if h is None and not marked and i + 1 < len(lines) and not any(text.startswith(b) for b in v.byline) \
                and _short_title(_strip_numbering(text, v)[0], v) \
                and not (i > 0 and lines[i - 1][2][-1] in "：:") and not _announces(text, v) \
                and not (items and not closed and _continues_list(clean, text, items[-1], v)):
            h = (text, 0)   # a short line, not right after a lead-in colon nor the next item of a list
        if h is not None:
            title, off = h
            title = title.strip("*").strip()
            ts = s + off + max(h[0].find(title), 0)
            title, cut = _strip_numbering(title, v)
            if _is_container(title, v):
                closed = True
                continue
            items.append(_Item(title, ts + cut, ts + cut + len(title)))
            closed = False
            continue
        if any(text.startswith(b) for b in v.byline) and not v.prefix_re.match(text):
            closed = True
            if items:
                items[-1].closed = True
            continue
        if items and not closed:
            m = v.progress_inline_re.search(text, 1)
            note = v.source_note_re.search(text)
            cut = min(k for k in (m.start() if m else len(text), note.start() if note else len(text)))
            if 0 < cut < len(text):     # "…。【办理情况】…", "…。（市政协办公室整理）": the body ends there
                pe = s + len(text[:cut].rstrip())
                items[-1].paras.append(_Para(s, pe, False))
                items[-1].closed = closed = True
                continue
            # a list item without any punctuation ("（三）完善旅游服务设施") is whole, not cut by a page break
            whole = text[-1] in _TERMINAL \
                or (_marker(text, v) is not None and not any(c in text for c in _CLAUSE_PUNCT))
            items[-1].paras.append(_Para(s, e, not whole))
    return items


def _join_breaks(clean: str, items: list[_Item], v: _Vocab) -> None:
    """Join a paragraph cut by a page break or a misplaced title to its continuation; never across a
    handling report or back matter, never onto a paragraph opening the next item of a list."""
    def opens_item(p: _Para) -> bool:
        return _marker(clean[p.start:p.end], v) is not None

    for k, it in enumerate(items):
        if k + 1 < len(items) and it.paras and it.paras[-1].interrupted and not it.closed \
                and items[k + 1].paras and not opens_item(items[k + 1].paras[0]):
            it.paras.append(items[k + 1].paras.pop(0))
        merged: list[_Para] = []
        for p in it.paras:
            if merged and merged[-1].interrupted and not opens_item(p):
                merged[-1] = _Para(merged[-1].start, p.end, p.interrupted)
            else:
                merged.append(_Para(p.start, p.end, p.interrupted))
        it.paras = merged


def _org_kind(org: str, v: _Vocab) -> str:
    """party_committee for a democratic party's body (民建永春县总支), else group (工商联, 界别, 小组)."""
    return "party_committee" if any(org.startswith(w) or w in org[:8] for w in v.parties) else "group"


def _undescribed(who: str, v: _Vocab) -> tuple[str, str]:
    """``who`` without a bracketed description at its end ("陈丽华（市政协委员，市第二医院副院长）") and
    that description ('' when there is none)."""
    m = v.description_re.match(who)
    return (m.group(1), m.group(2)) if m else (who, "")


def _who(who: str, v: _Vocab) -> tuple[str, str] | None:
    """(proposer, kind) when ``who`` is a member (title + names, names + 委员, or names, optionally with a
    bracketed description) or an organisation."""
    who = _undescribed(who.strip(" \t\u3000"), v)[0]
    for t in v.member_titles:
        if who.startswith(t):
            name = who[len(t):].strip(" \t\u3000")
            return (name, "member") if v.names_re.match(name) else None
    m = v.suffixed_re.match(who)
    if m:
        return m.group(1), "member"
    parts = [v.suffixed_re.match(w) for w in who.split("、")]
    if len(parts) > 1 and all(parts):       # "李红梅委员、赵强委员"
        return "、".join(p.group(1) for p in parts), "member"
    if v.org_end_re.match(who):
        return who, _org_kind(who, v)
    if v.names_re.match(who):
        return who, "member"
    return None


def _bare_proposer(line: str, v: _Vocab) -> tuple[str, str] | None:
    """A short line with no sentence punctuation that is only a proposer: a member's title and name
    ("县政协委员陈丽华"), names followed by 委员 ("王建国委员"), a name with a description naming a member
    ("陈丽华（市政协委员，…）") or an organisation ("民建永春县总支", "县工商联"); a bare name is not enough."""
    line = line.strip(" \t\u3000*#")
    base, desc = _undescribed(line, v)
    if not base or any(c in base for c in _CLAUSE_PUNCT) or base.startswith(v.title_starts + v.line_not_starts):
        return None
    if desc and v.names_re.match(base) and any(t in desc for t in v.member_titles):
        return base, "member"
    if not base.startswith(v.member_titles) and not v.org_end_re.match(base) and not v.suffixed_re.match(base):
        return None
    return _who(base, v)


def _prefixed(clean: str, start: int, end: int, v: _Vocab) -> tuple[str, str, int] | None:
    """"提案人：民进宜宾市委员会" / "提案人：市政协委员　陈刚" / "提案人：陈丽华（市政协委员，…）": the rest
    of the line, up to a clause mark outside brackets, names the proposer."""
    m = v.prefix_re.match(clean, start, end)
    if not m:
        return None
    depth, stop = 0, end
    for k in range(m.end(), end):
        c = clean[k]
        depth += (c in "（(〔[【") - (c in "）)〕]】")
        if c == "\n" or (depth <= 0 and c in "。；;，,"):
            stop = k
            break
    hit = _who(clean[m.end():stop].strip(), v)
    if hit:
        return hit[0], hit[1], stop
    names, last = [], m.end()     # "提案人：王建国委员" (or "李红梅委员、赵强委员") run into the next line
    while (h := v.suffixed_head_re.match(clean, last + bool(names), stop)) is not None:
        names.append(h.group(1))
        last = h.end()
        if last >= stop or clean[last] != "、":
            break
    return ("、".join(names), "member", last) if names else None


def _head_proposer(clean: str, start: int, end: int, v: _Vocab) -> tuple[str, str, int] | None:
    """(proposer, kind, end of the proposer phrase) named at the head of a sentence at ``start``."""
    hit = _prefixed(clean, start, end, v)
    if hit:
        return hit
    head = clean[start:min(end, start + 60)]
    m = v.member_re.search(head)
    if m and not any(c in head[:m.start()] for c in "。；;"):
        return m.group(1), "member", start + m.end()
    m = v.member_after_re.search(head)      # "王建国委员建议，…", "市政协王建国委员提出"
    if m and not any(c in head[:m.start()] for c in "。；;"):
        return m.group(1), "member", start + m.end()
    m = v.org_re.search(head)
    if m and not any(c in head[:m.start()] for c in _CLAUSE_PUNCT):
        return m.group(1), _org_kind(m.group(1), v), start + m.end()
    return None


def _proposer(clean: str, p: _Para, v: _Vocab, first: bool = False) -> tuple[str, str, int] | None:
    """(proposer, kind, end of the proposer phrase) named at the head of a paragraph or, in a
    proposal's first paragraph, at the head of any of its sentences ("当前…。民盟X委员会建议：")."""
    starts = [p.start]
    if first:
        starts += [m.end() for m in re.finditer("[。！？!?]", clean[p.start:p.end]) if p.start + m.end() < p.end]
        starts = [p.start] + [p.start + k for k in starts[1:]]
    for s in starts:
        while s < p.end and clean[s] in " \t\u3000":
            s += 1
        hit = _head_proposer(clean, s, p.end, v)
        if hit:
            return hit
    return None


def _style(clean: str, p: _Para, v: _Vocab) -> str:
    text = clean[p.start:p.end]
    m = re.search("[。！？!?]", text)
    return "lead" if m and m.end() <= v.lead_max else "clause"


def _reassign_displaced(clean: str, items: list[_Item], named: list[bool], v: _Vocab) -> None:
    """A title moved into the previous proposal: its leading paragraphs written in the previous
    proposal's style (and before a style switch) belong to the previous proposal."""
    for k in range(1, len(items)):
        prev, cur = items[k - 1], items[k]
        if named[k] or not named[k - 1] or len(cur.paras) < 2 or not prev.paras:
            continue
        prev_style = _style(clean, prev.paras[-1], v)
        styles = [_style(clean, p, v) for p in cur.paras]
        n = 0
        while n < len(styles) and styles[n] == prev_style:
            n += 1
        if 0 < n < len(styles) and all(s != prev_style for s in styles[n:]):
            prev.paras.extend(cur.paras[:n])
            del cur.paras[:n]


def _split_clauses(clean: str, start: int, end: int) -> list[tuple[int, int]]:
    out, s = [], start
    for i in range(start, end):
        if clean[i] in "；;":
            out.append((s, i + 1))
            s = i + 1
    if clean[s:end].strip():
        out.append((s, end))
    return out


def _trim(clean: str, a: int, b: int) -> tuple[int, int]:
    while a < b and clean[a] in " \t\n，,：:":
        a += 1
    while b > a and clean[b - 1] in " \t\n":
        b -= 1
    return a, b


def _ordinal(tok: str, v: _Vocab) -> int:
    if len(tok) == 1 and "①" <= tok <= "⑳":     # before isdigit(), which holds for circled digits
        return ord(tok) - ord("①") + 1
    if tok.isdecimal():
        return int(tok)
    if len(tok) == 1:
        return v.enum_numerals.find(tok) + 1
    return 0    # 十一 and beyond: lists that long are not split on markers


def _enumerated(clean: str, paras: list[_Para], v: _Vocab) -> list[tuple[int, int]] | None:
    """Recommendation spans from an ordered marker run (一是…二是…, 第一，…, （一）…, 1.…, 1）…) over the
    paragraphs: each from its marker to the next marker or the end of its paragraph. None when no
    family of markers runs 1, 2, … at least twice. A family may run more than once (problems listed
    一是…二是… before the recommendations): its longest run counts, the later one on a tie. Across
    families a run whose markers all open lines beats runs inside sentences (an outer list (一)… holding
    inner lists 一是…), then the longer, then the one starting first."""
    best: tuple[tuple[bool, int, int], list[tuple[int, int]]] | None = None
    for rx in v.enum_res:
        runs: list[list[tuple[int, int, bool]]] = []    # (marker start, paragraph end, opens a line)
        for p in paras:
            for m in rx.finditer(clean, p.start, p.end):
                k = m.start()
                while k > p.start and clean[k - 1] in " \t\u3000":
                    k -= 1
                line = k == p.start or clean[k - 1] == "\n"
                if not (line or clean[k - 1] in v.enum_before):
                    continue
                n = _ordinal(m.group(1), v)
                if n == 1:
                    runs.append([(m.start(), p.end, line)])
                elif runs and n == len(runs[-1]) + 1:
                    runs[-1].append((m.start(), p.end, line))
        runs = [r for r in runs if len(r) >= 2]
        if not runs:
            continue
        run = max(reversed(runs), key=len)
        key = (all(x[2] for x in run), len(run), -run[0][0])
        if best is None or key > best[0]:
            best = key, [(a, pe) for a, pe, _ in run]
    if best is None:
        return None
    run = best[1]
    return [(a, min(pe, run[j + 1][0]) if j + 1 < len(run) else pe) for j, (a, pe) in enumerate(run)]


def _lead_in(clean: str, paras: list[_Para], v: _Vocab) -> tuple[int, int] | None:
    """(paragraph index, end) of the first lead-in to the recommendations at the head of a sentence
    ("建议：", "为此建议，", "具体建议如下：")."""
    for i, p in enumerate(paras):
        heads = [p.start] + [p.start + m.end() for m in re.finditer("[。！？!?\n]", clean[p.start:p.end])]
        for h in heads:
            while h < p.end and clean[h] in " \t\u3000\n":
                h += 1
            m = v.lead_re.match(clean, h, p.end)
            if m:
                return i, m.end()
    return None


def _rec_paras(clean: str, it: _Item, who: tuple[str, str, int] | None, v: _Vocab) -> list[_Para]:
    """The paragraphs (or their tails) holding the recommendations: after the proposer phrase when it ends
    with a recommending verb ("市政协委员X建议，…"), else after the lead-in ("建议：…"), else all but a
    background paragraph. A lead-in or summary that only announces them is none of them."""
    paras = it.paras
    k = next((i for i, p in enumerate(paras) if who and p.start <= who[2] <= p.end), None)
    search = True
    if k is not None:
        first = _Para(who[2], paras[k].end)
        rest = paras[k + 1:]
        body = clean[first.start:first.end]
        if rest and (v.summary.search(body) or len(body.strip(" ，,：:。")) < 8):
            recs = rest
        else:
            recs = [first] + rest
        search = not clean[:who[2]].endswith(v.recommending_verbs)
    else:
        recs = list(paras)
    lead = _lead_in(clean, recs, v) if search else None
    after = [_Para(lead[1], recs[lead[0]].end)] + recs[lead[0] + 1:] if lead else []
    if lead:
        recs = after    # nothing after a lead-in that only announces them: no recommendation at all
    elif k is None and len(recs) > 1:
        head = clean[recs[0].start:recs[0].end]
        if head.startswith(v.background) \
                or (_style(clean, recs[0], v) == "clause" and any(c in head for c in v.background)):
            recs = recs[1:]
    return [p for p in recs if clean[p.start:p.end].strip(" \t\n，,：:。；;")]


def _recommendations(clean: str, it: _Item, who: tuple[str, str, int] | None, v: _Vocab
                     ) -> list[tuple[int, int]]:
    recs = _rec_paras(clean, it, who, v)
    if not recs:
        return []
    enum = _enumerated(clean, recs, v)
    if enum is not None:
        spans = enum
    elif len(recs) == 1:
        spans = _split_clauses(clean, recs[0].start, recs[0].end)
    else:
        spans = [(p.start, p.end) for p in recs]
    return [_trim(clean, a, b) for a, b in spans if clean[a:b].strip(" ，,；;。")]


def _has_body(clean: str, it: _Item, v: _Vocab) -> bool:
    """A proposal's body holds a recommendation word (建议) or a list of recommendations (an enumerated
    one, or one paragraph per recommendation)."""
    body = "".join(clean[p.start:p.end] for p in it.paras)
    return any(w in body for w in v.body_cues) or len(it.paras) >= 2 \
        or _enumerated(clean, it.paras, v) is not None


def extract_proposals(clean: str, sections: list[Section], sentences: list[Sentence]) -> list[Proposal]:
    """Every proposal of the proposals part, with its proposer and one row per recommendation."""
    v = vocab()
    region = _region(clean, sections, v)
    if region is None:
        return []
    items = _items(clean, *region, v)
    _join_breaks(clean, items, v)
    who = [it.proposer or next((w for k, p in enumerate(it.paras) if (w := _proposer(clean, p, v, first=k == 0))),
                               None)
           for it in items]
    _reassign_displaced(clean, items, [w is not None for w in who], v)
    keep = [i for i, it in enumerate(items) if _has_body(clean, it, v)]
    items, who = [items[i] for i in keep], [who[i] for i in keep]
    out: list[Proposal] = []
    for i, it in enumerate(items):
        spans = _recommendations(clean, it, who[i], v)
        recs = tuple(Recommendation(seq=j + 1, char_start=a, char_end=b, text=clean[a:b])
                     for j, (a, b) in enumerate(spans))
        name, kind = (who[i][0], who[i][1]) if who[i] else ("", "unknown")
        end = max([it.title_end] + [p.end for p in it.paras])
        out.append(Proposal(index=i, title=it.title, title_start=it.title_start, title_end=it.title_end,
                            proposer=name, proposer_kind=kind, char_start=it.title_start, char_end=end,
                            recommendations=recs))
    return out
