"""gitops-gen history: version changes read from the Git history of the spec files, in real repositories."""
from __future__ import annotations

import json
import os
import re
import subprocess
import textwrap

import pytest

from tests.helpers import IRIS, build_file_tree, edited, git, small_fleet


@pytest.fixture
def git_env(tmp_path, monkeypatch):
    """Git that ignores the machine's config; each commit names its own author."""
    empty = tmp_path / "gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "CI")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "ci@example.com")


def commit(repo, author: str, message: str, day: int) -> str:
    git(repo, "add", "-A")
    date = f"2025-03-{day:02d}T10:00:00+00:00"
    subprocess.run(["git", "commit", "-q", "-m", message, f"--author={author} <{author.lower()}@example.com>",
                    f"--date={date}"], cwd=repo, check=True, env={**_env(), "GIT_COMMITTER_DATE": date})
    return git(repo, "rev-parse", "HEAD").strip()


def _env():
    return dict(os.environ)


@pytest.fixture
def repo(tmp_path, git_env):
    """A repository whose specs went through: creation, a promotion, a new default version, a file rename,
    a commit outside the specs, a merge from a branch, and removal of a model from an environment."""
    root = tmp_path / "repo"
    source = build_file_tree(root / "environments", small_fleet())
    git(root, "init", "-q", "-b", "main")
    shas = {"initial": commit(root, "Ann", "specs: dev runs iris's default, prod pins 1.0.0", 1)}
    prod = source / "envs/prod.yaml"
    prod.write_text(edited(prod.read_text(), 'version: "1.0.0"', 'version: "1.1.0"'))
    shas["promote"] = commit(root, "Bob", "promote iris 1.1.0 from dev to prod", 2)
    model = source / "models/iris.yaml"
    model.write_text(edited(model.read_text(), 'version: "1.1.0"', 'version: "1.2.0"'))
    shas["default"] = commit(root, "Ann", "iris 1.2.0", 3)  # moves dev (no pin), not prod
    git(root, "mv", "environments/envs/prod.yaml", "environments/envs/production.yaml")
    shas["rename"] = commit(root, "Cy", "one file name per environment", 4)
    (root / "README.md").write_text("specs live in environments/\n")
    (source / "envs/notes.txt").write_text("not a spec file\n")
    commit(root, "Cy", "docs", 5)
    git(root, "switch", "-q", "-c", "hotfix")
    production = source / "envs/production.yaml"
    production.write_text(edited(production.read_text(), 'version: "1.1.0"', 'version: "1.1.1"'))
    shas["branch"] = commit(root, "Dee", "hotfix iris 1.1.1 in prod", 6)
    git(root, "switch", "-q", "main")
    subprocess.run(["git", "merge", "-q", "--no-ff", "hotfix", "-m", "Merge branch 'hotfix'"], cwd=root, check=True,
                   env={**_env(), "GIT_AUTHOR_NAME": "Eve", "GIT_AUTHOR_EMAIL": "eve@example.com",
                        "GIT_AUTHOR_DATE": "2025-03-07T10:00:00+00:00",
                        "GIT_COMMITTER_DATE": "2025-03-07T10:00:00+00:00"})
    shas["merge"] = git(root, "rev-parse", "HEAD").strip()
    dev = source / "envs/dev.yaml"
    dev.write_text(edited(dev.read_text(), "    iris: {}\n", "    iris: {}\n    rec: {}\n"))
    (source / "models/rec.yaml").write_text(edited(textwrap.dedent(IRIS), "name: iris", "name: rec"))
    shas["add"] = commit(root, "Fay", "rec in dev", 8)
    dev.write_text(edited(dev.read_text(), "    rec: {}\n", ""))
    (source / "models/rec.yaml").unlink()
    shas["remove"] = commit(root, "Fay", "rec is gone", 9)
    return source, shas


