"""Comparing error lines with what a user relies on, not with a dependency's wording.

An expected line is exact, except that ``…`` stands for any text: use it
where the words come from PyYAML/libyaml, pydantic, Jinja2, jsonschema, gojsonnet
or the OS, whose newest versions (what pip resolves in CI) may phrase things
differently. What stays exact is ours: the file, the line, the field path, our
own wording and hints around the dependency's words.
"""
from __future__ import annotations

import re

ANY = "…"


def line_matches(expected: str, actual: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in expected.split(ANY))
    return re.fullmatch(pattern, actual, re.DOTALL) is not None


def assert_lines(text: str, expected: list[str], context: object = "") -> None:
    """``text`` is exactly ``len(expected)`` lines, each matching its expected line."""
    lines = text.splitlines()
    if len(lines) != len(expected) or not all(map(line_matches, expected, lines)):
        assert lines == expected, context  # pytest shows the difference line by line

