"""monitoring -> a ServiceMonitor or PodMonitor, a PrometheusRule, a Grafana dashboard ConfigMap.

Which metrics exist depends on the server (generator/load/runtimes.py). Every
scraped series carries the pod labels ``gitops-gen.io/model``,
``app.kubernetes.io/version`` (and ``gitops-gen.io/variant`` in an A/B test)
as ``gitops_gen_io_model`` etc. (``podTargetLabels``), so alerts and panels
select a release the same way whatever scraped it, and split by version:
a canary's pods apart from the stable ones, variant a apart from b.
"""
from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from ..load.runtimes import RATE_WINDOW, MetricFamily, metric_family
from ..resolve.fleet import Release
from . import deployment, helm, llm, meta

API_VERSION = "monitoring.coreos.com/v1"
MODEL_LABEL = meta.PREFIX + "model"
VERSION_LABEL = "app.kubernetes.io/version"
KSERVE_CONTAINER = "kserve-container"
# Knative's queue-proxy serves its request metrics on this named port.
QUEUE_PROXY_METRICS_PORT = "http-usermetric"
# Grafana's dashboard sidecar loads ConfigMaps with this label (kube-prometheus-stack's default).
GRAFANA_DASHBOARD_LABEL = "grafana_dashboard"
ALERT_FOR = "5m"


def objects(release: Release) -> list[dict]:
    monitoring = release.spec.monitoring
    if not monitoring.metrics:
        return []
    out = [scrape_monitor(release)]
    if monitoring.alerts:
        out.append(prometheus_rule(release))
    if monitoring.dashboard:
        out.append(dashboard_config_map(release))
    return out


def target_labels(release: Release) -> list[str]:
    """Pod labels copied onto every scraped series."""
    labels = [VERSION_LABEL, MODEL_LABEL]
    if release.spec.rollout.strategy == "ab":
        labels.append(meta.VARIANT_LABEL)
    return labels


def _metric_label(label: str) -> str:
    # How Prometheus names a copied Kubernetes label: every other character becomes `_`.
    return re.sub(r"[^a-zA-Z0-9_]", "_", label)


def scrape_monitor(release: Release) -> dict:
    spec = release.spec
    path = spec.monitoring.path
    if spec.serving == "kserve":
        return _kserve_pod_monitor(release)
    if spec.serving == "llm":
        return _llm_pod_monitor(release)
    if spec.serving == "helm":
        return _chart_pod_monitor(release)
    selector = {"matchLabels": {k: v for k, v in meta.selector_labels(release).items() if k != meta.VARIANT_LABEL}}
    endpoint = {"port": deployment.HTTP_PORT_NAME, "path": path}
    if spec.rollout.strategy in ("canary", "bluegreen"):
        # A Rollout has two Services that both select every pod once it is fully
        # promoted: a ServiceMonitor would scrape each pod twice. Scrape the pods.
        kind, endpoints_field = "PodMonitor", "podMetricsEndpoints"
    else:
        # Selects the Service (each A/B variant's Service, in an A/B test) by its labels, on its port name.
        kind, endpoints_field = "ServiceMonitor", "endpoints"
    return {"apiVersion": API_VERSION, "kind": kind, "metadata": meta.workload_metadata(release),
            "spec": {"selector": selector, endpoints_field: [endpoint], "podTargetLabels": target_labels(release)}}


