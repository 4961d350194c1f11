"""serving: llm: a KServe LLMInferenceService, compared with KServe's own samples; workers; A/B as a routing group."""
from __future__ import annotations

import textwrap

import pytest
import yaml

from generator.builders.validation import schema_errors
from generator.builders.workloads import workload_objects
from generator.errors import GitopsGenError
from generator.resolve.fleet import load_fleet
from tests.helpers import EXAMPLE, build_file_tree, edited, kustomize, small_fleet

QWEN = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Model
    metadata: {name: qwen2-7b-instruct-single}
    spec:
      version: "2.5"
      serving: llm
      storageUri: hf://Qwen/Qwen2.5-7B-Instruct
      llm: {modelName: Qwen/Qwen2.5-7B-Instruct, router: {scheduler: {}, route: {}, gateway: {}}}
      replicas: {min: 3, max: 3}
"""

# What the official sample's main container says, written with the spec's container fields.
QWEN_CONTAINER = """\
resources:
  requests: {cpu: "2", memory: 16Gi, nvidia.com/gpu: "1"}
  limits: {cpu: "4", memory: 32Gi, nvidia.com/gpu: "1"}
probes:
  liveness:
    httpGet: {path: /health, port: 8000, scheme: HTTPS}
    initialDelaySeconds: 120
    periodSeconds: 30
    timeoutSeconds: 30
    failureThreshold: 5
"""


def llm_fleet(tmp_path, model: str = QWEN, extra: str = "", env: str = "{}"):
    tree = {**small_fleet(), "models/llm.yaml": model + textwrap.indent(textwrap.dedent(extra), "      ")}
    name = yaml.safe_load(textwrap.dedent(model))["metadata"]["name"]
    tree["envs/dev.yaml"] = edited(tree["envs/dev.yaml"], "iris: {}", f"iris: {{}}\n        {name}: {env}")
    return load_fleet(build_file_tree(tmp_path / "src", tree))


def llm_objects(tmp_path, model: str = QWEN, extra: str = "", env: str = "{}") -> list[dict]:
    fleet = llm_fleet(tmp_path, model, extra, env)
    [release] = [r for r in fleet.releases if r.spec.serving == "llm"]
    objects = workload_objects(release)
    for obj in objects:
        assert schema_errors(obj) == [], (obj["kind"], schema_errors(obj))
    return objects


def comparable(obj: dict) -> dict:
    """Without what gitops-gen adds to every object (labels, annotations, the release's namespace, and the pod
    labels monitors select by), quantities as text (1 and "1" are the same quantity), and the apiVersion: KServe's
    samples are v1alpha1, whose fields are v1alpha2's (serving.kserve.io/v1alpha2 is the storage version)."""
    metadata = {k: v for k, v in obj["metadata"].items() if k not in ("labels", "annotations", "namespace")}
    spec = {k: v for k, v in obj["spec"].items() if k != "labels"}
    for container in spec.get("template", {}).get("containers", []):
        for part in container.get("resources", {}).values():
            part.update({k: str(v) for k, v in part.items()})
    return {**obj, "apiVersion": "serving.kserve.io/v1alpha1", "metadata": metadata, "spec": spec}


def official(text: str) -> dict:
    return yaml.safe_load(textwrap.dedent(text))


# https://github.com/kserve/kserve/blob/v0.20.0/docs/samples/llmisvc/single-node-gpu/llm-inference-service-qwen2-7b-gpu.yaml
QWEN_SINGLE = """\
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: qwen2-7b-instruct-single
spec:
  model:
    uri: hf://Qwen/Qwen2.5-7B-Instruct
    name: Qwen/Qwen2.5-7B-Instruct
  # Three replicas for load balancing
  replicas: 3
  router:
    scheduler: { }  # Default scheduler with default load balancing
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
        livenessProbe:
          httpGet:
            path: /health
            port: 8000
            scheme: HTTPS
          initialDelaySeconds: 120
          periodSeconds: 30
          timeoutSeconds: 30
          failureThreshold: 5
"""


def test_llm_is_kserves_single_node_gpu_sample(tmp_path):
    [llmisvc] = llm_objects(tmp_path, extra=QWEN_CONTAINER)
    assert llmisvc["apiVersion"] == "serving.kserve.io/v1alpha2"
    assert comparable(llmisvc) == official(QWEN_SINGLE)


