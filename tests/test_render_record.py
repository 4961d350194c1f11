"""render and render --check skip compiling when the render record says the tree is current; they stay exact.

The record (generator.emit.record) holds the inputs fingerprint and the digest of the
tree written. Every way the tree or its inputs can change must still be seen.
"""
from __future__ import annotations

import os
import subprocess
import time

import pytest

from generator.emit import reader, record, serialize, tree
from tests.helpers import build_file_tree, edited, small_fleet, tree_bytes

TEMPLATE = """\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ model }}
spec:
  maxUnavailable: 1
"""


@pytest.fixture
def compiling(monkeypatch):
    """Count compiles: the number of times render resolved the source tree."""
    from generator.commands import render as command

    calls = []
    real = command.resolve

    def counted(tree):
        calls.append(tree)
        return real(tree)

    monkeypatch.setattr(command, "resolve", counted)
    return calls


@pytest.fixture
def rendered(source, tmp_path, run, compiling):
    """The small fleet rendered once (compiled), and its output directory."""
    out = tmp_path / "out"
    result = run("render", "--source", source, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert len(compiling) == 1
    return out


def test_an_unchanged_tree_is_confirmed_without_compiling_and_left_alone(source, rendered, run, compiling):
    before = {p: p.stat().st_ino for p in rendered.rglob("*")}
    files = [p for p in before if p.is_file()]
    result = run("render", "--source", source, "--out", rendered, "--check")
    assert (result.exit_code, result.stdout) == (0, "")
    assert f"up to date ({len(files) - 1} files)" in result.stderr  # as when compiled: the marker not counted
    result = run("render", "--source", source, "--out", rendered)
    assert result.exit_code == 0
    objects = [p for p in files if p.name not in (reader.MARKER_FILE, "kustomization.yaml")]
    assert f"rendered 3 releases ({len(objects)} objects) into {rendered}: {len(files)} files, 0 written, " \
           "0 removed" in result.stderr
    assert len(compiling) == 1  # neither compiled again
    assert {p: p.stat().st_ino for p in rendered.rglob("*")} == before  # not one file or directory replaced


def test_a_spec_change_is_seen(source, rendered, run, compiling):
    prod = source / "envs/prod.yaml"
    prod.write_text(edited(prod.read_text(), 'version: "1.0.0"', 'version: "1.0.1"'))
    result = run("render", "--source", source, "--out", rendered, "--check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["stale: workloads/prod/prod-a/iris/inferenceservice-iris.yaml",
                                          "stale: workloads/prod/prod-b/iris/inferenceservice-iris.yaml"]
    assert len(compiling) == 2


def test_a_template_change_is_seen(tmp_path, run):
    files = {**small_fleet(), "templates/pdb.yaml.j2": TEMPLATE}
    files["models/iris.yaml"] += "      templates: [templates/pdb.yaml.j2]\n"
    source = build_file_tree(tmp_path / "src", files)
    out = tmp_path / "out"
    assert run("render", "--source", source, "--out", out).exit_code == 0
    assert run("render", "--source", source, "--out", out, "--check").exit_code == 0
    (source / "templates/pdb.yaml.j2").write_text(edited(TEMPLATE, "maxUnavailable: 1", "maxUnavailable: 2"))
    result = run("render", "--source", source, "--out", out, "--check")
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 3  # the PDB of each of the three releases
    assert all(line.startswith("stale: ") and "poddisruptionbudget-iris.yaml" in line
               for line in result.stdout.splitlines())


@pytest.mark.parametrize("change, expected", [
    ("edit", "stale: workloads/dev/dev-1/iris/inferenceservice-iris.yaml"),
    ("same-size edit", "stale: workloads/dev/dev-1/iris/inferenceservice-iris.yaml"),
    ("extra", "extra: workloads/dev/dev-1/iris/notes.yaml"),
    ("missing", "missing: workloads/dev/dev-1/iris/inferenceservice-iris.yaml"),
    ("marker", "stale: .gitops-gen-output"),
])
def test_every_change_to_the_tree_is_seen_and_undone_by_render(source, rendered, run, compiling, change, expected):
    good = tree_bytes(rendered)
    target = rendered / "workloads/dev/dev-1/iris/inferenceservice-iris.yaml"
    if change == "edit":
        target.write_text(edited(target.read_text(), "storageUri", "storageURI"))
    elif change == "same-size edit":
        target.write_bytes(edited(target.read_bytes(), b"iris", b"IRIS", 1))
    elif change == "extra":
        (target.parent / "notes.yaml").write_text("a: 1\n")
    elif change == "missing":
        target.unlink()
    else:
        (rendered / reader.MARKER_FILE).write_text(tree.MARKER_TEXT + "# mine\n")
    result = run("render", "--source", source, "--out", rendered, "--check")
    assert (result.exit_code, result.stdout.splitlines()) == (1, [expected])
    result = run("render", "--source", source, "--out", rendered)
    assert result.exit_code == 0
    assert tree_bytes(rendered) == good
    assert run("render", "--source", source, "--out", rendered, "--check").exit_code == 0


def test_another_compiler_compiles_again(source, rendered, run, compiling, monkeypatch):
    # An upgraded gitops-gen or dependency must never trust what an older one recorded.
    monkeypatch.setattr(record, "compiler_fingerprint", lambda: "another gitops-gen")
    assert run("render", "--source", source, "--out", rendered, "--check").exit_code == 0
    assert len(compiling) == 2


def test_the_record_is_kept_outside_the_tree_and_only_saves_time(source, tmp_path, run, render_records,
                                                                 monkeypatch, compiling):
    out = tmp_path / "out"
    run("render", "--source", source, "--out", out)
    assert [p.suffix for p in render_records.iterdir()] == [".json"]
    assert sorted(tree_bytes(out))[0] == reader.MARKER_FILE and tree.MARKER_TEXT.encode() in tree_bytes(out).values()
    # Without anywhere to keep records (no HOME, no XDG_CACHE_HOME): every command compiles, and works.
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.delenv("HOME", raising=False)
    assert run("render", "--source", source, "--out", out, "--check").exit_code == 0
    assert run("render", "--source", source, "--out", out).exit_code == 0
    assert len(compiling) == 3


def test_unchanged_files_are_shared_with_the_old_tree_changed_ones_written(source, rendered, run):
    inodes = {p.relative_to(rendered).as_posix(): p.stat().st_ino for p in rendered.rglob("*") if p.is_file()}
    (rendered / "workloads/dev/dev-1/iris/kustomization.yaml").chmod(0o755)  # a mode Git would record
    prod = source / "envs/prod.yaml"
    prod.write_text(edited(prod.read_text(), 'version: "1.0.0"', 'version: "1.0.1"'))
    result = run("render", "--source", source, "--out", rendered)
    assert "2 written, 0 removed" in result.stderr
    now = {p.relative_to(rendered).as_posix(): p.stat() for p in rendered.rglob("*") if p.is_file()}
    new = sorted(rel for rel, status in now.items() if status.st_ino != inodes[rel])
    assert new == ["workloads/dev/dev-1/iris/kustomization.yaml",
                   "workloads/prod/prod-a/iris/inferenceservice-iris.yaml",
                   "workloads/prod/prod-b/iris/inferenceservice-iris.yaml"]
    assert all(status.st_nlink == 1 for status in now.values())  # the old tree is gone
    assert {status.st_mode & 0o777 for status in now.values()} == {0o666 & ~_umask()}
    assert run("render", "--source", source, "--out", rendered, "--check").exit_code == 0


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_large_old_tree_is_deleted_in_the_background_where_git_does_not_see_it(source, tmp_path, run,
                                                                                 monkeypatch):
    monkeypatch.setattr(tree, "DETACHED_DELETE_FILES", 1)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    out = tmp_path / "out"
    run("render", "--source", source, "--out", out)
    prod = source / "envs/prod.yaml"
    prod.write_text(edited(prod.read_text(), 'version: "1.0.0"', 'version: "1.0.1"'))
    assert run("render", "--source", source, "--out", out).exit_code == 0
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=tmp_path,
                            capture_output=True, text=True, check=True).stdout
    assert ".out." not in status and "out/workloads/prod/prod-a/iris/inferenceservice-iris.yaml" in status
    deadline = time.monotonic() + 30
    while any(p.name.startswith(".out.") for p in tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".git", "out", "src"]
    assert run("render", "--source", source, "--out", out, "--check").exit_code == 0


