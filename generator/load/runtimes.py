"""Which Prometheus metrics a model's server really exports, by serving kind and runtime.

Alerts (``monitoring.alerts``) and dashboards are written against these
metrics; a model whose server exports no metric for an alert is refused
(spec.model_spec_problems) rather than given a rule that can never fire.
docs/rollouts.md ("Which metrics") lists them with their sources.
"""
from __future__ import annotations

from dataclasses import dataclass

RATE_WINDOW = "5m"


@dataclass(frozen=True)
class MetricFamily:
    """The metrics one kind of server exports, and the PromQL over them."""

    name: str  # how messages and docs call it
    requests: str | None  # counter of requests (of successful ones when ``errors`` is set)
    errors: str | None  # counter of failed requests, when the server counts them apart
    error_matcher: str  # label matcher selecting failed requests of ``requests`` ('' = none)
    latency_bucket: str | None  # the _bucket series of a request-latency histogram
    latency_unit: float  # seconds per unit of that histogram

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.error_matcher)

    @property
    def has_latency(self) -> bool:
        return self.latency_bucket is not None

    def request_rate(self, selector: str, by: str) -> str:
        total = _rate(self.requests, selector, by)
        return f"{total} + {_rate(self.errors, selector, by)}" if self.errors else total

    def error_ratio(self, selector: str, by: str) -> str:
        if self.errors:
            failed = _rate(self.errors, selector, by)
            return f"{failed} / ({self.request_rate(selector, by)})"
        failed = _rate(self.requests, f"{selector}, {self.error_matcher}", by)
        return f"{failed} / {_rate(self.requests, selector, by)}"

    def latency_quantile(self, quantile: float, selector: str, by: str) -> str:
        """The quantile in seconds, whatever unit the histogram counts in."""
        expr = (f"histogram_quantile({quantile}, sum by (le, {by}) "
                f"(rate({self.latency_bucket}{{{selector}}}[{RATE_WINDOW}])))")
        return expr if self.latency_unit == 1.0 else f"{expr} * {self.latency_unit:g}"


def _rate(metric: str | None, selector: str, by: str) -> str:
    return f"sum by ({by}) (rate({metric}{{{selector}}}[{RATE_WINDOW}]))"


# A server of our own (serving: deployment, or kserve with format: custom) is
# assumed to follow the common Prometheus client conventions: a counter
# `http_requests_total` with a `status` label and a histogram
# `http_request_duration_seconds` (prometheus-fastapi-instrumentator, the Go
# and Java HTTP middlewares, ...). `status` may be the code (503) or its class
# (5xx): the matcher accepts both.
CONVENTIONAL = MetricFamily("a server following the http_requests_total convention", "http_requests_total", None,
                            'status=~"5.*"', "http_request_duration_seconds_bucket", 1.0)

# Knative's queue-proxy sidecar (in every KServe predictor pod in Knative mode)
# counts each request with its response code class and times it in milliseconds.
KNATIVE = MetricFamily("Knative's queue-proxy", "revision_request_count", None, 'response_code_class="5xx"',
                       "revision_request_latencies_bucket", 0.001)

# KServe's Python model servers (sklearn, xgboost, lightgbm, huggingface, ...)
# time every predict call in a histogram but count no failures.
KSERVE_PYTHON = MetricFamily("KServe's Python model server", "request_predict_seconds_count", None, "",
                             "request_predict_seconds_bucket", 1.0)

# NVIDIA Triton counts successes and failures apart, and exports latency only
# as cumulative counters: no histogram, so no percentile.
TRITON = MetricFamily("NVIDIA Triton", "nv_inference_request_success", "nv_inference_request_failure", "",
                      None, 1.0)

# vLLM (serving: llm) serves the OpenAI API through FastAPI, instrumented by
# prometheus-fastapi-instrumentator (http_requests_total with status 2xx/5xx),
# and times each request end to end in vllm:e2e_request_latency_seconds.
VLLM = MetricFamily("vLLM", "http_requests_total", None, 'status=~"5.*"', "vllm:e2e_request_latency_seconds_bucket",
                    1.0)

