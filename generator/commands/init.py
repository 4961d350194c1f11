"""gitops-gen init DIR: write a commented starter source tree that renders and validates as is.

One Project, two Environments (dev, prod) and one Model, each file with the
yaml-language-server modeline pointing at ``.gitops-gen.schema.json`` at the
root of the tree (written too, so editors check the files right away).
Refuses to write into anything but a new or empty directory, and writes all
files or none.
"""
from __future__ import annotations

import json
import os
import posixpath
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import GitopsGenError
from ..load.spec import _REL_PATH
from ..load.spec_schema import spec_schema
from ..paths import output_dir
from ..resolve.spec_warnings import PLACEHOLDER_REPO_URL
from .common import info

SCHEMA_FILE = ".gitops-gen.schema.json"
MODELINE = "# yaml-language-server: $schema={schema}\n"

PROJECT = """\
# The one Project of this source tree: the Git repository that Argo CD and
# Flux read, where this tree and the rendered output live inside it, and
# which engines to generate objects for. Every field: `gitops-gen schema`.
apiVersion: gitops-gen.io/v1alpha1
kind: Project
metadata:
  name: ml-platform
spec:
  # The repository the controllers clone: http(s):// or ssh:// (Flux does
  # not accept the git@host:path form). Replace with yours.
  repoURL: {repo_url}
  targetRevision: main
  # Paths inside that repository: this tree, and where `gitops-gen render`
  # writes (the generated Applications and Kustomizations point there).
  sourcePath: {source_path}
  renderedPath: {rendered_path}
  # The engine of every cluster unless its environment (`engines`) or the
  # cluster itself (`engine`) says otherwise: keep one engine per cluster,
  # or two controllers apply the same objects.
  engines: [argocd]
  # The order a version moves through environments (`gitops-gen promote`).
  promotion: [dev, prod]
  argocd:
    namespace: argocd
    # rendered: Argo CD reads the committed output, reviewable in pull
    # requests. plugin: Argo CD runs gitops-gen itself at sync time.
    mode: rendered
  flux:
    namespace: flux-system
    interval: 5m
    # Models take a while to download and load: give health checks time.
    timeout: 10m
"""

DEV = """\
# dev: one cluster, small pods, every change synced automatically.
apiVersion: gitops-gen.io/v1alpha1
kind: Environment
metadata:
  name: dev
spec:
  # The namespace the models run in, on every cluster of this environment.
  namespace: ml-dev
  clusters:
    # The cluster Argo CD runs in (its default destination).
    - name: dev-local
      server: https://kubernetes.default.svc
  sync: {automated: true, prune: true, selfHeal: true}
  # A partial Model spec applied to every model here.
  overrides:
    replicas: {min: 1, max: 1}
  # The models that run here. Each entry may override any Model field;
  # `version` pins the version this environment runs.
  models:
    iris-classifier:
      version: "1.1.0"
"""

PROD = """\
# prod: two clusters, more replicas, the version that passed dev.
apiVersion: gitops-gen.io/v1alpha1
kind: Environment
metadata:
  name: prod
spec:
  namespace: ml-prod
  clusters:
    - name: prod-eu
      server: https://prod-eu.k8s.example.com:6443
      labels: {region: eu}
    # Reached through a kubeconfig Secret: Flux reconciles this cluster from
    # the hub (rendered under flux/hub) instead of running in it, and is the
    # only engine deploying it.
    - name: prod-us
      server: https://prod-us.k8s.example.com:6443
      kubeConfigSecret: prod-us-kubeconfig
      engine: flux
      labels: {region: us}
      wave: 1
  sync: {automated: true, prune: true, selfHeal: true}
  models:
    iris-classifier:
      version: "1.0.0"
      replicas: {min: 2, max: 6}
"""

