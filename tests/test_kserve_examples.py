"""KServe v0.20's documentation examples, written as Model specs: the InferenceService gitops-gen
writes is the official one field for field, apart from the labels and annotations gitops-gen adds
and the deploymentMode annotation it pins.

Each official object is copied from kserve/website, versioned_docs/version-0.20/<path>:<line>
(published at https://kserve.github.io/website/docs/<path without .md>), named in its comment.
"""
from __future__ import annotations

import pytest

from tests.helpers import assert_official_inference_service, edited

# The documentation's InferenceServices that are deliberately not reproduced, and why: each is one that the
# v0.20 CRD or KServe v0.20 refuses, one that KServe rewrites on admission (so the object in the cluster is
# never the one applied, and Argo CD or Flux would show a permanent difference), or not an object at all.
# The framework fields (predictor.sklearn, .triton, .tensorflow, ...) are of the second kind: KServe v0.20
# still accepts them, but gitops-gen writes predictor.model.modelFormat, which they become.
NOT_REPRODUCED = {
    "concepts/architecture/control-plane.md:621": "predictor.sklearn, a framework field",
    "concepts/resources/servingruntime.md:130": "predictor.triton, a framework field",
    "concepts/resources/servingruntime.md:295": "predictor.sklearn, a framework field",
    "model-serving/node-scheduling/isvc-node-scheduling.md:98, :116, :154, :179, :209, :230, :280, :329":
        "predictor.triton, a framework field (and transformer containers named kfserving-container, which "
        "KServe renames kserve-container)",
    "model-serving/storage/providers/uri.md:230": "predictor.tensorflow, a framework field",
    "reference/controlplane-client/kserve_sdk_v1beta1_sample.ipynb (both InferenceServices)":
        "Python SDK objects with predictor.tensorflow, a framework field",
    "model-serving/predictive-inference/autoscaling/kpa-autoscaler.md:158":
        "scaleMetric: qps, which the v0.20 CRD refuses (its enum is cpu, memory, concurrency, rps)",
    "model-serving/predictive-inference/frameworks/triton/torchscript/torchscript.md:253 and :283":
        "format triton without protocolVersion: KServe looks for a runtime speaking v1 and the Triton runtime "
        "speaks v2 and grpc-v2 only, so no runtime is found",
    "model-serving/predictive-inference/detect/art/art.md:20":
        "not valid YAML (the container's fields are indented under its name), and explainer.art is not a "
        "field of the v0.20 CRD",
    "model-serving/predictive-inference/detect/aif/aif.md:23":
        "an explainer container named explainer: KServe names the first explainer container kserve-container "
        "on admission (CustomExplainer.Default)",
    "model-serving/predictive-inference/explainers/trustyai/trustyai.md:16 and :227":
        "an explainer container named explainer, which KServe renames kserve-container",
    "model-serving/predictive-inference/transformers/feast-feature-store/feast-feature-store.md:225":
        "a transformer container named driver-container, which KServe renames kserve-container "
        "(CustomTransformer.Default)",
    "reference/time_series/api.md:202":
        "a single predictor container named timesfm, which KServe renames kserve-container (CustomPredictor.Default)",
    "model-serving/predictive-inference/transformers/collocation/collocation.md:88":
        "a container named 'transformer-container ' (with a trailing space), not a valid container name",
    "model-serving/storage/providers/git.md:27": "a fragment: no name and no model, only the env to add",
    "model-serving/predictive-inference/rollout-strategies/rollout-strategy-standard.md:29":
        "transformer.custom.container, not a field of the v0.20 CRD (a transformer lists containers), and pod "
        "counts written as text (\"0\"), which Kubernetes refuses in the Deployment KServe makes; its "
        "predictor's deploymentStrategy is tested from the same page's :164",
    "developer-guide/contribution.md:360 and :370": "fragments of the style guide: apiVersion and kind only",
    "model-serving/predictive-inference/kafka/kafka.md:310": "a KafkaSource's sink, not an InferenceService",
    "model-serving/predictive-inference/autoscaling/keda-autoscaler.md:187":
        "KEDA's Prometheus authentication misplaced: authModes under external.metric and authenticationRef.name, "
        "which the v0.20 CRD refuses (it takes external.authenticationRef: {authenticationRef: {name}, "
        "authModes}, which autoscaling.authenticationRef and authModes write)",
    "reference/integrations.md:298":
        "an OpenTelemetry metric (type PodMetric) without serving.kserve.io/autoscalerClass: keda, so KServe's "
        "default autoscaler leaves it unread (its HPA takes Resource metrics only), and without the query "
        "KServe's KEDA validation requires; autoscaling.md:234 and keda-autoscaler.md:367 are the working form",
}

# Valid v0.20 InferenceServices the spec cannot write yet, and the field each needs: open work (none left).
NOT_YET_EXPRESSIBLE: dict[str, str] = {}

EXAMPLES = []


def example(source: str, spec: dict, official: str, metadata: dict | None = None):
    EXAMPLES.append(pytest.param(spec, metadata, official, id=source))


SKLEARN_V2 = {"format": "sklearn", "protocol": "v2", "runtime": "kserve-sklearnserver",
              "storageUri": "gs://kfserving-examples/models/sklearn/1.0/model"}
HF_RESOURCES = {"cpu": "1", "memory": "2Gi", "requests": {"nvidia.com/gpu": "1"}, "limits": {"nvidia.com/gpu": "1"}}

