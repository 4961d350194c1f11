"""The Argo CD plugin driven the way argocd-cmp-server drives it, for tests of `gitops-gen-cmp`.

argocd-cmp-server receives the repository as a tarball, unpacks it into a
fresh directory below its temp dir with file modes reset to 0644/0755, and
runs the command of plugin.yaml in the Application's source.path, with the
ARGOCD_APP_*, KUBE_*, ARGOCD_ENV_*, PARAM_* and ARGOCD_APP_PARAMETERS
variables set (and here, no $HOME). It reads stdout as a stream of objects,
each with a `kind`, and shows stderr when the exit status is not 0.

Here: pack/unpack a repository, the environment of a request, plugin.yaml's
commands, one request end to end, and comparing its output with what
`gitops-gen render` writes. Its fixtures (example_repo, tarball, rendered,
sidecar_tmp, shared_sidecar_tmp) are in tests/conftest.py.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import yaml

from generator.builders.validation import known_kinds
from generator.commands.render import render
from tests.helpers import EXAMPLE, REPO

PLUGIN_YAML = REPO / "cmp-sidecar" / "plugin.yaml"
SOURCE_PATH = "environments"  # the example Project's sourcePath


def served_apis(kinds) -> str:
    """KUBE_API_VERSIONS as Argo CD writes it: every group/version, then every group/version/Kind."""
    kinds = list(kinds)
    return ",".join([*sorted({v for v, _k in kinds}), *sorted(f"{v}/{k}" for v, k in kinds)])


# A cluster with every API we have a schema for (KServe, Prometheus operator, Argo Rollouts... installed).
ALL_APIS = served_apis(known_kinds())


# --- what argocd-cmp-server does -------------------------------------------------


def plugin_config() -> dict:
    return yaml.safe_load(PLUGIN_YAML.read_text())


def plugin_argv(step: str) -> list[str]:
    """command + args of plugin.yaml's generate / parameters / discover step."""
    spec = plugin_config()["spec"]
    config = {"generate": spec.get("generate"), "parameters": spec.get("parameters", {}).get("dynamic"),
              "discover": {"command": ["gitops-gen-cmp", "discover"]}}[step]
    return [*config["command"], *config.get("args", [])]


