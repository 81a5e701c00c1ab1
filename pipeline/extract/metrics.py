"""Metrics: the quantitative facts of a report, built from the numbers whose role is "metric".

For each one: the quote (clause start → unit), indicator phrase, approx, period, category and
codebook code. Vocabularies: ``metric_context`` (clause words, period cues), ``metric_categories``.
Finding numbers is ``numbers.py``'s job; the codebook lives in ``indicators.py``.
"""
from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from pipeline.extract.indicators import Indicator, classify
from pipeline.extract.model import Metric, NumberMention
from pipeline.extract.numerals import find_numerals
from pipeline.text.clean_lex import pos_tags
from pipeline.text.marks import Marks, Occurrences
from pipeline.text.model import Sentence
from pipeline.vocab import load

_MARKUP = re.compile(r"^[#*\s]+|[*\s]+$")
_BOLD_LEAD = re.compile(r"^\s*\*\*(.+?)\*\*")
_SENT_END = "。！？!?"


@cache
def _heading_numbering() -> re.Pattern:
    """Heading numbers (第一部分, 一、, （一）, 1.) over the numerals of ``vocab/headings.toml``."""
    n = load("headings")["numbering"]["numerals"]
    return re.compile(rf"^(?:第[{n}\d]+(?:部分|章|篇)|[{n}]+、|[（(][{n}\d]+[）)]|\d{{1,2}}(?:[.．](?!\d)|、))")


@dataclass(frozen=True)
class _Vocab:
    delims: frozenset[str]          # clause delimiters incl. 、
    hard_delims: frozenset[str]     # clause delimiters without 、
    lead: tuple[str, ...]
    verbs: tuple[str, ...]
    noun_stops: tuple[str, ...]
    predicate_adverbs: tuple[str, ...]
    noun_stop_pos: tuple[str, ...]
    serial_pos: frozenset[str]
    serial_next_pos: frozenset[str]
    enum_end: str
    streak_units: frozenset[str]
    max_noun_after: int
    max_object_before: int
    term: tuple[str, ...]
    past_year: tuple[str, ...]
    term_review_heading: tuple[str, ...]
    plan_modals: frozenset[str]
    plan_weak_modals: frozenset[str]
    plan_weak_subject_pos: frozenset[str]
    plan_times: tuple[str, ...]
    plan_skip_pos: tuple[str, ...]
    plan_cue: re.Pattern | None     # a plan time word or modal: a sentence without any announces nothing
    cat_order: tuple[str, ...]
    cat_mask: re.Pattern | None
    title_mask: re.Pattern | None
    cat_cues: tuple[tuple[str, str], ...]   # (cue, category), longest cue first
    cat_weak: frozenset[str]                 # cues that lose to any other cue at the same level
    object_preps: tuple[str, ...]
    trailing_verbs: tuple[str, ...]
    rate_suffixes: tuple[str, ...]
    change_leads: tuple[str, ...]
    share_units: frozenset[str]
    year_prefix: re.Pattern
    year_not_followed: tuple[str, ...]
    goal_year_before: tuple[str, ...]
    goal_year_after: tuple[str, ...]


def _lf(words) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=len, reverse=True))


@cache
def _vocab() -> _Vocab:
    c, k = load("metric_context"), load("metric_categories")
    cl, p = c["clause"], c["period"]
    order = tuple(k["order"])
    cues = [(w, cat) for cat in order for w in k["cues"].get(cat, [])]
    cues.sort(key=lambda x: (-len(x[0]), order.index(x[1])))
    mask = k.get("mask", [])
    delims = frozenset(cl["delimiters"]) - frozenset("（）()")
    return _Vocab(
        delims=delims, hard_delims=delims - {"、"},
        lead=_lf(cl["lead"]), verbs=_lf(cl["verbs"]), noun_stops=_lf(cl["noun_stops"]),
        predicate_adverbs=_lf(cl["predicate_adverbs"]), noun_stop_pos=tuple(cl["noun_stop_pos"]),
        serial_pos=frozenset(cl["serial_pos"]), serial_next_pos=frozenset(cl["serial_next_pos"]),
        enum_end=cl["enum_end"], streak_units=frozenset(load("units")["streak"]["units"]),
        max_noun_after=int(cl["max_noun_after"]), max_object_before=int(cl["max_object_before"]),
        term=_lf(p["term"]), past_year=_lf(p["past_year"]), term_review_heading=_lf(p["term_review_heading"]),
        plan_modals=frozenset(p["plan_modals"]), plan_times=_lf(p["plan_times"]),
        plan_weak_modals=frozenset(p.get("plan_weak_modals", [])),
        plan_weak_subject_pos=frozenset(p.get("plan_weak_subject_pos", [])),
        plan_skip_pos=tuple(p["plan_skip_pos"]),
        plan_cue=re.compile("|".join(map(re.escape, _lf([*p["plan_modals"], *p["plan_times"]]))))
        if p["plan_modals"] or p["plan_times"] else None,
        cat_order=order, cat_mask=re.compile("|".join(map(re.escape, _lf(mask)))) if mask else None,
        cat_cues=tuple(cues), cat_weak=frozenset(k.get("weak", [])),
        title_mask=(re.compile(re.escape(k["mask_titles"][0]) + "[^" + re.escape(k["mask_titles"][1]) + "\n]*"
                               + re.escape(k["mask_titles"][1])) if k.get("mask_titles") else None),
        object_preps=_lf(cl.get("object_prepositions", [])), trailing_verbs=_lf(cl.get("trailing_verbs", [])),
        rate_suffixes=_lf(k.get("rate_suffixes", [])), change_leads=_lf(k.get("change_leads", [])),
        share_units=frozenset(load("units")["share"]["units"]),
        year_prefix=re.compile(r"^\d{4}(?:" + "|".join(map(re.escape, _lf(c["year"]["suffixes"]))) + ")"),
        year_not_followed=_lf(p.get("review_year_not_followed", [])),
        goal_year_before=_lf(p.get("goal_year_before", [])), goal_year_after=_lf(p.get("goal_year_after", [])),
    )


