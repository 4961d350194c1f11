"""The --require-healthy gate, against a Kubernetes API stand-in on 127.0.0.1 (tests/kubeapi.py)."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from generator.builders.argocd import application
from generator.builders.flux import kustomization
from generator.builders.workloads import workload_objects
from generator.commands.promote_health import check_release_health
from generator.errors import GitopsGenError
from generator.resolve.fleet import load_fleet
from tests import kubeapi
from tests.helpers import DEV, LLM_MODEL, PROD, REPO, build_file_tree, edited, small_fleet, tree_bytes

REC = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Model
    metadata: {name: rec}
    spec:
      version: "2.0"
      format: custom
      serving: deployment
      image: "ghcr.io/acme/rec:{{ version }}"
"""


def gate_tree(root):
    files = {**small_fleet(), "models/rec.yaml": REC}
    files["envs/prod.yaml"] = edited(PROD, "server: https://a.example.com:6443", "server: https://a.example.com:6443\n          context: ctx-a")
    files["envs/dev.yaml"] = edited(DEV, "iris: {}", "iris: {}\n        rec: {}")
    return build_file_tree(root, files)


@pytest.fixture
def clusters():
    made = {}

    def make(name):
        made[name] = kubeapi.StandInCluster(name)
        return made[name]

    yield make
    for cluster in made.values():
        cluster.close()


def serve_healthy(fleet, release, engine_api, workload_api, flux_api=None):
    """Put what a healthy release looks like: its Argo CD Application, Flux Kustomization and workloads."""
    engine_api.put(application(fleet, release), kubeapi.argocd_status())
    (flux_api or engine_api).put(kustomization(fleet, release), kubeapi.flux_status())
    for obj in workload_objects(release):
        if obj["kind"] == "InferenceService":
            workload_api.put(obj, kubeapi.inference_service_status())
        elif obj["kind"] == "Deployment":
            workload_api.put(obj, kubeapi.deployment_status(obj["spec"].get("replicas", 1)))


@pytest.fixture
def prod(tmp_path, clusters):
    """prod's two clusters healthy: prod-a (context ctx-a) with its own Argo CD and Flux; prod-b reached from a hub."""
    fleet = load_fleet(gate_tree(tmp_path / "src"))
    a, b, hub = clusters("ctx-a"), clusters("prod-b"), clusters("hub")
    release_a, release_b = fleet.select(environment="prod", model="iris")
    serve_healthy(fleet, release_a, a, a)
    serve_healthy(fleet, release_b, b, b, flux_api=hub)
    kubeconfig = kubeapi.write_kubeconfig(tmp_path / "kubeconfig", {"ctx-a": a.url, "prod-b": b.url, "hub": hub.url})
    return fleet, kubeconfig, a, b, hub


def test_healthy_clusters_pass_and_each_object_is_read_where_it_lives(prod):
    fleet, kubeconfig, a, b, hub = prod
    assert check_release_health(fleet, "prod", "iris", kubeconfig=str(kubeconfig), flux_hub_context="hub") == []
    assert sorted(a.requests) == [
        "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/prod-prod-a-iris",
        "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/prod-prod-a-iris",
        "/apis/serving.kserve.io/v1beta1/namespaces/ml-prod/inferenceservices/iris",
    ]
    # prod-b's Kustomization lives in the Flux hub, its workload on prod-b itself.
    assert hub.requests == [
        "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/prod-prod-b-iris"]
    assert "/apis/serving.kserve.io/v1beta1/namespaces/ml-prod/inferenceservices/iris" in b.requests


