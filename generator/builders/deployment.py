"""serving: deployment -> Deployment + Service (+ HorizontalPodAutoscaler when it may scale)."""
from __future__ import annotations

from ..load.spec import ModelSpec
from ..resolve.fleet import Release
from . import meta, pods

HTTP_PORT_NAME = "http"  # the Service port name monitors and probes refer to
SERVICE_PORT = 80
DEFAULT_PORT = 8080  # spec.port when omitted


def objects(release: Release) -> list[dict]:
    out = [deployment(release), service(release)]
    if autoscales(release.spec):
        out.append(horizontal_pod_autoscaler(release))
    return out


def replica_range(spec: ModelSpec) -> tuple[int, int]:
    """replicas.min/max for a Deployment or Rollout: min 1 when omitted, max = min (a fixed count) when omitted."""
    low = 1 if spec.replicas.min is None else spec.replicas.min
    return low, low if spec.replicas.max is None else spec.replicas.max


def autoscales(spec: ModelSpec) -> bool:
    """A HorizontalPodAutoscaler when the range allows it, unless autoscaling.class: none."""
    low, high = replica_range(spec)
    return high > low and not (spec.autoscaling and spec.autoscaling.autoscalerClass == "none")


def container(release: Release) -> dict:
    spec = release.spec
    ports = [{"name": HTTP_PORT_NAME, "containerPort": spec.port or DEFAULT_PORT, "protocol": "TCP"}]
    return pods.container(spec, name="model", image=spec.image, ports=ports,
                          default_probes=pods.protocol_probes(release))


def pod_template(release: Release) -> dict:
    spec = release.spec
    pod_spec: dict = {"containers": [container(release)], **pods.pod_fields(spec)}
    pod_metadata: dict = {"labels": meta.workload_labels(release)}
    annotations = pods.pod_annotations(spec)
    if annotations:
        pod_metadata["annotations"] = annotations
    return {"metadata": pod_metadata, "spec": pod_spec}


def workload_spec(release: Release) -> dict:
    """replicas, selector and pod template: the part a Deployment and an Argo Rollout share."""
    spec: dict = {}
    if not autoscales(release.spec):
        # With an HPA, replicas in Git would fight the autoscaler on every sync.
        spec["replicas"] = replica_range(release.spec)[0]
    spec["selector"] = {"matchLabels": meta.selector_labels(release)}
    spec["template"] = pod_template(release)
    return spec


def deployment(release: Release) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": meta.workload_metadata(release, annotations=release.spec.annotations),
            "spec": workload_spec(release)}


def service(release: Release, name: str | None = None) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta.workload_metadata(release, name),
        "spec": {
            "type": "ClusterIP",
            "selector": meta.selector_labels(release),
            "ports": [{"name": HTTP_PORT_NAME, "port": SERVICE_PORT, "targetPort": HTTP_PORT_NAME, "protocol": "TCP"}],
        },
    }


def horizontal_pod_autoscaler(release: Release, target_kind: str = "Deployment",
                              target_api: str = "apps/v1") -> dict:
    spec = release.spec
    # Kubernetes' and KServe's usual default: 80% of the requested CPU.
    metric = (spec.autoscaling and spec.autoscaling.metric) or "cpu"
    target = (spec.autoscaling and spec.autoscaling.target) or 80
    low, high = replica_range(spec)
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": meta.workload_metadata(release),
        "spec": {
            "scaleTargetRef": {"apiVersion": target_api, "kind": target_kind, "name": release.workload_name},
            "minReplicas": low,
            "maxReplicas": high,
            "metrics": [{"type": "Resource",
                         "resource": {"name": metric, "target": {"type": "Utilization", "averageUtilization": target}}}],
        },
    }
