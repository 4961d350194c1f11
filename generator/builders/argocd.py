"""Argo CD objects: an AppProject per environment, and an Application per release or,
with ``argocd.applicationSets``, an ApplicationSet per (environment, model)."""
from __future__ import annotations

from typing import Any

from ..errors import GitopsGenError
from ..load.spec import IN_CLUSTER, Cluster, ModelSpec
from ..resolve.fleet import Environment, Fleet, Release, application_set_name
from . import helm, layout, meta

API_VERSION = "argoproj.io/v1alpha1"
PLUGIN_NAME = "gitops-gen-v1"  # <ConfigManagementPlugin name>-<spec.version>, see cmp-sidecar/plugin.yaml
# Deleting an Application deletes what it deployed; without it, resources are orphaned.
CASCADE_FINALIZER = "resources-finalizer.argocd.argoproj.io"


def argocd_clusters(env: Environment) -> list[Cluster]:
    """The clusters of an environment that Argo CD deploys to."""
    return [c for c in env.clusters if "argocd" in env.engines_of(c)]


def app_projects(fleet: Fleet) -> list[tuple[str, dict]]:
    """(environment name, AppProject) of every environment Argo CD deploys some release of."""
    chart_repos: dict[str, set[str]] = {}
    for release in fleet.releases:
        if "argocd" in release.engines and helm.is_chart(release):
            chart_repos.setdefault(release.environment.name, set()).add(helm.argocd_repo_url(helm.chart_of(release).repo))
    return [(env.name, app_project(fleet, env, chart_repos.get(env.name, ())))
            for env in fleet.environments if argocd_clusters(env)]


def destination(fleet: Fleet, cluster: Cluster, namespace: str) -> dict:
    """An Argo CD destination: by server URL, or by the name the cluster is registered under."""
    if fleet.project.spec.argocd.destination == "name":
        return {"name": cluster.name, "namespace": namespace}
    return {"server": cluster.server, "namespace": namespace}


def app_project(fleet: Fleet, env: Environment, chart_repos=()) -> dict:
    """``chart_repos``: the Helm chart repositories (spec.chart.repo, as Argo CD spells them) of its releases
    that Argo CD deploys."""
    destinations = sorted({tuple(destination(fleet, c, env.namespace).items()) for c in argocd_clusters(env)})
    return {
        "apiVersion": API_VERSION,
        "kind": "AppProject",
        "metadata": meta.metadata(env.argocd_project, meta.scope_labels(env.name),
                                  [fleet.project.file, env.file, *env.cluster_files.values()],
                                  namespace=fleet.project.spec.argocd.namespace),
        "spec": {
            "description": f"gitops-gen environment {env.name}",
            # Argo CD refuses a source whose repoURL the project does not list: the charts' too.
            "sourceRepos": [fleet.project.spec.repoURL, *sorted(set(chart_repos) - {fleet.project.spec.repoURL})],
            "destinations": [dict(d) for d in destinations],
            # CreateNamespace=true creates the environment's namespace: a cluster-scoped kind.
            "clusterResourceWhitelist": [{"group": "", "kind": "Namespace"}],
        },
    }


def release_objects(fleet: Fleet) -> list[tuple[str, dict]]:
    """(environment name, object) for what deploys the releases: Applications, or ApplicationSets."""
    releases = [release for release in fleet.releases if "argocd" in release.engines]
    if not fleet.project.spec.argocd.applicationSets:
        return [(release.environment.name, application(fleet, release)) for release in releases]
    by_pair: dict[tuple[str, str], list[Release]] = {}
    for release in releases:
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


def sync_policy(env: Environment, spec: ModelSpec | None = None) -> dict:
    """The environment's sync policy, plus the model's own ``argocd.syncOptions``."""
    policy: dict = {}
    if env.sync.automated:
        policy["automated"] = {"prune": env.sync.prune, "selfHeal": env.sync.selfHeal}
    # Argo CD creates the namespace when it is missing, before the sync, and leaves it alone after.
    options = ["CreateNamespace=true"] + ([] if env.sync.prune else ["PruneLast=true"])
    if spec is not None and spec.argocd is not None:
        options += [o for o in spec.argocd.syncOptions if o not in options]
    policy["syncOptions"] = options
    policy["retry"] = {"limit": 5, "backoff": {"duration": "10s", "factor": 2, "maxDuration": "3m"}}
    return policy


def ignore_differences(spec: ModelSpec) -> list[dict]:
    """``argocd.ignoreDifferences`` as Argo CD writes it: empty fields left out."""
    if spec.argocd is None:
        return []
    return [{k: v for k, v in rule.model_dump().items() if v not in ("", [], None)}
            for rule in spec.argocd.ignoreDifferences]


def application(fleet: Fleet, release: Release) -> dict:
    metadata = meta.metadata(release.name, argocd_labels(release), release.sources,
                             namespace=fleet.project.spec.argocd.namespace)
    metadata["finalizers"] = [CASCADE_FINALIZER]
    spec = {
        "project": release.environment.argocd_project,
        **sources(fleet, release),
        "destination": destination(fleet, release.cluster, release.namespace),
        "syncPolicy": sync_policy(release.environment, release.spec),
    }
    ignored = ignore_differences(release.spec)
    if ignored:
        spec["ignoreDifferences"] = ignored
    return {"apiVersion": API_VERSION, "kind": "Application", "metadata": metadata, "spec": spec}


# --- Root Applications (app of apps) ------------------------------------------

def root_applications(fleet: Fleet) -> list[dict]:
    """With ``argocd.rootApplications``: per environment Argo CD deploys to, an Application over its
    folder ``argocd/<environment>/``, so new releases become Applications with nothing applied by hand."""
    if not fleet.project.spec.argocd.rootApplications:
        return []
    return [root_application(fleet, env) for env in fleet.environments if argocd_clusters(env)]


def root_name(env: Environment) -> str:
    """A root Application is named after its environment's AppProject (``argocd.project``)."""
    return env.argocd_project


def root_application(fleet: Fleet, env: Environment) -> dict:
    project = fleet.project.spec
    # No cascade finalizer: deleting a root must not delete every Application it made, and
    # with them every workload of the environment.
    return {
        "apiVersion": API_VERSION,
        "kind": "Application",
        "metadata": meta.metadata(root_name(env), meta.scope_labels(env.name), [fleet.project.file, env.file],
                                  namespace=project.argocd.namespace),
        "spec": {
            "project": project.argocd.rootProject,
            "source": {"repoURL": project.repoURL, "targetRevision": project.targetRevision,
                       "path": layout.repo_path(fleet.project, layout.argocd_dir(env.name))},
            # The AppProject and Applications live in Argo CD's own cluster and namespace.
            "destination": {"server": IN_CLUSTER, "namespace": project.argocd.namespace},
            "syncPolicy": {
                **({"automated": {"prune": env.sync.prune, "selfHeal": env.sync.selfHeal}}
                   if env.sync.automated else {}),
                "retry": {"limit": 5, "backoff": {"duration": "10s", "factor": 2, "maxDuration": "3m"}},
            },
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
                "project": env.argocd_project,
                **sources(fleet, first, cluster=ELEMENT["name"]),
                "destination": (
                    {"name": ELEMENT["name"], "namespace": first.namespace}
                    if fleet.project.spec.argocd.destination == "name"
                    else {"server": ELEMENT["server"], "namespace": first.namespace}),
                # Booleans cannot be templated; they are the environment's, so literal here.
                "syncPolicy": sync_policy(env, first.spec),
                **({"ignoreDifferences": ignore_differences(first.spec)} if ignore_differences(first.spec) else {}),
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
