"""Hostile input, round two: each attack, run through the real CLI (and the plugin where it reads the tree
its own way), is refused with exactly one located line and exit 1, and the rendered tree is left as it was.

What is asserted is what a user relies on (exit code, one line, file, line, field, nothing written), not
the exact wording. Line numbers are those of the small fleet (tests/helpers.py; see tests/test_bad_inputs.py):

    models/iris.yaml    4 name  5 labels  6 spec  7 version  8 format  9 storageUri  10 runtime  11 resources
                        (12: the first line appended to spec)
    envs/prod.yaml      7 - name: prod-a  8 server  9 labels  ...  17 models  18 iris  19 version
"""
from __future__ import annotations

import errno
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from generator import budgets
from tests.helpers import DEV, IRIS, PROD, PROJECT, build_file_tree, edited, small_fleet, tree_bytes

MODEL, PROD_ENV = "models/iris.yaml", "envs/prod.yaml"
CMP = str(Path(sys.executable).parent / "gitops-gen-cmp")


@pytest.fixture(autouse=True)
def default_budgets():
    """In-process commands set the process's budgets: later tests calling the library get the defaults back."""
    yield
    budgets.set_current(budgets.Budgets())


@pytest.fixture
def rendered(tmp_path, run):
    """The valid small fleet, rendered: (source tree, output tree, its bytes)."""
    src = build_file_tree(tmp_path / "src", small_fleet())
    out = tmp_path / "out"
    result = run("render", "--source", src, "--out", out)
    assert result.exit_code == 0, result.stderr
    return src, out, tree_bytes(out)


def one_refusal(run, rendered, *options: str, commands=(("render",), ("validate",))) -> str:
    """Run each command on the (broken) source tree: exit 1, one line on stderr, nothing written. The line."""
    src, out, before = rendered
    lines = set()
    for command in commands:
        args = [*options, *command, "--source", src] + (["--out", out] if command[0] == "render" else [])
        result = run(*args)
        assert result.exit_code == 1, (command, result.stderr)
        assert len(result.stderr.splitlines()) == 1, (command, result.stderr)
        assert "Traceback" not in result.stderr and result.stdout == ""
        lines.add(result.stderr.strip())
    assert tree_bytes(out) == before
    assert [name for name in os.listdir(out.parent) if name.startswith(".")] == []  # no staging tree left
    assert len(lines) == 1, lines
    return lines.pop()


def break_tree(rendered, files: dict[str, str | bytes]) -> Path:
    src = rendered[0]
    for rel, content in files.items():
        if isinstance(content, bytes):
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            (src / rel).write_bytes(content)
        else:
            build_file_tree(src, {rel: content})
    return src


def plugin_generate(app_dir: Path, tmp_path: Path, **extra_env: str) -> subprocess.CompletedProcess:
    """`gitops-gen-cmp generate` as argocd-cmp-server runs it: a fresh process in the source tree."""
    env = {"PATH": os.defpath, "TMPDIR": str(tmp_path), "ARGOCD_APP_SOURCE_PATH": ".",
           "ARGOCD_APP_PARAMETERS": '[{"name": "environment", "string": "dev"}]', **extra_env}
    return subprocess.run([CMP, "generate"], cwd=app_dir, env=env, capture_output=True, text=True, timeout=120,
                          preexec_fn=limit_memory)


def limit_memory() -> None:
    # The attacks below took gigabytes; a refusal takes what an ordinary run does.
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


# --- (2) aliases bounded in bytes, for the whole command --------------------------------------------------

def aliased_string(length: int, copies: int) -> str:
    """A document of few nodes that is ``length * copies`` characters once its aliases are expanded."""
    return f'big: &big "{"x" * length}"\ncopies: [{", ".join(["*big"] * copies)}]\n'


@pytest.mark.parametrize("length, copies", [(1_000_000, 3000), (100_000, 1000)], ids=["1MB-x3000", "100KB-x1000"])
def test_aliases_of_a_large_string_are_refused_before_they_expand(rendered, run, length, copies):
    break_tree(rendered, {"models/bomb.yaml": aliased_string(length, copies)})
    line = one_refusal(run, rendered)
    assert line.startswith("models/bomb.yaml:2: copies: ")
    assert "input-bytes" in line  # says which budget, and so how to raise it


