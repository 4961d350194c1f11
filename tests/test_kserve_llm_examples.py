"""KServe v0.20's documented LLMInferenceService, InferenceGraph and LocalModelCache examples, written as
Model specs: the object gitops-gen writes is the official one field for field, apart from what gitops-gen adds
to every object (its labels and annotations, the release's namespace, and the pod labels an LLM's monitors
select by: ``spec.labels``, ``spec.prefill.labels``).

Sources: kserve/website ``versioned_docs/version-0.20/<path>:<line>`` (the line of the example's first YAML
line; published at https://kserve.github.io/website/docs/<path without .md>) and kserve/kserve ``v0.20.0:
docs/samples/<path>``. Two normalisations, both what the API server stores anyway: quantities as text (``1``
and ``"1"`` are one quantity), and ``env`` by name (a container's env is a list map keyed by name;
gitops-gen writes it sorted). The official LLMInferenceServices are ``serving.kserve.io/v1alpha1`` or
``v1alpha2``; gitops-gen writes v1alpha2, the storage version, whose fields these are.

Autoscaling: KServe v0.20's LLMInferenceService CRD has ``spec.scaling`` (minReplicas, maxReplicas and
``wva``: the Workload Variant Autoscaler, applied by an HPA or KEDA), so ``autoscaling`` with ``serving: llm``
is written there (``class: hpa | keda``, ``variantCost``, ``behavior``, ``keda``) as KServe documents it
(llmisvc/autoscaling/*.md); the WVA controller itself is the cluster's. A canary: KServe's documented canary of
an LLM is two LLMInferenceServices in one routing group (canary-rollout.md), written either as
``rollout.strategy: ab`` (tests/test_llm.py) or, as on that page, by hand with ``llm.router.route.group`` and
``weight`` on two Models; ``strategy: canary``/``bluegreen`` stay refused (an LLMInferenceService has no
revisions). Monitoring: tests/test_llm.py (a PodMonitor on vLLM's pods; prefill pods carry the same labels).

Not reproduced, and why:

- The three LLMInferenceServiceConfigs of ``llmisvc-configuration.md:46`` (namespace ``kserve``) are presets an
  admin writes; the service composed from them, which takes its model from a config (``baseRefs`` only, no
  ``model``), is written through ``patches:`` below (gitops-gen requires ``storageUri`` for ``serving: llm``:
  the version it deploys and promotes is in it).
- ``llmisvc-configuration.md:621`` (``llama-70b-production``): ``model.criticality: High`` is invalid against
  the v0.20 CRD (v1alpha1 allows Critical, Standard, Sheddable; v1alpha2 has no criticality).
- ``llmisvc-configuration.md:522`` (scheduler ``pool.spec`` with ``targetPort``): invalid against the v0.20
  CRD (``targetPorts``, ``endpointPickerRef`` required).
- ``kv-cache-offloading.md:26`` and ``:132``, kserve ``kv-cache-offloading/*.yaml``: ``spec.workload`` is not a
  field of the v0.20 CRD (the API server would prune it); v0.20's v1alpha2 has ``spec.kvCacheOffloading``,
  which ``llm.kvCacheOffloading`` writes: tested below with the page's values there, and the page's
  ``secondary`` tiers (``:63``, ``:77``, ``:96``, ``:119``) field for field.
- ``canary-rollout-observability.md:239`` (tracing): no ``model`` (the CRD requires ``model.uri``); its
  ``tracing`` is tested as a fragment. ``:41`` PodMonitor and ``:70`` ServiceMonitor select every LLM of a
  cluster (admin-side monitoring, with the Prometheus instance's ``release`` label).
- LLMInferenceServiceConfigs ``llmisvc-agentgateway.md:214``, ``llmisvc-envoy-ai-gateway.md:158``: configs,
  not services (gitops-gen writes none; ship one as a template); the services that use them are tested.
  Gateways, GatewayClasses, AgentgatewayBackend/Policy, AIGatewayRoute, BackendTrafficPolicy, ConfigMaps
  (``llmisvc-autoscaling.md:233``, ``llmisvc-envoy-ai-gateway.md:121``), PVCs and Jobs: the cluster's or the
  gateway's objects, not a model's.
- ``latency-predictor/*.yaml``:
  ``router.scheduler.config.inline`` is a string, where the v0.20 CRD has an object.
  ``multi-gpu-vendor/*-amd-no-scheduler.yaml``: its ``spec.labels`` impersonate another service
  (``app.kubernetes.io/name``), which gitops-gen's pod labels never do.
- ``inferencegraph/overview.md:14`` (the field reference, ``name: string``), ``:92`` (a Switch whose step
  names a node ``middle`` the graph does not define: gitops-gen refuses a step to a missing node), ``:183``
  (``steps: [...]`` placeholders).
- ``modelcache/localmodel.md:375`` and ``:495``: ``kubectl get`` output (status); ``:239`` LocalModelNodeGroup,
  ``:188`` ClusterStorageContainer and the Secrets: the cluster admin's.
"""
from __future__ import annotations

import textwrap

import pytest
import yaml

from generator.builders.files import build_fleet
from generator.builders.validation import schema_errors
from generator.builders.workloads import workload_objects
from generator.errors import GitopsGenError
from generator.resolve.fleet import load_fleet
from tests.helpers import as_stored, build_file_tree, model_tree

VERSIONED = "versioned_docs/version-0.20/model-serving/generative-inference/llmisvc/"


def without_ours(spec: dict) -> dict:
    """An LLMInferenceService's spec without the pod labels gitops-gen adds for its monitors."""
    spec = {k: v for k, v in spec.items() if k != "labels"}
    if "prefill" in spec:
        spec["prefill"] = {k: v for k, v in spec["prefill"].items() if k != "labels"}
    return spec


def built(tmp_path, name: str, spec: str, kind: str, metadata: dict | None = None) -> dict:
    tree = model_tree(tmp_path, yaml.safe_load(textwrap.dedent(spec)), name=name, metadata=metadata)
    (release,) = load_fleet(tree).releases
    [obj] = [o for o in workload_objects(release) if o["kind"] == kind]
    assert schema_errors(obj) == []
    return obj


LLM_EXAMPLES = []


def llm_example(source: str, spec: str, official: str):
    LLM_EXAMPLES.append(pytest.param(spec, official, id=source))


# getting-started is not under llmisvc/: each source below is relative to VERSIONED unless it says otherwise.

# llmisvc-overview.md:137
llm_example("overview", """
serving: llm
storageUri: hf://meta-llama/Llama-3.1-8B-Instruct
llm: {modelName: meta-llama/Llama-3.1-8B-Instruct, router: {gateway: {}, route: {}, scheduler: {}}}
replicas: {min: 3, max: 3}
image: vllm/vllm-openai:latest
resources: {limits: {nvidia.com/gpu: "1", cpu: "8", memory: 32Gi}}
""", """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: llama-3-8b
  namespace: default
spec:
  model:
    uri: hf://meta-llama/Llama-3.1-8B-Instruct
    name: meta-llama/Llama-3.1-8B-Instruct

  replicas: 3

  template:
    containers:
      - name: main
        image: vllm/vllm-openai:latest
        resources:
          limits:
            nvidia.com/gpu: "1"
            cpu: "8"
            memory: 32Gi

  router:
    gateway: {}     # Managed gateway
    route: {}       # Managed HTTPRoute
    scheduler: {}   # Managed scheduler
""")

# llmisvc-config-composition.md:63
llm_example("config-composition", """
serving: llm
storageUri: hf://meta-llama/Llama-3.1-8B-Instruct
llm: {modelName: meta-llama/Llama-3.1-8B-Instruct, baseRefs: [my-gpu-profile], router: {route: {}, scheduler: {}}}
replicas: {min: 3, max: 3}
""", """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: llama-3-8b
  namespace: my-team
spec:
  baseRefs:
    - name: my-gpu-profile
  model:
    uri: hf://meta-llama/Llama-3.1-8B-Instruct
    name: meta-llama/Llama-3.1-8B-Instruct
  replicas: 3  # overrides baseRef's replicas: 2
  router:
    route: {}
    scheduler: {}
""")

# llmisvc-configuration.md:88 (my-llama-service): the model comes from a config, so `model` is patched away.
llm_example("configuration-composition", """
serving: llm
storageUri: hf://meta-llama/Llama-3.1-8B-Instruct
llm: {baseRefs: [model-llama-3-8b, workload-single-gpu, router-managed]}
replicas: {min: 5, max: 5}
patches:
  - target: {kind: LLMInferenceService}
    json: [{op: remove, path: /spec/model}]
""", """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: my-llama-service
  namespace: default
spec:
  baseRefs:
    - name: model-llama-3-8b
    - name: workload-single-gpu
    - name: router-managed
  # Optional: Override specific fields
  replicas: 5  # Override workload-single-gpu replicas
""")

# lora-adapters.md:46
llm_example("lora", """
serving: llm
storageUri: hf://Qwen/Qwen2.5-7B-Instruct
llm:
  modelName: Qwen/Qwen2.5-7B-Instruct
  lora: {adapters: [{name: sql-adapter, uri: hf://my-org/qwen-sql-lora}, {name: code-adapter, uri: s3://my-bucket/adapters/code-lora}]}
""", """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: my-llm-service
spec:
  model:
    uri: hf://Qwen/Qwen2.5-7B-Instruct
    name: Qwen/Qwen2.5-7B-Instruct
    lora:
      adapters:
        - name: sql-adapter
          uri: hf://my-org/qwen-sql-lora
        - name: code-adapter
          uri: s3://my-bucket/adapters/code-lora
""")