# ---------------------------------------------------------------- document layout: headings, lead-ins

@dataclass(frozen=True)
class _Layout:
    heading_starts: list[int]        # line starts of heading lines, ascending
    headings: list[str]
    para_starts: list[int]           # paragraph (line) starts
    para_leads: list[str]            # the paragraph's lead-in ('' when none)
    review_is_term: bool
    review_end_year: int | None = None   # the last year the review covers (see _review_end_year)


_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_YEAR = re.compile(r"(?<![\d〇零一二三四五六七八九])((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})(?=年)")


def _years(text: str, v: _Vocab) -> list[tuple[int, int, int]]:
    """(year, start, end) of the years written in ``text``, end past 年/年度 (2025年, 二〇二五年度)."""
    out = []
    for m in _YEAR.finditer(text):
        y = int(m.group(1).translate(_CN_DIGITS))
        if 1900 <= y <= 2099:
            out.append((y, m.start(), _year_end(text, y, m.end(), len(text), v)))
    return out


def _year_end(text: str, y: int, end: int, hi: int, v: _Vocab) -> int:
    """End of the year ``y`` whose digits end at ``end``, past its suffix (年, 年度) in text[:hi]."""
    hit = v.year_prefix.match(str(y) + text[end:min(end + 4, hi)])
    return end + (hit.end() - 4 if hit else 0)


def _is_goal_year(text: str, start: int, end: int, v: _Vocab) -> bool:
    """Whether the year at text[start:end] is a target (到2035年, 2027年前), not a range's end (2021年到2025年)."""
    if text.startswith(v.goal_year_after, end):
        return True
    for w in v.goal_year_before:
        if text.endswith(w, 0, start):
            return not _YEAR_END.search(text, 0, start - len(w))
    return False


_YEAR_END = re.compile(r"(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})年度?$")


def _review_end_year(clean: str, sentences: list[Sentence], v: _Vocab) -> int | None:
    """The review's last year: the largest (non-goal) year of its sentences, else the plan part's first year − 1."""
    review, plan = [], []
    for s in sentences:
        if s.part not in ("review", "plan"):
            continue
        text = clean[s.char_start:s.char_end]
        if "年" not in text:
            continue   # _YEAR needs a 年 after the year
        ys = [y for y, a, b in _years(text, v) if not _is_goal_year(text, a, b, v)]
        (review if s.part == "review" else plan).extend(ys)
    if review:
        return max(review)
    return min(plan) - 1 if plan else None


def _heading_of_line(line: str) -> str:
    """The heading text when ``line`` is a heading ('' otherwise)."""
    st = line.strip()
    if not st:
        return ""
    if st.startswith("#"):
        return _MARKUP.sub("", st)
    m = _BOLD_LEAD.match(st)
    if m:
        return m.group(1).strip()
    if len(st) <= 40 and st[-1] not in _SENT_END + "，,；;：:" and (_heading_numbering().match(st) or len(st) <= 30):
        return st
    if _heading_numbering().match(st) and len(st) <= 40 and st[-1] in "。" and st.count("。") == 1 and "，" not in st:
        return st
    return ""


def _layout(clean: str, sentences: list[Sentence], v: _Vocab) -> _Layout:
    hs, hh, ps, pl = [], [], [], []
    review_term = False
    sent_starts = [s.char_start for s in sentences]
    pos = 0
    for line in clean.split("\n"):
        start = pos
        pos += len(line) + 1
        h = _heading_of_line(line)
        if h:
            hs.append(start)
            hh.append(h)
            i = bisect.bisect_right(sent_starts, start) - 1
            part = sentences[i].part if 0 <= i < len(sentences) else "front"
            if part in ("front", "review") and any(c in h for c in v.term_review_heading):
                review_term = True
        st = line.strip()
        if st and not h:
            body = _BOLD_LEAD.sub("", st)
            first = re.split(r"(?<=[。！？])", body, maxsplit=1)[0]
            lead = first if len(first) <= 24 and first[-1:] in "。！？" else ""
            m = _BOLD_LEAD.match(st)
            ps.append(start)
            pl.append(m.group(1) if m else lead)
    return _Layout(hs, hh, ps, pl, review_term, _review_end_year(clean, sentences, v))


