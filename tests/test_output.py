"""What a person sees: progress on a terminal only, the summary line, colour, --version, python -m."""
from __future__ import annotations

import importlib.metadata
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

import generator
from generator import console as progress_module
from generator.commands.render import render
from generator.console import Progress
from tests.helpers import BOTH_ENGINES_WARNINGS, REPO

# The small fleet: 3 releases (dev-1, prod-a, prod-b) of one KServe model. Objects: 3 InferenceServices,
# 2 AppProjects + 3 Applications, 3 GitRepositories (dev-1, prod-a, hub) + 3 Flux Kustomizations,
# 3 Namespaces and the 3 Flux Kustomizations that apply them = 20; files: those plus 11 kustomization.yaml
# (3 releases, 2 argocd, 3 flux folders, 3 namespaces folders) = 31, plus the marker = 32.
SUMMARY = re.compile(r"rendered 3 releases \(20 objects\) into \S+: 32 files, \d+ written, 0 removed, in \d+\.\d\ds")
# Its project gives every cluster both engines: render warns, quiet or not, before the summary.
WARNINGS = "".join(line + "\n" for line in BOTH_ENGINES_WARNINGS)


class Terminal:
    """A real pseudo-terminal: ``stream`` is a TTY; ``read()`` returns what was written to it."""

    def __init__(self):
        self.master, slave = pty.openpty()
        self.stream = os.fdopen(slave, "w")

    def read(self) -> str:
        self.stream.flush()
        os.set_blocking(self.master, False)
        chunks = []
        while True:
            try:
                chunks.append(os.read(self.master, 65536))
            except (BlockingIOError, OSError):
                break
        return b"".join(chunks).decode().replace("\r\n", "\n")

    def close(self):
        self.stream.close()
        os.close(self.master)


@pytest.fixture
def terminal():
    t = Terminal()
    yield t
    t.close()


def test_render_on_a_terminal_shows_progress_then_erases_it(source, tmp_path, terminal, monkeypatch):
    monkeypatch.setattr(progress_module, "DELAY", 0)  # the small fleet renders faster than the real delay
    monkeypatch.setattr(sys, "stderr", terminal.stream)
    assert render(source, tmp_path / "out") == 0
    shown = terminal.read()
    # Each stage ends on its total; the progress line is erased before the summary.
    for stage in ("building releases: 3/3", "serializing files: 31/31", "writing files: 32/32"):
        assert stage in shown
    status, after = shown.rsplit("\r\033[K", 1)
    assert after.startswith(WARNINGS)
    summary = after[len(WARNINGS):]
    assert SUMMARY.fullmatch(summary.rstrip("\n")), summary


def test_quiet_on_a_terminal_shows_nothing(source, tmp_path, terminal, monkeypatch):
    monkeypatch.setattr(progress_module, "DELAY", 0)
    monkeypatch.setattr(sys, "stderr", terminal.stream)
    assert render(source, tmp_path / "out", quiet=True) == 0
    assert terminal.read() == WARNINGS


def test_not_on_a_terminal_only_the_summary_line(source, tmp_path, run, monkeypatch):
    monkeypatch.setattr(progress_module, "DELAY", 0)
    result = run("render", "--source", source, "--out", tmp_path / "out")
    assert result.exit_code == 0
    assert result.stderr.startswith(WARNINGS)
    summary = result.stderr[len(WARNINGS):]
    assert SUMMARY.fullmatch(summary.rstrip("\n")) and summary.count("\n") == 1
    assert "32 files, 32 written, 0 removed" in result.stderr
    again = run("render", "--source", source, "--out", tmp_path / "out")
    assert "32 files, 0 written, 0 removed" in again.stderr


def test_progress_waits_for_a_long_render_and_throttles(terminal):
    now = [0.0]
    progress = Progress(stream=terminal.stream, clock=lambda: now[0])
    step = progress.counter("writing files", 100)
    for _ in range(10):  # within DELAY: a quick command prints nothing extra
        now[0] += progress_module.DELAY / 20
        step()
    assert terminal.read() == ""
    now[0] = progress_module.DELAY
    step()
    for _ in range(5):  # within INTERVAL of the last draw: not redrawn
        now[0] += progress_module.INTERVAL / 10
        step()
    assert terminal.read() == "\r\033[Kwriting files: 11/100"
    now[0] += progress_module.INTERVAL
    step()
    progress.close()
    assert terminal.read() == "\r\033[Kwriting files: 17/100\r\033[K"