QWEN_LORA_CONTAINER = """
replicas: {min: 2, max: 2}
image: vllm/vllm-openai:latest
resources: {limits: {nvidia.com/gpu: "1", cpu: "8", memory: 32Gi}}
"""
# lora-adapters.md:218
llm_example("lora-single", """
serving: llm
storageUri: hf://Qwen/Qwen2.5-7B-Instruct
llm: {modelName: Qwen/Qwen2.5-7B-Instruct, lora: {adapters: [{name: sql-adapter, uri: hf://my-org/qwen-sql-lora}]}}
""" + QWEN_LORA_CONTAINER, """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: qwen-sql
spec:
  model:
    uri: hf://Qwen/Qwen2.5-7B-Instruct
    name: Qwen/Qwen2.5-7B-Instruct
    lora:
      adapters:
        - name: sql-adapter
          uri: hf://my-org/qwen-sql-lora

  replicas: 2

  template:
    containers:
      - name: main
        image: vllm/vllm-openai:latest
        resources:
          limits:
            nvidia.com/gpu: "1"
            cpu: "8"
            memory: 32Gi
""")

# lora-adapters.md:251
llm_example("lora-multi-tenant", """
serving: llm
storageUri: hf://Qwen/Qwen2.5-7B-Instruct
llm:
  modelName: Qwen/Qwen2.5-7B-Instruct
  lora:
    adapters:
      - {name: sql-adapter, uri: hf://my-org/qwen-sql-lora}
      - {name: code-adapter, uri: s3://my-bucket/adapters/code-lora}
      - {name: domain-adapter, uri: pvc://adapter-pvc/domain-lora}
""" + QWEN_LORA_CONTAINER.replace("min: 2, max: 2", "min: 3, max: 3"), """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: qwen-multi-tenant
spec:
  model:
    uri: hf://Qwen/Qwen2.5-7B-Instruct
    name: Qwen/Qwen2.5-7B-Instruct
    lora:
      adapters:
        - name: sql-adapter
          uri: hf://my-org/qwen-sql-lora
        - name: code-adapter
          uri: s3://my-bucket/adapters/code-lora
        - name: domain-adapter
          uri: pvc://adapter-pvc/domain-lora

  replicas: 3

  template:
    containers:
      - name: main
        image: vllm/vllm-openai:latest
        resources:
          limits:
            nvidia.com/gpu: "1"
            cpu: "8"
            memory: 32Gi
""")

QWEN_05B = """
serving: llm
storageUri: hf://Qwen/Qwen2.5-0.5B-Instruct
replicas: {min: 1, max: 1}
resources: {limits: {nvidia.com/gpu: 1}, requests: {nvidia.com/gpu: 1}}
"""
# llmisvc-agentgateway.md:85
llm_example("agentgateway-route", QWEN_05B + "llm: {modelName: Qwen/Qwen2.5-0.5B-Instruct, router: {route: {}}}\n", """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: my-model
  namespace: kserve-test
spec:
  model:
    uri: "hf://Qwen/Qwen2.5-0.5B-Instruct"
    name: Qwen/Qwen2.5-0.5B-Instruct
  replicas: 1
  router:
    route: {}
  template:
    containers:
      - name: main
        resources:
          limits:
            nvidia.com/gpu: 1
          requests:
            nvidia.com/gpu: 1
""")

AGENTGATEWAY_HTTP_SPEC = """
          parentRefs:
            - group: gateway.networking.k8s.io
              kind: Gateway
              name: agentgateway
              namespace: kserve-test
          rules:
            - backendRefs:
                - group: agentgateway.dev
                  kind: AgentgatewayBackend
                  name: my-model-backend
              matches:
                - path:
                    type: PathPrefix
                    value: /v1/chat/completions
              timeouts:
                backendRequest: 0s
                request: 0s
            - backendRefs:
                - group: agentgateway.dev
                  kind: AgentgatewayBackend
                  name: my-model-backend
              matches:
                - path:
                    type: PathPrefix
                    value: /v1/completions
              timeouts:
                backendRequest: 0s
                request: 0s
"""
# llmisvc-agentgateway.md:156
llm_example("agentgateway-http-route", QWEN_05B + "llm:\n  modelName: Qwen/Qwen2.5-0.5B-Instruct\n  router:\n"
            "    route:\n      http:\n        spec:" + textwrap.indent(AGENTGATEWAY_HTTP_SPEC, "  "), """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: my-model
  namespace: kserve-test
spec:
  model:
    uri: "hf://Qwen/Qwen2.5-0.5B-Instruct"
    name: Qwen/Qwen2.5-0.5B-Instruct
  replicas: 1
  router:
    route:
      http:
        spec:""" + AGENTGATEWAY_HTTP_SPEC + """
  template:
    containers:
      - name: main
        resources:
          limits:
            nvidia.com/gpu: 1
          requests:
            nvidia.com/gpu: 1
""")

# llmisvc-agentgateway.md:257
llm_example("agentgateway-base-ref", QWEN_05B + "llm: {modelName: Qwen/Qwen2.5-0.5B-Instruct, "
                                                "baseRefs: [agentgateway-route-config]}\n", """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: my-model
  namespace: kserve-test
spec:
  model:
    uri: "hf://Qwen/Qwen2.5-0.5B-Instruct"
    name: Qwen/Qwen2.5-0.5B-Instruct
  replicas: 1
  baseRefs:
    - name: agentgateway-route-config
  template:
    containers:
      - name: main
        resources:
          limits:
            nvidia.com/gpu: 1
          requests:
            nvidia.com/gpu: 1
""")

# llmisvc-envoy-ai-gateway.md:342
llm_example("envoy-ai-gateway", """
serving: llm
storageUri: hf://Qwen/Qwen2.5-0.5B-Instruct
llm: {modelName: Qwen/Qwen2.5-0.5B-Instruct, baseRefs: [custom-config-llm-template],
      router: {scheduler: {}, route: {}, gateway: {}}}
replicas: {min: 4, max: 4}
resources: {cpu: '2', memory: 16Gi, gpu: 1, requests: {cpu: '1', memory: 8Gi, nvidia.com/gpu: 1}}
""", """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: qwen-instruct
  namespace: kserve-test
spec:
  model:
    uri: "hf://Qwen/Qwen2.5-0.5B-Instruct"
    name: Qwen/Qwen2.5-0.5B-Instruct
  replicas: 4
  router:
    scheduler: { }
    route: { }
    gateway: { }
  baseRefs:
    - name: custom-config-llm-template
  template:
    containers:
      - name: main
        resources:
          limits:
            cpu: '2'
            memory: 16Gi
            nvidia.com/gpu: 1
          requests:
            cpu: '1'
            memory: 8Gi
            nvidia.com/gpu: 1
""")

LLAMA_8B_WVA = """
serving: llm
storageUri: hf://meta-llama/Llama-3.1-8B-Instruct
llm: {modelName: meta-llama/Llama-3.1-8B-Instruct, router: {gateway: {}, route: {}, scheduler: {}}}
image: vllm/vllm-openai:latest
resources: {limits: {nvidia.com/gpu: "1", cpu: "8", memory: 32Gi}}
"""
LLAMA_8B_WVA_OFFICIAL = """
apiVersion: serving.kserve.io/v1alpha2
kind: LLMInferenceService
metadata:
  name: NAME
spec:
  model:
    uri: hf://meta-llama/Llama-3.1-8B-Instruct
    name: meta-llama/Llama-3.1-8B-Instruct
SCALING
  template:
    containers:
      - name: main
        image: vllm/vllm-openai:latest
        resources:
          limits:
            nvidia.com/gpu: "1"
            cpu: "8"
            memory: 32Gi

  router:
    gateway: {}
    route: {}
    scheduler: {}
"""


def wva(name: str, scaling: str) -> str:
    return LLAMA_8B_WVA_OFFICIAL.replace("NAME", name).replace("SCALING\n", scaling)


# autoscaling/llmisvc-autoscaling.md:108
llm_example("autoscaling-hpa", LLAMA_8B_WVA + "replicas: {min: 1, max: 5}\nautoscaling: {class: hpa}\n", wva("my-llm", """
  scaling:
    minReplicas: 1
    maxReplicas: 5
    wva:
      hpa: {}
"""))
# autoscaling/llmisvc-autoscaling.md:174
llm_example("autoscaling-keda", LLAMA_8B_WVA + "replicas: {min: 1, max: 5}\nautoscaling: {class: keda}\n", wva("my-llm", """
  scaling:
    minReplicas: 1
    maxReplicas: 5
    wva:
      keda: {}
"""))
# autoscaling/llmisvc-autoscaling-examples.md:18
llm_example("autoscaling-hpa-behavior", LLAMA_8B_WVA + """
replicas: {min: 1, max: 5}
autoscaling:
  class: hpa
  variantCost: "10.0"
  behavior: {scaleUp: {stabilizationWindowSeconds: 0}, scaleDown: {stabilizationWindowSeconds: 300}}
""", wva("llama-hpa", """
  scaling:
    minReplicas: 1
    maxReplicas: 5
    wva:
      variantCost: "10.0"
      hpa:
        behavior:
          scaleUp:
            stabilizationWindowSeconds: 0
          scaleDown:
            stabilizationWindowSeconds: 300
"""))
# autoscaling/llmisvc-autoscaling-examples.md:76
llm_example("autoscaling-keda-settings", LLAMA_8B_WVA + """
replicas: {min: 2, max: 8}
autoscaling:
  class: keda
  variantCost: "10.0"
  keda: {pollingInterval: 5, cooldownPeriod: 120, initialCooldownPeriod: 60, idleReplicaCount: 1,
         fallback: {failureThreshold: 3, replicas: 2}}
""", wva("llama-keda", """
  scaling:
    minReplicas: 2
    maxReplicas: 8
    wva:
      variantCost: "10.0"
      keda:
        pollingInterval: 5
        cooldownPeriod: 120
        initialCooldownPeriod: 60
        idleReplicaCount: 1
        fallback:
          failureThreshold: 3
          replicas: 2
"""))

