"""The bad-input corpus: every broken source tree gets exit 1, one located line per problem, and the
rendered tree from before is left byte for byte as it was.

Each case starts from the valid small fleet (tests/helpers.py), breaks it in one way, and runs the real
CLI. Line numbers are those of the files as written (the conftest texts, dedented):

    project.yaml        1 apiVersion  2 kind  3 metadata  4 spec  5 repoURL  6 engines  7 promotion
    envs/dev.yaml       1 apiVersion  2 kind  3 metadata  4 spec  5 namespace  6 clusters  7 - name: dev-1
                        8 models  9 iris: {}
    envs/prod.yaml      ... 7 - name: prod-a  8 server  9 labels  10 - name: prod-b  11 server
                        12 kubeConfigSecret  13 wave  14 sync  15 overrides  16 resources  17 models  18 iris
                        19 version  20 replicas
    models/iris.yaml    1 apiVersion  2 kind  3 metadata  4 name  5 labels  6 spec  7 version  8 format
                        9 storageUri  10 runtime  11 resources  (12: the first line appended to spec)
"""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from generator.resolve import sandbox
from tests.helpers import DEV, IRIS, PROD, PROJECT, assert_lines, build_file_tree, edited, small_fleet, tree_bytes

MODEL, DEV_ENV, PROD_ENV, PROJ = "models/iris.yaml", "envs/dev.yaml", "envs/prod.yaml", "project.yaml"
DNS_LABEL = "is not a DNS-1123 label (lower-case letters, digits and '-', at most 63)"
KNOWN_NAMES = "(known names: cluster, environment, model, namespace, version)"


def alias_bomb() -> str:
    """A billion-laughs document: nine lines, 10**9 leaves once expanded."""
    lines = ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    return "\n".join(lines) + "\n"


AB_ROLLOUT = """\
      rollout:
        strategy: ab
        ab:
          gateway: {name: gw}
          variants:
            - {name: a, version: "1.0.0", weight: 60}
            - {name: b, version: "2.0.0", weight: 30}
"""
STORAGE_AND_RUNTIME = 'storageUri: "s3://models/iris/{{ version }}"\n      runtime: kserve-sklearnserver'
TEMPLATES = "      templates: [templates/pdb.yaml.j2]\n"
COMPONENT_MODEL = edited(IRIS, 'storageUri: "s3://models/iris/{{ version }}"',
                         "serving: jsonnet\n      component: components/iris.jsonnet", 1)


@dataclass
class Case:
    id: str
    files: dict[str, str | bytes | None]  # replaces files of the small fleet; None deletes one
    # stderr, line by line; {src} stands for the source tree as given on the command line, and … for words
    # that come from a dependency (tests/helpers.py)
    expected: list[str]
    setup: Callable[[Path], None] | None = field(default=None)  # for what text cannot express (links, FIFOs)


