"""The typed spec kinds users write (docs/spec.md), as pydantic models.

Field names here are exactly the YAML field names, so `grep -rn fieldName
generator/` leads from a spec field to the builder that turns it into output.
Checks that involve several fields live in ``*_problems`` functions so each
problem can be reported at the line of the field it is about.

Unlike the other modules, no ``from __future__ import annotations``: pydantic would
then compile and evaluate some 400 field annotations from text each time this
module is imported (a fixed cost of every command, docs/performance.md); Python
evaluates them once, from the byte-code. A forward reference is quoted.
"""
import re
from functools import lru_cache
from types import MappingProxyType, UnionType
from typing import Annotated, Any, Literal, Mapping, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from ..errors import FieldPath
from .runtimes import metric_family

API_VERSION = "gitops-gen.io/v1alpha1"
KINDS = ("Project", "Environment", "Model")
# A check's finding: the field (in the spec being checked) and what is wrong with it.
SpecProblem = tuple[FieldPath, str]

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
# [0-9], never \d: in Python \d also matches other scripts' digits ("١٢", "２Gi"),
# which Kubernetes' quantity and Go's duration grammars refuse.
_QUANTITY = re.compile(r"^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$")
_DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
_REAL_NUMBER = re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")
_LABEL_NAME = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$")
_ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")


def _checked(pattern: re.Pattern, what: str):
    def check(value: Any) -> Any:
        if not isinstance(value, str):
            raise PydanticCustomError("type", f"must be a string ({what})")
        if not pattern.match(value):
            raise PydanticCustomError("format", f"{value!r} is not {what}")
        return value

    return BeforeValidator(check)


def _number_as_text(value: Any) -> Any:
    # `cpu: 1` and `cpu: 0.5` are common and unambiguous; keep them as text.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _whole_number(value: Any) -> Any:
    # pydantic alone would read true as 1 and " 8_080" as 8080 (a quoted number, or
    # an expression's result, is text): only the digits 0-9, as Kubernetes reads them.
    if type(value) is int:
        return value
    if isinstance(value, bool):
        raise PydanticCustomError("type", f"must be a whole number, not {str(value).lower()} (YAML reads "
                                          "yes/no/on/off/true/false as true or false)")
    if isinstance(value, str) and not _WHOLE_NUMBER.fullmatch(value):
        raise PydanticCustomError("format", f"{value[:40]!r} is not a whole number (the digits 0-9)")
    return value


