"""gitops-gen promote: move a model's version to the next environment, as one reviewable Git change.

The version is read from the source environment's resolved release, written
into the target Environment file (only that line changes, see
``generator.commands.promote_edit``), and the rendered tree is rebuilt from the edited
specs, so spec and output always change together. Nothing is written until
the edited source tree has compiled; if writing the output fails, the spec
file is put back.
"""
from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..atomicfile import write_atomically
from ..builders.files import build_fleet
from ..emit import record
from ..emit.reader import MARKER_FILE
from ..emit.serialize import file_contents
from ..emit.tree import contents_digest, render_tree, source_lock
from ..errors import GitopsGenError, files_relative_to
from ..load.source import load_tree
from ..paths import inside
from ..resolve.fleet import Fleet, load_fleet, resolve
from .common import default_output, info, waiting_for
from .promote_edit import VersionEdit, set_model_version

_VERSION = re.compile(r"^[^\s{}]+$")


@dataclass(frozen=True)
class Plan:
    model: str
    source: str | None  # environment the version comes from; None with an explicit --version and no --from
    target: str
    version: str
    current: str | None  # the target's resolved version now; None when the model is not there yet
    spec_file: str  # the target's Environment file, relative to the source tree
    pinned: bool = False  # the version was given with --version, not read from the source


@dataclass(frozen=True)
class GateOptions:
    """How --require-healthy reaches the clusters (see generator.commands.promote_health)."""

    kubeconfig: str | None = None
    timeout: float = 30.0
    argocd_context: str | None = None
    flux_hub_context: str | None = None


def promote(source: Path, models: Sequence[str] | str, to: str, from_env: str | None = None,
            version: str | None = None, out: Path | None = None, dry_run: bool = False, commit: bool = False,
            branch: str | None = None, require_healthy: bool = False, force: bool = False,
            gate: GateOptions = GateOptions(), all_models: bool = False, message: str | None = None) -> int:
    """Promote ``models`` (or, with ``all_models``, every model the source runs ahead of ``to``) as one change."""
    source = Path(source)
    models = (models,) if isinstance(models, str) else tuple(dict.fromkeys(models))
    # One lock from reading the specs to the last rendered file (and the commit): a render running
    # meanwhile would otherwise write output compiled from the specs before this edit.
    with source_lock(source, shared=dry_run, on_wait=lambda: waiting_for(source)):
        return _promote(source, models, all_models, to, from_env, version, out, dry_run, commit, branch,
                        require_healthy, force, gate, message)


def _promote(source: Path, models: tuple[str, ...], all_models: bool, to: str, from_env: str | None,
             version: str | None, out: Path | None, dry_run: bool, commit: bool, branch: str | None,
             require_healthy: bool, force: bool, gate: GateOptions, message: str | None) -> int:
    fleet = load_fleet(source)
    if all_models:
        plans = plan_all(fleet, to, from_env, force)
        if not plans:
            info(f"nothing to promote to {to}: it runs every model at the version of the stage before it")
            return 0
    else:
        plans = [plan_promotion(fleet, model, to, from_env, version, force) for model in models]
    for plan in plans:
        if plan.current == plan.version:
            info(f"{plan.model} is already at {plan.version} in {plan.target}: nothing to do")
    plans = [plan for plan in plans if plan.current != plan.version]
    if not plans:
        return 0
    for plan in plans:
        if plan.pinned and not force:
            require_run_before(source, fleet, plan)
    if branch and not commit:
        raise GitopsGenError("--branch needs --commit (it creates the branch the promotion is committed on)")
    out = Path(out) if out is not None else default_output(source, fleet)
    rendering = _renders(fleet, out)
    spec_file = plans[0].spec_file  # every plan edits the one Environment file of `to`
    spec_path = source / spec_file
    git = _Git.for_paths(spec_path, out if rendering else None) if commit and not dry_run else None
    if require_healthy:
        problems = [p for plan in plans for p in _health_problems(fleet, plan, gate)]
        if problems:
            raise GitopsGenError(*problems)
    text = _read(spec_path, spec_file)
    edited = text
    for plan in plans:  # one version line each; each edit is checked on its own (promote_edit)
        edited = set_model_version(edited, spec_file, plan.target, plan.model, plan.version).new_text
    edit = VersionEdit(old_text=text, new_text=edited, previous=None)
    # Compiled also when there is no tree to render: a promotion never leaves specs that do not compile.
    contents, source_digest = _compile_edited(source, spec_file, edit.new_text)
    if dry_run:
        _print_diffs(source, spec_file, edit, out, contents if rendering else None)
        for plan in plans:
            info(f"dry run: would {describe(plan)}; nothing changed")
        return 0
    if git and branch:
        git.run("switch", "-c", branch)
    inside(spec_path, source, "the promoted spec file")
    written = _write(spec_path, edit, out, source, contents if rendering else None, source_digest)
    updated = f", {written} rendered files updated in {out}" if rendering else ""
    for plan in plans:
        info(f"{describe(plan)}: {spec_path.as_posix()} pinned{updated if len(plans) == 1 else ''}")
    if len(plans) > 1 and rendering:
        info(f"{written} rendered files updated in {out}")
    if git:
        _commit(git, commit_message(plans, message), [spec_path, *([out] if rendering else [])], branch)
    return 0


