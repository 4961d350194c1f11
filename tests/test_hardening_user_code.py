"""Users' code (spec expressions, template files, Jsonnet components) against hostile input, end to end.

Each attack runs through the real CLI (and the Argo CD plugin where it differs): exit 1, one located
line on stderr, and nothing written. Budgets are set small on the command line or in the environment,
so the budget paths are reached in a fraction of a second and a few hundred megabytes at most.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from generator import budgets, timelimit
from generator.builders import extensions
from generator.resolve.templating import TemplateProblem, render_string
from tests.cmp_server import make_repo, one_line, pack, params, request
from tests.helpers import COMPONENT_MODEL, DEV, IRIS, PROD, REPO, build_file_tree, edited, small_fleet, tree_bytes

MEMORY = "128Mi"  # enough for the Go runtime and ordinary components; the attacks need gigabytes
LIMIT_MEMORY = ("--limit", f"jsonnet-memory-bytes={MEMORY}")

OK_COMPONENT = """\
    function(release) { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: release.model }, data: { a: 'b' } }
"""


def fleet_with(tmp_path: Path, component: str | None = None, template: str | None = None,
               project_extra: str = "") -> Path:
    """The small fleet, plus a Jsonnet model `rec` in dev and/or a template on iris."""
    tree = small_fleet()
    if component is not None:
        tree["models/rec.yaml"] = COMPONENT_MODEL
        tree["components/rec.jsonnet"] = component
        tree["envs/dev.yaml"] = edited(DEV, "iris: {}", "iris: {}\n        rec: {}")
        tree["envs/prod.yaml"] = edited(PROD, "      models:\n", "      models:\n        rec: {}\n")
    if template is not None:
        tree["models/iris.yaml"] = IRIS + "      templates: [templates/x.yaml.j2]\n"
        tree["templates/x.yaml.j2"] = template
    tree["project.yaml"] += project_extra
    return build_file_tree(tmp_path / "src", tree)


@pytest.fixture
def rendered_before(tmp_path, run):
    """An output tree from a valid render, to show that a failing command leaves it as it was."""
    src = build_file_tree(tmp_path / "ok", small_fleet())
    out = tmp_path / "out"
    assert run("render", "--source", src, "--out", out).exit_code == 0
    return out, tree_bytes(out)


def refused(run, src: Path, out: Path, *limits: str) -> str:
    """Run render; assert exit 1 and a single stderr line; return it."""
    result = run(*limits, "render", "--source", src, "--out", out)
    assert result.exit_code == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in result.stderr
    return lines[0]


# --- (3) what users' code produces is validated before anything is written ---------------------------

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ model }}-extra
spec:
  replicas: REPLICAS
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x}}
    spec:
      containers: [{name: c, image: nginx}]
"""


@pytest.mark.parametrize("replicas, expected", [
    ("lots", "templates/x.yaml.j2:1: spec.replicas: 'lots' is not of type integer"),
    ("2\n  bogusField: 1", "templates/x.yaml.j2:1: spec.bogusField: unknown field"),
])
def test_an_invalid_object_from_a_template_is_refused_by_render_and_show(replicas, expected, tmp_path, run,
                                                                         rendered_before):
    out, before = rendered_before
    src = fleet_with(tmp_path, template=edited(DEPLOYMENT, "REPLICAS", replicas))
    line = refused(run, src, out)
    assert line.startswith(expected) and "Deployment iris-extra of release dev-dev-1-iris" in line
    assert tree_bytes(out) == before
    shown = run("show", "--env", "dev", "--source", src)
    assert (shown.exit_code, shown.stdout) == (1, "")


