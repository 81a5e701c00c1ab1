"""Laws, regulations, rules and decisions named in a clean text, with what was done to them.

A name ends in an instrument suffix (法, 条例, 办法, 决定 ...) and starts after the verb, preposition or
delimiter before it; the action comes from that verb or from a cue after the name (一审, 实施情况 ...).
Vocabulary: ``pipeline/vocab/laws.toml`` (province names from ``metadata.toml``). Extraction stage.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from pipeline.extract.model import Law
from pipeline.text.marks import Marks, Occurrences
from pipeline.text.model import Sentence
from pipeline.vocab import load, longest_first

_CLAUSE_END = "，。；：！？,;:!?\n"
_CLOSERS = {"）": "（", ")": "(", "”": "“", "」": "「", "’": "‘"}
_OPENERS = set(_CLOSERS.values())
_MAX_NAME = 48          # characters walked back from a suffix
_MAX_BRACKET = 24       # a bracket inside a name holds at most this many characters
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class _Vocab:
    suffix_re: re.Pattern
    instruments: dict[str, str]
    decision_like: frozenset[str]
    weak: frozenset[str]
    min_stem: int
    not_law_words: frozenset[str]
    law_kinds: tuple[str, ...]
    determiners: tuple[str, ...]
    generic: frozenset[str]
    generic_endings: tuple[str, ...]
    generic_place_before: tuple[str, ...]
    follow_ok: tuple[str, ...]
    follow_bad: tuple[str, ...]
    verbs: dict[str, str]
    verb_list: tuple[str, ...]
    verbs_by_last: dict[str, tuple[str, ...]]   # verb_list's verbs by their last character, in its order
    action_verbs: tuple[str, ...]    # the verbs with an action, in the vocabulary's order
    verb_exceptions: frozenset[str]
    weak_verbs: frozenset[str]
    strong_verbs: tuple[str, ...]    # verb_list without the weak verbs
    adverbs: tuple[str, ...]
    post_re: re.Pattern
    post: dict[str, str]
    post_exclusive: frozenset[str]
    post_fallback_re: re.Pattern
    post_fallback: dict[str, str]
    particles: tuple[str, ...]
    delimiters: frozenset[str]
    connectors: tuple[str, ...]
    quote_marks: str
    title_start: tuple[str, ...]
    title_before_suffix: tuple[str, ...]
    decision_on: re.Pattern
    implementing: frozenset[str]
    impl_prefixes: tuple[str, ...]
    wrap_verbs: tuple[str, ...]
    wrap_kinds: frozenset[str]
    national: tuple[str, ...]
    provincial: tuple[str, ...]
    province_short: tuple[str, ...]
    not_province_after: tuple[str, ...]
    municipal: tuple[str, ...]
    national_instruments: frozenset[str]
    generic_suffixes: frozenset[str]
    leading_verbs: tuple[str, ...]
    count_re: re.Pattern
    list_connectors: tuple[str, ...]
    slogan_max: int
    not_prefix: tuple[str, ...]
    slogan_quotes: dict[str, str]
    list_item_len: tuple[int, int]


def _by_last(words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for w in words:
        out.setdefault(w[-1], []).append(w)
    return {c: tuple(ws) for c, ws in out.items()}


@cache
def vocab() -> _Vocab:
    """The law grammar's vocabularies, loaded once."""
    v, meta = load("laws"), load("metadata")
    inst = dict(v["instruments"])
    post = dict(v["post_cues"])
    fallback = dict(v["post_fallback"])
    d = v["decision_on"]
    j = v["jurisdiction"]
    return _Vocab(
        suffix_re=re.compile("|".join(map(re.escape, longest_first(inst)))),
        instruments=inst,
        decision_like=frozenset(v["decision_like"]["suffixes"]),
        weak=frozenset(v["weak"]["suffixes"]),
        min_stem=int(v["weak"]["min_stem"]),
        not_law_words=frozenset(v["not_law_words"]["words"]),
        generic=frozenset(v["generic_stems"]["stems"]),
        law_kinds=tuple(v["law_kinds"]["stem_endings"]),
        determiners=tuple(v["generic_determiners"]["words"]),
        generic_endings=tuple(v["generic_stem_endings"]["words"]),
        generic_place_before=tuple(v["generic_stem_endings"]["place_before"]),
        follow_ok=longest_first(v["follow"]["ok"]),
        follow_bad=longest_first(v["follow"]["bad"]),
        verbs=dict(v["verbs"]),
        verb_list=longest_first(v["verbs"]),
        verbs_by_last=_by_last(longest_first(v["verbs"])),
        action_verbs=tuple(w for w, act in v["verbs"].items() if act),
        verb_exceptions=frozenset(v["verb_exceptions"]["words"]),
        weak_verbs=frozenset(v["weak_verbs"]["words"]),
        strong_verbs=tuple(w for w in longest_first(v["verbs"]) if w not in v["weak_verbs"]["words"]),
        adverbs=longest_first(v["weak_verbs"]["adverbs"]),
        post_re=re.compile("|".join(map(re.escape, longest_first(post)))),
        post=post,
        post_exclusive=frozenset(v["post_exclusive"]["actions"]),
        post_fallback_re=re.compile("|".join(map(re.escape, longest_first(fallback)))),
        post_fallback=fallback,
        particles=tuple(v["aspect"]["particles"]),
        delimiters=frozenset(v["delimiters"]["chars"]),
        connectors=longest_first(v["connectors"]["words"]),
        quote_marks="".join(v["connectors"]["quote_marks"]),
        title_start=longest_first(v["title_start"]["words"]),
        title_before_suffix=tuple(v["title_start"]["before_suffix"]),
        decision_on=re.compile(
            "(?:" + "|".join(map(re.escape, longest_first(d["prepositions"]))) + ")"
            + r"([^，。；：、！？,;:!?\n]{2,30}?)"
            + "(?:" + "|".join(map(re.escape, longest_first(d["verbs"]))) + ")"
            + "(" + "|".join(map(re.escape, longest_first(d["nouns"]))) + ")"
            + r"(?=$|[，。；：、！？,;:!?\n])"),
        implementing=frozenset(v["implementing"]["kinds"]),
        impl_prefixes=longest_first(v["implementing"]["prefixes"]),
        wrap_verbs=longest_first(v["implementing"]["wrap_verbs"]),
        wrap_kinds=frozenset(v["implementing"]["wrap_kinds"]),
        national=longest_first(j["national"]),
        provincial=longest_first(j["provincial"] + list(meta["provinces"])),
        province_short=longest_first(meta["provinces"].values()),
        not_province_after=longest_first(j["not_province_after"]),
        municipal=longest_first(j["municipal"]),
        national_instruments=frozenset(j["national_instruments"]),
        generic_suffixes=frozenset(v["generic_stem_endings"]["suffixes"]),
        leading_verbs=longest_first(v["leading_verbs"]["words"]),
        count_re=re.compile("等?[" + re.escape(v["shared_suffix"]["numerals"]) + "]+(?:"
                            + "|".join(map(re.escape, v["shared_suffix"]["classifiers"])) + ")$"),
        list_connectors=longest_first(v["shared_suffix"]["list_connectors"]),
        slogan_max=int(v["shared_suffix"]["slogan_max"]),
        not_prefix=tuple(v["shared_suffix"]["not_prefix"]),
        slogan_quotes={o: c for o, c in v["shared_suffix"]["slogan_quotes"]},
        list_item_len=(int(v["shared_suffix"]["uncounted_item_min"]), int(v["shared_suffix"]["uncounted_item_max"])),
    )