def _health_problems(fleet: Fleet, plan: Plan, gate: GateOptions) -> list[str]:
    if plan.source is None:
        raise GitopsGenError("--require-healthy checks the source environment: give --from")
    from .promote_health import check_release_health  # imports the Kubernetes client

    return check_release_health(fleet, plan.source, plan.model, kubeconfig=gate.kubeconfig, timeout=gate.timeout,
                                argocd_context=gate.argocd_context, flux_hub_context=gate.flux_hub_context)


def _write(spec_path: Path, edit: VersionEdit, out: Path, source: Path, contents: dict[str, bytes] | None,
           source_digest: str) -> int:
    """Write the edited spec, then the rendered tree (if any); how many rendered files were written."""
    write_atomically(spec_path, edit.new_text.encode(), durable=True)
    if contents is None:
        return 0
    try:
        written = render_tree(contents, out, source=source).written
    except BaseException:
        # Spec and output change together or not at all.
        write_atomically(spec_path, edit.old_text.encode(), durable=True)
        raise
    # The edited copy had the same files as the source tree now has: the next render can trust this one.
    record.save(out, record.Record(inputs=record.inputs_fingerprint(source_digest),
                                   outputs=contents_digest(contents)))
    return written


def _commit(git: _Git, text: str, paths: list[Path], branch: str | None) -> None:
    try:
        git.commit(text, paths)
    except GitopsGenError as exc:
        # Spec and output are consistent; only the commit is missing (e.g. a hook refused it).
        raise GitopsGenError(f"{exc.problems[0].message}; the promotion is edited and rendered, not committed") \
            from None
    info(f"committed: {text.splitlines()[0]}" + (f" (on branch {branch})" if branch else ""))


def plan_promotion(fleet: Fleet, model: str, to: str, from_env: str | None, version: str | None,
                   force: bool) -> Plan:
    """Decide what to promote, refusing anything unknown, absent or out of order (unless forced)."""
    environments = {e.name: e for e in fleet.environments}
    fleet.select(environment=to, model=model)  # unknown model or environment: the usual one-line error
    from_env = _source_environment(fleet, to, from_env, version, force)
    pinned = version is not None
    if version is not None and not _VERSION.match(version):
        raise GitopsGenError(f"--version {version!r} is not a valid version")
    if from_env is not None and version is None:
        version = _version_in(fleet, model, from_env)
        if version is None:
            raise GitopsGenError(f"model {model!r} is not in environment {from_env!r}: nothing to promote")
    current = _version_in(fleet, model, to)
    assert version is not None  # given, or read from from_env (given, or the stage before `to`)
    return Plan(model=model, source=from_env, target=to, version=version, current=current,
                spec_file=environments[to].file, pinned=pinned)


def plan_all(fleet: Fleet, to: str, from_env: str | None, force: bool) -> list[Plan]:
    """--all: every model both environments run whose version in the source is newer than the target's, or
    not comparable with it (a Git SHA, a date). A target that runs a newer version (a hotfix) keeps it."""
    from ..report.versions import NEWER, SAME, compare

    fleet.select(environment=to)
    from_env = _source_environment(fleet, to, from_env, None, force)
    assert from_env is not None  # without --version, _source_environment always finds one or refuses
    plans = []
    for model in fleet.model_names:
        there, here = _version_in(fleet, model, from_env), _version_in(fleet, model, to)
        if there is None or here is None:
            continue  # a model new to the target is promoted by name, never by --all
        relation = compare(here, there)
        if relation == NEWER:
            info(f"{model}: {to} runs {here}, newer than {there} in {from_env}: left as it is")
        elif relation != SAME:
            plans.append(plan_promotion(fleet, model, to, from_env, None, force))
    return plans


