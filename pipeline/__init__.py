"""Congress work reports → open dataset.

Data flow, one sub-package per stage: ``text`` (decode, normalise, section, split) →
``extract`` (numbers, metrics, laws, oversight, proposals, metadata) → ``assets`` (the thin
Dagster layer) → ``release`` (files, metadata, checksums, download page).
"""
