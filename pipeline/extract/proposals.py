"""CPPCC proposals (提案) in the proposals part of a clean text: title, proposer, recommendations.

Works on the lines of that part: title lines (markdown, bold or short unpunctuated lines), paragraphs,
bylines. Repairs two layout accidents: paragraphs split by a page break and a title misplaced into the
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
    background: tuple[str, ...]
    lead_max: int
    title_max: int
    line_not_starts: tuple[str, ...]
    progress: tuple[str, ...]
    progress_inline: tuple[str, ...]
    matter: tuple[str, ...]
    matter_brackets: tuple[tuple[str, str], ...]
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
        background=tuple(v["background"]["cues"]),
        lead_max=int(v["style"]["lead_max"]),
        title_max=int(v["title"]["max_len"]),
        line_not_starts=longest_first(v["proposer_line"]["not_starts"]),
        progress=longest_first(v["progress"]["starts"]),
        progress_inline=longest_first(v["progress"]["inline"]),
        matter=longest_first(v["matter"]["starts"]),
        matter_brackets=tuple((o, c) for o, c in v["matter"]["brackets"]),
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


def _items(clean: str, start: int, end: int, v: _Vocab) -> list[_Item]:
    lines = list(_lines(clean, start, end))
    marked = any(_heading_text(t) and not _is_container(_heading_text(t)[0], v) for _, _, t in lines)
    items: list[_Item] = []
    closed = True
    for i, (s, e, text) in enumerate(lines):
        h = _heading_text(text)
        if h is None and (_is_matter(text, v) or text.startswith(v.progress)):
            closed = True   # "编者按：…", "（…供稿）", "【办理情况】…": no proposal's body
            continue
        who = _bare_proposer(text, v) if h is None else None
        if who:
            if items and not closed and not items[-1].paras and items[-1].proposer is None:
                items[-1].proposer = (who[0], who[1], e)   # "民建永春县总支" under a title
            continue    # a line that only names a proposer is never a title
        if h is None and not marked and _short_title(text, v) and i + 1 < len(lines) \
                and not any(text.startswith(b) for b in v.byline):
            h = (text, 0)
        if h is not None:
            title, off = h
            title = title.strip("*").strip()
            if _is_container(title, v):
                closed = True
                continue
            ts = s + off + max(h[0].find(title), 0)
            items.append(_Item(title, ts, ts + len(title)))
            closed = False
            continue
        if any(text.startswith(b) for b in v.byline) and not v.prefix_re.match(text):
            closed = True
            continue
        if items and not closed:
            cut = min((k for k in (text.find(w) for w in v.progress_inline) if k > 0), default=-1)
            if cut > 0:     # "…。【办理情况】…": the body ends at the handling report
                pe = s + len(text[:cut].rstrip())
                items[-1].paras.append(_Para(s, pe, False))
                closed = True
                continue
            items[-1].paras.append(_Para(s, e, text[-1] not in _TERMINAL))
    return items


def _join_breaks(items: list[_Item]) -> None:
    """Join a paragraph cut by a page break or a misplaced title to its continuation."""
    for k, it in enumerate(items):
        if k + 1 < len(items) and it.paras and it.paras[-1].interrupted and items[k + 1].paras:
            it.paras.append(items[k + 1].paras.pop(0))
        merged: list[_Para] = []
        for p in it.paras:
            if merged and merged[-1].interrupted:
                merged[-1] = _Para(merged[-1].start, p.end, p.interrupted)
            else:
                merged.append(_Para(p.start, p.end, p.interrupted))
        it.paras = merged


def _org_kind(org: str, v: _Vocab) -> str:
    """party_committee for a democratic party's body (民建永春县总支), else group (工商联, 界别, 小组)."""
    return "party_committee" if any(org.startswith(w) or w in org[:8] for w in v.parties) else "group"


