"""Which releases an Application asks for, read from the variables argocd-cmp-server sets.

Each field (environment, model, cluster) is taken from the first of these that sets it:

1. the Application's plugin parameters (``source.plugin.parameters``), either
   ``ARGOCD_APP_PARAMETERS`` (JSON, ``[{"name": "environment", "string":
   "prod"}, ...]`` or ``null``) or, when that names no field, ``PARAM_ENVIRONMENT``,
   ``PARAM_MODEL``, ``PARAM_CLUSTER`` (the same parameters as separate variables,
   for Argo CD versions or callers that do not set the JSON). Unknown parameter
   names are errors: a typo must not widen the selection; so is a parameter
   given twice (which one did the author mean?).
2. Plugin env (``source.plugin.env``): ``ARGOCD_ENV_ENVIRONMENT``,
   ``ARGOCD_ENV_MODEL``, ``ARGOCD_ENV_CLUSTER``. Argo CD keeps the case of
   the env entry's name, so ``ARGOCD_ENV_environment`` works too (not both).

Per field, so an Application whose parameters name the environment and cluster
while its plugin env names the model gets that model, never every model of the
environment. An empty string counts as not set (the Argo CD UI sends "" for a
cleared field).
"""
from __future__ import annotations

import json
from collections.abc import Mapping  # not typing, slow to import: this runs on every sync

from .errors import CmpError

FIELDS = ("environment", "model", "cluster")
PARAMETERS, PARAM_VARIABLES, PLUGIN_ENV = "the plugin parameters", "PARAM_* variables", "plugin env"


class Selector:
    """Release names an Application asked for; ``None`` means "all"."""

    __slots__ = ("environment", "model", "cluster", "sources")

    def __init__(self, environment: str | None = None, model: str | None = None, cluster: str | None = None,
                 sources: Mapping[str, str] | None = None):
        self.environment = environment
        self.model = model
        self.cluster = cluster
        self.sources = dict(sources or {})  # field -> where its value came from, for messages

    def __repr__(self) -> str:
        by_source: dict[str, list[str]] = {}
        for f in FIELDS:
            if getattr(self, f) is not None:
                by_source.setdefault(self.sources.get(f, "nothing"), []).append(f"{f}={getattr(self, f)}")
        return ", ".join(f"{', '.join(chosen)} from {source}" for source, chosen in by_source.items()) or "nothing"

    def any(self) -> bool:
        return any(getattr(self, f) is not None for f in FIELDS)


def read_selector(env: Mapping[str, str]) -> Selector:
    parameters, source = _from_app_parameters(env), PARAMETERS
    if not any(parameters.values()):
        parameters, source = _from_params(env), PARAM_VARIABLES
    plugin_env = _from_plugin_env(env)
    values: dict[str, str] = {}
    sources: dict[str, str] = {}
    for f in FIELDS:
        if parameters.get(f):
            values[f], sources[f] = parameters[f], source
        elif plugin_env.get(f):
            values[f], sources[f] = plugin_env[f], PLUGIN_ENV
    return Selector(**values, sources=sources)


def _from_app_parameters(env: Mapping[str, str]) -> dict[str, str]:
    raw = env.get("ARGOCD_APP_PARAMETERS", "").strip()
    if not raw:
        return {}
    try:
        params = json.loads(raw, object_pairs_hook=_no_duplicate_keys)
    except ValueError:
        raise CmpError("ARGOCD_APP_PARAMETERS is not valid JSON") from None
    except RecursionError:  # the C parser's own depth guard: the text is hostile, not ours to crash on
        raise CmpError("ARGOCD_APP_PARAMETERS is nested too deeply to be plugin parameters") from None
    if params is None:
        return {}
    if not isinstance(params, list):
        raise CmpError("ARGOCD_APP_PARAMETERS must be a JSON list of parameters")
    values: dict[str, str] = {}
    for param in params:
        name = param.get("name") if isinstance(param, dict) else None
        if not isinstance(name, str):
            raise CmpError("ARGOCD_APP_PARAMETERS: every parameter needs a name")
        if name not in FIELDS:
            raise CmpError(f"unknown plugin parameter {name!r} (known: {', '.join(sorted(FIELDS))})")
        if "array" in param or "map" in param or not isinstance(param.get("string", ""), str):
            raise CmpError(f"plugin parameter {name!r} must be a string")
        if name in values:
            raise CmpError(f"plugin parameter {name!r} is given twice; give it once")
        values[name] = param.get("string", "")
    return values


def _no_duplicate_keys(pairs: list) -> dict:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        twice = next(key for key in keys if keys.count(key) > 1)
        raise CmpError(f"ARGOCD_APP_PARAMETERS: key {twice!r} is given twice in one parameter")
    return dict(pairs)


def _from_params(env: Mapping[str, str]) -> dict[str, str]:
    return {f: env[f"PARAM_{f.upper()}"] for f in FIELDS if f"PARAM_{f.upper()}" in env}


def _from_plugin_env(env: Mapping[str, str]) -> dict[str, str]:
    values = {}
    for f in FIELDS:
        given = [name for name in (f"ARGOCD_ENV_{f.upper()}", f"ARGOCD_ENV_{f}") if env.get(name)]
        if len(given) > 1:
            raise CmpError(f"plugin env sets {f!r} twice ({given[0]} and {given[1]}); set it once")
        if given:
            values[f] = env[given[0]]
    return values