LLAMA_70B_MULTINODE = """
serving: llm
storageUri: hf://meta-llama/Llama-2-70b-hf
llm: {modelName: meta-llama/Llama-2-70b-hf, router: {gateway: {}, route: {}, scheduler: {}}}
workers: {tensorParallelSize: 4, dataParallelSize: 8, dataLocalParallelSize: 4}
image: vllm/vllm-openai:latest
args: ["--model", "/mnt/models", "--tensor-parallel-size", "4"]
resources: {limits: {nvidia.com/gpu: "4", cpu: "16", memory: 128Gi}}
"""
LLAMA_70B_MULTINODE_OFFICIAL = """
apiVersion: serving.kserve.io/v1alpha2
kind: LLMInferenceService
metadata:
  name: NAME
  namespace: default
spec:
  model:
    uri: hf://meta-llama/Llama-2-70b-hf
    name: meta-llama/Llama-2-70b-hf

  parallelism:
    tensor: 4
    data: 8
    dataLocal: 4
SCALING
  template:
    containers:
      - name: main
        image: vllm/vllm-openai:latest
        args:
          - "--model"
          - "/mnt/models"
          - "--tensor-parallel-size"
          - "4"
        resources:
          limits:
            nvidia.com/gpu: "4"
            cpu: "16"
            memory: 128Gi

  worker:
    containers:
      - name: main
        image: vllm/vllm-openai:latest
        args:
          - "--model"
          - "/mnt/models"
          - "--tensor-parallel-size"
          - "4"
        resources:
          limits:
            nvidia.com/gpu: "4"
            cpu: "16"
            memory: 128Gi

  router:
    gateway: {}
    route: {}
    scheduler: {}
"""
# autoscaling/llmisvc-autoscaling-examples.md:136
llm_example("autoscaling-multinode", LLAMA_70B_MULTINODE + "replicas: {min: 1, max: 4}\nautoscaling: {class: hpa}\n",
            LLAMA_70B_MULTINODE_OFFICIAL.replace("NAME", "llama-70b-multinode").replace("SCALING\n", """
  scaling:
    minReplicas: 1
    maxReplicas: 4
    wva:
      hpa: {}
"""))
# autoscaling/llmisvc-autoscaling-examples.md:204
llm_example("autoscaling-multinode-keda", LLAMA_70B_MULTINODE + """
replicas: {min: 2, max: 6}
autoscaling:
  class: keda
  variantCost: "20.0"
  keda: {pollingInterval: 10, cooldownPeriod: 300, initialCooldownPeriod: 120, idleReplicaCount: 1,
         fallback: {failureThreshold: 3, replicas: 2}}
""", LLAMA_70B_MULTINODE_OFFICIAL.replace("NAME", "llama-70b-multinode-keda").replace("SCALING\n", """
  scaling:
    minReplicas: 2
    maxReplicas: 6
    wva:
      variantCost: "20.0"
      keda:
        pollingInterval: 10
        cooldownPeriod: 300
        initialCooldownPeriod: 120
        idleReplicaCount: 1
        fallback:
          failureThreshold: 3
          replicas: 2
"""))

# autoscaling/llmisvc-autoscaling.md:283
llm_example("autoscaling-prefill-decode", """
serving: llm
storageUri: hf://meta-llama/Llama-3.1-8B-Instruct
replicas: {min: 1, max: 5}
autoscaling: {class: hpa}
image: vllm/vllm-openai:latest
resources: {limits: {nvidia.com/gpu: "1"}}
llm:
  modelName: meta-llama/Llama-3.1-8B-Instruct
  router: {gateway: {}, route: {}, scheduler: {}}
  prefill:
    replicas: {min: 2, max: 8}
    autoscaling: {class: hpa, variantCost: "15.0", behavior: {scaleUp: {stabilizationWindowSeconds: 0}}}
    image: vllm/vllm-openai:latest
    resources: {limits: {nvidia.com/gpu: "2"}}
""", """
apiVersion: serving.kserve.io/v1alpha2
kind: LLMInferenceService
metadata:
  name: my-llm-disaggregated
spec:
  model:
    uri: hf://meta-llama/Llama-3.1-8B-Instruct
    name: meta-llama/Llama-3.1-8B-Instruct

  # Decode workload scaling
  scaling:
    minReplicas: 1
    maxReplicas: 5
    wva:
      hpa: {}

  template:
    containers:
      - name: main
        image: vllm/vllm-openai:latest
        resources:
          limits:
            nvidia.com/gpu: "1"

  # Prefill workload scaling (independent bounds)
  prefill:
    scaling:
      minReplicas: 2
      maxReplicas: 8
      wva:
        variantCost: "15.0"
        hpa:
          behavior:
            scaleUp:
              stabilizationWindowSeconds: 0

    template:
      containers:
        - name: main
          image: vllm/vllm-openai:latest
          resources:
            limits:
              nvidia.com/gpu: "2"

  router:
    gateway: {}
    route: {}
    scheduler: {}
""")

OPT_CPU = """
serving: llm
storageUri: hf://facebook/opt-125m
llm:
  modelName: facebook/opt-125m
  router: {scheduler: {}, route: {}, gateway: {}}
  lora: LORA
replicas: {min: 1, max: 1}
image: public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.17.1
env: {VLLM_LOGGING_LEVEL: DEBUG, VLLM_CPU_KVCACHE_SPACE: "1"}
resources: {limits: {cpu: '2', memory: 7Gi}, requests: {cpu: 200m, memory: 2Gi}}
probes:
  liveness: {httpGet: {path: /health, port: 8000, scheme: HTTPS}, initialDelaySeconds: 180, periodSeconds: 30,
             timeoutSeconds: 30, failureThreshold: 8}
  readiness: {httpGet: {path: /health, port: 8000, scheme: HTTPS}, initialDelaySeconds: 30, periodSeconds: 10,
              timeoutSeconds: 5, failureThreshold: 3}
"""
OPT_CPU_OFFICIAL = """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: NAME
  namespace: kserve-ci-e2e-test
spec:
  model:
    uri: hf://facebook/opt-125m
    name: facebook/opt-125m
    lora:
LORA
  replicas: 1
  router:
    scheduler: {}
    route: {}
    gateway: {}
  template:
    containers:
      - name: main
        image: public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.17.1
        env:
          - name: VLLM_LOGGING_LEVEL
            value: DEBUG
          - name: VLLM_CPU_KVCACHE_SPACE
            value: "1"
        resources:
          limits:
            cpu: '2'
            memory: 7Gi
          requests:
            cpu: '200m'
            memory: 2Gi
        livenessProbe:
          httpGet:
            path: /health
            port: 8000
            scheme: HTTPS
          initialDelaySeconds: 180
          periodSeconds: 30
          timeoutSeconds: 30
          failureThreshold: 8
        readinessProbe:
          httpGet:
            path: /health
            port: 8000
            scheme: HTTPS
          initialDelaySeconds: 30
          periodSeconds: 10
          timeoutSeconds: 5
          failureThreshold: 3
"""
# kserve v0.20.0: docs/samples/llmisvc/lora-adapters/test-examples/01-lora-hf-cpu.yaml
llm_example("kserve-lora-hf-cpu", OPT_CPU.replace("LORA", "{adapters: [{name: lora-adapter-1, uri: hf://edbeeching/opt-125m-lora}]}"),
            OPT_CPU_OFFICIAL.replace("NAME", "lora-hf-test").replace("LORA\n", """
      adapters:
        # Real LoRA adapter from HuggingFace Hub
        - name: lora-adapter-1
          uri: hf://edbeeching/opt-125m-lora
"""))
# kserve v0.20.0: docs/samples/llmisvc/lora-adapters/test-examples/02-lora-multi-hf-cpu.yaml
llm_example("kserve-lora-multi-hf-cpu", OPT_CPU.replace("LORA", "{adapters: [{name: adapter-1, uri: hf://edbeeching/opt-125m-lora}, "
                                                                "{name: adapter-2, uri: hf://edbeeching/opt-125m-lora}], "
                                                                "maxRank: 64, maxAdapters: 2, maxCpuAdapters: 4}"),
            OPT_CPU_OFFICIAL.replace("NAME", "lora-multi-hf-test").replace("LORA\n", """
      adapters:
        - name: adapter-1
          uri: hf://edbeeching/opt-125m-lora
        - name: adapter-2
          uri: hf://edbeeching/opt-125m-lora
      maxRank: 64
      maxAdapters: 2
      maxCpuAdapters: 4
"""))
# kserve v0.20.0: docs/samples/llmisvc/lora-adapters/test-examples/04-lora-pvc-cpu.yaml
llm_example("kserve-lora-pvc-cpu", OPT_CPU.replace("LORA", "{adapters: [{name: pvc-adapter, uri: pvc://lora-adapters-pvc/opt-125m-lora}]}"),
            OPT_CPU_OFFICIAL.replace("NAME", "lora-pvc-test").replace("LORA\n", """
      adapters:
        - name: pvc-adapter
          uri: pvc://lora-adapters-pvc/opt-125m-lora
"""))

