"""Build: what each spec field turns into, object by object."""
from __future__ import annotations

from generator.builders import layout
from generator.builders.argocd import app_project, application
from generator.builders.files import build_fleet
from generator.builders.flux import kustomization
from generator.builders.workloads import workload_objects
from generator.resolve.fleet import load_fleet
from tests.helpers import build_file_tree, edited, release_named, small_fleet

RECOMMENDER = """\
    apiVersion: gitops-gen.io/v1alpha1
    kind: Model
    metadata: {name: rec}
    spec:
      version: "2.0"
      format: custom
      serving: deployment
      image: "ghcr.io/acme/rec:{{ version }}"
      port: 9000
      protocol: PROTOCOL
      resources: {cpu: 250m, memory: 512Mi, gpu: 2}
      replicas: {min: 2, max: MAX}
      autoscaling: {metric: memory, target: 60}
      env: {B: "2", A: "1"}
      secretEnv: [{name: TOKEN, secret: rec-secrets, key: token}]
      nodeSelector: {pool: gpu}
      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
"""


def fleet_with(tmp_path, files=None, protocol="v2", max_replicas=6):
    tree = {**small_fleet(), **(files or {})}
    tree["models/rec.yaml"] = edited(edited(RECOMMENDER, "PROTOCOL", protocol), "MAX", str(max_replicas))
    tree["envs/dev.yaml"] = edited(tree["envs/dev.yaml"], "iris: {}", "iris: {}\n        rec: {}")
    return load_fleet(build_file_tree(tmp_path / "src", tree))


def by_kind(objects):
    return {o["kind"]: o for o in objects}


def test_inference_service_from_a_kserve_model(source):
    prod_a = release_named(load_fleet(source), "prod-prod-a-iris")
    [isvc] = workload_objects(prod_a)
    assert isvc["apiVersion"] == "serving.kserve.io/v1beta1"
    assert isvc["metadata"]["namespace"] == "ml-prod"
    assert isvc["metadata"]["annotations"]["serving.kserve.io/deploymentMode"] == "Standard"
    predictor = isvc["spec"]["predictor"]
    assert (predictor["minReplicas"], predictor["maxReplicas"]) == (2, 5)
    assert predictor["model"] == {
        "modelFormat": {"name": "sklearn"},
        # No protocol in the spec: none written, so KServe's runtime default applies.
        "runtime": "kserve-sklearnserver",
        "storageUri": "s3://models/iris/1.0.0",
        "resources": {"limits": {"cpu": "1", "memory": "4Gi"}, "requests": {"cpu": "1", "memory": "4Gi"}},
    }


def test_labels_and_source_annotation_on_workloads(source):
    [isvc] = workload_objects(release_named(load_fleet(source), "dev-dev-1-iris"))
    labels = isvc["metadata"]["labels"]
    assert labels["app.kubernetes.io/managed-by"] == "gitops-gen"
    assert (labels["gitops-gen.io/environment"], labels["gitops-gen.io/cluster"], labels["gitops-gen.io/model"]) \
        == ("dev", "dev-1", "iris")
    assert labels["team"] == "demo"  # the Model's own labels
    assert labels["app.kubernetes.io/version"] == "1.1.0"
    assert isvc["metadata"]["annotations"]["gitops-gen.io/source"] == "envs/dev.yaml,models/iris.yaml,project.yaml"


def test_deployment_service_and_hpa(tmp_path):
    release = next(r for r in fleet_with(tmp_path).releases if r.model == "rec")
    objects = by_kind(workload_objects(release))
    assert list(objects) == ["Deployment", "Service", "HorizontalPodAutoscaler"]
    deployment, service, hpa = objects["Deployment"], objects["Service"], objects["HorizontalPodAutoscaler"]
    assert "replicas" not in deployment["spec"]  # the HPA owns the replica count
    pod = deployment["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["image"] == "ghcr.io/acme/rec:2.0"
    assert container["ports"] == [{"name": "http", "containerPort": 9000, "protocol": "TCP"}]
    assert container["resources"]["limits"]["nvidia.com/gpu"] == 2
    assert "nvidia.com/gpu" not in container["resources"]["requests"]
    assert container["env"] == [
        {"name": "A", "value": "1"}, {"name": "B", "value": "2"},
        {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "rec-secrets", "key": "token"}}}]
    assert container["readinessProbe"]["httpGet"] == {"path": "/v2/health/ready", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/v2/health/live", "port": "http"}
    assert pod["nodeSelector"] == {"pool": "gpu"}
    assert pod["tolerations"] == [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
    # The Service selects exactly the Deployment's pods, on the named port.
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert service["spec"]["selector"] == selector
    assert selector.items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "rec"}
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 6)
    assert hpa["spec"]["metrics"][0]["resource"] == {
        "name": "memory", "target": {"type": "Utilization", "averageUtilization": 60}}


