"""Where each generated file goes, relative to the output root.

The Argo CD and Flux builders and the tree writer all ask here, so the path an
Application points at is always the directory the workloads were written to.
"""
from __future__ import annotations

import posixpath

from ..load.spec import Cluster
from ..resolve.fleet import Project, Release

WORKLOADS = "workloads"
ARGOCD = "argocd"
# Outside argocd/ so no environment's folder can be named like it.
ARGOCD_ROOTS = "argocd-roots"
FLUX = "flux"
NAMESPACES = "namespaces"


def release_dir(release: Release) -> str:
    """``workloads/<environment>/<cluster>/<model>``: one kustomize root per release."""
    return release_dir_of(release.environment.name, release.cluster.name, release.model)


def release_dir_of(environment: str, cluster: str, model: str) -> str:
    """The same path from names (an ApplicationSet templates the cluster part)."""
    return f"{WORKLOADS}/{environment}/{cluster}/{model}"


def cluster_dir(cluster: str) -> str:
    """``workloads/_cluster/<cluster>``: the cluster-scoped objects of every release on one cluster.

    ``_`` cannot start an environment name (a DNS label), so this never meets a release directory.
    """
    return f"{WORKLOADS}/_cluster/{cluster}"


def argocd_cluster_dir() -> str:
    """The AppProject and Applications that deploy the cluster directories (``_``: never an environment)."""
    return f"{ARGOCD}/_cluster"


def object_file(obj: dict) -> str:
    """``<kind>-<name>.yaml``, lower-case: unique within a release directory."""
    return f"{obj['kind'].lower()}-{obj['metadata']['name']}.yaml"


def argocd_dir(environment: str) -> str:
    return f"{ARGOCD}/{environment}"


def flux_dir(release: Release) -> str:
    return flux_dir_of(release.cluster)


def flux_dir_of(cluster: Cluster) -> str:
    """Which Flux applies a release's Kustomization.

    A cluster reached through ``kubeConfigSecret`` is reconciled from the hub
    (``flux/hub``); any other cluster runs its own Flux (``flux/clusters/<name>``).
    Each folder is what one Flux instance's bootstrap path points at.
    """
    if cluster.kubeConfigSecret:
        return f"{FLUX}/hub"
    return f"{FLUX}/clusters/{cluster.name}"


def namespaces_dir(cluster: str) -> str:
    """``namespaces/<cluster>``: the Namespace objects Flux applies on a cluster before its releases.

    A folder of its own, with no ``namespace:`` in its kustomization.yaml and no
    ``targetNamespace`` on its Flux Kustomization: either would rename a Namespace.
    """
    return f"{NAMESPACES}/{cluster}"


def repo_path(project: Project, relative: str) -> str:
    """A rendered path as the controllers see it: inside the Git repository."""
    return posixpath.join(project.spec.renderedPath.strip("/"), relative)
