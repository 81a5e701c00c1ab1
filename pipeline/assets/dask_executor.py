"""The Dask executor's implementation (dagster-dask), imported only when a run uses it: importing dagster_dask
imports dask and distributed, 1.45 s of every command-line start otherwise (pyinstrument, a no-op build of 1,000
documents: 1.45 of 3.5 s). ``pipeline.assets.executors`` declares it and imports this module when a run uses it."""

import copy
import logging

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