def _at(starts: list[int], values: list[str], pos: int) -> str:
    i = bisect.bisect_right(starts, pos) - 1
    return values[i] if i >= 0 else ""


# ---------------------------------------------------------------- clause words

_BLANK = " \t\u3000\u200b\u200c\u200d\ufeff\xa0"
PROPOSALS_PART = "proposals"
_STREAK_MAX = 30   # characters of the clause kept as a streak's indicator
_SHARED_LEVELS = (2, 3)   # _category's lead-in and heading: they may title several fields of work
_EXAMPLES_END = "等"   # closes an enumeration of examples (A、B等N项)


def _strip_lead(s: str, v: _Vocab) -> str:
    s = s.strip(_BLANK)
    changed = True
    while changed and s and s.startswith(v.lead):   # one test in C before the loop over the words
        changed = False
        for w in v.lead:
            if s.startswith(w):
                s, changed = s[len(w):], True
                break
    return s


def _only_lead(text: str, lo: int, hi: int, v: _Vocab) -> bool:
    """Whether text[lo:hi] is blanks and framing words only: ``not _strip_lead(text[lo:hi], v)``, reading only
    what it strips (a long clause is not copied)."""
    while lo < hi and text[lo] in _BLANK:
        lo += 1
    while hi > lo and text[hi - 1] in _BLANK:
        hi -= 1
    while lo < hi and text.startswith(v.lead, lo, hi):
        lo += next(len(w) for w in v.lead if text.startswith(w, lo, hi))
    return lo >= hi


def _split_verb(s: str, v: _Vocab) -> tuple[str, str]:
    """(verbs, object): leading verbs peeled off a clause head (召开常委会会议 → 召开, 常委会会议)."""
    verbs = ""
    changed = True
    while changed and s and s.startswith(v.verbs):   # as in _strip_lead
        changed = False
        for w in v.verbs:
            if s.startswith(w):
                verbs, s, changed = verbs + w, s[len(w):], True
                s = _strip_lead(s, v) if s else s
                break
    return verbs, s


@cache
def _posseg():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


_BLOCK_CACHE = 1 << 16   # blocks of jieba.posseg remembered (a clause each; ≈ 100 bytes)


@lru_cache(maxsize=_BLOCK_CACHE)
def _block_words(block: str) -> tuple[tuple[str, str], ...]:
    """jieba.posseg's (word, flag) pairs of one of its blocks."""
    return tuple((p.word, p.flag) for p in _posseg().cut(block))


def _words(text: str) -> tuple[tuple[str, str], ...]:
    """jieba.posseg's (word, flag) pairs of ``text``.

    posseg splits a text into blocks with its own ``re_han_internal`` (runs of CJK/alphanumerics; the rest one
    block each) and tags every block on its own, so the text's pairs are its blocks' pairs in order. The cache
    by block is bounded; the blocks _SentenceCues reads are the stretches between numbers, each read once."""
    posseg = _posseg()
    return tuple(pair for block in posseg.re_han_internal.split(text) if block for pair in _block_words(block))


def _predicate_starts(text: str, v: _Vocab) -> tuple[frozenset[int], frozenset[int]]:
    """(predicate starts, word starts) of ``text`` from jieba's tags; the first word never starts a predicate.

    A predicate starts at a closed-class word (conjunction, preposition, auxiliary) or at a
    verb/adjective/adverb directly followed by a verb (到/v 会/v 应询, 全/a 覆盖/v).
    """
    words = _words(text)
    pred, starts, i = set(), set(), 0
    for k, (w, flag) in enumerate(words):
        starts.add(i)
        if k:
            nxt = words[k + 1][1] if k + 1 < len(words) else ""
            if flag.startswith(v.noun_stop_pos) or (flag in v.serial_pos and nxt in v.serial_next_pos):
                pred.add(i)
        i += len(w)
    return frozenset(pred), frozenset(starts)


def _noun_word_at(clean: str, i: int) -> bool:
    """A dictionary noun of 3–4 characters starts at ``i`` (发布会 in 新闻发布会): its verb-like head (发布)
    does not end the counted noun."""
    tags = pos_tags()
    return any(tags.get(clean[i:i + k], "").startswith("n") for k in (3, 4))


