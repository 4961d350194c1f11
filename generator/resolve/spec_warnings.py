"""What is valid but probably not meant: warnings that ``render`` and ``validate`` print and carry on.

- a Model that no Environment lists: checked, but deployed nowhere;
- the ``repoURL`` that ``gitops-gen init`` writes: the controllers would clone a repository that does not exist;
- a version a Kubernetes label cannot hold (``1.2.0+build.5``): ``app.kubernetes.io/version`` carries it with
  ``_`` for each character a label value does not allow (``generator.builders.meta.version_label``).

Each is one Problem, located where the fix goes; ``generator.errors.warn`` prints it.
"""
from __future__ import annotations

from typing import Any

from ..errors import FieldPath, Problem
from ..load.source import SourceTree
from .fleet import locate, merged_spec

# What `gitops-gen init` writes into project.yaml, for the user to replace.
PLACEHOLDER_REPO_URL = "https://git.example.com/your-org/your-repo.git"


def spec_warnings(tree: SourceTree) -> list[Problem]:
    """Every warning of a source tree, sorted and once each. Reads only the specs as written (no release is
    resolved), so a render that finds its output current can still say them; call it once the tree resolved."""
    problems = []
    spec = tree.project.doc.spec
    if spec.repoURL == PLACEHOLDER_REPO_URL:
        problems.append(tree.project.problem(("spec", "repoURL"), (
            "warning: still the placeholder `gitops-gen init` writes; Argo CD and Flux would clone a repository "
            "that does not exist: set the URL of the repository that holds this tree")))
    listed = {model for env in tree.environments.values() for model in env.doc.spec.models}
    for name in sorted(set(tree.models) - listed):
        problems.append(tree.models[name].problem(("metadata", "name"), (
            f"warning: no Environment lists model {name!r} in spec.models: it is checked, but deployed nowhere")))
    problems.extend(_version_label_warnings(tree))
    return sorted(set(problems))


def _version_label_warnings(tree: SourceTree) -> list[Problem]:
    from ..builders.meta import VERSION_LABEL, version_label

    # A merged spec's versions are versions some layer wrote (lists replace when merged): when all of those
    # are label values, no merge (one per environment and model, on every render) can find one that is not.
    written = [version for model_doc in tree.models.values() for _, version in _versions(model_doc.doc.spec)]
    for env_doc in tree.environments.values():
        written.extend(version for _, version in _versions(env_doc.doc.spec.overrides))
        for entry in env_doc.doc.spec.models.values():
            written.extend(version for _, version in _versions(entry or {}))
    if all(version_label(version) == version for version in written):
        return []
    problems = []
    for env_name in sorted(tree.environments):
        env_doc = tree.environments[env_name]
        for model in sorted(env_doc.doc.spec.models):
            model_doc = tree.models.get(model)
            if model_doc is None:
                continue
            for path, version in _versions(merged_spec(env_doc, model_doc)):
                label = version_label(version)
                if label == version:
                    continue
                shown = f"carries {label!r}" if label else "is left out"
                problems.append(locate(env_doc, model_doc, path, (
                    f"warning: version {version!r} is not a valid label value (letters, digits, '.', '_' and '-', "
                    f"at most 63): its {VERSION_LABEL} label {shown}")))
    return problems


def _versions(spec: dict[str, Any]) -> list[tuple[FieldPath, str]]:
    """(field path, version) of a merged spec's version and of each of its A/B variants' versions."""
    found: list[tuple[FieldPath, Any]] = [(("version",), spec.get("version"))]
    ab = (spec.get("rollout") or {}).get("ab") if isinstance(spec.get("rollout"), dict) else None
    variants = ab.get("variants") if isinstance(ab, dict) else None
    for i, variant in enumerate(variants if isinstance(variants, list) else []):
        if isinstance(variant, dict):
            found.append((("rollout", "ab", "variants", i, "version"), variant.get("version")))
    return [(path, str(version)) for path, version in found if version is not None]
