"""Objects from users' extensions: Jinja2 templates (``templates:``) and Jsonnet components (``serving: jsonnet``).

Both see the same release context (SPEC "Extensions"), read only the files
load/source.py collected from the tree's templates/ and components/ (carried in
``release.files``), and run under a time bound of EVALUATION_SECONDS each
(see ``bounded``).
Their objects get the standard labels and the source annotation, plus the
template's or component's path in it, and are validated like built-in ones.
"""
from __future__ import annotations

import json
import posixpath
import re
import signal
import threading
from typing import Any, Callable

from ..errors import GitopsGenError, Problem
from ..resolve.fleet import Release
from ..load.yamlpos import load_documents
from . import meta

EVALUATION_SECONDS = 10.0
MAX_OUTPUT_CHARS = 4 * 1024 * 1024
_KIND = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,62}$")
# A Kubernetes object name (DNS subdomain); it also names the output file, so nothing path-like gets through.
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
_LOCATION = re.compile(r"([\w./-]+):(\d+):\d+")


def context(release: Release) -> dict[str, Any]:
    """What templates and components see: the release's names, its workload labels and its spec as plain data."""
    return {**release.context, "labels": meta.workload_labels(release),
            "spec": release.spec.model_dump(mode="json")}


class _OutOfTime(BaseException):
    """Raised by the timer; a BaseException, so no `except Exception` in a template engine swallows it."""


def bounded(what: str, file: str, work: Callable[[], Any], releases_gil: bool = False) -> Any:
    """``work()``, or a located error when it has not finished within EVALUATION_SECONDS.

    Python work (Jinja2) in the main thread is interrupted by a SIGALRM timer,
    which costs next to nothing. Work in C that releases the GIL (gojsonnet),
    and anything off the main thread, runs in a worker thread instead (about a
    millisecond to start), which is abandoned when late.
    """
    late = GitopsGenError.at(file, 0, "", f"{what} did not finish within {EVALUATION_SECONDS:g}s")
    if not releases_gil and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        def alarm(signum, frame):
            raise _OutOfTime()

        previous = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, EVALUATION_SECONDS)
        try:
            return work()
        except _OutOfTime:
            raise late from None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["value"] = work()
        except BaseException as exc:  # handed to the caller's thread below
            result["error"] = exc

    worker = threading.Thread(target=run, name=f"gitops-gen {what}", daemon=True)
    worker.start()
    worker.join(EVALUATION_SECONDS)
    if worker.is_alive():
        raise late
    if "error" in result:
        raise result["error"]
    return result["value"]


# --- Jinja2 templates --------------------------------------------------------------


def template_objects(release: Release) -> list[dict]:
    """The objects of every template of the release, in the order listed."""
    from ..resolve.templating import FileTemplateProblem, render_file

    out: list[dict] = []
    if not release.spec.templates:
        return out
    values = context(release)
    for path in release.spec.templates:
        try:
            text = bounded("the template", path,
                           lambda: render_file(release.files, path, values, MAX_OUTPUT_CHARS))
        except FileTemplateProblem as exc:
            raise GitopsGenError.at(exc.file, exc.line, "", f"{exc} (rendering release {release.name})") from None
        try:
            documents = load_documents(text, path)
        except GitopsGenError as exc:
            raise GitopsGenError(*(Problem(p.file, p.line, p.field, f"{p.message} (in the output rendered for "
                                                                   f"release {release.name})")
                                   for p in exc.problems)) from None
        out.extend(adopt(doc.data, release, path, doc.line) for doc in documents)
    return out


# --- Jsonnet components ------------------------------------------------------------


