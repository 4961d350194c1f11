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
    grouped: dict[str, list[OutputFile]] = defaultdict(list)

    def place(directory: str, obj: dict) -> None:
        grouped[directory].append(OutputFile(f"{directory}/{layout.object_file(obj)}", obj))

    for env_name, obj in argocd.app_projects(fleet):
        place(layout.argocd_dir(env_name), obj)
    for env_name, obj in argocd.release_objects(fleet):
        place(layout.argocd_dir(env_name), obj)
    for obj in argocd.root_applications(fleet):
        place(layout.ARGOCD_ROOTS, obj)
    # A cluster's cluster-scoped objects go with the engine(s) of its releases.
    argocd_groups = [g for g in clusters if any("argocd" in r.engines for r in g.releases)]
    if argocd_groups:
        for obj in [clusterwide.app_project(fleet, argocd_groups),
                    *(clusterwide.application(fleet, g) for g in argocd_groups)]:
            place(layout.argocd_cluster_dir(), obj)
    flux_releases = [release for release in fleet.releases if "flux" in release.engines]
    # Per cluster Flux applies Kustomizations on: its namespaces, and the environments using each.
    namespaces: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    flux_clusters = {}
    git_folders: set[str] = set()  # Flux folders with a Kustomization: they read the Git repository
    chart_sources: dict[str, dict] = {}
    for release in flux_releases:
        d = layout.flux_dir(release)
        if helm.is_chart(release):
            # A HelmRelease reads its chart's source, not Git, and creates its namespace itself
            # (install.createNamespace): its dependsOn may only name HelmReleases.
            source = flux.chart_source(fleet, release)
            path = f"{d}/{layout.object_file(source)}"
            shared_source = chart_sources.get(path)
            if shared_source is None:
                chart_sources[path] = source
                place(d, source)
            else:  # a HelmRepository serves every release from its repository in its Flux folder
                meta.add_sources(shared_source, release.sources)
            place(d, flux.helm_release(fleet, release))
            if not helm.has_extras(release):
                continue
        cluster = release.cluster
        if cluster.name not in flux_clusters:
            flux_clusters[cluster.name] = cluster
        users = namespaces[cluster.name][release.namespace]
        if not users or users[-1].name != release.environment.name:  # releases come sorted by environment
            users.append(release.environment)
        git_folders.add(d)
        place(d, flux.kustomization(fleet, release, workloads[release.name]))
    for name, cluster in flux_clusters.items():
        environments = sorted({e.name: e for users in namespaces[name].values() for e in users}.values(),
                              key=lambda e: e.name)
        place(layout.flux_dir_of(cluster), flux.namespaces_kustomization(fleet, cluster, environments))
        for namespace, users in sorted(namespaces[name].items()):
            place(layout.namespaces_dir(name), flux.namespace_object(fleet, namespace, name, users))
    for group in clusters:
        if any("flux" in r.engines for r in group.releases):
            git_folders.add(layout.flux_dir_of(group.cluster))
            place(layout.flux_dir_of(group.cluster), clusterwide.flux_kustomization(fleet, group))
    repo = flux.git_repository(fleet) if git_folders else None
    if repo is not None:
        for d in sorted(git_folders):
            place(d, repo)
    for directory, files in grouped.items():
        out.extend(files)
        out.append(kustomization_file(directory, [f.path for f in files]))
    out.sort(key=lambda f: f.path)
    return out
