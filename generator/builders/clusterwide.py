"""Cluster-scoped objects: written once per cluster, applied by one Argo CD Application or Flux Kustomization.

A cluster-scoped object (a LocalModelCache, a template's ClusterRole) has no
namespace, so releases of several environments on one cluster would each
apply the same object; two Argo CD Applications owning it fight over it. So
they never go into a release directory. All of one cluster's go to
``workloads/_cluster/<cluster>/`` (layout.cluster_dir), deployed by:

- Argo CD: an Application ``<cluster>-cluster-objects`` in ``argocd/_cluster/``,
  in an AppProject ``gitops-gen-cluster-objects`` that allows exactly the
  cluster-scoped kinds written (the environments' AppProjects allow only Namespace);
- Flux: a Kustomization ``<cluster>-cluster-objects`` beside the cluster's
  release Kustomizations (same Flux instance), *without* ``targetNamespace``:
  Flux gives that to kustomize's namespace transformer, which sets it on
  every object of a kind it does not know, CRDs' cluster-scoped kinds
  included (a LocalModelCache would get a namespace and fail to apply).

A cluster is known by its name: the same name in two environments is the same
cluster, and must have the same ``server``. Two releases writing the same
object with the same content share it; with different content it is an error.
Labels on a shared object are those all its releases agree on (the
environment label goes when environments differ); its source annotation
lists every spec file it came from.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import GitopsGenError, Problem, raise_if
from ..load.spec import Cluster, Sync
from ..resolve.fleet import Fleet, Release
from . import layout, meta
from .flux import source_ref as flux_source_ref

APP_PROJECT = "gitops-gen-cluster-objects"
NAME_SUFFIX = "-cluster-objects"


@dataclass
class ClusterObjects:
    """One cluster's cluster-scoped objects, and the releases that asked for them."""

    cluster: Cluster
    objects: dict[str, dict] = field(default_factory=dict)  # file name -> object
    owners: dict[str, Release] = field(default_factory=dict)  # file name -> the first release that wrote it
    releases: list[Release] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.cluster.name + NAME_SUFFIX


def _without_metadata(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if k != "metadata"} | {
        "metadata": {k: v for k, v in obj["metadata"].items() if k not in ("labels", "annotations")}}


def collect(per_release: list[tuple[Release, list[dict]]]) -> list[ClusterObjects]:
    """Group the releases' cluster-scoped objects by cluster; same object twice: kept once, or an error."""
    clusters: dict[str, ClusterObjects] = {}
    problems: list[Problem] = []
    for release, objects in per_release:
        if not objects:
            continue
        group = clusters.get(release.cluster.name)
        if group is None:
            group = clusters[release.cluster.name] = ClusterObjects(release.cluster)
        elif group.cluster.server != release.cluster.server:
            problems.append(Problem(release.environment.file, 0, "spec.clusters",
                                    f"cluster {release.cluster.name!r} has server {release.cluster.server} here and "
                                    f"{group.cluster.server} in another environment; cluster-scoped objects are "
                                    "written once per cluster name: give different clusters different names"))
            continue
        group.releases.append(release)
        for obj in objects:
            file = layout.object_file(obj)
            seen = group.objects.get(file)
            if seen is None:
                group.objects[file] = obj
                group.owners[file] = release
            elif _without_metadata(seen) != _without_metadata(obj):
                other = group.owners[file]
                problems.append(Problem(release.environment.file, 0, "",
                                        f"{obj['kind']} {obj['metadata']['name']} (cluster-scoped) differs between "
                                        f"releases {other.name} and {release.name} on cluster "
                                        f"{release.cluster.name}: give one of them another name"))
            else:
                group.objects[file] = _shared(seen, obj)
    raise_if(problems)
    _check_servers(list(clusters.values()))
    return [clusters[name] for name in sorted(clusters)]


def _shared(a: dict, b: dict) -> dict:
    labels = {k: v for k, v in a["metadata"]["labels"].items() if b["metadata"]["labels"].get(k) == v}
    sources = set(a["metadata"]["annotations"][meta.SOURCE_ANNOTATION].split(","))
    sources |= set(b["metadata"]["annotations"][meta.SOURCE_ANNOTATION].split(","))
    return {**a, "metadata": {**a["metadata"], "labels": labels,
                              "annotations": {**a["metadata"]["annotations"],
                                              meta.SOURCE_ANNOTATION: ",".join(sorted(sources))}}}


def _check_servers(groups: list[ClusterObjects]) -> None:
    """Two cluster names for one server would apply the same object from two places."""
    by_file: dict[tuple[str, str], ClusterObjects] = {}
    problems = []
    for group in groups:
        for file, obj in group.objects.items():
            other = by_file.setdefault((group.cluster.server, file), group)
            if other is not group:
                problems.append(Problem(group.releases[0].environment.file, 0, "spec.clusters",
                                        f"clusters {other.cluster.name!r} and {group.cluster.name!r} have the same "
                                        f"server {group.cluster.server} and both get {obj['kind']} "
                                        f"{obj['metadata']['name']}: name the cluster the same in every environment"))
    raise_if(problems)