# versioned_docs/version-0.20/getting-started/genai-first-llmisvc.md:33 (vLLM's CPU image runs as root)
llm_example("getting-started", """
serving: llm
storageUri: hf://facebook/opt-125m
llm: {modelName: facebook/opt-125m, router: {gateway: {}, route: {}, scheduler: {}}}
replicas: {min: 1, max: 1}
image: quay.io/pierdipi/vllm-cpu:latest
securityContext: {runAsNonRoot: false}
env: {VLLM_LOGGING_LEVEL: DEBUG}
resources: {limits: {cpu: '1', memory: 10Gi}, requests: {cpu: 100m, memory: 8Gi}}
probes:
  liveness: {initialDelaySeconds: 30, periodSeconds: 30, timeoutSeconds: 30, failureThreshold: 5}
""", """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: facebook-opt-125m-single
spec:
  model:
    uri: hf://facebook/opt-125m
    name: facebook/opt-125m

  replicas: 1

  template:
    containers:
      - name: main
        image: quay.io/pierdipi/vllm-cpu:latest
        securityContext:
          runAsNonRoot: false  # Image requires root
        env:
          - name: VLLM_LOGGING_LEVEL
            value: DEBUG
        resources:
          limits:
            cpu: '1'
            memory: 10Gi
          requests:
            cpu: '100m'
            memory: 8Gi
        livenessProbe:
          initialDelaySeconds: 30
          periodSeconds: 30
          timeoutSeconds: 30
          failureThreshold: 5

  router:
    gateway: {}
    route: {}
    scheduler: {}
""")

OPT_CPU_ROOT = """
serving: llm
storageUri: hf://facebook/opt-125m
llm:
  modelName: facebook/opt-125m
  router: ROUTER
image: public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.19.0
securityContext: {runAsNonRoot: false}
env: {VLLM_LOGGING_LEVEL: DEBUG, VLLM_CPU_KVCACHE_SPACE: "1"}
"""
OPT_CPU_SINGLE = OPT_CPU_ROOT + """
replicas: {min: 1, max: 1}
resources: {limits: {cpu: '1', memory: 10Gi}, requests: {cpu: 100m, memory: 8Gi}}
probes:
  liveness: {initialDelaySeconds: 30, periodSeconds: 30, timeoutSeconds: 30, failureThreshold: 5}
"""
# kserve v0.20.0: docs/samples/llmisvc/opt-125m-cpu/llm-inference-service-facebook-opt-125m-cpu.yaml
llm_example("kserve-opt-125m-cpu", OPT_CPU_SINGLE.replace("ROUTER", "{scheduler: {}, route: {}, gateway: {}}"), """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: facebook-opt-125m-single
spec:
  model:
    uri: hf://facebook/opt-125m
    name: facebook/opt-125m
  replicas: 1
  router:
    scheduler: { }
    route: { }
    gateway: { }
  template:
    containers:
      - name: main
        image: public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.19.0
        securityContext:
          runAsNonRoot: false
        env:
          - name: VLLM_LOGGING_LEVEL
            value: DEBUG
          - name: VLLM_CPU_KVCACHE_SPACE
            value: "1"
        resources:
          limits:
            cpu: '1'
            memory: 10Gi
          requests:
            cpu: '100m'
            memory: 8Gi
        livenessProbe:
          initialDelaySeconds: 30
          periodSeconds: 30
          timeoutSeconds: 30
          failureThreshold: 5
""")
# kserve v0.20.0: docs/samples/llmisvc/opt-125m-cpu/llm-inference-service-facebook-opt-125m-cpu-no-scheduler.yaml
llm_example("kserve-opt-125m-cpu-no-scheduler", OPT_CPU_SINGLE.replace("ROUTER", "{route: {}}"), """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: facebook-opt-125m-single
spec:
  model:
    uri: hf://facebook/opt-125m
    name: facebook/opt-125m
  replicas: 1
  router:
    route: { }
  template:
    containers:
      - name: main
        image: public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.19.0
        securityContext:
          runAsNonRoot: false
        env:
          - name: VLLM_LOGGING_LEVEL
            value: DEBUG
          - name: VLLM_CPU_KVCACHE_SPACE
            value: "1"
        resources:
          limits:
            cpu: '1'
            memory: 10Gi
          requests:
            cpu: '100m'
            memory: 8Gi
        livenessProbe:
          initialDelaySeconds: 30
          periodSeconds: 30
          timeoutSeconds: 30
          failureThreshold: 5
""")
# kserve v0.20.0: docs/samples/llmisvc/opt-125m-cpu/llm-inference-service-pd-facebook-opt-125m-cpu.yaml (the
# prefill container is not root: only the decode container has the securityContext)
llm_example("kserve-pd-opt-125m-cpu", OPT_CPU_ROOT.replace("ROUTER", """{scheduler: {}, route: {}, gateway: {}}
  prefill:
    image: public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.19.0
    env: {VLLM_LOGGING_LEVEL: DEBUG}
    resources: {limits: {cpu: '2', memory: 16Gi}, requests: {cpu: '1', memory: 8Gi}}""") + """
resources: {limits: {cpu: '2', memory: 16Gi}, requests: {cpu: '1', memory: 8Gi}}
""", """
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: facebook-opt-125m-pd
spec:
  model:
    uri: hf://facebook/opt-125m
    name: facebook/opt-125m
  router:
    scheduler: { }
    route: { }
    gateway: { }
  template:
    containers:
      - name: main
        image: public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.19.0
        securityContext:
          runAsNonRoot: false
        env:
          - name: VLLM_LOGGING_LEVEL
            value: DEBUG
          - name: VLLM_CPU_KVCACHE_SPACE
            value: "1"
        resources:
          limits:
            cpu: '2'
            memory: 16Gi
          requests:
            cpu: '1'
            memory: 8Gi
  prefill:
    template:
      containers:
        - name: main
          image: public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.19.0
          env:
            - name: VLLM_LOGGING_LEVEL
              value: DEBUG
          resources:
            limits:
              cpu: '2'
              memory: 16Gi
            requests:
              cpu: '1'
              memory: 8Gi
""")

@pytest.mark.parametrize("spec, official", LLM_EXAMPLES)
def test_llm_documentation_example_is_written_field_for_field(tmp_path, spec, official):
    official = yaml.safe_load(official)
    name = official["metadata"]["name"]
    obj = built(tmp_path, name, spec, "LLMInferenceService")
    assert obj["apiVersion"] == "serving.kserve.io/v1alpha2" and obj["metadata"]["name"] == name
    assert as_stored(without_ours(obj["spec"])) == as_stored(official["spec"])
    # The pods carry gitops-gen's labels, so its monitors find them (prefill pods too).
    assert obj["spec"]["labels"]["gitops-gen.io/model"] == name
    if "prefill" in obj["spec"]:
        assert obj["spec"]["prefill"]["labels"] == obj["spec"]["labels"]


# kserve v0.20.0: docs/samples/llmisvc/single-node-gpu/llm-inference-service-pd-qwen2-7b-gpu.yaml
QWEN_PD_OFFICIAL = r"""
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata:
  name: qwen2-7b-instruct-pd
  annotations:
    # RoCE network required for KV cache transfer via RDMA
    k8s.v1.cni.cncf.io/networks: roce-p2
spec:
  # Main/decode pool replica count
  replicas: 1
  model:
    uri: hf://Qwen/Qwen2.5-7B-Instruct
    name: Qwen/Qwen2.5-7B-Instruct
  router:
    route: { }
    gateway: { }
    scheduler: { }
  template:
    # This affinity rule ensures that the KV transfer happens over the RDMA network because if the pods are placed
    # on the same node it will go over NVLink.
    #affinity:
    #  podAntiAffinity:
    #    preferredDuringSchedulingIgnoredDuringExecution:
    #    - weight: 100
    #      podAffinityTerm:
    #        labelSelector:
    #          matchExpressions:
    #          - key: app.kubernetes.io/component
    #            operator: In
    #            values:
    #            - llminferenceservice-workload-prefill
    #        topologyKey: kubernetes.io/hostname
    containers:
      - name: main
        env:
          # Enable RDMA for KV cache transfer
          - name: KSERVE_INFER_ROCE
            value: "true"
          # Pod IP for KV transfer side channel
          - name: VLLM_NIXL_SIDE_CHANNEL_HOST
            valueFrom:
              fieldRef:
                fieldPath: status.podIP
          # Enable KV cache transfer via NixlConnector (RDMA-based)
          - name: VLLM_ADDITIONAL_ARGS
            value: "--kv_transfer_config '{\"kv_connector\":\"NixlConnector\",\"kv_role\":\"kv_consumer\"}'"
          # UCX configuration for RDMA transport
          - name: UCX_PROTO_INFO
            value: "y"
          - name: UCX_TLS
            value: "rc,sm,self,cuda_copy,cuda_ipc"
        resources:
          limits:
            cpu: '4'
            memory: 32Gi
            nvidia.com/gpu: "1"
            rdma/roce_gdr: 1
          requests:
            cpu: '2'
            memory: 16Gi
            nvidia.com/gpu: "1"
            rdma/roce_gdr: 1
        livenessProbe:
          httpGet:
            path: /health
            port: 8000
            scheme: HTTPS
          initialDelaySeconds: 120
          periodSeconds: 30
          timeoutSeconds: 30
          failureThreshold: 5
  prefill:
    # Prefill pool replica count (higher for concurrent prefill requests)
    replicas: 2
    template:
      # This affinity rule ensures that the KV transfer happens over the RDMA network because if the pods are placed
      # on the same node it will go over NVLink
      #affinity:
      #  podAntiAffinity:
      #    preferredDuringSchedulingIgnoredDuringExecution:
      #    - weight: 100
      #      podAffinityTerm:
      #        labelSelector:
      #          matchExpressions:
      #          - key: app.kubernetes.io/component
      #            operator: In
      #            values:
      #            - llminferenceservice-workload
      #        topologyKey: kubernetes.io/hostname
      containers:
        - name: main
          env:
            - name: KSERVE_INFER_ROCE
              value: "true"
            - name: VLLM_NIXL_SIDE_CHANNEL_HOST
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
            - name: VLLM_ADDITIONAL_ARGS
              value: "--kv_transfer_config '{\"kv_connector\":\"NixlConnector\",\"kv_role\":\"kv_producer\"}'"
            - name: UCX_PROTO_INFO
              value: "y"
            - name: UCX_TLS
              value: "rc,sm,self,cuda_copy,cuda_ipc"
          resources:
            limits:
              cpu: '4'
              memory: 32Gi
              nvidia.com/gpu: "1"
              rdma/roce_gdr: 1
            requests:
              cpu: '2'
              memory: 16Gi
              nvidia.com/gpu: "1"
              rdma/roce_gdr: 1
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
QWEN_PD_CONTAINER = r"""
  env:
    KSERVE_INFER_ROCE: "true"
    VLLM_ADDITIONAL_ARGS: "--kv_transfer_config '{\"kv_connector\":\"NixlConnector\",\"kv_role\":\"ROLE\"}'"
    UCX_PROTO_INFO: "y"
    UCX_TLS: "rc,sm,self,cuda_copy,cuda_ipc"
  fieldEnv: [{name: VLLM_NIXL_SIDE_CHANNEL_HOST, fieldPath: status.podIP}]
  resources:
    limits: {cpu: '4', memory: 32Gi, nvidia.com/gpu: "1", rdma/roce_gdr: 1}
    requests: {cpu: '2', memory: 16Gi, nvidia.com/gpu: "1", rdma/roce_gdr: 1}
  probes:
    liveness: {httpGet: {path: /health, port: 8000, scheme: HTTPS}, initialDelaySeconds: 120, periodSeconds: 30,
               timeoutSeconds: 30, failureThreshold: 5}
