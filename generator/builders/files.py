"""Build: Releases -> plain-dict Kubernetes objects, placed in output files.

Nothing here reads files or raw YAML: a Fleet in, a list of OutputFiles out.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from ..resolve.fleet import Fleet, Release
from . import argocd, clusterwide, flux, helm, layout, meta
from .workloads import release_objects, workload_objects

KUSTOMIZATION_FILE = "kustomization.yaml"


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One file of the output tree: its path relative to the root and the object it holds."""

    path: str
    obj: dict


def kustomization_file(directory: str, files: list[str]) -> OutputFile:
    """A kustomize root listing ``files``, so kubectl, Argo CD and Flux all build the same objects."""
    resources = sorted(f[len(directory) + 1:] for f in files)
    obj = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": resources}
    return OutputFile(f"{directory}/{KUSTOMIZATION_FILE}", obj)


def release_files(release: Release, workloads: list[dict] | None = None) -> list[OutputFile]:
    """The workload files of one release, plus its kustomization.yaml.

    None for a chart with nothing beside it: no engine reads its directory.
    """
    directory = layout.release_dir(release)
    if workloads is None:
        workloads = workload_objects(release)
    if helm.is_chart(release) and not helm.has_extras(release):
        return []
    files = [OutputFile(f"{directory}/{layout.object_file(obj)}", obj) for obj in workloads]
    return [*files, kustomization_file(directory, [f.path for f in files])]


def build_fleet(fleet: Fleet, progress: Callable[[], None] | None = None) -> list[OutputFile]:
    """Every file of the output tree, sorted by path. ``progress`` is called after each release."""
    out: list[OutputFile] = []
    workloads: dict[str, list[dict]] = {}
    cluster_scoped: list[tuple[Release, list[dict]]] = []
    for release in fleet.releases:
        workloads[release.name], shared = release_objects(release)
        if shared:
            cluster_scoped.append((release, shared))
        out.extend(release_files(release, workloads[release.name]))
        if progress:
            progress()
    clusters = clusterwide.collect(cluster_scoped) if cluster_scoped else []
    if clusters:
        clusterwide.check_names(fleet, clusters)
    for group in clusters:
        directory = layout.cluster_dir(group.cluster.name)
        files = [OutputFile(f"{directory}/{file}", obj) for file, obj in sorted(group.objects.items())]
        out.extend(files)
        out.append(kustomization_file(directory, [f.path for f in files]))
    engines = fleet.project.spec.engines
    grouped: dict[str, list[OutputFile]] = defaultdict(list)
    if "argocd" in engines:
        for obj in argocd.app_projects(fleet):
            d = layout.argocd_dir(obj["metadata"]["name"])
            grouped[d].append(OutputFile(f"{d}/{layout.object_file(obj)}", obj))
        for env_name, obj in argocd.release_objects(fleet):
            d = layout.argocd_dir(env_name)
            grouped[d].append(OutputFile(f"{d}/{layout.object_file(obj)}", obj))
        if clusters:
            d = layout.argocd_cluster_dir()
            for obj in [clusterwide.app_project(fleet, clusters), *(clusterwide.application(fleet, g) for g in clusters)]:
                grouped[d].append(OutputFile(f"{d}/{layout.object_file(obj)}", obj))
    if "flux" in engines:
        chart_sources: dict[str, dict] = {}
        for release in fleet.releases:
            d = layout.flux_dir(release)
            if d not in grouped:
                repo = flux.git_repository(fleet)
                grouped[d].append(OutputFile(f"{d}/{layout.object_file(repo)}", repo))
            objects = []
            if helm.is_chart(release):
                source = flux.chart_source(fleet, release)
                path = f"{d}/{layout.object_file(source)}"
                shared_source = chart_sources.get(path)
                if shared_source is None:
                    chart_sources[path] = source
                    objects.append(source)
                else:  # a HelmRepository serves every release from its repository in its Flux folder
                    meta.add_sources(shared_source, release.sources)
                objects.append(flux.helm_release(fleet, release))
            if not helm.is_chart(release) or helm.has_extras(release):
                objects.append(flux.kustomization(fleet, release, workloads[release.name]))
            grouped[d].extend(OutputFile(f"{d}/{layout.object_file(obj)}", obj) for obj in objects)
        for group in clusters:
            d = layout.flux_dir_of(group.cluster)
            obj = clusterwide.flux_kustomization(fleet, group)
            grouped[d].append(OutputFile(f"{d}/{layout.object_file(obj)}", obj))
    for directory, files in grouped.items():
        out.extend(files)
        out.append(kustomization_file(directory, [f.path for f in files]))
    out.sort(key=lambda f: f.path)
    return out
