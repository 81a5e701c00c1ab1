"""Where the pipeline reads documents and publishes releases (a Dagster resource, editable in the UI)."""

from pathlib import Path

import dagster as dg


class PipelineSettings(dg.ConfigurableResource):
    """Folders the pipeline reads from and publishes to (relative paths: from the working directory)."""

    seeds_dir: str = "seeds"
    dist_dir: str = "dist"

    @property
    def seeds(self) -> Path:
        return Path(self.seeds_dir)

    @property
    def dist(self) -> Path:
        return Path(self.dist_dir)
