"""serving: graph -> one KServe InferenceGraph (serving.kserve.io/v1alpha1).

Each step that names a model becomes ``serviceName: <model>``: KServe looks up
the InferenceService of that name in the graph's namespace, which is the
model's release in the same environment and cluster (resolve/fleet.py refuses
a step whose model does not run there, or is not one InferenceService).
Shaped like KServe's samples (docs/samples/graph in kserve v0.20).
"""
from __future__ import annotations

from ..resolve.fleet import Release
from . import kserve, meta, pods

API_VERSION = "serving.kserve.io/v1alpha1"
KIND = "InferenceGraph"


def objects(release: Release) -> list[dict]:
    return [inference_graph(release)]


def step(given) -> dict:
    out: dict = {}
    if given.name is not None:
        out["name"] = given.name
    if given.model is not None:
        out["serviceName"] = given.model
    elif given.url is not None:
        out["serviceUrl"] = given.url
    else:
        out["nodeName"] = given.node
    for field in ("data", "weight", "condition", "dependency", "mapPredictionsToInstances"):
        value = getattr(given, field)
        if value is not None:
            out[field] = value
    return out


def inference_graph(release: Release) -> dict:
    spec = release.spec
    assert spec.graph is not None  # serving: graph requires it (spec checks)
    nodes = {name: {"routerType": node.routerType, "steps": [step(s) for s in node.steps]}
             for name, node in sorted(spec.graph.nodes.items())}
    body: dict = {"nodes": nodes}
    resources = pods.resources(spec)
    if resources:
        body["resources"] = resources
    # What the user does not write is not written: KServe's defaults apply.
    body.update(kserve.replica_fields(spec.replicas))
    if spec.autoscaling:
        if spec.autoscaling.metric is not None:
            body["scaleMetric"] = spec.autoscaling.metric
        if spec.autoscaling.target is not None:
            body["scaleTarget"] = spec.autoscaling.target
    body.update(pods.scheduling(spec))
    if spec.serviceAccountName:
        body["serviceAccountName"] = spec.serviceAccountName
    # Always set, as on InferenceServices: the default mode differs between KServe installs.
    metadata = meta.workload_metadata(release, annotations={**spec.annotations,
                                                           kserve.DEPLOYMENT_MODE: spec.deploymentMode})
    return {"apiVersion": API_VERSION, "kind": KIND, "metadata": metadata, "spec": body}
