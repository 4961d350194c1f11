"""cmp-sidecar/: the kustomize overlay over the upstream Argo CD install, the image's Dockerfile, plugin.yaml.

No network and no Docker here: the overlay is built with `kubectl kustomize`
over the committed copy of the upstream install.yaml (tests/data/), and the
Dockerfile is checked statically.
"""
from __future__ import annotations

import copy
import re
import shutil
import tomllib

import yaml

from generator.builders.validation import schema_errors
from tests.helpers import REPO
from tests.test_example import kustomize

SIDECAR = REPO / "cmp-sidecar"
UPSTREAM_INSTALL = REPO / "tests" / "data" / "argocd-install-v3.5.1.yaml"
UPSTREAM_URL = "https://raw.githubusercontent.com/argoproj/argo-cd/v3.5.1/manifests/install.yaml"
PLUGIN_CONFIG_PATH = "/home/argocd/cmp-server/config/plugin.yaml"


def by_identity(objects: list[dict]) -> dict[tuple[str, str], dict]:
    return {(o["kind"], o["metadata"]["name"]): o for o in objects}


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


def test_overlay_adds_the_plugin_sidecar_to_the_upstream_repo_server(tmp_path):
    upstream = by_identity([d for d in yaml.load_all(UPSTREAM_INSTALL.read_text(), Loader=yaml.CSafeLoader) if d])
    built = by_identity(build_overlay(tmp_path))
    assert built.keys() == upstream.keys()

    deployment = built[("Deployment", "argocd-repo-server")]
    assert schema_errors(deployment) == []
    pod = deployment["spec"]["template"]["spec"]
    upstream_pod = upstream[("Deployment", "argocd-repo-server")]["spec"]["template"]["spec"]
    containers = {c["name"]: c for c in pod["containers"]}
    assert set(containers) == {"argocd-repo-server", "gitops-gen"}
    # Upstream's own container, init container (copyutil puts argocd-cmp-server in var-files) and volumes stay.
    assert containers["argocd-repo-server"] == upstream_pod["containers"][0]
    assert pod["initContainers"] == upstream_pod["initContainers"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert all(volumes[v["name"]] == v for v in upstream_pod["volumes"])

    sidecar = containers["gitops-gen"]
    assert sidecar["command"] == ["/var/run/argocd/argocd-cmp-server"]
    assert sidecar["image"] == "registry.example.com/gitops-gen-cmp:0.1.0"  # from kustomization.yaml `images:`
    assert sidecar["securityContext"]["runAsNonRoot"] is True
    assert sidecar["securityContext"]["runAsUser"] == 999
    mounts = {m["mountPath"]: m["name"] for m in sidecar["volumeMounts"]}
    assert mounts == {"/var/run/argocd": "var-files", "/home/argocd/cmp-server/plugins": "plugins",
                      "/tmp": "gitops-gen-tmp"}
    # Its own /tmp: an emptyDir no other container mounts (not the repo-server's `tmp`).
    assert volumes["gitops-gen-tmp"] == {"name": "gitops-gen-tmp", "emptyDir": {"sizeLimit": "1Gi"}}
    others = [m["name"] for c in [*pod["containers"], *pod["initContainers"]] if c is not sidecar
              for m in c.get("volumeMounts", [])]
    assert "gitops-gen-tmp" not in others
    # The plugin config comes from the image, so nothing may be mounted over it.
    assert not any(path.startswith("/home/argocd/cmp-server/config") for path in mounts)
    assert deployment["spec"]["template"]["metadata"]["annotations"] == {
        "kubectl.kubernetes.io/default-container": "argocd-repo-server"}

    # Everything else is upstream's, placed in the argocd namespace (kustomize's namespace
    # transformer also names it in ServiceAccount subjects of bindings).
    for identity, obj in built.items():
        if identity != ("Deployment", "argocd-repo-server"):
            expected = copy.deepcopy(upstream[identity])
            if "namespace" in obj["metadata"]:
                assert obj["metadata"]["namespace"] == "argocd"
                expected["metadata"]["namespace"] = "argocd"
            for subject in expected.get("subjects", []):
                if subject["kind"] == "ServiceAccount":
                    subject["namespace"] = "argocd"
            assert obj == expected, identity


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", (SIDECAR / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_dockerfile_installs_this_package_and_runs_as_999():
    instructions = dockerfile_instructions()
    base = [arg for op, arg in instructions if op == "FROM"]
    assert len(base) == 1 and re.fullmatch(r"python:3\.\d+-slim(-\w+)?", base[0]), base
    # The base image's Python satisfies the package's requires-python.
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    minimum = re.fullmatch(r">=(\d+)\.(\d+)", pyproject["project"]["requires-python"]).groups()
    assert tuple(map(int, re.match(r"python:(\d+)\.(\d+)", base[0]).groups())) >= tuple(map(int, minimum))
    assert pyproject["project"]["scripts"]["gitops-gen-cmp"] == "plugin.cmp:main"

    copies = [arg.split() for op, arg in instructions if op == "COPY"]
    sources = {src.rstrip("/") for *srcs, _dest in copies for src in srcs}
    # Everything pip needs to build the package comes from the build context (the repo root).
    assert {"pyproject.toml", "README.md", "generator", "plugin"} <= sources
    assert all((REPO / src).exists() for src in sources), sources
    runs = " ".join(arg for op, arg in instructions if op == "RUN")
    assert re.search(r"pip install [^&]* \.(\s|$)", runs), runs
    assert ["cmp-sidecar/plugin.yaml", PLUGIN_CONFIG_PATH] in copies
    users = [arg for op, arg in instructions if op == "USER"]
    assert users[-1] == "999"


def test_plugin_yaml_is_what_argocd_cmp_server_accepts():
    config = yaml.safe_load((SIDECAR / "plugin.yaml").read_text())
    assert config["apiVersion"] == "argoproj.io/v1alpha1"
    assert config["kind"] == "ConfigManagementPlugin"
    assert config["metadata"]["name"] == "gitops-gen"
    assert config["spec"]["version"] == "v1"
    assert config["spec"]["generate"]["command"][0] == "gitops-gen-cmp"
    assert config["spec"]["parameters"]["dynamic"]["command"] == ["gitops-gen-cmp", "parameters"]
    # Selected by name, no discovery: no extra repository upload per request.
    assert "discover" not in config["spec"]
