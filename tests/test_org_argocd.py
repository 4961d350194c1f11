"""Argo CD shared by several teams: AppProject names, destinations by cluster name, root Applications
(app of apps), and ignoreDifferences / syncOptions per model."""
from __future__ import annotations

import subprocess
import sys

import pytest

from generator.builders.files import build_fleet
from generator.builders.validation import schema_errors
from generator.errors import GitopsGenError
from generator.resolve.fleet import load_fleet
from tests.helpers import IRIS, PROD, PROJECT, REPO, build_file_tree, small_fleet
from tests.test_example import kustomize

ARGOCD_ONLY = PROJECT.replace("engines: [argocd, flux]", "engines: [argocd]")


def with_argocd(settings: str) -> str:
    lines = "".join(f"        {line}\n" for line in settings.splitlines())
    return ARGOCD_ONLY + "      argocd:\n" + lines


def files_of(tmp_path, **files) -> dict[str, dict]:
    fleet = load_fleet(build_file_tree(tmp_path / "src", {**small_fleet(), **files}))
    return {f.path: f.obj for f in build_fleet(fleet)}


def problems(tmp_path, **files) -> list[str]:
    with pytest.raises(GitopsGenError) as caught:
        files_of(tmp_path, **files)
    return [str(p) for p in caught.value.problems]


def argocd_objects(files):
    return {p: o for p, o in files.items() if o.get("apiVersion") == "argoproj.io/v1alpha1"}


def test_app_projects_are_named_by_the_template(tmp_path):
    files = files_of(tmp_path, **{"project.yaml": with_argocd('project: "team-a-{{ environment }}-ml"')})
    project = files["argocd/prod/appproject-team-a-prod-ml.yaml"]
    assert project["metadata"]["name"] == "team-a-prod-ml"
    assert files["argocd/prod/application-prod-prod-a-iris.yaml"]["spec"]["project"] == "team-a-prod-ml"
    assert files["argocd/dev/application-dev-dev-1-iris.yaml"]["spec"]["project"] == "team-a-dev-ml"
    assert "appproject-team-a-prod-ml.yaml" in files["argocd/prod/kustomization.yaml"]["resources"]
    for path, obj in argocd_objects(files).items():
        assert schema_errors(obj) == [], path


def test_the_default_project_name_is_the_environment(tmp_path):
    files = files_of(tmp_path, **{"project.yaml": ARGOCD_ONLY})
    assert files["argocd/prod/appproject-prod.yaml"]["metadata"]["name"] == "prod"


def test_application_sets_use_the_project_name_and_destinations_by_name(tmp_path):
    files = files_of(tmp_path, **{"project.yaml": with_argocd(
        'applicationSets: true\nproject: "{{environment}}-ml"\ndestination: name')})
    appset = files["argocd/prod/applicationset-prod-iris.yaml"]
    template = appset["spec"]["template"]["spec"]
    assert template["project"] == "prod-ml"
    assert template["destination"] == {"name": "{{ .name }}", "namespace": "ml-prod"}
    assert schema_errors(appset) == []


def test_destinations_by_cluster_name(tmp_path):
    files = files_of(tmp_path, **{"project.yaml": with_argocd("destination: name")})
    app = files["argocd/prod/application-prod-prod-a-iris.yaml"]
    assert app["spec"]["destination"] == {"name": "prod-a", "namespace": "ml-prod"}
    assert files["argocd/prod/appproject-prod.yaml"]["spec"]["destinations"] == [
        {"name": "prod-a", "namespace": "ml-prod"}, {"name": "prod-b", "namespace": "ml-prod"}]
    for path, obj in argocd_objects(files).items():
        assert schema_errors(obj) == [], path