def test_the_plugin_refuses_aliases_of_a_large_string_too(tmp_path):
    src = build_file_tree(tmp_path / "src", {**small_fleet(), "models/bomb.yaml": aliased_string(1_000_000, 3000)})
    done = plugin_generate(src, tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("models/bomb.yaml:2: copies: ")


def test_the_budget_is_for_all_spec_files_together_and_counts_expanded_aliases(rendered, run):
    # 100 copies of a 1000-character annotation: a 2 KB file, 100 KB once read.
    annotations = "      annotations:\n        a0: &note " + "n" * 1000 + "\n" + "".join(
        f"        a{i}: *note\n" for i in range(1, 100))
    break_tree(rendered, {MODEL: edited(IRIS, "      labels: {team: demo}\n", "      labels: {team: demo}\n"
                                        + annotations, 1)})
    line = one_refusal(run, rendered, "--limit", "input-bytes=50Ki")
    assert line.startswith("models/iris.yaml:3: metadata: ")
    # The budget is the command's: every file counts, and the first file past it is named.
    src, out, _ = rendered
    first = (src / "envs/dev.yaml").stat().st_size  # files are read in sorted order; envs/prod.yaml is next
    assert one_refusal(run, rendered, "--limit", f"input-bytes={first + 1}").startswith("envs/prod.yaml: ")
    assert run("--limit", "input-bytes=200Ki", "validate", "--source", src).exit_code == 0
    assert run("validate", "--source", src).exit_code == 0  # the default is far above a real fleet


def test_the_plugin_takes_the_budget_from_its_own_environment(tmp_path):
    src = build_file_tree(tmp_path / "src", small_fleet())
    done = plugin_generate(src, tmp_path, GITOPS_GEN_LIMIT_INPUT_BYTES="1Ki")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.count("\n") == 1 and "input-bytes" in done.stderr


# --- (5) numbers YAML 1.1 would rewrite ---------------------------------------------------------------------

@pytest.mark.parametrize("written", ["017", "0x10", "0b11", "1:30", "1_000", "+1", "1_0.5", "1:30.5"])
def test_a_number_yaml_would_rewrite_is_refused_not_changed(rendered, run, written):
    break_tree(rendered, {MODEL: edited(IRIS, 'version: "1.1.0"', f"version: {written}", 1)})
    line = one_refusal(run, rendered)
    assert line.startswith("models/iris.yaml:7: spec.version: ")
    assert f'"{written}"' in line  # how to keep it: quote it


@pytest.mark.parametrize("file, old, new, where", [
    (PROD_ENV, 'version: "1.0.0"', "version: 017", "envs/prod.yaml:19: spec.models.iris.version: "),
    (MODEL, "labels: {team: demo}", "labels: {team: 0x10}", "models/iris.yaml:5: metadata.labels.team: "),
    (PROD_ENV, "labels: {region: eu}", "labels: {region: 1_000}", "envs/prod.yaml:9: spec.clusters[0].labels.region: "),
    (MODEL, "labels: {team: demo}", "labels: {team: 1.10}", "models/iris.yaml:5: metadata.labels.team: "),
    (MODEL, "labels: {team: demo}", "labels: {team: on}", "models/iris.yaml:5: metadata.labels.team: "),
    (MODEL, 'version: "1.1.0"', "version: yes", "models/iris.yaml:7: spec.version: "),
    (MODEL, "runtime: kserve-sklearnserver", "runtime: kserve-sklearnserver\n      port: 0x1F90",
     "models/iris.yaml:11: spec.port: "),
])
def test_every_string_field_keeps_what_was_written_or_refuses(rendered, run, file, old, new, where):
    text = {MODEL: IRIS, PROD_ENV: PROD}[file]
    break_tree(rendered, {file: edited(text, old, new, 1)})
    assert one_refusal(run, rendered).startswith(where)


def test_quoted_and_canonical_numbers_are_kept_exactly(rendered, run):
    src = break_tree(rendered, {MODEL: edited(edited(IRIS, 'version: "1.1.0"', 'version: "017"', 1),
                                              "labels: {team: demo}", "labels: {team: '1.10', tier: 3}", 1)})
    shown = run("show", "--env", "dev", "--source", src)
    assert shown.exit_code == 0, shown.stderr
    assert "app.kubernetes.io/version: '017'" in shown.stdout
    assert "storageUri: s3://models/iris/017" in shown.stdout
    assert "team: '1.10'" in shown.stdout and "tier: '3'" in shown.stdout


# --- (11) tags with values not of their kind; file names that are not UTF-8 -----------------------------------

@pytest.mark.parametrize("tagged", ['!!bool maybe', '!!bool ""', '!!int ""', '!!float ""', "!!int 0x", "!!null x",
                                    "!!int ١٢"])
def test_a_tag_on_a_value_not_of_its_kind_is_a_located_line(rendered, run, tagged):
    break_tree(rendered, {MODEL: edited(IRIS, 'version: "1.1.0"', f"version: {tagged}", 1)})
    assert one_refusal(run, rendered).startswith("models/iris.yaml:7: spec.version: ")


@pytest.mark.parametrize("name", [b"models/extra\xff.yaml", b"models/\xe9t\xe9/extra.yaml", b"templates/pdb\xff.yaml.j2"])
def test_a_file_name_that_is_not_utf8_is_one_line(rendered, run, name):
    src = rendered[0]
    path = os.fsencode(src) + b"/" + name
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(edited(IRIS, "    ", "", 1) if name.endswith(b".yaml") else "kind: ConfigMap\n")
    line = one_refusal(run, rendered)
    shown = name.decode("utf-8", "backslashreplace")
    assert line.startswith(f"{shown}: ")


def test_the_plugin_refuses_a_file_name_that_is_not_utf8(tmp_path):
    src = build_file_tree(tmp_path / "src", small_fleet())
    with open(os.fsencode(src) + b"/models/extra\xff.yaml", "w") as fh:
        fh.write("a: 1\n")
    done = plugin_generate(src, tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "models/extra\\xff.yaml: the file or folder name is not valid UTF-8; rename it\n"


# --- (15) only ASCII digits ---------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, where", [
    ('cpu: "1"', 'cpu: "١٢"', "models/iris.yaml:11: spec.resources.cpu: "),
    ("memory: 2Gi", 'memory: "２Gi"', "models/iris.yaml:11: spec.resources.memory: "),
    ("runtime: kserve-sklearnserver", 'runtime: kserve-sklearnserver\n      port: "٨٠٨٠"', "models/iris.yaml:11: spec.port: "),
    ("runtime: kserve-sklearnserver", 'runtime: kserve-sklearnserver\n      replicas: {min: "١", max: 2}',
     "models/iris.yaml:11: spec.replicas.min: "),
    ("runtime: kserve-sklearnserver", "runtime: kserve-sklearnserver\n      port: true", "models/iris.yaml:11: spec.port: "),
    ("runtime: kserve-sklearnserver", 'runtime: kserve-sklearnserver\n      port: " 8_080"',
     "models/iris.yaml:11: spec.port: "),
])
def test_numbers_in_spec_fields_take_only_ascii_digits(rendered, run, old, new, where):
    break_tree(rendered, {MODEL: edited(IRIS, old, new, 1)})
    assert one_refusal(run, rendered).startswith(where)