def test_each_unhealthy_cluster_is_one_line_that_says_why(prod):
    fleet, kubeconfig, a, b, hub = prod
    release_a, release_b = fleet.select(environment="prod", model="iris")
    a.put(application(fleet, release_a), kubeapi.argocd_status(sync="OutOfSync", health="Progressing"))
    a.put(workload_objects(release_a)[0], kubeapi.inference_service_status(ready=False))
    hub.put(kustomization(fleet, release_b), kubeapi.flux_status(ready=False))
    problems = check_release_health(fleet, "prod", "iris", kubeconfig=str(kubeconfig), flux_hub_context="hub")
    assert problems == [
        "prod/prod-a (context ctx-a): Argo CD Application argocd/prod-prod-a-iris is OutOfSync/Progressing "
        "(want Synced/Healthy); InferenceService ml-prod/iris is not Ready: RevisionMissing",
        "prod/prod-b (context prod-b): Flux Kustomization flux-system/prod-prod-b-iris is not Ready: HealthCheckFailed",
    ]


def test_a_stale_workload_or_a_missing_object_fails_the_gate(prod):
    fleet, kubeconfig, a, b, hub = prod
    release_a, release_b = fleet.select(environment="prod", model="iris")
    older = workload_objects(release_a)[0]
    older["spec"]["predictor"]["model"]["storageUri"] = "s3://models/iris/0.9.0"
    a.put(older, kubeapi.inference_service_status())  # Ready, but serving another version
    b.objects.clear()
    problems = check_release_health(fleet, "prod", "iris", kubeconfig=str(kubeconfig), flux_hub_context="hub")
    assert problems == [
        "prod/prod-a (context ctx-a): InferenceService ml-prod/iris serves s3://models/iris/0.9.0, "
        "not s3://models/iris/1.0.0",
        "prod/prod-b (context prod-b): applications argocd/prod-prod-b-iris not found",
    ]


def test_unreachable_cluster_and_missing_context_are_refused(tmp_path, clusters):
    fleet = load_fleet(gate_tree(tmp_path / "src"))
    kubeconfig = kubeapi.write_kubeconfig(tmp_path / "kubeconfig", {"ctx-a": kubeapi.closed_port_url()})
    problems = check_release_health(fleet, "prod", "iris", kubeconfig=str(kubeconfig), timeout=5)
    assert len(problems) == 2
    host = kubeconfig.read_text().split("server: ")[1].split()[0]
    assert problems[0].startswith(f"prod/prod-a (context ctx-a): cannot reach {host}: ")
    assert problems[0].endswith("Connection refused")  # after the platform's errno
    assert problems[1] == "prod/prod-b (context prod-b): no context prod-b in the kubeconfig"


def test_a_slow_cluster_is_cut_off_at_the_timeout(tmp_path, clusters):
    fleet = load_fleet(gate_tree(tmp_path / "src"))
    slow = clusters("dev-1")
    serve_healthy(fleet, fleet.select(environment="dev", model="iris")[0], slow, slow)
    slow.delay = 3
    kubeconfig = kubeapi.write_kubeconfig(tmp_path / "kubeconfig", {"dev-1": slow.url})
    started = time.monotonic()
    problems = check_release_health(fleet, "dev", "iris", kubeconfig=str(kubeconfig), timeout=0.4)
    assert time.monotonic() - started < 2
    assert problems == ["dev/dev-1 (context dev-1): timed out after 0.4s"]


def test_deployment_must_be_available_with_the_rendered_image(tmp_path, clusters):
    fleet = load_fleet(gate_tree(tmp_path / "src"))
    dev = clusters("dev-1")
    [release] = fleet.select(environment="dev", model="rec")
    serve_healthy(fleet, release, dev, dev)
    kubeconfig = kubeapi.write_kubeconfig(tmp_path / "kubeconfig", {"dev-1": dev.url})
    assert check_release_health(fleet, "dev", "rec", kubeconfig=str(kubeconfig)) == []
    deployment = workload_objects(release)[0]
    dev.put(deployment, kubeapi.deployment_status(replicas=1, available=0))
    assert check_release_health(fleet, "dev", "rec", kubeconfig=str(kubeconfig)) == [
        "dev/dev-1 (context dev-1): Deployment ml-dev/rec has 0/1 available replicas (1 updated)"]
    deployment["spec"]["template"]["spec"]["containers"][0]["image"] = "ghcr.io/acme/rec:1.9"
    dev.put(deployment, kubeapi.deployment_status())
    assert check_release_health(fleet, "dev", "rec", kubeconfig=str(kubeconfig)) == [
        "dev/dev-1 (context dev-1): Deployment ml-dev/rec runs ghcr.io/acme/rec:1.9, not ghcr.io/acme/rec:2.0"]


