"""Model serving in full: container fields, resources, KServe predictor fields, autoscaling,
annotations, transformers and explainers, and the located errors for fields that do not apply."""
from __future__ import annotations

import pytest

from generator.builders.validation import schema_errors
from generator.builders.workloads import workload_objects
from generator.errors import GitopsGenError
from generator.resolve.fleet import load_fleet
from tests.helpers import model_tree


def objects_of(tmp_path, spec: dict, **kwargs) -> dict[str, dict]:
    """The release's workload objects by kind, each checked against its upstream schema."""
    (release,) = load_fleet(model_tree(tmp_path, spec, **kwargs)).releases
    objects = workload_objects(release)
    for obj in objects:
        assert schema_errors(obj) == [], obj
    return {obj["kind"]: obj for obj in objects}


def problems_of(tmp_path, spec: dict, **kwargs) -> list[str]:
    with pytest.raises(GitopsGenError) as info:
        objects_of(tmp_path, spec, **kwargs)
    return [str(p) for p in info.value.problems]


SKLEARN = {"format": "sklearn", "storageUri": "gs://kfserving-examples/models/sklearn/1.0/model"}
CUSTOM = {"format": "custom", "serving": "deployment", "image": "ghcr.io/acme/m:1"}


# --- containers ---------------------------------------------------------------------------------


def test_command_args_and_probes_reach_the_kserve_model_container(tmp_path):
    isvc = objects_of(tmp_path, {
        **SKLEARN, "command": ["python", "-m", "sklearnserver"], "args": ["--model_name={{ model }}"],
        "probes": {"readiness": {"httpGet": {"path": "/v2/health/ready", "port": 8080}},
                   "liveness": {"httpGet": {"path": "/health", "port": 8000, "scheme": "HTTPS"},
                                "initialDelaySeconds": 120},
                   "startup": {"tcpSocket": {"port": 8080}, "failureThreshold": 30}},
    })["InferenceService"]
    model = isvc["spec"]["predictor"]["model"]
    assert model["command"] == ["python", "-m", "sklearnserver"]
    assert model["args"] == ["--model_name=m"]
    assert model["readinessProbe"] == {"httpGet": {"path": "/v2/health/ready", "port": 8080}}
    assert model["livenessProbe"] == {"httpGet": {"path": "/health", "port": 8000, "scheme": "HTTPS"},
                                      "initialDelaySeconds": 120}
    assert model["startupProbe"] == {"tcpSocket": {"port": 8080}, "failureThreshold": 30}


