"""promote is safe by default: a pinned --version must have run in the stage before (spec or Git history);
several models, or --all, move as one change: a version line each, one commit that lists them."""
from __future__ import annotations

import shutil

import pytest

from tests.helpers import EXAMPLE, tree_bytes
from tests.test_promote import committed_repo, git, git_env, repo  # noqa: F401 (fixtures)

NEVER_RAN = ("gitops-gen: --version 9.9.9-never-deployed of fraud-detector has not run in staging, the stage before "
             "prod: not in its spec now, nor in its Git history; promote it to staging first, or use --force\n")


def test_a_version_that_never_ran_in_the_stage_before_is_refused_unless_forced(repo, run):  # noqa: F811
    before = tree_bytes(repo.parent)
    refused = run("promote", "fraud-detector", "--to", "prod", "--version", "9.9.9-never-deployed", "--commit",
                  "--source", repo)
    assert (refused.exit_code, refused.stderr) == (1, NEVER_RAN)
    assert tree_bytes(repo.parent) == before
    assert git(repo.parent, "log", "--format=%s") == "initial\n"
    forced = run("promote", "fraud-detector", "--to", "prod", "--version", "9.9.9-never-deployed", "--force",
                 "--source", repo)
    assert forced.exit_code == 0, forced.stderr
    assert 'version: "9.9.9-never-deployed"' in (repo / "environments/prod.yaml").read_text()


def test_a_version_the_stage_before_runs_or_ran_is_allowed(repo, run):  # noqa: F811
    staging = repo / "environments/staging.yaml"
    assert 'version: "1.5.0"' in staging.read_text()
    staging.write_text(staging.read_text().replace('version: "1.5.0"', 'version: "1.5.1"', 1))
    assert run("render", "--source", repo, "-q").exit_code == 0
    git(repo.parent, "commit", "-qam", "staging: fraud-detector 1.5.1")
    # 1.5.1 runs in staging now; 1.5.0 ran there until the last commit.
    for version in ("1.5.1", "1.5.0"):
        result = run("promote", "fraud-detector", "--to", "prod", "--version", version, "--source", repo, "--commit")
        assert result.exit_code == 0, result.stderr
    assert git(repo.parent, "log", "-1", "--format=%s").strip() == "promote fraud-detector 1.5.0 to prod (was 1.5.1)"
    # What prod itself ran (1.4.2) never ran in staging: rolling back to it takes --force.
    refused = run("promote", "fraud-detector", "--to", "prod", "--version", "1.4.2", "--source", repo)
    assert refused.exit_code == 1 and "has not run in staging" in refused.stderr


def test_outside_git_the_history_cannot_vouch_for_a_version(tmp_path, run):
    source = tmp_path / "environments"
    shutil.copytree(EXAMPLE, source)
    before = tree_bytes(tmp_path)
    result = run("promote", "fraud-detector", "--to", "prod", "--version", "1.4.1", "--source", source)
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("gitops-gen: --version 1.4.1 of fraud-detector has not run in staging, the stage before "
                           "prod: not in its spec now, and its history cannot be read (")
    assert line.endswith("); promote it to staging first, or use --force")
    assert tree_bytes(tmp_path) == before
    # The first stage has no stage before it: nothing to check.
    assert run("promote", "fraud-detector", "--to", "dev", "--version", "1.4.1", "--source", source).exit_code == 0


def test_several_models_are_one_commit_with_one_line_each(repo, run):  # noqa: F811
    prod = repo / "environments/prod.yaml"
    before = prod.read_text()
    result = run("promote", "fraud-detector", "recommender", "--to", "prod", "--source", repo, "--commit",
                 "--message", "Release train 42")
    assert result.exit_code == 0, result.stderr
    assert git(repo.parent, "log", "--format=%s") == "Release train 42\ninitial\n"  # one commit
    assert git(repo.parent, "log", "-1", "--format=%b") == ("fraud-detector: 1.4.2 -> 1.5.0\n"
                                                            "recommender: 0.9.1 -> 0.9.3\n\n")
    expected = before.replace('version: "1.4.2"', 'version: "1.5.0"').replace('version: "0.9.1"', 'version: "0.9.3"')
    assert prod.read_text() == expected != before
    assert git(repo.parent, "show", "--numstat", "--format=", "HEAD", "--", "environments") == (
        "2\t2\tenvironments/environments/prod.yaml\n")
    assert git(repo.parent, "status", "--porcelain") == ""
    assert run("render", "--check", "--source", repo).exit_code == 0


def test_the_default_message_names_the_route_and_lists_each_model(repo, run):  # noqa: F811
    result = run("promote", "recommender", "fraud-detector", "--to", "prod", "--source", repo, "--commit")
    assert result.exit_code == 0, result.stderr
    assert git(repo.parent, "log", "-1", "--format=%B") == (
        "promote 2 models from staging to prod\n\nrecommender: 0.9.1 -> 0.9.3\nfraud-detector: 1.4.2 -> 1.5.0\n\n")


def test_all_promotes_what_the_stage_before_runs_newer_and_leaves_a_newer_target_alone(repo, run):  # noqa: F811
    prod = repo / "environments/prod.yaml"
    prod.write_text(prod.read_text().replace('version: "0.9.1"', 'version: "0.9.9"', 1))  # a hotfix in prod
    assert run("render", "--source", repo, "-q").exit_code == 0
    git(repo.parent, "commit", "-qam", "hotfix recommender in prod")
    result = run("promote", "--all", "--to", "prod", "--source", repo, "--commit")
    assert result.exit_code == 0, result.stderr
    assert "recommender: prod runs 0.9.9, newer than 0.9.3 in staging: left as it is\n" in result.stderr
    body = git(repo.parent, "log", "-1", "--format=%b").split("\n")
    assert body[:2] == ["fraud-detector: 1.4.2 -> 1.5.0", "llm-chat: 0.2.1 -> 0.3.0"]
    assert 'version: "0.9.9"' in prod.read_text()
    again = run("promote", "--all", "--to", "prod", "--source", repo, "--commit")
    assert again.exit_code == 0
    assert "nothing to promote to prod" in again.stderr
    assert git(repo.parent, "log", "-1", "--format=%b").split("\n")[:2] == body[:2]  # no new commit


@pytest.mark.parametrize("args", [
    ["--all", "fraud-detector", "--to", "prod"],
    ["--to", "prod"],
    ["fraud-detector", "recommender", "--to", "prod", "--version", "1.5.0"],
    ["--all", "--to", "prod", "--version", "1.5.0"],
    ["fraud-detector", "--to", "prod", "--commit", "--message", "  "],
    ["fraud-detector", "--to", "prod", "--message", "no commit to name"],
])
def test_wrong_usage_of_the_new_flags_is_a_usage_error_and_changes_nothing(repo, run, args):  # noqa: F811
    before = tree_bytes(repo.parent)
    result = run("promote", *args, "--source", repo)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("Error: ")
    assert tree_bytes(repo.parent) == before


def test_an_unknown_model_among_several_is_one_line_and_changes_nothing(repo, run):  # noqa: F811
    before = tree_bytes(repo.parent)
    result = run("promote", "fraud-detector", "fraud-detektor", "--to", "prod", "--source", repo, "--commit")
    assert result.exit_code == 1
    assert result.stderr.startswith("gitops-gen: unknown model 'fraud-detektor' (known: ")
    assert len(result.stderr.splitlines()) == 1
    assert tree_bytes(repo.parent) == before
