"""The panel chart of the download page: small multiples, one horizontal bar chart per indicator and period
(single years, term totals and plans never share a scale), each bar labelled with its place and the years it
covers (郑州市 2018–2022), drawn at build time as one inline SVG string (no JavaScript). A pure function of the panel table; every text
from a document is XML-escaped here, so the returned Markup is safe to insert into the page."""
from __future__ import annotations

import html
import math
import unicodedata
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from pipeline.vocab import load

# period -> (colour, legend text); the order is the legend's and the sort order within a panel
PERIODS: dict[str, tuple[str, str]] = {
    "past_year": ("#2b6cb0", "past year (the year reviewed)"),
    "term": ("#c05621", "term (a multi-year total)"),
    "plan": ("#2f855a", "plan (the year ahead)"),
    "other": ("#718096", "other period"),
}
# period -> the few words a chart's subtitle says of it
PERIOD_NAMES = {"past_year": "single years", "term": "multi-year totals", "plan": "plans for a year"}
# codebook category -> heading above its charts, in report order (pipeline/vocab/metric_categories.toml)
CATEGORIES: dict[str, str] = dict(load("metric_categories")["labels"])
MAX_BARS = 12          # a panel with more figures shows its largest MAX_BARS
WIDTH = 1080           # viewBox width; the SVG scales to the page
COLUMNS = 3
GAP = 24               # between panels
LABEL_W = 118          # bar labels (who, year) right-aligned in this width
VALUE_W = 64           # room for the value printed after the longest bar
ROW_H = 19
BAR_H = 13
HEAD_H = 44            # indicator label and code line above the bars
GROUP_H = 30           # category heading above a group of charts
LEGEND_H = 34
FONT = 11              # px, labels; titles are 12.5


@dataclass(frozen=True)
class _Bar:
    who: str               # place name, cut to fit
    when: str              # years covered (and #n when the same name and years repeat), always shown in full
    value: float
    unit: str
    period: str
    tip: str


@dataclass(frozen=True)
class _Panel:
    code: str
    period: str
    category: str
    title: str
    unit: str
    bars: tuple[_Bar, ...]
    total: int             # figures of this indicator (≥ len(bars))


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _text_width(text: str, px: float) -> float:
    """Approximate rendered width: wide (CJK) characters one em, others about 0.6 em."""
    return sum(px if unicodedata.east_asian_width(ch) in "WF" else px * 0.6 for ch in text)


def _fit(text: str, max_px: float, px: float) -> str:
    """``text`` cut with an ellipsis so it fits in ``max_px``."""
    if _text_width(text, px) <= max_px:
        return text
    out = ""
    for ch in text:
        if _text_width(out + ch + "…", px) > max_px:
            break
        out += ch
    return out + "…"


