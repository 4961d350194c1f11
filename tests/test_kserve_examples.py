"""KServe v0.20's documentation examples, written as Model specs: the InferenceService gitops-gen
writes is the official one field for field, apart from the labels and annotations gitops-gen adds
and the deploymentMode annotation it pins.

Each official object is copied from kserve/website, versioned_docs/version-0.20/<path>:<line>
(published at https://kserve.github.io/website/docs/<path without .md>), named in its comment.
"""
from __future__ import annotations

import pytest
import yaml

from generator.builders.validation import schema_errors
from generator.builders.workloads import workload_objects
from generator.resolve.fleet import load_fleet
from tests.helpers import edited, model_tree

OURS = {"gitops-gen.io/source", "serving.kserve.io/deploymentMode"}

EXAMPLES = []


def example(source: str, spec: dict, official: str, metadata: dict | None = None):
    EXAMPLES.append(pytest.param(spec, metadata, official, id=source))


def _quantities(value):
    """The API server keeps quantities as strings: `cpu: 1` and `cpu: "1"` are the same object."""
    if isinstance(value, dict):
        return {k: _quantities(v) if k not in ("limits", "requests") else
                {n: str(q) for n, q in v.items()} for k, v in value.items()}
    if isinstance(value, list):
        return [_quantities(v) for v in value]
    return value


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
# model-serving/predictive-inference/transformers/custom-transformer/custom-transformer.md (the gRPC
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
# model-serving/predictive-inference/autoscaling/keda-autoscaler.md:367 without the OpenTelemetry
# metric: a Hugging Face model named by --model_id needs no storageUri; spec.annotations adds the sidecar's.
example("huggingface-model-id", {
    "format": "huggingface", "args": ["--model_name=fbopt", "--model_id=facebook/opt-125m"],
    "resources": {"cpu": "1", "memory": "4Gi"}, "replicas": {"min": 1, "max": 5},
    "autoscaling": {"class": "keda"},
    "annotations": {"sidecar.opentelemetry.io/inject": "huggingface-fbopt-predictor"},
}, """
metadata:
  name: huggingface-fbopt
  annotations:
    serving.kserve.io/deploymentMode: "Standard"
    serving.kserve.io/autoscalerClass: "keda"
    sidecar.opentelemetry.io/inject: "huggingface-fbopt-predictor"
spec:
  predictor:
    model:
      modelFormat: {name: huggingface}
      args: [--model_name=fbopt, --model_id=facebook/opt-125m]
      resources:
        limits: {cpu: "1", memory: 4Gi}
        requests: {cpu: "1", memory: 4Gi}
    minReplicas: 1
    maxReplicas: 5
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


@pytest.mark.parametrize("spec, metadata, official", EXAMPLES)
def test_documentation_example_is_written_field_for_field(tmp_path, spec, metadata, official):
    official = yaml.safe_load(official)
    name = official["metadata"]["name"]
    tree = model_tree(tmp_path, spec, name=name, metadata=metadata)
    (release,) = load_fleet(tree).releases
    [isvc] = [o for o in workload_objects(release) if o["kind"] == "InferenceService"]
    assert schema_errors(isvc) == []
    assert isvc["metadata"]["name"] == name
    assert _quantities(isvc["spec"]) == _quantities(official["spec"])
    # Theirs, plus what gitops-gen adds: its source annotation, and the deploymentMode it pins.
    theirs = official["metadata"].get("annotations", {})
    added = {k: v for k, v in isvc["metadata"]["annotations"].items() if k not in theirs}
    assert set(added) <= OURS
    assert {k: v for k, v in isvc["metadata"]["annotations"].items() if k in theirs} == theirs