def test_deployment_probes_replace_the_protocol_defaults_one_by_one(tmp_path):
    deployment = objects_of(tmp_path, {**CUSTOM, "args": ["--port", "8080"],
                                       "probes": {"liveness": {"exec": {"command": ["true"]}}}})["Deployment"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["args"] == ["--port", "8080"]
    assert container["livenessProbe"] == {"exec": {"command": ["true"]}}
    assert container["readinessProbe"]["httpGet"]["path"] == "/v2/health/ready"  # the default stays


def test_empty_env_value_and_optional_secret(tmp_path):
    isvc = objects_of(tmp_path, {**SKLEARN, "env": {"EMPTY": ""},
                                 "secretEnv": [{"name": "TOKEN", "secret": "s", "key": "k", "optional": True}]})
    assert isvc["InferenceService"]["spec"]["predictor"]["model"]["env"] == [
        {"name": "EMPTY", "value": ""},
        {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k", "optional": True}}},
    ]


def test_a_probe_needs_exactly_one_handler(tmp_path):
    problems = problems_of(tmp_path, {**SKLEARN, "probes": {"readiness": {"periodSeconds": 5}}})
    assert problems == ["models/m.yaml:10: spec.probes.readiness: a probe needs exactly one of httpGet, "
                        "tcpSocket, exec or grpc"]


def test_an_unknown_probe_field_is_refused(tmp_path):
    problems = problems_of(tmp_path, {**SKLEARN, "probes": {"readiness": {"httpGet": {"port": 80, "pth": "/"}}}})
    assert problems == ["models/m.yaml:13: spec.probes.readiness.httpGet.pth: unknown field (did you mean 'path'?)"]


# --- resources ----------------------------------------------------------------------------------


def test_requests_and_limits_override_the_shorthand_key_by_key(tmp_path):
    isvc = objects_of(tmp_path, {**SKLEARN, "resources": {
        "cpu": "1", "memory": "2Gi", "gpu": 1, "gpuResource": "amd.com/gpu",
        "requests": {"cpu": "100m", "ephemeral-storage": "20Gi"}, "limits": {"memory": "4Gi"}}})
    assert isvc["InferenceService"]["spec"]["predictor"]["model"]["resources"] == {
        "limits": {"amd.com/gpu": 1, "cpu": "1", "memory": "4Gi"},
        "requests": {"cpu": "100m", "ephemeral-storage": "20Gi", "memory": "2Gi"},
    }


def test_a_small_request_keeps_the_hpa_target_relative_to_it(tmp_path):
    # The HPA's utilization is a share of the request: 80% of 100m, not of the 1-CPU limit.
    objects = objects_of(tmp_path, {**CUSTOM, "replicas": {"min": 1, "max": 3},
                                    "resources": {"requests": {"cpu": "100m"}, "limits": {"cpu": "1"}}})
    (container,) = objects["Deployment"]["spec"]["template"]["spec"]["containers"]
    assert container["resources"] == {"limits": {"cpu": "1"}, "requests": {"cpu": "100m"}}


def test_a_request_above_its_limit_is_refused(tmp_path):
    problems = problems_of(tmp_path, {**SKLEARN, "resources": {"cpu": "1", "requests": {"cpu": "2"}}})
    assert problems == ["models/m.yaml:12: spec.resources.requests.cpu: the cpu request (2) is more than "
                        "its limit (1)"]


def test_an_accelerator_request_must_equal_its_limit(tmp_path):
    problems = problems_of(tmp_path, {**SKLEARN, "resources": {"requests": {"nvidia.com/gpu": "1"}}})
    assert problems == ["models/m.yaml:11: spec.resources.requests[\"nvidia.com/gpu\"]: nvidia.com/gpu is an extended "
                        "resource: its request must equal its limit (set resources.limits.nvidia.com/gpu, or leave "
                        "the request out)"]


def test_resources_merge_per_environment(tmp_path):
    isvc = objects_of(tmp_path, {**SKLEARN, "resources": {"cpu": "1", "limits": {"memory": "4Gi"}}},
                      environment={"resources": {"requests": {"cpu": "250m"}}})
    assert isvc["InferenceService"]["spec"]["predictor"]["model"]["resources"] == {
        "limits": {"cpu": "1", "memory": "4Gi"}, "requests": {"cpu": "250m"}}


# --- fields that do not apply, and KServe's defaults ---------------------------------------------


@pytest.mark.parametrize("spec, expected", [
    ({**CUSTOM, "transformer": {"image": "t:1"}},
     "spec.transformer: a KServe transformer: applies to serving: kserve, not serving: deployment"),
    ({**SKLEARN, "deploymentMode": "Knative", "autoscaling": {"class": "keda", "metric": "cpu", "target": 50}},
     "spec.autoscaling.class: keda needs deploymentMode: Standard; in Knative mode Knative's own autoscaler "
     "scales (class: kpa)"),
    ({**SKLEARN, "autoscaling": {"class": "none", "metric": "cpu"}},
     "spec.autoscaling.class: none scales nothing: leave out metric, target and query"),
    ({"format": "mlflow", "storageUri": "gs://m"},
     "spec.format: KServe looks for a runtime speaking v1 when protocol is not written, and none serves format: "
     "mlflow over v1: write protocol: v2"),
    ({**SKLEARN, "protocol": "grpc-v2"},
     "spec.protocol: no KServe runtime serves format: sklearn over grpc-v2; it speaks v1, v2 (KServe's Python "
     "servers answer gRPC on v2: keep protocol: v2 and set grpcPort: 8081)"),
    ({**CUSTOM, "replicas": {"min": 2}, "autoscaling": {"metric": "cpu"}},
     "spec.autoscaling: a HorizontalPodAutoscaler needs a maximum: set replicas.max"),
    ({**SKLEARN, "annotations": {"serving.kserve.io/deploymentMode": "Knative"}},
     "spec.annotations[\"serving.kserve.io/deploymentMode\"]: set by gitops-gen from deploymentMode: write that field"),
    ({"format": "huggingface"},
     "spec.storageUri: required for serving: kserve (or storageUris, or storage, or args naming --model_id)"),
    ({**SKLEARN, "deploymentMode": "Knative", "deploymentStrategy": {"type": "Recreate"}},
     "spec.deploymentStrategy: applies to deploymentMode: Standard only: KServe refuses it in Knative mode, where "
     "Knative rolls out revisions itself"),
    ({**SKLEARN, "deploymentMode": "Knative", "transformer": {"image": "t:1", "deploymentStrategy": {"type": "Recreate"}}},
     "spec.transformer.deploymentStrategy: applies to deploymentMode: Standard only: KServe refuses it in Knative "
     "mode, where Knative rolls out revisions itself"),
    ({**SKLEARN, "deploymentStrategy": {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}},
     "spec.deploymentStrategy.rollingUpdate: does not apply to type: Recreate (it stops every pod first)"),
    ({**SKLEARN, "deploymentStrategy": {"rollingUpdate": {"maxSurge": "0%", "maxUnavailable": "0"}}},
     "spec.deploymentStrategy.rollingUpdate.maxUnavailable: maxSurge and maxUnavailable cannot both be 0: the "
     "rollout could never replace a pod"),
    ({**SKLEARN, "explainer": {"image": "e:1", "deploymentStrategy": {"rollingUpdate": {"maxUnavailable": "150%"}}}},
     "spec.explainer.deploymentStrategy.rollingUpdate.maxUnavailable: 150% is more than 100%"),
    ({**SKLEARN, "deploymentStrategy": {"rollingUpdate": {"maxSurge": "one"}}},
     "spec.deploymentStrategy.rollingUpdate.maxSurge: 'one' is not a number of pods or a percentage such as \"25%\""),
    ({**CUSTOM, "deploymentStrategy": {"type": "Recreate"}},
     "spec.deploymentStrategy: not used with serving: deployment (the KServe predictor's Deployment strategy: "
     "applies to serving: kserve, not serving: deployment)"),
    ({**SKLEARN, "storageUris": [{"uri": "s3://b/base"}]},
     "spec.storageUris: KServe refuses storageUri and storageUris together: give one"),
    ({"format": "huggingface", "storageUris": [{"uri": "s3://b/base", "mountPath": "/base"},
                                               {"uri": "s3://b/adapters", "mountPath": "/adapters"}]},
     "spec.storageUris: KServe needs the mountPaths (other than pvc://) under one directory other than /, e.g. "
     "/mnt/models/base and /mnt/models/adapters"),
    ({"format": "huggingface", "storageUris": [{"uri": "s3://b/base", "mountPath": "/mnt/../etc"}]},
     "spec.storageUris[0].mountPath: '/mnt/../etc' is not an absolute path without '..', e.g. /mnt/models/base"),
    ({**SKLEARN, "explainer": {"image": "e:1", "collocated": True}},
     "spec.explainer.collocated: applies to a transformer only (KServe runs an explainer in pods of its own)"),
    ({**SKLEARN, "transformer": {"image": "t:1", "port": 8080}},
     "spec.transformer.port: applies to a collocated transformer (collocated: true); in pods of its own, a "
     "transformer listens on KServe's port"),
    ({**SKLEARN, "transformer": {"image": "t:1", "collocated": True, "replicas": {"min": 2}}},
     "spec.transformer.replicas: a collocated transformer runs in the predictor's pod: set it on the predictor"),
    ({**SKLEARN, "transformer": {"image": "t:1", "collocated": True, "env": {"STORAGE_URI": "gs://t"}}},
     "spec.transformer.env.STORAGE_URI: KServe refuses it in a collocated transformer: the predictor's storageUri "
     "is downloaded for the pod"),
    ({**CUSTOM, "storageUris": [{"uri": "s3://b/base"}]},
     "spec.storageUris: not used with serving: deployment (KServe's storage initializer: applies to serving: "
     "kserve, not serving: deployment)"),
    ({**CUSTOM, "logger": {"mode": "all"}},
     "spec.logger: not used with serving: deployment (KServe's request logger: applies to serving: kserve, not "
     "serving: deployment)"),
    ({**CUSTOM, "batcher": {"maxBatchSize": 8}},
     "spec.batcher: not used with serving: deployment (KServe's batcher: applies to serving: kserve, not "
     "serving: deployment)"),
    ({**CUSTOM, "timeout": 60},
     "spec.timeout: not used with serving: deployment (the KServe predictor's request timeout: applies to "
     "serving: kserve, not serving: deployment)"),
    ({"serving": "llm", "storageUri": "hf://facebook/opt-125m", "containerConcurrency": 4},
     "spec.containerConcurrency: not used with serving: llm (the KServe predictor's concurrency limit: applies to "
     "serving: kserve, not serving: llm)"),
    ({**SKLEARN, "logger": {"mode": "everything"}},
     "spec.logger.mode: 'everything' is not allowed: must be 'all', 'request' or 'response'"),
    ({**SKLEARN, "batcher": {"maxLatency": 0}}, "spec.batcher.maxLatency: must be greater than or equal to 1"),
    ({**SKLEARN, "containerConcurrency": -1}, "spec.containerConcurrency: must be greater than or equal to 0"),
    ({**SKLEARN, "transformer": {"image": "t:1", "logger": {"url": "http://x", "level": "debug"}}},
     "spec.transformer.logger.level: unknown field"),
    ({"serving": "helm", "chart": {"repo": "https://charts.example.com", "name": "c", "version": "1"},
      "podAnnotations": {"a": "b"}},
     "spec.podAnnotations: not used with serving: helm (the chart builds its own objects: set it in values)"),
    ({**SKLEARN, "storage": {"key": "gcs-creds"}},
     "spec.storageUri: with storage, KServe accepts only an s3://, hdfs:// or webhdfs:// URI"),
    ({"format": "sklearn", "storage": {"key": "k", "parameters": {"type": "gs"}}},
     "spec.storage.parameters.type: 'gs': KServe's storage spec supports s3, hdfs and webhdfs"),
    ({**CUSTOM, "storage": {"key": "k"}},
     "spec.storage: not used with serving: deployment (KServe's storage initializer: applies to serving: kserve, "
     "not serving: deployment)"),
    ({"format": "custom", "image": "ghcr.io/acme/m:1", "formatVersion": "2"},
     "spec.formatVersion: not used with serving: kserve (applies to a KServe runtime, not to format: custom: your "
     "image serves)"),
])
def test_a_field_that_does_not_apply_is_one_located_line(tmp_path, spec, expected):
    (problem,) = problems_of(tmp_path, spec)
    assert problem.split(": ", 1)[1] == expected


def test_kserve_writes_no_protocol_or_replicas_it_was_not_given(tmp_path):
    predictor = objects_of(tmp_path, {"format": "tensorflow", "storageUri": "gs://m"})["InferenceService"]["spec"]["predictor"]
    assert predictor == {"model": {"modelFormat": {"name": "tensorflow"}, "storageUri": "gs://m"}}


def test_model_annotations_reach_every_workload_object_and_spec_annotations_the_pods(tmp_path):
    objects = objects_of(tmp_path, {**CUSTOM, "annotations": {"example.com/pod": "yes"},
                                    "monitoring": {"metrics": True}},
                         metadata={"annotations": {"example.com/owner": "risk"}})
    for obj in objects.values():
        assert obj["metadata"]["annotations"]["example.com/owner"] == "risk"
    assert objects["Deployment"]["spec"]["template"]["metadata"]["annotations"] == {"example.com/pod": "yes"}
    assert "example.com/pod" not in objects["Service"]["metadata"]["annotations"]


def test_pod_annotations_reach_the_pods_only(tmp_path):
    pods_only = {"traffic.sidecar.istio.io/excludeOutboundPorts": "443"}
    isvc = objects_of(tmp_path / "kserve", {**SKLEARN, "podAnnotations": pods_only})["InferenceService"]
    assert isvc["spec"]["predictor"]["annotations"] == pods_only
    assert "traffic.sidecar.istio.io/excludeOutboundPorts" not in isvc["metadata"]["annotations"]
    deployment = objects_of(tmp_path / "deployment", {**CUSTOM, "annotations": {"example.com/both": "yes"},
                                                      "podAnnotations": pods_only})["Deployment"]
    assert deployment["spec"]["template"]["metadata"]["annotations"] == {**pods_only, "example.com/both": "yes"}
    assert "traffic.sidecar.istio.io/excludeOutboundPorts" not in deployment["metadata"]["annotations"]
    llm = objects_of(tmp_path / "llm", {"serving": "llm", "storageUri": "hf://Qwen/Qwen2.5-7B-Instruct",
                                        "podAnnotations": pods_only})["LLMInferenceService"]
    assert llm["spec"]["annotations"] == pods_only
    assert "traffic.sidecar.istio.io/excludeOutboundPorts" not in llm["metadata"]["annotations"]


def test_transformer_and_fields_merge_per_environment(tmp_path):
    isvc = objects_of(tmp_path, {**SKLEARN, "transformer": {"image": "t:1", "args": ["--a"]}},
                      environment={"transformer": {"args": ["--b"]}, "serviceAccountName": "reader",
                                   "imagePullSecrets": ["regcred"]})["InferenceService"]
    assert isvc["spec"]["transformer"] == {"containers": [{"name": "kserve-container", "image": "t:1", "args": ["--b"]}]}
    assert isvc["spec"]["predictor"]["serviceAccountName"] == "reader"
    assert isvc["spec"]["predictor"]["imagePullSecrets"] == [{"name": "regcred"}]


def test_logger_batcher_timeout_and_concurrency_are_written_as_given_and_merge_per_environment(tmp_path):
    isvc = objects_of(tmp_path, {
        **SKLEARN, "timeout": 30, "logger": {"mode": "request", "url": "http://dumper.default"},
        "batcher": {"maxBatchSize": 16},
        "transformer": {"image": "t:1", "containerConcurrency": 0, "logger": {"mode": "all"}},
        "explainer": {"image": "e:1", "timeout": 120, "batcher": {"timeout": 30}},
    }, environment={"timeout": 90, "containerConcurrency": 8, "logger": {"mode": "all"},
                    "batcher": {"maxLatency": 200}, "transformer": {"logger": {"url": "http://t.default"}}})
    spec = isvc["InferenceService"]["spec"]
    predictor = {k: v for k, v in spec["predictor"].items() if k != "model"}
    assert predictor == {"timeout": 90, "containerConcurrency": 8,
                         "logger": {"mode": "all", "url": "http://dumper.default"},
                         "batcher": {"maxBatchSize": 16, "maxLatency": 200}}
    assert spec["transformer"] == {"containerConcurrency": 0, "logger": {"mode": "all", "url": "http://t.default"},
                                   "containers": [{"name": "kserve-container", "image": "t:1"}]}
    assert spec["explainer"] == {"timeout": 120, "batcher": {"timeout": 30},
                                 "containers": [{"name": "kserve-container", "image": "e:1"}]}



# --- deploymentStrategy and storageUris --------------------------------------------------------------------


def test_deployment_strategy_reaches_the_predictor_transformer_and_explainer(tmp_path):
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}}
    spec = objects_of(tmp_path, {**SKLEARN, "deploymentStrategy": strategy,
                                 "transformer": {"image": "t:1", "deploymentStrategy": {"type": "Recreate"}},
                                 "explainer": {"image": "e:1"}})["InferenceService"]["spec"]
    assert spec["predictor"]["deploymentStrategy"] == strategy
    assert spec["transformer"]["deploymentStrategy"] == {"type": "Recreate"}
    assert "deploymentStrategy" not in spec["explainer"]