def _real_number(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("type", f"must be a number, not {str(value).lower()}")
    if isinstance(value, str) and not _REAL_NUMBER.fullmatch(value):
        raise PydanticCustomError("format", f"{value[:40]!r} is not a number (the digits 0-9)")
    return value


def _version(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("type", "must be a string: YAML read this as true or false (yes, no, on and "
                                          "off are booleans too); quote it")
    if isinstance(value, float):
        raise PydanticCustomError(
            "type",
            f"must be a string: YAML read this as the number {value!r}; quote it, e.g. \"1.10\"",
        )
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and (not value or value != value.strip() or "{" in value):
        raise PydanticCustomError("format", f"{value!r} is not a valid version")
    return value


def _label_key(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError("type", "label keys must be strings")
    prefix, _, name = value.rpartition("/")
    if (prefix and not _DNS_SUBDOMAIN.match(prefix)) or not _LABEL_NAME.match(name):
        raise PydanticCustomError("format", f"{value!r} is not a valid label key")
    return value


def _label_value(value: Any) -> Any:
    if isinstance(value, float):  # 1.10 would become "1.1"
        raise PydanticCustomError(
            "type", f"must be a string: YAML read this as the number {value!r}; quote it, e.g. \"1.10\"")
    if isinstance(value, bool):  # yes would become "True", which no label value may be anyway
        raise PydanticCustomError(
            "type", "must be a string: YAML read this as true or false (yes, no, on and off are booleans "
                    "too); quote it")
    value = _number_as_text(value)
    if not isinstance(value, str) or (value and not _LABEL_NAME.match(value)):
        raise PydanticCustomError(
            "format", f"{value!r} is not a valid label value (at most 63 of A-Z a-z 0-9 - _ .)"
        )
    return value


Name = Annotated[
    str, _checked(_DNS_LABEL, "a DNS-1123 label (lower-case letters, digits and '-', at most 63)")
]
SecretName = Annotated[str, _checked(_DNS_SUBDOMAIN, "a valid Kubernetes object name")]
Quantity = Annotated[
    str,
    _checked(_QUANTITY, "a Kubernetes quantity such as 500m, 2, 1.5 or 4Gi"),
    BeforeValidator(_number_as_text),
]
Duration = Annotated[str, _checked(_DURATION, "a duration such as 30s, 5m or 1h30m")]
Version = Annotated[str, BeforeValidator(_version)]
LabelKey = Annotated[str, BeforeValidator(_label_key)]
LabelValue = Annotated[str, BeforeValidator(_label_value)]
Labels = dict[LabelKey, LabelValue]
EnvName = Annotated[str, _checked(_ENV_NAME, "a valid environment variable name")]
Text = Annotated[str, Field(min_length=1)]
Int = Annotated[int, BeforeValidator(_whole_number)]
Real = Annotated[float, BeforeValidator(_real_number)]


def _empty(kind: type, **field: Any) -> Any:
    """An empty list or dict default. A factory, not a shared `[]` or `{}`: pydantic deep-copies an unhashable
    default for every model it validates, the largest part of validating a big fleet's specs (one per release).
    The JSON Schema still shows the default."""
    return Field(default_factory=kind, json_schema_extra={"default": kind()}, **field)


def _fresh(kind: type[BaseModel], **field: Any) -> Any:
    """The default of a nested kind that holds a list or dict (so is unhashable and would be deep-copied): as
    `_empty`, made by a factory, shown in the schema."""
    return Field(default_factory=kind, json_schema_extra={"default": kind().model_dump(mode="json")}, **field)


class StrictModel(BaseModel):
    """The base of every spec kind: an unknown field is an error, and a validated spec never changes. pydantic
    builds a kind's validator when it is first used, not when this module is imported (see ON_FIRST_USE)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class FirstUseValidator:
    """Validates a field as ``kind`` with ``kind``'s own validator (see ON_FIRST_USE)."""

    __slots__ = ("kind",)

    def __init__(self, kind: type[BaseModel]) -> None:
        self.kind = kind

    def __call__(self, value: Any) -> Any:
        return self.kind.model_validate(value)


class _BuiltOnFirstUse:
    """``Annotated[Kind, ON_FIRST_USE]``: a nested kind most specs never write (llm, graph, volumes, a
    transformer, probes, ...), validated by its own validator, which pydantic builds (``defer_build``) the first
    time a spec writes the field rather than as part of the validator of the kind holding it.

    Building every kind's schema and validator when this module was imported took most of its import time, a
    fixed cost of every command (docs/performance.md). A value is checked exactly as before, and its errors
    keep their field paths (pydantic prefixes a nested validator's errors with the field's); `spec_schema`
    writes the kind's JSON Schema as before."""

    def __get_pydantic_core_schema__(self, source: type[BaseModel], handler: GetCoreSchemaHandler
                                     ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(FirstUseValidator(source))


ON_FIRST_USE = _BuiltOnFirstUse()


# --- Model -----------------------------------------------------------------

Format = Literal[
    "sklearn", "xgboost", "lightgbm", "tensorflow", "pytorch", "onnx", "triton", "huggingface", "pmml", "paddle",
    "mlflow", "autogluon", "custom"
]
Protocol = Literal["v1", "v2", "grpc-v1", "grpc-v2"]
AutoscalerClass = Literal["hpa", "kpa", "keda", "external", "none"]


ResourceName = Annotated[str, _checked(re.compile(r"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$"),
                                        "a Kubernetes resource name such as cpu, ephemeral-storage or nvidia.com/gpu")]


class Resources(StrictModel):
    cpu: Quantity | None = Field(
        None, description="CPU for each container, a Kubernetes quantity (e.g. 500m, 2); requests = limits.")
    memory: Quantity | None = Field(
        None, description="Memory for each container, a Kubernetes quantity (e.g. 2Gi); requests = limits.")
    gpu: Annotated[Int, Field(ge=0, le=64, strict=True)] = Field(
        0, description="Accelerators per container; more than 0 adds gpuResource to the limits.")
    gpuResource: ResourceName = Field(
        "nvidia.com/gpu", description="Resource name of the accelerator gpu counts, e.g. amd.com/gpu.")
    requests: dict[ResourceName, Quantity] = _empty(
        dict, description="Requests by resource name (e.g. cpu, ephemeral-storage); override the shorthand key by key.")
    limits: dict[ResourceName, Quantity] = _empty(
        dict, description="Limits by resource name; override the shorthand key by key.")

    def requests_and_limits(self) -> tuple[dict[str, str | int], dict[str, str | int]]:
        """The container's requests and limits: the shorthand (requests = limits, accelerators in
        limits only, as device plugins expect), then the requests/limits maps key by key."""
        shorthand: dict[str, str | int] = {}
        if self.cpu is not None:
            shorthand["cpu"] = self.cpu
        if self.memory is not None:
            shorthand["memory"] = self.memory
        limits = dict(shorthand)
        if self.gpu > 0:
            limits[self.gpuResource] = self.gpu
        return {**shorthand, **self.requests}, {**limits, **self.limits}


_QUANTITY_SUFFIXES = {"n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1.0, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15,
                      "E": 1e18, "Ki": 2.0 ** 10, "Mi": 2.0 ** 20, "Gi": 2.0 ** 30, "Ti": 2.0 ** 40,
                      "Pi": 2.0 ** 50, "Ei": 2.0 ** 60}


def quantity_value(quantity: str | int) -> float:
    """A Kubernetes quantity as a number, to compare requests with limits."""
    match = re.match(r"^[+]?([0-9]+(?:\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE])?$", str(quantity))
    assert match is not None  # the field's own validator accepted it as a quantity
    number, suffix = float(match[1]), match[2] or ""
    if suffix[:1] in ("e", "E"):
        return number * 10 ** int(suffix[1:])
    return number * _QUANTITY_SUFFIXES[suffix]


def resources_problems(resources: Resources, where: tuple) -> list[SpecProblem]:
    """What Kubernetes would refuse: requests above limits, accelerators requested unlike their limit."""
    problems: list[SpecProblem] = []
    if not resources.requests and not resources.limits:
        return problems  # the shorthand alone: requests equal limits, accelerators in limits only
    requests, limits = resources.requests_and_limits()
    for name, requested in requests.items():
        field = (*where, "requests", name) if name in resources.requests else (*where, name)
        limit = limits.get(name)
        if name == resources.gpuResource or ("." in name and "/" in name):
            # Extended resources (accelerators) cannot be overcommitted.
            if limit is None or quantity_value(limit) != quantity_value(requested):
                problems.append((field, f"{name} is an extended resource: its request must equal its limit "
                                        f"(set resources.limits.{name}, or leave the request out)"))
        elif limit is not None and quantity_value(requested) > quantity_value(limit):
            problems.append((field, f"the {name} request ({requested}) is more than its limit ({limit})"))
    return problems


# KEDA's Prometheus scaler: one or several of its authentication modes, separated by commas.
AuthModes = Annotated[str, _checked(re.compile(r"^(bearer|basic|tls|custom)(,(bearer|basic|tls|custom))*$"),
                                    "KEDA's authentication modes: bearer, basic, tls or custom, separated by commas")]


class Replicas(StrictModel):
    # Omitted = not written for serving: kserve (KServe's defaults apply); serving: deployment reads
    # an omitted min as 1 and an omitted max as min (builders/deployment.py replica_range).
    min: Annotated[Int, Field(ge=0, le=10_000)] | None = Field(
        None, description="Fewest replicas; 0 (scale to zero) needs deploymentMode: Knative or autoscaling.class: keda.")
    max: Annotated[Int, Field(ge=1, le=10_000)] | None = Field(
        None, description="Most replicas; above min, the workload autoscales; omitted: unbounded where the "
                          "autoscaler allows it.")


class Autoscaling(StrictModel):
    autoscalerClass: AutoscalerClass | None = Field(
        None, alias="class", description="serving: kserve's autoscaler: hpa | keda | external | none (Standard "
                                         "mode), kpa (Knative mode); omitted: KServe's default. serving: llm: hpa | "
                                         "keda, what applies the Workload Variant Autoscaler's replicas.")
    metric: Literal["cpu", "memory", "concurrency", "rps", "prometheus", "opentelemetry"] | None = Field(
        None, description="What to scale on: cpu or memory (utilization), concurrency or rps (Knative only), "
                          "prometheus (a PromQL query, class: keda) or opentelemetry (a metric pushed through "
                          "KEDA's OpenTelemetry add-on, class: keda).")
    target: Annotated[Int, Field(gt=0)] | None = Field(
        None, description="Target per pod: a utilization percentage (1-100) for cpu/memory, else requests; "
                          "for prometheus and opentelemetry, the query's target value.")
    query: Text | None = Field(
        None, description="What KEDA scales on (metric: prometheus or opentelemetry): a PromQL query, or the "
                          "OpenTelemetry metric (KServe selects this deployment's series itself).")
    serverAddress: Text | None = Field(
        None, description="metric: prometheus: the Prometheus server KEDA queries; opentelemetry: the add-on's "
                          "scaler address; omitted: KServe's default.")
    metricNames: Annotated[list[Text], Field(min_length=1)] | None = Field(
        None, description="metric: opentelemetry: the metrics KServe's OpenTelemetry collector sidecar forwards "
                          "to KEDA; gitops-gen then annotates the pods to get that sidecar "
                          "(sidecar.opentelemetry.io/inject); omitted: no collector (you run your own).")
    authenticationRef: Name | None = Field(
        None, description="metric: prometheus: the KEDA TriggerAuthentication (in the model's namespace) holding "
                          "the Prometheus server's credentials.")
    authModes: AuthModes | None = Field(
        None, description="metric: prometheus, with authenticationRef: how KEDA authenticates to Prometheus: "
                          "bearer, basic, tls or custom, several separated by commas (e.g. \"tls,basic\").")
    queryNamespace: Name | None = Field(
        None, description="metric: prometheus: the namespace KEDA sends with the query, for a multi-tenant "
                          "Prometheus (Thanos, Cortex, Mimir) that enforces one (KServe's external.metric.namespace).")
    operationOverTime: Literal["last_one", "avg", "max", "min", "rate", "count"] | None = Field(
        None, description="metric: opentelemetry: how KEDA's add-on aggregates the metric over time; "
                          "default (KEDA's): last_one.")
    # serving: llm only: KServe's Workload Variant Autoscaler (spec.scaling.wva), written as given.
    variantCost: Annotated[str, _checked(re.compile(r"^\d+(\.\d+)?$"), "a decimal number as text, e.g. \"10.0\"")] \
        | None = Field(None, description="serving: llm: the Workload Variant Autoscaler's cost of one replica "
                                         "(scaling.wva.variantCost), e.g. \"10.0\"; omitted: KServe's default.")
    behavior: dict[str, Any] | None = Field(
        None, description="serving: llm with class: hpa: the HorizontalPodAutoscaler's behavior (scaleUp, "
                          "scaleDown), as scaling.wva.hpa.behavior.")
    keda: dict[str, Any] | None = Field(
        None, description="serving: llm with class: keda: the ScaledObject settings of scaling.wva.keda "
                          "(pollingInterval, cooldownPeriod, initialCooldownPeriod, idleReplicaCount, fallback).")


class Canary(StrictModel):
    steps: Annotated[list[Annotated[Int, Field(ge=0, le=100)]], Field(min_length=1)] = Field(
        [10, 50], description="Traffic weights in percent, one per step, e.g. [10, 50]; serving: kserve also [0]: "
                              "every request to the previous revision (KServe's rollback).")
    pause: Duration | None = Field(
        None, description="Wait between steps, e.g. 10m; omitted = wait for a manual promotion.")


class GatewayRef(StrictModel):
    name: Text = Field(description="Name of the Gateway API Gateway the HTTPRoute attaches to.")
    namespace: Name | None = Field(
        None, description="Namespace of the Gateway; default: the environment's namespace.")


class Variant(StrictModel):
    name: Name = Field(description="Name of this variant (a DNS-1123 label), e.g. a or b.")
    version: Version = Field(description="Model version this variant serves.")
    weight: Annotated[Int, Field(ge=0, le=100)] = Field(description="Share of the traffic in percent (0-100).")


Hostname = Annotated[str, _checked(re.compile(r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"),
                                   "a DNS host name such as models.example.com")]


class AB(StrictModel):
    gateway: GatewayRef = Field(description="The Gateway API parentRef whose HTTPRoute splits the traffic.")
    variants: list[Variant] = Field(description="The versions served side by side and their traffic weights.")
    # Optional: without hostnames the route takes every request its Gateway listener accepts.
    hostnames: Annotated[list[Hostname], Field(max_length=16)] = _empty(
        list, description="Host names the HTTPRoute matches; empty: every host its Gateway listener accepts.")


class RolloutSpec(StrictModel):
    strategy: Literal["direct", "canary", "bluegreen", "ab"] = Field(
        "direct", description="How a new version goes live: direct | canary | bluegreen | ab.")
    canary: Annotated[Canary, ON_FIRST_USE] | None = Field(None, description="Canary steps (strategy: canary).")
    ab: Annotated[AB, ON_FIRST_USE] | None = Field(
        None, description="A/B test: two versions side by side, traffic split by weight (strategy: ab).")


class Alerts(StrictModel):
    errorRate: Annotated[Real, Field(gt=0, le=1)] | None = Field(
        None, description="Alert when the share of failed requests exceeds this (0-1], e.g. 0.05.")
    latencyP99: Duration | None = Field(
        None, description="Alert when the 99th percentile latency exceeds this duration, e.g. 500ms.")


class Monitoring(StrictModel):
    metrics: bool = Field(False, description="Scrape the model's metrics with a ServiceMonitor.")
    path: Annotated[str, _checked(re.compile(r"^/\S*$"), "an absolute URL path")] = Field(
        "/metrics", description="URL path of the metrics endpoint.")
    alerts: Alerts | None = Field(None, description="Alerting thresholds, written as a PrometheusRule.")
    dashboard: bool = Field(False, description="Also generate a Grafana dashboard.")


class SecretEnv(StrictModel):
    name: EnvName = Field(description="Environment variable name in the container.")
    secret: SecretName = Field(
        description="Name of the Kubernetes Secret (managed outside Git; only the reference is written).")
    key: Text = Field(description="Key inside the Secret.")
    optional: bool | None = Field(
        None, description="true: start the container even when the Secret or key is missing.")


# --- Containers: the fields every container gitops-gen builds shares (builders/pods.py container()) --

PortRef = Annotated[Int, Field(ge=1, le=65535)] | Annotated[str, Field(min_length=1, max_length=15)]


class HTTPHeader(StrictModel):
    name: Text = Field(description="Header name.")
    value: str = Field(description="Header value.")


class HTTPGetAction(StrictModel):
    path: str | None = Field(None, description="URL path to GET, e.g. /v2/health/ready.")
    port: PortRef = Field(description="Container port, by number or name.")
    host: str | None = Field(None, description="Host to connect to; default: the pod IP.")
    scheme: Literal["HTTP", "HTTPS"] | None = Field(None, description="HTTP or HTTPS; default: HTTP.")
    httpHeaders: list[HTTPHeader] = _empty(list, description="Extra request headers.")


class TCPSocketAction(StrictModel):
    port: PortRef = Field(description="Container port, by number or name.")
    host: str | None = Field(None, description="Host to connect to; default: the pod IP.")


class ExecAction(StrictModel):
    command: Annotated[list[str], Field(min_length=1)] = Field(description="Command run in the container.")


class GRPCAction(StrictModel):
    port: Annotated[Int, Field(ge=1, le=65535)] = Field(description="Port of the gRPC health service.")
    service: str | None = Field(None, description="Service name sent in the gRPC HealthCheckRequest.")


class Probe(StrictModel):
    """A Kubernetes Probe, field for field (core/v1 Probe)."""

    httpGet: HTTPGetAction | None = Field(None, description="Probe with an HTTP GET.")
    tcpSocket: TCPSocketAction | None = Field(None, description="Probe by opening a TCP connection.")
    exec: ExecAction | None = Field(None, description="Probe by running a command in the container.")
    grpc: GRPCAction | None = Field(None, description="Probe with the gRPC health checking protocol.")
    initialDelaySeconds: Annotated[Int, Field(ge=0)] | None = Field(None, description="Seconds before the first probe.")
    periodSeconds: Annotated[Int, Field(ge=1)] | None = Field(None, description="Seconds between probes.")
    timeoutSeconds: Annotated[Int, Field(ge=1)] | None = Field(None, description="Seconds before a probe times out.")
    successThreshold: Annotated[Int, Field(ge=1)] | None = Field(
        None, description="Successes in a row that count as success after a failure.")
    failureThreshold: Annotated[Int, Field(ge=1)] | None = Field(
        None, description="Failures in a row that count as failure.")
    terminationGracePeriodSeconds: Annotated[Int, Field(ge=1)] | None = Field(
        None, description="Grace period when a liveness or startup probe fails.")


class Probes(StrictModel):
    readiness: Annotated[Probe, ON_FIRST_USE] | None = Field(
        None, description="readinessProbe: when the container may take traffic.")
    liveness: Annotated[Probe, ON_FIRST_USE] | None = Field(
        None, description="livenessProbe: when the container is restarted.")
    startup: Annotated[Probe, ON_FIRST_USE] | None = Field(
        None, description="startupProbe: holds the others back until it succeeds.")


def probe_problems(probes: Probes, where: tuple, merged: bool = False) -> list[SpecProblem]:
    """``merged``: the probe is merged into a template's (serving: llm: KServe's vLLM template has the handler),
    so it may give timings alone."""
    problems: list[SpecProblem] = []
    for kind in ("readiness", "liveness", "startup"):
        probe = getattr(probes, kind)
        if probe is None:
            continue
        handlers = [h for h in ("httpGet", "tcpSocket", "exec", "grpc") if getattr(probe, h) is not None]
        if len(handlers) > 1 or (not handlers and not merged):
            problems.append(((*where, kind), "a probe needs exactly one of httpGet, tcpSocket, exec or grpc"
                             + (f" (not {' and '.join(handlers)})" if handlers else "")))
        if kind == "readiness" and probe.terminationGracePeriodSeconds is not None:
            problems.append(((*where, kind, "terminationGracePeriodSeconds"),
                             "applies to liveness and startup probes only"))
        if kind in ("liveness", "startup") and probe.successThreshold not in (None, 1):
            problems.append(((*where, kind, "successThreshold"), f"must be 1 for a {kind} probe"))
    return problems


class Toleration(StrictModel):
    key: str | None = Field(
        None, description="Taint key the toleration matches; empty with operator Exists matches every taint.")
    operator: Literal["Exists", "Equal"] = Field("Equal", description="Exists or Equal.")
    value: str | None = Field(None, description="Taint value to match (operator: Equal).")
    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute"] | None = Field(
        None, description="Taint effect to match: NoSchedule | PreferNoSchedule | NoExecute; empty = all.")
    tolerationSeconds: Int | None = Field(
        None, description="With effect NoExecute: how long the pod stays bound after the taint appears.")


# --- Security contexts, volumes and downward-API variables of the serving containers (core/v1 types) ---------

class Capabilities(StrictModel):
    add: list[Text] = _empty(list, description="Linux capabilities added, e.g. NET_BIND_SERVICE.")
    drop: list[Text] = _empty(list, description="Linux capabilities dropped, e.g. ALL.")


class SeccompProfile(StrictModel):
    type: Literal["RuntimeDefault", "Localhost", "Unconfined"] = Field(
        description="RuntimeDefault | Localhost | Unconfined.")
    localhostProfile: Text | None = Field(
        None, description="type: Localhost only: the profile's path, relative to the kubelet's seccomp directory.")


class AppArmorProfile(StrictModel):
    type: Literal["RuntimeDefault", "Localhost", "Unconfined"] = Field(
        description="RuntimeDefault | Localhost | Unconfined.")
    localhostProfile: Text | None = Field(
        None, description="type: Localhost only: the name of a profile loaded on the node.")


class SELinuxOptions(StrictModel):
    user: Text | None = Field(None, description="SELinux user label.")
    role: Text | None = Field(None, description="SELinux role label.")
    type: Text | None = Field(None, description="SELinux type label.")
    level: Text | None = Field(None, description="SELinux level label.")


class WindowsOptions(StrictModel):
    gmsaCredentialSpecName: Text | None = Field(None, description="Name of the GMSACredentialSpec to use.")
    gmsaCredentialSpec: Text | None = Field(None, description="The GMSA credential spec, inline.")
    runAsUserName: Text | None = Field(None, description="Windows user the container's entrypoint runs as.")
    hostProcess: bool | None = Field(None, description="Run as a Windows HostProcess container.")


UserId = Annotated[Int, Field(ge=0, le=2**31 - 1)]


class SecurityContext(StrictModel):
    """A Kubernetes container SecurityContext, field for field (core/v1 SecurityContext)."""

    runAsNonRoot: bool | None = Field(None, description="true: the kubelet refuses to start it as root (UID 0).")
    runAsUser: UserId | None = Field(None, description="UID the container's processes run as.")
    runAsGroup: UserId | None = Field(None, description="GID the container's processes run as.")
    readOnlyRootFilesystem: bool | None = Field(None, description="Mount the container's root filesystem read-only.")
    allowPrivilegeEscalation: bool | None = Field(
        None, description="Whether a process may gain more privileges than its parent (no_new_privs).")
    privileged: bool | None = Field(None, description="Run privileged: as root on the host.")
    capabilities: Capabilities | None = Field(None, description="Linux capabilities to add and drop.")
    seccompProfile: SeccompProfile | None = Field(None, description="The seccomp profile: type, localhostProfile.")
    seLinuxOptions: SELinuxOptions | None = Field(None, description="SELinux labels: user, role, type, level.")
    appArmorProfile: AppArmorProfile | None = Field(None, description="The AppArmor profile: type, localhostProfile.")
    procMount: Literal["Default", "Unmasked"] | None = Field(None, description="Default | Unmasked.")
    windowsOptions: WindowsOptions | None = Field(None, description="Windows-specific settings.")


def security_context_problems(context: SecurityContext, where: tuple) -> list[SpecProblem]:
    """What the API server (and, for runAsNonRoot with UID 0, the kubelet) refuses in a SecurityContext."""
    problems: list[SpecProblem] = []
    if context.allowPrivilegeEscalation is False:
        if context.privileged:
            problems.append(((*where, "allowPrivilegeEscalation"), "cannot be false with privileged: true (a "
                                                                   "privileged container has every privilege)"))
        elif context.capabilities is not None and "CAP_SYS_ADMIN" in context.capabilities.add:
            problems.append(((*where, "allowPrivilegeEscalation"), "cannot be false with capability CAP_SYS_ADMIN"))
    problems.extend(_identity_and_profile_problems(context, where, "the container"))
    return problems


def _identity_and_profile_problems(context: "SecurityContext | PodSecurityContext", where: tuple,
                                   started: str) -> list[SpecProblem]:
    """What a container's and a pod's securityContext share: runAsNonRoot against UID 0 (the kubelet refuses to
    start ``started``), and a seccomp or AppArmor profile that names a localhostProfile exactly when its type is
    Localhost."""
    problems: list[SpecProblem] = []
    if context.runAsNonRoot and context.runAsUser == 0:
        problems.append(((*where, "runAsUser"), "0 is root, and runAsNonRoot: true: the kubelet would refuse to "
                                                f"start {started}"))
    for name in ("seccompProfile", "appArmorProfile"):
        profile = getattr(context, name)
        if profile is None:
            continue
        if profile.type == "Localhost" and profile.localhostProfile is None:
            problems.append(((*where, name, "localhostProfile"), "required with type: Localhost"))
        elif profile.type != "Localhost" and profile.localhostProfile is not None:
            problems.append(((*where, name, "localhostProfile"), f"applies to type: Localhost, not {profile.type}"))
    return problems


class Sysctl(StrictModel):
    name: Annotated[str, _checked(re.compile(r"^[a-z0-9]([-_a-z0-9]*[a-z0-9])?([./][a-z0-9]([-_a-z0-9]*[a-z0-9])?)*$"),
                                  "a kernel parameter such as net.ipv4.ip_local_port_range")] = Field(
        description="A namespaced kernel parameter, e.g. net.ipv4.ip_local_port_range.")
    value: Annotated[str, BeforeValidator(_number_as_text)] = Field(description="Its value, as text.")


class PodSecurityContext(StrictModel):
    """A Kubernetes PodSecurityContext, field for field (core/v1): the serving pod's, beside each container's."""

    runAsNonRoot: bool | None = Field(None, description="true: the kubelet refuses to start a container as root.")
    runAsUser: UserId | None = Field(None, description="UID the pod's processes run as, unless a container says.")
    runAsGroup: UserId | None = Field(None, description="GID the pod's processes run as, unless a container says.")
    fsGroup: UserId | None = Field(
        None, description="A group that owns the pod's volumes (a PersistentVolumeClaim's files, ...) and every "
                          "process joins.")
    fsGroupChangePolicy: Literal["Always", "OnRootMismatch"] | None = Field(
        None, description="When volumes are chowned to fsGroup: Always | OnRootMismatch.")
    supplementalGroups: list[UserId] = _empty(list, description="More groups every process joins.")
    supplementalGroupsPolicy: Literal["Merge", "Strict"] | None = Field(
        None, description="Merge (with the image's /etc/group) | Strict.")
    seccompProfile: SeccompProfile | None = Field(None, description="The seccomp profile: type, localhostProfile.")
    seLinuxOptions: SELinuxOptions | None = Field(None, description="SELinux labels: user, role, type, level.")
    seLinuxChangePolicy: Literal["MountOption", "Recursive"] | None = Field(
        None, description="How volumes get the pod's SELinux label: MountOption | Recursive.")
    appArmorProfile: AppArmorProfile | None = Field(None, description="The AppArmor profile: type, localhostProfile.")
    windowsOptions: WindowsOptions | None = Field(None, description="Windows-specific settings.")
    sysctls: list[Sysctl] = _empty(list, description="Namespaced kernel parameters set for the pod.")


def pod_security_context_problems(context: PodSecurityContext, where: tuple) -> list[SpecProblem]:
    """What the API server (and, for runAsNonRoot with UID 0, the kubelet) refuses in a PodSecurityContext."""
    problems = _identity_and_profile_problems(context, where, "the pod's containers")
    names = [sysctl.name for sysctl in context.sysctls]
    for i, name in enumerate(names):
        if name in names[:i]:
            problems.append(((*where, "sysctls", i, "name"), f"{name} is listed twice"))
    return problems


FileMode = Annotated[Int, Field(ge=0, le=0o777)]


class KeyToPath(StrictModel):
    key: Text = Field(description="Key in the ConfigMap or Secret.")
    path: Text = Field(description="Relative path of the file it becomes in the volume.")
    mode: FileMode | None = Field(None, description="File mode bits, e.g. 0o440 (decimal 288); default: defaultMode.")


class EmptyDirVolume(StrictModel):
    medium: Literal["", "Memory"] | None = Field(None, description="Memory: a tmpfs (counted as the pod's memory).")
    sizeLimit: Quantity | None = Field(None, description="Most the volume may hold, e.g. 10Gi.")


class PVCVolume(StrictModel):
    claimName: SecretName = Field(description="Name of a PersistentVolumeClaim in the release's namespace.")
    readOnly: bool | None = Field(None, description="Mount the claim read-only.")


class ConfigMapVolume(StrictModel):
    name: SecretName = Field(description="Name of the ConfigMap (in the release's namespace).")
    items: list[KeyToPath] = _empty(list, description="Only these keys, each as a file path; default: every key.")
    defaultMode: FileMode | None = Field(None, description="Mode bits of its files; default 0o644.")
    optional: bool | None = Field(None, description="true: start without the ConfigMap or its keys.")


class SecretVolume(StrictModel):
    secretName: SecretName = Field(
        description="Name of the Secret (managed outside Git; only the reference is written).")
    items: list[KeyToPath] = _empty(list, description="Only these keys, each as a file path; default: every key.")
    defaultMode: FileMode | None = Field(None, description="Mode bits of its files; default 0o644.")
    optional: bool | None = Field(None, description="true: start without the Secret or its keys.")


class HostPathVolume(StrictModel):
    path: Annotated[str, _checked(re.compile(r"^/"), "an absolute path")] = Field(
        description="Path on the node.")
    type: Literal["", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice",
                  "BlockDevice"] | None = Field(None, description="What must be at the path; default: no check.")


class NFSVolume(StrictModel):
    server: Text = Field(description="Host name or IP address of the NFS server.")
    path: Text = Field(description="Path exported by the server.")
    readOnly: bool | None = Field(None, description="Mount the export read-only.")


class SecretRef(StrictModel):
    name: SecretName = Field(description="Name of the Secret, in the release's namespace.")


class CSIVolume(StrictModel):
    driver: Text = Field(description="Name of the CSI driver, e.g. secrets-store.csi.k8s.io.")
    readOnly: bool | None = Field(None, description="Mount read-only.")
    fsType: Text | None = Field(None, description="Filesystem type, e.g. ext4.")
    volumeAttributes: dict[str, str] = _empty(dict, description="Driver-specific attributes.")
    nodePublishSecretRef: SecretRef | None = Field(
        None, description="A Secret the driver reads when it mounts the volume (a reference only).")


class EphemeralVolume(StrictModel):
    volumeClaimTemplate: dict[str, Any] = Field(
        description="A PersistentVolumeClaim made for each pod and deleted with it: {metadata, spec} as "
                    "Kubernetes' PersistentVolumeClaimTemplate (validate checks it).")


class ImageVolume(StrictModel):
    reference: Annotated[str, _checked(re.compile(r"^\S+$"), "a container image reference")] = Field(
        description="An OCI image or artifact mounted read-only, e.g. a model packaged as an image.")
    pullPolicy: Literal["Always", "Never", "IfNotPresent"] | None = Field(
        None, description="Always | Never | IfNotPresent; default as for container images.")


# Kubernetes' downward API: the fields an env variable may take from its pod (fieldRef).
FIELD_PATHS = ("metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
               "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs")
_FIELD_PATH = re.compile(r"^(%s|metadata\.(labels|annotations)\['[^']+'\])$"
                         % "|".join(re.escape(p) for p in FIELD_PATHS))
RESOURCE_FIELDS = ("limits.cpu", "limits.memory", "limits.ephemeral-storage", "requests.cpu", "requests.memory",
                   "requests.ephemeral-storage")
_RESOURCE_FIELD = re.compile(r"^(%s|(limits|requests)\.hugepages-[0-9A-Za-z]+)$"
                             % "|".join(re.escape(p) for p in RESOURCE_FIELDS))
# A container's request or limit, as the downward API names it (an env variable's or a volume file's).
ContainerResource = Annotated[str, _checked(_RESOURCE_FIELD, "a container resource: " + ", ".join(RESOURCE_FIELDS)
                                            + " or limits/requests.hugepages-SIZE")]


# A file a volume writes: relative, no '..' element (Kubernetes' validateLocalDescendingPath).
VolumeFilePath = Annotated[str, _checked(re.compile(r"^(?!/)(?!.*(^|/)\.\.(/|$))[^\x00]+$"),
                                         "a relative path without '..'")]
# What a downward API volume may hold of the pod (fewer than an env var: no status, no spec).
_VOLUME_FIELD_PATH = re.compile(r"^(metadata\.(name|namespace|uid|labels|annotations)"
                                r"|metadata\.(labels|annotations)\['[^']+'\])$")


class ObjectFieldSelector(StrictModel):
    fieldPath: Annotated[str, _checked(_VOLUME_FIELD_PATH, "metadata.name, metadata.namespace, metadata.uid, "
                                                           "metadata.labels or metadata.annotations (or one key of "
                                                           "them: metadata.labels['KEY'])")] = Field(
        description="The pod field the file holds, e.g. metadata.labels.")
    apiVersion: Literal["v1"] | None = Field(None, description="The API version of the field path: v1.")


class ResourceFieldSelector(StrictModel):
    containerName: Name = Field(description="The container whose request or limit the file holds.")
    resource: ContainerResource = Field(description="The request or limit, e.g. limits.memory.")
    divisor: Quantity | None = Field(None, description="Unit the value is given in, e.g. 1Mi; default 1.")


class DownwardAPIFile(StrictModel):
    path: VolumeFilePath = Field(description="The file's path in the volume, e.g. labels.")
    fieldRef: ObjectFieldSelector | None = Field(None, description="A field of the pod (fieldPath).")
    resourceFieldRef: ResourceFieldSelector | None = Field(
        None, description="A container's request or limit (containerName, resource, divisor).")
    mode: FileMode | None = Field(None, description="File mode bits; default: the volume's defaultMode.")


class DownwardAPIVolume(StrictModel):
    items: list[DownwardAPIFile] = _empty(list, description="The files: each a pod field or a container resource.")
    defaultMode: FileMode | None = Field(None, description="Mode bits of its files; default 0o644.")


class ProjectedKeys(StrictModel):
    name: SecretName = Field(description="Name of the ConfigMap or Secret (in the release's namespace).")
    items: list[KeyToPath] = _empty(list, description="Only these keys, each as a file path; default: every key.")
    optional: bool | None = Field(None, description="true: start without it or its keys.")


class DownwardAPIProjection(StrictModel):
    items: list[DownwardAPIFile] = _empty(list, description="The files: each a pod field or a container resource.")


class ServiceAccountTokenProjection(StrictModel):
    path: VolumeFilePath = Field(description="The token's file, e.g. token.")
    audience: Text | None = Field(None, description="Who the token is for, e.g. sts.amazonaws.com; default: the "
                                                    "API server.")
    expirationSeconds: Annotated[Int, Field(ge=600, le=2**32)] | None = Field(
        None, description="How long the token lives (at least 600); the kubelet renews it; default 3600.")


class VolumeProjection(StrictModel):
    secret: ProjectedKeys | None = Field(None, description="A Secret's keys (by reference only).")
    configMap: ProjectedKeys | None = Field(None, description="A ConfigMap's keys.")
    downwardAPI: DownwardAPIProjection | None = Field(None, description="Pod fields and container resources.")
    serviceAccountToken: ServiceAccountTokenProjection | None = Field(
        None, description="A token of the pod's service account for an audience (workload identity).")


class ProjectedVolume(StrictModel):
    sources: Annotated[list[VolumeProjection], Field(min_length=1)] = Field(
        description="What the volume holds, each one of secret, configMap, downwardAPI or serviceAccountToken.")
    defaultMode: FileMode | None = Field(None, description="Mode bits of its files; default 0o644.")


class Volume(StrictModel):
    """A Kubernetes pod Volume: a name and exactly one source."""

    name: Name = Field(description="Name the containers' volumeMounts use; unique in the pod.")
    emptyDir: EmptyDirVolume | None = Field(None, description="Scratch space that lives as long as the pod.")
    persistentVolumeClaim: PVCVolume | None = Field(None, description="A PersistentVolumeClaim: claimName, readOnly.")
    configMap: ConfigMapVolume | None = Field(None, description="The keys of a ConfigMap as files.")
    secret: SecretVolume | None = Field(None, description="The keys of a Secret as files (by reference only).")
    hostPath: HostPathVolume | None = Field(None, description="A path on the node.")
    nfs: NFSVolume | None = Field(None, description="An NFS export.")
    csi: CSIVolume | None = Field(None, description="A volume from a CSI driver.")
    ephemeral: EphemeralVolume | None = Field(None, description="A PersistentVolumeClaim per pod.")
    image: ImageVolume | None = Field(None, description="An OCI image or artifact, read-only.")
    downwardAPI: DownwardAPIVolume | None = Field(
        None, description="Files of the pod's own fields (labels, annotations, ...) and containers' resources.")
    projected: ProjectedVolume | None = Field(
        None, description="Secrets, ConfigMaps, downward API files and service account tokens in one directory.")


class VolumeMount(StrictModel):
    name: Name = Field(description="The volume to mount (a name under volumes, or one KServe's pod has).")
    mountPath: Annotated[str, _checked(re.compile(r"^[^:]+$"), "a path without ':'")] = Field(
        description="Where it appears in the container, e.g. /lmcache.")
    readOnly: bool | None = Field(None, description="Mount read-only.")
    subPath: Text | None = Field(None, description="A path inside the volume to mount instead of its root.")
    subPathExpr: Text | None = Field(
        None, description="As subPath, expanding $(VAR) from the container's env (not with subPath).")
    mountPropagation: Literal["None", "HostToContainer", "Bidirectional"] | None = Field(
        None, description="None | HostToContainer | Bidirectional.")
    recursiveReadOnly: Literal["Disabled", "IfPossible", "Enabled"] | None = Field(
        None, description="With readOnly: true: make submounts read-only too.")


# A Volume's fields besides its name are its possible sources, in the order Kubernetes documents them.
VOLUME_SOURCES = tuple(field for field in Volume.model_fields if field != "name")


def volume_problems(volumes: list[Volume], where: tuple) -> list[SpecProblem]:
    problems: list[SpecProblem] = []
    seen: set[str] = set()
    for i, volume in enumerate(volumes):
        sources = [s for s in VOLUME_SOURCES if getattr(volume, s) is not None]
        if len(sources) != 1:
            problems.append(((*where, i), f"volume {volume.name!r} needs exactly one source of "
                                          f"{', '.join(VOLUME_SOURCES)}" + (f" (not {' and '.join(sources)})"
                                                                             if sources else "")))
        if volume.name in seen:
            problems.append(((*where, i, "name"), f"{volume.name} is listed twice"))
        seen.add(volume.name)
        if volume.downwardAPI is not None:
            problems.extend(_downward_files_problems(volume.downwardAPI.items, (*where, i, "downwardAPI", "items")))
        if volume.projected is not None:
            problems.extend(_projection_problems(volume.projected.sources, (*where, i, "projected", "sources")))
    return problems


def _downward_files_problems(files: list[DownwardAPIFile], where: tuple) -> list[SpecProblem]:
    problems: list[SpecProblem] = []
    for i, file in enumerate(files):
        if (file.fieldRef is None) == (file.resourceFieldRef is None):
            problems.append(((*where, i), "needs exactly one of fieldRef and resourceFieldRef"))
    return problems


def _projection_problems(sources: list[VolumeProjection], where: tuple) -> list[SpecProblem]:
    problems: list[SpecProblem] = []
    kinds = tuple(VolumeProjection.model_fields)
    for i, source in enumerate(sources):
        given = [kind for kind in kinds if getattr(source, kind) is not None]
        if len(given) != 1:
            problems.append(((*where, i), f"needs exactly one of {', '.join(kinds)}"
                             + (f" (not {' and '.join(given)})" if given else "")))
        if source.downwardAPI is not None:
            problems.extend(_downward_files_problems(source.downwardAPI.items, (*where, i, "downwardAPI", "items")))
    return problems


def mount_problems(mounts: list[VolumeMount], where: tuple, volumes: list[Volume] | None) -> list[SpecProblem]:
    """``volumes``: the pod's volumes when gitops-gen writes the whole pod (then every mount must name one);
    None where KServe adds volumes of its own (a ServingRuntime's, the LLM template's)."""
    problems: list[SpecProblem] = []
    names = None if volumes is None else {v.name for v in volumes}
    paths: set[str] = set()
    for i, mount in enumerate(mounts):
        if names is not None and mount.name not in names:
            problems.append(((*where, i, "name"), f"no volume {mount.name!r} in volumes"))
        if mount.mountPath in paths:
            problems.append(((*where, i, "mountPath"), f"{mount.mountPath} is mounted twice"))
        paths.add(mount.mountPath)
        if mount.subPath is not None and mount.subPathExpr is not None:
            problems.append(((*where, i, "subPathExpr"), "not with subPath: one or the other"))
        for field in ("subPath", "subPathExpr"):
            path = getattr(mount, field)
            if path is not None and (path.startswith("/") or ".." in path.split("/")):
                problems.append(((*where, i, field), "must be a relative path inside the volume (no leading / "
                                                     "or ..)"))
        if mount.recursiveReadOnly not in (None, "Disabled"):
            if not mount.readOnly:
                problems.append(((*where, i, "recursiveReadOnly"), "needs readOnly: true"))
            elif mount.mountPropagation not in (None, "None"):
                problems.append(((*where, i, "recursiveReadOnly"), "needs mountPropagation None"))
    return problems


class FieldEnv(StrictModel):
    name: EnvName = Field(description="Environment variable name in the container.")
    fieldPath: Annotated[str, _checked(_FIELD_PATH, "a pod field: " + ", ".join(FIELD_PATHS)
                                       + ", metadata.labels['KEY'] or metadata.annotations['KEY']")] = Field(
        description="The pod field it takes (valueFrom.fieldRef), e.g. status.podIP or metadata.name.")
    apiVersion: Literal["v1"] | None = Field(
        None, description="The API version the field path is in: v1 (the default), written only when given.")


class ResourceEnv(StrictModel):
    name: EnvName = Field(description="Environment variable name in the container.")
    resource: ContainerResource = Field(
        description="The container's request or limit it takes (valueFrom.resourceFieldRef), e.g. limits.memory.")
    divisor: Quantity | None = Field(None, description="Unit the value is given in, e.g. 1Mi or 1m; default 1.")


# Application-level sync options Argo CD reads (argo-cd docs, "Sync Options"; the
# per-resource annotations such as Prune=false are not Application options).
# CreateNamespace and PruneLast are written by gitops-gen itself.
SYNC_OPTIONS = {
    "ApplyOutOfSyncOnly": ("true", "false"),
    "FailOnSharedResource": ("true", "false"),
    "PrunePropagationPolicy": ("foreground", "background", "orphan"),
    "Replace": ("true", "false"),
    "RespectIgnoreDifferences": ("true", "false"),
    "ServerSideApply": ("true", "false"),
    "SkipDryRunOnMissingResource": ("true", "false"),
    "Validate": ("true", "false"),
}


def _sync_option(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError("type", "must be a string such as ServerSideApply=true")
    key, sep, setting = value.partition("=")
    if not sep or key not in SYNC_OPTIONS:
        raise PydanticCustomError(
            "format", f"{value[:60]!r} is not an Argo CD sync option (one of {', '.join(sorted(SYNC_OPTIONS))}, "
                      "written Name=value)")
    if setting not in SYNC_OPTIONS[key]:
        raise PydanticCustomError("format", f"{key} takes {' or '.join(SYNC_OPTIONS[key])}, not {setting!r}")
    return value


SyncOption = Annotated[str, BeforeValidator(_sync_option)]
_GROUP = re.compile(r"^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)?$")


class IgnoreDifference(StrictModel):
    group: Annotated[str, _checked(_GROUP, "an API group such as apps (empty for the core group)")] = Field(
        "", description="API group of the objects, e.g. apps; empty for the core group.")
    kind: Annotated[str, _checked(re.compile(r"^[A-Z][A-Za-z0-9]{0,62}$"), "a kind such as Deployment")] = Field(
        description="Kind of the objects whose differences Argo CD ignores, e.g. Deployment.")
    name: SecretName | None = Field(None, description="Only the object of this name; default: every one of the kind.")
    jsonPointers: list[Annotated[str, _checked(re.compile(r"^(/\S*)?$"), "a JSON pointer such as /spec/replicas")]] \
        = _empty(list, description="Fields to ignore, as JSON pointers, e.g. /spec/replicas.")
    jqPathExpressions: list[Text] = _empty(
        list, description="Fields to ignore, as jq path expressions, e.g. .spec.template.spec.containers[].image.")
    managedFieldsManagers: list[Text] = _empty(
        list, description="Ignore the fields these field managers own, e.g. kube-controller-manager.")


class ArgoCDModelSettings(StrictModel):
    ignoreDifferences: list[IgnoreDifference] = _empty(
        list, description="Differences Argo CD ignores on this model's Applications (e.g. replicas an HPA owns); "
                        "with syncOptions RespectIgnoreDifferences=true a sync leaves them too.")
    syncOptions: list[SyncOption] = _empty(
        list, description="Extra Application sync options, e.g. ServerSideApply=true, RespectIgnoreDifferences=true.")
# A Helm repository over https, or an OCI registry path without the chart's name
# (what `helm pull oci://REPO/NAME` takes as REPO).
HELM_REPO = re.compile(r"^(https|oci)://[^\s/]+(/[^\s]*)?$")
# Helm release names: DNS-1123 labels of at most 53 characters (Helm appends suffixes to reach 63).
_RELEASE_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$")


class Chart(StrictModel):
    repo: Annotated[str, _checked(HELM_REPO, "an https:// Helm repository or an oci:// registry path")] = Field(
        description="Chart repository: https://... (a Helm repository) or oci://REGISTRY/PATH (without the chart name).")
    name: Annotated[str, _checked(re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$"), "a chart name")] = Field(
        description="Chart name in that repository.")
    version: Version = Field(description="Chart version (exact), e.g. 1.2.0 or {{ version }}.")


# KServe's ComponentExtensionSpec fields beyond replicas (every component has them: predictor,
# transformer, explainer), written into the InferenceService as given.
ContainerConcurrency = Annotated[Int, Field(ge=0)]
TimeoutSeconds = Annotated[Int, Field(ge=1)]


class LoggerStorage(StrictModel):
    path: Text | None = Field(None, description="Where in the bucket the logs go, e.g. /logs.")
    parameters: dict[str, str] | None = Field(
        None, description="Storage parameters, e.g. {type: s3, format: json}.")
    key: Text | None = Field(None, description="Key of the storage credentials in the secret.")
    serviceAccountName: SecretName | None = Field(
        None, description="Service account whose secrets hold the storage credentials.")


class Logger(StrictModel):
    mode: Literal["all", "request", "response"] | None = Field(
        None, description="What is logged: all | request | response; omitted: KServe's default (all).")
    url: Text | None = Field(
        None, description="Where the CloudEvents go, e.g. http://message-dumper.default or s3://bucket; omitted: "
                          "KServe's configured default.")
    storage: LoggerStorage | None = Field(None, description="Blob storage the logs are written to (url: s3://...).")
    metadataHeaders: list[Text] | None = Field(
        None, description="Request headers added to each logged event, e.g. [x-request-id].")
    metadataAnnotations: list[Text] | None = Field(
        None, description="InferenceService annotations added to each logged event.")
    batchSize: Annotated[Int, Field(ge=1)] | None = Field(None, description="Events per batch sent to storage.")
    batchInterval: Text | None = Field(None, description="Longest wait before a partial batch is sent.")
    marshallerUrl: Text | None = Field(None, description="Service that marshals the events before storage.")


class StorageUri(StrictModel):
    uri: Text = Field(description="Where these model files are, e.g. s3://bucket/base-model or hf://org/model.")
    mountPath: Annotated[str, _checked(re.compile(r"^/(?!.*(^|/)\.\.(/|$))\S{0,254}$"),
                                       "an absolute path without '..', e.g. /mnt/models/base")] | None = Field(
        None, description="Where the files appear in the serving container; omitted: KServe's default (/mnt/models).")


# Where KServe puts a storageUris entry that names no mountPath (StorageUri's default in the v0.20 CRD).
DEFAULT_MOUNT_PATH = "/mnt/models"


def storage_uris_problems(spec: "ModelSpec") -> list[SpecProblem]:
    """KServe's rules for storageUris (validateMultipleStorageURIs), checked only when written."""
    uris = spec.storageUris
    assert uris is not None
    problems: list[SpecProblem] = []
    if spec.storageUri:
        problems.append((("storageUris",), "KServe refuses storageUri and storageUris together: give one"))
    paths = []
    for i, entry in enumerate(uris):
        path = entry.mountPath or DEFAULT_MOUNT_PATH
        if path == "/":
            problems.append((("storageUris", i, "mountPath"), "cannot be / (the whole file system)"))
        elif not entry.uri.startswith("pvc://"):
            paths.append(path.rstrip("/").split("/"))
    if len(paths) > 1:
        common = 0
        while all(len(p) > common + 1 and p[common + 1] == paths[0][common + 1] for p in paths):
            common += 1
        if common == 0:
            problems.append((("storageUris",), "KServe needs the mountPaths (other than pvc://) under one directory "
                                               "other than /, e.g. /mnt/models/base and /mnt/models/adapters"))
    return problems


class Batcher(StrictModel):
    maxBatchSize: Annotated[Int, Field(ge=1)] | None = Field(
        None, description="Most requests in one batch; omitted: KServe's default (32).")
    maxLatency: Annotated[Int, Field(ge=1)] | None = Field(
        None, description="Longest a request waits for its batch to fill, in milliseconds; omitted: KServe's "
                          "default (500).")
    timeout: Annotated[Int, Field(ge=1)] | None = Field(
        None, description="Seconds the batcher waits for the server's answer; omitted: KServe's default (60).")


def _int_or_percent(value: Any) -> Any:
    # Kubernetes' IntOrString as a Deployment reads it: a count of pods, or a percentage written as text.
    # A count written as text ("0", or an expression's result) is the count: the API server would refuse
    # it as a string ("a valid percent string must be a numeric string followed by an ending '%'").
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise PydanticCustomError("type", "must be a number of pods or a percentage such as \"25%\"")
    if isinstance(value, str):
        if re.fullmatch(r"[0-9]+", value):
            return int(value)
        if not re.fullmatch(r"[0-9]+%", value):
            raise PydanticCustomError("format", f"{value[:40]!r} is not a number of pods or a percentage such as "
                                                "\"25%\"")
    elif value < 0:
        raise PydanticCustomError("format", f"{value} is not a number of pods (0 or more)")
    return value


IntOrPercent = Annotated[int | str, BeforeValidator(_int_or_percent)]


class RollingUpdate(StrictModel):
    maxSurge: IntOrPercent | None = Field(
        None, description="Pods above the desired count during a rollout: a number or a percentage such as 25%; "
                          "omitted: Kubernetes' default (25%).")
    maxUnavailable: IntOrPercent | None = Field(
        None, description="Pods that may be unavailable during a rollout: a number or a percentage such as 25%; "
                          "omitted: Kubernetes' default (25%).")


class DeploymentStrategy(StrictModel):
    """The Kubernetes Deployment strategy KServe gives a component's Deployment (Standard mode only)."""

    type: Literal["RollingUpdate", "Recreate"] | None = Field(
        None, description="RollingUpdate (replace pods a few at a time) or Recreate (stop all, then start); "
                          "omitted: RollingUpdate.")
    rollingUpdate: RollingUpdate | None = Field(
        None, description="How many pods a rolling update may add and take away at a time.")


def strategy_problems(strategy: DeploymentStrategy, where: tuple, deployment_mode: str) -> list[SpecProblem]:
    """What KServe and Kubernetes refuse in a component's deploymentStrategy (checked only when written)."""
    if deployment_mode == "Knative":
        return [(where, "applies to deploymentMode: Standard only: KServe refuses it in Knative mode, where "
                        "Knative rolls out revisions itself")]
    problems: list[SpecProblem] = []
    rolling = strategy.rollingUpdate
    if rolling is None:
        return problems
    if strategy.type == "Recreate":
        problems.append(((*where, "rollingUpdate"), "does not apply to type: Recreate (it stops every pod first)"))
    elif rolling.maxSurge in (0, "0%") and rolling.maxUnavailable in (0, "0%"):
        problems.append(((*where, "rollingUpdate", "maxUnavailable"),
                         "maxSurge and maxUnavailable cannot both be 0: the rollout could never replace a pod"))
    unavailable = rolling.maxUnavailable
    if isinstance(unavailable, str) and int(unavailable[:-1]) > 100:
        problems.append(((*where, "rollingUpdate", "maxUnavailable"), f"{unavailable} is more than 100%"))
    return problems


class Component(StrictModel):
    """A transformer or explainer: a container of your own beside the predictor."""

    image: Annotated[str, _checked(re.compile(r"^\S+$"), "a container image reference")] = Field(
        description="Container image of the transformer or explainer.")
    command: list[str] = _empty(list, description="Command of its container; empty: the image's entrypoint.")
    args: list[str] = _empty(list, description="Arguments of its container.")
    env: dict[EnvName, str] = _empty(dict, description="Plain environment variables.")
    secretEnv: list[SecretEnv] = _empty(list, description="Environment variables from Kubernetes Secrets.")
    fieldEnv: list[FieldEnv] = _empty(list, description="Environment variables from its pod's fields (fieldRef).")
    resourceEnv: list[ResourceEnv] = _empty(
        list, description="Environment variables from its container's requests and limits (resourceFieldRef).")
    resources: Resources = _fresh(Resources, description="CPU, memory and accelerators of its container.")
    probes: Probes = Field(Probes(), description="Its readiness, liveness and startup probes.")
    securityContext: SecurityContext | None = Field(None, description="Its container's securityContext.")
    podSecurityContext: Annotated[PodSecurityContext, ON_FIRST_USE] | None = Field(
        None, description="Its pods' securityContext (not collocated: a collocated transformer runs in the "
                          "predictor's pod).")
    volumes: list[Volume] = _empty(
        list, description="Volumes of its pods (not collocated: a collocated transformer mounts the predictor's).")
    volumeMounts: list[VolumeMount] = _empty(list, description="Volumes mounted into its container.")
    replicas: Replicas = Field(Replicas(), description="Its replica range; omitted: KServe's default.")
    autoscaling: Autoscaling | None = Field(
        None, description="What it scales on and its target (metric, target; query, serverAddress, "
                          "authenticationRef, authModes with prometheus); the class is the model's "
                          "autoscaling.class.")
    containerConcurrency: ContainerConcurrency | None = Field(
        None, description="Most requests a replica handles at once (0: no limit); omitted: not written.")
    timeout: TimeoutSeconds | None = Field(None, description="Seconds a request may take; omitted: not written.")
    logger: Logger | None = Field(None, description="Log its requests and responses as CloudEvents.")
    batcher: Batcher | None = Field(None, description="Batch its requests (KServe's batcher sidecar).")
    deploymentStrategy: DeploymentStrategy | None = Field(
        None, description="deploymentMode: Standard: how its Deployment rolls out (type, rollingUpdate); "
                          "omitted: KServe's default.")
    collocated: bool = Field(
        False, description="transformer only: run in the predictor's pod, as its container transformer-container, "
                           "instead of in pods of its own.")
    port: Annotated[Int, Field(ge=1, le=65535)] | None = Field(
        None, description="collocated transformer only: the port it listens on (the pod's serving port).")


class Workers(StrictModel):
    tensorParallelSize: Annotated[int, Field(ge=1, le=1024, strict=True)] | None = Field(
        None, description="GPUs the weights are sharded across (vLLM --tensor-parallel-size).")
    pipelineParallelSize: Annotated[int, Field(ge=1, le=1024, strict=True)] | None = Field(
        None, description="Stages the layers are split into, across nodes (vLLM --pipeline-parallel-size).")
    dataParallelSize: Annotated[int, Field(ge=1, le=1024, strict=True)] | None = Field(
        None, description="serving: llm only: model replicas behind one endpoint (parallelism.data).")
    dataLocalParallelSize: Annotated[int, Field(ge=1, le=1024, strict=True)] | None = Field(
        None, description="serving: llm only: data-parallel ranks per node (parallelism.dataLocal).")
    expertParallel: bool | None = Field(
        None, description="serving: llm only: expert parallelism, the experts of a mixture-of-experts model such "
                          "as DeepSeek-R1 or Mixtral spread over the GPUs (parallelism.expert).")
    dataRPCPort: Annotated[Int, Field(ge=1, le=65535)] | None = Field(
        None, description="serving: llm only, with dataParallelSize: the port the data-parallel ranks talk on "
                          "(parallelism.dataRPCPort); omitted: KServe's default.")


class ModelCacheStorage(StrictModel):
    key: Text | None = Field(None, description="Key of the storage-config Secret that holds the credentials.")
    parameters: dict[str, str] = _empty(
        dict, description="Storage parameters that override the key's, e.g. {type: s3, region: us-west-2}.")


class ModelCache(StrictModel):
    size: Quantity = Field(description="Disk each node reserves for the model, e.g. 10Gi (LocalModelCache modelSize).")
    nodeGroups: Annotated[list[Name], Field(min_length=1)] = Field(
        description="LocalModelNodeGroups whose nodes keep a copy of the model.")
    serviceAccountName: SecretName | None = Field(
        None, description="Service account the download job runs as (its secrets hold the storage credentials).")
    name: Name | None = Field(
        None, description="Name of the LocalModelCache; default: the model's name and a digest of its URI.")
    scope: Literal["cluster", "namespace"] = Field(
        "cluster", description="cluster: a LocalModelCache, shared by the cluster's namespaces; namespace: a "
                               "LocalModelNamespaceCache in the release's namespace, for its InferenceServices only.")
    storage: ModelCacheStorage | None = Field(
        None, description="Credentials of the download, from the storage-config Secret of KServe's download jobs' "
                          "namespace: key and parameters (spec.storage).")


class LLMRouter(StrictModel):
    # KServe's own RouterSpec fields, written as given; `gitops-gen validate`
    # checks them against the LLMInferenceService schema.
    scheduler: dict[str, Any] | None = Field(
        None, description="KServe's router.scheduler (the endpoint picker); {} for the defaults.")
    route: dict[str, Any] | None = Field(None, description="KServe's router.route (an HTTPRoute); {} for a managed one.")
    gateway: dict[str, Any] | None = Field(
        None, description="KServe's router.gateway; {} for the default Gateway, or refs to your own.")


class LoraAdapter(StrictModel):
    name: Text = Field(description="Name of the adapter: clients send it as the model of a request.")
    uri: Text = Field(description="Where the adapter is: hf://, s3:// or pvc:// (as model.uri).")


class Lora(StrictModel):
    adapters: Annotated[list[LoraAdapter], Field(min_length=1)] = Field(
        description="LoRA adapters served beside the base model (model.lora.adapters).")
    maxRank: Annotated[Int, Field(ge=1)] | None = Field(
        None, description="Largest adapter rank vLLM accepts (--max-lora-rank); omitted: KServe's default.")
    maxAdapters: Annotated[Int, Field(ge=1)] | None = Field(
        None, description="Adapters held in GPU memory at once (--max-loras); omitted: KServe's default.")
    maxCpuAdapters: Annotated[Int, Field(ge=1)] | None = Field(
        None, description="Adapters cached in CPU memory (--max-cpu-loras); omitted: KServe's default.")


class Tracing(StrictModel):
    exporter: Text | None = Field(None, description="OpenTelemetry exporter (spec.tracing.exporter).")
    exporterEndpoint: Text | None = Field(None, description="Where traces go, e.g. http://otel-collector:4317.")
    sampler: Text | None = Field(None, description="OpenTelemetry sampler, e.g. always_on or parentbased_traceidratio.")
    samplerArg: Text | None = Field(None, description="The sampler's argument, e.g. 0.1.")


class KVCacheOffloading(StrictModel):
    cpu: Quantity = Field(description="CPU memory the KV cache spills into from the GPU, e.g. 10Gi.")
    evictionPolicy: Literal["lru", "arc"] | None = Field(
        None, description="lru | arc; omitted: KServe's default (lru).")
    secondary: list[dict[str, Any]] = _empty(
        list, description="Disk tiers below the CPU tier, as KServe writes them ({fileSystem: {emptyDir: {size}}}, "
                          "{fileSystem: {pvc: {spec | ref}}}); validate checks them.")


class Prefill(StrictModel):
    """The prefill pool of a prefill/decode disaggregated LLM: its own pods, container and replica count."""

    replicas: Replicas = Field(Replicas(), description="Prefill pods: min = max (prefill.replicas), or a range "
                                                        "with autoscaling.")
    autoscaling: Autoscaling | None = Field(
        None, description="The prefill pool's Workload Variant Autoscaler (prefill.scaling), as the model's.")
    image: Annotated[str, _checked(re.compile(r"^\S+$"), "a container image reference")] | None = Field(
        None, description="The prefill container's image; omitted: KServe's.")
    command: list[str] = _empty(list, description="The prefill container's command.")
    args: list[str] = _empty(list, description="The prefill container's args (KServe passes them to vllm serve).")
    env: dict[EnvName, str] = _empty(dict, description="Plain environment variables of the prefill container.")
    secretEnv: list[SecretEnv] = _empty(list, description="Environment variables from Secrets (references only).")
    fieldEnv: list[FieldEnv] = _empty(list, description="Environment variables from the pod's fields (fieldRef).")
    resourceEnv: list[ResourceEnv] = _empty(
        list, description="Environment variables from the prefill container's requests and limits (resourceFieldRef).")
    resources: Resources = _fresh(Resources, description="CPU, memory and accelerators of the prefill container.")
    probes: Probes = Field(Probes(), description="Probes of the prefill container.")
    securityContext: SecurityContext | None = Field(None, description="The prefill container's securityContext.")
    volumeMounts: list[VolumeMount] = _empty(
        list, description="Volumes mounted into the prefill container (the model's volumes, or KServe's template's).")
    workers: Workers | None = Field(
        None, description="The prefill pool's parallelism (prefill.parallelism), as the model's workers: "
                          "tensorParallelSize, pipelineParallelSize, dataParallelSize, dataLocalParallelSize, "
                          "expertParallel, dataRPCPort; worker pods when it needs more than one node.")


class LLM(StrictModel):
    modelName: Text | None = Field(
        None, description="Model name clients send in requests (model.name); default: the Model's name.")
    router: LLMRouter | None = Field(
        None, description="How the LLM is exposed: scheduler, route and gateway; omitted: no router.")
    baseRefs: list[SecretName] = _empty(
        list, description="LLMInferenceServiceConfigs of the namespace merged under this spec, in order (spec.baseRefs).")
    lora: Lora | None = Field(None, description="LoRA adapters served on top of the model (model.lora).")
    prefill: Prefill | None = Field(
        None, description="Prefill/decode disaggregation: a separate prefill pool (spec.prefill); the model's own "
                          "pods decode.")
    kvCacheOffloading: KVCacheOffloading | None = Field(
        None, description="Spill the KV cache from GPU to CPU memory and disk tiers (spec.kvCacheOffloading).")
    tracing: Tracing | None = Field(None, description="OpenTelemetry tracing of the LLM's requests (spec.tracing).")


class GraphStep(StrictModel):
    model: Name | None = Field(None, description="A model of the same environment (serving: kserve) this step calls.")
    node: Name | None = Field(None, description="Another node of this graph this step hands over to.")
    url: Annotated[str, _checked(re.compile(r"^https?://\S+$"), "an http:// or https:// URL")] | None = Field(
        None, description="A service outside this environment's models, by URL (serviceUrl).")
    name: Text | None = Field(None, description="Name of the step, unique in its node (Ensemble results are keyed by it).")
    data: Text | None = Field(None, description="What the step receives: $request or $response.")
    weight: Annotated[int, Field(ge=0, le=100, strict=True)] | None = Field(
        None, description="Splitter: share of the requests in percent; a node's weights add up to 100.")
    condition: Text | None = Field(
        None, description="Switch: a GJSON condition on the request that picks this step; Sequence: on the previous "
                          "response, the sequence stops here when it does not match.")
    dependency: Literal["Soft", "Hard"] | None = Field(
        None, description="Hard: the graph fails when this step fails; Soft (KServe's default): it goes on.")
    mapPredictionsToInstances: bool | None = Field(
        None, description="Sequence: pass the previous step's predictions on as this step's instances.")


class GraphNode(StrictModel):
    routerType: Literal["Sequence", "Switch", "Ensemble", "Splitter"] = Field(
        description="Sequence | Switch | Ensemble | Splitter.")
    steps: Annotated[list[GraphStep], Field(min_length=1)] = Field(description="Where the node sends requests.")


class Graph(StrictModel):
    nodes: dict[Name, GraphNode] = Field(description="The graph's nodes by name; requests enter at `root`.")


_JSON_POINTER = re.compile(r"^(/[^/]*)*$")
JsonPointer = Annotated[str, _checked(_JSON_POINTER, "a JSON pointer such as /spec/replicas (or empty for the whole "
                                                     "object)")]


class PatchTarget(StrictModel):
    kind: Annotated[str, _checked(re.compile(r"^[A-Z][A-Za-z0-9]{0,62}$"), "a kind such as Deployment")] = Field(
        description="Kind of the objects to patch, e.g. InferenceService or Deployment.")
    name: SecretName | None = Field(None, description="Only the object of this name; default: every one of the kind.")
    apiVersion: Annotated[str, _checked(re.compile(r"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?v[0-9]+((alpha|beta)[0-9]+)?$"),
                                        "an apiVersion such as apps/v1")] | None = Field(
        None, description="Only objects of this apiVersion, e.g. apps/v1; default: any.")


JSON_PATCH_OPS = ("add", "remove", "replace", "move", "copy", "test")


class JsonPatchOperation(StrictModel):
    """One operation of an RFC 6902 JSON patch, as the RFC spells it."""

    op: Literal["add", "remove", "replace", "move", "copy", "test"] = Field(
        description="add | remove | replace | move | copy | test.")
    path: JsonPointer = Field(description="Where the operation applies, a JSON pointer, e.g. /spec/replicas.")
    value: Any = Field(None, description="The value to add, replace with or test for (add, replace, test).")
    from_: JsonPointer | None = Field(None, alias="from", description="Where move and copy take the value from.")


class Patch(StrictModel):
    target: PatchTarget = Field(description="Which of the release's workload objects the patch applies to.")
    merge: dict[str, Any] | None = Field(
        None, description="An RFC 7386 JSON merge patch: mappings merge, null deletes a key, anything else replaces.")
    json_: list[JsonPatchOperation] | None = Field(
        None, alias="json", description="An RFC 6902 JSON patch: a list of {op, path, value, from} operations.")


def patch_problems(patches: list[Patch]) -> list[SpecProblem]:
    problems: list[SpecProblem] = []
    for i, patch in enumerate(patches):
        if (patch.merge is None) == (patch.json_ is None):
            problems.append((("patches", i), "give exactly one of merge (an RFC 7386 merge patch) and json (an "
                                             "RFC 6902 list of operations)"))
        for j, operation in enumerate(patch.json_ or ()):
            where: FieldPath = ("patches", i, "json", j)
            if operation.op in ("add", "replace", "test") and "value" not in operation.model_fields_set:
                problems.append(((*where, "value"), f"required for op: {operation.op}"))
            if operation.op in ("move", "copy") and operation.from_ is None:
                problems.append(((*where, "from"), f"required for op: {operation.op}"))
            for field in ("value", "from_"):
                if field in operation.model_fields_set and operation.op in (
                        ("remove", "move", "copy") if field == "value" else ("add", "remove", "replace", "test")):
                    problems.append(((*where, field.rstrip("_")), f"does not apply to op: {operation.op}"))
    return problems


# KServe accepts a storage spec only for these (SupportedStorageSpecURIPrefixList, kserve v0.20 component.go).
STORAGE_SPEC_SCHEMES = ("s3", "hdfs", "webhdfs")


class ModelStorage(StrictModel):
    """KServe's storage spec (predictor.model.storage): the model's location through the storage-config Secret."""

    key: Text | None = Field(
        None, description="Key of KServe's storage-config Secret holding the credentials and settings; omitted: "
                          "KServe's default key.")
    path: Text | None = Field(None, description="The model's path in that storage, e.g. /user/me/models/iris.")
    schemaPath: Text | None = Field(None, description="Path of the model's schema file in that storage.")
    parameters: dict[str, str] = _empty(
        dict, description="Settings that override the key's, e.g. {type: s3, bucket: models} (type: s3, hdfs or "
                          "webhdfs).")


class ModelSpec(StrictModel):
    version: Version | None = Field(
        None, description="Model version; environments may pin their own (the field `gitops-gen promote` moves).")
    # Not needed by serving: graph or helm; serving: llm defaults it to huggingface (model_spec_problems).
    format: Format | None = Field(
        None, description="Model format (KServe modelFormat), or custom for your own server image; not for helm.")
    serving: Literal["kserve", "deployment", "jsonnet", "llm", "graph", "helm"] = Field(
        "kserve", description="kserve: an InferenceService; deployment: Deployment + Service; jsonnet: your component; "
                              "llm: an LLMInferenceService; graph: an InferenceGraph over other models; "
                              "helm: a Helm chart.")
    chart: Annotated[Chart, ON_FIRST_USE] | None = Field(None, description="The Helm chart to install (serving: helm).")
    values: dict[str, Any] = _empty(
        dict, description="Helm values of the chart (serving: helm), deep-merged per environment.")
    releaseName: Annotated[str, _checked(_RELEASE_NAME, "a Helm release name (a DNS-1123 label, at most 53)")] | None \
        = Field(None, description="Helm release name (serving: helm); default: the model's name.")
    storageUri: Text | None = Field(
        None, description="Where the model artifacts are, e.g. s3://models/x/{{ version }}; required for kserve.")
    runtime: Name | None = Field(
        None, description="KServe ServingRuntime to pin (runtime auto-selection depends on what is installed).")
    runtimeVersion: Text | None = Field(
        None, description="Version (image tag) of the KServe runtime's server, e.g. 2.6.2.")
    protocol: Protocol | None = Field(
        None, description="Inference protocol: v1, v2 (Open Inference Protocol), grpc-v1 or grpc-v2; serving: "
                          "kserve: omitted = the runtime's default; deployment: default v2.")
    grpcPort: Annotated[Int, Field(ge=1, le=65535)] | None = Field(
        None, description="serving: kserve: the gRPC port to expose (h2c in Knative mode, grpc-port in Standard); "
                          "default with protocol grpc-v1/grpc-v2: the runtime's gRPC port.")
    deploymentMode: Literal["Standard", "Knative"] = Field(
        "Standard", description="KServe deployment mode: Standard (a Deployment) or Knative (scale to zero, rps scaling).")
    image: Annotated[str, _checked(re.compile(r"^\S+$"), "a container image reference")] | None = Field(
        None, description="Model server image; required for serving: deployment and for format: custom.")
    port: Annotated[Int, Field(ge=1, le=65535)] | None = Field(
        None, description="Port your server listens on (serving: deployment, format: custom); default 8080.")
    command: list[str] = _empty(
        list, description="Command of the serving container (its entrypoint); empty: the image's or runtime's.")
    args: list[str] = _empty(
        list, description="Arguments of the serving container, e.g. [--model_id=org/model]; empty: the default.")
    probes: Probes = Field(
        Probes(), description="readiness, liveness and startup probes of the serving container (Kubernetes Probes).")
    resources: Resources = _fresh(Resources, description="CPU, memory and accelerators of the serving container.")
    serviceAccountName: SecretName | None = Field(
        None, description="Service account of the serving pods (e.g. one with storage credentials).")
    imagePullSecrets: list[SecretName] = _empty(
        list, description="Secrets with registry credentials for pulling the serving pods' images.")
    annotations: dict[str, str] = _empty(
        dict, description="Annotations of the serving object (InferenceService, or Deployment and its pods).")
    podAnnotations: dict[str, str] = _empty(
        dict, description="Annotations of the serving pods only: KServe's predictor.annotations, the Deployment's "
                          "pod template, an LLMInferenceService's pods (spec.annotations); beside annotations.")
    replicas: Replicas = Field(Replicas(), description="Replica range; max above min means autoscaling.")
    autoscaling: Autoscaling | None = Field(
        None, description="Which autoscaler, what it scales on, and its target.")
    transformer: Annotated[Component, ON_FIRST_USE] | None = Field(
        None, description="serving: kserve: a transformer container in front of the predictor.")
    explainer: Annotated[Component, ON_FIRST_USE] | None = Field(
        None, description="serving: kserve: an explainer container beside the predictor.")
    containerConcurrency: ContainerConcurrency | None = Field(
        None, description="serving: kserve: most requests a predictor replica handles at once (0: no limit).")
    timeout: TimeoutSeconds | None = Field(
        None, description="serving: kserve: seconds a request to the predictor may take.")
    logger: Annotated[Logger, ON_FIRST_USE] | None = Field(
        None, description="serving: kserve: log the predictor's requests and responses as CloudEvents (KServe's "
                          "logger: mode, url, storage, metadataHeaders, ...).")
    batcher: Annotated[Batcher, ON_FIRST_USE] | None = Field(
        None, description="serving: kserve: batch the predictor's requests: maxBatchSize, maxLatency (ms), timeout (s).")
    deploymentStrategy: Annotated[DeploymentStrategy, ON_FIRST_USE] | None = Field(
        None, description="serving: kserve, deploymentMode: Standard: how the predictor's Deployment rolls out "
                          "(type: RollingUpdate or Recreate, rollingUpdate: {maxSurge, maxUnavailable}); omitted: "
                          "KServe's default.")
    storageUris: Annotated[list[Annotated[StorageUri, ON_FIRST_USE]], Field(min_length=1)] | None = Field(
        None, description="serving: kserve: several model locations, each downloaded to its mountPath (default "
                          "/mnt/models), instead of storageUri.")
    storage: Annotated[ModelStorage, ON_FIRST_USE] | None = Field(
        None, description="serving: kserve: the model's location through KServe's storage-config Secret (key, path, "
                          "schemaPath, parameters: predictor.model.storage), instead of or with an s3://, hdfs:// or "
                          "webhdfs:// storageUri.")
    formatVersion: Text | None = Field(
        None, description="serving: kserve: the version of the model format (modelFormat.version), which KServe "
                          "matches against the runtimes' supported formats, e.g. \"2\".")
    rollout: RolloutSpec = Field(RolloutSpec(), description="How a new version is rolled out.")
    monitoring: Monitoring = Field(Monitoring(), description="Metrics scraping, alerts and dashboard.")
    env: dict[EnvName, str] = _empty(dict, description="Plain environment variables of the model server container.")
    secretEnv: list[SecretEnv] = _empty(
        list, description="Environment variables taken from Kubernetes Secrets (references only, never values).")
    fieldEnv: list[Annotated[FieldEnv, ON_FIRST_USE]] = _empty(
        list, description="Environment variables from the pod's own fields (Kubernetes' downward API, fieldRef), "
                          "e.g. {name: POD_IP, fieldPath: status.podIP}.")
    resourceEnv: list[Annotated[ResourceEnv, ON_FIRST_USE]] = _empty(
        list, description="Environment variables from the serving container's requests and limits "
                          "(resourceFieldRef), e.g. {name: MEMORY_LIMIT, resource: limits.memory, divisor: 1Mi}.")
    securityContext: Annotated[SecurityContext, ON_FIRST_USE] | None = Field(
        None, description="The serving container's securityContext (Kubernetes' SecurityContext: runAsNonRoot, "
                          "runAsUser, capabilities, ...).")
    podSecurityContext: Annotated[PodSecurityContext, ON_FIRST_USE] | None = Field(
        None, description="The serving pods' securityContext (Kubernetes' PodSecurityContext: fsGroup, runAsUser, "
                          "sysctls, ...): the model's pods, an LLM's worker and prefill pods too.")
    volumes: list[Annotated[Volume, ON_FIRST_USE]] = _empty(
        list, description="Volumes of the serving pods (emptyDir, persistentVolumeClaim, configMap, secret, hostPath, "
                          "nfs, csi, ephemeral, image), mounted with volumeMounts.")
    volumeMounts: list[Annotated[VolumeMount, ON_FIRST_USE]] = _empty(
        list, description="Volumes mounted into the serving container: name, mountPath, readOnly, subPath, ...")
    nodeSelector: dict[LabelKey, LabelValue] = _empty(dict, description="Node labels the pods must run on.")
    tolerations: list[Annotated[Toleration, ON_FIRST_USE]] = _empty(list, description="Taints the pods tolerate.")
    component: Text | None = Field(
        None, description="Jsonnet component, a path under components/; required for serving: jsonnet.")
    templates: list[Text] = _empty(
        list, description="Jinja2 templates (paths under templates/) rendered per release into extra manifests.")
    argocd: Annotated[ArgoCDModelSettings, ON_FIRST_USE] | None = Field(
        None, description="Argo CD settings of this model's Applications: ignoreDifferences and syncOptions.")
    workers: Annotated[Workers, ON_FIRST_USE] | None = Field(
        None, description="Multi-node/multi-GPU serving: KServe's workerSpec, or an LLMInferenceService's parallelism.")
    modelCache: Annotated[ModelCache, ON_FIRST_USE] | None = Field(
        None, description="Keep the model on the nodes' disks: a LocalModelCache for storageUri.")
    llm: Annotated[LLM, ON_FIRST_USE] | None = Field(None, description="serving: llm: served model name and router.")
    graph: Annotated[Graph, ON_FIRST_USE] | None = Field(None, description="serving: graph: the InferenceGraph's nodes.")
    patches: list[Annotated[Patch, ON_FIRST_USE]] = _empty(
        list, description="JSON merge patches (RFC 7386) and JSON patches (RFC 6902) applied to the release's workload "
                        "objects after they are built; the results are validated.")


# Runtimes that speak a protocol other than the one KServe assumes when none is written (v1), by
# format: without `protocol`, KServe finds no runtime for these (config/runtimes, KServe v0.20).
_PROTOCOLS_BY_FORMAT = {"mlflow": ("v2",), "onnx": ("v1", "v2", "grpc-v2"), "triton": ("v2", "grpc-v2"),
                        "tensorflow": ("v1", "grpc-v1", "v2", "grpc-v2"), "pytorch": ("v1", "v2", "grpc-v2")}
_HTTP_PROTOCOLS = ("v1", "v2")
# Annotations gitops-gen writes from fields of its own: set them through those fields.
OWN_ANNOTATIONS = {"serving.kserve.io/deploymentMode": "deploymentMode",
                    "serving.kserve.io/autoscalerClass": "autoscaling.class",
                    "serving.kserve.io/enable-prometheus-scraping": "monitoring.metrics"}


# The OpenTelemetry operator injects the collector this annotation names into the pods.
OTEL_SIDECAR = "sidecar.opentelemetry.io/inject"


def otel_collector(spec: ModelSpec) -> bool:
    """Whether KServe makes an OpenTelemetry collector for the predictor (an OpenTelemetry metric under KEDA,
    with metricNames), whose sidecar gitops-gen then asks for (OTEL_SIDECAR)."""
    scaling = spec.autoscaling
    return (spec.serving == "kserve" and scaling is not None and scaling.metric == "opentelemetry"
            and scaling.metricNames is not None and scaling.autoscalerClass == "keda")


# The serving kinds whose serving containers gitops-gen writes (pods.container()).
_OWN_CONTAINERS = ("kserve", "deployment", "llm")


def model_spec_problems(spec: ModelSpec) -> list[SpecProblem]:
    """Cross-field rules of a resolved model spec, as (field path, message).

    Run once per model and environment (thousands of times for a big fleet), so the rules about a field are
    only asked when it is written (``written``): a rule's default values never break it."""
    written = spec.model_fields_set
    problems = _serving_kind_problems(spec)
    if spec.format is None and spec.serving in ("kserve", "deployment", "jsonnet"):
        problems.append((("format",), f"required for serving: {spec.serving}"))
    if spec.serving == "helm" or not written.isdisjoint(_HELM_FIELDS):
        problems.extend(_helm_problems(spec))
    kserve = spec.serving == "kserve"
    if kserve and spec.format != "custom" and not spec.storageUri and spec.storageUris is None and spec.storage is None:
        if not (spec.format == "huggingface" and any(a.split("=")[0] == "--model_id" for a in spec.args)):
            problems.append((("storageUri",), "required for serving: kserve (or storageUris, or storage"
                             + (", or args naming --model_id)" if spec.format == "huggingface" else ")")))
    if spec.serving == "deployment" or (kserve and spec.format == "custom"):
        if not spec.image:
            problems.append((("image",), f"required for serving: {spec.serving} with format: {spec.format}"
                             if kserve else "required for serving: deployment"))
    if spec.serving == "jsonnet" and not spec.component:
        problems.append((("component",), "required for serving: jsonnet"))
    if spec.serving in ("jsonnet", "helm") or not written.isdisjoint(_SCOPED_FIELDS):
        problems.extend(_field_scope_problems(spec))
    if spec.patches:
        problems.extend(patch_problems(spec.patches))
    problems.extend(_protocol_problems(spec))
    if "replicas" in written or "autoscaling" in written:
        problems.extend(_replicas_problems(spec))
    if spec.autoscaling is not None:
        problems.extend(_autoscaling_problems(spec))
    for i, t in enumerate(spec.templates):
        if not t.startswith("templates/"):
            problems.append((("templates", i), f"{t!r} must be a path under templates/ in the source tree"))
    if spec.component and not spec.component.startswith("components/"):
        problems.append((("component",), f"{spec.component!r} must be a path under components/ in the source tree"))
    for key in spec.annotations:
        if key in OWN_ANNOTATIONS:
            problems.append((("annotations", key), f"set by gitops-gen from {OWN_ANNOTATIONS[key]}: write that field"))
        elif key == OTEL_SIDECAR and otel_collector(spec):
            problems.append((("annotations", key), "set by gitops-gen from autoscaling.metricNames: the collector "
                                                   "KServe makes for them is named after the predictor"))
    if "rollout" in written:
        problems.extend(_rollout_problems(spec))
    if "monitoring" in written:
        problems.extend(_monitoring_problems(spec))
    if spec.argocd is not None:
        problems.extend(_argocd_model_problems(spec))
    # The pod is all ours (so every mount must name one of its volumes) except where KServe merges a
    # ServingRuntime's or its LLM template's pod into it, which may bring volumes of their own.
    own_pod = spec.serving == "deployment" or (kserve and spec.format == "custom")
    if not written.isdisjoint(_CONTAINER_FIELDS):
        if spec.serving in _OWN_CONTAINERS:
            problems.extend(container_problems(spec, (), spec.volumes if own_pod else None))
            problems.extend(pod_problems(spec, ()))
        else:  # the rest is refused where the container is not ours (unread_fields)
            problems.extend(env_problems(spec.env, spec.secretEnv, (), spec.fieldEnv, spec.resourceEnv))
    problems.extend(resources_problems(spec.resources, ("resources",)))
    if "probes" in written:
        problems.extend(probe_problems(spec.probes, ("probes",), merged=spec.serving == "llm"))
    if kserve:
        # Each only when written: most specs have neither.
        if spec.deploymentStrategy is not None:
            problems.extend(strategy_problems(spec.deploymentStrategy, ("deploymentStrategy",), spec.deploymentMode))
        if spec.storageUris is not None:
            problems.extend(storage_uris_problems(spec))
        if spec.storage is not None:
            problems.extend(_storage_spec_problems(spec))
    for name in ("transformer", "explainer"):
        component = getattr(spec, name)
        if component is not None:
            problems.extend(_component_problems(component, name))
            if component.deploymentStrategy is not None:
                problems.extend(strategy_problems(component.deploymentStrategy, (name, "deploymentStrategy"),
                                                  spec.deploymentMode))
            if component.collocated:  # in the predictor's pod, with its volumes (its own are refused)
                problems.extend(container_problems(component, (name,), spec.volumes if own_pod else None))
            else:
                problems.extend(container_problems(component, (name,), component.volumes))
                problems.extend(pod_problems(component, (name,)))
            problems.extend(resources_problems(component.resources, (name, "resources")))
            problems.extend(probe_problems(component.probes, (name, "probes")))
            problems.extend(_range_problems(component.replicas, (name, "replicas")))
            if component.autoscaling is not None and not component.collocated:
                problems.extend(component_autoscaling_problems(spec, component.autoscaling, name))
    # Last: a field another rule already refused (with its own reason) is not refused twice.
    unread = unread_field_problems(spec)
    if unread:
        refused = {path[:1] for path, _ in problems}
        problems.extend((path, message) for path, message in unread if path[:1] not in refused)
    return problems


# The fields that can break the rules model_spec_problems asks only when one of them is written.
_HELM_FIELDS = frozenset({"chart", "values", "releaseName"})
_SCOPED_FIELDS = frozenset({"transformer", "explainer", "runtimeVersion", "grpcPort", "runtime", "protocol"})
_CONTAINER_FIELDS = frozenset({"env", "secretEnv", "fieldEnv", "resourceEnv", "securityContext", "volumeMounts",
                               "volumes", "podSecurityContext"})


def _storage_spec_problems(spec: ModelSpec) -> list[SpecProblem]:
    """KServe's rules for a storage spec (validateStorageSpec): an s3, hdfs or webhdfs location only."""
    storage = spec.storage
    assert storage is not None  # checked only when written
    problems: list[SpecProblem] = []
    if spec.storageUris is not None:
        problems.append((("storage",), "KServe reads a storage spec with storageUri, not with storageUris"))
    if spec.storageUri and spec.storageUri.split("://")[0] not in STORAGE_SPEC_SCHEMES:
        problems.append((("storageUri",), "with storage, KServe accepts only an s3://, hdfs:// or webhdfs:// URI"))
    kind = storage.parameters.get("type")
    if kind is not None and kind not in STORAGE_SPEC_SCHEMES:
        problems.append((("storage", "parameters", "type"), f"{kind!r}: KServe's storage spec supports s3, hdfs "
                                                            "and webhdfs"))
    return problems


# What each serving kind's builder never reads (builders/workloads.py SERVING and the modules it names), and why.
# serving: jsonnet reads little, but its component receives the whole spec (builders/extensions.py context):
# only what no component may set (containers and objects beside its own) is unread there.
_HELM_UNREAD = ("format", "storageUri", "runtime", "protocol", "deploymentMode", "image", "resources", "replicas",
                "autoscaling", "env", "secretEnv", "nodeSelector", "tolerations", "command", "args", "probes",
                "serviceAccountName", "imagePullSecrets", "annotations", "fieldEnv", "resourceEnv", "securityContext",
                "podSecurityContext", "volumes", "volumeMounts", "podAnnotations")
_JSONNET_UNREAD = ("command", "args", "probes", "runtimeVersion", "grpcPort", "serviceAccountName", "imagePullSecrets",
                   "annotations", "transformer", "explainer", "securityContext", "podSecurityContext", "volumes",
                   "volumeMounts", "podAnnotations")
_GRAPH_ELSEWHERE = ("format", "storageUri", "image", "runtime", "workers", "modelCache")
_GRAPH_CONTAINER = ("command", "args", "probes", "env", "secretEnv", "imagePullSecrets", "protocol", "port", "fieldEnv",
                    "resourceEnv", "securityContext", "podSecurityContext", "volumes", "volumeMounts",
                    "podAnnotations")
_NOT_KSERVE = {"transformer": "a KServe transformer", "explainer": "a KServe explainer",
               "runtimeVersion": "the KServe runtime's version", "grpcPort": "the KServe predictor's gRPC port",
               "containerConcurrency": "the KServe predictor's concurrency limit",
               "timeout": "the KServe predictor's request timeout", "logger": "KServe's request logger",
               "batcher": "KServe's batcher", "deploymentStrategy": "the KServe predictor's Deployment strategy",
               "storageUris": "KServe's storage initializer", "storage": "KServe's storage initializer",
               "formatVersion": "the KServe model format's version"}
_CUSTOM = "applies to a KServe runtime, not to format: custom: your image serves"


@lru_cache(maxsize=256)  # a handful of combinations, asked once per release
def unread_fields(serving: str, format: str | None, metrics: bool) -> Mapping[str, str]:
    """The Model spec fields that a release of this serving kind (and format) never reads, each with the
    reason: written on a model, they are refused; in an environment's overrides, skipped for that model
    (resolve/fleet.py), so one environment may run models of every kind."""
    unread: dict[str, str] = {}
    if serving != "helm":
        unread.update({field: "only for serving: helm" for field in ("chart", "values", "releaseName")})
    if serving != "llm":
        unread["llm"] = f"applies to serving: llm only (this model has serving: {serving})"
    if serving != "graph":
        unread["graph"] = f"applies to serving: graph only (this model has serving: {serving})"
    if serving != "jsonnet":
        unread["component"] = "only serving: jsonnet runs a component"
    if serving not in ("kserve", "jsonnet"):
        unread.update({field: f"{what}: applies to serving: kserve, not serving: {serving}"
                       for field, what in _NOT_KSERVE.items()})
    if serving not in ("kserve", "llm", "jsonnet"):
        unread["workers"] = "multi-node serving is KServe's: serving: kserve or llm"
        unread["modelCache"] = "a LocalModelCache serves KServe's storage initializer: serving: kserve or llm"
    if serving not in ("kserve", "graph", "jsonnet"):
        unread["deploymentMode"] = "KServe's deployment mode applies to serving: kserve and graph"
    if serving == "kserve" and format == "custom":
        fetches_its_own = ("KServe's storage initializer fetches a runtime's model; with format: custom your image "
                           "fetches its own: pass its location in env or args")
        unread.update({"runtime": _CUSTOM, "runtimeVersion": _CUSTOM, "protocol": _CUSTOM, "formatVersion": _CUSTOM,
                       "storageUri": fetches_its_own, "storage": fetches_its_own})
    elif serving == "kserve":
        unread["image"] = "a KServe runtime brings its own image; image applies to format: custom"
        unread["port"] = ("a KServe runtime listens on its own port; port applies to format: custom, and grpcPort "
                          "exposes gRPC")
    elif serving == "deployment":
        unread.update({"storageUri": "your image loads its own model: pass its location in env or args",
                       "runtime": "only serving: kserve picks a ServingRuntime"})
    elif serving == "llm":
        unread.update({"runtime": "an LLMInferenceService has no ServingRuntime",
                       "protocol": "vLLM serves the OpenAI API",
                       "port": "KServe's vLLM template listens on 8000"})
    elif serving == "graph":
        unread.update(dict.fromkeys(_GRAPH_ELSEWHERE, "its steps call other models, which say what they serve"))
        unread.update(dict.fromkeys(_GRAPH_CONTAINER, "KServe runs its own router container"))
    elif serving == "helm":
        unread.update(dict.fromkeys(_HELM_UNREAD, "the chart builds its own objects: set it in values"))
        if not metrics:
            unread["port"] = "serving: helm reads port only to scrape the chart's pods, with monitoring.metrics: true"
    elif serving == "jsonnet":
        unread.update(dict.fromkeys(_JSONNET_UNREAD, "the component builds its own objects"))
    return MappingProxyType(unread)


def unread_field_problems(spec: ModelSpec) -> list[SpecProblem]:
    """Fields written where they mean nothing: refused, never dropped."""
    unread = unread_fields(spec.serving, spec.format, spec.monitoring.metrics)
    written = spec.model_fields_set
    problems: list[SpecProblem] = [] if written.isdisjoint(unread) else [
        ((field,), f"not used with serving: {spec.serving} ({why})") for field, why in unread.items() if field in written]
    if spec.serving == "graph" and spec.autoscaling is not None and _written(spec.autoscaling, "autoscalerClass"):
        # An InferenceGraph gets scaleMetric/scaleTarget only (builders/graph.py).
        problems.append((("autoscaling", "class"), "not used with serving: graph (an InferenceGraph takes a metric "
                                                   "and a target: KServe picks its autoscaler)"))
    return problems


def _written(spec: StrictModel, field: str) -> bool:
    return field in spec.model_fields_set


def _field_scope_problems(spec: ModelSpec) -> list[SpecProblem]:
    """Fields written where they mean nothing: refused, never dropped."""
    problems: list[SpecProblem] = []
    kserve = spec.serving == "kserve"
    if spec.serving == "jsonnet":
        for field in ("command", "args", "probes", "runtimeVersion", "grpcPort", "serviceAccountName",
                      "imagePullSecrets", "annotations", "transformer", "explainer"):
            if _written(spec, field):
                problems.append(((field,), "does not apply to serving: jsonnet: the component builds its own objects"))
        return problems
    if spec.serving == "helm":
        for field in ("command", "args", "probes", "serviceAccountName", "imagePullSecrets", "annotations"):
            if _written(spec, field):
                problems.append(((field,), "does not apply to serving: helm: the chart builds its own objects "
                                           "(set it in values)"))
    if not kserve:
        for field, what in (("transformer", "a KServe transformer"), ("explainer", "a KServe explainer"),
                            ("runtimeVersion", "the KServe runtime's version"),
                            ("grpcPort", "the KServe predictor's gRPC port")):
            if _written(spec, field):
                problems.append(((field,), f"{what}: applies to serving: kserve, not serving: {spec.serving}"))
    elif spec.format == "custom":
        for field in ("runtime", "runtimeVersion", "protocol"):
            if _written(spec, field):
                problems.append(((field,), "applies to a KServe runtime, not to format: custom (your image serves"
                                           + ("; expose gRPC with grpcPort)" if field == "protocol" else ")")))
    return problems


def _protocol_problems(spec: ModelSpec) -> list[SpecProblem]:
    problems: list[SpecProblem] = []
    protocol = spec.protocol
    if spec.serving == "deployment" and protocol not in (None, *_HTTP_PROTOCOLS):
        problems.append((("protocol",), f"{protocol} applies to serving: kserve; serving: deployment probes the "
                                        "HTTP endpoints of v1 or v2"))
    if spec.serving != "kserve" or spec.format == "custom" or spec.runtime:
        return problems
    supported = _PROTOCOLS_BY_FORMAT.get(spec.format or "", _HTTP_PROTOCOLS)
    if protocol is None and "v1" not in supported:
        problems.append((("format",), f"KServe looks for a runtime speaking v1 when protocol is not written, and "
                                      f"none serves format: {spec.format} over v1: write protocol: {supported[0]}"))
    elif protocol is not None and protocol not in supported:
        grpc = " (KServe's Python servers answer gRPC on v2: keep protocol: v2 and set grpcPort: 8081)" \
            if protocol.startswith("grpc") and "v2" in supported else ""
        problems.append((("protocol",), f"no KServe runtime serves format: {spec.format} over {protocol}; it "
                                        f"speaks {', '.join(supported)}{grpc}"))
    return problems


def _range_problems(replicas: Replicas, where: tuple) -> list[SpecProblem]:
    if replicas.min is not None and replicas.max is not None and replicas.min > replicas.max:
        return [((*where, "min"), f"min ({replicas.min}) is greater than max ({replicas.max})")]
    return []


def _replicas_problems(spec: ModelSpec) -> list[SpecProblem]:
    problems = _range_problems(spec.replicas, ("replicas",))
    knative = spec.serving == "kserve" and spec.deploymentMode == "Knative"
    keda = spec.serving == "kserve" and spec.autoscaling is not None and spec.autoscaling.autoscalerClass == "keda"
    if spec.replicas.min == 0 and not (knative or keda):
        problems.append((("replicas", "min"), "scale to zero (min: 0) needs serving: kserve with deploymentMode: "
                                              "Knative or autoscaling.class: keda"))
    if (spec.serving == "deployment" and spec.autoscaling is not None and spec.replicas.max is None
            and spec.autoscaling.autoscalerClass != "none"):
        problems.append((("autoscaling",), "a HorizontalPodAutoscaler needs a maximum: set replicas.max"))
    return problems


# Autoscaling fields by the metric they belong to (builders/kserve.py _keda_metric): each refused elsewhere.
_METRIC_FIELDS = {"query": ("prometheus", "opentelemetry"), "serverAddress": ("prometheus", "opentelemetry"),
                  "metricNames": ("opentelemetry",), "authenticationRef": ("prometheus",),
                  "authModes": ("prometheus",), "queryNamespace": ("prometheus",),
                  "operationOverTime": ("opentelemetry",)}
_KEDA_METRICS = ("prometheus", "opentelemetry")


def _autoscaling_problems(spec: ModelSpec) -> list[SpecProblem]:
    scaling = spec.autoscaling
    problems: list[SpecProblem] = []
    if scaling is None:
        return problems
    if spec.serving == "llm":
        return problems  # KServe's Workload Variant Autoscaler: _llm_scaling_problems
    for field in ("variantCost", "behavior", "keda"):
        if _written(scaling, field):
            problems.append((("autoscaling", field), "applies to serving: llm only (KServe's Workload Variant "
                                                     "Autoscaler)"))
    knative = spec.serving == "kserve" and spec.deploymentMode == "Knative"
    cls = scaling.autoscalerClass
    where = ("autoscaling", "class")
    if cls is not None:
        if spec.serving == "deployment" and cls not in ("hpa", "none"):
            problems.append((where, f"{cls} applies to serving: kserve; serving: deployment scales with a "
                                    "HorizontalPodAutoscaler (hpa) or not at all (none)"))
        elif knative and cls != "kpa":
            problems.append((where, f"{cls} needs deploymentMode: Standard; in Knative mode Knative's own "
                                    "autoscaler scales (class: kpa)"))
        elif spec.serving == "kserve" and not knative and cls == "kpa":
            problems.append((where, "kpa is Knative's autoscaler: it needs deploymentMode: Knative"))
    if cls == "none" and any(_written(scaling, f) for f in ("metric", "target", *_METRIC_FIELDS)):
        problems.append((where, "none scales nothing: leave out metric, target and query"))
        return problems
    problems.extend(_metric_problems(scaling, ("autoscaling",), cls, knative))
    return problems


def _metric_problems(scaling: Autoscaling, where: tuple, cls: str | None, knative: bool) -> list[SpecProblem]:
    """A metric and what goes with it, for the predictor or a component (whose class is the model's)."""
    problems: list[SpecProblem] = []
    metric = scaling.metric
    if metric in ("concurrency", "rps") and not knative:
        problems.append(((*where, "metric"),
                         f"{metric} autoscaling needs serving: kserve with deploymentMode: Knative "
                         "(a HorizontalPodAutoscaler scales on cpu or memory)"))
    if metric in _KEDA_METRICS:
        if cls != "keda":
            what = "runs the query" if metric == "prometheus" else "reads the metric from its OpenTelemetry add-on"
            problems.append(((*where, "metric"), f"{metric} needs class: keda (KEDA {what})"
                             + ("" if where == ("autoscaling",) else "; the class is the model's autoscaling.class")))
        if scaling.query is None:
            problems.append(((*where, "query"), f"required for metric: {metric}"))
    for field, metrics in _METRIC_FIELDS.items():
        if _written(scaling, field) and metric not in metrics:
            problems.append(((*where, field), f"applies to metric: {' or '.join(metrics)}"))
    if scaling.authModes is not None and scaling.authenticationRef is None and metric == "prometheus":
        problems.append(((*where, "authModes"), "needs authenticationRef: the TriggerAuthentication holding the "
                                                "credentials for these modes"))
    if cls == "keda" and metric is not None and scaling.target is None:
        problems.append(((*where, "target"), "required with class: keda (KEDA needs a target per metric)"))
    if metric in ("cpu", "memory") and scaling.target is not None and scaling.target > 100:
        problems.append(((*where, "target"), "a cpu/memory target is a utilization percentage (1-100)"))
    return problems


def component_autoscaling_problems(spec: ModelSpec, scaling: Autoscaling, name: str) -> list[SpecProblem]:
    """A transformer's or explainer's own metric and target (checked only when written): KServe's
    ComponentExtensionSpec, under the one autoscaler class of the InferenceService."""
    where = (name, "autoscaling")
    problems: list[SpecProblem] = []
    if _written(scaling, "autoscalerClass"):
        problems.append(((*where, "class"), "the autoscaler class is the InferenceService's (one "
                                            "serving.kserve.io/autoscalerClass for all its components): set "
                                            "autoscaling.class on the model"))
    for field in ("variantCost", "behavior", "keda"):
        if _written(scaling, field):
            problems.append(((*where, field), "applies to serving: llm only (KServe's Workload Variant Autoscaler)"))
    if scaling.metric == "opentelemetry":
        problems.append(((*where, "metric"), "opentelemetry applies to the predictor only (gitops-gen annotates "
                                             "the InferenceService for the predictor's OpenTelemetry collector)"))
        return problems
    cls = spec.autoscaling.autoscalerClass if spec.autoscaling is not None else None
    if cls == "none" and any(_written(scaling, f) for f in ("metric", "target", *_METRIC_FIELDS)):
        problems.append((where, "the model's autoscaling.class: none scales nothing: leave out metric, target "
                                "and query"))
        return problems
    problems.extend(_metric_problems(scaling, where, cls, spec.deploymentMode == "Knative"))
    return problems


def _serving_kind_problems(spec: ModelSpec) -> list[SpecProblem]:
    """Fields that only some serving kinds or modes have: each refused where it would mean nothing."""
    problems: list[SpecProblem] = []
    serving = spec.serving
    if spec.llm is not None and serving != "llm":
        problems.append((("llm",), f"applies to serving: llm only (this model has serving: {serving})"))
    if spec.graph is not None and serving != "graph":
        problems.append((("graph",), f"applies to serving: graph only (this model has serving: {serving})"))
    if serving == "graph":
        if spec.graph is None:
            problems.append((("graph",), "required for serving: graph (its nodes and their steps)"))
        for field in ("storageUri", "image", "runtime", "component", "workers", "modelCache"):
            if getattr(spec, field) is not None:
                problems.append(((field,), "does not apply to serving: graph: its steps call other models, "
                                           "which say what they serve"))
        for field in ("command", "args", "probes", "env", "secretEnv", "imagePullSecrets", "protocol", "port"):
            if _written(spec, field):
                problems.append(((field,), "does not apply to serving: graph: KServe runs its own router container"))
        if spec.rollout.strategy != "direct":
            problems.append((("rollout", "strategy"), f"{spec.rollout.strategy} does not apply to serving: graph "
                                                      "(roll out the models it calls; a Splitter node splits traffic)"))
        if spec.monitoring.metrics:
            problems.append((("monitoring", "metrics"), "does not apply to serving: graph: monitor the models it calls"))
        if spec.graph is not None:
            problems.extend(_graph_problems(spec.graph))
    if serving == "llm":
        if not spec.storageUri:
            problems.append((("storageUri",), "required for serving: llm (the model's URI, e.g. hf://org/model)"))
        if spec.format not in (None, "huggingface"):
            problems.append((("format",), f"serving: llm serves huggingface models with vLLM, not {spec.format}"))
        for field, why in (("runtime", "LLMInferenceService has no ServingRuntime"),
                           ("protocol", "vLLM serves the OpenAI API"),
                           ("port", "KServe's vLLM template listens on 8000"),
                           ("component", "the component builds its own objects")):
            if _written(spec, field):
                problems.append(((field,), f"does not apply to serving: llm: {why}"))
        problems.extend(_llm_scaling_problems(spec.replicas, spec.autoscaling, ()))
        if spec.llm is not None:
            problems.extend(_llm_problems(spec.llm))
    if spec.workers is not None:
        problems.extend(_workers_problems(spec))
    if spec.modelCache is not None:
        if serving not in ("kserve", "llm"):
            problems.append((("modelCache",), f"does not apply to serving: {serving}: a LocalModelCache serves "
                                              "KServe's storage initializer (serving: kserve or llm)"))
        elif not spec.storageUri:
            problems.append((("modelCache",), "needs a storageUri: the cache holds what that URI points at"))
    return problems


def _llm_scaling_problems(replicas: Replicas, scaling: Autoscaling | None, where: tuple) -> list[SpecProblem]:
    """An LLM's pods: a fixed count (spec.replicas), or KServe's Workload Variant Autoscaler between
    replicas.min and max (spec.scaling, whose actuator is an HPA or KEDA); for the model or its prefill pool."""
    if scaling is None:
        if replicas.min != replicas.max:
            return [((*where, "replicas"), "serving: llm runs a fixed number of replicas (spec.replicas): set min = "
                                           "max, leave replicas out (KServe's default: 1), or add autoscaling (class: "
                                           "hpa or keda: KServe's Workload Variant Autoscaler)")]
        return []
    problems: list[SpecProblem] = []
    at = (*where, "autoscaling")
    cls = scaling.autoscalerClass
    if cls not in ("hpa", "keda"):
        problems.append(((*at, "class"), ("required" if cls is None else f"{cls} does not apply")
                         + " with serving: llm: hpa or keda, what applies the replicas KServe's Workload Variant "
                           "Autoscaler asks for (scaling.wva.hpa or scaling.wva.keda)"))
    for field in ("metric", "target", *_METRIC_FIELDS):
        if _written(scaling, field):
            problems.append(((*at, field), "does not apply to serving: llm: the Workload Variant Autoscaler picks "
                                           "the replicas from vLLM's own metrics"))
    if scaling.behavior is not None and cls != "hpa":
        problems.append(((*at, "behavior"), "applies to class: hpa (the HorizontalPodAutoscaler's behavior)"))
    if scaling.keda is not None and cls != "keda":
        problems.append(((*at, "keda"), "applies to class: keda (the ScaledObject's settings)"))
    if replicas.max is None:
        problems.append(((*where, "replicas", "max"), "required with autoscaling for serving: llm "
                                                      "(scaling.maxReplicas)"))
    idle = (scaling.keda or {}).get("idleReplicaCount")
    if idle is not None and cls == "keda":
        if replicas.min is None:
            problems.append(((*at, "keda", "idleReplicaCount"), "needs replicas.min (KServe requires "
                                                                "minReplicas with idleReplicaCount)"))
        elif isinstance(idle, int) and idle >= replicas.min:
            problems.append(((*at, "keda", "idleReplicaCount"), f"must be less than replicas.min ({replicas.min})"))
    return problems


def _llm_problems(llm: LLM) -> list[SpecProblem]:
    problems: list[SpecProblem] = []
    names = [adapter.name for adapter in llm.lora.adapters] if llm.lora else []
    for i, name in enumerate(names):
        if name in names[:i]:
            problems.append((("llm", "lora", "adapters", i, "name"), f"adapter {name!r} is listed twice"))
    if llm.prefill is not None:
        prefill = llm.prefill
        where: FieldPath = ("llm", "prefill")
        problems.extend(_range_problems(prefill.replicas, (*where, "replicas")))
        problems.extend(_llm_scaling_problems(prefill.replicas, prefill.autoscaling, where))
        problems.extend(container_problems(prefill, where, None))  # KServe's template may bring volumes
        problems.extend(resources_problems(prefill.resources, (*where, "resources")))
        problems.extend(probe_problems(prefill.probes, (*where, "probes"), merged=True))
        if prefill.workers is not None:
            problems.extend(llm_workers_problems(prefill.workers, (*where, "workers")))
    return problems


# What a collocated transformer cannot have: it is a container of the predictor's pod, which has these.
_COLLOCATED_UNREAD = ("replicas", "autoscaling", "containerConcurrency", "timeout", "logger", "batcher",
                      "deploymentStrategy", "volumes", "podSecurityContext")
# KServe's collocation: the predictor's storage initializer serves the pod; this variable in the
# transformer's container is refused (validateCollocationStorageURI).
_STORAGE_URI_VARIABLE = "STORAGE_URI"


def _component_problems(component: Component, name: str) -> list[SpecProblem]:
    """collocated and port, checked only when written."""
    written = component.model_fields_set
    if "collocated" not in written and "port" not in written:
        return []
    problems: list[SpecProblem] = []
    if name != "transformer" and "collocated" in written:
        problems.append(((name, "collocated"), "applies to a transformer only (KServe runs an explainer in pods of "
                                               "its own)"))
    elif not component.collocated:
        if "port" in written:
            problems.append(((name, "port"), "applies to a collocated transformer (collocated: true); in pods of "
                                             "its own, a transformer listens on KServe's port"))
        return problems
    for field in _COLLOCATED_UNREAD:
        if field in written:
            problems.append(((name, field), "a collocated transformer runs in the predictor's pod: set it on the "
                                            "predictor"))
    if _STORAGE_URI_VARIABLE in component.env:
        problems.append(((name, "env", _STORAGE_URI_VARIABLE), "KServe refuses it in a collocated transformer: the "
                                                               "predictor's storageUri is downloaded for the pod"))
    return problems


def llm_workers_problems(workers: Workers, where: FieldPath) -> list[SpecProblem]:
    """An LLMInferenceService's parallelism (the model's, or its prefill pool's)."""
    problems: list[SpecProblem] = []
    has_data = workers.dataParallelSize is not None
    if (workers.dataLocalParallelSize is not None) != has_data:
        missing = "dataLocalParallelSize" if has_data else "dataParallelSize"
        problems.append(((*where, missing), "dataParallelSize and dataLocalParallelSize go together"))
    if has_data and (workers.pipelineParallelSize or 1) > 1:
        problems.append(((*where, "pipelineParallelSize"),
                         "KServe runs an LLM with pipeline or data parallelism, not both"))
    if workers.dataRPCPort is not None and not has_data:
        problems.append(((*where, "dataRPCPort"), "applies with dataParallelSize: the port the data-parallel ranks "
                                                  "talk on"))
    return problems


def _workers_problems(spec: ModelSpec) -> list[SpecProblem]:
    workers = spec.workers
    assert workers is not None  # called only when workers is set (_serving_kind_problems)
    problems: list[SpecProblem] = []
    if spec.serving == "llm":
        return llm_workers_problems(workers, ("workers",))
    if spec.serving != "kserve":
        return [(("workers",), f"does not apply to serving: {spec.serving}: multi-node serving is KServe's "
                               "(serving: kserve with format: huggingface, or serving: llm)")]
    for field in ("dataParallelSize", "dataLocalParallelSize", "expertParallel", "dataRPCPort"):
        if getattr(workers, field) is not None:
            problems.append((("workers", field), "applies to serving: llm only (an InferenceService's workerSpec "
                                                 "has tensor and pipeline parallelism)"))
    if spec.format != "huggingface":
        problems.append((("workers",), f"KServe's multi-node serving runs vLLM: it needs format: huggingface, "
                                       f"not {spec.format}"))
    if spec.deploymentMode != "Standard":
        problems.append((("workers",), "KServe's multi-node serving needs deploymentMode: Standard"))
    if spec.storageUri and not spec.storageUri.startswith("pvc://"):
        problems.append((("storageUri",), "KServe's multi-node serving reads the model from a ReadWriteMany volume: "
                                          "storageUri must be pvc://<claim>/<path>"))
    if spec.storageUris is not None:
        problems.append((("storageUris",), "KServe's multi-node serving reads one storageUri (pvc://<claim>/<path>), "
                                           "not storageUris"))
    if spec.replicas.min not in (None, 1) or spec.replicas.max not in (None, 1):
        problems.append((("replicas",), "KServe's multi-node serving runs exactly one head pod: leave replicas "
                                        "out or write {min: 1, max: 1}"))
    if spec.autoscaling is not None and spec.autoscaling.autoscalerClass != "none":
        problems.append((("autoscaling",), "KServe's multi-node serving does not autoscale (gitops-gen writes "
                                           "autoscalerClass: none for it)"))
    if spec.rollout.strategy != "direct":
        problems.append((("rollout", "strategy"), f"{spec.rollout.strategy} does not apply to KServe's multi-node "
                                                  "serving (one head pod, no Knative)"))
    return problems


def _graph_problems(graph: Graph) -> list[SpecProblem]:
    """KServe's admission rules for an InferenceGraph (inference_graph_validation.go), located."""
    problems: list[SpecProblem] = []
    if "root" not in graph.nodes:
        problems.append((("graph", "nodes"), "needs a node named root: requests enter the graph there"))
    for node_name, node in graph.nodes.items():
        where = ("graph", "nodes", node_name)
        names = []
        for i, step in enumerate(node.steps):
            if (step.model is not None) + (step.node is not None) + (step.url is not None) != 1:
                problems.append(((*where, "steps", i), "give exactly one of model (a model to call), node "
                                                      "(a node of this graph) and url (a service by URL)"))
            if step.node is not None and step.node not in graph.nodes:
                problems.append(((*where, "steps", i, "node"), f"no node {step.node!r} in this graph"))
            if step.name is not None:
                if step.name in names:
                    problems.append(((*where, "steps", i, "name"), f"step {step.name!r} is listed twice in this node"))
                names.append(step.name)
            if step.weight is not None and node.routerType != "Splitter":
                problems.append(((*where, "steps", i, "weight"), "applies to routerType: Splitter only"))
            if step.condition is not None and node.routerType not in ("Switch", "Sequence"):
                problems.append(((*where, "steps", i, "condition"), "applies to routerType: Switch and Sequence only"))
            if step.mapPredictionsToInstances is not None and node.routerType != "Sequence":
                problems.append(((*where, "steps", i, "mapPredictionsToInstances"),
                                 "applies to routerType: Sequence only"))
        if node.routerType == "Splitter":
            missing = [i for i, step in enumerate(node.steps) if step.weight is None]
            for i in missing:
                problems.append(((*where, "steps", i, "weight"), "required in a Splitter node"))
            total = sum(step.weight or 0 for step in node.steps)
            if not missing and total != 100:
                problems.append(((*where, "steps"), f"a Splitter's weights add up to 100, not {total}"))
    return problems


def _helm_problems(spec: ModelSpec) -> list[SpecProblem]:
    if spec.serving != "helm":
        return [((field,), "only for serving: helm") for field in ("chart", "values", "releaseName")
                if field in spec.model_fields_set and getattr(spec, field)]
    problems: list[SpecProblem] = []
    if spec.chart is None:
        problems.append((("chart",), "required for serving: helm ({repo, name, version})"))
    if spec.rollout.strategy != "direct":
        problems.append((("rollout", "strategy"),
                         f"{spec.rollout.strategy} does not apply to serving: helm: the chart builds its own objects "
                         "(use direct; a chart's own rollout settings go in values)"))
    if spec.monitoring.dashboard:
        problems.append((("monitoring", "dashboard"),
                         "serving: helm has no dashboard: which metrics a chart's servers export is the chart's "
                         "choice (monitoring.metrics scrapes them)"))
    return problems


def _rollout_problems(spec: ModelSpec) -> list[SpecProblem]:
    rollout = spec.rollout
    problems: list[SpecProblem] = []
    strategy = rollout.strategy
    where: FieldPath = ("rollout", "strategy")
    if spec.serving == "helm":
        return problems  # every strategy but direct is refused for a chart (_helm_problems)
    if strategy != "direct" and spec.serving == "jsonnet":
        problems.append((where, f"{strategy} does not apply to serving: jsonnet: the component builds its own "
                                "objects (use direct, or serving: kserve or deployment)"))
    if strategy == "canary" and spec.serving == "kserve":
        if spec.deploymentMode != "Knative":
            problems.append((where, "canary with serving: kserve needs deploymentMode: Knative (KServe ignores "
                                    "canaryTrafficPercent in Standard mode); or use serving: deployment for an "
                                    "Argo Rollouts canary"))
        elif rollout.canary and len(rollout.canary.steps) != 1:
            problems.append((("rollout", "canary", "steps"),
                             "serving: kserve splits traffic with one canaryTrafficPercent: give one step, e.g. "
                             "[10], and promote by setting strategy: direct"))
        if rollout.canary and rollout.canary.pause:
            problems.append((("rollout", "canary", "pause"), "serving: kserve has no timed steps: a KServe canary "
                                                             "stays at its percentage until promoted"))
    if spec.serving == "llm":
        problems.extend(_llm_rollout_problems(spec))
    if strategy == "bluegreen" and spec.serving == "kserve":
        problems.append((where, "bluegreen needs serving: deployment (an Argo Rollouts blue/green); KServe has no "
                                "blue/green: use canary with deploymentMode: Knative"))
    if strategy == "ab" and spec.serving == "kserve" and spec.deploymentMode == "Knative":
        problems.append((where, "ab with serving: kserve needs deploymentMode: Standard: in Knative mode the "
                                "predictor Service is an ExternalName that Gateway API backends cannot point at"))
    if rollout.canary:
        steps = rollout.canary.steps
        if strategy == "canary" and spec.serving == "deployment" and 0 in steps:
            problems.append((("rollout", "canary", "steps", steps.index(0)),
                             "0 applies to serving: kserve (every request to the previous revision); an Argo "
                             "Rollouts step of 0 runs no canary pods: to roll back, set the previous version"))
        for i in range(1, len(steps)):
            if steps[i] <= steps[i - 1]:
                problems.append((("rollout", "canary", "steps", i),
                                 f"steps must increase ({steps[i - 1]} then {steps[i]}): each is the canary's "
                                 "share of traffic in percent"))
                break
    if strategy == "ab" and rollout.ab is None:
        problems.append((("rollout", "ab"), "required for strategy: ab (a gateway and two variants)"))
    if rollout.ab:
        variants = rollout.ab.variants
        if len(variants) != 2:
            problems.append((("rollout", "ab", "variants"), f"an A/B test has exactly two variants, not {len(variants)}"))
        names = [v.name for v in variants]
        for i, name in enumerate(names):
            if name in names[:i]:
                problems.append((("rollout", "ab", "variants", i, "name"), f"variant {name!r} is listed twice"))
        total = sum(v.weight for v in variants)
        if variants and total != 100:
            problems.append((("rollout", "ab", "variants"), f"weights must add up to 100, not {total}"))
    return problems


def _llm_rollout_problems(spec: ModelSpec) -> list[SpecProblem]:
    """An LLM's new revision runs beside the current one in a KServe routing group: strategy ab."""
    rollout = spec.rollout
    problems: list[SpecProblem] = []
    if rollout.strategy in ("canary", "bluegreen"):
        problems.append((("rollout", "strategy"),
                         f"{rollout.strategy} does not apply to serving: llm: an LLMInferenceService has no revisions "
                         "to split traffic between; run the new version beside the current one with strategy: ab "
                         "(two variants in one KServe routing group, traffic split by weight; docs/llm.md)"))
    router = spec.llm.router if spec.llm else None
    if rollout.strategy == "ab":
        if rollout.ab and rollout.ab.hostnames:
            problems.append((("rollout", "ab", "hostnames"), "does not apply to serving: llm: KServe writes the "
                                                             "HTTPRoute of each variant itself"))
        if router is not None and router.gateway:
            problems.append((("llm", "router", "gateway"), "comes from rollout.ab.gateway in an A/B test (both "
                                                           "variants must attach to the same Gateway); leave it "
                                                           "out or {}"))
    if rollout.strategy == "ab" and router is not None and router.route is not None:
        for key in ("group", "weight"):
            if key in router.route:
                problems.append((("llm", "router", "route", key), "is set by rollout.strategy: ab (each variant's "
                                                                  "routing group and weight); leave it out"))
    return problems


def _monitoring_problems(spec: ModelSpec) -> list[SpecProblem]:
    monitoring = spec.monitoring
    problems: list[SpecProblem] = []
    if spec.serving == "jsonnet" and (monitoring.metrics or monitoring.alerts or monitoring.dashboard):
        problems.append((("monitoring",), "does not apply to serving: jsonnet: the component builds its own "
                                          "objects, monitors included"))
        return problems
    for field, used in (("alerts", monitoring.alerts is not None), ("dashboard", monitoring.dashboard)):
        if used and not monitoring.metrics:
            problems.append((("monitoring", field), "needs monitoring.metrics: true (it reads the scraped metrics)"))
    if monitoring.alerts:
        family = metric_family(spec.serving, spec.format, spec.deploymentMode, spec.runtime, spec.protocol)
        server = f"{family.name} ({_runtime_text(spec)})" if family.requests is None else family.name
        hint = ("; with deploymentMode: Knative, queue-proxy counts and times every request"
                if spec.serving == "kserve" else "") + " (docs/rollouts.md, Which metrics)"
        if monitoring.alerts.errorRate is not None and not family.has_errors:
            problems.append((("monitoring", "alerts", "errorRate"),
                             f"{server} exports no count of failed requests to alert on{hint}"))
        if monitoring.alerts.latencyP99 is not None and not family.has_latency:
            problems.append((("monitoring", "alerts", "latencyP99"),
                             f"{server} exports no latency histogram to take a percentile of{hint}"))
    return problems


def _argocd_model_problems(spec: ModelSpec) -> list[tuple[tuple, str]]:
    if spec.argocd is None:
        return []
    problems = []
    for i, rule in enumerate(spec.argocd.ignoreDifferences):
        if not (rule.jsonPointers or rule.jqPathExpressions or rule.managedFieldsManagers):
            problems.append((("argocd", "ignoreDifferences", i),
                             "names no field to ignore: give jsonPointers, jqPathExpressions or managedFieldsManagers"))
    keys = [option.partition("=")[0] for option in spec.argocd.syncOptions]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            problems.append((("argocd", "syncOptions", i), f"{key} is set twice"))
    return problems


def _runtime_text(spec: ModelSpec) -> str:
    if spec.serving == "helm":
        return f"chart {spec.chart.name}" if spec.chart else "serving: helm"
    if spec.runtime:
        return f"runtime {spec.runtime}"
    return f"format {spec.format} over {spec.protocol or 'v1 (no protocol written)'} in {spec.deploymentMode} mode"


def env_problems(env: dict[str, str], secret_env: list[SecretEnv], where: tuple,
                 field_env: list[FieldEnv] | None = None, resource_env: list[ResourceEnv] | None = None
                 ) -> list[SpecProblem]:
    """A variable is set once: in env, secretEnv, fieldEnv or resourceEnv."""
    problems: list[SpecProblem] = []
    seen = {name: "env" for name in env}
    lists: tuple[tuple[str, list], ...] = (("secretEnv", secret_env), ("fieldEnv", field_env or []),
                                           ("resourceEnv", resource_env or []))
    for field, refs in lists:
        for i, ref in enumerate(refs):
            where_set = seen.get(ref.name)
            if where_set == field:
                problems.append(((*where, field, i, "name"), f"{ref.name} is listed twice"))
            elif where_set is not None:
                problems.append(((*where, field, i, "name"), f"{ref.name} is also set in {where_set}: a variable "
                                                             f"comes from one of env, secretEnv, fieldEnv and "
                                                             "resourceEnv"))
            seen.setdefault(ref.name, field)
    return problems


def pod_problems(spec: ModelSpec | Component, where: tuple) -> list[SpecProblem]:
    """volumes and podSecurityContext of pods gitops-gen writes (each checked only when written)."""
    problems = volume_problems(spec.volumes, (*where, "volumes")) if spec.volumes else []
    if spec.podSecurityContext is not None:
        problems.extend(pod_security_context_problems(spec.podSecurityContext, (*where, "podSecurityContext")))
    return problems


def container_problems(container: ModelSpec | Component | Prefill, where: tuple,
                       volumes: list[Volume] | None) -> list[SpecProblem]:
    """env, securityContext and volumeMounts of one container (each checked only when written: most specs have
    none). ``volumes``: as mount_problems."""
    problems = env_problems(container.env, container.secretEnv, where, container.fieldEnv, container.resourceEnv)
    if container.securityContext is not None:
        problems.extend(security_context_problems(container.securityContext, (*where, "securityContext")))
    if container.volumeMounts:
        problems.extend(mount_problems(container.volumeMounts, (*where, "volumeMounts"), volumes))
    return problems


# --- Environment -------------------------------------------------------------

HttpsURL = Annotated[str, _checked(re.compile(r"^https://[^\s/]+(/\S*)?$"), "an https:// URL")]
Engine = Literal["argocd", "flux"]
IN_CLUSTER = "https://kubernetes.default.svc"


class Cluster(StrictModel):
    name: Name = Field(description="Cluster name (a DNS-1123 label), unique in the environment.")
    server: HttpsURL = Field(
        IN_CLUSTER, description="Kubernetes API server URL: the Argo CD destination.server.")
    kubeConfigSecret: SecretName | None = Field(
        None, description="Secret with a kubeconfig for this cluster: Flux reconciles it from the hub.")
    context: Text | None = Field(
        None, description="kubeconfig context of this cluster, used by promotion health gates.")
    labels: Labels = _empty(dict, description="Labels copied onto the Argo CD objects generated for this cluster.")
    wave: Annotated[Int, Field(ge=0, le=1000)] = Field(
        0, description="Rollout order of the clusters inside the environment (lower first).")
    engine: Engine | None = Field(
        None, description="The one engine that deploys to this cluster: argocd or flux; default: the "
                          "environment's engines.")
    sharedWith: list[Name] = _empty(
        list, description="Other cluster names with the same server (or kubeConfigSecret): one cluster known "
                        "under several names, on purpose.")


class Sync(StrictModel):
    automated: bool = Field(True, description="Argo CD syncs automatically when Git changes.")
    prune: bool = Field(True, description="Delete objects that were removed from Git.")
    selfHeal: bool = Field(True, description="Undo changes made in the cluster by hand.")


_REL_PATH = re.compile(r"^(?!/)(?!.*(^|/)\.\.?(/|$))[A-Za-z0-9._/-]+$")
# Named *.json: the Argo CD plugin's cache hashes every such file in full (plugin/cache.py), as it
# does spec files, and keys every other file it never reads by its size alone.
_JSON_PATH = re.compile(r"^(?!/)(?!.*(^|/)\.\.?(/|$))[A-Za-z0-9._/-]+\.json$")


class ClustersFrom(StrictModel):
    terraformOutput: Annotated[str, _checked(_JSON_PATH, "a relative path of a .json file inside the source tree "
                                                         "(no '..')")] = Field(
        description="A `terraform output -json` file (*.json), by its path inside the source tree, "
                    "e.g. infra/outputs.json.")
    output: Text = Field(
        "clusters", description="The output holding the clusters: a list of {name, server, labels, wave, "
                                "kubeConfigSecret, context, engine, sharedWith}.")


class EnvironmentSpec(StrictModel):
    namespace: Name = Field(description="Namespace the models run in, on every cluster of the environment.")
    # At least one cluster, here or from clustersFrom (environment_problems; load/terraform.py).
    clusters: list[Cluster] = _empty(
        list, description="The clusters of this environment; each model listed runs on every one.")
    clustersFrom: Annotated[ClustersFrom, ON_FIRST_USE] | None = Field(
        None, description="More clusters, read from a Terraform output file in the source tree.")
    engines: Annotated[list[Engine], Field(min_length=1)] | None = Field(
        None, description="Engines that deploy this environment's releases; default: the Project's engines. "
                          "A cluster's engine overrides it.")
    sync: Sync = Field(Sync(), description="Argo CD sync policy (and Flux prune) of this environment's releases.")
    # Partial model specs: checked once merged into each model (resolve/fleet.py).
    overrides: dict[str, Any] = _empty(
        dict, description="A partial Model spec applied to every model in this environment.")
    models: dict[Name, dict[str, Any] | None] = Field(
        description="The models that run here, by name; each a partial Model spec, e.g. a pinned version.")


def environment_problems(spec: EnvironmentSpec) -> list[SpecProblem]:
    problems: list[SpecProblem] = []
    if spec.clustersFrom is None and not spec.clusters:
        problems.append((("clusters",), "must have at least 1 item(s)" if "clusters" in spec.model_fields_set
                         else "required field is missing (or set clustersFrom)"))
    seen: set[str] = set()
    for i, cluster in enumerate(spec.clusters):
        if cluster.name in seen:
            problems.append((("clusters", i, "name"), f"cluster {cluster.name!r} is listed twice"))
        seen.add(cluster.name)
        for j, other in enumerate(cluster.sharedWith):
            if other == cluster.name:
                problems.append((("clusters", i, "sharedWith", j), "names the cluster itself"))
    if spec.engines is not None and len(set(spec.engines)) != len(spec.engines):
        problems.append((("engines",), "an engine is listed twice"))
    return problems


# --- Project -----------------------------------------------------------------

RelPath = Annotated[str, _checked(_REL_PATH, "a relative path inside the Git repository (no '..')")]


ENVIRONMENT_PLACEHOLDER = "{{ environment }}"
# A DNS subdomain with exactly one "{{ environment }}" (spaces inside the braces optional).
_APP_PROJECT = re.compile(r"^[a-z0-9-.]*\{\{ ?environment ?\}\}[a-z0-9-.]*$")


class ArgoCDSettings(StrictModel):
    namespace: Name = Field(
        "argocd", description="Namespace of the generated Applications, ApplicationSets and AppProjects.")
    mode: Literal["rendered", "plugin"] = Field(
        "rendered", description="rendered: Argo CD reads the committed output; plugin: it runs gitops-gen at sync time.")
    applicationSets: bool = Field(
        False, description="true: an ApplicationSet per (environment, model); false: an Application per release.")
    project: Annotated[str, _checked(_APP_PROJECT, "an AppProject name, with {{ environment }} where the "
                                                   "environment's name goes")] = Field(
        ENVIRONMENT_PLACEHOLDER, description="Name of each environment's AppProject, e.g. \"{{ environment }}-ml\" "
                                             "or \"team-a-{{ environment }}\" on an Argo CD shared by several teams.")
    destination: Literal["server", "name"] = Field(
        "server", description="server: Applications name their cluster by server URL; name: by the cluster's "
                              "name as registered in Argo CD (the cluster's name here).")
    rootApplications: bool = Field(
        False, description="true: also an Application per environment over its Argo CD folder (app of apps), "
                           "in argocd/roots/.")
    rootProject: Name = Field(
        "default", description="AppProject of the root Applications (it must allow creating AppProjects and "
                               "Applications in the Argo CD namespace).")


class FluxSourceRef(StrictModel):
    kind: Literal["GitRepository", "OCIRepository", "Bucket"] = Field(
        "GitRepository", description="Kind of the existing Flux source.")
    name: SecretName = Field(description="Its name, e.g. flux-system.")
    namespace: Name | None = Field(None, description="Its namespace; default: flux.namespace.")


class LocalRef(StrictModel):
    name: SecretName = Field(description="Name of the Secret, in flux.namespace.")


class FluxSettings(StrictModel):
    namespace: Name = Field(
        "flux-system", description="Namespace of the generated GitRepository and Kustomizations.")
    interval: Duration = Field("5m", description="How often Flux reconciles, e.g. 5m.")
    # Flux defaults timeout to interval; models can take minutes to load, so
    # we always write it, and let users choose.
    timeout: Duration = Field(
        "10m", description="Timeout of each Kustomization's (and HelmRelease's) apply and health checks.")
    sourceRef: FluxSourceRef | None = Field(
        None, description="An existing Flux source to read the repository from (e.g. the flux-system "
                          "GitRepository `flux bootstrap` made) instead of a generated GitRepository.")
    secretRef: LocalRef | None = Field(
        None, description="Secret with the credentials of the generated GitRepository (a private repository).")
    provider: Literal["generic", "aws", "azure", "github"] | None = Field(
        None, description="How the generated GitRepository authenticates: generic (secretRef), aws, azure "
                          "(workload identity) or github (a GitHub App in secretRef).")
    serviceAccountName: SecretName | None = Field(
        None, description="Service account the release Kustomizations run as (a tenant's; lives in flux.namespace).")
    # Credentials stay in the cluster: only the Secret's name is written (secretRef of the chart's source).
    chartSecrets: dict[Annotated[str, _checked(HELM_REPO, "an https:// or oci:// chart repository")], SecretName] \
        = _empty(dict, description="Secrets (in the Flux namespace) with credentials for chart repositories, "
                                "by Model spec.chart.repo, e.g. {oci://ghcr.io/acme/charts: ghcr-pull}.")


_API_VERSION = re.compile(r"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?v[0-9]+((alpha|beta)[0-9]+)?$")
_KIND_NAME = re.compile(r"^[A-Z][A-Za-z0-9]{0,62}$")


class AllowedKind(StrictModel):
    apiVersion: Annotated[str, _checked(_API_VERSION, "an apiVersion such as v1 or example.com/v1beta1")] = Field(
        description="The kind's apiVersion, e.g. example.com/v1.")
    kind: Annotated[str, _checked(_KIND_NAME, "a Kubernetes kind name such as Widget")] = Field(
        description="The kind, e.g. Widget.")


class ExtensionSettings(StrictModel):
    allowedKinds: list[AllowedKind] = _empty(
        list, description="Kinds without a bundled schema that templates and components may produce, unchecked. "
                        "Objects of any other kind without a schema are refused.")


class ProjectSpec(StrictModel):
    repoURL: Annotated[str, Field(min_length=1)] = Field(
        description="The Git repository Argo CD and Flux read (http(s):// or ssh://).")
    targetRevision: Text = Field("main", description="Branch the controllers follow.")
    sourcePath: RelPath = Field("environments", description="Path of this source tree inside the Git repository.")
    renderedPath: RelPath = Field("rendered", description="Path of the rendered output inside the Git repository.")
    engines: Annotated[list[Literal["argocd", "flux"]], Field(min_length=1)] = Field(
        ["argocd"], description="Which GitOps engines to generate objects for: argocd, flux or both.")
    promotion: list[Name] = _empty(
        list, description="Environment names in promotion order, e.g. [dev, staging, prod].")
    argocd: ArgoCDSettings = Field(ArgoCDSettings(), description="Argo CD settings.")
    flux: FluxSettings = Field(FluxSettings(), description="Flux settings.")
    extensions: ExtensionSettings = Field(
        ExtensionSettings(), description="What users' templates and components may produce.")


SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:\S+$")


def project_problems(spec: ProjectSpec) -> list[SpecProblem]:
    problems: list[SpecProblem] = []
    url = spec.repoURL
    # The git@host:path form is fine for Argo CD; whether Flux reads repoURL is known
    # once the environments' engines are (resolve/fleet.py).
    if not re.match(r"^(https?|ssh)://\S+$", url) and not SCP_LIKE.match(url):
        problems.append((("repoURL",), f"{url!r} must be an http(s):// or ssh:// URL"))
    if len(set(spec.engines)) != len(spec.engines):
        problems.append((("engines",), "an engine is listed twice"))
    if len(set(spec.promotion)) != len(spec.promotion):
        problems.append((("promotion",), "an environment is listed twice"))
    if spec.sourcePath.strip("/") == spec.renderedPath.strip("/"):
        problems.append((("renderedPath",), "must differ from sourcePath"))
    flux = spec.flux
    if flux.sourceRef is not None:
        for field in ("secretRef", "provider"):
            if getattr(flux, field) is not None:
                problems.append((("flux", field), "configures the generated GitRepository, and with sourceRef "
                                                  "none is generated: set it on that source instead"))
    elif flux.provider == "github" and flux.secretRef is None:
        problems.append((("flux", "provider"), "github needs secretRef: the Secret with the GitHub App's ID, "
                                               "installation ID and private key (flux create secret githubapp)"))
    return problems


# --- Documents ---------------------------------------------------------------


class Metadata(StrictModel):
    name: Name = Field(description="Name of this document (a DNS-1123 label).")
    labels: Labels = _empty(dict, description="Labels; a Model's are copied onto its workload objects.")
    annotations: dict[str, str] = _empty(dict, description="Free-form annotations.")


class Document(StrictModel):
    apiVersion: Literal["gitops-gen.io/v1alpha1"] = Field(description="Always gitops-gen.io/v1alpha1.")
    metadata: Metadata = Field(description="Name and labels.")


class ProjectDocument(Document):
    kind: Literal["Project"] = Field(
        description="Project: the Git repository and engines (exactly one per source tree).")
    spec: ProjectSpec = Field(description="The Project's settings.")


class EnvironmentDocument(Document):
    kind: Literal["Environment"] = Field(
        description="Environment: clusters, namespace, sync policy and the models that run there.")
    spec: EnvironmentSpec = Field(description="The Environment's settings.")


class ModelDocument(Document):
    kind: Literal["Model"] = Field(description="Model: what is served and how.")
    # A Model's spec may leave out what environments fill in (the version);
    # it is validated as ModelSpec once merged, per environment (resolve/fleet.py).
    spec: dict[str, Any] = Field(description="The Model's spec; environments may override any field.")


DOCUMENT_TYPES: dict[str, type[Document]] = {
    "Project": ProjectDocument,
    "Environment": EnvironmentDocument,
    "Model": ModelDocument,
}

def field_names_at(kind: type[BaseModel], path: FieldPath) -> frozenset[str]:
    """The field names a user may write at ``path`` in a ``kind`` (through lists, maps and optional fields), for
    "did you mean" hints: the fields of the kind found there, so a hint never names a field of another kind.
    Empty where the path leads to no spec kind (a free-form map)."""
    annotation: Any = kind
    for step in path:
        annotation = _inner(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(step, str):
            field = next((f for name, f in annotation.model_fields.items() if (f.alias or name) == step), None)
            annotation = field.annotation if field is not None else None
        elif get_origin(annotation) is list and isinstance(step, int):
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) is dict and isinstance(step, str):
            annotation = get_args(annotation)[1]
        else:
            return frozenset()
    annotation = _inner(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _field_names(annotation)
    return frozenset()


def _inner(annotation: Any) -> Any:
    """``X`` of ``Annotated[X, ...]`` and of ``X | None``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, UnionType):
            kinds = [a for a in get_args(annotation) if a is not type(None)]
            if len(kinds) != 1:
                return None
            annotation = kinds[0]
        else:
            return annotation


@lru_cache(maxsize=None)
def _field_names(kind: type[BaseModel]) -> frozenset[str]:
    return frozenset(field.alias or name for name, field in kind.model_fields.items())
