"""Environment.spec.clustersFrom: clusters read from a `terraform output -json` file in the source tree."""
from __future__ import annotations

import json
import os

import pytest
import yaml

from generator.resolve.fleet import load_fleet
from tests.helpers import ANY, PROD, assert_lines, build_file_tree, edited, small_fleet

# What `terraform output -json` writes: every output with its value, type and sensitivity.
OUTPUTS = {
    "clusters": {
        "sensitive": False,
        "type": ["tuple", [["object", {"name": "string", "server": "string"}]]],
        "value": [
            {"name": "prod-b", "server": "https://b.example.com:6443", "kubeConfigSecret": "prod-b-kubeconfig",
             "wave": 1, "labels": {"region": "us"}, "context": None},
            {"name": "prod-c", "server": "https://c.example.com:6443", "kubeConfigSecret": "prod-c-kubeconfig",
             "wave": 2, "labels": None, "context": "gke_acme_prod-c"},
        ],
    },
    "vpc_id": {"sensitive": False, "type": "string", "value": "vpc-123"},
}

# prod-a by hand, prod-b and prod-c from Terraform.
PROD_FROM_TERRAFORM = edited(edited(PROD, """        - name: prod-b
          server: https://b.example.com:6443
          kubeConfigSecret: prod-b-kubeconfig
          wave: 1
""", ""), "      sync:", "      clustersFrom: {terraformOutput: infra/outputs.json, output: clusters}\n      sync:")


def tree(root, outputs=OUTPUTS, text: str | None = None, env: str = PROD_FROM_TERRAFORM):
    files = {**small_fleet(), "envs/prod.yaml": env}
    files["infra/outputs.json"] = text if text is not None else json.dumps(outputs, indent=2)
    return build_file_tree(root, files)


def test_clusters_come_from_the_output_beside_those_written_by_hand(tmp_path):
    fleet = load_fleet(tree(tmp_path / "src"))
    prod = next(e for e in fleet.environments if e.name == "prod")
    assert [(c.name, c.server, c.wave, c.kubeConfigSecret, c.context, dict(c.labels)) for c in prod.clusters] == [
        ("prod-a", "https://a.example.com:6443", 0, None, None, {"region": "eu"}),
        ("prod-b", "https://b.example.com:6443", 1, "prod-b-kubeconfig", None, {"region": "us"}),
        ("prod-c", "https://c.example.com:6443", 2, "prod-c-kubeconfig", "gke_acme_prod-c", {}),
    ]
    releases = {r.cluster.name: r for r in fleet.select(environment="prod")}
    # Objects of a cluster from Terraform name the file they came from.
    assert "infra/outputs.json" in releases["prod-c"].sources
    assert "infra/outputs.json" not in releases["prod-a"].sources


def test_rendered_objects_follow_the_output(tmp_path, run):
    src = tree(tmp_path / "src")
    out = tmp_path / "out"
    assert run("render", "--source", src, "--out", out).exit_code == 0
    app = yaml.safe_load((out / "argocd/prod/application-prod-prod-c-iris.yaml").read_text())
    assert app["spec"]["destination"]["server"] == "https://c.example.com:6443"
    assert "infra/outputs.json" in app["metadata"]["annotations"]["gitops-gen.io/source"]
    project = yaml.safe_load((out / "argocd/prod/appproject-prod.yaml").read_text())
    assert "infra/outputs.json" in project["metadata"]["annotations"]["gitops-gen.io/source"]
    hub = yaml.safe_load((out / "flux/hub/kustomization-prod-prod-c-iris.yaml").read_text())
    assert hub["spec"]["dependsOn"] == [{"name": "namespaces.prod-c"}, {"name": "prod-prod-b-iris"}]


def test_check_notices_a_changed_output(tmp_path, run):
    src = tree(tmp_path / "src")
    out = tmp_path / "out"
    assert run("render", "--source", src, "--out", out).exit_code == 0
    assert run("render", "--check", "--source", src, "--out", out).exit_code == 0
    changed = json.loads(json.dumps(OUTPUTS))
    changed["clusters"]["value"][1]["server"] = "https://c2.example.com:6443"
    (src / "infra/outputs.json").write_text(json.dumps(changed))
    result = run("render", "--check", "--source", src, "--out", out)
    assert result.exit_code == 1
    assert "stale: argocd/prod/application-prod-prod-c-iris.yaml" in result.stdout


def test_a_map_of_clusters_by_name(tmp_path):
    outputs = {"clusters": {"sensitive": False, "type": "map",
                            "value": {"prod-z": {"server": "https://z.example.com:6443", "wave": 3}}}}
    fleet = load_fleet(tree(tmp_path / "src", outputs))
    assert [c.name for c in next(e for e in fleet.environments if e.name == "prod").clusters] == ["prod-a", "prod-z"]