def _noun_after(clean: str, pos: int, end: int, v: _Vocab) -> tuple[str, int]:
    """(noun, end) of the counted noun right after the unit (545件建议均已办理完毕 → 建议).

    An enumeration "、…等" after the first noun is skipped to the noun after 等
    (35名经济、法律等领域专家学者 → 领域专家学者).
    """
    def scan(i: int) -> int:
        n, base = 0, i
        window = clean[i:min(end, i + v.max_noun_after + 4)]
        pred, starts = _predicate_starts(window, v) if window else (frozenset(), frozenset())
        while i < end and n < v.max_noun_after:
            if i - base in pred:
                break
            ch = clean[i]
            if ch in v.delims or ch.isdigit() or ch in "《》" or ch.isspace() or ch in _BLANK:
                break
            rest = clean[i:i + 4]
            at_word = n == 0 or i - base in starts
            if (at_word and rest.startswith(v.noun_stops)) or (n == 0 and find_numerals(ch)) or \
                    (n >= 2 and rest.startswith(_long_verbs(v.verbs))
                     and not _noun_word_at(clean, i)) or \
                    (n >= 1 and at_word and rest.startswith(v.predicate_adverbs)):
                break
            i, n = i + 1, n + 1
        return i

    j = scan(pos)
    if pos < j < end and find_numerals(clean[j]):
        # ran into the next number: a predicate lies between (作品分获全国第32届 → 作品); cut at its last verb
        i, cut = 0, 0
        for k, (w, flag) in enumerate(_words(clean[pos:j])):
            if k and flag == "v" and len(w) >= 2:
                cut = i
            i += len(w)
        j = pos + cut if cut else j
    j = _close_bracket(clean, pos, j, end)
    if j > pos and j < end and clean[j] == "、":
        k = clean.find(v.enum_end, j, end)
        if k > 0:
            j2 = scan(k + len(v.enum_end))
            if j2 > k + len(v.enum_end):
                j2 = _close_bracket(clean, k + len(v.enum_end), j2, end)
                return clean[k + len(v.enum_end):j2], j2
    return clean[pos:j], j


_BRACKETS = {"（": "）", "(": ")"}
_BRACKET_REACH = 12


def _close_bracket(clean: str, start: int, j: int, end: int) -> int:
    """``j`` moved so that clean[start:j] holds no open bracket: past its closing bracket when that
    is near (县（市、区）), else back before the bracket (县（市 → 县)."""
    for k in range(j - 1, start - 1, -1):
        ch = clean[k]
        if ch in _BRACKETS.values():
            return j
        if ch in _BRACKETS:
            close = clean.find(_BRACKETS[ch], j, min(end, j + _BRACKET_REACH))
            if close >= 0 and "\n" not in clean[j:close]:
                return close + 1
            return k
    return j


# ---------------------------------------------------------------- attributes

def _category(texts: list[str], code_cat: str, v: _Vocab, verb: str = "") -> str:
    """Category from cue words: the clause's verb, the clause, then the code's category, lead-in, heading, sentence.

    The governing verb decides first: 补选县人大代表3名 is an election (appointments), whatever
    the object names. A weak cue (the bare 代表) decides only when no level has a strong one
    (10名常委会组成人员和市人大代表现场提问, under a 专题询问 lead-in, is oversight).
    A lead-in or heading that names two fields at once (推动立法普法走深走实) does not decide: the next
    level does, and only when none can is the first such level's best cue taken.
    """
    if verb and (cat := _verb_category(verb)) is not None:
        return cat
    undecided = weak = ""
    for level, t in enumerate(texts):
        if level == 1 and code_cat:
            return code_cat
        if not t:
            continue
        strong, any_cue = _cues_in(t)
        if strong:
            if level in _SHARED_LEVELS and len(set(strong)) > 1:
                undecided = undecided or strong[0]
                continue
            return strong[0]
        weak = weak or any_cue
    return weak or undecided or code_cat or "other"


@lru_cache(maxsize=1024)
def _verb_category(verb: str) -> str | None:
    """The category of the first cue the verb holds (None if none); cached: a handful of verbs govern the
    clauses (metrics on c1000: 0.1 s less)."""
    return next((cat for cue, cat in _vocab().cat_cues if cue in verb), None)


@lru_cache(maxsize=1024)
def _cues_in(t: str) -> tuple[tuple[str, ...], str]:
    """(categories of the strong cues in ``t``, longest first; category of its first cue, weak or not), titles
    and masked words blanked. Cached: a sentence, lead-in or heading is read once for all its numbers."""
    v = _vocab()
    if v.title_mask is not None:
        t = v.title_mask.sub("\u3000", t)
    if v.cat_mask is not None:
        t = v.cat_mask.sub("\u3000", t)
    return (tuple(cat for cue, cat in v.cat_cues if cue in t and cue not in v.cat_weak),
            next((cat for cue, cat in v.cat_cues if cue in t), ""))


def _mask_examples(clean: str, start: int, num: int, end: int, v: _Vocab) -> str:
    """clean[start:end] with the examples of an enumeration "A、B等" that opens the counted phrase blanked.

    养老服务联动监督、代表主题活动等9项工作: the examples cut across categories (监督, 代表); what decides is
    what was done with the nine (在全省作典型发言 → self). A single example (集中宣讲等7项活动) is the activity
    itself and stays."""
    k = clean.rfind(_EXAMPLES_END, start, num)
    if k < 0 or clean[k + 1:num].strip(_BLANK + "共计达") or "、" not in clean[start:k]:
        return clean[start:end]
    j = k
    while j > start and clean[j - 1] not in v.delims - {"、"}:
        j -= 1
    return clean[start:j] + "\u3000" * (k + 1 - j) + clean[k + 1:end]


@cache
def _long_verbs(verbs: tuple[str, ...]) -> tuple[str, ...]:
    """The verbs of two or more characters. (Vocabulary tests use ``str.startswith`` with a tuple: one call in
    C instead of a generator over the words: _is_verb's generator alone took 1.7 s of c200's profile.)"""
    return tuple(w for w in verbs if len(w) >= 2)