CASES = [
    # --- YAML itself -----------------------------------------------------------------------------
    Case("yaml-syntax-error", {MODEL: edited(IRIS, "format: sklearn", "format: [sklearn", 1)},
         ["models/iris.yaml:9: YAML syntax error: …"]),
    Case("tab-indentation", {MODEL: edited(IRIS, "      format: sklearn", "\tformat: sklearn", 1)},
         ["models/iris.yaml:8: YAML syntax error: … (a tab: YAML indentation must use spaces)"]),
    Case("duplicate-key", {MODEL: edited(IRIS, "      format: sklearn\n", "      format: sklearn\n      format: onnx\n", 1)},
         ["models/iris.yaml:9: spec.format: duplicate key"]),
    Case("duplicate-top-level-key", {MODEL: edited(IRIS, "    kind: Model\n", "    kind: Model\n    kind: Model\n", 1)},
         ["models/iris.yaml:3: kind: duplicate key"]),
    Case("top-level-list", {MODEL: "- iris\n- rose\n"},
         ["models/iris.yaml:1: a spec document must be a mapping, not a list"]),
    Case("top-level-scalar", {MODEL: "just some text\n"},
         ["models/iris.yaml:1: a spec document must be a mapping, not a string"]),
    Case("second-document-not-a-mapping", {MODEL: IRIS + "    ---\n    - 1\n"},
         ["models/iris.yaml:13: a spec document must be a mapping, not a list"]),
    Case("non-utf8-bytes", {MODEL: edited(IRIS.encode(), b"demo", b"d\xe9mo")},
         ["models/iris.yaml:5: not valid UTF-8 (byte 0xe9)"]),
    Case("control-character", {MODEL: edited(IRIS, "demo", "de\x07mo", 1)},
         ["models/iris.yaml:5: YAML error: character U+0007: …"]),
    Case("alias-bomb", {"models/bomb.yaml": alias_bomb()},
         ["models/bomb.yaml:6: f: YAML aliases expand too far (alias bomb?); refusing"]),
    Case("nested-too-deep", {"models/deep.yaml": "a: " + "[" * 150 + "]" * 150 + "\n"},
         ["models/deep.yaml:1: a: nested more than 100 levels deep; refusing"]),
    Case("nested-deep-enough-to-crash-libyaml", {"models/deep.yaml": "a: " + "[" * 100000 + "]" * 100000 + "\n"},
         # Refused by us or, in newer libyaml, by the parser itself: either way one line at line 1.
         ["models/deep.yaml:1: …"]),
    Case("recursive-alias", {"models/loop.yaml": "a: &a [*a]\n"},
         ["models/loop.yaml:1: a[0]: recursive YAML alias"]),
    Case("merge-key-not-a-mapping", {MODEL: edited(IRIS, "labels: {team: demo}", "labels:\n        <<: [1]", 1)},
         ["models/iris.yaml:6: metadata.labels: '<<' merge needs a mapping"]),
    Case("complex-mapping-key", {MODEL: IRIS + "      ? [a, b]\n      : 1\n"},
         ["models/iris.yaml:12: spec: mapping keys must be plain strings"]),
    Case("file-too-large", {"models/huge.yaml": "# " + "x" * (5 * 1024 * 1024) + "\n"},
         ["models/huge.yaml: file is 5242883 bytes; the limit is 4194304"]),

    # --- documents and kinds ------------------------------------------------------------------------
    Case("missing-apiversion", {MODEL: edited(IRIS, "    apiVersion: gitops-gen.io/v1alpha1\n", "", 1)},
         ["models/iris.yaml:1: apiVersion: missing; every document here must have apiVersion: gitops-gen.io/v1alpha1"]),
    Case("wrong-apiversion", {MODEL: edited(IRIS, "gitops-gen.io/v1alpha1", "gitops-gen.io/v1", 1)},
         ["models/iris.yaml:1: apiVersion: is 'gitops-gen.io/v1'; every document here must have "
          "apiVersion: gitops-gen.io/v1alpha1"]),
    Case("missing-kind", {MODEL: edited(IRIS, "    kind: Model\n", "", 1)},
         ["models/iris.yaml:1: kind: missing; must be one of Project, Environment, Model"]),
    Case("unknown-kind", {MODEL: edited(IRIS, "kind: Model", "kind: Modell", 1)},
         ["models/iris.yaml:2: kind: 'Modell' is not one of Project, Environment, Model (did you mean 'Model'?)"]),
    Case("no-project", {PROJ: None},
         ["{src}: no Project document found (exactly one is required)"]),
    Case("two-projects", {"zz/project2.yaml": edited(PROJECT, "name: demo", "name: other", 1)},
         ["zz/project2.yaml:2: kind: a second Project; there must be exactly one (the first is in project.yaml:1)"]),
    Case("duplicate-model-name", {"models/iris2.yaml": IRIS},
         ["models/iris2.yaml:4: metadata.name: Model 'iris' is already defined in models/iris.yaml:1"]),
    Case("duplicate-environment-name", {"envs/dev2.yaml": DEV},
         ["envs/dev2.yaml:3: metadata.name: Environment 'dev' is already defined in envs/dev.yaml:1"]),
    Case("environment-names-undefined-model", {DEV_ENV: edited(DEV, "iris: {}", "iris: {}\n        rose: {}", 1)},
         ["envs/dev.yaml:10: spec.models.rose: model 'rose' has no Model document"]),
    Case("promotion-names-missing-environment", {PROJ: edited(PROJECT, "[dev, prod]", "[dev, qa, prod]", 1)},
         ["project.yaml:7: spec.promotion[1]: environment 'qa' is not defined"]),
    Case("environment-spec-null", {DEV_ENV: DEV[:DEV.index("    spec:")] + "    spec: null\n"},
         ["envs/dev.yaml:4: spec: must be a mapping, not empty (null)"]),
    Case("model-spec-null", {MODEL: IRIS[:IRIS.index("    spec:")] + "    spec:\n"},
         ["models/iris.yaml:6: spec: must be a mapping, not empty (null)"]),
    Case("model-spec-a-list", {MODEL: IRIS[:IRIS.index("    spec:")] + "    spec: [1]\n"},
         ["models/iris.yaml:6: spec: must be a mapping, not a list"]),
    Case("project-without-spec", {PROJ: PROJECT[:PROJECT.index("    spec:")]},
         ["project.yaml:1: spec: required field is missing"]),
    Case("missing-metadata-name", {MODEL: edited(IRIS, "      name: iris\n", "", 1)},
         ["models/iris.yaml:3: metadata.name: required field is missing"]),
    Case("metadata-null", {DEV_ENV: edited(DEV, "metadata: {name: dev}", "metadata:", 1)},
         ["envs/dev.yaml:3: metadata: must be a mapping, not empty (null)"]),

    # --- names (they become directories: nothing may climb out of the output tree) ------------------
    Case("name-upper-case", {MODEL: edited(IRIS, "name: iris", "name: Iris", 1)},
         [f"models/iris.yaml:4: metadata.name: 'Iris' {DNS_LABEL}"]),
    Case("name-underscore", {DEV_ENV: edited(DEV, "name: dev-1", "name: dev_1", 1)},
         [f"envs/dev.yaml:7: spec.clusters[0].name: 'dev_1' {DNS_LABEL}"]),
    Case("name-slash", {DEV_ENV: edited(DEV, "{name: dev}", "{name: dev/x}", 1)},
         [f"envs/dev.yaml:3: metadata.name: 'dev/x' {DNS_LABEL}"]),
    Case("name-dot-dot", {MODEL: edited(IRIS, "name: iris", "name: ..", 1)},
         [f"models/iris.yaml:4: metadata.name: '..' {DNS_LABEL}"]),
    Case("model-key-dot-dot", {DEV_ENV: edited(DEV, "iris: {}", "iris: {}\n        '..': {}", 1)},
         [f"envs/dev.yaml:10: spec.models[\"..\"]: '..' {DNS_LABEL}"]),
    Case("name-too-long", {DEV_ENV: edited(DEV, "name: dev-1", "name: " + "c" * 64, 1)},
         [f"envs/dev.yaml:7: spec.clusters[0].name: '{'c' * 64}' {DNS_LABEL}"]),
    Case("name-a-number", {MODEL: edited(IRIS, "name: iris", "name: 123", 1)},
         ["models/iris.yaml:4: metadata.name: must be a string (a DNS-1123 label (lower-case letters, digits "
          "and '-', at most 63))"]),
    Case("invalid-namespace", {DEV_ENV: edited(DEV, "namespace: ml-dev", "namespace: ML_dev", 1)},
         [f"envs/dev.yaml:5: spec.namespace: 'ML_dev' {DNS_LABEL}"]),

    # --- values ---------------------------------------------------------------------------------------
    Case("replicas-min-above-max", {PROD_ENV: edited(PROD, "replicas: {min: 2, max: 5}", "replicas: {min: 6, max: 5}", 1)},
         ["envs/prod.yaml:20: spec.models.iris.replicas.min: min (6) is greater than max (5)"]),
    Case("negative-gpus", {MODEL: edited(IRIS, "memory: 2Gi}", "memory: 2Gi, gpu: -1}", 1)},
         ["models/iris.yaml:11: spec.resources.gpu: …0"]),
    Case("non-numeric-gpus", {MODEL: edited(IRIS, "memory: 2Gi}", "memory: 2Gi, gpu: two}", 1)},
         ["models/iris.yaml:11: spec.resources.gpu: 'two' is not a whole number (the digits 0-9)"]),
    Case("invalid-memory-quantity", {MODEL: edited(IRIS, "memory: 2Gi", "memory: 2GB", 1)},
         ["models/iris.yaml:11: spec.resources.memory: '2GB' is not a Kubernetes quantity such as 500m, 2, 1.5 or 4Gi"]),
    Case("invalid-cpu-in-overrides", {PROD_ENV: edited(PROD, "resources: {memory: 4Gi}", "resources: {cpu: 1.5 cores}", 1)},
         ["envs/prod.yaml:16: spec.overrides.resources.cpu: '1.5 cores' is not a Kubernetes quantity such as "
          "500m, 2, 1.5 or 4Gi"]),
    Case("server-not-https", {PROD_ENV: edited(PROD, "https://a.example.com:6443", "http://a.example.com:6443", 1)},
         ["envs/prod.yaml:8: spec.clusters[0].server: 'http://a.example.com:6443' is not an https:// URL"]),
    Case("no-version-anywhere", {MODEL: edited(IRIS, '      version: "1.1.0"\n', "", 1)},
         ["envs/dev.yaml:9: spec.models.iris: model 'iris' has no version in environment 'dev': "
          "set spec.version in the Model or pin `version:` here"]),
    Case("version-read-as-a-number", {MODEL: edited(IRIS, '"1.1.0"', "1.10", 1)},
         ['models/iris.yaml:7: spec.version: must be a string: YAML read this as the number 1.1; quote it, e.g. "1.10"']),
    Case("kserve-without-storage-uri", {MODEL: edited(IRIS, '      storageUri: "s3://models/iris/{{ version }}"\n', "", 1)},
         ["models/iris.yaml:6: spec.storageUri: required for serving: kserve (or storageUris, or storage)"]),
    Case("deployment-without-image", {MODEL: edited(IRIS, STORAGE_AND_RUNTIME, "serving: deployment", 1)},
         ["models/iris.yaml:6: spec.image: required for serving: deployment"]),
    # Nothing written is dropped: a field the model's serving kind never reads is refused, with the reason.
    Case("deployment-reads-no-runtime", {MODEL: edited(IRIS, "format: sklearn", "format: sklearn\n      serving: "
                                                      "deployment\n      image: img", 1)},
         ["models/iris.yaml:11: spec.storageUri: not used with serving: deployment (your image loads its own model: "
          "pass its location in env or args)",
          "models/iris.yaml:12: spec.runtime: not used with serving: deployment (only serving: kserve picks a "
          "ServingRuntime)"]),
    Case("kserve-runtime-with-image-and-port", {MODEL: IRIS + "      image: img\n      port: 9000\n"},
         ["models/iris.yaml:12: spec.image: not used with serving: kserve (a KServe runtime brings its own image; "
          "image applies to format: custom)",
          "models/iris.yaml:13: spec.port: not used with serving: kserve (a KServe runtime listens on its own port; "
          "port applies to format: custom, and grpcPort exposes gRPC)"]),
    Case("kserve-custom-with-storage-uri", {MODEL: edited(IRIS, "format: sklearn", "format: custom\n      image: img",
                                                          1).replace("      runtime: kserve-sklearnserver\n", "")},
         ["models/iris.yaml:10: spec.storageUri: not used with serving: kserve (KServe's storage initializer fetches "
          "a runtime's model; with format: custom your image fetches its own: pass its location in env or args)"]),
    Case("component-without-jsonnet", {MODEL: IRIS + "      component: components/iris.jsonnet\n"},
         ["models/iris.yaml:12: spec.component: not used with serving: kserve (only serving: jsonnet runs a "
          "component)"]),
    Case("helm-model-with-container-fields", {MODEL: edited(IRIS, STORAGE_AND_RUNTIME, "serving: helm\n      chart: "
                                                            "{repo: https://charts.example.com, name: iris, version: "
                                                            "1.0.0}", 1).replace("      format: sklearn\n", "")
                                              + "      nodeSelector: {pool: gpu}\n"},
         ["envs/prod.yaml:20: spec.models.iris.replicas: not used with serving: helm (the chart builds its own "
          "objects: set it in values)",
          "models/iris.yaml:10: spec.resources: not used with serving: helm (the chart builds its own objects: set "
          "it in values)",
          "models/iris.yaml:11: spec.nodeSelector: not used with serving: helm (the chart builds its own objects: "
          "set it in values)"]),
    Case("helm-model-with-env-in-its-environment-entry", {
        MODEL: edited(IRIS, STORAGE_AND_RUNTIME, "serving: helm\n      chart: {repo: https://charts.example.com, "
                            "name: iris, version: 1.0.0}", 1).replace("      format: sklearn\n", "").replace(
                            '      resources: {cpu: "1", memory: 2Gi}\n', ""),
        PROD_ENV: edited(PROD, '          version: "1.0.0"\n', '          version: "1.0.0"\n          env: {A: b}\n')},
        # The environment-wide overrides (resources, line 16) are skipped for a chart's model; replicas and env,
        # written for this model, are refused.
        ["envs/prod.yaml:20: spec.models.iris.env: not used with serving: helm (the chart builds its own objects: "
         "set it in values)",
         "envs/prod.yaml:21: spec.models.iris.replicas: not used with serving: helm (the chart builds its own "
         "objects: set it in values)"]),
    Case("kserve-batcher-on-a-deployment", {MODEL: edited(IRIS, STORAGE_AND_RUNTIME, "serving: deployment\n      image: "
                                                          "img\n      batcher: {maxBatchSize: 8}", 1)},
         ["models/iris.yaml:11: spec.batcher: not used with serving: deployment (KServe's batcher: applies to "
          "serving: kserve, not serving: deployment)"]),
    Case("unknown-logger-mode", {MODEL: IRIS + "      logger: {mode: verbose}\n"},
         ["models/iris.yaml:12: spec.logger.mode: 'verbose' is not allowed: must be 'all', 'request' or 'response'"]),
    Case("unknown-format", {MODEL: edited(IRIS, "format: sklearn", "format: pickle", 1)},
         ["models/iris.yaml:8: spec.format: 'pickle' is not allowed: …'sklearn'…'custom'"]),
    Case("canary-step-negative", {MODEL: IRIS + "      rollout: {strategy: canary, canary: {steps: [-10, 50]}}\n"},
         ["models/iris.yaml:12: spec.rollout.canary.steps[0]: …0"]),
    Case("canary-step-above-100", {MODEL: IRIS + "      rollout:\n        strategy: canary\n        canary:\n"
                                                  "          steps: [10, 101]\n"},
         ["models/iris.yaml:15: spec.rollout.canary.steps[1]: …100"]),
    Case("port-out-of-range", {MODEL: IRIS + "      port: 70000\n"},
         ["models/iris.yaml:12: spec.port: …65535"]),
    Case("no-clusters", {DEV_ENV: edited(DEV, "clusters:\n        - name: dev-1", "clusters: []", 1)},
         ["envs/dev.yaml:6: spec.clusters: must have at least 1 item(s)"]),
    Case("cluster-listed-twice", {DEV_ENV: edited(DEV, "- name: dev-1", "- name: dev-1\n        - name: dev-1", 1)},
         ["envs/dev.yaml:8: spec.clusters[1].name: cluster 'dev-1' is listed twice"]),
    Case("repo-url-not-a-url", {PROJ: edited(PROJECT, "https://git.example.com/demo.git", "git.example.com/demo", 1)},
         ["project.yaml:5: spec.repoURL: 'git.example.com/demo' must be an http(s):// or ssh:// URL"]),
    Case("rendered-path-climbs-out", {PROJ: PROJECT + "      renderedPath: ../out\n"},
         ["project.yaml:8: spec.renderedPath: '../out' is not a relative path inside the Git repository (no '..')"]),
    Case("secret-env-with-a-value", {MODEL: IRIS + "      secretEnv: [{name: API_KEY, secret: s, key: k, value: hunter2}]\n"},
         ["models/iris.yaml:12: spec.secretEnv[0].value: unknown field"]),
    Case("invalid-env-var-name", {MODEL: IRIS + "      env: {1BAD: x}\n"},
         ["models/iris.yaml:12: spec.env.1BAD: '1BAD' is not a valid environment variable name"]),

    # --- unknown and mistyped fields, at every level ---------------------------------------------------
    Case("unknown-top-level-field", {MODEL: IRIS + "    status: {}\n"},
         ["models/iris.yaml:12: status: unknown field"]),
    # A hint names a field of the kind the unknown one was written in, at any depth: replicas is the model's.
    Case("unknown-field-hint-of-its-own-kind", {MODEL: edited(IRIS, 'memory: 2Gi}', "memory: 2Gi, replica: 2}", 1)},
         ["models/iris.yaml:11: spec.resources.replica: unknown field"]),
    Case("unknown-probe-field", {MODEL: IRIS + "      probes: {readiness: {httpGet: {paht: /ready, port: 8080}}}\n"},
         ["models/iris.yaml:12: spec.probes.readiness.httpGet.paht: unknown field (did you mean 'path'?)"]),
    Case("unknown-batcher-field", {MODEL: IRIS + "      batcher: {maxbatchsize: 8}\n"},
         ["models/iris.yaml:12: spec.batcher.maxbatchsize: unknown field (did you mean 'maxBatchSize'?)"]),
    Case("unknown-metadata-field", {MODEL: edited(IRIS, "labels: {team: demo}", "labels: {team: demo}\n      lables: {}", 1)},
         ["models/iris.yaml:6: metadata.lables: unknown field (did you mean 'labels'?)"]),
    Case("unknown-project-field", {PROJ: PROJECT + "      repoUrl: x\n"},
         ["project.yaml:8: spec.repoUrl: unknown field (did you mean 'repoURL'?)"]),
    Case("unknown-argocd-field", {PROJ: PROJECT + "      argocd: {applicationSet: true}\n"},
         ["project.yaml:8: spec.argocd.applicationSet: unknown field (did you mean 'applicationSets'?)"]),
    Case("unknown-flux-field", {PROJ: PROJECT + "      flux: {intervall: 5m}\n"},
         ["project.yaml:8: spec.flux.intervall: unknown field (did you mean 'interval'?)"]),
    Case("unknown-environment-field", {DEV_ENV: DEV + "      namespaces: x\n"},
         ["envs/dev.yaml:10: spec.namespaces: unknown field (did you mean 'namespace'?)"]),
    Case("unknown-cluster-field", {DEV_ENV: edited(DEV, "- name: dev-1", "- name: dev-1\n          sever: https://x", 1)},
         ["envs/dev.yaml:8: spec.clusters[0].sever: unknown field (did you mean 'server'?)"]),
    Case("unknown-sync-field", {PROD_ENV: edited(PROD, "sync: {prune: false}", "sync: {prune: false, selfheal: true}", 1)},
         ["envs/prod.yaml:14: spec.sync.selfheal: unknown field (did you mean 'selfHeal'?)"]),
    Case("unknown-field-in-overrides", {PROD_ENV: edited(PROD, "resources: {memory: 4Gi}",
                                                         "resources: {memory: 4Gi}\n        replica: {max: 3}", 1)},
         ["envs/prod.yaml:17: spec.overrides.replica: unknown field (did you mean 'replicas'?)"]),
    Case("unknown-field-deep-in-overrides", {PROD_ENV: edited(PROD, "{memory: 4Gi}", "{memory: 4Gi, gpus: 1}", 1)},
         ["envs/prod.yaml:16: spec.overrides.resources.gpus: unknown field (did you mean 'gpu'?)"]),
    Case("unknown-field-in-model-entry", {PROD_ENV: edited(PROD, 'version: "1.0.0"',
                                                           'version: "1.0.0"\n          storageURI: s3://x', 1)},
         ["envs/prod.yaml:20: spec.models.iris.storageURI: unknown field (did you mean 'storageUri'?)"]),
    Case("unknown-model-field", {MODEL: IRIS + "      replica: {max: 3}\n"},
         ["models/iris.yaml:12: spec.replica: unknown field (did you mean 'replicas'?)"]),
    Case("unknown-nested-model-field", {MODEL: IRIS + "      rollout: {strategy: canary, canary: {step: [10]}}\n"},
         ["models/iris.yaml:12: spec.rollout.canary.step: unknown field (did you mean 'steps'?)"]),
    Case("mistyped-replicas", {MODEL: IRIS + "      replicas: two\n"},
         ["models/iris.yaml:12: spec.replicas: must be a mapping, not a string"]),
    Case("mistyped-env", {MODEL: IRIS + "      env: [LOG_LEVEL]\n"},
         ["models/iris.yaml:12: spec.env: must be a mapping, not a list"]),
    Case("mistyped-models", {DEV_ENV: edited(DEV, "iris: {}", "- iris", 1)},
         ["envs/dev.yaml:8: spec.models: must be a mapping, not a list"]),
    Case("mistyped-model-entry", {DEV_ENV: edited(DEV, "iris: {}", "iris: 3", 1)},
         ["envs/dev.yaml:9: spec.models.iris: must be a mapping, not a number"]),
    Case("mistyped-clusters", {DEV_ENV: edited(DEV, "- name: dev-1", "name: dev-1", 1)},
         ["envs/dev.yaml:6: spec.clusters: must be a list, not a mapping"]),
    Case("mistyped-overrides", {PROD_ENV: edited(PROD, "overrides:\n        resources: {memory: 4Gi}", "overrides: []", 1)},
         ["envs/prod.yaml:15: spec.overrides: must be a mapping, not a list"]),

    # --- Jinja2 in spec strings -----------------------------------------------------------------------
    Case("jinja-syntax-error", {MODEL: edited(IRIS, "{{ version }}", "{{ version }", 1)},
         ["models/iris.yaml:9: spec.storageUri: template syntax error: …"]),
    Case("jinja-unclosed-block", {MODEL: edited(IRIS, "{{ version }}", "{% if version %}", 1)},
         ["models/iris.yaml:9: spec.storageUri: template syntax error: …"]),
    Case("jinja-unknown-name", {MODEL: edited(IRIS, "{{ version }}", "{{ release.version }}", 1)},
         [f"models/iris.yaml:9: spec.storageUri: …'release'… {KNOWN_NAMES}"]),
    Case("jinja-unknown-name-in-overrides", {PROD_ENV: edited(PROD, "memory: 4Gi", "memory: '{{ mem }}'", 1)},
         [f"envs/prod.yaml:16: spec.overrides.resources.memory: …'mem'… {KNOWN_NAMES}"]),
    Case("jinja-unknown-filter", {MODEL: edited(IRIS, "{{ version }}", "{{ version|nosuchfilter }}", 1)},
         ["models/iris.yaml:9: spec.storageUri: template syntax error: …'nosuchfilter'…"]),
    Case("jinja-sandbox-escape", {MODEL: edited(IRIS, "{{ version }}", "{{ ''.__class__.__mro__[1].__subclasses__() }}", 1)},
         ["models/iris.yaml:9: spec.storageUri: refused by the template sandbox: …'__class__'…"]),
    Case("jinja-include-a-file", {MODEL: edited(IRIS, "{{ version }}", "{% include '/etc/passwd' %}", 1)},
         ["models/iris.yaml:9: spec.storageUri: spec strings cannot include, import or extend templates ('/etc/passwd')"]),
    Case("jinja-huge-range", {MODEL: edited(IRIS, "{{ version }}", "{% for i in range(10**9) %}x{% endfor %}", 1)},
         ["models/iris.yaml:9: spec.storageUri: refused by the template sandbox: the number 1000000000 is larger "
          "than the sandbox allows (1048576)"]),
    Case("jinja-memory-bomb", {MODEL: edited(IRIS, "{{ version }}", "{{ 'a' * 10**9 }}", 1)},
         ["models/iris.yaml:9: spec.storageUri: refused by the template sandbox: repeating a value 1000000000 times "
          "makes it larger than the sandbox allows"]),
    Case("jinja-nested-too-deeply", {MODEL: edited(IRIS, "{{ version }}", "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", 1)},
         ["models/iris.yaml:9: spec.storageUri: template syntax error: expressions nested too deeply"]),
    Case("jinja-in-version", {PROD_ENV: edited(PROD, 'version: "1.0.0"', 'version: "{{ x }}"', 1)},
         ["envs/prod.yaml:19: spec.models.iris.version: '{{ x }}' is not a valid version"]),

    # --- the file system --------------------------------------------------------------------------
    Case("symlink-to-a-file-outside", {},
         ["link.yaml: is a symlink that points outside the source tree; refusing to read it"],
         setup=lambda src: ((src.parent / "outside.yaml").write_text("a: 1\n"),
                            (src / "link.yaml").symlink_to(src.parent / "outside.yaml"))),
    Case("symlink-to-a-folder-outside", {},
         ["more: is a symlink that points outside the source tree; refusing to read it"],
         setup=lambda src: ((src.parent / "elsewhere").mkdir(), (src.parent / "elsewhere/x.yaml").write_text("a: 1\n"),
                            (src / "more").symlink_to(src.parent / "elsewhere"))),
    Case("symlink-loop", {},
         ["a.yaml: is a symlink loop; refusing to read it"],
         setup=lambda src: ((src / "a.yaml").symlink_to("b.yaml"), (src / "b.yaml").symlink_to("a.yaml"))),
    Case("dangling-symlink", {},
         ["gone.yaml: cannot read: …"],
         setup=lambda src: (src / "gone.yaml").symlink_to("nowhere.yaml")),
    Case("fifo-named-like-a-spec", {},
         ["pipe.yaml: is not a regular file; refusing to read it"],
         setup=lambda src: os.mkfifo(src / "pipe.yaml")),
    # --- Rollouts and extensions (template files, Jsonnet components) -------------------------------
    Case("ab-weights-not-100", {MODEL: IRIS + AB_ROLLOUT},
         ["models/iris.yaml:16: spec.rollout.ab.variants: weights must add up to 100, not 90"]),
    Case("template-unknown-name", {MODEL: IRIS + TEMPLATES, "templates/pdb.yaml.j2": "kind: ConfigMap\nmetadata:\n"
                                   "  name: {{ nope }}\n"},
         ["templates/pdb.yaml.j2:3: …'nope'… (known names: cluster, environment, labels, model, "
          "namespace, spec, version) (rendering release dev-dev-1-iris)"]),
    Case("template-syntax-error", {MODEL: IRIS + TEMPLATES, "templates/pdb.yaml.j2": "kind: ConfigMap\n"
                                   "metadata:\n  name: {{ model \n"},
         ["templates/pdb.yaml.j2:3: template syntax error: … (rendering release dev-dev-1-iris)"]),
    Case("template-size-bomb", {MODEL: IRIS + TEMPLATES, "templates/pdb.yaml.j2": "kind: ConfigMap\ndata:\n"
                                "  x: {{ 'a' * 10**9 }}\n"},
         ["templates/pdb.yaml.j2:3: refused by the template sandbox: repeating a value 1000000000 times makes it "
          "larger than the sandbox allows (rendering release dev-dev-1-iris)"]),
    Case("template-path-outside-the-tree", {MODEL: IRIS + "      templates: [templates/../../etc/passwd]\n"},
         ["models/iris.yaml:12: spec.templates[0]: templates/../../etc/passwd not found in the source tree"]),
    Case("component-imports-an-absolute-path", {MODEL: COMPONENT_MODEL, "components/iris.jsonnet":
                                                "local x = import '/etc/passwd';\nfunction(release) x\n"},
         ["components/iris.jsonnet:1: import '/etc/passwd': absolute paths are refused; imports resolve inside "
          "the source tree"]),
    Case("component-imports-outside-the-tree", {MODEL: COMPONENT_MODEL, "components/iris.jsonnet":
                                                "local x = import '../../secret.libsonnet';\nfunction(release) x\n"},
         ["components/iris.jsonnet:1: import '../../secret.libsonnet' leaves the source tree"]),
]


