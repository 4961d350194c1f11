"""KServe's own samples (kserve/kserve ``docs/samples/`` at tag v0.20.0), written as Model specs: the object
gitops-gen writes is the sample's field for field, apart from what gitops-gen adds to every object (its labels
and annotations, the deploymentMode annotation it pins, the release's namespace, and an LLM's pod labels
``spec.labels`` that its monitors select by).

Each official object is copied verbatim from ``docs/samples/<path>`` (the line of its ``apiVersion`` for a
YAML block of a README or a document after the first of a file), named in its comment. Two normalisations, both
what the API server stores anyway (``tests.helpers.as_stored``): quantities as text, and ``env`` by name. The
LLMInferenceService samples are ``v1alpha1`` or ``v1alpha2``; gitops-gen writes ``v1alpha2``, the storage
version, whose fields these are.

Tested in other modules: ``graph/sequence.yaml``, ``ensemble.yaml`` and ``splitter.yaml`` (their
InferenceGraphs, tests/test_graph.py), ``graph/switch.yaml`` (its InferenceGraph, tests/test_kserve_llm_examples.py),
``llmisvc/single-node-gpu/llm-inference-service-qwen2-7b-gpu.yaml`` and ``-no-scheduler.yaml`` (tests/test_llm.py),
``llmisvc/lora-adapters/test-examples/01-``, ``02-`` and ``04-*.yaml``, ``llmisvc/opt-125m-cpu/*.yaml`` and
``llmisvc/single-node-gpu/llm-inference-service-pd-qwen2-7b-gpu.yaml`` (tests/test_kserve_llm_examples.py), and
``localmodelcache/README.md:30`` (tests/test_model_cache.py).

Not reproduced, old form: the samples below use the framework fields ``predictor.<framework>`` (sklearn,
xgboost, lightgbm, tensorflow, pytorch, onnx, triton, paddle, pmml) or ``explainer.alibi`` / ``explainer.art``.
KServe v0.20 still accepts the predictor's, but its webhook rewrites them into ``predictor.model.modelFormat``,
which gitops-gen writes directly: the object in the cluster is never the one applied, and Argo CD or Flux would
show a permanent difference (``explainer.alibi`` and ``explainer.art`` are not fields of the v0.20 CRD at all).
One line per directory where every InferenceService there is of that form:

- ``accelerators/tensorflow-gpu.yaml``; ``autoscaling/`` (``autoscale.yaml``, ``autoscale_custom.yaml``,
  ``autoscale_gpu.yaml``, ``README.md:37, :231, :312, :332``): predictor.tensorflow.
- ``batcher/README.md:15``, ``batcher/basic/README.md:6`` and ``batcher_v1beta1.yaml``: predictor.pytorch.
- ``explanation/alibi/`` (``cifar10``, ``income``, ``moviesentiment``, ``moviesentiment2``): predictor.tensorflow
  or .sklearn, and explainer.alibi; ``explanation/art/mnist/art.yaml``: explainer.art.
- ``gcp-iap/sklearn-iap-no-authz.yaml``, ``-with-authz.yaml``: predictor.sklearn, and apiVersion
  ``serving.kubeflow.org/v1beta1``, KFServing's group, which KServe does not serve.
- ``graph/ensemble.yaml``, ``sequence.yaml``, ``splitter.yaml``: their InferenceServices (lines 2 and 11),
  predictor.sklearn and predictor.xgboost.
- ``kafka/mnist_kafka.yaml``: predictor.tensorflow (its successor ``mnist_kafka_new.yaml`` is tested below).
- ``logger/basic/`` and ``logger/knative-eventing/`` (``sklearn-logging.yaml``, ``README.md:28``, ``:95``):
  predictor.sklearn.
- ``multimodelserving/sklearn/`` and ``multimodelserving/triton/`` (``inferenceservice.yaml``,
  ``multi_model_triton.yaml``, ``README.md:22``, ``:29``): predictor.sklearn, predictor.triton.
- ``outlier-detection/alibi-detect/cifar10/cifar10.yaml``: predictor.tensorflow.
- ``storage/azure/README.md:68`` (also ``spec.template``, not a field), ``storage/s3/tensorflow_s3.yaml``,
  ``storage/storageSpec/`` (``sklearn_storagespec.yaml``, ``README.md:45``), ``storage/uri/`` (``sklearn.yaml``,
  ``tensorflow.yaml``, ``README.md:44, :99, :221``): predictor.tensorflow or .sklearn.
- ``v1beta1/advanced/`` (``cluster_local``, ``pod-overrides``, ``probes``, ``timeout``), ``v1beta1/lightgbm/``,
  ``v1beta1/onnx/``, ``v1beta1/paddle/``, ``v1beta1/pmml/``, ``v1beta1/rollout/`` (four files, ``README.md:16,
  :39, :121, :154, :189``), ``v1beta1/sklearn/v1/`` and ``v2/``, ``v1beta1/spark/``, ``v1beta1/tensorflow/``
  (six files, ``README.md:12, :84, :114``), ``v1beta1/torchserve/`` (``autoscaling``, ``canary``, ``metrics``,
  ``v1/``, ``v2/``: every file and README block; ``v1/bloom`` also has ``spec.nodeName``, not a field),
  ``v1beta1/xgboost/``: predictor.<framework>.
- ``v1beta1/transformer/feast/driver_transformer.yaml``, ``driver_transformer_modelmesh.yaml``,
  ``v1beta1/transformer/torchserve_image_transformer/transformer.yaml``, ``v1beta1/triton/bert/bert_v1beta1.yaml``,
  ``v1beta1/triton/torchscript/`` (four files): predictor.sklearn, .pytorch or .triton beside a transformer.
- ``explanation/aif/germancredit/bias-v1alpha1.yaml``, ``storage/pvc/mnist-pvc.yaml``: apiVersion
  ``serving.kserve.io/v1alpha2`` with ``spec.default``, an InferenceService version KServe v0.20 does not serve.
- Notebooks (``outlier-detection/…/cifar10_outlier.ipynb``, ``drift-detection/…/cifar10_drift.ipynb``,
  ``client/kfserving_sdk_v1beta1_sample.ipynb``): predictor.tensorflow (the last through KFServing's SDK);
  ``v1beta1/custom/torchserve/logger/logger_demo.ipynb``: the output of ``torchserve-logger.yaml`` (below).

The other samples that are not reproduced, and why, are in NOT_REPRODUCED; four valid ones whose shape no spec
field writes (an unnamed port, an empty container name, a container beside a model, a sidecar) are written
through ``patches:``, below. LLMInferenceServiceConfigs (``llmisvc/e2e-gpt-oss/
llmisvc_config_*.yaml``), LocalModelNodeGroups, ClusterStorageContainers, Secrets, ServiceAccounts, PVCs,
KafkaSources and ConfigMaps of the samples are the cluster's objects, not a model's.
"""
from __future__ import annotations

import textwrap

import pytest
import yaml

from generator.builders.files import build_fleet
from generator.builders.validation import schema_errors
from generator.builders.workloads import workload_objects
from generator.resolve.fleet import load_fleet
from tests.helpers import as_stored, assert_official_inference_service, model_tree

# KServe v0.20 refuses these, rewrites them on admission, or they are not YAML.
NOT_REPRODUCED = {
    "bentoml/bentoml.yaml, bentoml/README.md:137":
        "not valid YAML (image: {docker_username}/iris-classifier is a flow mapping), and predictor.container is "
        "not a field of the v0.20 CRD (a predictor lists containers)",
    "v1beta1/custom/torchserve/*.yaml (autoscale, canary, gpu, metrics, torchserve-custom, torchserve-custom-pv, "
    "bert-sample/bert, logger/torchserve-logger), its docs/*.md and logger/README.md blocks":
        "not valid YAML (image: {username}/torchserve:latest, a flow mapping where the image's name belongs); all but "
        "torchserve-custom-pv and bert also name their single predictor container torchserve-container, which "
        "KServe renames kserve-container (CustomPredictor.Default)",
    "storage/hdfs/README.md:86": "not valid YAML (a tab indents storageUri)",
    "v1beta1/custom/paddleserving/paddleserving-custom.yaml":
        "a single predictor container named paddleserving-container, which KServe renames kserve-container",
    "v1beta1/custom/prebuilt-image/custom.yaml":
        "a single predictor container named custom, which KServe renames kserve-container",
    "graph/switch.yaml:1, :15, :29 (single-1, -2, -3)":
        "a single predictor container named custom, which KServe renames kserve-container",
    "explanation/aif/germancredit/bias.yaml":
        "an explainer container named explainer, which KServe renames kserve-container (CustomExplainer.Default)",
    "explanation/aix/Fetch_20newsgroups/aix-explainer.yaml":
        "an explainer container named explainer, which KServe renames kserve-container",
    "explanation/aix/mnist/aix-explainer.yaml":
        "a predictor container named predictor and an explainer container named explainer, both renamed "
        "kserve-container by KServe",
    "v1beta1/transformer/feast/driver_transformer_new.yaml":
        "a transformer container named driver-container, which KServe renames kserve-container "
        "(CustomTransformer.Default)",
    "rollout-strategy/rollout-strategy-example.yaml:1":
        "transformer.custom.container, not a field of the v0.20 CRD (a transformer lists containers), and pod counts "
        "written as text (\"0\"), which Kubernetes refuses in the Deployment KServe makes",
    "llmisvc/kv-cache-offloading/llm-inference-service-kv-cache-offloading.yaml":
        "spec.workload, not a field of the v0.20 CRD (llm.kvCacheOffloading writes v0.20's spec.kvCacheOffloading)",
    "llmisvc/latency-predictor/llm-inference-service-latency-predictor.yaml":
        "router.scheduler.config.inline written as a string, where the v0.20 CRD has an object",
    "llmisvc/multi-gpu-vendor/llm-inference-service-qwen2-7b-amd-no-scheduler.yaml":
        "its spec.labels impersonate another service (app.kubernetes.io/name), which gitops-gen's pod labels never do",
}

# Valid v0.20 objects whose shape no spec field writes: each is written through `patches:` (at the end).
NOT_YET_EXPRESSIBLE: dict[str, str] = {}

EXAMPLES = []


def example(source: str, spec: dict, official: str, metadata: dict | None = None):
    EXAMPLES.append(pytest.param(spec, metadata, official, id=source))


SKLEARN_IRIS = {"format": "sklearn", "storageUri": "gs://kfserving-examples/models/sklearn/1.0/model"}

