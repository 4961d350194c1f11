"""The Argo CD plugin, driven the way argocd-cmp-server drives it (tests/cmp_server.py): generate, its cache,
parameters and discover, the command line, and the pieces in-process."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.builders.validation import known_kinds, schema_errors
from generator.commands.render import render
from generator.resolve.fleet import load_fleet
from plugin import cache, cmp, kube_apis
from plugin import discover as plugin_discover
from plugin.selection import read_selector
from tests.cmp_server import (
    SOURCE_PATH,
    argocd_manifests,
    assert_same_as_render,
    cmp_env,
    exec_step,
    make_repo,
    one_line,
    pack,
    params,
    plugin_argv,
    plugin_config,
    rendered_release_files,
    request,
    served_apis,
    unpack,
)
from tests.helpers import EXAMPLE, edited


def files_with_hashes(root: Path) -> dict[str, str]:
    """Every path below root (directories too) with the hash of its content and its mode."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        mode = oct(path.lstat().st_mode)
        out[rel] = f"dir {mode}" if path.is_dir() else f"{hashlib.sha256(path.read_bytes()).hexdigest()} {mode}"
    return out


# --- generate ----------------------------------------------------------------------


@pytest.mark.parametrize("how", ["parameters", "PARAM_ variables only", "plugin env"])
@pytest.mark.parametrize("release", ["prod/prod-eu/fraud-detector", "prod/prod-us/recommender"])
def test_generate_prints_exactly_what_render_writes_for_the_release(how, release, tarball, rendered, sidecar_tmp):
    environment, cluster, model = release.split("/")
    selection = params(environment, cluster, model)
    if how == "parameters":
        env_args = {"parameters": selection}
    elif how == "PARAM_ variables only":
        env_args = {"parameters": selection, "with_json": False}
    else:
        env_args = {"plugin_env": {p["name"].upper(): p["string"] for p in selection}}
    first = request(tarball, sidecar_tmp, **env_args)
    assert (first.returncode, first.stderr) == (0, "")
    assert_same_as_render(first.stdout, [release], rendered)
    # KServe model -> an InferenceService; custom server -> its own workload behind a Service
    serving_kind = {"fraud-detector": "InferenceService", "recommender": "Service"}[model]
    assert serving_kind in {o["kind"] for o in argocd_manifests(first.stdout)}
    # The second request for the same tree is answered from the sidecar's cache: same bytes.
    second = request(tarball, sidecar_tmp, **env_args)
    assert (second.returncode, second.stdout) == (0, first.stdout)
    assert len(list((sidecar_tmp / "gitops-gen-cmp-cache").glob("*.json"))) == 1


def test_an_environment_with_one_cluster_may_be_selected_whole(tarball, rendered, sidecar_tmp):
    done = request(tarball, sidecar_tmp, parameters=params("dev"))
    assert done.returncode == 0, done.stderr
    dev = sorted(d for d in rendered if d.startswith("dev/dev-local/"))
    assert len(dev) == 4
    assert_same_as_render(done.stdout, dev, rendered)
    # and by cluster, all models on it
    by_cluster = request(tarball, sidecar_tmp, parameters=params("prod", cluster="prod-us"))
    assert_same_as_render(by_cluster.stdout, sorted(d for d in rendered if d.startswith("prod/prod-us/")), rendered)


def test_parameters_win_over_plugin_env(tarball, rendered, sidecar_tmp):
    done = request(tarball, sidecar_tmp, parameters=params("prod", "prod-eu", "fraud-detector"),
                   plugin_env={"ENVIRONMENT": "dev", "MODEL": "recommender"})
    assert done.returncode == 0, done.stderr
    assert_same_as_render(done.stdout, ["prod/prod-eu/fraud-detector"], rendered)


def test_non_ascii_values_come_out_as_render_writes_them_whatever_the_locale(tmp_path, sidecar_tmp):
    def greet(source: Path) -> None:
        model = source / "models/fraud-detector.yaml"
        model.write_text(edited(model.read_text(), "LOG_LEVEL: info", "LOG_LEVEL: info\n    GREETING: 'grüß dich ☕'"))

    repo = make_repo(tmp_path / "repo", edit=greet)
    rendered = rendered_release_files(repo / SOURCE_PATH, tmp_path / "out")
    tarball = pack(repo)
    for _ in range(2):  # compiled, then from the cache
        done = request(tarball, sidecar_tmp, parameters=params("dev", model="fraud-detector"),
                       PYTHONIOENCODING="ascii", LC_ALL="C")
        assert done.returncode == 0, done.stderr
        assert "grüß dich ☕" in done.stdout
        assert_same_as_render(done.stdout, ["dev/dev-local/fraud-detector"], rendered)


