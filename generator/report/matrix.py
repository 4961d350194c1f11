"""The status matrix: which version of which model runs in which environment, and what waits to be promoted.

One cell per (model, environment) the model runs in. All clusters of an
environment run the same resolved spec, so version, serving kind and rollout
strategy belong to the cell; each cell lists its clusters (rollout order) with
the rendered directory of the release on each and, when asked (``status
--live``), what that cluster says about it.

Each cell is compared with the same model in the previous stage of
``Project.spec.promotion`` (see ``versions.compare`` for the rule): ``behind``
when the previous stage runs a newer version (a pending promotion), ``ahead``
when this one is newer (a pin or a hotfix), ``differs`` when the two cannot be
ordered, ``same``; no comparison for the first stage, environments outside the
promotion order, or a model the previous stage does not run.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..builders.layout import release_dir, repo_path
from ..load.source import SourceTree
from ..load.spec import Canary, EnvironmentSpec, ModelSpec
from ..resolve.fleet import Fleet, Release
from . import versions

SAME, BEHIND, AHEAD, DIFFERS = "same", "behind", "ahead", "differs"
_RELATION = {versions.SAME: SAME, versions.OLDER: BEHIND, versions.NEWER: AHEAD, versions.DIFFERS: DIFFERS}

READY, NOT_READY, UNKNOWN = "ready", "not-ready", "unknown"


@dataclass(frozen=True)
class Health:
    """What a cluster says about one release (``status --live``)."""

    state: str  # READY, NOT_READY or UNKNOWN
    reason: str = ""


@dataclass(frozen=True)
class Placement:
    """One cluster a cell's release runs on."""

    cluster: str
    wave: int
    path: str  # the release's rendered directory inside the Git repository (renderedPath/workloads/...)
    health: Health | None = None


@dataclass(frozen=True)
class Variant:
    name: str
    version: str
    weight: int


@dataclass(frozen=True)
class Cell:
    model: str
    environment: str
    version: str
    pinned: bool  # the environment sets the version (else it is the Model's default)
    serving: str
    strategy: str
    rollout: str  # the strategy in words: "canary 10%, 50% every 10m"
    variants: tuple[Variant, ...]
    placements: tuple[Placement, ...]
    previous: str | None = None  # the previous stage of the promotion order, if the model runs there
    previous_version: str | None = None
    relation: str | None = None  # SAME, BEHIND, AHEAD, DIFFERS; None without a previous stage

    @property
    def pending(self) -> bool:
        """The previous stage runs a newer version: promoting would move this cell forward."""
        return self.relation == BEHIND


@dataclass(frozen=True)
class EnvironmentColumn:
    name: str
    namespace: str
    clusters: tuple[tuple[str, int], ...]  # (name, wave), rollout order
    stage: int | None  # position in Project.spec.promotion; None when not in it


@dataclass(frozen=True)
class Matrix:
    project: str
    promotion: tuple[str, ...]
    environments: tuple[EnvironmentColumn, ...]  # promotion order, then the others by name
    models: tuple[str, ...]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)  # (model, environment) -> cell

    def cell(self, model: str, environment: str) -> Cell | None:
        return self.cells.get((model, environment))

    @property
    def pending(self) -> list[Cell]:
        return [c for c in self.cells.values() if c.pending]


def build_matrix(tree: SourceTree, fleet: Fleet, models: tuple[str, ...] = (), environments: tuple[str, ...] = (),
                 health: dict[tuple[str, str, str], Health] | None = None) -> Matrix:
    """The matrix of ``fleet``, narrowed to ``models`` and ``environments`` (all when empty).

    ``health`` maps (environment, cluster, model) to what that cluster said. Unknown names are errors.
    """
    for name in environments:
        fleet.select(environment=name)
    for name in models:
        fleet.select(model=name)
    promotion = tuple(fleet.project.spec.promotion)
    order = {name: i for i, name in enumerate(promotion)}
    env_order = sorted(fleet.environments, key=lambda e: (order.get(e.name, len(order)), e.name))
    by_pair: dict[tuple[str, str], list[Release]] = {}
    for release in fleet.releases:
        by_pair.setdefault((release.model, release.environment.name), []).append(release)
    wanted_envs = set(environments) or {e.name for e in fleet.environments}
    wanted_models = set(models) or set(fleet.model_names)
    health = health or {}
    cells: dict[tuple[str, str], Cell] = {}
    for (model, env_name), releases in by_pair.items():
        if model not in wanted_models or env_name not in wanted_envs:
            continue
        cells[(model, env_name)] = _cell(tree, fleet, releases, by_pair, order, promotion, health)
    shown_models = tuple(m for m in sorted(wanted_models) if any((m, e) in cells for e in wanted_envs))
    columns = tuple(
        EnvironmentColumn(e.name, e.namespace, tuple((c.name, c.wave) for c in _rollout_order(e.clusters)),
                          order.get(e.name))
        for e in env_order if e.name in wanted_envs)
    return Matrix(project=fleet.project.name, promotion=promotion, environments=columns, models=shown_models,
                  cells=cells)


