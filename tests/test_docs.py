"""Every gitops-gen command the README and docs/ci.md show in a code block works as written."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys

from generator.cli import cli
from tests.helpers import EXAMPLE, REPO

DOCS = ("README.md", "docs/ci.md")


def documented_commands() -> list[tuple[str, str]]:
    """(document, command) for each `gitops-gen ...` line of a fenced code block, shell or CI YAML,
    without what follows it in the shell (redirections, `|| true`)."""
    found = []
    for doc in DOCS:
        in_block = False
        for line in (REPO / doc).read_text().splitlines():
            if line.lstrip().startswith("```"):
                in_block = not in_block
                continue
            text = re.sub(r"^\s*(- |run: |\$ )?", "", line)
            if in_block and text.startswith("gitops-gen "):
                found.append((doc, re.split(r"\s+(?:>>?|\|\|?|&&|;)\s*", text)[0]))
    return found


def test_every_documented_command_runs_as_written(tmp_path, monkeypatch, run):
    commands = documented_commands()
    shown = {shlex.split(c)[1] for _, c in commands}
    assert {"render", "validate", "schema", "init", "diff"} <= shown
    # `init` starts a repository; the others run where the example's output is committed.
    monkeypatch.chdir(tmp_path)
    for doc, command in commands:
        if shlex.split(command)[1] == "init":
            result = run(*shlex.split(command)[1:])
            assert result.exit_code == 0, f"{doc}: {command}: {result.stderr}"
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo / "environments")
    monkeypatch.chdir(repo)
    assert run("render").exit_code == 0
    for doc, command in commands:
        args = shlex.split(command)[1:]
        if args[0] == "init":
            continue
        assert args[0] in cli.commands, f"{doc}: {command}: no such command"
        result = run(*args)
        assert result.exit_code == 0, f"{doc}: {command}: {result.stderr}"


def test_readme_short_example_output_is_what_render_writes(tmp_path):
    """The README's spec blocks, rendered, give exactly the InferenceService the README shows."""
    import re

    from tests.helpers import REPO, build_file_tree

    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## A short example"):readme.index("## Commands")]
    specs, _tree, isvc = re.findall(r"```(?:yaml)?\n(.*?)```", section, flags=re.S)
    files = {}
    for document in specs.split("---\n"):
        path = re.match(r"# environments/(\S+)\n", document).group(1)
        files[path] = document
    files["project.yaml"] = ("apiVersion: gitops-gen.io/v1alpha1\nkind: Project\nmetadata: {name: ml-platform}\n"
                             "spec: {repoURL: 'https://git.example.com/acme/ml-gitops.git', engines: [argocd, flux]}\n")
    source = build_file_tree(tmp_path / "environments", files)
    done = subprocess.run([sys.executable, "-m", "generator", "render", "--source", source], cwd=REPO,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    rendered = tmp_path / "rendered"
    assert (rendered / "workloads/prod/prod-eu/fraud-detector/inferenceservice-fraud-detector.yaml").read_text() \
        == isvc
    for listed in ("argocd/prod/appproject-prod.yaml", "argocd/prod/application-prod-prod-eu-fraud-detector.yaml",
                   "flux/clusters/prod-eu/gitrepository-ml-platform.yaml",
                   "flux/clusters/prod-eu/kustomization-prod-prod-eu-fraud-detector.yaml",
                   "flux/hub/kustomization-prod-prod-us-fraud-detector.yaml"):
        assert (rendered / listed).is_file(), listed