def test_plugin_mode_applications_validate_and_select_their_release(tmp_path, sidecar_tmp):
    def plugin_mode(source: Path) -> None:
        project = source / "project.yaml"
        project.write_text(edited(project.read_text(), "mode: rendered", "mode: plugin"))

    repo = make_repo(tmp_path / "repo", edit=plugin_mode)
    out = tmp_path / "out"
    rendered = rendered_release_files(repo / SOURCE_PATH, out)
    # argocd/_cluster holds the Applications of cluster-scoped objects, which read the rendered tree.
    applications = [yaml.safe_load(p.read_text()) for p in sorted((out / "argocd").rglob("application-*.yaml"))
                    if "_cluster" not in p.parts]
    releases = load_fleet(repo / SOURCE_PATH).releases
    assert len(applications) == len([r for r in releases if "argocd" in r.engines]) == 14  # prod-us: Flux only
    tarball = pack(repo)
    for app in applications:
        assert schema_errors(app) == []
        # A Helm chart release's plugin source comes after its chart (tests/test_helm.py).
        source = app["spec"]["source"] if "source" in app["spec"] else app["spec"]["sources"][1]
        assert source["path"] == SOURCE_PATH
        assert source["plugin"]["name"] == "gitops-gen-v1"
        assert not {"helm", "kustomize", "directory"} & set(source)
        labels = app["metadata"]["labels"]
        release = "/".join(labels[f"gitops-gen.io/{f}"] for f in ("environment", "cluster", "model"))
        # What Argo CD sends for this Application selects exactly its release.
        done = request(tarball, sidecar_tmp, parameters=source["plugin"]["parameters"], source_path=source["path"])
        assert done.returncode == 0, done.stderr
        assert_same_as_render(done.stdout, [release], rendered)


def test_generate_never_writes_into_the_repo_copy(tarball, sidecar_tmp):
    repo_copy = unpack(tarball, sidecar_tmp)
    before = files_with_hashes(repo_copy)
    for step, env in [("generate", cmp_env(sidecar_tmp, parameters=params("dev"))),
                      ("generate", cmp_env(sidecar_tmp, parameters=params("dev"))),  # a cache hit
                      ("generate", cmp_env(sidecar_tmp, parameters=params("qa"))),
                      ("parameters", cmp_env(sidecar_tmp)),
                      ("discover", cmp_env(sidecar_tmp)),
                      # a cache directory inside the repo copy is refused, not created
                      ("generate", cmp_env(sidecar_tmp, parameters=params("dev"),
                                           GITOPS_GEN_CMP_CACHE=str(repo_copy / SOURCE_PATH / ".cache")))]:
        exec_step(step, repo_copy / SOURCE_PATH, env)
    assert files_with_hashes(repo_copy) == before


