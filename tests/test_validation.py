"""Strict schema validation of emitted Kubernetes objects (generator.builders.validation)."""

from __future__ import annotations

import copy
import json
import re
from importlib import resources

import pytest

from generator.builders.validation import known_kinds, schema_errors

SCHEMA_DIR = resources.files("generator.builders") / "schemas"

# --------------------------------------------------------------- valid objects

APPLICATION = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "Application",
    "metadata": {
        "name": "fraud-model-prod",
        "namespace": "argocd",
        "finalizers": ["resources-finalizer.argocd.argoproj.io"],
        "labels": {"app.kubernetes.io/managed-by": "gitops-gen"},
    },
    "spec": {
        "project": "ml-models",
        "source": {
            "repoURL": "https://git.example.com/platform/deploy.git",
            "targetRevision": "main",
            "path": "rendered/prod/fraud-model",
            "helm": {"valuesObject": {"replicas": 2, "nested": {"anything": [1, "x"]}}},
        },
        "destination": {"server": "https://kubernetes.default.svc", "namespace": "models-prod"},
        "syncPolicy": {
            "automated": {"prune": True, "selfHeal": True},
            "syncOptions": ["CreateNamespace=true", "ServerSideApply=true"],
            "retry": {"limit": 5, "backoff": {"duration": "5s", "factor": 2, "maxDuration": "3m"}},
        },
    },
}

KUSTOMIZATION = {
    "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
    "kind": "Kustomization",
    "metadata": {"name": "fraud-model", "namespace": "flux-system"},
    "spec": {
        "interval": "10m0s",
        "path": "./rendered/prod/fraud-model",
        "prune": True,
        "wait": True,
        "timeout": "5m",
        "sourceRef": {"kind": "GitRepository", "name": "deploy"},
        "targetNamespace": "models-prod",
        "dependsOn": [{"name": "kserve"}],
    },
}

GIT_REPOSITORY = {
    "apiVersion": "source.toolkit.fluxcd.io/v1",
    "kind": "GitRepository",
    "metadata": {"name": "deploy", "namespace": "flux-system"},
    "spec": {
        "interval": "1m",
        "url": "https://git.example.com/platform/deploy.git",
        "ref": {"branch": "main"},
        "secretRef": {"name": "git-credentials"},
    },
}

INFERENCE_SERVICE = {
    "apiVersion": "serving.kserve.io/v1beta1",
    "kind": "InferenceService",
    "metadata": {
        "name": "fraud-model",
        "namespace": "models-prod",
        "annotations": {"serving.kserve.io/deploymentMode": "RawDeployment"},
        "labels": {"app.kubernetes.io/name": "fraud-model"},
    },
    "spec": {
        "predictor": {
            "minReplicas": 1,
            "maxReplicas": 4,
            "serviceAccountName": "fraud-model",
            "model": {
                "modelFormat": {"name": "sklearn", "version": "1"},
                "runtime": "kserve-sklearnserver",
                "storageUri": "s3://models/fraud/v3",
                "resources": {
                    "requests": {"cpu": "500m", "memory": "1Gi"},
                    "limits": {"cpu": 2, "memory": "2Gi"},
                },
                "env": [{"name": "LOG_LEVEL", "value": "info"}],
            },
        }
    },
}

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "feature-api", "namespace": "models-prod", "labels": {"app": "feature-api"}},
    "spec": {
        "replicas": 2,
        "selector": {"matchLabels": {"app": "feature-api"}},
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
        "template": {
            "metadata": {"labels": {"app": "feature-api"}},
            "spec": {
                "containers": [
                    {
                        "name": "api",
                        "image": "registry.example.com/feature-api:1.4.2",
                        "ports": [{"name": "http", "containerPort": 8080}],
                        "resources": {
                            "requests": {"cpu": "100m", "memory": "128Mi"},
                            "limits": {"cpu": "1", "memory": "512Mi"},
                        },
                        "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
                    }
                ]
            },
        },
    },
}

