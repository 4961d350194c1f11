"""Render a synthetic fleet and print how long each command takes and how much memory it needs.

    python benchmarks/fleet.py                       # 1,000 models x 3 environments x 3 clusters
    python benchmarks/fleet.py --models 100 --runs 3 # a quicker look

Every command runs as a fresh process, as users and Argo CD run it. Figures:
median wall time over --runs, peak RSS of the process, and what was written.
Render records (generator.emit.record) are kept in a private cache directory.
Then, in this process, where the time of one compile goes (load, resolve,
build, serialize). The last lines are the reference: how long PyYAML's C
dumper alone takes to serialize the same objects, and each figure as a
multiple of it, so figures can be compared across machines.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = """\
apiVersion: gitops-gen.io/v1alpha1
kind: Project
metadata: {{name: bench}}
spec:
  repoURL: https://git.example.com/bench.git
  engines: [argocd, flux]
  promotion: [{promotion}]
"""

ENVIRONMENT = """\
apiVersion: gitops-gen.io/v1alpha1
kind: Environment
metadata: {{name: {env}}}
spec:
  namespace: ml-{env}
  clusters:
{clusters}
  models:
{models}
"""

KSERVE_MODEL = """\
apiVersion: gitops-gen.io/v1alpha1
kind: Model
metadata: {{name: {name}, labels: {{team: t{team}}}}}
spec:
  version: "1.{i}.0"
  format: sklearn
  storageUri: "s3://models/{name}/{{{{ version }}}}"
  runtime: kserve-sklearnserver
  resources: {{cpu: "1", memory: 2Gi}}
  replicas: {{min: 1, max: 4}}
  autoscaling: {{metric: cpu, target: 70}}
"""

DEPLOYMENT_MODEL = """\
apiVersion: gitops-gen.io/v1alpha1
kind: Model
metadata: {{name: {name}, labels: {{team: t{team}}}}}
spec:
  version: "2.{i}.0"
  format: custom
  serving: deployment
  image: "ghcr.io/acme/{name}:{{{{ version }}}}"
  resources: {{cpu: 500m, memory: 1Gi}}
  replicas: {{min: 2, max: 6}}
  env: {{LOG_LEVEL: info}}
  secretEnv: [{{name: TOKEN, secret: {name}-secrets, key: token}}]
