"""Serialization: built objects -> the YAML bytes of each output file, deterministic.

The Argo CD plugin imports this module for ``dump_stream`` alone: it imports
nothing but the serializer.
"""
from __future__ import annotations

from typing import Callable, Iterable

from .. import budgets
from . import fastyaml


def dump(obj: dict) -> str:
    """One object as YAML: keys in the order the builders wrote them, never folded.

    Byte-identical to PyYAML's C dumper (see fastyaml), and several times faster (docs/performance.md).
    """
    return fastyaml.dump(obj)


def dump_stream(objects: Iterable[dict]) -> str:
    return "".join("---\n" + dump(obj) for obj in objects)


def file_contents(files, progress: Callable[[], None] | None = None) -> dict[str, bytes]:
    """path -> bytes of every file of the tree; ``progress`` is called after each file.

    Stops, before anything is written, as soon as the files add up to more than the
    output-bytes budget: a hostile spec must not fill the disk (or memory) of whoever renders it.
    """
    limit = budgets.current().output_bytes
    total = 0
    contents = {}
    for f in files:
        data = contents[f.path] = dump(f.obj).encode()
        total += len(data)
        if total > limit:
            raise budgets.over_budget("output-bytes", limit, f"the rendered files add up to more than "
                                      f"{limit} bytes (stopped at {f.path})")
        if progress is not None:
            progress()
    return contents
