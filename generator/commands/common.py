"""Small helpers the subcommands share."""
from __future__ import annotations

import sys
from pathlib import Path

from .. import paths
from ..resolve.fleet import Fleet


def default_output(source: Path, fleet: Fleet) -> Path:
    """The local directory that ``renderedPath`` names, relative to ``sourcePath``."""
    return output_dir(source, fleet.project.spec)


def output_dir(source: Path, spec) -> Path:
    """``default_output`` from the Project's spec (``generator.load.spec.ProjectSpec``); see paths.output_dir."""
    return paths.output_dir(source, spec.sourcePath, spec.renderedPath)


def info(message: str) -> None:
    """Progress and summaries go to stderr, so stdout stays machine-readable."""
    print(message, file=sys.stderr)


def waiting_for(source: Path) -> None:
    """Said once when a command has to wait for another one using the same source tree (emit.source_lock)."""
    info(f"{source}: another gitops-gen command is using this source tree; waiting for it to finish")
