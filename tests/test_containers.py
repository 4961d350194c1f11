"""The container and pod fields every serving kind with containers of ours shares: ``securityContext``,
``volumes`` and ``volumeMounts``, and variables from the downward API (``fieldEnv``, ``resourceEnv``), where
each is written (a Deployment's pod, a KServe predictor and its components, an LLM's main, worker and prefill
containers), and the one located line for each misuse. KServe's documented objects that need them are in
tests/test_kserve_examples.py and tests/test_kserve_llm_examples.py."""
from __future__ import annotations

import pytest

from generator.builders.validation import schema_errors
from generator.builders.workloads import workload_objects
from generator.errors import GitopsGenError
from generator.resolve.fleet import load_fleet
from tests.helpers import ANY, assert_lines, model_tree


def objects_of(tmp_path, spec: dict) -> dict[str, dict]:
    """The release's workload objects by kind, each checked against its upstream schema."""
    (release,) = load_fleet(model_tree(tmp_path, spec)).releases
    objects = workload_objects(release)
    for obj in objects:
        assert schema_errors(obj) == [], obj
    return {obj["kind"]: obj for obj in objects}


def problems_of(tmp_path, spec: dict) -> str:
    with pytest.raises(GitopsGenError) as info:
        objects_of(tmp_path, spec)
    return "\n".join(str(p) for p in info.value.problems)


DEPLOYMENT = {"format": "custom", "serving": "deployment", "image": "ghcr.io/acme/m:1"}
SKLEARN = {"format": "sklearn", "storageUri": "gs://kfserving-examples/models/sklearn/1.0/model"}
CUSTOM = {"format": "custom", "image": "ghcr.io/acme/m:1"}
LLM = {"serving": "llm", "storageUri": "hf://Qwen/Qwen2.5-7B-Instruct"}
HELM = {"serving": "helm", "chart": {"repo": "https://charts.example.com", "name": "vllm", "version": "1.0.0"}}

RESTRICTED = {"runAsNonRoot": True, "runAsUser": 1000, "allowPrivilegeEscalation": False,
              "readOnlyRootFilesystem": True, "capabilities": {"drop": ["ALL"]},
              "seccompProfile": {"type": "RuntimeDefault"}}
CACHE = {"name": "cache", "emptyDir": {"medium": "Memory", "sizeLimit": "1Gi"}}
WEIGHTS = {"name": "weights", "persistentVolumeClaim": {"claimName": "llm-weights", "readOnly": True}}
MOUNTS = [{"name": "cache", "mountPath": "/dev/shm"}, {"name": "weights", "mountPath": "/models", "readOnly": True}]


# --- where each field is written ----------------------------------------------------------------------------