# canary-testing/README.md:25
example("canary-testing-README:25", SKLEARN_IRIS, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-iris"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "gs://kfserving-examples/models/sklearn/1.0/model"
""")
# canary-testing/README.md:44 (a canary splits traffic between Knative revisions)
example("canary-testing-README:44", {
    "format": "sklearn", "storageUri": "gs://kfserving-examples/models/sklearn/1.0/model-2",
    "deploymentMode": "Knative", "rollout": {"strategy": "canary", "canary": {"steps": [10]}}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-iris"
spec:
  predictor:
    canaryTrafficPercent: 10
    model:
      modelFormat:
        name: sklearn
      storageUri: "gs://kfserving-examples/models/sklearn/1.0/model-2"
""")
# istio-dex/sklearn.yaml
example("istio-dex", {**SKLEARN_IRIS, "annotations": {"sidecar.istio.io/inject": "false"}}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-iris"
  annotations:
    sidecar.istio.io/inject: "false"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "gs://kfserving-examples/models/sklearn/1.0/model"
""")
# kafka/mnist_kafka_new.yaml
example("kafka-mnist", {
    "format": "tensorflow", "runtimeVersion": "1.14.0", "storageUri": "s3://mnist",
    "resources": {"cpu": "100m", "memory": "1Gi"}, "replicas": {"min": 1},
    "transformer": {"image": "kserve/mnist-transformer:latest", "resources": {"cpu": "100m", "memory": "1Gi"},
                    "replicas": {"min": 1}}}, """
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
      resources:
        limits:
          cpu: 100m
          memory: 1Gi
        requests:
          cpu: 100m
          memory: 1Gi
      runtimeVersion: 1.14.0
      storageUri: s3://mnist
  transformer:
    minReplicas: 1
    containers:
      - image: kserve/mnist-transformer:latest
        name: kserve-container
        resources:
          limits:
            cpu: 100m
            memory: 1Gi
          requests:
            cpu: 100m
            memory: 1Gi
""")
# fluid/kserve-isvc.yaml: the Istio annotation is the predictor pods' only (podAnnotations); S3 through a
# service account, scale to zero (Knative's)
example("fluid-kserve", {
    "format": "huggingface", "deploymentMode": "Knative", "replicas": {"min": 0},
    "storageUri": "s3://${bucket}/models/meta-llama--Meta-Llama-3.1-8B-Instruct",
    "podAnnotations": {"traffic.sidecar.istio.io/excludeOutboundPorts": "443"}, "serviceAccountName": "s3sa",
    "nodeSelector": {"node.kubernetes.io/instance-type": "g5.8xlarge"},
    "args": ["--gpu-memory-utilization=0.95", "--max-model-len=1024", "--tensor-parallel-size=1", "--enforce-eager",
             "--disable-log-stats"],
    "resources": {"cpu": "24", "memory": "48Gi", "gpu": 1, "requests": {"nvidia.com/gpu": "1"}}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama-31-8b-instruct
spec:
  predictor:
    annotations:
      traffic.sidecar.istio.io/excludeOutboundPorts: "443"
    minReplicas: 0
    serviceAccountName: s3sa
    nodeSelector:
      node.kubernetes.io/instance-type: g5.8xlarge
    model:
      modelFormat:
        name: huggingface
      args:
        - --gpu-memory-utilization=0.95
        - --max-model-len=1024
        - --tensor-parallel-size=1
        - --enforce-eager
        - --disable-log-stats
      storageUri: s3://${bucket}/models/meta-llama--Meta-Llama-3.1-8B-Instruct
      resources:
        limits:
          cpu: "24"
          memory: 48Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "24"
          memory: 48Gi
          nvidia.com/gpu: "1"
""")
# fluid/fluid-isvc.yaml (minReplicas: 0, scale to zero, is Knative's)
example("fluid", {
    "format": "huggingface", "runtime": "custom-kserve-huggingfaceserver", "deploymentMode": "Knative",
    "storageUri": "pvc://s3-data/llama-31-8b-instruct", "replicas": {"min": 0},
    "nodeSelector": {"node.kubernetes.io/instance-type": "g5.8xlarge"},
    "args": ["--gpu-memory-utilization=0.95", "--max-model-len=1024", "--tensor-parallel-size=1", "--enforce-eager",
             "--disable-log-stats"],
    "resources": {"cpu": "24", "memory": "48Gi", "gpu": 1, "requests": {"nvidia.com/gpu": "1"}}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama-31-8b-instruct
spec:
  predictor:
    minReplicas: 0
    nodeSelector:
      node.kubernetes.io/instance-type: g5.8xlarge
    model:
      runtime: custom-kserve-huggingfaceserver
      modelFormat:
        name: huggingface
      storageUri: pvc://s3-data/llama-31-8b-instruct
      args:
        - --gpu-memory-utilization=0.95
        - --max-model-len=1024
        - --tensor-parallel-size=1
        - --enforce-eager
        - --disable-log-stats
      resources:
        limits:
          cpu: "24"
          memory: 48Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "24"
          memory: 48Gi
          nvidia.com/gpu: "1"
""")
# localmodelcache/README.md:236 (the InferenceService that starts from the cache at :222, tested below)
example("localmodelcache-README:236", {
    "format": "huggingface", "storageUri": "hf://meta-llama/meta-llama-3-8b-instruct",
    "resources": {"limits": {"nvidia.com/gpu": "1"}}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-llama3
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      storageUri: hf://meta-llama/meta-llama-3-8b-instruct
      resources:
        limits:
          nvidia.com/gpu: "1"
""")
# performance-testing/README.md:22
MLSERVER = {"format": "sklearn", "runtime": "kserve-mlserver", "storageUri": "gs://seldon-models/sklearn/mms/lr_model"}
example("performance-testing-README:22", MLSERVER, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-irisv2"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      runtime: kserve-mlserver
      storageUri: "gs://seldon-models/sklearn/mms/lr_model"
""")
# performance-testing/grpc.md:22 (a port named h2c: Knative's gRPC port)
example("performance-testing-grpc:22", {**MLSERVER, "protocol": "v2", "deploymentMode": "Knative", "grpcPort": 9000},
        """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-irisv2"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      runtime: kserve-mlserver
      protocolVersion: v2
      storageUri: "gs://seldon-models/sklearn/mms/lr_model"
      ports:
      - containerPort: 9000
        name: h2c
        protocol: TCP
""")
# rollout-strategy/rollout-strategy-example.yaml:41
example("rollout-strategy-configmap-defaults", {"format": "sklearn", "storageUri": "s3://my-bucket/model"}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: configmap-defaults-example
  namespace: default
  annotations:
    serving.kserve.io/deploymentMode: "Standard"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "s3://my-bucket/model"
    # No deploymentStrategy specified - will use ConfigMap global defaults
    # when defaultDeploymentMode is "Standard"
    # Allows administrators to set organization-wide rollout policies
""")
# storage/hf/hf_isvc.yaml
example("storage-hf", {
    "format": "huggingface", "serviceAccountName": "hfserviceacc", "storageUri": "hf://meta-llama/Llama-2-7b-chat-hf",
    "args": ["--model_name=llama2", "--model_dir=/mnt/models", "--backend=huggingface"],
    "resources": {"cpu": "6", "memory": "24Gi", "gpu": 1, "requests": {"nvidia.com/gpu": "1"}}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: huggingface-llama2
spec:
  predictor:
    serviceAccountName: hfserviceacc
    model:
      modelFormat:
        name: huggingface
      args:
      - --model_name=llama2
      - --model_dir=/mnt/models
      - --backend=huggingface
      storageUri: hf://meta-llama/Llama-2-7b-chat-hf
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
# storage/oci-image-volume/inference_service.yaml:44
example("storage-oci-image-volume", {
    "format": "sklearn", "storageUri": "oci+native://ghcr.io/my-org/my-sklearn-model:v1",
    "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: sklearn-oci-native
  namespace: kserve-test
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      # oci+native:// forces Kubernetes-native ImageVolume mounting regardless
      # of the cluster-wide ociModelMode setting in inferenceservice-config.
      # Replace with your OCI model image reference.
      storageUri: "oci+native://ghcr.io/my-org/my-sklearn-model:v1"
      resources:
        requests:
          cpu: "100m"
          memory: "256Mi"
        limits:
          cpu: "500m"
          memory: "512Mi"
""")
# v1beta1/custom/custom_model/custom.yaml:1
example("custom-model", {"format": "custom", "image": "kserve/custom-model:latest"}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: custom-model
spec:
  predictor:
    containers:
      - name: kserve-container
        image: kserve/custom-model:latest
""")
# v1beta1/custom/custom_model/custom.yaml:11 (a port named h2c: Knative's gRPC port)
example("custom-model-grpc", {"format": "custom", "image": "kserve/custom-model-grpc:latest",
                              "deploymentMode": "Knative", "grpcPort": 8081}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: custom-model-grpc
spec:
  predictor:
    containers:
      - name: kserve-container
        image: kserve/custom-model-grpc:latest
        ports:
        - name: h2c
          protocol: TCP
          containerPort: 8081
""")
# v1beta1/transformer/collocation/collocation.yaml (transformer.collocated beside a custom predictor)
COLLOCATION_RESOURCES = {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"cpu": 1, "memory": "1Gi"}}
example("transformer-collocation", {
    "format": "custom", "image": "pytorch/torchserve:0.9.0-cpu",
    "args": ["torchserve", "--start", "--model-store=/mnt/models/model-store",
             "--ts-config=/mnt/models/config/config.properties"],
    "env": {"TS_SERVICE_ENVELOPE": "kserve", "STORAGE_URI": "gs://kfserving-examples/models/torchserve/image_classifier/v1"},
    "resources": COLLOCATION_RESOURCES,
    "transformer": {"collocated": True, "image": "kserve/image-transformer:latest", "port": 8080,
                    "args": ["--model_name=mnist", "--protocol=v1", "--http_port=8080", "--grpc_port=8081",
                             "--predictor_host=localhost:8085"],
                    "resources": COLLOCATION_RESOURCES}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: custom-transformer-collocation
spec:
  predictor:
    containers:
      - name: kserve-container        # Do not change the name; This should be the predictor container
        image: "pytorch/torchserve:0.9.0-cpu"
        args:
          - "torchserve"
          - "--start"
          - "--model-store=/mnt/models/model-store"
          - "--ts-config=/mnt/models/config/config.properties"
        env:
          - name: TS_SERVICE_ENVELOPE
            value: kserve
          - name: STORAGE_URI    # This will trigger storage initializer; Should be only present in predictor container
            value: "gs://kfserving-examples/models/torchserve/image_classifier/v1"
        resources:
          requests:
            cpu: 100m
            memory: 256Mi
          limits:
            cpu: 1
            memory: 1Gi

      - name: transformer-container    # Do not change the container name
        image: kserve/image-transformer:latest
        args:
          - --model_name=mnist
          - --protocol=v1    # protocol of the predictor; used for converting the input to specific protocol supported by the predictor
          - --http_port=8080
          - --grpc_port=8081
          - --predictor_host=localhost:8085      # predictor listening port
        ports:
          - containerPort: 8080
            protocol: TCP
        resources:
          requests:
            cpu: 100m
            memory: 256Mi
          limits:
            cpu: 1
            memory: 1Gi
""")

# storage/hdfs/README.md:137 (the storage spec: a key of the storage-config Secret and a path)
example("storage-hdfs-README:137", {
    "format": "tensorflow", "storage": {"key": "internalhdfs", "path": "/user/myuser/path/to/model"}}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: my-model
spec:
  predictor:
    model:
      modelFormat:
        name: tensorflow
      storage:
        key: internalhdfs
        path: /user/myuser/path/to/model
""")


# --- Shapes no field writes, through patches: (the escape hatch, docs/spec.md) -----------------------------

# v1beta1/custom/simple.yaml: `port` names the container's port http1 (what KServe's own runtimes name theirs).
example("v1beta1-custom-simple", {
    "format": "custom", "image": "codait/max-object-detector", "port": 5000, "replicas": {"min": 1},
    "patches": [{"target": {"kind": "InferenceService"},
                 "json": [{"op": "remove", "path": "/spec/predictor/containers/0/ports/0/name"}]}]}, """
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "custom-simple"
spec:
  predictor:
    minReplicas: 1
    containers:
    - image: codait/max-object-detector
      name: kserve-container
      ports:
        - containerPort: 5000
          protocol: TCP
""")
# rollout-strategy/rollout-strategy-example.yaml:62: a kserve-container beside the model, which KServe merges into
# the runtime's container (a Model's image is the container of format: custom).
example("rollout-strategy-example:62", {
    "format": "huggingface", "storageUri": "s3://my-bucket/llm-model", "deploymentMode": "Standard",
    "deploymentStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "50%", "maxSurge": "25%"}},
    "patches": [{"target": {"kind": "InferenceService"}, "merge": {"spec": {"predictor": {"containers": [{
        "name": "kserve-container", "image": "my-ray-model-server:latest",
        "env": [{"name": "RAY_NODE_COUNT", "value": "4"}, {"name": "REQUEST_GPU_COUNT", "value": "8"}]}]}}}}]}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: multinode-example
  namespace: default
  annotations:
    serving.kserve.io/deploymentMode: "Standard"
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      storageUri: "s3://my-bucket/llm-model"
    containers:
    - name: kserve-container
      image: my-ray-model-server:latest
      env:
      - name: RAY_NODE_COUNT    # This triggers multinode deployment
        value: "4"              # 1 head + 3 worker nodes
      - name: REQUEST_GPU_COUNT
        value: "8"
    deploymentStrategy:
      type: RollingUpdate
      rollingUpdate:
        maxUnavailable: "50%"  # This will be overridden to "0%"
        maxSurge: "25%"        # This will be overridden to "100%"
""")
# v1beta1/triton/fastertransformer/README.md:159: the model's container written with an empty name.
example("triton-fastertransformer-README:159", {
    "format": "triton", "formatVersion": "2", "runtime": "tritonserver-ft",
    "storageUri": "s3://example-bucket/bloom-ft-example",
    "resources": {"limits": {"cpu": "1", "memory": "8Gi", "nvidia.com/gpu": "1"},
                  "requests": {"cpu": "1", "memory": "4Gi", "nvidia.com/gpu": "1"}},
    "transformer": {
        "image": "<my-transformer-image>", "command": ["python", "transformer.py"],
        "args": ["--model_name", "fastertransformer", "--protocol", "v2", "--tokenizer_path", "/mnt/models/"],
        "env": {"STORAGE_URI": "s3://example-bucket/bloom-ft-example/fastertransformer/1/tokenizer"},
        "resources": {"cpu": "1", "memory": "2Gi"}},
    "patches": [{"target": {"kind": "InferenceService"},
                 "json": [{"op": "add", "path": "/spec/predictor/model/name", "value": ""}]}]}, """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: bloom-560m
spec:
  predictor:
    model:
      modelFormat:
        name: triton
        version: "2"
      name: ""
      resources:
        limits:
          cpu: "1"
          memory: 8Gi
          nvidia.com/gpu: "1"
        requests:
          cpu: "1"
          memory: 4Gi
          nvidia.com/gpu: "1"
      runtime: tritonserver-ft
      storageUri: s3://example-bucket/bloom-ft-example
  transformer:
    containers:
    - args:
      - --model_name
      - fastertransformer
      - --protocol
      - v2
      - --tokenizer_path
      - /mnt/models/
      command:
      - python
      - transformer.py
      env:
      - name: STORAGE_URI
        value: s3://example-bucket/bloom-ft-example/fastertransformer/1/tokenizer
      image: <my-transformer-image>
      name: kserve-container
      resources:
        limits:
          cpu: "1"
          memory: 2Gi
        requests:
          cpu: "1"
          memory: 2Gi
""")


@pytest.mark.parametrize("spec, metadata, official", EXAMPLES)
def test_sample_inference_service_is_written_field_for_field(tmp_path, spec, metadata, official):
    assert_official_inference_service(tmp_path, spec, metadata, official)


# --- LLMInferenceServices -----------------------------------------------------------------------------------

LLM_EXAMPLES = []


def llm_example(source: str, spec: str, official: str, metadata: dict | None = None):
    LLM_EXAMPLES.append(pytest.param(spec, official, metadata, id=source))


GPT_OSS = """
serving: llm
storageUri: pvc://gpt-oss-20b-pvc
replicas: {min: 2, max: 2}
resources: {limits: {cpu: '8', memory: 64Gi, nvidia.com/gpu: 1}, requests: {cpu: '4', memory: 32Gi, nvidia.com/gpu: 1}}
llm: {modelName: RedHatAI/gpt-oss-20b, router: {scheduler: {}, gateway: {}}, baseRefs: [BASE]}
"""
GPT_OSS_OFFICIAL = """
apiVersion: serving.kserve.io/v1alpha2
kind: LLMInferenceService
metadata:
  name: gpt-oss-20b
spec:
  model:
    uri: "pvc://gpt-oss-20b-pvc"
    name: RedHatAI/gpt-oss-20b
  replicas: 2
  router:
    scheduler: { }
    gateway: { }
  baseRefs:
    - name: BASE
  template:
    containers:
      - name: main
        resources:
          limits:
            cpu: '8'
            memory: 64Gi
            nvidia.com/gpu: 1
          requests:
            cpu: '4'
            memory: 32Gi
            nvidia.com/gpu: 1
"""
# llmisvc/e2e-gpt-oss/inference_default.yaml:2 and inference_prefix_cache.yaml:2: the same service over another
# LLMInferenceServiceConfig
llm_example("e2e-gpt-oss-default", GPT_OSS.replace("BASE", "llmisvc-intelligent-inference-scheduling"),
            GPT_OSS_OFFICIAL.replace("BASE", "llmisvc-intelligent-inference-scheduling"))
llm_example("e2e-gpt-oss-prefix-cache", GPT_OSS.replace("BASE", "llmisvc-prefix-caching"),
            GPT_OSS_OFFICIAL.replace("BASE", "llmisvc-prefix-caching"))
# llmisvc/e2e-gpt-oss/inference_pd_disaggregation.yaml:2
llm_example("e2e-gpt-oss-pd-disaggregation", """
serving: llm
storageUri: pvc://gpt-oss-20b-pvc
replicas: {min: 1, max: 1}
resources: {limits: {nvidia.com/gpu: "1"}, requests: {nvidia.com/gpu: "1"}}
llm:
  modelName: RedHatAI/gpt-oss-20b
  baseRefs: [llmisvc-config-pd-disagg]
  prefill:
    replicas: {min: 2, max: 2}
    resources: {limits: {nvidia.com/gpu: "1"}, requests: {nvidia.com/gpu: "1"}}
""", """
apiVersion: serving.kserve.io/v1alpha2
kind: LLMInferenceService
metadata:
  name: gpt-oss-20b
spec:
  # Main/decode pool replica count
  model:
    uri: "pvc://gpt-oss-20b-pvc"
    name: RedHatAI/gpt-oss-20b
  replicas: 1
  baseRefs:
    - name: llmisvc-config-pd-disagg
  template:
    containers:
      - name: main
        resources:
          limits:
            nvidia.com/gpu: "1"
          requests:
            nvidia.com/gpu: "1"
  prefill:
    # Prefill pool replica count (higher for concurrent prefill requests)
    replicas: 2
    template:
      containers:
        - name: main
          resources:
            limits:
              nvidia.com/gpu: "1"
            requests:
              nvidia.com/gpu: "1"
""")
# llmisvc/multi-gpu-vendor/llm-inference-service-qwen2-7b-nvidia-with-scheduler.yaml
llm_example("multi-gpu-vendor-nvidia", """
serving: llm
storageUri: hf://Qwen/Qwen2.5-7B-Instruct
replicas: {min: 3, max: 3}
resources: {limits: {cpu: '4', memory: 32Gi, nvidia.com/gpu: "1"}, requests: {cpu: '2', memory: 16Gi, nvidia.com/gpu: "1"}}
llm: {modelName: Qwen/Qwen2.5-7B-Instruct, router: {scheduler: {}, route: {}, gateway: {}}}
""", """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: qwen2-7b-instruct-nvidia
spec:
  model:
    uri: hf://Qwen/Qwen2.5-7B-Instruct
    name: Qwen/Qwen2.5-7B-Instruct
  replicas: 3
  router:
    scheduler: { }
    route: { }
    gateway: { }
  template:
    containers:
      - name: main
        resources:
          limits:
            cpu: '4'
            memory: 32Gi
            nvidia.com/gpu: "1"
          requests:
            cpu: '2'
            memory: 16Gi
            nvidia.com/gpu: "1"
""")

# llmisvc/precise-prefix-kv-cache-routing/llm-inference-service-opt-125m-cpu-kv-cache-routing-simulator.yaml:5
# (KServe's Go templates in args, past gitops-gen's own expressions with raw; the pod IP from the downward API)
llm_example("precise-prefix-kv-cache-routing-simulator", """
serving: llm
storageUri: hf://facebook/opt-125m
replicas: {min: 2, max: 2}
llm:
  modelName: opt-125m
  router:
    route: {}
    gateway: {}
    scheduler:
      template: {containers: [{name: tokenizer, env: [{name: LOG_LEVEL, value: DEBUG}]}]}
      config:
        inline:
          apiVersion: inference.networking.x-k8s.io/v1alpha1
          kind: EndpointPickerConfig
          plugins:
            - type: single-profile-handler
            - type: precise-prefix-cache-scorer
              parameters:
                tokenProcessorConfig: {blockSize: 16, hashSeed: "42"}
                kvEventsConfig: {zmqEndpoint: "tcp://*:5557"}
                indexerConfig: {kvBlockIndexConfig: {enableMetrics: true, metricsLoggingInterval: 60000000000}}
            - type: kv-cache-utilization-scorer
            - type: queue-scorer
            - type: active-request-scorer
              parameters: {requestTimeout: "2m", idleThreshold: 0, maxBusyScore: 0}
            - type: max-score-picker
          schedulingProfiles:
            - name: default
              plugins:
                - {pluginRef: precise-prefix-cache-scorer, weight: 3}
                - {pluginRef: kv-cache-utilization-scorer, weight: 2}
                - {pluginRef: queue-scorer, weight: 2}
                - {pluginRef: active-request-scorer, weight: 3}
                - {pluginRef: max-score-picker}
image: ghcr.io/llm-d/llm-d-inference-sim:v0.10.0
command: ["/app/llm-d-inference-sim"]
args: [--port, "8000", --model, "{% raw %}{{ .Spec.Model.Name }}{% endraw %}", --mode, random, --enable-kvcache,
       --block-size, "16", --zmq-endpoint, "tcp://{% raw %}{{ ChildName .ObjectMeta.Name `-epp-service` }}{% endraw %}:5557",
       --hash-seed, "42", --event-batch-size, "1"]
fieldEnv: [{name: POD_IP, fieldPath: status.podIP, apiVersion: v1}]
resources: {limits: {cpu: "1", memory: 2Gi}, requests: {cpu: 100m, memory: 100Mi}}
""", """
apiVersion: serving.kserve.io/v1alpha2
kind: LLMInferenceService
metadata:
  name: precise-prefix-test
spec:
  model:
    uri: hf://facebook/opt-125m
    name: opt-125m
  replicas: 2
  router:
    scheduler:
      template:
        containers:
          - name: tokenizer
            env:
              - name: LOG_LEVEL
                value: DEBUG
      config:
        inline:
          apiVersion: inference.networking.x-k8s.io/v1alpha1
          kind: EndpointPickerConfig
          plugins:
            - type: single-profile-handler
            - type: precise-prefix-cache-scorer
              parameters:
                tokenProcessorConfig:
                  blockSize: 16
                  hashSeed: "42"
                kvEventsConfig:
                  zmqEndpoint: "tcp://*:5557"
                indexerConfig:
                  kvBlockIndexConfig:
                    enableMetrics: true
                    metricsLoggingInterval: 60000000000
            - type: kv-cache-utilization-scorer
            - type: queue-scorer
            - type: active-request-scorer
              parameters:
                requestTimeout: "2m"
                idleThreshold: 0        # Pods with ≤0 requests are idle
                maxBusyScore: 0         # Busy pods score 0, idle pods score 1.0
            - type: max-score-picker
          schedulingProfiles:
            - name: default
              plugins:
                - pluginRef: precise-prefix-cache-scorer
                  weight: 3
                - pluginRef: kv-cache-utilization-scorer
                  weight: 2
                - pluginRef: queue-scorer
                  weight: 2
                - pluginRef: active-request-scorer
                  weight: 3
                - pluginRef: max-score-picker
    route: { }
    gateway: { }
  template:
    containers:
      - name: main
        image: ghcr.io/llm-d/llm-d-inference-sim:v0.10.0
        command: ["/app/llm-d-inference-sim"]
        args:
          - --port
          - "8000"
          - --model
          - "{{ .Spec.Model.Name }}"
          - --mode
          - random
          - --enable-kvcache
          - --block-size
          - "16"
          - --zmq-endpoint
          - "tcp://{{ ChildName .ObjectMeta.Name `-epp-service` }}:5557"
          - --hash-seed
          - "42"
          - --event-batch-size
          - "1"
        env:
          - name: POD_IP
            valueFrom:
              fieldRef:
                apiVersion: v1
                fieldPath: status.podIP
        resources:
          limits:
            cpu: "1"
            memory: 2Gi
          requests:
            cpu: 100m
            memory: 100Mi
""")

# llmisvc/precise-prefix-kv-cache-routing/llm-inference-service-qwen2-7b-gpu-kv-cache-routing.yaml:2
llm_example("precise-prefix-kv-cache-routing-qwen2-7b-gpu", r"""
serving: llm
storageUri: hf://Qwen/Qwen2.5-7B-Instruct
replicas: {min: 2, max: 2}
llm:
  modelName: Qwen/Qwen2.5-7B-Instruct
  router:
    route: {}
    gateway: {}
    scheduler:
      config:
        inline:
          apiVersion: inference.networking.x-k8s.io/v1alpha1
          kind: EndpointPickerConfig
          plugins:
            - type: single-profile-handler
            - type: precise-prefix-cache-scorer
              parameters:
                tokenProcessorConfig: {blockSize: 64, hashSeed: "42"}
                kvEventsConfig: {zmqEndpoint: "tcp://*:5557"}
                indexerConfig: {kvBlockIndexConfig: {enableMetrics: true, metricsLoggingInterval: 60000000000}}
            - type: kv-cache-utilization-scorer
            - type: queue-scorer
            - type: active-request-scorer
              parameters: {requestTimeout: "2m", idleThreshold: 0, maxBusyScore: 0}
            - type: max-score-picker
          schedulingProfiles:
            - name: default
              plugins:
                - {pluginRef: precise-prefix-cache-scorer, weight: 3}
                - {pluginRef: kv-cache-utilization-scorer, weight: 2}
                - {pluginRef: queue-scorer, weight: 2}
                - {pluginRef: active-request-scorer, weight: 3}
                - {pluginRef: max-score-picker}
env:
  VLLM_ADDITIONAL_ARGS: "--prefix-caching-hash-algo sha256_cbor --block-size 64 --kv_transfer_config '{\"kv_connector\":\"NixlConnector\",\"kv_role\":\"kv_both\"}' --kv-events-config '{\"enable_kv_cache_events\":true,\"publisher\":\"zmq\",\"endpoint\":\"tcp://{% raw %}{{ ChildName .ObjectMeta.Name `-epp-service` }}{% endraw %}:5557\",\"topic\":\"kv@${POD_IP}@Qwen/Qwen2.5-7B-Instruct\"}'"
  PYTHONHASHSEED: "42"
fieldEnv: [{name: POD_IP, fieldPath: status.podIP, apiVersion: v1}]
resources: {limits: {cpu: '4', memory: 32Gi, nvidia.com/gpu: "1"}, requests: {cpu: '2', memory: 16Gi, nvidia.com/gpu: "1"}}
probes:
  liveness: {httpGet: {path: /health, port: 8000, scheme: HTTPS}, initialDelaySeconds: 120, periodSeconds: 30,
             timeoutSeconds: 30, failureThreshold: 5}
""", r"""
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: qwen2-7b-kv-cache-routing
spec:
  model:
    uri: hf://Qwen/Qwen2.5-7B-Instruct
    name: Qwen/Qwen2.5-7B-Instruct
  # Two replicas to demonstrate KV cache routing across instances
  replicas: 2
  router:
    scheduler:
      config:
        inline:
          apiVersion: inference.networking.x-k8s.io/v1alpha1
          kind: EndpointPickerConfig
          plugins:
            - type: single-profile-handler
            - type: precise-prefix-cache-scorer
              parameters:
                tokenProcessorConfig:
                  blockSize: 64       # Must match vLLM --block-size (default is 16)
                  hashSeed: "42"      # Must match PYTHONHASHSEED in vLLM pods
                kvEventsConfig:
                  zmqEndpoint: "tcp://*:5557"
                indexerConfig:
                  kvBlockIndexConfig:
                    enableMetrics: true                   # Enable Prometheus metrics for KV cache index
                    metricsLoggingInterval: 60000000000   # Log metrics every 60 seconds (in nanoseconds)
            - type: kv-cache-utilization-scorer
            - type: queue-scorer
            - type: active-request-scorer
              parameters:
                requestTimeout: "2m"
                idleThreshold: 0        # Pods with ≤0 requests are idle
                maxBusyScore: 0         # Busy pods score 0, idle pods score 1.0
            - type: max-score-picker
          schedulingProfiles:
            - name: default
              plugins:
                - pluginRef: precise-prefix-cache-scorer
                  weight: 3
                - pluginRef: kv-cache-utilization-scorer
                  weight: 2
                - pluginRef: queue-scorer
                  weight: 2
                - pluginRef: active-request-scorer
                  weight: 3
                - pluginRef: max-score-picker
    route: { }
    gateway: { }
  template:
    containers:
      - name: main
        env:
          # Configure vLLM for prefix caching with KV cache event publishing
          - name: VLLM_ADDITIONAL_ARGS
            value: "--prefix-caching-hash-algo sha256_cbor --block-size 64 --kv_transfer_config '{\"kv_connector\":\"NixlConnector\",\"kv_role\":\"kv_both\"}' --kv-events-config '{\"enable_kv_cache_events\":true,\"publisher\":\"zmq\",\"endpoint\":\"tcp://{{ ChildName .ObjectMeta.Name `-epp-service` }}:5557\",\"topic\":\"kv@${POD_IP}@Qwen/Qwen2.5-7B-Instruct\"}'"
          # Pod IP used in KV cache event topic
          - name: POD_IP
            valueFrom:
              fieldRef:
                apiVersion: v1
                fieldPath: status.podIP
          # Hash seed must match scheduler configuration
          - name: PYTHONHASHSEED
            value: "42"
        resources:
          limits:
            cpu: '4'
            memory: 32Gi
            nvidia.com/gpu: "1"
          requests:
            cpu: '2'
            memory: 16Gi
            nvidia.com/gpu: "1"
        livenessProbe:
          httpGet:
            path: /health
            port: 8000
            scheme: HTTPS
          initialDelaySeconds: 120
          periodSeconds: 30
          timeoutSeconds: 30
          failureThreshold: 5
""")


def without_pod_labels(spec: dict) -> dict:
    """An LLMInferenceService's spec without the pod labels gitops-gen adds for its monitors."""
    spec = {k: v for k, v in spec.items() if k != "labels"}
    if "prefill" in spec:
        spec["prefill"] = {k: v for k, v in spec["prefill"].items() if k != "labels"}
    return spec

# llmisvc/managed-dra/llm-inference-service-managed-dra-minimal.yaml: the annotation that asks KServe for a
# DeviceClass is the object's only (the Model's metadata.annotations; spec.annotations would reach the pods too).
llm_example("managed-dra-minimal", """
serving: llm
storageUri: hf://Qwen/Qwen2.5-7B-Instruct
llm: {modelName: Qwen/Qwen2.5-7B-Instruct, router: {scheduler: {}, route: {}, gateway: {}}}
replicas: {min: 1, max: 1}
resources: {limits: {cpu: '4', memory: 32Gi}, requests: {cpu: '2', memory: 16Gi}}
probes:
  liveness: {httpGet: {path: /health, port: 8000, scheme: HTTPS}, initialDelaySeconds: 120, periodSeconds: 30,
             timeoutSeconds: 30, failureThreshold: 5}
""", """
apiVersion: serving.kserve.io/v1alpha2
kind: LLMInferenceService
metadata:
  name: qwen2-7b-instruct-dra-minimal
  # Minimal Managed DRA: request one device of the given DeviceClass.
  annotations:
    serving.kserve.io/exp-dra-device-class: gpu.nvidia.com
spec:
  model:
    uri: hf://Qwen/Qwen2.5-7B-Instruct
    name: Qwen/Qwen2.5-7B-Instruct
  replicas: 1
  router:
    scheduler: { }
    route: { }
    gateway: { }
  template:
    containers:
      - name: main
        resources:
          limits:
            cpu: '4'
            memory: 32Gi
          requests:
            cpu: '2'
            memory: 16Gi
        livenessProbe:
          httpGet:
            path: /health
            port: 8000
            scheme: HTTPS
          initialDelaySeconds: 120
          periodSeconds: 30
          timeoutSeconds: 30
          failureThreshold: 5
""", metadata={"annotations": {"serving.kserve.io/exp-dra-device-class": "gpu.nvidia.com"}})

# llmisvc/dp-ep/deepseek-r1-gpu-rdma-roce/llm-inference-service-dp-ep-deepseek-r1-gpu-naive.yaml: expert parallelism
# over 16 data-parallel ranks, 8 a node: worker pods, with the main container's settings but not its probe
llm_example("dp-ep-naive", """
serving: llm
storageUri: hf://deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct
llm: {modelName: deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct, router: {scheduler: {}, route: {}, gateway: {}}}
replicas: {min: 1, max: 1}
workers: {tensorParallelSize: 1, dataParallelSize: 16, dataLocalParallelSize: 8, expertParallel: true}
serviceAccountName: hfsa
env:
  VLLM_API_SERVER_COUNT: '1'
  VLLM_LOGGING_LEVEL: INFO
  CUDA_DEVICE_ORDER: PCI_BUS_ID
  VLLM_ADDITIONAL_ARGS: --gpu-memory-utilization 0.95 --max-model-len 8192 --enforce-eager
  VLLM_ALL2ALL_BACKEND: naive
  PYTORCH_CUDA_ALLOC_CONF: expandable_segments:True
  NCCL_IB_DISABLE: '1'
  NCCL_NET_GDR_LEVEL: '0'
  NCCL_P2P_LEVEL: NVL
  NCCL_SOCKET_IFNAME: eth0
  NCCL_NSOCKS_PERTHREAD: '2'
  NCCL_SOCKET_NTHREADS: '2'
  NCCL_BUFFSIZE: '2097152'
  NCCL_DEBUG: WARN
  NVSHMEM_REMOTE_TRANSPORT: ucx
  NVSHMEM_DISABLE_CUDA_VMM: '0'
  NVSHMEM_BOOTSTRAP_TWO_STAGE: '1'
  NVSHMEM_BOOTSTRAP_TIMEOUT: '300'
  NVSHMEM_BOOTSTRAP_UID_SOCK_IFNAME: eth0
  NVSHMEM_DEBUG: INFO
  UCX_TLS: tcp,sm,self,cuda_copy,cuda_ipc
  UCX_NET_DEVICES: eth0
  NVIDIA_GDRCOPY: enabled
resources:
  limits: {cpu: 128, ephemeral-storage: 100Gi, memory: 512Gi, nvidia.com/gpu: '8'}
  requests: {cpu: 64, ephemeral-storage: 100Gi, memory: 256Gi, nvidia.com/gpu: '8'}
probes:
  liveness: {httpGet: {path: /health, port: 8000, scheme: HTTPS}, initialDelaySeconds: 4800, periodSeconds: 10,
             timeoutSeconds: 10, failureThreshold: 3}
""", """
# GCP a3-highgpu-8g: No SR-IOV/RDMA, uses gVNIC with TCP-optimized NCCL
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: deepseek-coder-v2
spec:
  model:
    # Initialize PVC following the example in /docs/samples/storage/pvc-init (recommended) or use the HuggingFace
    # alternative
    #uri: pvc://llm-test-pvc-deepseek
    uri: hf://deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct
    name: deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct
  replicas: 1
  parallelism:
    data: 16
    dataLocal: 8
    expert: true
    tensor: 1
  router:
    scheduler: { }
    route: { }
    gateway: { }
  template:
    serviceAccountName: hfsa
    containers:
      - name: main
        env:
          - name: VLLM_API_SERVER_COUNT
            value: "1"
          - name: VLLM_LOGGING_LEVEL
            value: INFO
          # GCP gVNIC: Optimized for TCP-based high-performance networking
          # No RDMA devices available, using gVNIC with NCCL TCP optimization
          - name: CUDA_DEVICE_ORDER
            value: "PCI_BUS_ID"
          # Memory optimizations
          - name: VLLM_ADDITIONAL_ARGS
            value: "--gpu-memory-utilization 0.95 --max-model-len 8192 --enforce-eager"
          - name: VLLM_ALL2ALL_BACKEND
            value: naive
          - name: PYTORCH_CUDA_ALLOC_CONF
            value: "expandable_segments:True"
          # NCCL configuration optimized for GCP gVNIC (TCP-based)
          - name: NCCL_IB_DISABLE
            value: "1"  # Disable IB/RDMA - not available on gVNIC
          - name: NCCL_NET_GDR_LEVEL
            value: "0"  # Disable GPUDirect over network (no RDMA devices)
          - name: NCCL_P2P_LEVEL
            value: "NVL"  # Use NVLink for intra-node P2P
          - name: NCCL_SOCKET_IFNAME
            value: eth0  # gVNIC interface
          - name: NCCL_NSOCKS_PERTHREAD
            value: "2"  # Reduce sockets to avoid allocation errors
          - name: NCCL_SOCKET_NTHREADS
            value: "2"  # Reduce threads to lower memory pressure
          - name: NCCL_BUFFSIZE
            value: "2097152"  # 2MB buffer to reduce memory usage
          - name: NCCL_DEBUG
            value: WARN
          # NVSHMEM configuration - use UCX transport (already configured for TCP)
          - name: NVSHMEM_REMOTE_TRANSPORT
            value: "ucx"
          - name: NVSHMEM_DISABLE_CUDA_VMM
            value: "0"
          - name: NVSHMEM_BOOTSTRAP_TWO_STAGE
            value: "1"
          - name: NVSHMEM_BOOTSTRAP_TIMEOUT
            value: "300"
          - name: NVSHMEM_BOOTSTRAP_UID_SOCK_IFNAME
            value: eth0
          - name: NVSHMEM_DEBUG
            value: INFO
          # UCX configuration for TCP transport (no IB)
          - name: UCX_TLS
            value: "tcp,sm,self,cuda_copy,cuda_ipc"
          - name: UCX_NET_DEVICES
            value: eth0
          # GDRCopy for intra-node GPU-GPU transfers
          - name: NVIDIA_GDRCOPY
            value: enabled
        resources:
          limits:
            cpu: 128
            ephemeral-storage: 100Gi
            memory: 512Gi
            nvidia.com/gpu: "8"
            # GCP: No rdma/roce_gdr resource - using TCP over gVNIC
          requests:
            cpu: 64
            ephemeral-storage: 100Gi
            memory: 256Gi
            nvidia.com/gpu: "8"
        livenessProbe:
          httpGet:
            path: /health
            port: 8000
            scheme: HTTPS
          initialDelaySeconds: 4800
          periodSeconds: 10
          timeoutSeconds: 10
          failureThreshold: 3
  worker:
    serviceAccountName: hfsa
    containers:
      - name: main
        env:
          - name: VLLM_API_SERVER_COUNT
            value: "1"
          - name: VLLM_LOGGING_LEVEL
            value: INFO
          # GCP gVNIC: Optimized for TCP-based high-performance networking
          # No RDMA devices available, using gVNIC with NCCL TCP optimization
          - name: CUDA_DEVICE_ORDER
            value: "PCI_BUS_ID"
          # Memory optimizations
          - name: VLLM_ADDITIONAL_ARGS
            value: "--gpu-memory-utilization 0.95 --max-model-len 8192 --enforce-eager"
          - name: VLLM_ALL2ALL_BACKEND
            value: naive
          - name: PYTORCH_CUDA_ALLOC_CONF
            value: "expandable_segments:True"
          # NCCL configuration optimized for GCP gVNIC (TCP-based)
          - name: NCCL_IB_DISABLE
            value: "1"  # Disable IB/RDMA - not available on gVNIC
          - name: NCCL_NET_GDR_LEVEL
            value: "0"  # Disable GPUDirect over network (no RDMA devices)
          - name: NCCL_P2P_LEVEL
            value: "NVL"  # Use NVLink for intra-node P2P
          - name: NCCL_SOCKET_IFNAME
            value: eth0  # gVNIC interface
          - name: NCCL_NSOCKS_PERTHREAD
            value: "2"  # Reduce sockets to avoid allocation errors
          - name: NCCL_SOCKET_NTHREADS
            value: "2"  # Reduce threads to lower memory pressure
          - name: NCCL_BUFFSIZE
            value: "2097152"  # 2MB buffer to reduce memory usage
          - name: NCCL_DEBUG
            value: WARN
          # NVSHMEM configuration - use UCX transport (already configured for TCP)
          - name: NVSHMEM_REMOTE_TRANSPORT
            value: "ucx"
          - name: NVSHMEM_DISABLE_CUDA_VMM
            value: "0"
          - name: NVSHMEM_BOOTSTRAP_TWO_STAGE
            value: "1"
          - name: NVSHMEM_BOOTSTRAP_TIMEOUT
            value: "300"
          - name: NVSHMEM_BOOTSTRAP_UID_SOCK_IFNAME
            value: eth0
          - name: NVSHMEM_DEBUG
            value: INFO
          # UCX configuration for TCP transport (no IB)
          - name: UCX_TLS
            value: "tcp,sm,self,cuda_copy,cuda_ipc"
          - name: UCX_NET_DEVICES
            value: eth0
          # GDRCopy for intra-node GPU-GPU transfers
          - name: NVIDIA_GDRCOPY
            value: enabled
        resources:
          limits:
            cpu: 128
            ephemeral-storage: 100Gi
            memory: 512Gi
            nvidia.com/gpu: "8"
            # GCP: No rdma/roce_gdr resource - using TCP over gVNIC
          requests:
            cpu: 64
            ephemeral-storage: 100Gi
            memory: 256Gi
            nvidia.com/gpu: "8"
""")

# llmisvc/dp-ep/deepseek-r1-gpu-rdma-roce/llm-inference-service-dp-ep-deepseek-r1-gpu-deepep-ht.yaml: the same over
# RoCE; its network annotation is the object's (the Model's metadata.annotations)
llm_example("dp-ep-deepep-ht", """
serving: llm
storageUri: pvc://llm-test-pvc-deepseek
llm: {modelName: deepseek-ai/DeepSeek-R1-0528, router: {scheduler: {}, route: {}, gateway: {}}}
replicas: {min: 1, max: 1}
workers: {tensorParallelSize: 1, dataParallelSize: 32, dataLocalParallelSize: 8, expertParallel: true}
serviceAccountName: hfsa
env:
  VLLM_LOGGING_LEVEL: INFO
  KSERVE_INFER_ROCE: 'true'
  CUDA_DEVICE_ORDER: PCI_BUS_ID
  VLLM_ADDITIONAL_ARGS: --gpu-memory-utilization 0.95 --max-model-len 8192 --enforce-eager
  VLLM_ALL2ALL_BACKEND: deepep_high_throughput
  PYTORCH_CUDA_ALLOC_CONF: expandable_segments:True
  NCCL_IB_GID_INDEX: '3'
  NCCL_DEBUG: WARN
  NCCL_SOCKET_IFNAME: net1
  NCCL_IB_TIMEOUT: '100'
  NVSHMEM_REMOTE_TRANSPORT: ibgda
  NVSHMEM_BOOTSTRAP_TWO_STAGE: '1'
  NVSHMEM_BOOTSTRAP_TIMEOUT: '300'
  NVSHMEM_BOOTSTRAP_UID_SOCK_IFNAME: net1
  NVSHMEM_IB_GID_INDEX: '3'
  NVSHMEM_USE_IBGDA: '1'
  NVSHMEM_ENABLE_NIC_PE_MAPPING: '1'
  NVSHMEM_IBGDA_SUPPORT: '1'
  NVSHMEM_IB_ENABLE_IBGDA: '1'
  NVSHMEM_IBGDA_NIC_HANDLER: gpu
  NVSHMEM_DEBUG: WARN
  UCX_TLS: rc,sm,self,cuda_copy,cuda_ipc
  UCX_IB_GID_INDEX: '3'
  UCX_RC_MLX5_TM_ENABLE: n
  UCX_UD_MLX5_RX_QUEUE_LEN: '1024'
  NVIDIA_GDRCOPY: enabled
resources:
  limits: {cpu: 128, ephemeral-storage: 800Gi, memory: 512Gi, nvidia.com/gpu: '8', rdma/roce_gdr: 1}
  requests: {cpu: 64, ephemeral-storage: 800Gi, memory: 256Gi, nvidia.com/gpu: '8', rdma/roce_gdr: 1}
probes:
  liveness: {httpGet: {path: /health, port: 8000, scheme: HTTPS}, initialDelaySeconds: 4800, periodSeconds: 10,
             timeoutSeconds: 10, failureThreshold: 3}
""", """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: deepseek-r1-0528
  annotations:
    # See network-roce-p2.yaml as an example (cluster and hardware specific)
    k8s.v1.cni.cncf.io/networks: roce-p2
spec:
  model:
    # Initialize PVC following the example in /docs/samples/storage/pvc-init (recommended) or use the HuggingFace
    # alternative
    uri: pvc://llm-test-pvc-deepseek
    #    uri: hf://deepseek-ai/DeepSeek-R1-0528
    name: deepseek-ai/DeepSeek-R1-0528
  replicas: 1
  parallelism:
    data: 32
    dataLocal: 8
    expert: true
    tensor: 1
  router:
    scheduler: { }
    route: { }
    gateway: { }
  template:
    serviceAccountName: hfsa
    containers:
      - name: main
        env:
          - name: VLLM_LOGGING_LEVEL
            value: INFO
          - name: KSERVE_INFER_ROCE
            value: "true"
          - name: CUDA_DEVICE_ORDER
            value: "PCI_BUS_ID"
          # Memory optimizations
          - name: VLLM_ADDITIONAL_ARGS
            value: "--gpu-memory-utilization 0.95 --max-model-len 8192 --enforce-eager"
          - name: VLLM_ALL2ALL_BACKEND
            value: deepep_high_throughput
          - name: PYTORCH_CUDA_ALLOC_CONF
            value: "expandable_segments:True"
          # Essential NCCL configuration
          - name: NCCL_IB_GID_INDEX
            value: "3"
          - name: NCCL_DEBUG
            value: WARN
          - name: NCCL_SOCKET_IFNAME
            value: net1
          - name: NCCL_IB_TIMEOUT
            value: "100"
          # NVSHMEM configuration - optimized for stability
          - name: NVSHMEM_REMOTE_TRANSPORT
            value: ibgda
          - name: NVSHMEM_BOOTSTRAP_TWO_STAGE
            value: "1"
          - name: NVSHMEM_BOOTSTRAP_TIMEOUT
            value: "300"
          - name: NVSHMEM_BOOTSTRAP_UID_SOCK_IFNAME
            value: net1
          - name: NVSHMEM_IB_GID_INDEX
            value: "3"
          - name: NVSHMEM_USE_IBGDA
            value: "1"
          - name: NVSHMEM_ENABLE_NIC_PE_MAPPING
            value: "1"
          - name: NVSHMEM_IBGDA_SUPPORT
            value: "1"
          - name: NVSHMEM_IB_ENABLE_IBGDA
            value: "1"
          - name: NVSHMEM_IBGDA_NIC_HANDLER
            value: "gpu"
          - name: NVSHMEM_DEBUG
            value: WARN
          # UCX configuration for NVSHMEM
          - name: UCX_TLS
            value: "rc,sm,self,cuda_copy,cuda_ipc"
          - name: UCX_IB_GID_INDEX
            value: "3"
          - name: UCX_RC_MLX5_TM_ENABLE
            value: "n"
          - name: UCX_UD_MLX5_RX_QUEUE_LEN
            value: "1024"
          - name: NVIDIA_GDRCOPY
            value: enabled
        resources:
          limits:
            cpu: 128
            ephemeral-storage: 800Gi
            memory: 512Gi
            nvidia.com/gpu: "8"
            rdma/roce_gdr: 1
          requests:
            cpu: 64
            ephemeral-storage: 800Gi
            memory: 256Gi
            nvidia.com/gpu: "8"
            rdma/roce_gdr: 1
        livenessProbe:
          httpGet:
            path: /health
            port: 8000
            scheme: HTTPS
          initialDelaySeconds: 4800
          periodSeconds: 10
          timeoutSeconds: 10
          failureThreshold: 3
  worker:
    serviceAccountName: hfsa
    containers:
      - name: main
        env:
          - name: VLLM_LOGGING_LEVEL
            value: INFO
          - name: KSERVE_INFER_ROCE
            value: "true"
          - name: CUDA_DEVICE_ORDER
            value: "PCI_BUS_ID"
          # Memory optimizations
          - name: VLLM_ADDITIONAL_ARGS
            value: "--gpu-memory-utilization 0.95 --max-model-len 8192 --enforce-eager"
          - name: VLLM_ALL2ALL_BACKEND
            value: deepep_high_throughput
          - name: PYTORCH_CUDA_ALLOC_CONF
            value: "expandable_segments:True"
          # Essential NCCL configuration
          - name: NCCL_IB_GID_INDEX
            value: "3"
          - name: NCCL_DEBUG
            value: WARN
          - name: NCCL_SOCKET_IFNAME
            value: net1
          - name: NCCL_IB_TIMEOUT
            value: "100"
          # NVSHMEM configuration - optimized for stability
          - name: NVSHMEM_REMOTE_TRANSPORT
            value: ibgda
          - name: NVSHMEM_BOOTSTRAP_TWO_STAGE
            value: "1"
          - name: NVSHMEM_BOOTSTRAP_TIMEOUT
            value: "300"
          - name: NVSHMEM_BOOTSTRAP_UID_SOCK_IFNAME
            value: net1
          - name: NVSHMEM_IB_GID_INDEX
            value: "3"
          - name: NVSHMEM_USE_IBGDA
            value: "1"
          - name: NVSHMEM_ENABLE_NIC_PE_MAPPING
            value: "1"
          - name: NVSHMEM_IBGDA_SUPPORT
            value: "1"
          - name: NVSHMEM_IB_ENABLE_IBGDA
            value: "1"
          - name: NVSHMEM_IBGDA_NIC_HANDLER
            value: "gpu"
          - name: NVSHMEM_DEBUG
            value: WARN
          # UCX configuration for NVSHMEM
          - name: UCX_TLS
            value: "rc,sm,self,cuda_copy,cuda_ipc"
          - name: UCX_IB_GID_INDEX
            value: "3"
          - name: UCX_RC_MLX5_TM_ENABLE
            value: "n"
          - name: UCX_UD_MLX5_RX_QUEUE_LEN
            value: "1024"
          - name: NVIDIA_GDRCOPY
            value: enabled
        resources:
          limits:
            cpu: 128
            ephemeral-storage: 800Gi
            memory: 512Gi
            nvidia.com/gpu: "8"
            rdma/roce_gdr: 1
          requests:
            cpu: 64
            ephemeral-storage: 800Gi
            memory: 256Gi
            nvidia.com/gpu: "8"
            rdma/roce_gdr: 1
""", metadata={'annotations': {'k8s.v1.cni.cncf.io/networks': 'roce-p2'}})

# llmisvc/dp-ep/deepseek-r1-gpu-rdma-roce/llm-inference-service-dp-ep-deepseek-r1-pd-gpu-p-deepep-ht-d-deepep-ht.yaml:
# prefill/decode, each pool expert-parallel over two nodes (llm.prefill.workers)
DP_EP_PD_SPEC = r"""
serving: llm
storageUri: pvc://llm-test-pvc-deepseek
replicas: {min: 1, max: 1}
workers: {tensorParallelSize: 1, dataParallelSize: 16, dataLocalParallelSize: 8, expertParallel: true}
serviceAccountName: hfsa
env:
  VLLM_LOGGING_LEVEL: INFO
  KSERVE_INFER_ROCE: 'true'
  CUDA_DEVICE_ORDER: PCI_BUS_ID
  VLLM_ADDITIONAL_ARGS: --gpu-memory-utilization 0.99 --max-model-len 4096 --enforce-eager --kv_transfer_config '{"kv_connector":"NixlConnector","kv_role":"kv_consumer"}'
  VLLM_ALL2ALL_BACKEND: deepep_high_throughput
  PYTORCH_CUDA_ALLOC_CONF: expandable_segments:True
  NCCL_IB_GID_INDEX: '3'
  NCCL_DEBUG: WARN
  NCCL_SOCKET_IFNAME: net1
  NCCL_IB_TIMEOUT: '100'
  NVSHMEM_REMOTE_TRANSPORT: ibgda
  NVSHMEM_BOOTSTRAP_TWO_STAGE: '1'
  NVSHMEM_BOOTSTRAP_TIMEOUT: '300'
  NVSHMEM_BOOTSTRAP_UID_SOCK_IFNAME: net1
  NVSHMEM_IB_GID_INDEX: '3'
  NVSHMEM_USE_IBGDA: '1'
  NVSHMEM_ENABLE_NIC_PE_MAPPING: '1'
  NVSHMEM_IBGDA_SUPPORT: '1'
  NVSHMEM_IB_ENABLE_IBGDA: '1'
  NVSHMEM_IBGDA_NIC_HANDLER: gpu
  NVSHMEM_DEBUG: WARN
  UCX_TLS: rc,sm,self,cuda_copy,cuda_ipc
  UCX_IB_GID_INDEX: '3'
  UCX_RC_MLX5_TM_ENABLE: n
  UCX_UD_MLX5_RX_QUEUE_LEN: '1024'
  UCX_PROTO_INFO: y
  NVIDIA_GDRCOPY: enabled
fieldEnv: [{fieldPath: status.podIP, name: VLLM_NIXL_SIDE_CHANNEL_HOST}]
resources:
  limits: {cpu: 128, ephemeral-storage: 800Gi, memory: 512Gi, nvidia.com/gpu: '8', rdma/roce_gdr: 1}
  requests: {cpu: 64, ephemeral-storage: 800Gi, memory: 256Gi, nvidia.com/gpu: '8', rdma/roce_gdr: 1}
probes: {liveness: {failureThreshold: 3, httpGet: {path: /health, port: 8000, scheme: HTTPS}, initialDelaySeconds: 4800, periodSeconds: 10, timeoutSeconds: 10}}
llm:
  modelName: deepseek-ai/DeepSeek-R1-0528
  router: {scheduler: {}, route: {}, gateway: {}}
  prefill:
    replicas: {min: 1, max: 1}
    workers: {tensorParallelSize: 1, dataParallelSize: 16, dataLocalParallelSize: 8, expertParallel: true}
    env:
      VLLM_LOGGING_LEVEL: INFO
      KSERVE_INFER_ROCE: 'true'
      CUDA_DEVICE_ORDER: PCI_BUS_ID
      VLLM_ADDITIONAL_ARGS: --gpu-memory-utilization 0.97 --max-model-len 4096 --enforce-eager --kv_transfer_config '{"kv_connector":"NixlConnector","kv_role":"kv_producer"}'
      VLLM_ALL2ALL_BACKEND: deepep_high_throughput
      PYTORCH_CUDA_ALLOC_CONF: expandable_segments:True
      NCCL_IB_GID_INDEX: '3'
      NCCL_DEBUG: WARN
      NCCL_SOCKET_IFNAME: net1
      NCCL_IB_TIMEOUT: '100'
      NVSHMEM_REMOTE_TRANSPORT: ibgda
      NVSHMEM_BOOTSTRAP_TWO_STAGE: '1'
      NVSHMEM_BOOTSTRAP_TIMEOUT: '300'
      NVSHMEM_BOOTSTRAP_UID_SOCK_IFNAME: net1
      NVSHMEM_IB_GID_INDEX: '3'
      NVSHMEM_USE_IBGDA: '1'
      NVSHMEM_ENABLE_NIC_PE_MAPPING: '1'
      NVSHMEM_IBGDA_SUPPORT: '1'
      NVSHMEM_IB_ENABLE_IBGDA: '1'
      NVSHMEM_IBGDA_NIC_HANDLER: gpu
      NVSHMEM_DEBUG: WARN
      UCX_TLS: rc,sm,self,cuda_copy,cuda_ipc
      UCX_IB_GID_INDEX: '3'
      UCX_RC_MLX5_TM_ENABLE: n
      UCX_UD_MLX5_RX_QUEUE_LEN: '1024'
      UCX_PROTO_INFO: y
      NVIDIA_GDRCOPY: enabled
    fieldEnv: [{fieldPath: status.podIP, name: VLLM_NIXL_SIDE_CHANNEL_HOST}]
    resources:
      limits: {cpu: 128, ephemeral-storage: 800Gi, memory: 512Gi, nvidia.com/gpu: '8', rdma/roce_gdr: 1}
      requests: {cpu: 64, ephemeral-storage: 800Gi, memory: 256Gi, nvidia.com/gpu: '8', rdma/roce_gdr: 1}
    probes: {liveness: {failureThreshold: 3, httpGet: {path: /health, port: 8000, scheme: HTTPS}, initialDelaySeconds: 4800, periodSeconds: 10, timeoutSeconds: 10}}
"""
DP_EP_PD_OFFICIAL = r"""
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: deepseek-r1-0528-pd
  annotations:
    # See network-roce-p2.yaml as an example (cluster and hardware specific)
    k8s.v1.cni.cncf.io/networks: roce-p2
spec:
  model:
    # Initialize PVC following the example in /docs/samples/storage/pvc-init (recommended) or use the HuggingFace
    # alternative
    uri: pvc://llm-test-pvc-deepseek
    #    uri: hf://deepseek-ai/DeepSeek-R1-0528
    name: deepseek-ai/DeepSeek-R1-0528
  replicas: 1
  parallelism:
    data: 16
    dataLocal: 8
    expert: true
    tensor: 1
  router:
    scheduler: { }
    route: { }
    gateway: { }
  template:
    serviceAccountName: hfsa
    containers:
      - name: main
        env:
          - name: VLLM_LOGGING_LEVEL
            value: INFO
          - name: KSERVE_INFER_ROCE
            value: "true"
          - name: CUDA_DEVICE_ORDER
            value: "PCI_BUS_ID"
          # Memory optimizations
          # In the context of executing MoE models with Data-Parallel, Expert-Parallel
          # and Batched All-to-All dispatch/combine kernels, VLLM_MOE_DP_CHUNK_SIZE
          # dictates the quantum of tokens that can be dispatched from a DP
          # rank. All DP ranks process the activations in VLLM_MOE_DP_CHUNK_SIZE
          # units. The default is 256, reducing it will reduce VRAM requirements.
          #- name: VLLM_MOE_DP_CHUNK_SIZE
          #  value: "32"
          - name: VLLM_ADDITIONAL_ARGS
            value: "--gpu-memory-utilization 0.99 --max-model-len 4096 --enforce-eager --kv_transfer_config '{\"kv_connector\":\"NixlConnector\",\"kv_role\":\"kv_consumer\"}'"
          - name: VLLM_NIXL_SIDE_CHANNEL_HOST
            valueFrom:
              fieldRef:
                fieldPath: status.podIP
          - name: VLLM_ALL2ALL_BACKEND
            value: deepep_high_throughput
          #            value: deepep_low_latency
          - name: PYTORCH_CUDA_ALLOC_CONF
            value: "expandable_segments:True"
          # Essential NCCL configuration
          - name: NCCL_IB_GID_INDEX
            value: "3"
          - name: NCCL_DEBUG
            value: WARN
          - name: NCCL_SOCKET_IFNAME
            value: net1
          - name: NCCL_IB_TIMEOUT
            value: "100"
          # NVSHMEM configuration - optimized for stability
          - name: NVSHMEM_REMOTE_TRANSPORT
            value: ibgda
          - name: NVSHMEM_BOOTSTRAP_TWO_STAGE
            value: "1"
          - name: NVSHMEM_BOOTSTRAP_TIMEOUT
            value: "300"
          - name: NVSHMEM_BOOTSTRAP_UID_SOCK_IFNAME
            value: net1
          - name: NVSHMEM_IB_GID_INDEX
            value: "3"
          - name: NVSHMEM_USE_IBGDA
            value: "1"
          - name: NVSHMEM_ENABLE_NIC_PE_MAPPING
            value: "1"
          - name: NVSHMEM_IBGDA_SUPPORT
            value: "1"
          - name: NVSHMEM_IB_ENABLE_IBGDA
            value: "1"
          - name: NVSHMEM_IBGDA_NIC_HANDLER
            value: "gpu"
          # - name: NVSHMEM_IBGDA_RC_MAP_BY
          #   value: "warp"
          # - name: NVSHMEM_IBGDA_DCI_MAP_BY
          #   value: "cta"
          # - name: NVSHMEM_IBGDA_NUM_REQUESTS_IN_BATCH
          #   value: "32"
          - name: NVSHMEM_DEBUG
            value: WARN
          # UCX configuration for NVSHMEM
          - name: UCX_TLS
            value: "rc,sm,self,cuda_copy,cuda_ipc"
          - name: UCX_IB_GID_INDEX
            value: "3"
          - name: UCX_RC_MLX5_TM_ENABLE
            value: "n"
          - name: UCX_UD_MLX5_RX_QUEUE_LEN
            value: "1024"
          - name: UCX_PROTO_INFO
            value: "y"
          - name: NVIDIA_GDRCOPY
            value: enabled
        resources:
          limits:
            cpu: 128
            ephemeral-storage: 800Gi
            memory: 512Gi
            nvidia.com/gpu: "8"
            rdma/roce_gdr: 1
          requests:
            cpu: 64
            ephemeral-storage: 800Gi
            memory: 256Gi
            nvidia.com/gpu: "8"
            rdma/roce_gdr: 1
        livenessProbe:
          httpGet:
            path: /health
            port: 8000
            scheme: HTTPS
          initialDelaySeconds: 4800
          periodSeconds: 10
          timeoutSeconds: 10
          failureThreshold: 3
  worker:
    serviceAccountName: hfsa
    containers:
      - name: main
        env:
          - name: VLLM_LOGGING_LEVEL
            value: INFO
          - name: KSERVE_INFER_ROCE
            value: "true"
          - name: CUDA_DEVICE_ORDER
            value: "PCI_BUS_ID"
          # Memory optimizations
          # In the context of executing MoE models with Data-Parallel, Expert-Parallel
          # and Batched All-to-All dispatch/combine kernels, VLLM_MOE_DP_CHUNK_SIZE
          # dictates the quantum of tokens that can be dispatched from a DP
          # rank. All DP ranks process the activations in VLLM_MOE_DP_CHUNK_SIZE
          # units. The default is 256, reducing it will reduce VRAM requirements.
          #- name: VLLM_MOE_DP_CHUNK_SIZE
          #  value: "32"
          - name: VLLM_ADDITIONAL_ARGS
            value: "--gpu-memory-utilization 0.99 --max-model-len 4096 --enforce-eager --kv_transfer_config '{\"kv_connector\":\"NixlConnector\",\"kv_role\":\"kv_consumer\"}'"
          - name: VLLM_NIXL_SIDE_CHANNEL_HOST
            valueFrom:
              fieldRef:
                fieldPath: status.podIP
          - name: VLLM_ALL2ALL_BACKEND
            value: deepep_high_throughput
          - name: PYTORCH_CUDA_ALLOC_CONF
            value: "expandable_segments:True"
          # Essential NCCL configuration
          - name: NCCL_IB_GID_INDEX
            value: "3"
          - name: NCCL_DEBUG
            value: WARN
          - name: NCCL_SOCKET_IFNAME
            value: net1
          - name: NCCL_IB_TIMEOUT
            value: "100"
          # NVSHMEM configuration - optimized for stability
          - name: NVSHMEM_REMOTE_TRANSPORT
            value: ibgda
          - name: NVSHMEM_BOOTSTRAP_TWO_STAGE
            value: "1"
          - name: NVSHMEM_BOOTSTRAP_TIMEOUT
            value: "300"
          - name: NVSHMEM_BOOTSTRAP_UID_SOCK_IFNAME
            value: net1
          - name: NVSHMEM_IB_GID_INDEX
            value: "3"
          - name: NVSHMEM_USE_IBGDA
            value: "1"
          - name: NVSHMEM_ENABLE_NIC_PE_MAPPING
            value: "1"
          - name: NVSHMEM_IBGDA_SUPPORT
            value: "1"
          - name: NVSHMEM_IB_ENABLE_IBGDA
            value: "1"
          - name: NVSHMEM_IBGDA_NIC_HANDLER
            value: "gpu"
          - name: NVSHMEM_DEBUG
            value: WARN
          # UCX configuration for NVSHMEM
          - name: UCX_TLS
            value: "rc,sm,self,cuda_copy,cuda_ipc"
          - name: UCX_IB_GID_INDEX
            value: "3"
          - name: UCX_RC_MLX5_TM_ENABLE
            value: "n"
          - name: UCX_UD_MLX5_RX_QUEUE_LEN
            value: "1024"
          - name: UCX_PROTO_INFO
            value: "y"
          - name: NVIDIA_GDRCOPY
            value: enabled
        resources:
          limits:
            cpu: 128
            ephemeral-storage: 800Gi
            memory: 512Gi
            nvidia.com/gpu: "8"
            rdma/roce_gdr: 1
          requests:
            cpu: 64
            ephemeral-storage: 800Gi
            memory: 256Gi
            nvidia.com/gpu: "8"
            rdma/roce_gdr: 1
  prefill:
    replicas: 1
    parallelism:
      data: 16
      dataLocal: 8
      expert: true
      tensor: 1
    template:
      serviceAccountName: hfsa
      containers:
        - name: main
          env:
            - name: VLLM_LOGGING_LEVEL
              value: INFO
            - name: KSERVE_INFER_ROCE
              value: "true"
            - name: CUDA_DEVICE_ORDER
              value: "PCI_BUS_ID"
            # Memory optimizations
            - name: VLLM_ADDITIONAL_ARGS
              value: "--gpu-memory-utilization 0.97 --max-model-len 4096 --enforce-eager --kv_transfer_config '{\"kv_connector\":\"NixlConnector\",\"kv_role\":\"kv_producer\"}'"
            - name: VLLM_NIXL_SIDE_CHANNEL_HOST
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
            - name: VLLM_ALL2ALL_BACKEND
              value: deepep_high_throughput
            - name: PYTORCH_CUDA_ALLOC_CONF
              value: "expandable_segments:True"
            # Essential NCCL configuration
            - name: NCCL_IB_GID_INDEX
              value: "3"
            - name: NCCL_DEBUG
              value: WARN
            - name: NCCL_SOCKET_IFNAME
              value: net1
            - name: NCCL_IB_TIMEOUT
              value: "100"
            # NVSHMEM configuration - optimized for stability
            - name: NVSHMEM_REMOTE_TRANSPORT
              value: ibgda
            - name: NVSHMEM_BOOTSTRAP_TWO_STAGE
              value: "1"
            - name: NVSHMEM_BOOTSTRAP_TIMEOUT
              value: "300"
            - name: NVSHMEM_BOOTSTRAP_UID_SOCK_IFNAME
              value: net1
            - name: NVSHMEM_IB_GID_INDEX
              value: "3"
            - name: NVSHMEM_USE_IBGDA
              value: "1"
            - name: NVSHMEM_ENABLE_NIC_PE_MAPPING
              value: "1"
            - name: NVSHMEM_IBGDA_SUPPORT
              value: "1"
            - name: NVSHMEM_IB_ENABLE_IBGDA
              value: "1"
            - name: NVSHMEM_IBGDA_NIC_HANDLER
              value: "gpu"
            - name: NVSHMEM_DEBUG
              value: WARN
            # UCX configuration for NVSHMEM
            - name: UCX_TLS
              value: "rc,sm,self,cuda_copy,cuda_ipc"
            - name: UCX_IB_GID_INDEX
              value: "3"
            - name: UCX_RC_MLX5_TM_ENABLE
              value: "n"
            - name: UCX_UD_MLX5_RX_QUEUE_LEN
              value: "1024"
            - name: UCX_PROTO_INFO
              value: "y"
            - name: NVIDIA_GDRCOPY
              value: enabled
          resources:
            limits:
              cpu: 128
              ephemeral-storage: 800Gi
              memory: 512Gi
              nvidia.com/gpu: "8"
              rdma/roce_gdr: 1
            requests:
              cpu: 64
              ephemeral-storage: 800Gi
              memory: 256Gi
              nvidia.com/gpu: "8"
              rdma/roce_gdr: 1
          livenessProbe:
            httpGet:
              path: /health
              port: 8000
              scheme: HTTPS
            initialDelaySeconds: 4800
            periodSeconds: 10
            timeoutSeconds: 10
            failureThreshold: 3
    worker:
      serviceAccountName: hfsa
      containers:
        - name: main
          env:
            - name: VLLM_LOGGING_LEVEL
              value: INFO
            - name: KSERVE_INFER_ROCE
              value: "true"
            - name: CUDA_DEVICE_ORDER
              value: "PCI_BUS_ID"
            # Memory optimizations
            - name: VLLM_ADDITIONAL_ARGS
              value: "--gpu-memory-utilization 0.97 --max-model-len 4096 --enforce-eager --kv_transfer_config '{\"kv_connector\":\"NixlConnector\",\"kv_role\":\"kv_producer\"}'"
            - name: VLLM_NIXL_SIDE_CHANNEL_HOST
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
            - name: VLLM_ALL2ALL_BACKEND
              value: deepep_high_throughput
            - name: PYTORCH_CUDA_ALLOC_CONF
              value: "expandable_segments:True"
            # Essential NCCL configuration
            - name: NCCL_IB_GID_INDEX
              value: "3"
            - name: NCCL_DEBUG
              value: WARN
            - name: NCCL_SOCKET_IFNAME
              value: net1
            - name: NCCL_IB_TIMEOUT
              value: "100"
            # NVSHMEM configuration - optimized for stability
            - name: NVSHMEM_REMOTE_TRANSPORT
              value: ibgda
            - name: NVSHMEM_BOOTSTRAP_TWO_STAGE
              value: "1"
            - name: NVSHMEM_BOOTSTRAP_TIMEOUT
              value: "300"
            - name: NVSHMEM_BOOTSTRAP_UID_SOCK_IFNAME
              value: net1
            - name: NVSHMEM_IB_GID_INDEX
              value: "3"
            - name: NVSHMEM_USE_IBGDA
              value: "1"
            - name: NVSHMEM_ENABLE_NIC_PE_MAPPING
              value: "1"
            - name: NVSHMEM_IBGDA_SUPPORT
              value: "1"
            - name: NVSHMEM_IB_ENABLE_IBGDA
              value: "1"
            - name: NVSHMEM_IBGDA_NIC_HANDLER
              value: "gpu"
            - name: NVSHMEM_DEBUG
              value: WARN
            # UCX configuration for NVSHMEM
            - name: UCX_TLS
              value: "rc,sm,self,cuda_copy,cuda_ipc"
            - name: UCX_IB_GID_INDEX
              value: "3"
            - name: UCX_RC_MLX5_TM_ENABLE
              value: "n"
            - name: UCX_UD_MLX5_RX_QUEUE_LEN
              value: "1024"
            - name: UCX_PROTO_INFO
              value: "y"
            - name: NVIDIA_GDRCOPY
              value: enabled
          resources:
            limits:
              cpu: 128
              ephemeral-storage: 800Gi
              memory: 512Gi
              nvidia.com/gpu: "8"
              rdma/roce_gdr: 1
            requests:
              cpu: 64
              ephemeral-storage: 800Gi
              memory: 256Gi
              nvidia.com/gpu: "8"
              rdma/roce_gdr: 1
"""
ROCE_NETWORK = {"annotations": {"k8s.v1.cni.cncf.io/networks": "roce-p2"}}
llm_example("dp-ep-pd-d-deepep-ht", DP_EP_PD_SPEC, DP_EP_PD_OFFICIAL, metadata=ROCE_NETWORK)

# llmisvc/dp-ep/deepseek-r1-gpu-rdma-roce/llm-inference-service-dp-ep-deepseek-r1-pd-gpu-p-deepep-ht-d-pplx.yaml:
# the same but for its decode pool (the model's own template and worker pods: their lines indented least), which
# runs on pplx kernels; the prefill pool stays on deepep_high_throughput (upstream, the files differ in that and
# in comments only).
def replaced(text: str, old: str, new: str, count: int) -> str:
    """``text`` with ``old`` replaced, which it holds exactly ``count`` times (so an edit cannot make it a no-op)."""
    assert text.count(old) == count, (old, text.count(old))
    return text.replace(old, new)


llm_example("dp-ep-pd-d-pplx",
            replaced(DP_EP_PD_SPEC, "\n  VLLM_ALL2ALL_BACKEND: deepep_high_throughput\n",
                     "\n  VLLM_ALL2ALL_BACKEND: pplx\n", 1),
            replaced(DP_EP_PD_OFFICIAL, "\n            value: deepep_high_throughput\n",
                     "\n            value: pplx\n", 2),  # template and worker
            metadata=ROCE_NETWORK)


# llmisvc/managed-dra/llm-inference-service-managed-dra-multi-device.yaml: a sidecar before the main container,
# through a JSON patch (spec.template is the main container's pod; no field writes a second container).
llm_example("managed-dra-multi-device", """
serving: llm
storageUri: hf://Qwen/Qwen2.5-7B-Instruct
llm: {modelName: Qwen/Qwen2.5-7B-Instruct, router: {scheduler: {}, route: {}, gateway: {}}}
replicas: {min: 1, max: 1}
resources: {limits: {cpu: '8', memory: 64Gi}, requests: {cpu: '4', memory: 32Gi}}
probes:
  liveness: {httpGet: {path: /health, port: 8000, scheme: HTTPS}, initialDelaySeconds: 120, periodSeconds: 30,
             timeoutSeconds: 30, failureThreshold: 5}
patches:
  - target: {kind: LLMInferenceService}
    json:
      - op: add
        path: /spec/template/containers/0
        value:
          name: sidecar
          image: busybox:1.36
          command: [sh, -c, "while true; do sleep 3600; done"]
          resources: {requests: {cpu: 100m, memory: 64Mi}}
""", """
apiVersion: serving.kserve.io/v1alpha2
kind: LLMInferenceService
metadata:
  name: qwen2-7b-instruct-dra-multi
  # Multi-device claim with CEL selectors and explicit container targeting.
  annotations:
    serving.kserve.io/exp-dra-device-class: gpu.nvidia.com
    serving.kserve.io/exp-dra-device-count: "2"
    serving.kserve.io/exp-dra-container-name: main
    serving.kserve.io/exp-dra-cel-selector: |
      device.attributes['gpu.nvidia.com']['type'] == 'A100'
      device.capacity['gpu.nvidia.com']['memory'].compareTo(quantity('40Gi')) >= 0
spec:
  model:
    uri: hf://Qwen/Qwen2.5-7B-Instruct
    name: Qwen/Qwen2.5-7B-Instruct
  replicas: 1
  router:
    scheduler: { }
    route: { }
    gateway: { }
  template:
    containers:
      - name: sidecar
        image: busybox:1.36
        command: [ "sh", "-c", "while true; do sleep 3600; done" ]
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
      - name: main
        resources:
          limits:
            cpu: '8'
            memory: 64Gi
          requests:
            cpu: '4'
            memory: 32Gi
        livenessProbe:
          httpGet:
            path: /health
            port: 8000
            scheme: HTTPS
          initialDelaySeconds: 120
          periodSeconds: 30
          timeoutSeconds: 30
          failureThreshold: 5
""", metadata={"annotations": {
    "serving.kserve.io/exp-dra-device-class": "gpu.nvidia.com", "serving.kserve.io/exp-dra-device-count": "2",
    "serving.kserve.io/exp-dra-container-name": "main",
    "serving.kserve.io/exp-dra-cel-selector": "device.attributes['gpu.nvidia.com']['type'] == 'A100'\n"
                                              "device.capacity['gpu.nvidia.com']['memory'].compareTo(quantity('40Gi'))"
                                              " >= 0\n"}})


@pytest.mark.parametrize("spec, official, metadata", LLM_EXAMPLES)
def test_sample_llm_inference_service_is_written_field_for_field(tmp_path, spec, official, metadata):
    official = yaml.safe_load(official)
    name = official["metadata"]["name"]
    tree = model_tree(tmp_path, yaml.safe_load(textwrap.dedent(spec)), name=name, metadata=metadata)
    (release,) = load_fleet(tree).releases
    [obj] = [o for o in workload_objects(release) if o["kind"] == "LLMInferenceService"]
    assert schema_errors(obj) == []
    assert obj["apiVersion"] == "serving.kserve.io/v1alpha2" and obj["metadata"]["name"] == name
    assert as_stored(without_pod_labels(obj["spec"])) == as_stored(official["spec"])
    assert obj["metadata"]["annotations"].items() >= official["metadata"].get("annotations", {}).items()
    # The pods carry gitops-gen's labels, so its monitors find them (prefill pods too).
    assert obj["spec"]["labels"]["gitops-gen.io/model"] == name
    if "prefill" in obj["spec"]:
        assert obj["spec"]["prefill"]["labels"] == obj["spec"]["labels"]


# --- LocalModelCaches: localmodelcache/README.md ------------------------------------------------------------

CACHES = [
    # localmodelcache/README.md:68 ("Method 2: Storage Key Reference")
    pytest.param("hf://meta-llama/Meta-Llama-3-8B", {"size": "10Gi", "nodeGroups": ["workers"],
                                                     "storage": {"key": "hf-credentials"}}, """
apiVersion: serving.kserve.io/v1alpha1
kind: LocalModelCache
metadata:
  name: llama3-8b
spec:
  sourceModelUri: "hf://meta-llama/Meta-Llama-3-8B"
  modelSize: 10Gi
  nodeGroups:
    - workers
  storage:
    key: hf-credentials  # Key in storage-config secret
""", id="localmodelcache-README:68"),
    # localmodelcache/README.md:103 ("Method 3: Inline Parameters")
    pytest.param("s3://mybucket/mymodel", {"size": "5Gi", "nodeGroups": ["workers"], "storage": {
        "key": "my-s3-key", "parameters": {"type": "s3", "region": "us-west-2"}}}, """
apiVersion: serving.kserve.io/v1alpha1
kind: LocalModelCache
metadata:
  name: s3-model
spec:
  sourceModelUri: "s3://mybucket/mymodel"
  modelSize: 5Gi
  nodeGroups:
    - workers
  storage:
    key: my-s3-key
    parameters:
      type: s3
      region: us-west-2
""", id="localmodelcache-README:103"),
    # localmodelcache/README.md:222 (the cache the InferenceService at :236 starts from)
    pytest.param("hf://meta-llama/meta-llama-3-8b-instruct", {"size": "10Gi", "nodeGroups": ["workers"],
                                                              "serviceAccountName": "hf-downloader"}, """
apiVersion: serving.kserve.io/v1alpha1
kind: LocalModelCache
metadata:
  name: meta-llama3-8b-instruct
spec:
  sourceModelUri: "hf://meta-llama/meta-llama-3-8b-instruct"
  modelSize: 10Gi
  nodeGroups:
    - workers
  serviceAccountName: hf-downloader
""", id="localmodelcache-README:222"),
]


@pytest.mark.parametrize("uri, cache, official", CACHES)
def test_sample_local_model_cache_is_written_field_for_field(tmp_path, uri, cache, official):
    official = yaml.safe_load(official)
    name = official["metadata"]["name"]
    tree = model_tree(tmp_path, {"format": "huggingface", "storageUri": uri, "modelCache": {**cache, "name": name}})
    files = {f.path: f.obj for f in build_fleet(load_fleet(tree))}
    obj = files[f"workloads/_cluster/c1/localmodelcache-{name}.yaml"]
    assert schema_errors(obj) == []
    # Cluster-scoped: no namespace, only gitops-gen's labels and annotations beside the sample's metadata.
    assert {k: v for k, v in obj["metadata"].items() if k not in ("labels", "annotations")} == official["metadata"]
    assert obj["apiVersion"] == official["apiVersion"] and obj["spec"] == official["spec"]
