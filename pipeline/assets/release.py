"""Release layer: the published, versioned folder in dist/."""

import dagster as dg

from pipeline.assets.catalog import kept
from pipeline.assets.published import ASSET_OF, PublishedTables, published_frame
from pipeline.assets.settings import PipelineSettings
from pipeline.assets.store import let_go
from pipeline.buildlock import hold
from pipeline.text.sources import gold_folder
from pipeline.release.publish import PublishError, publish
from pipeline.release.quality import annotated, evaluate
from schemas.registry import TABLES

LOCK_WAIT = 600.0  # seconds a run waits for another build to leave the dist folder before failing


# the asset of every published table, from the registry: a new table is an input here without an edit
TABLE_INS = {asset: dg.AssetIn(asset) for asset in dict.fromkeys(ASSET_OF[tb.name] for tb in TABLES)}


@dg.asset(group_name="release", compute_kind="python", ins=TABLE_INS)
def release(context: dg.AssetExecutionContext, settings: PipelineSettings, **assets) -> dg.MaterializeResult:
    """Bring every document's tables together, one table at a time (all partitions; files removed from the seeds
    folder are gone, a file repeating another is left out), validate them again as written to disk and publish
    dist/vX.Y.Z atomically (dist/latest, index.html); an unchanged build publishes nothing new; any failure leaves
    the previous release untouched. The card's quality figures read only the documents the gold annotates."""
    let_go()   # what the per-document steps kept in memory: the release reads each table once
    values = {tb.name: assets[ASSET_OF[tb.name]] for tb in TABLES}
    problems = values["problems"]
    every_document = published_frame("documents", values["documents"])
    keep = kept(every_document, problems)
    gold = gold_folder(settings.seeds)
    try:
        quality = tuple(evaluate(PublishedTables(values, keep & annotated(every_document, gold)), gold))
        with hold(settings.dist, wait=LOCK_WAIT):   # the command line already holds it: re-entrant
            result = publish(PublishedTables(values, keep), settings.dist, quality, settings.release_processes)
    except PublishError as err:
        raise dg.Failure(description=str(err), metadata={"failures": len(err.failures)}) from err
    for warning in result.warnings:   # what else is in dist/ (left alone) or was repaired there
        context.log.warning(warning)
    context.log.info(f"release: {result.status} v{result.version} at {result.folder}")
    return dg.MaterializeResult(metadata={
        "status": result.status, "version": result.version,
        "path": dg.MetadataValue.path(str(result.folder.resolve())),
        **{f"rows/{k}": v for k, v in result.rows.items()},
        **{f"quality/{q.table} {q.measure}": round(q.value, 3) for q in quality}})
