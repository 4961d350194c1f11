"""How fast hostile input is refused, and what the guards cost ordinary input.

    python benchmarks/limits.py

Figures: seconds to refuse each kind of hostile input (best of --runs, in this
process), and the cost per spec-string expression of the sandbox's size and
time guards, against plain Jinja2 in the same sandbox class it extends.
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

    from generator.resolve import sandbox
    from generator.resolve.templating import _compile, render_string
    from generator.load.yamlpos import load_documents

    bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{n}: &{n} [" + ", ".join([f"*{p}"] * 10) + "]\n" for p, n in zip("abcdefgh", "bcdefghi"))
    deep = "a: " + "[" * 100_000 + "]" * 100_000 + "\n"
    hostile_yaml = {"alias bomb (10**9 leaves)": bomb, "nesting 100000 deep": deep}
    for label, text in hostile_yaml.items():
        seconds = best_of(args.runs, lambda: refused(lambda: load_documents(text, "f.yaml")))
        print(f"refuse {label:<36} {seconds * 1000:8.2f} ms")

    context = {"version": "1.0.0", "model": "m", "environment": "e", "cluster": "c", "namespace": "n"}
    hostile_templates = {
        "'a' * 10**9": "{{ 'a' * 10**9 }}",
        "x|center(10**9)": "{{ 'x'|center(10**9) }}",
        "range(10**9) loop": "{% for i in range(10**9) %}x{% endfor %}",
        "~ of a 1 MB string, 4 times": "{% set a = 'x' * 1000000 %}{{ a ~ a ~ a ~ a }}",
        "nested range(100000) loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    }
    for label, text in hostile_templates.items():
        seconds = best_of(1 if "nested" in label else args.runs, lambda: refused(lambda: render_string(text, context)))
        print(f"refuse {label:<36} {seconds * 1000:8.2f} ms"
              + ("   (the time limit)" if "nested" in label else ""))

    ordinary = "s3://models/{{ model }}/{{ version }}"
    template = _compile(ordinary)
    n = 20_000
    guarded = best_of(args.runs, lambda: [render_string(ordinary, context) for _ in range(n)]) / n
    plain = best_of(args.runs, lambda: [template.render(context) for _ in range(n)]) / n
    print(f"ordinary expression, guarded render_string   {guarded * 1e6:8.1f} us")
    print(f"ordinary expression, Template.render only    {plain * 1e6:8.1f} us")
    print(f"limits: MAX_SIZE {sandbox.MAX_SIZE}, MAX_WORK {sandbox.MAX_WORK}, "
          f"time limit {sandbox.TIME_LIMIT_SECONDS:g} s per expression")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
