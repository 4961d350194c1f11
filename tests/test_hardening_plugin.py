"""The Argo CD plugin against hostile repositories and parameters, driven as argocd-cmp-server drives it.

Bounded memory whatever the tree holds, discovery that never blocks, a corrupt
cache entry that is only a miss, and parameters that are refused, not
guessed at, in one line that cannot drive a terminal.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from generator.load import source as load
from plugin import cache
from plugin import discover as plugin_discover
from tests.cmp_server import (
    SOURCE_PATH,
    assert_same_as_render,
    cmp_env,
    exec_step,
    one_line,
    params,
    plugin_argv,
    request,
)
from tests.helpers import EXAMPLE, build_file_tree

RELEASE = "prod/prod-eu/fraud-detector"
SELECTION = params("prod", "prod-eu", "fraud-detector")


def app_dir(sidecar_tmp: Path) -> Path:
    """A repository copy made in place (no tarball: some trees here hold files too big, or too odd, to pack)."""
    root = sidecar_tmp / "_cmp_server" / str(uuid.uuid4())
    shutil.copytree(EXAMPLE, root / SOURCE_PATH)
    return root / SOURCE_PATH


def cache_entries(sidecar_tmp: Path) -> list[Path]:
    return sorted((sidecar_tmp / "gitops-gen-cmp-cache").glob("*.json"))


# --- (12) memory is bounded by what the compiler reads -----------------------------------


def run_with_address_space(step: str, cwd: Path, env: dict[str, str], limit: int) -> subprocess.CompletedProcess:
    """The plugin with at most ``limit`` bytes of address space: reading a big file whole fails."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return subprocess.run(plugin_argv(step), cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
                          preexec_fn=cap)


def test_a_huge_file_the_compiler_never_reads_is_never_read(sidecar_tmp, rendered):
    source = app_dir(sidecar_tmp)
    with open(source / "model.bin", "wb") as fh:  # sparse: no disk, no time
        fh.truncate(2 << 30)
    done = run_with_address_space("generate", source, cmp_env(sidecar_tmp, parameters=SELECTION), 1 << 30)
    assert done.returncode == 0, done.stderr
    assert_same_as_render(done.stdout, [RELEASE], rendered)
    assert len(cache_entries(sidecar_tmp)) == 1


def test_spec_files_over_the_input_budget_are_refused_before_they_are_hashed(sidecar_tmp):
    source = app_dir(sidecar_tmp)
    with open(source / "huge.yaml", "wb") as fh:
        fh.truncate(2 << 30)
    done = run_with_address_space("generate", source, cmp_env(sidecar_tmp, parameters=SELECTION), 1 << 30)
    assert (done.returncode, done.stdout) == (1, "")
    line = one_line(done.stderr)
    assert "input-bytes" in line and "GITOPS_GEN_LIMIT_INPUT_BYTES" in line
    assert cache_entries(sidecar_tmp) == []


def test_the_input_budget_is_the_sidecars_to_set(sidecar_tmp, tarball, rendered):
    over = request(tarball, sidecar_tmp, parameters=SELECTION, GITOPS_GEN_LIMIT_INPUT_BYTES="1Ki")
    assert (over.returncode, over.stdout) == (1, "")
    assert "input-bytes" in one_line(over.stderr)
    # From the Application's plugin env (its owner's to set) it is not taken.
    done = request(tarball, sidecar_tmp, parameters=SELECTION, plugin_env={"GITOPS_GEN_LIMIT_INPUT_BYTES": "1Ki"})
    assert done.returncode == 0, done.stderr
    assert_same_as_render(done.stdout, [RELEASE], rendered)


