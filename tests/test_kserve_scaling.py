"""KServe autoscaling beyond the documentation's examples (tests/test_kserve_examples.py has those): KEDA's
Prometheus authentication, OpenTelemetry metrics, a transformer's or explainer's own metric, a canary pinned
to the previous revision, and the located line for each of them written where it does not apply."""
from __future__ import annotations

import pytest
import yaml

from generator.builders.validation import schema_errors
from generator.builders.workloads import workload_objects
from generator.errors import GitopsGenError
from generator.resolve.fleet import load_fleet
from tests.helpers import model_tree

HF = {"format": "huggingface", "storageUri": "hf://Qwen/Qwen2.5-0.5B-Instruct", "replicas": {"min": 1, "max": 5}}
PROMETHEUS = {"class": "keda", "metric": "prometheus", "query": "vllm:num_requests_running", "target": 2,
              "serverAddress": "http://prometheus.istio-system.svc.cluster.local:9090"}
OTEL = {"class": "keda", "metric": "opentelemetry", "metricNames": ["vllm:num_requests_running"],
        "query": "vllm:num_requests_running", "target": 4}
SKLEARN = {"format": "sklearn", "storageUri": "gs://kfserving-examples/models/sklearn/1.0/model"}
TRANSFORMER = {"image": "kserve/image-transformer:latest"}
SIDECAR = "sidecar.opentelemetry.io/inject"


def without(mapping: dict, key: str) -> dict:
    return {k: v for k, v in mapping.items() if k != key}


def services_of(tmp_path, spec: dict, **kwargs) -> list[dict]:
    """Every InferenceService of the model's releases, each checked against the v0.20 CRD."""
    out = []
    for release in load_fleet(model_tree(tmp_path, spec, **kwargs)).releases:
        for obj in workload_objects(release):
            assert schema_errors(obj) == [], obj
            if obj["kind"] == "InferenceService":
                out.append(obj)
    return out


def problems_of(tmp_path, spec: dict, **kwargs) -> list[str]:
    with pytest.raises(GitopsGenError) as info:
        services_of(tmp_path, spec, **kwargs)
    return [str(p) for p in info.value.problems]


def test_prometheus_authentication_is_written_where_the_v0_20_crd_takes_it(tmp_path):
    scaling = {**PROMETHEUS, "authenticationRef": "keda-prom-creds", "authModes": "bearer"}
    [isvc] = services_of(tmp_path, {**HF, "autoscaling": scaling})
    assert isvc["spec"]["predictor"]["autoScaling"] == {"metrics": [{"type": "External", "external": {
        "metric": {"backend": "prometheus", "serverAddress": "http://prometheus.istio-system.svc.cluster.local:9090",
                   "query": "vllm:num_requests_running"},
        "authenticationRef": {"authenticationRef": {"name": "keda-prom-creds"}, "authModes": "bearer"},
        "target": {"type": "Value", "value": "2"}}}]}


def test_a_namespaced_query_and_an_aggregation_over_time_reach_kedas_triggers(tmp_path):
    # KServe passes them on as the ScaledObject trigger's namespace and operationOverTime (keda_reconciler.go).
    [isvc] = services_of(tmp_path / "p", {**HF, "autoscaling": {**PROMETHEUS, "queryNamespace": "team-a"}})
    [metric] = isvc["spec"]["predictor"]["autoScaling"]["metrics"]
    assert metric["external"]["metric"] == {
        "backend": "prometheus", "serverAddress": "http://prometheus.istio-system.svc.cluster.local:9090",
        "query": "vllm:num_requests_running", "namespace": "team-a"}
    [isvc] = services_of(tmp_path / "o", {**HF, "autoscaling": {**OTEL, "operationOverTime": "avg"}})
    [metric] = isvc["spec"]["predictor"]["autoScaling"]["metrics"]
    assert metric["podmetric"]["metric"]["operationOverTime"] == "avg"


def test_the_documentations_misplaced_authentication_is_refused_by_the_v0_20_crd():
    """Why keda-autoscaler.md:187 is in NOT_REPRODUCED: its autoScaling block, copied."""
    official = yaml.safe_load("""
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-fbopt
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
    autoScaling:
      metrics:
        - type: External
          external:
            metric:
              backend: "prometheus"
              serverAddress: "http://prometheus.istio-system.svc.cluster.local:9090"
              query: vllm:num_requests_running
              authModes: "bearer" # optional for secure access
            authenticationRef:    # optional for secure access
              name: keda-prom-creds
            target:
              type: Value
              value: "2"
""")
    assert len(schema_errors(official)) >= 2  # metric.authModes unknown; authenticationRef.authenticationRef missing


