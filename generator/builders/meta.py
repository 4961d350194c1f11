"""The labels and annotations every generated object carries (docs/spec.md, "Output")."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Mapping

from ..resolve.fleet import Release

PREFIX = "gitops-gen.io/"
MANAGED_BY = {"app.kubernetes.io/managed-by": "gitops-gen"}
SOURCE_ANNOTATION = PREFIX + "source"
VARIANT_LABEL = PREFIX + "variant"
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$")


def valid_label_value(value: str) -> bool:
    return bool(_LABEL_VALUE.match(value))


_NOT_IN_LABELS = re.compile(r"[^A-Za-z0-9._-]")
VERSION_LABEL = "app.kubernetes.io/version"


def version_label(version: str) -> str:
    """The ``app.kubernetes.io/version`` value of a version: the version itself when a label can hold it, else
    with every other character as ``_`` (Helm's convention: ``1.2.0+build.5`` -> ``1.2.0_build.5``), cut to
    63 characters and to a letter or digit at both ends; "" (no label) when nothing is left."""
    if _LABEL_VALUE.match(version):
        return version
    return _NOT_IN_LABELS.sub("_", version)[:63].strip("._-")


def scope_labels(environment: str, model: str | None = None, cluster: str | None = None) -> dict[str, str]:
    labels = {**MANAGED_BY, PREFIX + "environment": environment}
    if model is not None:
        labels[PREFIX + "model"] = model
    if cluster is not None:
        labels[PREFIX + "cluster"] = cluster
    return labels


def selector_labels(release: Release) -> dict[str, str]:
    """Stable pod selector: never includes anything that changes between versions.

    An A/B variant adds its name, so the two variants' Deployments and Services
    never select each other's pods.
    """
    labels = {"app.kubernetes.io/name": release.model, PREFIX + "model": release.model}
    if release.variant is not None:
        labels[VARIANT_LABEL] = release.variant
    return labels


# The last release workload_labels was asked about, and its labels: every object of a release carries them, and
# the builders build one release's objects after the other. Kept by identity (the Release is held here, so its
# id cannot be reused), and copied out: two objects must not share one dict.
_last_labels: tuple[Release | None, dict[str, str]] = (None, {})


def workload_labels(release: Release) -> dict[str, str]:
    """Labels of workload objects: the model's own labels, then ours (ours win)."""
    global _last_labels
    last, labels = _last_labels
    if last is not release:
        labels = dict(release.model_labels)
        labels.update(selector_labels(release))
        version = version_label(release.version)
        if version:
            labels[VERSION_LABEL] = version
        labels.update(scope_labels(release.environment.name, release.model, release.cluster.name))
        labels = dict(sorted(labels.items()))
        _last_labels = (release, labels)
    return dict(labels)


@lru_cache(maxsize=4096)
def _source_list(sources: tuple[str, ...]) -> str:
    """The source annotation's value: each file once, sorted (a release's sources, asked for every object)."""
    return ",".join(sorted(set(sources)))


def metadata(name: str, labels: Mapping[str, str], sources: Iterable[str], namespace: str | None = None,
             annotations: Mapping[str, str] | None = None) -> dict:
    meta: dict = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    meta["labels"] = dict(sorted(labels.items()))
    meta["annotations"] = _annotations(annotations, sources)
    return meta


def _annotations(annotations: Mapping[str, str] | None, sources: Iterable[str]) -> dict[str, str]:
    source = _source_list(tuple(sources))
    if not annotations:
        return {SOURCE_ANNOTATION: source}
    return dict(sorted({**annotations, SOURCE_ANNOTATION: source}.items()))


def workload_metadata(release: Release, name: str | None = None, annotations: Mapping[str, str] | None = None,
                      sources: Iterable[str] = ()) -> dict:
    """metadata as ``metadata()`` writes it, for a release's workload object (its labels come sorted)."""
    # The Model's metadata.annotations, then ours (ours win; resolve refuses keys we set).
    if release.model_annotations:
        annotations = {**release.model_annotations, **(annotations or {})}
    return {"name": name or release.workload_name, "namespace": release.namespace,
            "labels": workload_labels(release),
            "annotations": _annotations(annotations, (*release.sources, *sources) if sources else release.sources)}


def add_sources(obj: dict, sources: Iterable[str]) -> None:
    """Name more spec files in ``obj``'s source annotation (an object several releases share)."""
    annotations = obj["metadata"]["annotations"]
    annotations[SOURCE_ANNOTATION] = ",".join(sorted({*annotations[SOURCE_ANNOTATION].split(","), *sources}))