"""
QWEN_PD = """
serving: llm
storageUri: hf://Qwen/Qwen2.5-7B-Instruct
replicas: {min: 1, max: 1}
llm:
  modelName: Qwen/Qwen2.5-7B-Instruct
  router: {route: {}, gateway: {}, scheduler: {}}
  prefill:
    replicas: {min: 2, max: 2}
""" + textwrap.indent(QWEN_PD_CONTAINER.replace("ROLE", "kv_producer"), "  ") + \
    textwrap.dedent(QWEN_PD_CONTAINER.replace("ROLE", "kv_consumer"))


def test_prefill_decode_over_rdma_passes_the_pod_ip_from_the_downward_api(tmp_path):
    # The sample annotates the object only: the Model's metadata.annotations (spec.annotations would reach the
    # pods too, the main and the prefill pool's).
    official = yaml.safe_load(QWEN_PD_OFFICIAL)
    annotation = official["metadata"]["annotations"]
    obj = built(tmp_path, "qwen2-7b-instruct-pd", QWEN_PD, "LLMInferenceService", {"annotations": annotation})
    assert obj["metadata"]["annotations"].items() >= annotation.items()
    assert as_stored(without_ours(obj["spec"])) == as_stored(official["spec"])
    # The downward-API variable comes after the plain ones, sorted (the list is keyed by name).
    assert [v["name"] for v in obj["spec"]["template"]["containers"][0]["env"]] == [
        "KSERVE_INFER_ROCE", "UCX_PROTO_INFO", "UCX_TLS", "VLLM_ADDITIONAL_ARGS", "VLLM_NIXL_SIDE_CHANNEL_HOST"]


# --- canary-rollout.md: two services in one routing group, written by hand ---------------------------------

CANARY_V1 = """
apiVersion: serving.kserve.io/v1alpha2
kind: LLMInferenceService
metadata:
  name: my-model-v1
  namespace: my-namespace
spec:
  model:
    name: my-model
    uri: hf://meta-llama/Llama-3-70B
  baseRefs:
    - name: model-config
    - name: workload-config
  router:
    route:
      group: my-model
      weight: 9
    scheduler: {}
"""
CANARY_V2 = """
apiVersion: serving.kserve.io/v1alpha2
kind: LLMInferenceService
metadata:
  name: my-model-v2
  namespace: my-namespace
spec:
  model:
    name: my-model
    uri: hf://meta-llama/Llama-3.1-70B
  baseRefs:
    - name: model-config-v2
    - name: workload-config
  router:
    route:
      group: my-model      # same group as v1
      weight: 1
    scheduler: {}
"""


def canary_model(name: str, uri: str, config: str, weight: int) -> str:
    return textwrap.dedent(f"""\
        apiVersion: gitops-gen.io/v1alpha1
        kind: Model
        metadata: {{name: {name}}}
        spec:
          version: "1"
          serving: llm
          storageUri: {uri}
          llm:
            modelName: my-model
            baseRefs: [{config}, workload-config]
            router: {{route: {{group: my-model, weight: {weight}}}, scheduler: {{}}}}
        """)


def test_canary_by_hand_is_kserves_canary_rollout(tmp_path):
    # canary-rollout.md:85 and :133: each a Model of its own, in one environment.
    env = textwrap.dedent("""\
        apiVersion: gitops-gen.io/v1alpha1
        kind: Environment
        metadata: {name: dev}
        spec: {namespace: my-namespace, clusters: [{name: c1}], models: {my-model-v1: {}, my-model-v2: {}}}
        """)
    tree = build_file_tree(tmp_path / "src", {
        "project.yaml": "apiVersion: gitops-gen.io/v1alpha1\nkind: Project\nmetadata: {name: p}\n"
                        "spec: {repoURL: 'https://git.example.com/p.git'}\n",
        "models/v1.yaml": canary_model("my-model-v1", "hf://meta-llama/Llama-3-70B", "model-config", 9),
        "models/v2.yaml": canary_model("my-model-v2", "hf://meta-llama/Llama-3.1-70B", "model-config-v2", 1),
        "environments/dev.yaml": env})
    fleet = load_fleet(tree)
    objects = {o["metadata"]["name"]: o for r in fleet.releases for o in workload_objects(r)}
    for official in (CANARY_V1, CANARY_V2):
        official = yaml.safe_load(official)
        obj = objects[official["metadata"]["name"]]
        assert schema_errors(obj) == []
        assert without_ours(obj["spec"]) == official["spec"]
        # KServe's webhook sets this label on every member of a group: written here too, so no drift.
        assert obj["metadata"]["labels"]["serving.kserve.io/routing-group"] == "my-model"


# --- Fragments: a page's `spec:` excerpt, compared key by key with a model that writes it ------------------

BASE = """
serving: llm
storageUri: hf://Qwen/Qwen2.5-7B-Instruct
llm: {modelName: Qwen/Qwen2.5-7B-Instruct}
"""
FRAGMENTS = []


def fragment(source: str, extra: str, official: str, path: tuple = ("spec",)):
    FRAGMENTS.append(pytest.param(extra, official, path, id=source))


def with_llm(**fields) -> str:
    return yaml.safe_dump({"llm": {"modelName": "Qwen/Qwen2.5-7B-Instruct", **fields}})


ROUTERS = {  # llmisvc-configuration.md:<line>: the router it shows
    322: "router:\n    gateway: {}     # Gateway configuration\n    route: {}       # HTTPRoute configuration\n"
         "    scheduler: {}   # Scheduler configuration",
    334: "router:\n    gateway: {}  # Empty object = use default gateway",
    344: "router:\n    gateway:\n      refs:\n        - name: my-custom-gateway\n          namespace: istio-system",
    361: "router:\n    route: {}  # Auto-generated routing rules",
    369: "router:\n    route:\n      http:\n        refs:\n          - name: my-custom-http-route",
    382: "router:\n    route:\n      http:\n        spec:\n          parentRefs:\n            - name: my-gateway\n"
         "          rules:\n            - backendRefs:\n                - name: my-backend-service\n"
         "                  port: 8000",
    404: "router:\n    route:\n      http:\n        spec:\n          rules:\n            - timeouts:\n"
         "                request: \"300s\"\n                backendRequest: \"300s\"",
    418: "router:\n    route:\n      http:\n        spec:\n          rules:\n            - matches:\n"
         "                - path:\n                    type: PathPrefix\n"
         "                    value: /my-tenant/my-model/v1/completions\n              filters:\n"
         "                - type: URLRewrite\n                  urlRewrite:\n                    path:\n"
         "                      type: ReplacePrefixMatch\n                      replacePrefixMatch: /v1/completions",
    439: "router:\n    route:\n      http:\n        spec:\n          rules:\n            - backendRefs:\n"
         "                - group: \"\"\n                  kind: Service\n                  name: my-custom-backend\n"
         "                  port: 8000",
    464: "router:\n    route:\n      group: my-model\n      weight: 9\n    scheduler: {}",
    495: "router:\n    scheduler: {}  # Auto-configured scheduler",
    509: "router:\n    scheduler:\n      pool:\n        ref:\n          name: my-existing-pool",
}
for line, router in ROUTERS.items():
    given = yaml.safe_load(router)
    fragment(f"llmisvc-configuration.md:{line}", with_llm(router=given["router"]), "spec:\n  " + router)
# canary-rollout.md:31
fragment("canary-rollout.md:31", with_llm(router={"route": {"group": "my-model", "weight": 9}, "scheduler": {}}), """
spec:
  router:
    route:
      group: my-model
      weight: 9
    scheduler: {}