UNKNOWN = MetricFamily("this runtime", None, None, "", None, 1.0)
# A chart's servers export whatever their authors chose: scraping works, but no
# alert or panel can be written against metrics nobody named.
HELM_CHART = MetricFamily("a Helm chart's server", None, None, "", None, 1.0)

_KSERVE_RUNTIMES = {
    "kserve-sklearnserver": KSERVE_PYTHON,
    "kserve-xgbserver": KSERVE_PYTHON,
    "kserve-lgbserver": KSERVE_PYTHON,
    "kserve-huggingfaceserver": KSERVE_PYTHON,
    "kserve-pmmlserver": KSERVE_PYTHON,
    "kserve-paddleserver": KSERVE_PYTHON,
    "kserve-tritonserver": TRITON,
    "kserve-autogluonserver": KSERVE_PYTHON,
}
# The runtime KServe picks for a format and protocol when none is pinned: the autoSelect
# runtime of highest priority among those speaking the protocol (config/runtimes in KServe
# v0.20). KServe selects as if for v1 when no protocol is written.
_PICKED_RUNTIMES: dict[str, dict[str, str]] = {
    "sklearn": {"v1": "kserve-sklearnserver", "v2": "kserve-sklearnserver"},
    "xgboost": {"v1": "kserve-xgbserver", "v2": "kserve-xgbserver"},
    "lightgbm": {"v1": "kserve-lgbserver", "v2": "kserve-lgbserver"},
    "huggingface": {"v1": "kserve-huggingfaceserver", "v2": "kserve-huggingfaceserver"},
    "pmml": {"v1": "kserve-pmmlserver", "v2": "kserve-pmmlserver"},
    "paddle": {"v1": "kserve-paddleserver", "v2": "kserve-paddleserver"},
    "mlflow": {"v2": "kserve-mlserver"},
    "autogluon": {"v1": "kserve-autogluonserver", "v2": "kserve-autogluonserver"},
    "tensorflow": {"v1": "kserve-tensorflow-serving", "grpc-v1": "kserve-tensorflow-serving",
                   "v2": "kserve-tritonserver", "grpc-v2": "kserve-tritonserver"},
    "onnx": {"v1": "kserve-openvino", "v2": "kserve-tritonserver", "grpc-v2": "kserve-tritonserver"},
    "triton": {"v2": "kserve-tritonserver", "grpc-v2": "kserve-tritonserver"},
    "pytorch": {"v1": "kserve-torchserve", "v2": "kserve-torchserve", "grpc-v2": "kserve-torchserve"},
}
# Where each runtime answers gRPC (its container args or server default, KServe v0.20).
_GRPC_PORTS = {
    "kserve-sklearnserver": 8081, "kserve-xgbserver": 8081, "kserve-lgbserver": 8081,
    "kserve-huggingfaceserver": 8081, "kserve-pmmlserver": 8081, "kserve-paddleserver": 8081,
    "kserve-tritonserver": 9000, "kserve-tensorflow-serving": 9000, "kserve-openvino": 9000,
    "kserve-torchserve": 7070, "kserve-autogluonserver": 8081,
}
DEFAULT_GRPC_PORT = 8081  # KServe's Python model server's --grpc_port


def picked_runtime(format: str | None, protocol: str | None, runtime: str | None) -> str | None:
    """The ServingRuntime a KServe predictor ends up on: the pinned one, else KServe's choice."""
    if runtime:
        return runtime
    return _PICKED_RUNTIMES.get(format or "", {}).get(protocol or "v1")


def grpc_port(format: str | None, protocol: str | None, runtime: str | None) -> int:
    return _GRPC_PORTS.get(picked_runtime(format, protocol, runtime) or "", DEFAULT_GRPC_PORT)


def metric_family(serving: str, format: str | None, deployment_mode: str, runtime: str | None,
                  protocol: str | None = None) -> MetricFamily:
    """The metrics a release's server exports."""
    if serving == "helm":
        return HELM_CHART
    if serving == "llm":
        return VLLM
    if serving == "kserve" and deployment_mode == "Knative":
        return KNATIVE
    if serving == "deployment" or (serving == "kserve" and format == "custom"):
        return CONVENTIONAL
    if serving != "kserve":
        return UNKNOWN
    return _KSERVE_RUNTIMES.get(picked_runtime(format, protocol, runtime) or "", UNKNOWN)
