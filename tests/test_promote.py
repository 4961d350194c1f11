"""gitops-gen promote in real Git repositories: the shipped example, committed with its rendered tree."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.helpers import EXAMPLE, IRIS, build_file_tree, edited, small_fleet, tree_bytes


@pytest.fixture
def git_env(tmp_path, monkeypatch):
    """Git that ignores the machine's config, with a fixed identity."""
    empty = tmp_path / "gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Release Bot")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "bot@example.com")


def git(repo, *args) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def committed_repo(root, run, source_files=None):
    """A Git repository holding a source tree (the example by default) and its rendered output, all committed."""
    source = root / "environments"
    if source_files is None:
        shutil.copytree(EXAMPLE, source)
    else:
        build_file_tree(source, source_files)
    result = run("render", "--source", source, "-q")
    assert result.exit_code == 0, result.stderr
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return source


@pytest.fixture
def repo(tmp_path, run, git_env):
    return committed_repo(tmp_path / "repo", run)


def test_promote_to_prod_changes_exactly_the_version_line_and_the_rendered_tree(repo, run):
    prod = repo / "environments/prod.yaml"
    before = prod.read_text()
    result = run("promote", "fraud-detector", "--to", "prod", "--source", repo)
    assert result.exit_code == 0, result.stderr
    assert "promote fraud-detector 1.5.0 from staging to prod (was 1.4.2)" in result.stderr
    # Exactly one line of the spec: every comment, key and quote is where it was.
    assert prod.read_text() == edited(before, 'version: "1.4.2"', 'version: "1.5.0"')
    assert git(repo.parent, "diff", "--numstat", "--", "environments") == "1\t1\tenvironments/environments/prod.yaml\n"
    # The rendered tree follows: every object of prod's two fraud-detector releases carries the version
    # (label, storageUri), so exactly those files change; their kustomization.yaml and everything else do not.
    expected = sorted(p.relative_to(repo.parent).as_posix()
                      for cluster in ("prod-eu", "prod-us")
                      for p in (repo.parent / "rendered/workloads/prod" / cluster / "fraud-detector").iterdir()
                      if p.name != "kustomization.yaml")
    assert len(expected) > 2
    assert git(repo.parent, "diff", "--name-only", "--", "rendered").split() == expected
    isvc = (repo.parent / "rendered/workloads/prod/prod-us/fraud-detector/inferenceservice-fraud-detector.yaml")
    assert "storageUri: s3://acme-models/fraud-detector/1.5.0" in isvc.read_text()
    assert run("render", "--check", "--source", repo).exit_code == 0


def test_commit_on_a_new_branch_leaves_a_clean_tree_and_names_the_promotion(repo, run):
    root = repo.parent
    result = run("promote", "recommender", "--to", "prod", "--source", repo, "--commit", "--branch", "promote/rec")
    assert result.exit_code == 0, result.stderr
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "branch", "--show-current").strip() == "promote/rec"
    assert git(root, "log", "-1", "--format=%s").strip() == "promote recommender 0.9.3 from staging to prod"
    assert git(root, "rev-parse", "HEAD~1") == git(root, "rev-parse", "main")  # one commit on top of main
    changed = git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert changed[0] == "environments/environments/prod.yaml"
    assert all(path.startswith("rendered/workloads/prod/") and "/recommender/" in path for path in changed[1:])
    # The spec, and every object file of prod's two recommender releases (each carries the version).
    objects = [p for cluster in ("prod-eu", "prod-us")
               for p in (root / "rendered/workloads/prod" / cluster / "recommender").iterdir()
               if p.name != "kustomization.yaml"]
    assert len(changed) == 1 + len(objects)
    assert run("render", "--check", "--source", repo).exit_code == 0


def test_commit_refuses_when_the_spec_file_has_uncommitted_edits(repo, run):
    prod = repo / "environments/prod.yaml"
    prod.write_text(prod.read_text() + "# a colleague's unsaved thought\n")
    before = tree_bytes(repo.parent)
    result = run("promote", "fraud-detector", "--to", "prod", "--source", repo, "--commit")
    assert result.exit_code == 1
    assert result.stderr == ("gitops-gen: environments/environments/prod.yaml: uncommitted changes in the files a "
                             "promotion commits; commit or stash them first\n")
    assert tree_bytes(repo.parent) == before


def test_dry_run_prints_both_diffs_and_changes_nothing(repo, run):
    before = tree_bytes(repo.parent)
    result = run("promote", "fraud-detector", "--to", "prod", "--source", repo, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert tree_bytes(repo.parent) == before
    out = result.stdout
    assert f"--- a/{repo}/environments/prod.yaml\n" in out
    assert '-      version: "1.4.2"\n+      version: "1.5.0"\n' in out
    assert out.count("+      storageUri: s3://acme-models/fraud-detector/1.5.0\n") == 2  # both prod clusters
    assert "/rendered/workloads/prod/prod-eu/fraud-detector/inferenceservice-fraud-detector.yaml" in out
    assert "dry run: would promote fraud-detector 1.5.0 from staging to prod" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["fraud-detector", "--to", "prod", "--from", "dev"],
     "promoting from 'dev' to 'prod' skips staging (dev -> staging -> prod); "
     "promote to 'staging' first, or use --force"),
    (["fraud-detector", "--to", "staging", "--from", "prod"],
     "promoting from 'prod' to 'staging' goes backwards (dev -> staging -> prod); "
     "use --version to roll back, or --force"),
    (["fraud-detektor", "--to", "prod"],
     "unknown model 'fraud-detektor' (known: fraud-detector, llm-chat, recommender, sentiment-bert, "
     "support-assistant)"),
    (["fraud-detector", "--to", "qa"], "unknown environment 'qa' (known: dev, prod, staging)"),
    (["fraud-detector", "--to", "dev"], "environment 'dev' is the first stage of Project.spec.promotion: there is "
                                        "nothing to promote from (give --from, or --version to pin a version)"),
])
def test_refusals_are_one_line_and_change_nothing(repo, run, args, message):
    before = tree_bytes(repo.parent)
    result = run("promote", *args, "--source", repo)
    assert (result.exit_code, result.stderr) == (1, f"gitops-gen: {message}\n")
    assert tree_bytes(repo.parent) == before


