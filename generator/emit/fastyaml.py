"""A YAML emitter for Kubernetes objects that writes exactly what PyYAML's C dumper writes, faster.

Generated objects are plain trees of dicts, lists, strings, numbers, booleans
and None, and the same strings (label keys, names, versions) recur thousands of
times. So we walk the tree in Python and ask PyYAML once per distinct scalar
how to write it (plain or quoted), caching the answer. Anything whose
rendering depends on its position in the document (multi-line strings, very
long keys) makes us hand the whole object to PyYAML instead, so the output is
always byte-identical to ``yaml.dump(obj, Dumper=CSafeDumper, **DUMP_OPTIONS)``,
with one difference on both paths: an object that appears twice in a tree (the
builders share a pod's fields between an LLM's template and its worker pods) is
written out twice, never as a YAML anchor and alias.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

DUMP_OPTIONS: dict[str, Any] = dict(sort_keys=False, default_flow_style=False, allow_unicode=True, width=1 << 16)

# What YAML counts as a line break: a scalar written with one depends on its indentation.
_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
_values: dict = {}
_keys: dict[str, str | None] = {}


class _Fallback(Exception):
    """This object needs PyYAML's own emitter."""


class _NoAliasDumper(yaml.CSafeDumper):
    """PyYAML's C dumper without anchors: the output is the same whichever objects the builders share."""

    def ignore_aliases(self, data) -> bool:
        return True


def _pyyaml(obj) -> str:
    return yaml.dump(obj, Dumper=_NoAliasDumper, **DUMP_OPTIONS)


# Strings of these characters that do not start with an indicator, are not
# `...` and do not end in `:` have no YAML syntax in them (libyaml's
# analyze_scalar allows them plain in block context), so PyYAML writes them
# plain exactly when its resolver reads them back as strings (not `yes`,
# `null`, `1e3`, `2024-01-01`...). Names, paths and URLs are nearly all like
# this: asking the resolver alone is ten times cheaper than a dump.
_PLAIN_CANDIDATE = re.compile(r"[A-Za-z0-9./][A-Za-z0-9._/,:-]*")
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


def _plain_by_resolver(value: str) -> bool:
    return (_PLAIN_CANDIDATE.fullmatch(value) is not None and not value.startswith("...")
            and not value.endswith(":") and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG)


def _value_text(value) -> str:
    # Strings are cached under themselves, other scalars under (type, value): bool is a
    # subclass of int, 1 == 1.0 == True and 0.0 == -0.0. Floats by repr.
    key: object
    if type(value) is str:
        key = value
    else:
        key = (float, repr(value)) if type(value) is float else (type(value), value)
    text = _values.get(key)
    if text is None:
        if type(value) is str and _plain_by_resolver(value):
            _values[key] = value
            return value
        text = _pyyaml([value])
        if not text.startswith("- ") or text.count("\n") != 1 or any(b in text for b in _BREAKS):
            text = ""  # position-dependent (multi-line): never cached as usable
        else:
            text = text[2:-1]
        _values[key] = text
    if not text:
        raise _Fallback
    return text


def _key_text(key) -> str:
    if type(key) is not str:
        raise _Fallback
    text = _keys.get(key)
    if text is None:
        dumped = _pyyaml({key: None})
        text = dumped[:-len(": null\n")] if dumped.endswith(": null\n") and dumped.count("\n") == 1 \
            and not dumped.startswith("? ") and not any(b in dumped for b in _BREAKS) else ""
        _keys[key] = text
    if not text:
        raise _Fallback
    return text


def _mapping(d: dict, indent: int, first: str | None, out: list[str]) -> None:
    # The hot loop of every render: cached texts looked up inline, the rest via the helpers.
    pad = " " * indent
    keys, values, append = _keys, _values, out.append
    for key, value in d.items():
        key_text = keys.get(key) if type(key) is str else None
        line = (first if first is not None else pad) + (key_text or _key_text(key)) + ":"
        first = None
        kind = type(value)
        if kind is str:
            text = values.get(value) or _value_text(value)
            append(line + " " + text + "\n")
        elif kind is dict and value:
            append(line + "\n")
            _mapping(value, indent + 2, None, out)
        elif kind is list and value:
            append(line + "\n")
            _sequence(value, indent, None, out)  # PyYAML's indentless block sequence
        else:
            append(line + " " + _scalar_or_empty(value) + "\n")


def _sequence(items: list, indent: int, first: str | None, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        dash = (first if first is not None else pad) + "- "
        first = None
        kind = type(item)
        if kind is dict and item:
            _mapping(item, indent + 2, dash, out)
        elif kind is list and item:
            _sequence(item, indent + 2, dash, out)
        else:
            out.append(dash + _scalar_or_empty(item) + "\n")


def _scalar_or_empty(value) -> str:
    kind = type(value)
    if kind is dict:
        return "{}"
    if kind is list:
        return "[]"
    if kind not in (str, int, float, bool, type(None)):
        raise _Fallback
    return _value_text(value)


def dump(obj) -> str:
    """``obj`` as a YAML document, byte-identical to PyYAML's C dumper with DUMP_OPTIONS."""
    if type(obj) is dict and obj:
        out: list[str] = []
        try:
            _mapping(obj, 0, None, out)
        except _Fallback:
            return _pyyaml(obj)
        return "".join(out)
    return _pyyaml(obj)
