"""spec.patches: RFC 7386 merge patches and RFC 6902 JSON patches over a release's workload objects.

Lines of models/iris.yaml as the small fleet writes it (tests/helpers.py): 6 spec ... 11 resources; what a
test appends to the spec starts at line 12.
"""
from __future__ import annotations

import os

import pytest
import yaml

from generator.builders.patches import merge_patch
from tests.helpers import DEV, IRIS, PROD, assert_lines, build_file_tree, edited, small_fleet, tree_bytes

MODEL, PROD_ENV = "models/iris.yaml", "envs/prod.yaml"
TIMEOUT_PATCH = """\
      patches:
        - target: {kind: InferenceService}
          merge: {spec: {predictor: {timeout: 600}}}
"""
DEPLOYMENT_MODEL = edited(IRIS, 'format: sklearn\n      storageUri: "s3://models/iris/{{ version }}"\n'
                                "      runtime: kserve-sklearnserver",
                          'format: custom\n      serving: deployment\n      image: "ghcr.io/acme/iris:{{ version }}"', 1)


# --- RFC 7386 Appendix A: every example, as the RFC writes it ----------------------------------------

@pytest.mark.parametrize("target, patch, result", [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
])
def test_merge_patch_gives_rfc_7386s_own_results(target, patch, result):
    before = repr(target)
    assert merge_patch(target, patch) == result
    assert repr(target) == before  # the object patched is a copy: built objects may share parts


def test_merge_patch_copies_what_it_takes_from_the_patch():
    patch = {"spec": {"tolerations": [{"key": "a"}]}}
    merged = merge_patch({}, patch)
    merged["spec"]["tolerations"][0]["key"] = "changed"
    assert patch == {"spec": {"tolerations": [{"key": "a"}]}}  # the spec is shared by every cluster's release


# --- rendering ---------------------------------------------------------------------------------------

def render(tmp_path, run, **changes):
    src = build_file_tree(tmp_path / "src", {**small_fleet(), **changes})
    out = tmp_path / "out"
    result = run("render", "--source", src, "--out", out)
    assert result.exit_code == 0, result.stderr
    return src, out


def workload(out, environment, cluster, kind, name="iris"):
    return yaml.safe_load((out / "workloads" / environment / cluster / "iris" / f"{kind}-{name}.yaml").read_text())


def test_a_merge_patch_sets_what_gitops_gen_does_not_write(tmp_path, run):
    src, out = render(tmp_path, run, **{MODEL: IRIS + TIMEOUT_PATCH})
    for environment, cluster in (("dev", "dev-1"), ("prod", "prod-a"), ("prod", "prod-b")):
        isvc = workload(out, environment, cluster, "inferenceservice")
        assert isvc["spec"]["predictor"]["timeout"] == 600
        assert isvc["spec"]["predictor"]["model"]["runtime"] == "kserve-sklearnserver"  # the rest is as built
    assert run("validate", "--source", src).exit_code == 0


def test_a_json_patch_changes_a_deployment(tmp_path, run):
    model = DEPLOYMENT_MODEL + """\
      patches:
        - target: {kind: Deployment, name: iris, apiVersion: apps/v1}
          json:
            - {op: test, path: /spec/template/spec/containers/0/name, value: model}
            - {op: add, path: /spec/template/spec/priorityClassName, value: high}
            - {op: remove, path: /spec/template/spec/containers/0/livenessProbe}
"""
    _, out = render(tmp_path, run, **{MODEL: model})
    pod = workload(out, "dev", "dev-1", "deployment")["spec"]["template"]["spec"]
    assert pod["priorityClassName"] == "high"
    assert "livenessProbe" not in pod["containers"][0] and "readinessProbe" in pod["containers"][0]
    assert "priorityClassName" not in workload(out, "dev", "dev-1", "service")["spec"]  # only the target


