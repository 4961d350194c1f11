"""The plugin's own user-facing error.

Not ``generator.errors.GitopsGenError``: importing that module pulls in
``dataclasses`` (and ``inspect``), imports that a cache hit never needs.
``plugin.cmp`` prints both kinds the same way: one line, exit 1.
"""
from __future__ import annotations


class CmpError(Exception):
    """Something about the Application, its parameters or the cluster that the user must fix."""
