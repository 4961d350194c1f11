"""Does the working directory hold a gitops-gen source tree?

Yes when, reading the files the loader reads (``*.yaml``/``*.yml``, hidden
entries and the top-level ``templates/``/``components/`` folders skipped), one
document is our ``Project`` and no document has another ``apiVersion``. The
second rule keeps a repository root (whose ``rendered/`` holds Kubernetes
objects) or a rendered directory from being claimed. Files that do not parse
are skipped here: ``generate`` reports them with file and line.

No pydantic: discovery runs for every Application that names no plugin, when
a discover block is configured.

Discovery runs on whatever was pushed, under Argo CD's deadline, so it never
blocks and never reads much: only regular files are read (a FIFO or device
named ``*.yaml`` is skipped without waiting on it), nothing behind a symlink
that leaves the tree, no file over the loader's size limit. ``generate``
reports each of those with its file name.
"""
from __future__ import annotations

import os
import stat

from generator.paths import resolved_inside

# The same values as generator.spec.API_VERSION, generator.load.EXTENSION_DIRS and
# generator.load.MAX_FILE_BYTES (tests check); importing those modules would import pydantic.
API_VERSION = "gitops-gen.io/v1alpha1"
EXTENSION_DIRS = ("templates", "components")
MAX_FILE_BYTES = 4 * 1024 * 1024
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def spec_files(root: str) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        top = os.path.samefile(dirpath, root)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (top and d in EXTENSION_DIRS))
        found.extend(os.path.join(dirpath, n) for n in sorted(filenames)
                     if not n.startswith(".") and n.endswith((".yaml", ".yml")))
    return found


def read_spec(path: str, real_root: str) -> bytes | None:
    """The bytes of a spec file, or None for anything the loader would refuse: not a regular file,
    behind a symlink out of the tree, over the size limit, unreadable. Never blocks."""
    if os.path.islink(path) and resolved_inside(path, real_root) is None:
        return None
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError:
        return None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
            return None
        chunks, left = [], MAX_FILE_BYTES + 1
        while left > 0 and (chunk := os.read(fd, left)):
            chunks.append(chunk)
            left -= len(chunk)
        return None if left <= 0 else b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def find_project(root: str = ".") -> str | None:
    """``"<file>: Project <name>"`` when ``root`` is a source tree, else None."""
    import yaml

    from generator.errors import GitopsGenError
    from generator.load.yamlpos import check_text_depth

    project = None
    real_root = os.path.realpath(root)
    for path in spec_files(root):
        data = read_spec(path, real_root)
        if data is None:
            continue
        try:
            # Text nested deep enough to crash libyaml's recursive composer is refused first, as the loader does.
            check_text_depth(data.decode("utf-8", "replace"), path)
            documents = list(yaml.load_all(data, Loader=yaml.CSafeLoader))
        except (yaml.YAMLError, RecursionError, ValueError, GitopsGenError):
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
