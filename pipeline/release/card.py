"""The dataset card (README.md of a release), rendered from the schemas and the release's tables."""
from __future__ import annotations

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from pipeline.release.about import about
from pipeline.release.croissant import bibtex
from pipeline.release.quality import Score
from schemas.dictionary import columns, dictionary
from schemas.registry import CHANGES, TABLES

PREFERRED_EXAMPLE = "regulations_enacted_revised"

_ENV = Environment(loader=PackageLoader("pipeline.release", "templates"), undefined=StrictUndefined,
                   keep_trailing_newline=True, trim_blocks=False, lstrip_blocks=False, autoescape=False)


def _md(value) -> str:
    """A cell made safe for a Markdown table."""
    return str(value if value is not None and value == value else "").replace("|", "\\|").replace("\n", " ")


def table_facts(name: str, df: pd.DataFrame) -> dict:
    """What the card says about table ``name``, taken while the release writes it (a release does not hold all
    its tables in memory at once): the document list and figures, the problems, the example indicator."""
    if name == "documents":
        docs = []
        for d in df.itertuples():
            review = "" if pd.isna(d.review_start) else str(d.review_start) if d.review_start == d.review_end \
                else f"{d.review_start}–{d.review_end}"
            docs.append({"doc_id": _md(d.doc_id), "source_file": _md(d.source_file), "genre": _md(d.genre),
                         "issuer": _md(d.issuer), "review": review,
                         "plan_year": "" if pd.isna(d.plan_year) else int(d.plan_year),
                         "n_chars_clean": d.n_chars_clean})
        return {"documents": docs, "chars": int(df["n_chars_clean"].sum()),
                "cities": int(df.loc[df["city"] != "", "city"].nunique()),
                "genres": ", ".join(f"{g} {n}" for g, n in sorted(df["genre"].value_counts().items()))}
    if name == "problems":
        return {"problems": [{k: _md(getattr(p, k)) for k in ("source_file", "stage", "reason", "hint")}
                             for p in df.itertuples()]}
    if name == "metrics":
        return {"coded": int((df["indicator_code"] != "").sum())}
    if name == "panel":
        return {"example": _example(df)}
    return {}


def render_card(version: str, facts: dict, rows: dict[str, int], quality: tuple[Score, ...] = ()) -> str:
    """The card of release ``version``: ``facts`` gathered by ``table_facts`` from every table, ``rows`` per table."""
    figures = {"documents": len(facts["documents"])} | {k: facts[k] for k in ("chars", "cities", "genres", "coded")}
    return _ENV.get_template("card.md.j2").render(
        about=about(), version=version, tables=TABLES, rows=rows,
        documents=facts["documents"], problems=facts["problems"], dictionary=dictionary(), figures=figures,
        quality=[{"table": q.table, "measure": q.measure, "value": f"{q.value:.3f}", "n": q.n} for q in quality],
        changes=CHANGES, changes_columns=columns(CHANGES), citation=bibtex(version), example=facts["example"])


def _example(panel: pd.DataFrame) -> str:
    """An indicator the snippets can filter on that this release has in its panel."""
    codes = panel["indicator_code"]
    return PREFERRED_EXAMPLE if (codes == PREFERRED_EXAMPLE).any() or codes.empty else str(codes.iloc[0])
