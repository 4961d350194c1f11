"""Budgets: what one command may spend on input it does not trust, in bytes and seconds.

The source tree is untrusted (Argo CD's repo-server runs the plugin on whatever
is pushed; CI renders pull requests), so every budget is for the whole command,
not per item, and is set by whoever runs the tool, never by the source tree:

* on the command line: ``gitops-gen --limit template-seconds=60 render``
  (repeatable, before the subcommand);
* in the environment: ``GITOPS_GEN_LIMIT_TEMPLATE_SECONDS=60`` (the way to set
  them for the Argo CD plugin: the sidecar's own environment, not the
  Application's ``ARGOCD_ENV_*`` plugin env, which a repository's owner controls).

The command line wins over the environment. docs/security.md lists every
budget with its default.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping

# The Argo CD plugin imports this module on every request, a cache hit included: so no dataclasses (which
# imports inspect), no typing and no generator.errors (which imports dataclasses) until an error is raised.
TYPE_CHECKING = False  # typing.TYPE_CHECKING, which type checkers recognise by its name
if TYPE_CHECKING:
    from .errors import GitopsGenError

ENV_PREFIX = "GITOPS_GEN_LIMIT_"

_MiB = 1024 * 1024
_SIZE = re.compile(r"^\s*([0-9]+)\s*(|k|Ki|M|Mi|G|Gi)\s*$")
_UNITS = {"": 1, "k": 1000, "Ki": 1024, "M": 1000**2, "Mi": _MiB, "G": 1000**3, "Gi": 1024**3}


class Budgets:
    """Defaults far above any real fleet (see docs/performance.md), far below what hurts a 2-core, 2 GiB sidecar.
    Immutable: ``with_settings`` makes another."""

    __slots__ = ("input_bytes", "output_bytes", "template_seconds", "jsonnet_memory_bytes")
    input_bytes: int
    output_bytes: int
    template_seconds: float
    jsonnet_memory_bytes: int

    def __init__(self, input_bytes: int = 64 * _MiB, output_bytes: int = 1024 * _MiB,
                 template_seconds: float = 30.0, jsonnet_memory_bytes: int = 1024 * _MiB) -> None:
        set_field = object.__setattr__
        # All spec YAML of one command, counted after alias expansion.
        set_field(self, "input_bytes", input_bytes)
        # All files one render writes (or one plugin run prints).
        set_field(self, "output_bytes", output_bytes)
        # All user code of one command together: expressions, template files, Jsonnet components.
        set_field(self, "template_seconds", template_seconds)
        # One Jsonnet evaluation's memory.
        set_field(self, "jsonnet_memory_bytes", jsonnet_memory_bytes)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Budgets are immutable: use with_settings to change {name}")

    def _values(self) -> dict[str, int | float]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Budgets) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(tuple(self._values().values()))

    def __reduce__(self) -> tuple[type[Budgets], tuple[int | float, ...]]:  # copy and pickle, past __setattr__
        return Budgets, tuple(self._values().values())

    def __repr__(self) -> str:
        return "Budgets(" + ", ".join(f"{name}={value!r}" for name, value in self._values().items()) + ")"

    @classmethod
    def names(cls) -> list[str]:
        return [name.replace("_", "-") for name in cls.__slots__]

    def with_settings(self, settings: Mapping[str, str], origin: str) -> Budgets:
        """These budgets with ``{name: value}`` applied; a bad name or value is one line naming ``origin``."""
        values = self._values()
        for name, text in settings.items():
            attr = name.strip().lower().replace("-", "_")
            if attr not in values:
                known = ", ".join(self.names())
                raise _error(f"{origin}: unknown limit {name!r} (known: {known})")
            values[attr] = _parse(text, seconds=attr.endswith("_seconds"), origin=f"{origin} {name}")
        return Budgets(**values)  # type: ignore[arg-type]  # each value of its field's type (_parse)


def _error(message: str) -> GitopsGenError:
    from .errors import GitopsGenError

    return GitopsGenError(message)


def _parse(text: str, *, seconds: bool, origin: str) -> float | int:
    if seconds:
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not value > 0 or value != value or value == float("inf"):
            raise _error(f"{origin}: expected a positive number of seconds, got {text!r}")
        return value
    match = _SIZE.match(text)
    if not match or int(match.group(1)) == 0:
        raise _error(f"{origin}: expected a positive size in bytes (e.g. 512Mi), got {text!r}")
    return int(match.group(1)) * _UNITS[match.group(2)]


def from_environment(environ: Mapping[str, str] | None = None) -> Budgets:
    """The defaults with every ``GITOPS_GEN_LIMIT_<NAME>`` variable applied."""
    environ = os.environ if environ is None else environ
    settings = {key[len(ENV_PREFIX):]: value for key, value in environ.items() if key.startswith(ENV_PREFIX)}
    budgets = Budgets()
    for name, value in sorted(settings.items()):
        budgets = budgets.with_settings({name: value}, origin=f"{ENV_PREFIX}{name}")
    return budgets


def from_options(options: tuple[str, ...], base: Budgets) -> Budgets:
    """``base`` with each ``NAME=VALUE`` of ``--limit`` applied."""
    for option in options:
        name, sep, value = option.partition("=")
        if not sep:
            raise _error(f"--limit {option}: expected NAME=VALUE (names: {', '.join(Budgets.names())})")
        base = base.with_settings({name: value}, origin="--limit")
    return base


# The budgets of the command running in this process; set once by the CLI or the plugin, read by the guards.
_current = Budgets()
# What that command has spent so far of the budgets that are counted as it goes.
_spent_template_seconds = 0.0


def current() -> Budgets:
    return _current


def set_current(budgets: Budgets) -> None:
    """Start a command with these budgets: nothing spent yet."""
    global _current, _spent_template_seconds
    _current = budgets
    _spent_template_seconds = 0.0


def template_seconds_left() -> float:
    return _current.template_seconds - _spent_template_seconds


def spend_template_seconds(seconds: float) -> None:
    global _spent_template_seconds
    _spent_template_seconds += seconds


def over_budget(name: str, limit: int | float, what: str) -> GitopsGenError:
    """The one line for a budget spent: what went over, the budget's name and value, and how to raise it."""
    env = ENV_PREFIX + name.upper().replace("-", "_")
    return _error(f"{what}: over the {name} budget ({limit}); raise it with --limit {name}=VALUE or {env}=VALUE")
