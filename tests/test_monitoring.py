"""monitoring: what scrapes each kind of server, the alert rules' metrics and thresholds, the dashboard."""
from __future__ import annotations

import json

import pytest

from generator.builders.monitoring import seconds
from tests.helpers import AB, DEPLOYMENT_MODEL, KSERVE_MODEL, edited, problems, rec_objects

MONITORING = "monitoring: {metrics: true, path: /stats, alerts: {errorRate: 0.02, latencyP99: 750ms}, dashboard: true}\n"


def test_deployment_gets_a_service_monitor_on_the_service_port_name(tmp_path):
    objects = rec_objects(tmp_path, DEPLOYMENT_MODEL, MONITORING)
    monitor, service = objects[("ServiceMonitor", "rec")], objects[("Service", "rec")]
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    [endpoint] = monitor["spec"]["endpoints"]
    assert endpoint == {"port": service["spec"]["ports"][0]["name"], "path": "/stats"}
    # The selector matches the Service's own labels.
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    assert monitor["spec"]["podTargetLabels"] == ["app.kubernetes.io/version", "gitops-gen.io/model"]


def test_alert_rules_use_the_conventional_http_metrics_of_a_custom_server(tmp_path):
    rule = rec_objects(tmp_path, DEPLOYMENT_MODEL, MONITORING)[("PrometheusRule", "rec")]
    [group] = rule["spec"]["groups"]
    error, latency = group["rules"]
    assert error["alert"] == "ModelErrorRateHigh" and error["for"] == "5m"
    selector = 'namespace="ml-dev", gitops_gen_io_model="rec"'
    by = "namespace, app_kubernetes_io_version, gitops_gen_io_model"
    assert error["expr"] == (
        f'sum by ({by}) (rate(http_requests_total{{{selector}, status=~"5.*"}}[5m])) / '
        f'sum by ({by}) (rate(http_requests_total{{{selector}}}[5m])) > 0.02')
    assert latency["expr"] == (
        f"histogram_quantile(0.99, sum by (le, {by}) "
        f"(rate(http_request_duration_seconds_bucket{{{selector}}}[5m]))) > 0.75")


def test_a_rollout_is_scraped_through_its_pods_not_its_two_services(tmp_path):
    objects = rec_objects(tmp_path, DEPLOYMENT_MODEL, "rollout: {strategy: canary}\n" + MONITORING)
    assert ("ServiceMonitor", "rec") not in objects
    monitor = objects[("PodMonitor", "rec")]
    assert monitor["spec"]["selector"]["matchLabels"] == objects[("Rollout", "rec")]["spec"]["selector"]["matchLabels"]
    assert monitor["spec"]["podMetricsEndpoints"] == [{"port": "http", "path": "/stats"}]


def test_ab_alerts_and_panels_split_by_variant(tmp_path):
    objects = rec_objects(tmp_path, DEPLOYMENT_MODEL, AB + "    " + MONITORING)
    monitor = objects[("ServiceMonitor", "rec")]
    # One ServiceMonitor finds both variants' Services.
    assert "gitops-gen.io/variant" not in monitor["spec"]["selector"]["matchLabels"]
    assert "gitops-gen.io/variant" in monitor["spec"]["podTargetLabels"]
    assert "gitops_gen_io_variant) (rate(" in objects[("PrometheusRule", "rec")]["spec"]["groups"][0]["rules"][0]["expr"]


def test_kserve_is_scraped_on_the_runtime_metrics_port_and_alerts_on_its_predict_histogram(tmp_path):
    objects = rec_objects(tmp_path, KSERVE_MODEL, "monitoring: {metrics: true, alerts: {latencyP99: 2s}}\n")
    isvc = objects[("InferenceService", "rec")]
    assert isvc["metadata"]["annotations"]["serving.kserve.io/enable-prometheus-scraping"] == "true"
    monitor = objects[("PodMonitor", "rec")]
    assert monitor["spec"]["selector"]["matchLabels"] == {"gitops-gen.io/model": "rec", "component": "predictor"}
    [endpoint] = monitor["spec"]["podMetricsEndpoints"]
    keep, address = endpoint["relabelings"]
    assert keep["regex"] == "kserve-container"
    assert address["sourceLabels"][1] == "__meta_kubernetes_pod_annotation_prometheus_kserve_io_port"
    [rule] = objects[("PrometheusRule", "rec")]["spec"]["groups"][0]["rules"]
    assert "rate(request_predict_seconds_bucket{" in rule["expr"] and rule["expr"].endswith(" > 2")


