"""Flux objects: the GitRepository each Flux instance reads, and a Kustomization per release."""
from __future__ import annotations

import dataclasses

from .. import layout
from ..resolve import Fleet, Release
from . import meta


def git_repository(fleet: Fleet) -> dict:
    project = fleet.project
    return {
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "GitRepository",
        "metadata": meta.metadata(project.name, {**meta.MANAGED_BY}, [project.file],
                                  namespace=project.spec.flux.namespace),
        "spec": {
            "interval": project.spec.flux.interval,
            "url": project.spec.repoURL,
            # Always explicit: without ref, Flux follows `master`.
            "ref": {"branch": project.spec.targetRevision},
        },
    }


def kustomization(fleet: Fleet, release: Release) -> dict:
    flux = fleet.project.spec.flux
    spec: dict = {
        "interval": flux.interval,
        # Flux defaults timeout to interval; we always say what we mean.
        "timeout": flux.timeout,
        "path": "./" + layout.repo_path(fleet.project, layout.release_dir(release)),
        "prune": release.environment.sync.prune,
        "sourceRef": {"kind": "GitRepository", "name": fleet.project.name},
        "targetNamespace": release.namespace,
        "wait": True,
    }
    if release.cluster.kubeConfigSecret:
        spec["kubeConfig"] = {"secretRef": {"name": release.cluster.kubeConfigSecret}}
    previous_wave = depends_on(release)
    if previous_wave:
        spec["dependsOn"] = previous_wave
    return {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": meta.metadata(release.name,
                                  meta.scope_labels(release.environment.name, release.model, release.cluster.name),
                                  release.sources, namespace=flux.namespace),
        "spec": spec,
    }


def depends_on(release: Release) -> list[dict]:
    """Flux waves: the same model's Kustomizations on the previous wave of the environment's hub clusters.

    ``dependsOn`` only links Kustomizations of one Flux instance, and only the
    hub (``flux/hub``, clusters with ``kubeConfigSecret``) holds several
    clusters' Kustomizations; a cluster running its own Flux cannot wait for
    another cluster, so it gets no dependency. "Previous" is the nearest lower
    wave among the environment's hub clusters: Flux applies a release only
    once those are Ready.
    """
    cluster = release.cluster
    if not cluster.kubeConfigSecret:
        return []
    lower = [c for c in release.environment.clusters if c.kubeConfigSecret and c.wave < cluster.wave]
    if not lower:
        return []
    previous = max(c.wave for c in lower)
    return [{"name": dataclasses.replace(release, cluster=c).name}
            for c in sorted(lower, key=lambda c: c.name) if c.wave == previous]
