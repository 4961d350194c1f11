"""Resolve: merge order, expressions, and release-level problems."""
from __future__ import annotations

import dataclasses

import pydantic
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.errors import GitopsGenError
from generator.resolve import templating
from generator.resolve.fleet import deep_merge, load_fleet
from tests.helpers import DEV, assert_lines, build_file_tree, edited, release_named, small_fleet


def without(text: str, field: str) -> str:
    """``text`` minus the lines that set ``field``."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.strip().startswith(field + ":"))


def fleet_of(tmp_path, **changes):
    files = {**small_fleet(), **changes}
    return load_fleet(build_file_tree(tmp_path / "src", files))


def problems(tmp_path, **changes) -> list[str]:
    with pytest.raises(GitopsGenError) as info:
        fleet_of(tmp_path, **changes)
    return [str(p) for p in info.value.problems]


def test_deep_merge_merges_mappings_and_replaces_lists_and_scalars():
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 1}
    assert deep_merge(base, {"a": {"y": [3]}, "b": None}) == {"a": {"x": 1, "y": [3]}, "b": None}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": 1}  # inputs untouched


def test_one_release_per_environment_cluster_model_in_merge_order(source):
    fleet = load_fleet(source)
    assert [r.name for r in fleet.releases] == ["dev-dev-1-iris", "prod-prod-a-iris", "prod-prod-b-iris"]
    dev, prod_a, prod_b = fleet.releases
    # Model spec only:
    assert (dev.version, dev.spec.replicas.min, dev.spec.resources.memory) == ("1.1.0", None, "2Gi")
    # Environment overrides (memory) then the environment's model entry (version, replicas):
    assert (prod_a.version, prod_a.spec.replicas.max, prod_a.spec.resources.memory) == ("1.0.0", 5, "4Gi")
    # Mappings merge key by key: cpu from the Model survives the override of memory.
    assert prod_b.spec.resources.cpu == "1"
    # Expressions see the release's own version.
    assert dev.spec.storageUri == "s3://models/iris/1.1.0"
    assert prod_b.spec.storageUri == "s3://models/iris/1.0.0"


def test_releases_are_immutable(source):
    release = release_named(load_fleet(source), "dev-dev-1-iris")
    with pytest.raises(dataclasses.FrozenInstanceError):
        release.version = "9"
    with pytest.raises(pydantic.ValidationError):  # a frozen model
        release.spec.port = 1


def test_cluster_expressions_are_evaluated_per_cluster(tmp_path):
    iris = edited(small_fleet()["models/iris.yaml"], 'storageUri: "s3://models/iris/{{ version }}"', 'storageUri: "s3://{{ cluster }}/{{ environment }}/{{ namespace }}/{{ model }}"')
    fleet = fleet_of(tmp_path, **{"models/iris.yaml": iris})
    assert [r.spec.storageUri for r in fleet.releases] == [
        "s3://dev-1/dev/ml-dev/iris", "s3://prod-a/prod/ml-prod/iris", "s3://prod-b/prod/ml-prod/iris"]


def test_cluster_named_anywhere_in_an_expression_is_evaluated_per_cluster(tmp_path):
    # Expressions that do not name the cluster are evaluated once per environment and model;
    # any that does, however written, once per cluster.
    iris = edited(small_fleet()["models/iris.yaml"], 'storageUri: "s3://models/iris/{{ version }}"', 'storageUri: "s3://{% if cluster == \'prod-b\' %}b{% else %}{{ cluster | upper }}{% endif %}/{{ version }}"')
    iris += "      env: {SITE: \"{{ [cluster, environment] | join('@') }}\", MODEL: \"{{ model }}\"}\n"
    fleet = fleet_of(tmp_path, **{"models/iris.yaml": iris})
    assert [r.spec.storageUri for r in fleet.releases] == ["s3://DEV-1/1.1.0", "s3://PROD-A/1.0.0", "s3://b/1.0.0"]
    assert [r.spec.env for r in fleet.releases] == [{"SITE": "dev-1@dev", "MODEL": "iris"},
                                                     {"SITE": "prod-a@prod", "MODEL": "iris"},
                                                     {"SITE": "prod-b@prod", "MODEL": "iris"}]


_PIECES = ["{{ version }}", "{{version}}", "{{  cluster }}", "{{ none }}", "{{ True }}", "{{ nope }}", "{{ range }}",
           "{{ version|upper }}", "{{- model }}", "{", "}", "{{", "}}", "{%", "%}", "{#", "#}", "\r\n", "\r", "\n",
           "a", " ", "-", "é", "$", "\\"]


@settings(max_examples=300, deadline=None)
@example("a\r\n{{ version }}\r")  # Jinja2 normalises line ends
@example("{{{ version }}")
@example("{{ version }}}")
@example("{#{{  cluster }}{#}")  # a comment: the cluster is not used
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6).map("".join))
def test_plain_names_are_substituted_exactly_as_jinja2_renders_them(text):
    context = {"version": "1.0", "model": "m", "environment": "dev", "cluster": "c-1", "namespace": "ns"}

    def outcome(render):
        try:
            return "ok", render()
        except Exception:
            return "error", None

    expected = outcome(lambda: templating._environment().from_string(text).render(context))
    assert outcome(lambda: templating.render_string(text, context)) == expected
    names = templating.names_used(text)
    if expected[0] == "ok":
        assert names is not None
        if "cluster" not in names:  # evaluated once per environment: the cluster must make no difference
            assert outcome(lambda: templating.render_string(text, {**context, "cluster": "c-2"})) == expected
        if "{{  cluster }}" in text and "{#" not in text:
            assert "cluster" in names


def test_unknown_name_in_expression_is_an_error_at_its_line(tmp_path):
    iris = edited(small_fleet()["models/iris.yaml"], "{{ version }}", "{{ verison }}")
    assert_lines("\n".join(problems(tmp_path, **{"models/iris.yaml": iris})), [
        "models/iris.yaml:9: spec.storageUri: …'verison'… "
        "(known names: cluster, environment, model, namespace, version)"])


def test_missing_version_is_reported_at_the_environment_entry(tmp_path):
    iris = without(small_fleet()["models/iris.yaml"], "version")
    assert problems(tmp_path, **{"models/iris.yaml": iris}) == [
        "envs/dev.yaml:9: spec.models.iris: model 'iris' has no version in environment 'dev': "
        "set spec.version in the Model or pin `version:` here"]


def test_bad_value_in_an_override_is_reported_in_the_environment_file(tmp_path):
    prod = edited(small_fleet()["envs/prod.yaml"], "resources: {memory: 4Gi}", "resources: {memory: lots}")
    assert problems(tmp_path, **{"envs/prod.yaml": prod}) == [
        "envs/prod.yaml:16: spec.overrides.resources.memory: 'lots' is not a Kubernetes quantity such as "
        "500m, 2, 1.5 or 4Gi"]


def test_unknown_field_in_model_entry_and_float_version(tmp_path):
    prod = edited(small_fleet()["envs/prod.yaml"], 'version: "1.0.0"', "version: 1.10\n          replica: 3")
    assert problems(tmp_path, **{"envs/prod.yaml": prod}) == [
        "envs/prod.yaml:19: spec.models.iris.version: must be a string: YAML read this as the number 1.1; "
        "quote it, e.g. \"1.10\"",
        "envs/prod.yaml:20: spec.models.iris.replica: unknown field (did you mean 'replicas'?)",
    ]


@pytest.mark.parametrize("model_lines, expected", [
    ("  replicas: {min: 4, max: 2}\n", "spec.replicas.min: min (4) is greater than max (2)"),
    ("  serving: deployment\n", "spec.image: required for serving: deployment"),
    ("  autoscaling: {metric: rps, target: 10}\n", "spec.autoscaling.metric: rps autoscaling needs serving: kserve"),
    ("  resources: {gpu: -1}\n", "spec.resources.gpu: must be greater than or equal to 0"),
    ("  format: sklearnn\n", "spec.format: 'sklearnn' is not allowed: must be 'sklearn', "),
])
def test_model_rules(tmp_path, model_lines, expected):
    iris = without(small_fleet()["models/iris.yaml"], model_lines.split(":")[0].strip())
    if "serving: deployment" in model_lines:  # it reads neither: each would be a problem of its own
        iris = without(without(iris, "storageUri"), "runtime")
    found = problems(tmp_path, **{"models/iris.yaml": iris + "    " + model_lines})
    assert len(found) == 1 and expected in found[0] and found[0].startswith("models/iris.yaml:")


def test_kserve_needs_storage_uri(tmp_path):
    iris = without(small_fleet()["models/iris.yaml"], "storageUri")
    assert problems(tmp_path, **{"models/iris.yaml": iris}) == [
        "models/iris.yaml:6: spec.storageUri: required for serving: kserve (or storageUris, or storage)"]


def test_two_environments_in_one_namespace_of_one_cluster_collide(tmp_path):
    qa = edited(DEV, "name: dev}", "name: qa}")
    found = problems(tmp_path, **{"envs/qa.yaml": qa})
    assert found == ["envs/qa.yaml: spec.namespace: environments 'dev' and 'qa' both deploy model 'iris' "
                     "to namespace 'ml-dev' on cluster 'dev-1'"]


def test_select_refuses_unknown_names(source):
    fleet = load_fleet(source)
    assert [r.cluster.name for r in fleet.select(environment="prod")] == ["prod-a", "prod-b"]
    assert [r.cluster.name for r in fleet.select(environment="prod", cluster="prod-b", model="iris")] == ["prod-b"]
    with pytest.raises(GitopsGenError, match="unknown environment 'qa'"):
        fleet.select(environment="qa")
    with pytest.raises(GitopsGenError, match="unknown cluster 'dev-1' in environment 'prod'"):
        fleet.select(environment="prod", cluster="dev-1")
    with pytest.raises(GitopsGenError, match="unknown model 'rose'"):
        fleet.select(environment="prod", model="rose")


def test_plain_substitution_keeps_the_sandbox_size_limit():
    from generator.resolve import sandbox

    assert templating._MAX_SIZE == sandbox.MAX_SIZE
    text = "x" * sandbox.MAX_SIZE + "{{ version }}"
    with pytest.raises(templating.TemplateProblem, match="longer than"):
        templating.render_string(text, {"version": "1"})
