"""`gitops-gen init DIR`: a starter tree that renders and validates as is, and never overwrites."""
from __future__ import annotations

import json
import re
import subprocess

import yaml

from tests.helpers import tree_bytes


def git_repo(path):
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


def test_init_then_render_and_validate_succeed(tmp_path, run):
    source = tmp_path / "specs"
    result = run("init", source)
    assert result.exit_code == 0, result.stderr
    assert sorted(tree_bytes(source)) == [
        ".gitops-gen.schema.json", "environments/dev.yaml", "environments/prod.yaml",
        "models/iris-classifier.yaml", "project.yaml"]
    kinds = sorted(yaml.safe_load(p.read_text())["kind"] for p in source.rglob("*.yaml"))
    assert kinds == ["Environment", "Environment", "Model", "Project"]
    assert f"gitops-gen render --source {source}" in result.stderr

    render = run("render", "--source", source)
    assert render.exit_code == 0, render.stderr
    # Two environments, three clusters, one model: three releases, next to the source tree (after the warning
    # that repoURL is still the placeholder).
    assert render.stderr.splitlines()[-1].startswith("rendered 3 releases")
    assert (tmp_path / "rendered/workloads/prod/prod-us/iris-classifier/inferenceservice-iris-classifier.yaml").is_file()
    assert (tmp_path / "rendered/flux/hub/kustomization-prod-prod-us-iris-classifier.yaml").is_file()
    validate = run("validate", "--source", source)
    assert validate.exit_code == 0, validate.stderr
    assert run("render", "--source", source, "--check").exit_code == 0


def test_every_file_is_commented_and_names_the_schema_beside_it(tmp_path, run):
    source = tmp_path / "specs"
    run("init", source)
    schema = json.loads((source / ".gitops-gen.schema.json").read_text())
    assert schema == json.loads(run("schema").stdout)
    for path in source.rglob("*.yaml"):
        lines = path.read_text().splitlines()
        modeline = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", lines[0])
        assert modeline, path
        # yaml-language-server resolves a relative schema path against the file's own folder.
        assert (path.parent / modeline[1]).resolve() == (source / ".gitops-gen.schema.json").resolve()
        assert sum(line.lstrip().startswith("#") for line in lines) >= 3, f"{path} explains itself"


def test_paths_are_the_trees_place_in_its_git_repository(tmp_path, run):
    repo = git_repo(tmp_path / "repo")
    assert run("init", repo / "deploy/specs").exit_code == 0
    project = yaml.safe_load((repo / "deploy/specs/project.yaml").read_text())
    assert (project["spec"]["sourcePath"], project["spec"]["renderedPath"]) == ("deploy/specs", "deploy/rendered")
    assert run("render", "--source", repo / "deploy/specs").exit_code == 0
    app = yaml.safe_load((repo / "deploy/rendered/argocd/dev/application-dev-dev-local-iris-classifier.yaml")
                         .read_text())
    assert app["spec"]["source"]["path"] == "deploy/rendered/workloads/dev/dev-local/iris-classifier"


def test_refuses_a_non_empty_directory_and_writes_nothing(tmp_path, run):
    source = tmp_path / "specs"
    source.mkdir()
    (source / "project.yaml").write_text("mine\n")
    before = tree_bytes(tmp_path)
    result = run("init", source)
    assert result.exit_code == 1
    assert result.stderr == (f"gitops-gen: {source}: already exists and is not an empty directory; "
                             "init writes only into a new or empty one, and overwrites nothing\n")
    assert tree_bytes(tmp_path) == before
    assert [p.name for p in tmp_path.iterdir()] == ["specs"]  # no staging directory left behind


def test_an_empty_directory_is_fine(tmp_path, run):
    (tmp_path / "specs").mkdir()
    assert run("init", tmp_path / "specs").exit_code == 0
    assert (tmp_path / "specs/project.yaml").is_file()
