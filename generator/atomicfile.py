"""Replace a file all at once: whoever reads it sees the old bytes or the new ones, never part of either.

One mechanism for every file gitops-gen rewrites in place: a user's spec file
(promote), a render record, a plugin cache entry. The Argo CD plugin imports
this on every request: only ``os`` at import time.
"""
from __future__ import annotations

import os


def write_atomically(path: str | os.PathLike, data: bytes, temp_prefix: str | None = None,
                     durable: bool = False) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    ``temp_prefix`` names the temporary file (default ``.NAME.``), so a caller can
    recognise the ones a killed process left. An existing file keeps its mode; a
    new one is private to this user (0600). ``durable``: reach the disk before the
    rename, so that a crash cannot leave an empty file where a user's file was.
    """
    import tempfile

    path = os.fspath(path)
    directory, name = os.path.split(path)
    try:
        mode: int | None = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    fd, temp = tempfile.mkstemp(prefix=temp_prefix or f".{name}.", suffix=".tmp", dir=directory or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
