"""Serialization: built objects -> the YAML bytes of each output file, deterministic.

The Argo CD plugin imports this module for ``dump_stream`` alone: it imports
nothing but the serializer.
"""
from __future__ import annotations

from typing import Callable, Iterable

from . import fastyaml


def dump(obj: dict) -> str:
    """One object as YAML: keys in the order the builders wrote them, never folded.

    Byte-identical to PyYAML's C dumper (see fastyaml), and several times faster (docs/performance.md).
    """
    return fastyaml.dump(obj)


def dump_stream(objects: Iterable[dict]) -> str:
    return "".join("---\n" + dump(obj) for obj in objects)


def file_contents(files, progress: Callable[[], None] | None = None) -> dict[str, bytes]:
    """path -> bytes of every file of the tree; ``progress`` is called after each file."""
    if progress is None:
        return {f.path: dump(f.obj).encode() for f in files}
    contents = {}
    for f in files:
        contents[f.path] = dump(f.obj).encode()
        progress()
    return contents
