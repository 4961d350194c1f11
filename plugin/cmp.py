"""`gitops-gen-cmp`: the commands Argo CD's repo-server sidecar runs (README, "Argo CD plugin mode").

    gitops-gen-cmp [--debug] generate | parameters | discover

argocd-cmp-server runs each command as a fresh process, in the Application's
``source.path`` (the Project's ``sourcePath``: the source tree itself) inside
a throw-away copy of the repository, as uid 999, possibly without ``$HOME``,
many at once. So:

- ``generate`` prints the workload objects of the selected releases exactly
  as ``gitops-gen render`` writes them, one YAML stream, and nothing else on
  stdout. Any problem (invalid specs, an unknown name, a selection without
  objects) is one line on stderr and a non-zero exit: Argo CD shows it, and
  never mistakes empty output for "delete everything".
- ``parameters`` prints Argo CD's parameter announcements (JSON).
- ``discover`` exits 0 and names the Project when this is a source tree,
  else exits 1 silently.
- Nothing is written into the working directory or the repo copy; the only
  write is the cache entry in the sidecar's own temp directory (plugin/cache.py).

Every request pays interpreter start-up and imports, so this module imports
only small standard-library modules: no click (a few lines of argv dispatch
do), and the compiler (pydantic, Jinja2, PyYAML) only on a cache miss.

Exit codes as for gitops-gen: 0 success; 1 a problem with the input (one line
on stderr); 2 wrong usage; 3 an internal error (one line; ``--debug``, or
``GITOPS_GEN_DEBUG=1`` in the sidecar or the Application's plugin env, shows
the traceback).
"""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping

from .errors import CmpError

PROG = "gitops-gen-cmp"
USAGE = f"usage: {PROG} [--debug] {{generate|parameters|discover}} (run by Argo CD's repo-server sidecar)"
MAX_LINE = 500  # Argo CD shows stderr in the UI: keep it short


def main() -> None:
    from generator import tune_gc_for_one_run

    tune_gc_for_one_run()
    sys.exit(run(sys.argv[1:], os.environ))


def run(argv: list[str], env: Mapping[str, str]) -> int:
    debug = any(env.get(name, "").lower() in ("1", "true", "yes")
                for name in ("GITOPS_GEN_DEBUG", "ARGOCD_ENV_GITOPS_GEN_DEBUG"))
    debug = debug or "--debug" in argv
    args = [a for a in argv if a != "--debug"]
    if args in (["-h"], ["--help"]):
        print(USAGE)
        return 0
    if args == ["--version"]:
        from generator import __version__
        print(f"{PROG} {__version__}")
        return 0
    command = COMMANDS.get(args[0]) if len(args) == 1 else None
    if command is None:
        print(USAGE, file=sys.stderr)
        return 2
    return run_command(lambda: _with_budgets(env, lambda: command(env, debug)), debug)


def _with_budgets(env: Mapping[str, str], fn: Callable[[], int]) -> int:
    # Budgets come from the sidecar's own environment (GITOPS_GEN_LIMIT_*), never from the
    # Application's plugin env (ARGOCD_ENV_*), which whoever owns the repository controls.
    from generator import budgets
    budgets.set_current(budgets.from_environment(env))
    return fn()


def run_command(fn: Callable[[], int], debug: bool) -> int:
    """The top-level handler, as generator.cli.run_command, but always exactly one line on stderr."""
    try:
        return fn()
    except KeyboardInterrupt:
        _error(f"{PROG}: interrupted")
        return 130
    except Exception as exc:
        problems = _user_problems(exc)
        if problems is not None:
            _error(_one_line(problems))
            return 1
        if debug:
            import traceback
            traceback.print_exc()
        else:
            _error(_one_line([f"{PROG}: internal error: {type(exc).__name__}: {exc} "
                              "(set GITOPS_GEN_DEBUG=1 for the traceback)"]))
        return 3


def _user_problems(exc: Exception) -> list[str] | None:
    if isinstance(exc, CmpError):
        return [f"{PROG}: {exc}"]
    # GitopsGenError can only have been raised if the compiler ran, so looking
    # it up in sys.modules spares a cache hit the import of generator.errors.
    errors = sys.modules.get("generator.errors")
    if errors is not None and isinstance(exc, errors.GitopsGenError):
        return [str(p) if p.file else f"{PROG}: {p}" for p in exc.problems]
    return None


def _one_line(problems: list[str]) -> str:
    from generator.errors import printable

    line = printable(" ".join(problems[0].split()))
    if len(problems) > 1:
        more = len(problems) - 1
        line += f" (and {more} more problem{'s' if more > 1 else ''}: run `gitops-gen validate` to see them all)"
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 3] + "..."


def _error(line: str) -> None:
    print(line, file=sys.stderr)


def _debug(debug: bool, message: str) -> None:
    if debug:
        print(f"{PROG}: {message}", file=sys.stderr)


