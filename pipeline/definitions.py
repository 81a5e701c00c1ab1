"""The Dagster code location: every asset, the blocking table checks, the release job, its schedule and
sensor, and the settings resource. ``build_definitions`` lets the CLI and tests point it at other folders."""

import dagster as dg

from pipeline.assets.automation import daily_release, release_job, seeds_sensor
from pipeline.assets.catalog import documents, panel, problems
from pipeline.assets.checks import table_checks
from pipeline.assets.clean import clean_documents_and_edits
from pipeline.assets.ingest import raw_documents
from pipeline.assets.records import (indicators, laws, metrics, numbers, oversight,
                                     proposals_and_recommendations)
from pipeline.assets.release import release
from pipeline.assets.settings import PipelineSettings
from pipeline.assets.structure import sections, sentences

ASSETS = [raw_documents, clean_documents_and_edits, sections, sentences, numbers, metrics, laws, oversight,
          proposals_and_recommendations, indicators, documents, problems, panel, release]


def build_definitions(settings: PipelineSettings | None = None, loggers: dict | None = None) -> dg.Definitions:
    return dg.Definitions(
        assets=ASSETS, asset_checks=table_checks(ASSETS), jobs=[release_job], schedules=[daily_release],
        sensors=[seeds_sensor], resources={"settings": settings or PipelineSettings()}, loggers=loggers)


defs = build_definitions()
