"""One blocking asset check per published table, made by one factory: the table's pandera model, its
primary key, the references it makes to other tables, and quote == clean_text[char_start:char_end].
A failing check stops the release in the same run and lists its failure cases in its metadata.

A check is not partitioned. In a run over a range of batches the check of a per-document table reads only those
batches' documents (the others were checked when they were made, and the release checks everything again as
written), so adding one document to 1,000 reads one batch, not 1,000 documents."""

import inspect

import dagster as dg

from pipeline.assets.published import ASSET_OF, published_frame, referenced_frame
from pipeline.assets.store import StoredDocuments
from schemas.registry import TABLES, Table
from schemas.validate import table_failures

MAX_CASES = 50


def upstream_of(assets: list[dg.AssetsDefinition]) -> dict[str, set[str]]:
    """Every asset's transitive upstream assets, by name."""
    direct: dict[str, set[str]] = {}
    for a in assets:
        for key, deps in a.asset_deps.items():
            direct[key.to_user_string()] = {d.to_user_string() for d in deps}
    def closure(name: str, seen: set[str]) -> set[str]:
        for d in direct.get(name, set()) - seen:
            seen.add(d)
            closure(d, seen)
        return seen
    return {name: closure(name, set()) for name in direct}


def _inputs_needed(tb: Table, upstream: set[str]) -> list[str]:
    """Tables the check of ``tb`` reads besides ``tb`` itself: only upstream ones, since a blocking check
    must not wait for its own descendants; references to downstream tables are checked where those
    tables are (every relation runs both ways here: e.g. documents.doc_id must exist in texts) and again
    by the release before it publishes."""
    refs = {fk.table for fk in tb.foreign_keys} | ({"texts"} if tb.has_span else set())
    return sorted(r for r in refs if r != tb.name and ASSET_OF[r] in upstream)


def _check_for(tb: Table, upstream: set[str]) -> dg.AssetChecksDefinition:
    asset = ASSET_OF[tb.name]
    others = _inputs_needed(tb, upstream)

    def run(context: dg.AssetCheckExecutionContext, **values) -> dg.AssetCheckResult:
        if isinstance(values[asset], StoredDocuments) and context.has_partition_key_range:
            # the check of a per-document table: its inputs are every batch; keep the run's (a whole-table asset's
            # check, e.g. the panel's, refers to every batch)
            batches = set(context.partition_keys)
            values = {k: v.within(batches) if isinstance(v, StoredDocuments) else v for k, v in values.items()}
        frames = {tb.name: published_frame(tb.name, values[asset])}
        frames |= {name: referenced_frame(name, values[ASSET_OF[name]]) for name in others}
        failures = table_failures(tb.name, frames[tb.name], frames)
        cases = "\n".join(f"- {f}" for f in failures[:MAX_CASES])
        return dg.AssetCheckResult(
            passed=not failures,
            metadata={"failures": len(failures), "rows": len(frames[tb.name]),
                      "failure_cases": dg.MetadataValue.md(cases or "none")},
            description=f"{len(failures)} failure(s)" if failures else "valid")

    # Dagster maps inputs by parameter name: give the generic function the names of this table's assets.
    params = [inspect.Parameter("context", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    params += [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
               for name in dict.fromkeys([asset, *(ASSET_OF[o] for o in others)])]
    run.__signature__ = inspect.Signature(params)
    run.__name__ = f"{tb.name}_valid"
    return dg.asset_check(
        asset=asset, name=f"{tb.name}_valid", blocking=True,
        description=f"`{tb.name}` matches its schema, keys and references"
                    + (" and every quote matches the clean text." if tb.has_span else "."),
        additional_ins={ASSET_OF[o]: dg.AssetIn(ASSET_OF[o]) for o in others if ASSET_OF[o] != asset},
    )(run)


def table_checks(assets: list[dg.AssetsDefinition]) -> list[dg.AssetChecksDefinition]:
    upstream = upstream_of(assets)
    return [_check_for(tb, upstream.get(ASSET_OF[tb.name], set())) for tb in TABLES]