def release_index(env: Mapping[str, str], debug: bool, use_cached: bool = True) -> tuple[dict, bool]:
    """All releases of the source tree in the working directory, from the cache or compiled (and stored);
    and whether it came from the cache. ``use_cached=False``: compile, and store over what is cached."""
    from generator import budgets

    from . import cache
    from .release_index import build_index

    directory, why = cache.cache_dir(env, os.getcwd())
    if directory is None:
        _debug(debug, f"cache not used: {why}")
        return build_index("."), False
    key = cache.cache_key(".", budgets.current().input_bytes)
    index = _cached(cache, directory, key) if use_cached else None
    if index is not None:
        _debug(debug, f"cache hit: {key}")
        return index, True
    with cache.Lock(directory, key):
        index = _cached(cache, directory, key) if use_cached else None  # another request may have compiled it
        if index is not None:
            _debug(debug, f"cache hit after waiting: {key}")
            return index, True
        _debug(debug, f"cache miss, compiling: {key}")
        index = build_index(".")
        try:
            cache.store(directory, key, index)
        except OSError as exc:  # a full or read-only temp dir must not fail the sync
            _debug(debug, f"cache not written: {exc}")
    return index, False


def answer_from_index(env: Mapping[str, str], debug: bool, answer: Callable[[dict], int]) -> int:
    """``answer(index)``; a cached index it cannot read (an entry with parts missing or of the wrong
    type) is a corrupt entry: treated as a miss, compiled again and stored over it.

    Checked by use rather than up front: a cache hit reads a few releases of thousands.
    ``answer`` must not print before it has read everything it needs.
    """
    index, cached = release_index(env, debug)
    if not cached:
        return answer(index)
    try:
        return answer(index)
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
        _debug(debug, f"cache entry unusable ({type(exc).__name__}: {exc}); compiling")
    return answer(release_index(env, debug, use_cached=False)[0])


def _cached(cache, directory: str, key: str) -> dict | None:
    from .release_index import FORMAT

    index = cache.load(directory, key)
    if index is None or index.get("format") != FORMAT:
        return None
    # The top level's shape, at no cost; what a request reads below it is checked by use (answer_from_index).
    shaped = (isinstance(index.get("environments"), dict) and isinstance(index.get("models"), list)
              and isinstance(index.get("releases"), dict))
    return index if shaped else None


def generate(env: Mapping[str, str], debug: bool) -> int:
    from generator import budgets

    from . import kube_apis
    from .release_index import select
    from .selection import read_selector

    selector = read_selector(env)

    def print_selected(index: dict) -> int:
        keys = select(index, selector)
        releases = index["releases"]
        for key in keys:
            kube_apis.check(releases[key]["objects"], env.get("KUBE_API_VERSIONS"), f"release {key}")
        stream = "".join(releases[key]["yaml"] for key in keys).encode()
        limit = budgets.current().output_bytes
        if len(stream) > limit:
            raise budgets.over_budget("output-bytes", limit, f"the selected releases are {len(stream)} bytes of "
                                      "manifests")
        # One write of the complete stream (never half a manifest list), as UTF-8
        # bytes whatever the locale: the same bytes render writes into files.
        sys.stdout.buffer.write(stream)
        sys.stdout.flush()
        return 0

    return answer_from_index(env, debug, print_selected)


def parameters(env: Mapping[str, str], debug: bool) -> int:
    """Announce environment, model and cluster, with the valid values in each tooltip."""
    return answer_from_index(env, debug, lambda index: _announce(index["environments"]))


def _announce(envs: dict) -> int:
    def per_env(field: str) -> str:
        return "; ".join(f"{name}: {', '.join(envs[name][field]) or 'none'}" for name in sorted(envs))

    announcements = [
        {"name": "environment", "title": "Environment", "required": True,
         "tooltip": f"The gitops-gen environment to deploy. One of: {', '.join(sorted(envs)) or 'none'}."},
        {"name": "model", "title": "Model", "required": False,
         "tooltip": f"Only this model; empty: every model of the environment. Models per environment: "
                    f"{per_env('models')}."},
        {"name": "cluster", "title": "Cluster", "required": False,
         "tooltip": f"The environment's cluster to deploy to; may be empty when the environment has one "
                    f"cluster. Clusters per environment: {per_env('clusters')}."},
    ]
    for a in announcements:
        a.update(itemType="string", collectionType="string")
    print(json.dumps(announcements, indent=2))
    return 0


def discover(env: Mapping[str, str], debug: bool) -> int:
    from .discover import find_project

    found = find_project(".")
    if found is None:
        return 1
    print(found)
    return 0


COMMANDS: dict[str, Callable[[Mapping[str, str], bool], int]] = {
    "generate": generate,
    "parameters": parameters,
    "discover": discover,
}