def _is_verb(word: str, flag: str, v: _Vocab) -> bool:
    return flag.startswith("v") or word.startswith(v.verbs)


def _modal_as_verb(words: tuple[tuple[str, str], ...], k: int, offset: int, v: _Vocab) -> bool:
    """Whether the modal words[k] (``offset`` chars into its clause) is used as a verb.

    将/拟 always are; 计划/准备 are nouns too (立法计划, 工作计划), so they count only at the clause's
    start, after a lead word or another modal, or after an actor subject (常委会计划召开…)."""
    if words[k][0] not in v.plan_weak_modals or offset == 0 or k == 0:
        return True
    prev, flag = words[k - 1]
    return prev in v.plan_modals or prev in v.lead or flag in v.plan_weak_subject_pos


@dataclass(frozen=True)
class _PlanPrefixes:
    """For every prefix of a word sequence, whether it announces future work (see _plan_prefixes)."""
    ray: int                  # the prefixes of ``ray`` or more words do
    points: frozenset[int]    # and these lengths (a weak modal whose verb opens a relative clause after them)

    def holds(self, j: int) -> bool:
        return j >= self.ray or j in self.points


def _plan_prefixes(text: str, words: tuple[tuple[str, str], ...], v: _Vocab) -> _PlanPrefixes:
    """Whether the sentence up to a number announces future work, for every prefix of ``text`` made of whole
    words (``words``: jieba's of ``text``) at once.

    A time cue opening a clause (新的一年，…; 明年…), or a modal (将, 拟, 计划) that governs its
    clause's verb: the modal is a word of its own, nothing before it in the clause is a verb (so
    it is not inside an object or a relative clause: 得到解决或计划逐步解决的占…), and a verb follows
    it, adverbs skipped (常委会将召开…, 将进一步开展… — but not 将每年5月10日设立为…).

    One pass over the words: the first j words announce future work when such a cue is complete within them,
    so a sentence with a number every few words is read once, not once per number. (A weak modal's verb
    followed by a particle opens a relative clause once the particle is among the words: that cue holds only
    for the prefix ending at the verb.)"""
    ray, points = len(words) + 1, set()
    clause_start, seen_verb, i = 0, False, 0
    for k, (w, flag) in enumerate(words):
        if w in v.delims or (len(w) == 1 and w in v.hard_delims):
            clause_start, seen_verb = i + len(w), False
            i += len(w)
            continue
        if i == clause_start:
            cue = min((len(c) for c in v.plan_times if text.startswith(c, i)), default=0) \
                if text.startswith(v.plan_times, i) else 0   # (one test in C for the usual no)
            j, end = k, i
            while cue and end < i + cue and j < len(words):   # the first prefix holding the whole time word
                end, j = end + len(words[j][0]), j + 1
            if cue and end >= i + cue:
                ray = min(ray, j)
        if w in v.plan_modals and not seen_verb and _modal_as_verb(words, k, i - clause_start, v):
            for k2 in range(k + 1, len(words)):
                w2, f2 = words[k2]
                if w2 in v.plan_modals or (f2.startswith(v.plan_skip_pos) and not _is_verb(w2, "", v)):
                    continue
                if _is_verb(w2, f2, v):
                    if w in v.plan_weak_modals and k2 + 1 < len(words) and words[k2 + 1][1].startswith("u"):
                        points.add(k2 + 1)   # 计划安排的项目: a relative clause, once 的 is read
                    else:
                        ray = min(ray, k2 + 1)
                break
            seen_verb = True
        elif _is_verb(w, flag, v):
            seen_verb = True
        i += len(w)
    return _PlanPrefixes(ray, frozenset(points))