# model-serving/predictive-inference/frameworks/sklearn/sklearn.md:82
example("sklearn-v2", SKLEARN_V2, """
metadata: {name: sklearn-iris}
spec:
  predictor:
    model:
      modelFormat: {name: sklearn}
      protocolVersion: v2
      runtime: kserve-sklearnserver
      storageUri: "gs://kfserving-examples/models/sklearn/1.0/model"
""")
# model-serving/predictive-inference/frameworks/sklearn/sklearn.md:181 (Knative: port h2c)
example("sklearn-grpc-knative", {**SKLEARN_V2, "deploymentMode": "Knative", "grpcPort": 8081}, """
metadata: {name: sklearn-iris-grpc}
spec:
  predictor:
    model:
      modelFormat: {name: sklearn}
      protocolVersion: v2
      runtime: kserve-sklearnserver
      storageUri: "gs://kfserving-examples/models/sklearn/1.0/model"
      ports: [{name: h2c, protocol: TCP, containerPort: 8081}]
""")
# model-serving/predictive-inference/frameworks/sklearn/sklearn.md:203 (Standard: port grpc-port)
example("sklearn-grpc-standard", {**SKLEARN_V2, "grpcPort": 8081}, """
metadata: {name: sklearn-iris-grpc}
spec:
  predictor:
    model:
      modelFormat: {name: sklearn}
      protocolVersion: v2
      runtime: kserve-sklearnserver
      storageUri: "gs://kfserving-examples/models/sklearn/1.0/model"
      ports: [{name: grpc-port, protocol: TCP, containerPort: 8081}]
""")
# model-serving/predictive-inference/frameworks/lightgbm/lightgbm.md:105
example("lightgbm-v1", {"format": "lightgbm", "storageUri": "gs://kfserving-examples/models/lightgbm/iris"}, """
metadata: {name: lightgbm-iris}
spec:
  predictor:
    model:
      modelFormat: {name: lightgbm}
      storageUri: "gs://kfserving-examples/models/lightgbm/iris"
""")
# model-serving/predictive-inference/frameworks/lightgbm/lightgbm.md:185
example("lightgbm-v2", {"format": "lightgbm", "protocol": "v2", "runtime": "kserve-lgbserver",
                        "storageUri": "gs://kfserving-examples/models/lightgbm/v2/iris"}, """
metadata: {name: lightgbm-iris}
spec:
  predictor:
    model:
      modelFormat: {name: lightgbm}
      protocolVersion: v2
      runtime: kserve-lgbserver
      storageUri: "gs://kfserving-examples/models/lightgbm/v2/iris"
""")
# model-serving/predictive-inference/frameworks/tensorflow/tensorflow.md:25
TF = {"format": "tensorflow", "storageUri": "gs://kfserving-examples/models/tensorflow/flowers",
      "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}}}
TF_OFFICIAL = """
metadata: {name: NAME}
spec:
  predictor:
    model:
      modelFormat: {name: tensorflow}
      storageUri: "gs://kfserving-examples/models/tensorflow/flowers"
      resources:
        requests: {cpu: "100m", memory: "256Mi"}
        limits: {cpu: "1", memory: "1Gi"}
"""
example("tensorflow", TF, edited(TF_OFFICIAL, "NAME", "flower-sample"))
# model-serving/predictive-inference/frameworks/tensorflow/tensorflow.md:125
example("tensorflow-grpc", {**TF, "deploymentMode": "Knative", "grpcPort": 9000},
        edited(TF_OFFICIAL, "NAME", "flower-grpc") + "      ports: [{containerPort: 9000, name: h2c, protocol: TCP}]\n")
# model-serving/predictive-inference/frameworks/tensorflow/tensorflow.md:152: grpc-v1 picks the
# runtime's gRPC port (TensorFlow Serving's 9000) by itself.
example("tensorflow-grpc-v1", {**TF, "protocol": "grpc-v1"},
        edited(edited(TF_OFFICIAL, "NAME", "flower-grpc"), "      storageUri", "      protocolVersion: grpc-v1\n"
                                                                               "      storageUri")
        + "      ports: [{containerPort: 9000, name: grpc-port, protocol: TCP}]\n")
# model-serving/predictive-inference/frameworks/overview.md:116
example("pytorch-runtime-version", {"format": "pytorch", "storageUri": "gs://kfserving-examples/models/torchscript",
                                    "runtimeVersion": "23.08-py3"}, """
metadata: {name: torchscript-cifar}
spec:
  predictor:
    model:
      modelFormat: {name: "pytorch"}
      storageUri: "gs://kfserving-examples/models/torchscript"
      runtimeVersion: 23.08-py3
""")
# model-serving/predictive-inference/frameworks/onnx/onnx.md:24
example("onnx", {"format": "onnx", "protocol": "v2", "storageUri": "gs://kfserving-examples/models/onnx",
                 "resources": {"requests": {"cpu": "100m", "memory": "512Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}}},
        """
metadata: {name: style-sample}
spec:
  predictor:
    model:
      protocolVersion: v2
      modelFormat: {name: onnx}
      storageUri: "gs://kfserving-examples/models/onnx"
      resources:
        requests: {cpu: "100m", memory: "512Mi"}
        limits: {cpu: "1", memory: "1Gi"}
""")
# model-serving/predictive-inference/frameworks/triton/torchscript/torchscript.md:146
example("triton-torchscript", {"format": "triton", "protocol": "v2",
                               "storageUri": "gs://kfserving-examples/models/torchscript",
                               "runtimeVersion": "20.10-py3", "env": {"OMP_NUM_THREADS": "1"},
                               "resources": {"cpu": 1, "memory": "2Gi"}}, """
metadata: {name: torchscript-cifar10}
spec:
  predictor:
    model:
      modelFormat: {name: triton}
      protocolVersion: v2
      storageUri: gs://kfserving-examples/models/torchscript
      runtimeVersion: 20.10-py3
      env: [{name: OMP_NUM_THREADS, value: "1"}]
      resources:
        limits: {cpu: 1, memory: 2Gi}
        requests: {cpu: 1, memory: 2Gi}
""")
# model-serving/predictive-inference/frameworks/huggingface/fill-mask/fill-mask.md:67 (GPU in requests and limits)
example("huggingface-gpu", {"format": "huggingface", "args": ["--model_name=bert"],
                            "storageUri": "hf://google-bert/bert-base-uncased", "resources": HF_RESOURCES}, """
metadata: {name: huggingface-bert}
spec:
  predictor:
    model:
      modelFormat: {name: huggingface}
      args: [--model_name=bert]
      storageUri: "hf://google-bert/bert-base-uncased"
      resources:
        limits: {cpu: "1", memory: 2Gi, nvidia.com/gpu: "1"}
        requests: {cpu: "1", memory: 2Gi, nvidia.com/gpu: "1"}
""")
# model-serving/predictive-inference/frameworks/huggingface/text-classification/text-classification.md:242
example("huggingface-v2-args", {"format": "huggingface", "protocol": "v2",
                                "args": ["--model_name=distilbert", "--return_probabilities"],
                                "storageUri": "hf://distilbert/distilbert-base-uncased-finetuned-sst-2-english",
                                "resources": HF_RESOURCES}, """
metadata: {name: huggingface-distilbert-probs}
spec:
  predictor:
    model:
      modelFormat: {name: huggingface}
      protocolVersion: v2
      args: [--model_name=distilbert, --return_probabilities]
      storageUri: "hf://distilbert/distilbert-base-uncased-finetuned-sst-2-english"
      resources:
        limits: {cpu: "1", memory: 2Gi, nvidia.com/gpu: "1"}
        requests: {cpu: "1", memory: 2Gi, nvidia.com/gpu: "1"}
""")
# model-serving/predictive-inference/frameworks/pmml/pmml.md:73 and :149
example("pmml-v1", {"format": "pmml", "storageUri": "gs://kfserving-examples/models/pmml"}, """
metadata: {name: pmml-demo}
spec: {predictor: {model: {modelFormat: {name: pmml}, storageUri: "gs://kfserving-examples/models/pmml"}}}
""")
example("pmml-v2", {"format": "pmml", "protocol": "v2", "runtime": "kserve-pmmlserver",
                    "storageUri": "gs://kfserving-examples/models/pmml"}, """
metadata: {name: pmml-iris}
spec:
  predictor:
    model: {modelFormat: {name: pmml}, protocolVersion: v2, runtime: kserve-pmmlserver,
            storageUri: "gs://kfserving-examples/models/pmml"}
""")
# model-serving/predictive-inference/frameworks/paddle/paddle.md:69 and :298
example("paddle-v1", {"format": "paddle", "storageUri": "gs://kfserving-examples/models/paddle/resnet50"}, """
metadata: {name: paddle-resnet50}
spec: {predictor: {model: {modelFormat: {name: paddle}, storageUri: "gs://kfserving-examples/models/paddle/resnet50"}}}
""")
example("paddle-v2-grpc", {"format": "paddle", "protocol": "v2", "runtime": "kserve-paddleserver",
                           "storageUri": "gs://kfserving-examples/models/paddle/resnet50",
                           "deploymentMode": "Knative", "grpcPort": 8081}, """
metadata: {name: paddle-v2-resnet50-grpc}
spec:
  predictor:
    model:
      modelFormat: {name: paddle}
      protocolVersion: v2
      runtime: kserve-paddleserver
      storageUri: "gs://kfserving-examples/models/paddle/resnet50"
      ports: [{name: h2c, protocol: TCP, containerPort: 8081}]
""")
# model-serving/predictive-inference/frameworks/mlflow/mlflow.md:186
example("mlflow", {"format": "mlflow", "protocol": "v2", "storageUri": "gs://kfserving-examples/models/mlflow/wine",
                   "resources": {"requests": {"cpu": "100m", "memory": "512Mi"},
                                 "limits": {"cpu": "1", "memory": "1Gi"}}}, """
metadata: {name: mlflow-v2-wine-classifier}
spec:
  predictor:
    model:
      modelFormat: {name: mlflow}
      protocolVersion: v2
      storageUri: "gs://kfserving-examples/models/mlflow/wine"
      resources:
        requests: {cpu: "100m", memory: "512Mi"}
        limits: {cpu: "1", memory: "1Gi"}
""")
# model-serving/predictive-inference/frameworks/custom-predictor/custom-predictor.md:152 and :409
CUSTOM = {"format": "custom", "image": "acme/custom-model:v1",
          "resources": {"requests": {"cpu": 1, "memory": "1Gi"}, "limits": {"cpu": 2, "memory": "2Gi"}}}
example("custom-predictor", {**CUSTOM, "args": ["--workers=1", "--http_port=8080", "--model_name=custom-model"]}, """
metadata: {name: custom-model}
spec:
  predictor:
    containers:
      - name: kserve-container
        image: acme/custom-model:v1
        args: [--workers=1, --http_port=8080, --model_name=custom-model]
        resources:
          limits: {cpu: 2, memory: 2Gi}
          requests: {cpu: 1, memory: 1Gi}
""")
example("custom-predictor-grpc", {**CUSTOM, "image": "acme/custom-model-grpc:v1", "deploymentMode": "Knative",
                                  "grpcPort": 8081,
                                  "args": ["--workers=1", "--grpc_port=8081", "--model_name=custom-model"]}, """
metadata: {name: custom-model-grpc}
spec:
  predictor:
    containers:
      - name: kserve-container
        image: acme/custom-model-grpc:v1
        args: [--workers=1, --grpc_port=8081, --model_name=custom-model]
        resources:
          limits: {cpu: 2, memory: 2Gi}
          requests: {cpu: 1, memory: 1Gi}
        ports: [{name: h2c, containerPort: 8081, protocol: TCP}]
""")
# model-serving/predictive-inference/autoscaling/hpa-autoscaler.md:32
example("hpa", {"format": "sklearn", "storageUri": "gs://kfserving-examples/models/sklearn/1.0/model",
                "autoscaling": {"class": "hpa", "metric": "cpu", "target": 80},
                "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}}},
        """
metadata:
  name: sklearn-iris-hpa
  annotations:
    serving.kserve.io/deploymentMode: Standard
    serving.kserve.io/autoscalerClass: hpa
spec:
  predictor:
    scaleTarget: 80
    scaleMetric: cpu
    model:
      modelFormat: {name: sklearn}
      storageUri: "gs://kfserving-examples/models/sklearn/1.0/model"
      resources:
        requests: {cpu: "100m", memory: "128Mi"}
        limits: {cpu: "1", memory: "1Gi"}
""")
# model-serving/predictive-inference/autoscaling/keda-autoscaler.md:29
example("keda-cpu", {**SKLEARN_V2, "replicas": {"min": 1, "max": 5},
                     "autoscaling": {"class": "keda", "metric": "cpu", "target": 50}}, """
metadata:
  name: sklearn-v2-iris
  annotations:
    serving.kserve.io/deploymentMode: "Standard"
    serving.kserve.io/autoscalerClass: "keda"
spec:
  predictor:
    model:
      modelFormat: {name: sklearn}
      protocolVersion: v2
      runtime: kserve-sklearnserver
      storageUri: "gs://kfserving-examples/models/sklearn/1.0/model"
    minReplicas: 1
    maxReplicas: 5
    autoScaling:
      metrics:
        - type: Resource
          resource: {name: cpu, target: {type: "Utilization", averageUtilization: 50}}
""")
# model-serving/generative-inference/autoscaling/autoscaling.md:82 (KEDA on a Prometheus query;
# monitoring.metrics writes enable-prometheus-scraping, spec.annotations the rest)
example("keda-prometheus", {
    "format": "huggingface", "args": ["--model_name=qwen"], "storageUri": "hf://Qwen/Qwen2.5-0.5B-Instruct",
    "resources": {"cpu": "1", "memory": "4Gi", "limits": {"cpu": "2", "memory": "6Gi", "nvidia.com/gpu": "1"},
                  "requests": {"nvidia.com/gpu": "1"}},
    "replicas": {"min": 1, "max": 5},
    "autoscaling": {"class": "keda", "metric": "prometheus", "query": "vllm:num_requests_running", "target": 2,
                    "serverAddress": "http://prometheus.istio-system.svc.cluster.local:9090"},
    "monitoring": {"metrics": True},
    "annotations": {"prometheus.io/scrape": "true", "prometheus.io/path": "/metrics", "prometheus.io/port": "8080",
                    "prometheus.io/scheme": "http"},
}, """
metadata:
  name: huggingface-qwen
  annotations:
    serving.kserve.io/deploymentMode: "Standard"
    serving.kserve.io/autoscalerClass: "keda"
    serving.kserve.io/enable-prometheus-scraping: "true"
    prometheus.io/scrape: "true"
    prometheus.io/path: "/metrics"
    prometheus.io/port: "8080"
    prometheus.io/scheme: "http"
spec:
  predictor:
    model:
      modelFormat: {name: huggingface}
      args: [--model_name=qwen]
      storageUri: "hf://Qwen/Qwen2.5-0.5B-Instruct"
      resources:
        limits: {cpu: "2", memory: 6Gi, nvidia.com/gpu: "1"}
        requests: {cpu: "1", memory: 4Gi, nvidia.com/gpu: "1"}
    minReplicas: 1
    maxReplicas: 5
    autoScaling:
      metrics:
        - type: External
          external:
            metric:
              backend: "prometheus"
              serverAddress: "http://prometheus.istio-system.svc.cluster.local:9090"
              query: vllm:num_requests_running
            target: {type: Value, value: "2"}
""")
# model-serving/predictive-inference/autoscaling/kpa-autoscaler.md:31 (Knative, concurrency)
example("kpa-concurrency", {"format": "tensorflow", "storageUri": "gs://kfserving-examples/models/tensorflow/flowers",
                            "deploymentMode": "Knative", "autoscaling": {"metric": "concurrency", "target": 1}}, """
metadata: {name: flowers-sample}
spec:
  predictor:
    scaleTarget: 1
    scaleMetric: concurrency
    model:
      modelFormat: {name: tensorflow}
      storageUri: "gs://kfserving-examples/models/tensorflow/flowers"
""")
# model-serving/predictive-inference/autoscaling/kpa-autoscaler.md:272 (GPU shorthand: limits only)
example("kpa-gpu", {"format": "tensorflow", "storageUri": "gs://kfserving-examples/models/tensorflow/flowers",
                    "deploymentMode": "Knative", "runtimeVersion": "2.6.2-gpu", "resources": {"gpu": 1},
                    "autoscaling": {"metric": "concurrency", "target": 1}}, """
metadata: {name: flowers-sample-gpu}
spec:
  predictor:
    scaleTarget: 1
    scaleMetric: concurrency
    model:
      modelFormat: {name: tensorflow}
      storageUri: "gs://kfserving-examples/models/tensorflow/flowers"
      runtimeVersion: "2.6.2-gpu"
      resources:
        limits: {nvidia.com/gpu: 1}
""")
# model-serving/predictive-inference/autoscaling/kpa-autoscaler.md:378 (scale to zero)
example("scale-to-zero", {"format": "tensorflow", "storageUri": "gs://kfserving-examples/models/tensorflow/flowers",
                          "deploymentMode": "Knative", "replicas": {"min": 0}}, """
metadata: {name: flowers-sample}
spec:
  predictor:
    minReplicas: 0
    model:
      modelFormat: {name: tensorflow}
      storageUri: "gs://kfserving-examples/models/tensorflow/flowers"
""")
# model-serving/predictive-inference/explainers/alibi/tabular-explainer/tabular-explainer.md:22
example("explainer", {
    "format": "sklearn", "storageUri": "gs://kfserving-examples/models/sklearn/1.3/income/model",
    "replicas": {"min": 1}, "resources": {"requests": {"cpu": 0.1, "memory": "1Gi"}, "limits": {"cpu": 1, "memory": "1Gi"}},
    "explainer": {"image": "kserve/alibi-explainer:v0.12.1", "replicas": {"min": 1},
                  "args": ["--model_name=income", "--http_port=8080", "--predictor_host=income-predictor.default",
                           "--storage_uri=/mnt/models", "AnchorTabular"],
                  "env": {"STORAGE_URI": "gs://kfserving-examples/models/sklearn/1.3/income/explainer"},
                  "resources": {"requests": {"cpu": 0.1, "memory": "1Gi"}, "limits": {"cpu": 1, "memory": "4Gi"}}},
}, """
metadata: {name: income}
spec:
  predictor:
    minReplicas: 1
    model:
      modelFormat: {name: sklearn}
      storageUri: "gs://kfserving-examples/models/sklearn/1.3/income/model"
      resources:
        requests: {cpu: 0.1, memory: 1Gi}
        limits: {cpu: 1, memory: 1Gi}
  explainer:
    minReplicas: 1
    containers:
      - name: kserve-container
        image: kserve/alibi-explainer:v0.12.1
        args: [--model_name=income, --http_port=8080, --predictor_host=income-predictor.default,
               --storage_uri=/mnt/models, AnchorTabular]
        env: [{name: STORAGE_URI, value: "gs://kfserving-examples/models/sklearn/1.3/income/explainer"}]
        resources:
          requests: {cpu: 0.1, memory: 1Gi}
          limits: {cpu: 1, memory: 4Gi}
""")
# model-serving/predictive-inference/transformers/custom-transformer/custom-transformer.md:282 (the gRPC
# transformer in front of Triton): pytorch on a pinned Triton, its gRPC port, a transformer container.
example("transformer-grpc", {
    "format": "pytorch", "storageUri": "gs://kfserving-examples/models/torchscript", "runtime": "kserve-tritonserver",
    "runtimeVersion": "20.10-py3", "deploymentMode": "Knative", "grpcPort": 9000,
    "transformer": {"image": "kserve/image-transformer:latest", "command": ["python", "-m", "model"],
                    "args": ["--model_name", "cifar10", "--protocol", "grpc-v2"],
                    "resources": {"requests": {"cpu": "100m", "memory": "512Mi"},
                                  "limits": {"cpu": 1, "memory": "2Gi"}}},
}, """
metadata: {name: torch-grpc-transformer}
spec:
  predictor:
    model:
      modelFormat: {name: pytorch}
      storageUri: gs://kfserving-examples/models/torchscript
      runtime: kserve-tritonserver
      runtimeVersion: 20.10-py3
      ports: [{name: h2c, protocol: TCP, containerPort: 9000}]
  transformer:
    containers:
    - image: kserve/image-transformer:latest
      name: kserve-container
      command: ["python", "-m", "model"]
      args: [--model_name, cifar10, --protocol, grpc-v2]
      resources:
        limits: {cpu: 1, memory: 2Gi}
        requests: {cpu: 100m, memory: 512Mi}
""")
# model-serving/predictive-inference/autoscaling/keda-autoscaler.md:367 (KEDA on an OpenTelemetry metric: a
# Hugging Face model named by --model_id needs no storageUri; metricNames writes the collector sidecar's annotation)
example("keda-opentelemetry", {
    "format": "huggingface", "args": ["--model_name=fbopt", "--model_id=facebook/opt-125m"],
    "resources": {"cpu": "1", "memory": "4Gi"}, "replicas": {"min": 1, "max": 5},
    "autoscaling": {"class": "keda", "metric": "opentelemetry", "metricNames": ["vllm:num_requests_running"],
                    "query": "vllm:num_requests_running", "target": 4},
}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-fbopt
  annotations:
    serving.kserve.io/deploymentMode: "Standard"
    serving.kserve.io/autoscalerClass: "keda"
    sidecar.opentelemetry.io/inject: "huggingface-fbopt-predictor"
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=fbopt
        - --model_id=facebook/opt-125m
      resources:
        limits:
          cpu: "1"
          memory: 4Gi
        requests:
          cpu: "1"
          memory: 4Gi
    minReplicas: 1
    maxReplicas: 5
    autoScaling:
      metrics:
        - type: PodMetric
          podmetric:
            metric:
              backend: "opentelemetry"
              metricNames:
                - vllm:num_requests_running
              query: "vllm:num_requests_running"
            target:
              type: Value
              value: "4"
""")
# model-serving/generative-inference/autoscaling/autoscaling.md:234
example("keda-opentelemetry-qwen", {
    "format": "huggingface", "args": ["--model_name=qwen"], "storageUri": "hf://Qwen/Qwen2.5-0.5B-Instruct",
    "resources": {"cpu": "1", "memory": "4Gi"}, "replicas": {"min": 1, "max": 5},
    "autoscaling": {"class": "keda", "metric": "opentelemetry", "metricNames": ["vllm:num_requests_running"],
                    "query": "vllm:num_requests_running", "target": 4},
}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-qwen
  annotations:
    serving.kserve.io/deploymentMode: "Standard"
    serving.kserve.io/autoscalerClass: "keda"
    sidecar.opentelemetry.io/inject: "huggingface-qwen-predictor"
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=qwen
      storageUri: "hf://Qwen/Qwen2.5-0.5B-Instruct"
      resources:
        limits:
          cpu: "1"
          memory: 4Gi
        requests:
          cpu: "1"
          memory: 4Gi
    minReplicas: 1
    maxReplicas: 5
    autoScaling:
      metrics:
        - type: PodMetric
          podmetric:
            metric:
              backend: "opentelemetry"
              metricNames:
                - vllm:num_requests_running
              query: "vllm:num_requests_running"
            target:
              type: Value
              value: "4"
""")
# model-serving/predictive-inference/autoscaling/kpa-autoscaler.md:396 (the transformer's own metric and target;
# concurrency and rps are Knative's)
example("transformer-autoscaling", {
    "format": "pytorch", "storageUri": "gs://kfserving-examples/models/torchserve/image_classifier",
    "deploymentMode": "Knative", "autoscaling": {"metric": "concurrency", "target": 2},
    "transformer": {"image": "kserve/image-transformer:latest", "command": ["python", "-m", "model"],
                    "args": ["--model_name", "mnist"], "autoscaling": {"metric": "rps", "target": 8}},
}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: torch-transformer
spec:
  predictor:
    scaleTarget: 2
    scaleMetric: concurrency
    model:
      modelFormat:
        name: pytorch
      storageUri: gs://kfserving-examples/models/torchserve/image_classifier
  transformer:
    scaleTarget: 8
    scaleMetric: rps
    containers:
      - image: kserve/image-transformer:latest
        name: kserve-container
        command:
          - "python"
          - "-m"
          - "model"
        args:
          - --model_name
          - mnist
""")

# model-serving/predictive-inference/batcher/batcher.md:33
example("batcher", {"format": "pytorch", "storageUri": "gs://kfserving-examples/models/torchserve/image_classifier/v1",
                    "replicas": {"min": 1}, "timeout": 60, "batcher": {"maxBatchSize": 32, "maxLatency": 500}}, """
metadata: {name: "torchserve"}
spec:
  predictor:
    minReplicas: 1
    timeout: 60
    batcher:
      maxBatchSize: 32
      maxLatency: 500
    model:
      modelFormat:
        name: pytorch
      storageUri: gs://kfserving-examples/models/torchserve/image_classifier/v1
""")
SKLEARN_V1 = {"format": "sklearn", "storageUri": "gs://kfserving-examples/models/sklearn/1.0/model"}
# model-serving/predictive-inference/logger/basic-logger.md:93
example("logger", {"format": "sklearn", "storageUri": "gs://kserve-examples/models/sklearn/1.0/model",
                   "logger": {"mode": "all", "url": "http://message-dumper.default.svc.cluster.local"}}, """
metadata: {name: "sklearn-iris"}
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "gs://kserve-examples/models/sklearn/1.0/model"
    logger:
      mode: all
      url: http://message-dumper.default.svc.cluster.local
""")
# model-serving/predictive-inference/logger/request-header-logger.md:16 (the page indents predictor:
# beside spec:, which the API server would refuse; here it is under spec:, as on the other logger pages)
example("logger-request-headers", {**SKLEARN_V1, "logger": {
    "mode": "all", "url": "http://message-dumper.default/",
    "metadataHeaders": ["x-request-id", "x-b3-traceid", "x-b3-spanid", "x-b3-flags"]}}, """
metadata: {name: sklearn-iris}
spec:
  predictor:
    logger:
      mode: all
      url: http://message-dumper.default/
      metadataHeaders:
        - "x-request-id"
        - "x-b3-traceid"
        - "x-b3-spanid"
        - "x-b3-flags"
    model:
      modelFormat:
        name: sklearn
      storageUri: gs://kfserving-examples/models/sklearn/1.0/model
""")
# model-serving/predictive-inference/logger/blob-storage-logger.md:61 (predictor: under spec:, as above;
# the page's bucket placeholder [YOUR_BUCKET_NAME] is a bucket name here)
example("logger-blob-storage", {**SKLEARN_V1, "logger": {
    "mode": "all", "url": "s3://logs-bucket",
    "storage": {"path": "/logs", "parameters": {"type": "s3", "format": "json"}, "key": "logger-credentials",
                "serviceAccountName": "logger-sa"}}}, """
metadata: {name: sklearn-iris}
spec:
  predictor:
    logger:
      mode: all
      url: s3://logs-bucket
      storage:
        path: /logs
        parameters:
          type: s3
          format: json
        key: logger-credentials
        serviceAccountName: logger-sa
    model:
      modelFormat:
        name: sklearn
      storageUri: gs://kfserving-examples/models/sklearn/1.0/model
""")
# model-serving/predictive-inference/logger/knative-eventing-logger.md:88
example("logger-knative-broker", {**SKLEARN_V1, "deploymentMode": "Knative", "replicas": {"min": 1}, "logger": {
    "mode": "all", "url": "http://broker-ingress.knative-eventing.svc.cluster.local/default/default"}}, """
metadata: {name: sklearn-iris}
spec:
  predictor:
    minReplicas: 1
    logger:
      mode: all
      url: http://broker-ingress.knative-eventing.svc.cluster.local/default/default
    model:
      modelFormat:
        name: sklearn
      storageUri: gs://kfserving-examples/models/sklearn/1.0/model
""")


# --- The rest of the v0.20 documentation's InferenceServices --------------------------------------------------
MNIST_JOBLIB = {"format": "sklearn", "storageUri": "s3://bucket/sklearn/mnist.joblib"}
QWEN = {"format": "huggingface", "args": ["--model_name=qwen"], "storageUri": "hf://Qwen/Qwen2.5-0.5B-Instruct",
        "resources": {"cpu": "1", "memory": "4Gi", "limits": {"cpu": "2", "memory": "6Gi", "nvidia.com/gpu": "1"},
                      "requests": {"nvidia.com/gpu": "1"}}}
FIRST_SKLEARN = {**SKLEARN_V1, "resources": {"requests": {"cpu": "100m", "memory": "512Mi"},
                                             "limits": {"cpu": "1", "memory": "1Gi"}}}
LLAMA3 = {"format": "huggingface", "args": ["--model_name=llama3"], "storageUri": "hf://meta-llama/meta-llama-3-8b-instruct",
          "resources": {"cpu": "6", "memory": "24Gi", "requests": {"nvidia.com/gpu": "1"},
                        "limits": {"nvidia.com/gpu": "1"}}}
LLAMA3_8B = LLAMA3
MULTI_NODE = {"format": "huggingface", "storageUri": "pvc://llama-3-8b-pvc/hf/8b_instruction_tuned",
              "workers": {"pipelineParallelSize": 2, "tensorParallelSize": 1}}
TASK_RESOURCES = {"cpu": "1", "memory": "2Gi", "requests": {"memory": "1Gi", "nvidia.com/gpu": "1"},
                  "limits": {"nvidia.com/gpu": "1"}}
MOVIESENTIMENT = {"format": "sklearn", "storageUri": "gs://seldon-models/v1.16.0/sklearn/moviesentiment"}
CANARY_MODEL = {"format": "sklearn", "storageUri": "gs://kserve-examples/models/sklearn/1.0/model-2",
                "deploymentMode": "Knative", "resources": {"cpu": "100m", "memory": "256Mi"}}
MY_BUCKET_SKLEARN = {"format": "sklearn", "storageUri": "s3://my-bucket/model"}

# admin-guide/configurations.md:600
example("configurations-deployment-mode", {"format": "tensorflow", "storageUri": "gs://my-bucket/my-model"}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: my-inferenceservice
  annotations:
    serving.kserve.io/deploymentMode: "Standard"
spec:
  predictor:
    model:
      modelFormat:
        name: "tensorflow"
      storageUri: "gs://my-bucket/my-model"
""")
# admin-guide/gatewayapi-migration.md:172
example("gateway-api-migration", SKLEARN_V1, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-v2-iris"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "gs://kfserving-examples/models/sklearn/1.0/model"
""")
# admin-guide/serverless/kourier-networking/index.md:91
example("kourier", {"format": "pmml", "storageUri": "gs://kfserving-examples/models/pmml", "deploymentMode": "Knative"}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "pmml-demo"
spec:
  predictor:
    model:
      modelFormat:
        name: pmml
      storageUri: "gs://kfserving-examples/models/pmml"
""")
# admin-guide/serverless/servicemesh/index.md:136
example("servicemesh-sidecar", {**SKLEARN_V1, "deploymentMode": "Knative", "annotations": {"sidecar.istio.io/inject": "true"}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-iris-burst"
  namespace: user1
  annotations:
    "sidecar.istio.io/inject": "true"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "gs://kfserving-examples/models/sklearn/1.0/model"
""")
# admin-guide/serverless/servicemesh/index.md:153
example("servicemesh-burst-capacity", {**SKLEARN_V1, "deploymentMode": "Knative", "annotations": {
    "autoscaling.knative.dev/targetBurstCapacity": "0", "sidecar.istio.io/inject": "true"}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-iris"
  namespace: user1
  annotations:
    "autoscaling.knative.dev/targetBurstCapacity": "0"
    "sidecar.istio.io/inject": "true"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "gs://kfserving-examples/models/sklearn/1.0/model"
""")
# concepts/architecture/control-plane.md:555
example("control-plane-gateway-api", {**SKLEARN_V1, "deploymentMode": "Knative", "annotations": {
    "serving.knative.dev/enablePassthrough": "true", "networking.kserve.io/gateway-api": "true"}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: sklearn-iris
  annotations:
    serving.knative.dev/enablePassthrough: "true"
    networking.kserve.io/gateway-api: "true"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: gs://kfserving-examples/models/sklearn/1.0/model
""")
# concepts/architecture/control-plane.md:572
example("control-plane-ingress-class", {**SKLEARN_V1, "deploymentMode": "Knative", "annotations": {
    "serving.knative.dev/enablePassthrough": "true", "networking.kserve.io/ingress-class": "nginx"}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: sklearn-iris
  annotations:
    serving.knative.dev/enablePassthrough: "true"
    networking.kserve.io/ingress-class: "nginx"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: gs://kfserving-examples/models/sklearn/1.0/model
""")
# concepts/resources/servingruntime.md:107
example("servingruntime-mlserver", {**MNIST_JOBLIB, "runtime": "kserve-mlserver"}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: example-sklearn-isvc
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: s3://bucket/sklearn/mnist.joblib
      runtime: kserve-mlserver
""")
# concepts/resources/servingruntime.md:164
example("servingruntime-auto-select", MNIST_JOBLIB, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: example-sklearn-isvc
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: s3://bucket/sklearn/mnist.joblib
""")
# concepts/resources/servingruntime.md:237
example("servingruntime-v2", {**MNIST_JOBLIB, "protocol": "v2"}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: example-sklearn-isvc
spec:
  predictor:
    model:
      protocolVersion: v2
      modelFormat:
        name: sklearn
      storageUri: s3://bucket/sklearn/mnist.joblib
""")
# concepts/resources/servingruntime.md:308
example("servingruntime-pinned", {**MNIST_JOBLIB, "runtime": "kserve-sklearnserver"}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: example-sklearn-isvc
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: s3://bucket/sklearn/mnist.joblib
      runtime: kserve-sklearnserver
""")
# getting-started/genai-first-isvc.md:45
example("genai-first-isvc", QWEN, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "qwen-llm"
  namespace: kserve-test
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=qwen
      storageUri: "hf://Qwen/Qwen2.5-0.5B-Instruct"
      resources:
        limits:
          cpu: "2"
          memory: 6Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 4Gi
          nvidia.com/gpu: "1"
""")
# getting-started/genai-first-isvc.md:73
example("genai-first-isvc-heredoc", QWEN, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "qwen-llm"
  namespace: kserve-test
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=qwen
      storageUri: "hf://Qwen/Qwen2.5-0.5B-Instruct"
      resources:
        limits:
          cpu: "2"
          memory: 6Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 4Gi
          nvidia.com/gpu: "1"
""")
# getting-started/predictive-first-isvc.md:38
example("predictive-first-isvc", FIRST_SKLEARN, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-iris"
  namespace: kserve-test
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "gs://kfserving-examples/models/sklearn/1.0/model"
      resources:
        requests:
          cpu: "100m"
          memory: "512Mi"
        limits:
          cpu: "1"
          memory: "1Gi"
""")
# getting-started/predictive-first-isvc.md:62
example("predictive-first-isvc-heredoc", FIRST_SKLEARN, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-iris"
  namespace: kserve-test
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "gs://kfserving-examples/models/sklearn/1.0/model"
      resources:
        requests:
          cpu: "100m"
          memory: "512Mi"
        limits:
          cpu: "1"
          memory: "1Gi"
""")
# getting-started/swagger-ui.md:30
example("swagger-ui", {**SKLEARN_V1, "runtime": "kserve-sklearnserver", "args": ["--enable_docs_url=True"]}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-iris"
spec:
  predictor:
    model:
    # highlight-next-line
      args: ["--enable_docs_url=True"]
      modelFormat:
        name: sklearn
      runtime: kserve-sklearnserver
      storageUri: "gs://kfserving-examples/models/sklearn/1.0/model"
""")
# model-serving/generative-inference/ai-gateway/envoy-ai-gateway.md:61 (env as a list-map by name)
example("envoy-ai-gateway", {
    "format": "huggingface", "args": ["--model_name=llama3-1b", "--model_id=meta-llama/Llama-3.2-1B-Instruct"],
    "secretEnv": [{"name": "HF_TOKEN", "secret": "hf-secret", "key": "HF_TOKEN", "optional": False}],
    "env": {"KSERVE_OPENAI_ROUTE_PREFIX": ""},
    "resources": {"cpu": "4", "memory": "12Gi", "gpu": 1, "limits": {"cpu": "6"}, "requests": {"nvidia.com/gpu": "1"}}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama3-1b
  namespace: kserve-test
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=llama3-1b
        - --model_id=meta-llama/Llama-3.2-1B-Instruct
      env:
        - name: HF_TOKEN
          valueFrom:
            secretKeyRef:
              name: hf-secret
              key: HF_TOKEN
              optional: false

        - name: KSERVE_OPENAI_ROUTE_PREFIX # Disable OpenAI Route Prefix
          value: ""
      resources:
        requests:
          cpu: "4"
          memory: 12Gi
          nvidia.com/gpu: "1"
        limits:
          cpu: "6"
          memory: 12Gi
          nvidia.com/gpu: "1"
""")
# model-serving/generative-inference/kvcache-offloading/kvcache-offloading.md:198 (LMCache's config from a
# ConfigMap volume)
example("lmcache-volume", {
    "format": "huggingface", "replicas": {"min": 2},
    "args": ["--model_name=llama3", "--model_id=meta-llama/Llama-3.2-1B-Instruct", "--max-model-len=10000",
             "--kv-transfer-config", '{"kv_connector":"LMCacheConnectorV1", "kv_role":"kv_both"}',
             "--enable-chunked-prefill"],
    "env": {"LMCACHE_USE_EXPERIMENTAL": "True", "LMCACHE_CONFIG_FILE": "/lmcache/lmcache_config.yaml",
            "LMCACHE_LOG_LEVEL": "INFO"},
    "secretEnv": [{"name": "HF_TOKEN", "secret": "hf-secret", "key": "HF_TOKEN", "optional": False}],
    "resources": {**HF_RESOURCES, "cpu": 6, "memory": "24Gi"},
    "volumeMounts": [{"name": "lmcache-config-volume", "mountPath": "/lmcache", "readOnly": True}],
    "volumes": [{"name": "lmcache-config-volume", "configMap": {
        "name": "lmcache-config", "items": [{"key": "lmcache_config.yaml", "path": "lmcache_config.yaml"}]}}]}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-llama3
spec:
  predictor:
    minReplicas: 2
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=llama3
        - --model_id=meta-llama/Llama-3.2-1B-Instruct
        - --max-model-len=10000
        - --kv-transfer-config
        - '{"kv_connector":"LMCacheConnectorV1", "kv_role":"kv_both"}'
        - --enable-chunked-prefill
      env:
        - name: HF_TOKEN
          valueFrom:
            secretKeyRef:
              name: hf-secret
              key: HF_TOKEN
              optional: false
        - name: LMCACHE_USE_EXPERIMENTAL
          value: "True"
        - name: LMCACHE_CONFIG_FILE
          value: /lmcache/lmcache_config.yaml
        # Uncomment the following lines and comment the above env variable to provide configuration via env variables instead of ConfigMap.
        # - name: LMCACHE_REMOTE_URL
        #   value: redis://redis.default.svc.cluster.local:6379
        # - name: LMCACHE_REMOTE_SERDE
        #   value: naive
        # - name: LMCACHE_LOCAL_CPU
        #   value: "True"
        # - name: LMCACHE_CHUNK_SIZE
        #   value: "256"
        # - name: LMCACHE_MAX_LOCAL_CPU_SIZE
        #   value: "2.0"
        - name: LMCACHE_LOG_LEVEL
          value: "INFO"
      resources:
        limits:
          cpu: 6
          memory: 24Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: 6
          memory: 24Gi
          nvidia.com/gpu: "1"
      volumeMounts:
        - name: lmcache-config-volume
          mountPath: /lmcache
          readOnly: true
    volumes:
      - name: lmcache-config-volume
        configMap:
          name: lmcache-config
          items:
            - key: lmcache_config.yaml
              path: lmcache_config.yaml
""")
# model-serving/generative-inference/modelcache/localmodel.md:419
example("localmodel-isvc", LLAMA3, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-llama3
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=llama3
      storageUri: hf://meta-llama/meta-llama-3-8b-instruct
      resources:
        limits:
          cpu: "6"
          memory: 24Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "6"
          memory: 24Gi
          nvidia.com/gpu: "1"
""")
# model-serving/generative-inference/modelcache/localmodel.md:535
example("localmodel-namespace-isvc", LLAMA3, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-llama3
  namespace: my-team
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=llama3
      storageUri: hf://meta-llama/meta-llama-3-8b-instruct
      resources:
        limits:
          cpu: "6"
          memory: 24Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "6"
          memory: 24Gi
          nvidia.com/gpu: "1"
""")
# model-serving/generative-inference/multi-node/multi-node.md:131 (workers writes autoscalerClass: none)
example("multi-node", MULTI_NODE, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-llama3
  annotations:
    serving.kserve.io/deploymentMode: Standard
    serving.kserve.io/autoscalerClass: none
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      storageUri: pvc://llama-3-8b-pvc/hf/8b_instruction_tuned
    workerSpec:
      pipelineParallelSize: 2
      tensorParallelSize: 1
""")
# model-serving/generative-inference/multi-node/multi-node.md:287
example("multi-node-runtime", {**MULTI_NODE, "runtime": "kserve-huggingfaceserver-multinode"}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  annotations:
    serving.kserve.io/deploymentMode: Standard
    serving.kserve.io/autoscalerClass: none
  name: huggingface-llama3
spec:
  predictor:
    model:
      runtime: kserve-huggingfaceserver-multinode
      modelFormat:
        name: huggingface
      storageUri: pvc://llama-3-8b-pvc/hf/8b_instruction_tuned
    workerSpec:
      pipelineParallelSize: 2
      tensorParallelSize: 1
""")
# model-serving/generative-inference/overview.md:80
example("generative-overview", {
    "format": "huggingface", "storageUri": "hf://meta-llama/llama-3-8b-instruct",
    "resources": {"cpu": "1", "memory": "2Gi", "requests": {"nvidia.com/gpu": 1}, "limits": {"nvidia.com/gpu": 1}}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "huggingface-llm"
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      storageUri: "hf://meta-llama/llama-3-8b-instruct"
      resources:
        requests:
          cpu: "1"
          memory: "2Gi"
          nvidia.com/gpu: 1  # This triggers CUDA image selection
        limits:
          cpu: "1"
          memory: "2Gi"
          nvidia.com/gpu: 1
""")
# model-serving/generative-inference/tasks/embedding/embedding.md:91
example("embedding-vllm", {
    "format": "huggingface", "args": ["--model_name=sentence-transformer", "--task=embed"],
    "storageUri": "hf://sentence-transformers/all-MiniLM-L6-v2", "resources": TASK_RESOURCES}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: embedding-model
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=sentence-transformer
        - --task=embed
      storageUri: "hf://sentence-transformers/all-MiniLM-L6-v2"
      resources:
        limits:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 1Gi
          nvidia.com/gpu: "1"
""")
# model-serving/generative-inference/tasks/embedding/embedding.md:127
example("embedding-huggingface", {
    "format": "huggingface", "args": ["--model_name=sentence-transformer", "--task=text_embedding",
                                      "--backend=huggingface"],
    "storageUri": "hf://sentence-transformers/all-MiniLM-L6-v2", "resources": TASK_RESOURCES}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: embedding-model
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=sentence-transformer
        - --task=text_embedding
        - --backend=huggingface
      storageUri: "hf://sentence-transformers/all-MiniLM-L6-v2"
      resources:
        limits:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 1Gi
          nvidia.com/gpu: "1"
""")
# model-serving/generative-inference/tasks/reranking/rerank.md:82
example("rerank", {
    "format": "huggingface", "args": ["--model_name=reranker", "--task=score"], "storageUri": "hf://BAAI/bge-reranker-base",
    "resources": TASK_RESOURCES}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: reranker-model
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=reranker
        - --task=score
      storageUri: "hf://BAAI/bge-reranker-base"
      resources:
        limits:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 1Gi
          nvidia.com/gpu: "1"
""")
# model-serving/generative-inference/tasks/text-generation/text-generation.md:90
example("text-generation", LLAMA3_8B, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama3-8b
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=llama3
      storageUri: hf://meta-llama/meta-llama-3-8b-instruct
      resources:
        limits:
          cpu: "6"
          memory: 24Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "6"
          memory: 24Gi
          nvidia.com/gpu: "1"
""")
# model-serving/generative-inference/tasks/text-generation/text-generation.md:124
example("text-generation-huggingface", {**LLAMA3_8B, "args": ["--model_name=llama3", "--backend=huggingface"]}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama3-8b
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=llama3
        - --backend=huggingface
      storageUri: hf://meta-llama/meta-llama-3-8b-instruct
      resources:
        limits:
          cpu: "6"
          memory: 24Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "6"
          memory: 24Gi
          nvidia.com/gpu: "1"
""")
# model-serving/generative-inference/tasks/text-generation/text-generation.md:163
example("text-generation-cpu", {
    "format": "huggingface", "args": ["--model_name=qwen2", "--dtype=bfloat16", "--max-model-len=2048"],
    "storageUri": "hf://Qwen/Qwen2-0.5B-Instruct",
    "env": {"VLLM_CPU_KVCACHE_SPACE": "4", "VLLM_CPU_OMP_THREADS_BIND": "auto", "VLLM_ENABLE_V1_MULTIPROCESSING": "0"},
    "resources": {"requests": {"cpu": "4", "memory": "8Gi"}, "limits": {"cpu": "8", "memory": "16Gi"}}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: qwen-cpu
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=qwen2
        - --dtype=bfloat16
        - --max-model-len=2048
      storageUri: hf://Qwen/Qwen2-0.5B-Instruct
      env:
        - name: VLLM_CPU_KVCACHE_SPACE
          value: "4"
        - name: VLLM_CPU_OMP_THREADS_BIND
          value: "auto"
        - name: VLLM_ENABLE_V1_MULTIPROCESSING
          value: "0"
      resources:
        requests:
          cpu: "4"
          memory: 8Gi
        limits:
          cpu: "8"
          memory: 16Gi
""")
# model-serving/generative-inference/tasks/text2text-generation/text2text-generation.md:76
example("text2text-generation", {
    "format": "huggingface", "args": ["--model_name=t5", "--model_id=google-t5/t5-small", "--backend=huggingface"],
    "resources": {"cpu": "1", "memory": "4Gi", "gpu": 1, "requests": {"memory": "2Gi", "nvidia.com/gpu": "1"}}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-t5
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=t5
        - --model_id=google-t5/t5-small
        - --backend=huggingface
      resources:
        limits:
          cpu: "1"
          memory: 4Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
""")
# model-serving/inferencegraph/image-pipeline/image-pipeline.md:57
example("image-pipeline-cat-dog", {
    "format": "pytorch", "storageUri": "gs://kfserving-examples/models/torchserve/cat_dog_classification",
    "resources": {"requests": {"cpu": "100m"}}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "cat-dog-classifier"
spec:
  predictor:
    model:
      modelFormat:
        name: pytorch
      resources:
        requests:
          cpu: 100m
      storageUri: gs://kfserving-examples/models/torchserve/cat_dog_classification
""")
# model-serving/inferencegraph/image-pipeline/image-pipeline.md:71
example("image-pipeline-dog-breed", {
    "format": "pytorch", "storageUri": "gs://kfserving-examples/models/torchserve/dog_breed_classification",
    "resources": {"requests": {"cpu": "100m"}}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "dog-breed-classifier"
spec:
  predictor:
    model:
      modelFormat:
        name: pytorch
      resources:
        requests:
          cpu: 100m
      storageUri: gs://kfserving-examples/models/torchserve/dog_breed_classification
""")
# model-serving/predictive-inference/autoscaling/kpa-autoscaler.md:360
example("kpa-container-concurrency", {
    "format": "tensorflow", "storageUri": "gs://kfserving-examples/models/tensorflow/flowers", "deploymentMode": "Knative",
    "containerConcurrency": 10}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "flowers-sample"
spec:
  predictor:
    containerConcurrency: 10
    model:
      modelFormat:
        name: tensorflow
      storageUri: "gs://kfserving-examples/models/tensorflow/flowers"
""")
# model-serving/predictive-inference/explainers/alibi/image-explainer/image-explainer.md:16
example("image-explainer", {
    "format": "tensorflow", "storageUri": "gs://seldon-models/tfserving/cifar10/resnet32",
    "resources": {"requests": {"cpu": 0.1, "memory": "5Gi"}, "limits": {"memory": "10Gi"}},
    "explainer": {"image": "kserve/alibi-explainer:v0.12.1",
                  "args": ["--model_name=cifar10", "--http_port=8080", "--predictor_host=cifar10-predictor.default",
                           "--storage_uri=/mnt/models", "AnchorImages", "--batch_size=40", "--stop_on_first=True"],
                  "env": {"STORAGE_URI": "gs://kfserving-examples/models/tensorflow/cifar/explainer-0.9.1"},
                  "resources": {"requests": {"cpu": 0.1, "memory": "5Gi"}, "limits": {"cpu": 1, "memory": "10Gi"}}}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "cifar10"
spec:
  predictor:
    model:
      modelFormat:
        name: tensorflow
      storageUri: "gs://seldon-models/tfserving/cifar10/resnet32"
      resources:
        requests:
          cpu: 0.1
          memory: 5Gi
        limits:
          memory: 10Gi
  explainer:
    containers:
      - name: kserve-container
        image: kserve/alibi-explainer:v0.12.1
        args:
          - --model_name=cifar10
          - --http_port=8080
          - --predictor_host=cifar10-predictor.default
          - --storage_uri=/mnt/models
          - AnchorImages
          - --batch_size=40
          - --stop_on_first=True
        env:
          - name: STORAGE_URI
            value: "gs://kfserving-examples/models/tensorflow/cifar/explainer-0.9.1"
        resources:
          requests:
            cpu: 0.1
            memory: 5Gi
          limits:
            cpu: 1
            memory: 10Gi
""")
# model-serving/predictive-inference/explainers/alibi/text-explainer/text-explainer.md:22
example("text-explainer", {
    **MOVIESENTIMENT, "replicas": {"min": 1},
    "resources": {"requests": {"cpu": 0.1, "memory": "1Gi"}, "limits": {"cpu": 1, "memory": "1Gi"}},
    "explainer": {"image": "kserve/alibi-explainer:v0.12.1", "replicas": {"min": 1},
                  "args": ["--model_name=moviesentiment", "--http_port=8080",
                           "--predictor_host=moviesentiment-predictor.default", "AnchorText"],
                  "resources": {"requests": {"cpu": 0.1, "memory": "6Gi"}, "limits": {"cpu": 1, "memory": "10Gi"}}}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "moviesentiment"
spec:
  predictor:
    minReplicas: 1
    model:
      modelFormat:
        name: sklearn
      storageUri: "gs://seldon-models/v1.16.0/sklearn/moviesentiment"
      resources:
        requests:
          cpu: 0.1
          memory: 1Gi
        limits:
          cpu: 1
          memory: 1Gi
  explainer:
    minReplicas: 1
    containers:
      - name: kserve-container
        image: kserve/alibi-explainer:v0.12.1
        args:
          - --model_name=moviesentiment
          - --http_port=8080
          - --predictor_host=moviesentiment-predictor.default
          - AnchorText
        resources:
          requests:
            cpu: 0.1
            memory: 6Gi
          limits:
            cpu: 1
            memory: 10Gi
""")
# model-serving/predictive-inference/explainers/alibi/text-explainer/text-explainer.md:165
example("text-explainer-options", {
    **MOVIESENTIMENT, "resources": {"requests": {"cpu": 0.1}},
    "explainer": {"image": "kserve/alibi-explainer:v0.12.1",
                  "args": ["--model_name=moviesentiment", "--http_port=8080",
                           "--predictor_host=moviesentiment-predictor.default", "----use_unk=false",
                           "--sample_proba=0.5", "AnchorText"],
                  "resources": {"requests": {"cpu": 0.1, "memory": "6Gi"}, "limits": {"cpu": 1, "memory": "10Gi"}}}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "moviesentiment"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "gs://seldon-models/v1.16.0/sklearn/moviesentiment"
      resources:
        requests:
          cpu: 0.1
  explainer:
    containers:
      - name: kserve-container
        image: kserve/alibi-explainer:v0.12.1
        args:
          - --model_name=moviesentiment
          - --http_port=8080
          - --predictor_host=moviesentiment-predictor.default
          - ----use_unk=false
          - --sample_proba=0.5
          - AnchorText
        resources:
          requests:
            cpu: 0.1
            memory: 6Gi
          limits:
            cpu: 1
            memory: 10Gi
""")

# model-serving/predictive-inference/frameworks/huggingface/fill-mask/fill-mask.md:141
example("fill-mask-v2", {
    "format": "huggingface", "protocol": "v2", "args": ["--model_name=bert"],
    "storageUri": "hf://google-bert/bert-base-uncased", "resources": HF_RESOURCES}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-bert
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      protocolVersion: v2
      args:
        - --model_name=bert
      storageUri: "hf://google-bert/bert-base-uncased"
      resources:
        limits:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
""")
# model-serving/predictive-inference/frameworks/huggingface/fill-mask/fill-mask.md:241
example("fill-mask-probabilities", {
    "format": "huggingface", "protocol": "v2", "args": ["--model_name=bert", "--return_probabilities"],
    "storageUri": "hf://google-bert/bert-base-uncased", "resources": HF_RESOURCES}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-bert-probs
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      protocolVersion: v2
      args:
        - --model_name=bert
        - --return_probabilities
      storageUri: "hf://google-bert/bert-base-uncased"
      resources:
        limits:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
""")
# model-serving/predictive-inference/frameworks/huggingface/fill-mask/fill-mask.md:296
example("fill-mask-logits", {
    "format": "huggingface", "protocol": "v2", "args": ["--model_name=bert", "--return_logits"],
    "storageUri": "hf://google-bert/bert-base-uncased", "resources": HF_RESOURCES}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-bert-logits
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      protocolVersion: v2
      args:
        - --model_name=bert
        - --return_logits
      storageUri: "hf://google-bert/bert-base-uncased"
      resources:
        limits:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
""")
# model-serving/predictive-inference/frameworks/huggingface/text-classification/text-classification.md:66
example("text-classification", {
    "format": "huggingface", "args": ["--model_name=distilbert"],
    "storageUri": "hf://distilbert/distilbert-base-uncased-finetuned-sst-2-english", "resources": HF_RESOURCES}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-distilbert
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=distilbert
      storageUri: "hf://distilbert/distilbert-base-uncased-finetuned-sst-2-english"
      resources:
        limits:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
""")
# model-serving/predictive-inference/frameworks/huggingface/text-classification/text-classification.md:140
example("text-classification-v2", {
    "format": "huggingface", "protocol": "v2", "args": ["--model_name=distilbert"],
    "storageUri": "hf://distilbert/distilbert-base-uncased-finetuned-sst-2-english", "resources": HF_RESOURCES}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-distilbert
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      protocolVersion: v2
      args:
        - --model_name=distilbert
      storageUri: "hf://distilbert/distilbert-base-uncased-finetuned-sst-2-english"
      resources:
        limits:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
""")
# model-serving/predictive-inference/frameworks/huggingface/text-classification/text-classification.md:295
example("text-classification-raw-logits", {
    "format": "huggingface", "protocol": "v2", "args": ["--model_name=distilbert", "--return_raw_logits"],
    "storageUri": "hf://distilbert/distilbert-base-uncased-finetuned-sst-2-english", "resources": HF_RESOURCES}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-distilbert-raw
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      protocolVersion: v2
      args:
        - --model_name=distilbert
        - --return_raw_logits
      storageUri: "hf://distilbert/distilbert-base-uncased-finetuned-sst-2-english"
      resources:
        limits:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
""")
# model-serving/predictive-inference/frameworks/huggingface/token-classification/token-classification.md:66
example("token-classification", {
    "format": "huggingface", "args": ["--model_name=bert", "--disable_lower_case"],
    "storageUri": "hf://dslim/bert-base-NER", "resources": HF_RESOURCES}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-bert
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=bert
        - --disable_lower_case
      storageUri: "hf://dslim/bert-base-NER"
      resources:
        limits:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
""")
# model-serving/predictive-inference/frameworks/huggingface/token-classification/token-classification.md:141
example("token-classification-v2", {
    "format": "huggingface", "protocol": "v2", "args": ["--model_name=bert", "--disable_lower_case"],
    "storageUri": "hf://dslim/bert-base-NER", "resources": HF_RESOURCES}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-bert
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      protocolVersion: v2
      args:
        - --model_name=bert
        - --disable_lower_case
      storageUri: "hf://dslim/bert-base-NER"
      resources:
        limits:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
""")
# model-serving/predictive-inference/frameworks/huggingface/token-classification/token-classification.md:253
example("token-classification-probabilities", {
    "format": "huggingface", "protocol": "v2", "args": ["--model_name=bert", "--disable_lower_case", "--return_probabilities"],
    "storageUri": "hf://dslim/bert-base-NER", "resources": HF_RESOURCES}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-bert-with-probs
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      protocolVersion: v2
      args:
        - --model_name=bert
        - --disable_lower_case
        - --return_probabilities
      storageUri: "hf://dslim/bert-base-NER"
      resources:
        limits:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
""")
# model-serving/predictive-inference/frameworks/huggingface/token-classification/token-classification.md:580
example("token-classification-logits", {
    "format": "huggingface", "protocol": "v2", "args": ["--model_name=bert", "--disable_lower_case", "--return_raw_logits"],
    "storageUri": "hf://dslim/bert-base-NER", "resources": HF_RESOURCES}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-bert-with-logits
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      protocolVersion: v2
      args:
        - --model_name=bert
        - --disable_lower_case
        - --return_raw_logits
      storageUri: "hf://dslim/bert-base-NER"
      resources:
        limits:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 2Gi
          nvidia.com/gpu: "1"
""")
# model-serving/predictive-inference/frameworks/lightgbm/lightgbm.md:282
example("lightgbm-grpc-knative", {"format": "lightgbm", "protocol": "v2", "runtime": "kserve-lgbserver", "storageUri": "gs://kfserving-examples/models/lightgbm/v2/iris", "deploymentMode": "Knative", "grpcPort": 8081}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "lightgbm-iris-grpc"
spec:
  predictor:
    model:
      modelFormat:
        name: lightgbm
      protocolVersion: v2
      runtime: kserve-lgbserver
      storageUri: "gs://kfserving-examples/models/lightgbm/v2/iris"
      ports:
        - name: h2c     # knative expects grpc port name to be 'h2c'
          protocol: TCP
          containerPort: 8081
""")
# model-serving/predictive-inference/frameworks/lightgbm/lightgbm.md:304
example("lightgbm-grpc-standard", {"format": "lightgbm", "protocol": "v2", "runtime": "kserve-lgbserver", "storageUri": "gs://kfserving-examples/models/lightgbm/v2/iris", "grpcPort": 8081}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "lightgbm-iris-grpc"
spec:
  predictor:
    model:
      modelFormat:
        name: lightgbm
      protocolVersion: v2
      runtime: kserve-lgbserver
      storageUri: "gs://kfserving-examples/models/lightgbm/v2/iris"
      ports:
        - name: grpc-port  # Istio requires the port name to be in the format <protocol>[-<suffix>]
          protocol: TCP
          containerPort: 8081
""")
# model-serving/predictive-inference/frameworks/paddle/paddle.md:215
example("paddle-v2", {"format": "paddle", "protocol": "v2", "runtime": "kserve-paddleserver", "storageUri": "gs://kfserving-examples/models/paddle/resnet50"}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "paddle-v2-resnet50"
spec:
  predictor:
    model:
      modelFormat:
        name: paddle
      protocolVersion: v2
      runtime: kserve-paddleserver
      storageUri: "gs://kfserving-examples/models/paddle/resnet50"
""")
# model-serving/predictive-inference/frameworks/paddle/paddle.md:320
example("paddle-v2-grpc-standard", {"format": "paddle", "protocol": "v2", "runtime": "kserve-paddleserver", "storageUri": "gs://kfserving-examples/models/paddle/resnet50", "grpcPort": 8081}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "paddle-v2-resnet50-grpc"
spec:
  predictor:
    model:
      modelFormat:
        name: paddle
      protocolVersion: v2
      runtime: kserve-paddleserver
      storageUri: "gs://kfserving-examples/models/paddle/resnet50"
      ports:
        - name: grpc-port  # Istio requires the port name to be in the format <protocol>[-<suffix>]
          protocol: TCP
          containerPort: 8081
""")
# model-serving/predictive-inference/frameworks/pmml/pmml.md:288
example("pmml-grpc-knative", {"format": "pmml", "protocol": "v2", "runtime": "kserve-pmmlserver", "storageUri": "gs://kfserving-examples/models/pmml", "deploymentMode": "Knative", "grpcPort": 8081}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "pmml-iris-grpc"
spec:
  predictor:
    model:
      modelFormat:
        name: pmml
      protocolVersion: v2
      runtime: kserve-pmmlserver
      storageUri: "gs://kfserving-examples/models/pmml"
      ports:
        - name: h2c     # knative expects grpc port name to be 'h2c'
          protocol: TCP
          containerPort: 8081
""")
# model-serving/predictive-inference/frameworks/pmml/pmml.md:310
example("pmml-grpc-standard", {"format": "pmml", "protocol": "v2", "runtime": "kserve-pmmlserver", "storageUri": "gs://kfserving-examples/models/pmml", "grpcPort": 8081}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "pmml-iris-grpc"
spec:
  predictor:
    model:
      modelFormat:
        name: pmml
      protocolVersion: v2
      runtime: kserve-pmmlserver
      storageUri: "gs://kfserving-examples/models/pmml"
      ports:
        - name: grpc-port  # Istio requires the port name to be in the format <protocol>[-<suffix>]
          protocol: TCP
          containerPort: 8081
""")
# model-serving/predictive-inference/frameworks/spark-mllib/spark-mllib.md:98
example("spark-pmml", {"format": "pmml", "storageUri": "gs://kfserving-examples/models/sparkpmml"}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "spark-pmml"
spec:
  predictor:
    model:
      modelFormat:
        name: pmml
      storageUri: "gs://kfserving-examples/models/sparkpmml"
""")
# model-serving/predictive-inference/frameworks/spark-mllib/spark-mllib.md:182
example("spark-pmml-v2", {"format": "pmml", "protocol": "v2", "runtime": "kserve-pmmlserver", "storageUri": "gs://kfserving-examples/models/sparkpmml"}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "spark-iris"
spec:
  predictor:
    model:
      modelFormat:
        name: pmml
      protocolVersion: v2
      runtime: kserve-pmmlserver
      storageUri: "gs://kfserving-examples/models/sparkpmml"
""")
# model-serving/predictive-inference/frameworks/spark-mllib/spark-mllib.md:296
example("spark-pmml-grpc-knative", {"format": "pmml", "protocol": "v2", "runtime": "kserve-pmmlserver", "storageUri": "gs://kfserving-examples/models/sparkpmml", "deploymentMode": "Knative", "grpcPort": 8081}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "spark-iris-grpc"
spec:
  predictor:
    model:
      modelFormat:
        name: pmml
      protocolVersion: v2
      runtime: kserve-pmmlserver
      storageUri: "gs://kfserving-examples/models/sparkpmml"
      ports:
        - name: h2c     # knative expects grpc port name to be 'h2c'
          protocol: TCP
          containerPort: 8081
""")
# model-serving/predictive-inference/frameworks/spark-mllib/spark-mllib.md:318
example("spark-pmml-grpc-standard", {"format": "pmml", "protocol": "v2", "runtime": "kserve-pmmlserver", "storageUri": "gs://kfserving-examples/models/sparkpmml", "grpcPort": 8081}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "spark-iris-grpc"
spec:
  predictor:
    model:
      modelFormat:
        name: pmml
      protocolVersion: v2
      runtime: kserve-pmmlserver
      storageUri: "gs://kfserving-examples/models/sparkpmml"
      ports:
        - name: grpc-port  # Istio requires the port name to be in the format <protocol>[-<suffix>]
          protocol: TCP
          containerPort: 8081
""")
# model-serving/predictive-inference/frameworks/xgboost/xgboost.md:92
example("xgboost-v2", {"format": "xgboost", "protocol": "v2", "runtime": "kserve-xgbserver", "storageUri": "gs://kfserving-examples/models/xgboost/iris"}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "xgboost-iris"
spec:
  predictor:
    model:
      modelFormat:
        name: xgboost
      protocolVersion: v2
      runtime: kserve-xgbserver
      storageUri: "gs://kfserving-examples/models/xgboost/iris"
""")
# model-serving/predictive-inference/frameworks/xgboost/xgboost.md:193
example("xgboost-grpc-knative", {"format": "xgboost", "protocol": "v2", "runtime": "kserve-xgbserver", "storageUri": "gs://kfserving-examples/models/xgboost/iris", "deploymentMode": "Knative", "grpcPort": 8081}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "xgboost-iris-grpc"
spec:
  predictor:
    model:
      modelFormat:
        name: xgboost
      protocolVersion: v2
      runtime: kserve-xgbserver
      storageUri: "gs://kfserving-examples/models/xgboost/iris"
      ports:
        - name: h2c     # knative expects grpc port name to be 'h2c'
          protocol: TCP
          containerPort: 8081
""")
# model-serving/predictive-inference/frameworks/xgboost/xgboost.md:215
example("xgboost-grpc-standard", {"format": "xgboost", "protocol": "v2", "runtime": "kserve-xgbserver", "storageUri": "gs://kfserving-examples/models/xgboost/iris", "grpcPort": 8081}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "xgboost-iris-grpc"
spec:
  predictor:
    model:
      modelFormat:
        name: xgboost
      protocolVersion: v2
      runtime: kserve-xgbserver
      storageUri: "gs://kfserving-examples/models/xgboost/iris"
      ports:
        - name: grpc-port  # Istio requires the port name to be in the format <protocol>[-<suffix>]
          protocol: TCP
          containerPort: 8081
""")
# model-serving/predictive-inference/frameworks/triton/huggingface/huggingface.md:34
example("triton-huggingface-transformer", {
    "format": "triton", "protocol": "v2", "args": ["--log-verbose=1"], "runtimeVersion": "23.10-py3",
    "storageUri": "gs://kfserving-examples/models/triton/huggingface/model_repository",
    "resources": {"cpu": "1", "memory": "8Gi", "requests": {"nvidia.com/gpu": "1"}, "limits": {"nvidia.com/gpu": "1"}},
    "transformer": {"image": "kserve/huggingfaceserver:latest",
                    "args": ["--model_name=bert", "--model_id=bert-base-uncased", "--predictor_protocol=v2",
                             "--tensor_input_names=input_ids"],
                    "resources": {"cpu": "1", "memory": "2Gi", "requests": {"cpu": "100m"}}}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-triton
spec:
  predictor:
    model:
      args:
      - --log-verbose=1
      modelFormat:
        name: triton
      protocolVersion: v2
      resources:
        limits:
          cpu: "1"
          memory: 8Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 8Gi
          nvidia.com/gpu: "1"
      runtimeVersion: 23.10-py3
      storageUri: gs://kfserving-examples/models/triton/huggingface/model_repository
  transformer:
    containers:
    - args:
      - --model_name=bert
      - --model_id=bert-base-uncased
      - --predictor_protocol=v2
      - --tensor_input_names=input_ids
      image: kserve/huggingfaceserver:latest
      name: kserve-container
      resources:
        limits:
          cpu: "1"
          memory: 2Gi
        requests:
          cpu: 100m
          memory: 2Gi
""")
# model-serving/predictive-inference/frameworks/triton/tensorflow/tensorflow.md:127
example("triton-tensorflow-transformer", {
    "format": "triton", "protocol": "v2", "storageUri": "gs://kfserving-examples/models/triton/bert",
    "runtimeVersion": "20.10-py3", "resources": {"cpu": "1", "memory": "8Gi"},
    "transformer": {"image": "kfserving/bert-transformer-v2:latest", "command": ["python", "-m", "bert_transformer_v2"],
                    "env": {"STORAGE_URI": "gs://kfserving-examples/models/triton/bert-transformer"}}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "bert-v2"
spec:
  transformer:
    containers:
      - name: kserve-container
        image: kfserving/bert-transformer-v2:latest
        command:
          - "python"
          - "-m"
          - "bert_transformer_v2"
        env:
          - name: STORAGE_URI
            value: "gs://kfserving-examples/models/triton/bert-transformer"
  predictor:
    model:
      modelFormat:
        name: triton
      protocolVersion: v2
      storageUri: "gs://kfserving-examples/models/triton/bert"
      runtimeVersion: 20.10-py3
      resources:
        limits:
          cpu: "1"
          memory: 8Gi
        requests:
          cpu: "1"
          memory: 8Gi
""")
# model-serving/predictive-inference/frameworks/triton/torchscript/torchscript.md:485
example("triton-torchscript-transformer", {
    "format": "triton", "protocol": "v2", "storageUri": "gs://kfserving-examples/models/torchscript",
    "runtimeVersion": "20.10-py3", "env": {"OMP_NUM_THREADS": "1"},
    "transformer": {"image": "kfserving/image-transformer-v2:latest", "command": ["python", "-m", "image_transformer_v2"],
                    "args": ["--model_name", "cifar10", "--protocol", "v2"]}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: torch-transformer
spec:
  predictor:
    model:
      modelFormat:
        name: triton
      protocolVersion: v2
      storageUri: gs://kfserving-examples/models/torchscript
      runtimeVersion: 20.10-py3
      env:
      - name: OMP_NUM_THREADS
        value: "1"
  transformer:
    containers:
    - image: kfserving/image-transformer-v2:latest
      name: kserve-container
      command:
      - "python"
      - "-m"
      - "image_transformer_v2"
      args:
      - --model_name
      - cifar10
      - --protocol
      - v2
""")
# model-serving/predictive-inference/kafka/kafka.md:250
example("kafka", {
    "format": "tensorflow", "storageUri": "s3://mnist", "deploymentMode": "Knative", "replicas": {"min": 1},
    "transformer": {"image": "${USERNAME}/mnist-transformer:latest", "replicas": {"min": 1},
                    "resources": {"cpu": "100m", "memory": "100Mi"}}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: mnist
spec:
  predictor:
    minReplicas: 1
    model:
      modelFormat:
        name: tensorflow
      storageUri: 's3://mnist'
  transformer:
    minReplicas: 1
    containers:
      - name: kserve-container
        image: '${USERNAME}/mnist-transformer:latest'
        resources:
          requests:
            cpu: 100m
            memory: 100Mi
          limits:
            cpu: 100m
            memory: 100Mi
""")
# model-serving/predictive-inference/observability/prometheus-metrics.md:25 (monitoring.metrics writes enable-prometheus-scraping)
example("prometheus-metrics", {
    "format": "sklearn", "protocol": "v2", "storageUri": "gs://kfserving-examples/models/sklearn/1.0/model",
    "monitoring": {"metrics": True}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-irisv2"
  annotations:
    serving.kserve.io/enable-prometheus-scraping: "true"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      protocolVersion: v2
      storageUri: "gs://kfserving-examples/models/sklearn/1.0/model"
""")
# model-serving/predictive-inference/rollout-strategies/canary-example.md:35
example("canary", {**CANARY_MODEL, "rollout": {"strategy": "canary", "canary": {"steps": [10]}}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-iris"
  namespace: kserve-test
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "gs://kserve-examples/models/sklearn/1.0/model-2"
      resources:
        requests:
          cpu: 100m
          memory: 256Mi
        limits:
          cpu: 100m
          memory: 256Mi
    canaryTrafficPercent: 10
""")
# model-serving/predictive-inference/rollout-strategies/canary-example.md:98
example("canary-promoted", CANARY_MODEL, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-iris"
  namespace: kserve-test
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "gs://kserve-examples/models/sklearn/1.0/model-2"
      resources:
        requests:
          cpu: 100m
          memory: 256Mi
        limits:
          cpu: 100m
          memory: 256Mi
""")
# model-serving/predictive-inference/rollout-strategies/canary-example.md:154 (pinned to the previous revision)
example("canary-pinned-previous", {**CANARY_MODEL, "rollout": {"strategy": "canary", "canary": {"steps": [0]}}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-iris"
  namespace: kserve-test
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "gs://kserve-examples/models/sklearn/1.0/model-2"
      resources:
        requests:
          cpu: 100m
          memory: 256Mi
        limits:
          cpu: 100m
          memory: 256Mi
    canaryTrafficPercent: 0
""")
# model-serving/predictive-inference/rollout-strategies/canary-example.md:211
example("canary-tag-routing", {
    **CANARY_MODEL, "rollout": {"strategy": "canary", "canary": {"steps": [10]}},
    "annotations": {"serving.kserve.io/enable-tag-routing": "true"}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-iris"
  namespace: kserve-test
  annotations:
    serving.kserve.io/enable-tag-routing: "true"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "gs://kserve-examples/models/sklearn/1.0/model-2"
      resources:
        requests:
          cpu: 100m
          memory: 256Mi
        limits:
          cpu: 100m
          memory: 256Mi
    canaryTrafficPercent: 10
""")
# model-serving/predictive-inference/rollout-strategies/rollout-strategy-standard.md:218
example("rollout-configmap-defaults", MY_BUCKET_SKLEARN, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: configmap-defaults-model
  annotations:
    serving.kserve.io/deploymentMode: "Standard"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "s3://my-bucket/model"
    # No deploymentStrategy specified - will use ConfigMap defaults
    # when defaultDeploymentMode is "Standard"
""")
# model-serving/predictive-inference/rollout-strategies/rollout-strategy-standard.md:239
example("rollout-kserve-defaults", MY_BUCKET_SKLEARN, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: default-rollout-model
  annotations:
    serving.kserve.io/deploymentMode: "Standard"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "s3://my-bucket/model"
    # No rollout strategy specified - will use KServe defaults:
    # maxUnavailable: "25%", maxSurge: "25%"
""")
# model-serving/predictive-inference/transformers/custom-transformer/custom-transformer.md:180
example("custom-transformer", {
    "format": "pytorch", "storageUri": "gs://kfserving-examples/models/torchserve/image_classifier/v1",
    "transformer": {"image": "kserve/image-transformer:latest", "command": ["python", "-m", "model"],
                    "args": ["--model_name", "mnist"],
                    "resources": {"requests": {"cpu": "100m", "memory": "512Mi"}, "limits": {"cpu": 1, "memory": "2Gi"}}}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: torch-transformer
spec:
  predictor:
    model:
      modelFormat:
        name: pytorch
      storageUri: gs://kfserving-examples/models/torchserve/image_classifier/v1
  transformer:
    containers:
      - image: kserve/image-transformer:latest
        name: kserve-container
        command:
          - "python"
          - "-m"
          - "model"
        args:
          - --model_name
          - mnist
        resources:
          limits:
            cpu: 1
            memory: 2Gi
          requests:
            cpu: 100m
            memory: 512Mi
""")
# model-serving/storage/providers/azure.md:80
example("storage-azure", {
    "format": "sklearn", "storageUri": "https://modelstoreaccount.blob.core.windows.net/model-store/model.joblib",
    "serviceAccountName": "sa"}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-azure"
spec:
  predictor:
    serviceAccountName: sa
    model:
      modelFormat:
        name: sklearn
      storageUri: "https://modelstoreaccount.blob.core.windows.net/model-store/model.joblib"
""")
# model-serving/storage/providers/gcs.md:73
example("storage-gcs", {
    "format": "tensorflow", "storageUri": "gs://kfserving-examples/models/tensorflow/flowers", "serviceAccountName": "sa"}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: tensorflow-gcs
spec:
  predictor:
    serviceAccountName: sa
    model:
      modelFormat:
        name: tensorflow
      storageUri: "gs://kfserving-examples/models/tensorflow/flowers"
""")
# model-serving/storage/providers/s3/s3.md:89
example("storage-s3", {
    "format": "tensorflow", "storageUri": "s3://kserve-examples/mnist", "serviceAccountName": "sa"}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "mnist-s3"
spec:
  predictor:
    serviceAccountName: sa
    model:
      modelFormat:
        name: tensorflow
      storageUri: "s3://kserve-examples/mnist"
""")
# model-serving/storage/providers/hf.md:46
example("storage-hf-service-account", {
    **LLAMA3, "args": ["--model_name=llama3", "--model_dir=/mnt/models"], "serviceAccountName": "hfserviceacc"}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-llama3
spec:
  predictor:
    serviceAccountName: hfserviceacc  # Option 1 for authenticating with HF_TOKEN
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=llama3
        - --model_dir=/mnt/models
      storageUri: hf://meta-llama/meta-llama-3-8b-instruct
      resources:
        limits:
          cpu: "6"
          memory: 24Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "6"
          memory: 24Gi
          nvidia.com/gpu: "1"
""")
# model-serving/storage/providers/hf.md:75
example("storage-hf-secret-env", {
    **LLAMA3, "args": ["--model_name=llama3", "--model_dir=/mnt/models"],
    "secretEnv": [{"name": "HF_TOKEN", "secret": "hf-secret", "key": "HF_TOKEN", "optional": False}]}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-llama3
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=llama3
        - --model_dir=/mnt/models
      storageUri: hf://meta-llama/meta-llama-3-8b-instruct
      resources:
        limits:
          cpu: "6"
          memory: 24Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "6"
          memory: 24Gi
          nvidia.com/gpu: "1"
      env:
        - name: HF_TOKEN  # Option 2 for authenticating with HF_TOKEN
          valueFrom:
            secretKeyRef:
              name: hf-secret
              key: HF_TOKEN
              optional: false
""")
# model-serving/storage/providers/oci.md:76
example("storage-oci", {"format": "sklearn", "storageUri": "oci://myuser/mymodel:1.0"}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: my-inference-service
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: oci://myuser/mymodel:1.0
""")
# model-serving/storage/providers/oci.md:98
example("storage-oci-example", {"format": "sklearn", "storageUri": "oci://rhuss/kserving-example-sklearn:1.0"}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-iris-oci"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "oci://rhuss/kserving-example-sklearn:1.0"
""")
# model-serving/storage/providers/pvc.md:93
example("storage-pvc", {"format": "sklearn", "storageUri": "pvc://${PVC_NAME}/${MODEL_NAME}/"}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-pvc"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "pvc://${PVC_NAME}/${MODEL_NAME}/"
""")
# model-serving/storage/providers/pvc.md:122
example("storage-pvc-writable", {
    "format": "sklearn", "storageUri": "pvc://${PVC_NAME}/${MODEL_NAME}/",
    "annotations": {"storage.kserve.io/readonly": "false"}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-pvc"
  annotations:
    # highlight-next-line
    storage.kserve.io/readonly: "false"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "pvc://${PVC_NAME}/${MODEL_NAME}/"
""")
# model-serving/storage/providers/uri.md:91
example("storage-uri", {
    "format": "sklearn",
    "storageUri": "https://github.com/tduffy000/kfserving-uri-examples/blob/master/sklearn/frozen/model.joblib?raw=true"}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: sklearn-from-uri
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: https://github.com/tduffy000/kfserving-uri-examples/blob/master/sklearn/frozen/model.joblib?raw=true
""")
# model-serving/storage/storage-containers/storage-containers.md:108
example("storage-container", {"format": "sklearn", "storageUri": "model-registry://iris/v1"}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "iris-model"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "model-registry://iris/v1"
""")
# reference/integrations.md:94
example("integrations-knative-scale-to-zero", {
    **SKLEARN_V1, "deploymentMode": "Knative", "replicas": {"min": 0, "max": 10}, "autoscaling": {"target": 70}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: sklearn-iris
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: gs://kfserving-examples/models/sklearn/1.0/model
    minReplicas: 0  # Enable scale-to-zero
    maxReplicas: 10
    scaleTarget: 70  # Target concurrency per pod
""")
# reference/integrations.md:200
example("integrations-vllm", {
    "format": "huggingface",
    "args": ["--model_name=llama3", "--model_id=meta-llama/meta-llama-3-8b-instruct", "--quantization=awq",
             "--gpu_memory_utilization=0.9"],
    "storageUri": "hf://meta-llama/meta-llama-3-8b-instruct", "resources": {"limits": {"nvidia.com/gpu": "1", "memory": "24Gi"}}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama3-vllm
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      args:
        - --model_name=llama3
        - --model_id=meta-llama/meta-llama-3-8b-instruct
        - --quantization=awq  # vLLM-specific optimization
        - --gpu_memory_utilization=0.9
      storageUri: hf://meta-llama/meta-llama-3-8b-instruct
      resources:
        limits:
          nvidia.com/gpu: "1"
          memory: 24Gi
""")
# reference/integrations.md:250
example("integrations-grpc", {**SKLEARN_V1, "deploymentMode": "Knative", "grpcPort": 9000}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: sklearn-grpc
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: gs://kfserving-examples/models/sklearn/1.0/model
      ports:
        - name: h2c
          protocol: TCP
          containerPort: 9000
""")
# reference/integrations.md:346
example("integrations-prometheus", {
    **SKLEARN_V1, "monitoring": {"metrics": True},
    "annotations": {"prometheus.io/scrape": "true", "prometheus.io/path": "/metrics", "prometheus.io/port": "8080"}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: sklearn-prometheus
  annotations:
    serving.kserve.io/enable-prometheus-scraping: "true"
    prometheus.io/scrape: "true"
    prometheus.io/path: "/metrics"
    prometheus.io/port: "8080"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: gs://kfserving-examples/models/sklearn/1.0/model
""")

# model-serving/predictive-inference/frameworks/autogluon/autogluon.md:51
example("autogluon-v2", {
    "format": "autogluon", "protocol": "v2", "runtime": "kserve-autogluonserver", "storageUri": "gs://your-bucket/autogluon-model/",
    "resources": {"requests": {"cpu": "100m", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "2Gi"}}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "autogluon-titanic"
spec:
  predictor:
    model:
      modelFormat:
        name: autogluon
      protocolVersion: v2
      runtime: kserve-autogluonserver
      storageUri: "gs://your-bucket/autogluon-model/"
      resources:
        requests:
          cpu: "100m"
          memory: "1Gi"
        limits:
          cpu: "1"
          memory: "2Gi"
""")
# model-serving/predictive-inference/frameworks/autogluon/autogluon.md:75
example("autogluon-timeseries", {
    "format": "autogluon", "runtime": "kserve-autogluonserver",
    "storageUri": "gs://your-bucket/path/to/timeseries-predictor-save/",
    "resources": {"requests": {"cpu": "100m", "memory": "2Gi"}, "limits": {"cpu": "2", "memory": "4Gi"}}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "autogluon-ts-forecast"
spec:
  predictor:
    model:
      modelFormat:
        name: autogluon
      runtime: kserve-autogluonserver
      storageUri: "gs://your-bucket/path/to/timeseries-predictor-save/"
      resources:
        requests:
          cpu: "100m"
          memory: "2Gi"
        limits:
          cpu: "2"
          memory: "4Gi"
""")
# model-serving/storage/multiple-storage-uris.md:59
example("multiple-storage-uris", {
    "format": "huggingface",
    "storageUris": [{"uri": "s3://bucket/base-model", "mountPath": "/mnt/models/base"}, {"uri": "s3://bucket/adapters"}]}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: multi-storage-example
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
    storageUris:
      - uri: s3://bucket/base-model
        mountPath: /mnt/models/base
      - uri: s3://bucket/adapters
        # Downloads to /mnt/models (default)
""")

# model-serving/predictive-inference/rollout-strategies/rollout-strategy-standard.md:164 and :191, with each
# count of pods written as a number: the pages write "0" as text, which Kubernetes reads as a malformed
# percentage, refusing the Deployment KServe makes from it (apps/v1 validation: an int, or a string "N%").
# gitops-gen writes a count given as text as the number. (The page's first example, :29, also gives its
# transformer a `custom:` field the v0.20 CRD does not have; its predictor's strategy is the one at :164.)
example("rollout-availability", {**MY_BUCKET_SKLEARN, "deploymentStrategy": {
    "type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "0", "maxSurge": "100%"}}}, edited("""
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: availability-mode-model
  annotations:
    serving.kserve.io/deploymentMode: "Standard"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "s3://my-bucket/model"
    # Availability mode: maxUnavailable = 0, maxSurge = desired value
    deploymentStrategy:
      type: RollingUpdate
      rollingUpdate:
        maxUnavailable: "0"    # No pods unavailable during rollout
        maxSurge: "100%"       # Can double the pods during rollout
""", 'maxUnavailable: "0"', "maxUnavailable: 0"))
example("rollout-resource-aware", {**MY_BUCKET_SKLEARN, "deploymentStrategy": {
    "type": "RollingUpdate", "rollingUpdate": {"maxSurge": "0", "maxUnavailable": "25%"}}}, edited("""
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: resource-aware-model
  annotations:
    serving.kserve.io/deploymentMode: "Standard"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "s3://my-bucket/model"
    # ResourceAware mode: maxSurge = 0, maxUnavailable = desired value
    deploymentStrategy:
      type: RollingUpdate
      rollingUpdate:
        maxSurge: "0"          # No extra pods during rollout
        maxUnavailable: "25%"  # Up to 25% of pods can be unavailable
""", 'maxSurge: "0"', "maxSurge: 0"))

# model-serving/predictive-inference/transformers/collocation/collocation.md:39 (transformer.collocated)
example("transformer-collocation", {
    "format": "pytorch", "storageUri": "gs://kfserving-examples/models/torchserve/image_classifier/v1",
    "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"cpu": 1, "memory": "1Gi"}},
    "transformer": {"collocated": True, "image": "kserve/image-transformer:latest", "port": 8080,
                    "args": ["--model_name=mnist", "--predictor_protocol=v1", "--http_port=8080", "--grpc_port=8081",
                             "--predictor_host=localhost:8085", "--enable_predictor_health_check"],
                    "probes": {"readiness": {"httpGet": {"path": "/v1/models/mnist", "port": 8080},
                                             "initialDelaySeconds": 5, "periodSeconds": 10}},
                    "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"cpu": 1, "memory": "1Gi"}}}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: "transformer-collocation"
spec:
  predictor:
    model:
      modelFormat:
        name: "pytorch"
      storageUri: "gs://kfserving-examples/models/torchserve/image_classifier/v1"
      resources:
        requests:
          cpu: 100m
          memory: 256Mi
        limits:
          cpu: 1
          memory: 1Gi
    containers:
      - name: "transformer-container"    # Do not change the container name
        image: "kserve/image-transformer:latest"
        args:
          - --model_name=mnist
          - --predictor_protocol=v1
          - --http_port=8080
          - --grpc_port=8081
          - "--predictor_host=localhost:8085"      # predictor listening port
          - "--enable_predictor_health_check"      # transformer checks for predictor health before marking itself as ready
        ports:
          - containerPort: 8080
            protocol: TCP
        readinessProbe:
          httpGet:
            path: /v1/models/mnist
            port: 8080
          initialDelaySeconds: 5
          periodSeconds: 10
        resources:
          requests:
            cpu: 100m
            memory: 256Mi
          limits:
            cpu: 1
            memory: 1Gi
""")
# model-serving/predictive-inference/transformers/collocation/collocation.md:348 (the label as a Model label)
example("transformer-collocation-runtime", {
    "format": "pytorch", "storageUri": "gs://kfserving-examples/models/torchserve/image_classifier/v1",
    "runtime": "pytorch-collocation",
    "transformer": {"collocated": True, "image": "kserve/image-transformer:latest",
                    "resources": {"requests": {"cpu": "200m", "memory": "512Mi"}, "limits": {"cpu": 1, "memory": "1Gi"}}}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: transformer-collocation-runtime
  labels:
    modelName: mnist
spec:
  predictor:
    model:
      modelFormat:
        name: pytorch
      storageUri: gs://kfserving-examples/models/torchserve/image_classifier/v1
      #  highlight-next-line
      runtime: "pytorch-collocation"
    containers:
      - name: "transformer-container"    # Do not change the container name
        image: kserve/image-transformer:latest
        resources:                         # You can override the serving runtime values
          requests:
            cpu: 200m
            memory: 512Mi
          limits:
            cpu: 1
            memory: 1Gi
""", metadata={"labels": {"modelName": "mnist"}})


@pytest.mark.parametrize("spec, metadata, official", EXAMPLES)
def test_documentation_example_is_written_field_for_field(tmp_path, spec, metadata, official):
    assert_official_inference_service(tmp_path, spec, metadata, official)