@dataclass
class _Cand:
    start: int            # name span inside the sentence text (the quote span)
    end: int
    name: str
    suffix: str
    verb_stop: bool       # the walk back stopped at a verb (not at a delimiter or a list connector)
    action: str = ""      # fixed action ("围绕X作出决定" is enacted), else from the context
    shared: bool = False  # one item of a counted list sharing its suffix (A、B两个条例)


def _name_ends_in(segment: str, v: _Vocab) -> bool:
    """Whether a name (a suffix with a stem, then a boundary or an ok follower) lies in ``segment``."""
    for m in v.suffix_re.finditer(segment):
        if m.start() == 0 or (m.group() == "法" and segment[m.start() - 1:m.end()] in v.not_law_words):
            continue
        nxt = segment[m.end():]
        if not nxt or nxt[0] in v.delimiters or nxt[0] in _CLAUSE_END or nxt.startswith(v.follow_ok):
            return True
    return False


def _follower_ok(text: str, e: int, suffix: str, v: _Vocab) -> bool:
    """Whether what follows a suffix ending at ``e`` lets it end a name."""
    if text.startswith(v.follow_bad, e):
        return False
    if e >= len(text) or text[e] in v.delimiters or text[e] in _CLAUSE_END or text[e] in "）)”」（(":
        return True
    if suffix not in v.weak and suffix not in v.decision_like and suffix != "宪法":
        return True
    # "宪法和法律", "宪法与人民代表大会制度": a word connector must lead to another name (before the next 、 or
    # clause end)
    conn = next((c for c in v.connectors if c not in v.delimiters and text.startswith(c, e)), None)
    if conn is not None:
        a = e + len(conn)
        return _name_ends_in(text[a:_index(text)[1].end_of(a, len(text))], v)
    return text.startswith(v.follow_ok, e)


