"""The labels and annotations every generated object carries (docs/spec.md, "Output")."""
from __future__ import annotations

import re
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


def workload_labels(release: Release) -> dict[str, str]:
    """Labels of workload objects: the model's own labels, then ours (ours win)."""
    labels = dict(release.model_labels)
    labels.update(selector_labels(release))
    version = version_label(release.version)
    if version:
        labels[VERSION_LABEL] = version
    labels.update(scope_labels(release.environment.name, release.model, release.cluster.name))
    return dict(sorted(labels.items()))


def metadata(name: str, labels: Mapping[str, str], sources: Iterable[str], namespace: str | None = None,
             annotations: Mapping[str, str] | None = None) -> dict:
    meta: dict = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    meta["labels"] = dict(sorted(labels.items()))
    meta["annotations"] = dict(sorted({**(annotations or {}), SOURCE_ANNOTATION: ",".join(sorted(set(sources)))}.items()))
    return meta


def workload_metadata(release: Release, name: str | None = None, annotations: Mapping[str, str] | None = None,
                      sources: Iterable[str] = ()) -> dict:
    # The Model's metadata.annotations, then ours (ours win; resolve refuses keys we set).
    return metadata(name or release.workload_name, workload_labels(release), [*release.sources, *sources],
                    namespace=release.namespace, annotations={**release.model_annotations, **(annotations or {})})


def add_sources(obj: dict, sources: Iterable[str]) -> None:
    """Name more spec files in ``obj``'s source annotation (an object several releases share)."""
    annotations = obj["metadata"]["annotations"]
    annotations[SOURCE_ANNOTATION] = ",".join(sorted({*annotations[SOURCE_ANNOTATION].split(","), *sources}))