def test_history_lists_each_version_change_newest_first_with_who_when_and_the_commit(repo, run):
    source, shas = repo
    result = run("history", "--source", source)
    assert result.exit_code == 0, result.stderr
    short = {name: sha[:10] for name, sha in shas.items()}
    first = "specs: dev runs iris's default, prod pins 1.0.0"
    # Columns are aligned with two or more spaces between them.
    assert [re.split(r"\s{2,}", line) for line in result.stdout.splitlines()] == [
        ['2025-03-09 10:00 UTC', 'dev', 'rec', 'removed (was 1.1.0)', 'Fay', short['remove'], 'rec is gone'],
        ['2025-03-08 10:00 UTC', 'dev', 'rec', 'added 1.1.0 (Model default)', 'Fay', short['add'], 'rec in dev'],
        # A merge counts when it reached the branch, as the merge commit (its author merged it).
        ['2025-03-07 10:00 UTC', 'prod', 'iris', '1.1.0 -> 1.1.1', 'Eve', short['merge'],
         "Merge branch 'hotfix'"],
        # The rename (day 4) and the commit outside the specs (day 5) changed no version.
        ['2025-03-03 10:00 UTC', 'dev', 'iris', '1.1.0 -> 1.2.0 (Model default)', 'Ann', short['default'],
         'iris 1.2.0'],
        ['2025-03-02 10:00 UTC', 'prod', 'iris', '1.0.0 -> 1.1.0', 'Bob', short['promote'],
         'promote iris 1.1.0 from dev to prod'],
        ['2025-03-01 10:00 UTC', 'dev', 'iris', 'added 1.1.0 (Model default)', 'Ann', short['initial'], first],
        ['2025-03-01 10:00 UTC', 'prod', 'iris', 'added 1.0.0', 'Ann', short['initial'], first],
    ]


def test_model_and_env_narrow_it_and_json_has_every_field(repo, run):
    source, shas = repo
    result = run("history", "iris", "--env", "prod", "--source", source, "--format", "json")
    assert result.exit_code == 0, result.stderr
    changes = json.loads(result.stdout)
    assert [(c["from"], c["to"]) for c in changes] == [("1.1.0", "1.1.1"), ("1.0.0", "1.1.0"), (None, "1.0.0")]
    assert changes[1] == {"model": "iris", "environment": "prod", "from": "1.0.0", "to": "1.1.0", "pinned": True,
                          "commit": shas["promote"], "author": {"name": "Bob", "email": "bob@example.com"},
                          "date": "2025-03-02T10:00:00+00:00", "subject": "promote iris 1.1.0 from dev to prod"}


def test_a_file_that_does_not_parse_keeps_its_last_readable_versions(repo, run):
    source, _ = repo
    root = source.parent
    production = source / "envs/production.yaml"
    good = production.read_text()
    production.write_text(edited(good, "models:", "models: [", 1))
    commit(root, "Gus", "oops", 10)
    production.write_text(edited(good, 'version: "1.1.1"', 'version: "1.2.0"'))
    fixed = commit(root, "Gus", "fix and promote", 11)
    lines = run("history", "iris", "--env", "prod", "--source", source).stdout.splitlines()
    assert lines[0].startswith("2025-03-11 10:00 UTC  prod  iris  1.1.1 -> 1.2.0")
    assert fixed[:10] in lines[0]
    assert not any("oops" in line for line in lines)


def test_outside_git_unknown_names_and_an_empty_repository_are_one_line(tmp_path, run, git_env, repo):
    plain = build_file_tree(tmp_path / "plain", small_fleet())
    result = run("history", "--source", plain)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"gitops-gen: {plain}: not in a Git repository; history reads the Git history of " \
                            "the spec files\n"
    source, _ = repo
    result = run("history", "nope", "--source", source)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "unknown model 'nope'" in result.stderr
    result = run("history", "--env", "qa", "--source", source)
    assert result.exit_code == 1 and "unknown environment 'qa'" in result.stderr
    empty = build_file_tree(tmp_path / "empty" / "environments", small_fleet())
    git(empty.parent, "init", "-q")
    result = run("history", "--source", empty)
    assert (result.exit_code, result.stdout) == (0, "")
    assert "no version changes" in result.stderr


def test_status_page_shows_the_latest_change_of_each_cell(repo, run, tmp_path):
    source, shas = repo
    page = tmp_path / "status.html"
    assert run("status", "--source", source, "--format", "html", "--out", page).exit_code == 0
    html = page.read_text()
    assert f"<code>{shas['merge'][:8]}</code>: 1.1.0 → 1.1.1" in html  # prod
    assert f"<code>{shas['default'][:8]}</code>: 1.1.0 → 1.2.0" in html  # dev
