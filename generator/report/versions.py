"""How two model versions compare: the rule `status` uses for "behind" (a pending promotion) and "ahead".

Versions are free text in the specs. When both parse as semantic versions
(``MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD]``, an optional leading ``v``, missing
parts counting as 0) they are ordered by semver precedence: numbers numerically,
a pre-release before its release (``1.5.0-rc.1 < 1.5.0``), pre-release identifiers
numeric before alphanumeric, build metadata ignored. Anything else (a Git SHA, a
date, ``latest``), and two different strings of equal precedence (``1.5`` and
``1.5.0``, ``1.5.0+a`` and ``1.5.0+b``), only "differs": gitops-gen will not guess
which of two such versions is newer.
"""
from __future__ import annotations

import re

SAME, OLDER, NEWER, DIFFERS = "same", "older", "newer", "differs"

_SEMVER = re.compile(r"v?(?P<core>\d+(?:\.\d+){0,2})(?:-(?P<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
                     r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?")


def _precedence(version: str) -> tuple | None:
    match = _SEMVER.fullmatch(version)
    if match is None:
        return None
    core = [int(part) for part in match["core"].split(".")]
    core += [0] * (3 - len(core))
    pre = match["pre"]
    if pre is None:
        # A release sorts after every pre-release of the same core.
        return (*core, 1, ())
    identifiers = tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in pre.split("."))
    return (*core, 0, identifiers)


def compare(version: str, other: str) -> str:
    """How ``version`` relates to ``other``: same, older, newer, or differs (not comparable)."""
    if version == other:
        return SAME
    mine, theirs = _precedence(version), _precedence(other)
    if mine is None or theirs is None or mine == theirs:
        return DIFFERS
    return OLDER if mine < theirs else NEWER
