"""Pod-level pieces shared by every serving kind: containers, resources, env, probes, scheduling.

``container()`` is where a spec's container fields (``command``, ``args``,
``env``, ``secretEnv``, ``fieldEnv``, ``resourceEnv``, ``resources``,
``volumeMounts``, ``probes``, ``securityContext``) become a Kubernetes
container: every container gitops-gen builds goes through it (the KServe
model and custom predictor, the Deployment's, transformers, explainers, an
LLM's main, worker and prefill containers). ``volumes()`` is the pod's side of
``volumeMounts``.
"""
from __future__ import annotations

from typing import Mapping, Protocol, Sequence

from ..load.spec import (
    Component,
    FieldEnv,
    ModelSpec,
    Probe,
    Probes,
    ResourceEnv,
    Resources,
    SecretEnv,
    SecurityContext,
    Volume,
    VolumeMount,
)
from ..resolve.fleet import Release

PROBE_FIELDS = {"readiness": "readinessProbe", "liveness": "livenessProbe", "startup": "startupProbe"}


class ContainerSpec(Protocol):
    """The container fields of a spec: a ModelSpec, or a transformer's or explainer's block (read-only,
    as the frozen spec models are)."""

    @property
    def command(self) -> Sequence[str]: ...
    @property
    def args(self) -> Sequence[str]: ...
    @property
    def env(self) -> Mapping[str, str]: ...
    @property
    def secretEnv(self) -> Sequence[SecretEnv]: ...
    @property
    def fieldEnv(self) -> Sequence[FieldEnv]: ...
    @property
    def resourceEnv(self) -> Sequence[ResourceEnv]: ...
    @property
    def resources(self) -> Resources: ...
    @property
    def probes(self) -> Probes: ...
    @property
    def securityContext(self) -> SecurityContext | None: ...
    @property
    def volumeMounts(self) -> Sequence[VolumeMount]: ...


def container(spec: ContainerSpec, *, name: str | None = None, image: str | None = None,
              ports: list[dict] | None = None, default_probes: Mapping[str, dict] | None = None) -> dict:
    """A Kubernetes container (or the container fields of KServe's ``predictor.model``), in the
    order ``kubectl`` shows them; only what the spec says is written, so defaults stay upstream's.

    ``default_probes`` (by ``readinessProbe``/``livenessProbe``/...) apply where the spec names
    no probe of that kind.
    """
    out: dict = {}
    if name is not None:
        out["name"] = name
    if image is not None:
        out["image"] = image
    if spec.command:
        out["command"] = list(spec.command)
    if spec.args:
        out["args"] = list(spec.args)
    if ports:
        out["ports"] = ports
    variables = env(spec)
    if variables:
        out["env"] = variables
    limits_requests = resources(spec.resources)
    if limits_requests:
        out["resources"] = limits_requests
    if spec.volumeMounts:
        out["volumeMounts"] = [mount.model_dump(exclude_none=True) for mount in spec.volumeMounts]
    out.update(probes(spec.probes, default_probes))
    if spec.securityContext is not None:
        out["securityContext"] = spec.securityContext.model_dump(exclude_none=True, exclude_defaults=True)
    return out


def resources(spec: Resources | ModelSpec) -> dict:
    """``resources.cpu``/``memory``/``gpu`` (requests = limits, accelerators in limits only) with
    ``resources.requests``/``limits`` over them key by key (spec.Resources.requests_and_limits)."""
    if isinstance(spec, ModelSpec):
        spec = spec.resources
    if not spec.requests and not spec.limits and not spec.gpu:
        # The shorthand alone (most specs): requests = limits, keys already in order.
        shorthand = {key: value for key, value in (("cpu", spec.cpu), ("memory", spec.memory)) if value is not None}
        return {"limits": shorthand, "requests": dict(shorthand)} if shorthand else {}
    requests, limits = spec.requests_and_limits()
    out = {}
    if limits:
        out["limits"] = dict(sorted(limits.items()))
    if requests:
        out["requests"] = dict(sorted(requests.items()))
    return out


