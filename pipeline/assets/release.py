"""Release layer: the published, versioned folder in dist/."""

import dagster as dg
import pandas as pd

from pipeline.assets.catalog import kept
from pipeline.assets.published import PublishedTables, published_frame
from pipeline.assets.settings import PipelineSettings
from pipeline.buildlock import hold
from pipeline.text.sources import gold_folder
from pipeline.release.publish import PublishError, publish
from pipeline.release.quality import annotated, evaluate

LOCK_WAIT = 600.0  # seconds a run waits for another build to leave the dist folder before failing


@dg.asset(group_name="release", compute_kind="python")
def release(context: dg.AssetExecutionContext, settings: PipelineSettings, documents,
            clean_documents, edits, sections, sentences, numbers, metrics, laws, oversight, proposals,
            recommendations, indicators: pd.DataFrame, panel: pd.DataFrame,
            problems: pd.DataFrame) -> dg.MaterializeResult:
    """Bring every document's tables together, one table at a time (all partitions; files removed from the seeds
    folder are gone, a file repeating another is left out), validate them again as written to disk and publish
    dist/vX.Y.Z atomically (dist/latest, index.html); an unchanged build publishes nothing new; any failure leaves
    the previous release untouched. The card's quality figures read only the documents the gold annotates."""
    values = {"documents": documents, "texts": clean_documents, "edits": edits, "sections": sections,
              "sentences": sentences, "numbers": numbers, "metrics": metrics, "laws": laws, "oversight": oversight,
              "proposals": proposals, "recommendations": recommendations, "indicators": indicators,
              "panel": panel, "problems": problems}
    every_document = published_frame("documents", documents)
    keep = kept(every_document, problems)
    gold = gold_folder(settings.seeds)
    try:
        quality = tuple(evaluate(PublishedTables(values, keep & annotated(every_document, gold)), gold))
        with hold(settings.dist, wait=LOCK_WAIT):   # the command line already holds it: re-entrant
            result = publish(PublishedTables(values, keep), settings.dist, quality)
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
