"""Emit: the output tree is replaced whole, checked exactly, and never half-written."""
from __future__ import annotations

import errno
import os
import random
import subprocess
import sys

import pytest

from generator.emit import serialize, tree
from generator.errors import GitopsGenError
from tests.helpers import REPO, build_file_tree, edited, small_fleet, tree_bytes


def test_render_writes_next_to_the_source_tree_by_default(source, run):
    result = run("render", "--source", source)
    assert result.exit_code == 0, result.stderr
    out = source.parent / "rendered"  # renderedPath relative to sourcePath
    assert (out / "workloads/prod/prod-b/iris/inferenceservice-iris.yaml").is_file()
    assert "rendered 3 releases" in result.stderr


def test_check_is_clean_after_render_and_stale_after_a_spec_change(source, tmp_path, run):
    out = tmp_path / "out"
    assert run("render", "--source", source, "--out", out).exit_code == 0
    result = run("render", "--source", source, "--out", out, "--check")
    assert (result.exit_code, result.stdout) == (0, "")

    before = tree_bytes(out)
    prod = source / "envs/prod.yaml"
    prod.write_text(edited(prod.read_text(), 'version: "1.0.0"', 'version: "1.0.1"'))
    result = run("render", "--source", source, "--out", out, "--check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "stale: workloads/prod/prod-a/iris/inferenceservice-iris.yaml",
        "stale: workloads/prod/prod-b/iris/inferenceservice-iris.yaml",
    ]
    assert tree_bytes(out) == before  # --check wrote nothing


def test_check_lists_missing_and_extra_files(source, tmp_path, run):
    out = tmp_path / "out"
    run("render", "--source", source, "--out", out)
    (out / "argocd/dev/appproject-dev.yaml").unlink()
    (out / "workloads/stray.yaml").write_text("kind: Stray\n")
    result = run("render", "--source", source, "--out", out, "--check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["missing: argocd/dev/appproject-dev.yaml", "extra: workloads/stray.yaml"]


def test_stray_files_are_removed_by_the_next_render(source, tmp_path, run):
    out = tmp_path / "out"
    run("render", "--source", source, "--out", out)
    (out / "workloads/stray.yaml").write_text("kind: Stray\n")
    (out / "old-env").mkdir()
    (out / "old-env/x.yaml").write_text("x: 1\n")
    result = run("render", "--source", source, "--out", out)
    assert result.exit_code == 0
    assert "2 removed" in result.stderr
    assert not (out / "workloads/stray.yaml").exists() and not (out / "old-env").exists()
    assert run("render", "--source", source, "--out", out, "--check").exit_code == 0


def test_a_failed_render_leaves_the_existing_tree_untouched(source, tmp_path, run):
    out = tmp_path / "out"
    run("render", "--source", source, "--out", out)
    before = tree_bytes(out)
    (source / "models/iris.yaml").write_text((source / "models/iris.yaml").read_text() + "  bogus: 1\n")
    result = run("render", "--source", source, "--out", out)
    assert result.exit_code == 1
    assert result.stderr.strip() == "models/iris.yaml:12: spec.bogus: unknown field"
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]  # no staging left behind


def test_a_crash_while_writing_leaves_the_old_tree(source, tmp_path, monkeypatch):
    from generator.builders.files import build_fleet
    from generator.resolve.fleet import load_fleet

    out = tmp_path / "out"
    contents = serialize.file_contents(build_fleet(load_fleet(source)))
    tree.render_tree(contents, out)
    before = tree_bytes(out)
    real_open = open
    calls = {"n": 0}

    def failing_open(path, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", failing_open)
    changed = {k: v + b"# changed\n" for k, v in contents.items()}
    with pytest.raises(GitopsGenError, match=r"out: cannot write the output tree: No space left on device"):
        tree.render_tree(changed, out)
    monkeypatch.undo()
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]