def env(spec: ContainerSpec) -> list[dict]:
    """Plain variables (sorted), then Secret references (never a secret value), then the pod's fields and the
    container's resources (Kubernetes' downward API), each list in the order written."""
    out: list[dict] = [{"name": k, "value": v} for k, v in sorted(spec.env.items())]
    for ref in spec.secretEnv:
        key_ref: dict = {"name": ref.secret, "key": ref.key}
        if ref.optional is not None:
            key_ref["optional"] = ref.optional
        out.append({"name": ref.name, "valueFrom": {"secretKeyRef": key_ref}})
    for field_ref in spec.fieldEnv:
        selector = {"fieldPath": field_ref.fieldPath}
        if field_ref.apiVersion is not None:
            selector = {"apiVersion": field_ref.apiVersion, **selector}
        out.append({"name": field_ref.name, "valueFrom": {"fieldRef": selector}})
    for resource_ref in spec.resourceEnv:
        resource: dict = {"resource": resource_ref.resource}
        if resource_ref.divisor is not None:
            resource["divisor"] = resource_ref.divisor
        out.append({"name": resource_ref.name, "valueFrom": {"resourceFieldRef": resource}})
    return out


def pod_fields(spec: ModelSpec) -> dict:
    """The fields of the serving pods beside their containers, in this order: nodeSelector, tolerations
    (``scheduling``), serviceAccountName, imagePullSecrets (``account``), volumes, securityContext
    (``storage_and_security``). A Deployment's or Rollout's pod spec, an LLM's template, worker and prefill pods;
    a KServe predictor takes the same, with fields of its own between them."""
    return {**scheduling(spec), **account(spec), **storage_and_security(spec)}


def account(spec: ModelSpec) -> dict:
    """serviceAccountName and imagePullSecrets of the serving pods: each only when written."""
    out: dict = {}
    if spec.serviceAccountName:
        out["serviceAccountName"] = spec.serviceAccountName
    if spec.imagePullSecrets:
        out["imagePullSecrets"] = [{"name": name} for name in spec.imagePullSecrets]
    return out


def storage_and_security(spec: ModelSpec | Component) -> dict:
    """``volumes`` and ``podSecurityContext`` (as the pod's ``securityContext``) of the pods gitops-gen writes:
    the serving pods, or a transformer's or explainer's own; each only when written."""
    out: dict = {}
    if spec.volumes:
        out["volumes"] = volumes(spec.volumes)
    if spec.podSecurityContext is not None:
        out["securityContext"] = spec.podSecurityContext.model_dump(exclude_none=True, exclude_defaults=True)
    return out


def pod_annotations(spec: ModelSpec) -> dict[str, str]:
    """Annotations of the serving pods: the spec's annotations (which also go on the serving object) and its
    podAnnotations (which go nowhere else), sorted."""
    return dict(sorted({**spec.annotations, **spec.podAnnotations}.items()))


def volumes(given: Sequence[Volume]) -> list[dict]:
    """``volumes`` of a pod spec (or a KServe component, or an LLM's template), as written."""
    return [volume.model_dump(exclude_none=True, exclude_defaults=True) for volume in given]


def probes(spec: Probes, defaults: Mapping[str, dict] | None = None) -> dict:
    """``probes.readiness``/``liveness``/``startup`` as readinessProbe/livenessProbe/startupProbe."""
    if not defaults and spec.readiness is None and spec.liveness is None and spec.startup is None:
        return {}  # most specs write no probe
    out = dict(defaults or {})
    for kind, field in PROBE_FIELDS.items():
        probe: Probe | None = getattr(spec, kind)
        if probe is not None:
            out[field] = probe.model_dump(exclude_none=True, exclude_defaults=True)
    return {field: out[field] for field in PROBE_FIELDS.values() if field in out}


def protocol_probes(release: Release) -> dict:
    """Health checks of the Open Inference Protocol (v2, serving: deployment's default), or KServe's v1
    model endpoint."""
    if release.spec.protocol in (None, "v2"):
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
