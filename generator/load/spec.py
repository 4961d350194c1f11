"""The typed spec kinds users write (docs/spec.md), as pydantic models.

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


class StrictModel(BaseModel):
    """The base of every spec kind: an unknown field is an error, and a validated spec never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- Model -----------------------------------------------------------------

Format = Literal[
    "sklearn", "xgboost", "lightgbm", "tensorflow", "pytorch", "onnx", "triton", "huggingface", "custom"
]


class Resources(StrictModel):
    cpu: Quantity | None = Field(
        None, description="CPU for each model server pod, a Kubernetes quantity (e.g. 500m, 2); requests = limits.")
    memory: Quantity | None = Field(
        None, description="Memory for each model server pod, a Kubernetes quantity (e.g. 2Gi); requests = limits.")
    gpu: Annotated[Int, Field(ge=0, le=64, strict=True)] = Field(
        0, description="NVIDIA GPUs per pod; more than 0 adds nvidia.com/gpu to the limits.")


class Replicas(StrictModel):
    min: Annotated[Int, Field(ge=0, le=10_000)] = Field(
        1, description="Fewest replicas; 0 (scale to zero) needs serving: kserve with deploymentMode: Knative.")
    max: Annotated[Int, Field(ge=1, le=10_000)] = Field(
        1, description="Most replicas; above min, the workload autoscales.")


class Autoscaling(StrictModel):
    metric: Literal["cpu", "memory", "concurrency", "rps"] = Field(
        "cpu", description="What to scale on: cpu or memory (utilization), or concurrency or rps (Knative only).")
    target: Annotated[Int, Field(gt=0)] = Field(
        80, description="Target per pod: a utilization percentage (1-100) for cpu/memory, else requests.")


class Canary(StrictModel):
    steps: Annotated[list[Annotated[Int, Field(ge=1, le=100)]], Field(min_length=1)] = Field(
        [10, 50], description="Traffic weights in percent, one per step, e.g. [10, 50].")
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
    hostnames: Annotated[list[Hostname], Field(max_length=16)] = Field(
        default=[], description="Host names the HTTPRoute matches; empty: every host its Gateway listener accepts.")


class RolloutSpec(StrictModel):
    strategy: Literal["direct", "canary", "bluegreen", "ab"] = Field(
        "direct", description="How a new version goes live: direct | canary | bluegreen | ab.")
    canary: Canary | None = Field(None, description="Canary steps (strategy: canary).")
    ab: AB | None = Field(
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


class Toleration(StrictModel):
    key: str | None = Field(
        None, description="Taint key the toleration matches; empty with operator Exists matches every taint.")
    operator: Literal["Exists", "Equal"] = Field("Equal", description="Exists or Equal.")
    value: str | None = Field(None, description="Taint value to match (operator: Equal).")
    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute"] | None = Field(
        None, description="Taint effect to match: NoSchedule | PreferNoSchedule | NoExecute; empty = all.")
    tolerationSeconds: Int | None = Field(
        None, description="With effect NoExecute: how long the pod stays bound after the taint appears.")