def test_an_llm_must_be_ready_and_serve_the_rendered_model(tmp_path, clusters):
    files = {**small_fleet(), "models/chat.yaml": LLM_MODEL}
    files["envs/dev.yaml"] = edited(DEV, "iris: {}", "chat: {}")
    fleet = load_fleet(build_file_tree(tmp_path / "src", files))
    dev = clusters("dev-1")
    [release] = fleet.select(environment="dev", model="chat")
    dev.put(application(fleet, release), kubeapi.argocd_status())
    dev.put(kustomization(fleet, release), kubeapi.flux_status())
    [llm] = [obj for obj in workload_objects(release) if obj["kind"] == "LLMInferenceService"]
    dev.put(llm, kubeapi.kserve_ready_status(ready=False))
    kubeconfig = str(kubeapi.write_kubeconfig(tmp_path / "kubeconfig", {"dev-1": dev.url}))
    assert check_release_health(fleet, "dev", "chat", kubeconfig=kubeconfig) == [
        "dev/dev-1 (context dev-1): LLMInferenceService ml-dev/chat is not Ready: MinimumReplicasUnavailable"]
    dev.put(llm, kubeapi.kserve_ready_status())
    assert check_release_health(fleet, "dev", "chat", kubeconfig=kubeconfig) == []
    assert "/apis/serving.kserve.io/v1alpha2/namespaces/ml-dev/llminferenceservices/chat" in dev.requests


def test_promote_with_the_gate_changes_nothing_when_a_cluster_is_unhealthy(tmp_path, clusters, run):
    source = gate_tree(tmp_path / "repo" / "environments")
    assert run("render", "--source", source, "-q").exit_code == 0
    fleet = load_fleet(source)
    dev = clusters("dev-1")
    serve_healthy(fleet, fleet.select(environment="dev", model="iris")[0], dev, dev)
    kubeconfig = kubeapi.write_kubeconfig(tmp_path / "kubeconfig", {"dev-1": dev.url})
    [isvc] = workload_objects(fleet.select(environment="dev", model="iris")[0])
    dev.put(isvc, kubeapi.inference_service_status(ready=False))
    before = tree_bytes(tmp_path / "repo")
    refused = run("promote", "iris", "--to", "prod", "--source", source, "--require-healthy",
                  "--kubeconfig", kubeconfig)
    assert refused.exit_code == 1
    assert refused.stderr == ("gitops-gen: dev/dev-1 (context dev-1): InferenceService ml-dev/iris is not Ready: "
                              "RevisionMissing\n")
    assert tree_bytes(tmp_path / "repo") == before
    dev.put(isvc, kubeapi.inference_service_status(ready=True))
    done = run("promote", "iris", "--to", "prod", "--source", source, "--require-healthy", "--kubeconfig", kubeconfig)
    assert done.exit_code == 0, done.stderr
    assert 'version: "1.1.0"' in (source / "envs/prod.yaml").read_text()


def test_without_the_kubernetes_client_the_gate_says_what_to_install(tmp_path, monkeypatch):
    fleet = load_fleet(gate_tree(tmp_path / "src"))
    monkeypatch.setitem(sys.modules, "kubernetes", None)  # as if the `cluster` extra were not installed
    with pytest.raises(GitopsGenError, match=r"pip install 'gitops-gen\[cluster\]'"):
        check_release_health(fleet, "dev", "iris")


def test_the_cli_and_promote_do_not_import_the_kubernetes_client():
    code = "import sys, generator.cli, generator.commands.promote, generator.commands.diff; " \
           "print('kubernetes' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr
