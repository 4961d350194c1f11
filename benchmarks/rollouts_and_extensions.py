"""Build time of a fleet that uses every rollout strategy, monitoring, a template and a component.

    python benchmarks/rollouts_and_extensions.py [CLUSTERS]

Writes a source tree into a temporary directory (5 environments x CLUSTERS
clusters x 6 models), then times load+resolve and build, and prints figures.
"""
from __future__ import annotations

import sys
import tempfile
import textwrap
import time
from pathlib import Path

from generator.builders.files import build_fleet
from generator.resolve.fleet import load_fleet

MODELS = {
    "canary": "serving: deployment\nimage: 'ghcr.io/acme/m:{{ version }}'\nreplicas: {min: 2, max: 4}\n"
              "rollout: {strategy: canary, canary: {steps: [10, 50], pause: 5m}}\n",
    "bluegreen": "serving: deployment\nimage: 'ghcr.io/acme/m:{{ version }}'\nrollout: {strategy: bluegreen}\n",
    "abtest": "serving: deployment\nimage: 'ghcr.io/acme/m:{{ version }}'\nrollout:\n  strategy: ab\n  ab:\n"
              "    gateway: {name: gw}\n    variants: [{name: a, version: '1', weight: 50}, {name: b, version: '2', weight: 50}]\n",
    "isvc": "format: sklearn\nstorageUri: 's3://m/{{ version }}'\nruntime: kserve-sklearnserver\n",
    "knative": "format: sklearn\nstorageUri: 's3://m/{{ version }}'\ndeploymentMode: Knative\n"
               "rollout: {strategy: canary, canary: {steps: [10]}}\n",
    "component": "serving: jsonnet\ncomponent: components/c.jsonnet\n",
}
MONITORING = "monitoring: {metrics: true, alerts: {latencyP99: 1s}, dashboard: true}\ntemplates: [templates/pdb.yaml.j2]\n"


def write_tree(root: Path, clusters: int) -> None:
    (root / "templates").mkdir(parents=True)
    (root / "components").mkdir()
    (root / "project.yaml").write_text("apiVersion: gitops-gen.io/v1alpha1\nkind: Project\nmetadata: {name: b}\n"
                                       "spec: {repoURL: 'https://git.example.com/b.git', engines: [argocd, flux]}\n")
    (root / "templates/pdb.yaml.j2").write_text(
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: '{{ model }}'}\n"
        "spec: {maxUnavailable: 1, selector: {matchLabels: {gitops-gen.io/model: '{{ model }}'}}}\n")
    (root / "components/c.jsonnet").write_text(
        "function(release) {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: release.model}, "
        "data: {version: release.version}}\n")
    for name, spec in MODELS.items():
        body = f"version: '1'\nformat: custom\n{spec}" if "format:" not in spec else f"version: '1'\n{spec}"
        if name != "component":
            body += MONITORING
        (root / f"{name}.yaml").write_text("apiVersion: gitops-gen.io/v1alpha1\nkind: Model\n"
                                           f"metadata: {{name: {name}}}\nspec:\n" + textwrap.indent(body, "  "))
    for e in range(5):
        cluster_list = "".join(f"    - {{name: e{e}-c{c}, server: 'https://e{e}c{c}.example.com'}}\n"
                               for c in range(clusters))
        (root / f"env{e}.yaml").write_text(
            f"apiVersion: gitops-gen.io/v1alpha1\nkind: Environment\nmetadata: {{name: env{e}}}\nspec:\n"
            f"  namespace: ml-{e}\n  clusters:\n{cluster_list}  models: {{{', '.join(f'{m}: {{}}' for m in MODELS)}}}\n")


def main() -> None:
    clusters = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "src"
        write_tree(root, clusters)
        started = time.perf_counter()
        fleet = load_fleet(root)
        loaded = time.perf_counter()
        files = build_fleet(fleet)
        built = time.perf_counter()
    print(f"{len(fleet.releases)} releases, {len(files)} files: load+resolve {loaded - started:.2f} s, "
          f"build {built - loaded:.2f} s ({(built - loaded) / len(fleet.releases) * 1000:.2f} ms per release)")


if __name__ == "__main__":
    main()