# https://github.com/kserve/kserve/blob/v0.20.0/docs/samples/llmisvc/single-node-gpu/llm-inference-service-qwen2-7b-gpu-no-scheduler.yaml
QWEN_NO_SCHEDULER = edited(edited(QWEN_SINGLE, "qwen2-7b-instruct-single", "qwen2-7b-instruct-single-no-scheduler"), """    scheduler: { }  # Default scheduler with default load balancing
    route: { }
    gateway: { }
""", """    # No scheduler - routing handled by Kubernetes service
    route: { }
""")


def test_llm_without_scheduler_is_kserves_sample(tmp_path):
    model = edited(edited(QWEN, "qwen2-7b-instruct-single", "qwen2-7b-instruct-single-no-scheduler"), "router: {scheduler: {}, route: {}, gateway: {}}", "router: {route: {}}")
    [llmisvc] = llm_objects(tmp_path, model, extra=QWEN_CONTAINER)
    assert comparable(llmisvc) == official(QWEN_NO_SCHEDULER)


def test_defaults_model_name_format_and_pod_labels(tmp_path):
    model = edited(QWEN, "llm: {modelName: Qwen/Qwen2.5-7B-Instruct, router: {scheduler: {}, route: {}, gateway: {}}}", "args: [--max-model-len=8192]\n      env: {VLLM_LOGGING_LEVEL: DEBUG}")
    [llmisvc] = llm_objects(tmp_path, model)
    spec = llmisvc["spec"]
    assert spec["model"]["name"] == "qwen2-7b-instruct-single"  # the Model's name
    assert "router" not in spec
    # KServe's template hands the main container's args to `vllm serve`.
    assert spec["template"]["containers"] == [{"name": "main", "args": ["--max-model-len=8192"],
                                               "env": [{"name": "VLLM_LOGGING_LEVEL", "value": "DEBUG"}]}]
    # Not app.kubernetes.io/name: KServe selects the pods by it.
    assert spec["labels"] == {"app.kubernetes.io/version": "2.5", "gitops-gen.io/model": "qwen2-7b-instruct-single"}


def test_workers_become_parallelism_and_multi_node_adds_worker_pods(tmp_path):
    [single] = llm_objects(tmp_path, extra="workers: {tensorParallelSize: 2}\n")
    assert single["spec"]["parallelism"] == {"tensor": 2} and "worker" not in single["spec"]
    [multi] = llm_objects(tmp_path / "b", extra="workers: {tensorParallelSize: 1, dataParallelSize: 16, "
                                                "dataLocalParallelSize: 8}\n")
    assert multi["spec"]["parallelism"] == {"tensor": 1, "data": 16, "dataLocal": 8}
    assert multi["spec"]["worker"]["containers"][0]["name"] == "main"


def test_worker_pods_get_the_main_container_but_not_its_probes(tmp_path):
    # Worker pods run vLLM's engine ranks with no API server: a liveness probe there would restart them forever.
    [obj] = llm_objects(tmp_path, extra="workers: {dataParallelSize: 16, dataLocalParallelSize: 8}\n"
                                        "args: [--enforce-eager]\n"
                                        "probes: {liveness: {httpGet: {path: /health, port: 8000}}}\n")
    [main] = obj["spec"]["template"]["containers"]
    [worker] = obj["spec"]["worker"]["containers"]
    assert main["livenessProbe"] == {"httpGet": {"path": "/health", "port": 8000}}
    assert worker == {"name": "main", "args": ["--enforce-eager"]}


def test_ab_variants_form_one_kserve_routing_group(tmp_path):
    # KServe's "Canary Rollout for LLMInferenceService": two services, the same model name and route group,
    # proportional weights. (https://github.com/kserve/website/blob/main/docs/model-serving/generative-inference/
    # llmisvc/canary-rollout.md; its baseRefs name configs of its own and are left out here.)
    model = edited(QWEN, 'storageUri: hf://Qwen/Qwen2.5-7B-Instruct', 'storageUri: "hf://Qwen/Qwen2.5-7B-Instruct:{{ version }}"')
    model = edited(model, "llm: {modelName: Qwen/Qwen2.5-7B-Instruct, router: {scheduler: {}, route: {}, gateway: {}}}", "llm: {modelName: my-model, router: {scheduler: {}}}")
    extra = """\
        rollout:
          strategy: ab
          ab:
            gateway: {name: ml-gateway, namespace: gateways}
            variants: [{name: v1, version: "2.5", weight: 90}, {name: v2, version: "2.6", weight: 10}]
    """
    objects = llm_objects(tmp_path, model, extra)
    assert [o["kind"] for o in objects] == ["LLMInferenceService", "LLMInferenceService"]  # no HTTPRoute of ours
    v1, v2 = objects
    assert v1["metadata"]["name"] == "qwen2-7b-instruct-single-v1"
    assert v1["spec"]["model"] == {"uri": "hf://Qwen/Qwen2.5-7B-Instruct:2.5", "name": "my-model"}
    assert v2["spec"]["model"] == {"uri": "hf://Qwen/Qwen2.5-7B-Instruct:2.6", "name": "my-model"}
    for obj, weight in ((v1, 90), (v2, 10)):
        assert obj["spec"]["router"] == {"scheduler": {},
                                         "route": {"group": "qwen2-7b-instruct-single", "weight": weight},
                                         "gateway": {"refs": [{"name": "ml-gateway", "namespace": "gateways"}]}}
        # KServe's webhook sets it; written here so Argo CD sees no drift.
        assert obj["metadata"]["labels"]["serving.kserve.io/routing-group"] == "qwen2-7b-instruct-single"
    assert v2["spec"]["labels"]["gitops-gen.io/variant"] == "v2"


