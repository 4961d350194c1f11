"""gitops-gen show: print the workload objects of selected releases as one YAML stream."""
from __future__ import annotations

import sys
from pathlib import Path

from ..builders.workloads import workload_objects
from ..emit.serialize import dump_stream
from ..resolve.fleet import load_fleet


def show(source: Path, environment: str, cluster: str | None = None, model: str | None = None) -> int:
    fleet = load_fleet(source)
    releases = fleet.select(environment=environment, cluster=cluster, model=model)
    sys.stdout.write(dump_stream(obj for release in releases for obj in workload_objects(release)))
    return 0
