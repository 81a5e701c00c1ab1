"""Which tables are published, their keys and relations, and a one-line description of each.

The pandera models (``schemas.tables``) describe columns; this registry adds what pandera has no
place for (primary and foreign keys, the title a user reads) so every generated document —
data dictionary, datapackage.json, the card — comes from one place.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandera.pandas as pa

from schemas import tables as t


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]
    optional: bool = False  # '' in the referencing column means "no reference"


@dataclass(frozen=True)
class Table:
    name: str
    model: type[pa.DataFrameModel]
    primary_key: tuple[str, ...]
    description: str
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)
    # a release published under an earlier schema (``schemas.validate.as_published``): the columns it has that the
    # model has too; the model's rules apply to those only, and its own primary key replaces the model's
    published_columns: tuple[str, ...] = ()
    # the pipeline's asset whose value it is published from, when not the asset named after the table
    asset: str = ""
    # a table over all documents (one file in a release); the others are made document by document and published
    # as one part per batch of documents (schemas.layout), each document's rows in one part
    whole: bool = False

    @property
    def schema(self) -> pa.DataFrameSchema:
        s = self.model.to_schema()
        if self.published_columns:
            s = s.select_columns([c for c in s.columns if c in self.published_columns])
            key = list(self.primary_key)
            s.unique = key if len(key) > 1 and set(key) <= set(s.columns) else None
            s.ordered = False   # the release's own order (its datapackage.json's fields, checked there)
        return s

    @property
    def columns(self) -> list[str]:
        return list(self.schema.columns)

    @property
    def has_span(self) -> bool:
        return {"quote", "char_start", "char_end"} <= set(self.columns)


def _doc_fk() -> ForeignKey:
    return ForeignKey(("doc_id",), "documents", ("doc_id",))


def _sentence_fk() -> ForeignKey:
    return ForeignKey(("sentence_id",), "sentences", ("sentence_id",))


TABLES: tuple[Table, ...] = (
    Table("documents", t.Documents, ("doc_id",),
          "One row per input document: file, checksum, where it was taken from, and what the text says about itself (issuer, place and its GB/T 2260 code, dates, periods).",
          (ForeignKey(("doc_id",), "texts", ("doc_id",)),)),
    Table("texts", t.Texts, ("doc_id",),
          "Raw and clean text of each document; every offset in the other tables points into clean_text.",
          (_doc_fk(),), asset="clean_documents"),
    Table("edits", t.Edits, ("edit_id",),
          "Every change made while cleaning a text, and every suspicion flagged without a change, with raw and clean offsets.",
          (_doc_fk(),)),
    Table("sections", t.Sections, ("section_id",),
          "The heading tree of each document and the part (front, review, plan, proposals) each section belongs to.",
          (_doc_fk(), ForeignKey(("parent_id",), "sections", ("section_id",), optional=True))),
    Table("sentences", t.Sentences, ("sentence_id",),
          "Sentence spans of the clean text.",
          (_doc_fk(), ForeignKey(("section_id",), "sections", ("section_id",)))),
    Table("numbers", t.Numbers, ("number_id",),
          "Every number in the text with its value and role (metric, year, date, ordinal, name, duration, other).",
          (_doc_fk(), _sentence_fk())),
    Table("metrics", t.Metrics, ("metric_id",),
          "Quantitative facts: what is counted, the value and unit, period, field of work and harmonised indicator code.",
          (_doc_fk(), _sentence_fk(),
           ForeignKey(("indicator_code",), "indicators", ("indicator_code",), optional=True))),
    Table("laws", t.Laws, ("law_id",),
          "Laws, regulations, rules and decisions named in the text, with what was done to them.",
          (_doc_fk(), _sentence_fk())),
    Table("oversight", t.Oversight, ("oversight_id",),
          "Oversight activities: reports heard, law-enforcement inspections, inquiries, studies, evaluations, votes.",
          (_doc_fk(), _sentence_fk())),
    Table("proposals", t.Proposals, ("proposal_id",),
          "CPPCC proposals (提案) in digests: title, proposer and number of recommendations.",
          (_doc_fk(),)),
    Table("recommendations", t.Recommendations, ("recommendation_id",),
          "The recommendations of each proposal, one row each.",
          (_doc_fk(), ForeignKey(("proposal_id",), "proposals", ("proposal_id",)))),
    Table("indicators", t.Indicators, ("indicator_code",),
          "The indicator codebook that makes reports of different bodies and years comparable.", whole=True),
    Table("panel", t.Panel, tuple(t.Panel.Config.unique),
          "The harmonised panel: one figure per place, period, years and indicator, in the indicator's unit (e.g. regulations enacted per city and year).",
          (_doc_fk(), ForeignKey(("indicator_code",), "indicators", ("indicator_code",)),
           # every figure of an indicator is in the indicator's unit
           ForeignKey(("indicator_code", "unit"), "indicators", ("indicator_code", "unit")),
           ForeignKey(("metric_id",), "metrics", ("metric_id",))), whole=True),
    Table("problems", t.Problems, ("source_file", "stage", "reason"),
          "Input files that could not be used, or only partly, with the reason and what to do.", whole=True),
)

# Not part of the dataset's data but published with each release: how it differs from the previous one.
CHANGES = Table("changes", t.Changes, ("table", "key"),
                "Every row added, removed or changed since the previous release, by primary key (empty in a first release).",
                whole=True)


@dataclass(frozen=True)
class Rename:
    """A column renamed in the schema. The release that first publishes ``new`` also carries ``old`` as a
    deprecated alias (same values) and says so in its changelog; the next release drops the alias."""

    table: str
    old: str
    new: str


# The schema as it stands (tables, columns, keys), named by the first release published under it; every release
# records it in datapackage.json (SCHEMA_KEY). A release that records an earlier one, or none (0.1.x), was published
# under an earlier schema and is validated by what it declares (``schemas.validate.as_published``); one recording
# this one by today's models in full. Raise it with every change of columns or keys: if it is not raised, the
# previous release fails validation (``validate --all``, and the tests that run it on the committed dist/).
SCHEMA_SINCE = "1.0.0"
SCHEMA_KEY = "schemaVersion"

# Every column rename, oldest first; keep entries (they cost nothing once the alias has been dropped).
RENAMES: tuple[Rename, ...] = (Rename("panel", "year", "year_end"),)

_BY_NAME = {tb.name: tb for tb in (*TABLES, CHANGES)}


def table(name: str) -> Table:
    """The registry entry of a published table."""
    return _BY_NAME[name]