def test_an_environment_of_terraform_clusters_only(tmp_path):
    env = edited(PROD_FROM_TERRAFORM, """      clusters:
        - name: prod-a
          server: https://a.example.com:6443
          labels: {region: eu}
""", "")
    fleet = load_fleet(tree(tmp_path / "src", env=env))
    assert [c.name for c in next(e for e in fleet.environments if e.name == "prod").clusters] == ["prod-b", "prod-c"]


def outputs_with(**changes):
    """OUTPUTS with the first cluster's fields changed."""
    outputs = json.loads(json.dumps(OUTPUTS))
    outputs["clusters"]["value"][0].update(changes)
    return outputs


BAD = [
    ("missing-file", dict(text=None, remove=True),
     "envs/prod.yaml:10: spec.clustersFrom.terraformOutput: infra/outputs.json not found in the source tree "
     "(write it with `terraform output -json > ...`)"),
    ("not-json", dict(text='{"clusters": {"value": [}'),
     f"infra/outputs.json:1: not valid JSON: {ANY}"),
    ("not-an-object", dict(text="[]"),
     "infra/outputs.json:1: must be a JSON object of outputs, as `terraform output -json` writes"),
    ("missing-output", dict(outputs={"vpc_id": OUTPUTS["vpc_id"]}),
     "infra/outputs.json:1: clusters: no output named 'clusters' in this file (outputs: vpc_id)"),
    ("not-an-output", dict(outputs={"clusters": [1]}),
     "infra/outputs.json:2: clusters: must be an output as `terraform output -json` writes it: an object with "
     "value, type and sensitive"),
    ("value-not-a-list", dict(outputs={"clusters": {"sensitive": False, "value": "prod-b"}}),
     "infra/outputs.json:4: clusters.value: must be a list of clusters, not a string"),
    ("sensitive", dict(outputs={"clusters": {**OUTPUTS["clusters"], "sensitive": True}}),
     "infra/outputs.json:3: clusters.sensitive: this output is sensitive; gitops-gen writes cluster fields into "
     "committed files: output only what is not secret, with sensitive = false"),
    ("missing-server", dict(outputs=outputs_with(server=None)),
     "infra/outputs.json:19: clusters.value[0].server: required field is missing"),
    ("unknown-field", dict(outputs=outputs_with(endpoint="x")),
     "infra/outputs.json:26: clusters.value[0].endpoint: unknown field; a cluster has name, server, "
     "kubeConfigSecret, context, labels, wave, engine, sharedWith"),
    ("bad-server", dict(outputs=outputs_with(server="10.0.0.1:6443")),
     "infra/outputs.json:19: clusters.value[0].server: '10.0.0.1:6443' is not an https:// URL"),
    ("bad-wave", dict(outputs=outputs_with(wave="first")),
     f"infra/outputs.json:21: clusters.value[0].wave: {ANY}"),
    ("duplicate-key", dict(text='{"clusters": {"value": [], "value": []}}'),
     "infra/outputs.json:1: clusters.value: duplicate key"),
    ("name-also-by-hand", dict(outputs=outputs_with(name="prod-a")),
     "infra/outputs.json:18: clusters.value[0].name: cluster 'prod-a' is also written in envs/prod.yaml; list each cluster once"),
]


