"""Extensions: Jinja2 templates and Jsonnet components, sandboxed, bounded, and treated like built-in objects."""
from __future__ import annotations

import os

import pytest

from generator.builders import extensions
from generator.builders.validation import schema_errors
from generator.builders.workloads import workload_objects
from generator.errors import GitopsGenError
from generator.resolve.fleet import load_fleet
from tests.helpers import COMPONENT_MODEL, build_file_tree, edited, line_matches, release_named, small_fleet

PDB = """\
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata:
      name: {{ model }}
      labels: {owner: {{ spec.format }}}
    spec:
      minAvailable: {{ spec.replicas.min }}
      selector:
        matchLabels: {app.kubernetes.io/name: {{ labels["app.kubernetes.io/name"] }}}
"""

COMPONENT = """\
    local lib = import 'lib/ports.libsonnet';
    function(release) [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: release.model },
        spec: { selector: release.labels, ports: [{ port: lib.http }] },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: release.model + '-' + release.cluster },
        data: { version: release.version, namespace: release.namespace, format: release.spec.format },
      },
    ]
"""


def iris_with_templates(tmp_path, *templates: str, files: dict | None = None):
    tree = {**small_fleet(), **(files or {})}
    tree["models/iris.yaml"] += "      templates: [" + ", ".join(templates) + "]\n"
    return load_fleet(build_file_tree(tmp_path / "src", tree))


def component_fleet(tmp_path, component: str = COMPONENT, files: dict | None = None):
    tree = {**small_fleet(), "models/rec.yaml": COMPONENT_MODEL, "components/rec.jsonnet": component,
            "components/lib/ports.libsonnet": "{ http: 8080 }\n", **(files or {})}
    tree["envs/dev.yaml"] = edited(tree["envs/dev.yaml"], "iris: {}", "iris: {}\n        rec: {}")
    return load_fleet(build_file_tree(tmp_path / "src", tree))


def build_error(release) -> list[str]:
    with pytest.raises(GitopsGenError) as info:
        workload_objects(release)
    return [str(p) for p in info.value.problems]


def test_template_objects_see_the_release_and_get_our_labels_and_annotations(tmp_path):
    fleet = iris_with_templates(tmp_path, "templates/pdb.yaml.j2", files={"templates/pdb.yaml.j2": PDB})
    prod_a = release_named(fleet, "prod-prod-a-iris")
    isvc, pdb = workload_objects(prod_a)
    assert schema_errors(pdb) == []
    assert pdb["metadata"]["namespace"] == "ml-prod"
    assert pdb["spec"] == {"minAvailable": 2, "selector": {"matchLabels": {"app.kubernetes.io/name": "iris"}}}
    labels = pdb["metadata"]["labels"]
    assert labels["owner"] == "sklearn"  # the template's own label survives
    assert labels.items() >= isvc["metadata"]["labels"].items()  # and ours are all there
    assert pdb["metadata"]["annotations"]["gitops-gen.io/source"] == \
        "envs/prod.yaml,models/iris.yaml,project.yaml,templates/pdb.yaml.j2"


def test_templates_can_include_each_other(tmp_path):
    files = {"templates/cm.yaml.j2": "{% include 'templates/_meta.j2' %}\ndata: {v: '{{ version }}'}\n",
             "templates/_meta.j2": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ model }}-info}"}
    fleet = iris_with_templates(tmp_path, "templates/cm.yaml.j2", files=files)
    cm = workload_objects(release_named(fleet, "dev-dev-1-iris"))[1]
    assert (cm["metadata"]["name"], cm["data"]) == ("iris-info", {"v": "1.1.0"})


@pytest.mark.parametrize("template, expected", [
    ("kind: X\nmetadata: {name: {{ modle }}}\n",
     "templates/bad.j2:2: …'modle'… (known names: cluster, environment, labels, model, namespace, spec, "
     "version) (rendering release dev-dev-1-iris)"),
    ("a: 1\nb: {{ ''.__class__ }}\n",
     "templates/bad.j2:2: refused by the template sandbox: …'__class__'…"),
    ("a: 1\n{% for x in %}\n", "templates/bad.j2:2: template syntax error"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ../../x}\n",
     "templates/bad.j2:1: ConfigMap: metadata.name must be a Kubernetes object name"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: kube-system}\n",
     "templates/bad.j2:1: ConfigMap x: metadata.namespace must be 'ml-dev' (the release's namespace) or left out"),
    ("apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: iris}\n",
     "release dev-dev-1-iris: InferenceService iris is generated twice"),
    ("a: [1\n", "templates/bad.j2:2: YAML syntax error"),
])
def test_template_problems_name_the_template_and_line(tmp_path, template, expected):
    fleet = iris_with_templates(tmp_path, "templates/bad.j2", files={"templates/bad.j2": template})
    [found] = build_error(release_named(fleet, "dev-dev-1-iris"))
    assert line_matches(expected + "…", found), found


