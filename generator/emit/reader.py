"""Reading an output tree on disk: its entries, its files' bytes, and a snapshot taken in a forked process.

The tree writer (``tree``) and the render record's fast path read the tree
through here; nothing here writes.
"""
from __future__ import annotations

import errno
import hashlib
import marshal
import os
import signal
import stat
from pathlib import Path

from ..digest import add_file, new_digest

# In every tree the writer (tree.py) made: such a directory is ours to replace, and to read.
MARKER_FILE = ".gitops-gen-output"


def scan(out: Path) -> tuple[dict[str, bool], bool]:
    """Every non-directory entry below ``out`` (relative path -> is a regular file), and whether the
    tree is tidy (no empty directories, no other kinds of entry)."""
    entries: dict[str, bool] = {}
    tidy = True
    stack = [("", str(out))]
    while stack:
        rel, path = stack.pop()
        empty = True
        with os.scandir(path) as scan:
            for entry in scan:
                empty = False
                name = f"{rel}/{entry.name}" if rel else entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((name, entry.path))
                else:
                    regular = entry.is_file(follow_symlinks=False)
                    entries[name] = regular
                    tidy = tidy and regular
        if empty and rel:
            tidy = False
    return entries, tidy


# Never block on a FIFO, never follow a symlink someone put in the tree.
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def read_regular(path: str, size: int | None = None) -> tuple[bytes, os.stat_result] | None:
    """A regular file's bytes and status; None for anything else, or for a file not of ``size`` bytes."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOENT, errno.ENXIO):
            return None
        raise
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) or (size is not None and status.st_size != size):
            return None
        # One read of one byte more than the size: a regular file returns less only at its end.
        data = os.read(fd, status.st_size + 1)
        if len(data) > status.st_size:  # it grew since fstat: read the rest
            chunks = [data]
            while chunk := os.read(fd, 65536):
                chunks.append(chunk)
            data = b"".join(chunks)
        return data, status
    finally:
        os.close(fd)


def new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def is_shareable(status: os.stat_result, mode: int, uid: int) -> bool:
    # A file we wrote ourselves and nobody else links to: sharing it changes nothing
    # that a fresh file would not (content, mode, owner), and costs no write.
    return status.st_nlink == 1 and status.st_uid == uid and stat.S_IMODE(status.st_mode) == mode


def file_identity(status: os.stat_result) -> tuple:
    """What changes whenever a file's bytes, links or mode change (the kernel sets ctime)."""
    return status.st_ino, status.st_ctime_ns, status.st_size


class TreeReader:
    """Reads an output tree in a forked process while this one compiles.

    Compiling keeps one core busy; reading tens of thousands of small files is
    system calls that the other core can make meanwhile (a thread could not: it
    would wait for the interpreter lock after every call). The child sends back,
    per regular file, the sha256 of its bytes, whether it could be shared
    (is_shareable) and its identity (file_identity); render_tree shares a file only if
    its identity is still the same under the lock. Anything unexpected (no fork,
    an error in the child) and the caller reads the tree itself, as without a reader.
    """

    def __init__(self, out: str | os.PathLike):
        self.pid: int | None = None
        out = Path(out)
        # Only trees we wrote: a foreign directory is refused by render_tree before anything is read.
        if not hasattr(os, "fork") or not (out / MARKER_FILE).is_file():
            return
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # the child: read, send, and leave without running any exit handlers
            try:
                os.close(read_end)
                try:
                    data = marshal.dumps(snapshot(out))
                except BaseException:
                    data = marshal.dumps(None)
                view = memoryview(data)
                while view:
                    view = view[os.write(write_end, view):]
            finally:
                os._exit(0)
        os.close(write_end)
        self.pid, self.fd = pid, read_end

    def result(self) -> tuple | None:
        """(tidy, {relative path: (sha256, shareable, identity) or None for non-regular entries})."""
        if self.pid is None:
            return None
        chunks = []
        try:
            while chunk := os.read(self.fd, 1 << 20):
                chunks.append(chunk)
        finally:
            self.close()
        try:
            return marshal.loads(b"".join(chunks))
        except (EOFError, ValueError, TypeError):
            return None

    def __enter__(self) -> TreeReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the child (if still running) and reap it."""
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        os.close(self.fd)  # a child still writing gets EPIPE and leaves
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)


def snapshot(out: Path) -> tuple:
    entries, tidy = scan(out)
    mode, uid = new_file_mode(), os.geteuid()
    root = str(out)
    found: dict[str, tuple[bytes, bool, tuple] | None] = {}
    for rel, regular in entries.items():
        read = read_regular(f"{root}/{rel}") if regular else None
        if read is None:
            found[rel] = None
        else:
            data, status = read
            found[rel] = (hashlib.sha256(data).digest(), is_shareable(status, mode, uid), file_identity(status))
    return tidy, found


def disk_digest(out: str | os.PathLike) -> str | None:
    """The digest (record.tree_digest) of the files below ``out``; None unless it is a tidy tree of
    regular files (see scan) that could all be read."""
    out = Path(out)
    try:
        entries, tidy = scan(out)
        if not tidy:
            return None
        digest = new_digest()
        root = str(out)
        for rel in sorted(entries):
            found = read_regular(f"{root}/{rel}")
            if found is None:
                return None
            add_file(digest, rel, found[0])
    except OSError:
        return None
    return digest.hexdigest()


def tree_files(out: str | os.PathLike) -> list[str]:
    """The files of a tree (the marker included), relative to it."""
    return sorted(scan(Path(out))[0])
