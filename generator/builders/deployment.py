"""serving: deployment -> Deployment + Service (+ HorizontalPodAutoscaler when it may scale)."""
from __future__ import annotations

from ..resolve.fleet import Release
from . import meta, pods

HTTP_PORT_NAME = "http"  # the Service port name monitors and probes refer to
SERVICE_PORT = 80


def objects(release: Release) -> list[dict]:
    out = [deployment(release), service(release)]
    if release.spec.replicas.max > release.spec.replicas.min:
        out.append(horizontal_pod_autoscaler(release))
    return out


def container(release: Release) -> dict:
    spec = release.spec
    ports = [{"name": HTTP_PORT_NAME, "containerPort": spec.port, "protocol": "TCP"}]
    return pods.container(spec, name="model", image=spec.image, ports=ports,
                          default_probes=pods.protocol_probes(release))


def pod_template(release: Release) -> dict:
    pod_spec = {"containers": [container(release)], **pods.scheduling(release.spec)}
    return {"metadata": {"labels": meta.workload_labels(release)}, "spec": pod_spec}


def workload_spec(release: Release) -> dict:
    """replicas, selector and pod template: the part a Deployment and an Argo Rollout share."""
    spec: dict = {}
    if release.spec.replicas.max == release.spec.replicas.min:
        # With an HPA, replicas in Git would fight the autoscaler on every sync.
        spec["replicas"] = release.spec.replicas.min
    spec["selector"] = {"matchLabels": meta.selector_labels(release)}
    spec["template"] = pod_template(release)
    return spec


def deployment(release: Release) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta.workload_metadata(release),
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
    metric = spec.autoscaling.metric if spec.autoscaling else "cpu"
    target = spec.autoscaling.target if spec.autoscaling else 80
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": meta.workload_metadata(release),
        "spec": {
            "scaleTargetRef": {"apiVersion": target_api, "kind": target_kind, "name": release.workload_name},
            "minReplicas": spec.replicas.min,
            "maxReplicas": spec.replicas.max,
            "metrics": [{"type": "Resource",
                         "resource": {"name": metric, "target": {"type": "Utilization", "averageUtilization": target}}}],
        },
    }