class ModelSpec(StrictModel):
    version: Version | None = Field(
        None, description="Model version; environments may pin their own (the field `gitops-gen promote` moves).")
    format: Format = Field(description="Model format (KServe modelFormat), or custom for your own server image.")
    serving: Literal["kserve", "deployment", "jsonnet"] = Field(
        "kserve", description="kserve: an InferenceService; deployment: Deployment + Service; jsonnet: your component.")
    storageUri: Text | None = Field(
        None, description="Where the model artifacts are, e.g. s3://models/x/{{ version }}; required for kserve.")
    runtime: Name | None = Field(
        None, description="KServe ServingRuntime to pin (runtime auto-selection depends on what is installed).")
    protocol: Literal["v1", "v2"] = Field(
        "v2", description="Inference protocol: v1 or v2 (Open Inference Protocol).")
    deploymentMode: Literal["Standard", "Knative"] = Field(
        "Standard", description="KServe deployment mode: Standard (a Deployment) or Knative (scale to zero, rps scaling).")
    image: Annotated[str, _checked(re.compile(r"^\S+$"), "a container image reference")] | None = Field(
        None, description="Model server image; required for serving: deployment and for format: custom.")
    port: Annotated[Int, Field(ge=1, le=65535)] = Field(8080, description="Port the model server listens on.")
    resources: Resources = Field(Resources(), description="CPU, memory and GPUs per pod.")
    replicas: Replicas = Field(Replicas(), description="Replica range; max above min means autoscaling.")
    autoscaling: Autoscaling | None = Field(None, description="What the autoscaler scales on, and its target.")
    rollout: RolloutSpec = Field(RolloutSpec(), description="How a new version is rolled out.")
    monitoring: Monitoring = Field(Monitoring(), description="Metrics scraping, alerts and dashboard.")
    env: dict[EnvName, str] = Field({}, description="Plain environment variables of the model server container.")
    secretEnv: list[SecretEnv] = Field(
        [], description="Environment variables taken from Kubernetes Secrets (references only, never values).")
    nodeSelector: dict[LabelKey, LabelValue] = Field({}, description="Node labels the pods must run on.")
    tolerations: list[Toleration] = Field([], description="Taints the pods tolerate.")
    component: Text | None = Field(
        None, description="Jsonnet component, a path under components/; required for serving: jsonnet.")
    templates: list[Text] = Field(
        [], description="Jinja2 templates (paths under templates/) rendered per release into extra manifests.")


def model_spec_problems(spec: ModelSpec) -> list[SpecProblem]:
    """Cross-field rules of a resolved model spec, as (field path, message)."""
    problems: list[SpecProblem] = []
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


def _rollout_problems(spec: ModelSpec) -> list[SpecProblem]:
    rollout = spec.rollout
    problems: list[SpecProblem] = []
    strategy = rollout.strategy
    where: FieldPath = ("rollout", "strategy")
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


def _env_problems(spec: ModelSpec) -> list[SpecProblem]:
    problems: list[SpecProblem] = []
    seen = set(spec.env)
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


class Cluster(StrictModel):
    name: Name = Field(description="Cluster name (a DNS-1123 label), unique in the environment.")
    server: HttpsURL = Field(
        "https://kubernetes.default.svc", description="Kubernetes API server URL: the Argo CD destination.server.")
    kubeConfigSecret: SecretName | None = Field(
        None, description="Secret with a kubeconfig for this cluster: Flux reconciles it from the hub.")
    context: Text | None = Field(
        None, description="kubeconfig context of this cluster, used by promotion health gates.")
    labels: Labels = Field({}, description="Labels copied onto the Argo CD objects generated for this cluster.")
    wave: Annotated[Int, Field(ge=0, le=1000)] = Field(
        0, description="Rollout order of the clusters inside the environment (lower first).")


class Sync(StrictModel):
    automated: bool = Field(True, description="Argo CD syncs automatically when Git changes.")
    prune: bool = Field(True, description="Delete objects that were removed from Git.")
    selfHeal: bool = Field(True, description="Undo changes made in the cluster by hand.")


class EnvironmentSpec(StrictModel):
    namespace: Name = Field(description="Namespace the models run in, on every cluster of the environment.")
    clusters: Annotated[list[Cluster], Field(min_length=1)] = Field(
        description="The clusters of this environment; each model listed runs on every one.")
    sync: Sync = Field(Sync(), description="Argo CD sync policy (and Flux prune) of this environment's releases.")
    # Partial model specs: checked once merged into each model (resolve/fleet.py).
    overrides: dict[str, Any] = Field(
        {}, description="A partial Model spec applied to every model in this environment.")
    models: dict[Name, dict[str, Any] | None] = Field(
        description="The models that run here, by name; each a partial Model spec, e.g. a pinned version.")


def environment_problems(spec: EnvironmentSpec) -> list[SpecProblem]:
    problems: list[SpecProblem] = []
    seen: set[str] = set()
    for i, cluster in enumerate(spec.clusters):
        if cluster.name in seen:
            problems.append((("clusters", i, "name"), f"cluster {cluster.name!r} is listed twice"))
        seen.add(cluster.name)
    return problems


