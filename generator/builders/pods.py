"""Pod-level pieces shared by every serving kind: resources, env, probes, scheduling."""
from __future__ import annotations

from typing import Any

from ..load.spec import ModelSpec
from ..resolve.fleet import Release

GPU_RESOURCE = "nvidia.com/gpu"


def resources(spec: ModelSpec) -> dict:
    """Requests equal limits (Guaranteed QoS); GPUs go in limits only, as the device plugin expects."""
    requests: dict[str, Any] = {}
    if spec.resources.cpu is not None:
        requests["cpu"] = spec.resources.cpu
    if spec.resources.memory is not None:
        requests["memory"] = spec.resources.memory
    limits = dict(requests)
    if spec.resources.gpu > 0:
        limits[GPU_RESOURCE] = spec.resources.gpu
    out = {}
    if limits:
        out["limits"] = limits
    if requests:
        out["requests"] = requests
    return out


def env(spec: ModelSpec) -> list[dict]:
    """Plain variables (sorted), then Secret references: never a secret value."""
    out: list[dict] = [{"name": k, "value": v} for k, v in sorted(spec.env.items())]
    for ref in spec.secretEnv:
        out.append({"name": ref.name, "valueFrom": {"secretKeyRef": {"name": ref.secret, "key": ref.key}}})
    return out


def probes(release: Release) -> dict:
    """Health checks of the Open Inference Protocol (v2), or KServe's v1 model endpoint."""
    if release.spec.protocol == "v2":
        return {
            "readinessProbe": {"httpGet": {"path": "/v2/health/ready", "port": "http"},
                               "initialDelaySeconds": 5, "periodSeconds": 10},
            "livenessProbe": {"httpGet": {"path": "/v2/health/live", "port": "http"},
                              "initialDelaySeconds": 30, "periodSeconds": 10, "failureThreshold": 3},
        }
    # v1 has no liveness endpoint; a model still loading must not be restarted.
    return {
        "readinessProbe": {"httpGet": {"path": f"/v1/models/{release.model}", "port": "http"},
                           "initialDelaySeconds": 5, "periodSeconds": 10},
        "livenessProbe": {"tcpSocket": {"port": "http"}, "initialDelaySeconds": 30, "periodSeconds": 10},
    }


def scheduling(spec: ModelSpec) -> dict:
    """nodeSelector and tolerations, for a pod spec or a KServe predictor."""
    out: dict = {}
    if spec.nodeSelector:
        out["nodeSelector"] = dict(sorted(spec.nodeSelector.items()))
    if spec.tolerations:
        out["tolerations"] = [t.model_dump(exclude_none=True) for t in spec.tolerations]
    return out
