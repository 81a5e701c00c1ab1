"""The job that builds a release, the daily schedule that runs it, and the sensor that runs it when a file
in the seeds folder is added, changed or removed (by content hash, not modification time)."""

import json

import dagster as dg

from pipeline.assets.settings import PipelineSettings
from pipeline.text.sources import fingerprint

release_job = dg.define_asset_job(
    "release_job", selection=dg.AssetSelection.all(),
    description="Every stage from raw files to a published release in dist/.")

daily_release = dg.ScheduleDefinition(
    name="daily_release", job=release_job, cron_schedule="0 6 * * *", execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Rebuild the release every morning (an unchanged build publishes nothing new).")


SENSOR_DESCRIPTION = ("Request a release run when a file in the seeds folder is new, changed or removed "
                      "(by content hash).")


# the decorator does not take the docstring as the description the UI shows: pass it explicitly
@dg.sensor(job=release_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
           description=SENSOR_DESCRIPTION)
def seeds_sensor(context: dg.SensorEvaluationContext, settings: PipelineSettings) -> dg.SensorResult:
    try:
        now = fingerprint(settings.seeds)
    except FileNotFoundError as err:
        return dg.SensorResult(skip_reason=str(err))
    before = json.loads(context.cursor) if context.cursor else {}
    if now == before:
        return dg.SensorResult(skip_reason="no new, changed or removed file in the seeds folder")
    changed = sorted(n for n in now if before.get(n) != now[n])
    removed = sorted(set(before) - set(now))
    cursor = json.dumps(now, sort_keys=True, ensure_ascii=False)
    # no run_key: the cursor already prevents repeats, and a file changed back to an earlier content
    # (A → B → A) must run again, which a content-derived run key would deduplicate away.
    request = dg.RunRequest(
        tags={"seeds/changed": ",".join(changed)[:200], "seeds/removed": ",".join(removed)[:200]})
    return dg.SensorResult(run_requests=[request], cursor=cursor)
