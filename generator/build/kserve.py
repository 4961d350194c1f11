"""serving: kserve -> one InferenceService (serving.kserve.io/v1beta1)."""
from __future__ import annotations

from ..resolve import Release
from . import meta, pods

API_VERSION = "serving.kserve.io/v1beta1"
DEPLOYMENT_MODE = "serving.kserve.io/deploymentMode"


def objects(release: Release) -> list[dict]:
    return [inference_service(release)]


def inference_service(release: Release) -> dict:
    spec = release.spec
    predictor: dict = {"minReplicas": spec.replicas.min, "maxReplicas": spec.replicas.max}
    if spec.autoscaling:
        predictor["scaleMetric"] = spec.autoscaling.metric
        predictor["scaleTarget"] = spec.autoscaling.target
    predictor.update(pods.scheduling(spec))
    if spec.format == "custom":
        # A custom predictor: KServe runs our image as its serving container.
        container = {"name": "kserve-container", "image": spec.image,
                     "ports": [{"name": "http1", "containerPort": spec.port, "protocol": "TCP"}]}
        _add_pod_fields(container, release)
        predictor["containers"] = [container]
    else:
        # modelFormat, not predictor.<framework>: the webhook rewrites the old
        # fields, which GitOps tools then show as permanent drift.
        model: dict = {"modelFormat": {"name": spec.format}, "protocolVersion": spec.protocol}
        if spec.runtime:
            model["runtime"] = spec.runtime
        model["storageUri"] = spec.storageUri
        _add_pod_fields(model, release)
        predictor["model"] = model
    # Always set: the default mode differs between KServe install methods.
    annotations = {DEPLOYMENT_MODE: spec.deploymentMode}
    return {
        "apiVersion": API_VERSION,
        "kind": "InferenceService",
        "metadata": meta.workload_metadata(release, annotations=annotations),
        "spec": {"predictor": predictor},
    }


def _add_pod_fields(container: dict, release: Release) -> None:
    env = pods.env(release.spec)
    if env:
        container["env"] = env
    resources = pods.resources(release.spec)
    if resources:
        container["resources"] = resources
