"""gitops-gen diff: how the releases of two environments differ, model by model.

For each model: its version in each environment, every resolved spec field
that differs (dotted paths), then a unified diff of the rendered workload
objects with what is environment-specific by construction (environment name,
namespace, cluster name, the environment's spec file) replaced by
placeholders, so only real differences remain. Exit 0 when it has shown the
comparison, whatever it found, so that 1 means it failed; with ``--exit-code``
(as ``git diff``), 1 also when the environments differ.

An environment with several clusters is compared through its first cluster in
rollout order (lowest wave, then as listed): the cluster a change reaches
first. Clusters of one environment share one resolved spec; they differ only
where a string uses ``{{ cluster }}``, which the placeholders hide anyway.
"""
from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path
from typing import Any

from ..builders.workloads import workload_objects
from ..emit.serialize import dump_stream
from ..resolve.fleet import Fleet, Release, load_fleet

ENVIRONMENT, NAMESPACE, CLUSTER, ENVIRONMENT_FILE = "<environment>", "<namespace>", "<cluster>", "<environment-file>"
_LABEL_PLACEHOLDERS = {"gitops-gen.io/environment": ENVIRONMENT, "gitops-gen.io/cluster": CLUSTER}
_SOURCE_ANNOTATION = "gitops-gen.io/source"


def diff(source: Path, env_a: str, env_b: str, model: str | None = None, exit_code: bool = False) -> int:
    fleet = load_fleet(source)
    fleet.select(environment=env_a, model=model)  # unknown names: the usual one-line errors
    fleet.select(environment=env_b)
    models = [model] if model else sorted({r.model for r in fleet.releases if r.environment.name in (env_a, env_b)})
    firsts_a, firsts_b = first_releases(fleet, env_a), first_releases(fleet, env_b)
    differ = False
    for name in models:
        a, b = firsts_a.get(name), firsts_b.get(name)
        if a is None and b is None:
            print(f"{name}: in neither {env_a} nor {env_b}")
            continue
        if a is None or b is None:
            there, only = (env_b, b) if a is None else (env_a, a)
            assert only is not None
            print(f"{name}: only in {there} ({only.version})")
            differ = True
            continue
        fields = spec_differences(a, b)
        objects = workload_diff(a, b)
        if a.version == b.version and not fields and not objects:
            print(f"{name}: same in {env_a} and {env_b} ({a.version})")
            continue
        differ = True
        print(f"{name}: {env_a} {a.version}, {env_b} {b.version}")
        for path, value_a, value_b in fields:
            print(f"  {path}: {value_a} -> {value_b}")
        sys.stdout.write(objects)
    return 1 if differ and exit_code else 0


def first_releases(fleet: Fleet, environment: str) -> dict[str, Release]:
    """Model -> its release on the environment's first cluster in rollout order (lowest wave, then as listed).
    One pass over the fleet for all models (once per model, a fleet's diff took a second to look them up)."""
    env = next(e for e in fleet.environments if e.name == environment)
    order = {c.name: i for i, c in enumerate(sorted(env.clusters, key=lambda c: c.wave))}
    firsts: dict[str, Release] = {}
    for release in fleet.releases:
        if release.environment.name == environment:
            first = firsts.get(release.model)
            if first is None or order[release.cluster.name] < order[first.cluster.name]:
                firsts[release.model] = release
    return firsts


def spec_differences(a: Release, b: Release) -> list[tuple[str, str, str]]:
    """(dotted path, value in a, value in b) of every resolved spec field that differs, but the version.

    Expressions are already evaluated, so a path such as storageUri differs when
    it embeds the version; placeholders are not applied here: these are the
    values as each environment resolves them.
    """
    flat_a = _flatten(a.spec.model_dump(mode="json", by_alias=True, exclude={"version"}))
    flat_b = _flatten(b.spec.model_dump(mode="json", by_alias=True, exclude={"version"}))
    out = []
    for path in sorted(set(flat_a) | set(flat_b)):
        value_a, value_b = flat_a.get(path, _UNSET), flat_b.get(path, _UNSET)
        if value_a != value_b:
            out.append((path, _show(value_a), _show(value_b)))
    return out


_UNSET = object()


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Mappings become dotted paths; lists and scalars are leaves (a list is one value)."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def _show(value: Any) -> str:
    return "(unset)" if value is _UNSET else json.dumps(value, sort_keys=True)


def workload_diff(a: Release, b: Release) -> str:
    """Unified diff of the two releases' workload objects, environment-specific names normalised."""
    text_a = dump_stream(normalised(obj, a) for obj in workload_objects(a))
    text_b = dump_stream(normalised(obj, b) for obj in workload_objects(b))
    where = lambda r: f"{r.environment.name}/{r.cluster.name}/{r.model}"  # noqa: E731
    return "".join(difflib.unified_diff(text_a.splitlines(True), text_b.splitlines(True),
                                        fromfile=f"a/{where(a)}", tofile=f"b/{where(b)}"))


def normalised(obj: dict, release: Release) -> dict:
    """``obj`` with the release's environment, namespace and cluster names as placeholders."""
    names = sorted({release.cluster.name: CLUSTER, release.namespace: NAMESPACE,
                    release.environment.name: ENVIRONMENT}.items(), key=lambda kv: -len(kv[0]))
    # Whole DNS-style tokens only: `ml-prod` is a namespace, the `prod` inside it is not an environment.
    patterns = [(re.compile(rf"(?<![A-Za-z0-9_-]){re.escape(name)}(?![A-Za-z0-9_-])"), placeholder)
                for name, placeholder in names]

    def text(value: str) -> str:
        for pattern, placeholder in patterns:
            value = pattern.sub(placeholder, value)
        return value

    def walk(node: Any, path: tuple) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                here = (*path, key)
                if here[-2:] == ("metadata", "namespace") and value == release.namespace:
                    out[key] = NAMESPACE
                elif len(here) >= 2 and here[-2] == "labels" and key in _LABEL_PLACEHOLDERS:
                    out[key] = _LABEL_PLACEHOLDERS[key]
                elif key == _SOURCE_ANNOTATION and isinstance(value, str):
                    # A Terraform output the clusters came from is part of the environment's definition too.
                    own = {release.environment.file, *release.environment.cluster_files.values()}
                    out[key] = ",".join(dict.fromkeys(ENVIRONMENT_FILE if f in own else f
                                                      for f in value.split(",")))
                else:
                    out[key] = walk(value, here)
            return out
        if isinstance(node, list):
            return [walk(item, path) for item in node]
        return text(node) if isinstance(node, str) else node

    return walk(obj, ())
