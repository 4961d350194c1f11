"""serving: helm: a model installed from a Helm chart by Argo CD or Flux, beside what gitops-gen writes for it."""
from __future__ import annotations

import json

import pytest
import yaml

from generator.builders.argocd import application
from generator.builders.files import build_fleet
from generator.builders.flux import helm_release, kustomization
from generator.builders.validation import schema_errors
from generator.commands.promote_health import check_release_health
from generator.resolve.fleet import load_fleet
from tests import kubeapi
from tests.helpers import ANY, DEV, PROD, assert_lines, build_file_tree, edited, small_fleet, tree_bytes
from tests.test_example import kustomize

CHAT = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Model
    metadata: {name: chat}
    spec:
      version: "0.3.0"
      serving: helm
      chart: {repo: "oci://ghcr.io/acme/charts", name: vllm-server, version: "{{ version }}"}
      values:
        model: meta-llama/Llama-3.1-8B-Instruct
        servedName: "chat-{{ environment }}"
        resources: {gpu: 1}
"""

TRITON = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Model
    metadata: {name: triton}
    spec:
      version: "2.1.0"
      serving: helm
      chart: {repo: "https://charts.example.com/stable", name: triton-inference-server, version: "1.4.0"}
      releaseName: triton-main
      monitoring: {metrics: true, path: /metrics}
      port: 8002
"""


def helm_tree(root, project_extra: str = "", chat_prod: str = "{}", files: dict | None = None):
    tree = {**small_fleet(), "models/chat.yaml": CHAT, "models/triton.yaml": TRITON}
    tree["envs/dev.yaml"] = edited(DEV, "iris: {}", "iris: {}\n        chat: {}\n        triton: {}")
    tree["envs/prod.yaml"] = edited(PROD, "      models:\n", f"      models:\n        chat: {chat_prod}\n"
                                                               "        triton: {}\n")
    if project_extra:
        tree["project.yaml"] = tree["project.yaml"] + project_extra
    tree.update(files or {})
    return build_file_tree(root, tree)


def by_path(fleet) -> dict[str, dict]:
    return {f.path: f.obj for f in build_fleet(fleet)}


@pytest.fixture
def fleet(tmp_path):
    return load_fleet(helm_tree(tmp_path / "src", chat_prod='{version: "0.2.1", values: {resources: {gpu: 2}}}'))


def test_argocd_application_installs_the_chart_with_its_values(fleet):
    files = by_path(fleet)
    app = files["argocd/prod/application-prod-prod-a-chat.yaml"]["spec"]
    # oci:// is dropped: a scheme-less repoURL with `chart` is how Argo CD reads an OCI Helm registry.
    assert app["source"] == {
        "repoURL": "ghcr.io/acme/charts", "chart": "vllm-server", "targetRevision": "0.2.1",
        "helm": {"releaseName": "chat", "valuesObject": {
            "model": "meta-llama/Llama-3.1-8B-Instruct", "servedName": "chat-prod", "resources": {"gpu": 2}}}}
    assert "sources" not in app
    assert app["destination"] == {"server": "https://a.example.com:6443", "namespace": "ml-prod"}
    assert app["syncPolicy"]["automated"] == {"prune": False, "selfHeal": True}
    project = files["argocd/prod/appproject-prod.yaml"]["spec"]
    assert project["sourceRepos"] == ["https://git.example.com/demo.git", "ghcr.io/acme/charts",
                                      "https://charts.example.com/stable"]


def test_a_chart_with_monitors_has_two_sources_and_a_release_directory(fleet):
    files = by_path(fleet)
    app = files["argocd/dev/application-dev-dev-1-triton.yaml"]["spec"]
    chart, directory = app["sources"]
    assert "source" not in app
    assert chart == {"repoURL": "https://charts.example.com/stable", "chart": "triton-inference-server",
                     "targetRevision": "1.4.0", "helm": {"releaseName": "triton-main"}}
    assert directory["path"] == "rendered/workloads/dev/dev-1/triton"
    monitor = files["workloads/dev/dev-1/triton/podmonitor-triton.yaml"]
    assert monitor["spec"]["selector"] == {"matchLabels": {"app.kubernetes.io/instance": "triton-main"}}
    endpoint = monitor["spec"]["podMetricsEndpoints"][0]
    assert endpoint["portNumber"] == 8002
    assert {"action": "replace", "targetLabel": "gitops_gen_io_model", "replacement": "triton"} \
        in endpoint["relabelings"]
    # Nothing beside the chart: no release directory at all.
    assert not [p for p in files if p.startswith("workloads/dev/dev-1/chat/")]


