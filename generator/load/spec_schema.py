"""The JSON Schema (draft 2020-12) of spec documents, for editors: `gitops-gen schema`.

Generated from the pydantic kinds in ``generator/load/spec.py``, so it cannot drift
from what `load` accepts: the same fields, defaults and descriptions, unknown
fields rejected. Three things pydantic cannot see are added here:

- our ``BeforeValidator`` checks (names, quantities, durations, versions,
  label keys and values) become ``pattern``/``type`` constraints;
- pydantic's lax input forms that a YAML user may write (``port: "8080"``,
  ``cpu: 1``, ``version: 3``) stay accepted;
- a Model's ``spec``, an Environment's ``overrides`` and its ``models.<name>``
  entries are *partial* model specs (merged before they are checked, see
  resolve/fleet.py): no field is required there, and any scalar may be a Jinja2
  expression (checked once rendered per release), except the top-level ``version``.
"""
from __future__ import annotations

import copy
import inspect
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from . import spec

DRAFT = "https://json-schema.org/draft/2020-12/schema"

# A string holding a Jinja2 expression: its rendered value is checked per release.
TEMPLATE_STRING = {"type": "string", "pattern": r"\{[{%#]"}

# How pydantic's lax mode reads strings and numbers into ints, floats and bools.
_INT_TEXT = {"type": "string", "pattern": r"^\s*[+-]?[0-9][0-9_]*(\.0*)?\s*$"}
_FLOAT_TEXT = {"type": "string",
               "pattern": r"^\s*[+-]?([0-9][0-9_]*(\.[0-9_]*)?|\.[0-9][0-9_]*)([eE][+-]?[0-9]+)?\s*$"}
