"""Rolling out cluster by cluster: ApplicationSets with RollingSync steps, and Flux dependsOn between waves."""
from __future__ import annotations

import copy
import json
import re
import subprocess

import pytest
import yaml

from generator.builders.argocd import application
from generator.builders.files import build_fleet
from generator.builders.validation import schema_errors
from generator.emit.serialize import file_contents
from generator.emit.tree import render_tree
from generator.resolve.fleet import load_fleet
from tests.helpers import IRIS, PROJECT, build_file_tree, edited, kubectl, small_fleet

# Four clusters in three waves, one reached from the Flux hub per wave and one with its own Flux.
STAGED = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Environment
    metadata: {name: staged}
    spec:
      namespace: ml-staged
      clusters:
        - name: own-flux
          server: https://own.example.com:6443
          wave: 0
        - name: hub-b
          server: https://hub-b.example.com:6443
          kubeConfigSecret: hub-b-kubeconfig
          labels: {region: us, gitops-gen.io/cluster: spoofed}
          wave: 1
        - name: hub-a
          server: https://hub-a.example.com:6443
          kubeConfigSecret: hub-a-kubeconfig
          labels: {region: eu}
          wave: 1
        - name: hub-c
          server: https://hub-c.example.com:6443
          kubeConfigSecret: hub-c-kubeconfig
          wave: 5
      models:
        iris: {}
        other: {}
"""

OTHER = edited(edited(IRIS, "name: iris", "name: other"), "/iris/", "/other/")


def staged_fleet(tmp_path, mode="rendered", application_sets=True):
    project = edited(PROJECT, "promotion: [dev, prod]", "promotion: [dev, prod]\n      argocd:\n"
                              f"        mode: {mode}\n        applicationSets: {str(application_sets).lower()}")
    files = {**small_fleet(), "project.yaml": project, "envs/staged.yaml": STAGED, "models/other.yaml": OTHER}
    return load_fleet(build_file_tree(tmp_path / "src", files))


def objects_of_kind(files, kind):
    return {f.path: f.obj for f in files if f.obj["kind"] == kind}


def expand(application_set: dict, element: dict) -> dict:
    """What Argo CD's ApplicationSet controller makes of one element, for the few Go templates we emit."""
    def render(text: str) -> str:
        def value(match):
            expr = match.group(1).strip()
            if expr.startswith("toJson ."):
                return json.dumps(element[expr[len("toJson ."):]], separators=(",", ":"), sort_keys=True)
            assert expr.startswith("."), expr
            return str(element[expr[1:]])  # KeyError = missingkey=error
        return re.sub(r"\{\{(.*?)\}\}", value, text)

    def walk(node):
        if isinstance(node, dict):
            return {render(k): walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return render(node) if isinstance(node, str) else node

    template = walk(copy.deepcopy(application_set["spec"]["template"]))
    app = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
           "metadata": {**template["metadata"], "namespace": application_set["metadata"]["namespace"]},
           "spec": template["spec"]}
    if "templatePatch" in application_set["spec"]:
        patch = yaml.safe_load(render(application_set["spec"]["templatePatch"]))
        app["metadata"]["labels"] = {**app["metadata"]["labels"], **patch["metadata"]["labels"]}
    return app


@pytest.mark.parametrize("mode", ["rendered", "plugin"])
def test_one_application_set_per_environment_and_model_generates_each_release_application(tmp_path, mode):
    fleet = staged_fleet(tmp_path, mode=mode)
    files = build_fleet(fleet)
    assert objects_of_kind(files, "Application") == {}
    sets = objects_of_kind(files, "ApplicationSet")
    pairs = {(r.environment.name, r.model) for r in fleet.releases}
    assert sorted(sets) == sorted(f"argocd/{env}/applicationset-{env}-{model}.yaml" for env, model in pairs)
    for path, obj in sets.items():
        assert schema_errors(obj) == [], path
        spec = obj["spec"]
        assert spec["goTemplate"] is True and spec["goTemplateOptions"] == ["missingkey=error"]
        assert spec["syncPolicy"] == {"preserveResourcesOnDeletion": True}
        labels = obj["metadata"]["labels"]
        env, model = labels["gitops-gen.io/environment"], labels["gitops-gen.io/model"]
        releases = {r.cluster.name: r for r in fleet.releases if (r.environment.name, r.model) == (env, model)}
        [generator] = spec["generators"]
        elements = generator["list"]["elements"]
        assert sorted(e["name"] for e in elements) == sorted(releases)  # exactly that environment's clusters
        for element in elements:
            release = releases[element["name"]]
            generated = expand(obj, element)
            # The very Application gitops-gen writes without ApplicationSets, except that deleting the
            # ApplicationSet must not cascade into workloads (no resources finalizer).
            expected = application(fleet, release)
            del expected["metadata"]["finalizers"]
            assert generated == expected
            assert schema_errors(generated) == []
            assert element["server"] == release.cluster.server and element["wave"] == release.cluster.wave


