"""What tests share: the small fleet's spec texts, writing a source tree, editing fixture text, reading a tree.

Fixtures live in conftest.py; tests import these helpers from here.
"""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

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

# PROJECT gives every cluster both engines: what render says about it on stderr, once per environment.
BOTH_ENGINES_WARNINGS = [
    f"project.yaml:6: spec.engines: warning: both Argo CD and Flux deploy environment {env!r} on {clusters}: both "
    "will apply the same objects and undo each other's changes; give each cluster one engine (the environment's "
    "engines, or a cluster's engine)"
    for env, clusters in (("dev", "dev-1"), ("prod", "prod-a, prod-b"))]

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


def edited(text: str, old: str, new: str, count: int = -1) -> str:
    """``text.replace(old, new, count)``, failing when ``old`` is not in ``text``: an edit of fixture text
    that matches nothing would leave the test testing the unedited text."""
    assert old in text, f"{old!r} is not in the text: the edit would change nothing"
    return text.replace(old, new, count)


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def release_named(fleet, name: str):
    """The release named ``name`` (``<environment>-<cluster>-<model>``): a test says which one it means,
    and does not depend on the order releases are sorted in."""
    found = [r for r in fleet.releases if r.name == name]
    assert found, f"no release {name!r} (there are: {', '.join(r.name for r in fleet.releases)})"
    return found[0]

# --- Error lines: what a user relies on, not a dependency's wording ----------------------------------------
# An expected line is exact, except that ``…`` stands for any text: use it where the words come from
# PyYAML/libyaml, pydantic, Jinja2, jsonschema, gojsonnet or the OS, whose newest versions (what pip
# resolves in CI) may phrase things differently. What stays exact is ours: the file, the line, the field
# path, our own wording and hints around the dependency's words.

ANY = "…"


def line_matches(expected: str, actual: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in expected.split(ANY))
    return re.fullmatch(pattern, actual, re.DOTALL) is not None


def assert_lines(text: str, expected: list[str], context: object = "") -> None:
    """``text`` is exactly ``len(expected)`` lines, each matching its expected line."""
    lines = text.splitlines()
    if len(lines) != len(expected) or not all(map(line_matches, expected, lines)):
        assert lines == expected, context  # pytest shows the difference line by line

