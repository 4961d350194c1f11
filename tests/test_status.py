"""gitops-gen status: the matrix of models x environments, as a table for people and JSON for scripts."""
from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import time

import pytest

from generator.report.versions import compare
from tests import kubeapi
from tests.helpers import DEV, IRIS, LLM_MODEL, PROD, REPO, build_file_tree, edited, small_fleet

# The shipped example: dev -> staging -> prod. fraud-detector waits in staging for prod (1.5.0 vs 1.4.2),
# llm-chat (a Helm chart) too (0.3.0 vs 0.2.1), recommender too (0.9.3 vs 0.9.1), sentiment-bert waits in dev
# for staging (2.1.0 vs 2.0.1); support-assistant (an LLM) does not run in dev, and staging tests its next
# revision in an A/B split.
EXAMPLE_TABLE = """\
MODEL              dev                staging        prod
fraud-detector     1.5.0              1.5.0          1.4.2 ← 1.5.0
                   kserve direct      kserve direct  kserve direct
llm-chat           0.3.0              0.3.0          0.2.1 ← 0.3.0
                   helm direct        helm direct    helm direct
recommender        0.9.3              0.9.3          0.9.1 ← 0.9.3
                   deployment direct  deployment ab  deployment canary
sentiment-bert     2.1.0              2.0.1 ← 2.1.0  2.0.1
                   kserve direct      kserve direct  kserve direct
support-assistant  -                  v1.2.0         v1.2.0
                                      llm ab         llm direct

4 pending promotions
← V: V runs in the previous stage  ↑ ahead of it  ≠ not comparable
"""


def test_table_of_the_example_shows_every_version_and_what_waits(example, run):
    result = run("status", "--source", example)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == EXAMPLE_TABLE
    assert "\033[" not in result.stdout  # not a terminal: no colour


def cells(stdout: str) -> dict[tuple[str, str], dict]:
    return {(c["model"], c["environment"]): c for c in json.loads(stdout)["cells"]}