def test_a_file_the_compiler_never_reads_is_keyed_by_its_size(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(EXAMPLE, tree)
    (tree / "README.md").write_text("one\n")
    key = cache.cache_key(str(tree))
    (tree / "README.md").write_text("two\n")
    assert cache.cache_key(str(tree)) == key
    (tree / "README.md").write_text("three\n")
    assert cache.cache_key(str(tree)) != key


def test_every_file_the_loader_reads_is_hashed_in_full(tmp_path):
    tree = build_file_tree(tmp_path / "tree", {
        "project.yaml": "a: 1\n", "envs/.hidden.yaml": "b: 1\n", "deep/er/x.yml": "c: 1\n",
        "templates/cm.yaml.j2": "d\n", "templates/sub/part.txt": "e\n", "components/c.jsonnet": "{}\n",
        "docs/readme.md": "f\n", "envs/templates/x.txt": "not an extension folder\n",
    })
    read = {path.relative_to(tree).as_posix() for path in load.spec_files(tree)} | set(load.extension_files(tree))
    assert read  # the loader reads some of these
    for rel in read:
        folder, _, name = rel.rpartition("/")
        assert cache.read_by_the_compiler(folder or ".", name), rel
    assert cache.EXTENSION_DIRS == load.EXTENSION_DIRS
    assert plugin_discover.MAX_FILE_BYTES == load.MAX_FILE_BYTES


# --- the output-bytes budget --------------------------------------------------------------


def test_output_over_the_budget_is_one_line_and_prints_nothing(sidecar_tmp, tarball):
    for _ in range(2):  # compiled, then from the cache
        done = request(tarball, sidecar_tmp, parameters=SELECTION, GITOPS_GEN_LIMIT_OUTPUT_BYTES="1Ki")
        assert (done.returncode, done.stdout) == (1, "")
        line = one_line(done.stderr)
        assert "output-bytes" in line and "GITOPS_GEN_LIMIT_OUTPUT_BYTES" in line


# --- (13) discover never blocks -----------------------------------------------------------


def test_discover_never_blocks_on_a_fifo_or_a_symlink_to_stdin(sidecar_tmp):
    source = app_dir(sidecar_tmp)
    os.mkfifo(source / "pipe.yaml")
    (source / "stdin.yaml").symlink_to("/proc/self/fd/0")
    (source / "models/outside.yaml").symlink_to(sidecar_tmp / "never-read.yaml")
    (sidecar_tmp / "never-read.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n")  # would un-claim the tree
    read_end, write_end = os.pipe()  # stdin that never ends: reading it blocks
    try:
        proc = subprocess.Popen(plugin_argv("discover"), cwd=source, env=cmp_env(sidecar_tmp), stdin=read_end,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert (proc.returncode, stdout, stderr) == (0, "project.yaml: Project ml-platform\n", "")
    # generate names what it refuses
    done = exec_step("generate", source, cmp_env(sidecar_tmp, parameters=SELECTION))
    assert (done.returncode, done.stdout) == (1, "")
    one_line(done.stderr)


def test_discover_survives_text_nested_deep_enough_to_crash_libyaml(sidecar_tmp):
    # Old libyaml recurses once per level and crashes the process somewhere past 30,000; discover must
    # still answer (this tree is ours: the Project is in another file).
    source = app_dir(sidecar_tmp)
    (source / "models/deep.yaml").write_text("a: " + "[" * 100000 + "]" * 100000 + "\n")
    done = subprocess.run(plugin_argv("discover"), cwd=source, env=cmp_env(sidecar_tmp), capture_output=True,
                          text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "project.yaml: Project ml-platform\n", "")


# --- (11) user errors, not internal ones -----------------------------------------------------


def test_parameters_nested_absurdly_deep_are_one_line(sidecar_tmp, tarball):
    deep = "[" * 30000 + "]" * 30000
    done = request(tarball, sidecar_tmp, ARGOCD_APP_PARAMETERS=deep)
    assert (done.returncode, done.stdout) == (1, "")
    assert "ARGOCD_APP_PARAMETERS" in one_line(done.stderr)


@pytest.mark.parametrize("corrupt", [
    lambda entry: entry["index"].pop("releases"),
    lambda entry: entry["index"].update(environments=[]),
    lambda entry: entry["index"]["releases"][RELEASE].pop("yaml"),
    lambda entry: entry["index"]["releases"].update({RELEASE: None}),
], ids=["no-releases", "environments-a-list", "release-without-yaml", "release-null"])
def test_a_corrupt_cache_entry_is_a_miss(sidecar_tmp, tarball, rendered, corrupt):
    assert request(tarball, sidecar_tmp, parameters=SELECTION).returncode == 0
    [path] = cache_entries(sidecar_tmp)
    entry = json.loads(path.read_text())
    corrupt(entry)
    path.write_text(json.dumps(entry))
    for step in ("generate", "parameters", "generate"):  # recompiled, stored, then a hit again
        done = request(tarball, sidecar_tmp, step=step, parameters=SELECTION)
        assert (done.returncode, done.stderr) == (0, ""), step
    assert_same_as_render(done.stdout, [RELEASE], rendered)
    assert cache_entries(sidecar_tmp) == [path]


# --- (16) parameters are taken as given, once, and never drive the terminal ----------------


def test_a_parameter_given_twice_is_refused_naming_it(sidecar_tmp, tarball):
    twice = [*params("dev"), {"name": "environment", "string": "prod"}, *params(cluster="prod-eu")]
    done = request(tarball, sidecar_tmp, parameters=twice, with_json=True)
    assert (done.returncode, done.stdout) == (1, "")
    assert "'environment'" in one_line(done.stderr)
    env_twice = request(tarball, sidecar_tmp, plugin_env={"ENVIRONMENT": "dev", "environment": "prod"})
    assert (env_twice.returncode, env_twice.stdout) == (1, "")
    assert "environment" in one_line(env_twice.stderr)


@pytest.mark.parametrize("value", ["\x1b]0;owned\x07\x1b[2J", "fraud\x1b[31m-detector", "x\u202ey\rz\x9b1m"])
def test_control_characters_in_parameters_never_reach_the_terminal(sidecar_tmp, tarball, value):
    for selection in (params(model=value), params("prod", "prod-eu", value)):
        done = request(tarball, sidecar_tmp, parameters=selection)
        assert (done.returncode, done.stdout) == (1, "")
        line = one_line(done.stderr)
        assert not any(ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 or c == "\u202e" for c in line.rstrip("\n")), line


def test_control_characters_in_a_file_name_never_reach_the_terminal(tmp_path, run):
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source)
    (source / "models/evil\x1b[2J\x1b]0;owned\x07.yaml").write_text("kind: [unclosed\n")
    result = run("validate", "--source", source)
    assert result.exit_code == 1
    assert "evil" in result.stderr
    assert not any(ord(c) < 0x20 and c != "\n" or 0x7f <= ord(c) < 0xa0 for c in result.stderr), result.stderr
