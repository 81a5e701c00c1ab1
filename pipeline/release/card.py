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


def render_card(version: str, frames: dict[str, pd.DataFrame], quality: tuple[Score, ...] = ()) -> str:
    docs = []
    for d in frames["documents"].itertuples():
        review = "" if pd.isna(d.review_start) else str(d.review_start) if d.review_start == d.review_end \
            else f"{d.review_start}–{d.review_end}"
        docs.append({"doc_id": _md(d.doc_id), "source_file": _md(d.source_file), "genre": _md(d.genre),
                     "issuer": _md(d.issuer), "review": review,
                     "plan_year": "" if pd.isna(d.plan_year) else int(d.plan_year), "n_chars_clean": d.n_chars_clean})
    problems = [{k: _md(getattr(p, k)) for k in ("source_file", "stage", "reason", "hint")}
                for p in frames["problems"].itertuples()]
    docs_df = frames["documents"]
    figures = {"documents": len(docs_df), "chars": int(docs_df["n_chars_clean"].sum()),
               "cities": int(docs_df.loc[docs_df["city"] != "", "city"].nunique()),
               "genres": ", ".join(f"{g} {n}" for g, n in sorted(docs_df["genre"].value_counts().items())),
               "coded": int((frames["metrics"]["indicator_code"] != "").sum())}
    return _ENV.get_template("card.md.j2").render(
        about=about(), version=version, tables=TABLES, rows={k: len(v) for k, v in frames.items()},
        documents=docs, problems=problems, dictionary=dictionary(), figures=figures,
        quality=[{"table": q.table, "measure": q.measure, "value": f"{q.value:.3f}", "n": q.n} for q in quality],
        changes=CHANGES, changes_columns=columns(CHANGES), citation=bibtex(version), example=_example(frames))


def _example(frames: dict[str, pd.DataFrame]) -> str:
    """An indicator the snippets can filter on that this release has in its panel."""
    codes = frames["panel"]["indicator_code"]
    return PREFERRED_EXAMPLE if (codes == PREFERRED_EXAMPLE).any() or codes.empty else str(codes.iloc[0])
