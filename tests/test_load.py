"""Load: YAML with positions, and one located line per problem."""
from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from generator.errors import GitopsGenError
from generator.load.source import load_tree
from generator.load.yamlpos import load_documents
from tests.helpers import build_file_tree, edited, small_fleet


def problems_of(tmp_path, **changes) -> list[str]:
    files = small_fleet()
    files.update(changes)
    build_file_tree(tmp_path / "src", {k: v for k, v in files.items() if v is not None})
    with pytest.raises(GitopsGenError) as info:
        load_tree(tmp_path / "src")
    return [str(p) for p in info.value.problems]


def test_positions_are_recorded_for_every_field():
    [doc] = load_documents("a: 1\nb:\n  - x: [1, 2]\n", "f.yaml")
    assert doc.data == {"a": 1, "b": [{"x": [1, 2]}]}
    assert doc.line_of(("b", 0, "x")) == 3
    assert doc.line_of(("b", 0, "missing", "deeper")) == 3  # deepest existing prefix


def test_timestamps_stay_text_and_empty_documents_are_skipped():
    docs = load_documents("---\n# only a comment\n---\nv: 2024-05-01\n", "f.yaml")
    assert [d.data for d in docs] == [{"v": "2024-05-01"}]


def test_the_same_text_is_typed_by_how_it_is_written_each_time_it_is_read():
    # Tags are remembered per text (yamlpos._Loader): quoted, tagged and long texts must not share them.
    text = 'a: yes\nb: "yes"\nc: !!str 10\nd: 10\ne: ~\nf: "~"\ng: 1e3\nh: "%s"\ni: %s\n' % ("1" * 80, "1" * 80)
    expected = {"a": True, "b": "yes", "c": "10", "d": 10, "e": None, "f": "~", "g": "1e3", "h": "1" * 80,
                "i": int("1" * 80)}
    for _ in range(2):
        [doc] = load_documents(text, "f.yaml")
        assert doc.data == expected


def test_merge_keys_are_supported():
    [doc] = load_documents("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n", "f.yaml")
    assert doc.data["other"] == {"x": 1, "y": 3}


@pytest.mark.parametrize("text, expected", [
    ("a: 1\na: 2\n", "f.yaml:2: a: duplicate key"),
    ("a:\n\t- b\n", "f.yaml:2: YAML syntax error"),
    ("a: [1\n", "f.yaml:2: YAML syntax error"),
    ("a: &a [*a]\n", "f.yaml:1: a[0]: recursive YAML alias"),
    # Aliases nest without nesting in the text: each line one level deeper than the last.
    ("a0: &a0 [1]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 200)),
     "f.yaml:1: a99: nested more than 100 levels deep; refusing"),
    ("a0: &a0 {x: 1}\n" + "".join(f"a{i}: &a{i} {{<<: *a{i - 1}}}\n" for i in range(1, 200)),
     "f.yaml:1: a99: nested more than 100 levels deep; refusing"),
])
def test_yaml_problems_name_file_and_line(text, expected):
    with pytest.raises(GitopsGenError) as info:
        load_documents(text, "f.yaml")
    assert str(info.value).startswith(expected)


def test_deep_nesting_written_over_many_lines_is_refused_before_it_is_composed():
    # One level per line, each line with a quoted string, deeper than libyaml's composer survives (it recurses
    # in C): no line closes what it opens, so the pre-check counts every opener and scans before composing.
    text = "a: " + '["x",\n' * 40000 + "]" * 40000 + "\n"
    with pytest.raises(GitopsGenError) as info:
        load_documents(text, "f.yaml")
    # Refused by us or, in newer libyaml, by its parser itself: either way one located line.
    [problem] = info.value.problems
    assert str(problem).startswith("f.yaml:") and "nest" in str(problem)


def test_a_long_environment_of_one_line_mappings_loads():
    # Each line closes what it opens: thousands of them are as shallow as one (and skip the slow depth scan).
    text = "models:\n" + "".join(f"  m{i}: {{replicas: {{min: 1, max: 3}}}}\n" for i in range(3000))
    [doc] = load_documents(text, "env.yaml")
    assert doc.data["models"]["m2999"] == {"replicas": {"min": 1, "max": 3}}
    assert doc.lines[("models", "m2999", "replicas", "max")] == 3001


