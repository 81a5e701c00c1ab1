"""Laws, regulations, rules and decisions named in a clean text, with what was done to them.

A name ends in an instrument suffix (法, 条例, 办法, 决定 ...) and starts after the verb, preposition or
delimiter before it; the action comes from that verb or from a cue after the name (一审, 实施情况 ...).
Vocabulary: ``pipeline/vocab/laws.toml`` (province names from ``metadata.toml``). Extraction stage.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.extract.model import Law
from pipeline.text.model import Sentence
from pipeline.vocab import load

_CLAUSE_END = "，。；：！？,;:!?\n"
_CLOSERS = {"）": "（", ")": "(", "”": "“", "」": "「", "’": "‘"}
_OPENERS = set(_CLOSERS.values())
_MAX_NAME = 48          # characters walked back from a suffix
_MAX_BRACKET = 24       # a bracket inside a name holds at most this many characters
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _longest_first(words) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Vocab:
    suffix_re: re.Pattern
    instruments: dict[str, str]
    decision_like: frozenset[str]
    weak: frozenset[str]
    min_stem: int
    not_law_words: frozenset[str]
    generic: frozenset[str]
    follow_ok: tuple[str, ...]
    follow_bad: tuple[str, ...]
    verbs: dict[str, str]
    verb_list: tuple[str, ...]
    verb_exceptions: frozenset[str]
    weak_verbs: frozenset[str]
    adverbs: tuple[str, ...]
    post_re: re.Pattern
    post: dict[str, str]
    post_exclusive: frozenset[str]
    delimiters: frozenset[str]
    connectors: tuple[str, ...]
    title_start: tuple[str, ...]
    decision_on: re.Pattern
    implementing: frozenset[str]
    impl_prefixes: tuple[str, ...]
    national: tuple[str, ...]
    provincial: tuple[str, ...]
    municipal: tuple[str, ...]
    national_instruments: frozenset[str]


@cache
def vocab() -> _Vocab:
    """The law grammar's vocabularies, loaded once."""
    v, meta = load("laws"), load("metadata")
    inst = dict(v["instruments"])
    post = dict(v["post_cues"])
    d = v["decision_on"]
    provinces = list(meta["provinces"]) + list(meta["provinces"].values())
    return _Vocab(
        suffix_re=re.compile("|".join(map(re.escape, _longest_first(inst)))),
        instruments=inst,
        decision_like=frozenset(v["decision_like"]["suffixes"]),
        weak=frozenset(v["weak"]["suffixes"]),
        min_stem=int(v["weak"]["min_stem"]),
        not_law_words=frozenset(v["not_law_words"]["words"]),
        generic=frozenset(v["generic_stems"]["stems"]),
        follow_ok=_longest_first(v["follow"]["ok"]),
        follow_bad=_longest_first(v["follow"]["bad"]),
        verbs=dict(v["verbs"]),
        verb_list=_longest_first(v["verbs"]),
        verb_exceptions=frozenset(v["verb_exceptions"]["words"]),
        weak_verbs=frozenset(v["weak_verbs"]["words"]),
        adverbs=_longest_first(v["weak_verbs"]["adverbs"]),
        post_re=re.compile("|".join(map(re.escape, _longest_first(post)))),
        post=post,
        post_exclusive=frozenset(v["post_exclusive"]["actions"]),
        delimiters=frozenset(v["delimiters"]["chars"]),
        connectors=_longest_first(v["connectors"]["words"]),
        title_start=_longest_first(v["title_start"]["words"]),
        decision_on=re.compile(
            "(?:" + "|".join(map(re.escape, _longest_first(d["prepositions"]))) + ")"
            + r"([^，。；：、！？,;:!?\n]{2,30}?)"
            + "(?:" + "|".join(map(re.escape, _longest_first(d["verbs"]))) + ")"
            + "(" + "|".join(map(re.escape, _longest_first(d["nouns"]))) + ")"
            + r"(?=$|[，。；：、！？,;:!?\n])"),
        implementing=frozenset(v["implementing"]["kinds"]),
        impl_prefixes=_longest_first(v["implementing"]["prefixes"]),
        national=_longest_first(v["jurisdiction"]["national"]),
        provincial=_longest_first(v["jurisdiction"]["provincial"] + provinces),
        municipal=_longest_first(v["jurisdiction"]["municipal"]),
        national_instruments=frozenset(v["jurisdiction"]["national_instruments"]),
    )


