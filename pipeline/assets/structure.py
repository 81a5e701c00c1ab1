"""Structure layer: the heading tree and sentence spans of each clean text (one partition per document)."""

import dagster as dg
import pandas as pd

from pipeline.assets.convert import documents_with, each_document, section_ids, sections_of, span_ids
from pipeline.assets.output import documents_output, schema_metadata
from pipeline.assets.partitions import per_document
from pipeline.text.sections import split_sections
from pipeline.text.sentences import split_sentences
from schemas import frames


@dg.asset(group_name="structure", compute_kind="python", **per_document(schema_metadata("sections")))
def sections(context: dg.AssetExecutionContext, clean_documents) -> dg.Output[dict]:
    """Heading tree of each document (markdown, bold, 一、/（一） numbering) with the part each section is in."""
    return documents_output(context, each_document(context, sections_table, clean_documents), "sections")


def sections_table(clean_documents: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for doc, _ in documents_with(clean_documents):
        found = split_sections(doc.clean_text)
        ids = span_ids(doc.doc_id, "h", [(s.char_start, s.char_end) for s in found])
        for s, sid in zip(found, ids):
            rows.append({"section_id": sid, "doc_id": doc.doc_id, "seq": s.index,
                         "parent_id": ids[s.parent] if s.parent is not None else "",
                         "level": s.level, "heading": s.heading, "part": s.part, "heading_start": s.heading_start,
                         "heading_end": s.heading_end, "char_start": s.char_start, "char_end": s.char_end})
    return frames.build("sections", rows)


@dg.asset(group_name="structure", compute_kind="python", **per_document(schema_metadata("sentences")))
def sentences(context: dg.AssetExecutionContext, clean_documents, sections) -> dg.Output[dict]:
    """Sentence spans of each clean text, with the section and part they lie in."""
    return documents_output(context, each_document(context, sentences_table, clean_documents, sections), "sentences")


def sentences_table(clean_documents: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for doc, (secs,) in documents_with(clean_documents, sections):
        found = split_sentences(doc.clean_text, sections_of(secs))
        section_id = section_ids(secs)
        for s, sid in zip(found, span_ids(doc.doc_id, "s", [(s.char_start, s.char_end) for s in found])):
            rows.append({"sentence_id": sid, "doc_id": doc.doc_id,
                         "section_id": section_id[s.section], "seq": s.index, "part": s.part,
                         "quote": s.text, "char_start": s.char_start, "char_end": s.char_end})
    return frames.build("sentences", rows)
