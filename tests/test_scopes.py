"""generator/builders/schemas/scopes.json: the scope of every kind, as the upstream CRDs and Kubernetes say."""
from __future__ import annotations

import json
from importlib import resources

from generator.builders.scopes import is_cluster_scoped
from generator.builders.validation import known_kinds

SCOPES = json.loads((resources.files("generator.builders") / "schemas" / "scopes.json").read_text())


def test_every_kind_with_a_schema_has_a_scope():
    assert {f"{api} {kind}" for api, kind in known_kinds()} <= set(SCOPES)
    assert set(SCOPES.values()) == {"Namespaced", "Cluster"}


def test_cluster_scoped_kinds():
    # scope: Cluster in KServe v0.20's CRDs and in Kubernetes.
    for api_version, kind in [("serving.kserve.io/v1alpha1", "LocalModelCache"),
                              ("serving.kserve.io/v1alpha1", "ClusterServingRuntime"),
                              ("v1", "Namespace"), ("rbac.authorization.k8s.io/v1", "ClusterRole"),
                              ("storage.k8s.io/v1", "StorageClass"), ("scheduling.k8s.io/v1", "PriorityClass")]:
        assert is_cluster_scoped(api_version, kind), kind
    for api_version, kind in [("serving.kserve.io/v1alpha1", "LocalModelNamespaceCache"),
                              ("serving.kserve.io/v1alpha2", "LLMInferenceService"),
                              ("serving.kserve.io/v1alpha1", "InferenceGraph"),
                              ("serving.kserve.io/v1beta1", "InferenceService"), ("v1", "ConfigMap"),
                              ("example.com/v1", "SomethingUnknown")]:
        assert not is_cluster_scoped(api_version, kind), kind


def test_new_serving_kinds_have_schemas():
    kinds = known_kinds()
    for api_version in ("serving.kserve.io/v1alpha1", "serving.kserve.io/v1alpha2"):
        assert (api_version, "LLMInferenceService") in kinds
        assert (api_version, "LLMInferenceServiceConfig") in kinds
    for kind in ("InferenceGraph", "LocalModelCache", "LocalModelNamespaceCache"):
        assert ("serving.kserve.io/v1alpha1", kind) in kinds
