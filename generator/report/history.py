"""The Git history of the versions: which commit changed which model's version in which environment.

One ``git log`` walks the commits of the current branch that touched the
source tree, oldest first, following first parents (a merge counts as one
change, at the moment it reached the branch), with each commit's changed
files and their blob ids. One ``git cat-file --batch`` then reads every
version of those files. Keeping a running picture of the spec documents (by
kind and name, so a renamed or moved file is no change), each commit's
effect is the difference, for the (model, environment) pairs whose
Environment or Model documents it touched, between the versions before and
after it.

The version of a model in an environment is resolved as ``resolve`` does for
the ``version`` field: the environment's ``models.<name>.version`` pin, else
its ``overrides.version``, else the Model's ``spec.version``. So a commit that
changes a Model's default moves every environment that does not pin it.
Files are read as plain YAML (not validated): a file that does not parse at
some commit keeps its last readable content until a later commit fixes it.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from ..errors import GitopsGenError
from ..load.source import EXTENSION_DIRS

_NULL_BLOB = "0" * 40
_TIMEOUT = 300  # seconds for one git command: a hung git must not hang the command


@dataclass(frozen=True)
class Change:
    model: str
    environment: str
    before: str | None  # None: the model did not run in the environment before this commit
    after: str | None  # None: the commit removed it from the environment
    pinned: bool  # ``after`` is the environment's own pin (else the Model's default version)
    commit: str
    author: str
    email: str
    date: str  # committer date, ISO 8601: when the change reached the branch
    subject: str


@dataclass
class _Documents:
    """What one spec file held at one commit: its Environments and Models, reduced to their versions."""

    environments: dict[str, tuple[dict[str, str | None], str | None]]  # name -> (model -> pin, overrides.version)
    models: dict[str, str | None]  # name -> spec.version


def read_history(source: Path) -> list[Change]:
    """Every version change of the current branch's history, oldest first."""
    source = Path(source)
    if not source.is_dir():
        raise GitopsGenError(f"{source}: source tree not found (use --source DIR)")
    if not _in_work_tree(source):
        raise GitopsGenError(f"{source}: not in a Git repository; history reads the Git history of the spec files")
    if _git(source, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode != 0:
        return []  # a repository without commits has no history yet
    log = _git(source, "log", "--first-parent", "--diff-merges=first-parent", "--reverse", "--raw", "-z",
               "--no-abbrev", "--no-renames", "--relative", "--no-color", "--no-ext-diff",
               "--format=%x1e%H%x1f%an%x1f%ae%x1f%cI%x1f%s", "--", ".").stdout
    commits = list(_parse_log(log.decode("utf-8", "surrogateescape")))
    blobs = _read_blobs(source, {sha for _, changes in commits for _, sha in changes if sha != _NULL_BLOB})
    return list(_changes(commits, blobs))


def latest_changes(source: Path) -> tuple[dict[tuple[str, str], Change], str]:
    """The last change of each (model, environment), and a note when there is no history to show."""
    try:
        changes = read_history(source)
    except GitopsGenError as exc:
        return {}, str(exc.problems[0].message)
    latest = {}
    for change in changes:
        latest[(change.model, change.environment)] = change
    return latest, ""


def _in_work_tree(source: Path) -> bool:
    done = _git(source, "rev-parse", "--is-inside-work-tree", check=False)
    return done.returncode == 0 and done.stdout.strip() == b"true"


def _git(cwd: Path, *args: str, check: bool = True, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, timeout=_TIMEOUT)
    except FileNotFoundError:
        raise GitopsGenError("git not found: history needs the git command") from None
    except subprocess.TimeoutExpired:
        raise GitopsGenError(f"git {args[0]} took longer than {_TIMEOUT}s") from None
    if check and done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitopsGenError(f"git {args[0]} failed: {reason[-1] if reason else f'exit {done.returncode}'}")
    return done


def _parse_log(text: str):
    """(commit header fields, [(path, new blob)]) per commit, from ``git log --raw -z`` with our format."""
    for record in text.split("\x1e"):
        if not record:
            continue
        header, _, raw = record.partition("\0")
        fields = header.split("\x1f")
        tokens = raw.lstrip("\n").split("\0")
        changes = []
        for meta, path in zip(tokens[0::2], tokens[1::2], strict=False):
            # ":old_mode new_mode old_blob new_blob status"; a deleted file's new blob is all zeros.
            parts = meta.split()
            if len(parts) == 5 and _is_spec_file(path):
                changes.append((path, parts[3]))
        yield fields, changes


def _is_spec_file(path: str) -> bool:
    """The loader's rule (generator.load.source.spec_files): YAML files, no hidden parts, not the extension folders."""
    parts = PurePosixPath(path).parts
    return (path.endswith((".yaml", ".yml")) and not any(p.startswith(".") for p in parts)
            and parts[0] not in EXTENSION_DIRS)


def _read_blobs(cwd: Path, shas: set[str]) -> dict[str, bytes]:
    if not shas:
        return {}
    order = sorted(shas)
    out = _git(cwd, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha in order).encode()).stdout
    blobs, at = {}, 0
    for sha in order:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if len(header) != 3:  # "<sha> missing": a shallow clone lacks it; that file reads as empty
            blobs[sha], at = b"", end + 1
            continue
        size = int(header[2])
        blobs[sha] = out[end + 1:end + 1 + size]
        at = end + 1 + size + 1
    return blobs