def _rollout_order(clusters):
    return sorted(clusters, key=lambda c: c.wave)  # stable: as listed within a wave


def _cell(tree: SourceTree, fleet: Fleet, releases: list[Release], by_pair, order: dict[str, int],
          promotion: tuple[str, ...], health) -> Cell:
    waves = {c.name: c.wave for c in releases[0].environment.clusters}
    position = {c.name: i for i, c in enumerate(_rollout_order(releases[0].environment.clusters))}
    releases = sorted(releases, key=lambda r: position[r.cluster.name])
    first = releases[0]
    env_name, model = first.environment.name, first.model
    spec = first.spec
    previous = previous_version = relation = None
    stage = order.get(env_name)
    if stage:
        before = by_pair.get((model, promotion[stage - 1]))
        if before:
            previous, previous_version = promotion[stage - 1], before[0].version
            relation = _RELATION[versions.compare(first.version, previous_version)]
    variants: tuple[Variant, ...] = ()
    if spec.rollout.strategy == "ab" and spec.rollout.ab is not None:
        variants = tuple(Variant(v.name, v.version, v.weight) for v in spec.rollout.ab.variants)
    return Cell(
        model=model, environment=env_name, version=first.version, pinned=_pinned(tree, env_name, model),
        serving=spec.serving, strategy=spec.rollout.strategy, rollout=rollout_words(spec, variants),
        variants=variants,
        placements=tuple(Placement(r.cluster.name, waves[r.cluster.name], repo_path(fleet.project, release_dir(r)),
                                   health.get((env_name, r.cluster.name, model)))
                         for r in releases),
        previous=previous, previous_version=previous_version, relation=relation)


def _pinned(tree: SourceTree, environment: str, model: str) -> bool:
    spec: EnvironmentSpec = tree.environments[environment].doc.spec
    return "version" in (spec.models.get(model) or {}) or "version" in spec.overrides


def rollout_words(spec: ModelSpec, variants: tuple[Variant, ...] = ()) -> str:
    """The rollout strategy as a person would say it."""
    rollout = spec.rollout
    if rollout.strategy == "canary":
        canary = rollout.canary or Canary()
        steps = ", ".join(f"{w}%" for w in canary.steps)
        return f"canary {steps}, " + (f"every {canary.pause}" if canary.pause else "promoted by hand")
    if rollout.strategy == "ab" and variants:
        return "A/B " + ", ".join(f"{v.name} {v.version} {v.weight}%" for v in variants)
    if rollout.strategy == "bluegreen":
        return "blue-green"
    return rollout.strategy



FORMAT = "gitops-gen.io/status/v1"


def to_json(matrix: Matrix) -> dict:
    """The documented, stable shape of ``status --format json`` (docs/status.md): fields may be added, never
    renamed or re-meant without a new ``apiVersion``."""
    columns = [e.name for e in matrix.environments]
    return {
        "apiVersion": FORMAT,
        "project": matrix.project,
        "promotion": list(matrix.promotion),
        "environments": [{"name": e.name, "namespace": e.namespace, "stage": e.stage,
                          "clusters": [{"name": name, "wave": wave} for name, wave in e.clusters]}
                         for e in matrix.environments],
        "models": list(matrix.models),
        "cells": [_cell_json(matrix.cells[(m, e)]) for m in matrix.models for e in columns
                  if (m, e) in matrix.cells],
    }


def _cell_json(cell: Cell) -> dict:
    return {
        "model": cell.model,
        "environment": cell.environment,
        "version": cell.version,
        "pending": cell.pending,
        "compared": cell.relation,
        "previous": None if cell.previous is None else {"environment": cell.previous,
                                                        "version": cell.previous_version},
        "pinned": cell.pinned,
        "serving": cell.serving,
        "strategy": cell.strategy,
        "rollout": cell.rollout,
        "variants": [{"name": v.name, "version": v.version, "weight": v.weight} for v in cell.variants],
        "clusters": [{"name": p.cluster, "wave": p.wave, "path": p.path,
                      "health": None if p.health is None else {"state": p.health.state, "reason": p.health.reason}}
                     for p in cell.placements],
    }
