"""Where gitops-gen may write, and the proof that it stays there.

The source tree is untrusted, and some of the paths written come from it
(``sourcePath``, ``renderedPath``). So every place that writes or deletes (the
output tree, its staging directories and lock, the render record, promote's
spec edit, the plugin's cache) first proves here that the path, with every
symlink resolved, is inside the directory it is meant for. A refusal is one
line; nothing has been written by then.

Only ``os`` is imported: the Argo CD plugin imports this on every request.
"""
from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from pathlib import Path


def resolved_inside(path: str | os.PathLike, directory: str | os.PathLike) -> str | None:
    """The real path of ``path`` if it is ``directory`` or below it, both with symlinks resolved; else None.

    ``path`` need not exist yet: what does exist of it is resolved (a symlinked
    parent counts where it points).
    """
    real_dir = os.path.realpath(directory)
    real = os.path.realpath(path)
    if real == real_dir or real.startswith(real_dir.rstrip(os.sep) + os.sep):
        return real
    return None


def inside(path: str | os.PathLike, directory: str | os.PathLike, what: str) -> str:
    """``resolved_inside``, or one user-facing line naming ``what`` and where it would have gone."""
    real = resolved_inside(path, directory)
    if real is None:
        from .errors import GitopsGenError  # only on refusal: the plugin's hot path never needs it

        raise GitopsGenError(f"{path}: {what} resolves to {os.path.realpath(path)}, outside "
                             f"{directory}; refusing to write there")
    return real


def git_work_tree(path: str | os.PathLike) -> Path | None:
    """The top of the Git work tree holding ``path`` (the nearest folder with a ``.git``), or None."""
    from pathlib import Path  # here, not above: the plugin's cache hit uses resolved_inside alone

    here = Path(os.path.realpath(path))
    for folder in (here, *here.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return None


def output_dir(source: str | os.PathLike, source_path: str, rendered_path: str) -> Path:
    """The local output directory: ``renderedPath`` in the repository that holds ``source`` at ``sourcePath``.

    The one place this is derived (render, promote and init ask here). The
    repository root is ``source`` minus ``sourcePath``'s folders; as both paths
    come from the untrusted Project, the result must also lie inside the Git
    work tree that holds the source tree (outside Git: beside the source tree,
    in its parent folder), checked with symlinks resolved. ``--out`` is the
    way to write anywhere else.
    """
    from pathlib import Path, PurePosixPath

    source = Path(os.path.abspath(source))
    depth = len([p for p in PurePosixPath(source_path).parts if p not in (".", "/")])
    hint = "set --out to choose the output directory"
    if depth > len(source.parents):
        from .errors import GitopsGenError

        raise GitopsGenError(f"sourcePath {source_path!r} is {depth} folders deep, deeper than the source tree "
                             f"{source} is on disk: renderedPath cannot be placed next to it; {hint}")
    root = source.parents[depth - 1] if depth else source
    out = Path(os.path.normpath(root.joinpath(*PurePosixPath(rendered_path).parts)))
    boundary = git_work_tree(source) or source.parent
    if resolved_inside(out, boundary) is None:
        from .errors import GitopsGenError

        where = "the Git work tree" if git_work_tree(source) else "the folder holding the source tree"
        raise GitopsGenError(f"renderedPath {rendered_path!r} (with sourcePath {source_path!r}) puts the output at "
                             f"{os.path.realpath(out)}, outside {where} {boundary}; refusing to write there; {hint}")
    return out
