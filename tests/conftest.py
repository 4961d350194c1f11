from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "environments"


def build_file_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: text}`` below ``root`` (text is dedented), so a test reads top to bottom."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


PROJECT = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Project
    metadata: {name: demo}
    spec:
      repoURL: https://git.example.com/demo.git
      engines: [argocd, flux]
      promotion: [dev, prod]
"""

DEV = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Environment
    metadata: {name: dev}
    spec:
      namespace: ml-dev
      clusters:
        - name: dev-1
      models:
        iris: {}
"""

PROD = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Environment
    metadata: {name: prod}
    spec:
      namespace: ml-prod
      clusters:
        - name: prod-a
          server: https://a.example.com:6443
          labels: {region: eu}
        - name: prod-b
          server: https://b.example.com:6443
          kubeConfigSecret: prod-b-kubeconfig
          wave: 1
      sync: {prune: false}
      overrides:
        resources: {memory: 4Gi}
      models:
        iris:
          version: "1.0.0"
          replicas: {min: 2, max: 5}
"""

IRIS = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Model
    metadata:
      name: iris
      labels: {team: demo}
    spec:
      version: "1.1.0"
      format: sklearn
      storageUri: "s3://models/iris/{{ version }}"
      runtime: kserve-sklearnserver
      resources: {cpu: "1", memory: 2Gi}
"""


def small_fleet() -> dict[str, str]:
    """A valid source tree: two environments, three clusters, one KServe model."""
    return {"project.yaml": PROJECT, "envs/dev.yaml": DEV, "envs/prod.yaml": PROD, "models/iris.yaml": IRIS}


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
    """Run the `gitops-gen` CLI in-process: run("render", "--source", dir) -> Result(exit_code, stdout, stderr)."""
    def invoke(*args: str | Path) -> Result:
        return Result(CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False))
    return invoke


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def pytest_collection_modifyitems(config, items) -> None:
    """GITOPS_GEN_TEST_ORDER=reverse runs the suite backwards (.ci/lowest does): no test may rely on another
    having run first, or on a file another test left behind."""
    if os.environ.get("GITOPS_GEN_TEST_ORDER") == "reverse":
        items.reverse()
