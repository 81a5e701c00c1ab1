"""The edit log of normalisation: applied edits kept in RAW coordinates, composed pass after pass.

A pass proposes edits in the coordinates of the current text; ``EditLog.apply`` maps them back to the
raw text (absorbing any earlier edit they overlap) so the log stays non-overlapping and replayable.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from pipeline.text.model import Edit


@dataclass
class RawEdit:
    raw_start: int
    raw_end: int
    after: str
    kind: str
    rule: str
    confidence: float = 1.0


@dataclass(frozen=True)
class Proposal:
    """An edit proposed on the current text: replace ``[start, end)`` with ``after``."""

    start: int
    end: int
    after: str
    kind: str
    rule: str
    confidence: float = 1.0


class EditLog:
    """Raw text, the applied edits (raw coordinates, sorted, non-overlapping) and the current text."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.edits: list[RawEdit] = []
        self._flag_edits: list[Edit] = []
        self._rebuild()

    # -- current text and its map -------------------------------------------------------------
    def _rebuild(self) -> None:
        parts, starts, pos, cur = [], [], 0, 0
        for e in self.edits:
            parts.append(self.raw[pos:e.raw_start])
            cur += e.raw_start - pos
            starts.append(cur)
            parts.append(e.after)
            cur += len(e.after)
            pos = e.raw_end
        parts.append(self.raw[pos:])
        self.text = "".join(parts)
        self._cstarts = starts  # current-text start of each edit's output

    def _gap_raw(self, c: int, side: str) -> int:
        """Raw offset of current offset ``c`` that is not strictly inside an edit's output.

        A deletion sitting exactly at ``c`` is stepped over for a start and not for an end, so a span never
        swallows a neighbouring deletion."""
        best = None
        for k in range(bisect.bisect_right(self._cstarts, c) - 1, -1, -1):
            e, cs = self.edits[k], self._cstarts[k]
            ce = cs + len(e.after)
            if ce < c or (ce == c and (cs < c or side == "start")):
                best = (e, ce)
                break
        if best is None:
            return c
        e, ce = best
        return e.raw_end + (c - ce)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw span covering current span ``[start, end)`` (widened over edits it touches)."""
        rs, re_, _, _, _ = self._span(start, end)
        return rs, re_

    def _span(self, s: int, t: int) -> tuple[int, int, str, str, list[int]]:
        """(raw start, raw end, prefix, suffix, absorbed edit indices) for current span [s, t)."""
        prefix = suffix = ""
        rs = re_ = None
        absorbed = []
        lo = max(bisect.bisect_left(self._cstarts, s) - 1, 0)
        for k in range(lo, len(self.edits)):
            e, cs = self.edits[k], self._cstarts[k]
            ce = cs + len(e.after)
            if cs > t:
                break
            if cs == ce:
                inside = s < cs < t
            elif s == t:
                inside = cs < s < ce
            else:
                inside = cs < t and ce > s
            if not inside:
                continue
            absorbed.append(k)
            if rs is None:
                rs = e.raw_start
                prefix = e.after[:max(s - cs, 0)]
            re_ = e.raw_end
            suffix = e.after[t - cs:] if ce > t else ""
        if rs is None or (absorbed and self._cstarts[absorbed[0]] > s):
            g = self._gap_raw(s, "start")
            rs = g if rs is None else min(rs, g)
        if re_ is None or (absorbed and self._cstarts[absorbed[-1]] + len(self.edits[absorbed[-1]].after) < t):
            g = self._gap_raw(t, "end")
            re_ = g if re_ is None else max(re_, g)
        return rs, max(rs, re_), prefix, suffix, absorbed

    # -- applying -----------------------------------------------------------------------------
    def apply(self, proposals: list[Proposal]) -> int:
        """Apply non-overlapping proposals on the current text; returns how many were applied."""
        done, last_end = 0, -1
        new: list[RawEdit] = []
        absorbed: set[int] = set()
        for p in sorted(proposals, key=lambda p: (p.start, p.end)):
            if p.start < last_end:
                continue  # overlapping proposals: the first wins
            rs, re_, prefix, suffix, ab = self._span(p.start, p.end)
            if p.start == p.end and not ab:
                rs = re_ = self._gap_raw(p.start, "start")
            absorbed.update(ab)
            new.append(RawEdit(rs, re_, prefix + p.after + suffix, p.kind, p.rule, p.confidence))
            last_end = p.end
            done += 1
        if not done:
            return 0
        kept = [e for k, e in enumerate(self.edits) if k not in absorbed] if absorbed else self.edits
        # drop pure no-ops (replacement equal to the raw span): only a new edit can be one, the log holds none
        new = [e for e in new if self.raw[e.raw_start:e.raw_end] != e.after]
        self.edits = sorted(kept + new, key=lambda e: (e.raw_start, e.raw_end))
        self._rebuild()
        return done

    def flag(self, start: int, end: int, after: str, kind: str, rule: str, confidence: float) -> None:
        """Record a suspicion about current span ``[start, end)`` (text unchanged)."""
        rs, re_ = self.to_raw(start, end)
        self._flag_edits.append(Edit(kind, "flagged", self.raw[rs:re_], after, rs, re_, 0, 0, rule, confidence))

    # -- result -------------------------------------------------------------------------------
    def result(self) -> tuple[str, list[Edit]]:
        out, shift = [], 0
        for e in self.edits:
            cs = e.raw_start + shift
            out.append(Edit(e.kind, "applied", self.raw[e.raw_start:e.raw_end], e.after, e.raw_start, e.raw_end,
                            cs, cs + len(e.after), e.rule, e.confidence))
            shift += len(e.after) - (e.raw_end - e.raw_start)
        applied = out
        flags = []
        for f in self._flag_edits:
            cs = raw_to_clean(applied, f.raw_start, "start")
            ce = max(cs, raw_to_clean(applied, f.raw_end, "end"))
            flags.append(Edit(f.kind, f.action, f.before, f.after, f.raw_start, f.raw_end, cs, ce, f.rule,
                              f.confidence))
        return self.text, sorted(applied + flags, key=lambda e: (e.raw_start, e.raw_end, e.action))


def raw_to_clean(applied: list[Edit], raw_offset: int, side: str = "start") -> int:
    """Clean offset of a raw offset given the applied edits (inside an edit: its clean start or end)."""
    shift = 0
    for e in applied:
        if e.action != "applied":
            continue
        if e.raw_start == e.raw_end:  # an insertion: a raw character at its point follows it
            if raw_offset < e.raw_start:
                break
            shift += len(e.after)
            continue
        if raw_offset < e.raw_start or (raw_offset == e.raw_start and e.raw_start != e.raw_end):
            break
        if raw_offset < e.raw_end or raw_offset == e.raw_start:
            return e.clean_start if side == "start" else e.clean_end
        shift += len(e.after) - (e.raw_end - e.raw_start)
    return raw_offset + shift