def _verb_ending_at(text: str, i: int, lo: int, v: _Vocab) -> str | None:
    """The introducing verb/preposition that ends exactly at ``i`` (the name would start at ``i``),
    or before an aspect particle there ("审议了").

    ``str.endswith`` with the tuple of verbs answers "does any verb end here" in one call in C; it runs for
    every character a name is walked back over (with the other tuple tests of this module, laws on c200:
    1.75 s → 0.83 s)."""
    ends_in_verb = text.endswith(v.verb_list, lo, i)
    if i - 1 > lo and text[i - 1] in v.particles and not ends_in_verb:
        return _verb_ending_at(text, i - 1, lo, v)
    if not ends_in_verb:
        return None
    for verb in v.verbs_by_last[text[i - 1]]:   # the verbs ending here end with its character (c1000: 200,000
        if not text.endswith(verb, lo, i):       # calls, a loop over all verbs for 30,000 of them before)
            continue
        j = i - len(verb)
        if len(verb) == 1 and (text[j:i + 1] in v.verb_exceptions or text[j - 1:i] in v.verb_exceptions):
            continue
        if verb in v.weak_verbs:
            if j > lo and text[j - 1] not in v.delimiters and text[j - 1] not in _CLAUSE_END \
                    and not text.endswith(v.adverbs, lo, j) and not text.endswith(v.strong_verbs, lo, j):
                continue
        return verb
    return None


def _walk_back(text: str, s: int, lo: int, ends: dict[int, _Cand], v: _Vocab) -> tuple[int, bool]:
    """Where a name ending in a suffix at ``s`` starts: after a verb, a delimiter or a list connector."""
    i, floor = s, max(lo, s - _MAX_NAME)
    while i > floor:
        # a "verb" right before a bare 法 is the name's stem (监督法, 选举法), not its verb
        if (i < s or text[s] != "法") and _verb_ending_at(text, i, lo, v):
            return i, True
        if ends:   # a list connector counts only after an earlier name
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


def _title_start(text: str, s: int, lo: int, suffix: str, v: _Vocab) -> int | None:
    """Start of a formal title ``关于…`` before ``s`` in the same clause, if any: for decisions and
    resolutions, or for a suffix right after 的 (关于…的规定)."""
    if suffix not in v.decision_like and not any(text.endswith(w, lo, s) for w in v.title_before_suffix):
        return None
    best = None
    for w in v.title_start:
        j = _index(text)[2].last(w, lo, s)
        if j >= 0 and (best is None or j > best):
            best = j
    return best


@lru_cache(maxsize=4)
def _index(text: str) -> tuple[Marks, Marks, Occurrences]:
    """A sentence's clause ends, clause ends and 、, and word occurrences, found once: the questions asked for each
    name (where does its clause start, where was a verb last) are answered without scanning back over the sentence
    each time, which on a long sentence without punctuation was quadratic."""
    return Marks(text, _CLAUSE_END), Marks(text, _CLAUSE_END + "、"), Occurrences(text)


def _clause_start(text: str, i: int) -> int:
    return _index(text)[0].start_of(i, 0)


def _clause_end(text: str, i: int) -> int:
    return _index(text)[0].end_of(i, len(text))