""")
# llmisvc-configuration.md:133
fragment("llmisvc-configuration.md:133", with_llm(lora={"adapters": [
    {"name": "sql-adapter", "uri": "hf://my-org/qwen-sql-lora"},
    {"name": "code-adapter", "uri": "s3://my-bucket/adapters/code-lora"},
    {"name": "domain-adapter", "uri": "pvc://adapter-pvc/domain-lora"}]}), """
spec:
  model:
    uri: hf://Qwen/Qwen2.5-7B-Instruct
    name: Qwen/Qwen2.5-7B-Instruct
    lora:
      adapters:
        - name: sql-adapter
          uri: hf://my-org/qwen-sql-lora
        - name: code-adapter
          uri: s3://my-bucket/adapters/code-lora
        - name: domain-adapter
          uri: pvc://adapter-pvc/domain-lora
""")
for line, uri in ((91, "hf://edbeeching/opt-125m-lora"), (129, "s3://my-bucket/adapters/domain-lora"),
                  (178, "pvc://adapter-pvc/domain-lora")):
    # lora-adapters.md:<line>: `lora:` alone, under model:
    fragment(f"lora-adapters.md:{line}", with_llm(lora={"adapters": [{"name": "my-adapter", "uri": uri}]}),
             f"lora:\n  adapters:\n    - name: my-adapter\n      uri: {uri}\n", ("spec", "model"))
# lora-adapters.md:372
fragment("lora-adapters.md:372", with_llm(lora={"maxRank": 128, "maxAdapters": 3, "maxCpuAdapters": 6, "adapters": [
    {"name": "sql-adapter", "uri": "hf://my-org/qwen-sql-lora"}]}), """
spec:
  model:
    lora:
      maxRank: 128        # increase if adapters were trained with rank > 16 (vLLM default)
      maxAdapters: 3      # max adapters in GPU memory simultaneously (vLLM default: 1)
      maxCpuAdapters: 6   # max adapters cached in CPU memory (vLLM default: maxAdapters)
      adapters:
        - name: sql-adapter
          uri: hf://my-org/qwen-sql-lora
""", ("spec", "model"))
# lora-adapters.md:388 (the page's own vLLM flags for an adapter at a custom path)
fragment("lora-adapters.md:388", 'args: ["--model", "/mnt/models", "--enable-lora", "--lora-modules", '
                                  '"my-adapter=/custom/path"]\n', """
template:
  containers:
    - name: main
      args:
        - "--model"
        - "/mnt/models"
        - "--enable-lora"
        - "--lora-modules"
        - "my-adapter=/custom/path"
""")
# llmisvc-configuration.md:171
fragment("llmisvc-configuration.md:171", 'replicas: {min: 1, max: 5}\nautoscaling: {class: hpa, variantCost: "10.0"}\n', """
spec:
  scaling:
    minReplicas: 1
    maxReplicas: 5
    wva:
      variantCost: "10.0"
      hpa: {}    # or keda: {}
""")
# autoscaling/llmisvc-autoscaling.md:142
fragment("llmisvc-autoscaling.md:142", """
replicas: {min: 2, max: 10}
autoscaling:
  class: hpa
  variantCost: "15.0"
  behavior:
    scaleUp: {stabilizationWindowSeconds: 0, policies: [{type: Percent, value: 100, periodSeconds: 60}]}
    scaleDown: {stabilizationWindowSeconds: 300, policies: [{type: Pods, value: 1, periodSeconds: 120}]}
""", """
  scaling:
    minReplicas: 2
    maxReplicas: 10
    wva:
      variantCost: "15.0"
      hpa:
        behavior:
          scaleUp:
            stabilizationWindowSeconds: 0
            policies:
              - type: Percent
                value: 100
                periodSeconds: 60
          scaleDown:
            stabilizationWindowSeconds: 300
            policies:
              - type: Pods
                value: 1
                periodSeconds: 120
""")
# autoscaling/llmisvc-autoscaling.md:208
fragment("llmisvc-autoscaling.md:208", """
replicas: {min: 2, max: 8}
autoscaling:
  class: keda
  variantCost: "10.0"
  keda: {pollingInterval: 5, cooldownPeriod: 120, initialCooldownPeriod: 60, idleReplicaCount: 1,
         fallback: {failureThreshold: 3, replicas: 2}}
""", """
  scaling:
    minReplicas: 2
    maxReplicas: 8
    wva:
      variantCost: "10.0"
      keda:
        pollingInterval: 5
        cooldownPeriod: 120
        initialCooldownPeriod: 60
        idleReplicaCount: 1
        fallback:
          failureThreshold: 3
          replicas: 2
""")
# llmisvc-configuration.md:211
fragment("llmisvc-configuration.md:211", """
replicas: {min: 3, max: 3}
image: vllm/vllm-openai:latest
args: ["--model", "/mnt/models"]
resources: {limits: {nvidia.com/gpu: "1", cpu: "4", memory: 32Gi}}
""", """
spec:
  replicas: 3
  template:
    containers:
      - name: main
        image: vllm/vllm-openai:latest
        args:
          - "--model"
          - "/mnt/models"
        resources:
          limits:
            nvidia.com/gpu: "1"
            cpu: "4"
            memory: 32Gi
""")
# llmisvc-configuration.md:231
fragment("llmisvc-configuration.md:231", """
replicas: {min: 2, max: 2}
workers: {tensorParallelSize: 4, dataParallelSize: 8, dataLocalParallelSize: 4}
image: vllm/vllm-openai:latest
args: ["--model", "/mnt/models", "--tensor-parallel-size", "4"]
resources: {limits: {nvidia.com/gpu: "4", cpu: "16", memory: 128Gi}}
""", """
spec:
  replicas: 2  # Number of LeaderWorkerSet replicas

  parallelism:
    tensor: 4   # Tensor parallelism degree
    data: 8     # Total data parallel instances
    dataLocal: 4  # GPUs per node
    # Result: 8 / 4 = 2 LWS replicas (overrides replicas: 2 if different)

  template:     # Leader pod spec
    containers:
      - name: main
        image: vllm/vllm-openai:latest
        args:
          - "--model"
          - "/mnt/models"
          - "--tensor-parallel-size"
          - "4"
        resources:
          limits:
            nvidia.com/gpu: "4"
            cpu: "16"
            memory: 128Gi

  worker:       # Worker pod spec (triggers multi-node)
    containers:
      - name: main
        image: vllm/vllm-openai:latest
        args:
          - "--model"
          - "/mnt/models"
          - "--tensor-parallel-size"
          - "4"
        resources:
          limits:
            nvidia.com/gpu: "4"
            cpu: "16"
            memory: 128Gi
""")
# llmisvc-configuration.md:276
fragment("llmisvc-configuration.md:276", """
replicas: {min: 1, max: 1}
image: vllm/vllm-openai:latest
args: ["--model", "/mnt/models", "--enforce-eager"]
resources: {limits: {nvidia.com/gpu: "1", cpu: "8", memory: 64Gi}}
llm:
  modelName: Qwen/Qwen2.5-7B-Instruct
  prefill:
    replicas: {min: 2, max: 2}
    image: vllm/vllm-openai:latest
    args: ["--model", "/mnt/models", "--enable-chunked-prefill"]
    resources: {limits: {nvidia.com/gpu: "2", cpu: "16", memory: 128Gi}}
""", """
spec:
  # Decode workload (main)
  replicas: 1
  template:
    containers:
      - name: main
        image: vllm/vllm-openai:latest
        args:
          - "--model"
          - "/mnt/models"
          - "--enforce-eager"  # Decode optimization
        resources:
          limits:
            nvidia.com/gpu: "1"
            cpu: "8"
            memory: 64Gi

  # Prefill workload (separate pool)
  prefill:
    replicas: 2
    template:
      containers:
        - name: main
          image: vllm/vllm-openai:latest
          args:
            - "--model"
            - "/mnt/models"
            - "--enable-chunked-prefill"  # Prefill optimization
          resources:
            limits:
              nvidia.com/gpu: "2"
              cpu: "16"
              memory: 128Gi
""")
for line, parallelism in ((562, {"tensorParallelSize": 4}),
                          (575, {"dataParallelSize": 16, "dataLocalParallelSize": 8})):
    # llmisvc-configuration.md:562 and :575
    official = {562: "parallelism:\n  tensor: 4  # Split model across 4 GPUs\n",
                575: "parallelism:\n  data: 16        # 16 total replicas\n  dataLocal: 8    # 8 GPUs per node\n"}
    fragment(f"llmisvc-configuration.md:{line}", yaml.safe_dump({"workers": parallelism}), official[line])
# llmisvc-configuration.md:545 (every kind of parallelism) and :591 (expert parallelism)
fragment("llmisvc-configuration.md:545", yaml.safe_dump({"workers": {
    "tensorParallelSize": 4, "dataParallelSize": 8, "dataLocalParallelSize": 2, "expertParallel": True,
    "dataRPCPort": 8001}}), """
spec:
  parallelism:
    tensor: 4        # Tensor parallelism (TP)
    data: 8          # Data parallelism (DP)
    dataLocal: 2     # Data-local parallelism (DP-local)
    expert: true     # Expert parallelism (EP)
    dataRPCPort: 8001
