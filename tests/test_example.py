"""The shipped example, rendered as a user would: reviewed as a whole (snapshot), checked where it matters."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.builders.flux import kustomization
from generator.builders.validation import schema_errors
from generator.builders.workloads import workload_objects
from generator.resolve.fleet import load_fleet
from tests.helpers import kustomize, tree_bytes


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    from tests.helpers import EXAMPLE

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
    apps = [obj for _, obj in objects_in(rendered / "argocd") if obj["kind"] == "Application"
            and obj["spec"]["project"] != "gitops-gen-cluster-objects"]
    # Argo CD deploys every cluster but prod-us, which only Flux deploys.
    assert len(fleet.releases) == 19
    assert len(apps) == len([r for r in fleet.releases if "argocd" in r.engines]) == 14
    releases = {r.name: r for r in fleet.releases}
    for app in apps:
        release = releases[app["metadata"]["name"]]
        if "sources" in app["spec"]:  # a Helm chart (llm-chat), then the directory of what is beside it
            chart, directory = app["spec"]["sources"]
            assert (chart["chart"], chart["targetRevision"]) == (release.spec.chart.name, release.spec.chart.version)
            path = directory["path"]
        else:
            path = app["spec"]["source"]["path"]
        assert path.startswith("rendered/")
        built = kustomize(rendered.parent / path)
        # Exactly that release's objects, unchanged by kustomize (which only reorders kinds).
        key = lambda o: (o["kind"], o["metadata"]["name"])  # noqa: E731
        assert sorted(built, key=key) == sorted(workload_objects(release), key=key)
        assert app["spec"]["destination"] == {"server": release.cluster.server, "namespace": release.namespace}


def test_every_flux_kustomization_path_is_a_release_directory(rendered):
    kustomizations = [obj for _, obj in objects_in(rendered / "flux") if obj["kind"] == "Kustomization"
                      and obj["apiVersion"].startswith("kustomize.toolkit.fluxcd.io")
                      and not obj["metadata"]["name"].endswith("-cluster-objects")]
    # Flux deploys prod-us only (from the hub): its 5 releases (llm-chat's Kustomization holds its
    # PodMonitor, beside its HelmRelease), and its namespaces before them.
    releases = [k for k in kustomizations if "gitops-gen.io/model" in k["metadata"]["labels"]]
    [namespaces] = [k for k in kustomizations if k not in releases]
    assert len(releases) == 5
    for k in releases:
        directory = rendered.parent / k["spec"]["path"]
        assert (directory / "kustomization.yaml").is_file()
        labels = k["metadata"]["labels"]
        assert directory.parts[-3:] == (labels["gitops-gen.io/environment"], labels["gitops-gen.io/cluster"],
                                        labels["gitops-gen.io/model"])
        assert k["spec"]["sourceRef"] == {"kind": "GitRepository", "name": "flux-system"}
        assert k["spec"]["dependsOn"][0] == {"name": namespaces["metadata"]["name"]}
    [namespace] = kustomize(rendered.parent / namespaces["spec"]["path"])
    assert (namespace["kind"], namespace["metadata"]["name"]) == ("Namespace", "ml-prod")
    assert "namespace" not in namespace["metadata"] and "targetNamespace" not in namespaces["spec"]
    remote = [k for k in kustomizations if "kubeConfig" in k["spec"]]
    assert {k["metadata"]["labels"]["gitops-gen.io/cluster"] for k in remote} == {"prod-us"}


def test_engine_folders_build_with_kustomize(rendered):
    assert not (rendered / "flux/clusters").exists()  # no cluster runs its own Flux in the example
    for directory in [*sorted((rendered / "argocd").iterdir()), rendered / "flux/hub",
                      *sorted((rendered / "namespaces").iterdir())]:
        assert kustomize(directory)


def test_every_object_validates_against_its_upstream_schema(rendered):
    checked = 0
    for path, obj in objects_in(rendered):
        if obj["kind"] == "Kustomization" and obj["apiVersion"].startswith("kustomize.config.k8s.io"):
            continue
        assert schema_errors(obj) == [], path
        checked += 1
    # Argo CD deploys every cluster but prod-us: 11 Applications, 3 AppProjects; Flux deploys prod-us from the
    # hub: 4 Kustomizations of its releases, 1 of its namespaces, and that Namespace (no GitRepository: Flux
    # reads flux-system); 8 InferenceServices; fraud-detector's PodMonitor, PrometheusRule and dashboard in 4 releases,
    # and a PodDisruptionBudget in the 3 with more than one replica;
    # recommender in dev: Deployment, Service, ServiceMonitor, PrometheusRule, dashboard (no HPA: min == max);
    # in staging (A/B): 2 x (Deployment, Service, HPA), HTTPRoute, ServiceMonitor, PrometheusRule, dashboard;
    # in each prod cluster (canary): Rollout, 2 Services, HPA, PodMonitor, PrometheusRule, dashboard, PDB.
    # support-assistant (an LLM): 4 LLMInferenceServices (2 A/B variants in staging), PodMonitor, PrometheusRule
    # and dashboard in 3 releases; its cluster-scoped LocalModelCaches (2 in staging-eu, one each in prod-eu and
    # prod-us), applied by an Application on each of the 2 Argo CD clusters (and their AppProject) and a
    # Kustomization on prod-us.
    # llm-chat (a Helm chart) in 4 releases: an Application on each of the 3 Argo CD clusters; on prod-us a
    # HelmRelease, its OCIRepository and a Kustomization for its PodMonitor; the PodMonitor in every release.
    assert checked == 11 + 3 + 4 + 1 + 1 + 8 + 4 * 3 + 3 + 5 + 10 + 2 * 8 + 4 + 9 + 4 + 2 + 1 + 1 + 3 + 3 + 4


def test_every_object_is_labelled_and_annotated(rendered):
    for path, obj in objects_in(rendered):
        if obj["apiVersion"].startswith("kustomize.config.k8s.io"):
            continue
        labels, annotations = obj["metadata"]["labels"], obj["metadata"]["annotations"]
        assert labels["app.kubernetes.io/managed-by"] == "gitops-gen", path
        # A GitRepository serves every environment; so does the AppProject of cluster-scoped objects.
        if obj["kind"] != "GitRepository" and obj["metadata"]["name"] != "gitops-gen-cluster-objects":
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


def load(rendered: Path, path: str) -> dict:
    return yaml.load((rendered / path).read_text(), Loader=yaml.CSafeLoader)


def test_recommender_is_a_canary_in_prod_with_flux_health_checks(rendered):
    rollout = load(rendered, "workloads/prod/prod-eu/recommender/rollout-recommender.yaml")
    canary = rollout["spec"]["strategy"]["canary"]
    assert canary["steps"] == [{"setWeight": 10}, {"pause": {"duration": "10m"}},
                               {"setWeight": 50}, {"pause": {"duration": "10m"}}]
    assert rollout["spec"]["template"]["spec"]["containers"][0]["image"] == "ghcr.io/acme/recommender:0.9.1"
    flux = load(rendered, "flux/hub/kustomization-prod-prod-us-recommender.yaml")["spec"]
    assert "wait" not in flux and {"kind": "Rollout", "name": "recommender"}.items() <= flux["healthChecks"][0].items()
    # dev turns the canary off: a plain Deployment, and Flux would wait on it as usual (Argo CD deploys dev).
    assert (rendered / "workloads/dev/dev-local/recommender/deployment-recommender.yaml").is_file()
    fleet = load_fleet(rendered.parent / "environments")
    [dev] = fleet.select("dev", model="recommender")
    assert kustomization(fleet, dev)["spec"]["wait"]


def test_recommender_is_an_ab_test_in_staging(rendered):
    directory = "workloads/staging/staging-eu/recommender"
    route = load(rendered, f"{directory}/httproute-recommender.yaml")
    assert route["spec"]["rules"][0]["backendRefs"] == [
        {"name": "recommender-current", "port": 80, "weight": 80},
        {"name": "recommender-challenger", "port": 80, "weight": 20}]
    for variant, version in (("current", "0.9.3"), ("challenger", "1.0.0")):
        pod = load(rendered, f"{directory}/deployment-recommender-{variant}.yaml")["spec"]["template"]
        assert pod["spec"]["containers"][0]["image"] == f"ghcr.io/acme/recommender:{version}"
        assert pod["metadata"]["labels"]["gitops-gen.io/variant"] == variant


def test_monitoring_and_the_pdb_template(rendered):
    rule = load(rendered, "workloads/prod/prod-eu/fraud-detector/prometheusrule-fraud-detector.yaml")
    [alert] = rule["spec"]["groups"][0]["rules"]  # latency only: the sklearn server counts no failures
    assert "request_predict_seconds_bucket" in alert["expr"] and alert["expr"].endswith("> 0.2")
    dashboard = load(rendered, "workloads/prod/prod-eu/recommender/configmap-recommender-dashboard.yaml")
    assert dashboard["metadata"]["labels"]["grafana_dashboard"] == "1"
    pdb = load(rendered, "workloads/prod/prod-eu/recommender/poddisruptionbudget-recommender.yaml")
    assert pdb["spec"]["selector"]["matchLabels"] == {"gitops-gen.io/model": "recommender"}
    assert pdb["metadata"]["annotations"]["gitops-gen.io/source"].endswith("templates/pdb.yaml.j2")
    # The template renders nothing for a single replica.
    assert not list((rendered / "workloads/dev/dev-local/fraud-detector").glob("poddisruptionbudget-*"))