def _candidates(text: str, v: _Vocab) -> list[_Cand]:
    """Every name in one sentence, in text order."""
    out: list[_Cand] = []
    ends: dict[int, _Cand] = {}
    for m in v.suffix_re.finditer(text):
        s, e, suffix = m.start(), m.end(), m.group()
        if suffix == "法" and text[max(0, s - 1):e] in v.not_law_words:
            continue
        quoted = text.startswith("》", e)
        if not quoted and not _follower_ok(text, e, suffix, v):
            continue
        lo = _clause_start(text, s)
        verb_stop = nested = False
        if quoted:
            start = _index(text)[2].last("《", 0, s) + 1
            if start == 0:
                continue
        else:
            # a formal title 关于… wins unless another name lies between (a decision's title may
            # quote the names it is about: 关于修改《X条例》等五件地方性法规的决定)
            t = _title_start(text, s, lo, suffix, v)
            between = [c for c in out if t is not None and t < c.end <= s]
            if t is not None and (not between or suffix in v.decision_like):
                start, nested = t, bool(between)
            else:
                start, verb_stop = _walk_back(text, s, lo, ends, v)
                wrapped = _wrapped_start(text, start, suffix, out, lo, ends, v)
                if wrapped is not None:
                    start, verb_stop = wrapped
        if not quoted:
            start = _drop_leading_verb(text, start, s, v)
            if _in_slogan(text, start, e, v):
                continue    # “学条例、强履职”: a slogan that happens to hold a suffix
            shared = _shared_suffix(text, start, s, e, suffix, lo, v)
            if shared is not None:
                for c in shared:
                    out.append(c)
                    ends[c.end] = c
                continue
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
        # a name that contains an earlier one (家庭教育促进法实施办法) replaces it; names quoted inside a
        # decision's title stay (the decision amends them)
        out = [c for c in out if not (start <= c.start and c.end <= e) or (nested and _quoted(text, c))]
        out.append(cand)
        ends[e] = cand
    return out


def _drop_leading_verb(text: str, start: int, s: int, v: _Vocab) -> int:
    """Start of the name once a verb left at its head ("落实…办法") is dropped; a wrapped title
    (实施《…》办法, 实施X法办法) or a bare kind (实施办法) keeps it."""
    for w in v.leading_verbs:
        k = start + len(w)
        if text.startswith(w, start) and k < s and text[k] != "《" and _CJK.match(text, k):
            if w in v.wrap_verbs and _name_ends_in(text[k:s], v):
                return start    # "实施家庭教育促进法办法": a measure wrapped around a law, unquoted
            return k
    return start


def _in_slogan(text: str, start: int, e: int, v: _Vocab) -> bool:
    """A name starting right after an opening quote that closes shortly after it (“学条例、强履职”)."""
    if start == 0 or text[start - 1] not in v.slogan_quotes:
        return False
    close = text.find(v.slogan_quotes[text[start - 1]], e, e + v.slogan_max + 1)   # one character
    return close >= 0 and "《" not in text[start:close]


def _shared_suffix(text: str, start: int, s: int, e: int, suffix: str, lo: int, v: _Vocab
                   ) -> list[_Cand] | None:
    """"对自治区物业管理、城乡供水两个条例进行二审": a counted list sharing one suffix, one name per
    item (first item's jurisdiction prefix given to the others); None when the stem is not counted."""
    m = v.count_re.search(text, start, s)
    if not m:
        return _uncounted_list(text, start, s, e, suffix, lo, v)
    if m.start() == start:
        return None
    spans = [(start, m.start())]
    i = start
    while True:
        conn = next((c for c in v.list_connectors if text.endswith(c, lo, i)), None)
        if conn is None:
            break
        j = i - len(conn)
        k = j
        while k > lo and text[k - 1] not in v.delimiters and text[k - 1] not in _CLAUSE_END \
                and not _verb_ending_at(text, k, lo, v):
            k -= 1
        if k == j:
            break
        spans.insert(0, (k, j))
        i = k
    if any(v.suffix_re.search(text[a:b]) and _name_ends_in(text[a:b], v) for a, b in spans):
        return []       # "A条例、B条例等3件条例": the count closes a list of full names
    if len(spans) == 1:
        spans = _split_words(text, *spans[0], v)
    if any(not _CJK.search(text[a:b]) or b - a < 2 for a, b in spans):
        return None
    return _items_with_suffix(text, spans, e, suffix, v)


