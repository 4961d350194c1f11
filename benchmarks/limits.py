"""How fast hostile input is refused, and what the guards cost ordinary input.

    python benchmarks/limits.py

Figures: seconds to refuse each kind of hostile input (best of --runs, in this
process), and the cost per spec-string expression of the sandbox's size and
time guards, against plain Jinja2 in the same sandbox class it extends. Then
what the guards on users' templates and components cost: the command's time
budget running out, schema validation of each object user code produced (the
fast check every valid object takes, and the detailed one an invalid object
takes), and Jsonnet in its memory-capped child process (starting it, each
evaluation through it against gojsonnet in this process, and a memory bomb
stopped at the cap).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def best_of(runs: int, fn) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def refused(fn) -> None:
    from generator.errors import GitopsGenError
    from generator.resolve.templating import TemplateProblem

    try:
        fn()
    except (GitopsGenError, TemplateProblem):
        return
    raise SystemExit(f"not refused: {fn}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from generator.load.yamlpos import load_documents
    from generator.resolve import sandbox
    from generator.resolve.templating import _compile, render_string

    bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{n}: &{n} [" + ", ".join([f"*{p}"] * 10) + "]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))
    deep = "a: " + "[" * 100_000 + "]" * 100_000 + "\n"
    hostile_yaml = {"alias bomb (10**9 leaves)": bomb, "nesting 100000 deep": deep}
    for label, text in hostile_yaml.items():
        seconds = best_of(args.runs, lambda text=text: refused(lambda: load_documents(text, "f.yaml")))
        print(f"refuse {label:<36} {seconds * 1000:8.2f} ms")

    context = {"version": "1.0.0", "model": "m", "environment": "e", "cluster": "c", "namespace": "n"}
    hostile_templates = {
        "'a' * 10**9": "{{ 'a' * 10**9 }}",
        "x|center(10**9)": "{{ 'x'|center(10**9) }}",
        "range(10**9) loop": "{% for i in range(10**9) %}x{% endfor %}",
        "~ of a 1 MB string, 4 times": "{% set a = 'x' * 1000000 %}{{ a ~ a ~ a ~ a }}",
        "'{0:{1}}'.format(x, '300000000')": "{{ '{0:{1}}'.format('a', '300000000') }}",
        "format_map, width from the mapping": "{{ '{x:{w}}'.format_map({'x': 'a', 'w': '300000000'}) }}",
        "nested range(100000) loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    }
    for label, text in hostile_templates.items():
        seconds = best_of(1 if "nested" in label else args.runs,
                          lambda text=text: refused(lambda: render_string(text, context)))
        print(f"refuse {label:<36} {seconds * 1000:8.2f} ms"
              + ("   (the time limit)" if "nested" in label else ""))

    ordinary = "s3://models/{{ model }}/{{ version }}"
    template = _compile(ordinary)
    n = 20_000
    guarded = best_of(args.runs, lambda: [render_string(ordinary, context) for _ in range(n)]) / n
    plain = best_of(args.runs, lambda: [template.render(context) for _ in range(n)]) / n
    print(f"ordinary expression, guarded render_string   {guarded * 1e6:8.1f} us")
    print(f"ordinary expression, Template.render only    {plain * 1e6:8.1f} us")
    jinja = "{{ model|upper }}-{{ version }}"  # needs Jinja2, so it runs under the timer
    template = _compile(jinja)
    timed = best_of(args.runs, lambda: [render_string(jinja, context) for _ in range(n)]) / n
    untimed = best_of(args.runs, lambda: [template.render(context) for _ in range(n)]) / n
    print(f"Jinja2 expression, with timer and budget     {timed * 1e6:8.1f} us")
    print(f"Jinja2 expression, Template.render only      {untimed * 1e6:8.1f} us")
    print(f"limits: MAX_SIZE {sandbox.MAX_SIZE}, MAX_WORK {sandbox.MAX_WORK}, "
          f"time limit {sandbox.TIME_LIMIT_SECONDS:g} s per expression")
    time_budget(context)
    user_object_validation(args.runs)
    jsonnet_child(args.runs)


def time_budget(context: dict) -> None:
    """Forty expressions of about 0.05 s each against a budget of 0.5 s: refused when the budget is spent."""
    from generator import budgets
    from generator.resolve.templating import TemplateProblem, render_string

    slow = "{% for i in range(1000) %}{% for j in range(300) %}{% endfor %}{% endfor %}"
    budgets.set_current(budgets.Budgets(template_seconds=0.5))
    started = time.perf_counter()
    for i in range(40):
        try:
            render_string(f"{slow}{i}", context)
        except TemplateProblem:
            break
    elapsed = time.perf_counter() - started
    print(f"refuse 40 slow expressions, budget 0.5 s     {elapsed * 1000:8.2f} ms   (after {i} of them)")
    budgets.set_current(budgets.Budgets())


def user_object_validation(runs: int) -> None:
    from generator.builders.validation import _validator, schema_problems

    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x", "namespace": "n", "labels": {"a": "b"}},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"a": "b"}},
                 "template": {"metadata": {"labels": {"a": "b"}},
                              "spec": {"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 80}]}]}}}}
    invalid = {**deployment, "bogusField": 1}
    started = time.perf_counter()
    _validator("apps/v1", "Deployment")
    print(f"load and compile the Deployment schema       {(time.perf_counter() - started) * 1000:8.2f} ms")
    n = 2000
    valid_each = best_of(runs, lambda: [schema_problems(deployment) for _ in range(n)]) / n
    schema_problems(invalid)
    invalid_each = best_of(runs, lambda: [schema_problems(invalid) for _ in range(n // 20)]) / (n // 20)
    print(f"validate a user's Deployment (valid)         {valid_each * 1e6:8.1f} us")
    print(f"validate a user's Deployment (invalid)       {invalid_each * 1e6:8.1f} us")


def jsonnet_child(runs: int) -> None:
    import json

    from generator.builders import jsonnet_worker
    from generator.resolve.fleet import SourceFiles

    component = "function(release) { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: release.model } }"
    files = SourceFiles({"c.jsonnet": component})
    tla = json.dumps({"model": "m"})
    jsonnet_worker.discard()
    started = time.perf_counter()
    worker = jsonnet_worker.worker(1 << 30)
    worker.evaluate(files, "c.jsonnet", tla, 1 << 22, 10)
    print(f"Jsonnet: start the child, first evaluation   {(time.perf_counter() - started) * 1000:8.2f} ms")
    n = 500
    through_child = best_of(runs, lambda: [worker.evaluate(files, "c.jsonnet", tla, 1 << 22, 10)
                                           for _ in range(n)]) / n
    import _gojsonnet  # only now, and only here: the child is already running

    in_process = best_of(runs, lambda: [_gojsonnet.evaluate_snippet("c.jsonnet", component,
                                                                    tla_codes={"release": tla})
                                        for _ in range(n)]) / n
    print(f"Jsonnet: one evaluation through the child    {through_child * 1e6:8.1f} us")
    print(f"Jsonnet: one evaluation in this process      {in_process * 1e6:8.1f} us")
    bomb = SourceFiles({"b.jsonnet": "function(release) std.makeArray(1e6, function(i) { a: i, b: [i] })"})
    jsonnet_worker.discard()
    worker = jsonnet_worker.worker(256 << 20)
    worker.evaluate(files, "c.jsonnet", tla, 1 << 22, 10)  # started: only the bomb is timed
    started = time.perf_counter()
    try:
        worker.evaluate(bomb, "b.jsonnet", tla, 1 << 22, 10)
        raise SystemExit("not refused: the Jsonnet memory bomb")
    except jsonnet_worker.WorkerDied as exc:
        assert exc.out_of_memory
    print(f"refuse std.makeArray(1e6) at a 256 MiB cap   {(time.perf_counter() - started) * 1000:8.2f} ms")
    jsonnet_worker.discard()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
