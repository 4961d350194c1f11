"""docs/ci.md's local pre-commit hooks, exactly as written there: taken out of the page and run by real
pre-commit in a real Git repository, with gitops-gen from this environment (`language: system`)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import EXAMPLE, REPO
from tests.test_precommit import GIT_IDENTITY, git, status

CI_DOC = REPO / "docs/ci.md"


def local_recipe() -> str:
    """The one YAML block of docs/ci.md that configures `repo: local` hooks."""
    blocks = re.findall(r"^```yaml\n(.*?)^```", CI_DOC.read_text(), flags=re.M | re.S)
    [recipe] = [b for b in blocks if "repo: local" in b]
    return recipe


@pytest.fixture
def recipe_repo(tmp_path) -> tuple[Path, dict]:
    """The shipped example committed with its rendered output and the recipe as .pre-commit-config.yaml."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env = {**env, **GIT_IDENTITY, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           # gitops-gen of this checkout first on PATH, as an installed one would be
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', os.defpath)}"}
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo / "environments")
    (repo / ".pre-commit-config.yaml").write_text(local_recipe())
    git(repo, env, "init", "-q", ".")
    assert subprocess.run(["gitops-gen", "render", "-q"], cwd=repo, env=env).returncode == 0
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "-m", "specs and their rendered output")
    return repo, env


def pre_commit(repo: Path, env: dict, *args: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--color", "never", *args],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    return done.returncode, done.stdout + done.stderr


def test_the_recipe_is_valid_pre_commit_config_with_the_settings_it_needs():
    hooks = yaml.safe_load(local_recipe())["repos"][0]["hooks"]
    assert [h["id"] for h in hooks] == ["gitops-gen-render", "gitops-gen-validate"]
    assert all(h["pass_filenames"] is False and h["require_serial"] is True for h in hooks)


def test_the_recipe_as_written_passes_on_a_current_tree_and_fails_on_a_stale_one(recipe_repo):
    repo, env = recipe_repo
    code, output = pre_commit(repo, env, "--all-files")
    assert code == 0, output
    assert (status(output, "gitops-gen render"), status(output, "gitops-gen validate")) == ("Passed", "Passed")
    assert "unexpected extra argument" not in output

    # Only a Terraform output changed (prod's clusters come from it): the hooks run, and the render hook
    # re-renders what it feeds.
    outputs = repo / "environments/infra/outputs.json"
    changed = outputs.read_text().replace("https://prod-eu.k8s.example.com:6443", "https://prod-eu-2.k8s.example.com:6443")
    assert changed != outputs.read_text()
    outputs.write_text(changed)
    git(repo, env, "add", "environments/infra/outputs.json")
    code, output = pre_commit(repo, env)  # the staged files only, as on `git commit`
    assert code == 1, output
    assert (status(output, "gitops-gen render"), status(output, "gitops-gen validate")) == ("Failed", "Passed")
    assert "updated: " in output
    git(repo, env, "add", "-A")
    code, output = pre_commit(repo, env)
    assert code == 0, output


def test_the_shipped_hooks_and_the_recipe_run_on_the_same_files():
    shipped = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    local = yaml.safe_load(local_recipe())["repos"][0]["hooks"]
    for hook in [*shipped, *local]:
        pattern = re.compile(hook["files"])
        for path in ("environments/project.yaml", "x/y.yml", "templates/pdb.yaml.j2", "components/a.jsonnet",
                     "components/lib.libsonnet", "environments/infra/outputs.json"):
            assert pattern.search(path), (hook["id"], path)
        assert not pattern.search("README.md")
