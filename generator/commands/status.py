"""gitops-gen status: which version of which model runs where, and what waits to be promoted.

Straight from the specs (the same load and resolve as render, nothing
written); with ``--live``, also what each cluster says about each release.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import GitopsGenError
from ..load.source import load_tree
from ..report.matrix import build_matrix, to_json
from ..resolve.fleet import resolve

FORMATS = ("table", "json", "html")


def status(source: Path, models: tuple[str, ...] = (), environments: tuple[str, ...] = (), fmt: str = "table",
           out: Path | None = None, live: bool = False, kubeconfig: str | None = None, timeout: float = 10.0,
           link_base: str | None = None) -> int:
    if fmt not in FORMATS:  # the CLI's choice already says so; this is for callers of the function
        raise GitopsGenError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if out is not None:
        _check_writable(out)
    tree = load_tree(source)
    fleet = resolve(tree)
    matrix = build_matrix(tree, fleet, models, environments)  # unknown names fail here, before any cluster is asked
    if live:
        from ..report.live import release_health
        chosen = [r for r in fleet.releases
                  if (r.model, r.environment.name) in matrix.cells]
        matrix = build_matrix(tree, fleet, models, environments,
                              health=release_health(fleet, chosen, kubeconfig=kubeconfig, timeout=timeout))
    if fmt == "json":
        import json
        text = json.dumps(to_json(matrix), indent=2) + "\n"
    elif fmt == "html":
        from ..report.history import latest_changes
        from ..report.page import render_page
        changes, history_note = latest_changes(source)
        text = render_page(matrix, changes=changes, history_note=history_note,
                           links=_link_maker(source, fleet, out, link_base))
    else:
        from ..report.table import render_table
        stream = sys.stdout
        colour = out is None and stream.isatty() and not os.environ.get("NO_COLOR")
        text = render_table(matrix, colour=colour, unicode=out is not None or _can_encode(stream, "←↑≠…"))
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
    return 0


def _check_writable(out: Path) -> None:
    """Refuse an --out we could not write before loading anything: a long load, then a failure, is rude."""
    parent = out.parent if str(out.parent) else Path(".")
    if out.is_dir():
        raise GitopsGenError(f"{out}: is a directory (--out names the file to write)")
    if not parent.is_dir():
        raise GitopsGenError(f"{out}: no such directory {parent}")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise GitopsGenError(f"{out}: not writable")


def _can_encode(stream, text: str) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def _link_maker(source: Path, fleet, out: Path | None, link_base: str | None):
    """How the page links a release's rendered directory.

    With ``--link-base`` (e.g. the repository browser's ``.../tree/main/``), the
    directory's path inside the Git repository is appended to it, for a published
    page. Without it, a relative link from where the page is written to the local
    rendered tree, for a page opened from a checkout.
    """
    from urllib.parse import quote

    if link_base:
        return lambda repo_path: link_base + quote(repo_path)
    from .common import output_dir
    rendered = output_dir(source, fleet.project.spec)
    page_dir = (out.parent if out is not None else Path(".")).resolve()
    prefix = fleet.project.spec.renderedPath.strip("/") + "/"
    base = os.path.relpath(rendered.resolve(), page_dir)

    def local(repo_path: str) -> str:
        inside = repo_path[len(prefix):] if repo_path.startswith(prefix) else repo_path
        return quote(Path(base, inside).as_posix()) + "/"

    return local
