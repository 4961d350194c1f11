"""modelCache -> a LocalModelCache (serving.kserve.io/v1alpha1, cluster-scoped) for the model's storageUri, or
with ``scope: namespace`` a LocalModelNamespaceCache in the release's namespace.

KServe's local model controller downloads ``sourceModelUri`` onto the nodes of
``nodeGroups``, and points every InferenceService or LLMInferenceService whose
storage URI starts with it at the local copy, looking for a
LocalModelNamespaceCache in the service's namespace first. A LocalModelCache
is cluster-scoped: no namespace, and one per cluster however many releases ask
for it (files.build_fleet writes it once per cluster, see layout.cluster_dir).
A LocalModelNamespaceCache is one of the release's own objects, in its
directory. Shaped like KServe's sample (docs/samples/localmodelcache in kserve
v0.20) and its documentation (modelcache/localmodel.md).
"""
from __future__ import annotations

import hashlib

from ..resolve.fleet import Release
from . import meta

API_VERSION = "serving.kserve.io/v1alpha1"
KIND = "LocalModelCache"
NAMESPACE_KIND = "LocalModelNamespaceCache"


def objects(release: Release) -> list[dict]:
    """The release's cluster-scoped LocalModelCache, if it has one (``scope: cluster``)."""
    cache = release.spec.modelCache
    return [local_model_cache(release)] if cache is not None and cache.scope == "cluster" else []


def namespaced_objects(release: Release) -> list[dict]:
    """The release's LocalModelNamespaceCache, if it has one (``scope: namespace``)."""
    cache = release.spec.modelCache
    return [local_model_namespace_cache(release)] if cache is not None and cache.scope == "namespace" else []


def cache_name(release: Release) -> str:
    """modelCache.name, else ``<model>-<digest of the URI>``: each version's artifacts get their own cache,
    and environments on one cluster running the same version share it."""
    cache = release.spec.modelCache
    assert cache is not None  # asked only for a model with modelCache
    if cache.name:
        return cache.name
    assert release.spec.storageUri is not None  # a model cache caches what storageUri names (spec checks)
    digest = hashlib.sha256(release.spec.storageUri.encode()).hexdigest()[:8]
    return f"{release.model[:54]}-{digest}"


def _cache_spec(release: Release) -> dict:
    """The spec both kinds share (KServe's LocalModelCacheSpec)."""
    cache = release.spec.modelCache
    assert cache is not None  # asked only for a model with modelCache
    body: dict = {"sourceModelUri": release.spec.storageUri, "modelSize": cache.size,
                  "nodeGroups": list(cache.nodeGroups)}
    if cache.serviceAccountName:
        body["serviceAccountName"] = cache.serviceAccountName
    if cache.storage is not None:
        body["storage"] = cache.storage.model_dump(exclude_none=True, exclude_defaults=True)
    return body


def local_model_namespace_cache(release: Release) -> dict:
    return {"apiVersion": API_VERSION, "kind": NAMESPACE_KIND,
            "metadata": meta.workload_metadata(release, cache_name(release)), "spec": _cache_spec(release)}


def local_model_cache(release: Release) -> dict:
    body = _cache_spec(release)
    labels = {**meta.MANAGED_BY, meta.PREFIX + "model": release.model, meta.PREFIX + "cluster": release.cluster.name,
              meta.PREFIX + "environment": release.environment.name}
    metadata = meta.metadata(cache_name(release), labels, release.sources)
    return {"apiVersion": API_VERSION, "kind": KIND, "metadata": metadata, "spec": body}
