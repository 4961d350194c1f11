"""rollout.strategy canary or bluegreen with serving: deployment -> an Argo Rollouts Rollout.

The Rollout replaces the Deployment (same selector and pod template) and
shifts traffic between two Services it rewrites at run time: stable + canary,
or active + preview. Without a traffic router (none is configured here),
Argo Rollouts approximates a canary's weight by the ratio of pod counts.
"""
from __future__ import annotations

from typing import Any

from ..load.spec import Canary
from ..resolve.fleet import Release
from . import deployment, meta

API_VERSION = "argoproj.io/v1alpha1"
# strategy: canary without a canary block: these steps, each waiting for a manual promotion.
DEFAULT_CANARY = Canary()


def canary_settings(release: Release) -> Canary:
    return release.spec.rollout.canary or DEFAULT_CANARY


def objects(release: Release) -> list[dict]:
    name = release.workload_name
    if release.spec.rollout.strategy == "canary":
        second = f"{name}-canary"
        strategy: dict[str, Any] = {"canary": {"canaryService": second, "stableService": name,
                               "steps": canary_steps(canary_settings(release))}}
    else:
        # Argo Rollouts' default, written out: the preview becomes active as soon as its pods are ready.
        second = f"{name}-preview"
        strategy = {"blueGreen": {"activeService": name, "previewService": second, "autoPromotionEnabled": True}}
    out = [rollout(release, strategy), deployment.service(release), deployment.service(release, second)]
    if deployment.autoscales(release.spec):
        out.append(deployment.horizontal_pod_autoscaler(release, target_kind="Rollout", target_api=API_VERSION))
    return out


def canary_steps(canary: Canary) -> list[dict]:
    """A setWeight per step, each followed by a pause: timed with canary.pause, else until promoted by hand.

    No pause follows a step of 100: the canary already has all the traffic.
    """
    steps: list[dict] = []
    for weight in canary.steps:
        steps.append({"setWeight": weight})
        if weight < 100:
            steps.append({"pause": {"duration": canary.pause} if canary.pause else {}})
    return steps


def rollout(release: Release, strategy: dict) -> dict:
    return {"apiVersion": API_VERSION, "kind": "Rollout",
            "metadata": meta.workload_metadata(release, annotations=release.spec.annotations),
            "spec": {**deployment.workload_spec(release), "strategy": strategy}}
