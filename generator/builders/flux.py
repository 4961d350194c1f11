"""Flux objects: the GitRepository each Flux instance reads, and a Kustomization per release.

A release from a Helm chart (serving: helm) gets a HelmRelease instead, with the
chart's source beside it (a HelmRepository, or an OCIRepository for oci://), and
a Kustomization only for what its release directory holds (monitors, templates).
A HelmRelease reads no Git source and does not wait for the cluster's namespaces
Kustomization (HelmRelease dependsOn names HelmReleases only): it creates its
namespace itself (install.createNamespace).
"""
from __future__ import annotations

import dataclasses
from typing import Sequence

from ..load.spec import Cluster
from ..resolve.fleet import Environment, Fleet, Release
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


def git_repository(fleet: Fleet) -> dict | None:
    """The GitRepository each Flux folder carries; None when ``flux.sourceRef`` names an existing source."""
    project = fleet.project
    flux = project.spec.flux
    if flux.sourceRef is not None:
        return None
    spec: dict = {
        "interval": flux.interval,
        "url": project.spec.repoURL,
        # Always explicit: without ref, Flux follows `master`.
        "ref": {"branch": project.spec.targetRevision},
    }
    if flux.provider is not None:
        spec["provider"] = flux.provider
    if flux.secretRef is not None:
        spec["secretRef"] = {"name": flux.secretRef.name}
    return {
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "GitRepository",
        "metadata": meta.metadata(project.name, {**meta.MANAGED_BY}, [project.file], namespace=flux.namespace),
        "spec": spec,
    }


def source_ref(fleet: Fleet) -> dict:
    """The Kustomizations' sourceRef: the generated GitRepository, or the source ``flux.sourceRef`` names."""
    given = fleet.project.spec.flux.sourceRef
    if given is None:
        return {"kind": "GitRepository", "name": fleet.project.name}
    ref = {"kind": given.kind, "name": given.name}
    if given.namespace is not None:
        ref["namespace"] = given.namespace
    return ref


def namespaces_name(cluster: str) -> str:
    """Name of the Kustomization that applies a cluster's namespaces. The dot keeps it apart from
    release names (``<environment>-<cluster>-<model>``, all DNS labels), whatever they are."""
    return f"namespaces.{cluster}"


def namespace_object(fleet: Fleet, namespace: str, cluster: str, environments: Sequence[Environment]) -> dict:
    """A Namespace, cluster-scoped: no ``metadata.namespace``."""
    labels = {**meta.MANAGED_BY, meta.PREFIX + "cluster": cluster}
    if len(environments) == 1:  # environments may share a namespace on a cluster (other models)
        labels[meta.PREFIX + "environment"] = environments[0].name
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": meta.metadata(namespace, labels, _cluster_sources(fleet, cluster, environments)),
    }


def _cluster_sources(fleet: Fleet, cluster: str, environments: Sequence[Environment]) -> list[str]:
    """The spec files a cluster's namespaces come from: the Project, the environments, and the
    Terraform output file of a cluster read from one (``clustersFrom``)."""
    return [fleet.project.file, *(e.file for e in environments),
            *(e.cluster_files[cluster] for e in environments if cluster in e.cluster_files)]


def namespaces_kustomization(fleet: Fleet, cluster: Cluster, environments: Sequence[Environment]) -> dict:
    """The Kustomization that applies ``namespaces/<cluster>`` before the cluster's releases (they dependsOn it).

    It never prunes: removing the last release of a namespace must not delete the
    namespace and what else lives there (Secrets made by hand, other teams' objects).
    It runs as the controller, not as ``flux.serviceAccountName``: a tenant's account
    usually may not create cluster-scoped objects.
    """
    flux = fleet.project.spec.flux
    spec: dict = {
        "interval": flux.interval,
        "timeout": flux.timeout,
        "path": "./" + layout.repo_path(fleet.project, layout.namespaces_dir(cluster.name)),
        "prune": False,
        "sourceRef": source_ref(fleet),
        "wait": True,
    }
    if cluster.kubeConfigSecret:
        spec["kubeConfig"] = {"secretRef": {"name": cluster.kubeConfigSecret}}
    labels = {**meta.MANAGED_BY, meta.PREFIX + "cluster": cluster.name}
    if len(environments) == 1:
        labels[meta.PREFIX + "environment"] = environments[0].name
    return {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": meta.metadata(namespaces_name(cluster.name), labels,
                                  _cluster_sources(fleet, cluster.name, environments), namespace=flux.namespace),
        "spec": spec,
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
        "sourceRef": source_ref(fleet),
        "targetNamespace": release.namespace,
        **health(release, workloads),
    }
    if flux.serviceAccountName is not None:
        spec["serviceAccountName"] = flux.serviceAccountName
    if release.cluster.kubeConfigSecret:
        spec["kubeConfig"] = {"secretRef": {"name": release.cluster.kubeConfigSecret}}
    # targetNamespace does not create the namespace: wait until the cluster's namespaces are applied.
    spec["dependsOn"] = [{"name": namespaces_name(release.cluster.name)}, *depends_on(release)]
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
    environment = release.environment
    lower = [c for c in environment.clusters
             if c.kubeConfigSecret and c.wave < cluster.wave and "flux" in environment.engines_of(c)]
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
    # A HelmRelease cannot wait for the cluster's `namespaces.<cluster>` Kustomization (its dependsOn
    # names HelmReleases only): Helm creates the target namespace at install when it is missing, and
    # never deletes it. Where the release also has a Kustomization (monitors, templates), the
    # Namespace object in namespaces/<cluster> adopts it, with its labels.
    spec["install"] = {"createNamespace": True, "remediation": {"retries": REMEDIATION_RETRIES}}
    spec["upgrade"] = {"remediation": {"retries": REMEDIATION_RETRIES, "strategy": "rollback"}}
    if flux.serviceAccountName is not None:
        # As for Kustomizations: helm-controller impersonates it (on the target cluster with kubeConfig).
        spec["serviceAccountName"] = flux.serviceAccountName
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