def test_a_pod_count_written_as_text_is_written_as_a_number(tmp_path):
    # Kubernetes reads the text "0" as a malformed percentage and refuses the Deployment KServe makes from it.
    predictor = objects_of(tmp_path, {**SKLEARN, "deploymentStrategy": {"rollingUpdate": {
        "maxSurge": "1", "maxUnavailable": "0"}}})["InferenceService"]["spec"]["predictor"]
    assert predictor["deploymentStrategy"] == {"rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}


def test_a_storage_spec_and_format_version_reach_the_model(tmp_path):
    # KServe's storage spec: the location through a storage-config Secret's key, with an s3:// URI or none.
    model = objects_of(tmp_path, {"format": "triton", "formatVersion": "2", "protocol": "v2",
                                  "storageUri": "s3://models/bloom",
                                  "storage": {"key": "internal-s3", "parameters": {"type": "s3", "bucket": "models"}}})[
        "InferenceService"]["spec"]["predictor"]["model"]
    assert model["modelFormat"] == {"name": "triton", "version": "2"}
    assert model["storageUri"] == "s3://models/bloom"
    assert model["storage"] == {"key": "internal-s3", "parameters": {"type": "s3", "bucket": "models"}}


def test_storage_uris_replace_storage_uri_and_keep_kserves_default_mount_path(tmp_path):
    predictor = objects_of(tmp_path, {"format": "huggingface", "storageUris": [
        {"uri": "s3://b/base", "mountPath": "/mnt/models/base"}, {"uri": "s3://b/adapters"}]})[
        "InferenceService"]["spec"]["predictor"]
    assert predictor["storageUris"] == [{"uri": "s3://b/base", "mountPath": "/mnt/models/base"},
                                        {"uri": "s3://b/adapters"}]
    assert "storageUri" not in predictor["model"]


def test_a_collocated_transformer_is_a_container_of_the_custom_predictors_pod(tmp_path):
    spec = objects_of(tmp_path, {"format": "custom", "image": "pytorch/torchserve:0.9.0-cpu", "transformer": {
        "collocated": True, "image": "kserve/image-transformer:latest", "port": 8080}})["InferenceService"]["spec"]
    assert spec == {"predictor": {"containers": [
        {"name": "kserve-container", "image": "pytorch/torchserve:0.9.0-cpu"},
        {"name": "transformer-container", "image": "kserve/image-transformer:latest",
         "ports": [{"containerPort": 8080, "protocol": "TCP"}]}]}}
