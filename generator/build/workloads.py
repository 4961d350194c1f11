"""The workload objects of one release, by serving kind.

Each serving kind is a module with ``objects(release) -> list[dict]``,
registered in SERVING; adding a kind is adding a module and a line here.
"""
from __future__ import annotations

from typing import Callable

from ..errors import GitopsGenError
from ..resolve import Release
from . import deployment, kserve

SERVING: dict[str, Callable[[Release], list[dict]]] = {
    "kserve": kserve.objects,
    "deployment": deployment.objects,
}


def workload_objects(release: Release) -> list[dict]:
    """The Kubernetes objects that run one release, in a fixed order."""
    build = SERVING.get(release.spec.serving)
    if build is None:
        raise GitopsGenError(f"{release.name}: serving: {release.spec.serving} is not supported yet")
    if release.spec.rollout.strategy != "direct":
        raise GitopsGenError(f"{release.name}: rollout.strategy {release.spec.rollout.strategy} is not supported yet")
    return build(release)