def test_monitoring_scrapes_vllm(tmp_path):
    objects = llm_objects(tmp_path, extra="monitoring: {metrics: true, alerts: {latencyP99: 20s, errorRate: 0.01}}\n")
    kinds = {o["kind"]: o for o in objects}
    monitor = kinds["PodMonitor"]["spec"]
    assert monitor["selector"]["matchLabels"] == {"gitops-gen.io/model": "qwen2-7b-instruct-single",
                                                  "kserve.io/component": "workload"}
    assert monitor["podMetricsEndpoints"] == [{"portNumber": 8000, "path": "/metrics"}]
    rules = {r["alert"]: r["expr"] for r in kinds["PrometheusRule"]["spec"]["groups"][0]["rules"]}
    assert "vllm:e2e_request_latency_seconds_bucket" in rules["ModelLatencyP99High"]
    assert 'http_requests_total{namespace="ml-dev", gitops_gen_io_model="qwen2-7b-instruct-single", status=~"5.*"}' \
        in rules["ModelErrorRateHigh"]


def problems(tmp_path, extra: str = "", model: str = QWEN) -> list[str]:
    with pytest.raises(GitopsGenError) as info:
        llm_fleet(tmp_path, model, extra)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("extra, expected", [
    ("rollout: {strategy: canary}\n", "spec.rollout.strategy: canary does not apply to serving: llm"),
    ("rollout: {strategy: bluegreen}\n", "spec.rollout.strategy: bluegreen does not apply to serving: llm"),
    ("runtime: kserve-huggingfaceserver\n", "spec.runtime: does not apply to serving: llm"),
    ("format: sklearn\n", "spec.format: serving: llm serves huggingface models"),
    ("workers: {dataParallelSize: 4}\n", "spec.workers.dataLocalParallelSize: dataParallelSize and "
                                         "dataLocalParallelSize go together"),
    ("graph: {nodes: {root: {routerType: Sequence, steps: [{model: x}]}}}\n",
     "spec.graph: applies to serving: graph only (this model has serving: llm)"),
])
def test_fields_that_do_not_apply_are_one_located_line(tmp_path, extra, expected):
    lines = problems(tmp_path, extra)
    assert len(lines) == 1 and lines[0].startswith("models/llm.yaml:") and expected in lines[0], lines


def test_llm_replicas_must_be_fixed(tmp_path):
    [line] = problems(tmp_path, model=edited(QWEN, "replicas: {min: 3, max: 3}", "replicas: {min: 1, max: 3}"))
    assert line.startswith("models/llm.yaml:9: spec.replicas: serving: llm runs a fixed number of replicas")


def test_llm_field_needs_serving_llm(tmp_path):
    tree = {**small_fleet()}
    tree["models/iris.yaml"] += "      llm: {modelName: x}\n"
    with pytest.raises(GitopsGenError) as info:
        load_fleet(build_file_tree(tmp_path / "src", tree))
    assert [str(p) for p in info.value.problems] == [
        "models/iris.yaml:12: spec.llm: applies to serving: llm only (this model has serving: kserve)"]