def test_authentication_without_modes_writes_the_reference_alone(tmp_path):
    [isvc] = services_of(tmp_path, {**HF, "autoscaling": {**PROMETHEUS, "authenticationRef": "prom-creds"}})
    [metric] = isvc["spec"]["predictor"]["autoScaling"]["metrics"]
    assert metric["external"]["authenticationRef"] == {"authenticationRef": {"name": "prom-creds"}}


def test_each_ab_variant_gets_the_collector_kserve_makes_for_its_own_predictor(tmp_path):
    spec = {**HF, "storageUri": "hf://acme/model:{{ version }}", "autoscaling": OTEL, "rollout": {
        "strategy": "ab", "ab": {"gateway": {"name": "gw"}, "variants": [
            {"name": "a", "version": "1.0.0", "weight": 90}, {"name": "b", "version": "1.1.0", "weight": 10}]}}}
    annotations = {isvc["metadata"]["name"]: isvc["metadata"]["annotations"][SIDECAR]
                   for isvc in services_of(tmp_path, spec, name="chat")}
    assert annotations == {"chat-a": "chat-a-predictor", "chat-b": "chat-b-predictor"}


def test_an_opentelemetry_metric_without_metric_names_asks_for_no_sidecar(tmp_path):
    [isvc] = services_of(tmp_path, {**HF, "autoscaling": without(OTEL, "metricNames"),
                                    "annotations": {SIDECAR: "my-collector"}})
    assert isvc["metadata"]["annotations"][SIDECAR] == "my-collector"
    [metric] = isvc["spec"]["predictor"]["autoScaling"]["metrics"]
    assert metric == {"type": "PodMetric", "podmetric": {
        "metric": {"backend": "opentelemetry", "query": "vllm:num_requests_running"},
        "target": {"type": "Value", "value": "4"}}}


def test_a_transformer_and_an_explainer_take_their_own_metric_under_the_models_class(tmp_path):
    spec = {**SKLEARN, "autoscaling": {"class": "keda", "metric": "cpu", "target": 60},
            "transformer": {**TRANSFORMER, "autoscaling": without(PROMETHEUS, "class")},
            "explainer": {"image": "kserve/alibi-explainer:latest", "autoscaling": {"metric": "memory", "target": 70}}}
    [isvc] = services_of(tmp_path, spec)
    assert isvc["metadata"]["annotations"]["serving.kserve.io/autoscalerClass"] == "keda"
    assert isvc["spec"]["transformer"]["autoScaling"]["metrics"][0]["type"] == "External"
    assert isvc["spec"]["explainer"]["autoScaling"] == {"metrics": [{"type": "Resource", "resource": {
        "name": "memory", "target": {"type": "Utilization", "averageUtilization": 70}}}]}
    assert "autoScaling" not in {**isvc["spec"]["transformer"], **isvc["spec"]["explainer"]}["containers"][0]


def test_a_transformers_metric_merges_per_environment(tmp_path):
    spec = {**SKLEARN, "transformer": {**TRANSFORMER, "autoscaling": {"metric": "cpu", "target": 50}}}
    [isvc] = services_of(tmp_path, spec, environment={"transformer": {"autoscaling": {"target": 75}}})
    transformer = isvc["spec"]["transformer"]
    assert (transformer["scaleMetric"], transformer["scaleTarget"]) == ("cpu", 75)


def test_without_autoscaling_nothing_new_is_written(tmp_path):
    [isvc] = services_of(tmp_path, {**SKLEARN, "transformer": TRANSFORMER})
    assert set(isvc["spec"]["transformer"]) == {"containers"}
    assert SIDECAR not in isvc["metadata"]["annotations"]


