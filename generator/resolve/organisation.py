"""Checks across environments about who deploys what where: cluster identity, engines,
and the names an Argo CD or Flux shared with other teams would see.

One cluster name is one cluster: its releases of every environment share
``flux/clusters/<name>/``, its namespaces and its Argo CD destination, so two
definitions of a name must agree on how the cluster is reached. The other way
round, one cluster under two names would get two Flux folders and two
namespace owners: allowed only when a definition says so with ``sharedWith``.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from ..errors import Problem, raise_if
from ..load import spec as S

if TYPE_CHECKING:
    from ..load.source import ClusterOrigin, Located, SourceTree
    from .fleet import Environment

_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")


@dataclass(frozen=True)
class _Definition:
    """One entry of an environment's ``clusters`` list, written there or read from a Terraform
    output file (``clustersFrom``; then ``origin`` says where, and problems point there)."""

    env: Located
    index: int
    cluster: S.Cluster
    engines: tuple[str, ...]
    origin: ClusterOrigin | None = None

    def line(self, field: str | None = None) -> int:
        if self.origin is not None:
            return self.origin.line_of((field,) if field else ())
        path = ("spec", "clusters", self.index) + ((field,) if field else ())
        return self.env.source.line_of(path)

    def where(self, field: str | None = None) -> str:
        file = self.origin.file if self.origin is not None else self.env.file
        return f"{file}:{self.line(field)}"

    def problem(self, path: tuple, message: str) -> Problem:
        if self.origin is not None:
            return self.origin.problem(path, message)
        return self.env.problem(("spec", "clusters", self.index, *path), message)


def engines_of(tree: SourceTree, env: Located, cluster: S.Cluster) -> tuple[str, ...]:
    if cluster.engine:
        return (cluster.engine,)
    return tuple(env.doc.spec.engines or tree.project.doc.spec.engines)


def _definitions(tree: SourceTree) -> list[_Definition]:
    """Every cluster definition; those from Terraform (appended to ``clusters`` when loaded) keep
    where they were written."""
    return [_Definition(env, i, cluster, engines_of(tree, env, cluster),
                        tree.cluster_origins.get(env.name, {}).get(cluster.name))
            for _, env in sorted(tree.environments.items())
            for i, cluster in enumerate(env.doc.spec.clusters)]


def check_organisation(tree: SourceTree, environments: Iterable[Environment]) -> dict[str, str]:
    """Refuse what two controllers or two teams would fight over; return each cluster name's
    canonical name (the first, alphabetically, of the names ``sharedWith`` joins)."""
    definitions = _definitions(tree)
    problems = _identity_problems(definitions)
    problems += _flux_problems(tree, definitions)
    problems += _argocd_problems(tree, definitions, environments)
    raise_if(problems)
    return canonical_names(definitions)


def _identity_problems(definitions: list[_Definition]) -> list[Problem]:
    problems: list[Problem] = []
    by_name: dict[str, list[_Definition]] = defaultdict(list)
    for d in definitions:
        by_name[d.cluster.name].append(d)
    # A name defined twice must be reached the same way each time.
    for name, defs in by_name.items():
        first = defs[0]
        for d in defs[1:]:
            for field in ("server", "kubeConfigSecret"):
                mine, theirs = getattr(d.cluster, field), getattr(first.cluster, field)
                if mine != theirs:
                    problems.append(d.problem((field,), (
                        f"cluster {name!r} is defined in {first.where(field)} (environment {first.env.name!r}) "
                        f"with {field} {_shown(theirs)}, here with {_shown(mine)}: one cluster name is one "
                        "cluster; make them agree, or rename one")))
    shared = _shared_pairs(definitions)
    known = set(by_name)
    for d in definitions:
        for j, other in enumerate(d.cluster.sharedWith):
            if other not in known:
                problems.append(d.problem(("sharedWith", j), f"no environment defines a cluster {other!r}"))
            elif not _same_cluster(d.cluster, by_name[other][0].cluster):
                problems.append(d.problem(("sharedWith", j), (
                    f"cluster {other!r} ({by_name[other][0].where()}) has neither the server nor the "
                    f"kubeConfigSecret of {d.cluster.name!r}: they are not one cluster")))
    # One cluster under two names, unless a definition of either says so.
    seen: dict[tuple[str, str], _Definition] = {}
    for d in definitions:
        for key in _identity_keys(d):
            first = seen.setdefault(key, d)
            pair = frozenset((first.cluster.name, d.cluster.name))
            if first.cluster.name == d.cluster.name or pair in shared:
                continue
            field, value = key
            problems.append(d.problem((field,), (
                f"{field} {value} is also the {field} of cluster {first.cluster.name!r} ({first.where(field)}): "
                f"one cluster under two names gets two Flux folders and two owners of its namespaces; use one "
                f"name, or say it is on purpose with sharedWith: [{first.cluster.name}]")))
            seen[key] = d  # report each further name once, against the previous one
    return _unique(problems)


def _identity_keys(d: _Definition) -> list[tuple[str, str]]:
    """What identifies the cluster a definition reaches. Not the default server: it is "the cluster
    this controller runs in", Argo CD's for Argo CD and each cluster's own for a Flux running there,
    and environments commonly leave it, under names of their own."""
    keys = []
    if d.cluster.server != S.IN_CLUSTER:
        keys.append(("server", d.cluster.server))
    if d.cluster.kubeConfigSecret:
        keys.append(("kubeConfigSecret", d.cluster.kubeConfigSecret))
    return keys


def _same_cluster(a: S.Cluster, b: S.Cluster) -> bool:
    return a.server == b.server or (a.kubeConfigSecret is not None and a.kubeConfigSecret == b.kubeConfigSecret)


def _shared_pairs(definitions: list[_Definition]) -> set[frozenset[str]]:
    return {frozenset((d.cluster.name, other)) for d in definitions for other in d.cluster.sharedWith}


def canonical_names(definitions: list[_Definition]) -> dict[str, str]:
    """Cluster name -> the first name of the names ``sharedWith`` joins into one cluster."""
    parent: dict[str, str] = {d.cluster.name: d.cluster.name for d in definitions}

    def root(name: str) -> str:
        while parent[name] != name:
            name = parent[name]
        return name

    for pair in sorted(sorted(p) for p in _shared_pairs(definitions)):
        a, b = (root(n) for n in pair)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {name: root(name) for name in parent}


def _flux_problems(tree: SourceTree, definitions: list[_Definition]) -> list[Problem]:
    project = tree.project
    spec = project.doc.spec
    users = [d for d in definitions if "flux" in d.engines]
    problems = []
    if users and spec.flux.sourceRef is None and S.SCP_LIKE.match(spec.repoURL):
        d = users[0]
        problems.append(project.problem(("spec", "repoURL"), (
            f"{spec.repoURL!r} must be an http(s):// or ssh:// URL: Flux deploys cluster {d.cluster.name!r} "
            f"({d.where()}) and does not accept the git@host:path form")))
    # Each name gets its own Flux folder and namespaces: one Flux cannot read both as one cluster.
    flux_names = {d.cluster.name: d.cluster for d in users}
    for d in users:
        for j, other in enumerate(d.cluster.sharedWith):
            if other in flux_names and _same_cluster(d.cluster, flux_names[other]):
                problems.append(d.problem(("sharedWith", j), (
                    f"Flux deploys both {d.cluster.name!r} and {other!r}: a cluster Flux deploys has one name "
                    "(its Flux folder and namespaces are per name); use one name, or engine: argocd on one")))
    return problems


def _argocd_problems(tree: SourceTree, definitions: list[_Definition],
                     environments: Iterable[Environment]) -> list[Problem]:
    project = tree.project
    argocd = project.doc.spec.argocd
    problems = []
    users = {d.env.name for d in definitions if "argocd" in d.engines}
    for env in environments:
        if env.name in users and not (_DNS_SUBDOMAIN.match(env.argocd_project) and len(env.argocd_project) <= 63):
            problems.append(project.problem(("spec", "argocd", "project"), (
                f"gives environment {env.name!r} the AppProject name {env.argocd_project!r}, which is not a "
                "valid name (lower-case letters, digits, '-' and '.', at most 63 characters)")))
            break
    if argocd.destination == "name":
        # Argo CD registers a server once, under one name.
        argocd_names = {d.cluster.name for d in definitions if "argocd" in d.engines}
        for d in definitions:
            for j, other in enumerate(d.cluster.sharedWith):
                if d.cluster.name in argocd_names and other in argocd_names:
                    problems.append(d.problem(("sharedWith", j), (
                        f"with argocd.destination: name, Argo CD knows one cluster by one name: "
                        f"{d.cluster.name!r} and {other!r} cannot both be Argo CD destinations")))
    return problems


def both_engines_warnings(tree: SourceTree) -> list[Problem]:
    """One warning per environment where some cluster gets both engines: both would apply the same objects.

    Located where the two engines came from: the environment's ``engines``, else the Project's.
    """
    lines: list[Problem] = []
    for _, env in sorted(tree.environments.items()):
        both = [c.name for c in env.doc.spec.clusters if len(engines_of(tree, env, c)) > 1]
        if not both or not env.doc.spec.models:
            continue
        origin = env if env.doc.spec.engines is not None else tree.project
        problem = origin.problem(("spec", "engines"), (
            f"warning: both Argo CD and Flux deploy environment {env.name!r} on {', '.join(both)}: both will "
            "apply the same objects and undo each other's changes; give each cluster one engine (the "
            "environment's engines, or a cluster's engine)"))
        lines.append(problem)
    return lines


def _shown(value: str | None) -> str:
    return "none" if value is None else value


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
