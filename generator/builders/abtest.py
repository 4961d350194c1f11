"""rollout.strategy: ab -> one workload per variant, and a Gateway API HTTPRoute splitting traffic by weight.

Each variant is built like a release of its own (Deployment + Service, or an
InferenceService) from the variant's Release (resolve/fleet.py), named
``<model>-<variant>``. The HTTPRoute's backends are the variants' Services:
ours for serving: deployment, and for serving: kserve the ``<isvc>-predictor``
Service that KServe creates in Standard mode.
"""
from __future__ import annotations

from typing import cast

from ..resolve.fleet import Release
from . import deployment, kserve, meta

API_VERSION = "gateway.networking.k8s.io/v1"


def backend(variant: Release, weight: int) -> dict:
    if variant.spec.serving == "kserve":
        return {"name": kserve.predictor_service(variant), "port": kserve.PREDICTOR_PORT, "weight": weight}
    return {"name": variant.workload_name, "port": deployment.SERVICE_PORT, "weight": weight}


def http_route(release: Release) -> dict:
    ab = release.spec.rollout.ab
    assert ab is not None  # rollout.strategy: ab (workloads.py builds this only then)
    weights = {v.name: v.weight for v in ab.variants}
    parent = {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": ab.gateway.name}
    if ab.gateway.namespace:
        parent["namespace"] = ab.gateway.namespace
    spec: dict = {"parentRefs": [parent]}
    if ab.hostnames:
        spec["hostnames"] = list(ab.hostnames)
    # Every Release in release.variants names its variant.
    spec["rules"] = [{"backendRefs": [backend(v, weights[cast(str, v.variant)]) for v in release.variants]}]
    return {"apiVersion": API_VERSION, "kind": "HTTPRoute", "metadata": meta.workload_metadata(release), "spec": spec}
