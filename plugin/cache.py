"""A content-addressed cache of release indexes, in the sidecar's own temp directory.

Why: Argo CD starts a fresh process for every request, and compiling a
source tree starts with importing pydantic and building the spec models
(most of a compiling request's time; docs/performance.md). After a commit, Argo CD asks once per
Application, each time with an identical source tree and a different
selection, so the first request compiles every release and stores the
result; the others only hash the tree and read one JSON file.

Correctness: the key is a SHA-256 over everything the output depends on:
the cache format, the gitops-gen version, the Python version, the installed
gitops-gen code (size and mtime of every module), the installed
distributions (their dist-info names carry the versions), and the path and
bytes of every file of the source tree the compiler may read (the path and
size of the others). The same key means the same inputs, so an entry is never
stale; a changed spec is a new key. Only successful compilations are stored;
errors are recomputed every time.

Cost: the tree is hashed before anything is checked, so hashing is bounded
like reading: files are hashed in chunks (never whole in memory), files the
compiler never reads (a model binary next to the specs) by their size alone,
and the files it does read may add up to the input-bytes budget at most (the
loader's own budget), refused early in one line. Nothing behind a symlink
that leaves the tree, and no FIFO or device, is ever opened.

Safety: the cache directory is never inside the repo copy Argo CD hands us
(we must not write there) and must be a directory only we can write (our
uid, no group/other write), or the cache is not used. Entries are written to
a temporary file and renamed into place, so parallel requests see a whole
entry or none; an unreadable or corrupt entry is a miss. Requests that miss
on the same tree at the same time wait for the first one (``Lock``) and then
read its entry, instead of all compiling on the sidecar's few CPUs. At most
``MAX_ENTRIES`` entries are kept, least recently used first out.

``GITOPS_GEN_CMP_CACHE``: a directory to use instead of
``$TMPDIR/gitops-gen-cmp-cache``, or ``off`` to disable the cache.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from collections.abc import Mapping

from generator.atomicfile import write_atomically
from generator.digest import add_file
from generator.paths import resolved_inside

FORMAT = 3  # 2: files the compiler never reads are keyed by size; 3: *.json read in full (Terraform outputs)
MAX_ENTRIES = 64
STALE_TEMP_SECONDS = 600
DIR_NAME = "gitops-gen-cmp-cache"
TEMP_PREFIX = ".tmp-"  # an entry being written
_SKIP_DIRS = {".git"}
# What the compiler may read (generator.load, tests/test_hardening_plugin.py checks): every
# *.yaml/*.yml, every *.json (an Environment's clustersFrom.terraformOutput, which must be named
# so), and every file below the top-level templates/ and components/ folders.
# A superset (hidden names included): a file wrongly counted as read costs a read, never a stale entry.
SPEC_SUFFIXES = (".yaml", ".yml", ".json")
EXTENSION_DIRS = ("templates", "components")
_CHUNK = 1 << 20
# Never block on a FIFO or device (fstat tells what it is once opened).
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def tree_digest(root: str, max_read_bytes: int | None = None) -> str:
    """SHA-256 over every file below ``root`` (sorted; ``.git`` skipped): path and bytes of those the
    compiler may read, path and size of the others. Those read may add up to ``max_read_bytes``."""
    digest = hashlib.sha256()
    real_root = os.path.realpath(root)
    budget = [max_read_bytes]
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        rel_dir = os.path.relpath(dirpath, root)
        for name in dirnames:
            path = os.path.join(dirpath, name)
            if os.path.islink(path):  # not walked (nor does the loader descend into it): its target counts
                _add(digest, "dirlink", os.path.join(rel_dir, name), os.readlink(path).encode(errors="surrogateescape"))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.join(rel_dir, name)
            if os.path.islink(path):
                _add(digest, "link", rel, os.readlink(path).encode(errors="surrogateescape"))
                if resolved_inside(path, real_root) is None:  # the loader refuses it; never opened here
                    continue
            if read_by_the_compiler(rel_dir, name):
                _add_read_file(digest, path, rel, budget)
            else:
                try:
                    size = str(os.stat(path).st_size).encode()
                except OSError as exc:
                    size = f"unreadable {exc.errno}".encode()
                _add(digest, "unread", rel, size)
    return digest.hexdigest()


def read_by_the_compiler(rel_dir: str, name: str) -> bool:
    """Whether the compiler may read file ``name`` of folder ``rel_dir`` (relative to the source tree)."""
    return name.endswith(SPEC_SUFFIXES) or rel_dir.split(os.sep)[0] in EXTENSION_DIRS


def _add_read_file(digest, path: str, rel: str, budget: list) -> None:
    """A file's path and bytes, hashed in chunks; ``budget[0]``: bytes still allowed (None: no limit)."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        _add(digest, "unreadable", rel, str(exc.errno).encode())
        return
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            _add(digest, "special", rel, b"")
            return
        if budget[0] is not None:
            budget[0] -= status.st_size
            if budget[0] < 0:
                from generator import budgets
                limit = budgets.current().input_bytes
                raise budgets.over_budget("input-bytes", limit, f"{rel}: the source tree's spec and template "
                                          f"files add up to more than {limit} bytes")
        # add_file's framing (path, length, bytes) without holding the bytes.
        digest.update(f"file\0{rel}\0{status.st_size}\0".encode(errors="surrogateescape"))
        left = status.st_size
        while left > 0:
            chunk = os.read(fd, min(_CHUNK, left))
            if not chunk:  # shrank while read: never the same key as the file it was
                digest.update(b"\0truncated")
                break
            digest.update(chunk)
            left -= len(chunk)
    except OSError as exc:
        _add(digest, "unreadable", rel, str(exc.errno).encode())
    finally:
        os.close(fd)


