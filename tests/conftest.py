from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.cmp_server import SOURCE_PATH, make_repo, pack, rendered_release_files
from tests.helpers import EXAMPLE, build_file_tree, committed_repo, small_fleet


@pytest.fixture(autouse=True)
def render_records(tmp_path_factory, monkeypatch) -> Path:
    """Each test keeps its render records (generator.emit.record) in a cache directory of its own."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return cache / "gitops-gen" / "renders"


@pytest.fixture(autouse=True)
def fresh_budgets():
    """Each test is a command of its own: default budgets, nothing spent (in-process calls share the ledger)."""
    from generator import budgets
    budgets.set_current(budgets.Budgets())
    yield
    budgets.set_current(budgets.Budgets())


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """The small fleet written to tmp_path/src."""
    return build_file_tree(tmp_path / "src", small_fleet())


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the shipped example, as a source tree."""
    dest = tmp_path / "repo" / "environments"
    shutil.copytree(EXAMPLE, dest)
    return dest


class Result:
    def __init__(self, result):
        self.exit_code = result.exit_code
        self.stdout = result.stdout
        self.stderr = result.stderr


@pytest.fixture
def run():
    """Run the `gitops-gen` CLI in-process: run("render", "--source", dir) -> Result(exit_code, stdout, stderr).

    From inside the source tree when ``--source`` is absolute, as a user working in that tree would: messages
    then name its files as they are written in the tests (tests/test_conventions.py covers other places).
    """
    def invoke(*args: str | Path) -> Result:
        argv = [str(a) for a in args]
        where = argv[argv.index("--source") + 1] if "--source" in argv[:-1] else ""
        with contextlib.chdir(where if os.path.isabs(where) and os.path.isdir(where) else os.getcwd()):
            return Result(CliRunner().invoke(cli, argv, catch_exceptions=False))
    return invoke


# --- Git repositories ------------------------------------------------------------------------------------
# tests/test_history.py has a `git_env` and a `repo` of its own (its commits name their authors).


@pytest.fixture
def git_env(tmp_path, monkeypatch):
    """Git that ignores the machine's config, with a fixed identity."""
    empty = tmp_path / "gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Release Bot")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "bot@example.com")


@pytest.fixture
def repo(tmp_path, run, git_env) -> Path:
    """The shipped example committed with its rendered tree: the source tree (tmp_path/repo/environments)."""
    return committed_repo(tmp_path / "repo", run)


# --- the Argo CD plugin, as argocd-cmp-server drives it (tests/cmp_server.py) ----------------------------
# Module-scoped: one copy per test module. tests/test_example.py, test_bad_inputs.py, test_hardening_input.py
# and test_render_record.py have a `rendered` fixture of their own (a rendered tree, not release files).


@pytest.fixture(scope="module")
def example_repo(tmp_path_factory) -> Path:
    return make_repo(tmp_path_factory.mktemp("example") / "repo")


@pytest.fixture(scope="module")
def tarball(example_repo) -> bytes:
    return pack(example_repo)


@pytest.fixture(scope="module")
def rendered(example_repo, tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """What `gitops-gen render` writes for the example: release directory -> {file name: bytes}."""
    return rendered_release_files(example_repo / SOURCE_PATH, tmp_path_factory.mktemp("rendered") / "out")


@pytest.fixture
def sidecar_tmp(tmp_path) -> Path:
    """The sidecar's own /tmp: request copies and the plugin's cache live here."""
    path = tmp_path / "sidecar-tmp"
    path.mkdir()
    return path


@pytest.fixture(scope="module")
def shared_sidecar_tmp(tmp_path_factory) -> Path:
    """One sidecar serving many requests, as in a cluster: after the first, answered from its cache."""
    return tmp_path_factory.mktemp("sidecar-tmp")


def pytest_collection_modifyitems(config, items) -> None:
    """GITOPS_GEN_TEST_ORDER=reverse runs the suite backwards (.ci/lowest does): no test may rely on another
    having run first, or on a file another test left behind."""
    if os.environ.get("GITOPS_GEN_TEST_ORDER") == "reverse":
        items.reverse()
