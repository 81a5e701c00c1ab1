"""The dataset card (README.md of a release), rendered from the schemas and the release's tables. Everything the
template prints is escaped for Markdown (``mdtext``) unless marked as this project's own text (``trusted``: as it is;
``prose``: fit for a table cell), so a value from the input never becomes markup."""
from __future__ import annotations

import re

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from pipeline.extract.indicators import codebook_rows
from pipeline.extract.panel import (PLACE, REASON_PERIOD, REASON_PLACE, REASON_UNIT, REASON_YEARS, left_out,
                                    other_units)
from pipeline.release.about import about, doi_url, link
from pipeline.release.archive import archive_name
from pipeline.release.croissant import bibtex
from pipeline.release.mdtext import Markdown, md_escape_by_default, md_prose
from pipeline.release.quality import Score
from pipeline.release.sqlite import database_name
from schemas.dictionary import columns, dictionary
from schemas.registry import CHANGES, TABLES
from schemas.validate import CSV_TEXT_NOTE

PREFERRED_EXAMPLE = "regulations_enacted_revised"
_CODE = re.compile(r"[a-z0-9_]+")   # an indicator code the snippets can quote as it is

_ENV = Environment(loader=PackageLoader("pipeline.release", "templates"), undefined=StrictUndefined,
                   keep_trailing_newline=True, trim_blocks=False, lstrip_blocks=False, autoescape=False,
                   finalize=md_escape_by_default)
_ENV.filters["trusted"] = lambda value: Markdown(value)
_ENV.filters["prose"] = md_prose


FACT_TABLES = ("documents", "problems", "metrics", "panel")   # the tables table_facts says something of


def table_facts(name: str, df: pd.DataFrame) -> dict:
    """What the card says about table ``name``, taken while the release writes it (a release does not hold all
    its tables in memory at once): the document list and figures, the problems, the example indicator."""
    if name == "documents":
        docs = []
        for d in df.itertuples():
            review = "" if pd.isna(d.review_start) else str(d.review_start) if d.review_start == d.review_end \
                else f"{d.review_start}–{d.review_end}"
            docs.append({"doc_id": d.doc_id, "source_file": d.source_file, "genre": d.genre,
                         "issuer": d.issuer, "review": review,
                         "plan_year": "" if pd.isna(d.plan_year) else int(d.plan_year),
                         "n_chars_clean": d.n_chars_clean})
        return {"documents": docs, "chars": int(df["n_chars_clean"].sum()),
                "places": df[["doc_id", "body", *PLACE, "place_code", "genre", "date"]],
                "cities": int(df.loc[df["city"] != "", "city"].nunique()),
                "genres": ", ".join(f"{g} {n}" for g, n in sorted(df["genre"].value_counts().items()))}
    if name == "problems":
        return {"problems": [{k: getattr(p, k) for k in ("source_file", "stage", "reason", "hint")}
                             for p in df.itertuples()]}
    if name == "metrics":
        coded = df.loc[df["indicator_code"] != "", ["doc_id", "indicator_code", "unit", "period", "year_start",
                                                     "year_end"]]
        return {"coded": len(coded), "coded_metrics": coded,
                "other_units": other_units(df, pd.DataFrame(codebook_rows())).to_dict("records")}
    if name == "panel":
        return {"example": _example(df)}
    return {}


def render_card(version: str, facts: dict, rows: dict[str, int], quality: tuple[Score, ...] = (),
                date: str | None = None) -> str:
    """The card of release ``version``: ``facts`` gathered by ``table_facts`` from every table, ``rows`` per table,
    ``date`` its publication date (YYYY-MM-DD)."""
    figures = {"documents": len(facts["documents"])} | {k: facts[k] for k in ("chars", "cities", "genres", "coded")}
    links = [(text, url) for text, url in (("DOI", doi_url()), ("homepage", link("homepage")),
                                           ("source code", link("repository"))) if url]
    return _ENV.get_template("card.md.j2").render(
        date=date, links=links, database=database_name(), archive=archive_name(version),
        about=about(), version=version, tables=TABLES, rows=rows,
        documents=facts["documents"], problems=facts["problems"], dictionary=dictionary(), figures=figures,
        quality=[{"table": q.table, "measure": q.measure, "value": f"{q.value:.3f}", "n": q.n} for q in quality],
        changes=CHANGES, changes_columns=columns(CHANGES), citation=bibtex(version, date), example=facts["example"],
        csv_note=CSV_TEXT_NOTE, other_units=facts.get("other_units", []), left_out=_left_out(facts))


# why a coded figure is not in the panel, in the card's words (the unit reason is listed per indicator apart)
LEFT_OUT_WORDS = {REASON_PLACE: "its document's place is unknown", REASON_YEARS: "its document does not say which years",
                  REASON_PERIOD: "its period is neither a year reviewed, a term nor a plan"}


def _left_out(facts: dict) -> list[dict]:
    """Coded figures kept out of the panel for another reason than their unit: [{reason, n}]."""
    if "coded_metrics" not in facts or "places" not in facts:
        return []
    counts = left_out(facts["coded_metrics"], facts["places"], pd.DataFrame(codebook_rows()))
    counts = counts[counts["reason"] != REASON_UNIT].groupby("reason")["n"].sum()
    return [{"reason": LEFT_OUT_WORDS[r], "n": int(counts[r])} for r in LEFT_OUT_WORDS if r in counts.index]


def _example(panel: pd.DataFrame) -> str:
    """An indicator the snippets can filter on that this release has in its panel."""
    codes = panel["indicator_code"]
    if (codes == PREFERRED_EXAMPLE).any() or codes.empty or not _CODE.fullmatch(str(codes.iloc[0])):
        return PREFERRED_EXAMPLE
    return str(codes.iloc[0])