@pytest.mark.parametrize("extra, expected", [
    ("workers: {tensorParallelSize: 2}\n", "spec.workers: KServe's multi-node serving runs vLLM: it needs format: "
                                            "huggingface"),
    ("deploymentMode: Knative\nformat: huggingface\nworkers: {pipelineParallelSize: 2}\n",
     "spec.workers: KServe's multi-node serving needs deploymentMode: Standard"),
    ("format: huggingface\nworkers: {pipelineParallelSize: 2}\n", "spec.storageUri: KServe's multi-node serving "
                                                                  "reads the model from a ReadWriteMany volume"),
])
def test_workers_with_kserve_where_kserve_refuses_them(tmp_path, extra, expected):
    tree = {**small_fleet()}
    tree["models/iris.yaml"] = edited(edited(tree["models/iris.yaml"], "      format: sklearn\n", ""), "      runtime: kserve-sklearnserver\n", "") + textwrap.indent(extra, "      ")
    tree["envs/dev.yaml"] = edited(tree["envs/dev.yaml"], "iris: {}", "iris: {replicas: {min: 1, max: 1}}")
    tree["envs/prod.yaml"] = edited(tree["envs/prod.yaml"], "replicas: {min: 2, max: 5}", "replicas: {min: 1, max: 1}")
    with pytest.raises(GitopsGenError) as info:
        load_fleet(build_file_tree(tmp_path / "src", tree))
    assert [p for p in map(str, info.value.problems) if expected in p], info.value.problems


# https://kserve.github.io/website/docs/model-serving/generative-inference/multi-node (github.com/kserve/website,
# docs/model-serving/generative-inference/multi-node/multi-node.md, "Example InferenceService")
MULTI_NODE = """\
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
"""


def test_workers_with_kserve_are_kserves_multi_node_example(tmp_path):
    model = """\
        apiVersion: gitops-gen.io/v1alpha1
        kind: Model
        metadata: {name: huggingface-llama3}
        spec:
          version: "8b"
          format: huggingface
          storageUri: pvc://llama-3-8b-pvc/hf/8b_instruction_tuned
          workers: {pipelineParallelSize: 2, tensorParallelSize: 1}
    """
    tree = {**small_fleet(), "models/llama.yaml": model}
    tree["envs/dev.yaml"] = edited(tree["envs/dev.yaml"], "iris: {}", "iris: {}\n        huggingface-llama3: {}")
    fleet = load_fleet(build_file_tree(tmp_path / "src", tree))
    [release] = [r for r in fleet.releases if r.model == "huggingface-llama3"]
    [isvc] = workload_objects(release)
    assert schema_errors(isvc) == []
    ours = {**isvc, "metadata": {"name": isvc["metadata"]["name"], "annotations": {
        k: v for k, v in isvc["metadata"]["annotations"].items() if k != "gitops-gen.io/source"}}}
    assert ours == official(MULTI_NODE)


def test_the_examples_llm_and_its_caches(tmp_path):
    """environments/: support-assistant, an A/B canary in staging, each variant with its own LocalModelCache."""
    import shutil

    from generator.commands.render import render

    shutil.copytree(EXAMPLE, tmp_path / "environments")
    out = tmp_path / "rendered"
    assert render(tmp_path / "environments", out, quiet=True) == 0
    staging = kustomize(out / "workloads/staging/staging-eu/support-assistant")
    assert sorted(o["metadata"]["name"] for o in staging if o["kind"] == "LLMInferenceService") == [
        "support-assistant-canary", "support-assistant-stable"]
    for cluster, caches in (("staging-eu", 2), ("prod-eu", 1), ("prod-us", 1)):
        built = kustomize(out / f"workloads/_cluster/{cluster}")
        assert [o["kind"] for o in built] == ["LocalModelCache"] * caches
        assert not [o for o in built if "namespace" in o["metadata"]]
    uris = sorted(o["spec"]["sourceModelUri"] for o in kustomize(out / "workloads/_cluster/staging-eu"))
    assert uris == ["hf://acme/support-assistant:v1.2.0", "hf://acme/support-assistant:v1.3.0"]


def test_pod_fields_reach_the_llm_pods(tmp_path):
    [llmisvc] = llm_objects(tmp_path, extra="serviceAccountName: model-reader\nimagePullSecrets: [regcred]\n"
                                            "annotations: {sidecar.istio.io/inject: \"false\"}\n")
    spec = llmisvc["spec"]
    assert spec["template"]["serviceAccountName"] == "model-reader"
    assert spec["template"]["imagePullSecrets"] == [{"name": "regcred"}]
    assert spec["annotations"] == {"sidecar.istio.io/inject": "false"}
    assert llmisvc["metadata"]["annotations"]["sidecar.istio.io/inject"] == "false"


@pytest.mark.parametrize("extra, expected", [
    ("protocol: v2\n", "spec.protocol: does not apply to serving: llm"),
    ("port: 9000\n", "spec.port: does not apply to serving: llm"),
])
def test_container_fields_vllm_fixes_are_refused(tmp_path, extra, expected):
    lines = problems(tmp_path, extra)
    assert len(lines) == 1 and expected in lines[0], lines
