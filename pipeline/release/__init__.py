"""Publishing: table files (Parquet, CSV), metadata generated from the schemas (datapackage.json,
the dataset card), checksums, the version decision, and the download page. Atomic: a release is
built and validated in a temporary folder, then renamed into place.
"""
