"""Objects from users' extensions: Jinja2 templates (``templates:``) and Jsonnet components (``serving: jsonnet``).

Both see the same release context (SPEC "Extensions"), read only the files
load/source.py collected from the tree's templates/ and components/ (carried in
``release.files``), and each runs within EVALUATION_SECONDS and what is left of
the command's template-seconds budget (generator/timelimit.py). Components run
in a child process whose memory is capped (builders/jsonnet_worker.py).
Their objects get the standard labels and the source annotation, plus the
template's or component's path in it, and each is checked before it can be
written: against the schema of its kind (a kind without one only when the
Project allows it), and never a Secret with values.
"""
from __future__ import annotations

import json
import posixpath
import re
from typing import Any

from ..errors import GitopsGenError, Problem
from ..load.yamlpos import load_documents
from ..resolve.fleet import Release
from ..timelimit import TimeLimitExceeded, budget_message, time_limit
from . import meta
from .scopes import is_cluster_scoped

EVALUATION_SECONDS = 10.0
MAX_OUTPUT_CHARS = 4 * 1024 * 1024
_KIND = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,62}$")
# A Kubernetes object name (DNS subdomain); it also names the output file, so nothing path-like gets through.
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
_LOCATION = re.compile(r"([\w./-]+):(\d+):\d+")


def context(release: Release) -> dict[str, Any]:
    """What templates and components see: the release's names, its workload labels and its spec as plain data."""
    return {**release.context, "labels": meta.workload_labels(release),
            "spec": release.spec.model_dump(mode="json", by_alias=True)}


def _late(what: str, file: str, exc: TimeLimitExceeded) -> GitopsGenError:
    if exc.budget:
        return GitopsGenError.at(file, 0, "", budget_message(what))
    return GitopsGenError.at(file, 0, "", f"{what} did not finish within {exc.seconds:g}s")


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
            with time_limit(EVALUATION_SECONDS):
                text = render_file(release.files, path, values, MAX_OUTPUT_CHARS)
        except TimeLimitExceeded as exc:
            raise _late("the template", path, exc) from None
        except FileTemplateProblem as exc:
            raise GitopsGenError.at(exc.file, exc.line, "", f"{exc} (rendering release {release.name})") from None
        source = release.files.texts[path]
        try:
            documents = load_documents(text, path)
        except GitopsGenError as exc:
            raise GitopsGenError(*(_in_template(p, source, text, release) for p in exc.problems)) from None
        for doc in documents:
            line = template_line(source, text, doc.line)
            obj = adopt(doc.data, release, path, line)
            check_user_object(obj, release, path, line)
            out.append(obj)
    return out


def template_line(source: str, rendered: str, line: int) -> int:
    """The line of the template ``source`` that produced ``line`` of its output ``rendered``; 0 if unknown.

    The same line when everything up to it came out as written; else the one
    template line with exactly that text (the n-th, when both have it n times).
    """
    source_lines, rendered_lines = source.splitlines(), rendered.splitlines()
    if line <= 0 or source_lines[:line] == rendered_lines[:line]:
        return line
    if line > len(rendered_lines):
        return 0
    wanted = rendered_lines[line - 1]
    in_source = [i for i, text in enumerate(source_lines, 1) if text == wanted]
    if wanted.strip() and len(in_source) == rendered_lines.count(wanted):
        return in_source[rendered_lines[:line].count(wanted) - 1]
    return 0


def _in_template(problem: Problem, source: str, rendered: str, release: Release) -> Problem:
    """A problem found in a template's output, moved to the template line that wrote it when that is known."""
    line = template_line(source, rendered, problem.line)
    where = f"in the output rendered for release {release.name}"
    if not line and problem.line:
        where = f"line {problem.line} of the output rendered for release {release.name}"
    return Problem(problem.file, line, problem.field, f"{problem.message} ({where})")


# --- Jsonnet components ------------------------------------------------------------