def test_a_render_first_removes_old_trees_a_killed_render_left(source, rendered, run):
    for _ in range(2):
        build_file_tree(tree._make_staging(rendered), {"tree/workloads/x.yaml": "a: 1\n"})
    (rendered / "workloads/stray.yaml").write_text("a: 1\n")  # so that this render has work to do
    assert run("render", "--source", source, "--out", rendered).exit_code == 0
    assert sorted(p.name for p in rendered.parent.iterdir()) == ["out", "src"]


def test_a_file_linked_from_elsewhere_is_written_anew(source, rendered, run, tmp_path):
    # Sharing that inode would let the other name edit the rendered tree.
    target = rendered / "workloads/dev/dev-1/iris/inferenceservice-iris.yaml"
    os.link(target, tmp_path / "elsewhere.yaml")
    (rendered / "workloads/stray.yaml").write_text("a: 1\n")
    assert run("render", "--source", source, "--out", rendered).exit_code == 0
    assert target.stat().st_ino != (tmp_path / "elsewhere.yaml").stat().st_ino
    assert target.read_bytes() == (tmp_path / "elsewhere.yaml").read_bytes()


def test_symlinks_and_fifos_in_the_tree_are_replaced_by_files(source, rendered, run, tmp_path):
    target = rendered / "workloads/dev/dev-1/iris/inferenceservice-iris.yaml"
    good = target.read_bytes()
    (tmp_path / "copy.yaml").write_bytes(good)
    target.unlink()
    target.symlink_to(tmp_path / "copy.yaml")
    os.mkfifo(rendered / "workloads/fifo")
    result = run("render", "--source", source, "--out", rendered, "--check")
    assert result.stdout.splitlines() == ["stale: workloads/dev/dev-1/iris/inferenceservice-iris.yaml",
                                          "extra: workloads/fifo"]
    assert run("render", "--source", source, "--out", rendered).exit_code == 0
    assert not target.is_symlink() and target.read_bytes() == good
    assert not (rendered / "workloads/fifo").exists()


