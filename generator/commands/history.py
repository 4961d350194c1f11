"""gitops-gen history: who changed which model's version in which environment, when, and in which commit.

Newest first, one line per (model, environment) change; see generator.report.history for how it is read.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import GitopsGenError
from ..report.history import Change, read_history
from .common import info


def history(source: Path, model: str | None = None, environment: str | None = None, fmt: str = "text") -> int:
    changes = read_history(source)
    # Names are checked against the whole history, so a model retired long ago can still be asked about.
    if model is not None and model not in {c.model for c in changes}:
        raise GitopsGenError(f"unknown model {model!r}: no version of it in the Git history of {source}")
    if environment is not None and environment not in {c.environment for c in changes}:
        raise GitopsGenError(f"unknown environment {environment!r}: no version in it in the Git history of {source}")
    chosen = newest_first([c for c in changes if model in (None, c.model) and environment in (None, c.environment)])
    if fmt == "json":
        print(json.dumps([_json(c) for c in chosen], indent=2))
        return 0
    if not chosen:
        info("no version changes in the Git history" + (f" of {model}" if model else "")
             + (f" in {environment}" if environment else ""))
        return 0
    rows = [(_date(c.date), c.environment, c.model, describe(c), c.author, c.commit[:10], c.subject) for c in chosen]
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[6])
    return 0


def newest_first(changes: list[Change]) -> list[Change]:
    """Commits newest first, as git log lists them; the changes of one commit in the order they were found."""
    commits: dict[str, list[Change]] = {}
    for change in changes:
        commits.setdefault(change.commit, []).append(change)
    return [change for group in reversed(commits.values()) for change in group]


def describe(change: Change) -> str:
    """What happened to the version, in words: ``1.4.2 -> 1.5.0``, ``added 1.0.0``, ``removed (was 1.0.0)``."""
    if change.before is None:
        text = f"added {change.after}"
    elif change.after is None:
        return f"removed (was {change.before})"
    else:
        text = f"{change.before} -> {change.after}"
    return text if change.pinned else text + " (Model default)"


def _date(iso: str) -> str:
    """``2025-01-03T12:00:00+01:00`` as ``2025-01-03 12:00 +01:00``: minutes are enough, the zone is kept."""
    day, _, rest = iso.partition("T")
    return f"{day} {rest[:5]} {rest[8:] or 'Z'}".replace("+00:00", "UTC") if rest else iso


def _json(change: Change) -> dict:
    return {"model": change.model, "environment": change.environment, "from": change.before, "to": change.after,
            "pinned": change.pinned, "commit": change.commit, "author": {"name": change.author, "email": change.email},
            "date": change.date, "subject": change.subject}
