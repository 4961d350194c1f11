"""Argo CD objects: an AppProject per environment, and an Application per release or,
with ``argocd.applicationSets``, an ApplicationSet per (environment, model)."""
from __future__ import annotations

from typing import Any

from ..errors import GitopsGenError
from ..resolve.fleet import Environment, Fleet, Release, application_set_name
from . import helm, layout, meta

API_VERSION = "argoproj.io/v1alpha1"
PLUGIN_NAME = "gitops-gen-v1"  # <ConfigManagementPlugin name>-<spec.version>, see cmp-sidecar/plugin.yaml
# Deleting an Application deletes what it deployed; without it, resources are orphaned.
CASCADE_FINALIZER = "resources-finalizer.argocd.argoproj.io"


def app_projects(fleet: Fleet) -> list[dict]:
    chart_repos: dict[str, set[str]] = {}
    for release in fleet.releases:
        if helm.is_chart(release):
            chart_repos.setdefault(release.environment.name, set()).add(helm.argocd_repo_url(helm.chart_of(release).repo))
    return [app_project(fleet, env, chart_repos.get(env.name, ())) for env in fleet.environments]


def app_project(fleet: Fleet, env: Environment, chart_repos=()) -> dict:
    """``chart_repos``: the Helm chart repositories (spec.chart.repo, as Argo CD spells them) of its releases."""
    destinations = sorted({(c.server, env.namespace) for c in env.clusters})
    return {
        "apiVersion": API_VERSION,
        "kind": "AppProject",
        "metadata": meta.metadata(env.name, meta.scope_labels(env.name),
                                  [fleet.project.file, env.file, *env.cluster_files.values()],
                                  namespace=fleet.project.spec.argocd.namespace),
        "spec": {
            "description": f"gitops-gen environment {env.name}",
            # Argo CD refuses a source whose repoURL the project does not list: the charts' too.
            "sourceRepos": [fleet.project.spec.repoURL, *sorted(set(chart_repos) - {fleet.project.spec.repoURL})],
            "destinations": [{"server": server, "namespace": ns} for server, ns in destinations],
            # CreateNamespace=true creates the environment's namespace: a cluster-scoped kind.
            "clusterResourceWhitelist": [{"group": "", "kind": "Namespace"}],
        },
    }


def release_objects(fleet: Fleet) -> list[tuple[str, dict]]:
    """(environment name, object) for what deploys the releases: Applications, or ApplicationSets."""
    if not fleet.project.spec.argocd.applicationSets:
        return [(release.environment.name, application(fleet, release)) for release in fleet.releases]
    by_pair: dict[tuple[str, str], list[Release]] = {}
    for release in fleet.releases:
        by_pair.setdefault((release.environment.name, release.model), []).append(release)
    return [(env_name, application_set(fleet, releases)) for (env_name, _), releases in by_pair.items()]


def argocd_labels(release: Release) -> dict[str, str]:
    """The cluster's labels, then ours (ours win): used to select Applications by region, tier..."""
    labels = dict(release.cluster.labels)
    labels.update(meta.scope_labels(release.environment.name, release.model, release.cluster.name))
    return labels


def source(fleet: Fleet, release: Release, cluster: str | None = None) -> dict:
    """Where Argo CD reads the release's manifests; ``cluster`` replaces the cluster name (a template)."""
    project = fleet.project.spec
    src: dict[str, Any] = {"repoURL": project.repoURL, "targetRevision": project.targetRevision}
    if project.argocd.mode == "plugin":
        # Argo CD runs gitops-gen-cmp in sourcePath at every sync (see plugin/).
        src["path"] = project.sourcePath
        src["plugin"] = {"name": PLUGIN_NAME, "parameters": [
            {"name": "environment", "string": release.environment.name},
            {"name": "model", "string": release.model},
            {"name": "cluster", "string": cluster or release.cluster.name},
        ]}
    else:
        directory = layout.release_dir(release)
        if cluster is not None:
            directory = layout.release_dir_of(release.environment.name, cluster, release.model)
        src["path"] = layout.repo_path(fleet.project, directory)
    return src


def chart_source(release: Release) -> dict:
    """serving: helm: the chart as an Argo CD Helm source (spec.chart, spec.values, spec.releaseName)."""
    chart = helm.chart_of(release)
    src: dict = {"repoURL": helm.argocd_repo_url(chart.repo), "chart": chart.name, "targetRevision": chart.version,
                 "helm": {"releaseName": helm.release_name(release)}}
    if release.spec.values:
        src["helm"]["valuesObject"] = release.spec.values
    return src


def sources(fleet: Fleet, release: Release, cluster: str | None = None) -> dict:
    """``{"source": ...}``, or for a chart with objects beside it, ``{"sources": [chart, release directory]}``."""
    if not helm.is_chart(release):
        return {"source": source(fleet, release, cluster)}
    if not helm.has_extras(release):
        return {"source": chart_source(release)}
    # Two sources: the chart, and the release directory (or the plugin) for monitors and templates.
    return {"sources": [chart_source(release), source(fleet, release, cluster)]}


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
            **sources(fleet, release),
            "destination": {"server": release.cluster.server, "namespace": release.namespace},
            "syncPolicy": sync_policy(release.environment),
        },
    }