def test_records_of_two_output_directories_do_not_mix(source, tmp_path, run, compiling):
    one, two = tmp_path / "one", tmp_path / "two"
    run("render", "--source", source, "--out", one)
    run("render", "--source", source, "--out", two)
    (two / "workloads/dev/dev-1/iris/kustomization.yaml").write_text("edited\n")
    assert run("render", "--source", source, "--out", one, "--check").exit_code == 0
    assert run("render", "--source", source, "--out", two, "--check").exit_code == 1
    assert len(compiling) == 3  # two renders, then the check of the edited tree


def test_promote_records_what_it_rendered(source, rendered, run, compiling):
    result = run("promote", "iris", "--to", "prod", "--source", source, "--out", rendered)
    assert result.exit_code == 0, result.stderr
    assert "1.1.0" in (rendered / "workloads/prod/prod-a/iris/inferenceservice-iris.yaml").read_text()
    assert run("render", "--source", source, "--out", rendered, "--check").exit_code == 0
    assert len(compiling) == 1  # only the first render's: the check trusted promote's record


def _compiled(source):
    from generator.builders.files import build_fleet
    from generator.resolve.fleet import load_fleet

    return serialize.file_contents(build_fleet(load_fleet(source)))


def test_the_tree_read_while_compiling_gives_the_same_answers(source, rendered):
    contents = _compiled(source)
    (rendered / "workloads/dev/dev-1/iris/kustomization.yaml").write_text("edited\n")
    (rendered / "workloads/prod/prod-a/iris/inferenceservice-iris.yaml").unlink()
    (rendered / "workloads/extra.yaml").write_text("a: 1\n")
    os.symlink("kustomization.yaml", rendered / "workloads/dev/dev-1/iris/link.yaml")
    expected = tree.check_tree(contents, rendered)
    assert len(expected) == 4
    while_compiling = reader.TreeReader(rendered)
    assert while_compiling.pid is not None  # read by a child process
    assert tree.check_tree(contents, rendered, while_compiling) == expected
    assert reader.TreeReader(rendered.parent / "src").pid is None  # not a tree gitops-gen wrote: never read


def test_a_file_edited_while_compiling_is_written_not_shared(source, rendered):
    contents = _compiled(source)

    class ReadEarlier:  # what a TreeReader saw before the edit
        def __init__(self):
            self.snapshot = reader.snapshot(rendered)

        def result(self):
            return self.snapshot

    read_earlier = ReadEarlier()
    target = rendered / "workloads/dev/dev-1/iris/inferenceservice-iris.yaml"
    target.write_bytes(edited(target.read_bytes(), b"iris", b"IRIS", 1))  # same size, other bytes
    (rendered / "workloads/stray.yaml").write_text("a: 1\n")
    tree.render_tree(contents, rendered, reader=read_earlier)
    assert target.read_bytes() == contents["workloads/dev/dev-1/iris/inferenceservice-iris.yaml"]
