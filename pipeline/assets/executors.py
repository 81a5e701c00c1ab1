"""How a run executes, chosen by run configuration (``execution: config: <name>: ...``), never by code:

- ``in_process`` (default): every step in the run's own process, one after the other. On 2 cores this was the
  fastest for this job (each step is one pass over the run's documents; a process per step costs ≈1.5 s);
- ``multiprocess``: a process per step, steps without dependencies between them in parallel;
- ``dask``: every step as a task of a Dask cluster (``dagster-dask``): ``cluster: local: {n_workers: 2}`` starts
  a ``LocalCluster``; ``cluster: existing: {address: tcp://scheduler:8786}`` uses a real one. Steps then run
  on other machines: the store (``PipelineSettings.work_dir``) and the seeds folder must be on storage every
  worker sees, and the Dagster instance must be a shared one (e.g. Postgres storage in dagster.yaml).
"""

import copy
import logging

import dagster as dg
from dagster_dask import dask_executor
from dagster_dask.executor import DaskExecutor


# dagster-dask's step events make distributed.sizeof warn three times per step ("Sizeof calculation ... failed"):
# dagster-io/dagster#33771; harmless (Dask falls back to a default size), and it floods the run's output
logging.getLogger("distributed.sizeof").setLevel(logging.ERROR)


class _Shipped:
    """Carries a DagsterRun to a Dask worker without Dask looking inside it. Dask ≥ 2024.12 walks every tuple
    argument of ``Client.submit``; a DagsterRun is a named tuple, and the run of a partition range holds a
    ``KeyRangesPartitionsSubset`` that refuses iteration, so dagster-dask 0.29.27 fails on every partitioned run
    ("Iteration is not allowed on `@record`"). Pickled, this is the run itself again."""

    def __init__(self, run):
        self.run = run

    def __reduce__(self):
        return _identity, (self.run,)

    def __getattr__(self, name):
        return getattr(self.run, name)


def _identity(x):
    return x


class PartitionSafeDaskExecutor(DaskExecutor):
    """dagster-dask's executor, handing the run to Dask as ``_Shipped`` (steps run in worker processes, where it
    is unpickled into the run)."""

    def execute(self, plan_context, execution_plan):
        shielded = copy.copy(plan_context)
        shielded.__class__ = type("ShippedRunContext", (type(plan_context),),
                                  {"dagster_run": property(lambda ctx: _Shipped(plan_context.dagster_run))})
        return super().execute(shielded, execution_plan)


@dg.executor(name="dask", config_schema=dask_executor.config_schema,
             requirements=dask_executor.get_requirements)
def partition_safe_dask_executor(init_context: dg.InitExecutorContext) -> dg.Executor:
    ((cluster_type, cluster_configuration),) = init_context.executor_config["cluster"].items()
    return PartitionSafeDaskExecutor(cluster_type, cluster_configuration)

CHOICES: dict[str, dg.ExecutorDefinition] = {
    "in_process": dg.in_process_executor,
    "multiprocess": dg.multiprocess_executor,
    "dask": partition_safe_dask_executor,
}
DEFAULT = "in_process"


def _requirements(config) -> list:
    (name,) = config
    return list(CHOICES[name].get_requirements(config[name]))


@dg.executor(
    name="in_process_multiprocess_or_dask",
    config_schema=dg.Field(
        dg.Selector({name: ex.config_schema.as_field() for name, ex in CHOICES.items()}),
        default_value={DEFAULT: {}},
        description="in_process (default), multiprocess, or dask (cluster: local or existing)."),
    requirements=_requirements,
)
def configurable_executor(init_context: dg.InitExecutorContext) -> dg.Executor:
    ((name, config),) = init_context.executor_config.items()
    chosen = CHOICES[name]
    return chosen.executor_creation_fn(init_context._replace(executor_def=chosen, executor_config=config))


def run_config_for(name: str, workers: int = 2) -> dict:
    """The ``execution`` run config selecting an executor by name (Dask: a local cluster of ``workers``)."""
    if name == "dask":
        config: dict = {"cluster": {"local": {"n_workers": workers, "threads_per_worker": 1,
                                              "dashboard_address": None}}}
    else:
        config = {}
    return {"execution": {"config": {name: config}}}