def test_a_valid_object_from_a_template_is_written(tmp_path, run):
    src = fleet_with(tmp_path, template=edited(DEPLOYMENT, "REPLICAS", "2"))
    result = run("render", "--source", src, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out/workloads/dev/dev-1/iris/deployment-iris-extra.yaml").is_file()


def test_a_component_object_is_validated_too(tmp_path, run, rendered_before):
    out, before = rendered_before
    component = ("function(release) { apiVersion: 'v1', kind: 'Service', metadata: { name: 'rec' },\n"
                 "  spec: { ports: [{ port: 'http' }] } }\n")
    line = refused(run, fleet_with(tmp_path, component), out, *LIMIT_MEMORY)
    assert line.startswith("components/rec.jsonnet: spec.ports[0].port: 'http' is not of type integer")
    assert tree_bytes(out) == before


SECRET = "apiVersion: v1\nkind: Secret\nmetadata: {{name: creds}}\n{field}: {{password: aHVudGVyMg==}}\n"


@pytest.mark.parametrize("field", ["data", "stringData"])
def test_a_secret_with_values_is_refused_from_a_template(field, tmp_path, run, rendered_before):
    out, before = rendered_before
    line = refused(run, fleet_with(tmp_path, template=SECRET.format(field=field)), out)
    assert line.startswith(f"templates/x.yaml.j2:1: {field}: a Secret must not carry values")
    assert "hunter2" not in line and "aHVudGVyMg" not in line
    assert tree_bytes(out) == before


def test_a_secret_with_values_is_refused_from_a_component(tmp_path, run, rendered_before):
    out, before = rendered_before
    component = "function(release) { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'Yg==' } }\n"
    line = refused(run, fleet_with(tmp_path, component), out, *LIMIT_MEMORY)
    assert line.startswith("components/rec.jsonnet: data: a Secret must not carry values")
    assert tree_bytes(out) == before


def test_a_secret_without_values_is_allowed(tmp_path, run):
    template = "apiVersion: v1\nkind: Secret\nmetadata: {name: creds, annotations: {owner: vault}}\ntype: Opaque\n"
    result = run("render", "--source", fleet_with(tmp_path, template=template), "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr


WIDGET = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 3}\n"
ALLOW_WIDGET = "      extensions:\n        allowedKinds: [{apiVersion: example.com/v1, kind: Widget}]\n"


def test_a_kind_without_a_schema_is_refused_unless_the_project_allows_it(tmp_path, run, rendered_before):
    out, before = rendered_before
    line = refused(run, fleet_with(tmp_path, template=WIDGET), out)
    assert line.startswith("templates/x.yaml.j2:1: kind: no schema to check example.com/v1 Widget against")
    assert "spec.extensions.allowedKinds" in line
    assert tree_bytes(out) == before

    allowed = fleet_with(tmp_path / "allowed", template=WIDGET, project_extra=ALLOW_WIDGET)
    result = run("render", "--source", allowed, "--out", tmp_path / "allowed-out")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "allowed-out/workloads/dev/dev-1/iris/widget-w.yaml").is_file()
    assert run("validate", "--source", allowed).exit_code == 0


def test_allowed_kinds_are_checked_where_they_are_written(tmp_path, run):
    src = fleet_with(tmp_path, project_extra="      extensions:\n        allowedKinds: [{apiVersion: v1, kind: widget}]\n")
    result = run("validate", "--source", src)
    assert result.exit_code == 1
    assert result.stderr.startswith("project.yaml:9: spec.extensions.allowedKinds[0].kind: 'widget' is not")


def test_the_editor_schema_knows_allowed_kinds(run):
    result = run("schema")
    assert result.exit_code == 0
    assert "allowedKinds" in result.stdout


def test_invalid_template_objects_fail_the_plugin_with_one_line(tmp_path):
    def add_template(source: Path) -> None:
        (source / "templates/pdb.yaml.j2").write_text(SECRET.format(field="stringData"))  # fraud-detector's

    done = request(pack(make_repo(tmp_path / "repo", edit=add_template)), tmp_path / "tmp",
                   parameters=params("dev"))
    assert (done.returncode, done.stdout) == (1, "")
    assert one_line(done.stderr).startswith("templates/pdb.yaml.j2:1: stringData: a Secret must not carry values")


# --- (4) a release without objects is an error, in every command ------------------------------------

EMPTY = "function(release)\n  []\n"
EMPTY_LINE = "components/rec.jsonnet: the component returned no objects for release dev-dev-1-rec"


@pytest.mark.parametrize("args", [
    ["render"], ["render", "--check"], ["show", "--env", "dev"], ["show", "--env", "dev", "--model", "rec"],
    ["validate"], ["diff", "dev", "prod"], ["promote", "iris", "--to", "prod", "--dry-run"],
])
def test_an_empty_release_is_an_error_in_every_command(args, tmp_path, run, rendered_before):
    out, before = rendered_before
    src = fleet_with(tmp_path, EMPTY)
    extra = ["--out", out] if args[0] == "render" else []
    result = run(*LIMIT_MEMORY, *args, "--source", src, *extra)
    assert result.exit_code == 1, result.stderr
    assert [line for line in result.stderr.splitlines()] == [
        EMPTY_LINE + "; a release must have objects (an empty one would delete what it deployed)"]
    assert tree_bytes(out) == before


