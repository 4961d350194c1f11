"""Rollout strategies: canary, blue/green and A/B, for serving: deployment and kserve; and the combinations refused."""
from __future__ import annotations

import textwrap

import pytest

from generator.builders.files import build_fleet
from generator.builders.flux import kustomization
from generator.builders.validation import schema_errors
from generator.builders.workloads import workload_objects
from generator.errors import GitopsGenError
from tests.helpers import (
    AB,
    DEPLOYMENT_MODEL,
    KSERVE_MODEL,
    edited,
    problems,
    rec_objects,
    release_named,
    small_fleet,
    with_model,
)


def test_canary_with_deployment_is_an_argo_rollout_with_steps_services_and_hpa(tmp_path):
    objects = rec_objects(tmp_path, DEPLOYMENT_MODEL, """\
        rollout: {strategy: canary, canary: {steps: [10, 50, 100], pause: 10m}}
    """)
    assert set(objects) == {("Rollout", "rec"), ("Service", "rec"), ("Service", "rec-canary"),
                            ("HorizontalPodAutoscaler", "rec")}
    rollout = objects[("Rollout", "rec")]
    assert rollout["apiVersion"] == "argoproj.io/v1alpha1"
    canary = rollout["spec"]["strategy"]["canary"]
    assert canary["stableService"] == "rec" and canary["canaryService"] == "rec-canary"
    # A timed pause after each weight below 100; 100 needs none.
    assert canary["steps"] == [{"setWeight": 10}, {"pause": {"duration": "10m"}},
                               {"setWeight": 50}, {"pause": {"duration": "10m"}}, {"setWeight": 100}]
    # The HPA owns the replica count and scales the Rollout.
    assert "replicas" not in rollout["spec"]
    assert objects[("HorizontalPodAutoscaler", "rec")]["spec"]["scaleTargetRef"] == {
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": "rec"}
    # Both Services select the Rollout's pods; Argo Rollouts narrows them to a ReplicaSet at run time.
    selector = rollout["spec"]["selector"]["matchLabels"]
    for name in ("rec", "rec-canary"):
        assert objects[("Service", name)]["spec"]["selector"] == selector
    container = rollout["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "ghcr.io/acme/rec:1.0.0"


def test_canary_without_pause_waits_for_manual_promotion_and_defaults_its_steps(tmp_path):
    objects = rec_objects(tmp_path, DEPLOYMENT_MODEL, "rollout: {strategy: canary}\n")
    assert objects[("Rollout", "rec")]["spec"]["strategy"]["canary"]["steps"] == [
        {"setWeight": 10}, {"pause": {}}, {"setWeight": 50}, {"pause": {}}]


def test_bluegreen_is_a_rollout_with_active_and_preview_services(tmp_path):
    objects = rec_objects(tmp_path, DEPLOYMENT_MODEL, "rollout: {strategy: bluegreen}\n")
    assert ("Deployment", "rec") not in objects
    blue_green = objects[("Rollout", "rec")]["spec"]["strategy"]["blueGreen"]
    assert (blue_green["activeService"], blue_green["previewService"]) == ("rec", "rec-preview")
    assert {("Service", "rec"), ("Service", "rec-preview")} <= set(objects)


def test_kserve_canary_in_knative_mode_is_canary_traffic_percent(tmp_path):
    objects = rec_objects(tmp_path, KSERVE_MODEL, """\
        deploymentMode: Knative
        rollout: {strategy: canary, canary: {steps: [25]}}
    """)
    isvc = objects[("InferenceService", "rec")]
    assert isvc["spec"]["predictor"]["canaryTrafficPercent"] == 25
    assert isvc["metadata"]["annotations"]["serving.kserve.io/deploymentMode"] == "Knative"


def test_ab_with_deployment_runs_each_variant_at_its_version_behind_a_weighted_route(tmp_path):
    objects = rec_objects(tmp_path, DEPLOYMENT_MODEL, AB)
    images = {}
    for variant, version in (("a", "1.0.0"), ("b", "1.1.0")):
        deployment = objects[("Deployment", f"rec-{variant}")]
        pod = deployment["spec"]["template"]
        images[variant] = pod["spec"]["containers"][0]["image"]
        assert pod["metadata"]["labels"]["app.kubernetes.io/version"] == version
        # Each variant's selector names it, so a Service never picks the other variant's pods.
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert selector["gitops-gen.io/variant"] == variant
        assert objects[("Service", f"rec-{variant}")]["spec"]["selector"] == selector
        assert objects[("HorizontalPodAutoscaler", f"rec-{variant}")]["spec"]["scaleTargetRef"]["name"] == f"rec-{variant}"
    # {{ version }} in the image is each variant's own version.
    assert images == {"a": "ghcr.io/acme/rec:1.0.0", "b": "ghcr.io/acme/rec:1.1.0"}
    route = objects[("HTTPRoute", "rec")]
    assert route["apiVersion"] == "gateway.networking.k8s.io/v1"
    assert route["spec"]["parentRefs"] == [
        {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "ml-gateway", "namespace": "gateways"}]
    assert route["spec"]["hostnames"] == ["rec.example.com"]
    assert route["spec"]["rules"] == [{"backendRefs": [
        {"name": "rec-a", "port": 80, "weight": 90}, {"name": "rec-b", "port": 80, "weight": 10}]}]


def test_ab_with_kserve_is_an_inference_service_per_variant_behind_its_predictor_service(tmp_path):
    objects = rec_objects(tmp_path, KSERVE_MODEL, AB)
    uris = {name: objects[("InferenceService", f"rec-{name}")]["spec"]["predictor"]["model"]["storageUri"]
            for name in ("a", "b")}
    assert uris == {"a": "s3://models/rec/1.0.0", "b": "s3://models/rec/1.1.0"}
    assert objects[("InferenceService", "rec-b")]["metadata"]["labels"]["gitops-gen.io/variant"] == "b"
    # KServe (Standard mode) puts a Service named <isvc>-predictor on port 80 in front of each predictor.
    assert objects[("HTTPRoute", "rec")]["spec"]["rules"][0]["backendRefs"] == [
        {"name": "rec-a-predictor", "port": 80, "weight": 90}, {"name": "rec-b-predictor", "port": 80, "weight": 10}]


def test_flux_health_checks_replace_wait_when_a_release_has_a_rollout(tmp_path):
    fleet = with_model(tmp_path, DEPLOYMENT_MODEL, "rollout: {strategy: canary}\n")
    [release] = [r for r in fleet.releases if r.model == "rec"]
    spec = kustomization(fleet, release)["spec"]
    assert "wait" not in spec
    assert {(c["kind"], c["name"]) for c in spec["healthChecks"]} == {
        ("Rollout", "rec"), ("Service", "rec"), ("Service", "rec-canary"), ("HorizontalPodAutoscaler", "rec")}
    [expr] = spec["healthCheckExprs"]
    assert (expr["apiVersion"], expr["kind"]) == ("argoproj.io/v1alpha1", "Rollout")
    assert "Degraded" in expr["failed"] and "Healthy" in expr["current"]
    assert kustomization(fleet, release_named(fleet, "dev-dev-1-iris"))["spec"]["wait"] is True  # iris: no Rollout
    for f in build_fleet(fleet):
        if f.obj["kind"] == "Kustomization" and f.obj["apiVersion"].startswith("kustomize.toolkit"):
            assert schema_errors(f.obj) == []


@pytest.mark.parametrize("model, extra, expected", [
    (KSERVE_MODEL, "rollout: {strategy: canary}\n",
     "models/rec.yaml:10: spec.rollout.strategy: canary with serving: kserve needs deploymentMode: Knative"),
    (KSERVE_MODEL, "deploymentMode: Knative\nrollout: {strategy: canary, canary: {steps: [10, 50]}}\n",
     "models/rec.yaml:11: spec.rollout.canary.steps: serving: kserve splits traffic with one canaryTrafficPercent"),
    (KSERVE_MODEL, "rollout: {strategy: bluegreen}\n",
     "models/rec.yaml:10: spec.rollout.strategy: bluegreen needs serving: deployment"),
    (DEPLOYMENT_MODEL, "rollout: {strategy: canary, canary: {steps: [50, 20]}}\n",
     "models/rec.yaml:10: spec.rollout.canary.steps[1]: steps must increase (50 then 20)"),
    (DEPLOYMENT_MODEL, "rollout: {strategy: canary, canary: {steps: [10, 101]}}\n",
     "models/rec.yaml:10: spec.rollout.canary.steps[1]: must be less than or equal to 100"),
    (DEPLOYMENT_MODEL, "rollout: {strategy: ab}\n",
     "models/rec.yaml:10: spec.rollout.ab: required for strategy: ab"),
    (DEPLOYMENT_MODEL, edited(AB, "weight: 10", "weight: 20"),
     "models/rec.yaml:15: spec.rollout.ab.variants: weights must add up to 100, not 110"),
    (DEPLOYMENT_MODEL, edited(AB, "name: b", "name: a"),
     "models/rec.yaml:17: spec.rollout.ab.variants[1].name: variant 'a' is listed twice"),
    (DEPLOYMENT_MODEL, edited(edited(AB, '          - {name: b, version: "1.1.0", weight: 10}\n', ""), "90", "100"),
     "models/rec.yaml:15: spec.rollout.ab.variants: an A/B test has exactly two variants, not 1"),
    (KSERVE_MODEL, "deploymentMode: Knative\n" + textwrap.dedent(AB),
     "models/rec.yaml:12: spec.rollout.strategy: ab with serving: kserve needs deploymentMode: Standard"),
    (DEPLOYMENT_MODEL, "env: {TOKEN: x}\nsecretEnv: [{name: TOKEN, secret: s, key: k}]\n",
     "models/rec.yaml:11: spec.secretEnv[0].name: TOKEN is also set in env"),
])
def test_invalid_combinations_fail_with_one_line_naming_the_field(tmp_path, model, extra, expected):
    [found] = problems(tmp_path, model, extra)
    assert found.startswith(expected), found


def test_an_environment_can_switch_the_strategy_and_its_errors_point_there(tmp_path):
    model = DEPLOYMENT_MODEL + "      rollout: {strategy: canary, canary: {steps: [10]}}\n"
    prod = small_fleet()["envs/prod.yaml"] + "        rec: {rollout: {strategy: direct}}\n"
    fleet = with_model(tmp_path, model, files={"envs/prod.yaml": prod})
    kinds = {r.name: {o["kind"] for o in workload_objects(r)} for r in fleet.releases if r.model == "rec"}
    assert kinds == {"dev-dev-1-rec": {"Rollout", "Service", "HorizontalPodAutoscaler"},
                     "prod-prod-a-rec": {"Deployment", "Service", "HorizontalPodAutoscaler"},
                     "prod-prod-b-rec": {"Deployment", "Service", "HorizontalPodAutoscaler"}}
    # An override that breaks a rule is reported in the environment file, at the override.
    prod = small_fleet()["envs/prod.yaml"] + "        rec: {rollout: {strategy: bluegreen}, serving: kserve}\n"
    with pytest.raises(GitopsGenError) as info:
        with_model(tmp_path / "2", model, files={"envs/prod.yaml": prod})
    assert [str(p) for p in info.value.problems] == [
        "envs/prod.yaml:21: spec.models.rec.rollout.strategy: bluegreen needs serving: deployment (an Argo Rollouts "
        "blue/green); KServe has no blue/green: use canary with deploymentMode: Knative"]


def test_names_that_would_outgrow_63_characters_are_refused_at_the_variant(tmp_path):
    long_variant = "v" * 60
    found = problems(tmp_path, DEPLOYMENT_MODEL, edited(AB, "name: b,", f"name: {long_variant},"))
    assert found == [f"models/rec.yaml:17: spec.rollout.ab.variants[1].name: the object name 'rec-{long_variant}' "
                     "would be longer than 63 characters; shorten the model or variant name"]