def _add(digest, kind: str, rel: str, data: bytes) -> None:
    # The kind (file, link, ...) is part of the path, so a link and a file never hash alike.
    add_file(digest, f"{kind}\0{rel}", data)


def code_fingerprint() -> str:
    """What identifies the installed code: our modules' size/mtime and the installed distributions.

    A cheap cousin of generator/emit/record.py compiler_fingerprint (that one reads every module and would
    cost this hot path its imports); what one must cover, the other must too.
    """
    import generator

    parts = [generator.__version__, sys.version]
    for package_dir in (os.path.dirname(generator.__file__), os.path.dirname(__file__)):
        for dirpath, dirnames, filenames in os.walk(package_dir):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith(".py"):
                    st = os.stat(os.path.join(dirpath, name))
                    parts.append(f"{os.path.join(dirpath, name)}:{st.st_size}:{st.st_mtime_ns}")
    for entry in sys.path:
        if os.path.basename(entry) in ("site-packages", "dist-packages") and os.path.isdir(entry):
            parts.extend(sorted(n for n in os.listdir(entry) if n.endswith((".dist-info", ".egg-info"))))
    return "\n".join(parts)


def cache_key(root: str, max_read_bytes: int | None = None) -> str:
    return hashlib.sha256(f"{FORMAT}\n{code_fingerprint()}\n{tree_digest(root, max_read_bytes)}".encode(
        errors="surrogateescape")).hexdigest()


def repo_root(cwd: str, source_path: str | None) -> str:
    """The root of Argo CD's repo copy: ``cwd`` minus ``ARGOCD_APP_SOURCE_PATH``'s components."""
    parts = [p for p in (source_path or "").replace("\\", "/").split("/") if p not in ("", ".")]
    root = cwd
    for _ in parts:
        root = os.path.dirname(root)
    return root


def cache_dir(env: Mapping[str, str], cwd: str) -> tuple[str | None, str]:
    """(the directory to use, or None; why) — created 0700 on first use."""
    setting = env.get("GITOPS_GEN_CMP_CACHE", "").strip()
    if setting.lower() in ("off", "0", "false", "no"):
        return None, "disabled by GITOPS_GEN_CMP_CACHE"
    if setting:
        base = setting
    else:
        tmp = env.get("TMPDIR")
        if not tmp:
            import tempfile
            tmp = tempfile.gettempdir()
        base = os.path.join(tmp, DIR_NAME)
    base = os.path.realpath(base)
    root = os.path.realpath(repo_root(cwd, env.get("ARGOCD_APP_SOURCE_PATH")))
    if resolved_inside(base, root) is not None:
        return None, f"{base} is inside the repository copy"
    try:
        os.mkdir(base, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        return None, f"cannot create {base}: {exc.strerror}"
    st = os.lstat(base)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o022:
        return None, f"{base} is not a directory that only this user can write"
    return base, base


def load(directory: str, key: str) -> dict | None:
    """The stored index for ``key``, or None (missing, unreadable or corrupt: all the same, a miss)."""
    path = os.path.join(directory, key + ".json")
    try:
        with open(path, "rb") as fh:
            entry = json.loads(fh.read())
        os.utime(path)  # least recently used goes first when pruning
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("index"), dict):
        return None
    return entry["index"]


class Lock:
    """Held by the one request that compiles a tree; others for the same tree wait, then read its entry.

    flock is released when the holder exits or is killed (Argo CD's deadline),
    so a waiter can never hang on a dead holder. Without a lock file (it could
    not be created) everyone compiles: slower, still correct.
    """

    def __init__(self, directory: str, key: str):
        self.path = os.path.join(directory, f".lock-{key}")
        self.fd: int | None = None

    def __enter__(self) -> Lock:
        import fcntl

        if resolved_inside(self.path, os.path.dirname(self.path)) is None:
            return self  # a symlink where the lock file goes: compile without the lock
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError:
            return self
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            os.close(fd)
            return self
        self.fd = fd
        return self

    def __exit__(self, *exc_info) -> None:
        if self.fd is not None:
            # Removed before release: waiters hold the old file and re-check the
            # cache once they get it; later requests find the entry first.
            _unlink(self.path)
            os.close(self.fd)
            self.fd = None


def store(directory: str, key: str, index: dict) -> None:
    """Write the entry atomically (temp file + rename), then prune old entries."""
    data = json.dumps({"key": key, "index": index}, separators=(",", ":"), ensure_ascii=False).encode()
    entry = os.path.join(directory, key + ".json")
    if resolved_inside(entry, directory) is None:
        raise OSError(f"{entry} resolves outside {directory}")
    write_atomically(entry, data, temp_prefix=TEMP_PREFIX)
    prune(directory)


def prune(directory: str, keep: int = MAX_ENTRIES) -> None:
    now = time.time()
    entries = []
    for entry in os.scandir(directory):
        try:
            mtime = entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if entry.name.startswith((TEMP_PREFIX, ".lock-")):
            if now - mtime > STALE_TEMP_SECONDS:  # left by a process Argo CD killed mid-write
                _unlink(entry.path)
        elif entry.name.endswith(".json"):
            entries.append((mtime, entry.path))
    entries.sort(reverse=True)
    for _mtime, path in entries[keep:]:
        _unlink(path)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
