"""The one error type users see.

Every problem a user can cause (a bad spec, a stale tree, an unknown
environment) is raised as :class:`GitopsGenError`. The console scripts print it
as one line per problem and exit 1; anything else is a bug (exit 3).
"""
from __future__ import annotations

import errno
import json
import os
import re
import sys
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
        where = shown_path(self.file)
        if where and self.line:
            where = f"{where}:{self.line}"
        parts = [p for p in (where, self.field) if p]
        return ": ".join([*parts, self.message])

    def without_location(self) -> str:
        """``field.path: message``: what a GitHub annotation shows beside the file and line it is attached to."""
        return ": ".join(p for p in (self.field, self.message) if p)


# Problem.file names a file relative to the source tree being read; a command's messages name it from the
# current directory instead, so an editor, a terminal or a CI annotation opens it wherever the tree is.
# Only while a command runs (start_command .. end_command): called as a library, Problems stay as they are.
_in_command = False
_files_root: str | None = None


def files_relative_to(source_tree: os.PathLike | str | None) -> None:
    """Say which source tree Problem.file is relative to (``load_tree`` does, for the tree it reads)."""
    global _files_root
    _files_root = None if source_tree is None or not _in_command else os.path.abspath(source_tree)


def shown_path(file: str) -> str:
    """``file`` (relative to the source tree) as a path that opens from the current directory."""
    if not file or _files_root is None:
        return file
    return from_here(os.path.join(_files_root, file))


def from_here(path: os.PathLike | str) -> str:
    """``path`` as messages name it: relative to the current directory, or absolute when that is shorter
    (a tree far away from the current directory)."""
    full = os.path.normpath(os.path.abspath(path))
    try:
        relative = os.path.relpath(full)
    except (ValueError, OSError):  # another drive, or the current directory is gone
        return full
    # "." names the current directory correctly but says nothing in a message: name it in full.
    return relative if len(relative) <= len(full) and relative != "." else full


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


# ------------------------------------------------------------------ warnings and CI annotations


_warned: set[str] = set()


def start_command() -> None:
    """A command starts: its messages name files from the current directory, and it says each warning once."""
    global _in_command
    _in_command = True
    files_relative_to(None)
    _warned.clear()


def end_command() -> None:
    """The command has said everything: forget its source tree and its warnings."""
    global _in_command
    files_relative_to(None)
    _in_command = False
    _warned.clear()


def warn(problem: Problem) -> None:
    """Print ``FILE:LINE: field: warning: message`` on stderr, once per command; the command carries on.

    Under GitHub Actions the same warning is also a ``::warning`` annotation on that file and line.
    """
    if not problem.message.startswith("warning: "):
        problem = Problem(problem.file, problem.line, problem.field, f"warning: {problem.message}")
    line = printable(str(problem))
    if _in_command:  # called as a library, each call is its own run
        if line in _warned:
            return
        _warned.add(line)
    print(line, file=sys.stderr)
    if on_github_actions():
        print(github_annotation("warning", problem), file=sys.stderr)


def on_github_actions() -> bool:
    """GitHub's runners set GITHUB_ACTIONS=true in every step."""
    return os.environ.get("GITHUB_ACTIONS") == "true"


def github_annotation(level: str, problem: Problem) -> str:
    """``::error file=F,line=L::message``: a workflow command that puts the message on the file's line in a
    pull request. Escaped as GitHub's runner unescapes: %, CR and LF in the message; also , and : in
    property values (a comma would end the file name, a colon the properties)."""
    if problem.message.startswith("warning: "):  # the annotation's level says so already
        problem = Problem(problem.file, problem.line, problem.field, problem.message[len("warning: "):])
    message = problem.without_location()
    properties = []
    if problem.file:
        properties.append(f"file={printable(_escape_property(_annotation_path(problem.file)))}")
        if problem.line:
            properties.append(f"line={problem.line}")
    head = f"::{level} {','.join(properties)}::" if properties else f"::{level}::"
    # Escaped before `printable`, so CR and LF reach GitHub as %0D and %0A (which it turns back into lines).
    return head + printable(_escape_data(message))


def _annotation_path(file: str) -> str:
    """GitHub attaches an annotation to a path relative to the repository checkout (GITHUB_WORKSPACE)."""
    shown = shown_path(file)
    if os.environ.get("GITHUB_WORKSPACE"):
        workspace, full = os.path.abspath(os.environ["GITHUB_WORKSPACE"]), os.path.abspath(shown)
        if os.path.commonpath([workspace, full]) == workspace:
            return os.path.relpath(full, workspace)
    return shown


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