def test_fixed_replicas_mean_no_hpa_and_v1_probes(tmp_path):
    release = next(r for r in fleet_with(tmp_path, protocol="v1", max_replicas=2).releases if r.model == "rec")
    objects = by_kind(workload_objects(release))
    assert list(objects) == ["Deployment", "Service"]
    assert objects["Deployment"]["spec"]["replicas"] == 2
    [container] = objects["Deployment"]["spec"]["template"]["spec"]["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/v1/models/rec"


def test_application_points_at_the_release_directory(source):
    fleet = load_fleet(source)
    prod_b = release_named(fleet, "prod-prod-b-iris")
    app = application(fleet, prod_b)
    assert app["metadata"]["namespace"] == "argocd"
    assert app["metadata"]["finalizers"] == ["resources-finalizer.argocd.argoproj.io"]
    assert app["spec"]["project"] == "prod"
    assert app["spec"]["source"] == {"repoURL": "https://git.example.com/demo.git", "targetRevision": "main",
                                     "path": "rendered/workloads/prod/prod-b/iris"}
    assert app["spec"]["destination"] == {"server": "https://b.example.com:6443", "namespace": "ml-prod"}
    # Environment sync: prune off in prod.
    assert app["spec"]["syncPolicy"]["automated"] == {"prune": False, "selfHeal": True}


def test_cluster_labels_go_on_applications(source):
    fleet = load_fleet(source)
    app = application(fleet, release_named(fleet, "prod-prod-a-iris"))
    assert app["metadata"]["labels"]["region"] == "eu"
    assert app["metadata"]["labels"]["gitops-gen.io/cluster"] == "prod-a"


def test_manual_sync_has_no_automated_block(tmp_path):
    prod = edited(small_fleet()["envs/prod.yaml"], "sync: {prune: false}", "sync: {automated: false}")
    fleet = load_fleet(build_file_tree(tmp_path / "src", {**small_fleet(), "envs/prod.yaml": prod}))
    assert "automated" not in application(fleet, release_named(fleet, "prod-prod-a-iris"))["spec"]["syncPolicy"]


def test_plugin_mode_applications(tmp_path):
    project = small_fleet()["project.yaml"] + "      argocd: {mode: plugin}\n"
    fleet = load_fleet(build_file_tree(tmp_path / "src", {**small_fleet(), "project.yaml": project}))
    source = application(fleet, release_named(fleet, "prod-prod-b-iris"))["spec"]["source"]
    assert source["path"] == "environments"
    assert source["plugin"] == {"name": "gitops-gen-v1", "parameters": [
        {"name": "environment", "string": "prod"}, {"name": "model", "string": "iris"},
        {"name": "cluster", "string": "prod-b"}]}
    assert not {"helm", "kustomize", "directory"} & set(source)


def test_app_project_per_environment(source):
    fleet = load_fleet(source)
    prod = fleet.environments[1]
    project = app_project(fleet, prod)
    assert project["metadata"]["name"] == "prod"
    assert project["spec"]["sourceRepos"] == ["https://git.example.com/demo.git"]
    assert project["spec"]["destinations"] == [
        {"server": "https://a.example.com:6443", "namespace": "ml-prod"},
        {"server": "https://b.example.com:6443", "namespace": "ml-prod"}]


def test_flux_kustomization(source):
    fleet = load_fleet(source)
    prod_a, prod_b = release_named(fleet, "prod-prod-a-iris"), release_named(fleet, "prod-prod-b-iris")
    k = kustomization(fleet, prod_b)
    assert k["spec"]["path"] == "./rendered/workloads/prod/prod-b/iris"
    assert k["spec"]["sourceRef"] == {"kind": "GitRepository", "name": "demo"}
    assert k["spec"]["prune"] is False
    assert k["spec"]["targetNamespace"] == "ml-prod"
    assert k["spec"]["timeout"] == "10m"
    assert k["spec"]["kubeConfig"] == {"secretRef": {"name": "prod-b-kubeconfig"}}
    assert "kubeConfig" not in kustomization(fleet, prod_a)["spec"]
    # A remote cluster's Kustomization is applied by the hub's Flux.
    assert layout.flux_dir(prod_b) == "flux/hub"
    assert layout.flux_dir(prod_a) == "flux/clusters/prod-a"


def test_output_files_and_kustomizations(source):
    files = {f.path: f.obj for f in build_fleet(load_fleet(source))}
    assert files["workloads/prod/prod-a/iris/kustomization.yaml"]["resources"] == ["inferenceservice-iris.yaml"]
    assert files["flux/hub/kustomization.yaml"]["resources"] == [
        "gitrepository-demo.yaml", "kustomization-namespaces.prod-b.yaml", "kustomization-prod-prod-b-iris.yaml"]
    assert files["flux/hub/gitrepository-demo.yaml"]["spec"]["ref"] == {"branch": "main"}
    assert files["argocd/prod/kustomization.yaml"]["resources"] == [
        "application-prod-prod-a-iris.yaml", "application-prod-prod-b-iris.yaml", "appproject-prod.yaml"]


def test_argocd_only_project_has_no_flux_files(tmp_path):
    project = edited(small_fleet()["project.yaml"], "engines: [argocd, flux]", "engines: [argocd]")
    fleet = load_fleet(build_file_tree(tmp_path / "src", {**small_fleet(), "project.yaml": project}))
    assert not [f for f in build_fleet(fleet) if f.path.startswith(("flux/", "namespaces/"))]
