"""Flux objects: the GitRepository each Flux instance reads, and a Kustomization per release.

A release from a Helm chart (serving: helm) gets a HelmRelease instead, with the
chart's source beside it (a HelmRepository, or an OCIRepository for oci://), and
a Kustomization only for what its release directory holds (monitors, templates).
"""
from __future__ import annotations

import dataclasses
from typing import Sequence

from ..resolve.fleet import Fleet, Release
from . import helm, layout, meta

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


# --- serving: helm ---------------------------------------------------------------

HELM_API_VERSION = "helm.toolkit.fluxcd.io/v2"
SOURCE_API_VERSION = "source.toolkit.fluxcd.io/v1"
# Install and upgrade failures are retried, and a failed upgrade is rolled back,
# instead of leaving a release half-upgraded until someone intervenes.
REMEDIATION_RETRIES = 3


def chart_source(fleet: Fleet, release: Release) -> dict:
    """Where Flux fetches the release's chart: a HelmRepository shared per repository (https), or an
    OCIRepository per release (oci://: it pins the chart's tag, which is the release's chart version)."""
    chart, flux = helm.chart_of(release), fleet.project.spec.flux
    if helm.is_oci(chart.repo):
        kind = "OCIRepository"
        name = release.name
        spec: dict = {
            "interval": flux.interval,
            "url": f"{chart.repo.rstrip('/')}/{chart.name}",
            "ref": {"tag": chart.version},
            # The packaged chart, as HelmRelease.chartRef expects it.
            "layerSelector": {"mediaType": helm.HELM_CHART_LAYER, "operation": "copy"},
        }
        labels = meta.scope_labels(release.environment.name, release.model, release.cluster.name)
        sources = release.sources
    else:
        kind = "HelmRepository"
        name = helm.helm_repository_name(chart.repo)
        spec = {"interval": flux.interval, "url": chart.repo}
        # Shared by every release from this repository in one Flux folder (files.py adds their spec
        # files to the source annotation): labelled like the GitRepository, not per environment or model.
        labels, sources = {**meta.MANAGED_BY}, release.sources
    secret = flux.chartSecrets.get(chart.repo)
    if secret:
        spec["secretRef"] = {"name": secret}
    return {"apiVersion": SOURCE_API_VERSION, "kind": kind,
            "metadata": meta.metadata(name, labels, sources, namespace=flux.namespace), "spec": spec}


def helm_release(fleet: Fleet, release: Release) -> dict:
    """The release's HelmRelease: spec.chart, spec.values and spec.releaseName, installed into the namespace."""
    chart, flux = helm.chart_of(release), fleet.project.spec.flux
    source = chart_source(fleet, release)
    spec: dict = {
        "interval": flux.interval,
        # As for Kustomizations: Flux would default it (to 5m); large models take longer to become ready.
        "timeout": flux.timeout,
        "releaseName": helm.release_name(release),
        "targetNamespace": release.namespace,
        # Helm's release records live with the release, as after `helm install -n NAMESPACE`.
        "storageNamespace": release.namespace,
    }
    if source["kind"] == "OCIRepository":
        spec["chartRef"] = {"kind": "OCIRepository", "name": source["metadata"]["name"]}
    else:
        spec["chart"] = {"spec": {"chart": chart.name, "version": chart.version, "interval": flux.interval,
                                  "sourceRef": {"kind": "HelmRepository", "name": source["metadata"]["name"]}}}
    if release.spec.values:
        spec["values"] = release.spec.values
    spec["install"] = {"remediation": {"retries": REMEDIATION_RETRIES}}
    spec["upgrade"] = {"remediation": {"retries": REMEDIATION_RETRIES, "strategy": "rollback"}}
    if release.cluster.kubeConfigSecret:
        spec["kubeConfig"] = {"secretRef": {"name": release.cluster.kubeConfigSecret}}
    # HelmReleases depend on HelmReleases only; the previous wave's are named like its releases.
    previous_wave = depends_on(release)
    if previous_wave:
        spec["dependsOn"] = previous_wave
    return {
        "apiVersion": HELM_API_VERSION,
        "kind": "HelmRelease",
        "metadata": meta.metadata(release.name,
                                  meta.scope_labels(release.environment.name, release.model, release.cluster.name),
                                  release.sources, namespace=flux.namespace),
        "spec": spec,
    }