def test_alias_bomb_is_refused():
    lines = ["a: &a [1,1,1,1,1,1,1,1,1,1]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(GitopsGenError, match="alias"):
        load_documents("\n".join(lines) + "\n", "bomb.yaml")


def test_unknown_field_names_file_line_and_path_with_a_hint(tmp_path):
    prod = edited(small_fleet()["envs/prod.yaml"], "          wave: 1", "          wave: 1\n          waev: 2")
    assert problems_of(tmp_path, **{"envs/prod.yaml": prod}) == [
        "envs/prod.yaml:14: spec.clusters[1].waev: unknown field (did you mean 'wave'?)"]


@pytest.mark.parametrize("change, expected", [
    ({"models/iris.yaml": "apiVersion: v1\nkind: Model\n"},
     "models/iris.yaml:1: apiVersion: is 'v1'; every document here must have apiVersion: gitops-gen.io/v1alpha1"),
    ({"models/iris.yaml": "apiVersion: gitops-gen.io/v1alpha1\nkind: Modle\n"},
     "models/iris.yaml:2: kind: 'Modle' is not one of Project, Environment, Model"),
    ({"models/iris.yaml": "- a list\n"}, "models/iris.yaml:1: a spec document must be a mapping"),
    ({"envs/dev.yaml": edited(small_fleet()["envs/dev.yaml"], "name: dev-1", "name: Dev_1")},
     "envs/dev.yaml:7: spec.clusters[0].name: 'Dev_1' is not a DNS-1123 label"),
    ({"envs/dev.yaml": edited(small_fleet()["envs/dev.yaml"], "iris: {}", "tulip: {}")},
     "envs/dev.yaml:9: spec.models.tulip: model 'tulip' has no Model document"),
    ({"envs/dev.yaml": edited(small_fleet()["envs/dev.yaml"], "- name: dev-1", "- name: dev-1\n          server: http://x")},
     "envs/dev.yaml:8: spec.clusters[0].server: 'http://x' is not an https:// URL"),
    ({"envs/qa.yaml": "apiVersion: gitops-gen.io/v1alpha1\nkind: Environment\nmetadata: {name: qa}\nspec: null\n"},
     "envs/qa.yaml:4: spec: must be a mapping, not empty (null)"),
    ({"envs/qa.yaml": "apiVersion: gitops-gen.io/v1alpha1\nkind: Environment\nmetadata: {}\n"
                     "spec: {namespace: qa, clusters: [{name: c}], models: {}}\n"},
     "envs/qa.yaml:3: metadata.name: required field is missing"),
])
def test_bad_documents(tmp_path, change, expected):
    problems = problems_of(tmp_path, **change)
    assert len(problems) == 1
    assert problems[0].startswith(expected)


def test_missing_project(tmp_path):
    [problem] = problems_of(tmp_path, **{"project.yaml": None})
    assert problem.endswith("src: no Project document found (exactly one is required)")


def test_second_project_and_duplicate_environment(tmp_path):
    problems = problems_of(tmp_path, **{
        "more/project2.yaml": small_fleet()["project.yaml"],
        "more/dev-again.yaml": small_fleet()["envs/dev.yaml"],
    })
    assert problems == [
        "more/dev-again.yaml:3: metadata.name: Environment 'dev' is already defined in envs/dev.yaml:1",
        "project.yaml:2: kind: a second Project; there must be exactly one (the first is in more/project2.yaml:1)",
    ]


def test_promotion_must_name_existing_environments(tmp_path):
    project = edited(small_fleet()["project.yaml"], "[dev, prod]", "[dev, qa, prod]")
    assert problems_of(tmp_path, **{"project.yaml": project}) == [
        "project.yaml:7: spec.promotion[1]: environment 'qa' is not defined"]


def test_non_utf8_file(tmp_path):
    build_file_tree(tmp_path / "src", small_fleet())
    (tmp_path / "src" / "models" / "bad.yaml").write_bytes(b"a: 1\nb: \xff\n")
    with pytest.raises(GitopsGenError, match=r"models/bad.yaml:2: not valid UTF-8"):
        load_tree(tmp_path / "src")


def test_templates_and_components_folders_and_hidden_files_are_not_specs(tmp_path):
    build_file_tree(tmp_path / "src", {**small_fleet(),
                                       "templates/pdb.yaml": "{{ not yaml",
                                       "components/x.yml": "not: [a spec",
                                       ".hidden/x.yaml": "junk: ["})
    tree = load_tree(tmp_path / "src")
    assert sorted(tree.environments) == ["dev", "prod"]


def test_symlink_leaving_the_tree_is_refused(tmp_path):
    build_file_tree(tmp_path / "src", small_fleet())
    (tmp_path / "outside.yaml").write_text("a: 1\n")
    (tmp_path / "src" / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    with pytest.raises(GitopsGenError, match="link.yaml: is a symlink that points outside the source tree"):
        load_tree(tmp_path / "src")


def test_an_unreadable_folder_is_an_error_not_silently_skipped(tmp_path, monkeypatch):
    build_file_tree(tmp_path / "src", small_fleet())
    real_scandir = os.scandir

    def scandir(path="."):  # what a folder without read permission does (root reads everything)
        if Path(path) == tmp_path / "src" / "models":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(GitopsGenError) as info:
        load_tree(tmp_path / "src")
    assert str(info.value) == "models: cannot read this folder: Permission denied"