def format_value(value: float) -> str:
    """1016.0 → '1,016'; 73.6 → '73.6'; locale-free."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


NEEDS = ("level", "province", "city", "county", "period", "year_start", "year_end", "indicator_code", "value",
         "unit", "doc_id")


def chart_ready(panel: pd.DataFrame) -> bool:
    """Whether ``panel`` has the columns the chart draws from (a panel keyed by place and year span)."""
    return set(NEEDS) <= set(panel.columns)


# a body other than a congress is named after the place in a label (济宁市 政协 2019)
BODY_NAMES = {"cppcc": "政协", "government": "政府"}


def _who(row) -> str:
    """The place a panel row is about, as short as it is unambiguous in a label: county, city or province, and
    the body when it is not a congress."""
    place = row.county or row.city or row.province or ("全国" if row.level == "national" else row.doc_id)
    body = BODY_NAMES.get(getattr(row, "body", ""), "")
    return f"{place} {body}" if body else place


def years_label(start, end) -> str:
    """2022 for one year, 2018–2022 for a span; '' when unknown."""
    if pd.isna(start) or pd.isna(end):
        return ""
    return str(int(end)) if int(start) == int(end) else f"{int(start)}–{int(end)}"


def _panels(panel: pd.DataFrame, indicators: pd.DataFrame, max_bars: int) -> list[_Panel]:
    labels = {r.indicator_code: (r.label_en or r.indicator_code, r.unit or "", getattr(r, "category", "") or "")
              for r in indicators.itertuples()}
    codebook = {code: i for i, code in enumerate(indicators["indicator_code"])}
    with_data = set(panel["indicator_code"])
    present = [c for c in indicators["indicator_code"] if c in with_data]
    groups = {category: i for i, category in enumerate(CATEGORIES)}
    for c in present:   # a category the headings do not know comes after, in codebook order
        groups.setdefault(labels[c][2], len(groups))
    order = {c: (groups[labels[c][2]], codebook[c]) for c in present}
    last = (len(groups), len(codebook))
    rank = {p: i for i, p in enumerate(PERIODS)}
    rows = sorted(panel.itertuples(index=False), key=lambda r: (
        order.get(r.indicator_code, last), r.indicator_code, rank.get(r.period, len(rank)), r.period, _who(r),
        -1 if pd.isna(r.year_end) else int(r.year_end), -1 if pd.isna(r.year_start) else int(r.year_start),
        r.doc_id))
    by_chart: dict[tuple[str, str], list] = {}
    for r in rows:
        by_chart.setdefault((r.indicator_code, r.period), []).append(r)
    out = []
    for (code, period), group in by_chart.items():
        if len(group) > max_bars:   # a ranking of the largest figures
            ranked = sorted(enumerate(group), key=lambda t: (-(t[1].value if t[1].value == t[1].value else -math.inf), t[0]))
            group_shown = [r for _, r in ranked[:max_bars]]
        else:
            group_shown = group
        seen: dict[tuple[str, str], int] = {}
        bars = []
        for r in group_shown:
            years = years_label(r.year_start, r.year_end)
            who = _who(r)
            seen[(who, years)] = n = seen.get((who, years), 0) + 1
            when = years if n == 1 else f"{years} #{n}".strip()
            place = "".join(x for x in (r.province, r.city, r.county) if x) or who   # in full: 河南省郑州市金水区
            body = getattr(r, "body", "") or "body unknown"
            tip = (f"{place} · {body} · {years or 'years unknown'} · {r.period}: {format_value(r.value)} {r.unit} "
                   f"({r.doc_id})")
            bars.append(_Bar(who, when, float(r.value), r.unit, r.period, tip))
        title, unit, category = labels.get(code, (code, "", ""))
        out.append(_Panel(code, period, category, title, unit, tuple(bars), len(group)))
    return out


def _panel_svg(p: _Panel, x0: float, y0: float, w: float) -> list[str]:
    px = FONT
    out = [f'<g class="panel" data-indicator="{_esc(p.code)}" data-period="{_esc(p.period)}">',
           f'<title>{_esc(p.title)} ({_esc(p.code)})</title>',
           f'<text x="{x0:.1f}" y="{y0 + 14:.1f}" class="ptitle">{_esc(_fit(p.title, w, 12.5))}</text>']
    sub = " · ".join(x for x in (p.code, PERIOD_NAMES.get(p.period, p.period), p.unit) if x)
    if p.total > len(p.bars):
        sub += f" · {len(p.bars)} largest of {p.total}"
    out.append(f'<text x="{x0:.1f}" y="{y0 + 30:.1f}" class="psub">{_esc(_fit(sub, w, 10.5))}</text>')
    bar_x = x0 + LABEL_W + 6
    bar_w = max(w - LABEL_W - 6 - VALUE_W, 10)
    top = max((b.value for b in p.bars if b.value == b.value), default=0.0)
    scale = bar_w / top if top > 0 else 0.0
    y = y0 + HEAD_H
    out.append(f'<line x1="{bar_x:.1f}" y1="{y - 3:.1f}" x2="{bar_x:.1f}" y2="{y + len(p.bars) * ROW_H - 3:.1f}" class="axis"/>')
    for b in p.bars:
        length = max(b.value, 0.0) * scale if b.value == b.value else 0.0
        colour = PERIODS.get(b.period, PERIODS["other"])[0]
        mid = y + BAR_H / 2
        when_w = _text_width(" " + b.when, px) if b.when else 0.0
        label = (_fit(b.who, LABEL_W - when_w, px) + (" " + b.when if b.when else "")).strip()
        out.append(f'<text x="{x0 + LABEL_W:.1f}" y="{mid + 4:.1f}" class="blabel">{_esc(label)}</text>')
        out.append(f'<rect class="bar" data-period="{_esc(b.period)}" x="{bar_x:.1f}" y="{y:.1f}" '
                   f'width="{max(length, 1.0):.1f}" height="{BAR_H}" rx="2" fill="{colour}">'
                   f'<title>{_esc(b.tip)}</title></rect>')
        out.append(f'<text x="{bar_x + length + 4:.1f}" y="{mid + 4:.1f}" class="bvalue">{_esc(format_value(b.value))}</text>')
        y += ROW_H
    out.append("</g>")
    return out


def panel_chart(panel: pd.DataFrame, indicators: pd.DataFrame, max_bars: int = MAX_BARS) -> Markup:
    """Small multiples of ``panel`` (the panel table's columns), one chart per indicator and period with data,
    grouped by category, in codebook order (``indicators``: indicator_code, label_en, unit, category), one
    bar per place and year span, labelled with both."""
    panels = _panels(panel, indicators, max_bars)
    periods = [p for p in PERIODS if any(b.period == p for q in panels for b in q.bars)]
    periods += sorted({b.period for q in panels for b in q.bars} - set(PERIODS))
    col_w = (WIDTH - GAP * (COLUMNS - 1)) / COLUMNS
    body: list[str] = []
    y = LEGEND_H
    grouped: dict[str, list[_Panel]] = {}
    for p in panels:
        grouped.setdefault(p.category, []).append(p)
    for category, members in grouped.items():
        if len(grouped) > 1 or category:
            heading = CATEGORIES.get(category, category) or "Not in the codebook"
            body.append(f'<text x="0" y="{y + 17:.1f}" class="group">{_esc(heading)}</text>'
                        f'<line x1="0" y1="{y + 23:.1f}" x2="{WIDTH}" y2="{y + 23:.1f}" class="rule"/>')
            y += GROUP_H + 8
        for start in range(0, len(members), COLUMNS):
            row = members[start:start + COLUMNS]
            for i, p in enumerate(row):
                body += _panel_svg(p, i * (col_w + GAP), y, col_w)
            y += HEAD_H + max(len(p.bars) for p in row) * ROW_H + GAP
    height = max(y - GAP + 8, LEGEND_H + 20)
    legend, lx = [], 0.0
    for p in periods:
        colour, text = PERIODS.get(p, PERIODS["other"])
        legend.append(f'<rect x="{lx:.1f}" y="6" width="12" height="12" rx="2" fill="{colour}"/>'
                      f'<text x="{lx + 17:.1f}" y="16" class="legend">{_esc(text if p in PERIODS else p)}</text>')
        lx += 17 + _text_width(text if p in PERIODS else p, FONT) + 26
    n_docs = panel["doc_id"].nunique() if len(panel) else 0
    n_codes = len({p.code for p in panels})
    title = f"Harmonised panel: {len(panel)} figures, {n_codes} indicators, {n_docs} documents"
    desc = ("One bar chart per indicator and period (single years, multi-year totals and plans never share a "
            "scale); one bar per place, labelled with the years it covers and its value; colour shows the period.")
    if not panels:
        body.append(f'<text x="0" y="{LEGEND_H + 14}" class="psub">No panel figures in this release.</text>')
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height:.0f}" '
           f'width="100%" role="img" aria-label="{_esc(title)}" aria-describedby="chart-desc">',
           f'<title>{_esc(title)}</title>', f'<desc id="chart-desc">{_esc(desc)}</desc>',
           '<style>.chart .ptitle{font-size:12.5px;font-weight:600;fill:#1a202c}.chart .psub{font-size:10.5px;'
           'fill:#718096}.chart .blabel{font-size:11px;fill:#2d3748;text-anchor:end}.chart .bvalue{font-size:11px;'
           'fill:#1a202c;font-variant-numeric:tabular-nums}.chart .legend{font-size:11px;fill:#4a5568}'
           '.chart .axis{stroke:#cbd5e0;stroke-width:1}.chart .group{font-size:13px;font-weight:700;fill:#2c5282;'
           'letter-spacing:.02em}.chart .rule{stroke:#bee3f8;stroke-width:1.5}</style>',
           *legend, *body, "</svg>"]
    return Markup("\n".join(svg))
