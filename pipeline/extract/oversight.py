"""Oversight activities in a clean text: reports heard and reviewed, law-enforcement inspections,
special inquiries, research, inspection visits, evaluations and satisfaction votes, with their subject.

Works clause by clause (，；。) on the sentences; vocabulary ``pipeline/vocab/oversight.toml``.
Extraction stage; counts of activities ("执法检查22次") are metrics, not rows here.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from pipeline.extract.laws import plan_status
from pipeline.extract.model import Oversight
from pipeline.text.marks import Occurrences
from pipeline.text.model import Sentence
from pipeline.vocab import alternation, load, longest_first

_CLAUSE = re.compile(r"[^，。；！？,;!?\n]+")
_DIGIT_AFTER = re.compile(r"[\d一二三四五六七八九十两百千万余多]+(?:次|个|项|件|场|轮|批)")   # used with .match


@dataclass(frozen=True)
class _Vocab:
    cue_re: re.Pattern
    cues: dict[str, str]
    bad_followers: tuple[str, ...]
    bad_before: tuple[str, ...]
    report_re: re.Pattern
    report_tails: tuple[str, ...]
    report_then_re: re.Pattern
    report_then_reach: int           # the longest text report_then_re matches
    joiners: tuple[str, ...]
    inspection_re: re.Pattern
    prepositions: tuple[str, ...]
    subject_verbs: tuple[str, ...]
    subject_tails: tuple[str, ...]
    actors: tuple[str, ...]
    list_followers: tuple[str, ...]
    exceptions: tuple[str, ...]
    manner: tuple[str, ...]
    enumerator: re.Pattern
    trim_words: tuple[str, ...]      # manner words, then cue words: trimmed off the end of a subject
    lead_preps: tuple[str, ...]      # prepositions that open a lead-in clause (围绕X, 聚焦X)
    # whether a sentence in which none of the three patterns matches can be skipped: true when no pattern looks at
    # its context (anchors, lookarounds), for then a match in a clause is a match in the sentence
    whole_sentence_test: bool


# what makes a pattern's matches depend on where the searched text starts or ends (a ^ not opening a class)
_CONTEXT_DEPENDENT = re.compile(r"(?<!\[)\^|\$|\\[bBAZ]|\(\?<?[=!]")


@cache
def vocab() -> _Vocab:
    """The oversight vocabularies, loaded once."""
    v = load("oversight")
    r, s = v["report"], v["subject"]
    return _Vocab(
        cue_re=re.compile(alternation(v["cues"])),
        cues=dict(v["cues"]),
        bad_followers=longest_first(v["cue_bad_followers"]["words"]),
        bad_before=longest_first(v["cue_bad_before"]["words"]),
        report_re=re.compile(f"(?:{alternation(r['verbs'])})(.*?)(?:{alternation(r['nouns'])})"),
        report_tails=longest_first(r["tails"]),
        report_then_re=re.compile(f"(?:{alternation(r['nouns'])})(?:{alternation(r['joiners'])})(?:{alternation(s['actors'])})?$"),
        report_then_reach=(max(map(len, r["nouns"])) + max(map(len, r["joiners"]))
                           + max(map(len, s["actors"]), default=0)),
        joiners=longest_first(r["joiners"]),
        inspection_re=re.compile(v["inspection"]["pattern"]),
        prepositions=longest_first(s["prepositions"]),
        subject_verbs=longest_first(s["verbs"]),
        subject_tails=longest_first(s["tails"]),
        actors=longest_first(s["actors"]),
        list_followers=tuple(s["list_followers"]),
        exceptions=tuple(s["exceptions"]),
        manner=longest_first(s["manner"]),
        enumerator=re.compile(s["enumerator"]),
        trim_words=longest_first(s["manner"]) + tuple(v["cues"]),
        lead_preps=longest_first(s["prepositions"]) + ("聚焦",),
        whole_sentence_test=not _CONTEXT_DEPENDENT.search(v["inspection"]["pattern"]),
    )


def _strip_tails(s: str, tails: tuple[str, ...]) -> str:
    changed = True
    while changed and s:
        changed = False
        for t in tails:
            if s.endswith(t) and len(s) > len(t):
                s, changed = s[: -len(t)], True
                break
    return s.strip()


def _strip_verbs_end(s: str, verbs: tuple[str, ...]) -> str:
    for verb in verbs:
        if s.endswith(verb):
            return s[: -len(verb)]
    return s


def _last_prep(clause: str, end: int, found: Occurrences, v: _Vocab) -> int | None:
    """End of the last preposition introducing a subject in clause[:end]."""
    best = None
    for p in v.prepositions:
        j = found.last(p, 0, end)
        while j >= 0 and clause.startswith(v.exceptions, j, end):
            j = found.last(p, 0, j)
        if j >= 0 and (best is None or j + len(p) > best):
            best = j + len(p)
    return best


def _reports(clause: str, v: _Vocab) -> list[tuple[int, int, str]]:
    """(start, end, subject) of each report heard in a clause; one per item of a 、-list."""
    out = []
    for m in v.report_re.finditer(clause):
        body = m.group(1)
        if not body.strip() or len(body) > 120:
            continue
        items = body.split("、")
        for n, item in enumerate(items):
            subj = _strip_tails(item, v.report_tails) if n == len(items) - 1 else item.strip()
            if subj:
                out.append((m.start(), m.end(), subj))
    return out


def _cue_subject(clause: str, a: int, b: int, reports: list[tuple[int, int, str]], lead: str,
                 v: _Vocab, found: Occurrences | None = None) -> str | None:
    """The subject of the activity cue at [a, b) of a clause; None when it is not an activity or the
    only candidate subject is made of other cue or manner words ("视察询问调研")."""
    subj = _raw_subject(clause, a, b, reports, lead, v, found or Occurrences(clause))
    if subj and not v.cue_re.sub("", subj).strip(" 、和及与" + "".join(v.manner)):
        return None
    return subj


def _raw_subject(clause: str, a: int, b: int, reports: list[tuple[int, int, str]], lead: str,
                 v: _Vocab, found: Occurrences) -> str | None:
    """The subject read around the cue at [a, b): what comes before it (clause[:end], ``end`` moving left as
    words are trimmed) or after it (clause[b:stop], up to a joiner). Positions, not copies: the words of the
    clause are looked up in ``found``, so a cue in a long clause reads only what it keeps."""
    end = a
    # "进行视察询问": a cue right after another cue shares its subject; a manner word ("开展联动专题调研")
    # is not a subject
    first_char = 0    # the first character that is not a space: clause[:k].strip() is empty when k <= first_char
    while first_char < len(clause) and clause[first_char].isspace():
        first_char += 1
    trimmed = True
    while trimmed and clause.endswith(v.trim_words, 0, end):   # one test in C before the loops (same words)
        trimmed = False
        for w in v.trim_words:
            if clause.endswith(w, 0, end) and end - len(w) > first_char:
                end, trimmed = end - len(w), True
                break
        else:
            for w in v.manner:
                if clause.endswith(w, 0, end):
                    end, trimmed = end - len(w), True
                    break
    stop = len(clause)
    for j in v.joiners:     # "组织专题询问并扩大应询主体": a second action
        k = found.first(j, b, stop)
        if k >= 0:
            stop = k
    if clause.endswith(v.bad_before, 0, end) or clause.startswith(v.bad_followers, b, stop):
        return None
    if _DIGIT_AFTER.match(clause, b, stop):
        return None
    # "听取审议X的报告并开展专题询问": the report's subject
    if v.report_then_re.search(clause, max(0, end - v.report_then_reach), end):
        k = bisect.bisect_right([r[1] for r in reports], a)
        return reports[k - 1][2] if k else ""
    if clause.endswith("、", 0, end) or clause.startswith(v.list_followers, b, stop):
        return None     # a list of activity types ("立法调研、执法检查、视察等工作")
    p = _last_prep(clause, end, found, v)
    if p is not None:
        subj = _strip_verbs_end(clause[p:end], v.subject_verbs)
        subj = _strip_tails(subj, v.subject_tails)
        if subj:
            return subj
    actor_end = None
    for w in v.actors:
        j = found.last(w, 0, end)
        if j >= 0 and (actor_end is None or j + len(w) > actor_end):
            actor_end = j + len(w)
    if actor_end is not None and clause[actor_end:end].strip():
        return _strip_tails(clause[actor_end:end], v.subject_tails)
    after = clause[b:stop]
    if after.strip() and _strip_tails(after, v.subject_tails) not in v.subject_tails:
        return _strip_tails(after, v.subject_tails)
    if actor_end is not None and actor_end == end:
        return lead
    lo, hi = first_char, end
    while hi > lo and clause[hi - 1].isspace():
        hi -= 1
    rest = clause[lo:hi] if 0 < hi - lo <= 20 else ""
    return rest if rest and not v.enumerator.match(rest) else None


def _inside(spans: list[tuple[int, int]], starts: list[int], x: int) -> bool:
    """Whether ``x`` lies in one of ``spans`` (sorted, not overlapping; ``starts`` their starts)."""
    k = bisect.bisect_right(starts, x) - 1
    return k >= 0 and x < spans[k][1]


def extract_oversight(clean: str, sentences: list[Sentence]) -> list[Oversight]:
    """Every oversight activity named in the sentences, one row per activity and subject."""
    v = vocab()
    out: list[Oversight] = []
    for sent in sentences:
        text = sent.text
        if v.whole_sentence_test and not (v.cue_re.search(text) or v.report_re.search(text)
                                          or v.inspection_re.search(text)):
            continue    # no activity in any of its clauses (c1000: oversight 1.5 s -> 1.0 s)
        # the status is computed for the sentences that hold an activity only (with the tuple tests of
        # _raw_subject, oversight on c200: 0.78 s → 0.49 s)
        status = None
        seen: set[tuple[str, str]] = set()
        lead = ""

        def add(a: int, b: int, kind: str, subject: str) -> None:
            nonlocal status
            if (kind, subject) in seen:
                return
            seen.add((kind, subject))
            if status is None:
                status = plan_status(text, sent.part)
            s, e = sent.char_start + a, sent.char_start + b
            out.append(Oversight(sentence=sent.index, char_start=s, char_end=e, quote=clean[s:e],
                                 kind=kind, subject=subject, status=status))

        for cm in _CLAUSE.finditer(text):
            clause, off = cm.group(), cm.start()
            reports = _reports(clause, v)
            for a, b, subj in reports:
                add(off + a, off + b, "report_review", subj)
            taken: list[tuple[int, int]] = []
            for m in v.inspection_re.finditer(clause):
                add(off + m.start(), off + m.end(), "law_inspection", m.group(1))
                taken.append((m.start(), m.end()))
            heard = [(a, b) for a, b, _ in reports]
            taken_starts, heard_starts = [a for a, _ in taken], [a for a, _ in heard]
            found = Occurrences(clause)
            for m in v.cue_re.finditer(clause):
                if _inside(taken, taken_starts, m.start()) or _inside(heard, heard_starts, m.start()):
                    continue
                subj = _cue_subject(clause, m.start(), m.end(), reports, lead, v, found)
                if subj is None:
                    continue
                add(off + m.start(), off + m.end(), v.cues[m.group()], subj)
            # a lead-in clause "围绕X" / "聚焦X" names the subject of a bare activity after it
            p = next((w for w in v.lead_preps if clause.startswith(w)), None) \
                if clause.startswith(v.lead_preps) else None
            lead = clause[len(p):].strip() if p else lead
    return out
