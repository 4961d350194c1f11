"""serving: graph: an InferenceGraph whose steps call other models of the same environment and cluster."""
from __future__ import annotations

import textwrap

import pytest
import yaml

from generator.builders.validation import schema_errors
from generator.builders.workloads import workload_objects
from generator.errors import GitopsGenError
from generator.resolve.fleet import load_fleet
from tests.helpers import build_file_tree, edited, small_fleet

XGB = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Model
    metadata: {name: xgboost-iris}
    spec:
      version: "1"
      format: xgboost
      storageUri: "gs://kfserving-examples/models/xgboost/iris"
"""
SKL = edited(edited(edited(XGB, "xgboost-iris", "sklearn-iris"), "format: xgboost", "format: sklearn"), "models/xgboost/iris", "models/sklearn/1.0/model")


def graph_fleet(tmp_path, nodes: str, dev_models: str = "sklearn-iris: {}\n        xgboost-iris: {}"):
    graph = ("apiVersion: gitops-gen.io/v1alpha1\nkind: Model\nmetadata: {name: model-chainer}\nspec:\n"
             "  version: \"1\"\n  serving: graph\n  graph:\n    nodes:\n" + textwrap.indent(textwrap.dedent(nodes), "      "))
    tree = {**small_fleet(), "models/xgb.yaml": XGB, "models/skl.yaml": SKL, "models/graph.yaml": graph}
    tree["envs/dev.yaml"] = edited(tree["envs/dev.yaml"], "iris: {}", f"iris: {{}}\n        model-chainer: {{}}\n        {dev_models}")
    return load_fleet(build_file_tree(tmp_path / "src", tree))


def graph_object(tmp_path, nodes: str) -> dict:
    fleet = graph_fleet(tmp_path, nodes)
    [release] = [r for r in fleet.releases if r.model == "model-chainer"]
    [obj] = workload_objects(release)
    assert schema_errors(obj) == []
    return obj


def without_ours(obj: dict) -> dict:
    """The object minus what gitops-gen adds to every object: labels, annotations, the release's namespace."""
    metadata = {k: v for k, v in obj["metadata"].items() if k not in ("labels", "annotations", "namespace")}
    return {**obj, "metadata": metadata}


# https://github.com/kserve/kserve/blob/v0.20.0/docs/samples/graph/sequence.yaml (the InferenceGraph document)
SEQUENCE = """\
apiVersion: serving.kserve.io/v1alpha1
kind: InferenceGraph
metadata:
  name: model-chainer
spec:
  nodes:
    root:
      routerType: Sequence
      steps:
        - serviceName: sklearn-iris
        - serviceName: xgboost-iris
          data: $request
"""

# https://github.com/kserve/kserve/blob/v0.20.0/docs/samples/graph/ensemble.yaml (name changed to this model's)
ENSEMBLE = """\
apiVersion: serving.kserve.io/v1alpha1
kind: InferenceGraph
metadata:
  name: model-chainer
spec:
  nodes:
    root:
      routerType: Ensemble
      steps:
        - serviceName: sklearn-iris
          name: sklearn-iris
        - serviceName: xgboost-iris
          name: xgboost-iris
"""

# https://github.com/kserve/kserve/blob/v0.20.0/docs/samples/graph/splitter.yaml (name changed to this model's)
SPLITTER = """\
apiVersion: serving.kserve.io/v1alpha1
kind: InferenceGraph
metadata:
  name: model-chainer
spec:
  nodes:
    root:
      routerType: Splitter
      steps:
        - serviceName: sklearn-iris
          weight: 20
        - serviceName: xgboost-iris
          weight: 80
"""


