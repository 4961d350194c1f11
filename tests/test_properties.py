"""Property-based: whatever is done to valid specs, the CLI succeeds or fails cleanly with located lines.

Never a traceback, never an internal error (exit 3); on success every emitted object
validates against its upstream schema.
"""
from __future__ import annotations

import contextlib
import re
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import cli
from tests.helpers import build_file_tree, small_fleet

FILES = small_fleet()
DOCUMENTS = {rel: yaml.safe_load(textwrap.dedent(text)) for rel, text in FILES.items()}
# Where a problem may be reported: a spec file (with its line when known), or the tree as a whole.
LOCATED = re.compile(r"^(?P<file>[\w./-]+\.yaml)(:\d+)?: \S")
TREE_LEVEL = re.compile(r"^\S+/src: no Project document found")

JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-(10 ** 6), 10 ** 6), st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["", "..", "../..", "/etc", "{{", "{{ version }}", "{{ nope }}", "{% for %}", "1e400", "0x1F",
                     "~", "yes", "\t", "a b", "Upper_Case", "s3://x/{{ model }}", "https://x", "4Gi", "-1"]),
)
VALUES = st.recursive(JUNK, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.one_of(st.text(max_size=8), st.sampled_from(["version", "replicas", "min", "spec"])),
                    inner, max_size=3)), max_leaves=6)


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into a document, the root included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += paths(item, (*prefix, i))
    return found


def get(doc: Any, path: tuple) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def mutate(data: st.DataObject, doc: Any) -> Any:
    """Delete a key, replace a value with one of another type, or insert a junk key, somewhere in ``doc``."""
    path = data.draw(st.sampled_from(paths(doc)))
    action = data.draw(st.sampled_from(["delete", "replace", "insert"]))
    if not path:
        return data.draw(VALUES) if action == "replace" else doc
    parent, last = get(doc, path[:-1]), path[-1]
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = data.draw(VALUES)
    elif isinstance(get(doc, path), dict):
        key = data.draw(st.one_of(st.text(min_size=1, max_size=10), st.sampled_from(
            ["version", "replica", "storageURI", "overrides", "apiVersion", "kind", "name", "<<"])))
        get(doc, path)[key] = data.draw(VALUES)
    return doc


def render(files: dict[str, str]) -> tuple[int, str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        src = build_file_tree(Path(tmp) / "src", files)
        with contextlib.chdir(src):  # messages name files from here: as written in `files`
            result = CliRunner().invoke(cli, ["render", "--source", str(src), "--out", str(Path(tmp) / "out")])
        # Nothing written beside the output tree, and no output tree at all after a failure.
        assert sorted(p.name for p in Path(tmp).iterdir()) == (["out", "src"] if result.exit_code == 0 else ["src"])
        if result.exit_code == 0:
            validated = CliRunner().invoke(cli, ["validate", "--source", str(src)])
            assert validated.exit_code == 0, validated.stdout + validated.stderr
        return result.exit_code, result.stderr, f"{result.exception!r}" if result.exception else ""


def assert_clean(code: int, stderr: str, exception: str, files: dict[str, str]) -> None:
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert code in (0, 1), (code, stderr, exception)
    if code == 1:
        lines = stderr.splitlines()
        assert lines, "a failure must say why"
        for line in lines:
            if line.startswith("gitops-gen: ... and "):
                continue
            match = LOCATED.match(line)
            assert match or TREE_LEVEL.match(line), line
            if match:
                assert match["file"] in files, line


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_specs_succeed_or_fail_with_located_lines(data):
    documents = {rel: yaml.safe_load(yaml.safe_dump(doc)) for rel, doc in DOCUMENTS.items()}  # deep copies
    for _ in range(data.draw(st.integers(1, 3))):
        rel = data.draw(st.sampled_from(sorted(documents)))
        documents[rel] = mutate(data, documents[rel])
    files = {rel: yaml.safe_dump(doc, sort_keys=False) for rel, doc in documents.items()}
    assert_clean(*render(files), files)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mangled_spec_text_fails_with_located_lines(data):
    """Edits to the text itself: lines dropped, doubled or cut, tabs and stray characters typed in."""
    files = {rel: textwrap.dedent(text) for rel, text in FILES.items()}
    for _ in range(data.draw(st.integers(1, 3))):
        rel = data.draw(st.sampled_from(sorted(files)))
        lines = files[rel].splitlines(keepends=True)
        i = data.draw(st.integers(0, len(lines) - 1))
        edit = data.draw(st.sampled_from(["drop", "double", "cut", "indent", "type"]))
        if edit == "drop":
            del lines[i]
        elif edit == "double":
            lines.insert(i, lines[i])
        elif edit == "cut":
            lines[i] = lines[i][: data.draw(st.integers(0, len(lines[i])))] + "\n"
        elif edit == "indent":
            lines[i] = data.draw(st.sampled_from(["\t", " ", "  ", "- "])) + lines[i]
        else:
            at = data.draw(st.integers(0, len(lines[i])))
            typed = data.draw(st.text(alphabet=st.sampled_from(list(":-{}[]&*!|>'\"%@`#,?~\t\\ aZ0é\x00\x1b")),
                                      min_size=1, max_size=3))
            lines[i] = lines[i][:at] + typed + lines[i][at:]
        files[rel] = "".join(lines)
    assert_clean(*render(files), files)