def _kserve_pod_monitor(release: Release) -> dict:
    """The predictor pods, scraped where KServe says their server's metrics are.

    KServe copies the InferenceService's labels onto its pods and adds
    ``component: predictor``; the runtime's ``prometheus.kserve.io/port``
    annotation (8080 for KServe's Python servers, 8002 for Triton) names the
    metrics port, which runtimes often do not declare as a container port.
    """
    spec = release.spec
    if spec.format == "custom":
        # Our own container declares its port (kserve.py): scrape it by name.
        endpoints: list[dict[str, Any]] = [{"port": "http1", "path": spec.monitoring.path}]
    else:
        endpoints = [{"path": spec.monitoring.path, "relabelings": [
            {"action": "keep", "sourceLabels": ["__meta_kubernetes_pod_container_name"], "regex": KSERVE_CONTAINER},
            {"action": "replace", "sourceLabels": ["__meta_kubernetes_pod_ip",
                                                   "__meta_kubernetes_pod_annotation_prometheus_kserve_io_port"],
             "regex": "(.+);([0-9]+)", "replacement": "$1:$2", "targetLabel": "__address__"},
        ]}]
    if spec.deploymentMode == "Knative":
        endpoints.append({"port": QUEUE_PROXY_METRICS_PORT, "path": "/metrics"})
    selector = {"matchLabels": {MODEL_LABEL: release.model, "component": "predictor"}}
    return {"apiVersion": API_VERSION, "kind": "PodMonitor", "metadata": meta.workload_metadata(release),
            "spec": {"selector": selector, "podMetricsEndpoints": endpoints, "podTargetLabels": target_labels(release)}}


def _llm_pod_monitor(release: Release) -> dict:
    """vLLM's pods, on its port, as KServe's "Observability for Canary Rollouts" scrapes them.

    KServe labels them ``kserve.io/component: workload``; ``gitops-gen.io/model``
    and the version come from the LLMInferenceService's ``spec.labels`` (llm.py).
    """
    selector = {"matchLabels": {MODEL_LABEL: release.model, **llm.WORKLOAD_COMPONENT}}
    endpoints = [{"portNumber": llm.VLLM_PORT, "path": release.spec.monitoring.path}]
    return {"apiVersion": API_VERSION, "kind": "PodMonitor", "metadata": meta.workload_metadata(release),
            "spec": {"selector": selector, "podMetricsEndpoints": endpoints, "podTargetLabels": target_labels(release)}}


def _chart_pod_monitor(release: Release) -> dict:
    """serving: helm: the chart's pods, found by the label Helm charts put on them by convention
    (``app.kubernetes.io/instance: <release name>``), scraped on ``port`` (default 8080).

    A chart's pods carry none of our labels, so the model and version that alerts
    and panels select on are written onto every series by relabeling instead.
    """
    spec = release.spec
    endpoint = {"portNumber": spec.port or deployment.DEFAULT_PORT, "path": spec.monitoring.path, "relabelings": [
        {"action": "replace", "targetLabel": _metric_label(MODEL_LABEL), "replacement": release.model},
        # The value the pods of every other serving carry in their label, so panels and alerts match both.
        {"action": "replace", "targetLabel": _metric_label(VERSION_LABEL),
         "replacement": meta.version_label(release.version) or release.version},
    ]}
    selector = {"matchLabels": {"app.kubernetes.io/instance": helm.release_name(release)}}
    return {"apiVersion": API_VERSION, "kind": "PodMonitor", "metadata": meta.workload_metadata(release),
            "spec": {"selector": selector, "podMetricsEndpoints": [endpoint]}}


# --- queries -------------------------------------------------------------------


def family(release: Release) -> MetricFamily:
    spec = release.spec
    return metric_family(spec.serving, spec.format, spec.deploymentMode, spec.runtime, spec.protocol)


def series_selector(release: Release) -> str:
    return f'namespace="{release.namespace}", {_metric_label(MODEL_LABEL)}="{release.model}"'


def group_by(release: Release) -> str:
    return ", ".join(["namespace", *(_metric_label(label) for label in target_labels(release))])