# --- Project -----------------------------------------------------------------

_REL_PATH = re.compile(r"^(?!/)(?!.*(^|/)\.\.?(/|$))[A-Za-z0-9._/-]+$")
RelPath = Annotated[str, _checked(_REL_PATH, "a relative path inside the Git repository (no '..')")]


class ArgoCDSettings(StrictModel):
    namespace: Name = Field(
        "argocd", description="Namespace of the generated Applications, ApplicationSets and AppProjects.")
    mode: Literal["rendered", "plugin"] = Field(
        "rendered", description="rendered: Argo CD reads the committed output; plugin: it runs gitops-gen at sync time.")
    applicationSets: bool = Field(
        False, description="true: an ApplicationSet per (environment, model); false: an Application per release.")


class FluxSettings(StrictModel):
    namespace: Name = Field(
        "flux-system", description="Namespace of the generated GitRepository and Kustomizations.")
    interval: Duration = Field("5m", description="How often Flux reconciles, e.g. 5m.")
    # Flux defaults timeout to interval; models can take minutes to load, so
    # we always write it, and let users choose.
    timeout: Duration = Field("10m", description="Timeout of each Kustomization's apply and health checks.")


_API_VERSION = re.compile(r"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?v[0-9]+((alpha|beta)[0-9]+)?$")
_KIND_NAME = re.compile(r"^[A-Z][A-Za-z0-9]{0,62}$")


class AllowedKind(StrictModel):
    apiVersion: Annotated[str, _checked(_API_VERSION, "an apiVersion such as v1 or example.com/v1beta1")] = Field(
        description="The kind's apiVersion, e.g. example.com/v1.")
    kind: Annotated[str, _checked(_KIND_NAME, "a Kubernetes kind name such as Widget")] = Field(
        description="The kind, e.g. Widget.")


class ExtensionSettings(StrictModel):
    allowedKinds: list[AllowedKind] = Field(
        [], description="Kinds without a bundled schema that templates and components may produce, unchecked. "
                        "Objects of any other kind without a schema are refused.")


class ProjectSpec(StrictModel):
    repoURL: Annotated[str, Field(min_length=1)] = Field(
        description="The Git repository Argo CD and Flux read (http(s):// or ssh://).")
    targetRevision: Text = Field("main", description="Branch the controllers follow.")
    sourcePath: RelPath = Field("environments", description="Path of this source tree inside the Git repository.")
    renderedPath: RelPath = Field("rendered", description="Path of the rendered output inside the Git repository.")
    engines: Annotated[list[Literal["argocd", "flux"]], Field(min_length=1)] = Field(
        ["argocd"], description="Which GitOps engines to generate objects for: argocd, flux or both.")
    promotion: list[Name] = Field(
        [], description="Environment names in promotion order, e.g. [dev, staging, prod].")
    argocd: ArgoCDSettings = Field(ArgoCDSettings(), description="Argo CD settings.")
    flux: FluxSettings = Field(FluxSettings(), description="Flux settings.")
    extensions: ExtensionSettings = Field(
        ExtensionSettings(), description="What users' templates and components may produce.")


def project_problems(spec: ProjectSpec) -> list[SpecProblem]:
    problems: list[SpecProblem] = []
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


class Metadata(StrictModel):
    name: Name = Field(description="Name of this document (a DNS-1123 label).")
    labels: Labels = Field({}, description="Labels; a Model's are copied onto its workload objects.")
    annotations: dict[str, str] = Field({}, description="Free-form annotations.")


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

# Every field name users can write, for "did you mean" hints.
FIELD_NAMES: frozenset[str] = frozenset(
    name
    for cls in (Resources, Replicas, Autoscaling, Canary, GatewayRef, Variant, AB, RolloutSpec, Alerts,
                Monitoring, SecretEnv, Toleration, ModelSpec, Cluster, Sync, EnvironmentSpec, ArgoCDSettings,
                FluxSettings, ProjectSpec, Metadata, ProjectDocument)
    for name in cls.model_fields
) | {"kind"}
