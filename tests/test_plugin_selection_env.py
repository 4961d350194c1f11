"""The plugin's selector, field by field: a field the Application's parameters leave out is read from its plugin
env, so a model named there is never silently widened to every model of the environment."""
from __future__ import annotations

import json

from plugin.selection import read_selector
from tests.test_plugin import (  # noqa: F401 (fixtures)
    assert_same_as_render,
    example_repo,
    one_line,
    params,
    rendered,
    request,
    sidecar_tmp,
    tarball,
)


def test_a_field_missing_from_the_parameters_comes_from_plugin_env(tarball, rendered, sidecar_tmp):  # noqa: F811
    done = request(tarball, sidecar_tmp, parameters=params("prod", "prod-eu"), plugin_env={"MODEL": "fraud-detector"})
    assert (done.returncode, done.stderr) == (0, "")
    assert_same_as_render(done.stdout, ["prod/prod-eu/fraud-detector"], rendered)  # not every model of prod-eu


def test_a_field_the_parameters_set_wins_over_plugin_env(tarball, rendered, sidecar_tmp):  # noqa: F811
    done = request(tarball, sidecar_tmp, parameters=params("prod", "prod-eu", "fraud-detector"),
                   plugin_env={"MODEL": "recommender", "CLUSTER": "prod-us"})
    assert (done.returncode, done.stderr) == (0, "")
    assert_same_as_render(done.stdout, ["prod/prod-eu/fraud-detector"], rendered)


def test_a_bad_name_from_plugin_env_is_one_line(tarball, sidecar_tmp):  # noqa: F811
    done = request(tarball, sidecar_tmp, parameters=params("prod", "prod-eu"), plugin_env={"MODEL": "fraud-detektor"})
    assert (done.returncode, done.stdout) == (1, "")
    assert one_line(done.stderr).startswith("gitops-gen-cmp: unknown model 'fraud-detektor' (known: ")


def test_each_field_from_the_first_source_that_sets_it():
    mixed = read_selector({"ARGOCD_APP_PARAMETERS": json.dumps(params("prod", model="")),
                           "ARGOCD_ENV_MODEL": "iris", "ARGOCD_ENV_CLUSTER": "prod-a"})
    # A field cleared in the UI ("") is not set: the plugin env's value stands.
    assert (mixed.environment, mixed.model, mixed.cluster) == ("prod", "iris", "prod-a")
    assert repr(mixed) == "environment=prod from the plugin parameters, model=iris, cluster=prod-a from plugin env"
    # PARAM_* are the same parameters in another form: read only when the JSON names nothing.
    variables = read_selector({"ARGOCD_APP_PARAMETERS": "null", "PARAM_ENVIRONMENT": "dev",
                               "ARGOCD_ENV_environment": "prod", "ARGOCD_ENV_model": "iris"})
    assert (variables.environment, variables.model) == ("dev", "iris")
    assert not read_selector({"ARGOCD_ENV_OTHER": "x"}).any()