class _SentenceCues:
    """The period cues of one sentence before each of its metrics' numbers (``cuts``): whether the sentence up to
    the number announces future work, and the nearest term or one-year cue. Worked out once per sentence —
    jieba segments the text between consecutive numbers once, cue words and years are found once — so a long
    sentence (a paragraph without punctuation) is not re-read and re-segmented for every number in it."""

    def __init__(self, clean: str, start: int, end: int, cuts: list[int], end_year: int | None, v: _Vocab,
                 delims: Marks):
        self.start, self.v, self.end_year, self.delims = start, v, end_year, delims
        self.text = clean[start:end]
        self.cuts = sorted({c - start for c in cuts})
        self._plan: dict[int, bool] | None = None
        self.found = Occurrences(self.text)
        self._years: tuple[list[int], list[tuple[int, int, int, bool]], list[int]] | None = None

    def plan(self, pos: int) -> bool:
        """Whether the sentence up to ``pos`` (one of the cuts) announces future work (_plan_prefixes). The
        words are jieba's of the pieces between consecutive cuts, so that every cut ends a word and the words
        up to each cut are a prefix of one sequence."""
        if self._plan is None and (self.v.plan_cue is None or not self.v.plan_cue.search(self.text)):
            # no time word, no modal: _plan_prefixes would find no cue, without jieba's tagging of the
            # sentence (metrics on c1000: 3.13 s -> 2.63 s)
            self._plan = dict.fromkeys(self.cuts, False)
        if self._plan is None:
            words: list[tuple[str, str]] = []
            ends, a = {}, 0
            for c in self.cuts:
                words += _words(self.text[a:c])
                ends[c], a = len(words), c
            found = _plan_prefixes(self.text, tuple(words), self.v)
            self._plan = {c: found.holds(j) for c, j in ends.items()}
        return self._plan[pos - self.start]

    def nearest(self, pos: int) -> str:
        """term | past_year | '': the cue nearest before ``pos`` — the last term or one-year word ending by
        ``pos`` (a term word wins a tie), or a later clause opening with the review's last year (past_year)."""
        p = pos - self.start
        best_pos, best = -1, ""
        for words, label in ((self.v.term, "term"), (self.v.past_year, "past_year")):
            for w in self.found.present(words):
                k = self.found.last(w, 0, p)
                if k > best_pos:
                    best_pos, best = k, label
        if self._year_cue(p) > best_pos:
            best = "past_year"
        return best

    def _year_ok(self, y: int, a: int, year_end: int, opens_clause: bool, p: int) -> bool:
        """Whether the year y at text[a:year_end] opens a clause reporting that one year, read in text[:p]."""
        if y != self.end_year or not opens_clause:
            return False
        b = _year_end(self.text, y, year_end, p, self.v)
        return b < p and not self.text.startswith(self.v.year_not_followed, b, p) \
            and not (self.text[b].isdigit() or self.text[b] in "〇零一二三四五六七八九十")   # 2025年3月: a date

    def _year_cue(self, p: int) -> int:
        """Start of the last clause of text[:p] that opens with the review's last year (2025年，…), or -1.

        A year whose suffix and follower lie more than ``margin`` characters before p reads the same in every
        such prefix: those are judged once (``settled``, the last good one up to each); the few nearer are
        judged in text[:p]."""
        if self.end_year is None:
            return -1
        v = self.v
        margin = 5 + max(map(len, v.year_not_followed), default=0)
        if self._years is None:
            ends, years, settled, last = [], [], [], -1
            for m in _YEAR.finditer(self.text):
                y = int(m.group(1).translate(_CN_DIGITS))
                if not 1900 <= y <= 2099:
                    continue
                k = self.delims.start_of(self.start + m.start(), self.start) - self.start
                opens = _only_lead(self.text, k, m.start(), v)
                years.append((y, m.start(), m.end(), opens))
                ends.append(m.end())
                if self._year_ok(y, m.start(), m.end(), opens, len(self.text)):
                    last = m.start()
                settled.append(last)
            self._years = ends, years, settled
        ends, years, settled = self._years
        n = bisect.bisect_left(ends, p)          # years whose 年 lies in text[:p]
        k = n - 1
        while k >= 0 and years[k][2] + margin > p:
            if self._year_ok(*years[k], p):
                return years[k][1]
            k -= 1
        return settled[k] if k >= 0 else -1


class _ParagraphCues:
    """Which period cue a paragraph holds before a position: each paragraph's earliest cue ends are found once,
    so a text that is one long line is not re-scanned for every number (``w in text[para_start:upto]`` holds
    exactly when w's first occurrence from para_start ends by ``upto``)."""

    def __init__(self, clean: str, v: _Vocab):
        self.clean, self.v = clean, v
        self.newlines = [m.start() for m in re.finditer("\n", clean)]
        self.ends: dict[int, tuple[int | None, int | None]] = {}

    def paragraph_start(self, pos: int) -> int:
        i = bisect.bisect_left(self.newlines, pos)
        return self.newlines[i - 1] + 1 if i else 0

    def paragraph_end(self, pos: int) -> int:
        i = bisect.bisect_left(self.newlines, pos)
        return self.newlines[i] if i < len(self.newlines) else len(self.clean)

    def before(self, pos: int) -> str:
        """term | past_year | '' (a term cue wins) for the paragraph of ``pos``, up to ``pos``."""
        start = self.paragraph_start(pos)
        if start not in self.ends:
            i = bisect.bisect_left(self.newlines, start)
            end = self.newlines[i] if i < len(self.newlines) else len(self.clean)
            self.ends[start] = tuple(
                min((p + len(w) for w in words if (p := self.clean.find(w, start, end)) >= 0), default=None)
                for words in (self.v.term, self.v.past_year))
        term_end, past_end = self.ends[start]
        if term_end is not None and term_end <= pos:
            return "term"
        if past_end is not None and past_end <= pos:
            return "past_year"
        return ""


def _period(part: str, cues: _SentenceCues, pos: int, paragraph_cue: str, unit_is_streak: bool, layout: _Layout
            ) -> str:
    """plan | other | term | past_year of a figure from its part and the cues before it (at ``pos``).

    The nearest cue before the number decides: a term cue (本届以来, 五年来), a one-year cue (去年,
    过去一年) or a clause opening with the review's last year (2025年，常委会召开…); then the paragraph's
    cues, then the review's span (multi-year heading → term).
    """
    if part == "plan":
        return "plan"
    if part == "proposals":
        return "other"
    if cues.plan(pos):
        return "plan"
    if unit_is_streak:
        return "term"
    best = cues.nearest(pos)
    if best:
        return best
    if paragraph_cue:
        return paragraph_cue
    return "term" if layout.review_is_term else "past_year"