""")
fragment("llmisvc-configuration.md:591", yaml.safe_dump({"workers": {
    "expertParallel": True, "dataParallelSize": 16, "dataLocalParallelSize": 8}}), """
spec:
  parallelism:
    expert: true
    data: 16
    dataLocal: 8
""")
# canary-rollout-observability.md:244 (the tracing of an example without a model, see the module docstring)
fragment("canary-rollout-observability.md:244", with_llm(tracing={
    "exporterEndpoint": "http://otel-collector.kserve.svc:4317", "sampler": "always_on"}), """
  tracing:
    exporterEndpoint: "http://otel-collector.kserve.svc:4317"
    sampler: "always_on"
""")
# kv-cache-offloading.md:132, its kvCacheOffloading where the v0.20 CRD has it (module docstring)
fragment("kv-cache-offloading.md:157", with_llm(kvCacheOffloading={
    "cpu": "10Gi", "evictionPolicy": "lru", "secondary": [{"fileSystem": {"emptyDir": {"size": "100Gi"}}}]}), """
    kvCacheOffloading:
      cpu: "10Gi"
      evictionPolicy: lru
      secondary:
        - fileSystem:
            emptyDir:
              size: "100Gi"
""")
KV_TIERS = {  # kv-cache-offloading.md:<line>: the disk tiers of `secondary:`
    63: 'secondary:\n  - fileSystem:\n      emptyDir:\n        size: "100Gi"\n',
    77: "secondary:\n  - fileSystem:\n      pvc:\n        spec:\n          storageClassName: fast-local-nvme\n"
        "          resources:\n            requests:\n              storage: 100Gi\n",
    96: "secondary:\n  - fileSystem:\n      pvc:\n        ref:\n          name: my-kv-cache-pvc   # PVC must already exist\n"
        "          path: kv-cache/          # optional subdirectory within the PVC\n",
    119: 'secondary:\n  - fileSystem:\n      emptyDir:\n        size: "200Gi"               # tier 0: fast node-local '
         "spill\n  - fileSystem:\n      pvc:\n        ref:\n          name: shared-cephfs-pvc   # tier 1: shared "
         "across replicas\n",
}
for line, tiers in KV_TIERS.items():
    fragment(f"kv-cache-offloading.md:{line}", with_llm(kvCacheOffloading={"cpu": "10Gi", **yaml.safe_load(tiers)}),
             tiers, ("spec", "kvCacheOffloading"))


@pytest.mark.parametrize("extra, official, path", FRAGMENTS)
def test_llm_documentation_fragment_is_written_field_for_field(tmp_path, extra, official, path):
    given = yaml.safe_load(textwrap.dedent(BASE))
    for key, value in yaml.safe_load(textwrap.dedent(extra)).items():
        given[key] = {**given[key], **value} if key == "llm" else value
    obj = built(tmp_path, "qwen", yaml.safe_dump(given), "LLMInferenceService")
    official = yaml.safe_load(textwrap.dedent(official))
    for key in path:  # the fragment from where the page starts it
        if set(official) == {key}:
            official = official[key]
    ours = without_ours(obj["spec"])
    for key in path[1:]:
        ours = ours[key]
    assert {k: as_stored(ours.get(k)) for k in official} == as_stored(official)


# --- Where an LLM field does not apply: one located line ------------------------------------------------

def problems(tmp_path, spec: dict) -> list[str]:
    with pytest.raises(GitopsGenError) as info:
        load_fleet(model_tree(tmp_path, spec))
    return [str(p) for p in info.value.problems]


LLM = {"serving": "llm", "storageUri": "hf://Qwen/Qwen2.5-7B-Instruct"}


@pytest.mark.parametrize("spec, expected", [
    ({**LLM, "replicas": {"min": 1, "max": 5}},
     "spec.replicas: serving: llm runs a fixed number of replicas (spec.replicas): set min = max, leave replicas "
     "out (KServe's default: 1), or add autoscaling"),
    ({**LLM, "replicas": {"min": 1, "max": 5}, "autoscaling": {"metric": "cpu", "class": "hpa"}},
     "spec.autoscaling.metric: does not apply to serving: llm"),
    ({**LLM, "replicas": {"min": 1, "max": 5}, "autoscaling": {}}, "spec.autoscaling.class: required with serving: llm"),
    ({**LLM, "replicas": {"min": 1, "max": 5}, "autoscaling": {"class": "kpa"}},
     "spec.autoscaling.class: kpa does not apply with serving: llm"),
    ({**LLM, "replicas": {"min": 1}, "autoscaling": {"class": "hpa"}}, "spec.replicas.max: required with autoscaling"),
    ({**LLM, "replicas": {"min": 1, "max": 5}, "autoscaling": {"class": "hpa", "keda": {"pollingInterval": 5}}},
     "spec.autoscaling.keda: applies to class: keda"),
    ({**LLM, "replicas": {"min": 1, "max": 5}, "autoscaling": {"class": "keda", "behavior": {}}},
     "spec.autoscaling.behavior: applies to class: hpa"),
    ({**LLM, "replicas": {"min": 1, "max": 5}, "autoscaling": {"class": "keda", "keda": {"idleReplicaCount": 1}}},
     "spec.autoscaling.keda.idleReplicaCount: must be less than replicas.min (1)"),
    ({**LLM, "llm": {"prefill": {"replicas": {"min": 1, "max": 4}}}},
     "spec.llm.prefill.replicas: serving: llm runs a fixed number of replicas"),
    ({**LLM, "llm": {"lora": {"adapters": [{"name": "a", "uri": "hf://x/a"}, {"name": "a", "uri": "hf://x/b"}]}}},
     "spec.llm.lora.adapters[1].name: adapter 'a' is listed twice"),
    ({"format": "sklearn", "storageUri": "s3://m", "autoscaling": {"variantCost": "10.0"}},
     "spec.autoscaling.variantCost: applies to serving: llm only"),
    ({**LLM, "llm": {"router": {"route": {"group": "g"}}},
      "rollout": {"strategy": "ab", "ab": {"gateway": {"name": "gw"}, "variants": [
          {"name": "a", "version": "1", "weight": 50}, {"name": "b", "version": "2", "weight": 50}]}}},
     "spec.llm.router.route.group: is set by rollout.strategy: ab"),
    ({**LLM, "workers": {"tensorParallelSize": 4, "dataRPCPort": 8001}},
     "spec.workers.dataRPCPort: applies with dataParallelSize: the port the data-parallel ranks talk on"),
    ({**LLM, "llm": {"prefill": {"workers": {"dataParallelSize": 16}}}},
     "spec.llm.prefill.workers.dataLocalParallelSize: dataParallelSize and dataLocalParallelSize go together"),
    ({"format": "huggingface", "storageUri": "pvc://models/llama", "workers": {"expertParallel": True}},
     "spec.workers.expertParallel: applies to serving: llm only (an InferenceService's workerSpec has tensor and "
     "pipeline parallelism)"),
], ids=["range-without-autoscaling", "metric", "no-class", "kpa", "no-max", "keda-with-hpa", "behavior-with-keda",
        "idle-not-below-min", "prefill-range", "adapter-twice", "wva-outside-llm", "group-with-ab",
        "rpc-port-without-data", "prefill-data-without-local", "expert-with-kserve"])
def test_llm_fields_where_they_do_not_apply_are_one_located_line(tmp_path, spec, expected):
    [line] = problems(tmp_path, spec)
    assert line.startswith("models/m.yaml:") and expected in line, line


def test_an_environments_autoscaling_does_not_reach_its_llms(tmp_path):
    # Written for the InferenceServices of the environment (a metric and a target); an LLM scales through
    # the Workload Variant Autoscaler, set on the model.
    tree = model_tree(tmp_path, {**LLM, "replicas": {"min": 2, "max": 2}})
    env = tree / "environments/dev.yaml"
    data = yaml.safe_load(env.read_text())
    data["spec"]["overrides"] = {"autoscaling": {"metric": "cpu", "target": 80}}
    env.write_text(yaml.safe_dump(data))
    (release,) = load_fleet(tree).releases
    [obj] = workload_objects(release)
    assert obj["spec"]["replicas"] == 2 and "scaling" not in obj["spec"]


# --- InferenceGraph: inferencegraph/overview.md and kserve's docs/samples/graph ----------------------------

def graph_object(tmp_path, name: str, nodes: dict, models: list[str]) -> dict:
    graph = {"apiVersion": "gitops-gen.io/v1alpha1", "kind": "Model", "metadata": {"name": name},
             "spec": {"version": "1", "serving": "graph", "graph": {"nodes": nodes}}}
    files = {"project.yaml": "apiVersion: gitops-gen.io/v1alpha1\nkind: Project\nmetadata: {name: p}\n"
                             "spec: {repoURL: 'https://git.example.com/p.git'}\n",
             "models/graph.yaml": yaml.safe_dump(graph)}
    for model in models:  # the InferenceServices the graph's steps call, in the graph's environment
        files[f"models/{model}.yaml"] = yaml.safe_dump({
            "apiVersion": "gitops-gen.io/v1alpha1", "kind": "Model", "metadata": {"name": model},
            "spec": {"version": "1", "format": "sklearn", "storageUri": f"gs://models/{model}"}})
    files["environments/dev.yaml"] = yaml.safe_dump({
        "apiVersion": "gitops-gen.io/v1alpha1", "kind": "Environment", "metadata": {"name": "dev"},
        "spec": {"namespace": "ml", "clusters": [{"name": "c1"}], "models": {m: {} for m in [name, *models]}}})
    fleet = load_fleet(build_file_tree(tmp_path / "src", files))
    [release] = [r for r in fleet.releases if r.model == name]
    [obj] = workload_objects(release)
    assert schema_errors(obj) == []
    return obj


GRAPHS = [
    # inferencegraph/overview.md:58
    pytest.param({"root": {"routerType": "Sequence", "steps": [
        {"model": "preprocessor", "name": "preprocess_step"},
        {"model": "classifier", "name": "classify", "data": "$response"},
        {"model": "text-classifier", "name": "classify_text", "condition": '[@this].#(predictions.0.class=="news")'},
        {"model": "named-entity-recognition", "name": "classify_news",
         "condition": '[@this].#(predictions.0.class=="sports")'}]}},
        ["preprocessor", "classifier", "text-classifier", "named-entity-recognition"], """