def test_forced_skip_and_same_version_no_op(repo, run):
    before = tree_bytes(repo.parent)
    same = run("promote", "sentiment-bert", "--to", "prod", "--source", repo, "--commit")  # staging == prod == 2.0.1
    assert (same.exit_code, same.stderr) == (0, "sentiment-bert is already at 2.0.1 in prod: nothing to do\n")
    assert tree_bytes(repo.parent) == before
    assert git(repo.parent, "log", "--format=%s").split("\n")[0] == "initial"
    forced = run("promote", "sentiment-bert", "--to", "prod", "--from", "dev", "--force", "--source", repo)
    assert forced.exit_code == 0, forced.stderr
    assert 'version: "2.1.0"' in (repo / "environments/prod.yaml").read_text()


def test_rollback_pins_an_explicit_version(repo, run):
    # 1.4.1 never ran in staging in this repository's one commit: only --force pins it (test_promote_safety.py).
    result = run("promote", "fraud-detector", "--to", "prod", "--version", "1.4.1", "--force", "--source", repo,
                 "--commit")
    assert result.exit_code == 0, result.stderr
    assert git(repo.parent, "log", "-1", "--format=%s").strip() == "promote fraud-detector 1.4.1 to prod (was 1.4.2)"
    assert git(repo.parent, "show", "HEAD", "--", "environments").count('\n+      version: "1.4.1"') == 1
    assert git(repo.parent, "status", "--porcelain") == ""


def test_a_model_new_to_the_target_gets_an_entry(tmp_path, run, git_env):
    other = edited(edited(IRIS, "name: iris", "name: other"), "/iris/", "/other/")
    files = {**small_fleet(), "models/other.yaml": other}
    files["envs/dev.yaml"] = edited(files["envs/dev.yaml"], "iris: {}", "iris: {}\n        other:\n"
                                                            "          version: \"0.3.0\"")
    source = committed_repo(tmp_path / "repo", run, files)
    missing = run("promote", "other", "--to", "dev", "--from", "prod", "--force", "--source", source)
    assert (missing.exit_code, missing.stderr) == (1, "gitops-gen: model 'other' is not in environment 'prod': "
                                                      "nothing to promote\n")
    result = run("promote", "other", "--to", "prod", "--source", source, "--commit")
    assert result.exit_code == 0, result.stderr
    shown = git(tmp_path / "repo", "show", "HEAD", "--", "environments")
    assert '+    other:\n+      version: "0.3.0"\n' in shown
    body = [line for line in shown.splitlines() if line.startswith(("+", "-")) and line[:3] not in ("+++", "---")]
    assert body == ["+    other:", '+      version: "0.3.0"']  # added, nothing else touched
    assert (tmp_path / "repo/rendered/workloads/prod/prod-b/other/inferenceservice-other.yaml").is_file()
    assert run("render", "--check", "--source", source).exit_code == 0


def test_a_failed_render_puts_the_spec_back(repo, run, tmp_path):
    foreign = tmp_path / "not-ours"
    (foreign / "keep.txt").parent.mkdir()
    (foreign / "keep.txt").write_text("someone else's directory\n")
    before = tree_bytes(repo.parent)
    result = run("promote", "fraud-detector", "--to", "prod", "--source", repo, "--out", foreign)
    assert result.exit_code == 1
    assert "was not written by gitops-gen" in result.stderr
    assert tree_bytes(repo.parent) == before  # the spec edit was undone
    assert (foreign / "keep.txt").read_text() == "someone else's directory\n"


def test_without_a_promotion_order_from_is_required_and_any_order_is_allowed(tmp_path, run, git_env):
    files = {**small_fleet()}
    files["project.yaml"] = edited(files["project.yaml"], "promotion: [dev, prod]", "promotion: []")
    source = committed_repo(tmp_path / "repo", run, files)
    no_from = run("promote", "iris", "--to", "prod", "--source", source)
    assert (no_from.exit_code, no_from.stderr) == (1, "gitops-gen: environment 'prod' is not a stage of "
                                                      "Project.spec.promotion (empty): give --from\n")
    result = run("promote", "iris", "--to", "dev", "--from", "prod", "--source", source, "--commit")
    assert result.exit_code == 0, result.stderr
    assert git(tmp_path / "repo", "log", "-1", "--format=%s").strip() == "promote iris 1.0.0 from prod to dev"
    assert 'iris: {version: "1.0.0"}' in (source / "envs/dev.yaml").read_text()
