"""The typed spec kinds users write (SPEC.md section 2), as pydantic models.

Field names here are exactly the YAML field names, so `grep -rn fieldName
generator/` leads from a spec field to the builder that turns it into output.
Checks that involve several fields live in ``*_problems`` functions so each
problem can be reported at the line of the field it is about.
"""
from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from .runtimes import metric_family

API_VERSION = "gitops-gen.io/v1alpha1"
KINDS = ("Project", "Environment", "Model")

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
_QUANTITY = re.compile(r"^[+]?(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$")
_DURATION = re.compile(r"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")
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


def _version(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("type", "must be a string")
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


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- Model -----------------------------------------------------------------

Format = Literal[
    "sklearn", "xgboost", "lightgbm", "tensorflow", "pytorch", "onnx", "triton", "huggingface", "custom"
]


class Resources(Spec):
    cpu: Quantity | None = None
    memory: Quantity | None = None
    gpu: Annotated[int, Field(ge=0, le=64, strict=True)] = 0


class Replicas(Spec):
    min: Annotated[int, Field(ge=0, le=10_000)] = 1
    max: Annotated[int, Field(ge=1, le=10_000)] = 1


class Autoscaling(Spec):
    metric: Literal["cpu", "memory", "concurrency", "rps"] = "cpu"
    target: Annotated[int, Field(gt=0)] = 80


class Canary(Spec):
    steps: Annotated[list[Annotated[int, Field(ge=1, le=100)]], Field(min_length=1)] = [10, 50]
    pause: Duration | None = None


class GatewayRef(Spec):
    name: Text
    namespace: Name | None = None


class Variant(Spec):
    name: Name
    version: Version
    weight: Annotated[int, Field(ge=0, le=100)]


Hostname = Annotated[str, _checked(re.compile(r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"),
                                   "a DNS host name such as models.example.com")]


class AB(Spec):
    gateway: GatewayRef
    variants: list[Variant]
    # Optional: without hostnames the route takes every request its Gateway listener accepts.
    hostnames: Annotated[list[Hostname], Field(max_length=16)] = []


class RolloutSpec(Spec):
    strategy: Literal["direct", "canary", "bluegreen", "ab"] = "direct"
    canary: Canary | None = None
    ab: AB | None = None


class Alerts(Spec):
    errorRate: Annotated[float, Field(gt=0, le=1)] | None = None
    latencyP99: Duration | None = None


class Monitoring(Spec):
    metrics: bool = False
    path: Annotated[str, _checked(re.compile(r"^/\S*$"), "an absolute URL path")] = "/metrics"
    alerts: Alerts | None = None
    dashboard: bool = False


class SecretEnv(Spec):
    name: EnvName
    secret: SecretName
    key: Text


class Toleration(Spec):
    key: str | None = None
    operator: Literal["Exists", "Equal"] = "Equal"
    value: str | None = None
    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute"] | None = None
    tolerationSeconds: int | None = None


class ModelSpec(Spec):
    version: Version | None = None
    format: Format
    serving: Literal["kserve", "deployment", "jsonnet"] = "kserve"
    storageUri: Text | None = None
    runtime: Name | None = None
    protocol: Literal["v1", "v2"] = "v2"
    deploymentMode: Literal["Standard", "Knative"] = "Standard"
    image: Annotated[str, _checked(re.compile(r"^\S+$"), "a container image reference")] | None = None
    port: Annotated[int, Field(ge=1, le=65535)] = 8080
    resources: Resources = Resources()
    replicas: Replicas = Replicas()
    autoscaling: Autoscaling | None = None
    rollout: RolloutSpec = RolloutSpec()
    monitoring: Monitoring = Monitoring()
    env: dict[EnvName, str] = {}
    secretEnv: list[SecretEnv] = []
    nodeSelector: dict[LabelKey, LabelValue] = {}
    tolerations: list[Toleration] = []
    component: Text | None = None
    templates: list[Text] = []


def model_spec_problems(spec: ModelSpec) -> list[tuple[tuple, str]]:
    """Cross-field rules of a resolved model spec, as (field path, message)."""
    problems = []
    if spec.serving == "kserve" and spec.format != "custom" and not spec.storageUri:
        problems.append((("storageUri",), "required for serving: kserve"))
    if spec.serving == "deployment" or (spec.serving == "kserve" and spec.format == "custom"):
        if not spec.image:
            problems.append((("image",), f"required for serving: {spec.serving} with format: {spec.format}"
                             if spec.serving == "kserve" else "required for serving: deployment"))
    if spec.serving == "jsonnet" and not spec.component:
        problems.append((("component",), "required for serving: jsonnet"))
    if spec.replicas.min > spec.replicas.max:
        problems.append((("replicas", "min"), f"min ({spec.replicas.min}) is greater than max ({spec.replicas.max})"))
    knative = spec.serving == "kserve" and spec.deploymentMode == "Knative"
    if spec.replicas.min == 0 and not knative:
        problems.append((("replicas", "min"), "scale to zero (min: 0) needs serving: kserve with deploymentMode: Knative"))
    if spec.autoscaling and spec.autoscaling.metric in ("concurrency", "rps") and not knative:
        problems.append((("autoscaling", "metric"),
                         f"{spec.autoscaling.metric} autoscaling needs serving: kserve with deploymentMode: Knative "
                         "(a HorizontalPodAutoscaler scales on cpu or memory)"))
    if spec.autoscaling and spec.autoscaling.metric in ("cpu", "memory") and spec.autoscaling.target > 100:
        problems.append((("autoscaling", "target"), "a cpu/memory target is a utilization percentage (1-100)"))
    for i, t in enumerate(spec.templates):
        if not t.startswith("templates/"):
            problems.append((("templates", i), f"{t!r} must be a path under templates/ in the source tree"))
    if spec.component and not spec.component.startswith("components/"):
        problems.append((("component",), f"{spec.component!r} must be a path under components/ in the source tree"))
    problems.extend(_rollout_problems(spec))
    problems.extend(_monitoring_problems(spec))
    problems.extend(_env_problems(spec))
    return problems


def _rollout_problems(spec: ModelSpec) -> list[tuple[tuple, str]]:
    rollout, problems = spec.rollout, []
    strategy = rollout.strategy
    where = ("rollout", "strategy")
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
    if strategy == "bluegreen" and spec.serving == "kserve":
        problems.append((where, "bluegreen needs serving: deployment (an Argo Rollouts blue/green); KServe has no "
                                "blue/green: use canary with deploymentMode: Knative"))
    if strategy == "ab" and spec.serving == "kserve" and spec.deploymentMode == "Knative":
        problems.append((where, "ab with serving: kserve needs deploymentMode: Standard: in Knative mode the "
                                "predictor Service is an ExternalName that Gateway API backends cannot point at"))
    if rollout.canary:
        steps = rollout.canary.steps
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


def _monitoring_problems(spec: ModelSpec) -> list[tuple[tuple, str]]:
    monitoring, problems = spec.monitoring, []
    if spec.serving == "jsonnet" and (monitoring.metrics or monitoring.alerts or monitoring.dashboard):
        problems.append((("monitoring",), "does not apply to serving: jsonnet: the component builds its own "
                                          "objects, monitors included"))
        return problems
    for field, used in (("alerts", monitoring.alerts is not None), ("dashboard", monitoring.dashboard)):
        if used and not monitoring.metrics:
            problems.append((("monitoring", field), "needs monitoring.metrics: true (it reads the scraped metrics)"))
    if monitoring.alerts:
        family = metric_family(spec.serving, spec.format, spec.deploymentMode, spec.runtime)
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


def _runtime_text(spec: ModelSpec) -> str:
    return f"runtime {spec.runtime}" if spec.runtime else f"format {spec.format} in {spec.deploymentMode} mode"


def _env_problems(spec: ModelSpec) -> list[tuple[tuple, str]]:
    problems, seen = [], set(spec.env)
    for i, ref in enumerate(spec.secretEnv):
        if ref.name in spec.env:
            problems.append((("secretEnv", i, "name"), f"{ref.name} is also set in env: a variable comes from env "
                                                       "or from secretEnv, not both"))
        elif ref.name in seen:
            problems.append((("secretEnv", i, "name"), f"{ref.name} is listed twice"))
        seen.add(ref.name)
    return problems


# --- Environment -------------------------------------------------------------

HttpsURL = Annotated[str, _checked(re.compile(r"^https://[^\s/]+(/\S*)?$"), "an https:// URL")]


class Cluster(Spec):
    name: Name
    server: HttpsURL = "https://kubernetes.default.svc"
    kubeConfigSecret: SecretName | None = None
    context: Text | None = None
    labels: Labels = {}
    wave: Annotated[int, Field(ge=0, le=1000)] = 0


class Sync(Spec):
    automated: bool = True
    prune: bool = True
    selfHeal: bool = True


class EnvironmentSpec(Spec):
    namespace: Name
    clusters: Annotated[list[Cluster], Field(min_length=1)]
    sync: Sync = Sync()
    # Partial model specs: checked once merged into each model (resolve.py).
    overrides: dict[str, Any] = {}
    models: dict[Name, dict[str, Any] | None]


def environment_problems(spec: EnvironmentSpec) -> list[tuple[tuple, str]]:
    problems = []
    seen: set[str] = set()
    for i, cluster in enumerate(spec.clusters):
        if cluster.name in seen:
            problems.append((("clusters", i, "name"), f"cluster {cluster.name!r} is listed twice"))
        seen.add(cluster.name)
    return problems


# --- Project -----------------------------------------------------------------

_REL_PATH = re.compile(r"^(?!/)(?!.*(^|/)\.\.?(/|$))[A-Za-z0-9._/-]+$")
RelPath = Annotated[str, _checked(_REL_PATH, "a relative path inside the Git repository (no '..')")]


class ArgoCDSettings(Spec):
    namespace: Name = "argocd"
    mode: Literal["rendered", "plugin"] = "rendered"
    applicationSets: bool = False


class FluxSettings(Spec):
    namespace: Name = "flux-system"
    interval: Duration = "5m"
    # Flux defaults timeout to interval; models can take minutes to load, so
    # we always write it, and let users choose.
    timeout: Duration = "10m"


class ProjectSpec(Spec):
    repoURL: Annotated[str, Field(min_length=1)]
    targetRevision: Text = "main"
    sourcePath: RelPath = "environments"
    renderedPath: RelPath = "rendered"
    engines: Annotated[list[Literal["argocd", "flux"]], Field(min_length=1)] = ["argocd"]
    promotion: list[Name] = []
    argocd: ArgoCDSettings = ArgoCDSettings()
    flux: FluxSettings = FluxSettings()


def project_problems(spec: ProjectSpec) -> list[tuple[tuple, str]]:
    problems = []
    url = spec.repoURL
    if not re.match(r"^(https?|ssh)://\S+$", url):
        if "flux" in spec.engines or not re.match(r"^[\w.-]+@[\w.-]+:\S+$", url):
            problems.append((("repoURL",), f"{url!r} must be an http(s):// or ssh:// URL"
                             + (" (Flux does not accept the git@host:path form)" if "@" in url else "")))
    if len(set(spec.engines)) != len(spec.engines):
        problems.append((("engines",), "an engine is listed twice"))
    if len(set(spec.promotion)) != len(spec.promotion):
        problems.append((("promotion",), "an environment is listed twice"))
    if spec.sourcePath.strip("/") == spec.renderedPath.strip("/"):
        problems.append((("renderedPath",), "must differ from sourcePath"))
    return problems


# --- Documents ---------------------------------------------------------------


class Metadata(Spec):
    name: Name
    labels: Labels = {}
    annotations: dict[str, str] = {}


class Document(Spec):
    apiVersion: Literal["gitops-gen.io/v1alpha1"]
    metadata: Metadata


class ProjectDocument(Document):
    kind: Literal["Project"]
    spec: ProjectSpec


class EnvironmentDocument(Document):
    kind: Literal["Environment"]
    spec: EnvironmentSpec


class ModelDocument(Document):
    kind: Literal["Model"]
    # A Model's spec may leave out what environments fill in (the version);
    # it is validated as ModelSpec once merged, per environment (resolve.py).
    spec: dict[str, Any]


DOCUMENT_TYPES: dict[str, type[Document]] = {
    "Project": ProjectDocument,
    "Environment": EnvironmentDocument,
    "Model": ModelDocument,
}

# Every field name users can write, for "did you mean" hints.
FIELD_NAMES: frozenset[str] = frozenset(
    name
    for cls in (Resources, Replicas, Autoscaling, Canary, GatewayRef, Variant, AB, RolloutSpec, Alerts,
                Monitoring, SecretEnv, Toleration, ModelSpec, Cluster, Sync, EnvironmentSpec, ArgoCDSettings,
                FluxSettings, ProjectSpec, Metadata, ProjectDocument)
    for name in cls.model_fields
) | {"kind"}