def test_patches_in_an_environment_replace_the_models(tmp_path, run):
    prod = edited(PROD, '          version: "1.0.0"\n', '          version: "1.0.0"\n          patches:\n'
                  "            - target: {kind: InferenceService, name: iris}\n"
                  "              merge: {metadata: {annotations: {team.example.com/owner: risk}}}\n", 1)
    _, out = render(tmp_path, run, **{MODEL: IRIS + TIMEOUT_PATCH, PROD_ENV: prod})
    assert workload(out, "dev", "dev-1", "inferenceservice")["spec"]["predictor"]["timeout"] == 600
    isvc = workload(out, "prod", "prod-a", "inferenceservice")
    assert "timeout" not in isvc["spec"]["predictor"]  # lists replace: prod's patches, not the model's
    annotations = isvc["metadata"]["annotations"]
    assert annotations["team.example.com/owner"] == "risk" and "gitops-gen.io/source" in annotations


def test_a_release_without_patches_is_built_as_before(tmp_path, run):
    _, plain = render(tmp_path / "a", run)
    dev = edited(DEV, "iris: {}", "iris: {patches: []}", 1)
    _, none = render(tmp_path / "b", run, **{"envs/dev.yaml": dev})
    assert tree_bytes(plain) == tree_bytes(none)


# --- refusals: one located line, exit 1, nothing written ---------------------------------------------

def refusal(tmp_path, run, model: str, expected: list[str], **changes):
    src = build_file_tree(tmp_path / "src", small_fleet())
    out = tmp_path / "out"
    assert run("render", "--source", src, "--out", out).exit_code == 0
    before = tree_bytes(out)
    build_file_tree(src, {MODEL: model, **changes})
    for command in ("render", "validate"):
        args = [command, "--source", src] + (["--out", out] if command == "render" else [])
        result = run(*args)
        assert result.exit_code == 1, result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""
        assert_lines(result.stderr, expected, command)
    assert tree_bytes(out) == before
    assert [name for name in os.listdir(out.parent) if name.startswith(".")] == []


JSON_OP = "      patches:\n        - target: {kind: InferenceService}\n          json:\n            - %s\n"


