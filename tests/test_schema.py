"""`gitops-gen schema`: the editor schema agrees with the loader on what is a valid spec document."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.errors import GitopsGenError
from generator.load.spec_schema import spec_schema
from generator.resolve.fleet import load_fleet
from tests.helpers import EXAMPLE, build_file_tree, edited, line_matches, small_fleet


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = spec_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def documents(root: Path):
    for path in sorted(root.rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            yield path.relative_to(root).as_posix(), doc


def schema_problems(validator, doc) -> list[str]:
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def loader_problems(root: Path) -> list[str]:
    try:
        load_fleet(root)
    except GitopsGenError as exc:
        return [str(p) for p in exc.problems]
    return []


def test_schema_command_prints_the_schema(run):
    result = run("schema")
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert printed == spec_schema()
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_document_of_the_shipped_example_is_valid(validator):
    docs = list(documents(EXAMPLE))
    assert {d["kind"] for _, d in docs} == {"Project", "Environment", "Model"}
    for name, doc in docs:
        assert schema_problems(validator, doc) == [], name


def test_every_document_that_init_writes_is_valid(validator, tmp_path, run):
    assert run("init", tmp_path / "specs").exit_code == 0
    docs = list(documents(tmp_path / "specs"))
    assert len(docs) == 4
    for name, doc in docs:
        assert schema_problems(validator, doc) == [], name


def test_fields_carry_the_descriptions_of_the_pydantic_models(validator):
    defs = validator.schema["$defs"]
    cluster = defs["Cluster"]["properties"]
    assert cluster["kubeConfigSecret"]["description"].startswith("Secret with a kubeconfig")
    undescribed = [f"{name}.{field}" for name, d in defs.items()
                   for field, prop in d.get("properties", {}).items() if not prop.get("description")]
    assert undescribed == []


# Valid documents in the forms users really write: lax scalars (`cpu: 1`,
# `port: "8080"`, `version: 3`), Jinja2 expressions in any model field, partial
# model specs in Environments (a Model may even leave `format` to them), null
# entries. The loader is the judge: both must accept them.
TRICKY = {
    "project.yaml": """\
        apiVersion: gitops-gen.io/v1alpha1
        kind: Project
        metadata: {name: tricky}
        spec:
          repoURL: https://git.example.com/tricky.git
          engines: [argocd, flux]
          argocd: {applicationSets: "yes"}
    """,
    "models/iris.yaml": """\
        apiVersion: gitops-gen.io/v1alpha1
        kind: Model
        metadata: {name: iris, labels: {team: demo, tier: 2}}
        spec:
          version: 3
          format: sklearn
          storageUri: "s3://models/iris/{{ version }}"
          runtime: "{{ model }}-runtime"
          grpcPort: "8081"
          resources: {cpu: 1, memory: 2Gi}
          nodeSelector: {kubernetes.io/arch: amd64, pool: "{{ environment }}"}
          env: {NAMESPACE: "{{ namespace }}"}
          secretEnv:
            - {name: TOKEN, secret: "{{ model }}-secrets", key: token}
          tolerations:
            - {key: gpu, operator: Exists, effect: NoSchedule}
          deploymentMode: Knative
          rollout: {strategy: canary, canary: {steps: [10]}}
          monitoring: {metrics: "true", alerts: {errorRate: "0.05"}}
    """,
    "models/bare.yaml": """\
        apiVersion: gitops-gen.io/v1alpha1
        kind: Model
        metadata: {name: bare}
        spec:
          storageUri: s3://models/bare
    """,
    "envs/dev.yaml": """\
        apiVersion: gitops-gen.io/v1alpha1
        kind: Environment
        metadata: {name: dev}
        spec:
          namespace: ml-dev
          clusters: [{name: dev-1}]
          overrides:
            format: sklearn
            protocol: "{{ 'v1' if environment == 'dev' else 'v2' }}"
          models:
            iris: ~
            bare: {version: "0.1"}
    """,
    "envs/prod.yaml": """\
        apiVersion: gitops-gen.io/v1alpha1
        kind: Environment
        metadata: {name: prod}
        spec:
          namespace: ml-prod
          clusters:
            - {name: prod-a, server: "https://a.example.com:6443", labels: {region: eu}, wave: 1}
          sync: {prune: false}
          models:
            iris:
              version: "3.1"
              replicas: {max: 4}
              resources: {memory: 4Gi}
            bare: {version: 1, format: xgboost}
    """,
}


def test_valid_documents_in_every_form_users_write_are_accepted(validator, tmp_path):
    root = build_file_tree(tmp_path / "src", TRICKY)
    assert loader_problems(root) == []
    for name, doc in documents(root):
        assert schema_problems(validator, doc) == [], name


# (file, what to replace, replacement): each makes the tree invalid, for the loader and the schema alike.
INVALID = [
    pytest.param("models/iris.yaml", "spec:", "specc:", id="unknown top-level field"),
    pytest.param("models/iris.yaml", "metadata:\n  name: iris", "metadata:\n  nam: iris", id="unknown metadata field"),
    pytest.param("project.yaml", "engines:", "engine:", id="unknown Project field"),
    pytest.param("envs/prod.yaml", "server:", "serverr:", id="unknown cluster field"),
    pytest.param("envs/prod.yaml", "version:", "versions:", id="unknown field in a models entry"),
    pytest.param("envs/prod.yaml", "replicas: {min: 2", "replicas: {mini: 2", id="unknown nested field in models entry"),
    pytest.param("envs/prod.yaml", "memory: 4Gi", "memori: 4Gi", id="unknown field in overrides"),
    pytest.param("models/iris.yaml", "cpu:", "cpuu:", id="unknown field in Model resources"),
    pytest.param("models/iris.yaml", "format: sklearn", "format: sklearn\n  tolerations: [{key: a, valu: b}]",
                 id="unknown field in a list item"),
    pytest.param("models/iris.yaml", "name: iris", "name: Iris_1", id="name not a DNS label"),
    pytest.param("models/iris.yaml", "kind: Model", "kind: Modle", id="unknown kind"),
    pytest.param("envs/prod.yaml", 'version: "1.0.0"', "version: 1.10", id="version read as a number"),
    pytest.param("models/iris.yaml", 'cpu: "1"', "cpu: -1", id="negative quantity"),
    pytest.param("models/iris.yaml", "format: sklearn", "format: sklearn\n  protocol: v3", id="value not in enum"),
]


@pytest.mark.parametrize("file, old, new", INVALID)
def test_invalid_documents_are_rejected_by_schema_and_loader(validator, tmp_path, file, old, new):
    root = build_file_tree(tmp_path / "src", small_fleet())
    path = root / file
    text = path.read_text()
    path.write_text(edited(text, old, new, 1))
    assert loader_problems(root) != []
    doc = yaml.safe_load(path.read_text())
    assert schema_problems(validator, doc) != []


def test_unknown_field_error_names_the_field(validator):
    doc = yaml.safe_load((EXAMPLE / "environments/dev.yaml").read_text())
    doc["spec"]["clusters"][0]["nmae"] = "x"
    [problem] = schema_problems(validator, doc)
    assert line_matches("spec.clusters.0: …'nmae'…", problem)