SERVICE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "feature-api", "namespace": "models-prod"},
    "spec": {
        "selector": {"app": "feature-api"},
        "ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}],
    },
}

HPA = {
    "apiVersion": "autoscaling/v2",
    "kind": "HorizontalPodAutoscaler",
    "metadata": {"name": "feature-api", "namespace": "models-prod"},
    "spec": {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "feature-api"},
        "minReplicas": 2,
        "maxReplicas": 10,
        "metrics": [
            {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}
        ],
    },
}

ROLLOUT = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "Rollout",
    "metadata": {"name": "feature-api", "namespace": "models-prod"},
    "spec": {
        "replicas": 3,
        "revisionHistoryLimit": 2,
        "selector": {"matchLabels": {"app": "feature-api"}},
        "template": {
            "metadata": {"labels": {"app": "feature-api"}},
            "spec": {
                "containers": [
                    {
                        "name": "api",
                        "image": "registry.example.com/feature-api:1.4.2",
                        "ports": [{"containerPort": 8080}],
                        "resources": {"requests": {"cpu": "100m"}},
                    }
                ]
            },
        },
        "strategy": {
            "canary": {
                "maxSurge": "25%",
                "maxUnavailable": 0,
                "steps": [{"setWeight": 20}, {"pause": {"duration": "10m"}}, {"setWeight": 50}, {"pause": {}}],
            }
        },
    },
}

HTTP_ROUTE = {
    "apiVersion": "gateway.networking.k8s.io/v1",
    "kind": "HTTPRoute",
    "metadata": {"name": "fraud-model", "namespace": "models-prod"},
    "spec": {
        "parentRefs": [{"name": "public", "namespace": "gateway-system"}],
        "hostnames": ["fraud.models.example.com"],
        "rules": [
            {
                "matches": [{"path": {"type": "PathPrefix", "value": "/v1/models"}}],
                "backendRefs": [{"name": "fraud-model-predictor", "port": 80, "weight": 100}],
            }
        ],
    },
}

SERVICE_MONITOR = {
    "apiVersion": "monitoring.coreos.com/v1",
    "kind": "ServiceMonitor",
    "metadata": {"name": "feature-api", "namespace": "models-prod", "labels": {"release": "prometheus"}},
    "spec": {
        "selector": {"matchLabels": {"app": "feature-api"}},
        "endpoints": [{"port": "http", "path": "/metrics", "interval": "30s"}],
        "namespaceSelector": {"matchNames": ["models-prod"]},
    },
}

PROMETHEUS_RULE = {
    "apiVersion": "monitoring.coreos.com/v1",
    "kind": "PrometheusRule",
    "metadata": {"name": "fraud-model", "namespace": "models-prod"},
    "spec": {
        "groups": [
            {
                "name": "fraud-model.rules",
                # Upstream pattern '^(?i)(abort|warn)?$' is RE2-only; the derived one is Python's.
                "partial_response_strategy": "Warn",
                "rules": [
                    {
                        "alert": "FraudModelHighLatency",
                        "expr": 'histogram_quantile(0.99, sum(rate(request_duration_seconds_bucket{model="fraud"}[5m])) by (le)) > 0.5',
                        "for": "10m",
                        "labels": {"severity": "warning"},
                        "annotations": {"summary": "p99 latency above 500ms"},
                    },
                    {"record": "fraud:requests:rate5m", "expr": "sum(rate(requests_total[5m]))"},
                ],
            }
        ]
    },
}

VALID = {
    "Application": APPLICATION,
    "Kustomization": KUSTOMIZATION,
    "GitRepository": GIT_REPOSITORY,
    "InferenceService": INFERENCE_SERVICE,
    "Deployment": DEPLOYMENT,
    "Service": SERVICE,
    "HorizontalPodAutoscaler": HPA,
    "Rollout": ROLLOUT,
    "HTTPRoute": HTTP_ROUTE,
    "ServiceMonitor": SERVICE_MONITOR,
    "PrometheusRule": PROMETHEUS_RULE,
}