@pytest.mark.parametrize("patch, expected", [
    pytest.param("      patches:\n        - target: {kind: Deployment}\n          merge: {spec: {paused: true}}\n",
                 ["models/iris.yaml:13: spec.patches[0]: targets no object of release dev-dev-1-iris (it has "
                  "InferenceService iris); patches apply to the release's workload objects, not to Argo CD, Flux or "
                  "cluster-scoped ones"], id="targets-nothing"),
    pytest.param("      patches:\n        - target: {kind: InferenceService, name: other}\n"
                 "          merge: {spec: {}}\n",
                 ["models/iris.yaml:13: spec.patches[0]: targets no object of release dev-dev-1-iris (it has "
                  "InferenceService iris); patches apply to the release's workload objects, not to Argo CD, Flux or "
                  "cluster-scoped ones"], id="targets-another-name"),
    pytest.param(JSON_OP % "{op: test, path: /spec/predictor/model/runtime, value: other}",
                 ["models/iris.yaml:15: spec.patches[0].json[0]: the test failed on InferenceService iris of release "
                  "dev-dev-1-iris: …"], id="test-fails"),
    pytest.param(JSON_OP % "{op: replace, path: /spec/predictor/timeout, value: 5}",
                 ["models/iris.yaml:15: spec.patches[0].json[0]: cannot replace /spec/predictor/timeout on "
                  "InferenceService iris of release dev-dev-1-iris: …"], id="replace-missing-path"),
    pytest.param(JSON_OP % "{op: remove, path: /spec/transformer}",
                 ["models/iris.yaml:15: spec.patches[0].json[0]: cannot remove /spec/transformer on "
                  "InferenceService iris of release dev-dev-1-iris: …"], id="remove-missing-path"),
    pytest.param(JSON_OP % "{op: add, path: /spec/predictor/tolerations/x, value: 1}",
                 ["models/iris.yaml:15: spec.patches[0].json[0]: cannot add /spec/predictor/tolerations/x on "
                  "InferenceService iris of release dev-dev-1-iris: …"], id="add-below-a-missing-path"),
    pytest.param(JSON_OP % "{op: replace, path: /metadata/name, value: rose}",
                 ["models/iris.yaml:13: spec.patches[0]: changes metadata.name of InferenceService iris of release "
                  "dev-dev-1-iris: it says where the object is written and who owns it (rename the model, or make "
                  "the object in a template instead)"], id="renames"),
    pytest.param("      patches:\n        - target: {kind: InferenceService}\n"
                 "          merge: {metadata: {namespace: elsewhere}}\n",
                 ["models/iris.yaml:13: spec.patches[0]: changes metadata.namespace of InferenceService iris of "
                  "release dev-dev-1-iris: it says where the object is written and who owns it (rename the model, or "
                  "make the object in a template instead)"], id="moves-namespace"),
    pytest.param("      patches:\n        - target: {kind: InferenceService}\n"
                 "          merge: {metadata: {labels: {gitops-gen.io/model: rose}}}\n",
                 ["models/iris.yaml:13: spec.patches[0]: changes metadata.labels that gitops-gen sets on "
                  "InferenceService iris of release dev-dev-1-iris (app.kubernetes.io/managed-by and gitops-gen.io/*): "
                  "add your own beside them"], id="relabels"),
    pytest.param("      patches:\n        - target: {kind: InferenceService}\n"
                 "          merge: {spec: {predictor: {timeout: soon}}}\n",
                 ["models/iris.yaml:13: spec.patches[0]: makes InferenceService iris of release dev-dev-1-iris "
                  "invalid: spec.predictor.timeout: …"], id="invalid-result"),
    pytest.param("      patches:\n        - target: {kind: InferenceService}\n"
                 "          merge: {spec: {predictor: {timeout: 1}}}\n          json: []\n",
                 ["models/iris.yaml:13: spec.patches[0]: give exactly one of merge (an RFC 7386 merge patch) and "
                  "json (an RFC 6902 list of operations)"], id="merge-and-json"),
    pytest.param(JSON_OP % "{op: add, path: /spec/predictor/timeout}",
                 ["models/iris.yaml:15: spec.patches[0].json[0].value: required for op: add"], id="add-without-value"),
    pytest.param(JSON_OP % "{op: copy, path: /spec/predictor/timeout}",
                 ["models/iris.yaml:15: spec.patches[0].json[0].from: required for op: copy"], id="copy-without-from"),
    pytest.param(JSON_OP % "{op: delete, path: /spec}",
                 ["models/iris.yaml:15: spec.patches[0].json[0].op: …"], id="unknown-op"),
    pytest.param(JSON_OP % "{op: remove, path: spec}",
                 ["models/iris.yaml:15: spec.patches[0].json[0].path: 'spec' is not a JSON pointer such as "
                  "/spec/replicas (or empty for the whole object)"], id="path-not-a-pointer"),
])
def test_a_patch_that_fails_is_one_line_at_the_patch(tmp_path, run, patch, expected):
    refusal(tmp_path, run, IRIS + patch, expected)


def test_a_patch_in_an_environment_is_reported_there(tmp_path, run):
    prod = edited(PROD, '          version: "1.0.0"\n', '          version: "1.0.0"\n          patches:\n'
                  "            - target: {kind: Service}\n              merge: {spec: {}}\n", 1)
    refusal(tmp_path, run, IRIS, ["envs/prod.yaml:21: spec.models.iris.patches[0]: targets no object of release "
                                  "prod-prod-a-iris (it has InferenceService iris); patches apply to the release's "
                                  "workload objects, not to Argo CD, Flux or cluster-scoped ones"], **{PROD_ENV: prod})


def test_a_patch_may_not_give_a_secret_values(tmp_path, run):
    model = IRIS + """\
      templates: [templates/secret.yaml.j2]
      patches:
        - target: {kind: Secret}
          merge: {stringData: {token: hunter2}}
"""
    secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: iris-config}\ntype: Opaque\n"
    refusal(tmp_path, run, model, ["models/iris.yaml:14: spec.patches[0]: a Secret must not carry values (Secret "
                                   "iris-config of release dev-dev-1-iris): secrets are references, never values; "
                                   "create the Secret with your secret manager"],
            **{"templates/secret.yaml.j2": secret})
