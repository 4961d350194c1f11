"""Flux objects: the GitRepository each Flux instance reads, and a Kustomization per release."""
from __future__ import annotations

import dataclasses
from typing import Sequence

from . import layout
from ..load.spec import Cluster
from ..resolve.fleet import Environment, Fleet, Release
from . import meta

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
        "metadata": meta.metadata(namespace, labels, [fleet.project.file, *(e.file for e in environments)]),
    }


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
                                  [fleet.project.file, *(e.file for e in environments)], namespace=flux.namespace),
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
