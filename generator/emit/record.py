"""The render record: what the last render into a directory was made from, and what it wrote.

``render`` and ``render --check`` skip compiling when the source tree's inputs
fingerprint equals the recorded one and the files on disk hash to the recorded
outputs: compiling the same inputs with the same code writes the same bytes
(output is deterministic), so the tree is then exactly what a compile would
write. Anything else (no record, other inputs, a hand-edited, extra or missing
file) means a full compile and comparison, as without a record.

The record is kept per user, outside the output tree
(``$XDG_CACHE_HOME/gitops-gen/renders/``, else ``~/.cache/gitops-gen/renders/``),
one small file per output directory. Inside the tree it would be committed, so
every render would change it and any two concurrent changes to the tree would
conflict on it in Git. Being local, the fingerprint may also name what this
machine has installed: a dependency upgrade is a different compiler too.
A missing, unreadable or unwritable record only costs a compile.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from .. import __version__
from ..atomicfile import write_atomically
from ..digest import add_file, new_digest
from ..paths import resolved_inside

FORMAT = 1
# What else decides the bytes written: the YAML emitter, Jinja2 (and its string type),
# the spec validation, Jsonnet.
DEPENDENCIES = ("yaml", "_yaml", "jinja2", "markupsafe", "pydantic", "pydantic_core", "_gojsonnet")


@dataclass(frozen=True)
class Record:
    inputs: str
    outputs: str


def tree_digest(files: Iterable[tuple[str, bytes]]) -> str:
    """The digest of a tree, given as (relative path, bytes) sorted by path."""
    digest = new_digest()
    for path, data in files:
        add_file(digest, path, data)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def compiler_fingerprint() -> str:
    """This gitops-gen (version and every source file) and the installed dependencies that shape output.

    The Argo CD plugin keys its cache on a cheaper cousin (plugin/cache.py code_fingerprint: sizes and
    times, no imports beyond hashlib); what one must cover, the other must too.
    """
    root = Path(__file__).resolve().parent.parent  # the whole generator package
    digest = new_digest()
    digest.update(f"gitops-gen {__version__}\0python {sys.version}\0".encode())
    for path in sorted(root.rglob("*.py")):
        add_file(digest, path.relative_to(root).as_posix(), path.read_bytes())
    for name in DEPENDENCIES:
        # Where each is installed and that file's size and time: an upgrade or reinstall
        # changes them, and nothing needs importing (the fast path imports neither Jinja2 nor Jsonnet).
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        if origin and os.path.isfile(origin):
            status = os.stat(origin)
            digest.update(f"{name}\0{origin}\0{status.st_size}\0{status.st_mtime_ns}\0".encode())
        else:
            digest.update(f"{name}\0absent\0".encode())
    return digest.hexdigest()


def inputs_fingerprint(source_digest: str) -> str:
    """What a render is a function of: the source tree as load read it (SourceTree.digest), and the compiler."""
    return hashlib.sha256(f"{compiler_fingerprint()}\0{source_digest}".encode()).hexdigest()


def records_dir(env: Mapping[str, str] = os.environ) -> Path | None:
    base = env.get("XDG_CACHE_HOME", "").strip()
    if not base or not os.path.isabs(base):
        home = env.get("HOME", "").strip()
        if not home or not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "gitops-gen" / "renders"


def _record_file(out: Path) -> tuple[Path, str] | None:
    directory = records_dir()
    if directory is None:
        return None
    real = os.path.realpath(out)
    return directory / (hashlib.sha256(os.fsencode(real)).hexdigest()[:32] + ".json"), real


def load(out: str | os.PathLike) -> Record | None:
    """The record of the last render into ``out``; None if there is none we can read."""
    where = _record_file(Path(out))
    if where is None:
        return None
    path, real = where
    try:
        data = json.loads(path.read_bytes())
        if data.get("format") == FORMAT and data.get("out") == real:
            return Record(inputs=str(data["inputs"]), outputs=str(data["outputs"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return None


def save(out: str | os.PathLike, record: Record | None) -> None:
    """Record a render into ``out`` (None: forget it). Best effort: a record that cannot be written
    only makes the next render compile."""
    where = _record_file(Path(out))
    if where is None:
        return
    path, real = where
    try:
        if record is None:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        if resolved_inside(path, path.parent) is None:  # a symlink planted in the cache: write nowhere else
            return
        text = json.dumps({"format": FORMAT, "out": real, "inputs": record.inputs, "outputs": record.outputs})
        write_atomically(path, text.encode(), temp_prefix=".record-")
    except OSError:
        pass