def test_json_has_the_documented_shape(example, run):
    result = run("status", "--source", example, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["apiVersion"] == "gitops-gen.io/status/v1"
    assert data["promotion"] == ["dev", "staging", "prod"]
    assert [e["name"] for e in data["environments"]] == ["dev", "staging", "prod"]
    assert data["environments"][2]["clusters"] == [{"name": "prod-eu", "wave": 0}, {"name": "prod-us", "wave": 1}]
    assert data["models"] == ["fraud-detector", "llm-chat", "recommender", "sentiment-bert", "support-assistant"]
    by = cells(result.stdout)
    assert len(by) == 14  # support-assistant does not run in dev
    prod = by[("fraud-detector", "prod")]
    assert prod == {
        "model": "fraud-detector", "environment": "prod", "version": "1.4.2", "pending": True,
        "compared": "behind", "previous": {"environment": "staging", "version": "1.5.0"}, "pinned": True,
        "serving": "kserve", "strategy": "direct", "rollout": "direct", "variants": [],
        "clusters": [
            {"name": "prod-eu", "wave": 0, "path": "rendered/workloads/prod/prod-eu/fraud-detector", "health": None},
            {"name": "prod-us", "wave": 1, "path": "rendered/workloads/prod/prod-us/fraud-detector", "health": None},
        ],
    }
    # The first stage has nothing to compare with; the same version is not pending.
    assert (by[("fraud-detector", "dev")]["pending"], by[("fraud-detector", "dev")]["compared"]) == (False, None)
    assert (by[("fraud-detector", "staging")]["pending"], by[("fraud-detector", "staging")]["compared"]) == \
        (False, "same")
    ab = by[("recommender", "staging")]
    assert ab["strategy"] == "ab"
    assert ab["variants"] == [{"name": "current", "version": "0.9.3", "weight": 80},
                              {"name": "challenger", "version": "1.0.0", "weight": 20}]
    assert by[("recommender", "prod")]["rollout"] == "canary 10%, 50%, every 10m"
    # A Helm chart release: its version is the chart's ({{ version }} in chart.version); prod's clusters come
    # from the Terraform output, in their waves.
    chart = by[("llm-chat", "prod")]
    assert (chart["serving"], chart["strategy"], chart["version"], chart["pinned"]) == ("helm", "direct", "0.2.1", True)
    assert (chart["compared"], chart["previous"]) == ("behind", {"environment": "staging", "version": "0.3.0"})
    assert [(c["name"], c["wave"], c["path"]) for c in chart["clusters"]] == [
        ("prod-eu", 0, "rendered/workloads/prod/prod-eu/llm-chat"),
        ("prod-us", 1, "rendered/workloads/prod/prod-us/llm-chat")]
    assert sorted(k for k, c in by.items() if c["pending"]) == [
        ("fraud-detector", "prod"), ("llm-chat", "prod"), ("recommender", "prod"), ("sentiment-bert", "staging")]


@pytest.mark.parametrize("version, other, expected", [
    ("1.4.2", "1.5.0", "older"),
    ("1.10.0", "1.9.3", "newer"),  # numbers, not text
    ("v2.0", "1.9.9", "newer"),
    ("1.5.0-rc.1", "1.5.0", "older"),  # a pre-release comes before its release
    ("1.5.0-rc.2", "1.5.0-rc.10", "older"),
    ("1.5.0-alpha", "1.5.0-1", "newer"),  # numeric identifiers before alphanumeric ones
    ("1.5.0", "1.5.0", "same"),
    ("1.5", "1.5.0", "differs"),  # equal precedence, different text: render writes different files
    ("3f9c2ab", "1.5.0", "differs"),
    ("latest", "1.0.0", "differs"),
])
def test_versions_compare_by_semver_precedence_and_otherwise_only_differ(version, other, expected):
    assert compare(version, other) == expected


def test_a_pin_ahead_and_a_version_that_cannot_be_ordered_are_marked(tmp_path, run):
    files = small_fleet()
    files["envs/dev.yaml"] = edited(DEV, "iris: {}", 'iris: {version: "1.0.0"}\n        other: {}')
    files["envs/prod.yaml"] = edited(PROD, 'version: "1.0.0"', 'version: "1.0.1"')  # a hotfix in prod
    files["models/other.yaml"] = edited(edited(IRIS, "name: iris", "name: other"), '"1.1.0"', '"nightly-42"')
    files["envs/prod.yaml"] += '        other: {version: "nightly-41"}\n'
    source = build_file_tree(tmp_path / "src", files)
    result = run("status", "--source", source)
    assert result.exit_code == 0, result.stderr
    assert "iris   1.0.0          1.0.1 ↑" in result.stdout
    assert "other  nightly-42     nightly-41 ≠ nightly-42" in result.stdout
    assert "0 pending promotions" in result.stdout
    by = cells(run("status", "--source", source, "--format", "json").stdout)
    assert (by[("iris", "prod")]["compared"], by[("iris", "prod")]["pending"]) == ("ahead", False)
    assert (by[("other", "prod")]["compared"], by[("other", "prod")]["pending"]) == ("differs", False)
    assert by[("other", "dev")]["pinned"] is False  # the Model's default version


def test_model_and_env_options_narrow_the_matrix(example, run):
    result = run("status", "--source", example, "--model", "recommender", "--model", "sentiment-bert",
                 "--env", "prod", "--format", "json")
    assert result.exit_code == 0, result.stderr
    by = cells(result.stdout)
    assert sorted(by) == [("recommender", "prod"), ("sentiment-bert", "prod")]
    # The comparison still looks at the previous stage, even when it is not shown.
    assert by[("recommender", "prod")]["pending"] is True
    table = run("status", "--source", example, "--env", "staging").stdout
    assert table.splitlines()[0].split() == ["MODEL", "staging"]


@pytest.mark.parametrize("args, message", [
    (["--model", "nope"], "gitops-gen: unknown model 'nope' (known: fraud-detector, llm-chat, recommender, "
                          "sentiment-bert, support-assistant)\n"),
    (["--env", "qa"], "gitops-gen: unknown environment 'qa' (known: dev, prod, staging)\n"),
])
def test_unknown_names_are_one_line_and_exit_1(example, run, args, message):
    result = run("status", "--source", example, *args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)


def test_bad_format_is_a_usage_error_and_an_unwritable_out_one_line(example, run, tmp_path):
    assert run("status", "--source", example, "--format", "yaml").exit_code == 2
    result = run("status", "--source", example, "--out", tmp_path / "missing" / "status.txt")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "no such directory" in result.stderr
    (tmp_path / "dir").mkdir()
    result = run("status", "--source", example, "--out", tmp_path / "dir", "--format", "json")
    assert result.exit_code in (1, 2) and "Traceback" not in result.stderr
    out = tmp_path / "status.json"
    assert run("status", "--source", example, "--format", "json", "--out", out).exit_code == 0
    assert json.loads(out.read_text())["apiVersion"] == "gitops-gen.io/status/v1"


def test_many_environments_and_long_names_still_fit_80_columns(tmp_path, run):
    envs = [f"region-{i}-production" for i in range(7)]
    long_model = "a-model-with-a-rather-long-name-for-a-table"
    files = {"project.yaml": f"""\
        apiVersion: gitops-gen.io/v1alpha1
        kind: Project
        metadata: {{name: wide}}
        spec: {{repoURL: https://git.example.com/w.git, promotion: [{", ".join(envs)}]}}
    """, "models/iris.yaml": IRIS, "models/long.yaml": edited(IRIS, "name: iris", f"name: {long_model}")}
    for i, env in enumerate(envs):
        files[f"envs/{env}.yaml"] = f"""\
            apiVersion: gitops-gen.io/v1alpha1
            kind: Environment
            metadata: {{name: {env}}}
            spec:
              namespace: ml-{i}
              clusters: [{{name: c{i}}}]
              models: {{iris: {{version: "1.{7 - i}.0-build.{i}"}}, {long_model}: {{}}}}
        """
    source = build_file_tree(tmp_path / "src", files)
    result = run("status", "--source", source)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    # Every environment is shown once, in promotion order, across the blocks.
    headers = [line.split()[1:] for line in lines if line.startswith("MODEL")]
    assert len(headers) > 1
    assert [name for header in headers for name in header] == envs
    assert long_model in lines  # on a line of its own
    assert "6 pending promotions" in result.stdout  # each stage runs an older build than the one before


def test_colour_on_a_terminal_and_never_with_no_color(example):
    def on_a_terminal(extra_env: dict) -> str:
        controller, terminal = pty.openpty()
        env = {**os.environ, **extra_env}
        env.pop("NO_COLOR", None) if "NO_COLOR" not in extra_env else None
        proc = subprocess.Popen([sys.executable, "-m", "generator", "status", "--source", str(example)],
                                stdout=terminal, stderr=subprocess.DEVNULL, env=env, cwd=REPO)
        os.close(terminal)
        chunks = []
        while True:
            try:
                data = os.read(controller, 65536)
            except OSError:  # the terminal closed: the process is done writing
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=60)
        os.close(controller)
        return b"".join(chunks).decode()

    coloured = on_a_terminal({})
    assert "\033[33m1.4.2 ← 1.5.0\033[0m" in coloured  # a pending promotion stands out
    plain = on_a_terminal({"NO_COLOR": "1"})
    assert "\033[" not in plain and "1.4.2 ← 1.5.0" in plain