def test_a_missing_template_is_reported_where_it_is_listed(tmp_path):
    with pytest.raises(GitopsGenError) as info:
        iris_with_templates(tmp_path, "templates/nope.j2")
    assert [str(p) for p in info.value.problems] == [
        "models/iris.yaml:12: spec.templates[0]: templates/nope.j2 not found in the source tree"]


def test_a_template_symlink_leaving_the_tree_is_refused(tmp_path):
    (tmp_path / "secret.txt").write_text("no")
    build_file_tree(tmp_path / "src", {"templates/.keep": ""})
    os.symlink(tmp_path / "secret.txt", tmp_path / "src/templates/leak.j2")
    with pytest.raises(GitopsGenError, match="templates/leak.j2: is a symlink that points outside the source tree"):
        iris_with_templates(tmp_path, "templates/leak.j2")


def test_component_is_called_with_the_release_and_may_import_inside_the_tree(tmp_path):
    [release] = [r for r in component_fleet(tmp_path).releases if r.model == "rec"]
    service, config_map = workload_objects(release)
    assert [schema_errors(o) for o in (service, config_map)] == [[], []]
    assert service["spec"]["ports"] == [{"port": 8080}]
    assert service["spec"]["selector"]["gitops-gen.io/model"] == "rec"
    assert config_map["metadata"]["name"] == "rec-dev-1"
    assert config_map["data"] == {"format": "custom", "namespace": "ml-dev", "version": "2.0"}
    assert config_map["metadata"]["labels"]["gitops-gen.io/environment"] == "dev"
    assert config_map["metadata"]["annotations"]["gitops-gen.io/source"].startswith("components/rec.jsonnet,")


@pytest.mark.parametrize("component, expected", [
    # A successful import first: gojsonnet garbles callback errors after one (see generator/builders/extensions.py).
    ("local ok = import 'lib/ports.libsonnet';\nlocal x = import '../../etc/passwd';\nfunction(release) x",
     "components/rec.jsonnet:2: import '../../etc/passwd' leaves the source tree"),
    ("function(release)\n  { data: importstr '/etc/passwd' }",
     "components/rec.jsonnet:2: import '/etc/passwd': absolute paths are refused"),
    ("function(release)\n  error 'no ' + release.model",
     "components/rec.jsonnet:2: no rec (evaluating release dev-dev-1-rec)"),
    ("function(release) {\n  a: 1 +\n}", "components/rec.jsonnet:3: …"),
    ("function(release) [1]", "components/rec.jsonnet: each document must be a Kubernetes object"),
])
def test_component_problems_name_the_file_and_line(tmp_path, component, expected):
    [release] = [r for r in component_fleet(tmp_path, component).releases if r.model == "rec"]
    [found] = build_error(release)
    assert line_matches(expected + "…", found), found


def test_evaluation_time_is_bounded(tmp_path, monkeypatch):
    # About 0.3 s of work against a limit of 0.02 s: the worker thread is left to finish on its own.
    monkeypatch.setattr(extensions, "EVALUATION_SECONDS", 0.02)
    slow = "function(release) { n: std.length([i for i in std.range(1, 40000)]) }"
    [release] = [r for r in component_fleet(tmp_path, slow).releases if r.model == "rec"]
    assert build_error(release) == ["components/rec.jsonnet: the component did not finish within 0.02s"]


def test_validate_names_a_kind_without_a_schema(tmp_path, run):
    iris_with_templates(tmp_path, "templates/x.j2", files={
        "templates/x.j2": "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"})
    result = run("validate", "--source", tmp_path / "src")
    assert result.exit_code == 1
    assert result.stderr.startswith("templates/x.j2:1: kind: no schema to check example.com/v1 Widget against")
    assert "spec.extensions.allowedKinds" in result.stderr


def test_template_time_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(extensions, "EVALUATION_SECONDS", 0.05)
    busy = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    fleet = iris_with_templates(tmp_path, "templates/busy.j2", files={"templates/busy.j2": busy})
    assert build_error(release_named(fleet, "dev-dev-1-iris")) == ["templates/busy.j2: the template did not finish within 0.05s"]