@pytest.mark.parametrize("nodes, official", [
    ("root:\n  routerType: Sequence\n  steps: [{model: sklearn-iris}, {model: xgboost-iris, data: $request}]\n",
     SEQUENCE),
    ("root:\n  routerType: Ensemble\n  steps: [{model: sklearn-iris, name: sklearn-iris},\n"
     "          {model: xgboost-iris, name: xgboost-iris}]\n", ENSEMBLE),
    ("root:\n  routerType: Splitter\n  steps: [{model: sklearn-iris, weight: 20}, {model: xgboost-iris, weight: 80}]\n",
     SPLITTER),
], ids=["sequence", "ensemble", "splitter"])
def test_graph_is_kserves_sample(tmp_path, nodes, official):
    obj = graph_object(tmp_path, nodes)
    assert without_ours(obj) == yaml.safe_load(official)
    assert obj["metadata"]["namespace"] == "ml-dev"
    # Pinned as on every KServe object of ours: the default differs between installs.
    assert obj["metadata"]["annotations"]["serving.kserve.io/deploymentMode"] == "Standard"


def test_nodes_hand_over_to_nodes(tmp_path):
    obj = graph_object(tmp_path, "root:\n  routerType: Sequence\n  steps: [{model: sklearn-iris}, {node: pick}]\n"
                                 "pick:\n  routerType: Switch\n  steps: [{model: xgboost-iris, condition: "
                                 "'instances.#(intval>10)', dependency: Hard}]\n")
    assert obj["spec"]["nodes"]["root"]["steps"][1] == {"nodeName": "pick"}
    assert obj["spec"]["nodes"]["pick"]["steps"] == [
        {"serviceName": "xgboost-iris", "condition": "instances.#(intval>10)", "dependency": "Hard"}]


def problems(tmp_path, nodes: str, **kwargs) -> list[str]:
    with pytest.raises(GitopsGenError) as info:
        graph_fleet(tmp_path, nodes, **kwargs)
    return [str(p) for p in info.value.problems]


def test_a_step_naming_a_model_not_in_the_environment_is_an_error_at_its_line(tmp_path):
    [line] = problems(tmp_path, "root:\n  routerType: Sequence\n  steps:\n    - {model: sklearn-iris}\n"
                                "    - {model: xgboost-iris}\n", dev_models="sklearn-iris: {}")
    assert line.startswith("models/graph.yaml:13: spec.graph.nodes.root.steps[1].model: ")
    assert "'xgboost-iris' does not run in environment 'dev' on cluster 'dev-1'" in line


def test_a_step_must_call_an_inference_service(tmp_path):
    # The graph itself runs in dev, but as an InferenceGraph, not an InferenceService.
    [line] = problems(tmp_path, "root:\n  routerType: Sequence\n  steps: [{model: model-chainer}]\n")
    assert "spec.graph.nodes.root.steps[0].model" in line and "serving: graph" in line


@pytest.mark.parametrize("nodes, expected", [
    ("first:\n  routerType: Sequence\n  steps: [{model: sklearn-iris}]\n", "spec.graph.nodes: needs a node named root"),
    ("root:\n  routerType: Splitter\n  steps: [{model: sklearn-iris, weight: 20}, {model: xgboost-iris, weight: 70}]\n",
     "weights add up to 100, not 90"),
    ("root:\n  routerType: Sequence\n  steps: [{model: sklearn-iris, node: root}]\n", "exactly one of model"),
    ("root:\n  routerType: Sequence\n  steps: [{node: nowhere}]\n", "no node 'nowhere'"),
    ("root:\n  routerType: Sequence\n  steps: [{model: sklearn-iris, weight: 10}]\n", "Splitter only"),
])
def test_bad_graphs_are_one_located_line(tmp_path, nodes, expected):
    lines = problems(tmp_path, nodes)
    assert len(lines) == 1 and expected in lines[0] and lines[0].startswith("models/graph.yaml:")


def test_graph_fields_need_serving_graph(tmp_path):
    tree = {**small_fleet()}
    tree["models/iris.yaml"] += "      graph: {nodes: {root: {routerType: Sequence, steps: [{model: x}]}}}\n"
    with pytest.raises(GitopsGenError) as info:
        load_fleet(build_file_tree(tmp_path / "src", tree))
    assert [str(p) for p in info.value.problems] == [
        "models/iris.yaml:12: spec.graph: applies to serving: graph only (this model has serving: kserve)"]
