"""``status --live``: what each cluster says about each release, without ever failing the whole command.

Each cluster is asked through the kubeconfig context it names (``context``,
default: its name), as the promotion health gate does, and its workloads are
judged by the gate's rules (generator.commands.promote_health): an
InferenceService Ready and serving the rendered storageUri, a Deployment or
Rollout available with the rendered image. Only the workloads are asked, not
Argo CD or Flux objects: the question is "does it run", not "is it synced".
Two exceptions: a Helm chart's objects are the chart's own, so its HelmRelease
answers when the cluster runs its own Flux (else the release is ``unknown``);
a release with no object of a kind the gate judges (a Jsonnet component's own
kinds) is ``unknown``, never ``ready`` unasked.

Clusters are asked in parallel, each under its own deadline (``timeout``
seconds for all of its releases). A cluster that cannot be reached, times out,
or has no context in the kubeconfig makes its releases ``unknown``, with the
reason; a missing or unhealthy workload is ``not-ready``.
"""
from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor

from .. import collect_cycles_again
from ..builders import helm
from ..commands.promote_health import (
    FLUX_HELM_RELEASE,
    Unhealthy,
    _chart_version,
    _flux_ready,
    _unreachable,
    _workload_problems,
    judged_workloads,
)
from ..errors import GitopsGenError
from ..resolve.fleet import Release
from .matrix import NOT_READY, READY, UNKNOWN, Health

_MAX_PARALLEL_CLUSTERS = 16


class _Unreachable(Exception):
    """The cluster did not answer: every release on it is unknown."""


class _Access:
    """What ``_workload_problems`` needs: ``get`` of one object, under the cluster's deadline."""

    def __init__(self, kubernetes, api, deadline: float):
        self.kubernetes, self.api, self.deadline = kubernetes, api, deadline

    def get(self, _context: str, gvp: tuple[str, str, str], namespace: str, name: str) -> dict:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise _Unreachable("timed out")
        group, version, plural = gvp
        try:
            return self.api.get_namespaced_custom_object(group, version, namespace, plural, name,
                                                         _request_timeout=(remaining, remaining))
        except self.kubernetes.client.exceptions.ApiException as exc:
            if exc.status == 404:
                raise Unhealthy(f"{plural} {namespace}/{name} not found") from None
            if exc.status in (401, 403):
                raise _Unreachable(f"HTTP {exc.status} {exc.reason}: the kubeconfig's credentials were refused") \
                    from None
            raise Unhealthy(f"reading {plural} {namespace}/{name}: HTTP {exc.status} {exc.reason}") from None
        except Exception as exc:  # urllib3's connection, TLS and timeout errors
            raise _Unreachable(_unreachable(exc, self.api.api_client.configuration.host)) from None


def release_health(fleet, releases: list[Release], kubeconfig: str | None = None,
                   timeout: float = 10.0) -> dict[tuple[str, str, str], Health]:
    """(environment, cluster, model) -> Health for each of ``releases``."""
    try:
        import kubernetes  # noqa: F401  (the `cluster` extra)
        import kubernetes.client
        import kubernetes.config
    except ImportError:
        raise GitopsGenError("--live needs the kubernetes client: pip install 'gitops-gen[cluster]'") from None
    collect_cycles_again()  # it may wait on clusters for a while: the one-run setting no longer fits
    kubeconfig = kubeconfig or os.environ.get("KUBECONFIG") or os.path.expanduser("~/.kube/config")
    try:
        contexts, _active = kubernetes.config.list_kube_config_contexts(config_file=kubeconfig)
        known = {c["name"] for c in contexts or []}
    except Exception:  # a missing or broken kubeconfig: every cluster is unknown, and says why
        known = None
    by_cluster: dict[tuple[str, str], list[Release]] = {}
    for release in releases:
        by_cluster.setdefault((release.environment.name, release.cluster.name), []).append(release)
    if not by_cluster:
        return {}
    with ThreadPoolExecutor(max_workers=min(_MAX_PARALLEL_CLUSTERS, len(by_cluster))) as pool:
        futures = [pool.submit(_ask_cluster, kubernetes, group, kubeconfig, known, timeout,
                               fleet.project.spec.flux.namespace)
                   for group in by_cluster.values()]
        answers: dict[tuple[str, str, str], Health] = {}
        for future in futures:
            answers.update(future.result())
    return answers


def _ask_cluster(kubernetes, releases: list[Release], kubeconfig: str, known: set[str] | None,
                 timeout: float, flux_namespace: str) -> dict[tuple[str, str, str], Health]:
    cluster = releases[0].cluster
    context = cluster.context or cluster.name
    key = lambda r: (r.environment.name, r.cluster.name, r.model)  # noqa: E731
    if known is None:
        return {key(r): Health(UNKNOWN, f"cannot read the kubeconfig {kubeconfig}") for r in releases}
    if context not in known:
        return {key(r): Health(UNKNOWN, f"no context {context} in the kubeconfig") for r in releases}
    answers: dict[tuple[str, str, str], Health] = {}
    api = None
    try:
        configuration = kubernetes.client.Configuration()
        kubernetes.config.load_kube_config(config_file=kubeconfig, context=context,
                                           client_configuration=configuration, persist_config=False)
        configuration.retries = 0  # one attempt per request: the deadline is the budget
        api = kubernetes.client.CustomObjectsApi(kubernetes.client.ApiClient(configuration))
        access = _Access(kubernetes, api, time.monotonic() + timeout)
        for release in releases:
            judged = judged_workloads(release)
            unjudged = _unjudged(release, judged)
            if unjudged:
                answers[key(release)] = Health(UNKNOWN, unjudged)
                continue
            try:
                problems = _workload_problems(access, context, release, judged)
                if helm.is_chart(release):
                    problems += _helm_release_problems(access, context, flux_namespace, release)
            except Unhealthy as exc:
                problems = [str(exc)]
            answers[key(release)] = Health(NOT_READY, "; ".join(problems)) if problems else Health(READY)
    except _Unreachable as exc:
        reason = f"timed out after {timeout:g}s" if str(exc) == "timed out" else str(exc)
        for release in releases:
            answers.setdefault(key(release), Health(UNKNOWN, reason))
    except Exception as exc:  # e.g. a kubeconfig entry the client cannot use: this cluster's answer only
        for release in releases:
            answers.setdefault(key(release), Health(UNKNOWN, f"cannot use context {context}: "
                                                             f"{type(exc).__name__}: {str(exc)[:200]}"))
    finally:
        if api is not None:
            api.api_client.close()
    return answers


def _unjudged(release: Release, judged: list[dict]) -> str:
    """Why nothing on the cluster can say whether ``release`` runs ("" when something can); ``judged``: its
    objects the gate can judge."""
    if helm.is_chart(release):
        if "flux" not in release.engines:
            return "a Helm chart deployed by Argo CD: its Application says whether it runs"
        if release.cluster.kubeConfigSecret:
            return "a Helm chart deployed from the Flux hub: its HelmRelease there says whether it runs"
        return ""
    if not judged:
        return "none of its objects is a workload gitops-gen can judge"
    return ""


def _helm_release_problems(access: _Access, context: str, namespace: str, release: Release) -> list[str]:
    """A chart's HelmRelease, on a cluster running its own Flux: Ready, with the chart version rendered."""
    helm_release = access.get(context, FLUX_HELM_RELEASE, namespace, release.name)
    name = f"Flux HelmRelease {namespace}/{release.name}"
    return _flux_ready(helm_release, name) or _chart_version(helm_release, release)