# --- ApplicationSets ---------------------------------------------------------

# Go templates over one list-generator element per cluster. `missingkey=error`
# turns a typo into an ApplicationSet error instead of an empty string.
ELEMENT = {"name": "{{ .name }}", "server": "{{ .server }}"}
CLUSTER_LABEL = meta.PREFIX + "cluster"
# Cluster labels differ per element and a Go template only yields strings, so
# they reach the generated Application's labels through templatePatch, which
# Argo CD renders and applies as a strategic merge patch (maps merge key by key).
# One line of JSON (valid YAML) keeps the rendered file easy to review.
LABELS_PATCH = '{"metadata": {"labels": {{ toJson .labels }}}}'


def application_set(fleet: Fleet, releases: list[Release]) -> dict:
    """One ApplicationSet for one model in one environment: an Application per cluster, rolled out by wave.

    ``releases`` are that (environment, model)'s releases, one per cluster.
    """
    first = releases[0]
    env, model = first.environment, first.model
    _check_one_chart_source(releases)
    ours = meta.scope_labels(env.name, model)
    elements = []
    for release in releases:
        cluster = release.cluster
        # Ours win over a cluster label of the same key, as on Applications.
        labels = {k: v for k, v in sorted(cluster.labels.items()) if k not in ours and k != CLUSTER_LABEL}
        elements.append({"name": cluster.name, "server": cluster.server, "wave": cluster.wave, "labels": labels})
    template_labels = {**ours, CLUSTER_LABEL: ELEMENT["name"]}
    spec: dict = {
        "goTemplate": True,
        "goTemplateOptions": ["missingkey=error"],
        "generators": [{"list": {"elements": elements}}],
        "template": {
            # No resources finalizer: with preserveResourcesOnDeletion the
            # controller leaves it off, so deleting the ApplicationSet (or a
            # cluster from its list) orphans workloads instead of deleting them.
            "metadata": {
                "name": f"{env.name}-{ELEMENT['name']}-{model}",  # == Release.name of each cluster
                "labels": dict(sorted(template_labels.items())),
                "annotations": {meta.SOURCE_ANNOTATION: ",".join(sorted(set(first.sources)))},
            },
            "spec": {
                "project": env.name,
                **sources(fleet, first, cluster=ELEMENT["name"]),
                "destination": {"server": ELEMENT["server"], "namespace": first.namespace},
                # Booleans cannot be templated; they are the environment's, so literal here.
                "syncPolicy": sync_policy(env),
            },
        },
        "syncPolicy": {"preserveResourcesOnDeletion": True},
    }
    if any(e["labels"] for e in elements):
        spec["templatePatch"] = LABELS_PATCH
    steps = rolling_sync_steps(releases)
    if steps:
        spec["strategy"] = {"type": "RollingSync", "rollingSync": {"steps": steps}}
    return {
        "apiVersion": API_VERSION,
        "kind": "ApplicationSet",
        "metadata": meta.metadata(application_set_name(env.name, model), ours, first.sources,
                                  namespace=fleet.project.spec.argocd.namespace),
        "spec": spec,
    }


def _check_one_chart_source(releases: list[Release]) -> None:
    """An ApplicationSet's template has one source list for every cluster: a chart's must not differ by cluster."""
    first = releases[0]
    if not helm.is_chart(first) and not any(helm.is_chart(r) for r in releases):
        return
    expected = (helm.is_chart(first), helm.is_chart(first) and chart_source(first), helm.has_extras(first))
    for release in releases[1:]:
        if (helm.is_chart(release), helm.is_chart(release) and chart_source(release), helm.has_extras(release)) \
                != expected:
            raise GitopsGenError(f"model {first.model!r} in environment {first.environment.name!r}: the chart, its "
                                 f"values or monitoring differ between clusters {first.cluster.name!r} and "
                                 f"{release.cluster.name!r} (a {{{{ cluster }}}} expression?), but an ApplicationSet "
                                 "gives every cluster the same sources; set argocd.applicationSets: false")


def rolling_sync_steps(releases: list[Release]) -> list[dict]:
    """One RollingSync step per wave, lowest first, selecting that wave's clusters; none for a single wave.

    Argo CD syncs a step's Applications and waits for all of them to be Healthy
    before the next step. RollingSync turns off automated sync on the generated
    Applications and takes `automated.prune` from the template for its syncs.
    """
    waves: dict[int, list[str]] = {}
    for release in releases:
        waves.setdefault(release.cluster.wave, []).append(release.cluster.name)
    if len(waves) < 2:
        return []
    return [{"matchExpressions": [{"key": CLUSTER_LABEL, "operator": "In", "values": sorted(waves[wave])}]}
            for wave in sorted(waves)]
