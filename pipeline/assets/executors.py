"""How a run executes, chosen by run configuration (``execution: config: <name>: ...``), never by code:

- ``in_process`` (default): every step in the run's own process, one after the other. On 2 cores this was the
  fastest for this job (each step is one pass over the run's documents; a process per step costs ≈1.5 s);
- ``multiprocess``: a process per step, steps without dependencies between them in parallel;
- ``dask``: every step as a task of a Dask cluster (``dagster-dask``): ``cluster: local: {n_workers: 2}`` starts
  a ``LocalCluster``; ``cluster: existing: {address: tcp://scheduler:8786}`` uses a real one. Steps then run
  on other machines: the store (``PipelineSettings.work_dir``) and the seeds folder must be on storage every
  worker sees, and the Dagster instance must be a shared one (e.g. Postgres storage in dagster.yaml).
"""

import dagster as dg

# dagster-dask's executor config (dagster_dask.executor.dask_executor's), declared here so that defining the job
# does not import dask (see pipeline/assets/dask_executor.py: 1.45 s of every start); tests/test_executors.py
# checks that the two stay the same.
DASK_CLUSTERS = ("existing", "local", "yarn", "ssh", "pbs", "moab", "sge", "lsf", "slurm", "oar", "kube")
DASK_CONFIG = {"cluster": dg.Field(dg.Selector({
    "existing": dg.Field({"address": dg.StringSource}, description="Connect to an existing scheduler."),
    **{name: dg.Field(dg.Permissive(), is_required=False, description=f"{name} cluster configuration.")
       for name in DASK_CLUSTERS[1:]}}))}


@dg.executor(name="dask", config_schema=DASK_CONFIG, requirements=dg.multiple_process_executor_requirements())
def partition_safe_dask_executor(init_context: dg.InitExecutorContext) -> dg.Executor:
    from pipeline.assets.dask_executor import PartitionSafeDaskExecutor

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


# The multiprocess executor's step processes fork from a server that has imported the pipeline once (Dagster's
# ``forkserver`` start method), rather than each being a new interpreter importing Dagster and the pipeline again
# (``spawn``, Dagster's default).
MULTIPROCESS_PRELOAD = ["pipeline.definitions"]


def run_config_for(name: str, workers: int = 2) -> dict:
    """The ``execution`` run config selecting an executor by name (Dask: a local cluster of ``workers``;
    multiprocess: step processes forked from a server with the pipeline loaded)."""
    if name == "dask":
        config: dict = {"cluster": {"local": {"n_workers": workers, "threads_per_worker": 1,
                                              "dashboard_address": None}}}
    elif name == "multiprocess":
        config = {"start_method": {"forkserver": {"preload_modules": MULTIPROCESS_PRELOAD}}}
    else:
        config = {}
    return {"execution": {"config": {name: config}}}