def test_rolling_sync_steps_follow_waves_and_select_each_waves_clusters(tmp_path):
    files = build_fleet(staged_fleet(tmp_path))
    staged = objects_of_kind(files, "ApplicationSet")["argocd/staged/applicationset-staged-iris.yaml"]
    assert staged["spec"]["strategy"] == {"type": "RollingSync", "rollingSync": {"steps": [
        {"matchExpressions": [{"key": "gitops-gen.io/cluster", "operator": "In", "values": ["own-flux"]}]},
        {"matchExpressions": [{"key": "gitops-gen.io/cluster", "operator": "In", "values": ["hub-a", "hub-b"]}]},
        {"matchExpressions": [{"key": "gitops-gen.io/cluster", "operator": "In", "values": ["hub-c"]}]},
    ]}}
    # Each generated Application carries the label its step selects on, and never a cluster's spoofed copy.
    for element in staged["spec"]["generators"][0]["list"]["elements"]:
        assert expand(staged, element)["metadata"]["labels"]["gitops-gen.io/cluster"] == element["name"]
    # prod: two clusters in waves 0 and 1 -> two steps; dev: one cluster, one wave -> no strategy at all.
    prod = objects_of_kind(files, "ApplicationSet")["argocd/prod/applicationset-prod-iris.yaml"]
    assert [s["matchExpressions"][0]["values"] for s in prod["spec"]["strategy"]["rollingSync"]["steps"]] \
        == [["prod-a"], ["prod-b"]]
    dev = objects_of_kind(files, "ApplicationSet")["argocd/dev/applicationset-dev-iris.yaml"]
    assert "strategy" not in dev["spec"]
    assert "templatePatch" not in dev["spec"]  # dev's cluster has no labels to copy


def test_application_set_folders_build_with_kustomize(tmp_path):
    fleet = staged_fleet(tmp_path)
    out = tmp_path / "out"
    render_tree(file_contents(build_fleet(fleet)), out)
    for env in ("dev", "prod", "staged"):
        done = subprocess.run([kubectl(), "kustomize", str(out / "argocd" / env)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        kinds = sorted(d["kind"] for d in yaml.safe_load_all(done.stdout) if d)
        models = 2 if env == "staged" else 1
        assert kinds == ["AppProject"] + ["ApplicationSet"] * models


def test_flux_hub_kustomizations_depend_on_the_previous_hub_wave(tmp_path):
    files = build_fleet(staged_fleet(tmp_path, application_sets=False))
    kustomizations = {obj["metadata"]["name"]: (path, obj)
                      for path, obj in objects_of_kind(files, "Kustomization").items()
                      if obj["apiVersion"].startswith("kustomize.toolkit.fluxcd.io")}

    def depends(name):
        """What a release waits for besides its cluster's namespaces, which every release waits for first."""
        cluster = kustomizations[name][1]["metadata"]["labels"]["gitops-gen.io/cluster"]
        first, *rest = kustomizations[name][1]["spec"]["dependsOn"]
        assert first == {"name": f"namespaces.{cluster}"}
        return rest or None

    # Wave 1 on the hub: the only lower cluster runs its own Flux, which a hub Kustomization cannot wait for.
    assert depends("staged-hub-a-iris") is None and depends("staged-hub-b-iris") is None
    # Wave 5 waits for the nearest lower hub wave (1), both of its clusters, for the same model only.
    assert depends("staged-hub-c-iris") == [{"name": "staged-hub-a-iris"}, {"name": "staged-hub-b-iris"}]
    assert depends("staged-hub-c-other") == [{"name": "staged-hub-a-other"}, {"name": "staged-hub-b-other"}]
    assert depends("staged-own-flux-iris") is None
    # prod-b is the only hub cluster of prod: nothing to wait for inside its Flux.
    assert depends("prod-prod-b-iris") is None
    for path, obj in kustomizations.values():
        for dependency in obj["spec"].get("dependsOn", []):
            # Same Flux instance: the dependency is in the same folder (and so the same namespace).
            assert kustomizations[dependency["name"]][0].rsplit("/", 1)[0] == path.rsplit("/", 1)[0]
        assert schema_errors(obj) == [], path