# ---------------------------------------------------------------- main

def _number_span(n: NumberMention) -> tuple[int, int]:
    toks = find_numerals(n.quote)
    if not toks:
        return n.char_start, n.char_end
    t = toks[0]
    return n.char_start + t.start, n.char_start + t.end


def _inner_object(obj: str, v: _Vocab) -> tuple[str, str]:
    """(verbs, object) when a clause head is subject + verb + object (常委会会议开展学习 → 开展, 学习)."""
    long_verbs = _long_verbs(v.verbs)
    for k in range(1, len(obj) - 1):
        if not obj.startswith(long_verbs, k):   # no verb here: skip the loop over the vocabulary
            continue
        for w in v.verbs:
            if len(w) >= 2 and obj.startswith(w, k) and len(obj) - k - len(w) >= 2:
                verbs, rest = _split_verb(obj[k:], v)
                if len(rest) >= 2:
                    return verbs, rest
    return "", obj


def _code_clause_start(clean: str, cs: int, floor: int, v: _Vocab) -> int:
    """Start of the clause a metric is coded from: ``cs`` (after the last delimiter), moved back over
    the 、 of a series that shares the number: items holding no numeral (制定、修订地方性法规11件;
    批准银川市、石嘴山市、吴忠市等设区的市法规14件; 组织立法调研、座谈、论证25次), up to the item a verb
    opens (the series' head); never before ``floor``."""
    while cs > floor and clean[cs - 1] == "、":
        k = cs - 1
        while k > floor and clean[k - 1] not in v.delims:
            k -= 1
        item = _strip_lead(clean[k:cs - 1], v)
        if not item or find_numerals(item):
            break
        cs = k
        if item.startswith(v.verbs):
            break
    return cs


def _object_first(head: str, v: _Vocab) -> bool:
    """Whether a preposition in the clause head puts the counted noun before its verb (对6个部门开展测评)."""
    return any(p in head for p in v.object_preps)


def _strip_change(obj: str, v: _Vocab) -> tuple[str, str]:
    """(object, change verb): a verb of change and a leading year dropped from an object
    (基层立法联系点增至 → 基层立法联系点; 2025年新增 → '', 新增)."""
    for w in v.trailing_verbs:
        if obj.endswith(w):
            rest = v.year_prefix.sub("", obj[:-len(w)])
            return rest, w
    return obj, ""


def _measures_previous(indicator: str, unit: str, v: _Vocab) -> bool:
    """Whether a share is a rate or change of the count before it (办结率100%, 较上届下降12.3%)."""
    if unit not in v.share_units:
        return False
    ind = indicator
    for w in v.trailing_verbs:
        if ind.endswith(w):
            ind = ind[:-len(w)]
            break
    return ind.endswith(v.rate_suffixes) or ind.startswith(v.change_leads)


def _sentence_of(clean: str, sentences: list[Sentence], sent_starts: list[int], paras: _ParagraphCues, pos: int
                 ) -> tuple[Sentence | None, int, int]:
    """(sentence, start, end) of the sentence holding ``pos``; outside every sentence, its line's."""
    i = bisect.bisect_right(sent_starts, pos) - 1
    if i >= 0 and sentences[i].char_end > pos:
        return sentences[i], sentences[i].char_start, sentences[i].char_end
    return None, paras.paragraph_start(pos), paras.paragraph_end(pos)


