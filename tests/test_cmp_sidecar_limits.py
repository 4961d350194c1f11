"""The sidecar overlay sets what docs/security.md recommends for it, read from that page's YAML: the same
security context, budgets, memory limit and /tmp size limit."""
from __future__ import annotations

import re

import yaml

from tests.helpers import REPO
from tests.test_cmp_sidecar import build_overlay

SECURITY_DOC = REPO / "docs/security.md"


def recommended() -> dict:
    """The pod fragment under "Running the Argo CD sidecar with least privilege"."""
    section = SECURITY_DOC.read_text().split("## Running the Argo CD sidecar with least privilege", 1)[1]
    [block] = re.findall(r"^```yaml\n(.*?)^```", section.split("\n## ", 1)[0], flags=re.M | re.S)
    return yaml.safe_load(block)


def test_the_overlay_sets_the_limits_and_budgets_docs_security_recommends(tmp_path):
    want = recommended()
    [want_container] = want["containers"]
    built = {(o["kind"], o["metadata"]["name"]): o for o in build_overlay(tmp_path)}
    pod = built[("Deployment", "argocd-repo-server")]["spec"]["template"]["spec"]
    sidecar = next(c for c in pod["containers"] if c["name"] == want_container["name"])
    for field in ("command", "securityContext", "env", "resources", "volumeMounts"):
        assert sidecar[field] == want_container[field], field
    volumes = {v["name"]: v for v in pod["volumes"]}
    for volume in want["volumes"]:
        assert volumes[volume["name"]] == volume
    assert sidecar["resources"]["limits"]["memory"] == "512Mi"
    assert volumes["gitops-gen-tmp"]["emptyDir"]["sizeLimit"] == "1Gi"