def test_kserve_knative_alerts_on_queue_proxy_metrics_in_milliseconds(tmp_path):
    objects = rec_objects(tmp_path, KSERVE_MODEL, "deploymentMode: Knative\n"
                                                  "monitoring: {metrics: true, alerts: {errorRate: 0.1, latencyP99: 1s}}\n")
    endpoints = objects[("PodMonitor", "rec")]["spec"]["podMetricsEndpoints"]
    assert endpoints[1] == {"port": "http-usermetric", "path": "/metrics"}
    error, latency = objects[("PrometheusRule", "rec")]["spec"]["groups"][0]["rules"]
    assert 'revision_request_count{namespace="ml-dev", gitops_gen_io_model="rec", response_code_class="5xx"}' \
        in error["expr"]
    # The histogram counts milliseconds; the rule compares seconds.
    assert "revision_request_latencies_bucket" in latency["expr"] and latency["expr"].endswith(" * 0.001 > 1")


def test_dashboard_is_a_labelled_config_map_with_deterministic_json(tmp_path):
    objects = rec_objects(tmp_path, DEPLOYMENT_MODEL, MONITORING)
    config_map = objects[("ConfigMap", "rec-dashboard")]
    assert config_map["metadata"]["labels"]["grafana_dashboard"] == "1"
    [(key, text)] = config_map["data"].items()
    assert key == "rec.json"
    dashboard = json.loads(text)
    assert text == json.dumps(dashboard, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert [p["title"] for p in dashboard["panels"]] == [
        "Requests per second", "Failed share of requests", "Latency", "Replicas (pods scraped and up)"]
    latency = dashboard["panels"][2]
    assert [t["expr"].split(",")[0] for t in latency["targets"]] == [
        "histogram_quantile(0.5", "histogram_quantile(0.9", "histogram_quantile(0.99"]
    assert len(dashboard["uid"]) <= 40
    # Same input, same bytes.
    assert rec_objects(tmp_path / "again", DEPLOYMENT_MODEL, MONITORING)[("ConfigMap", "rec-dashboard")] == config_map


def test_a_runtime_without_latency_histogram_gets_no_latency_panel(tmp_path):
    model = edited(edited(KSERVE_MODEL, "format: sklearn", "format: onnx"), "runtime: kserve-sklearnserver", "runtime: kserve-tritonserver")
    objects = rec_objects(tmp_path, model, "monitoring: {metrics: true, alerts: {errorRate: 0.1}, dashboard: true}\n")
    [rule] = objects[("PrometheusRule", "rec")]["spec"]["groups"][0]["rules"]
    assert "nv_inference_request_failure" in rule["expr"]
    dashboard = json.loads(objects[("ConfigMap", "rec-dashboard")]["data"]["rec.json"])
    assert "Latency" not in [p["title"] for p in dashboard["panels"]]


@pytest.mark.parametrize("model, extra, expected", [
    (KSERVE_MODEL, "monitoring: {metrics: true, alerts: {errorRate: 0.1}}\n",
     "models/rec.yaml:10: spec.monitoring.alerts.errorRate: KServe's Python model server exports no count of "
     "failed requests to alert on; with deploymentMode: Knative"),
    (edited(KSERVE_MODEL, "runtime: kserve-sklearnserver", "runtime: kserve-tritonserver"),
     "monitoring: {metrics: true, alerts: {latencyP99: 1s}}\n",
     "models/rec.yaml:10: spec.monitoring.alerts.latencyP99: NVIDIA Triton exports no latency histogram"),
    (edited(KSERVE_MODEL, "runtime: kserve-sklearnserver", "runtime: my-runtime"),
     "monitoring: {metrics: true, alerts: {latencyP99: 1s}}\n",
     "models/rec.yaml:10: spec.monitoring.alerts.latencyP99: this runtime (runtime my-runtime) exports no"),
    (DEPLOYMENT_MODEL, "monitoring: {alerts: {errorRate: 0.1}}\n",
     "models/rec.yaml:10: spec.monitoring.alerts: needs monitoring.metrics: true"),
])
def test_alerts_the_server_cannot_support_are_refused(tmp_path, model, extra, expected):
    [found] = problems(tmp_path, model, extra)
    assert found.startswith(expected), found


def test_durations_in_seconds():
    assert (seconds("500ms"), seconds("1m30s"), seconds("2s"), seconds("1.5h")) == (0.5, 90.0, 2.0, 5400.0)
