"""Every release of a source tree with the exact text `render` writes for it.

``build_index`` runs the whole compiler (load, resolve, build, emit) once and
keeps, per release, the YAML of its workload files and what API each object
needs. It is plain JSON data, so ``plugin.cache`` can store it and a later
request can answer from it without importing pydantic, Jinja2 or PyYAML.

Selection rules (what the Application may ask for):

- ``environment`` is required; ``model`` and ``cluster`` are optional.
- Without ``model``: every model of the environment on the chosen cluster.
- Without ``cluster``: allowed only when the selection lands on one cluster
  (an environment with a single cluster). An Application deploys to one
  destination; the same model on two clusters would give Argo CD two objects
  with the same name and namespace.
- An unknown name, a model the environment does not run, or a selection with
  no objects is an error: printing nothing with exit 0 makes Argo CD prune
  the whole Application. Except for a Helm release (serving: helm): there the
  plugin is the second source beside the chart, whose objects remain, and its
  templates may render nothing.
"""
from __future__ import annotations

import os

from .errors import CmpError
from .selection import Selector

FORMAT = 2  # bump when the stored shape changes


def release_key(environment: str, cluster: str, model: str) -> str:
    # Names are DNS-1123 labels: "/" cannot occur in them.
    return f"{environment}/{cluster}/{model}"


def build_index(source: str | os.PathLike = ".") -> dict:
    """Compile the source tree; raise GitopsGenError for anything `gitops-gen render` would refuse."""
    from generator.builders import layout
    from generator.builders.files import KUSTOMIZATION_FILE, build_fleet
    from generator.emit.serialize import dump_stream
    from generator.resolve.fleet import load_fleet

    fleet = load_fleet(os.fspath(source))
    # The whole output tree, as `render` builds it: the plugin prints exactly
    # the files render writes into each release's directory.
    files = build_fleet(fleet)
    models: dict[str, set[str]] = {env.name: set() for env in fleet.environments}
    for release in fleet.releases:
        models[release.environment.name].add(release.model)
    environments = {env.name: {"clusters": [c.name for c in env.clusters], "models": sorted(models[env.name])}
                    for env in fleet.environments}
    by_directory: dict[str, list] = {}
    for f in files:
        directory, _, name = f.path.rpartition("/")
        if name != KUSTOMIZATION_FILE:  # kustomize's input, not an object for the cluster
            by_directory.setdefault(directory, []).append(f.obj)
    releases = {}
    for release in fleet.releases:
        objects = by_directory.get(layout.release_dir(release), [])
        releases[release_key(release.environment.name, release.cluster.name, release.model)] = {
            "objects": [[o["apiVersion"], o["kind"], o["metadata"]["name"]] for o in objects],
            "yaml": dump_stream(objects),
            "chart": release.spec.serving == "helm",
        }
    return {"format": FORMAT, "environments": environments, "models": list(fleet.model_names),
            "releases": releases}


def _names(names) -> str:
    return ", ".join(sorted(set(names))) or "none"


def select(index: dict, selector: Selector) -> list[str]:
    """The keys of the releases ``selector`` names, following the rules in the module docstring."""
    environments = index["environments"]
    env_name, model, cluster = selector.environment, selector.model, selector.cluster
    if env_name is None:
        given = f" (got {selector})" if selector.any() else ""
        raise CmpError(f"no environment selected{given}: set the Application's plugin parameter 'environment' "
                       "(and 'cluster', 'model' as needed)")
    env = environments.get(env_name)
    if env is None:
        raise CmpError(f"unknown environment {env_name!r} (known: {_names(environments)})")
    if model is not None:
        if model not in index["models"]:
            raise CmpError(f"unknown model {model!r} (known: {_names(index['models'])})")
        if model not in env["models"]:
            raise CmpError(f"model {model!r} does not run in environment {env_name!r} "
                           f"(models there: {_names(env['models'])})")
    if cluster is not None and cluster not in env["clusters"]:
        raise CmpError(f"unknown cluster {cluster!r} in environment {env_name!r} (known: {_names(env['clusters'])})")
    clusters = [cluster] if cluster is not None else env["clusters"]
    if len(clusters) > 1:
        raise CmpError(f"environment {env_name!r} has clusters {_names(clusters)}: set the plugin parameter "
                       "'cluster' (an Application deploys to one cluster)")
    models = [model] if model is not None else env["models"]
    keys = [release_key(env_name, c, m) for c in clusters for m in models]
    if not keys or not any(index["releases"][k]["objects"] or index["releases"][k]["chart"] for k in keys):
        raise CmpError(f"{selector} selects no objects; refusing to print an empty manifest list "
                       "(Argo CD would prune the whole Application)")
    return keys
