"""Where the pipeline reads documents, keeps its per-document tables and publishes releases (a Dagster resource,
editable in the UI)."""

import os
from pathlib import Path

import dagster as dg
from pydantic import Field
from upath import UPath


class PipelineSettings(dg.ConfigurableResource):
    """Folders the pipeline reads from, works in and publishes to (relative paths: from the working directory)."""

    seeds_dir: str = Field(default="seeds", description="Folder of input text files (documents); its gold/ "
                           "subfolder holds hand annotations for the card's quality figures.")
    dist_dir: str = Field(default="dist", description="Folder the versioned releases, dist/latest and "
                          "index.html are published into.")
    work_dir: str = Field(default="build/dist", description="Folder of the per-document tables between runs "
                          "(store/; a cache, safe to delete: everything is then processed again). On a cluster, "
                          "a folder every worker sees.")
    processes: int = Field(default=0, ge=0, description="Processes the release writes and checks the parts of "
                           "its tables in, at once (0: one per CPU this process may use; 1: in the run's own). "
                           "The command line's --jobs.")

    @property
    def seeds(self) -> Path:
        return Path(self.seeds_dir)

    @property
    def dist(self) -> Path:
        return Path(self.dist_dir)

    @property
    def release_processes(self) -> int:
        return self.processes or cpus()

    @property
    def store(self) -> UPath:
        """The store's location: a local folder, or any fsspec URL the work folder is given as (``s3://...``)."""
        return UPath(self.work_dir) / "store"


def work_dir_for(dist: Path) -> Path:
    """The default work folder of a dist folder: ``build/<dist name>`` beside it (``dist`` → ``build/dist``), so
    two dist folders never share per-document tables."""
    return dist.parent / "build" / dist.name


def cpus() -> int:
    """The CPUs this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