def test_root_applications_make_an_app_of_apps_per_environment(tmp_path):
    project = with_argocd('project: "{{ environment }}-ml"\nrootApplications: true\nrootProject: platform')
    files = files_of(tmp_path, **{"project.yaml": project})
    assert files["argocd-roots/kustomization.yaml"]["resources"] == ["application-dev-ml.yaml",
                                                                     "application-prod-ml.yaml"]
    root = files["argocd-roots/application-prod-ml.yaml"]
    assert root["metadata"]["name"] == "prod-ml" and root["metadata"]["namespace"] == "argocd"
    assert "finalizers" not in root["metadata"]  # deleting a root must not delete the environment
    spec = root["spec"]
    assert spec["project"] == "platform"
    assert spec["source"] == {"repoURL": "https://git.example.com/demo.git", "targetRevision": "main",
                              "path": "rendered/argocd/prod"}
    assert spec["destination"] == {"server": "https://kubernetes.default.svc", "namespace": "argocd"}
    assert spec["syncPolicy"]["automated"] == {"prune": False, "selfHeal": True}  # prod's sync
    assert schema_errors(root) == []
    # The folder it points at is the environment's Argo CD folder.
    assert "argocd/prod/kustomization.yaml" in files


def test_root_applications_build_with_kustomize(tmp_path):
    source = build_file_tree(tmp_path / "src", {**small_fleet(), "project.yaml": with_argocd("rootApplications: true")})
    out = tmp_path / "rendered"
    done = subprocess.run([sys.executable, "-m", "generator", "render", "-q", "--source", source, "--out", out],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    roots = kustomize(out / "argocd-roots")
    assert sorted(r["metadata"]["name"] for r in roots) == ["dev", "prod"]
    for root in roots:
        assert kustomize(out.parent / root["spec"]["source"]["path"])


def test_a_root_application_may_not_take_a_release_applications_name(tmp_path):
    project = with_argocd('project: "{{ environment }}-prod-a-iris"\nrootApplications: true')
    [line] = problems(tmp_path, **{"project.yaml": project})
    assert line.startswith("project.yaml:10: spec.argocd.rootApplications: the root Application of environment "
                           "'prod' would be named 'prod-prod-a-iris', as is the Application of model 'iris'"), line


@pytest.mark.parametrize("settings, message", [
    ('project: team-a', "spec.argocd.project: 'team-a' is not an AppProject name, with {{ environment }}"),
    ('project: "{{ env }}-ml"', "spec.argocd.project: '{{ env }}-ml' is not an AppProject name"),
    ('project: "Team-{{ environment }}"', "spec.argocd.project: 'Team-{{ environment }}' is not"),
    ('project: "-{{ environment }}"', "spec.argocd.project: gives environment 'dev' the AppProject name '-dev', which "
                                      "is not a valid name"),
    ("destination: url", "spec.argocd.destination: 'url' is not allowed"),
    ("rootApplications: maybe", "spec.argocd.rootApplications: "),
    ("rootProject: Default", "spec.argocd.rootProject: 'Default' is not a DNS-1123 label"),
])
def test_bad_argocd_settings_are_one_located_line_and_write_nothing(tmp_path, settings, message):
    source = build_file_tree(tmp_path / "src", {**small_fleet(), "project.yaml": with_argocd(settings)})
    done = subprocess.run([sys.executable, "-m", "generator", "render", "--source", source, "--out", tmp_path / "out"],
                          cwd=source, capture_output=True, text=True)
    assert done.returncode == 1
    [shown] = done.stderr.splitlines()
    assert shown.startswith("project.yaml:9: " + message) or shown.startswith("project.yaml:8: " + message), shown
    assert not (tmp_path / "out").exists()


def test_shared_names_cannot_both_be_destinations_by_name(tmp_path):
    qa = PROD.replace("name: prod}", "name: qa}").replace("ml-prod", "ml-qa").replace("prod-b", "qa-b") \
        .replace("https://b.example.com", "https://qb.example.com") \
        .replace("name: prod-a", "name: qa-a").replace("labels: {region: eu}", "sharedWith: [prod-a]")
    [line] = problems(tmp_path, **{"project.yaml": with_argocd("destination: name"), "envs/qa.yaml": qa})
    assert "spec.clusters[0].sharedWith[0]: with argocd.destination: name, Argo CD knows one cluster by one name" \
        in line, line


# --- per model ---------------------------------------------------------------------------------

HPA_OWNS_REPLICAS = """\
      argocd:
        ignoreDifferences:
          - {group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}
          - {kind: Service, name: iris, jqPathExpressions: [.spec.clusterIP]}
        syncOptions: [RespectIgnoreDifferences=true, ServerSideApply=true]
"""


def test_ignore_differences_and_sync_options_per_model(tmp_path):
    files = files_of(tmp_path, **{"project.yaml": ARGOCD_ONLY, "models/iris.yaml": IRIS + HPA_OWNS_REPLICAS})
    spec = files["argocd/prod/application-prod-prod-a-iris.yaml"]["spec"]
    assert spec["ignoreDifferences"] == [
        {"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]},
        {"kind": "Service", "name": "iris", "jqPathExpressions": [".spec.clusterIP"]}]
    # After the environment's own options (prod does not prune: PruneLast).
    assert spec["syncPolicy"]["syncOptions"] == ["CreateNamespace=true", "PruneLast=true",
                                                 "RespectIgnoreDifferences=true", "ServerSideApply=true"]
    assert schema_errors(files["argocd/prod/application-prod-prod-a-iris.yaml"]) == []


def test_an_environment_overrides_the_models_argocd_settings(tmp_path):
    prod = PROD.replace('          version: "1.0.0"', '          version: "1.0.0"\n'
                                                     '          argocd: {syncOptions: [Replace=true]}')
    files = files_of(tmp_path, **{"project.yaml": with_argocd("applicationSets: true"),
                                  "models/iris.yaml": IRIS + HPA_OWNS_REPLICAS, "envs/prod.yaml": prod})
    template = files["argocd/prod/applicationset-prod-iris.yaml"]["spec"]["template"]["spec"]
    # Mappings merge key by key, lists replace: prod's syncOptions, the model's ignoreDifferences.
    assert template["syncPolicy"]["syncOptions"] == ["CreateNamespace=true", "PruneLast=true", "Replace=true"]
    assert len(template["ignoreDifferences"]) == 2
    assert schema_errors(files["argocd/prod/applicationset-prod-iris.yaml"]) == []
    dev = files["argocd/dev/applicationset-dev-iris.yaml"]["spec"]["template"]["spec"]
    assert dev["syncPolicy"]["syncOptions"] == ["CreateNamespace=true", "RespectIgnoreDifferences=true",
                                                "ServerSideApply=true"]


@pytest.mark.parametrize("lines, message", [
    ("  argocd: {syncOptions: [ServerSideApply]}",
     "spec.argocd.syncOptions[0]: 'ServerSideApply' is not an Argo CD sync option"),
    ("  argocd: {syncOptions: [ServerSideApply=yes]}",
     "spec.argocd.syncOptions[0]: ServerSideApply takes true or false, not 'yes'"),
    ("  argocd: {syncOptions: [Replace=true, Replace=false]}", "spec.argocd.syncOptions[1]: Replace is set twice"),
    ("  argocd: {ignoreDifferences: [{kind: Deployment}]}",
     "spec.argocd.ignoreDifferences[0]: names no field to ignore"),
    ("  argocd: {ignoreDifferences: [{kind: deployment, jsonPointers: [/spec]}]}",
     "spec.argocd.ignoreDifferences[0].kind: 'deployment' is not a kind such as Deployment"),
    ("  argocd: {ignoreDifferences: [{kind: Deployment, jsonPointers: [spec/replicas]}]}",
     "spec.argocd.ignoreDifferences[0].jsonPointers[0]: 'spec/replicas' is not a JSON pointer"),
    ("  argocd: {ignoreDiffs: []}", "spec.argocd.ignoreDiffs: unknown field"),
])
def test_bad_argocd_model_settings_are_one_located_line(tmp_path, lines, message):
    [line] = problems(tmp_path, **{"models/iris.yaml": IRIS + "    " + lines + "\n"})
    assert line.startswith("models/iris.yaml:") and message in line, line