def _who(who: str, v: _Vocab) -> tuple[str, str] | None:
    """(proposer, kind) when ``who`` is a member (title + name, or a name) or an organisation."""
    for t in v.member_titles:
        if who.startswith(t):
            name = who[len(t):].strip(" \t\u3000")
            return (name, "member") if v.names_re.match(name) else None
    if v.org_end_re.match(who):
        return who, _org_kind(who, v)
    if v.name_re.match(who):
        return who, "member"
    return None


def _bare_proposer(line: str, v: _Vocab) -> tuple[str, str] | None:
    """A short line with no sentence punctuation that is only a proposer: a member's title and name
    ("县政协委员陈丽华") or an organisation ("民建永春县总支", "县工商联"); a bare name is not enough."""
    line = line.strip(" \t\u3000*#")
    if not line or any(c in line for c in _CLAUSE_PUNCT) or line.startswith(v.title_starts + v.line_not_starts):
        return None
    if not line.startswith(v.member_titles) and not v.org_end_re.match(line):
        return None
    return _who(line, v)


def _prefixed(clean: str, start: int, end: int, v: _Vocab) -> tuple[str, str, int] | None:
    """"提案人：民进宜宾市委员会" / "提案人：市政协委员　陈刚": the rest of the line names the proposer."""
    m = v.prefix_re.match(clean, start, end)
    if not m:
        return None
    stop = next((k for k in range(m.end(), end) if clean[k] in "\n。；;，,"), end)
    hit = _who(clean[m.end():stop].strip(), v)
    return (hit[0], hit[1], stop) if hit else None


def _head_proposer(clean: str, start: int, end: int, v: _Vocab) -> tuple[str, str, int] | None:
    """(proposer, kind, end of the proposer phrase) named at the head of a sentence at ``start``."""
    hit = _prefixed(clean, start, end, v)
    if hit:
        return hit
    head = clean[start:min(end, start + 60)]
    m = v.member_re.search(head)
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
    if tok.isdigit():
        return int(tok)
    if len(tok) == 1:
        return v.enum_numerals.find(tok) + 1
    return 0    # 十一 and beyond: lists that long are not split on markers


def _enumerated(clean: str, paras: list[_Para], v: _Vocab) -> list[tuple[int, int]] | None:
    """Recommendation spans from an ordered marker run (一是…二是…, 第一，…, （一）…, 1.…) over the
    paragraphs: each from its marker to the next marker or the end of its paragraph. None when no
    family of markers runs 1, 2, … at least twice."""
    best: list[tuple[int, int]] = []    # (marker start, paragraph end)
    for rx in v.enum_res:
        hits = []
        for p in paras:
            for m in rx.finditer(clean, p.start, p.end):
                k = m.start()
                while k > p.start and clean[k - 1] in " \t\u3000":
                    k -= 1
                if k == p.start or clean[k - 1] in v.enum_before:
                    hits.append((m.start(), p.end, _ordinal(m.group(1), v)))
        run: list[tuple[int, int]] = []
        for a, pe, n in hits:
            if n == len(run) + 1:
                run.append((a, pe))
        if len(run) >= 2 and len(run) > len(best):
            best = run
    if not best:
        return None
    return [(a, min(pe, best[j + 1][0]) if j + 1 < len(best) else pe) for j, (a, pe) in enumerate(best)]


def _recommendations(clean: str, it: _Item, who: tuple[str, str, int] | None, v: _Vocab
                     ) -> list[tuple[int, int]]:
    paras = it.paras
    if not paras:
        return []
    k = next((i for i, p in enumerate(paras) if who and p.start <= who[2] <= p.end), None)
    if k is not None:
        first = _Para(who[2], paras[k].end)
        rest = paras[k + 1:]
        body = clean[first.start:first.end]
        if rest and (v.summary.search(body) or len(body.strip(" ，,：:。")) < 8):
            recs = rest
        else:
            recs = [first] + rest
    else:
        recs = list(paras)
        head = clean[recs[0].start:recs[0].end]
        if len(recs) > 1 and _style(clean, recs[0], v) == "clause" and any(c in head for c in v.background):
            recs = recs[1:]
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
    _join_breaks(items)
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
