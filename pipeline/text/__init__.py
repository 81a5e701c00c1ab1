"""Pure text functions: decoding bytes, normalising with an edit log, sectioning, sentence splitting.

Nothing here imports dagster or pandas; every function takes and returns plain Python values.
"""
