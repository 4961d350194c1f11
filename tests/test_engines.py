"""Who deploys where: engines per environment and cluster, the warning when both deploy one cluster,
and cluster identity across environments."""
from __future__ import annotations

import subprocess
import sys

import pytest

from generator.builders.files import build_fleet
from generator.builders.validation import schema_errors
from generator.errors import GitopsGenError
from generator.resolve.fleet import load_fleet
from tests.helpers import DEV, PROD, PROJECT, build_file_tree, small_fleet, tree_bytes

SPLIT = PROD.replace("          labels: {region: eu}", "          labels: {region: eu}\n          engine: argocd") \
    .replace("          kubeConfigSecret: prod-b-kubeconfig", "          kubeConfigSecret: prod-b-kubeconfig\n"
                                                                 "          engine: flux")
DEV_ARGOCD = DEV.replace("      namespace: ml-dev", "      namespace: ml-dev\n      engines: [argocd]")


def fleet_of(tmp_path, **files):
    return load_fleet(build_file_tree(tmp_path / "src", {**small_fleet(), **files}))


def paths(fleet) -> dict[str, dict]:
    return {f.path: f.obj for f in build_fleet(fleet)}


def problems(tmp_path, **files) -> list[str]:
    with pytest.raises(GitopsGenError) as caught:
        fleet_of(tmp_path, **files)
    return [str(p) for p in caught.value.problems]


def render(source, out):
    # From inside the source tree: its messages name files as the tests write them.
    return subprocess.run([sys.executable, "-m", "generator", "render", "--source", source, "--out", out],
                          cwd=source, capture_output=True, text=True)


# --- engines -----------------------------------------------------------------------------------

def test_environment_and_cluster_engines_override_the_project(tmp_path):
    fleet = fleet_of(tmp_path, **{"envs/dev.yaml": DEV_ARGOCD, "envs/prod.yaml": SPLIT})
    assert {r.name: r.engines for r in fleet.releases} == {
        "dev-dev-1-iris": ("argocd",), "prod-prod-a-iris": ("argocd",), "prod-prod-b-iris": ("flux",)}
    files = paths(fleet)
    applications = sorted(p for p, o in files.items() if o["kind"] == "Application")
    assert applications == ["argocd/dev/application-dev-dev-1-iris.yaml", "argocd/prod/application-prod-prod-a-iris.yaml"]
    releases = sorted(p for p, o in files.items()
                      if o["kind"] == "Kustomization" and "gitops-gen.io/model" in o.get("metadata", {}).get("labels", {}))
    assert releases == ["flux/hub/kustomization-prod-prod-b-iris.yaml"]
    # The AppProject admits only the clusters Argo CD deploys.
    assert files["argocd/prod/appproject-prod.yaml"]["spec"]["destinations"] == [
        {"server": "https://a.example.com:6443", "namespace": "ml-prod"}]
    assert not [p for p in files if p.startswith(("flux/clusters/", "namespaces/dev-1", "namespaces/prod-a"))]
    for path, obj in files.items():
        if not path.endswith("/kustomization.yaml"):
            assert schema_errors(obj) == [], path


def test_an_environment_argo_cd_never_deploys_gets_no_app_project(tmp_path):
    dev = DEV.replace("      namespace: ml-dev", "      namespace: ml-dev\n      engines: [flux]")
    files = paths(fleet_of(tmp_path, **{"envs/dev.yaml": dev}))
    assert not [p for p in files if p.startswith("argocd/dev/")]
    assert "flux/clusters/dev-1/kustomization-dev-dev-1-iris.yaml" in files


def test_a_flux_wave_never_waits_for_a_cluster_flux_does_not_deploy(tmp_path):
    prod = PROD.replace("          labels: {region: eu}", "          labels: {region: eu}\n"
                                                          "          kubeConfigSecret: prod-a-kubeconfig\n"
                                                          "          engine: argocd")
    files = paths(fleet_of(tmp_path, **{"envs/prod.yaml": prod}))
    # prod-a (wave 0) is on the hub too, but only Argo CD deploys it: no Kustomization to wait for.
    assert files["flux/hub/kustomization-prod-prod-b-iris.yaml"]["spec"]["dependsOn"] == [
        {"name": "namespaces.prod-b"}]


