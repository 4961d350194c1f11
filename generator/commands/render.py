"""gitops-gen render: compile the source tree into the output tree (or check it is current)."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

from ..build import KUSTOMIZATION_FILE, build_fleet
from ..emit import check_tree, file_contents, render_tree
from ..resolve import load_fleet
from .common import default_output, info
from .progress import Progress


def render(source: Path, out: Path | None = None, check: bool = False, quiet: bool = False,
           exit_code: bool = False) -> int:
    """``exit_code``: write, then exit 1 if that changed the tree or left files Git does not track
    (pre-commit's formatter convention: the user stages the result and commits again)."""
    started = time.perf_counter()
    with Progress(enabled=not quiet) as progress:
        fleet = load_fleet(source)
        files = build_fleet(fleet, progress=progress.counter("building releases", len(fleet.releases)))
        contents = file_contents(files, progress=progress.counter("serializing files", len(files)))
        out = out or default_output(source, fleet)
        if check:
            differences = check_tree(contents, out)
        else:
            before = check_tree(contents, out) if exit_code else []
            change = render_tree(contents, out, source=source,
                                 progress=progress.counter("writing files", len(contents) + 1))
    if check:
        for line in differences:
            print(line)
        if differences:
            info(f"{out}: {len(differences)} files differ from the specs; run `gitops-gen render`")
            return 1
        if not quiet:
            info(f"{out}: up to date ({len(contents)} files)")
        return 0
    if not quiet:
        objects = sum(1 for f in files if not f.path.endswith(f"/{KUSTOMIZATION_FILE}"))
        elapsed = time.perf_counter() - started
        info(f"rendered {len(fleet.releases)} releases ({objects} objects) into {out}: {change.files} files, "
             f"{change.written} written, {change.removed} removed, in {elapsed:.2f}s")
    if exit_code:
        changed = {line.split(": ", 1)[1]: _CHANGE[line.split(": ", 1)[0]] for line in before}
        untracked = [rel for rel in untracked_files(out) if rel not in changed]
        for rel, what in changed.items():
            print(f"{what}: {rel}")
        for rel in untracked:
            print(f"untracked: {rel}")
        if changed or untracked:
            untracked_note = f", {len(untracked)} not added to Git" if untracked else ""
            info(f"{out}: {len(changed)} files changed by this render{untracked_note}; "
                 f"review and stage them (git add {out})")
            return 1
    return 0


# check_tree's words for a tree about to be written, as what the write then did.
_CHANGE = {"stale": "updated", "missing": "added", "extra": "removed"}


def untracked_files(directory: Path) -> list[str]:
    """Files below ``directory`` that Git neither tracks nor ignores; none outside a Git work tree."""
    try:
        listed = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "-z", "."],
                                cwd=directory, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return []
    if listed.returncode != 0:
        return []
    return sorted(p for p in listed.stdout.decode("utf-8", "surrogateescape").split("\0") if p)
