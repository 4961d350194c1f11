"""gitops-gen validate: check the specs and every generated object against its upstream schema."""
from __future__ import annotations

from pathlib import Path

from ..builders.files import build_fleet
from ..builders.validation import schema_errors
from ..errors import from_here, warn
from ..load.source import load_tree
from ..resolve.fleet import resolve
from ..resolve.spec_warnings import spec_warnings
from .common import default_output, info

# kustomization.yaml files are kustomize's input, not objects sent to a cluster
# (`kubectl kustomize` in the tests checks them).
_NOT_KUBERNETES = {("kustomize.config.k8s.io/v1beta1", "Kustomization")}


def validate(source: Path, quiet: bool = False) -> int:
    tree = load_tree(source)
    fleet = resolve(tree)
    files = build_fleet(fleet)
    problems: list[str] = []
    checked = 0
    # Named where `render` writes them, so the line opens once the tree is rendered.
    out = from_here(default_output(source, fleet))
    allowed = {(k.apiVersion, k.kind) for k in fleet.project.spec.extensions.allowedKinds}
    for f in files:
        if (f.obj.get("apiVersion"), f.obj.get("kind")) in _NOT_KUBERNETES | allowed:
            continue
        checked += 1
        problems.extend(f"{out}/{f.path}: {error}" for error in schema_errors(f.obj))
    for line in problems:
        print(line)
    for problem in spec_warnings(tree):
        warn(problem)
    if problems:
        info(f"{len(problems)} problems in {checked} objects")
        return 1
    if not quiet:
        info(f"specs valid; {checked} objects of {len(fleet.releases)} releases valid against their schemas")
    return 0
