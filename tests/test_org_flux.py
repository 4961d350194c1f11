"""Flux for an organisation: private repositories (an existing source, or credentials), tenant service
accounts, and namespaces that exist before the first reconcile."""
from __future__ import annotations

import subprocess
import sys

import pytest

from generator.builders.files import build_fleet
from generator.builders.validation import schema_errors
from generator.errors import GitopsGenError
from generator.resolve.fleet import load_fleet
from tests.helpers import DEV, PROJECT, REPO, build_file_tree, small_fleet
from tests.test_example import kustomize


def with_flux(settings: str, engines: str = "[argocd, flux]") -> str:
    """The small fleet's Project with ``settings`` (YAML lines) under ``flux:``."""
    lines = "".join(f"        {line}\n" for line in settings.splitlines())
    return PROJECT.replace("engines: [argocd, flux]", f"engines: {engines}") + "      flux:\n" + lines


def files_of(tmp_path, **files) -> dict[str, dict]:
    fleet = load_fleet(build_file_tree(tmp_path / "src", {**small_fleet(), **files}))
    return {f.path: f.obj for f in build_fleet(fleet)}


def problems(tmp_path, **files) -> list[str]:
    with pytest.raises(GitopsGenError) as caught:
        files_of(tmp_path, **files)
    return [str(p) for p in caught.value.problems]


def flux_objects(files, kind):
    return {p: o for p, o in files.items() if p.startswith("flux/") and o.get("kind") == kind
            and o.get("apiVersion", "").endswith(("fluxcd.io/v1"))}


def test_an_existing_source_replaces_the_generated_git_repository(tmp_path):
    files = files_of(tmp_path, **{"project.yaml": with_flux(
        "sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}")})
    assert not flux_objects(files, "GitRepository")
    assert "gitrepository-demo.yaml" not in files["flux/hub/kustomization.yaml"]["resources"]
    kustomizations = flux_objects(files, "Kustomization")
    assert len(kustomizations) == 6  # 3 releases, and the namespaces of their 3 clusters
    for path, k in kustomizations.items():
        assert k["spec"]["sourceRef"] == {"kind": "GitRepository", "name": "flux-system", "namespace": "flux-system"}
        assert schema_errors(k) == [], path


def test_the_source_kind_defaults_to_git_repository_and_may_be_an_oci_repository(tmp_path):
    files = files_of(tmp_path, **{"project.yaml": with_flux("sourceRef: {name: flux-system}")})
    [k] = [o for p, o in flux_objects(files, "Kustomization").items() if p.endswith("prod-prod-b-iris.yaml")]
    assert k["spec"]["sourceRef"] == {"kind": "GitRepository", "name": "flux-system"}
    files = files_of(tmp_path, **{"project.yaml": with_flux("sourceRef: {kind: OCIRepository, name: manifests}")})
    assert {k["spec"]["sourceRef"]["kind"] for k in flux_objects(files, "Kustomization").values()} == {"OCIRepository"}


def test_credentials_and_provider_on_the_generated_git_repository(tmp_path):
    files = files_of(tmp_path, **{"project.yaml": with_flux("secretRef: {name: repo-auth}\nprovider: github")})
    repositories = flux_objects(files, "GitRepository")
    assert len(repositories) == 3  # one per Flux folder: dev-1, prod-a and the hub
    for path, repo in repositories.items():
        assert repo["spec"]["secretRef"] == {"name": "repo-auth"} and repo["spec"]["provider"] == "github"
        assert schema_errors(repo) == [], path
    files = files_of(tmp_path, **{"project.yaml": with_flux("provider: azure")})
    assert {r["spec"]["provider"] for r in flux_objects(files, "GitRepository").values()} == {"azure"}
    assert not any("secretRef" in r["spec"] for r in flux_objects(files, "GitRepository").values())


def test_release_kustomizations_run_as_the_tenant_and_namespaces_as_the_controller(tmp_path):
    files = files_of(tmp_path, **{"project.yaml": with_flux("serviceAccountName: ml-deployer")})
    for path, k in flux_objects(files, "Kustomization").items():
        if k["metadata"]["name"].startswith("namespaces."):
            assert "serviceAccountName" not in k["spec"], path
        else:
            assert k["spec"]["serviceAccountName"] == "ml-deployer", path


