"""spec.patches: users' last word on the objects gitops-gen builds for a release.

Each patch selects the release's workload objects by ``target`` (kind, and
optionally name and apiVersion) and applies an RFC 7386 JSON merge patch
(``merge``) or an RFC 6902 JSON patch (``json``, applied by the ``jsonpatch``
library) to each. They run once every object of the release is built (serving,
rollout, monitoring, templates and components), in the order written, and what
they make is checked like an object from a user's template: against the schema
of its kind, never a Secret with values.

What they may not do: touch the Argo CD and Flux objects or the cluster-scoped
objects shared by the releases of a cluster (only the release's own directory
is theirs), or change what places an object (apiVersion, kind, metadata.name,
metadata.namespace) or the labels and annotation gitops-gen puts on it.

A release without patches never reaches this module (workloads.release_objects calls apply_patches only when there are some).
"""
from __future__ import annotations

import copy
from typing import Any

from ..errors import GitopsGenError, Problem
from ..load.spec import JsonPatchOperation, Patch
from ..resolve.fleet import Release
from . import meta

# What says which file an object goes to, and which release and engine own it.
_PLACEMENT = (("apiVersion",), ("kind",), ("metadata", "name"), ("metadata", "namespace"))


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 section 2: a mapping patch merges key by key (null deletes the key); anything else
    replaces the target. ``target`` is not changed; what the result takes from ``patch`` is copied."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def apply_patches(release: Release, objects: list[dict]) -> list[dict]:
    """``objects`` with every patch of the release applied, in order; each patch must match an object."""
    out = list(objects)
    for i, patch in enumerate(release.spec.patches):
        matched = [n for n, obj in enumerate(out) if _selects(patch, obj)]
        if not matched:
            raise GitopsGenError(_problem(release, ("patches", i), f"targets no object of release {release.name} "
                                          f"({_what_is_there(out)}); patches apply to the release's workload "
                                          "objects, not to Argo CD, Flux or cluster-scoped ones"))
        for n in matched:
            out[n] = _patched(release, i, patch, out[n])
    return out


def _selects(patch: Patch, obj: dict) -> bool:
    target = patch.target
    return (obj["kind"] == target.kind and (target.name is None or obj["metadata"]["name"] == target.name)
            and (target.apiVersion is None or obj["apiVersion"] == target.apiVersion))


def _what_is_there(objects: list[dict]) -> str:
    names = sorted({f"{obj['kind']} {obj['metadata']['name']}" for obj in objects})
    return "it has " + ", ".join(names) if names else "it has none"


def _patched(release: Release, i: int, patch: Patch, obj: dict) -> dict:
    what = f"{obj['kind']} {obj['metadata']['name']} of release {release.name}"
    if patch.merge is not None:
        result = merge_patch(obj, patch.merge)
    else:
        result = obj
        for j, operation in enumerate(patch.json_ or ()):
            result = _json_operation(release, (i, j), operation, result, what)
    _check(release, i, obj, result, what)
    return result


def _json_operation(release: Release, where: tuple[int, int], operation: JsonPatchOperation, obj: dict,
                    what: str) -> dict:
    import jsonpatch  # imported on the first patch only: most trees have none
    import jsonpointer

    i, j = where
    # Copied: the spec (and its values) is shared by every cluster's release.
    written = copy.deepcopy(operation.model_dump(by_alias=True, exclude_unset=True))
    try:
        result = jsonpatch.JsonPatch([written]).apply(obj)  # a copy: ``obj`` may be shared
    except jsonpatch.JsonPatchTestFailed as exc:
        message = f"the test failed on {what}: {exc}"
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, LookupError, TypeError,
            ValueError) as exc:
        # A path that is not there (or not a list index where a list is) is the user's to fix.
        message = f"cannot {operation.op} {operation.path or '/'} on {what}: {exc}"
    else:
        if not isinstance(result, dict):
            message = f"would make {what} something other than a Kubernetes object (a mapping)"
        else:
            return result
    raise GitopsGenError(_problem(release, ("patches", i, "json", j), message))


def _check(release: Release, i: int, before: dict, after: dict, what: str) -> None:
    """The patched object keeps its place and our marks, and is one a cluster accepts."""
    from .extensions import refuse_secret_values
    from .validation import schema_problems

    where = ("patches", i)
    for path in _PLACEMENT:
        if _get(before, path) != _get(after, path):
            raise GitopsGenError(_problem(release, where, f"changes {'.'.join(path)} of {what}: it says where the "
                                          "object is written and who owns it (rename the model, or make the object "
                                          "in a template instead)"))
    metadata = after.get("metadata")
    for field in ("labels", "annotations"):
        ours = {k: v for k, v in (before["metadata"].get(field) or {}).items() if _is_ours(k)}
        theirs = metadata.get(field) if isinstance(metadata, dict) else None
        if not isinstance(theirs, dict) or any(theirs.get(k) != v for k, v in ours.items()):
            raise GitopsGenError(_problem(release, where, f"changes metadata.{field} that gitops-gen sets on {what} "
                                          "(app.kubernetes.io/managed-by and gitops-gen.io/*): add your own beside "
                                          "them"))
    site = release.patch_origins.get(where) or Problem()
    try:
        refuse_secret_values(after, site.file, site.line, what)
    except GitopsGenError as exc:
        raise GitopsGenError(*(_problem(release, where, p.message) for p in exc.problems)) from None
    problems = schema_problems(after)
    if problems is None:
        if (after["apiVersion"], after["kind"]) in release.files.allowed_kinds:
            return
        raise GitopsGenError(_problem(release, where, f"no schema to check the patched {what} against; list "
                                      f"{after['apiVersion']} {after['kind']} in the Project's "
                                      "spec.extensions.allowedKinds to write it unchecked"))
    if problems:
        raise GitopsGenError(*(_problem(release, where, f"makes {what} invalid: {field}: {message}")
                               for field, message in problems))


def _is_ours(key: str) -> bool:
    return key in meta.MANAGED_BY or key.startswith(meta.PREFIX)


def _get(obj: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _problem(release: Release, path: tuple, message: str) -> Problem:
    """A problem located where the patch (or its operation) was written."""
    site = release.patch_origins.get(path) or release.patch_origins.get(path[:2]) or Problem(field="spec.patches")
    return Problem(site.file, site.line, site.field, message)
