"""Pinning a version in a user's Environment file: one line changes, nothing else moves."""
from __future__ import annotations

import os
import stat

import pytest

from generator.atomicfile import write_atomically
from generator.commands.promote_edit import set_model_version
from generator.errors import GitopsGenError
from tests.helpers import EXAMPLE, edited

HEADER = "apiVersion: gitops-gen.io/v1alpha1\nkind: Environment\n"


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """(lines only in old, lines only in new), in order: what a reviewer sees in the diff."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    return [line for line in old_lines if line not in new_lines], [line for line in new_lines if line not in old_lines]


def test_example_prod_changes_only_the_version_line_and_keeps_every_comment():
    text = (EXAMPLE / "environments/prod.yaml").read_text()
    edit = set_model_version(text, "environments/prod.yaml", "prod", "fraud-detector", "1.5.0")
    assert edit.previous == "1.4.2"
    assert edit.new_text == edited(text, 'version: "1.4.2"', 'version: "1.5.0"')  # the only 1.4.2 in the file
    assert [line for line in edit.new_text.splitlines() if line.lstrip().startswith("#")] == \
        [line for line in text.splitlines() if line.lstrip().startswith("#")]


@pytest.mark.parametrize("before, after", [
    # quoting style kept; a plain scalar that would read back as a number gets quoted
    ("      version: '1.0'  # pinned after the incident", "      version: '2.10' # pinned after the incident"),
    ('      version: "1.0"', '      version: "2.10"'),
    ("      version: v1.0", "      version: '2.10'"),
])
def test_quoting_style_and_end_of_line_comments_survive(before, after):
    text = HEADER + "metadata: {name: dev}\nspec:\n  namespace: ml\n  clusters:\n    - name: c\n" \
                    "  models:\n    iris:\n" + before + "\n      replicas: {min: 1}\n"
    edit = set_model_version(text, "dev.yaml", "dev", "iris", "2.10")
    # ruamel keeps a trailing comment in its column, so a longer value eats one space of the gap.
    assert changed_lines(text, edit.new_text) == ([before], [after])


def test_flow_and_empty_entries_get_a_version_in_their_own_style():
    text = HEADER + "metadata: {name: dev}\nspec:\n  namespace: ml\n  clusters: [{name: c}]\n  models:\n" \
                    "    a: {}\n    b: {replicas: {min: 2}}\n    c:\n    d: {version: '1'}\n"
    a = set_model_version(text, "dev.yaml", "dev", "a", "1.5.0").new_text
    assert changed_lines(text, a) == (["    a: {}"], ['    a: {version: "1.5.0"}'])
    # ruamel alone would rewrite this line as `[name: c]`; only the version's line is taken from its output.
    assert "  clusters: [{name: c}]\n" in a
    b = set_model_version(text, "dev.yaml", "dev", "b", "1.5.0").new_text
    assert changed_lines(text, b) == (["    b: {replicas: {min: 2}}"],
                                      ['    b: {version: "1.5.0", replicas: {min: 2}}'])
    c = set_model_version(text, "dev.yaml", "dev", "c", "1.5.0").new_text
    assert changed_lines(text, c) == ([], ['      version: "1.5.0"'])
    assert c.index("    c:\n") < c.index('      version: "1.5.0"') < c.index("    d:")


def test_a_model_new_to_the_environment_is_added_and_other_documents_are_untouched():
    text = ("# one file, two documents\n" + HEADER + "metadata:\n  name: other\nspec:\n  namespace: x\n"
            "  clusters:\n  - name: c\n  models:\n    iris: {}\n---\n" + HEADER +
            "metadata:\n  name: prod\nspec:\n  namespace: ml\n  clusters:\n  - name: c\n  models:\n"
            "    iris:\n      version: \"1\"\n    # comment after the last entry\n")
    edit = set_model_version(text, "envs.yaml", "prod", "newcomer", "0.1.0")
    assert edit.previous is None
    assert changed_lines(text, edit.new_text) == ([], ["    newcomer:", '      version: "0.1.0"'])
    assert edit.new_text.startswith(text.rsplit("\n    # comment after", 1)[0])


def test_four_space_indentation_and_document_markers_are_kept():
    text = ("---\n" + HEADER + "metadata:\n    name: dev\nspec:\n    namespace: ml\n    clusters:\n"
            "        -   name: c\n    models:\n        iris:\n            version: \"1\"\n")
    edit = set_model_version(text, "dev.yaml", "dev", "iris", "2")
    assert edit.new_text == edited(text, '"1"', '"2"')


def test_a_layout_that_cannot_round_trip_is_refused_not_reformatted():
    # Mixed indentation (2 here, 4 there): no single setting reproduces it.
    text = HEADER + "metadata:\n  name: dev\nspec:\n    namespace: ml\n    clusters:\n    - name: c\n" \
                    "    models:\n      iris:\n          version: \"1\"\n"
    with pytest.raises(GitopsGenError, match="dev.yaml: .*set the version by hand"):
        set_model_version(text, "dev.yaml", "dev", "iris", "2")


def test_an_entry_shared_through_an_anchor_is_refused():
    text = HEADER + "metadata: {name: dev}\nspec:\n  namespace: ml\n  clusters:\n  - name: c\n  models:\n" \
                    "    a: &same\n      version: \"1\"\n    b: *same\n"
    with pytest.raises(GitopsGenError, match="anchor"):
        set_model_version(text, "dev.yaml", "dev", "a", "2")


def test_write_atomically_replaces_the_file_and_keeps_its_mode(tmp_path):
    path = tmp_path / "prod.yaml"
    path.write_text("old\n")
    os.chmod(path, 0o640)
    write_atomically(path, b"new\n")
    assert path.read_text() == "new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prod.yaml"]  # no temp file left behind