def pack(repo: Path) -> bytes:
    """The repository as the repo-server streams it to the sidecar: a gzipped tarball."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(repo, arcname=".")
    return buffer.getvalue()


def unpack(tarball: bytes, sidecar_tmp: Path) -> Path:
    """A fresh copy at $TMPDIR/_cmp_server/<uuid>/, modes reset to 0644/0755 (no preserveFileMode)."""
    dest = sidecar_tmp / "_cmp_server" / str(uuid.uuid4())
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        tar.extractall(dest, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    for path in [dest, *dest.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return dest


def param_variables(parameters: list[dict]) -> dict[str, str]:
    """PARAM_<NAME>, PARAM_<NAME>_<i>, PARAM_<NAME>_<KEY>: upper-cased, [^A-Z0-9_] -> _."""
    def env_name(*parts: str) -> str:
        return re.sub(r"[^A-Z0-9_]", "_", "_".join(("PARAM", *parts)).upper())

    out = {}
    for p in parameters:
        if "string" in p:
            out[env_name(p["name"])] = p["string"]
        for i, item in enumerate(p.get("array", [])):
            out[env_name(p["name"], str(i))] = item
        for key, value in p.get("map", {}).items():
            out[env_name(p["name"], key)] = value
    return out


def cmp_env(sidecar_tmp: Path, parameters: list[dict] | None = None, plugin_env: dict[str, str] | None = None,
            kube_api_versions: str = ALL_APIS, source_path: str = SOURCE_PATH, with_json: bool = True,
            **extra: str) -> dict[str, str]:
    """The environment of a generate request; no HOME (uid 999 may have none)."""
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.defpath}",
        "TMPDIR": str(sidecar_tmp),
        "ARGOCD_APP_NAME": "prod-prod-eu-fraud-detector",
        "ARGOCD_APP_NAMESPACE": "ml-prod",
        "ARGOCD_APP_PROJECT_NAME": "prod",
        "ARGOCD_APP_REVISION": "0123456789abcdef0123456789abcdef01234567",
        "ARGOCD_APP_REVISION_SHORT": "0123456",
        "ARGOCD_APP_REVISION_SHORT_8": "01234567",
        "ARGOCD_APP_SOURCE_REPO_URL": "https://git.example.com/acme/ml-gitops.git",
        "ARGOCD_APP_SOURCE_PATH": source_path,
        "ARGOCD_APP_SOURCE_TARGET_REVISION": "main",
        "KUBE_VERSION": "1.34.1",
        "KUBE_API_VERSIONS": kube_api_versions,
    }
    for name, value in (plugin_env or {}).items():
        env[f"ARGOCD_ENV_{name}"] = value
    if parameters is not None:
        if with_json:
            env["ARGOCD_APP_PARAMETERS"] = json.dumps(parameters)
        env.update(param_variables(parameters))
    env.update(extra)
    return env


def params(environment: str | None = None, cluster: str | None = None, model: str | None = None) -> list[dict]:
    chosen = {"environment": environment, "model": model, "cluster": cluster}
    return [{"name": k, "string": v} for k, v in chosen.items() if v is not None]


def exec_step(step: str, app_dir: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(plugin_argv(step), cwd=app_dir, env=env, capture_output=True, text=True, timeout=60)


def argocd_manifests(stdout: str) -> list[dict]:
    """Parse generate's stdout as Argo CD does: empty/null documents skipped, every other one an object
    with a kind, `kind: List` flattened."""
    objects = []
    for doc in yaml.safe_load_all(stdout):
        if doc is None:
            continue
        assert isinstance(doc, dict) and doc.get("kind"), f"not a Kubernetes object: {doc!r}"
        objects.extend(doc["items"] if doc["kind"] == "List" else [doc])
    return objects


def one_line(stderr: str) -> str:
    assert stderr.endswith("\n") and stderr.count("\n") == 1, f"not exactly one line: {stderr!r}"
    assert "Traceback" not in stderr
    return stderr.strip()


# --- a repository, and what render writes for it ------------------------------------


def make_repo(root: Path, edit=None) -> Path:
    """A Git repository's content: the example as `environments/` plus unrelated files."""
    shutil.copytree(EXAMPLE, root / SOURCE_PATH)
    (root / "README.md").write_text("# ml-gitops\n")
    if edit:
        edit(root / SOURCE_PATH)
    return root


def rendered_release_files(source: Path, out: Path) -> dict[str, dict[str, bytes]]:
    """`gitops-gen render`'s output: release directory -> {file name: bytes}, kustomization.yaml left out."""
    assert render(source, out, quiet=True) == 0
    releases: dict[str, dict[str, bytes]] = {}
    for path in sorted((out / "workloads").rglob("*.yaml")):
        if path.name != "kustomization.yaml":
            releases.setdefault(path.parent.relative_to(out / "workloads").as_posix(), {})[path.name] = path.read_bytes()
    return releases


def request(tarball: bytes, sidecar_tmp: Path, step: str = "generate", **env_args) -> subprocess.CompletedProcess:
    """One Argo CD request: a fresh copy of the repo, the command run in the app path."""
    app_dir = unpack(tarball, sidecar_tmp) / env_args.get("source_path", SOURCE_PATH)
    return exec_step(step, app_dir, cmp_env(sidecar_tmp, **env_args))


def documents(stdout: str) -> list[str]:
    """The YAML text of each document of a `---`-separated stream."""
    assert stdout.startswith("---\n")
    return ["" if not d else d + "\n" for d in stdout[len("---\n"):].rstrip("\n").split("\n---\n")]


def assert_same_as_render(stdout: str, release_dirs: list[str], rendered: dict[str, dict[str, bytes]]) -> None:
    expected = [text for d in release_dirs for text in rendered[d].values()]
    # The same objects, serialized to the same bytes as render's files.
    assert sorted(documents(stdout)) == sorted(t.decode() for t in expected)
    key = lambda o: (o["kind"], o["metadata"]["name"], o["metadata"]["labels"]["gitops-gen.io/cluster"])  # noqa: E731
    assert sorted(argocd_manifests(stdout), key=key) == sorted((yaml.safe_load(t) for t in expected), key=key)
