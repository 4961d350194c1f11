"""serving: kserve -> one InferenceService (serving.kserve.io/v1beta1)."""
from __future__ import annotations

from ..resolve.fleet import Release
from . import meta, pods
from .rollouts import canary_settings

API_VERSION = "serving.kserve.io/v1beta1"
DEPLOYMENT_MODE = "serving.kserve.io/deploymentMode"
# KServe then annotates the predictor pods with their metrics port and path (monitoring.py scrapes them).
PROMETHEUS_SCRAPING = "serving.kserve.io/enable-prometheus-scraping"
# The Service KServe creates in front of a predictor (Standard mode): `<isvc>-predictor`, port 80.
PREDICTOR_SUFFIX = "-predictor"
PREDICTOR_PORT = 80


def objects(release: Release) -> list[dict]:
    return [inference_service(release)]


def predictor_service(release: Release) -> str:
    return release.workload_name + PREDICTOR_SUFFIX


def inference_service(release: Release) -> dict:
    spec = release.spec
    predictor: dict = {"minReplicas": spec.replicas.min, "maxReplicas": spec.replicas.max}
    if spec.autoscaling:
        predictor["scaleMetric"] = spec.autoscaling.metric
        predictor["scaleTarget"] = spec.autoscaling.target
    if spec.rollout.strategy == "canary" and release.variant is None:
        # Knative only (spec checks): the new revision gets this share, the last ready one the rest.
        predictor["canaryTrafficPercent"] = canary_settings(release).steps[0]
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
    annotations: dict[str, str] = {DEPLOYMENT_MODE: spec.deploymentMode}
    if spec.monitoring.metrics:
        annotations[PROMETHEUS_SCRAPING] = "true"
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