MODEL = """\
# A scikit-learn model served by KServe over the Open Inference Protocol.
apiVersion: gitops-gen.io/v1alpha1
kind: Model
metadata:
  name: iris-classifier
  # Copied onto the workload objects.
  labels: {team: data-science}
spec:
  # The default version; environments pin their own.
  version: "1.1.0"
  format: sklearn
  serving: kserve
  # {{ version }} is filled in per release, so a promotion changes what loads.
  storageUri: "s3://acme-models/iris-classifier/{{ version }}"
  # Pinned: KServe's automatic runtime choice depends on what is installed.
  runtime: kserve-sklearnserver
  protocol: v2
  deploymentMode: Standard
  resources: {cpu: "1", memory: 2Gi}
  replicas: {min: 1, max: 3}
  autoscaling: {metric: cpu, target: 75}
"""

# relative path -> text; the modeline's schema path is relative to each file.
STARTER = {
    "project.yaml": PROJECT,
    "environments/dev.yaml": DEV,
    "environments/prod.yaml": PROD,
    "models/iris-classifier.yaml": MODEL,
}


def init(directory: Path) -> int:
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise GitopsGenError(f"{directory}: already exists and is not an empty directory; "
                             "init writes only into a new or empty one, and overwrites nothing")
    source_path, rendered_path = repo_paths(directory)
    files = {rel: _with_modeline(rel, text).replace("{source_path}", source_path)
             .replace("{rendered_path}", rendered_path).replace("{repo_url}", PLACEHOLDER_REPO_URL)
             for rel, text in STARTER.items()}
    files[SCHEMA_FILE] = json.dumps(spec_schema(), indent=2, ensure_ascii=False) + "\n"
    _write_all(directory, files)
    rendered = output_dir(directory, source_path, rendered_path)
    info(f"wrote {len(files)} files into {directory}: {', '.join(files)}")
    info(f"next: set spec.repoURL in {directory / 'project.yaml'}; then "
         f"`gitops-gen render --source {directory}` (writes {rendered}) and "
         f"`gitops-gen validate --source {directory}`")
    info(f"editors: the files name {SCHEMA_FILE} in a yaml-language-server modeline; refresh it after "
         f"upgrading with `gitops-gen schema > {directory / SCHEMA_FILE}`")
    return 0


def _with_modeline(rel: str, text: str) -> str:
    schema = posixpath.relpath(SCHEMA_FILE, posixpath.dirname(rel) or ".")
    return MODELINE.format(schema=schema) + text


def repo_paths(directory: Path) -> tuple[str, str]:
    """``sourcePath`` and ``renderedPath``: the new tree's path inside its Git repository (else inside
    the current directory, else its own name), and a ``rendered`` folder beside it."""
    absolute = directory.absolute()
    top = _git_top(absolute) or Path.cwd()
    rel = os.path.relpath(absolute, top)
    if not _REL_PATH.match(rel.replace(os.sep, "/")):  # ".", or outside: a guess the user may edit
        rel = absolute.name if _REL_PATH.match(absolute.name) else "environments"
    rel = rel.replace(os.sep, "/")
    rendered = posixpath.join(posixpath.dirname(rel), "rendered")
    if rendered == rel:
        rendered = posixpath.join(posixpath.dirname(rel), "rendered-output")
    return rel, rendered


def _git_top(path: Path) -> Path | None:
    existing = next((p for p in (path, *path.parents) if p.is_dir()), None)
    try:
        found = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=existing, capture_output=True,
                               text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return Path(found.stdout.strip()) if found.returncode == 0 and found.stdout.strip() else None


def _write_all(directory: Path, files: dict[str, str]) -> None:
    """Build the tree beside ``directory`` and rename it into place: all files or none."""
    parent = directory.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.init-", dir=parent))
    try:
        for rel, text in files.items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_text(text, encoding="utf-8")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)  # mkdtemp's 0700 would hide the tree from others
        if directory.is_dir():  # empty (checked): move the entries in, as it may be the working directory
            for entry in os.listdir(staging):
                os.rename(staging / entry, directory / entry)
            os.rmdir(staging)
        else:
            os.rename(staging, directory)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise GitopsGenError(f"{directory}: cannot write: {exc.strerror}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