@pytest.mark.parametrize("text, message", [
    ("engines: [argo]", "spec.engines[0]: 'argo' is not allowed"),
    ("engines: []", "spec.engines: must have at least 1 item"),
    ("engines: [flux, flux]", "spec.engines: an engine is listed twice"),
])
def test_bad_environment_engines_are_one_located_line(tmp_path, text, message):
    dev = DEV.replace("      namespace: ml-dev", f"      namespace: ml-dev\n      {text}")
    [line] = problems(tmp_path, **{"envs/dev.yaml": dev})
    assert line.startswith("envs/dev.yaml:6: ") and message in line, line


def test_a_bad_cluster_engine_is_one_located_line(tmp_path):
    dev = DEV.replace("        - name: dev-1", "        - name: dev-1\n          engine: both")
    [line] = problems(tmp_path, **{"envs/dev.yaml": dev})
    assert line.startswith("envs/dev.yaml:8: spec.clusters[0].engine: 'both' is not allowed"), line


def test_render_warns_once_per_environment_where_both_engines_deploy(tmp_path):
    source = build_file_tree(tmp_path / "src", {**small_fleet(), "envs/prod.yaml": SPLIT})
    done = render(source, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    [warning, summary] = done.stderr.splitlines()
    assert warning.startswith("project.yaml:6: spec.engines: warning: both Argo CD and Flux deploy environment "
                              "'dev' on dev-1: both will apply the same objects")
    assert summary.startswith("rendered 3 releases")
    # Said where the two engines came from: here the environment's own list.
    both = DEV.replace("      namespace: ml-dev", "      namespace: ml-dev\n      engines: [flux, argocd]")
    build_file_tree(source, {"envs/dev.yaml": both})
    assert render(source, tmp_path / "out").stderr.startswith("envs/dev.yaml:6: spec.engines: warning: ")
    build_file_tree(source, {"envs/dev.yaml": both.replace("[flux, argocd]", "[flux]")})
    done = render(source, tmp_path / "out")
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr


# --- cluster identity ---------------------------------------------------------------------------

QA = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Environment
    metadata: {name: qa}
    spec:
      namespace: ml-qa
      clusters:
        - name: CLUSTER
          SETTING
      models:
        iris: {}
"""


def qa(cluster: str, setting: str = "") -> str:
    return QA.replace("CLUSTER", cluster).replace("SETTING", setting)


def test_one_name_with_two_servers_names_both_definitions(tmp_path):
    [line] = problems(tmp_path, **{"envs/qa.yaml": qa("prod-a", "server: https://elsewhere.example.com:6443")})
    assert line == (
        "envs/qa.yaml:8: spec.clusters[0].server: cluster 'prod-a' is defined in envs/prod.yaml:8 (environment "
        "'prod') with server https://a.example.com:6443, here with https://elsewhere.example.com:6443: one cluster "
        "name is one cluster; make them agree, or rename one")


def test_one_name_with_two_kubeconfig_secrets_is_refused(tmp_path):
    [line] = problems(tmp_path, **{"envs/qa.yaml": qa("prod-b", "server: https://b.example.com:6443\n"
                                                                "          kubeConfigSecret: other-kubeconfig")})
    assert line.startswith("envs/qa.yaml:9: spec.clusters[0].kubeConfigSecret: cluster 'prod-b' is defined in "
                           "envs/prod.yaml:12 (environment 'prod') with kubeConfigSecret prod-b-kubeconfig, here "
                           "with other-kubeconfig"), line


def test_a_cluster_shared_by_two_environments_in_two_namespaces_is_one_cluster(tmp_path):
    fleet = fleet_of(tmp_path, **{"envs/qa.yaml": qa("prod-a", "server: https://a.example.com:6443")})
    files = paths(fleet)
    # One Flux folder and one namespaces folder for the cluster, holding both environments' namespaces.
    assert sorted(p for p in files if p.startswith("namespaces/prod-a/")) == [
        "namespaces/prod-a/kustomization.yaml", "namespaces/prod-a/namespace-ml-prod.yaml",
        "namespaces/prod-a/namespace-ml-qa.yaml"]
    assert files["namespaces/prod-a/namespace-ml-qa.yaml"]["metadata"]["labels"]["gitops-gen.io/environment"] == "qa"
    namespaces = files["flux/clusters/prod-a/kustomization-namespaces.prod-a.yaml"]
    assert "gitops-gen.io/environment" not in namespaces["metadata"]["labels"]  # two environments use it
    assert {"envs/prod.yaml", "envs/qa.yaml"} <= set(
        namespaces["metadata"]["annotations"]["gitops-gen.io/source"].split(","))


def test_one_server_under_two_names_needs_shared_with(tmp_path):
    [line] = problems(tmp_path, **{"envs/qa.yaml": qa("qa-a", "server: https://a.example.com:6443")})
    assert line == (
        "envs/qa.yaml:8: spec.clusters[0].server: server https://a.example.com:6443 is also the server of cluster "
        "'prod-a' (envs/prod.yaml:8): one cluster under two names gets two Flux folders and two owners of its "
        "namespaces; use one name, or say it is on purpose with sharedWith: [prod-a]")
    # Said on purpose, and only Argo CD deploys one of the names: allowed.
    fleet = fleet_of(tmp_path, **{"envs/qa.yaml": qa("qa-a", "server: https://a.example.com:6443\n"
                                                              "          sharedWith: [prod-a]\n"
                                                              "          engine: argocd")})
    assert [r.cluster.name for r in fleet.releases if r.environment.name == "qa"] == ["qa-a"]


def test_one_kubeconfig_secret_under_two_names_is_one_cluster(tmp_path):
    [line] = problems(tmp_path, **{"envs/qa.yaml": qa("qa-b", "kubeConfigSecret: prod-b-kubeconfig")})
    assert line.startswith("envs/qa.yaml:8: spec.clusters[0].kubeConfigSecret: kubeConfigSecret prod-b-kubeconfig "
                           "is also the kubeConfigSecret of cluster 'prod-b' (envs/prod.yaml:12)"), line


@pytest.mark.parametrize("setting, message", [
    ("sharedWith: [nowhere]", "spec.clusters[0].sharedWith[0]: no environment defines a cluster 'nowhere'"),
    ("server: https://q.example.com:6443\n          sharedWith: [prod-a]",
     "spec.clusters[0].sharedWith[0]: cluster 'prod-a' (envs/prod.yaml:7) has neither the server nor the "
     "kubeConfigSecret of 'qa-a': they are not one cluster"),
    ("sharedWith: [qa-a]", "spec.clusters[0].sharedWith[0]: names the cluster itself"),
    ("sharedWith: [Prod-A]", "spec.clusters[0].sharedWith[0]: 'Prod-A' is not a DNS-1123 label"),
    # Flux would deploy both names: two Flux folders, two owners of one namespace.
    ("server: https://a.example.com:6443\n          sharedWith: [prod-a]",
     "spec.clusters[0].sharedWith[0]: Flux deploys both 'qa-a' and 'prod-a'"),
])
def test_bad_shared_with_is_one_located_line(tmp_path, setting, message):
    [line] = problems(tmp_path, **{"envs/qa.yaml": qa("qa-a", setting)})
    assert line.startswith("envs/qa.yaml:") and message in line, line


def test_clusters_left_on_the_default_server_keep_their_names(tmp_path):
    # "The cluster this controller runs in": each Flux-run cluster's own, so several names are fine.
    fleet = fleet_of(tmp_path, **{"envs/qa.yaml": qa("qa-1")})
    assert {r.cluster.name for r in fleet.releases} == {"dev-1", "qa-1", "prod-a", "prod-b"}


def test_the_same_model_in_one_namespace_of_one_cluster_under_two_names_collides(tmp_path):
    qa_env = qa("qa-a", "server: https://a.example.com:6443\n          sharedWith: [prod-a]\n"
                        "          engine: argocd").replace("ml-qa", "ml-prod")
    prod = SPLIT
    [line] = problems(tmp_path, **{"envs/qa.yaml": qa_env, "envs/prod.yaml": prod})
    assert "both deploy model 'iris' to namespace 'ml-prod' on cluster" in line and "also named" in line, line


def test_bad_identity_changes_nothing_on_disk(tmp_path):
    source = build_file_tree(tmp_path / "src", {**small_fleet(), "envs/qa.yaml": qa("qa-a", "server: https://a.example.com:6443")})
    out = tmp_path / "out"
    assert render(source, out).returncode == 1 and not out.exists()
    source.joinpath("envs/qa.yaml").unlink()
    assert render(source, out).returncode == 0
    before = tree_bytes(out)
    build_file_tree(source, {"envs/qa.yaml": qa("qa-a", "server: https://a.example.com:6443")})
    done = render(source, out)
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1, done.stderr
    assert tree_bytes(out) == before


def test_project_engines_are_the_default(tmp_path):
    project = PROJECT.replace("engines: [argocd, flux]", "engines: [flux]")
    fleet = fleet_of(tmp_path, **{"project.yaml": project, "envs/dev.yaml": DEV_ARGOCD})
    assert {r.name: r.engines for r in fleet.releases}["prod-prod-a-iris"] == ("flux",)
    assert {r.name: r.engines for r in fleet.releases}["dev-dev-1-iris"] == ("argocd",)