def test_eight_concurrent_requests_print_identical_output(tarball, rendered, sidecar_tmp):
    copies = [unpack(tarball, sidecar_tmp) / SOURCE_PATH for _ in range(8)]
    env = cmp_env(sidecar_tmp, parameters=params("prod", "prod-us", "recommender"), GITOPS_GEN_DEBUG="1")
    procs = [subprocess.Popen(plugin_argv("generate"), cwd=d, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for d in copies]
    results = [(p.communicate(timeout=60), p.returncode) for p in procs]
    assert {rc for _, rc in results} == {0}
    outputs = {out for (out, _err), _ in results}
    assert len(outputs) == 1
    assert_same_as_render(outputs.pop(), ["prod/prod-us/recommender"], rendered)
    # One request compiled the tree; the others waited for it and read its cache entry.
    assert sum("compiling" in err for (_out, err), _ in results) == 1
    cache = sidecar_tmp / "gitops-gen-cmp-cache"
    assert [p.name.endswith(".json") for p in cache.iterdir()] == [True]


def test_a_cache_hit_imports_no_compiler_dependency(tarball, rendered, sidecar_tmp):
    """Argo CD asks once per Application; all but the first answer from the cache, and stay cheap only
    while they import none of what compiling needs (pydantic, Jinja2, PyYAML), nor the standard modules
    that alone would double a hit's own time (typing, dataclasses with inspect, pathlib)."""
    selection = params("prod", "prod-eu", "fraud-detector")
    assert request(tarball, sidecar_tmp, parameters=selection).returncode == 0  # compiles, fills the cache
    # -X importtime, through the environment: every module imported, one line each on stderr.
    hit = request(tarball, sidecar_tmp, parameters=selection, PYTHONPROFILEIMPORTTIME="1")
    assert hit.returncode == 0, hit.stderr
    assert_same_as_render(hit.stdout, ["prod/prod-eu/fraud-detector"], rendered)
    imported = {line.rsplit("|", 1)[-1].strip() for line in hit.stderr.splitlines() if line.startswith("import time:")}
    assert "plugin.cache" in imported  # the measurement works
    top_level = {name.split(".")[0] for name in imported}
    assert not top_level & {"pydantic", "pydantic_core", "jinja2", "yaml", "_yaml"}, sorted(top_level)
    # What the interpreter itself imports at start-up (site, .pth files such as an editable install's) aside.
    start = subprocess.run([sys.executable, "-c", "pass"], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"})
    at_start = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in start.stderr.splitlines()
                if line.startswith("import time:")}
    assert not (top_level - at_start) & {"typing", "dataclasses", "inspect", "pathlib"}, sorted(top_level - at_start)


def test_a_changed_spec_is_never_answered_from_the_cache(tmp_path, sidecar_tmp):
    request(pack(make_repo(tmp_path / "v1")), sidecar_tmp, parameters=params("prod", "prod-eu", "fraud-detector"))

    def bump(source: Path) -> None:
        prod = source / "environments/prod.yaml"
        prod.write_text(edited(prod.read_text(), 'version: "1.4.2"', 'version: "1.5.0"'))

    repo = make_repo(tmp_path / "v2", edit=bump)
    done = request(pack(repo), sidecar_tmp, parameters=params("prod", "prod-eu", "fraud-detector"))
    assert done.returncode == 0, done.stderr
    assert "storageUri: s3://acme-models/fraud-detector/1.5.0\n" in done.stdout
    assert_same_as_render(done.stdout, ["prod/prod-eu/fraud-detector"],
                          rendered_release_files(repo / SOURCE_PATH, tmp_path / "out"))


def test_a_corrupt_or_foreign_cache_is_not_trusted(tarball, rendered, sidecar_tmp, tmp_path):
    selection = params("prod", "prod-eu", "fraud-detector")
    request(tarball, sidecar_tmp, parameters=selection)
    [entry] = (sidecar_tmp / "gitops-gen-cmp-cache").glob("*.json")
    entry.write_text('{"key": "truncated')
    done = request(tarball, sidecar_tmp, parameters=selection)
    assert done.returncode == 0, done.stderr
    assert_same_as_render(done.stdout, ["prod/prod-eu/fraud-detector"], rendered)
    # A cache directory that others may write to could hold planted entries: not used.
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    shared.chmod(0o777)
    done = request(tarball, sidecar_tmp, parameters=selection, GITOPS_GEN_CMP_CACHE=str(shared))
    assert_same_as_render(done.stdout, ["prod/prod-eu/fraud-detector"], rendered)
    assert list(shared.iterdir()) == []


@pytest.mark.parametrize("env_args, message", [
    ({"parameters": params("qa", "prod-eu", "fraud-detector")},
     "gitops-gen-cmp: unknown environment 'qa' (known: dev, prod, staging)"),
    ({"parameters": params("prod", "prod-eu", "fraud")},
     "gitops-gen-cmp: unknown model 'fraud' (known: fraud-detector, llm-chat, recommender, sentiment-bert, "
     "support-assistant)"),
    ({"parameters": params("prod", "dev-local", "fraud-detector")},
     "gitops-gen-cmp: unknown cluster 'dev-local' in environment 'prod' (known: prod-eu, prod-us)"),
    ({"parameters": params("prod", model="fraud-detector")},
     "gitops-gen-cmp: environment 'prod' has clusters prod-eu, prod-us: set the plugin parameter 'cluster' "
     "(an Application deploys to one cluster)"),
    ({"parameters": params(cluster="prod-eu", model="fraud-detector")},
     "gitops-gen-cmp: no environment selected (got model=fraud-detector, cluster=prod-eu from the plugin "
     "parameters): set the Application's plugin parameter 'environment' (and 'cluster', 'model' as needed)"),
    ({},
     "gitops-gen-cmp: no environment selected: set the Application's plugin parameter 'environment' "
     "(and 'cluster', 'model' as needed)"),
    ({"parameters": [{"name": "enviroment", "string": "prod"}]},
     "gitops-gen-cmp: unknown plugin parameter 'enviroment' (known: cluster, environment, model)"),
    ({"parameters": [{"name": "environment", "array": ["prod"]}]},
     "gitops-gen-cmp: plugin parameter 'environment' must be a string"),
    ({"ARGOCD_APP_PARAMETERS": "[{"}, "gitops-gen-cmp: ARGOCD_APP_PARAMETERS is not valid JSON"),
    ({"parameters": params("prod", "prod-eu", "fraud-detector"),
      "kube_api_versions": served_apis(k for k in known_kinds() if not k[0].startswith("serving.kserve.io/"))},
     "gitops-gen-cmp: the destination cluster does not serve serving.kserve.io/v1beta1, needed by InferenceService "
     "fraud-detector of release prod/prod-eu/fraud-detector (is KServe installed?)"),
])
def test_bad_selections_fail_with_one_line(env_args, message, tarball, shared_sidecar_tmp):
    done = request(tarball, shared_sidecar_tmp, **env_args)
    assert (done.returncode, done.stdout) == (1, "")
    assert one_line(done.stderr) == message


def test_a_selection_without_objects_fails(tmp_path, sidecar_tmp):
    def add_empty_environment_and_unused_model(source: Path) -> None:
        (source / "environments/qa.yaml").write_text(
            "apiVersion: gitops-gen.io/v1alpha1\nkind: Environment\nmetadata: {name: qa}\n"
            "spec:\n  namespace: ml-qa\n  clusters: [{name: qa-1}]\n  models: {}\n")
        (source / "models/extra.yaml").write_text(
            "apiVersion: gitops-gen.io/v1alpha1\nkind: Model\nmetadata: {name: extra}\n"
            "spec: {version: '1', format: onnx, storageUri: 's3://m/extra'}\n")

    tarball = pack(make_repo(tmp_path / "repo", edit=add_empty_environment_and_unused_model))
    empty = request(tarball, sidecar_tmp, parameters=params("qa"))
    assert (empty.returncode, empty.stdout) == (1, "")
    assert one_line(empty.stderr) == (
        "gitops-gen-cmp: environment=qa from the plugin parameters selects no objects; refusing to print an empty "
        "manifest list (Argo CD would prune the whole Application)")
    elsewhere = request(tarball, sidecar_tmp, parameters=params("dev", model="extra"))
    assert (elsewhere.returncode, elsewhere.stdout) == (1, "")
    assert one_line(elsewhere.stderr) == ("gitops-gen-cmp: model 'extra' does not run in environment 'dev' "
                                          "(models there: fraud-detector, llm-chat, recommender, sentiment-bert)")


def test_invalid_specs_fail_with_one_line_naming_file_and_line(tmp_path, sidecar_tmp):
    def typo(source: Path) -> None:
        model = source / "models/fraud-detector.yaml"
        model.write_text(edited(model.read_text(), "  format: sklearn\n", "  format: sklearn\n  formt: onnx\n"))

    repo = make_repo(tmp_path / "repo", edit=typo)
    line = (repo / SOURCE_PATH / "models/fraud-detector.yaml").read_text().splitlines().index("  formt: onnx") + 1
    done = request(pack(repo), sidecar_tmp, parameters=params("dev"))
    assert (done.returncode, done.stdout) == (1, "")
    assert one_line(done.stderr) == f"models/fraud-detector.yaml:{line}: spec.formt: unknown field (did you mean 'format'?)"

    def two_bad_namespaces(source: Path) -> None:
        for name in ("dev", "staging"):
            env = source / f"environments/{name}.yaml"
            env.write_text(edited(env.read_text(), f"namespace: ml-{name}", f"namespace: ML_{name}"))

    done = request(pack(make_repo(tmp_path / "repo2", edit=two_bad_namespaces)), sidecar_tmp, parameters=params("dev"))
    assert done.returncode == 1
    assert one_line(done.stderr) == (
        "environments/dev.yaml:8: spec.namespace: 'ML_dev' is not a DNS-1123 label (lower-case letters, digits and "
        "'-', at most 63) (and 1 more problem: run `gitops-gen validate` to see them all)")
    assert list((sidecar_tmp / "gitops-gen-cmp-cache").glob("*.json")) == []  # failures are not cached


# --- parameters and discover ------------------------------------------------------

ANNOUNCEMENT_KEYS = {"name", "title", "tooltip", "required", "itemType", "collectionType", "string", "array", "map"}


def test_parameters_announce_environment_model_and_cluster_with_their_values(tarball, sidecar_tmp):
    # The parameters command gets fewer variables than generate.
    env = {k: v for k, v in cmp_env(sidecar_tmp).items()
           if k in ("PATH", "TMPDIR", "ARGOCD_APP_NAME", "ARGOCD_APP_SOURCE_REPO_URL", "ARGOCD_APP_SOURCE_PATH",
                    "ARGOCD_APP_SOURCE_TARGET_REVISION")}
    done = exec_step("parameters", unpack(tarball, sidecar_tmp) / SOURCE_PATH, env)
    assert (done.returncode, done.stderr) == (0, "")
    announcements = json.loads(done.stdout)
    assert [a["name"] for a in announcements] == ["environment", "model", "cluster"]
    for a in announcements:
        assert set(a) <= ANNOUNCEMENT_KEYS
        assert (a["collectionType"], a["itemType"]) == ("string", "string")
        assert isinstance(a["string"], str) if "string" in a else True
        assert all(isinstance(v, str) for v in a.get("array", []))
        assert all(isinstance(v, str) for v in a.get("map", {}).values())
    by_name = {a["name"]: a for a in announcements}
    assert by_name["environment"]["required"] is True
    fleet = load_fleet(EXAMPLE)
    for env_ in fleet.environments:
        assert env_.name in by_name["environment"]["tooltip"]
        for cluster in env_.clusters:
            assert cluster.name in by_name["cluster"]["tooltip"]
    for model in fleet.model_names:
        assert model in by_name["model"]["tooltip"]


def test_parameters_fail_with_one_line_on_invalid_specs(tmp_path, sidecar_tmp):
    def broken(source: Path) -> None:
        (source / "models/broken.yaml").write_text("apiVersion: gitops-gen.io/v1alpha1\nkind: Model\nmetadata: {}\nspec: {}\n")

    done = request(pack(make_repo(tmp_path / "repo", edit=broken)), sidecar_tmp, step="parameters")
    assert (done.returncode, done.stdout) == (1, "")
    assert one_line(done.stderr) == "models/broken.yaml:3: metadata.name: required field is missing"


def test_discover_matches_a_source_tree_and_nothing_else(tmp_path, sidecar_tmp):
    repo = make_repo(tmp_path / "repo")
    assert render(repo / SOURCE_PATH, repo / "rendered", quiet=True) == 0
    repo_copy = unpack(pack(repo), sidecar_tmp)
    env = cmp_env(sidecar_tmp)
    found = exec_step("discover", repo_copy / SOURCE_PATH, env)
    assert (found.returncode, found.stdout, found.stderr) == (0, "project.yaml: Project ml-platform\n", "")
    empty = tmp_path / "empty"
    empty.mkdir()
    for elsewhere in (repo_copy, repo_copy / "rendered/workloads/prod/prod-eu/fraud-detector", empty):
        done = exec_step("discover", elsewhere, env)
        assert (done.returncode, done.stdout, done.stderr) == (1, "", ""), elsewhere


# --- the command line itself ---------------------------------------------------------


def test_usage_and_version(tmp_path):
    env = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.defpath}"}
    run = lambda *args: subprocess.run(["gitops-gen-cmp", *args], cwd=tmp_path, env=env,  # noqa: E731
                                       capture_output=True, text=True)
    assert run().returncode == 2
    assert run("render").returncode == 2
    assert run("render").stderr == cmp.USAGE + "\n"  # this checkout's usage text, not an installed copy's
    version = run("--version")
    assert (version.returncode, version.stdout) == (0, f"gitops-gen-cmp {__import__('generator').__version__}\n")