def test_a_chart_monitor_without_a_port_scrapes_8080(tmp_path):
    src = helm_tree(tmp_path / "src", files={"models/triton.yaml": edited(TRITON, "      port: 8002\n", "")})
    files = by_path(load_fleet(src))
    [endpoint] = files["workloads/dev/dev-1/triton/podmonitor-triton.yaml"]["spec"]["podMetricsEndpoints"]
    assert endpoint["portNumber"] == 8080


def test_flux_gets_chart_sources_and_helmreleases_with_waves(fleet):
    files = by_path(fleet)
    hub = {p.rsplit("/", 1)[1]: o for p, o in files.items() if p.startswith("flux/hub/")}
    release = hub["helmrelease-prod-prod-b-chat.yaml"]["spec"]
    assert release["chartRef"] == {"kind": "OCIRepository", "name": "prod-prod-b-chat"}
    assert release["releaseName"] == "chat" and release["targetNamespace"] == "ml-prod"
    assert release["storageNamespace"] == "ml-prod"
    assert release["values"]["resources"] == {"gpu": 2}
    # Its dependsOn may only name HelmReleases, so it cannot wait for namespaces.<cluster>: Helm creates it.
    assert release["install"] == {"createNamespace": True, "remediation": {"retries": 3}}
    assert release["upgrade"] == {"remediation": {"retries": 3, "strategy": "rollback"}}
    assert release["timeout"] == "10m" and release["kubeConfig"] == {"secretRef": {"name": "prod-b-kubeconfig"}}
    oci = hub["ocirepository-prod-prod-b-chat.yaml"]["spec"]
    assert oci["url"] == "oci://ghcr.io/acme/charts/vllm-server" and oci["ref"] == {"tag": "0.2.1"}
    assert oci["layerSelector"]["mediaType"] == "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
    assert "secretRef" not in oci
    # An https repository: chart.spec over one HelmRepository per Flux folder.
    local = {p.rsplit("/", 1)[1]: o for p, o in files.items() if p.startswith("flux/clusters/dev-1/")}
    [repo_file] = [name for name in local if name.startswith("helmrepository-")]
    assert local[repo_file]["spec"] == {"interval": "5m", "url": "https://charts.example.com/stable"}
    triton = local["helmrelease-dev-dev-1-triton.yaml"]["spec"]
    assert triton["chart"]["spec"]["sourceRef"] == {"kind": "HelmRepository",
                                                   "name": local[repo_file]["metadata"]["name"]}
    assert triton["chart"]["spec"]["version"] == "1.4.0" and triton["releaseName"] == "triton-main"
    # Its monitors have a Kustomization of their own; the chart alone has none.
    assert "kustomization-dev-dev-1-triton.yaml" in local
    assert "kustomization-dev-dev-1-chat.yaml" not in local


def test_hub_waves_link_helmreleases(tmp_path):
    prod = edited(PROD, "          wave: 1\n", "          wave: 1\n        - name: prod-c\n"
                        "          server: https://c.example.com:6443\n          kubeConfigSecret: prod-c-kubeconfig\n"
                        "          wave: 2\n")
    fleet = load_fleet(helm_tree(tmp_path / "src", files={"envs/prod.yaml": edited(prod, "      models:\n", "      models:\n        chat: {}\n")}))
    files = by_path(fleet)
    assert files["flux/hub/helmrelease-prod-prod-c-chat.yaml"]["spec"]["dependsOn"] == [{"name": "prod-prod-b-chat"}]
    assert "dependsOn" not in files["flux/hub/helmrelease-prod-prod-b-chat.yaml"]["spec"]


def test_chart_secrets_and_every_object_validates(tmp_path, run):
    src = helm_tree(tmp_path / "src", project_extra="      flux:\n        chartSecrets:\n"
                                                     "          oci://ghcr.io/acme/charts: ghcr-charts\n")
    fleet = load_fleet(src)
    files = by_path(fleet)
    assert files["flux/hub/ocirepository-prod-prod-b-chat.yaml"]["spec"]["secretRef"] == {"name": "ghcr-charts"}
    for path, obj in files.items():
        if not path.endswith("/kustomization.yaml"):
            assert schema_errors(obj) == [], path
    result = run("validate", "--source", src)
    assert result.exit_code == 0, result.stderr