def mutated(obj: dict, path: str, value=None, *, delete: bool = False) -> dict:
    """Deep copy of obj with the dotted path ('a.b.0.c') set to value (or deleted)."""
    out = copy.deepcopy(obj)
    *parents, last = path.split(".")
    node = out
    for p in parents:
        node = node[int(p)] if isinstance(node, list) else node[p]
    key = int(last) if isinstance(node, list) else last
    if delete:
        del node[key]
    else:
        node[key] = value
    return out


@pytest.mark.parametrize("name", sorted(VALID))
def test_realistic_objects_are_valid(name):
    assert schema_errors(VALID[name]) == []


def test_known_kinds_cover_what_the_tool_emits():
    kinds = known_kinds()
    for obj in VALID.values():
        assert (obj["apiVersion"], obj["kind"]) in kinds
    for pair in [
        ("argoproj.io/v1alpha1", "ApplicationSet"),
        ("argoproj.io/v1alpha1", "AppProject"),
        ("source.toolkit.fluxcd.io/v1", "OCIRepository"),
        ("source.toolkit.fluxcd.io/v1", "HelmRepository"),
        ("helm.toolkit.fluxcd.io/v2", "HelmRelease"),
        ("serving.kserve.io/v1alpha1", "ServingRuntime"),
        ("serving.kserve.io/v1alpha1", "ClusterServingRuntime"),
        ("flagger.app/v1beta1", "Canary"),
        ("monitoring.coreos.com/v1", "PodMonitor"),
        ("v1", "ConfigMap"),
        ("v1", "Secret"),
        ("v1", "ServiceAccount"),
        ("v1", "Namespace"),
        ("v1", "PersistentVolumeClaim"),
        ("apps/v1", "StatefulSet"),
        ("apps/v1", "DaemonSet"),
        ("policy/v1", "PodDisruptionBudget"),
        ("networking.k8s.io/v1", "NetworkPolicy"),
        ("networking.k8s.io/v1", "Ingress"),
        ("batch/v1", "Job"),
        ("batch/v1", "CronJob"),
        ("rbac.authorization.k8s.io/v1", "Role"),
        ("rbac.authorization.k8s.io/v1", "RoleBinding"),
        ("rbac.authorization.k8s.io/v1", "ClusterRole"),
        ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ]:
        assert pair in kinds
    assert isinstance(kinds, set)


# ------------------------------------------------------------- unknown fields


@pytest.mark.parametrize(
    "obj, path, expected",
    [
        (DEPLOYMENT, "specs", "specs: unknown field"),
        (DEPLOYMENT, "spec.replica", "spec.replica: unknown field"),
        (DEPLOYMENT, "spec.template.spec.containers.0.imagePullPolicyy",
         "spec.template.spec.containers[0].imagePullPolicyy: unknown field"),
        (DEPLOYMENT, "spec.template.spec.containers.0.ports.0.contanerPort",
         "spec.template.spec.containers[0].ports[0].contanerPort: unknown field"),
        (INFERENCE_SERVICE, "spec.predictor.foo", "spec.predictor.foo: unknown field"),
        (INFERENCE_SERVICE, "spec.predictor.model.storageURI",
         "spec.predictor.model.storageURI: unknown field"),
        (INFERENCE_SERVICE, "spec.predictor.model.modelFormat.nmae",
         "spec.predictor.model.modelFormat.nmae: unknown field"),
        (APPLICATION, "spec.syncPolicy.automated.prunee", "spec.syncPolicy.automated.prunee: unknown field"),
        (KUSTOMIZATION, "spec.sourceRef.nmae", "spec.sourceRef.nmae: unknown field"),
        (GIT_REPOSITORY, "spec.ref.branchh", "spec.ref.branchh: unknown field"),
        (SERVICE, "spec.ports.0.targetport", "spec.ports[0].targetport: unknown field"),
        (ROLLOUT, "spec.strategy.canary.steps.0.setWeigth", "spec.strategy.canary.steps[0].setWeigth: unknown field"),
        (HTTP_ROUTE, "spec.rules.0.backendRefs.0.prot", "spec.rules[0].backendRefs[0].prot: unknown field"),
        (PROMETHEUS_RULE, "spec.groups.0.rules.0.duration", "spec.groups[0].rules[0].duration: unknown field"),
    ],
)
def test_misspelled_field_gives_exactly_one_error_with_its_path(obj, path, expected):
    assert schema_errors(mutated(obj, path, "x")) == [expected]


