"""The pre-commit hooks, driven for real: a Git repository whose .pre-commit-config.yaml names this
project's checkout at its HEAD commit, so pre-commit clones it and pip-installs it like a user's would."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import GIT_IDENTITY, REPO, build_file_tree, edited, git_with_env, small_fleet, status


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory) -> dict[str, str]:
    """Environment for git and pre-commit: a private PRE_COMMIT_HOME shared by this module's tests,
    so the hooks' virtualenv is installed once."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    return {**env, **GIT_IDENTITY, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}


@pytest.fixture(scope="module")
def head() -> str:
    done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, f"the tests of the pre-commit hooks need this project as a Git checkout: {done.stderr}"
    return done.stdout.strip()


def gitops_gen(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=repo, capture_output=True, text=True)


def pre_commit(repo: Path, env: dict) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    return done.returncode, done.stdout + done.stderr


@pytest.fixture
def user_repo(tmp_path, hook_env, head) -> Path:
    """A user's repository: specs in environments/, their rendered output committed, both hooks configured."""
    repo = tmp_path / "repo"
    build_file_tree(repo / "environments", small_fleet())
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {head}\n    hooks:\n"
        "      - id: gitops-gen-render\n      - id: gitops-gen-validate\n")
    git_with_env(repo, hook_env, "init", "-q", ".")
    assert gitops_gen(repo, "render").returncode == 0
    git_with_env(repo, hook_env, "add", "-A")
    git_with_env(repo, hook_env, "commit", "-q", "-m", "specs and their rendered output")
    return repo


def bump_prod_version(repo: Path) -> None:
    prod = repo / "environments/envs/prod.yaml"
    prod.write_text(edited(prod.read_text(), 'version: "1.0.0"', 'version: "1.0.1"'))


def test_hooks_pass_on_a_current_tree_and_fail_on_a_stale_one(user_repo, hook_env):
    code, output = pre_commit(user_repo, hook_env)
    assert code == 0, output
    assert (status(output, "gitops-gen render"), status(output, "gitops-gen validate")) == ("Passed", "Passed")

    bump_prod_version(user_repo)  # edited, staged, but not re-rendered
    git_with_env(user_repo, hook_env, "add", "-A")
    code, output = pre_commit(user_repo, hook_env)
    assert code == 1
    assert (status(output, "gitops-gen render"), status(output, "gitops-gen validate")) == ("Failed", "Passed")
    assert "updated: workloads/prod/prod-a/iris/inferenceservice-iris.yaml" in output
    # Like a formatter, the hook left the fixed tree for the user to stage.
    assert gitops_gen(user_repo, "render", "--check").returncode == 0
    assert "rendered/workloads/prod/prod-b/iris/inferenceservice-iris.yaml" in git_with_env(
        user_repo, hook_env, "status", "--porcelain")

    git_with_env(user_repo, hook_env, "add", "-A")
    code, output = pre_commit(user_repo, hook_env)
    assert code == 0, output


def test_render_hook_fails_on_new_files_and_on_rendered_files_not_added_to_git(user_repo, hook_env):
    # A new environment: its release directory and Flux folder are new, untracked files.
    build_file_tree(user_repo / "environments", {"envs/qa.yaml": """\
        apiVersion: gitops-gen.io/v1alpha1
        kind: Environment
        metadata: {name: qa}
        spec:
          namespace: ml-qa
          clusters: [{name: qa-1, server: "https://qa.example.com:6443"}]
          models: {iris: {}}
    """})
    git_with_env(user_repo, hook_env, "add", "environments")
    code, output = pre_commit(user_repo, hook_env)
    assert code == 1 and status(output, "gitops-gen render") == "Failed"
    assert "added: workloads/qa/qa-1/iris/inferenceservice-iris.yaml" in output

    # Rendered by hand but never `git add`ed: the tree on disk is current, the commit would not be.
    code, output = pre_commit(user_repo, hook_env)
    assert code == 1 and status(output, "gitops-gen render") == "Failed"
    assert "untracked: workloads/qa/qa-1/iris/inferenceservice-iris.yaml" in output

    git_with_env(user_repo, hook_env, "add", "-A")
    code, output = pre_commit(user_repo, hook_env)
    assert code == 0, output


def test_both_hooks_fail_on_a_broken_spec_with_a_one_line_error(user_repo, hook_env):
    iris = user_repo / "environments/models/iris.yaml"
    iris.write_text(edited(iris.read_text(), "format: sklearn", "format: sklearn\n  formt: onnx"))
    git_with_env(user_repo, hook_env, "add", "-A")
    before = git_with_env(user_repo, hook_env, "status", "--porcelain")
    code, output = pre_commit(user_repo, hook_env)
    assert code == 1
    assert (status(output, "gitops-gen render"), status(output, "gitops-gen validate")) == ("Failed", "Failed")
    assert output.count("models/iris.yaml:9: spec.formt: unknown field (did you mean 'format'?)") == 2
    assert "Traceback" not in output
    assert git_with_env(user_repo, hook_env, "status", "--porcelain") == before  # nothing rendered from a broken spec


def test_exit_code_outside_git_reports_only_what_the_render_changed(source, tmp_path, run):
    out = tmp_path / "out"  # not in a Git work tree: nothing is "untracked"
    first = run("render", "--source", source, "--out", out, "--exit-code")
    assert first.exit_code == 1 and "added: workloads/dev/dev-1/iris/inferenceservice-iris.yaml" in first.stdout
    again = run("render", "--source", source, "--out", out, "--exit-code")
    assert (again.exit_code, again.stdout) == (0, "")
    (out / "workloads/stray.yaml").write_text("kind: Stray\n")
    stray = run("render", "--source", source, "--out", out, "--exit-code")
    assert (stray.exit_code, stray.stdout) == (1, "removed: workloads/stray.yaml\n")
    assert not (out / "workloads/stray.yaml").exists()
