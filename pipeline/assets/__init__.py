"""The thin Dagster layer: each asset is named after the table it produces, its parameters after
the upstream assets it reads, and it only loops over documents calling ``pipeline.text`` and
``pipeline.extract``. Settings, checks, schedule and sensor live here too.
"""
