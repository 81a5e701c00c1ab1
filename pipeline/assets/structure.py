"""Structure layer: the heading tree and sentence spans of each clean text (one partition per document)."""

import dagster as dg

from pipeline.assets.convert import each_document, extractable, ids_by_index
from pipeline.assets.output import documents_output, schema_metadata
from pipeline.assets.partitions import per_document
from pipeline.text.sections import split_sections
from pipeline.text.sentences import split_sentences
from pipeline.text.model import Section, Sentence


@dg.asset(group_name="structure", compute_kind="python", **per_document(schema_metadata("sections")))
def sections(context: dg.AssetExecutionContext, clean_documents) -> dg.Output:
    """Heading tree of each document (markdown, bold, 一、/（一） numbering) with the part each section is in."""
    return documents_output(context, each_document(context, document_sections, clean_documents), "sections")


def document_sections(doc_id: str, clean: dict | None) -> tuple[list[Section], list[dict]]:
    if not extractable(clean):
        return [], []
    found = split_sections(clean["clean_text"])
    ids = ids_by_index(doc_id, "h", found)
    return found, [{"section_id": ids[s.index], "doc_id": doc_id, "seq": s.index,
                    "parent_id": ids[s.parent] if s.parent is not None else "",
                    "level": s.level, "heading": s.heading, "part": s.part, "heading_start": s.heading_start,
                    "heading_end": s.heading_end, "char_start": s.char_start, "char_end": s.char_end}
                   for s in found]


@dg.asset(group_name="structure", compute_kind="python", **per_document(schema_metadata("sentences")))
def sentences(context: dg.AssetExecutionContext, clean_documents, sections) -> dg.Output:
    """Sentence spans of each clean text, with the section and part they lie in."""
    return documents_output(context, each_document(context, document_sentences, clean_documents, sections),
                            "sentences")


def document_sentences(doc_id: str, clean: dict | None, secs: list[Section]) -> tuple[list[Sentence], list[dict]]:
    if not extractable(clean):
        return [], []
    found = split_sentences(clean["clean_text"], secs)
    section_id = ids_by_index(doc_id, "h", secs)
    ids = ids_by_index(doc_id, "s", found)
    return found, [{"sentence_id": ids[s.index], "doc_id": doc_id, "section_id": section_id[s.section],
                    "seq": s.index, "part": s.part, "quote": s.text, "char_start": s.char_start,
                    "char_end": s.char_end} for s in found]