def test_an_interrupted_swap_is_recovered(source, tmp_path):
    out = tmp_path / "out"
    tree.render_tree({"a.yaml": b"a: 1\n"}, out)
    staging = tree._make_staging(out)
    os.rename(out, staging / tree.STAGING_OLD)  # as if killed between the two renames
    tree.finish_interrupted(out)
    assert tree_bytes(out) == {".gitops-gen-output": tree.MARKER_TEXT.encode(), "a.yaml": b"a: 1\n"}
    tree.render_tree({"b.yaml": b"b: 1\n"}, out)
    assert tree_bytes(out) == {".gitops-gen-output": tree.MARKER_TEXT.encode(), "b.yaml": b"b: 1\n"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_refuses_to_replace_a_directory_it_did_not_write(source, tmp_path, run):
    precious = tmp_path / "precious"
    build_file_tree(precious, {"notes.txt": "mine"})
    result = run("render", "--source", source, "--out", precious)
    assert result.exit_code == 1
    assert "was not written by gitops-gen" in result.stderr
    assert (precious / "notes.txt").read_text() == "mine"
    result = run("render", "--source", source, "--out", source.parent)
    assert result.exit_code == 1 and "would contain the source tree" in result.stderr


def test_output_is_deterministic_whatever_the_file_order_and_hash_seed(tmp_path):
    """Same specs under other file names/orders, rendered in other processes with other hash seeds."""
    files = small_fleet()
    first = build_file_tree(tmp_path / "a" / "src", files)
    names = list(files)
    random.Random(7).shuffle(names)
    # Same documents, different files and order on disk: content is what counts.
    second = build_file_tree(tmp_path / "b" / "src", {f"z{i}/{n.replace('/', '-')}": files[n]
                                                      for i, n in enumerate(names)})
    outs = []
    for seed, src in (("1", first), ("4242", second)):
        out = src.parent / "out"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "generator", "render", "--source", src, "--out", out],
                       check=True, env=env, cwd=REPO, capture_output=True)
        outs.append(tree_bytes(out))
    # The source annotation names files, which differ here by design; the rest is byte-identical.
    strip = [{k: b"\n".join(line for line in v.splitlines() if b"gitops-gen.io/source" not in line) for k, v in o.items()}
             for o in outs]
    assert strip[0] == strip[1]
    assert len(outs[0]) > 10


def test_dump_keeps_builder_key_order_and_quotes_ambiguous_strings():
    text = serialize.dump({"kind": "X", "apiVersion": "v1", "data": {"b": "yes", "a": "1.10", "c": "on", "d": "0x1F"}})
    assert text == "kind: X\napiVersion: v1\ndata:\n  b: 'yes'\n  a: '1.10'\n  c: 'on'\n  d: '0x1F'\n"


def test_staging_trees_left_by_a_killed_render_are_removed_and_nothing_else(source, tmp_path, run):
    out = tmp_path / "out"
    assert run("render", "--source", source, "--out", out).exit_code == 0
    killed_while_writing, killed_after_the_swap = tree._make_staging(out), tree._make_staging(out)
    build_file_tree(killed_while_writing, {"tree/workloads/x.yaml": "half: written\n"})
    build_file_tree(killed_after_the_swap, {"tree/x.yaml": "the old tree\n"})
    # Named like ours, but not made by a render: someone else's (see tests/test_hardening_paths.py).
    build_file_tree(tmp_path, {".out.new-k1l2/workloads/x.yaml": "half: written\n",
                               ".out.old-4242/x.yaml": "old: tree\n",
                               ".outside.new-1/keep.yaml": "not ours\n",              # another directory's prefix
                               "notes.txt": "mine\n"})
    assert run("render", "--source", source, "--out", out).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.new-k1l2", ".out.old-4242", ".outside.new-1",
                                                          "notes.txt", "out", "src"]


def test_disk_full_while_writing_is_one_line_and_keeps_the_old_tree(source, tmp_path, run, monkeypatch):
    out = tmp_path / "out"
    run("render", "--source", source, "--out", out)
    before = tree_bytes(out)
    (source / "models/iris.yaml").write_text(edited((source / "models/iris.yaml").read_text(), "1.1.0", "1.2.0"))
    written = []

    def fill_the_disk(path, *args, **kwargs):
        written.append(path)
        if len(written) >= 1:  # the changed file (unchanged ones are linked, not written)
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(tree, "open", fill_the_disk, raising=False)  # the tree writer's own writes only
    result = run("render", "--source", source, "--out", out)
    assert result.exit_code == 1
    assert result.stderr == (f"gitops-gen: {out}: cannot write the output tree: {written[-1]}: "
                             "No space left on device\n")
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]


def test_an_output_path_below_a_file_is_one_line(source, tmp_path, run):
    (tmp_path / "afile").write_text("x")
    result = run("render", "--source", source, "--out", tmp_path / "afile" / "out")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"gitops-gen: {tmp_path / 'afile' / 'out'}: cannot write the output tree: ")
    assert len(result.stderr.splitlines()) == 1


def test_refuses_an_output_symlink_and_an_output_inside_the_source_tree(source, tmp_path, run):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").symlink_to(elsewhere)
    result = run("render", "--source", source, "--out", tmp_path / "out")
    assert (result.exit_code, result.stderr) == (
        1, f"gitops-gen: {tmp_path / 'out'}: is a symlink; refusing to replace it (point --out at a real directory)\n")
    assert list(elsewhere.iterdir()) == []

    inside = source / "rendered"
    result = run("render", "--source", source, "--out", inside)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"gitops-gen: {inside}: the output directory is inside the source tree")
    assert not inside.exists()


@pytest.mark.parametrize("rel", ["../escape.yaml", "/tmp/escape.yaml", "a/../../escape.yaml", "a//b.yaml", "./a.yaml"])
def test_paths_that_could_leave_the_output_tree_are_never_written(tmp_path, rel):
    out = tmp_path / "deep" / "out"
    with pytest.raises(ValueError, match="not a plain path inside the output tree"):
        tree.render_tree({"ok.yaml": b"a: 1\n", rel: b"escaped: true\n"}, out)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