def extract_metrics(clean: str, sentences: list[Sentence], numbers: list[NumberMention],
                    codebook: list[Indicator]) -> list[Metric]:
    """Quantitative facts built from the numbers with role "metric" (see module docstring)."""
    v = _vocab()
    mets = sorted((n for n in numbers if n.role == "metric"), key=lambda n: n.char_start)
    if not mets:
        return []
    layout = _layout(clean, sentences, v)
    sent_starts = [s.char_start for s in sentences]
    categories = {c.code: c.category for c in codebook}
    para_cues = _ParagraphCues(clean, v)
    delims, hard_delims = Marks(clean, "".join(v.delims)), Marks(clean, "".join(v.hard_delims))
    spans = [_number_span(n) for n in mets]
    where = [_sentence_of(clean, sentences, sent_starts, para_cues, ns) for ns, _ in spans]
    cuts: dict[tuple[int, int], list[int]] = {}   # sentence span -> its numbers' starts
    for (ns, _), (_, s_start, s_end) in zip(spans, where):
        cuts.setdefault((s_start, s_end), []).append(ns)
    out: list[Metric] = []
    prev_key, prev_end, prev_object, prev_verb = None, -1, "", ""
    for idx, n in enumerate(mets):
        (ns, ne), (sent, s_start, s_end) = spans[idx], where[idx]
        part = sent.part if sent else "review"
        key = sent.index if sent else s_start
        if prev_key != key:
            prev_end, prev_object, prev_verb = -1, "", ""
            sentence = clean[s_start:s_end]
            cues = _SentenceCues(clean, s_start, s_end, cuts[s_start, s_end], layout.review_end_year, v, delims)
        prev_key = key
        next_start = mets[idx + 1].char_start if idx + 1 < len(mets) else len(clean)

        # clause: after the last delimiter (or the previous metric of the same clause)
        cs = delims.start_of(n.char_start, s_start)
        series = (cs > s_start and clean[cs - 1] == "、" and prev_end > s_start   # 召开会议8次、主任会议15次
                  and not any(ch in v.hard_delims for ch in clean[prev_end:cs]))
        if not series:
            prev_verb = ""
        cs = max(cs, prev_end)
        hard_cs = max(hard_delims.start_of(n.char_start, s_start), prev_end)
        hard_ce = hard_delims.end_of(n.char_end, s_end)
        ctx_end = min(hard_ce, next_start) if next_start > n.char_end else hard_ce

        head_raw = clean[cs:n.char_start]
        head = _strip_lead(head_raw.strip(), v)
        verb, obj = _split_verb(head, v)
        head_verb = verb   # the verb opening the clause (not one found inside it)
        obj = _strip_lead(obj, v).rstrip("的等之共计达")
        obj, change_verb = _strip_change(obj, v)
        if obj and not verb:
            verb, obj = _inner_object(obj, v)
        if len(obj) > v.max_object_before:
            obj = obj[-v.max_object_before:]
        streak = n.unit in v.streak_units
        noun, noun_end = _noun_after(clean, n.char_end, ctx_end, v)
        if not obj and noun:
            nverb, nobj = _split_verb(noun, v)
            if nverb and (len(nobj) >= 2 or streak):
                verb, noun = nverb, nobj
        rest = clean[n.char_end:ctx_end].strip(_BLANK)
        if streak:   # what was done each year: the rest of the clause (连续4年听取审议…情况的报告)
            indicator = "连续" + rest[:_STREAK_MAX].rstrip("的")
            noun_end = n.char_end + len(verb) + len(noun) if clean.startswith(verb + noun, n.char_end) else noun_end
        elif len(noun) >= 2 or (noun and not obj):
            indicator = noun
        elif obj:
            indicator = obj
            if len(obj) <= 2 and verb and not obj.startswith(verb[-2:]):
                indicator = verb[-2:] + obj
        elif prev_object:
            indicator = change_verb + prev_object
        else:
            rest = rest.strip(_BLANK).lstrip("的")
            indicator = _split_verb(rest[:v.max_noun_after + 6], v)[1] or rest[:v.max_noun_after + 6]
            noun_end = n.char_end + len(clean[n.char_end:ctx_end]) - len(clean[n.char_end:ctx_end].lstrip()) \
                + len(rest[:v.max_noun_after + 6])
        used_verb = verb or prev_verb

        # quote: clause head (framing words off) → unit, plus the counted noun after it
        stripped = head_raw.lstrip()
        q_start = cs + (len(head_raw) - len(stripped)) + (len(stripped) - len(_strip_lead(stripped, v)))
        q_start = min(q_start, n.char_start)
        if n.char_start - q_start > v.max_object_before + 12:
            q_start = n.char_start - v.max_object_before
        q_end = max(n.char_end, noun_end) if (noun or not obj or streak) else n.char_end

        ctx = _mask_examples(clean, hard_cs, n.char_start, ctx_end, v)
        inherited = "" if (obj or noun) else indicator
        # the code comes from this clause alone: its verb, object and counted noun (never a previous clause's)
        # (the verb of a 、 series is shared: 选举产生市代表558名、县级以上代表3634名); the predicate after the
        # counted noun counts unless another number of the clause follows (全县22个乡镇建成代表联络站35个)
        code_cs = _code_clause_start(clean, cs, hard_cs, v)
        own_rest = _object_first(head_raw, v) or next_start >= hard_ce
        code_ce = ctx_end if own_rest else max(n.char_end, noun_end)
        code_ctx = ("" if verb else prev_verb) + clean[code_cs:code_ce]
        code = classify("" if inherited else indicator, code_ctx, codebook, unit=n.unit)
        lead = _at(layout.para_starts, layout.para_leads, ns)
        heading = _at(layout.heading_starts, layout.headings, ns)
        category = _category([ctx + inherited, "", lead, heading, sentence],
                             categories.get(code, ""), v, head_verb)
        if out and out[-1].sentence == (sent.index if sent else -1) and _measures_previous(indicator, n.unit, v):
            category = out[-1].category
        if part == PROPOSALS_PART:
            category = "other"   # the categories are fields of congress work; a CPPCC proposal's figures are none
        period = _period(part, cues, ns, para_cues.before(s_start), streak, layout)

        out.append(Metric(sentence=sent.index if sent else -1, char_start=q_start, char_end=q_end,
                          quote=clean[q_start:q_end], value=n.value, unit=n.unit, indicator=indicator,
                          indicator_code=code, approx=n.approx, period=period, category=category,
                          number_start=ns, number_end=ne))
        prev_end, prev_verb = n.char_end, used_verb
        prev_object = (noun if len(noun) >= 2 else obj) or prev_object
    return out