def seconds(duration: str) -> float:
    """A spec Duration (``500ms``, ``1m30s``) in seconds."""
    units = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
    return sum(float(n) * units[u] for n, u in re.findall(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)", duration))


def prometheus_rule(release: Release) -> dict:
    alerts = release.spec.monitoring.alerts
    assert alerts is not None  # objects() asks for this rule only when alerts are set
    metrics, selector, by = family(release), series_selector(release), group_by(release)
    who = f"{release.model} {{{{ $labels.{_metric_label(VERSION_LABEL)} }}}} in {{{{ $labels.namespace }}}}"
    rules = []
    if alerts.errorRate is not None:
        rules.append({
            "alert": "ModelErrorRateHigh",
            "expr": f"{metrics.error_ratio(selector, by)} > {alerts.errorRate:g}",
            "for": ALERT_FOR,
            "labels": {"severity": "warning"},
            "annotations": {
                "summary": f"{who}: more than {alerts.errorRate * 100:g}% of requests fail",
                "description": f"Share of failed requests over {RATE_WINDOW}, as counted by {metrics.name} "
                               f"(monitoring.alerts.errorRate: {alerts.errorRate:g}).",
            },
        })
    if alerts.latencyP99 is not None:
        rules.append({
            "alert": "ModelLatencyP99High",
            "expr": f"{metrics.latency_quantile(0.99, selector, by)} > {seconds(alerts.latencyP99):g}",
            "for": ALERT_FOR,
            "labels": {"severity": "warning"},
            "annotations": {
                "summary": f"{who}: 99th percentile latency above {alerts.latencyP99}",
                "description": f"99th percentile over {RATE_WINDOW} of {metrics.latency_bucket}, as timed by "
                               f"{metrics.name} (monitoring.alerts.latencyP99: {alerts.latencyP99}).",
            },
        })
    return {"apiVersion": API_VERSION, "kind": "PrometheusRule", "metadata": meta.workload_metadata(release),
            "spec": {"groups": [{"name": f"gitops-gen.{release.model}", "rules": rules}]}}


# --- dashboard -----------------------------------------------------------------


def dashboard_config_map(release: Release) -> dict:
    metadata = meta.workload_metadata(release, name=f"{release.model}-dashboard")
    metadata["labels"] = dict(sorted({**metadata["labels"], GRAFANA_DASHBOARD_LABEL: "1"}.items()))
    # Sorted keys and no whitespace: the same dashboard is always the same bytes.
    text = json.dumps(dashboard(release), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": {f"{release.model}.json": text}}


def dashboard(release: Release) -> dict:
    metrics, selector, by = family(release), series_selector(release), group_by(release)
    legend = "{{" + _metric_label(VERSION_LABEL) + "}}"
    if release.spec.rollout.strategy == "ab":
        legend = "{{" + _metric_label(meta.VARIANT_LABEL) + "}} " + legend
    panels = [("Requests per second", "reqps", [(metrics.request_rate(selector, by), legend)])]
    if metrics.has_errors:
        panels.append(("Failed share of requests", "percentunit", [(metrics.error_ratio(selector, by), legend)]))
    if metrics.has_latency:
        panels.append(("Latency", "s", [(metrics.latency_quantile(q, selector, by), f"p{round(q * 100)} {legend}")
                                        for q in (0.5, 0.9, 0.99)]))
    container = {"kserve": KSERVE_CONTAINER, "llm": llm.MAIN_CONTAINER}.get(release.spec.serving, "model")
    panels.append(("Replicas (pods scraped and up)", "short",
                   [(f'count by ({by}) (up{{{selector}, container="{container}"}} == 1)', legend)]))
    datasource = {"type": "prometheus", "uid": "${datasource}"}
    return {
        "title": f"{release.model} ({release.environment.name}, {release.cluster.name})",
        # Grafana uids are at most 40 characters; stable per environment and model.
        "uid": "gitops-gen-" + hashlib.sha256(f"{release.environment.name}/{release.model}".encode()).hexdigest()[:16],
        "tags": ["gitops-gen", release.environment.name, release.model],
        "schemaVersion": 39,
        "editable": False,
        "time": {"from": "now-6h", "to": "now"},
        "refresh": "1m",
        "templating": {"list": [{"name": "datasource", "label": "Data source", "type": "datasource",
                                 "query": "prometheus"}]},
        "panels": [
            {
                "id": i + 1,
                "type": "timeseries",
                "title": title,
                "datasource": datasource,
                "gridPos": {"h": 8, "w": 12, "x": 12 * (i % 2), "y": 8 * (i // 2)},
                "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
                "targets": [{"refId": chr(ord("A") + j), "datasource": datasource, "expr": expr,
                             "legendFormat": legend_format} for j, (expr, legend_format) in enumerate(targets)],
            }
            for i, (title, unit, targets) in enumerate(panels)
        ],
    }
