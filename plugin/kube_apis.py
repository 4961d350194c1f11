"""Fail early when the destination cluster does not serve an API the release needs.

argocd-cmp-server sets ``KUBE_API_VERSIONS`` to the destination cluster's
APIs, comma-separated, as ``group/version`` and ``group/version/Kind``
(``v1`` and ``v1/Service`` for the core group). Without this check a missing
CRD (KServe not installed) shows up later as a sync failure per object; here
it is one line naming the API. Unset or empty: Argo CD did not know the
cluster's APIs, so nothing is checked.
"""
from __future__ import annotations

from .errors import CmpError

# What to install when a group is missing: the hint users need most.
PROVIDERS = {
    "serving.kserve.io": "KServe",
    "monitoring.coreos.com": "the Prometheus operator",
    "argoproj.io": "Argo Rollouts",
    "flagger.app": "Flagger",
    "gateway.networking.k8s.io": "the Gateway API CRDs",
}


def served(kube_api_versions: str) -> tuple[set[str], set[tuple[str, str]]]:
    """(group/versions, (group/version, Kind) pairs) listed in ``KUBE_API_VERSIONS``."""
    versions: set[str] = set()
    kinds: set[tuple[str, str]] = set()
    for entry in kube_api_versions.split(","):
        entry = entry.strip()
        if not entry:
            continue
        head, _, last = entry.rpartition("/")
        if head and last[:1].isupper():  # group/version/Kind, or v1/Kind for the core group
            kinds.add((head, last))
            versions.add(head)
        else:
            versions.add(entry)
    return versions, kinds


def check(objects: list[list[str]], kube_api_versions: str | None, what: str) -> None:
    """Raise CmpError naming the first object whose apiVersion the cluster does not serve."""
    if not kube_api_versions or not kube_api_versions.strip():
        return
    versions, kinds = served(kube_api_versions)
    for api_version, kind, name in objects:
        if api_version in versions or (api_version, kind) in kinds:
            continue
        group = api_version.rpartition("/")[0]
        provider = PROVIDERS.get(group)
        hint = f" (is {provider} installed?)" if provider else ""
        raise CmpError(f"the destination cluster does not serve {api_version}, needed by {kind} {name} "
                       f"of {what}{hint}")
