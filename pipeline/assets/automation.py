"""The job that builds a release, the sensor that runs it for new, changed or removed files (by content hash and
code version) and the daily schedule that republishes. Per-document assets run only for the documents that need
it, all of them in one run; the release-level assets (problems, panel, release) run every time."""

from collections.abc import Callable
from pathlib import Path

import dagster as dg

from pipeline.assets.executors import configurable_executor
from pipeline.assets.plan import Plan, partition_requests, plan_for, prune_store
from pipeline.assets.settings import PipelineSettings
from pipeline.buildlock import BuildLocked, hold

# The run tags of a single-run backfill over a partition range, as Dagster's docs and UI name them (public tag
# names; the constants themselves live in a private module, dagster._core.storage.tags, which this code avoids).
ASSET_PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
ASSET_PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"

release_job = dg.define_asset_job(
    "release_job", selection=dg.AssetSelection.all(), executor_def=configurable_executor,
    description="Every stage from raw files to a published release in dist/: the per-document stages for the "
                "batches of documents of the run's partition range (only their new and changed documents are "
                "processed), then the release over all documents.")


def split_assets(asset_graph) -> tuple[list[dg.AssetKey], list[dg.AssetKey]]:
    """(per-document asset keys, release-level asset keys) of a code location's asset graph."""
    keys = sorted(asset_graph.get_all_asset_keys())
    per_document = [k for k in keys if asset_graph.get(k).partitions_def is not None]
    return per_document, [k for k in keys if k not in per_document]


def run_target(plan: Plan, asset_graph) -> dict:
    """``asset_selection`` and ``tags`` of the run a plan needs: the per-document assets over the plan's one
    partition range of batches (when any batch is to be run) and the release-level assets."""
    per_document, whole = split_assets(asset_graph)
    if plan.partition_range is None:
        return {"asset_selection": whole, "tags": {}}
    first, last = plan.partition_range
    return {"asset_selection": per_document + whole,
            "tags": {ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last}}


def shard_targets(asset_graph) -> tuple[dict, Callable[[str, str], dict], dict]:
    """The runs of a build over several ranges of batches at once (``shards``): (the release-level assets the
    per-document ones read, e.g. the indicator codebook, made first; the per-document assets over one range; the
    other release-level assets, made last from every batch)."""
    per_document, whole = split_assets(asset_graph)
    read = {p for k in per_document for p in asset_graph.get(k).parent_keys} & set(whole)
    first = [k for k in whole if k in read]
    return ({"asset_selection": first, "tags": {}},
            lambda start, end: {"asset_selection": per_document, "tags": {ASSET_PARTITION_RANGE_START_TAG: start,
                                                                         ASSET_PARTITION_RANGE_END_TAG: end}},
            {"asset_selection": [k for k in whole if k not in read], "tags": {}})


def stored_assets(asset_graph) -> list[str]:
    return [k.to_user_string() for k in split_assets(asset_graph)[0]]


@dg.schedule(job=release_job, cron_schedule="0 6 * * *", execution_timezone="Asia/Shanghai",
             default_status=dg.DefaultScheduleStatus.RUNNING,
             description="Republish every morning from the stored per-document tables (the release-level "
                         "assets; an unchanged build publishes nothing new). New and changed documents are the "
                         "sensor's.")
def daily_release(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return dg.RunRequest(asset_selection=split_assets(context.repository_def.asset_graph)[1],
                         tags={"pipeline/trigger": "schedule"})


SENSOR_DESCRIPTION = ("Add the batch partitions new files need and delete those no document is in any more, and "
                      "request ONE run that processes the new and changed documents (by content hash and code "
                      "version) and republishes.")


# the decorator does not take the docstring as the description the UI shows: pass it explicitly
@dg.sensor(job=release_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
           description=SENSOR_DESCRIPTION)
def seeds_sensor(context: dg.SensorEvaluationContext, settings: PipelineSettings) -> dg.SensorResult:
    graph = context.repository_def.asset_graph
    try:
        with hold(Path(settings.work_dir), settings.dist):   # a build in progress: its stamps are moving
            plan = plan_for(settings.seeds, settings.store, context.instance, stored_assets(graph))
            prune_store(plan, settings.store, stored_assets(graph))
    except BuildLocked as err:
        return dg.SensorResult(skip_reason=f"a build is running: {err}")
    except FileNotFoundError as err:
        return dg.SensorResult(skip_reason=str(err))
    if not plan.changes_anything:
        return dg.SensorResult(skip_reason=f"nothing new, changed or removed ({plan.summary()})")
    if plan.signature() == context.cursor:
        return dg.SensorResult(skip_reason=f"already requested: {plan.summary()}")
    target = run_target(plan, graph)
    # no run_key: the cursor already prevents repeats, and a file changed back to an earlier content
    # (A → B → A) must run again, which a content-derived run key would deduplicate away.
    request = dg.RunRequest(asset_selection=target["asset_selection"], tags={
        **target["tags"], "pipeline/plan": plan.summary(), "pipeline/removed": ",".join(plan.removed)[:200]})
    return dg.SensorResult(run_requests=[request], cursor=plan.signature(),
                           dynamic_partitions_requests=partition_requests(plan))