"""


def write_fleet(root: Path, models: int, envs: int, clusters: int) -> Path:
    """A source tree: half KServe, half Deployment models; every environment runs every model."""
    source = root / "environments"
    (source / "models").mkdir(parents=True)
    (source / "environments").mkdir()
    env_names = [f"env{e}" for e in range(envs)]
    (source / "project.yaml").write_text(PROJECT.format(promotion=", ".join(env_names)))
    names = [f"model-{i:04d}" for i in range(models)]
    for i, name in enumerate(names):
        template = KSERVE_MODEL if i % 2 == 0 else DEPLOYMENT_MODEL
        (source / "models" / f"{name}.yaml").write_text(template.format(name=name, i=i, team=i % 10))
    for e, env in enumerate(env_names):
        cluster_lines = []
        for c in range(clusters):
            line = f"    - {{name: {env}-c{c}, server: \"https://{env}-c{c}.example.com:6443\", wave: {c}"
            if c % 2:  # every other cluster is reached from the Flux hub
                line += f", kubeConfigSecret: {env}-c{c}-kubeconfig"
            cluster_lines.append(line + "}")
        model_lines = [f"    {name}: {{replicas: {{min: 1, max: {3 + e}}}}}" for name in names]
        (source / "environments" / f"{env}.yaml").write_text(
            ENVIRONMENT.format(env=env, clusters="\n".join(cluster_lines), models="\n".join(model_lines)))
    return source


def run(cmd: list[str], cwd: Path, env: dict | None = None, ok: tuple[int, ...] = (0,)) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in MB and exit code of one fresh process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        sys.exit(f"{' '.join(cmd)} failed ({code}): {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss // 1024, code


MEDIANS: dict[str, float] = {}


def measure(label: str, cmd: list[str], cwd: Path, runs: int, env: dict | None = None,
            ok: tuple[int, ...] = (0,), before=None) -> None:
    """``before(i)``, untimed, prepares run i (e.g. removes the output tree)."""
    results = []
    for i in range(runs):
        if before is not None:
            before(i)
        results.append(run(cmd, cwd, env, ok))
    times = sorted(r[0] for r in results)
    MEDIANS[label] = statistics.median(times)
    print(f"{label:<36} median {statistics.median(times):7.3f} s   min {times[0]:7.3f} s   "
          f"peak RSS {max(r[1] for r in results):5d} MB", flush=True)


def tree_size(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def phases(source: Path) -> tuple[list, float, int]:
    """One compile in this process, stage by stage; then PyYAML's C dumper alone on the same objects."""
    import yaml

    from generator import tune_gc_for_one_run
    from generator.builders.files import build_fleet
    from generator.emit.serialize import file_contents
    from generator.load.source import load_tree
    from generator.resolve.fleet import resolve

    tune_gc_for_one_run()  # as the CLI does
    timings = []
    result = source
    started = time.perf_counter()
    for name, step in (("load", load_tree), ("resolve", resolve), ("build", build_fleet),
                       ("serialize", file_contents)):
        result = step(result)  # each stage takes what the one before made
        now = time.perf_counter()
        timings.append((name, now - started))
        started = now
        if name == "build":
            objects = [f.obj for f in result]
    started = time.perf_counter()
    for obj in objects:
        yaml.dump(obj, Dumper=yaml.CSafeDumper, sort_keys=False, default_flow_style=False)
    return timings, time.perf_counter() - started, len(objects)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--envs", type=int, default=3)
    parser.add_argument("--clusters", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the generated fleet and print where it is")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="gitops-gen-bench-"))
    try:
        source = write_fleet(root, args.models, args.envs, args.clusters)
        releases = args.models * args.envs * args.clusters
        print(f"fleet: {args.models} models x {args.envs} environments x {args.clusters} clusters "
              f"= {releases} releases (argocd + flux)", flush=True)
        records = root / "cache"
        env = {**os.environ, "XDG_CACHE_HOME": str(records)}
        gitops_gen = [sys.executable, "-m", "generator"]
        rendered = root / "rendered"

        def empty_output(_i: int) -> None:
            shutil.rmtree(rendered, ignore_errors=True)
            shutil.rmtree(records, ignore_errors=True)
            settle(root)

        model = source / "models" / "model-0000.yaml"
        original = model.read_text()

        def change_one_model(i: int) -> None:
            # Each run a new version of one model: its 9 releases' files change, nothing else.
            model.write_text(original.replace('version: "1.0.0"', f'version: "1.0.{i + 1}"'))
            settle(root)

        def forget_records(_i: int) -> None:
            shutil.rmtree(records, ignore_errors=True)

        measure("render (first, empty output)", [*gitops_gen, "render", "-q"], root, args.runs, env,
                before=empty_output)
        measure("render (over an unchanged tree)", [*gitops_gen, "render", "-q"], root, args.runs, env)
        measure("render (one model's version changed)", [*gitops_gen, "render", "-q"], root, args.runs, env,
                before=change_one_model)
        model.write_text(original)
        run([*gitops_gen, "render", "-q"], root, env)
        settle(root)
        measure("render --check (unchanged tree)", [*gitops_gen, "render", "--check", "-q"], root, args.runs, env)
        measure("render --check (no record: CI)", [*gitops_gen, "render", "--check", "-q"], root, args.runs, env,
                before=forget_records)
        # What the pre-commit hook runs on every commit: it must cost no more than a compile.
        measure("validate", [*gitops_gen, "validate", "-q"], root, args.runs, env)
        measure("show (one release)", [*gitops_gen, "show", "--env", "env0", "--cluster", "env0-c0",
                                       "--model", "model-0000"], root, args.runs, env)
        # Everything a promotion does but writing: edit, compile the edited tree, diff it against the output.
        # (--force: 9.9.9 never ran in env0, and this measures the promotion, not that refusal.)
        measure("promote --dry-run (one model)", [*gitops_gen, "promote", "model-0000", "--to", "env1",
                                                  "--version", "9.9.9", "--force", "--dry-run"],
                root, args.runs, env)
        measure("diff env0 env1 (all models)", [*gitops_gen, "diff", "env0", "env1"], root, args.runs, env,
                ok=(0, 1))
        cmp = shutil.which("gitops-gen-cmp", path=str(Path(sys.executable).parent)) or shutil.which("gitops-gen-cmp")
        if cmp:
            cmp_env = {**env, "ARGOCD_ENV_ENVIRONMENT": "env0", "ARGOCD_ENV_CLUSTER": "env0-c0",
                       "ARGOCD_ENV_MODEL": "model-0000", "GITOPS_GEN_CMP_CACHE": str(root / "cmp-cache")}
            done = subprocess.run([cmp, "generate"], cwd=source, env=cmp_env, capture_output=True)
            if done.returncode == 0:
                measure("gitops-gen-cmp generate (cache hit)", [cmp, "generate"], source, args.runs, cmp_env)
            else:
                print(f"gitops-gen-cmp generate: not measured ({done.stderr.decode().strip()[:120]})")
        # The disk's own price for creating these files, whatever writes them.
        copies = root / "copies"
        measure("floor: cp -r of the output tree", ["cp", "-r", str(rendered), str(copies)], root, args.runs,
                before=lambda _i: (shutil.rmtree(copies, ignore_errors=True), settle(root)))
        shutil.rmtree(copies, ignore_errors=True)
        files, size = tree_size(rendered)
        objects = files - 1 - sum(1 for _ in rendered.rglob("kustomization.yaml"))
        print(f"output: {files} files ({objects} objects, the rest kustomization.yaml and the marker), "
              f"{size / 1e6:.1f} MB")
        timings, reference, dumped = phases(source)
        print("one compile in-process: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timings))
        print(f"reference: PyYAML CSafeDumper alone, {dumped} objects: {reference:.3f} s")
        print("as multiples of the reference: " + ", ".join(f"{label} {median / reference:.2f}"
                                                            for label, median in MEDIANS.items()))
    finally:
        if args.keep:
            print(f"kept: {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


def settle(root: Path) -> None:
    """Let the disk write back what the last step wrote, so that no run pays for the one before."""
    os.sync()
    for leftover in root.glob(".rendered.*"):  # an old tree a detached process is still deleting
        shutil.rmtree(leftover, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