def empty_component_repo(tmp_path: Path) -> bytes:
    def add_empty_component(source: Path) -> None:
        (source / "components").mkdir()
        (source / "components/rec.jsonnet").write_text(EMPTY)
        (source / "models/rec.yaml").write_text(
            "apiVersion: gitops-gen.io/v1alpha1\nkind: Model\nmetadata: {name: rec}\n"
            "spec: {version: '1', format: custom, serving: jsonnet, component: components/rec.jsonnet}\n")
        dev = source / "environments/dev.yaml"
        dev.write_text(edited(dev.read_text(), "  models:\n", "  models:\n    rec: {}\n"))

    return pack(make_repo(tmp_path / "repo", edit=add_empty_component))


@pytest.mark.parametrize("selection", [params("dev"), params("dev", model="rec"), params("dev", model="recommender"),
                                       params("dev", cluster="dev-local")])
def test_the_plugin_refuses_an_empty_release_for_every_selection(selection, tmp_path):
    done = request(empty_component_repo(tmp_path), tmp_path / "tmp", parameters=selection,
                   GITOPS_GEN_LIMIT_JSONNET_MEMORY_BYTES=MEMORY)
    assert (done.returncode, done.stdout) == (1, "")
    assert one_line(done.stderr).startswith(edited(EMPTY_LINE, "dev-dev-1-rec", "dev-dev-local-rec"))


# --- (6) format widths taken from arguments are refused before the string is built --------------------

@pytest.mark.parametrize("text", [
    "{{ '{0:{1}}'.format('a', '300000000') }}",
    "{{ '{:{}}'.format('a', 300000000) }}",
    "{{ '{x:{w}}'.format_map({'x': 'a', 'w': '300000000'}) }}",
    "{{ '{0:{1}.{2}}'.format(1.5, 3, '300000000') }}",
    "{{ '{0:{1:>300000000}}'.format('a', 1) }}",
    "{{ '{0:{1}}'.format('a', '9' * 5000) }}",
])
def test_nested_format_widths_are_refused_before_they_allocate(text):
    render_string("{{ '{0:{1}}'.format('a', 3) }}", {})  # Jinja2 and the sandbox loaded: not counted below
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(TemplateProblem, match="refused by the template sandbox: a format width of"):
            render_string(text, {})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("text, expected", [
    ("{{ '{0:{1}}'.format('a', 3) }}|", "a  |"),
    ("{{ '{:{}}'.format('a', 3) }}|", "a  |"),
    ("{{ '{0:>{1}.{2}}'.format('abc', 6, 2) }}|", "    ab|"),
    ("{{ '{x:{w}}'.format_map({'x': 'a', 'w': 3}) }}|", "a  |"),
])
def test_nested_format_widths_within_bounds_still_work(text, expected):
    assert render_string(text, {}) == expected


def test_a_nested_width_from_an_attribute_is_refused():
    with pytest.raises(TemplateProblem, match="a format width may only come from a plain argument"):
        render_string("{{ '{0:{1.real}}'.format('a', 3) }}", {})


def test_the_nested_format_attack_fails_render_with_one_line(tmp_path, run, rendered_before):
    out, before = rendered_before
    src = fleet_with(tmp_path)
    model = src / "models/iris.yaml"
    model.write_text(edited(model.read_text(), "{{ version }}", "{{ '{0:{1}}'.format('a','300000000') }}"))
    assert refused(run, src, out) == ("models/iris.yaml:9: spec.storageUri: refused by the template sandbox: a format "
                                      "width of 300000000 is larger than the sandbox allows (1048576)")
    assert tree_bytes(out) == before


# --- (7) Jsonnet memory is bounded by the jsonnet-memory-bytes budget ---------------------------------

MEMORY_BOMBS = {
    "makeArray": "function(release)\n  std.makeArray(1e6, function(i) { a: i, b: [i] })\n",
    "repeat": "function(release)\n  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' },\n"
              "    data: { a: std.repeat('a', 2e8) } }\n",
}


