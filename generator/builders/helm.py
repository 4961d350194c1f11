"""serving: helm: the model runs from a Helm chart that Argo CD or Flux installs.

gitops-gen writes no workload objects for the chart itself: Argo CD renders it
(an Application source with ``chart``) and Flux installs it (a HelmRelease),
each from ``spec.chart`` and ``spec.values`` (see argocd.py and flux.py). What
monitoring and templates add goes into the release directory as for any other
release, and is deployed beside the chart: a second Argo CD source, a Flux
Kustomization.
"""
from __future__ import annotations

import hashlib
import re

from ..load.spec import Chart
from ..resolve.fleet import Release

OCI_SCHEME = "oci://"
# The layer of an OCI artifact that holds a packaged chart (Helm's push puts it there).
HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"


def objects(release: Release) -> list[dict]:
    """None: the chart's objects are rendered by Argo CD or installed by Flux, from the chart."""
    return []


def is_chart(release: Release) -> bool:
    return release.spec.serving == "helm"


def chart_of(release: Release) -> Chart:
    """spec.chart of a serving: helm release (required there: spec checks)."""
    chart = release.spec.chart
    assert chart is not None
    return chart


def has_extras(release: Release) -> bool:
    """Whether the release directory may hold objects beside the chart (monitoring, templates).

    Decided from the spec, not from what the templates rendered, so every
    cluster of an environment agrees (an ApplicationSet shares one source list).
    """
    spec = release.spec
    return bool(spec.monitoring.metrics or spec.templates)


def release_name(release: Release) -> str:
    """spec.releaseName, or the model's (workload) name."""
    return release.spec.releaseName or release.workload_name


def is_oci(repo: str) -> bool:
    return repo.startswith(OCI_SCHEME)


def argocd_repo_url(repo: str) -> str:
    """The chart repository as Argo CD wants it: an OCI registry path without ``oci://``.

    Argo CD treats a scheme-less repoURL with ``chart`` set as an OCI Helm
    registry (``helm.IsHelmOciRepo``); with the scheme it would read the
    repository as a native OCI artifact source instead, which takes no ``chart``.
    """
    return repo[len(OCI_SCHEME):] if is_oci(repo) else repo


def helm_repository_name(repo: str) -> str:
    """A Flux HelmRepository's name for ``repo``: readable, and unique per URL (the hash)."""
    slug = re.sub(r"[^a-z0-9]+", "-", repo.split("://", 1)[-1].lower()).strip("-")[:40].strip("-")
    return f"{slug}-{hashlib.sha256(repo.encode()).hexdigest()[:8]}"
