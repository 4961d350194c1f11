"""serving: kserve -> one InferenceService (serving.kserve.io/v1beta1).

What the spec does not say is not written, so KServe's own defaults apply
(protocol, replicas, autoscaler); only ``serving.kserve.io/deploymentMode`` is
always set, because its default differs between KServe install methods.
"""
from __future__ import annotations

from typing import Any

from ..load.runtimes import grpc_port
from ..load.spec import (
    OTEL_SIDECAR,
    Autoscaling,
    Batcher,
    Component,
    DeploymentStrategy,
    Logger,
    ModelSpec,
    Replicas,
    otel_collector,
)
from ..resolve.fleet import Release
from . import meta, pods
from .rollouts import canary_settings

API_VERSION = "serving.kserve.io/v1beta1"
DEPLOYMENT_MODE = "serving.kserve.io/deploymentMode"
AUTOSCALER_CLASS = "serving.kserve.io/autoscalerClass"
# KServe then annotates the predictor pods with their metrics port and path (monitoring.py scrapes them).
PROMETHEUS_SCRAPING = "serving.kserve.io/enable-prometheus-scraping"
# The Service KServe creates in front of a predictor (Standard mode): `<isvc>-predictor`, port 80.
PREDICTOR_SUFFIX = "-predictor"
PREDICTOR_PORT = 80
# KServe names the serving container of every component so; custom containers must use it too.
CONTAINER_NAME = "kserve-container"
# ... and a transformer that runs in the predictor's pod so (KServe's TransformerContainerName).
COLLOCATED_TRANSFORMER = "transformer-container"
# Port names KServe and its network layer read as gRPC: Knative routes HTTP/2 cleartext only to a
# port named h2c; in Standard mode the Service port takes the container port's name (<protocol>[-suffix]).
GRPC_PORT_NAMES = {"Knative": "h2c", "Standard": "grpc-port"}


def objects(release: Release) -> list[dict]:
    return [inference_service(release)]


def predictor_service(release: Release) -> str:
    return release.workload_name + PREDICTOR_SUFFIX


def inference_service(release: Release) -> dict:
    spec = release.spec
    predictor = replica_fields(spec.replicas)
    predictor.update(autoscaling_fields(spec.autoscaling, _autoscaler_class(spec)))
    if spec.rollout.strategy == "canary" and release.variant is None:
        # Knative only (spec checks): the new revision gets this share, the last ready one the rest.
        predictor["canaryTrafficPercent"] = canary_settings(release).steps[0]
    predictor.update(extension_fields(spec))
    predictor.update(pods.scheduling(spec))
    if spec.podAnnotations:
        # The predictor's pods only: the InferenceService's own annotations (spec.annotations) KServe passes on too.
        predictor["annotations"] = dict(sorted(spec.podAnnotations.items()))
    predictor.update(pods.account(spec))
    if spec.storageUris is not None:
        predictor["storageUris"] = [entry.model_dump(exclude_none=True) for entry in spec.storageUris]
    if spec.format == "custom":
        # A custom predictor: KServe runs our image as its serving container.
        predictor["containers"] = [pods.container(spec, name=CONTAINER_NAME, image=spec.image,
                                                  ports=_custom_ports(release))]
    else:
        predictor["model"] = _model(spec)
    predictor.update(pods.storage_and_security(spec))  # the predictor's pods (its model and any sidecars)
    if spec.workers is not None:
        # Its presence is what turns multi-node serving on; the sizes only when given.
        predictor["workerSpec"] = {key: getattr(spec.workers, key) for key in ("pipelineParallelSize",
                                                                              "tensorParallelSize")
                                   if getattr(spec.workers, key) is not None}
    out_spec: dict = {"predictor": predictor}
    for name in ("transformer", "explainer"):
        component: Component | None = getattr(spec, name)
        if component is None:
            continue
        if component.collocated:
            # In the predictor's pod, beside its model (or custom container), under the name KServe looks for.
            predictor.setdefault("containers", []).append(collocated_container(component))
        else:
            out_spec[name] = component_fields(component, _autoscaler_class(spec))
    return {
        "apiVersion": API_VERSION,
        "kind": "InferenceService",
        "metadata": meta.workload_metadata(release, annotations=_annotations(release)),
        "spec": out_spec,
    }


