"""Character classes and the word-frequency dictionary shared by the cleaning rules.

jieba's dictionary (≈350k words with frequencies) is loaded lazily, once per process (≈1 s).
"""
from __future__ import annotations

import re
from functools import cache, lru_cache

# CJK ideographs: Extension A, the basic block, compatibility ideographs, and planes 2-3 (Extensions B-I and the
# compatibility supplement: rare characters of place and personal names, 𠮷 𡌶).
CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x323AF))
CJK = "".join(f"{chr(a)}-{chr(b)}" for a, b in CJK_RANGES)
CJK_RE = re.compile(f"[{CJK}]")
# Chinese (full-width) punctuation and quotes that mark a neighbour as Chinese text.
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】「」『』—…·～"
# Sentence-final marks: a paragraph ending in one of these is complete.
TERMINAL = "。！？；：!?;:…"
CLOSERS = "”’」』）)》】\"'*"


def is_cjk(ch: str) -> bool:
    """One character of the CJK class above (comparisons, not the regex: this runs once per character)."""
    return bool(ch) and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"
                         or "\U00020000" <= ch <= "\U000323af")


def is_chinese_context(ch: str) -> bool:
    """A CJK ideograph or Chinese punctuation."""
    return is_cjk(ch) or (bool(ch) and ch in CJK_PUNCT)


def cjk_count(text: str) -> int:
    return len(CJK_RE.findall(text))


@cache
def word_freqs() -> dict[str, int]:
    """jieba's dictionary: word -> frequency (0 for the prefixes of words it also holds)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt.FREQ


def word_freq(word: str) -> int:
    """jieba dictionary frequency of ``word`` (0 when it is not a word)."""
    return word_freqs().get(word) or 0


def is_word(word: str, min_freq: int = 1) -> bool:
    return word_freq(word) >= min_freq


# jieba's own class of Chinese characters (jieba.re_han_default, without its ASCII): a text wholly of these is one
# block to jieba, which it segments by its dictionary alone (HMM off). rjieba (jieba-rs: the same dictionary and
# algorithm, compiled) segments such a text 12x faster and gave the same tokens on all 134,409 distinct runs of
# the seeds, tests/fixtures, tests/hostile and a 10,000-document make_corpus.py corpus (1.7 M characters);
# anything else (rarer characters, which jieba splits into blocks of their own) goes to jieba itself.
_JIEBA_HAN = re.compile("[\u4e00-\u9fd5]+")


@lru_cache(maxsize=1 << 16)
def segment(run: str) -> tuple[str, ...]:
    """jieba's dictionary segmentation of a run of text (no HMM guessing of unknown words); cached, as several
    rules segment the same runs."""
    if _JIEBA_HAN.fullmatch(run):
        import rjieba

        return tuple(rjieba.cut(run, False))
    import jieba

    word_freqs()
    return tuple(jieba.lcut(run, HMM=False))


@cache
def pos_tags() -> dict[str, str]:
    """jieba's part-of-speech tag of each dictionary word (n, v, ...)."""
    import jieba.posseg

    word_freqs()
    return jieba.posseg.dt.word_tag_tab