apiVersion: serving.kserve.io/v1alpha1
kind: InferenceGraph
metadata:
  name: sequential-processing-pipeline
spec:
  nodes:
    root:
      routerType: Sequence
      steps:
      - serviceName: preprocessor
        name: preprocess_step
      - serviceName: classifier
        name: classify
        data: $response
      - serviceName: text-classifier
        name: classify_text
        condition: "[@this].#(predictions.0.class==\\"news\\")"
      - serviceName: named-entity-recognition
        name: classify_news
        condition: "[@this].#(predictions.0.class==\\"sports\\")"
""", id="overview.md:58-sequence"),
    # inferencegraph/overview.md:116
    pytest.param({"root": {"routerType": "Ensemble", "steps": [
        {"model": "model-a", "name": "model_a"}, {"model": "model-b", "name": "model_b"},
        {"model": "model-c", "name": "model_c"}]}}, ["model-a", "model-b", "model-c"], """
apiVersion: serving.kserve.io/v1alpha1
kind: InferenceGraph
metadata:
  name: model-ensemble
spec:
  nodes:
    root:
      routerType: Ensemble
      steps:
      - serviceName: model-a
        name: model_a
      - serviceName: model-b
        name: model_b
      - serviceName: model-c
        name: model_c
""", id="overview.md:116-ensemble"),
    # inferencegraph/overview.md:158
    pytest.param({"root": {"routerType": "Splitter", "steps": [
        {"model": "model-a", "name": "target_a", "weight": 50}, {"model": "model-b", "name": "target_b", "weight": 30},
        {"model": "model-c", "name": "target_c", "weight": 20}]}}, ["model-a", "model-b", "model-c"], """
apiVersion: serving.kserve.io/v1alpha1
kind: InferenceGraph
metadata:
  name: traffic-splitter
spec:
  nodes:
    root:
      routerType: Splitter
      steps:
      - serviceName: model-a
        name: target_a
        weight: 50
      - serviceName: model-b
        name: target_b
        weight: 30
      - serviceName: model-c
        name: target_c
        weight: 20
""", id="overview.md:158-splitter"),
    # kserve v0.20.0: docs/samples/graph/switch.yaml (the InferenceGraph document; its URLs keep the sample's
    # domain placeholder)
    pytest.param({"root": {"routerType": "Switch", "steps": [
        {"url": "http://single-1.default.{$your-domain}/switch", "condition": "[@this].#(source==client)"},
        {"url": "http://single-2.default.{$your-domain}/switch", "condition": "instances.#(intval>10)"},
        {"url": "http://single-3.default.{$your-domain}/switch", "condition": "instances.#(strval%*red-server*)"}]}},
        [], """
apiVersion: "serving.kserve.io/v1alpha1"
kind: InferenceGraph
metadata:
  name: model-switch
spec:
  nodes:
    root:
      routerType: Switch
      steps:
      - serviceUrl: http://single-1.default.{$your-domain}/switch
        condition: "[@this].#(source==client)" #object matching
      - serviceUrl: http://single-2.default.{$your-domain}/switch
        condition: "instances.#(intval>10)" #array matching
      - serviceUrl: http://single-3.default.{$your-domain}/switch
        condition: "instances.#(strval%*red-server*)" #pattern matching
""", id="kserve-graph-switch"),
]


@pytest.mark.parametrize("nodes, models, official", GRAPHS)
def test_graph_documentation_example_is_written_field_for_field(tmp_path, nodes, models, official):
    official = yaml.safe_load(official)
    obj = graph_object(tmp_path, official["metadata"]["name"], nodes, models)
    assert obj["spec"] == official["spec"]


@pytest.mark.parametrize("nodes, expected", [
    ({"root": {"routerType": "Ensemble", "steps": [{"model": "model-a", "condition": "x"}]}},
     "spec.graph.nodes.root.steps[0].condition: applies to routerType: Switch and Sequence only"),
    ({"root": {"routerType": "Sequence", "steps": [{"model": "model-a", "url": "http://x.example.com"}]}},
     "spec.graph.nodes.root.steps[0]: give exactly one of model"),
    ({"root": {"routerType": "Ensemble", "steps": [{"model": "model-a", "mapPredictionsToInstances": True}]}},
     "spec.graph.nodes.root.steps[0].mapPredictionsToInstances: applies to routerType: Sequence only"),
])
def test_graph_step_fields_where_they_do_not_apply(tmp_path, nodes, expected):
    with pytest.raises(GitopsGenError) as info:
        graph_object(tmp_path, "g", nodes, ["model-a"])
    [line] = [str(p) for p in info.value.problems]
    assert line.startswith("models/graph.yaml:") and expected in line, line


# --- LocalModelCache: modelcache/localmodel.md ------------------------------------------------------------

CACHES = [
    # localmodel.md:100
    pytest.param("hf://meta-llama/meta-llama-3-8b-instruct",
                 {"size": "10Gi", "nodeGroups": ["workers"], "serviceAccountName": "hf-downloader"}, """
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
""", id="localmodel.md:100-service-account"),
    # localmodel.md:132
    pytest.param("hf://meta-llama/meta-llama-3-8b-instruct",
                 {"size": "10Gi", "nodeGroups": ["workers"], "storage": {"key": "hf-credentials"}}, """
apiVersion: serving.kserve.io/v1alpha1
kind: LocalModelCache
metadata:
  name: meta-llama3-8b-instruct
spec:
  sourceModelUri: "hf://meta-llama/meta-llama-3-8b-instruct"
  modelSize: 10Gi
  nodeGroups:
    - workers
  storage:
    key: hf-credentials
""", id="localmodel.md:132-storage-key"),
    # localmodel.md:150
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
""", id="localmodel.md:150-storage-s3"),
    # localmodel.md:328
    pytest.param("hf://meta-llama/meta-llama-3-8b-instruct", {"size": "10Gi", "nodeGroups": ["workers"]}, """
apiVersion: serving.kserve.io/v1alpha1
kind: LocalModelCache
metadata:
  name: meta-llama3-8b-instruct
spec:
  sourceModelUri: 'hf://meta-llama/meta-llama-3-8b-instruct'
  modelSize: 10Gi
  nodeGroups:
    - workers
""", id="localmodel.md:328"),
]


# localmodel.md:473: the namespace-scoped cache, one of the release's own objects, in its namespace.
def test_a_namespace_scoped_cache_is_the_documented_local_model_namespace_cache(tmp_path):
    official = yaml.safe_load("""
apiVersion: serving.kserve.io/v1alpha1
kind: LocalModelNamespaceCache
metadata:
  name: meta-llama3-8b-instruct
  namespace: my-team
spec:
  sourceModelUri: "hf://meta-llama/meta-llama-3-8b-instruct"
  modelSize: 10Gi
  nodeGroups:
    - workers
  serviceAccountName: hf-downloader
""")
    tree = model_tree(tmp_path, {"format": "huggingface", "storageUri": "hf://meta-llama/meta-llama-3-8b-instruct",
                                 "modelCache": {"size": "10Gi", "nodeGroups": ["workers"], "scope": "namespace",
                                                "serviceAccountName": "hf-downloader",
                                                "name": "meta-llama3-8b-instruct"}})
    files = {f.path: f.obj for f in build_fleet(load_fleet(tree))}
    assert not [path for path in files if "/_cluster/" in path]  # no cluster-scoped LocalModelCache
    [(path, obj)] = [(path, obj) for path, obj in files.items() if obj["kind"] == "LocalModelNamespaceCache"]
    assert schema_errors(obj) == []
    assert obj["apiVersion"] == official["apiVersion"] and obj["metadata"]["name"] == official["metadata"]["name"]
    [isvc] = [o for o in files.values() if o["kind"] == "InferenceService"]
    assert obj["metadata"]["namespace"] == isvc["metadata"]["namespace"]  # the release's (my-team on the page)
    assert path.rsplit("/", 1)[0] == next(p for p, o in files.items() if o is isvc).rsplit("/", 1)[0]
    assert obj["spec"] == official["spec"]


@pytest.mark.parametrize("uri, cache, official", CACHES)
def test_local_model_cache_documentation_example_is_written_field_for_field(tmp_path, uri, cache, official):
    official = yaml.safe_load(official)
    name = official["metadata"]["name"]
    tree = model_tree(tmp_path, {"format": "huggingface", "storageUri": uri,
                                 "modelCache": {**cache, "name": name}})
    files = {f.path: f.obj for f in build_fleet(load_fleet(tree))}
    obj = files[f"workloads/_cluster/c1/localmodelcache-{name}.yaml"]
    assert schema_errors(obj) == []
    assert {k: v for k, v in obj["metadata"].items() if k not in ("labels", "annotations")} == official["metadata"]
    assert obj["spec"] == official["spec"]
