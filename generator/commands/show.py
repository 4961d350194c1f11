"""gitops-gen show: print the workload objects of selected releases as one YAML stream.

A Helm release (serving: helm) has no workload objects of gitops-gen's own: Argo
CD or Flux renders its chart. It is shown as a comment naming the chart, the
version and the values they install it with, then whatever is deployed beside
it (monitors, templates).
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..builders import helm
from ..builders.workloads import workload_objects
from ..emit.serialize import dump, dump_stream
from ..resolve.fleet import Release, load_fleet


def show(source: Path, environment: str, cluster: str | None = None, model: str | None = None) -> int:
    fleet = load_fleet(source)
    releases = fleet.select(environment=environment, cluster=cluster, model=model)
    for release in releases:
        if helm.is_chart(release):
            sys.stdout.write(chart_comment(release))
        sys.stdout.write(dump_stream(workload_objects(release)))
    return 0


def chart_comment(release: Release) -> str:
    """The chart a Helm release installs, as YAML comment lines (the stream stays valid YAML)."""
    chart = helm.chart_of(release)
    lines = [f"{release.environment.name}/{release.cluster.name}/{release.model}: Helm chart {chart.name} "
             f"{chart.version} from {chart.repo}, release {helm.release_name(release)} in {release.namespace} "
             "(installed by Argo CD or Flux)"]
    if release.spec.values:
        lines.append("values:")
        lines.extend("  " + line for line in dump(release.spec.values).splitlines())
    return "".join(f"# {line}\n" for line in lines)