def test_preserve_unknown_fields_stays_open():
    # helm.valuesObject is x-kubernetes-preserve-unknown-fields: anything goes there.
    obj = mutated(APPLICATION, "spec.source.helm.valuesObject.whatever", {"deep": {"er": [None, 1.5]}})
    assert schema_errors(obj) == []


def test_several_problems_are_sorted_and_one_line_each():
    obj = mutated(INFERENCE_SERVICE, "spec.predictor.zzz", 1)
    obj = mutated(obj, "spec.predictor.aaa", 1)
    obj = mutated(obj, "metadata.bogus", 1)
    errors = schema_errors(obj)
    assert errors == [
        "metadata.bogus: unknown field",
        "spec.predictor.aaa: unknown field",
        "spec.predictor.zzz: unknown field",
    ]


# ------------------------------------------------------------------ wrong types


@pytest.mark.parametrize(
    "obj, path, value, prefix",
    [
        (DEPLOYMENT, "spec.replicas", "two", "spec.replicas: 'two' "),
        (KUSTOMIZATION, "spec.prune", "yes", "spec.prune: 'yes' "),
        (INFERENCE_SERVICE, "spec.predictor.minReplicas", "one", "spec.predictor.minReplicas: "),
        (HPA, "spec.metrics.0.resource.target.averageUtilization", "70%",
         "spec.metrics[0].resource.target.averageUtilization: "),
        (APPLICATION, "spec.syncPolicy.syncOptions", "CreateNamespace=true", "spec.syncPolicy.syncOptions: "),
        (SERVICE_MONITOR, "spec.endpoints.0.interval", "30 seconds", "spec.endpoints[0].interval: "),
    ],
)
def test_wrong_type_or_format_names_the_path(obj, path, value, prefix):
    errors = schema_errors(mutated(obj, path, value))
    assert len(errors) == 1, errors
    assert errors[0].startswith(prefix), errors


def test_bad_quantity_is_reported_with_the_container_path():
    obj = mutated(DEPLOYMENT, "spec.template.spec.containers.0.resources.limits.cpu", "abc")
    (error,) = schema_errors(obj)
    assert error.startswith("spec.template.spec.containers[0].resources.limits.cpu: 'abc' ")
    obj = mutated(INFERENCE_SERVICE, "spec.predictor.model.resources.limits.memory", "lots")
    (error,) = schema_errors(obj)
    assert error.startswith("spec.predictor.model.resources.limits.memory: 'lots' ")


def test_huge_values_are_truncated():
    obj = mutated(DEPLOYMENT, "spec.replicas", {"k" * 500: "v" * 5000})
    (error,) = schema_errors(obj)
    assert error.startswith("spec.replicas: ")
    assert len(error) < 300 and "\n" not in error


# -------------------------------------------------------------- required fields


def test_missing_required_field_is_reported():
    obj = mutated(KUSTOMIZATION, "spec.sourceRef", delete=True)
    assert schema_errors(obj) == ["spec.sourceRef: required field is missing"]
    obj = mutated(DEPLOYMENT, "spec.template.spec.containers.0.name", delete=True)
    assert schema_errors(obj) == ["spec.template.spec.containers[0].name: required field is missing"]
    obj = mutated(INFERENCE_SERVICE, "spec.predictor", delete=True)
    assert schema_errors(obj) == ["spec.predictor: required field is missing"]