def _documents(data: bytes) -> _Documents | None:
    """The versions a spec file holds; None when it is not readable YAML."""
    try:
        loaded = list(yaml.load_all(data.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError):
        return None
    found = _Documents({}, {})
    for doc in loaded:
        if not isinstance(doc, dict) or not isinstance(doc.get("metadata"), dict):
            continue
        name, spec = doc["metadata"].get("name"), doc.get("spec")
        if not isinstance(name, str) or not isinstance(spec, dict):
            continue
        if doc.get("kind") == "Environment":
            models = spec.get("models")
            models = models if isinstance(models, dict) else {}
            overrides = spec.get("overrides")
            overrides = overrides if isinstance(overrides, dict) else {}
            found.environments[name] = (
                {str(m): _text((entry or {}).get("version") if isinstance(entry, dict) or entry is None else None)
                 for m, entry in models.items()},
                _text(overrides.get("version")))
        elif doc.get("kind") == "Model":
            found.models[name] = _text(spec.get("version"))
    return found


def _text(value) -> str | None:
    return None if value is None else str(value)


class _State:
    """The spec documents at one commit, by file, and the versions they resolve to."""

    def __init__(self):
        self.files: dict[str, _Documents] = {}
        self.environments: dict[str, tuple[dict[str, str | None], str | None]] = {}
        self.models: dict[str, str | None] = {}

    def version(self, model: str, environment: str) -> tuple[str | None, bool]:
        """(version, pinned) of ``model`` in ``environment``; (None, False) when it does not run there."""
        env = self.environments.get(environment)
        if env is None or model not in env[0]:
            return None, False
        pin = env[0][model] if env[0][model] is not None else env[1]
        if pin is not None:
            return pin, True
        return self.models.get(model), False

    def pairs(self, environments: set[str], models: set[str]) -> dict[tuple[str, str], tuple[str | None, bool]]:
        """Versions of every pair that involves one of these environments or models."""
        out = {}
        for env_name, (entries, _) in self.environments.items():
            names = entries if env_name in environments else [m for m in entries if m in models]
            for model in names:
                out[(model, env_name)] = self.version(model, env_name)
        return out

    def replace(self, path: str, documents: _Documents | None) -> None:
        self.files.pop(path, None)
        if documents is not None:
            self.files[path] = documents

    def reindex(self, environments: set[str], models: set[str]) -> None:
        """Rebuild the named entries from the files (a name defined twice: the last file by path wins)."""
        for name in environments:
            self.environments.pop(name, None)
        for name in models:
            self.models.pop(name, None)
        for path in sorted(self.files):
            docs = self.files[path]
            for name in environments & docs.environments.keys():
                self.environments[name] = docs.environments[name]
            for name in models & docs.models.keys():
                self.models[name] = docs.models[name]


def _changes(commits, blobs: dict[str, bytes]):
    state = _State()
    parsed: dict[str, _Documents | None] = {}
    for fields, changes in commits:
        if not changes or len(fields) < 5:
            continue
        sha, author, email, date, subject = fields[:5]
        touched_envs: set[str] = set()
        touched_models: set[str] = set()
        updates = []
        for path, blob in changes:
            old = state.files.get(path)
            if blob == _NULL_BLOB:
                new = None
            else:
                if blob not in parsed:
                    parsed[blob] = _documents(blobs.get(blob, b""))
                new = parsed[blob]
                if new is None:
                    continue  # unreadable at this commit: keep what the file held before
            for docs in (old, new):
                if docs is not None:
                    touched_envs.update(docs.environments)
                    touched_models.update(docs.models)
            updates.append((path, new))
        if not updates:
            continue
        before = state.pairs(touched_envs, touched_models)
        for path, new in updates:
            state.replace(path, new)
        state.reindex(touched_envs, touched_models)
        after = state.pairs(touched_envs, touched_models)
        for model, environment in sorted(before.keys() | after.keys()):
            old_version, _ = before.get((model, environment), (None, False))
            new_version, pinned = after.get((model, environment), (None, False))
            if old_version != new_version:
                yield Change(model=model, environment=environment, before=old_version, after=new_version,
                             pinned=pinned, commit=sha, author=author, email=email, date=date, subject=subject)
