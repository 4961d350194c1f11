"""The one way gitops-gen hashes a tree of files.

Used by the loader (the source tree's digest), the render record (inputs and
outputs of a render) and the Argo CD plugin's cache key. Only hashlib here:
the plugin imports this on every request.
"""
from __future__ import annotations

import hashlib


def new_digest():
    return hashlib.sha256()


def add_file(digest, path: str, data: bytes) -> None:
    """One file into a tree digest: its path and bytes, length-prefixed so no two trees hash alike."""
    digest.update(f"{path}\0{len(data)}\0".encode(errors="surrogateescape"))
    digest.update(data)
