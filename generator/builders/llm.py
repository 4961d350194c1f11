"""serving: llm -> one KServe LLMInferenceService (serving.kserve.io/v1alpha2).

Shaped like KServe's own samples (docs/samples/llmisvc in kserve v0.20):
``model.uri`` and ``model.name`` (and LoRA adapters), ``baseRefs``, a fixed
``replicas`` or the Workload Variant Autoscaler's ``scaling``, the main
container (named ``main``: KServe merges it into its vLLM template by that
name, and hands its ``args`` to ``vllm serve``), ``parallelism`` from
``workers``, a ``prefill`` pool, KV-cache offloading, tracing, and the router
as the user wrote it. An A/B test makes each variant a member of one routing
group (``router.route.group``/``weight``): KServe's documented way to run a
canary of an LLM ("Canary Rollout for LLMInferenceService").
"""
from __future__ import annotations

from ..load.spec import Autoscaling, Replicas, Workers
from ..resolve.fleet import Release
from . import meta, pods

API_VERSION = "serving.kserve.io/v1alpha2"
KIND = "LLMInferenceService"
MAIN_CONTAINER = "main"
# KServe's webhook sets this label on every member of a routing group; written
# here too, so a GitOps engine does not see the webhook's label as drift.
ROUTING_GROUP_LABEL = "serving.kserve.io/routing-group"
# vLLM in KServe's LLM template serves the OpenAI API and /metrics on this port.
VLLM_PORT = 8000
# KServe labels the model server pods of an LLMInferenceService with this.
WORKLOAD_COMPONENT = {"kserve.io/component": "workload"}


def objects(release: Release) -> list[dict]:
    return [llm_inference_service(release)]


def model_name(release: Release) -> str:
    """The name clients put in requests: llm.modelName, or the Model's name (never a variant's)."""
    llm = release.spec.llm
    return llm.modelName if llm and llm.modelName else release.model


def routing_group(release: Release) -> str | None:
    """The routing group of an A/B test's variants (the model's name), or the one written in llm.router.route
    (KServe's canary by hand: several models in one group)."""
    if release.variant is not None:
        return release.model
    llm = release.spec.llm
    route = llm.router.route if llm and llm.router else None
    group = route.get("group") if route else None
    return group if isinstance(group, str) else None


def pod_labels(release: Release) -> dict[str, str]:
    """Labels KServe adds to the model server pods, so monitors can tell models, versions and variants apart.

    Not app.kubernetes.io/name: KServe selects the pods by it.
    """
    labels = {meta.PREFIX + "model": release.model}
    if meta.version_label(release.version):
        labels[meta.VERSION_LABEL] = meta.version_label(release.version)
    if release.variant is not None:
        labels[meta.VARIANT_LABEL] = release.variant
    return labels


def main_container(release: Release) -> dict:
    """Only what the spec says: KServe's template supplies the command, ports, default probes and,
    without ``image``, the vLLM image."""
    return pods.container(release.spec, name=MAIN_CONTAINER, image=release.spec.image)


def parallelism(workers: Workers | None) -> dict:
    """``workers`` (the model's, or its prefill pool's) as KServe's ``parallelism``."""
    if workers is None:
        return {}
    out = {}
    for field, key in (("tensorParallelSize", "tensor"), ("pipelineParallelSize", "pipeline"),
                       ("dataParallelSize", "data"), ("dataLocalParallelSize", "dataLocal"),
                       ("expertParallel", "expert"), ("dataRPCPort", "dataRPCPort")):
        value = getattr(workers, field)
        if value is not None:
            out[key] = value
    return out


def is_multi_node(workers: Workers | None) -> bool:
    """Pipeline stages, or more data-parallel ranks than one node holds, run on worker pods too."""
    if workers is None:
        return False
    if (workers.pipelineParallelSize or 1) > 1:
        return True
    if workers.dataParallelSize is None:
        return False
    assert workers.dataLocalParallelSize is not None  # the two are set together (spec checks)
    return workers.dataParallelSize > workers.dataLocalParallelSize


def worker_container(main: dict) -> dict:
    """A worker pod's container: the main one's settings without its probes. Workers run vLLM's engine ranks,
    with no API server to answer a probe (KServe's own worker templates have none,
    config/llmisvcconfig/*-worker-*.yaml): a liveness probe would restart them forever."""
    return {k: v for k, v in main.items() if k not in pods.PROBE_FIELDS.values()}