def write_case(src: Path, case: Case) -> None:
    for rel, content in case.files.items():
        path = src / rel
        if content is None:
            path.unlink()
        elif isinstance(content, bytes):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        else:
            build_file_tree(src, {rel: content})
    if case.setup:
        case.setup(src)


@pytest.fixture
def rendered(tmp_path, run):
    """The valid small fleet, rendered: (source tree, output tree, its bytes)."""
    src = build_file_tree(tmp_path / "src", small_fleet())
    out = tmp_path / "out"
    result = run("render", "--source", src, "--out", out)
    assert result.exit_code == 0, result.stderr
    return src, out, tree_bytes(out)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_located_line_and_changes_nothing(case, rendered, run):
    src, out, before = rendered
    write_case(src, case)
    expected = [line.replace("{src}", str(src)) for line in case.expected]
    for args in (["render", "--out", out], ["render", "--check", "--out", out], ["validate"], ["show", "--env", "dev"]):
        result = run(*args, "--source", src)
        assert result.exit_code == 1, (args, result.stderr)
        assert_lines(result.stderr, expected, args)
        assert result.stdout == ""
    assert tree_bytes(out) == before
    assert [name for name in os.listdir(out.parent) if name.startswith(".")] == []  # no staging tree left


def test_a_template_loop_that_runs_too_long_is_one_line(rendered, run, monkeypatch):
    monkeypatch.setattr(sandbox, "TIME_LIMIT_SECONDS", 0.2)
    src, out, before = rendered
    nested = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    build_file_tree(src, {MODEL: edited(IRIS, "{{ version }}", nested, 1)})
    result = run("render", "--source", src, "--out", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "models/iris.yaml:9: spec.storageUri: refused by the template sandbox: took longer than 0.2s (a loop too large?)"]
    assert tree_bytes(out) == before


