"""Argo CD objects: an AppProject per environment and an Application per release."""
from __future__ import annotations

from .. import layout
from ..resolve import Environment, Fleet, Release
from . import meta

API_VERSION = "argoproj.io/v1alpha1"
PLUGIN_NAME = "gitops-gen-v1"  # <ConfigManagementPlugin name>-<spec.version>, see cmp-sidecar/plugin.yaml
# Deleting an Application deletes what it deployed; without it, resources are orphaned.
CASCADE_FINALIZER = "resources-finalizer.argocd.argoproj.io"


def app_projects(fleet: Fleet) -> list[dict]:
    return [app_project(fleet, env) for env in fleet.environments]


def app_project(fleet: Fleet, env: Environment) -> dict:
    destinations = sorted({(c.server, env.namespace) for c in env.clusters})
    return {
        "apiVersion": API_VERSION,
        "kind": "AppProject",
        "metadata": meta.metadata(env.name, meta.scope_labels(env.name), [fleet.project.file, env.file],
                                  namespace=fleet.project.spec.argocd.namespace),
        "spec": {
            "description": f"gitops-gen environment {env.name}",
            "sourceRepos": [fleet.project.spec.repoURL],
            "destinations": [{"server": server, "namespace": ns} for server, ns in destinations],
            # CreateNamespace=true creates the environment's namespace: a cluster-scoped kind.
            "clusterResourceWhitelist": [{"group": "", "kind": "Namespace"}],
        },
    }


def applications(fleet: Fleet) -> list[dict]:
    return [application(fleet, release) for release in fleet.releases]


def argocd_labels(release: Release) -> dict[str, str]:
    """The cluster's labels, then ours (ours win): used to select Applications by region, tier..."""
    labels = dict(release.cluster.labels)
    labels.update(meta.scope_labels(release.environment.name, release.model, release.cluster.name))
    return labels


def source(fleet: Fleet, release: Release) -> dict:
    project = fleet.project.spec
    src = {"repoURL": project.repoURL, "targetRevision": project.targetRevision}
    if project.argocd.mode == "plugin":
        # Argo CD runs gitops-gen-cmp in sourcePath at every sync (see plugin/).
        src["path"] = project.sourcePath
        src["plugin"] = {"name": PLUGIN_NAME, "parameters": [
            {"name": "environment", "string": release.environment.name},
            {"name": "model", "string": release.model},
            {"name": "cluster", "string": release.cluster.name},
        ]}
    else:
        src["path"] = layout.repo_path(fleet.project, layout.release_dir(release))
    return src


def sync_policy(env: Environment) -> dict:
    policy: dict = {}
    if env.sync.automated:
        policy["automated"] = {"prune": env.sync.prune, "selfHeal": env.sync.selfHeal}
    policy["syncOptions"] = ["CreateNamespace=true"] + ([] if env.sync.prune else ["PruneLast=true"])
    policy["retry"] = {"limit": 5, "backoff": {"duration": "10s", "factor": 2, "maxDuration": "3m"}}
    return policy


def application(fleet: Fleet, release: Release) -> dict:
    metadata = meta.metadata(release.name, argocd_labels(release), release.sources,
                             namespace=fleet.project.spec.argocd.namespace)
    metadata["finalizers"] = [CASCADE_FINALIZER]
    return {
        "apiVersion": API_VERSION,
        "kind": "Application",
        "metadata": metadata,
        "spec": {
            "project": release.environment.name,
            "source": source(fleet, release),
            "destination": {"server": release.cluster.server, "namespace": release.namespace},
            "syncPolicy": sync_policy(release.environment),
        },
    }