def component_objects(release: Release) -> list[dict]:
    """serving: jsonnet: the component, called with the release, gives an object or an array of them."""
    from .. import budgets
    from . import jsonnet_worker

    path = release.spec.component
    assert path is not None  # serving: jsonnet requires one (spec.model_spec_problems)
    texts = release.files.texts
    tla = json.dumps(context(release), sort_keys=True)
    memory = budgets.current().jsonnet_memory_bytes
    evaluator = jsonnet_worker.worker(memory)  # started before the clock: its start is not the component's time
    try:
        with time_limit(EVALUATION_SECONDS, alarm=False) as seconds:
            try:
                answer = evaluator.evaluate(release.files, path, tla, MAX_OUTPUT_CHARS, seconds)
            except jsonnet_worker.WorkerTimedOut:
                raise TimeLimitExceeded() from None
    except TimeLimitExceeded as exc:
        jsonnet_worker.discard()
        raise _late("the component", path, exc) from None
    except jsonnet_worker.WorkerDied as exc:
        jsonnet_worker.discard()
        if exc.out_of_memory:
            raise GitopsGenError.at(path, 0, "", f"the component needs more memory than the jsonnet-memory-bytes "
                                    f"budget ({_bytes(memory)}) allows (evaluating release {release.name}); raise "
                                    "it with --limit jsonnet-memory-bytes=N or GITOPS_GEN_LIMIT_JSONNET_MEMORY_BYTES=N"
                                    ) from None
        raise GitopsGenError.at(path, 0, "", f"the Jsonnet evaluator stopped unexpectedly (exit status "
                                f"{exc.status}) evaluating release {release.name}") from None
    if answer.refused:
        directory, rel, why = answer.refused[0]
        file, line = _import_site(directory, rel, texts, path)
        raise GitopsGenError.at(file, line, "", why)
    if answer.memory:
        raise GitopsGenError.at(path, 0, "", f"the component needs more memory than the jsonnet-memory-bytes budget "
                                f"({_bytes(memory)}) allows (evaluating release {release.name})")
    if answer.too_large:
        raise GitopsGenError.at(path, 0, "", f"renders more than {MAX_OUTPUT_CHARS} characters "
                                f"(evaluating release {release.name})")
    if answer.error is not None:
        file, line = _jsonnet_location(answer.error, texts, path)
        raise GitopsGenError.at(file, line, "", f"{_jsonnet_message(answer.error)} (evaluating release {release.name})")
    assert answer.output is not None  # an answer without an error, memory or size problem has output
    value = json.loads(answer.output)
    items = value if isinstance(value, list) else [value]
    if not items:
        # An empty release would be applied as "nothing": Flux prunes, and Argo CD deletes, what it deployed.
        raise GitopsGenError.at(path, 0, "", f"the component returned no objects for release {release.name}; "
                                "a release must have objects (an empty one would delete what it deployed)")
    out = []
    for item in items:
        obj = adopt(item, release, path)
        check_user_object(obj, release, path, 0)
        out.append(obj)
    return out


def _bytes(count: int) -> str:
    for unit, size in (("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)):
        if count >= size and count % size == 0:
            return f"{count // size}{unit}"
    return f"{count} bytes"


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
    cluster_scoped = is_cluster_scoped(api_version, kind)
    if cluster_scoped and "namespace" in metadata:
        fail(f"{kind} {metadata['name']}: {kind} is cluster-scoped: leave metadata.namespace out")
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
                                 [*release.sources, source], namespace=None if cluster_scoped else release.namespace,
                                 annotations=own)
    new_metadata.update({k: v for k, v in metadata.items() if k not in new_metadata})
    rest = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata")}
    return {"apiVersion": api_version, "kind": kind, "metadata": new_metadata, **rest}


def check_user_object(obj: dict, release: Release, source: str, line: int) -> None:
    """Refuse an object of a user's template or component that a cluster would reject, or that holds secrets.

    Checked here, before anything is written: ``render`` and the plugin write
    nothing a user's code made that ``validate`` would call invalid.
    """
    from .validation import schema_problems

    api_version, kind, name = obj["apiVersion"], obj["kind"], obj["metadata"]["name"]
    what = f"{kind} {name} of release {release.name}"
    refuse_secret_values(obj, source, line, what)
    problems = schema_problems(obj)
    if problems is None:
        if (api_version, kind) in release.files.allowed_kinds:
            return
        raise GitopsGenError.at(source, line, "kind", f"no schema to check {api_version} {kind} against ({what}); "
                                "list it in the Project's spec.extensions.allowedKinds to write it unchecked")
    if problems:
        raise GitopsGenError(*(Problem(source, line, field, f"{message} ({what})") for field, message in problems))


def refuse_secret_values(obj: dict, source: str, line: int, what: str) -> None:
    """gitops-gen writes no secret values, from any source: a Secret may not carry data or stringData."""
    if obj.get("kind") == "Secret" and obj.get("apiVersion") == "v1":
        for field in ("data", "stringData"):
            if field in obj:
                raise GitopsGenError.at(source, line, field, f"a Secret must not carry values ({what}): secrets are "
                                        "references, never values; create the Secret with your secret manager")