def _source_environment(fleet: Fleet, to: str, from_env: str | None, version: str | None,
                        force: bool) -> str | None:
    """--from, else the stage before ``to``; None only when a --version is pinned without --from."""
    order = list(fleet.project.spec.promotion)
    if from_env is None and version is None:
        if to not in order:
            raise GitopsGenError(f"environment {to!r} is not a stage of Project.spec.promotion "
                                 f"({_stages(order)}): give --from")
        if order.index(to) == 0:
            raise GitopsGenError(f"environment {to!r} is the first stage of Project.spec.promotion: there is "
                                 "nothing to promote from (give --from, or --version to pin a version)")
        from_env = order[order.index(to) - 1]
    if from_env is not None:
        fleet.select(environment=from_env)
        if from_env == to:
            raise GitopsGenError(f"--from and --to are both {to!r}")
        if order and not force:  # without a promotion order, any environment may feed any other
            _check_order(order, from_env, to)
    return from_env


def _version_in(fleet: Fleet, model: str, environment: str) -> str | None:
    """The model's resolved version in the environment (one for all its clusters); None when it does not run there."""
    return next((r.version for r in fleet.releases if r.environment.name == environment and r.model == model), None)


def require_run_before(source: Path, fleet: Fleet, plan: Plan) -> None:
    """Refuse a --version that has not run in the stage before the target (--from, or the previous stage of
    Project.spec.promotion): in its spec now, or at any commit of the Git history of the source tree.

    A target with no stage before it (the first stage, or outside the promotion order without --from) has
    nothing to check against.
    """
    order = list(fleet.project.spec.promotion)
    before = plan.source
    if before is None and plan.target in order and order.index(plan.target) > 0:
        before = order[order.index(plan.target) - 1]
    if before is None or _version_in(fleet, plan.model, before) == plan.version:
        return
    from ..report.history import read_history

    try:
        ran = any(c.model == plan.model and c.environment == before and plan.version in (c.before, c.after)
                  for c in read_history(source))
        where = "nor in its Git history"
    except GitopsGenError as exc:  # not a Git work tree, git missing: no history to look in
        ran, where = False, f"and its history cannot be read ({exc.problems[0].message})"
    if not ran:
        raise GitopsGenError(f"--version {plan.version} of {plan.model} has not run in {before}, the stage before "
                             f"{plan.target}: not in its spec now, {where}; promote it to {before} first, "
                             "or use --force")


def _check_order(order: list[str], from_env: str, to: str) -> None:
    for name in (from_env, to):
        if name not in order:
            raise GitopsGenError(f"environment {name!r} is not a stage of Project.spec.promotion "
                                 f"({_stages(order)}); use --force to promote outside that order")
    i, j = order.index(from_env), order.index(to)
    if j < i:
        raise GitopsGenError(f"promoting from {from_env!r} to {to!r} goes backwards ({_stages(order)}); "
                             "use --version to roll back, or --force")
    if j > i + 1:
        skipped = ", ".join(order[i + 1:j])
        raise GitopsGenError(f"promoting from {from_env!r} to {to!r} skips {skipped} ({_stages(order)}); "
                             f"promote to {order[i + 1]!r} first, or use --force")


def _stages(order: list[str]) -> str:
    return " -> ".join(order) if order else "empty"


def describe(plan: Plan) -> str:
    was = f" (was {plan.current})" if plan.current else " (new in that environment)"
    return f"promote {plan.model} {plan.version} {_route(plan)}{was}"


def message(plan: Plan) -> str:
    """The subject of a one-model promotion's commit: names model, version and environments."""
    if plan.pinned:
        was = f" (was {plan.current})" if plan.current else ""
        return f"promote {plan.model} {plan.version} to {plan.target}{was}"
    return f"promote {plan.model} {plan.version} from {plan.source} to {plan.target}"


def commit_message(plans: list[Plan], subject: str | None = None) -> str:
    """The commit message: a subject (``--message``, or one that names what moved), then each model's old and
    new version, one per line, so `git log` answers "what did this promotion change" on its own."""
    if subject is None:
        first = plans[0]
        subject = message(first) if len(plans) == 1 else f"promote {len(plans)} models {_route(first)}"
    changes = "\n".join(f"{p.model}: {p.current} -> {p.version}" if p.current else f"{p.model}: added {p.version}"
                        for p in plans)
    return f"{subject.strip()}\n\n{changes}\n"


def _route(plan: Plan) -> str:
    # A pinned version does not come from the source environment, even when --from names one (for the gate).
    return f"to {plan.target}" if plan.pinned or not plan.source else f"from {plan.source} to {plan.target}"