@pytest.mark.parametrize("file, old, new, where", [
    (PROD_ENV, "wave: 1", 'wave: "١"', "envs/prod.yaml:13: spec.clusters[1].wave: "),
    (MODEL, "runtime: kserve-sklearnserver", "runtime: kserve-sklearnserver\n      monitoring:\n        metrics: true\n"
                                             "        alerts: {latencyP99: \"٥٠٠ms\"}",
     "models/iris.yaml:13: spec.monitoring.alerts.latencyP99: "),
])
def test_durations_and_waves_take_only_ascii_digits(rendered, run, file, old, new, where):
    text = {MODEL: IRIS, PROD_ENV: PROD}[file]
    break_tree(rendered, {file: edited(text, old, new, 1)})
    assert one_refusal(run, rendered).startswith(where)


def test_numbers_written_as_text_with_ascii_digits_still_work(rendered, run):
    src = break_tree(rendered, {MODEL: edited(IRIS, "runtime: kserve-sklearnserver",
                                              'runtime: kserve-sklearnserver\n      replicas: {min: "2", max: 3}', 1)})
    shown = run("show", "--env", "dev", "--source", src)
    assert shown.exit_code == 0, shown.stderr
    assert "minReplicas: 2" in shown.stdout


# --- (16) clear messages -------------------------------------------------------------------------------------