def test_internal_errors_are_one_line_unless_debug(capsys):
    def broken() -> int:
        raise KeyError("boom")

    assert cmp.run_command(broken, debug=False) == 3
    assert one_line(capsys.readouterr().err) == (
        "gitops-gen-cmp: internal error: KeyError: 'boom' (set GITOPS_GEN_DEBUG=1 for the traceback)")
    assert cmp.run_command(broken, debug=True) == 3
    assert "Traceback" in capsys.readouterr().err


# --- the pieces, in-process ----------------------------------------------------------


def test_selector_sources_and_precedence():
    both = {"ARGOCD_APP_PARAMETERS": json.dumps(params("prod", "prod-eu")), "PARAM_ENVIRONMENT": "prod",
            "PARAM_CLUSTER": "prod-eu", "ARGOCD_ENV_MODEL": "iris"}
    chosen = read_selector(both)
    # per field: the parameters' environment and cluster, the plugin env's model (tests/test_plugin_selection_env.py)
    assert (chosen.environment, chosen.cluster, chosen.model) == ("prod", "prod-eu", "iris")
    assert read_selector({"ARGOCD_APP_PARAMETERS": "null", "ARGOCD_ENV_environment": "dev"}).environment == "dev"
    # an emptied field in the UI arrives as "": not set
    cleared = read_selector({"ARGOCD_APP_PARAMETERS": json.dumps(params("dev", cluster=""))})
    assert (cleared.environment, cleared.cluster) == ("dev", None)
    assert not read_selector({"ARGOCD_ENV_OTHER": "x"}).any()


