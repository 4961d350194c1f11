"""modelCache -> a LocalModelCache (serving.kserve.io/v1alpha1, cluster-scoped) for the model's storageUri.

KServe's local model controller downloads ``sourceModelUri`` onto the nodes of
``nodeGroups``, and points every InferenceService or LLMInferenceService whose
storage URI starts with it at the local copy. The object is cluster-scoped:
no namespace, and one per cluster however many releases ask for it
(files.build_fleet writes it once per cluster, see layout.cluster_dir).
Shaped like KServe's sample (docs/samples/localmodelcache in kserve v0.20).
"""
from __future__ import annotations

import hashlib

from ..resolve.fleet import Release
from . import meta

API_VERSION = "serving.kserve.io/v1alpha1"
KIND = "LocalModelCache"


def objects(release: Release) -> list[dict]:
    return [local_model_cache(release)] if release.spec.modelCache is not None else []


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


def local_model_cache(release: Release) -> dict:
    cache = release.spec.modelCache
    assert cache is not None  # asked only for a model with modelCache
    body: dict = {"sourceModelUri": release.spec.storageUri, "modelSize": cache.size,
                  "nodeGroups": list(cache.nodeGroups)}
    if cache.serviceAccountName:
        body["serviceAccountName"] = cache.serviceAccountName
    if cache.storage is not None:
        body["storage"] = cache.storage.model_dump(exclude_none=True, exclude_defaults=True)
    labels = {**meta.MANAGED_BY, meta.PREFIX + "model": release.model, meta.PREFIX + "cluster": release.cluster.name,
              meta.PREFIX + "environment": release.environment.name}
    metadata = meta.metadata(cache_name(release), labels, release.sources)
    return {"apiVersion": API_VERSION, "kind": KIND, "metadata": metadata, "spec": body}
