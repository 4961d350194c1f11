"""serving: llm -> one KServe LLMInferenceService (serving.kserve.io/v1alpha2).

Shaped like KServe's own samples (docs/samples/llmisvc in kserve v0.20):
``model.uri`` and ``model.name``, a fixed ``replicas``, the main container
(named ``main``: KServe merges it into its vLLM template by that name, and
hands its ``args`` to ``vllm serve``), ``parallelism`` from ``workers``, and
the router as the user wrote it. An A/B test makes each variant a member of
one routing group (``router.route.group``/``weight``): KServe's documented way
to run a canary of an LLM ("Canary Rollout for LLMInferenceService").
"""
from __future__ import annotations

from typing import cast

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
    """The routing group of an A/B test's variants: the model's name."""
    return release.model if release.variant is not None else None


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


def parallelism(release: Release) -> dict:
    workers = release.spec.workers
    if workers is None:
        return {}
    out = {}
    for field, key in (("tensorParallelSize", "tensor"), ("pipelineParallelSize", "pipeline"),
                       ("dataParallelSize", "data"), ("dataLocalParallelSize", "dataLocal")):
        value = getattr(workers, field)
        if value is not None:
            out[key] = value
    return out


def is_multi_node(release: Release) -> bool:
    """Pipeline stages, or more data-parallel ranks than one node holds, run on worker pods too."""
    workers = release.spec.workers
    if workers is None:
        return False
    if (workers.pipelineParallelSize or 1) > 1:
        return True
    if workers.dataParallelSize is None:
        return False
    assert workers.dataLocalParallelSize is not None  # the two are set together (spec checks)
    return workers.dataParallelSize > workers.dataLocalParallelSize


def router(release: Release) -> dict | None:
    spec = release.spec
    given = spec.llm.router if spec.llm else None
    out: dict = {}
    if given is not None:
        for part in ("scheduler", "route", "gateway"):
            value = getattr(given, part)
            if value is not None:
                out[part] = dict(value)
    group = routing_group(release)
    if group is not None:
        assert spec.rollout.ab is not None  # a routing group is an A/B test's
        weights = {v.name: v.weight for v in spec.rollout.ab.variants}
        out["route"] = {**out.get("route", {}), "group": group, "weight": weights[cast(str, release.variant)]}
        gateway = spec.rollout.ab.gateway
        ref = {"name": gateway.name}
        if gateway.namespace:
            ref["namespace"] = gateway.namespace
        out["gateway"] = {"refs": [ref]}
    return out or None


def llm_inference_service(release: Release) -> dict:
    spec = release.spec
    body: dict = {"model": {"uri": spec.storageUri, "name": model_name(release)}}
    if spec.replicas.min is not None:
        body["replicas"] = spec.replicas.min  # = max (spec checks); omitted: KServe's default of one
    labels = pod_labels(release)
    body["labels"] = dict(sorted(labels.items()))
    if spec.annotations:
        body["annotations"] = dict(sorted(spec.annotations.items()))  # onto the vLLM pods
    par = parallelism(release)
    if par:
        body["parallelism"] = par
    pod = pods.scheduling(spec)
    if spec.serviceAccountName:
        pod["serviceAccountName"] = spec.serviceAccountName
    if spec.imagePullSecrets:
        pod["imagePullSecrets"] = [{"name": name} for name in spec.imagePullSecrets]
    body["template"] = {"containers": [main_container(release)], **pod}
    if is_multi_node(release):
        body["worker"] = {"containers": [main_container(release)], **pod}
    route = router(release)
    if route is not None:
        body["router"] = route
    metadata = meta.workload_metadata(release, annotations=spec.annotations)
    group = routing_group(release)
    if group is not None:
        metadata["labels"] = dict(sorted({**metadata["labels"], ROUTING_GROUP_LABEL: group}.items()))
    return {"apiVersion": API_VERSION, "kind": KIND, "metadata": metadata, "spec": body}