# -------------------------------------------------------------------- metadata


@pytest.mark.parametrize("name", ["InferenceService", "Application", "Kustomization", "Deployment", "Service"])
def test_metadata_is_strict_object_meta(name):
    obj = mutated(VALID[name], "metadata.labelz", {"a": "b"})
    assert schema_errors(obj) == ["metadata.labelz: unknown field"]
    obj = mutated(VALID[name], "metadata.labels", {"app.kubernetes.io/part-of": 3})
    (error,) = schema_errors(obj)
    assert error.startswith('metadata.labels["app.kubernetes.io/part-of"]: 3 ')


# ---------------------------------------------------------- apiVersion and kind


def test_unknown_kind_has_no_schema():
    assert schema_errors({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}) == [
        "no schema for example.com/v1 Widget"
    ]
    # The file name is lower-cased; the kind is still matched exactly.
    assert schema_errors({"apiVersion": "apps/v1", "kind": "deployment"}) == ["no schema for apps/v1 deployment"]
    # A served version we have no schema for.
    assert schema_errors({"apiVersion": "apps/v1beta1", "kind": "Deployment"}) == [
        "no schema for apps/v1beta1 Deployment"
    ]
    assert schema_errors({"kind": "Deployment"}) == ["no schema for None Deployment"]


# ---------------------------------------------------------------- int-or-string


@pytest.mark.parametrize("value", [8080, "http"])
def test_int_or_string_accepts_both(value):
    assert schema_errors(mutated(SERVICE, "spec.ports.0.targetPort", value)) == []
    assert schema_errors(mutated(SERVICE_MONITOR, "spec.endpoints.0.targetPort", value)) == []
    assert schema_errors(mutated(ROLLOUT, "spec.strategy.canary.maxSurge", value)) == []


def test_int_or_string_rejects_other_types():
    (error,) = schema_errors(mutated(SERVICE, "spec.ports.0.targetPort", [80]))
    assert error.startswith("spec.ports[0].targetPort: ")
    (error,) = schema_errors(mutated(ROLLOUT, "spec.strategy.canary.maxSurge", {"n": 1}))
    assert error.startswith("spec.strategy.canary.maxSurge: ")


# ------------------------------------------------------------ the schema files


def _schema_files():
    # scopes.json is the kinds' scopes, not a schema (tests/test_scopes.py).
    return sorted((e for e in SCHEMA_DIR.iterdir() if e.name.endswith(".json") and e.name != "scopes.json"),
                  key=lambda e: e.name)


def test_schema_files_exist_and_sources_are_documented():
    names = [e.name for e in _schema_files()]
    assert "serving.kserve.io_v1beta1_inferenceservice.json" in names
    assert "core_v1_service.json" in names
    assert "apps_v1_deployment.json" in names
    sources = (SCHEMA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    assert "derive_schemas.py" in sources
    # No machine paths (absolute paths, an installed package's location) in committed files.
    assert "site-packages" not in sources
    assert not re.search(r"(^|[\s`(])/[A-Za-z]", sources, re.M)


@pytest.mark.parametrize("entry", _schema_files(), ids=lambda e: e.name)
def test_schema_file_is_a_valid_pinned_json_schema(entry):
    from jsonschema import validators

    text = entry.read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    # Compact, sorted: regenerating gives byte-identical files.
    assert text == json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    validators.validator_for(schema).check_schema(schema)
    api_version = schema["properties"]["apiVersion"]["const"]
    kind = schema["properties"]["kind"]["const"]
    group, _, version = api_version.rpartition("/")
    assert entry.name == f"{group or 'core'}_{version}_{kind.lower()}.json"
    assert {"apiVersion", "kind"} <= set(schema["required"])
    assert schema["additionalProperties"] is False
    assert '"description":"' not in text  # stripped (a *field* may still be called description)