@pytest.mark.parametrize("bomb", MEMORY_BOMBS, ids=list(MEMORY_BOMBS))
def test_a_jsonnet_memory_bomb_is_one_line_through_the_cli(bomb, tmp_path, rendered_before):
    out, before = rendered_before
    src = fleet_with(tmp_path, MEMORY_BOMBS[bomb])
    # A process of its own, as users run it: the exit status and stderr are the real ones (no 134, no dump).
    done = subprocess.run([sys.executable, "-m", "generator", *LIMIT_MEMORY, "render", "--source", src, "--out", out],
                          cwd=src, capture_output=True, text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 1, done.stderr[-2000:]
    assert done.stderr.splitlines() == [
        f"components/rec.jsonnet: the component needs more memory than the jsonnet-memory-bytes budget ({MEMORY}) "
        "allows (evaluating release dev-dev-1-rec); raise it with --limit jsonnet-memory-bytes=N or "
        "GITOPS_GEN_LIMIT_JSONNET_MEMORY_BYTES=N"]
    assert tree_bytes(out) == before


def test_a_jsonnet_memory_bomb_is_one_line_through_the_plugin(tmp_path):
    def add_bomb(source: Path) -> None:
        (source / "components").mkdir()
        (source / "components/rec.jsonnet").write_text(MEMORY_BOMBS["makeArray"])
        (source / "models/rec.yaml").write_text(
            "apiVersion: gitops-gen.io/v1alpha1\nkind: Model\nmetadata: {name: rec}\n"
            "spec: {version: '1', format: custom, serving: jsonnet, component: components/rec.jsonnet}\n")
        dev = source / "environments/dev.yaml"
        dev.write_text(edited(dev.read_text(), "  models:\n", "  models:\n    rec: {}\n"))

    done = request(pack(make_repo(tmp_path / "repo", edit=add_bomb)), tmp_path / "tmp", parameters=params("dev"),
                   GITOPS_GEN_LIMIT_JSONNET_MEMORY_BYTES=MEMORY)
    assert (done.returncode, done.stdout) == (1, "")
    assert one_line(done.stderr).startswith(
        f"components/rec.jsonnet: the component needs more memory than the jsonnet-memory-bytes budget ({MEMORY})")


def test_components_still_work_under_a_small_memory_budget(tmp_path, run):
    src = fleet_with(tmp_path, OK_COMPONENT)
    result = run(*LIMIT_MEMORY, "render", "--source", src, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out/workloads/dev/dev-1/rec/configmap-rec.yaml").is_file()


def test_the_component_child_is_reused_within_a_command_and_never_starts_go_here(tmp_path):
    from generator.builders import jsonnet_worker
    from generator.builders.workloads import workload_objects
    from generator.resolve.fleet import load_fleet

    src = fleet_with(tmp_path, OK_COMPONENT)  # rec in dev (one cluster) and prod (two)
    budgets.set_current(budgets.Budgets(jsonnet_memory_bytes=128 << 20))
    jsonnet_worker.discard()
    releases = [r for r in load_fleet(src).releases if r.model == "rec"]
    assert len(releases) == 3
    pids = set()
    for release in releases:
        workload_objects(release)
        pids.add(jsonnet_worker._worker.pid)
    assert len(pids) == 1
    assert "_gojsonnet" not in sys.modules


# --- (8) all user code of one command shares the template-seconds budget --------------------------

LOOP = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
BUDGET_HINT = "raise it with --limit template-seconds=N or GITOPS_GEN_LIMIT_TEMPLATE_SECONDS=N"


def test_expressions_share_the_commands_budget(tmp_path, run, rendered_before):
    out, before = rendered_before
    src = fleet_with(tmp_path)
    model = src / "models/iris.yaml"
    # Many expressions, each within its own second, would add up to minutes.
    model.write_text(model.read_text() + "  env:\n" + "".join(
        f"    A{i}: \"{{% for i in range(1000) %}}{{% for j in range(1000) %}}{{% endfor %}}{{% endfor %}}{i}\"\n"
        for i in range(40)))
    started = time.perf_counter()
    line = refused(run, src, out, "--limit", "template-seconds=0.3")
    assert time.perf_counter() - started < 5
    assert line.startswith("models/iris.yaml:") and ": spec.env.A" in line
    assert "ran out of the template-seconds budget (0.3s for all expressions, templates and components" in line
    assert line.endswith(BUDGET_HINT)
    assert tree_bytes(out) == before


def test_a_template_gets_what_is_left_of_the_budget(tmp_path, run, rendered_before, monkeypatch):
    out, before = rendered_before
    monkeypatch.setenv("GITOPS_GEN_LIMIT_TEMPLATE_SECONDS", "0.2")
    line = refused(run, fleet_with(tmp_path, template=LOOP), out)
    assert line == ("templates/x.yaml.j2: the template ran out of the template-seconds budget (0.2s for all "
                    f"expressions, templates and components of one command); {BUDGET_HINT}")
    assert tree_bytes(out) == before


def test_a_component_gets_what_is_left_of_the_budget(tmp_path, run, rendered_before):
    out, before = rendered_before
    slow = "function(release) { n: std.length([i for i in std.range(1, 3000000)]) }\n"
    line = refused(run, fleet_with(tmp_path, slow), out, "--limit", "template-seconds=0.2",
                   "--limit", "jsonnet-memory-bytes=1Gi")
    assert line.startswith("components/rec.jsonnet: the component ran out of the template-seconds budget (0.2s")
    assert tree_bytes(out) == before


def test_the_plugin_honours_the_sidecars_time_budget(tmp_path):
    def add_template(source: Path) -> None:
        (source / "templates/pdb.yaml.j2").write_text(LOOP)  # fraud-detector's

    done = request(pack(make_repo(tmp_path / "repo", edit=add_template)), tmp_path / "tmp",
                   parameters=params("dev"), GITOPS_GEN_LIMIT_TEMPLATE_SECONDS="0.2")
    assert (done.returncode, done.stdout) == (1, "")
    assert one_line(done.stderr).startswith("templates/pdb.yaml.j2: the template ran out of the template-seconds "
                                            "budget (0.2s")


def test_the_per_item_limits_stay_when_the_budget_is_large(tmp_path, monkeypatch):
    monkeypatch.setattr(extensions, "EVALUATION_SECONDS", 0.05)
    budgets.set_current(budgets.Budgets(template_seconds=100))
    with pytest.raises(timelimit.TimeLimitExceeded) as info:
        with timelimit.time_limit(0.05):
            while True:
                pass
    assert (info.value.seconds, info.value.budget) == (0.05, False)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert 99.9 < budgets.template_seconds_left() < 99.95 + 0.05


def test_time_spent_is_charged_once_for_nested_items():
    budgets.set_current(budgets.Budgets(template_seconds=10))
    with timelimit.time_limit(1.0):
        with timelimit.time_limit(1.0):
            time.sleep(0.05)
    spent = 10 - budgets.template_seconds_left()
    assert 0.05 <= spent < 0.09


def test_a_spent_budget_refuses_the_next_item_at_once():
    budgets.set_current(budgets.Budgets(template_seconds=0.01))
    budgets.spend_template_seconds(0.02)
    with pytest.raises(timelimit.TimeLimitExceeded) as info:
        with timelimit.time_limit(1.0):
            raise AssertionError("must not run")
    assert info.value.budget


# --- (16) a duplicate key in a template's output names the template's line -------------------------------

def test_a_duplicate_key_in_template_output_names_the_template_line(tmp_path, run, rendered_before):
    out, before = rendered_before
    template = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ model }}-cm\n  labels:\n"
                "{% for k in ['x', 'y', 'z'] %}\n    {{ k }}: '1'\n{% endfor %}\n"
                "  annotations: {}\n  labels: {}\n")
    line = refused(run, fleet_with(tmp_path, template=template), out)
    assert line == ("templates/x.yaml.j2:10: metadata.labels: duplicate key "
                    "(in the output rendered for release dev-dev-1-iris)")
    assert tree_bytes(out) == before


