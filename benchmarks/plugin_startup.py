"""Wall time of `gitops-gen-cmp generate` for one release, run the way argocd-cmp-server runs it.

Every run is a fresh process whose working directory is a fresh copy of the
source tree (inside a copy of the repository, modes reset as Argo CD does),
with the variables Argo CD sets (ARGOCD_APP_*, KUBE_VERSION, KUBE_API_VERSIONS,
ARGOCD_APP_PARAMETERS, PARAM_*), no $HOME, and the command read from
cmp-sidecar/plugin.yaml. Three cases, interleaved so that load on the machine
affects them alike:

- cache miss: an empty cache directory per run; the first request after a
  commit changed the specs (the whole compiler runs: pydantic, Jinja2, PyYAML).
- cache hit: a cache directory warmed by one earlier request for the same
  source tree; every other Application of that commit (plugin/cache.py).
- python -c pass: the interpreter's own start-up, the floor.

    python benchmarks/plugin_startup.py [--runs 40] [--release prod/prod-eu/fraud-detector]

Prints median, p90 and min per case, in milliseconds.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from generator.builders.validation import known_kinds

REPO = Path(__file__).resolve().parent.parent
PLUGIN_YAML = REPO / "cmp-sidecar" / "plugin.yaml"


def plugin_command(subcommand: str) -> list[str]:
    spec = yaml.safe_load(PLUGIN_YAML.read_text())["spec"]
    step = spec["generate"] if subcommand == "generate" else spec["parameters"]["dynamic"]
    return [*step["command"], *step.get("args", [])]


def copy_tree(source: Path, dest: Path) -> None:
    """Copy with modes reset to 0644/0755, as argocd-cmp-server unpacks the repository."""
    shutil.copytree(source, dest)
    for path in [dest, *dest.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)


def argocd_env(sidecar_tmp: Path, source_path: str, environment: str, cluster: str, model: str) -> dict[str, str]:
    params = [{"name": "environment", "string": environment}, {"name": "model", "string": model},
              {"name": "cluster", "string": cluster}]
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "TMPDIR": str(sidecar_tmp),
        "ARGOCD_APP_NAME": f"{environment}-{cluster}-{model}",
        "ARGOCD_APP_NAMESPACE": "ml-prod",
        "ARGOCD_APP_PROJECT_NAME": environment,
        "ARGOCD_APP_REVISION": "4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c",
        "ARGOCD_APP_REVISION_SHORT": "4f1c2d3",
        "ARGOCD_APP_REVISION_SHORT_8": "4f1c2d3e",
        "ARGOCD_APP_SOURCE_REPO_URL": "https://git.example.com/acme/ml-gitops.git",
        "ARGOCD_APP_SOURCE_PATH": source_path,
        "ARGOCD_APP_SOURCE_TARGET_REVISION": "main",
        "KUBE_VERSION": "1.34.1",
        # A cluster serving every API gitops-gen can emit, as group/version and group/version/Kind.
        "KUBE_API_VERSIONS": ",".join([*sorted({v for v, _k in known_kinds()}),
                                       *sorted(f"{v}/{k}" for v, k in known_kinds())]),
        "ARGOCD_APP_PARAMETERS": json.dumps(params),
        **{f"PARAM_{p['name'].upper()}": p["string"] for p in params},
    }
    return env


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or (command[-1] == "generate" and not done.stdout):
        sys.exit(f"benchmark run failed ({done.returncode}): {done.stderr.decode().strip()}")
    return elapsed


def summary(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p90 = ms[min(len(ms) - 1, round(0.9 * (len(ms) - 1)))]
    return f"{name:<16} median {statistics.median(ms):6.1f} ms   p90 {p90:6.1f} ms   min {ms[0]:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--release", default="prod/prod-eu/fraud-detector", help="environment/cluster/model")
    parser.add_argument("--source", type=Path, default=REPO / "environments", help="the source tree")
    args = parser.parse_args()
    environment, cluster, model = args.release.split("/")
    generate = plugin_command("generate")
    with tempfile.TemporaryDirectory(prefix="plugin-startup-") as tmp:
        work = Path(tmp)
        sidecar_tmp = work / "sidecar-tmp"  # the sidecar's own emptyDir at /tmp
        sidecar_tmp.mkdir()
        env = argocd_env(sidecar_tmp, "environments", environment, cluster, model)
        warm_cache = work / "warm-cache"
        results: dict[str, list[float]] = {"cache miss": [], "cache hit": [], "python -c pass": []}

        def fresh_app_dir(i: int, case: str) -> Path:
            repo = work / "requests" / f"{i}-{case}"  # $TMPDIR/_cmp_server/<uuid>/ in Argo CD
            copy_tree(args.source, repo / "environments")
            return repo / "environments"

        timed(generate, fresh_app_dir(0, "warm-up"), {**env, "GITOPS_GEN_CMP_CACHE": str(warm_cache)})
        for i in range(args.runs):
            cold_cache = work / f"cold-cache-{i}"
            results["cache miss"].append(
                timed(generate, fresh_app_dir(i, "miss"), {**env, "GITOPS_GEN_CMP_CACHE": str(cold_cache)}))
            results["cache hit"].append(
                timed(generate, fresh_app_dir(i, "hit"), {**env, "GITOPS_GEN_CMP_CACHE": str(warm_cache)}))
            results["python -c pass"].append(timed([sys.executable, "-c", "pass"], work, env))
            shutil.rmtree(work / "requests")
    print(f"gitops-gen-cmp generate, release {args.release}, {args.runs} cold processes each "
          f"(Python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")
    for name, seconds in results.items():
        print(summary(name, seconds))


if __name__ == "__main__":
    main()
