"""Where the pipeline reads documents and publishes releases (a Dagster resource, editable in the UI)."""

from pathlib import Path

import dagster as dg
from pydantic import Field


class PipelineSettings(dg.ConfigurableResource):
    """Folders the pipeline reads from and publishes to (relative paths: from the working directory)."""

    seeds_dir: str = Field(default="seeds", description="Folder of input text files (documents); its gold/ "
                           "subfolder holds hand annotations for the card's quality figures.")
    dist_dir: str = Field(default="dist", description="Folder the versioned releases, dist/latest and "
                          "index.html are published into.")

    @property
    def seeds(self) -> Path:
        return Path(self.seeds_dir)

    @property
    def dist(self) -> Path:
        return Path(self.dist_dir)