def test_progress_is_off_when_stderr_is_not_a_terminal(tmp_path):
    with open(tmp_path / "log", "w") as log:
        assert Progress(stream=log).counter("writing files", 3) is None


def gitops_gen_on_terminal(*args, env=None):
    """Run `python -m generator` with stderr on a pseudo-terminal; return (exit code, what it showed)."""
    master, slave = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "generator", *map(str, args)], stdout=subprocess.DEVNULL,
                          stderr=slave, env={**os.environ, **(env or {})}, timeout=60)
    os.close(slave)
    shown = os.read(master, 65536).decode()
    os.close(master)
    return done.returncode, shown


def test_errors_are_red_on_a_terminal_only_and_never_with_no_color(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    code, shown = gitops_gen_on_terminal("render", "--source", tmp_path / "nope", env=env)
    assert code == 1
    assert shown.startswith("\033[31m") and "nope: source tree not found" in shown and "\033[0m" in shown
    code, shown = gitops_gen_on_terminal("render", "--source", tmp_path / "nope", env={"NO_COLOR": "1"})
    assert code == 1 and "\033[" not in shown and "source tree not found" in shown
    piped = subprocess.run([sys.executable, "-m", "generator", "render", "--source", tmp_path / "nope"],
                           capture_output=True, text=True, env=env)
    assert piped.returncode == 1 and "\033[" not in piped.stderr


def console_script(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def test_subprocesses_and_console_scripts_run_the_code_of_this_checkout(tmp_path):
    # From another directory, so the working directory on sys.path cannot hide a stale installed copy:
    # the README's test command installs the checkout editable, and every subprocess test relies on it.
    where = subprocess.run([sys.executable, "-c", "import generator, plugin; print(generator.__file__); "
                            "print(plugin.__file__)"], cwd=tmp_path, capture_output=True, text=True)
    assert where.returncode == 0, where.stderr
    for module_file in where.stdout.splitlines():
        assert Path(module_file).resolve().is_relative_to(REPO), (
            f"{module_file} is not this checkout's code: install it with pip install -e '.[test]'")
    for script in ("gitops-gen", "gitops-gen-cmp"):
        shebang = Path(console_script(script)).read_text().splitlines()[0]
        assert Path(shebang[2:].strip()).resolve() == Path(sys.executable).resolve(), script


def test_version_of_the_console_script_and_python_dash_m_is_the_installed_version():
    installed = importlib.metadata.version("gitops-gen")
    assert installed == generator.__version__
    for command in ([console_script("gitops-gen")], [sys.executable, "-m", "generator"]):
        done = subprocess.run([*command, "--version"], capture_output=True, text=True)
        assert (done.returncode, done.stdout) == (0, f"gitops-gen, version {installed}\n")


def test_python_dash_m_generator_works_like_gitops_gen(source, tmp_path):
    by_module = subprocess.run([sys.executable, "-m", "generator", "render", "--source", source, "--out",
                                tmp_path / "a"], capture_output=True, text=True)
    by_script = subprocess.run([console_script("gitops-gen"), "render", "--source", source, "--out",
                                tmp_path / "b"], capture_output=True, text=True)
    assert by_module.returncode == by_script.returncode == 0
    assert by_module.stderr.replace(str(tmp_path / "a"), "OUT").split(" in ")[0] == \
        by_script.stderr.replace(str(tmp_path / "b"), "OUT").split(" in ")[0]
    from tests.helpers import tree_bytes
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
    usage = [subprocess.run([*cmd, "--help"], capture_output=True, text=True).stdout
             for cmd in ([sys.executable, "-m", "generator"], [console_script("gitops-gen")])]
    assert usage[0] == usage[1] and usage[0].startswith("Usage: gitops-gen ")