def _items_with_suffix(text: str, spans: list[tuple[int, int]], e: int, suffix: str, v: _Vocab
                       ) -> list[_Cand] | None:
    """One name per list item: the item, the first item's jurisdiction prefix when it has none, and the
    shared suffix; each quotes from its item to the end of the shared suffix. None when an item is no name
    stem (尊崇宪法、忠于宪法; 立法规划、重大事项决定; 设区的市、自治州法规和单行条例: the same rules as a
    single name)."""
    if any(not _stem_ok(text[a:b], suffix, False, v) for a, b in spans):
        return None
    prefix = _prefix_of(text[spans[0][0]:spans[0][1]], v)
    out = []
    for a, b in spans:
        item = text[a:b]
        if prefix and _prefix_of(item, v) is None:
            item = prefix + item
        out.append(_Cand(a, e, item + suffix, suffix, a == spans[0][0], shared=True))
    return out


def _uncounted_list(text: str, start: int, s: int, e: int, suffix: str, lo: int, v: _Vocab
                    ) -> list[_Cand] | None:
    """"制定常德市柳叶湖保护、城市绿化、养犬管理条例": a 、 list of name stems before one suffix, the
    list right after a verb; one name per item, the first item's jurisdiction prefix given to the
    others. None unless every item is a plausible stem (a few characters, no action verb inside)."""
    lo_len, hi_len = v.list_item_len
    spans = [(start, s)]
    i = start
    while text.endswith("、", lo, i):
        j = i - 1
        k = j
        while k > lo and text[k - 1] not in v.delimiters and text[k - 1] not in _CLAUSE_END \
                and not _verb_ending_at(text, k, lo, v):
            k -= 1
        if k == j:
            return None
        spans.insert(0, (k, j))
        i = k
    if len(spans) < 2 or not _verb_ending_at(text, spans[0][0], lo, v):
        return None
    for a, b in spans:
        item = text[a:b]
        if not lo_len <= len(item) <= hi_len or not all(_CJK.match(ch) for ch in item) \
                or any(w in item for w in v.verb_list if v.verbs[w] and len(w) > 1) \
                or v.suffix_re.search(item) and _name_ends_in(item, v):
            return None
    return _items_with_suffix(text, spans, e, suffix, v)


def _split_words(text: str, a: int, b: int, v: _Vocab) -> list[tuple[int, int]]:
    """"物业管理和城乡供水": the items of a counted list joined by a word connector."""
    for c in v.list_connectors:
        k = text.find(c, a, b)
        if c != "、" and k > a:
            return [(a, k), (k + len(c), b)]
    return [(a, b)]


def _prefix_of(item: str, v: _Vocab) -> str | None:
    """The jurisdiction prefix an item starts with (自治区, 省, 江西省, 郑州市), if any."""
    if item.startswith(v.not_prefix):
        return None
    words = v.national + v.provincial + v.province_short + v.municipal
    best = max((w for w in words if item.startswith(w) and len(w) < len(item)), key=len, default=None)
    m = next(filter(None, (re.match(r"^[\u4e00-\u9fff]{1,6}?" + k, item) for k in ("市", "自治州", "盟", "州"))), None)
    if m and not item.startswith(("城市", "都市")) and len(m.group()) < len(item) \
            and (best is None or len(m.group()) > len(best)):
        best = m.group()
    return best


def _quoted(text: str, c: _Cand) -> bool:
    return c.start > 0 and text[c.start - 1] == "《" and text.startswith("》", c.end)


def _wrapped_start(text: str, start: int, suffix: str, out: list[_Cand], lo: int,
                   ends: dict[int, _Cand], v: _Vocab) -> tuple[int, bool] | None:
    """"江西省实施《中华人民共和国反家庭暴力法》办法": a measure wrapped around a quoted law is one
    name; (its start, whether a verb stopped the walk) when the suffix follows such a quote."""
    if suffix not in v.wrap_kinds or not out or not _quoted(text, out[-1]) or out[-1].end + 1 != start:
        return None
    q = out[-1].start - 1
    verb = next((w for w in v.wrap_verbs if text.endswith(w, lo, q)), None)
    if verb is None:
        return None
    head, stop = _walk_back(text, q - len(verb), lo, ends, v)
    out.pop()
    return head, stop