# --- --live, against the Kubernetes API stand-in -----------------------------------------------------------

@pytest.fixture
def stand_ins():
    made = []

    def make(name):
        made.append(kubeapi.StandInCluster(name))
        return made[-1]

    yield make
    for cluster in made:
        cluster.close()


def live_tree(root):
    files = small_fleet()
    files["envs/prod.yaml"] = edited(PROD, "server: https://a.example.com:6443", "server: https://a.example.com:6443\n          context: ctx-a")
    return build_file_tree(root, files)


def test_live_shows_each_clusters_answer_and_an_unreachable_cluster_as_unknown(tmp_path, run, stand_ins,
                                                                               monkeypatch):
    from generator.builders.workloads import workload_objects
    from generator.resolve.fleet import load_fleet

    source = live_tree(tmp_path / "src")
    fleet = load_fleet(source)
    a = stand_ins("ctx-a")
    release_a = fleet.select(environment="prod", cluster="prod-a", model="iris")[0]
    a.put(workload_objects(release_a)[0], kubeapi.inference_service_status())
    dev = stand_ins("dev-1")
    dev.put(workload_objects(fleet.select(environment="dev", model="iris")[0])[0],
            kubeapi.inference_service_status(ready=False))
    # prod-b: nothing listens there.
    kubeconfig = kubeapi.write_kubeconfig(tmp_path / "kubeconfig", {
        "ctx-a": a.url, "dev-1": dev.url, "prod-b": kubeapi.closed_port_url()})
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))

    assert run("status", "--source", source).exit_code == 0
    assert a.requests == [] and dev.requests == []  # no cluster is asked without --live

    result = run("status", "--source", source, "--live", "--timeout", "5")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:5] == [
        "MODEL  dev            prod",
        "iris   1.1.0          1.0.0 ← 1.1.0",
        "       kserve direct  kserve direct",
        "       not ready      prod-a ready",
        "                      prod-b unknown",
    ]
    data = json.loads(run("status", "--source", source, "--live", "--format", "json").stdout)
    health = {(c["environment"], k["name"]): k["health"] for c in data["cells"] for k in c["clusters"]}
    assert health[("prod", "prod-a")] == {"state": "ready", "reason": ""}
    assert health[("dev", "dev-1")]["state"] == "not-ready"
    assert "is not Ready: RevisionMissing" in health[("dev", "dev-1")]["reason"]
    assert health[("prod", "prod-b")]["state"] == "unknown"
    assert health[("prod", "prod-b")]["reason"].startswith("cannot reach http://127.0.0.1:")


