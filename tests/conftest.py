from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.helpers import EXAMPLE, build_file_tree, small_fleet


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


def pytest_collection_modifyitems(config, items) -> None:
    """GITOPS_GEN_TEST_ORDER=reverse runs the suite backwards (.ci/lowest does): no test may rely on another
    having run first, or on a file another test left behind."""
    if os.environ.get("GITOPS_GEN_TEST_ORDER") == "reverse":
        items.reverse()
