"""gitops-gen render: compile the source tree into the output tree (or check it is current)."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

from ..emit import record
from ..builders.files import KUSTOMIZATION_FILE, build_fleet
from ..emit.reader import MARKER_FILE, TreeReader, disk_digest, tree_files
from ..emit.serialize import file_contents
from ..emit.tree import TreeChange, check_tree, contents_digest, finish_interrupted, render_tree, source_lock
from ..load.source import SourceTree, load_tree
from ..resolve.fleet import resolve
from ..resolve.organisation import both_engines_warnings
from .common import info, output_dir, waiting_for
from ..console import Progress


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
        inputs = record.inputs_fingerprint(tree.digest)
        if not check:
            finish_interrupted(out, source)  # even when there is nothing to write
        if _unchanged_since_recorded(out, inputs):
            # Same inputs, same compiler, and the files on disk are the ones it wrote:
            # compiling again would write exactly what is there.
            on_disk = tree_files(out)
            releases = release_count(tree)
            objects = sum(1 for rel in on_disk if rel != MARKER_FILE and not rel.endswith(f"/{KUSTOMIZATION_FILE}"))
            differences, before = [], []
            compiled_files = len(on_disk) - 1
            change = TreeChange(written=0, removed=0, files=len(on_disk))
        else:
            # The tree on disk is read by a second process while this one compiles.
            reader = TreeReader(out)
            try:
                fleet = resolve(tree)
                files = build_fleet(fleet, progress=progress.counter("building releases", len(fleet.releases)))
                contents = file_contents(files, progress=progress.counter("serializing files", len(files)))
                releases = len(fleet.releases)
                objects = sum(1 for f in files if not f.path.endswith(f"/{KUSTOMIZATION_FILE}"))
                compiled_files = len(contents)
                if check:
                    differences = check_tree(contents, out, reader)
                else:
                    change = render_tree(contents, out, source=source, reader=reader,
                                         progress=progress.counter("writing files", len(contents) + 1))
                    before = list(change.differences)
            finally:
                reader.close()
            if not check or not differences:
                record.save(out, record.Record(inputs=inputs, outputs=contents_digest(contents)))
    # After the work: a render that fails says only what is wrong.
    for line in warnings:
        info(line)
    if check:
        for line in differences:
            print(line)
        if differences:
            info(f"{out}: {len(differences)} files differ from the specs; run `gitops-gen render`")
            return 1
        if not quiet:
            info(f"{out}: up to date ({compiled_files} files)")
        return 0
    if not quiet:
        elapsed = time.perf_counter() - started
        info(f"rendered {releases} releases ({objects} objects) into {out}: {change.files} files, "
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


def _unchanged_since_recorded(out: Path, inputs: str) -> bool:
    recorded = record.load(out)
    return recorded is not None and recorded.inputs == inputs and disk_digest(out) == recorded.outputs


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
