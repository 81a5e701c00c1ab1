"""Structure layer: the heading tree and sentence spans of every clean text."""

import dagster as dg
import pandas as pd

from pipeline.assets.convert import documents_with, rid, sections_of
from pipeline.assets.output import table_output
from pipeline.text.sections import split_sections
from pipeline.text.sentences import split_sentences
from schemas import frames


@dg.asset(group_name="structure", compute_kind="python")
def sections(context: dg.AssetExecutionContext, clean_documents: pd.DataFrame) -> dg.Output[pd.DataFrame]:
    """Heading tree of each document (markdown, bold, 一、/（一） numbering) with the part each section is in."""
    rows = []
    for doc, _ in documents_with(clean_documents):
        for s in split_sections(doc.clean_text):
            rows.append({"section_id": rid(doc.doc_id, "h", s.index), "doc_id": doc.doc_id, "seq": s.index,
                         "parent_id": rid(doc.doc_id, "h", s.parent) if s.parent is not None else "",
                         "level": s.level, "heading": s.heading, "part": s.part, "heading_start": s.heading_start,
                         "heading_end": s.heading_end, "char_start": s.char_start, "char_end": s.char_end})
    df = frames.build("sections", rows)
    context.log.info(f"sections: {len(df)} row(s); parts {df['part'].value_counts().to_dict()}")
    return table_output(df, "sections")


@dg.asset(group_name="structure", compute_kind="python")
def sentences(context: dg.AssetExecutionContext, clean_documents: pd.DataFrame,
              sections: pd.DataFrame) -> dg.Output[pd.DataFrame]:
    """Sentence spans of each clean text, with the section and part they lie in."""
    rows = []
    for doc, (secs,) in documents_with(clean_documents, sections):
        for s in split_sentences(doc.clean_text, sections_of(secs)):
            rows.append({"sentence_id": rid(doc.doc_id, "s", s.index), "doc_id": doc.doc_id,
                         "section_id": rid(doc.doc_id, "h", s.section), "seq": s.index, "part": s.part,
                         "quote": s.text, "char_start": s.char_start, "char_end": s.char_end})
    df = frames.build("sentences", rows)
    context.log.info(f"sentences: {len(df)} row(s)")
    return table_output(df, "sentences")
