"""Which Dagster instance a build uses: the persistent one the UI reads, so that a command-line build shows in
``dagster dev`` (its run, every asset and partition materialized) and the sensor starts from the partitions the
command line added.

Its folder is ``$DAGSTER_HOME`` when set, else ``<work>/dagster`` (``make dataset``: ``build/dist/dagster``, the
folder ``make ui`` starts the UI on); default SQLite storage, created with its ``dagster.yaml`` on first use. Whether
a document's tables are up to date is still decided by the store's stamps in the work folder; the instance holds
the runs, their events and the document partitions.

The cost: SQLite writes each event in its own transaction, ≈8.6 ms an event (measured with
``DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS=true``): a run's step events (inputs, outputs, checks, log lines:
322 for a run of one document and for one of two) and a materialization per asset and partition; partitions
coarser than one per document are what make the latter affordable."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

CONFIG = "dagster.yaml"
DEFAULT_CONFIG = "telemetry:\n  enabled: false\n"


def instance_home(work: Path) -> Path:
    """The instance folder of a build whose work folder is ``work``: ``$DAGSTER_HOME`` when set (``~`` expanded, as
    Dagster does), else ``<work>/dagster``."""
    home = os.environ.get("DAGSTER_HOME")
    return Path(home).expanduser() if home else work / "dagster"


def prepare_home(home: Path) -> Path:
    """Create ``home`` and its ``dagster.yaml`` (telemetry off) when missing; an existing ``dagster.yaml`` (Postgres
    storage, say) is left as it is."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / CONFIG
    if not config.exists():
        config.write_text(DEFAULT_CONFIG, encoding="utf-8")
    return home


def open_instance(work: Path) -> dg.DagsterInstance:
    """The persistent instance of a build whose work folder is ``work`` (every executor)."""
    return dg.DagsterInstance.from_config(str(prepare_home(instance_home(work))))