@dataclass
class _Cand:
    start: int            # name span inside the sentence text (the quote span)
    end: int
    name: str
    suffix: str
    verb_stop: bool       # the walk back stopped at a verb (not at a delimiter or a list connector)
    action: str = ""      # fixed action ("围绕X作出决定" is enacted), else from the context


def _follower_ok(rest: str, suffix: str, v: _Vocab) -> bool:
    if any(rest.startswith(b) for b in v.follow_bad):
        return False
    if not rest or rest[0] in v.delimiters or rest[0] in _CLAUSE_END or rest[0] in "）)”」（(":
        return True
    if suffix not in v.weak and suffix not in v.decision_like and suffix != "宪法":
        return True
    return any(rest.startswith(f) for f in v.follow_ok)


def _verb_ending_at(text: str, i: int, lo: int, v: _Vocab) -> str | None:
    """The introducing verb/preposition that ends exactly at ``i`` (the name would start at ``i``)."""
    for verb in v.verb_list:
        j = i - len(verb)
        if j < lo or text[j:i] != verb:
            continue
        if len(verb) == 1 and (text[j:i + 1] in v.verb_exceptions or text[j - 1:i] in v.verb_exceptions):
            continue
        if verb in v.weak_verbs:
            before = text[lo:j]
            if before and before[-1] not in v.delimiters and before[-1] not in _CLAUSE_END \
                    and not any(before.endswith(a) for a in v.adverbs) \
                    and not any(before.endswith(w) for w in v.verb_list if w not in v.weak_verbs):
                continue
        return verb
    return None


def _walk_back(text: str, s: int, lo: int, ends: dict[int, _Cand], v: _Vocab) -> tuple[int, bool]:
    """Where a name ending in a suffix at ``s`` starts: after a verb, a delimiter or a list connector."""
    i, floor = s, max(lo, s - _MAX_NAME)
    while i > floor:
        if _verb_ending_at(text, i, lo, v):
            return i, True
        for c in v.connectors:
            if text[i - len(c):i] == c and (i - len(c)) in ends:
                return i, False
        ch = text[i - 1]
        if ch in _CLOSERS:
            j = text.rfind(_CLOSERS[ch], floor, i - 1)
            if j >= 0 and i - 1 - j <= _MAX_BRACKET and not any(x in _CLAUSE_END for x in text[j:i]):
                i = j
                continue
            return i, False
        if ch in v.delimiters or ch in _OPENERS:
            return i, False
        i -= 1
    return i, False


def _title_start(text: str, s: int, lo: int, v: _Vocab) -> int | None:
    """Start of a formal title ``关于…`` before ``s`` in the same clause, if any."""
    best = None
    for w in v.title_start:
        j = text.rfind(w, lo, s)
        if j >= 0 and (best is None or j > best):
            best = j
    return best


def _clause_start(text: str, i: int) -> int:
    j = max(text.rfind(c, 0, i) for c in _CLAUSE_END)
    return j + 1


def _clause_end(text: str, i: int) -> int:
    ends = [k for k in (text.find(c, i) for c in _CLAUSE_END) if k >= 0]
    return min(ends) if ends else len(text)


def _candidates(text: str, v: _Vocab) -> list[_Cand]:
    """Every name in one sentence, in text order."""
    out: list[_Cand] = []
    ends: dict[int, _Cand] = {}
    for m in v.suffix_re.finditer(text):
        s, e, suffix = m.start(), m.end(), m.group()
        if suffix == "法" and text[max(0, s - 1):e] in v.not_law_words:
            continue
        quoted = text.startswith("》", e)
        if not quoted and not _follower_ok(text[e:], suffix, v):
            continue
        lo = _clause_start(text, s)
        verb_stop = False
        if quoted:
            start = text.rfind("《", 0, s) + 1
            if start == 0:
                continue
        else:
            # a formal title 关于… wins unless another name lies between
            t = _title_start(text, s, lo, v)
            if t is not None and not any(t < c.end <= s for c in out):
                start = t
            else:
                start, verb_stop = _walk_back(text, s, lo, ends, v)
        name = text[start:e]
        stem = name[: -len(suffix)]
        cand = _Cand(start, e, name, suffix, verb_stop)
        # an implementing instrument named by its kind only: "X法及我市实施办法"
        bare = stem
        for p in v.impl_prefixes:
            if bare.startswith(p):
                bare = bare[len(p):]
                break
        if not bare and suffix in v.implementing and out and out[-1].suffix in ("法", "法典", "条例"):
            prev = out[-1]
            between = text[prev.end:start]
            if between in v.connectors:
                cand = _Cand(prev.start, e, prev.name + suffix, suffix, False)
                out.append(cand)
                ends[e] = cand
                continue
        if not _stem_ok(stem, suffix, quoted, v):
            continue
        if start > 0 and text[start - 1] == "“" and text.startswith("”", e):
            continue    # a slogan or nickname in quotes ("一法一办法"), not a title
        # a name that contains an earlier one (家庭教育促进法实施办法) replaces it
        out = [c for c in out if not (start <= c.start and c.end <= e)]
        out.append(cand)
        ends[e] = cand
    return out