def _model(spec: ModelSpec) -> dict:
    # modelFormat, not predictor.<framework>: the webhook rewrites the old
    # fields, which GitOps tools then show as permanent drift.
    model: dict = {"modelFormat": {"name": spec.format}}
    if spec.formatVersion:
        model["modelFormat"]["version"] = spec.formatVersion
    if spec.protocol:
        model["protocolVersion"] = spec.protocol
    if spec.runtime:
        model["runtime"] = spec.runtime
    if spec.runtimeVersion:
        model["runtimeVersion"] = spec.runtimeVersion
    if spec.storageUri:
        model["storageUri"] = spec.storageUri
    if spec.storage is not None:
        model["storage"] = spec.storage.model_dump(exclude_none=True, exclude_defaults=True)
    # predictor.model is a container: command, args, env, resources and probes sit beside modelFormat.
    model.update(pods.container(spec, ports=_grpc_ports(spec)))
    return model


def _grpc_ports(spec: ModelSpec) -> list[dict] | None:
    """spec.grpcPort, or the picked runtime's gRPC port for protocol grpc-v1/grpc-v2."""
    port = spec.grpcPort
    if port is None and spec.protocol in ("grpc-v1", "grpc-v2"):
        port = grpc_port(spec.format, spec.protocol, spec.runtime)
    if port is None:
        return None
    return [{"name": GRPC_PORT_NAMES[spec.deploymentMode], "protocol": "TCP", "containerPort": port}]


def _custom_ports(release: Release) -> list[dict] | None:
    spec = release.spec
    if spec.grpcPort is not None:
        return [{"name": GRPC_PORT_NAMES[spec.deploymentMode], "protocol": "TCP", "containerPort": spec.grpcPort}]
    if spec.port is not None or spec.monitoring.metrics:
        # Written port, or monitoring.py's PodMonitor, which scrapes this container by port name.
        return [{"name": "http1", "protocol": "TCP", "containerPort": spec.port or 8080}]
    return None


def replica_fields(replicas: Replicas) -> dict:
    """replicas.min/max as minReplicas/maxReplicas, each only when written: an unwritten
    maxReplicas leaves a Knative service unbounded."""
    out: dict = {}
    if replicas.min is not None:
        out["minReplicas"] = replicas.min
    if replicas.max is not None:
        out["maxReplicas"] = replicas.max
    return out


def _autoscaler_class(spec: ModelSpec) -> str | None:
    """The InferenceService's autoscaler class (one annotation for all its components)."""
    return spec.autoscaling.autoscalerClass if spec.autoscaling is not None else None


def autoscaling_fields(scaling: Autoscaling | None, autoscaler_class: str | None) -> dict:
    """autoscaling.metric/target of a component: scaleMetric/scaleTarget for KServe's HPA and Knative's KPA;
    under class: keda, autoScaling.metrics (KServe refuses scaleMetric there); class: none, nothing."""
    if scaling is None or autoscaler_class == "none":
        return {}
    if autoscaler_class == "keda":
        return {"autoScaling": {"metrics": [_keda_metric(scaling)]}} if scaling.metric else {}
    out: dict = {}
    if scaling.metric is not None:
        out["scaleMetric"] = scaling.metric
    if scaling.target is not None:
        out["scaleTarget"] = scaling.target
    return out