def _renders(fleet: Fleet, out: Path) -> bool:
    """Whether this project keeps a rendered tree that must follow the spec.

    Rendered-mode Argo CD and Flux read it from Git; in plugin mode with Argo CD
    alone there is none, unless one was rendered before.
    """
    spec = fleet.project.spec
    return (spec.argocd.mode == "rendered" or any("flux" in r.engines for r in fleet.releases)
            or (out / MARKER_FILE).is_file())


def _read(path: Path, rel: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GitopsGenError.at(rel, 0, "", f"cannot read: {exc.strerror}") from None


def _compile_edited(source: Path, spec_file: str, new_text: str) -> tuple[dict[str, bytes], str]:
    """The output tree the edited specs compile to, built from a private copy: nothing is written yet.

    Also the copy's SourceTree.digest (paths are relative: the edited source tree's digest)."""
    with tempfile.TemporaryDirectory(prefix="gitops-gen-promote-") as temp:
        copy = Path(temp) / "source"
        shutil.copytree(source, copy, symlinks=False)
        (copy / spec_file).write_text(new_text, encoding="utf-8")
        try:
            tree = load_tree(copy)
            return file_contents(build_fleet(resolve(tree))), tree.digest
        finally:
            files_relative_to(source)  # a problem found in the copy names the user's file, not the copy's



def _print_diffs(source: Path, spec_file: str, edit: VersionEdit, out: Path,
                 contents: dict[str, bytes] | None) -> None:
    spec_name = (source / spec_file).as_posix()
    _write_diff(edit.old_text, edit.new_text, spec_name)
    if contents is None:
        return
    on_disk = {}
    if out.is_dir():
        for path in sorted(out.rglob("*")):
            if path.is_file() and path.name != MARKER_FILE:
                on_disk[path.relative_to(out).as_posix()] = path.read_bytes()
    for rel in sorted(set(on_disk) | set(contents)):
        old, new = on_disk.get(rel), contents.get(rel)
        if old != new:
            _write_diff((old or b"").decode(errors="replace"), (new or b"").decode(errors="replace"),
                        (out / rel).as_posix(), old is None, new is None)


def _write_diff(old: str, new: str, name: str, created: bool = False, deleted: bool = False) -> None:
    sys.stdout.writelines(difflib.unified_diff(
        old.splitlines(True), new.splitlines(True),
        fromfile="/dev/null" if created else f"a/{name}", tofile="/dev/null" if deleted else f"b/{name}"))


class _Git:
    """The few git commands --commit needs, run in the repository that holds the spec file."""

    def __init__(self, root: Path):
        self.root = root

    @classmethod
    def for_paths(cls, spec_path: Path, out: Path | None) -> _Git:
        if shutil.which("git") is None:
            raise GitopsGenError("--commit needs git on PATH")
        probe = subprocess.run(["git", "-C", str(spec_path.parent), "rev-parse", "--show-toplevel"],
                               capture_output=True, text=True)
        if probe.returncode != 0:
            raise GitopsGenError(f"{spec_path}: not inside a Git work tree; --commit needs one")
        git = cls(Path(probe.stdout.strip()))
        paths = [spec_path, *([out] if out is not None else [])]
        for path in paths:
            if not Path(os.path.abspath(path)).resolve().is_relative_to(git.root.resolve()):
                raise GitopsGenError(f"{path}: outside the Git repository {git.root}; --commit cannot commit it")
        if out is not None and git.run("check-ignore", "-q", "--", git.rel(out), check=False).returncode == 0:
            raise GitopsGenError(f"{out}: ignored by Git (.gitignore); --commit needs the rendered tree in Git")
        dirty = git.run("status", "--porcelain", "--untracked-files=all", "--", *map(git.rel, paths)).stdout
        if dirty.strip():
            first = dirty.splitlines()[0][3:]
            raise GitopsGenError(f"{first}: uncommitted changes in the files a promotion commits; "
                                 "commit or stash them first")
        return git

    def rel(self, path: Path) -> str:
        return os.path.relpath(Path(os.path.abspath(path)).resolve(), self.root.resolve())

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True)
        if check and done.returncode != 0:
            reason = (done.stderr.strip() or done.stdout.strip()).splitlines()
            raise GitopsGenError(f"git {args[0]} failed: {reason[-1] if reason else f'exit {done.returncode}'}")
        return done

    def commit(self, msg: str, paths: list[Path]) -> None:
        rels = [self.rel(p) for p in paths]
        self.run("add", "-A", "--", *rels)
        # --only (implied by paths): exactly these paths, whatever else the user has staged.
        self.run("commit", "-q", "-m", msg, "--", *rels)
