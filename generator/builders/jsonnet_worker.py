"""Jsonnet components, evaluated in a child process whose memory is capped.

gojsonnet evaluates in Go, where no Python-level check can bound what it
allocates: ``std.makeArray(1e6, ...)`` or ``std.repeat('a', 2e8)`` take
gigabytes within seconds, and when memory runs out the Go runtime aborts the
whole process with a goroutine dump. So components run in one child process
per command (started on the first component, reused by every later one: a
process per evaluation would cost tens of milliseconds each), with
RLIMIT_DATA set to budgets' ``jsonnet_memory_bytes`` before Go starts.
RLIMIT_DATA, not RLIMIT_AS: the Go runtime reserves far more address space
than it uses and fails to start under a realistic RLIMIT_AS, while reserved
(PROT_NONE) memory does not count against RLIMIT_DATA. GOMEMLIMIT is set a
little below the cap, so Go collects garbage harder before it reaches it.
When the child dies anyway, its output (a goroutine dump) is read only to
tell running out of memory from other failures, and never shown.

The parent never imports gojsonnet: a Go runtime started in this process
would not survive a fork, and would leave nothing to cap.

This file is also the child's program (run by path, so the child imports
nothing of gitops-gen, pydantic or Jinja2): frames are a 4-byte big-endian
length and the bytes; each request is a JSON header, each answer a JSON
header and, on success, the output text as a second frame.
"""
from __future__ import annotations

import json
import os
import posixpath
import struct
import sys

_HEADER = struct.Struct(">I")
_STDERR_KEPT = 4096  # enough to tell running out of memory from other deaths


def _read_frame(stream) -> bytes | None:
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(head)
    data = stream.read(size)
    return data if len(data) == size else None


def _write_frame(stream, data: bytes) -> None:
    stream.write(_HEADER.pack(len(data)) + data)


# --- the child ------------------------------------------------------------------


def _import_resolver(texts: dict[str, str], refused: list):
    """gojsonnet's import callback: only files the loader read from components/ and templates/."""
    def import_callback(directory: str, rel: str) -> tuple[str, bytes]:
        # Refusals are recorded and reported after evaluation: an exception
        # raised inside this callback can come back garbled from gojsonnet.
        target = posixpath.normpath(posixpath.join(directory, rel))
        if rel.startswith("/"):
            refused.append((directory, rel, f"import {rel!r}: absolute paths are refused; imports resolve inside "
                                            "the source tree"))
        elif target == ".." or target.startswith("../"):
            refused.append((directory, rel, f"import {rel!r} leaves the source tree"))
        elif target not in texts:
            refused.append((directory, rel, f"import {rel!r}: {target} not found (imports resolve to files under "
                                            "components/ or templates/)"))
        else:
            return target, texts[target].encode()
        return target, b""

    return import_callback


def child_main(memory_bytes: int, module_dir: str) -> int:
    import resource

    resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
    sys.path.insert(0, module_dir)
    import _gojsonnet  # only now: the Go runtime starts under the cap

    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    texts: dict[str, str] = {}
    while True:
        frame = _read_frame(requests)
        if frame is None:
            return 0
        request = json.loads(frame)
        if "files" in request:
            texts = request["files"]
            continue
        refused: list = []
        answer: dict = {"refused": refused}
        output = None
        try:
            output = _gojsonnet.evaluate_snippet(request["path"], texts[request["path"]],
                                                 import_callback=_import_resolver(texts, refused),
                                                 tla_codes={"release": request["tla"]})
        except MemoryError:
            answer["memory"] = True
        except Exception as exc:  # gojsonnet reports every failure as an exception with text
            answer["error"] = str(exc)
        if output is not None and len(output) > request["max_chars"]:
            answer["too_large"] = len(output)
            output = None
        _write_frame(answers, json.dumps(answer).encode())
        if output is not None:
            _write_frame(answers, output.encode())
        answers.flush()


# --- the parent -----------------------------------------------------------------


class WorkerDied(Exception):
    """The child stopped without answering; ``out_of_memory`` when it ran out of its memory cap."""

    def __init__(self, out_of_memory: bool, status: int | None):
        super().__init__(out_of_memory, status)
        self.out_of_memory = out_of_memory
        self.status = status


class WorkerTimedOut(Exception):
    """The child did not answer within the time it had; it has been stopped."""


class Answer:
    __slots__ = ("output", "error", "refused", "memory", "too_large")

    def __init__(self, header: dict, output: str | None):
        self.output = output
        self.error: str | None = header.get("error")
        self.refused: list = header.get("refused", [])
        self.memory: bool = header.get("memory", False)
        self.too_large: int = header.get("too_large", 0)


