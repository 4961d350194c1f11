"""Validate emitted Kubernetes objects against the pinned upstream schema of their kind.

The schemas live in ``generator/builders/schemas/`` (one strict JSON Schema per
apiVersion/kind, derived by ``scripts/derive_schemas.py``).  They are loaded
lazily, one file per kind on first use, and each compiled validator is cached,
so validating tens of thousands of objects costs one schema load per kind.

Each object is first checked by jsonschema-rs (compiled, about a microsecond
for a Deployment); only an object it finds invalid goes through the Python
``jsonschema`` validator (hundreds of microseconds), whose errors carry what
the messages need. ``render`` and the plugin validate every object users'
templates and components produce, so this is on their path.

Strict means what ``kubectl --validate=strict`` means: an unknown field is an
error.  Every problem is one line ``<dotted.path>: <what is wrong>``.
"""

from __future__ import annotations

import json
import re
import threading
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import dotted

__all__ = ["schema_errors", "schema_problems", "has_schema", "known_kinds"]

_MAX_REPR = 60
_MAX_MESSAGE = 200
_LOCK = threading.Lock()
_VALIDATORS: dict[tuple[str, str], Any] = {}  # (apiVersion, kind) -> _Compiled, or None
_SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+$")


def _schemas_dir():
    return resources.files("generator.builders") / "schemas"


def _file_name(api_version: str, kind: str) -> str:
    group, _, version = api_version.rpartition("/")
    return f"{group or 'core'}_{version}_{kind.lower()}.json"


def _pinned(schema: dict) -> tuple[str, str] | None:
    props = schema.get("properties", {})
    try:
        return props["apiVersion"]["const"], props["kind"]["const"]
    except (KeyError, TypeError):
        return None


@lru_cache(maxsize=1)
def _known() -> frozenset[tuple[str, str]]:
    """(apiVersion, kind) of every schema file (reads each file's pinned values)."""
    found = set()
    for entry in _schemas_dir().iterdir():
        if entry.name.endswith(".json"):
            pinned = _pinned(json.loads(entry.read_text(encoding="utf-8")))
            if pinned is not None:
                found.add(pinned)
    return frozenset(found)


def known_kinds() -> set[tuple[str, str]]:
    """(apiVersion, kind) pairs that have a schema."""
    return set(_known())


def _import_jsonschema():
    # Here, not at the top: only `gitops-gen validate` needs jsonschema (a dependency), and it is slow to import.
    from jsonschema import exceptions, validators

    return validators, exceptions


class _Compiled:
    """One kind's schema: the fast validator, and the detailed one, built on the first invalid object."""

    __slots__ = ("schema", "fast", "_detailed")

    def __init__(self, schema: dict):
        self.schema = schema
        self.fast = _fast_validator(schema)
        self._detailed = None

    def detailed(self):
        if self._detailed is None:
            validators, _ = _import_jsonschema()
            cls = validators.validator_for(self.schema)
            self._detailed = cls(self.schema)  # no format_checker: formats are not asserted
        return self._detailed


def _fast_validator(schema: dict):
    try:
        import jsonschema_rs
    except ImportError:  # a dependency; without it, every object takes the detailed path
        return None
    # Formats are not asserted, as by the detailed validator.
    return jsonschema_rs.validator_for(_uri_safe_refs(schema), validate_formats=False)


def _uri_safe_refs(node: Any) -> Any:
    """The schema with ``[``/``]`` in $ref pointers percent-encoded: the derived $defs names contain them
    (``filters[].1f8b...``), which the Python validator takes as they are and jsonschema-rs only encoded."""
    if isinstance(node, dict):
        return {k: (v.replace("[", "%5B").replace("]", "%5D") if k == "$ref" and isinstance(v, str)
                    else _uri_safe_refs(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_uri_safe_refs(v) for v in node]
    return node


def _validator(api_version: str, kind: str) -> _Compiled | None:
    """Compiled validators for (apiVersion, kind), or None when there is no schema."""
    key = (api_version, kind)
    try:
        return _VALIDATORS[key]
    except KeyError:
        pass
    with _LOCK:
        if key in _VALIDATORS:
            return _VALIDATORS[key]
        validator = None
        name = _file_name(api_version, kind)
        entry = _schemas_dir() / name
        if _SAFE_NAME.match(name) and ".." not in name and entry.is_file():
            schema = json.loads(entry.read_text(encoding="utf-8"))
            # File names are lower-cased: make sure the kind really matches.
            if _pinned(schema) == key:
                validator = _Compiled(schema)
        _VALIDATORS[key] = validator
        return validator


def has_schema(api_version: Any, kind: Any) -> bool:
    return isinstance(api_version, str) and isinstance(kind, str) and _validator(api_version, kind) is not None


# ----------------------------------------------------------------- formatting


def _field(path: tuple) -> str:
    return dotted(path) or "(root)"


def _short(value: Any, limit: int = _MAX_REPR) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _one_line(text: str, limit: int = _MAX_MESSAGE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _unknown_fields(error) -> list[str]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    props = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [
        k for k in instance
        if k not in props and not any(re.search(p, k) for p in patterns)
    ]


def _lines(error, exceptions) -> list[tuple[str, str]]:
    """One error (anyOf/oneOf reduced to the most relevant branch) -> (field path, message) pairs."""
    while error.validator in ("anyOf", "oneOf") and error.context:
        error = exceptions.best_match(error.context)
    path = tuple(error.absolute_path)
    v, value, inst = error.validator, error.validator_value, error.instance
    if v == "additionalProperties" and value is False:
        extra = _unknown_fields(error)
        if extra:
            return [(_field((*path, k)), "unknown field") for k in extra]
    if v == "required":
        missing = [k for k in value if isinstance(inst, dict) and k not in inst]
        if missing:
            return [(_field((*path, k)), "required field is missing") for k in missing]
    if v == "type":
        want = value if isinstance(value, str) else ", ".join(value)
        msg = f"{_short(inst)} is not of type {want}"
    elif v == "enum":
        msg = f"{_short(inst)} is not one of {_short(value, 120)}"
    elif v == "const":
        msg = f"{_short(inst)} is not {value!r}"
    elif v == "pattern":
        pattern = value if len(value) <= 80 else value[:77] + "..."
        msg = f"{_short(inst)} does not match the pattern {pattern}"
    elif v == "oneOf":
        msg = "matches more than one of the allowed alternatives"
    elif v == "not":
        msg = "matches a forbidden combination of fields"
    else:
        msg = error.message
    return [(_field(path), _one_line(msg))]


def schema_problems(obj: dict) -> list[tuple[str, str]] | None:
    """(field path, what is wrong) of one object against the schema of its apiVersion/kind, sorted;
    [] when valid, None when there is no schema for its kind."""
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    validator = _validator(api_version, kind) if isinstance(api_version, str) and isinstance(kind, str) else None
    if validator is None:
        return None
    if validator.fast is not None and validator.fast.is_valid(obj):
        return []
    _, exceptions = _import_jsonschema()
    found: set[tuple[str, str]] = set()
    for error in validator.detailed().iter_errors(obj):
        found.update(_lines(error, exceptions))
    return sorted(found)


def schema_errors(obj: dict) -> list[str]:
    """Problems of one Kubernetes object against the pinned upstream schema of its apiVersion/kind; [] when valid."""
    if not isinstance(obj, dict):
        return [f"(root): {_short(obj)} is not a Kubernetes object (a mapping)"]
    problems = schema_problems(obj)
    if problems is None:
        return [f"no schema for {obj.get('apiVersion')} {obj.get('kind')}"]
    return [f"{field}: {message}" for field, message in problems]
