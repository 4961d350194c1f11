"""A YAML emitter for Kubernetes objects that writes exactly what PyYAML's C dumper writes, faster.

Generated objects are plain trees of dicts, lists, strings, numbers, booleans
and None, and the same strings (label keys, names, versions) recur thousands of
times. So we walk the tree in Python and ask PyYAML once per distinct scalar
how to write it (plain or quoted), caching the answer. Anything whose
rendering depends on its position in the document (multi-line strings, very
long keys) makes us hand the whole object to PyYAML instead, so the output is
always byte-identical to ``yaml.dump(obj, Dumper=CSafeDumper, **DUMP_OPTIONS)``.
"""
from __future__ import annotations

import yaml

DUMP_OPTIONS = dict(sort_keys=False, default_flow_style=False, allow_unicode=True, width=1 << 16)

# What YAML counts as a line break: a scalar written with one depends on its indentation.
_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
_values: dict = {}
_keys: dict[str, str | None] = {}


class _Fallback(Exception):
    """This object needs PyYAML's own emitter."""


def _pyyaml(obj) -> str:
    return yaml.dump(obj, Dumper=yaml.CSafeDumper, **DUMP_OPTIONS)


def _value_text(value) -> str:
    # bool is a subclass of int, 1 == 1.0 == True and 0.0 == -0.0: key by type, floats by repr.
    key = (float, repr(value)) if type(value) is float else (type(value), value)
    text = _values.get(key)
    if text is None:
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
    pad = " " * indent
    for key, value in d.items():
        line = (first if first is not None else pad) + _key_text(key) + ":"
        first = None
        kind = type(value)
        if kind is dict and value:
            out.append(line + "\n")
            _mapping(value, indent + 2, None, out)
        elif kind is list and value:
            out.append(line + "\n")
            _sequence(value, indent, None, out)  # PyYAML's indentless block sequence
        else:
            out.append(line + " " + _scalar_or_empty(value) + "\n")


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
