"""Read JSON into plain Python data while remembering the line of every field path.

``json.loads`` decides what the text means (escapes such as ``\\u00e9`` and
surrogate pairs, numbers, what is valid at all); then a small scanner walks the
same text, now known to be valid JSON, to record where each path starts, so
problems in a JSON file are located like those in YAML files (yamlpos). The
scanner also refuses what ``json`` would silently accept: duplicate keys (the
last would win) and NaN/Infinity, which JSON does not have.
"""
from __future__ import annotations

import bisect
import json
import re

from ..errors import GitopsGenError, dotted
from .yamlpos import MAX_DEPTH, YamlDocument

_SPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null")


def _match(pattern: re.Pattern[str], text: str, pos: int) -> re.Match[str]:
    """``pattern`` at ``pos``: the text parsed as JSON already, so what it matches is there."""
    found = pattern.match(text, pos)
    assert found is not None
    return found


def load_json(text: str, file: str) -> YamlDocument:
    """The data of a JSON document and the line of each of its field paths (``file`` names it in errors)."""
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise GitopsGenError.at(file, exc.lineno, "", f"not valid JSON: {exc.msg}") from None
    except ValueError as exc:  # from _no_constant
        raise GitopsGenError.at(file, 0, "", f"not valid JSON: {exc}") from None
    except RecursionError:
        raise GitopsGenError.at(file, 0, "", f"nested more than {MAX_DEPTH} levels deep; refusing") from None
    doc = YamlDocument(file=file, line=1, data=data)
    _Scanner(text, doc).scan()
    return doc


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


class _Scanner:
    def __init__(self, text: str, doc: YamlDocument):
        self.text, self.doc = text, doc
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def skip(self, pos: int) -> int:
        return _match(_SPACE, self.text, pos).end()

    def scan(self) -> None:
        self.value(0, ())

    def value(self, pos: int, path: tuple) -> int:
        """Record where the value at ``pos`` starts; return where it ends."""
        text = self.text
        pos = self.skip(pos)
        self.doc.lines.setdefault(path, self.line(pos))
        if len(path) > MAX_DEPTH:
            raise GitopsGenError.at(self.doc.file, self.line(pos), dotted(path[:1]),
                                    f"nested more than {MAX_DEPTH} levels deep; refusing")
        char = text[pos]
        if char == "{":
            seen: set[str] = set()
            pos = self.skip(pos + 1)
            if text[pos] == "}":
                return pos + 1
            while True:
                match = _match(_STRING, text, pos)
                key = json.loads(match.group())
                if key in seen:
                    raise GitopsGenError.at(self.doc.file, self.line(pos), dotted((*path, key)), "duplicate key")
                seen.add(key)
                self.doc.lines[(*path, key)] = self.line(pos)
                pos = self.skip(match.end()) + 1  # past ':'
                pos = self.skip(self.value(pos, (*path, key)))
                if text[pos] == "}":
                    return pos + 1
                pos = self.skip(pos + 1)  # past ','
        if char == "[":
            index = 0
            pos = self.skip(pos + 1)
            if text[pos] == "]":
                return pos + 1
            while True:
                pos = self.skip(self.value(pos, (*path, index)))
                index += 1
                if text[pos] == "]":
                    return pos + 1
                pos = self.skip(pos + 1)
        if char == '"':
            return _match(_STRING, text, pos).end()
        return _match(_SCALAR, text, pos).end()