def test_rendered_folders_build_with_kustomize(tmp_path, run):
    src = helm_tree(tmp_path / "src")
    assert run("render", "--source", src, "--out", tmp_path / "out").exit_code == 0
    out = tmp_path / "out"
    kinds = {o["kind"] for o in kustomize(out / "flux/hub")}
    assert {"HelmRelease", "OCIRepository", "Kustomization"} <= kinds
    assert [o["kind"] for o in kustomize(out / "workloads/dev/dev-1/triton")] == ["PodMonitor"]


def test_applicationsets_share_one_chart_source(tmp_path):
    src = helm_tree(tmp_path / "src", project_extra="      argocd: {applicationSets: true}\n")
    files = by_path(load_fleet(src))
    spec = files["argocd/prod/applicationset-prod-chat.yaml"]["spec"]["template"]["spec"]
    assert spec["source"]["chart"] == "vllm-server" and spec["source"]["targetRevision"] == "0.3.0"


def test_applicationsets_refuse_values_that_differ_by_cluster(tmp_path, run):
    src = helm_tree(tmp_path / "src", project_extra="      argocd: {applicationSets: true}\n",
                    chat_prod="{values: {cluster: '{{ cluster }}'}}")
    result = run("render", "--source", src, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert_lines(result.stderr, [f"gitops-gen: model 'chat' in environment 'prod': the chart, its values or "
                                 f"monitoring differ between clusters 'prod-a' and 'prod-b'{ANY}"])
    assert not (tmp_path / "out").exists()


def test_plugin_mode_adds_the_plugin_as_second_source(tmp_path):
    src = helm_tree(tmp_path / "src", project_extra="      argocd: {mode: plugin}\n")
    files = by_path(load_fleet(src))
    chart, plugin = files["argocd/dev/application-dev-dev-1-triton.yaml"]["spec"]["sources"]
    assert chart["chart"] == "triton-inference-server"
    assert plugin["plugin"]["name"] == "gitops-gen-v1"
    assert files["argocd/dev/application-dev-dev-1-chat.yaml"]["spec"]["source"]["chart"] == "vllm-server"


def test_plugin_index_answers_a_chart_release(tmp_path):
    from plugin.release_index import build_index, select
    from plugin.selection import Selector

    index = build_index(helm_tree(tmp_path / "src"))
    keys = select(index, Selector(environment="dev", model="triton"))
    assert "kind: PodMonitor" in index["releases"][keys[0]]["yaml"]
    # The chart alone prints nothing, which is safe: the chart is the Application's other source.
    assert select(index, Selector(environment="dev", model="chat")) == ["dev/dev-1/chat"]


BAD = [
    ("chart-without-version", {"models/chat.yaml": edited(CHAT, ', version: "{{ version }}"', "")},
     "models/chat.yaml:7: spec.chart.version: required field is missing"),
    ("values-not-a-mapping", {"models/chat.yaml": edited(CHAT, "      values:\n        model: meta-llama/Llama-3.1-8B-Instruct\n"
        "        servedName: \"chat-{{ environment }}\"\n        resources: {gpu: 1}\n", "      values: [1, 2]\n")},
     "models/chat.yaml:8: spec.values: must be a mapping, not a list"),
    ("repo-neither-https-nor-oci", {"models/chat.yaml": edited(CHAT, "oci://ghcr.io", "http://ghcr.io")},
     "models/chat.yaml:7: spec.chart.repo: 'http://ghcr.io/acme/charts' is not an https:// Helm repository or an "
     "oci:// registry path"),
    ("canary", {"models/chat.yaml": CHAT + "      rollout: {strategy: canary}\n"},
     "models/chat.yaml:12: spec.rollout.strategy: canary does not apply to serving: helm: the chart builds its own "
     "objects (use direct; a chart's own rollout settings go in values)"),
    ("chart-without-helm", {"models/iris.yaml": small_fleet()["models/iris.yaml"]
                            + "      chart: {repo: https://c.example.com, name: x, version: '1'}\n"},
     f"models/iris.yaml:{ANY}: spec.chart: only for serving: helm"),
    ("helm-without-chart", {"models/chat.yaml": edited(CHAT, '      chart: {repo: "oci://ghcr.io/acme/charts", name: vllm-server, version: "{{ version }}"}\n', "")},
     "models/chat.yaml:4: spec.chart: required for serving: helm ({repo, name, version})"),
    # The chart builds its own pods: their container fields go in values, never silently dropped.
    ("container-field", {"models/chat.yaml": CHAT + "      command: [vllm, serve]\n"},
     "models/chat.yaml:12: spec.command: does not apply to serving: helm: the chart builds its own objects "
     "(set it in values)"),
    ("kserve-only-field", {"models/chat.yaml": CHAT + "      workers: {tensorParallelSize: 2}\n"},
     "models/chat.yaml:12: spec.workers: does not apply to serving: helm: multi-node serving is KServe's "
     "(serving: kserve with format: huggingface, or serving: llm)"),
    ("alerts", {"models/triton.yaml": edited(TRITON, "path: /metrics}", "path: /metrics, alerts: {latencyP99: 1s}}")},
     "models/triton.yaml:9: spec.monitoring.alerts.latencyP99: a Helm chart's server (chart triton-inference-server) "
     "exports no latency histogram to take a percentile of (docs/rollouts.md, Which metrics)"),
]


@pytest.mark.parametrize("files, expected", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_helm_input_is_one_located_line_and_writes_nothing(tmp_path, run, files, expected):
    src = helm_tree(tmp_path / "src", files=files)
    out = tmp_path / "out"
    for args in (["render", "--out", out], ["validate"]):
        result = run(*args, "--source", src)
        assert result.exit_code == 1, result.stderr
        assert_lines(result.stderr, [expected], args)
    assert not out.exists()


def test_show_diff_and_promote_treat_a_chart_release_like_any_other(tmp_path, run):
    src = helm_tree(tmp_path / "src", chat_prod='{version: "0.2.1", values: {resources: {gpu: 2}}}')
    shown = run("show", "--source", src, "--env", "prod", "--cluster", "prod-a", "--model", "chat")
    assert shown.exit_code == 0
    assert shown.stdout.startswith("# prod/prod-a/chat: Helm chart vllm-server 0.2.1 from oci://ghcr.io/acme/charts, "
                                   "release chat in ml-prod")
    assert "#     gpu: 2\n" in shown.stdout
    assert list(yaml.safe_load_all(shown.stdout)) == []  # comments only: still a valid YAML stream
    diff = run("diff", "dev", "prod", "--model", "chat", "--source", src)
    assert diff.exit_code == 0
    assert "  chart.version: \"0.3.0\" -> \"0.2.1\"\n" in diff.stdout
    assert "  values.resources.gpu: 1 -> 2\n" in diff.stdout
    assert run("render", "--source", src, "--out", tmp_path / "out").exit_code == 0
    promoted = run("promote", "chat", "--to", "prod", "--source", src, "--out", tmp_path / "out")
    assert promoted.exit_code == 0, promoted.stderr
    release = yaml.safe_load((tmp_path / "out/flux/hub/helmrelease-prod-prod-b-chat.yaml").read_text())
    oci = yaml.safe_load((tmp_path / "out/flux/hub/ocirepository-prod-prod-b-chat.yaml").read_text())
    assert oci["spec"]["ref"] == {"tag": "0.3.0"} and release["spec"]["values"]["resources"] == {"gpu": 2}


# --- the health gate ------------------------------------------------------------------------------------


@pytest.fixture
def gate(tmp_path):
    made = []

    def cluster(name):
        made.append(kubeapi.StandInCluster(name))
        return made[-1]

    fleet = load_fleet(helm_tree(tmp_path / "src", chat_prod='{version: "0.2.1"}'))
    a, b, hub = cluster("prod-a"), cluster("prod-b"), cluster("hub")
    kubeconfig = kubeapi.write_kubeconfig(tmp_path / "kubeconfig", {"prod-a": a.url, "prod-b": b.url, "hub": hub.url})
    yield fleet, str(kubeconfig), a, b, hub
    for c in made:
        c.close()


def test_gate_passes_when_helmreleases_are_ready_with_the_chart_version(gate):
    fleet, kubeconfig, a, b, hub = gate
    release_a, release_b = fleet.select(environment="prod", model="chat")
    a.put(application(fleet, release_a), kubeapi.argocd_status())
    b.put(application(fleet, release_b), kubeapi.argocd_status())
    a.put(helm_release(fleet, release_a), kubeapi.helm_release_status("0.2.1"))
    hub.put(helm_release(fleet, release_b), kubeapi.helm_release_status("0.2.1"))
    assert check_release_health(fleet, "prod", "chat", kubeconfig=kubeconfig, flux_hub_context="hub") == []
    assert "/apis/helm.toolkit.fluxcd.io/v2/namespaces/flux-system/helmreleases/prod-prod-b-chat" in hub.requests
    assert not [r for r in a.requests + hub.requests if "kustomizations" in r]


def test_gate_refuses_a_failed_or_outdated_helmrelease(gate):
    fleet, kubeconfig, a, b, hub = gate
    release_a, release_b = fleet.select(environment="prod", model="chat")
    a.put(application(fleet, release_a), kubeapi.argocd_status())
    b.put(application(fleet, release_b), kubeapi.argocd_status(health="Degraded"))
    a.put(helm_release(fleet, release_a), kubeapi.helm_release_status("0.2.0"))
    hub.put(helm_release(fleet, release_b), kubeapi.helm_release_status("0.2.1", ready=False))
    assert check_release_health(fleet, "prod", "chat", kubeconfig=kubeconfig, flux_hub_context="hub") == [
        "prod/prod-a (context prod-a): Flux HelmRelease prod-prod-a-chat runs chart version 0.2.0, not 0.2.1",
        "prod/prod-b (context prod-b): Argo CD Application argocd/prod-prod-b-chat is Synced/Degraded "
        "(want Synced/Healthy); Flux HelmRelease flux-system/prod-prod-b-chat is not Ready: UpgradeFailed",
    ]


def test_gate_checks_the_kustomization_of_what_is_beside_the_chart(tmp_path):
    fleet = load_fleet(helm_tree(tmp_path / "src"))
    [release] = fleet.select(environment="dev", model="triton")
    api = kubeapi.StandInCluster("dev-1")
    try:
        kubeconfig = kubeapi.write_kubeconfig(tmp_path / "kubeconfig", {"dev-1": api.url})
        api.put(application(fleet, release), kubeapi.argocd_status())
        api.put(helm_release(fleet, release), kubeapi.helm_release_status("1.4.0"))
        api.put(kustomization(fleet, release), kubeapi.flux_status(ready=False))
        assert check_release_health(fleet, "dev", "triton", kubeconfig=str(kubeconfig)) == [
            "dev/dev-1 (context dev-1): Flux Kustomization flux-system/dev-dev-1-triton is not Ready: HealthCheckFailed"]
    finally:
        api.close()


def test_render_is_deterministic_with_charts(tmp_path, run):
    src = helm_tree(tmp_path / "src")
    for out in ("a", "b"):
        assert run("render", "--source", src, "--out", tmp_path / out).exit_code == 0
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
    assert json.dumps(sorted(tree_bytes(tmp_path / "a")))  # sanity: something was written


# --- Helm beside engines per cluster, namespaces, Flux sources and Argo CD settings --------------------------

ONE_ENGINE_PER_CLUSTER = PROD.replace("          kubeConfigSecret: prod-b-kubeconfig\n",
                                      "          kubeConfigSecret: prod-b-kubeconfig\n          engine: flux\n")


def test_chart_objects_follow_each_clusters_engine(tmp_path):
    src = helm_tree(tmp_path / "src", files={"envs/prod.yaml": ONE_ENGINE_PER_CLUSTER.replace(
        "          labels: {region: eu}\n", "          labels: {region: eu}\n          engine: argocd\n").replace(
        "      models:\n", "      models:\n        chat: {}\n")})
    files = by_path(load_fleet(src))
    # prod-a: Argo CD only: an Application, no HelmRelease or chart source for it.
    assert "argocd/prod/application-prod-prod-a-chat.yaml" in files
    assert not [p for p in files if p.startswith("flux/") and "prod-a" in p]
    # prod-b: Flux only (from the hub): a HelmRelease and its OCIRepository, no Application.
    assert "argocd/prod/application-prod-prod-b-chat.yaml" not in files
    assert {"flux/hub/helmrelease-prod-prod-b-chat.yaml", "flux/hub/ocirepository-prod-prod-b-chat.yaml"} <= set(files)


def test_chart_only_flux_folders_need_no_git_source_nor_namespaces(tmp_path):
    # prod-b by Flux with only the chart (no monitors): no GitRepository, no namespaces Kustomization.
    prod = ONE_ENGINE_PER_CLUSTER.replace("      models:\n        iris:\n          version: \"1.0.0\"\n"
                                          "          replicas: {min: 2, max: 5}\n", "      models:\n        chat: {}\n")
    src = helm_tree(tmp_path / "src", files={"envs/prod.yaml": prod})
    hub = {p.rsplit("/", 1)[1]: o for p, o in by_path(load_fleet(src)).items() if p.startswith("flux/hub/")}
    assert sorted(hub) == ["helmrelease-prod-prod-b-chat.yaml", "kustomization.yaml",
                           "ocirepository-prod-prod-b-chat.yaml"]
    assert hub["helmrelease-prod-prod-b-chat.yaml"]["spec"]["install"]["createNamespace"] is True


def test_a_charts_kustomization_waits_for_the_namespaces_and_its_namespace_is_written(fleet):
    files = by_path(fleet)
    local = {p.rsplit("/", 1)[1]: o for p, o in files.items() if p.startswith("flux/clusters/dev-1/")}
    # triton has monitors: its Kustomization dependsOn namespaces.dev-1 as every release Kustomization does,
    # and ml-dev is a Namespace of dev-1 (the HelmRelease's createNamespace only covers a race).
    assert local["kustomization-dev-dev-1-triton.yaml"]["spec"]["dependsOn"] == [{"name": "namespaces.dev-1"}]
    assert "namespaces/dev-1/namespace-ml-dev.yaml" in files
    assert "dependsOn" not in local["helmrelease-dev-dev-1-triton.yaml"]["spec"]


def test_helmreleases_run_as_the_flux_service_account_and_ignore_the_git_source(tmp_path):
    src = helm_tree(tmp_path / "src", project_extra=(
        "      flux:\n        serviceAccountName: ml-deployer\n"
        "        sourceRef: {kind: GitRepository, name: flux-system}\n"))
    files = by_path(load_fleet(src))
    release = files["flux/hub/helmrelease-prod-prod-b-chat.yaml"]["spec"]
    assert release["serviceAccountName"] == "ml-deployer"
    assert "sourceRef" not in release and release["chartRef"]["kind"] == "OCIRepository"
    assert not [p for p in files if p.startswith("flux/") and "/gitrepository-" in p]
    triton = files["flux/clusters/dev-1/kustomization-dev-dev-1-triton.yaml"]["spec"]
    assert triton["sourceRef"] == {"kind": "GitRepository", "name": "flux-system"}
    for path, obj in files.items():
        if not path.endswith("/kustomization.yaml"):
            assert schema_errors(obj) == [], path


def test_chart_applications_follow_the_argocd_settings(tmp_path):
    chat = CHAT + """\
      argocd:
        ignoreDifferences: [{group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}]
        syncOptions: [ServerSideApply=true]
"""
    for application_sets in (False, True):
        src = helm_tree(tmp_path / f"src-{application_sets}", files={"models/chat.yaml": chat}, project_extra=(
            "      argocd:\n        project: \"ml-{{ environment }}\"\n        destination: name\n"
            f"        applicationSets: {str(application_sets).lower()}\n"))
        files = by_path(load_fleet(src))
        if application_sets:
            spec = files["argocd/prod/applicationset-prod-chat.yaml"]["spec"]["template"]["spec"]
            assert spec["destination"] == {"name": "{{ .name }}", "namespace": "ml-prod"}
        else:
            spec = files["argocd/prod/application-prod-prod-a-chat.yaml"]["spec"]
            assert spec["destination"] == {"name": "prod-a", "namespace": "ml-prod"}
        assert spec["project"] == "ml-prod"
        assert spec["source"]["chart"] == "vllm-server"
        assert spec["syncPolicy"]["syncOptions"] == ["CreateNamespace=true", "PruneLast=true", "ServerSideApply=true"]
        assert spec["ignoreDifferences"] == [{"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]}]
        project = files["argocd/prod/appproject-ml-prod.yaml"]
        assert project["metadata"]["name"] == "ml-prod"
        assert "ghcr.io/acme/charts" in project["spec"]["sourceRepos"]
        assert {"name": "prod-a", "namespace": "ml-prod"} in project["spec"]["destinations"]
