"""What render and promote write and delete, against hostile specs and racing commands.

Every write stays inside the directory it is meant for (symlinks resolved);
a render and a promotion never interleave; recovery touches only what a
render provably made; the output is bounded by the output-bytes budget.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from generator.emit import tree
from tests.helpers import PROJECT, REPO, build_file_tree, edited, small_fleet, tree_bytes


def project(source_path: str, rendered_path: str) -> str:
    return PROJECT + f"      sourcePath: {source_path}\n      renderedPath: {rendered_path}\n"


def fleet_with(source_path: str, rendered_path: str) -> dict[str, str]:
    return {**small_fleet(), "project.yaml": project(source_path, rendered_path)}


def everything_below(root: Path) -> dict[str, bytes | str]:
    """Every entry below ``root``: file bytes, or what kind of entry it is."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        found[rel] = (f"-> {os.readlink(path)}" if path.is_symlink() else "dir" if path.is_dir()
                      else path.read_bytes())
    return found


def one_line(stderr: str) -> str:
    assert stderr.count("\n") == 1 and stderr.endswith("\n"), f"not one line: {stderr!r}"
    assert "Traceback" not in stderr
    return stderr


# --- (1) the output directory stays in the repository ------------------------------


def test_a_deep_source_path_cannot_carry_the_output_out_of_the_filesystem_root(tmp_path, run):
    escaped = f"tmp/h1-escaped-{uuid.uuid4().hex}"  # where the render on main wrote: /tmp/h1-escaped-...
    deep = "/".join("abcdefghijklmnopqrst")  # 20 folders
    source = build_file_tree(tmp_path / "attacker/environments", fleet_with(deep, escaped))
    before = everything_below(tmp_path)
    result = run("render", "--source", source)
    assert result.exit_code == 1
    assert "sourcePath" in one_line(result.stderr)
    assert not Path("/", escaped).exists()
    assert everything_below(tmp_path) == before


@pytest.fixture
def victim(tmp_path, run) -> Path:
    """Another project's rendered tree, with a file its owner added by hand."""
    source = build_file_tree(tmp_path / "victim/environments", small_fleet())
    assert run("render", "--source", source, "-q").exit_code == 0
    (tmp_path / "victim/rendered/NOTES.md").write_text("mine\n")
    return tmp_path / "victim/rendered"


@pytest.mark.parametrize("in_git", [False, True], ids=["outside-git", "in-a-git-work-tree"])
def test_a_rendered_path_cannot_reach_another_projects_tree(tmp_path, run, victim, in_git):
    # Two folders of sourcePath put the "repository root" at tmp_path, next to the victim.
    source = build_file_tree(tmp_path / "attacker/environments", fleet_with("deploy/environments",
                                                                            "victim/rendered"))
    if in_git:
        (tmp_path / "attacker/.git").mkdir()
    before = everything_below(tmp_path)
    for command in (["render"], ["render", "--check"], ["promote", "iris", "--to", "prod"]):
        result = run(*command, "--source", source)
        assert result.exit_code == 1, command
        assert "renderedPath" in one_line(result.stderr)
        assert everything_below(tmp_path) == before, command  # the victim's tree, and the attacker's specs


def test_a_symlink_on_the_rendered_path_cannot_lead_out_of_the_repository(tmp_path, run):
    repo = tmp_path / "repo"
    source = build_file_tree(repo / "environments", fleet_with("environments", "out/rendered"))
    (repo / ".git").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (repo / "out").symlink_to(tmp_path / "elsewhere")
    result = run("render", "--source", source)
    assert result.exit_code == 1
    one_line(result.stderr)
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_layout_that_climbs_inside_its_git_work_tree_still_renders(tmp_path, run):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    source = build_file_tree(repo / "deploy/specs", fleet_with("deploy/specs", "rendered"))
    result = run("render", "--source", source, "-q")
    assert result.exit_code == 0, result.stderr
    assert (repo / "rendered" / tree.MARKER_FILE).is_file()


# --- (9) one lock from the first spec read to the last file written ------------------


@pytest.fixture
def held_source_lock():
    """Hold a source tree's lock, as a running render or promote does; released on leaving."""
    fds = []

    def hold(source: Path) -> None:
        fd = os.open(source, os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_EX)
        fds.append(fd)

    def release() -> None:
        while fds:
            os.close(fds.pop())

    hold.release = release
    yield hold
    release()


