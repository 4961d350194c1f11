"""modelCache (a LocalModelCache) and cluster-scoped objects in general: no namespace, written once per cluster."""
from __future__ import annotations

import textwrap

import pytest
import yaml

from generator.builders.files import build_fleet
from generator.builders.validation import schema_errors
from generator.commands.render import render
from generator.errors import GitopsGenError
from generator.resolve.fleet import load_fleet
from tests.helpers import build_file_tree, edited, kustomize, small_fleet

LLAMA = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Model
    metadata: {name: llama3}
    spec:
      version: "8b"
      format: huggingface
      storageUri: "hf://meta-llama/Meta-Llama-3-8B"
      modelCache: {size: 10Gi, nodeGroups: [workers], serviceAccountName: hf-downloader, name: llama3-8b}
"""

QA = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Environment
    metadata: {name: qa}
    spec:
      namespace: ml-qa
      clusters:
        - name: dev-1
      models:
        llama3: {}
"""


def fleet_files(tmp_path, extra: dict | None = None, llama_extra: str = "") -> dict[str, dict]:
    tree = {**small_fleet(), "models/llama.yaml": LLAMA + textwrap.indent(textwrap.dedent(llama_extra), "      "),
            **(extra or {})}
    tree["envs/dev.yaml"] = edited(tree["envs/dev.yaml"], "iris: {}", "iris: {}\n        llama3: {}")
    files = {f.path: f.obj for f in build_fleet(load_fleet(build_file_tree(tmp_path / "src", tree)))}
    for path, obj in files.items():
        if obj["apiVersion"] != "kustomize.config.k8s.io/v1beta1":
            assert schema_errors(obj) == [], path
    return files


# https://github.com/kserve/kserve/blob/v0.20.0/docs/samples/localmodelcache/README.md ("Method 1: ServiceAccountName")
OFFICIAL = """\
apiVersion: serving.kserve.io/v1alpha1
kind: LocalModelCache
metadata:
  name: llama3-8b
spec:
  sourceModelUri: "hf://meta-llama/Meta-Llama-3-8B"
  modelSize: 10Gi
  nodeGroups:
    - workers
  serviceAccountName: hf-downloader  # SA with HF token secret attached
"""


def test_local_model_cache_is_kserves_sample_and_has_no_namespace(tmp_path):
    files = fleet_files(tmp_path)
    obj = files["workloads/_cluster/dev-1/localmodelcache-llama3-8b.yaml"]
    ours = {k: v for k, v in obj["metadata"].items() if k not in ("labels", "annotations")}
    assert {**obj, "metadata": ours} == yaml.safe_load(OFFICIAL)
    # Never in a release directory: every release on the cluster would apply it.
    assert not [p for p in files if p.startswith("workloads/dev/") and "localmodelcache" in p]


def test_cluster_objects_are_applied_once_per_cluster_without_a_target_namespace(tmp_path):
    files = fleet_files(tmp_path)
    flux = files["flux/clusters/dev-1/kustomization-dev-1-cluster-objects.yaml"]
    assert "targetNamespace" not in flux["spec"]
    assert flux["spec"]["path"] == "./rendered/workloads/_cluster/dev-1"
    app = files["argocd/_cluster/application-dev-1-cluster-objects.yaml"]
    assert app["spec"]["project"] == "gitops-gen-cluster-objects"
    assert "namespace" not in app["spec"]["destination"]
    project = files["argocd/_cluster/appproject-gitops-gen-cluster-objects.yaml"]
    assert project["spec"]["clusterResourceWhitelist"] == [{"group": "serving.kserve.io", "kind": "LocalModelCache"}]
    # The releases' own Kustomizations keep their targetNamespace.
    assert files["flux/clusters/dev-1/kustomization-dev-dev-1-llama3.yaml"]["spec"]["targetNamespace"] == "ml-dev"


def test_rendered_cluster_directory_builds_without_a_namespace(tmp_path):
    source = build_file_tree(tmp_path / "src", {**small_fleet(), "models/llama.yaml": LLAMA})
    dev = source / "envs/dev.yaml"
    dev.write_text(edited(dev.read_text(), "iris: {}", "iris: {}\n    llama3: {}"))
    out = tmp_path / "out"
    assert render(source, out, quiet=True) == 0
    [cache] = kustomize(out / "workloads/_cluster/dev-1")
    assert cache["kind"] == "LocalModelCache" and "namespace" not in cache["metadata"]
    # What kustomize's namespace transformer (Flux's targetNamespace) would do to it: the reason it is kept apart.
    (tmp_path / "ns").mkdir()
    (tmp_path / "ns/cache.yaml").write_bytes((out / "workloads/_cluster/dev-1/localmodelcache-llama3-8b.yaml").read_bytes())
    (tmp_path / "ns/kustomization.yaml").write_text("namespace: ml-dev\nresources: [cache.yaml]\n")
    [namespaced] = kustomize(tmp_path / "ns")
    assert namespaced["metadata"]["namespace"] == "ml-dev"