def test_a_deployment_gets_the_security_context_volumes_and_downward_api_variables(tmp_path):
    deployment = objects_of(tmp_path, {
        **DEPLOYMENT, "env": {"LOG_LEVEL": "info"},
        "secretEnv": [{"name": "API_KEY", "secret": "m-secrets", "key": "api-key"}],
        "fieldEnv": [{"name": "POD_IP", "fieldPath": "status.podIP"},
                     {"name": "TEAM", "fieldPath": "metadata.labels['team']", "apiVersion": "v1"}],
        "resourceEnv": [{"name": "MEMORY_MB", "resource": "limits.memory", "divisor": "1Mi"}],
        "resources": {"memory": "2Gi"},
        "securityContext": RESTRICTED, "volumes": [CACHE, WEIGHTS,
                                                   {"name": "tls", "secret": {"secretName": "m-tls",
                                                                              "defaultMode": 0o440}}],
        "volumeMounts": [*MOUNTS, {"name": "tls", "mountPath": "/etc/tls", "readOnly": True}],
    })["Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["env"] == [
        {"name": "LOG_LEVEL", "value": "info"},  # plain variables sorted, then references in the order written
        {"name": "API_KEY", "valueFrom": {"secretKeyRef": {"name": "m-secrets", "key": "api-key"}}},
        {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
        {"name": "TEAM", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels['team']"}}},
        {"name": "MEMORY_MB", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}},
    ]
    assert container["securityContext"] == RESTRICTED
    assert container["volumeMounts"] == [*MOUNTS, {"name": "tls", "mountPath": "/etc/tls", "readOnly": True}]
    # A Secret volume is a reference: its name, never its data.
    assert pod["volumes"] == [CACHE, WEIGHTS, {"name": "tls", "secret": {"secretName": "m-tls", "defaultMode": 288}}]


def test_nothing_is_written_that_the_spec_does_not_say(tmp_path):
    # An empty securityContext is written as given ({}), and no volumes key appears for an empty list.
    deployment = objects_of(tmp_path, {**DEPLOYMENT, "securityContext": {}, "volumes": []})["Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    assert "volumes" not in pod and "volumeMounts" not in pod["containers"][0]
    assert pod["containers"][0]["securityContext"] == {}
    plain = objects_of(tmp_path / "plain", SKLEARN)["InferenceService"]["spec"]["predictor"]
    assert "volumes" not in plain and not {"securityContext", "volumeMounts"} & set(plain["model"])


def test_a_kserve_predictor_gets_its_volumes_and_the_model_container_its_mounts(tmp_path):
    # A ServingRuntime may bring volumes of its own: a mount may name one of them ("dshm" here).
    predictor = objects_of(tmp_path, {
        **SKLEARN, "securityContext": {"runAsUser": 1000}, "volumes": [CACHE],
        "volumeMounts": [{"name": "cache", "mountPath": "/cache"}, {"name": "dshm", "mountPath": "/dev/shm"}],
        "fieldEnv": [{"name": "NODE", "fieldPath": "spec.nodeName"}],
    })["InferenceService"]["spec"]["predictor"]
    assert predictor["volumes"] == [CACHE]
    model = predictor["model"]
    assert model["securityContext"] == {"runAsUser": 1000}
    assert model["volumeMounts"] == [{"name": "cache", "mountPath": "/cache"},
                                     {"name": "dshm", "mountPath": "/dev/shm"}]
    assert model["env"] == [{"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}]


def test_transformers_and_explainers_have_their_own_pods_and_a_collocated_one_shares_the_predictors(tmp_path):
    spec = objects_of(tmp_path, {
        **CUSTOM, "volumes": [CACHE], "volumeMounts": [{"name": "cache", "mountPath": "/cache"}],
        "transformer": {"image": "ghcr.io/acme/t:1", "collocated": True, "securityContext": {"runAsNonRoot": True},
                        "volumeMounts": [{"name": "cache", "mountPath": "/cache", "readOnly": True}]},
        "explainer": {"image": "ghcr.io/acme/e:1", "volumes": [WEIGHTS],
                      "volumeMounts": [{"name": "weights", "mountPath": "/models"}],
                      "fieldEnv": [{"name": "POD", "fieldPath": "metadata.name"}]},
    })["InferenceService"]["spec"]
    predictor, transformer = spec["predictor"]["containers"]
    assert spec["predictor"]["volumes"] == [CACHE]
    assert predictor["volumeMounts"] == [{"name": "cache", "mountPath": "/cache"}]
    assert transformer["name"] == "transformer-container"
    assert transformer["securityContext"] == {"runAsNonRoot": True}
    assert transformer["volumeMounts"] == [{"name": "cache", "mountPath": "/cache", "readOnly": True}]
    assert spec["explainer"]["volumes"] == [WEIGHTS]
    (explainer,) = spec["explainer"]["containers"]
    assert explainer["volumeMounts"] == [{"name": "weights", "mountPath": "/models"}]
    assert explainer["env"] == [{"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]


def test_an_llms_pods_get_the_volumes_and_its_main_worker_and_prefill_containers_their_fields(tmp_path):
    body = objects_of(tmp_path, {
        **LLM, "workers": {"pipelineParallelSize": 2}, "securityContext": {"runAsNonRoot": False},
        "volumes": [CACHE], "volumeMounts": [{"name": "cache", "mountPath": "/dev/shm"}],
        "llm": {"prefill": {"securityContext": {"runAsUser": 0},
                            "fieldEnv": [{"name": "VLLM_NIXL_SIDE_CHANNEL_HOST", "fieldPath": "status.podIP"}],
                            "volumeMounts": [{"name": "cache", "mountPath": "/dev/shm"}]}},
    })["LLMInferenceService"]["spec"]
    main = {"name": "main", "volumeMounts": [{"name": "cache", "mountPath": "/dev/shm"}],
            "securityContext": {"runAsNonRoot": False}}
    assert body["template"] == {"containers": [main], "volumes": [CACHE]}
    assert body["worker"] == {"containers": [main], "volumes": [CACHE]}
    assert body["prefill"]["template"] == {"containers": [{
        "name": "main",
        "env": [{"name": "VLLM_NIXL_SIDE_CHANNEL_HOST", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}],
        "volumeMounts": [{"name": "cache", "mountPath": "/dev/shm"}],
        "securityContext": {"runAsUser": 0}}], "volumes": [CACHE]}


POD_SECURITY = {"runAsNonRoot": True, "runAsUser": 1000, "fsGroup": 2000, "fsGroupChangePolicy": "OnRootMismatch",
                "seccompProfile": {"type": "RuntimeDefault"},
                "sysctls": [{"name": "net.ipv4.ip_local_port_range", "value": "1024 65535"}]}


def test_the_pods_security_context_goes_where_each_serving_kind_has_its_pods(tmp_path):
    deployment = objects_of(tmp_path / "d", {**DEPLOYMENT, "podSecurityContext": POD_SECURITY})["Deployment"]
    assert deployment["spec"]["template"]["spec"]["securityContext"] == POD_SECURITY
    assert "securityContext" not in deployment["spec"]["template"]["spec"]["containers"][0]  # the container's own
    predictor = objects_of(tmp_path / "k", {**SKLEARN, "podSecurityContext": {"fsGroup": 1000}})[
        "InferenceService"]["spec"]["predictor"]
    assert predictor["securityContext"] == {"fsGroup": 1000}
    body = objects_of(tmp_path / "l", {**LLM, "workers": {"pipelineParallelSize": 2},
                                        "podSecurityContext": {"supplementalGroups": [44], "runAsGroup": 0},
                                        "llm": {"prefill": {}}})["LLMInferenceService"]["spec"]
    for pod in (body["template"], body["worker"], body["prefill"]["template"]):
        assert pod["securityContext"] == {"runAsGroup": 0, "supplementalGroups": [44]}
    # A transformer or explainer in pods of its own takes its own; a collocated one runs in the predictor's.
    isvc = objects_of(tmp_path / "t", {**SKLEARN, "transformer": {"image": "t:1", "podSecurityContext": {"fsGroup": 7}},
                                       "explainer": {"image": "e:1"}})["InferenceService"]["spec"]
    assert isvc["transformer"]["securityContext"] == {"fsGroup": 7}
    assert "securityContext" not in isvc["explainer"] and "securityContext" not in isvc["predictor"]


def test_downward_api_and_projected_volumes_are_written_as_kubernetes_takes_them(tmp_path):
    # A workload-identity token for a cloud's STS beside the pod's labels, and the model container's memory limit.
    labels = {"name": "podinfo", "downwardAPI": {"items": [
        {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
        {"path": "mem_limit", "resourceFieldRef": {"containerName": "model", "resource": "limits.memory",
                                                   "divisor": "1Mi"}}]}}
    identity = {"name": "identity", "projected": {"defaultMode": 0o440, "sources": [
        {"serviceAccountToken": {"path": "token", "audience": "sts.amazonaws.com", "expirationSeconds": 3600}},
        {"configMap": {"name": "aws-config", "items": [{"key": "config", "path": "config"}]}},
        {"secret": {"name": "ca", "optional": True}},
        {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"fieldPath": "metadata.namespace"}}]}}]}}
    deployment = objects_of(tmp_path, {
        **DEPLOYMENT, "resources": {"memory": "2Gi"}, "volumes": [labels, identity],
        "volumeMounts": [{"name": "podinfo", "mountPath": "/etc/podinfo"},
                         {"name": "identity", "mountPath": "/var/run/identity", "readOnly": True}]})["Deployment"]
    assert deployment["spec"]["template"]["spec"]["volumes"] == [labels, {**identity, "projected": {
        **identity["projected"], "defaultMode": 288}}]


def test_an_llm_mount_may_name_a_volume_of_kserves_template(tmp_path):
    body = objects_of(tmp_path, {**LLM, "volumeMounts": [{"name": "model-cache", "mountPath": "/mnt/models"}]})
    assert body["LLMInferenceService"]["spec"]["template"] == {
        "containers": [{"name": "main", "volumeMounts": [{"name": "model-cache", "mountPath": "/mnt/models"}]}]}


# --- misuse: one located line each ---------------------------------------------------------------------------


@pytest.mark.parametrize("spec, expected", [
    ({**DEPLOYMENT, "securityContext": {"runAsNonroot": False}},
     "models/m.yaml:11: spec.securityContext.runAsNonroot: " + ANY + "(did you mean 'runAsNonRoot'?)"),
    ({**DEPLOYMENT, "securityContext": {"capabilities": {"add": ["NET_ADMIN"], "remove": ["ALL"]}}},
     "models/m.yaml:" + ANY + ": spec.securityContext.capabilities.remove: " + ANY),
    ({**DEPLOYMENT, "securityContext": {"runAsUser": -1}}, "models/m.yaml:11: spec.securityContext.runAsUser: " + ANY),
    ({**DEPLOYMENT, "securityContext": {"procMount": "unmasked"}},
     "models/m.yaml:11: spec.securityContext.procMount: " + ANY),
    ({**DEPLOYMENT, "securityContext": {"privileged": True, "allowPrivilegeEscalation": False}},
     "models/m.yaml:" + ANY + ": spec.securityContext.allowPrivilegeEscalation: cannot be false with privileged: "
     "true (a privileged container has every privilege)"),
    ({**DEPLOYMENT, "securityContext": {"runAsNonRoot": True, "runAsUser": 0}},
     "models/m.yaml:" + ANY + ": spec.securityContext.runAsUser: 0 is root, and runAsNonRoot: true: the kubelet "
     "would refuse to start the container"),
    ({**DEPLOYMENT, "securityContext": {"seccompProfile": {"type": "Localhost"}}},
     "models/m.yaml:11: spec.securityContext.seccompProfile.localhostProfile: required with type: Localhost"),
    ({**DEPLOYMENT, "securityContext": {"appArmorProfile": {"type": "RuntimeDefault", "localhostProfile": "x"}}},
     "models/m.yaml:" + ANY + ": spec.securityContext.appArmorProfile.localhostProfile: applies to type: "
     "Localhost, not RuntimeDefault"),
    ({**DEPLOYMENT, "fieldEnv": [{"name": "IP", "fieldPath": "status.podIp"}]},
     "models/m.yaml:12: spec.fieldEnv[0].fieldPath: 'status.podIp' is not a pod field: " + ANY),
    ({**DEPLOYMENT, "resourceEnv": [{"name": "M", "resource": "limits.mem"}]},
     "models/m.yaml:12: spec.resourceEnv[0].resource: 'limits.mem' is not a container resource: " + ANY),
    ({**DEPLOYMENT, "env": {"IP": "1"}, "fieldEnv": [{"name": "IP", "fieldPath": "status.podIP"}]},
     "models/m.yaml:13: spec.fieldEnv[0].name: IP is also set in env: a variable comes from one of env, "
     "secretEnv, fieldEnv and resourceEnv"),
    ({**DEPLOYMENT, "fieldEnv": [{"name": "IP", "fieldPath": "status.podIP"}, {"name": "IP", "fieldPath": "status.hostIP"}]},
     "models/m.yaml:" + ANY + ": spec.fieldEnv[1].name: IP is listed twice"),
    ({**DEPLOYMENT, "volumes": [{"name": "v", "emptyDir": {}, "configMap": {"name": "c"}}]},
     "models/m.yaml:11: spec.volumes[0]: volume 'v' needs exactly one source of emptyDir, persistentVolumeClaim, "
     "configMap, secret, hostPath, nfs, csi, ephemeral, image, downwardAPI, projected (not emptyDir and configMap)"),
    ({**DEPLOYMENT, "volumes": [{"name": "v"}]},
     "models/m.yaml:11: spec.volumes[0]: volume 'v' needs exactly one source of " + ANY),
    ({**DEPLOYMENT, "volumes": [{"name": "v", "secret": {"secretName": "s", "stringData": {"k": "v"}}}]},
     "models/m.yaml:" + ANY + ": spec.volumes[0].secret.stringData: " + ANY),
    ({**DEPLOYMENT, "volumes": [CACHE, {"name": "cache", "emptyDir": {}}]},
     "models/m.yaml:" + ANY + ": spec.volumes[1].name: cache is listed twice"),
    ({**DEPLOYMENT, "volumeMounts": [{"name": "v", "mountPath": "/x"}]},
     "models/m.yaml:11: spec.volumeMounts[0].name: no volume 'v' in volumes"),
    ({**DEPLOYMENT, "volumes": [CACHE], "volumeMounts": [{"name": "cache", "mountPath": "/x"},
                                                         {"name": "cache", "mountPath": "/x"}]},
     "models/m.yaml:" + ANY + ": spec.volumeMounts[1].mountPath: /x is mounted twice"),
    ({**SKLEARN, "volumeMounts": [{"name": "cache", "mountPath": "/x", "subPath": "../etc"}]},
     "models/m.yaml:" + ANY + ": spec.volumeMounts[0].subPath: must be a relative path inside the volume (no "
     "leading / or ..)"),
    ({**SKLEARN, "volumeMounts": [{"name": "cache", "mountPath": "/x", "subPath": "a", "subPathExpr": "$(POD)"}]},
     "models/m.yaml:" + ANY + ": spec.volumeMounts[0].subPathExpr: not with subPath: one or the other"),
    ({**SKLEARN, "volumeMounts": [{"name": "cache", "mountPath": "/x", "recursiveReadOnly": "Enabled"}]},
     "models/m.yaml:" + ANY + ": spec.volumeMounts[0].recursiveReadOnly: needs readOnly: true"),
    ({**CUSTOM, "transformer": {"image": "t:1", "volumeMounts": [{"name": "cache", "mountPath": "/x"}]}},
     "models/m.yaml:" + ANY + ": spec.transformer.volumeMounts[0].name: no volume 'cache' in volumes"),
    ({**SKLEARN, "transformer": {"image": "t:1", "collocated": True, "volumes": [CACHE]}},
     "models/m.yaml:" + ANY + ": spec.transformer.volumes: a collocated transformer runs in the predictor's pod: "
     "set it on the predictor"),
    ({**LLM, "llm": {"prefill": {"securityContext": {"privileged": True, "allowPrivilegeEscalation": False}}}},
     "models/m.yaml:" + ANY + ": spec.llm.prefill.securityContext.allowPrivilegeEscalation: cannot be false "
     "with privileged: true " + ANY),
    ({**HELM, "securityContext": {"runAsNonRoot": True}},
     "models/m.yaml:" + ANY + ": spec.securityContext: not used with serving: helm (the chart builds its own "
     "objects: set it in values)"),
    ({**HELM, "volumes": [CACHE]}, "models/m.yaml:" + ANY + ": spec.volumes: not used with serving: helm " + ANY),
    ({**HELM, "fieldEnv": [{"name": "IP", "fieldPath": "status.podIP"}]},
     "models/m.yaml:" + ANY + ": spec.fieldEnv: not used with serving: helm " + ANY),
    ({"format": "custom", "serving": "jsonnet", "component": "components/c.jsonnet",
      "volumeMounts": [{"name": "v", "mountPath": "/x"}]},
     "models/m.yaml:" + ANY + ": spec.volumeMounts: not used with serving: jsonnet (the component builds its own "
     "objects)"),
    ({"serving": "graph", "graph": {"nodes": {"root": {"routerType": "Sequence", "steps": [{"url": "http://a.example.com"}]}}},
      "securityContext": {"runAsNonRoot": True}},
     "models/m.yaml:" + ANY + ": spec.securityContext: not used with serving: graph (KServe runs its own router "
     "container)"),
    ({**DEPLOYMENT, "podSecurityContext": {"runAsNonRoot": True, "runAsUser": 0}},
     "models/m.yaml:" + ANY + ": spec.podSecurityContext.runAsUser: 0 is root, and runAsNonRoot: true: the kubelet "
     "would refuse to start the pod's containers"),
    ({**SKLEARN, "podSecurityContext": {"sysctls": [{"name": "kernel.shm_rmid_forced", "value": "1"},
                                                    {"name": "kernel.shm_rmid_forced", "value": 0}]}},
     "models/m.yaml:" + ANY + ": spec.podSecurityContext.sysctls[1].name: kernel.shm_rmid_forced is listed twice"),
    ({**DEPLOYMENT, "podSecurityContext": {"fsGroupChangePolicy": "onRootMismatch"}},
     "models/m.yaml:11: spec.podSecurityContext.fsGroupChangePolicy: " + ANY),
    ({**SKLEARN, "transformer": {"image": "t:1", "collocated": True, "podSecurityContext": {"fsGroup": 7}}},
     "models/m.yaml:" + ANY + ": spec.transformer.podSecurityContext: a collocated transformer runs in the "
     "predictor's pod: set it on the predictor"),
    ({**CUSTOM, "explainer": {"image": "e:1", "podSecurityContext": {"runAsNonRoot": True, "runAsUser": 0}}},
     "models/m.yaml:" + ANY + ": spec.explainer.podSecurityContext.runAsUser: 0 is root, and runAsNonRoot: true: "
     "the kubelet would refuse to start the pod's containers"),
    ({**DEPLOYMENT, "volumes": [{"name": "v", "projected": {"sources": [
        {"secret": {"name": "s"}, "configMap": {"name": "c"}}]}}]},
     "models/m.yaml:" + ANY + ": spec.volumes[0].projected.sources[0]: needs exactly one of secret, configMap, "
     "downwardAPI, serviceAccountToken (not secret and configMap)"),
    ({**DEPLOYMENT, "volumes": [{"name": "v", "downwardAPI": {"items": [
        {"path": "ip", "fieldRef": {"fieldPath": "status.podIP"}}]}}]},
     "models/m.yaml:" + ANY + ": spec.volumes[0].downwardAPI.items[0].fieldRef.fieldPath: " + ANY),
    ({**DEPLOYMENT, "volumes": [{"name": "v", "downwardAPI": {"items": [{"path": "x"}]}}]},
     "models/m.yaml:" + ANY + ": spec.volumes[0].downwardAPI.items[0]: needs exactly one of fieldRef and "
     "resourceFieldRef"),
    ({**DEPLOYMENT, "volumes": [{"name": "v", "projected": {"sources": [
        {"serviceAccountToken": {"path": "../token", "expirationSeconds": 60}}]}}]},
     ["models/m.yaml:" + ANY + ": spec.volumes[0].projected.sources[0].serviceAccountToken.path: '../token' is not "
      "a relative path without '..'",
      "models/m.yaml:" + ANY + ": spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: "
      + ANY]),
    ({**HELM, "podSecurityContext": {"fsGroup": 1000}},
     "models/m.yaml:" + ANY + ": spec.podSecurityContext: not used with serving: helm (the chart builds its own "
     "objects: set it in values)"),
], ids=["typo", "capabilities-typo", "negative-uid", "procmount-case", "privileged-without-escalation",
        "non-root-as-root", "localhost-without-profile", "profile-without-localhost", "field-path-typo",
        "resource-typo", "env-and-field-env", "field-env-twice", "two-sources", "no-source", "secret-data",
        "volume-twice", "mount-without-volume", "mount-path-twice", "sub-path-escapes", "sub-path-and-expr",
        "recursive-read-only-writable", "transformer-mount-without-volume", "collocated-volumes",
        "prefill-security-context", "helm-security-context", "helm-volumes", "helm-field-env",
        "jsonnet-volume-mounts", "graph-security-context", "pod-non-root-as-root", "pod-sysctl-twice",
        "pod-fs-group-policy-case", "collocated-pod-security-context", "explainer-pod-non-root-as-root",
        "projected-two-kinds", "downward-status-field", "downward-no-ref", "token-path-and-expiry",
        "helm-pod-security-context"])
def test_container_field_misuse_is_one_located_line(tmp_path, spec, expected):
    assert_lines(problems_of(tmp_path, spec), expected if isinstance(expected, list) else [expected])