def _keda_metric(scaling: Autoscaling) -> dict:
    """One of KServe's MetricsSpec, each field in the order of its Go type."""
    target = {"type": "Value", "value": str(scaling.target)}
    if scaling.metric == "prometheus":
        metric: dict[str, Any] = {"backend": "prometheus"}
        if scaling.serverAddress:
            metric["serverAddress"] = scaling.serverAddress
        metric["query"] = scaling.query
        if scaling.queryNamespace is not None:
            metric["namespace"] = scaling.queryNamespace
        external: dict[str, Any] = {"metric": metric}
        if scaling.authenticationRef is not None:
            # KServe's ExtMetricAuthentication: the TriggerAuthentication's name one level further down.
            auth: dict[str, Any] = {"authenticationRef": {"name": scaling.authenticationRef}}
            if scaling.authModes is not None:
                auth["authModes"] = scaling.authModes
            external["authenticationRef"] = auth
        external["target"] = target
        return {"type": "External", "external": external}
    if scaling.metric == "opentelemetry":
        metric = {"backend": "opentelemetry"}
        if scaling.serverAddress:
            metric["serverAddress"] = scaling.serverAddress
        if scaling.metricNames is not None:
            metric["metricNames"] = list(scaling.metricNames)
        metric["query"] = scaling.query
        if scaling.operationOverTime is not None:
            metric["operationOverTime"] = scaling.operationOverTime
        return {"type": "PodMetric", "podmetric": {"metric": metric, "target": target}}
    return {"type": "Resource", "resource": {"name": scaling.metric, "target": {
        "type": "Utilization", "averageUtilization": scaling.target}}}


def extension_fields(spec: ModelSpec | Component) -> dict:
    """containerConcurrency, timeout, logger, batcher and deploymentStrategy of a component (KServe's
    ComponentExtensionSpec), as written: each only when given, and within them only the keys given."""
    out: dict = {}
    if spec.containerConcurrency is not None:
        out["containerConcurrency"] = spec.containerConcurrency
    if spec.timeout is not None:
        out["timeout"] = spec.timeout
    block: Logger | Batcher | DeploymentStrategy | None
    for name, block in (("logger", spec.logger), ("batcher", spec.batcher),
                        ("deploymentStrategy", spec.deploymentStrategy)):
        if block is not None:
            out[name] = block.model_dump(exclude_none=True)
    return out


def component_fields(component: Component, autoscaler_class: str | None) -> dict:
    """A transformer or explainer: its replicas, autoscaling and one container. KServe passes it the
    predictor's host itself (--predictor_host), so nothing here names the predictor."""
    out = replica_fields(component.replicas)
    out.update(autoscaling_fields(component.autoscaling, autoscaler_class))
    out.update(extension_fields(component))
    out["containers"] = [pods.container(component, name=CONTAINER_NAME, image=component.image)]
    out.update(pods.storage_and_security(component))
    return out


def collocated_container(component: Component) -> dict:
    ports = None if component.port is None else [{"containerPort": component.port, "protocol": "TCP"}]
    return pods.container(component, name=COLLOCATED_TRANSFORMER, image=component.image, ports=ports)


def _annotations(release: Release) -> dict:
    spec = release.spec
    # spec.annotations first: the spec checks refuse the keys gitops-gen sets below.
    annotations = dict(spec.annotations)
    # Always set: the default mode differs between KServe install methods.
    annotations[DEPLOYMENT_MODE] = spec.deploymentMode
    scaling = spec.autoscaling
    # kpa is Knative's own default class; KServe's webhook accepts only the others here.
    if scaling is not None and scaling.autoscalerClass not in (None, "kpa"):
        annotations[AUTOSCALER_CLASS] = scaling.autoscalerClass
    if spec.workers is not None:
        # KServe's multi-node serving refuses any autoscaler (its docs: "Multi-node/Multi-GPU Inference").
        annotations[AUTOSCALER_CLASS] = "none"
    if spec.monitoring.metrics:
        annotations[PROMETHEUS_SCRAPING] = "true"
    if otel_collector(spec):
        # The collector KServe makes for the predictor is named after it: the operator injects it into its pods.
        annotations[OTEL_SIDECAR] = predictor_service(release)
    return annotations