def test_live_bounds_a_slow_cluster_by_its_timeout_and_names_a_missing_context(tmp_path, run, stand_ins,
                                                                               monkeypatch):
    source = live_tree(tmp_path / "src")
    slow = stand_ins("ctx-a")
    slow.delay = 5.0
    kubeconfig = kubeapi.write_kubeconfig(tmp_path / "kubeconfig", {"ctx-a": slow.url})
    started = time.monotonic()
    result = run("status", "--source", source, "--live", "--timeout", "0.5", "--format", "json",
                 "--kubeconfig", kubeconfig)
    assert time.monotonic() - started < 4
    assert result.exit_code == 0, result.stderr
    health = {(c["environment"], k["name"]): k["health"] for c in json.loads(result.stdout)["cells"]
              for k in c["clusters"]}
    assert health[("prod", "prod-a")] == {"state": "unknown", "reason": "timed out after 0.5s"}
    assert health[("dev", "dev-1")] == {"state": "unknown", "reason": "no context dev-1 in the kubeconfig"}


CHAIN = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Model
    metadata: {name: chain}
    spec:
      version: "1"
      serving: graph
      graph:
        nodes:
          root: {routerType: Sequence, steps: [{model: iris}]}
"""
WEB = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Model
    metadata: {name: web}
    spec:
      version: "0.3.0"
      serving: helm
      chart: {repo: "oci://ghcr.io/acme/charts", name: vllm-server, version: "{{ version }}"}
"""


