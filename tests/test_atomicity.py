"""kill -9 at any moment of a render, and renders racing each other, never leave a mixed or partial tree."""
from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.builders.files import build_fleet
from generator.emit import reader, serialize, tree
from generator.resolve.fleet import load_fleet
from tests.helpers import BOTH_ENGINES_WARNINGS, build_file_tree, edited, tree_bytes

MODELS = 100  # x 3 clusters = 300 releases, about 1500 files


def large_fleet(version: str) -> dict[str, str]:
    """One environment with three clusters running MODELS models, half KServe, half Deployment."""
    files = {
        "project.yaml": """\
            apiVersion: gitops-gen.io/v1alpha1
            kind: Project
            metadata: {name: big}
            spec: {repoURL: "https://git.example.com/big.git", engines: [argocd, flux]}
            """,
        "envs/prod.yaml": "\n".join([
            "apiVersion: gitops-gen.io/v1alpha1",
            "kind: Environment",
            "metadata: {name: prod}",
            "spec:",
            "  namespace: ml",
            "  clusters: [{name: a}, {name: b, server: 'https://b.example.com'}, {name: c, server: 'https://c.example.com'}]",
            "  models:",
            *(f"    m{i:03d}: {{}}" for i in range(MODELS)),
        ]) + "\n",
    }
    for i in range(MODELS):
        serving = ("format: sklearn\n  storageUri: s3://models/m{i}/{{{{ version }}}}" if i % 2 else
                   "format: custom\n  serving: deployment\n  image: ghcr.io/acme/m{i}:{{{{ version }}}}\n"
                   "  replicas: {{min: 1, max: 3}}").format(i=i)
        files[f"models/m{i:03d}.yaml"] = (f"apiVersion: gitops-gen.io/v1alpha1\nkind: Model\nmetadata: {{name: m{i:03d}}}\n"
                                          f"spec:\n  version: \"{version}\"\n  {serving}\n")
    return files


def contents_of(source: Path) -> dict[str, bytes]:
    return serialize.file_contents(build_fleet(load_fleet(source)))


def with_marker(contents: dict[str, bytes]) -> dict[str, bytes]:
    return {**contents, reader.MARKER_FILE: tree.MARKER_TEXT.encode()}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def start_render(source: Path, out: Path) -> subprocess.Popen:
    # From inside the source tree: its messages name files as the tests write them.
    return subprocess.Popen([sys.executable, "-m", "generator", "render", "-q", "--source", source, "--out", out],
                            cwd=source, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(proc: subprocess.Popen, condition, timeout: float = 60) -> bool:
    """Poll ``condition`` until it holds (True) or the render ends first (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.002)
    raise AssertionError("render neither finished nor reached the awaited point")


@pytest.fixture(scope="module")
def fleets(tmp_path_factory):
    """Two versions of a large fleet and the exact bytes each renders to."""
    root = tmp_path_factory.mktemp("fleets")
    old_source = build_file_tree(root / "old", large_fleet("1.0.0"))
    new_source = build_file_tree(root / "new", large_fleet("2.0.0"))
    old = contents_of(old_source)
    started = time.monotonic()
    new = contents_of(new_source)
    build_seconds = time.monotonic() - started
    assert len(old) > 1400 and set(old) == set(new) and old != new
    return {"new_source": new_source, "old": old, "new": new, "build_seconds": build_seconds}


def test_kill_9_at_any_point_leaves_the_old_or_the_new_tree(fleets, tmp_path):
    out = tmp_path / "out"
    old_bytes, new_bytes = with_marker(fleets["old"]), with_marker(fleets["new"])
    middle_file = sorted(new_bytes)[len(new_bytes) // 2]

    def staging_dirs():
        return [tmp_path / name / tree.STAGING_TREE for name in os.listdir(tmp_path) if name.startswith(".out.new-")]

    # Nothing shows on disk while the specs load and build: kill by the clock there
    # (Python starts in about 0.2 s), and by what appears on disk after that.
    building = 0.3 + fleets["build_seconds"] / 2
    kill_points = {
        "while starting up": lambda proc: wait_for(proc, lambda: time.monotonic() - t0 > 0.1),
        "while loading and building": lambda proc: wait_for(proc, lambda: time.monotonic() - t0 > building),
        "as the staging tree appears": lambda proc: wait_for(proc, lambda: staging_dirs()),
        "right after the swap": lambda proc: wait_for(proc, lambda: os.stat(out).st_ino != old_inode),
        "half way through writing": lambda proc: wait_for(
            proc, lambda: any((d / middle_file).exists() for d in staging_dirs())),
    }
    seen = {}
    for label, reach in kill_points.items():
        tree.render_tree(fleets["old"], out)  # back to the old tree, cleaning up after the last kill
        assert tree_bytes(out) == old_bytes and leftovers(out) == []
        old_inode = os.stat(out).st_ino
        t0 = time.monotonic()
        proc = start_render(fleets["new_source"], out)
        reached = reach(proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = tree_bytes(out)
        assert after in (old_bytes, new_bytes), f"killed {label}: the tree is a mix"
        seen[label] = ("old" if after == old_bytes else "new", reached)

    # The kills really landed in the windows that matter: some before the swap, one after it.
    assert seen["half way through writing"] == ("old", True)
    assert seen["right after the swap"] == ("new", True)

    # The next render finishes the job and clears what the last killed one left behind.
    assert leftovers(out) != []  # its half-written staging tree
    recovery = start_render(fleets["new_source"], out)
    assert recovery.wait() == 0, recovery.stderr.read()
    assert tree_bytes(out) == new_bytes
    assert leftovers(out) == []


def test_a_render_while_another_holds_the_lock_fails_with_one_line_and_changes_nothing(source, tmp_path, run):
    out = tmp_path / "out"
    assert run("render", "--source", source, "--out", out).exit_code == 0
    before = tree_bytes(out)
    (source / "models/iris.yaml").write_text(edited((source / "models/iris.yaml").read_text(), "1.1.0", "1.2.0"))
    fd = os.open(tmp_path, os.O_RDONLY)  # what a running render holds
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = run("render", "--source", source, "--out", out)
    finally:
        os.close(fd)
    assert result.exit_code == 1
    assert result.stderr == f"gitops-gen: {out}: another render into this directory is running; try again\n"
    assert tree_bytes(out) == before
    assert run("render", "--source", source, "--out", out).exit_code == 0  # the lock went with its holder


def test_concurrent_renders_never_corrupt_the_tree(source, tmp_path):
    """Four renders started together (small specs: they reach the write at about the same moment)."""
    out = tmp_path / "out"
    old = contents_of(source)
    tree.render_tree(old, out)
    iris = source / "models/iris.yaml"
    iris.write_text(edited(iris.read_text(), "1.1.0", "1.2.0"))
    new = contents_of(source)
    procs = [start_render(source, out) for _ in range(4)]
    results = [(p.wait(), p.stderr.read()) for p in procs]
    warnings = "".join(line + "\n" for line in BOTH_ENGINES_WARNINGS)  # after a render that worked
    for code, stderr in results:
        assert (code, stderr) == (0, warnings) or (code, stderr) == (
            1, f"gitops-gen: {out}: another render into this directory is running; try again\n")
    assert any(code == 0 for code, _ in results)
    assert tree_bytes(out) == with_marker(new) != with_marker(old)
    assert leftovers(out) == []