@pytest.mark.parametrize("settings, line, message", [
    ("sourceRef: {name: flux-system}\nsecretRef: {name: repo-auth}", 10,
     "spec.flux.secretRef: configures the generated GitRepository, and with sourceRef none is generated"),
    ("sourceRef: {name: flux-system}\nprovider: azure", 10, "spec.flux.provider: configures the generated"),
    ("provider: github", 9, "spec.flux.provider: github needs secretRef"),
    ("provider: gitlab", 9, "spec.flux.provider: 'gitlab' is not allowed"),
    ("sourceRef: {kind: HelmRepository, name: charts}", 9, "spec.flux.sourceRef.kind: 'HelmRepository' is not allowed"),
    ("sourceRef: {kind: GitRepository}", 9, "spec.flux.sourceRef.name: required field is missing"),
    ("sourceRef: {name: Flux_System}", 9, "spec.flux.sourceRef.name: 'Flux_System' is not a valid Kubernetes"),
    ("secretRef: repo-auth", 9, "spec.flux.secretRef: must be a mapping"),
    ("serviceAccountName: Tenant", 9, "spec.flux.serviceAccountName: 'Tenant' is not a valid Kubernetes"),
])
def test_bad_flux_settings_are_one_located_line_and_write_nothing(tmp_path, settings, line, message):
    source = build_file_tree(tmp_path / "src", {**small_fleet(), "project.yaml": with_flux(settings)})
    done = subprocess.run([sys.executable, "-m", "generator", "render", "--source", source, "--out", tmp_path / "out"],
                          cwd=source, capture_output=True, text=True)
    assert done.returncode == 1
    [shown] = done.stderr.splitlines()
    assert shown.startswith(f"project.yaml:{line}: {message}"), shown
    assert not (tmp_path / "out").exists()


def test_flux_refuses_the_scp_form_wherever_it_deploys_unless_it_reads_another_source(tmp_path):
    project = PROJECT.replace("https://git.example.com/demo.git", "git@git.example.com:demo.git") \
        .replace("engines: [argocd, flux]", "engines: [argocd]")
    assert files_of(tmp_path, **{"project.yaml": project})  # Argo CD reads that form
    dev = DEV.replace("      namespace: ml-dev", "      namespace: ml-dev\n      engines: [flux]")
    [line] = problems(tmp_path, **{"project.yaml": project, "envs/dev.yaml": dev})
    assert line.startswith("project.yaml:5: spec.repoURL: 'git@git.example.com:demo.git' must be an http(s):// or "
                           "ssh:// URL: Flux deploys cluster 'dev-1' (envs/dev.yaml:8)"), line
    with_source = project + "      flux: {sourceRef: {name: flux-system}}\n"
    assert files_of(tmp_path, **{"project.yaml": with_source, "envs/dev.yaml": dev})


# --- namespaces --------------------------------------------------------------------------------

def test_every_flux_cluster_gets_its_namespaces_before_its_releases(tmp_path):
    files = files_of(tmp_path)
    for cluster, folder in (("dev-1", "flux/clusters/dev-1"), ("prod-a", "flux/clusters/prod-a"),
                            ("prod-b", "flux/hub")):
        namespaces = files[f"{folder}/kustomization-namespaces.{cluster}.yaml"]
        spec = namespaces["spec"]
        assert spec["path"] == f"./rendered/namespaces/{cluster}"
        # Never prunes (the namespace holds more than our releases), never renames (no targetNamespace).
        assert spec["prune"] is False and "targetNamespace" not in spec and spec["wait"] is True
        assert ("kubeConfig" in spec) == (cluster == "prod-b")
        assert f"kustomization-namespaces.{cluster}.yaml" in files[f"{folder}/kustomization.yaml"]["resources"]
        [release] = [o for p, o in files.items() if p.startswith(f"{folder}/kustomization-")
                     and o["metadata"]["labels"].get("gitops-gen.io/cluster") == cluster and o is not namespaces]
        assert release["spec"]["dependsOn"][0] == {"name": f"namespaces.{cluster}"}
        assert schema_errors(namespaces) == []
    namespace = files["namespaces/prod-a/namespace-ml-prod.yaml"]
    assert namespace["apiVersion"] == "v1" and namespace["kind"] == "Namespace"
    assert "namespace" not in namespace["metadata"]  # cluster-scoped
    assert namespace["metadata"]["labels"]["gitops-gen.io/environment"] == "prod"
    assert schema_errors(namespace) == []
    assert files["namespaces/prod-a/kustomization.yaml"] == {
        "apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
        "resources": ["namespace-ml-prod.yaml"]}


def test_the_namespaces_folder_builds_with_kustomize_unchanged(tmp_path):
    source = build_file_tree(tmp_path / "src", small_fleet())
    out = tmp_path / "rendered"
    done = subprocess.run([sys.executable, "-m", "generator", "render", "-q", "--source", source, "--out", out],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for cluster, namespace in (("dev-1", "ml-dev"), ("prod-a", "ml-prod"), ("prod-b", "ml-prod")):
        [built] = kustomize(out / "namespaces" / cluster)
        assert (built["kind"], built["metadata"]["name"]) == ("Namespace", namespace)
        assert "namespace" not in built["metadata"]
    # Each Flux folder builds too, the namespaces Kustomization among the releases'.
    for folder in ("flux/clusters/dev-1", "flux/clusters/prod-a", "flux/hub"):
        names = {o["metadata"]["name"] for o in kustomize(out / folder)}
        assert any(name.startswith("namespaces.") for name in names)


def test_argo_cd_creates_its_namespaces_itself(tmp_path):
    project = PROJECT.replace("engines: [argocd, flux]", "engines: [argocd]")
    files = files_of(tmp_path, **{"project.yaml": project})
    assert not [p for p in files if p.startswith("namespaces/")]
    app = files["argocd/prod/application-prod-prod-a-iris.yaml"]
    assert "CreateNamespace=true" in app["spec"]["syncPolicy"]["syncOptions"]