def component_objects(release: Release) -> list[dict]:
    """serving: jsonnet: the component, called with the release, gives an object or an array of them."""
    import _gojsonnet

    path = release.spec.component
    assert path is not None  # serving: jsonnet requires one (spec.model_spec_problems)
    texts = release.files.texts
    refused: list[tuple[str, str, str]] = []  # (importing directory, import path, why)

    def import_callback(directory: str, rel: str) -> tuple[str, bytes]:
        # Refusals are recorded here and raised after evaluation: an exception
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

    tla = json.dumps(context(release), sort_keys=True)

    def evaluate() -> tuple[str | None, str | None]:
        try:
            return _gojsonnet.evaluate_snippet(path, texts[path], import_callback=import_callback,
                                               tla_codes={"release": tla}), None
        except Exception as exc:  # gojsonnet reports every failure as an exception with text
            return None, str(exc)

    output, error = bounded("the component", path, evaluate, releases_gil=True)
    if refused:
        directory, rel, why = refused[0]
        file, line = _import_site(directory, rel, texts, path)
        raise GitopsGenError.at(file, line, "", why)
    if error is not None:
        file, line = _jsonnet_location(error, texts, path)
        raise GitopsGenError.at(file, line, "", f"{_jsonnet_message(error)} (evaluating release {release.name})")
    value = json.loads(output)
    items = value if isinstance(value, list) else [value]
    return [adopt(item, release, path) for item in items]


def _jsonnet_location(error: str, texts, default: str) -> tuple[str, int]:
    """The first ``file:line`` of a gojsonnet message that names a file of the tree."""
    for file, line in _LOCATION.findall(error):
        if file in texts:
            return file, int(line)
    return default, 0


def _import_site(directory: str, rel: str, texts, default: str) -> tuple[str, int]:
    """Where a file of ``directory`` imports ``rel``: the first line naming it in quotes."""
    for file in sorted(texts):
        if posixpath.dirname(file) + "/" == directory or (not directory and "/" not in file):
            for number, text in enumerate(texts[file].splitlines(), 1):
                if f"'{rel}'" in text or f'"{rel}"' in text:
                    return file, number
    return default, 0


def _jsonnet_message(error: str) -> str:
    first = error.strip().splitlines()[0] if error.strip() else "evaluation failed"
    first = re.sub(r"^RUNTIME ERROR: ", "", first)
    return re.sub(r"^[\w./-]+:\d+:\d+(-\d+)?(:\d+)? ", "", first)


# --- objects -----------------------------------------------------------------------


def adopt(obj: Any, release: Release, source: str, line: int = 0) -> dict:
    """A user's object as one of ours: checked names, the release's namespace, our labels and annotations."""
    def fail(message: str):
        raise GitopsGenError.at(source, line, "", f"{message} (release {release.name})")

    if not isinstance(obj, dict):
        fail("each document must be a Kubernetes object (a mapping)")
    api_version, kind, metadata = obj.get("apiVersion"), obj.get("kind"), obj.get("metadata")
    if not isinstance(api_version, str) or not api_version:
        fail("apiVersion is missing")
    if not isinstance(kind, str) or not _KIND.match(kind):
        fail(f"kind {kind!r} is not a Kubernetes kind name")
    if not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str) or not _NAME.match(metadata["name"]):
        fail(f"{kind}: metadata.name must be a Kubernetes object name (lower-case letters, digits, '-' and '.')")
    namespace = metadata.get("namespace", release.namespace)
    if namespace != release.namespace:
        fail(f"{kind} {metadata['name']}: metadata.namespace must be {release.namespace!r} (the release's "
             "namespace) or left out")
    labels, annotations = metadata.get("labels") or {}, metadata.get("annotations") or {}
    for field, value in (("labels", labels), ("annotations", annotations)):
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            fail(f"{kind} {metadata['name']}: metadata.{field} must map strings to strings")
    own = {k: v for k, v in annotations.items() if k != meta.SOURCE_ANNOTATION}
    new_metadata = meta.metadata(metadata["name"], {**labels, **meta.workload_labels(release)},
                                 [*release.sources, source], namespace=release.namespace, annotations=own)
    new_metadata.update({k: v for k, v in metadata.items() if k not in new_metadata})
    rest = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata")}
    return {"apiVersion": api_version, "kind": kind, "metadata": new_metadata, **rest}
