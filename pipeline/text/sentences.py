"""Sentence spans of a clean text (DESIGN.md step 3): a sentence ends after 。！？ (closing quotes and brackets
stay with it), at a line break, and at a section boundary; ； stays inside sentences. Every heading is a
sentence of its own, so records found in headings can point to one.
"""
from __future__ import annotations

import re

from pipeline.text.model import Section, Sentence

_END = re.compile(r"[。！？!?]+[”’」』）)》\]】*]*|……[”’」』）)]*(?=\s*$)")


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans in text[start:end] (a part of one line), whitespace trimmed."""
    out, pos = [], start
    for m in _END.finditer(text, start, end):
        out.append((pos, m.end()))
        pos = m.end()
    out.append((pos, end))
    spans = []
    for a, b in out:
        piece = text[a:b]
        core = piece.strip()   # str.strip drops what str.isspace calls space
        if core:
            a += len(piece) - len(piece.lstrip())
            spans.append((a, a + len(core)))
    return spans


def split_sentences(clean: str, sections: list[Section]) -> list[Sentence]:
    by_start = sorted((s for s in sections if s.heading_end > s.heading_start), key=lambda s: s.heading_start)
    # cut points: every line break, every heading's start and end
    heading_spans = {(s.heading_start, s.heading_end): s for s in by_start}
    cuts = {0, len(clean)}
    for m in re.finditer("\n", clean):
        cuts.add(m.start())
        cuts.add(m.end())
    for a, b in heading_spans:
        cuts.update((a, b))
    bounds = sorted(cuts)
    secs = sorted(sections, key=lambda s: (s.char_start, s.index))
    starts = [s.char_start for s in secs]

    def section_of(offset: int) -> Section:
        import bisect

        i = bisect.bisect_right(starts, offset) - 1
        return secs[max(i, 0)]

    out: list[Sentence] = []
    for a, b in zip(bounds, bounds[1:]):
        if a >= b:
            continue
        h = heading_spans.get((a, b))
        if h is not None:
            spans = [_heading_text_span(clean, a, b)]
        else:
            spans = _pieces(clean, a, b)
        for s, e in spans:
            if s >= e:
                continue
            sec = section_of(s)
            out.append(Sentence(len(out), sec.index, sec.part, s, e, clean[s:e]))
    return out


def _heading_text_span(clean: str, a: int, b: int) -> tuple[int, int]:
    """The heading's words without markup (#, **)."""
    seg = clean[a:b]
    m = re.match(r"^\s*(?:#{1,6}\s*|\*\*)?", seg)
    s = a + (m.end() if m else 0)
    e = b
    while e > s and (clean[e - 1].isspace() or clean[e - 1] in "*#"):
        e -= 1
    return (s, e) if s < e else (a, b)
