"""Commands speak the conventions of the tools around them: diff's exit status as git diff's, file names that
open from the current directory, GitHub annotations in GitHub Actions, and warnings that say what is valid but
probably not meant."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from generator.errors import Problem, github_annotation
from tests.helpers import BOTH_ENGINES_WARNINGS, build_file_tree, small_fleet, tree_bytes


def gitops_gen(*args, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env={**clean, "NO_COLOR": "1", **env})


def broken(tmp_path: Path) -> Path:
    """The small fleet under tmp_path/repo/specs with an unknown field on line 9 of models/iris.yaml."""
    source = build_file_tree(tmp_path / "repo" / "specs", small_fleet())
    iris = source / "models/iris.yaml"
    iris.write_text(iris.read_text().replace("format: sklearn", "format: sklearn\n  formt: onnx"))
    return source


UNKNOWN = "spec.formt: unknown field (did you mean 'format'?)"


# --- diff ----------------------------------------------------------------------------------------------------


def test_diff_exits_0_when_it_shows_differences_and_1_only_with_exit_code(source, run):
    shown = run("diff", "dev", "prod", "--source", source)
    assert shown.exit_code == 0 and shown.stdout.startswith("iris: dev 1.1.0, prod 1.0.0\n")
    strict = run("diff", "dev", "prod", "--exit-code", "--source", source)
    assert (strict.exit_code, strict.stdout) == (1, shown.stdout)
    same = run("diff", "prod", "prod", "--exit-code", "--source", source)
    assert (same.exit_code, same.stdout) == (0, "iris: same in prod and prod (1.0.0)\n")


def test_a_failing_diff_is_one_line_and_never_looks_like_a_difference(source, run):
    failed = run("diff", "dev", "qa", "--source", source)
    assert (failed.exit_code, failed.stdout) == (1, "")
    assert failed.stderr == "gitops-gen: unknown environment 'qa' (known: dev, prod)\n"


# --- file names from the current directory -------------------------------------------------------------------


def test_messages_name_spec_files_from_the_current_directory(tmp_path):
    source = broken(tmp_path)
    repo = source.parent
    from_repo = gitops_gen("validate", "--source", "specs", cwd=repo)
    assert (from_repo.returncode, from_repo.stderr) == (1, f"specs/models/iris.yaml:9: {UNKNOWN}\n")
    from_tree = gitops_gen("validate", "--source", ".", cwd=source)
    assert from_tree.stderr == f"models/iris.yaml:9: {UNKNOWN}\n"
    from_below = gitops_gen("validate", "--source", "../..", cwd=(source / "envs").resolve())
    assert from_below.stderr == f"../models/iris.yaml:9: {UNKNOWN}\n"
    # Far away: whichever is shorter, and it opens from where the command ran.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    far = gitops_gen("render", "--source", source, "--out", tmp_path / "out", cwd=elsewhere)
    named = far.stderr.split(":9: ")[0]
    assert far.returncode == 1 and named in (f"{source}/models/iris.yaml", "../repo/specs/models/iris.yaml")
    assert (elsewhere / named).is_file()


# --- GitHub Actions ------------------------------------------------------------------------------------------


def test_under_github_actions_errors_are_also_annotations_on_the_file_and_line(tmp_path):
    source = broken(tmp_path)
    repo = source.parent
    result = gitops_gen("render", "--source", "specs", cwd=repo, GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(repo))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"specs/models/iris.yaml:9: {UNKNOWN}",
                                          f"::error file=specs/models/iris.yaml,line=9::{UNKNOWN}"]
    # Anywhere else, no workflow commands.
    assert "::" not in gitops_gen("render", "--source", "specs", cwd=repo).stderr


def test_an_error_without_a_file_is_an_annotation_without_one(tmp_path):
    result = gitops_gen("diff", "dev", "qa", "--source", tmp_path / "missing", cwd=tmp_path, GITHUB_ACTIONS="true")
    assert result.returncode == 1
    [line, annotation] = result.stderr.splitlines()
    assert annotation == "::error::" + line.removeprefix("gitops-gen: ")


def test_annotations_escape_what_the_runner_would_read_as_syntax():
    problem = Problem("a,b:c%.yaml", 3, "spec.x", "100% wrong\r\nsecond line")
    assert github_annotation("error", problem) == (
        "::error file=a%2Cb%3Ac%25.yaml,line=3::spec.x: 100%25 wrong%0D%0Asecond line")


# --- warnings ------------------------------------------------------------------------------------------------


def own_lines(stderr: str) -> list[str]:
    """stderr without render's summary and the small fleet's both-engines warnings."""
    return [line for line in stderr.splitlines()[:-1] if line not in BOTH_ENGINES_WARNINGS]


def test_a_model_no_environment_uses_is_a_located_warning(source, tmp_path, run):
    build_file_tree(source, {"models/spare.yaml": (source / "models/iris.yaml").read_text()
                             .replace("name: iris", "name: spare")})
    for args in (["render", "--out", tmp_path / "out"], ["validate"]):
        result = run(*args, "--source", source)
        assert result.exit_code == 0, result.stderr
        assert own_lines(result.stderr) == [
            "models/spare.yaml:4: metadata.name: warning: no Environment lists model 'spare' in spec.models: it is "
            "checked, but deployed nowhere"]
    assert not any("spare" in path for path in tree_bytes(tmp_path / "out"))


def test_the_placeholder_repo_url_of_init_is_a_warning(tmp_path, run):
    source = tmp_path / "specs"
    assert run("init", source).exit_code == 0
    for args in (["render", "-q"], ["validate", "-q"]):
        result = run(*args, "--source", source)
        assert result.exit_code == 0, result.stderr
        assert result.stderr.startswith("project.yaml:")
        assert ": spec.repoURL: warning: still the placeholder `gitops-gen init` writes" in result.stderr
    project = source / "project.yaml"
    project.write_text(project.read_text().replace("your-org/your-repo", "platform/models"))
    assert run("render", "-q", "--source", source).stderr == ""


def test_a_version_a_label_cannot_hold_is_sanitised_and_said_once(source, tmp_path, run):
    prod = source / "envs/prod.yaml"
    prod.write_text(prod.read_text().replace('version: "1.0.0"', 'version: "1.0.0+build.5"'))
    out = tmp_path / "out"
    result = run("render", "--out", out, "--source", source)
    assert result.exit_code == 0, result.stderr
    # prod has two clusters: one warning, at the line of the pin.
    assert own_lines(result.stderr) == [
        "envs/prod.yaml:19: spec.models.iris.version: warning: version '1.0.0+build.5' is not a valid label value "
        "(letters, digits, '.', '_' and '-', at most 63): its app.kubernetes.io/version label carries "
        "'1.0.0_build.5'"]
    for cluster in ("prod-a", "prod-b"):
        isvc = yaml.safe_load((out / f"workloads/prod/{cluster}/iris/inferenceservice-iris.yaml").read_text())
        assert isvc["metadata"]["labels"]["app.kubernetes.io/version"] == "1.0.0_build.5"
        assert isvc["spec"]["predictor"]["model"]["storageUri"] == "s3://models/iris/1.0.0+build.5"
    assert run("validate", "--source", source).exit_code == 0


def test_an_ab_variant_version_a_label_cannot_hold_is_said_where_it_is_written(source, tmp_path, run):
    model = source / "models/iris.yaml"
    model.write_text(model.read_text() + (
        "  rollout:\n"
        "    strategy: ab\n"
        "    ab:\n"
        "      gateway: {name: gw}\n"
        "      variants:\n"
        "        - {name: a, version: \"1.0.0\", weight: 60}\n"
        "        - {name: b, version: \"2.0.0+rc.1\", weight: 40}\n"))
    result = run("render", "--out", tmp_path / "out", "--source", source)
    assert result.exit_code == 0, result.stderr
    # Every environment runs the variant: one warning, in the model's file.
    assert [line for line in own_lines(result.stderr) if "2.0.0+rc.1" in line] == [
        "models/iris.yaml:18: spec.rollout.ab.variants[1].version: warning: version '2.0.0+rc.1' is not a valid "
        "label value (letters, digits, '.', '_' and '-', at most 63): its app.kubernetes.io/version label carries "
        "'2.0.0_rc.1'"]


def test_warnings_are_annotations_too_under_github_actions(tmp_path):
    source = build_file_tree(tmp_path / "repo" / "specs", small_fleet())
    build_file_tree(source, {"models/spare.yaml": (source / "models/iris.yaml").read_text()
                             .replace("name: iris", "name: spare")})
    result = gitops_gen("validate", "-q", "--source", "specs", cwd=source.parent, GITHUB_ACTIONS="true",
                        GITHUB_WORKSPACE=str(source.parent))
    assert result.returncode == 0
    assert result.stderr.splitlines()[1] == (
        "::warning file=specs/models/spare.yaml,line=4::metadata.name: no Environment lists model 'spare' in "
        "spec.models: it is checked, but deployed nowhere")