_BOOL_WORDS = ("true", "false", "yes", "no", "on", "off", "t", "f", "y", "n", "0", "1")
# Case-insensitive, spelled out: editors use JavaScript regular expressions, which have no (?i).
_BOOL_TEXT = {"type": "string", "pattern": "^(" + "|".join(
    "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word) for word in _BOOL_WORDS) + ")$"}

_LABEL_NAME = r"[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?"
_DNS_SUBDOMAIN = r"[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?"
_NON_NEGATIVE_NUMBER = {"type": "number", "minimum": 0}

# The spec's own before-validators, by function, as the JSON a user may write.
_VALIDATOR_SCHEMAS: dict[Any, dict] = {
    spec._version: {"anyOf": [{"type": "string", "pattern": r"^[^{\s]([^{]*[^{\s])?$"}, {"type": "integer"}]},
    spec._label_key: {"type": "string", "pattern": f"^({_DNS_SUBDOMAIN}/)?{_LABEL_NAME}$"},
    spec._label_value: {"anyOf": [{"type": "string", "pattern": f"^({_LABEL_NAME})?$"}, _NON_NEGATIVE_NUMBER]},
}


class _SpecSchemaGenerator(GenerateJsonSchema):
    def field_title_should_be_set(self, schema) -> bool:
        return False  # "Kubeconfigsecret"-style titles only clutter editors' hovers

    def function_before_schema(self, schema) -> dict:
        function = schema["function"]["function"]
        if function in _VALIDATOR_SCHEMAS:
            return copy.deepcopy(_VALIDATOR_SCHEMAS[function])
        if function is spec._number_as_text:  # quantities: `cpu: 1` is read as "1"
            return {"anyOf": [self.generate_inner(schema["schema"]), _NON_NEGATIVE_NUMBER]}
        if function.__qualname__ == f"{spec._checked.__qualname__}.<locals>.check":
            return {"type": "string", "pattern": inspect.getclosurevars(function).nonlocals["pattern"].pattern}
        return super().function_before_schema(schema)

    def function_plain_schema(self, schema) -> dict:
        validator = schema["function"]["function"]
        if isinstance(validator, spec.FirstUseValidator):  # a kind built on first use: its own schema, as a $def
            validator.kind.model_rebuild()
            return self.generate_inner(validator.kind.__pydantic_core_schema__)
        return super().function_plain_schema(schema)

    def int_schema(self, schema) -> dict:
        return self._lax(super().int_schema(schema), _INT_TEXT, schema)

    def float_schema(self, schema) -> dict:
        return self._lax(super().float_schema(schema), _FLOAT_TEXT, schema)

    def bool_schema(self, schema) -> dict:
        return self._lax(super().bool_schema(schema), {"anyOf": [{"enum": [0, 1]}, _BOOL_TEXT]}, schema)

    def _lax(self, strict: dict, text: dict, schema) -> dict:
        return strict if schema.get("strict") else {"anyOf": [strict, text]}

    def dict_schema(self, schema) -> dict:
        # pydantic writes patterned keys as patternProperties, which lets other
        # keys through; propertyNames rejects them, as load does.
        out = super().dict_schema(schema)
        patterns = out.pop("patternProperties", None)
        if patterns:
            ((pattern, values),) = patterns.items()
            out["propertyNames"] = {"pattern": pattern}
            out["additionalProperties"] = values
        return out


def _is_scalar(schema: dict) -> bool:
    return "enum" in schema or "const" in schema or schema.get("type") in ("string", "integer", "number", "boolean")


def _flatten(alternatives: list[dict]):
    for a in alternatives:
        if set(a) == {"anyOf"}:
            yield from _flatten(a["anyOf"])
        else:
            yield a


def _reachable(schema: Any, defs: dict[str, dict], seen: set[str]) -> set[str]:
    """Names of the definitions ``schema`` refers to, directly or not."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] not in seen:
            seen.add(ref[8:])
            _reachable(defs[ref[8:]], defs, seen)
        for value in schema.values():
            _reachable(value, defs, seen)
    elif isinstance(schema, list):
        for value in schema:
            _reachable(value, defs, seen)
    return seen


def _templatable(alternatives: list[dict]) -> list[dict]:
    """A scalar's alternatives, plus a Jinja2 string unless a plain string is already allowed."""
    plain_string = any(a.get("type") == "string" and len(a) == 1 for a in alternatives)
    scalar = any(_is_scalar(a) for a in alternatives)
    return alternatives + [TEMPLATE_STRING] if scalar and not plain_string else alternatives


class _PartialSpecs:
    """Variants of the model-spec definitions: ``Partial*`` (nothing required) and
    ``Templated*`` (list items: complete, since lists replace when merged)."""

    def __init__(self, defs: dict[str, dict]):
        self.defs = defs

    def ref(self, name: str, partial: bool) -> str:
        variant = f"{'Partial' if partial else 'Templated'}{name}"
        if variant not in self.defs:
            self.defs[variant] = {}  # reserve first: definitions may refer to themselves
            self.defs[variant] = self.convert(self.defs[name], partial)
        return f"#/$defs/{variant}"

    def convert(self, schema: dict, partial: bool) -> dict:
        schema = dict(schema)
        if "$ref" in schema:
            schema["$ref"] = self.ref(schema["$ref"].rsplit("/", 1)[1], partial)
            return schema
        if "anyOf" in schema:
            branches = [b if _is_scalar(b) else self.convert(b, partial) for b in _flatten(schema["anyOf"])]
            schema["anyOf"] = _templatable(branches)
            return schema
        if schema.get("type") == "object":
            if partial:
                schema.pop("required", None)
            if isinstance(schema.get("properties"), dict):
                schema["properties"] = {k: self.convert(v, partial) for k, v in schema["properties"].items()}
            if isinstance(schema.get("additionalProperties"), dict):
                schema["additionalProperties"] = self.convert(schema["additionalProperties"], partial)
            return schema
        if schema.get("type") == "array":
            if isinstance(schema.get("items"), dict):
                schema["items"] = self.convert(schema["items"], partial=False)
            return schema
        if _is_scalar(schema):
            annotations = {k: schema.pop(k) for k in ("description", "default") if k in schema}
            alternatives = _templatable([schema])
            return {**annotations, **(alternatives[0] if len(alternatives) == 1 else {"anyOf": alternatives})}
        return schema


def spec_schema() -> dict:
    """One schema that accepts every valid spec document, of any kind."""
    model_spec = "ModelSpec"
    _, top = models_json_schema(
        [(spec.ProjectDocument, "validation"), (spec.EnvironmentDocument, "validation"),
         (spec.ModelDocument, "validation"), (spec.ModelSpec, "validation")],
        schema_generator=_SpecSchemaGenerator)
    defs = top["$defs"]
    partial = _PartialSpecs(defs)
    partial_ref = partial.ref(model_spec, partial=True)
    # `version` is never rendered as a template (promotion edits it as a plain value).
    defs[partial_ref.rsplit("/", 1)[1]]["properties"]["version"] = {
        **defs[model_spec]["properties"]["version"], "default": None}

    model_doc = defs["ModelDocument"]["properties"]
    model_doc["spec"] = {"$ref": partial_ref, "description": model_doc["spec"]["description"]}
    env_spec = defs["EnvironmentSpec"]["properties"]
    env_spec["overrides"] = {"$ref": partial_ref, "description": env_spec["overrides"]["description"],
                             "default": {}}
    env_spec["models"]["additionalProperties"] = {"anyOf": [{"$ref": partial_ref}, {"type": "null"}]}

    kinds = {kind: f"#/$defs/{cls.__name__}" for kind, cls in spec.DOCUMENT_TYPES.items()}
    document = {
        "$schema": DRAFT,
        "title": f"gitops-gen spec document ({spec.API_VERSION})",
        "description": "A Project, Environment or Model document of a gitops-gen source tree.",
        "type": "object",
        "required": ["apiVersion", "kind", "metadata", "spec"],
        "properties": {
            "apiVersion": {"const": spec.API_VERSION, "description": "Always gitops-gen.io/v1alpha1."},
            "kind": {"enum": list(spec.KINDS), "description": "Project, Environment or Model."},
        },
        "allOf": [{"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]}, "then": {"$ref": ref}}
                  for kind, ref in kinds.items()],
    }
    # ModelSpec itself and its parts are only used through their partial and templated variants.
    used = _reachable(document, defs, set())
    document["$defs"] = {name: defs[name] for name in sorted(used)}
    return document