def test_live_judges_llms_graphs_and_charts_and_never_calls_an_unasked_release_ready(tmp_path, run, stand_ins,
                                                                                       monkeypatch):
    from generator.builders.flux import helm_release
    from generator.builders.workloads import workload_objects
    from generator.resolve.fleet import load_fleet

    files = {**small_fleet(), "models/chat.yaml": LLM_MODEL, "models/chain.yaml": CHAIN, "models/web.yaml": WEB}
    files["envs/dev.yaml"] = edited(DEV, "iris: {}", "iris: {}\n        chat: {}\n        chain: {}\n        web: {}")
    # prod-a: Argo CD alone deploys it; prod-b is reached from a Flux hub (kubeConfigSecret).
    files["envs/prod.yaml"] = edited(edited(PROD, "server: https://a.example.com:6443",
                                            "server: https://a.example.com:6443\n          context: ctx-a\n"
                                            "          engine: argocd"),
                                     "      models:\n", "      models:\n        web: {}\n")
    source = build_file_tree(tmp_path / "src", files)
    fleet = load_fleet(source)
    dev, a, b = stand_ins("dev-1"), stand_ins("ctx-a"), stand_ins("prod-b")
    objects = {r.model: workload_objects(r) for r in fleet.select(environment="dev")}
    dev.put(objects["iris"][0], kubeapi.inference_service_status())
    llm = next(obj for obj in objects["chat"] if obj["kind"] == "LLMInferenceService")
    dev.put(llm, kubeapi.kserve_ready_status())
    dev.put(objects["chain"][0], kubeapi.kserve_ready_status(ready=False, reason="StepsNotReady"))
    [web_dev] = fleet.select(environment="dev", model="web")
    dev.put(helm_release(fleet, web_dev), kubeapi.helm_release_status("0.2.0"))  # an older chart version
    for release in fleet.select(environment="prod", model="iris"):
        (a if release.cluster.name == "prod-a" else b).put(workload_objects(release)[0],
                                                            kubeapi.inference_service_status())
    kubeconfig = kubeapi.write_kubeconfig(tmp_path / "kubeconfig", {"dev-1": dev.url, "ctx-a": a.url, "prod-b": b.url})
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))

    result = run("status", "--source", source, "--live", "--format", "json")
    assert result.exit_code == 0, result.stderr
    health = {(c["model"], c["environment"], k["name"]): k["health"]
              for c in json.loads(result.stdout)["cells"] for k in c["clusters"]}
    assert health[("chat", "dev", "dev-1")] == {"state": "ready", "reason": ""}
    assert health[("chain", "dev", "dev-1")] == {
        "state": "not-ready", "reason": "InferenceGraph ml-dev/chain is not Ready: StepsNotReady"}
    assert health[("web", "dev", "dev-1")] == {
        "state": "not-ready", "reason": "Flux HelmRelease dev-dev-1-web runs chart version 0.2.0, not 0.3.0"}
    assert health[("web", "prod", "prod-a")] == {
        "state": "unknown", "reason": "a Helm chart deployed by Argo CD: its Application says whether it runs"}
    assert health[("web", "prod", "prod-b")] == {
        "state": "unknown", "reason": "a Helm chart deployed from the Flux hub: its HelmRelease there says whether "
                                      "it runs"}
    assert health[("iris", "prod", "prod-a")]["state"] == "ready"
    # The LLM serving another model than the rendered one is not ready, whatever its condition says.
    llm["spec"]["model"]["uri"] = "hf://Qwen/Qwen2.4-7B-Instruct"
    dev.put(llm, kubeapi.kserve_ready_status())
    result = run("status", "--source", source, "--live", "--format", "json")
    health = {(c["model"], c["environment"], k["name"]): k["health"]
              for c in json.loads(result.stdout)["cells"] for k in c["clusters"]}
    assert health[("chat", "dev", "dev-1")] == {
        "state": "not-ready", "reason": "LLMInferenceService ml-dev/chat serves hf://Qwen/Qwen2.4-7B-Instruct, "
                                        "not hf://Qwen/Qwen2.5-7B-Instruct"}