def test_several_problems_are_one_line_each_sorted_and_capped(rendered, run):
    src, out, before = rendered
    build_file_tree(src, {DEV_ENV: edited(DEV, "namespace: ml-dev", "namespace: ML", 1),
                          PROJ: PROJECT + "      repoUrl: x\n",
                          **{f"more/m{i:02d}.yaml": "kind: Model\n" for i in range(30)}})
    result = run("render", "--source", src, "--out", out)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    # 32 problems: sorted by file and line, the first twenty shown, then a count of the rest.
    assert lines[:3] == [f"envs/dev.yaml:5: spec.namespace: 'ML' {DNS_LABEL}",
                         "more/m00.yaml:1: apiVersion: missing; every document here must have "
                         "apiVersion: gitops-gen.io/v1alpha1",
                         "more/m01.yaml:1: apiVersion: missing; every document here must have "
                         "apiVersion: gitops-gen.io/v1alpha1"]
    assert lines[19].startswith("more/m18.yaml:1: ")
    assert lines[20:] == ["gitops-gen: ... and 12 more problems"]
    assert tree_bytes(out) == before


SUBPROCESS_CASES = ["tab-indentation", "alias-bomb", "jinja-sandbox-escape", "symlink-to-a-folder-outside",
                    "unknown-field-deep-in-overrides"]


@pytest.mark.parametrize("case", [c for c in CASES if c.id in SUBPROCESS_CASES], ids=SUBPROCESS_CASES)
def test_bad_input_through_python_dash_m(case, rendered):
    src, out, before = rendered
    write_case(src, case)
    result = subprocess.run([sys.executable, "-m", "generator", "render", "--source", src, "--out", out],
                            cwd=src, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 1
    assert_lines(result.stderr, [line.replace("{src}", str(src)) for line in case.expected])
    assert "Traceback" not in result.stderr
    assert tree_bytes(out) == before
