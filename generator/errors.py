"""The one error type users see.

Every problem a user can cause (a bad spec, a stale tree, an unknown
environment) is raised as :class:`GitopsGenError`. The console scripts print it
as one line per problem and exit 1; anything else is a bug (exit 3).
"""
from __future__ import annotations

import errno
import json
import re
from dataclasses import dataclass

# A field's place in a document: mapping keys and list indexes, outermost first.
FieldPath = tuple[str | int, ...]
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_$-]+$")


def dotted(path: FieldPath) -> str:
    """How every message names a field: ``('spec', 'clusters', 0, 'name')`` -> ``spec.clusters[0].name``.

    A key that is not a plain word (``app.kubernetes.io/name``, ``..``, an empty key)
    is bracketed, so a path always reads back as exactly one field.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part)}]"
    return out


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong, located as precisely as we know: ``FILE:LINE: field.path: message``."""

    file: str = ""
    line: int = 0
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = self.file
        if where and self.line:
            where = f"{where}:{self.line}"
        parts = [p for p in (where, self.field) if p]
        return ": ".join([*parts, self.message])


class GitopsGenError(Exception):
    """A user-facing failure: one or more problems, each printed on its own line."""

    def __init__(self, *problems: Problem | str):
        self.problems = tuple(
            p if isinstance(p, Problem) else Problem(message=str(p)) for p in problems
        )
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, file: str, line: int, field: str, message: str) -> GitopsGenError:
        return cls(Problem(file, line, field, message))


def raise_if(problems: list[Problem], limit: int = 20) -> None:
    """Raise all collected problems at once (sorted, de-duplicated, capped)."""
    if not problems:
        return
    unique = sorted(set(problems))
    if len(unique) > limit:
        rest = len(unique) - limit
        unique = [*unique[:limit], Problem(message=f"... and {rest} more problems")]
    raise GitopsGenError(*unique)


# OS errors a user can fix (free space, permissions, a read-only or wrong path):
# reported as one line, exit 1. Any other OSError is a bug in gitops-gen (exit 3).
USER_ERRNOS = frozenset({
    errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT,
    errno.ENOTDIR, errno.EISDIR, errno.EEXIST, errno.ENOTEMPTY, errno.ENAMETOOLONG, errno.ELOOP, errno.EBUSY,
    errno.EMFILE, errno.ENFILE, errno.EIO, errno.EXDEV,
})


def is_user_os_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in USER_ERRNOS


def os_error_line(exc: OSError) -> str:
    """``PATH: reason`` for an OSError, naming the path it was about when the OS says."""
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason


# C0 and C1 control characters, DEL, and the Unicode bidirectional overrides: what a terminal (or
# Argo CD's UI) would act on rather than show. Messages echo spec values, paths and plugin parameters.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(line: str) -> str:
    """``line`` with every control character shown as an escape (``\\x1b``), never acted on.

    Applied once, where both console scripts print a message (generator.cli, plugin.cmp).
    """
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                            else f"\\u{ord(m.group()):04x}", line)