def test_a_duplicate_key_made_by_a_loop_names_the_template_and_the_key(tmp_path, run, rendered_before):
    out, before = rendered_before
    template = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n"
                "{% for k in ['a', 'b', 'a'] %}\n  {{ k }}: '1'\n{% endfor %}\n")
    line = refused(run, fleet_with(tmp_path, template=template), out)
    assert line.startswith("templates/x.yaml.j2: data.a: duplicate key (line ")
    assert line.endswith(" of the output rendered for release dev-dev-1-iris)")
    assert tree_bytes(out) == before


@pytest.mark.parametrize("source, rendered, line, expected", [
    ("a\nb\n", "a\nb\n", 2, 2),
    ("a\n{% x %}\nb: {{ y }}\nc\n", "a\n\nb: 1\nq\nc\n", 5, 4),
    ("a\nc\nc\n", "a\nz\nc\nc\n", 4, 3),
    ("a\n{{ x }}\n", "a\nk\nk\n", 3, 0),
])
def test_template_line_maps_output_lines_back_when_it_can(source, rendered, line, expected):
    assert extensions.template_line(source, rendered, line) == expected


def test_validation_is_imported_only_when_user_code_produced_objects(tmp_path):
    # The plugin compiles on every cache miss: a tree without templates or components pays nothing for it.
    src = build_file_tree(tmp_path / "src", small_fleet())
    code = ("import sys; from plugin.release_index import build_index; build_index(sys.argv[1]); "
            "print(*(name in sys.modules for name in ('generator.builders.validation', 'jsonschema', 'jsonschema_rs')))")
    done = subprocess.run([sys.executable, "-c", code, str(src)], capture_output=True, text=True, cwd=REPO)
    assert (done.returncode, done.stdout) == (0, "False False False\n"), done.stderr
    with_template = fleet_with(tmp_path / "t", template=edited(DEPLOYMENT, "REPLICAS", "2"))
    done = subprocess.run([sys.executable, "-c", code, str(with_template)], capture_output=True, text=True, cwd=REPO)
    assert (done.returncode, done.stdout) == (0, "True False True\n"), done.stderr