def _stem_ok(stem: str, suffix: str, quoted: bool, v: _Vocab) -> bool:
    if stem.startswith("等"):
        return False    # "…》等五件地方性法规的决定": the tail of a list, not a name
    if any("的" + d + "等" in stem for d in v.decision_like):
        return False    # "关于X的决定等重大事项决议决定": a name then a count of its kind
    if suffix == "宪法":
        return stem in ("", "中华人民共和国") or quoted
    if not _CJK.search(stem):
        return False
    core = stem.rstrip("的")
    if core in v.generic or stem in v.generic:
        return False
    if not quoted and stem.endswith(v.determiners):
        return False    # 修改完善相关条例: the regulations are referred to, not named
    if suffix == "法" and not quoted and core.endswith(v.law_kinds):
        return False    # 对照上位法: a kind of law, not one
    ending = next((w for w in v.generic_endings if core.endswith(w)), None)
    if ending and suffix in v.generic_suffixes and not core[:-len(ending)].endswith(v.generic_place_before):
        return False    # a kind of regulation (自治条例单行条例), not one
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
    found = _index(text)[2]
    for verb in found.present(v.action_verbs):
        k = found.last(verb, lo, group[0].start)
        if k >= 0 and k + len(verb) > best_end:
            best, best_end = v.verbs[verb], k + len(verb)
    if best == "other":
        # "对X条例等法规中…的条款打包修改": the verb closing the name's clause
        post = _closing_verb(text, group[-1].end, tail_end, v) \
            if tail_end == _clause_end(text, group[-1].end) else None
        if post:
            return [post]
    if best == "other":
        # "X条例经…审议通过，自…起施行": adoption cues after the name, up to the next name
        m = v.post_fallback_re.search(text, group[-1].end, next_start)
        if m:
            return [v.post_fallback[m.group()]]
    return [best]


def _closing_verb(text: str, a: int, b: int, v: _Vocab) -> str | None:
    """The action of a verb that ends the clause after a name (an aspect particle may follow)."""
    while b > a and text[b - 1] in v.particles:
        b -= 1
    for verb in v.verb_list:
        if v.verbs[verb] and v.verbs[verb] != "other" and text.endswith(verb, a, b):
            return v.verbs[verb]
    return None


def _groups(text: str, cands: list[_Cand], v: _Vocab) -> list[list[_Cand]]:
    groups: list[list[_Cand]] = []
    for c in cands:
        if groups and c.shared and groups[-1][-1].shared and c.end == groups[-1][-1].end:
            groups[-1].append(c)
            continue
        if groups and c.end > groups[-1][-1].end:     # a name quoted inside a title is its own group
            between = text[groups[-1][-1].end:c.start]
            for w in v.connectors + ("等",) + tuple(v.quote_marks):
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
    if name.startswith(v.national):
        return "national"
    if name.startswith(v.provincial):
        return "provincial"
    short = next((p for p in v.province_short if name.startswith(p)), None) \
        if name.startswith(v.province_short) else None   # (one test in C for the usual no)
    if short and not name.startswith(v.not_province_after, len(short)):
        return "provincial"
    if name.startswith(v.municipal) or re.match(r"^[\u4e00-\u9fff]{1,6}?[市州盟]", name) \
            and not name.startswith(("城市", "都市")):
        return "municipal"
    if instrument in v.national_instruments:
        return "national"
    return "municipal"


@cache
def _plan_cues() -> tuple[tuple[str, ...], ...]:
    p = load("laws")["plan_cues"]
    return (longest_first(p["phrases"]), longest_first(p["modals"]), longest_first(p["nominal_modals"]),
            longest_first(p["modal_followers"]), longest_first(p["modal_subjects"]))


def plan_status(text: str, part: str) -> str:
    """"planned" in a plan section or when the sentence carries a plan cue (新的一年, 常委会将…,
    拟制定); else "done"."""
    if part == "plan":
        return "planned"
    phrases, modals, nominal, followers, subjects = _plan_cues()
    if any(w in text for w in phrases):
        return "planned"
    for m in modals + nominal:
        k = text.find(m)
        while k >= 0:
            after = k + len(m)
            if text.endswith(subjects, 0, k) or (m in modals and text.startswith(followers, after)):
                return "planned"
            k = text.find(m, k + 1)
    return "done"


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
        status = plan_status(text, sent.part)
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
                    inst = v.instruments[c.suffix]
                    a, b = sent.char_start + c.start, sent.char_start + c.end
                    out.append(Law(sentence=sent.index, char_start=a, char_end=b, quote=clean[a:b],
                                   name=c.name, instrument=inst, jurisdiction=jurisdiction(c.name, inst),
                                   action=action, status=status))
    return out
