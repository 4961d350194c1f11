"""The workload objects of one release: serving kind x rollout strategy, then monitoring, then templates,
then the model's patches (patches.py).

Each serving kind is a module with ``objects(release) -> list[dict]``,
registered in SERVING; adding a kind is adding a module and a line here.
Strategies wrap them: ``ab`` builds the kind once per variant and adds an
HTTPRoute; ``canary``/``bluegreen`` with serving: deployment build an Argo
Rollout instead of the Deployment; a KServe canary is a field of the
InferenceService (kserve.py); an LLM's A/B variants join one KServe routing
group instead of an HTTPRoute of ours (llm.py). spec.model_spec_problems
refuses the rest.

Cluster-scoped objects (a LocalModelCache, or what a template emits whose
kind says ``scope: Cluster``) are kept apart from the release's own objects:
they are written once per cluster (files.build_fleet, clusterwide.py).
"""
from __future__ import annotations

from typing import Callable

from ..errors import GitopsGenError
from ..resolve.fleet import Release
from . import abtest, deployment, extensions, graph, helm, kserve, layout, llm, modelcache, monitoring, rollouts
from .patches import apply_patches
from .scopes import cluster_scoped_kinds

SERVING: dict[str, Callable[[Release], list[dict]]] = {
    "kserve": kserve.objects,
    "deployment": deployment.objects,
    "jsonnet": extensions.component_objects,
    "llm": llm.objects,
    "graph": graph.objects,
    "helm": helm.objects,  # none: Argo CD or Flux installs the chart (argocd.py, flux.py)
}


def serving_objects(release: Release) -> list[dict]:
    """The objects that run the model, by rollout strategy."""
    build = SERVING[release.spec.serving]
    strategy = release.spec.rollout.strategy
    if strategy == "ab":
        variants = [obj for variant in release.variants for obj in build(variant)]
        if release.spec.serving == "llm":
            return variants  # KServe routes the group by its members' weights
        return variants + [abtest.http_route(release)]
    if strategy in ("canary", "bluegreen") and release.spec.serving == "deployment":
        return rollouts.objects(release)
    return build(release)


def release_objects(release: Release) -> tuple[list[dict], list[dict]]:
    """The Kubernetes objects of one release, in a fixed order: (namespaced, cluster-scoped)."""
    objects = [*serving_objects(release), *monitoring.objects(release), *extensions.template_objects(release)]
    if release.spec.modelCache is not None and release.spec.modelCache.scope == "namespace":
        objects += [obj for part in (release.variants or (release,)) for obj in modelcache.namespaced_objects(part)]
    if not objects and not helm.is_chart(release):
        # Applied as "nothing", a release deletes what it deployed (Flux prunes, Argo CD syncs to empty).
        # A chart's release is the chart: what is beside it may be nothing (argocd.sources, files.py).
        raise GitopsGenError(f"release {release.name} has no objects; refusing to write an empty release")
    _check_unique_files(release, objects)
    cluster_scoped: list[dict] = []
    if release.spec.modelCache is not None:
        # Each A/B variant loads its own version, so each gets its own cache.
        cluster_scoped = [obj for part in (release.variants or (release,)) for obj in modelcache.objects(part)]
    scoped = cluster_scoped_kinds()
    if any((obj["apiVersion"], obj["kind"]) in scoped for obj in objects):
        cluster_scoped += [obj for obj in objects if (obj["apiVersion"], obj["kind"]) in scoped]
        objects = [obj for obj in objects if (obj["apiVersion"], obj["kind"]) not in scoped]
    if release.spec.patches:
        # Last, on the release's own objects only: cluster-scoped ones are shared by the releases of a cluster.
        objects = apply_patches(release, objects)
    return objects, cluster_scoped


def workload_objects(release: Release) -> list[dict]:
    """The namespaced objects of one release: what its directory holds, and what `show` and the plugin print."""
    return release_objects(release)[0]


def _check_unique_files(release: Release, objects: list[dict]) -> None:
    # Two objects of one kind and name would overwrite each other's file (and fight in the cluster).
    seen: dict[str, dict] = {}
    for obj in objects:
        if obj["kind"] == "Secret":  # whatever made it: secret values never reach the output
            extensions.refuse_secret_values(obj, obj["metadata"]["annotations"].get("gitops-gen.io/source", ""), 0,
                                            f"Secret {obj['metadata']['name']} of release {release.name}")
        file = layout.object_file(obj)
        if file in seen:
            sources = obj["metadata"]["annotations"].get("gitops-gen.io/source", "")
            raise GitopsGenError(f"release {release.name}: {obj['kind']} {obj['metadata']['name']} is generated "
                                 f"twice (sources: {sources}); rename the one from your template or component")
        seen[file] = obj