def test_kube_api_versions_are_read_as_argo_cd_writes_them():
    versions, kinds = kube_apis.served("v1,v1/Service,apps/v1/Deployment,serving.kserve.io/v1beta1")
    assert versions == {"v1", "apps/v1", "serving.kserve.io/v1beta1"}
    assert kinds == {("v1", "Service"), ("apps/v1", "Deployment")}
    kube_apis.check([["apps/v1", "Deployment", "x"]], "apps/v1/Deployment", "release r")
    kube_apis.check([["autoscaling/v2", "HorizontalPodAutoscaler", "x"]], "", "release r")  # unknown: no check
    with pytest.raises(Exception, match="does not serve autoscaling/v2, needed by HorizontalPodAutoscaler x"):
        kube_apis.check([["autoscaling/v2", "HorizontalPodAutoscaler", "x"]], "v1,apps/v1", "release r")


def test_the_cache_key_changes_with_any_file_of_the_tree(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(EXAMPLE, tree)
    keys = {cache.cache_key(str(tree))}
    (tree / "models/recommender.yaml").write_text((tree / "models/recommender.yaml").read_text() + "\n")
    keys.add(cache.cache_key(str(tree)))
    (tree / "models/recommender.yaml").rename(tree / "models/recommender2.yaml")
    keys.add(cache.cache_key(str(tree)))
    (tree / "templates").mkdir(exist_ok=True)
    (tree / "templates/extra.yaml.j2").write_text("kind: ConfigMap\n")
    keys.add(cache.cache_key(str(tree)))
    os.mkfifo(tree / "pipe.yaml")  # hashed by type, never opened (that would block)
    keys.add(cache.cache_key(str(tree)))
    assert len(keys) == 5
    assert cache.cache_key(str(tree)) in keys  # and stable


def test_plugin_constants_agree_with_the_compiler_and_plugin_yaml():
    from generator.builders import argocd
    from generator.load import source as load
    from generator.load import spec

    assert plugin_discover.API_VERSION == spec.API_VERSION
    assert plugin_discover.EXTENSION_DIRS == load.EXTENSION_DIRS
    config = plugin_config()
    assert config["kind"] == "ConfigManagementPlugin"
    assert f"{config['metadata']['name']}-{config['spec']['version']}" == argocd.PLUGIN_NAME == "gitops-gen-v1"
