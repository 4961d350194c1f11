"""gitops-gen diff: which models differ between two environments, and how."""
from __future__ import annotations

import re

from tests.helpers import IRIS, build_file_tree, edited, small_fleet


def sections(stdout: str) -> dict[str, str]:
    """Output per model: each model's part starts with a line `<model>: ...` at column 0."""
    parts = re.split(r"^(?=[a-z0-9][a-z0-9-]*: )", stdout, flags=re.M)
    return {part.split(":", 1)[0]: part for part in parts if part}


def test_staging_and_prod_of_the_example(example, run):
    result = run("diff", "staging", "prod", "--source", example)
    assert result.exit_code == 0  # shown; only --exit-code makes "they differ" an exit status
    by_model = sections(result.stdout)
    assert sorted(by_model) == ["fraud-detector", "llm-chat", "recommender", "sentiment-bert", "support-assistant"]
    # A Helm chart release: its chart version and the values prod sets.
    assert by_model["llm-chat"].splitlines()[:3] == [
        "llm-chat: staging 0.3.0, prod 0.2.1", '  chart.version: "0.3.0" -> "0.2.1"', "  values.replicaCount: 1 -> 2"]
    fraud = by_model["fraud-detector"]
    assert fraud.splitlines()[:4] == [
        "fraud-detector: staging 1.5.0, prod 1.4.2",
        "  replicas.max: 6 -> 10",
        "  replicas.min: 2 -> 3",
        '  storageUri: "s3://acme-models/fraud-detector/1.5.0" -> "s3://acme-models/fraud-detector/1.4.2"',
    ]
    # Compared through each environment's first cluster in rollout order (prod-eu is wave 0).
    assert "--- a/staging/staging-eu/fraud-detector\n+++ b/prod/prod-eu/fraud-detector\n" in fraud
    assert "-      storageUri: s3://acme-models/fraud-detector/1.5.0\n" in fraud
    assert "+      storageUri: s3://acme-models/fraud-detector/1.4.2\n" in fraud
    assert "-    minReplicas: 2\n-    maxReplicas: 6\n+    minReplicas: 3\n+    maxReplicas: 10\n" in fraud
    assert by_model["sentiment-bert"] == "sentiment-bert: same in staging and prod (2.0.1)\n"


def test_environment_names_are_normalised_in_the_workload_diff(example, run):
    by_model = sections(run("diff", "staging", "prod", "--source", example).stdout)
    # The resolved spec really differs (the namespace is in the URL) ...
    assert '  env.FEATURE_STORE_URL: "http://feast.ml-staging.svc:6566" -> "http://feast.ml-prod.svc:6566"' \
        in by_model["recommender"]
    # ... but in the rendered objects the namespace, environment and cluster are placeholders on both sides,
    # so what remains of fraud-detector's object diff is its versions and replica counts (and the Grafana
    # dashboard's uid, a hash that is unique per release by design).
    fraud = by_model["fraud-detector"]
    changed = [line for line in fraud.splitlines()
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed and all(re.search(r"1\.[45]\.[02]|[Rr]eplicas: \d|\"uid\":\"gitops-gen-", line) for line in changed), changed
    assert "    gitops-gen.io/environment: <environment>\n" in fraud
    for name in ("staging", "prod", "ml-staging", "ml-prod", "staging-eu", "prod-eu"):
        assert not any(re.search(rf"(?<![\w-]){name}(?![\w-])", line) for line in changed)


def test_same_model_same_settings_is_equal_and_exit_0(example, run):
    result = run("diff", "staging", "prod", "--model", "sentiment-bert", "--source", example)
    assert (result.exit_code, result.stdout) == (0, "sentiment-bert: same in staging and prod (2.0.1)\n")


def test_a_model_in_only_one_environment(tmp_path, run):
    files = {**small_fleet(), "models/other.yaml": edited(IRIS, "name: iris", "name: other")}
    files["envs/dev.yaml"] = edited(files["envs/dev.yaml"], "iris: {}", "iris: {}\n        other: {}")
    source = build_file_tree(tmp_path / "src", files)
    result = run("diff", "dev", "prod", "--source", source)
    assert result.exit_code == 0
    assert sections(result.stdout)["other"] == "other: only in dev (1.1.0)\n"
    assert sections(result.stdout)["iris"].startswith("iris: dev 1.1.0, prod 1.0.0\n")


def test_unknown_environment_is_one_line(example, run):
    result = run("diff", "staging", "qa", "--source", example)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "gitops-gen: unknown environment 'qa' (known: dev, prod, staging)\n"
