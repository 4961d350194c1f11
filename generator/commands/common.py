"""Small helpers the subcommands share."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from ..resolve.fleet import Fleet


def default_output(source: Path, fleet: Fleet) -> Path:
    """The local directory that ``renderedPath`` names, relative to ``sourcePath``."""
    return output_dir(source, fleet.project.spec)


def output_dir(source: Path, spec) -> Path:
    """``default_output`` from the Project's spec (``generator.load.spec.ProjectSpec``)."""
    return Path(os.path.normpath(source / os.path.relpath(spec.renderedPath, start=spec.sourcePath)))


def info(message: str) -> None:
    """Progress and summaries go to stderr, so stdout stays machine-readable."""
    print(message, file=sys.stderr)