class Worker:
    """One child process evaluating components, capped at ``memory_bytes``."""

    def __init__(self, memory_bytes: int):
        import subprocess

        self.memory_bytes = memory_bytes
        self.files = None  # the SourceFiles whose texts the child has
        # The child's stderr (a goroutine dump when Go dies) is read alongside its answers, so it can never
        # block the child, and kept only to tell why it died: never shown, never written anywhere.
        self._said = bytearray()
        env = {key: value for key, value in os.environ.items() if not key.startswith("GO")}
        env["GOMEMLIMIT"] = str(memory_bytes * 3 // 4)
        # -S: no site-packages scan (tens of milliseconds); the child finds gojsonnet where this process would.
        self._process = subprocess.Popen([sys.executable, "-I", "-S", __file__, str(memory_bytes), _gojsonnet_dir()],
                                         env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         close_fds=True, cwd="/")
        assert self._process.stdin and self._process.stdout and self._process.stderr  # all three are pipes
        self._stdin, self._stdout, self._stderr = self._process.stdin, self._process.stdout, self._process.stderr
        self.pid = self._process.pid

    def alive(self) -> bool:
        return self._process.poll() is None

    def evaluate(self, files, path: str, tla: str, max_chars: int, seconds: float) -> Answer:
        """Evaluate ``files.texts[path]`` with the top-level argument ``release`` = ``tla`` (JSON text)."""
        import time

        deadline = time.monotonic() + seconds
        try:
            if self.files is not files:
                self._send({"files": dict(files.texts)})
                self.files = files
            self._send({"path": path, "tla": tla, "max_chars": max_chars})
            header = json.loads(self._receive(deadline))
            output = self._receive(deadline).decode() if "error" not in header and not header.get("memory") \
                and not header.get("too_large") else None
        except BrokenPipeError:
            raise self._died() from None
        return Answer(header, output)

    def _send(self, message: dict) -> None:
        _write_frame(self._stdin, json.dumps(message).encode())
        self._stdin.flush()

    def _receive(self, deadline: float) -> bytes:
        import selectors
        import time

        stream = self._stdout
        head = self._read_exactly(stream, _HEADER.size, deadline, selectors, time)
        (size,) = _HEADER.unpack(head)
        return self._read_exactly(stream, size, deadline, selectors, time)

    def _read_exactly(self, stream, size: int, deadline: float, selectors, time) -> bytes:
        chunks, missing = [], size
        fd, err = stream.fileno(), self._stderr.fileno()
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            selector.register(err, selectors.EVENT_READ)
            while missing:
                left = deadline - time.monotonic()
                ready = selector.select(left) if left > 0 else []
                if not ready:
                    self.stop()
                    raise WorkerTimedOut()
                if any(key.fd == err for key, _ in ready):
                    self._keep_stderr(err)
                if not any(key.fd == fd for key, _ in ready):
                    continue
                chunk = os.read(fd, min(missing, 1 << 20))
                if not chunk:
                    raise self._died()
                chunks.append(chunk)
                missing -= len(chunk)
        return b"".join(chunks)

    def _keep_stderr(self, err: int) -> bytes:
        chunk = os.read(err, 1 << 16)
        if len(self._said) < _STDERR_KEPT:
            self._said += chunk[: _STDERR_KEPT - len(self._said)]
        return chunk

    def _died(self) -> WorkerDied:
        err = self._stderr.fileno()
        while self._keep_stderr(err):  # the child is gone: its stderr ends
            pass
        status = self._process.wait()
        said = self._said.decode("utf-8", "replace")
        out_of_memory = any(sign in said for sign in ("out of memory", "cannot allocate memory",
                                                       "pthread_create failed", "MemoryError"))
        return WorkerDied(out_of_memory, status)

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._stdin, self._stdout, self._stderr):
            try:
                stream.close()
            except OSError:
                pass


def _gojsonnet_dir() -> str:
    from importlib.util import find_spec

    spec = find_spec("_gojsonnet")  # finds the file without loading it (and starting Go here)
    if spec is None or not spec.origin:
        raise ImportError("the gojsonnet package is not installed")
    return os.path.dirname(spec.origin)


_worker: Worker | None = None


def worker(memory_bytes: int) -> Worker:
    """The command's child, started on first use; a new one when the cap changed or the last one stopped."""
    global _worker
    if _worker is not None and (_worker.memory_bytes != memory_bytes or not _worker.alive()):
        _worker.stop()
        _worker = None
    if _worker is None:
        import atexit

        _worker = Worker(memory_bytes)
        atexit.register(discard)  # once per child; discard() of a stopped one does nothing
    return _worker


def discard() -> None:
    """Stop the child (after it failed: what it was doing is of no further use)."""
    global _worker
    if _worker is not None:
        _worker.stop()
        _worker = None


if __name__ == "__main__":
    sys.exit(child_main(int(sys.argv[1]), sys.argv[2]))