def router(release: Release) -> dict | None:
    spec = release.spec
    given = spec.llm.router if spec.llm else None
    out: dict = {}
    if given is not None:
        for part in ("scheduler", "route", "gateway"):
            value = getattr(given, part)
            if value is not None:
                out[part] = dict(value)
    if release.variant is not None:
        group = routing_group(release)
        assert spec.rollout.ab is not None  # a variant is an A/B test's
        weights = {v.name: v.weight for v in spec.rollout.ab.variants}
        out["route"] = {**out.get("route", {}), "group": group, "weight": weights[release.variant]}
        gateway = spec.rollout.ab.gateway
        ref = {"name": gateway.name}
        if gateway.namespace:
            ref["namespace"] = gateway.namespace
        out["gateway"] = {"refs": [ref]}
    return out or None


def scaling(replicas: Replicas, autoscaling: Autoscaling) -> dict:
    """KServe's Workload Variant Autoscaler (spec.scaling): the replica range, and what applies its
    replica counts, an HPA (class: hpa) or a KEDA ScaledObject (class: keda)."""
    out: dict = {}
    if replicas.min is not None:
        out["minReplicas"] = replicas.min  # omitted: KServe's default of one
    out["maxReplicas"] = replicas.max
    wva: dict = {}
    if autoscaling.variantCost is not None:
        wva["variantCost"] = autoscaling.variantCost
    if autoscaling.autoscalerClass == "hpa":
        wva["hpa"] = {"behavior": autoscaling.behavior} if autoscaling.behavior is not None else {}
    else:
        wva["keda"] = dict(autoscaling.keda or {})
    out["wva"] = wva
    return out


def replica_fields(replicas: Replicas, autoscaling: Autoscaling | None) -> dict:
    """``replicas`` (min = max, spec checks) or ``scaling``; KServe refuses both at once."""
    if autoscaling is not None:
        return {"scaling": scaling(replicas, autoscaling)}
    if replicas.min is not None:
        return {"replicas": replicas.min}  # omitted: KServe's default of one
    return {}


def prefill(release: Release, labels: dict, pod: dict) -> dict:
    """The prefill pool (prefill/decode disaggregation): its own replicas, container and the pod labels and
    fields of the model's pods, so monitors and schedulers treat it as the model's."""
    assert release.spec.llm is not None and release.spec.llm.prefill is not None  # asked only when set
    given = release.spec.llm.prefill
    out: dict = replica_fields(given.replicas, given.autoscaling)
    out["labels"] = labels
    annotations = pods.pod_annotations(release.spec)
    if annotations:
        out["annotations"] = annotations
    par = parallelism(given.workers)
    if par:
        out["parallelism"] = par
    container = pods.container(given, name=MAIN_CONTAINER, image=given.image)
    out["template"] = {"containers": [container], **pod}
    if is_multi_node(given.workers):
        out["worker"] = {"containers": [worker_container(container)], **pod}
    return out


def model(release: Release) -> dict:
    out: dict = {"uri": release.spec.storageUri, "name": model_name(release)}
    llm = release.spec.llm
    if llm is not None and llm.lora is not None:
        out["lora"] = llm.lora.model_dump(exclude_none=True)
    return out


def llm_inference_service(release: Release) -> dict:
    spec = release.spec
    llm = spec.llm
    body: dict = {"model": model(release)}
    if llm is not None and llm.baseRefs:
        body["baseRefs"] = [{"name": name} for name in llm.baseRefs]
    body.update(replica_fields(spec.replicas, spec.autoscaling))
    labels = pod_labels(release)
    body["labels"] = dict(sorted(labels.items()))
    annotations = pods.pod_annotations(spec)
    if annotations:
        body["annotations"] = annotations  # onto the vLLM pods
    par = parallelism(spec.workers)
    if par:
        body["parallelism"] = par
    pod = pods.pod_fields(spec)  # the worker's and prefill's pods too
    main = main_container(release)
    if len(main) > 1 or pod:  # more than its name: else KServe's template alone
        body["template"] = {"containers": [main], **pod}
    if is_multi_node(spec.workers):
        body["worker"] = {"containers": [worker_container(main)], **pod}
    if llm is not None and llm.prefill is not None:
        body["prefill"] = prefill(release, dict(sorted(labels.items())), pod)
    if llm is not None and llm.kvCacheOffloading is not None:
        body["kvCacheOffloading"] = llm.kvCacheOffloading.model_dump(exclude_none=True, exclude_defaults=True)
    if llm is not None and llm.tracing is not None:
        body["tracing"] = llm.tracing.model_dump(exclude_none=True)
    route = router(release)
    if route is not None:
        body["router"] = route
    metadata = meta.workload_metadata(release, annotations=spec.annotations)
    group = routing_group(release)
    if group is not None:
        metadata["labels"] = dict(sorted({**metadata["labels"], ROUTING_GROUP_LABEL: group}.items()))
    return {"apiVersion": API_VERSION, "kind": KIND, "metadata": metadata, "spec": body}