@pytest.mark.parametrize("case, expected", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_output_is_one_located_line_and_writes_nothing(tmp_path, run, case, expected):
    src = tree(tmp_path / "src", case.get("outputs", OUTPUTS), text=case.get("text"))
    if case.get("remove"):
        os.remove(src / "infra/outputs.json")
    out = tmp_path / "out"
    for args in (["render", "--out", out], ["render", "--check", "--out", out], ["validate"]):
        result = run(*args, "--source", src)
        assert result.exit_code == 1, (args, result.stderr)
        assert_lines(result.stderr, [expected], args)
    assert not out.exists()


def test_an_output_outside_the_source_tree_is_refused(tmp_path, run):
    src = tree(tmp_path / "src")
    (tmp_path / "elsewhere.json").write_text(json.dumps(OUTPUTS))
    os.remove(src / "infra/outputs.json")
    os.symlink(tmp_path / "elsewhere.json", src / "infra/outputs.json")
    result = run("validate", "--source", src)
    assert result.exit_code == 1
    assert_lines(result.stderr, ["infra/outputs.json: is a symlink that points outside the source tree; refusing "
                                 "to read it"])


def test_a_path_that_leaves_the_tree_is_refused(tmp_path, run):
    src = tree(tmp_path / "src", env=edited(PROD_FROM_TERRAFORM, "infra/outputs.json", "../outputs.json"))
    result = run("validate", "--source", src)
    assert result.exit_code == 1
    assert_lines(result.stderr, ["envs/prod.yaml:10: spec.clustersFrom.terraformOutput: '../outputs.json' is not "
                                 "a relative path of a .json file inside the source tree (no '..')"])


def test_an_output_file_not_named_json_is_refused(tmp_path, run):
    # The plugin's cache hashes *.json files in full, and keys files it never reads by their size alone.
    src = tree(tmp_path / "src", env=edited(PROD_FROM_TERRAFORM, "infra/outputs.json", "infra/outputs.tfout"))
    result = run("validate", "--source", src)
    assert result.exit_code == 1
    assert_lines(result.stderr, ["envs/prod.yaml:10: spec.clustersFrom.terraformOutput: 'infra/outputs.tfout' is "
                                 "not a relative path of a .json file inside the source tree (no '..')"])


def test_the_output_file_counts_in_the_input_budget(tmp_path, run):
    src = tree(tmp_path / "src")
    specs = sum(p.stat().st_size for p in src.rglob("*.yaml"))
    over = run("--limit", f"input-bytes={specs + 10}", "validate", "--source", src)
    assert over.exit_code == 1
    assert over.stderr.count("\n") == 1 and over.stderr.startswith("infra/outputs.json: ")
    assert "input-bytes" in over.stderr
    enough = specs + (src / "infra/outputs.json").stat().st_size
    assert run("--limit", f"input-bytes={enough}", "validate", "--source", src).exit_code == 0


def test_the_plugin_cache_sees_an_output_change_of_the_same_size(tmp_path):
    from plugin import cache

    src = tree(tmp_path / "src")
    key = cache.cache_key(str(src))
    path = src / "infra/outputs.json"
    text = path.read_text()
    assert "prod-c" in text
    path.write_text(text.replace("prod-c", "prod-x"))  # same size, other cluster
    assert cache.cache_key(str(src)) != key


def test_the_plugin_reads_the_same_file(tmp_path):
    from plugin.release_index import build_index

    index = build_index(tree(tmp_path / "src"))
    assert index["environments"]["prod"]["clusters"] == ["prod-a", "prod-b", "prod-c"]


# --- Clusters from Terraform beside engines and cluster identity ---------------------------------------------

def test_a_terraform_cluster_may_choose_its_engine(tmp_path, run):
    outputs = json.loads(json.dumps(OUTPUTS))
    outputs["clusters"]["value"][0]["engine"] = "flux"  # prod-b: the hub's spoke only
    outputs["clusters"]["value"][1]["engine"] = "argocd"
    fleet = load_fleet(tree(tmp_path / "src", outputs))
    engines = {r.cluster.name: r.engines for r in fleet.select(environment="prod")}
    assert engines == {"prod-a": ("argocd", "flux"), "prod-b": ("flux",), "prod-c": ("argocd",)}
    out = tmp_path / "out"
    assert run("render", "--source", tmp_path / "src", "--out", out).exit_code == 0
    assert not (out / "argocd/prod/application-prod-prod-b-iris.yaml").exists()
    assert not (out / "flux/hub/kustomization-prod-prod-c-iris.yaml").exists()
    assert (out / "namespaces/prod-b/namespace-ml-prod.yaml").is_file()
    # Waves on the hub only link clusters Flux deploys.
    hub = yaml.safe_load((out / "flux/hub/kustomization-prod-prod-b-iris.yaml").read_text())
    assert hub["spec"]["dependsOn"] == [{"name": "namespaces.prod-b"}]


def test_a_terraform_cluster_takes_part_in_the_identity_checks(tmp_path, run):
    # dev's cluster has prod-c's server under another name: the problem points into the output file.
    src = tree(tmp_path / "src")
    dev = (src / "envs/dev.yaml").read_text().replace(
        "- name: dev-1\n", "- name: dev-1\n      server: https://c.example.com:6443\n")
    (src / "envs/dev.yaml").write_text(dev)
    result = run("validate", "--source", src)
    assert result.exit_code == 1
    assert_lines(result.stderr, [
        "infra/outputs.json:29: clusters.value[1].server: server https://c.example.com:6443 is also the server of "
        "cluster 'dev-1' (envs/dev.yaml:8): one cluster under two names gets two Flux folders and two owners of "
        "its namespaces; use one name, or say it is on purpose with sharedWith: [dev-1]"])
    # sharedWith, written in the output file, says it is on purpose (the names are Argo CD's only here).
    outputs = json.loads(json.dumps(OUTPUTS))
    outputs["clusters"]["value"][1].update(sharedWith=["dev-1"], engine="argocd")
    (src / "infra/outputs.json").write_text(json.dumps(outputs, indent=2))
    (src / "envs/dev.yaml").write_text(dev.replace("  clusters:\n", "  engines: [argocd]\n  clusters:\n"))
    result = run("validate", "--source", src)
    assert result.exit_code == 0, result.stderr


def test_a_terraform_cluster_shared_with_itself_is_refused(tmp_path, run):
    outputs = outputs_with(sharedWith=["prod-b"])
    result = run("validate", "--source", tree(tmp_path / "src", outputs))
    assert result.exit_code == 1
    assert_lines(result.stderr, [f"infra/outputs.json:{ANY}: clusters.value[0].sharedWith[0]: names the cluster itself"])
