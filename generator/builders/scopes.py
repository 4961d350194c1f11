"""Which kinds are cluster-scoped, as their upstream CRDs (or Kubernetes, for core kinds) say.

Cluster-scoped objects never carry a namespace and live once per cluster
(``workloads/_cluster/<cluster>/``). ``schemas/scopes.json`` is written by
scripts/derive_schemas.py beside the schemas. A module of its own so that every
build can ask without importing the validator (the plugin pays for that only
when user code produced objects).
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def cluster_scoped_kinds() -> frozenset[tuple[str, str]]:
    """(apiVersion, kind) of every kind whose upstream CRD (or Kubernetes, for core kinds) says ``scope: Cluster``."""
    scopes = json.loads((resources.files("generator.builders") / "schemas" / "scopes.json").read_text(encoding="utf-8"))
    return frozenset(tuple(key.split(" ", 1)) for key, scope in scopes.items() if scope == "Cluster")


def is_cluster_scoped(api_version: str, kind: str) -> bool:
    """Whether ``scope: Cluster``. A kind we have no record of is taken as namespaced, which is
    what the API server would then tell the user if it is not."""
    return (api_version, kind) in cluster_scoped_kinds()