def _labels(group: ClusterObjects) -> dict[str, str]:
    environments = {r.environment.name for r in group.releases}
    labels = {**meta.MANAGED_BY, meta.PREFIX + "cluster": group.cluster.name}
    if len(environments) == 1:
        labels[meta.PREFIX + "environment"] = next(iter(environments))
    return labels


def _sources(group: ClusterObjects) -> list[str]:
    return sorted({s for r in group.releases for s in r.sources})


def _sync(group: ClusterObjects) -> Sync:
    """The strictest of the environments' policies: prune or heal only where every environment would."""
    syncs = [r.environment.sync for r in group.releases]
    return Sync(automated=all(s.automated for s in syncs), prune=all(s.prune for s in syncs),
                  selfHeal=all(s.selfHeal for s in syncs))


def app_project(fleet: Fleet, groups: list[ClusterObjects]) -> dict:
    from .argocd import API_VERSION

    kinds = sorted({(obj["apiVersion"].rpartition("/")[0], obj["kind"]) for g in groups for obj in g.objects.values()})
    destinations = sorted({tuple(_destination(fleet, g.cluster).items()) for g in groups})
    return {
        "apiVersion": API_VERSION,
        "kind": "AppProject",
        "metadata": meta.metadata(APP_PROJECT, {**meta.MANAGED_BY}, [fleet.project.file],
                                  namespace=fleet.project.spec.argocd.namespace),
        "spec": {
            "description": "gitops-gen: cluster-scoped objects, one Application per cluster",
            "sourceRepos": [fleet.project.spec.repoURL],
            "destinations": [{**dict(d), "namespace": "*"} for d in destinations],
            "clusterResourceWhitelist": [{"group": group, "kind": kind} for group, kind in kinds],
        },
    }


def application(fleet: Fleet, group: ClusterObjects) -> dict:
    from .argocd import API_VERSION, CASCADE_FINALIZER

    project = fleet.project.spec
    sync = _sync(group)
    policy: dict = {}
    if sync.automated:
        policy["automated"] = {"prune": sync.prune, "selfHeal": sync.selfHeal}
    policy["retry"] = {"limit": 5, "backoff": {"duration": "10s", "factor": 2, "maxDuration": "3m"}}
    metadata = meta.metadata(group.name, _labels(group), _sources(group), namespace=project.argocd.namespace)
    metadata["finalizers"] = [CASCADE_FINALIZER]
    return {
        "apiVersion": API_VERSION,
        "kind": "Application",
        "metadata": metadata,
        "spec": {
            "project": APP_PROJECT,
            # Always the rendered directory, in plugin mode too: these objects belong to no one release.
            "source": {"repoURL": project.repoURL, "targetRevision": project.targetRevision,
                       "path": layout.repo_path(fleet.project, layout.cluster_dir(group.cluster.name))},
            "destination": _destination(fleet, group.cluster),
            "syncPolicy": policy,
        },
    }


def flux_kustomization(fleet: Fleet, group: ClusterObjects) -> dict:
    flux = fleet.project.spec.flux
    spec: dict = {
        "interval": flux.interval,
        "timeout": flux.timeout,
        "path": "./" + layout.repo_path(fleet.project, layout.cluster_dir(group.cluster.name)),
        "prune": _sync(group).prune,
        "sourceRef": flux_source_ref(fleet),
        # No targetNamespace: see the module docstring.
        "wait": True,
    }
    if group.cluster.kubeConfigSecret:
        spec["kubeConfig"] = {"secretRef": {"name": group.cluster.kubeConfigSecret}}
    return {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": meta.metadata(group.name, _labels(group), _sources(group), namespace=flux.namespace),
        "spec": spec,
    }


def _destination(fleet: Fleet, cluster: Cluster) -> dict:
    """The cluster, as ``argocd.destination`` says: by server URL or by its registered name."""
    if fleet.project.spec.argocd.destination == "name":
        return {"name": cluster.name}
    return {"server": cluster.server}


def check_names(fleet: Fleet, groups: list[ClusterObjects]) -> None:
    """Our Application/Kustomization and AppProject names must not be a release's or an environment's."""
    releases = {r.name for r in fleet.releases}
    problems = [f"{g.name}: the name of cluster {g.cluster.name!r}'s cluster-scoped objects' Application is also "
                "a release's name; rename the cluster" for g in groups if g.name in releases]
    if groups and APP_PROJECT in {e.name for e in fleet.environments}:
        problems.append(f"environment {APP_PROJECT!r}: the name is taken by the AppProject of cluster-scoped objects")
    if problems:
        raise GitopsGenError(*problems)
