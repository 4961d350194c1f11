"""Clusters from Terraform: an Environment's ``spec.clustersFrom``.

The infrastructure pipeline writes ``terraform output -json`` into the source
tree; an Environment names that file and one output of it. The file's shape:

    {"clusters": {"sensitive": false, "type": [...], "value": [
        {"name": "prod-eu", "server": "https://...", "labels": {...}, "wave": 0,
         "kubeConfigSecret": null, "context": "prod-eu", "engine": null}]}}

Each entry of ``value`` is a cluster with the same fields, checks and defaults
as one written in the Environment (name, server, labels, wave, kubeConfigSecret,
context, engine, sharedWith), except that ``server`` is required (a cluster
created by Terraform is never Argo CD's own); ``null``, which Terraform writes
for an unset attribute, counts as absent. Such a cluster takes part in the
cluster identity checks (resolve/organisation.py) like any other, and problems
found there point into the output file. ``value`` may also be an object
of entries by cluster name (a Terraform map), when entries have no ``name``.

An output marked ``sensitive`` is refused: what it holds would be written into
committed files. Output only what is not secret (never the kubeconfig itself;
``kubeConfigSecret`` names a Secret).
"""
from __future__ import annotations

import difflib
from typing import Any

from pydantic import ValidationError

from ..errors import GitopsGenError, Problem, dotted, raise_if
from .jsonpos import load_json
from .spec import Cluster
from .yamlpos import YamlDocument

CLUSTER_FIELDS = tuple(Cluster.model_fields)


def read_output(text: str, file: str) -> YamlDocument:
    """A `terraform output -json` file, parsed with the line of every field."""
    doc = load_json(text, file)
    if not isinstance(doc.data, dict):
        raise GitopsGenError.at(file, 1, "", "must be a JSON object of outputs, as `terraform output -json` writes")
    return doc


def clusters_from(doc: YamlDocument, output: str) -> list[tuple[Cluster, tuple]]:
    """The clusters in ``output`` of a parsed output file, each with its path in the file (for messages);
    every problem located in that file."""
    file, outputs = doc.file, doc.data
    entry = outputs.get(output)
    if entry is None:
        names = ", ".join(sorted(outputs)) or "none"
        raise GitopsGenError.at(file, 1, output, f"no output named {output!r} in this file (outputs: {names})")
    at: tuple = (output,)
    if not isinstance(entry, dict) or "value" not in entry:
        raise GitopsGenError(_problem(doc, at, "must be an output as `terraform output -json` writes it: "
                                               "an object with value, type and sensitive"))
    if entry.get("sensitive") is True:
        raise GitopsGenError(_problem(doc, (*at, "sensitive"),
                                      "this output is sensitive; gitops-gen writes cluster fields into committed "
                                      "files: output only what is not secret, with sensitive = false"))
    value = entry["value"]
    at = (*at, "value")
    if isinstance(value, dict):
        # A Terraform map of clusters by name: the key is the name unless the entry has one.
        items = [((*at, key), {"name": key, **item} if isinstance(item, dict) and item.get("name") is None else item)
                 for key, item in value.items()]
    elif isinstance(value, list):
        items = [((*at, i), item) for i, item in enumerate(value)]
    else:
        raise GitopsGenError(_problem(doc, at, f"must be a list of clusters, not {_type_name(value)}"))
    if not items:
        raise GitopsGenError(_problem(doc, at, "holds no clusters"))
    clusters: list[tuple[Cluster, tuple]] = []
    problems: list[Problem] = []
    for path, item in items:
        try:
            cluster = _cluster(doc, path, item)
        except GitopsGenError as exc:
            problems.extend(exc.problems)
            continue
        if any(c.name == cluster.name for c, _ in clusters):
            problems.append(_problem(doc, (*path, "name"), f"cluster {cluster.name!r} is listed twice"))
        for j, other in enumerate(cluster.sharedWith):
            if other == cluster.name:
                problems.append(_problem(doc, (*path, "sharedWith", j), "names the cluster itself"))
        clusters.append((cluster, path))
    raise_if(problems)
    return clusters


def _cluster(doc: YamlDocument, path: tuple, item: Any) -> Cluster:
    if not isinstance(item, dict):
        raise GitopsGenError(_problem(doc, path, f"a cluster must be an object, not {_type_name(item)}"))
    given = {key: value for key, value in item.items() if value is not None}
    problems = []
    for key in given:
        if key not in CLUSTER_FIELDS:
            close = difflib.get_close_matches(key, CLUSTER_FIELDS, n=1, cutoff=0.7)
            problems.append(_problem(doc, (*path, key), "unknown field" + (f" (did you mean {close[0]!r}?)" if close
                                                                           else f"; a cluster has {', '.join(CLUSTER_FIELDS)}")))
    if "server" not in given:
        problems.append(_problem(doc, (*path, "server"), "required field is missing"))
    raise_if(problems)
    try:
        return Cluster.model_validate(given)
    except ValidationError as exc:
        from .source import error_path, pydantic_message  # source imports this module

        raise GitopsGenError(*(_problem(doc, (*path, *error_path(error)), pydantic_message(error, Cluster))
                               for error in exc.errors(include_url=False))) from None


def _problem(doc: YamlDocument, path: tuple, message: str) -> Problem:
    return Problem(doc.file, doc.line_of(path), dotted(path), message)


def _type_name(value: Any) -> str:
    return {str: "a string", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)
