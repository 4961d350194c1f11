"""The command line as users meet it: exit codes, one-line errors, stdout vs stderr."""
from __future__ import annotations

import errno
import subprocess
import sys

import pytest
import yaml

from generator import __version__
from tests.helpers import REPO, edited


def gitops_gen(*args, cwd=REPO, env=None):
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env=env)


def test_show_prints_the_selected_releases_as_one_stream(source, run):
    result = run("show", "--source", source, "--env", "prod", "--cluster", "prod-b")
    assert result.exit_code == 0
    docs = list(yaml.safe_load_all(result.stdout))
    assert [(d["kind"], d["metadata"]["labels"]["gitops-gen.io/cluster"]) for d in docs] == [
        ("InferenceService", "prod-b")]
    both = list(yaml.safe_load_all(run("show", "--source", source, "--env", "prod").stdout))
    assert len(both) == 2


def test_show_unknown_environment_is_one_line_and_exit_1(source, run):
    result = run("show", "--source", source, "--env", "qa")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "gitops-gen: unknown environment 'qa' (known: dev, prod)\n"


def test_missing_source_tree(tmp_path, run):
    result = run("render", "--source", tmp_path / "nope")
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("nope: source tree not found (use --source DIR)")


def test_wrong_usage_exits_2(run):
    assert run("show").exit_code == 2
    assert run("render", "--bogus").exit_code == 2


def test_unknown_field_exits_1_with_one_line_and_no_output(source, tmp_path):
    iris = source / "models/iris.yaml"
    iris.write_text(edited(iris.read_text(), "format: sklearn", "format: sklearn\n  formt: onnx"))
    result = gitops_gen("render", "--source", source, "--out", tmp_path / "out")
    assert result.returncode == 1
    # Named from the current directory (the source tree is elsewhere): a terminal or editor opens it as it is.
    assert result.stderr == f"{source}/models/iris.yaml:9: spec.formt: unknown field (did you mean 'format'?)\n"
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_internal_errors_are_one_line_unless_debug(source, tmp_path, monkeypatch, run):
    import generator.commands.render as render_module

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(render_module, "build_fleet", broken)
    result = run("render", "--source", source, "--out", tmp_path / "out")
    assert result.exit_code == 3
    assert result.stderr == "gitops-gen: internal error: KeyError: 'boom' (re-run with --debug for the traceback)\n"
    result = run("--debug", "render", "--source", source, "--out", tmp_path / "out")
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.stderr


def test_version_and_python_dash_m():
    result = gitops_gen("--version")
    assert result.returncode == 0 and __version__ in result.stdout


def test_validate_reports_schema_problems_per_file(source, run, monkeypatch):
    import generator.builders.kserve as kserve

    original = kserve.inference_service

    def with_typo(release):
        obj = original(release)
        obj["spec"]["predictor"]["minReplicaz"] = 1
        return obj

    monkeypatch.setattr(kserve, "inference_service", with_typo)
    result = run("validate", "--source", source)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "../rendered/workloads/dev/dev-1/iris/inferenceservice-iris.yaml: spec.predictor.minReplicaz: unknown field")


def test_a_closed_pipe_stops_quietly(tmp_path):
    """`gitops-gen show ... | head -1`: no traceback, no 'internal error' when the reader goes away."""
    from tests.helpers import IRIS, build_file_tree, small_fleet

    files = small_fleet()
    names = [f"m{i:03d}" for i in range(20)]
    for name in names:
        files[f"models/{name}.yaml"] = edited(IRIS, "name: iris", f"name: {name}")
    files["envs/dev.yaml"] = edited(files["envs/dev.yaml"], "iris: {}", "iris: {}\n" + "".join(
        f"        {name}: {{}}\n" for name in names))
    source = build_file_tree(tmp_path / "src", files)
    proc = subprocess.Popen([sys.executable, "-m", "generator", "show", "--source", str(source), "--env", "dev"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader leaves before the output comes (pipe buffers here can be large)
    stderr = proc.stderr.read().decode()
    assert (proc.wait(), stderr) == (141, "")


@pytest.mark.parametrize("error, code, line", [
    (PermissionError(errno.EACCES, "Permission denied", "/srv/specs/x.yaml"), 1,
     "gitops-gen: /srv/specs/x.yaml: Permission denied"),
    (OSError(errno.EROFS, "Read-only file system"), 1, "gitops-gen: Read-only file system"),
    (OSError(errno.EINVAL, "Invalid argument"), 3,
     "gitops-gen: internal error: OSError: [Errno 22] Invalid argument (re-run with --debug for the traceback)"),
])
def test_os_errors_users_can_fix_are_one_line_others_are_bugs(source, run, monkeypatch, error, code, line):
    import generator.commands.show as show_module

    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr(show_module, "load_fleet", failing)
    result = run("show", "--source", source, "--env", "dev")
    assert (result.exit_code, result.stderr) == (code, line + "\n")

