"""The Dagster code location: every asset, the blocking table checks, the release job, its schedule and
sensor, the settings and the store. ``build_definitions`` lets the CLI and tests point it at other folders."""

import dagster as dg

from pipeline.assets import catalog, clean, ingest, records, release, structure
from pipeline.assets.automation import daily_release, release_job, seeds_sensor
from pipeline.assets.checks import table_checks
from pipeline.assets.settings import PipelineSettings
from pipeline.assets.store import DocumentStore

# every asset of the layer modules (raw -> clean -> structure -> records -> catalog -> release): a new table's asset
# is picked up where it is defined, and its check comes from the schema registry (``table_checks``)
ASSETS = dg.load_assets_from_modules([ingest, clean, structure, records, catalog, release])


def build_definitions(settings: PipelineSettings | None = None, loggers: dict | None = None) -> dg.Definitions:
    settings = settings or PipelineSettings()
    return dg.Definitions(
        assets=ASSETS, asset_checks=table_checks(ASSETS), jobs=[release_job], schedules=[daily_release],
        sensors=[seeds_sensor], loggers=loggers,
        resources={"settings": settings, "io_manager": DocumentStore(base_dir=str(settings.store))})


defs = build_definitions()


def release_job_def() -> dg.JobDefinition:
    """The release job of this code location, for ``dagster.reconstructable``: executors that run steps in other
    processes or on other machines load it from here (folders come from the run config)."""
    return defs.resolve_job_def("release_job")