def start(*args: str | Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", *map(str, args)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until_it_waits(proc: subprocess.Popen) -> None:
    """Returns once the command has said it waits for the lock: it has read no spec yet."""
    line = proc.stderr.readline()
    assert "waiting" in line, (line, proc.communicate())


def set_iris_version(source: Path, version: str) -> None:
    iris = source / "models/iris.yaml"
    iris.write_text(edited(iris.read_text(), 'version: "1.1.0"', f'version: "{version}"'))


def test_a_render_waits_for_the_lock_and_then_reads_the_specs_as_they_are(source, tmp_path, held_source_lock):
    out = tmp_path / "out"
    held_source_lock(source)
    proc = start("render", "--source", source, "--out", out)
    wait_until_it_waits(proc)
    set_iris_version(source, "7.7.7")  # what a promotion holding the lock does
    held_source_lock.release()
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    dev = (out / "workloads/dev/dev-1/iris/inferenceservice-iris.yaml").read_text()
    assert "s3://models/iris/7.7.7" in dev


def test_a_promotion_waits_for_the_lock_and_promotes_what_the_specs_say_then(source, tmp_path, run,
                                                                              held_source_lock):
    out = tmp_path / "rendered"
    assert run("render", "--source", source, "-q").exit_code == 0
    held_source_lock(source)
    proc = start("promote", "iris", "--to", "prod", "--source", source)
    wait_until_it_waits(proc)
    set_iris_version(source, "7.7.7")  # dev runs the model's version: now 7.7.7
    held_source_lock.release()
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert 'version: "7.7.7"' in (source / "envs/prod.yaml").read_text()
    prod = (out / "workloads/prod/prod-a/iris/inferenceservice-iris.yaml").read_text()
    assert "s3://models/iris/7.7.7" in prod
    assert run("render", "--check", "--source", source, "-q").exit_code == 0  # spec and output agree


def test_commands_that_write_nothing_share_the_lock(source, tmp_path):
    fd = os.open(source, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)  # another reader
        for args, code in ((["render", "--check", "-q"], 1), (["promote", "iris", "--to", "prod", "--dry-run"], 0)):
            done = subprocess.run([sys.executable, "-m", "generator", *args, "--source", str(source),
                                   "--out", str(tmp_path / "out")], cwd=REPO, capture_output=True, text=True,
                                  timeout=120)
            assert done.returncode == code, done.stderr
            assert "waiting" not in done.stderr
    finally:
        os.close(fd)


# --- (14) recovery touches only what a render provably made -------------------------


def test_directories_named_like_staging_are_not_a_renders_to_delete(source, tmp_path, run):
    out = tmp_path / "rendered"
    assert run("render", "--source", source, "-q").exit_code == 0
    others = {".rendered.new-mywork/keep.yaml": "mine\n", ".rendered.old-backup/keep.yaml": "mine too\n",
              f".rendered.new-{'0' * 16}/keep.yaml": "ours by name only\n"}
    build_file_tree(tmp_path, others)
    # A real staging directory, copied: the copy's token names another directory.
    made = tree._make_staging(out)
    shutil.copytree(made, tmp_path / f".rendered.new-{'1' * 16}")
    (tmp_path / f".rendered.new-{'1' * 16}/keep.yaml").write_text("a copy\n")
    set_iris_version(source, "1.2.0")
    assert run("render", "--source", source, "-q").exit_code == 0
    assert not made.exists()  # the render's own leftover: removed
    for rel, text in {**others, f".rendered.new-{'1' * 16}/keep.yaml": "a copy\n"}.items():
        assert (tmp_path / rel).read_text() == text


def test_a_missing_output_is_rendered_afresh_not_taken_from_a_backup(source, tmp_path, run):
    out = tmp_path / "rendered"
    assert run("render", "--source", source, "-q").exit_code == 0
    expected = tree_bytes(out)
    out.rename(tmp_path / ".rendered.old-backup")
    (tmp_path / ".rendered.old-backup/NOTES.md").write_text("kept\n")
    assert run("render", "--source", source, "-q").exit_code == 0
    assert tree_bytes(out) == expected
    assert (tmp_path / ".rendered.old-backup/NOTES.md").read_text() == "kept\n"


def test_a_render_killed_between_its_two_renames_gets_its_old_tree_back(source, tmp_path, run):
    out = tmp_path / "rendered"
    assert run("render", "--source", source, "-q").exit_code == 0
    before = tree_bytes(out)
    staging = tree._make_staging(out)
    out.rename(staging / tree.STAGING_OLD)  # as the two-rename fallback leaves it when killed
    assert run("render", "--check", "--source", source, "-q").exit_code == 1  # --check never recovers
    tree.finish_interrupted(out)
    assert tree_bytes(out) == before
    assert not staging.exists()


# --- the output-bytes budget ---------------------------------------------------------


@pytest.mark.parametrize("how", ["--limit", "environment"])
def test_output_over_the_budget_is_one_line_and_writes_nothing(source, tmp_path, run, monkeypatch, how):
    out = tmp_path / "rendered"
    assert run("render", "--source", source, "-q").exit_code == 0
    set_iris_version(source, "1.2.0")
    before = everything_below(tmp_path)
    if how == "environment":
        monkeypatch.setenv("GITOPS_GEN_LIMIT_OUTPUT_BYTES", "2Ki")
        limit = []
    else:
        limit = ["--limit", "output-bytes=2Ki"]
    for command in (["render"], ["promote", "iris", "--to", "prod"]):
        result = run(*limit, *command, "--source", source)
        assert result.exit_code == 1, command
        line = one_line(result.stderr)
        assert "output-bytes" in line and "--limit output-bytes=" in line
        assert everything_below(tmp_path) == before, command
    assert run("--limit", "output-bytes=1Mi", "render", "--source", source, "-q").exit_code == 0
    assert b"1.2.0" in (out / "workloads/dev/dev-1/iris/inferenceservice-iris.yaml").read_bytes()
