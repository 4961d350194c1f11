"""Flux objects: the GitRepository each Flux instance reads, and a Kustomization per release."""
from __future__ import annotations

import dataclasses
from typing import Sequence

from ..resolve.fleet import Fleet, Release
from . import layout, meta

# Argo Rollouts' Rollout is not kstatus-compatible (its status.observedGeneration
# is a string), so `wait: true` would never see it become ready. With a Rollout
# in the release we list every object in healthChecks instead and tell Flux how
# to read a Rollout: current once the controller has seen this generation and
# the Rollout is Healthy, or Paused at a canary step (the progression is Argo
# Rollouts' job; a Kustomization would otherwise time out at every manual
# promotion); failed when Degraded (aborted, or timed out).
ROLLOUT_HEALTH = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "Rollout",
    "current": "has(status.observedGeneration) && status.observedGeneration == string(metadata.generation) "
               "&& has(status.phase) && status.phase in ['Healthy', 'Paused']",
    "failed": "has(status.phase) && status.phase == 'Degraded'",
}


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


def health(release: Release, workloads: Sequence[dict]) -> dict:
    """`wait: true`, or, when the release has a Rollout, healthChecks over its objects plus the Rollout rule."""
    if not any(obj["kind"] == "Rollout" for obj in workloads):
        return {"wait": True}
    checks = [{"apiVersion": obj["apiVersion"], "kind": obj["kind"], "name": obj["metadata"]["name"],
               "namespace": release.namespace} for obj in workloads]
    return {"healthChecks": checks, "healthCheckExprs": [ROLLOUT_HEALTH]}


def kustomization(fleet: Fleet, release: Release, workloads: Sequence[dict] | None = None) -> dict:
    """The release's Kustomization; ``workloads`` are its objects (built here when not given)."""
    if workloads is None:
        from .workloads import workload_objects
        workloads = workload_objects(release)
    flux = fleet.project.spec.flux
    spec: dict = {
        "interval": flux.interval,
        # Flux defaults timeout to interval; we always say what we mean.
        "timeout": flux.timeout,
        "path": "./" + layout.repo_path(fleet.project, layout.release_dir(release)),
        "prune": release.environment.sync.prune,
        "sourceRef": {"kind": "GitRepository", "name": fleet.project.name},
        "targetNamespace": release.namespace,
        **health(release, workloads),
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