@pytest.mark.parametrize("extra, length", [("", 54), ("      serving: deployment\n      image: img\n"
                                                       "      rollout: {strategy: canary}\n", 57)])
def test_a_name_too_long_for_the_objects_named_after_it_blames_the_name(rendered, run, extra, length):
    name = "m" * length
    model = edited(IRIS, "name: iris", f"name: {name}", 1) + extra
    if extra:  # serving: deployment reads neither storageUri nor runtime: both would be refused
        model = edited(model, 'format: sklearn\n      storageUri: "s3://models/iris/{{ version }}"\n'
                              "      runtime: kserve-sklearnserver", "format: custom", 1)
    break_tree(rendered, {MODEL: model, "envs/dev.yaml": edited(DEV, "iris: {}", f"{name}: {{}}", 1),
                          PROD_ENV: edited(PROD, "    iris:\n", f"    {name}:\n", 1)})
    line = one_refusal(run, rendered)
    assert line.startswith("models/iris.yaml:4: metadata.name: ")
    assert "63" in line and ("-predictor" in line if not extra else "-canary" in line)


def test_an_unreadable_templates_folder_says_so(rendered, run, monkeypatch):
    src = break_tree(rendered, {MODEL: IRIS + "      templates: [templates/pdb.yaml.j2]\n",
                                "templates/pdb.yaml.j2": "kind: ConfigMap\n"})
    unreadable = src / "templates"
    if os.geteuid() != 0:
        unreadable.chmod(0)  # restored below
    else:  # root reads any folder: have the OS refuse this one all the same
        real_scandir = os.scandir

        def scandir(path="."):
            if os.fspath(path) == os.fspath(unreadable):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
    try:
        line = one_refusal(run, rendered)
    finally:
        unreadable.chmod(0o755)
    assert line == f"templates: cannot read this folder: {os.strerror(errno.EACCES)}"


@pytest.mark.parametrize("name", ["models/extra.YAML", "models/extra.Yml"])
def test_an_upper_case_extension_is_refused_not_ignored(rendered, run, name):
    break_tree(rendered, {name: IRIS})
    line = one_refusal(run, rendered)
    assert line.startswith(f"{name}: ") and ".yaml" in line


# --- (10) ApplicationSet names ----------------------------------------------------------------------------------

def model_named(name: str) -> str:
    return edited(edited(IRIS, "name: iris", f"name: {name}", 1), "models/iris/", f"models/{name}/", 1)


def environment(name: str, model: str) -> str:
    return edited(edited(edited(DEV, "{name: dev}", f"{{name: {name}}}", 1), "dev-1", f"{name}-1", 1),
                  "iris: {}", f"{model}: {{}}", 1)


def test_two_applicationsets_with_one_name_are_refused_naming_both(tmp_path, run):
    project = edited(PROJECT, "promotion: [dev, prod]", "promotion: []\n      argocd: {applicationSets: true}", 1)
    files = {"project.yaml": project, "models/c.yaml": model_named("c"), "models/b-c.yaml": model_named("b-c"),
             "envs/a.yaml": environment("a", "b-c"), "envs/a-b.yaml": environment("a-b", "c")}
    src = build_file_tree(tmp_path / "src", files)
    out = tmp_path / "out"
    for args in (["render", "--out", out], ["validate"]):
        result = run(*args, "--source", src)
        assert result.exit_code == 1, result.stderr
        [line] = result.stderr.splitlines()
        assert line.startswith("envs/a.yaml:9: spec.models.b-c: ") or line.startswith("envs/a-b.yaml:9: spec.models.c: ")
        assert "'a-b-c'" in line and ("envs/a-b.yaml:9" in line or "envs/a.yaml:9" in line)
    assert not out.exists()
    # One Application per release instead: their names differ (a-a-1-b-c, a-b-a-b-1-c), so this renders.
    build_file_tree(src, {"project.yaml": edited(PROJECT, "promotion: [dev, prod]", "promotion: []", 1)})
    assert run("render", "--source", src, "--out", out).exit_code == 0