def test_environments_on_one_cluster_share_one_cache(tmp_path):
    files = fleet_files(tmp_path, {"envs/qa.yaml": QA})
    caches = [p for p in files if "localmodelcache" in p]
    assert caches == ["workloads/_cluster/dev-1/localmodelcache-llama3-8b.yaml"]
    labels = files[caches[0]]["metadata"]["labels"]
    # Two environments: no one environment label; the sources name both.
    assert "gitops-gen.io/environment" not in labels and labels["gitops-gen.io/cluster"] == "dev-1"
    assert files[caches[0]]["metadata"]["annotations"]["gitops-gen.io/source"] == \
        "envs/dev.yaml,envs/qa.yaml,models/llama.yaml,project.yaml"


def test_the_same_cache_with_different_content_is_an_error(tmp_path):
    qa = edited(QA, "llama3: {}", "llama3: {modelCache: {size: 20Gi, nodeGroups: [workers], name: llama3-8b}}")
    with pytest.raises(GitopsGenError) as info:
        fleet_files(tmp_path, {"envs/qa.yaml": qa})
    [problem] = info.value.problems
    assert "LocalModelCache llama3-8b (cluster-scoped) differs between releases dev-dev-1-llama3 and " \
           "qa-dev-1-llama3 on cluster dev-1" in str(problem)


def test_default_name_follows_the_uri(tmp_path):
    files = fleet_files(tmp_path, {"models/llama.yaml": edited(LLAMA, ", name: llama3-8b", "")})
    [cache] = [p for p in files if "localmodelcache" in p]
    assert cache.startswith("workloads/_cluster/dev-1/localmodelcache-llama3-")


def test_template_cluster_scoped_kinds_get_no_namespace(tmp_path):
    role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: '{{ model }}-reader'}\n"
    files = fleet_files(tmp_path, {"templates/role.yaml.j2": role}, llama_extra="templates: [templates/role.yaml.j2]\n")
    obj = files["workloads/_cluster/dev-1/clusterrole-llama3-reader.yaml"]
    assert "namespace" not in obj["metadata"]


def test_template_may_not_namespace_a_cluster_scoped_kind(tmp_path):
    role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r, namespace: ml-dev}\n"
    with pytest.raises(GitopsGenError) as info:
        fleet_files(tmp_path, {"templates/role.yaml.j2": role}, llama_extra="templates: [templates/role.yaml.j2]\n")
    assert "ClusterRole is cluster-scoped: leave metadata.namespace out" in str(info.value)


@pytest.mark.parametrize("model_extra, expected", [
    ("serving: deployment\nimage: ghcr.io/x:1\nformat: custom\n",
     "spec.modelCache: does not apply to serving: deployment"),
])
def test_model_cache_where_it_means_nothing_is_refused(tmp_path, model_extra, expected):
    model = edited(LLAMA, '      format: huggingface\n', "")
    tree = {**small_fleet(), "models/llama.yaml": model + textwrap.indent(model_extra, "      ")}
    tree["envs/dev.yaml"] = edited(tree["envs/dev.yaml"], "iris: {}", "iris: {}\n        llama3: {}")
    with pytest.raises(GitopsGenError) as info:
        load_fleet(build_file_tree(tmp_path / "src", tree))
    assert [p for p in info.value.problems if expected in str(p)], info.value.problems


def test_model_cache_without_a_uri_is_refused(tmp_path):
    model = edited(edited(LLAMA, '      storageUri: "hf://meta-llama/Meta-Llama-3-8B"\n', ""), "format: huggingface", "format: custom\n      image: ghcr.io/x:1")
    tree = {**small_fleet(), "models/llama.yaml": model}
    tree["envs/dev.yaml"] = edited(tree["envs/dev.yaml"], "iris: {}", "iris: {}\n        llama3: {}")
    with pytest.raises(GitopsGenError) as info:
        load_fleet(build_file_tree(tmp_path / "src", tree))
    assert [str(p) for p in info.value.problems] == [
        "models/llama.yaml:8: spec.modelCache: needs a storageUri: the cache holds what that URI points at"]
