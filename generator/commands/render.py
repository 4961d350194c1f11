"""gitops-gen render: compile the source tree into the output tree (or check it is current)."""
from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from ..builders.files import KUSTOMIZATION_FILE, build_fleet
from ..console import Progress
from ..emit import record
from ..emit.reader import MARKER_FILE, TreeReader, disk_digest, tree_files
from ..emit.serialize import file_contents
from ..emit.tree import (
    Difference,
    TreeChange,
    check_tree,
    contents_digest,
    finish_interrupted,
    render_tree,
    source_lock,
)
from ..errors import warn
from ..load.source import SourceTree, load_tree
from ..resolve.fleet import resolve
from ..resolve.organisation import both_engines_warnings
from ..resolve.spec_warnings import spec_warnings
from .common import info, output_dir, waiting_for


def render(source: Path, out: Path | None = None, check: bool = False, quiet: bool = False,
           exit_code: bool = False) -> int:
    """``exit_code``: write, then exit 1 if that changed the tree or left files Git does not track
    (pre-commit's formatter convention: the user stages the result and commits again)."""
    started = time.perf_counter()
    # From the first spec read to the last file written: a promotion cannot slip in between.
    with source_lock(source, shared=check, on_wait=None if quiet else lambda: waiting_for(source)), \
            Progress(enabled=not quiet) as progress:
        tree = load_tree(source)
        warnings = both_engines_warnings(tree)
        out = out or output_dir(source, tree.project.doc.spec)
        if not check:
            finish_interrupted(out, source)  # even when there is nothing to write
        outcome = _as_recorded(tree, out)
        if outcome is None:
            outcome = _compile(tree, source, out, check, progress)
    # After the work, and only when it compiled: a render that fails says only what is wrong.
    for problem in [*warnings, *spec_warnings(tree)]:
        warn(problem)
    if check:
        return _report_check(out, outcome, quiet)
    if not quiet:
        elapsed = time.perf_counter() - started
        change = outcome.change
        info(f"rendered {outcome.releases} releases ({outcome.objects} objects) into {out}: {change.files} files, "
             f"{change.written} written, {change.removed} removed, in {elapsed:.2f}s")
    return _report_changes(out, outcome.differences) if exit_code else 0


@dataclass(frozen=True)
class _Outcome:
    """What a render or a check found and did."""

    releases: int
    objects: int
    files: int  # compiled, the marker file not included
    # --check: the tree against the specs; a render: what it changed (check_tree's answer before writing).
    differences: tuple[Difference, ...]
    change: TreeChange  # what a render wrote (nothing for --check)


def _as_recorded(tree: SourceTree, out: Path) -> _Outcome | None:
    """The render record's fast path: the outcome without compiling, if the inputs are those recorded
    and the files on disk are the ones that render wrote (compiling again would write exactly what is there)."""
    recorded = record.load(out)
    if recorded is None or recorded.inputs != record.inputs_fingerprint(tree.digest) \
            or disk_digest(out) != recorded.outputs:
        return None
    on_disk = tree_files(out)
    objects = sum(1 for rel in on_disk if rel != MARKER_FILE and not rel.endswith(f"/{KUSTOMIZATION_FILE}"))
    return _Outcome(releases=release_count(tree), objects=objects, files=len(on_disk) - 1, differences=(),
                    change=TreeChange(written=0, removed=0, files=len(on_disk)))


def _compile(tree: SourceTree, source: Path, out: Path, check: bool, progress: Progress) -> _Outcome:
    """resolve -> build -> emit (write or check), while a second process reads the tree on disk."""
    with TreeReader(out) as reader:
        fleet = resolve(tree)
        files = build_fleet(fleet, progress=progress.counter("building releases", len(fleet.releases)))
        contents = file_contents(files, progress=progress.counter("serializing files", len(files)))
        if check:
            change = TreeChange(written=0, removed=0)
            differences = tuple(check_tree(contents, out, reader))
        else:
            change = render_tree(contents, out, source=source, reader=reader,
                                 progress=progress.counter("writing files", len(contents) + 1))
            differences = change.differences
    if not check or not differences:
        record.save(out, record.Record(inputs=record.inputs_fingerprint(tree.digest),
                                       outputs=contents_digest(contents)))
    objects = sum(1 for f in files if not f.path.endswith(f"/{KUSTOMIZATION_FILE}"))
    return _Outcome(releases=len(fleet.releases), objects=objects, files=len(contents), differences=differences,
                    change=change)


def _report_check(out: Path, outcome: _Outcome, quiet: bool) -> int:
    for difference in outcome.differences:
        print(difference)
    if outcome.differences:
        info(f"{out}: {len(outcome.differences)} files differ from the specs; run `gitops-gen render`")
        return 1
    if not quiet:
        info(f"{out}: up to date ({outcome.files} files)")
    return 0


def _report_changes(out: Path, differences: tuple[Difference, ...]) -> int:
    """For --exit-code: list what the render changed and what Git does not track; 1 if anything."""
    changed = {d.path: _CHANGE[d.what] for d in differences}
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


def release_count(tree: SourceTree) -> int:
    """How many releases resolve would make: one per model of an environment, per cluster of it."""
    return sum(len(env.doc.spec.clusters) * len(env.doc.spec.models) for env in tree.environments.values())


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
