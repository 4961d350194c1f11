"""Does the working directory hold a gitops-gen source tree?

Yes when, reading the files the loader reads (``*.yaml``/``*.yml``, hidden
entries and the top-level ``templates/``/``components/`` folders skipped), one
document is our ``Project`` and no document has another ``apiVersion``. The
second rule keeps a repository root (whose ``rendered/`` holds Kubernetes
objects) or a rendered directory from being claimed. Files that do not parse
are skipped here: ``generate`` reports them with file and line.

No pydantic: discovery runs for every Application that names no plugin, when
a discover block is configured.
"""
from __future__ import annotations

import os

# The same values as generator.spec.API_VERSION and generator.load.EXTENSION_DIRS
# (tests/test_plugin.py checks); importing those modules would import pydantic.
API_VERSION = "gitops-gen.io/v1alpha1"
EXTENSION_DIRS = ("templates", "components")


def spec_files(root: str) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        top = os.path.samefile(dirpath, root)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (top and d in EXTENSION_DIRS))
        found.extend(os.path.join(dirpath, n) for n in sorted(filenames)
                     if not n.startswith(".") and n.endswith((".yaml", ".yml")))
    return found


def find_project(root: str = ".") -> str | None:
    """``"<file>: Project <name>"`` when ``root`` is a source tree, else None."""
    import yaml

    project = None
    for path in spec_files(root):
        try:
            with open(path, "rb") as fh:
                documents = list(yaml.load_all(fh, Loader=yaml.CSafeLoader))
        except (OSError, yaml.YAMLError):
            continue
        for doc in documents:
            if doc is None:
                continue
            if not isinstance(doc, dict) or doc.get("apiVersion") != API_VERSION:
                return None
            if doc.get("kind") == "Project" and project is None:
                meta = doc.get("metadata")
                name = meta.get("name") if isinstance(meta, dict) else None
                project = f"{os.path.relpath(path, root)}: Project {name}"
    return project
