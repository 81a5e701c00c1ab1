"""Pure record extractors: numbers, metrics, laws, oversight, proposals and document metadata.

Each works on a document's clean text and its sentences/sections (from ``pipeline.text``) and
returns dataclasses whose ``char_start``/``char_end`` index the clean text. No dagster, no pandas.
"""