def _stem_ok(stem: str, suffix: str, quoted: bool, v: _Vocab) -> bool:
    if suffix == "宪法":
        return stem in ("", "中华人民共和国") or quoted
    if not _CJK.search(stem):
        return False
    core = stem.rstrip("的")
    if core in v.generic or stem in v.generic:
        return False
    if suffix in v.weak and len(stem) < v.min_stem:
        return False
    if suffix in v.decision_like and not quoted and not stem.endswith("的") \
            and not any(stem.startswith(w) for w in v.title_start):
        return False
    return True


def _actions(text: str, group: list[_Cand], next_start: int, v: _Vocab) -> list[str]:
    """The actions of one list of names: cues after it, else the verb before it."""
    tail_end = min(_clause_end(text, group[-1].end), next_start)
    posts: list[str] = []
    for m in v.post_re.finditer(text, group[-1].end, tail_end):
        a = v.post[m.group()]
        if a not in posts:
            posts.append(a)
    excl = [a for a in posts if a in v.post_exclusive]
    if excl:
        return [excl[0]]
    if posts:
        return posts
    lo = _clause_start(text, group[0].start)
    best, best_end = "other", -1
    for verb, act in v.verbs.items():
        if not act:
            continue
        k = text.rfind(verb, lo, group[0].start)
        if k >= 0 and k + len(verb) > best_end:
            best, best_end = act, k + len(verb)
    return [best]


def _groups(text: str, cands: list[_Cand], v: _Vocab) -> list[list[_Cand]]:
    groups: list[list[_Cand]] = []
    for c in cands:
        if groups:
            between = text[groups[-1][-1].end:c.start]
            for w in v.connectors + ("等",):
                between = between.replace(w, "")
            if not between.strip() and not c.verb_stop:
                groups[-1].append(c)
                continue
        groups.append([c])
    return groups


def _decisions_on(text: str, taken: list[_Cand], v: _Vocab) -> list[_Cand]:
    """"围绕X作出决定": a decision named by its subject."""
    out = []
    for m in v.decision_on.finditer(text):
        subj = m.group(1)
        if any(c.start < m.end() and m.start() < c.end for c in taken):
            continue
        out.append(_Cand(m.start(1), m.end(), subj + "的" + m.group(2), m.group(2), True, "enact"))
    return out


def jurisdiction(name: str, instrument: str) -> str:
    """national | provincial | municipal from the name's prefix and instrument."""
    v = vocab()
    if any(name.startswith(p) for p in v.national):
        return "national"
    if any(name.startswith(p) for p in v.provincial):
        return "provincial"
    if any(name.startswith(p) for p in v.municipal) or re.match(r"^[\u4e00-\u9fff]{1,6}?[市州盟]", name) \
            and not name.startswith(("城市", "都市")):
        return "municipal"
    if instrument in v.national_instruments:
        return "national"
    return "municipal"


def extract_laws(clean: str, sentences: list[Sentence]) -> list[Law]:
    """Every named law, regulation, rule or decision in the sentences, one row per name and action."""
    v = vocab()
    out: list[Law] = []
    for sent in sentences:
        text = sent.text
        if not v.suffix_re.search(text):
            continue
        cands = _candidates(text, v)
        cands += _decisions_on(text, cands, v)
        cands.sort(key=lambda c: c.start)
        status = "planned" if sent.part == "plan" else "done"
        groups = _groups(text, cands, v)
        seen: set[tuple[str, str]] = set()
        for gi, group in enumerate(groups):
            next_start = groups[gi + 1][0].start if gi + 1 < len(groups) else len(text)
            actions = [group[0].action] if group[0].action else _actions(text, group, next_start, v)
            for action in actions:
                for c in group:
                    if (c.name, action) in seen:
                        continue
                    seen.add((c.name, action))
                    a, b = sent.char_start + c.start, sent.char_start + c.end
                    inst = v.instruments[c.suffix]
                    out.append(Law(sentence=sent.index, char_start=a, char_end=b, quote=clean[a:b],
                                   name=c.name, instrument=inst, jurisdiction=jurisdiction(c.name, inst),
                                   action=action, status=status))
    return out
