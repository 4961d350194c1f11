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


class AB(Spec):
    gateway: GatewayRef
    variants: list[Variant]


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