@pytest.mark.parametrize("spec, expected", [
    ({**HF, "autoscaling": {**OTEL, "class": "hpa"}},
     "spec.autoscaling.metric: opentelemetry needs class: keda (KEDA reads the metric from its OpenTelemetry "
     "add-on)"),
    ({**HF, "autoscaling": without(OTEL, "query")}, "spec.autoscaling.query: required for metric: opentelemetry"),
    ({**HF, "autoscaling": {**PROMETHEUS, "metricNames": ["x"]}},
     "spec.autoscaling.metricNames: applies to metric: opentelemetry"),
    ({**HF, "autoscaling": {**OTEL, "authenticationRef": "creds"}},
     "spec.autoscaling.authenticationRef: applies to metric: prometheus"),
    ({**HF, "autoscaling": {**OTEL, "queryNamespace": "team-a"}},
     "spec.autoscaling.queryNamespace: applies to metric: prometheus"),
    ({**HF, "autoscaling": {**PROMETHEUS, "operationOverTime": "rate"}},
     "spec.autoscaling.operationOverTime: applies to metric: opentelemetry"),
    ({**HF, "autoscaling": {"class": "keda", "metric": "cpu", "target": 50, "authModes": "basic"}},
     "spec.autoscaling.authModes: applies to metric: prometheus"),
    ({**HF, "autoscaling": {**PROMETHEUS, "authModes": "tls,basic"}},
     "spec.autoscaling.authModes: needs authenticationRef: the TriggerAuthentication holding the credentials for "
     "these modes"),
    ({**HF, "autoscaling": {"class": "none", "authenticationRef": "creds"}},
     "spec.autoscaling.class: none scales nothing: leave out metric, target and query"),
    ({**HF, "autoscaling": OTEL, "annotations": {SIDECAR: "other"}},
     f"spec.annotations[\"{SIDECAR}\"]: set by gitops-gen from autoscaling.metricNames: the collector KServe "
     "makes for them is named after the predictor"),
    ({**SKLEARN, "transformer": {**TRANSFORMER, "autoscaling": {"class": "hpa", "metric": "cpu"}}},
     "spec.transformer.autoscaling.class: the autoscaler class is the InferenceService's (one "
     "serving.kserve.io/autoscalerClass for all its components): set autoscaling.class on the model"),
    ({**SKLEARN, "transformer": {**TRANSFORMER, "autoscaling": {"metric": "rps", "target": 8}}},
     "spec.transformer.autoscaling.metric: rps autoscaling needs serving: kserve with deploymentMode: Knative "
     "(a HorizontalPodAutoscaler scales on cpu or memory)"),
    ({**SKLEARN, "transformer": {**TRANSFORMER, "autoscaling": without(PROMETHEUS, "class")}},
     "spec.transformer.autoscaling.metric: prometheus needs class: keda (KEDA runs the query); the class is the "
     "model's autoscaling.class"),
    ({**HF, "autoscaling": {"class": "keda"}, "transformer": {**TRANSFORMER, "autoscaling": {"metric": "cpu"}}},
     "spec.transformer.autoscaling.target: required with class: keda (KEDA needs a target per metric)"),
    ({**HF, "autoscaling": OTEL, "explainer": {"image": "e:1", "autoscaling": without(OTEL, "class")}},
     "spec.explainer.autoscaling.metric: opentelemetry applies to the predictor only (gitops-gen annotates the "
     "InferenceService for the predictor's OpenTelemetry collector)"),
    ({**SKLEARN, "autoscaling": {"class": "none"}, "explainer": {"image": "e:1", "autoscaling": {"metric": "cpu"}}},
     "spec.explainer.autoscaling: the model's autoscaling.class: none scales nothing: leave out metric, target "
     "and query"),
    ({**SKLEARN, "transformer": {**TRANSFORMER, "collocated": True, "autoscaling": {"metric": "cpu"}}},
     "spec.transformer.autoscaling: a collocated transformer runs in the predictor's pod: set it on the predictor"),
    ({**SKLEARN, "transformer": {**TRANSFORMER, "autoscaling": {"behavior": {}}}},
     "spec.transformer.autoscaling.behavior: applies to serving: llm only (KServe's Workload Variant Autoscaler)"),
    ({"serving": "llm", "storageUri": "hf://acme/chat", "replicas": {"min": 1, "max": 2},
      "autoscaling": {"class": "hpa", "metricNames": ["x"]}},
     "spec.autoscaling.metricNames: does not apply to serving: llm: the Workload Variant Autoscaler picks the "
     "replicas from vLLM's own metrics"),
    ({"format": "custom", "serving": "deployment", "image": "ghcr.io/acme/m:1",
      "rollout": {"strategy": "canary", "canary": {"steps": [0, 50]}}},
     "spec.rollout.canary.steps[0]: 0 applies to serving: kserve (every request to the previous revision); an "
     "Argo Rollouts step of 0 runs no canary pods: to roll back, set the previous version"),
])
def test_a_scaling_field_that_does_not_apply_is_one_located_line(tmp_path, spec, expected):
    (problem,) = problems_of(tmp_path, spec)
    assert problem.split(": ", 1)[1] == expected


def test_an_unknown_authentication_mode_is_refused_at_its_line(tmp_path):
    (problem,) = problems_of(tmp_path, {**HF, "autoscaling": {**PROMETHEUS, "authenticationRef": "c",
                                                                "authModes": "oauth"}})
    assert problem.split(": ", 2)[1] == "spec.autoscaling.authModes"


def test_the_sidecar_annotation_in_the_models_metadata_is_refused_with_metric_names(tmp_path):
    (problem,) = problems_of(tmp_path, {**HF, "autoscaling": OTEL}, metadata={"annotations": {SIDECAR: "x"}})
    assert problem.split(": ", 1)[1].startswith(f"metadata.annotations[\"{SIDECAR}\"]: set by gitops-gen")
