"""gitops-gen: compile ML model and environment specs into Argo CD, Flux and workload manifests.

The data flows one way, one package per stage (docs/architecture.md has the whole map)::

    load/       spec files -> typed, located documents       (load.source.load_tree)
    resolve/    documents -> one Release per env x cluster x model (resolve.fleet.resolve)
    builders/   Releases -> Kubernetes objects in output files (builders.files.build_fleet)
    emit/       objects -> YAML bytes -> the output tree       (emit.serialize, emit.tree)

    report/     what runs where (status, history): a Fleet described, not compiled
    commands/   one module per gitops-gen subcommand; cli.py parses the command line
    console.py, errors.py, budgets.py, timelimit.py, digest.py, atomicfile.py, paths.py: what every stage
    may use
"""
from __future__ import annotations

# typing.TYPE_CHECKING without importing typing (type checkers treat the name alike): the Argo CD plugin imports
# this package on every request, and a cache hit needs nothing of typing.
TYPE_CHECKING = False

__version__ = "0.1.0"

# The library: the four stages' entry points and what they take and make. The
# console scripts' commands (generator.commands) print and exit; they are not here.
__all__ = [
    "__version__",
    "GitopsGenError", "Problem",
    "load_tree", "SourceTree",                          # 1. load
    "load_fleet", "Fleet", "Release",                   # 2. resolve (generator.resolve is its package)
    "build_fleet", "OutputFile",                        # 3. build
    "file_contents", "render_tree", "check_tree", "TreeChange", "Difference",  # 4. emit
]

if TYPE_CHECKING:
    from .builders.files import OutputFile, build_fleet
    from .emit.serialize import file_contents
    from .emit.tree import Difference, TreeChange, check_tree, render_tree
    from .errors import GitopsGenError, Problem
    from .load.source import SourceTree, load_tree
    from .resolve.fleet import Fleet, Release, load_fleet

# Where each public name lives. Imported on first use, so that `import generator`
# stays cheap for the Argo CD plugin, which imports it on every request.
_HOMES = {
    "GitopsGenError": "errors", "Problem": "errors",
    "load_tree": "load.source", "SourceTree": "load.source",
    "load_fleet": "resolve.fleet", "Fleet": "resolve.fleet", "Release": "resolve.fleet",
    "build_fleet": "builders.files", "OutputFile": "builders.files",
    "file_contents": "emit.serialize",
    "render_tree": "emit.tree", "check_tree": "emit.tree", "TreeChange": "emit.tree", "Difference": "emit.tree",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'generator' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value  # the next lookup does not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def tune_gc_for_one_run() -> None:
    """For a process that compiles once and exits (the CLIs): no cyclic garbage collection.

    The compiler builds millions of small dicts and lists that all stay alive until
    the tree is written, and makes almost no cyclic garbage: about 600 objects per
    stage, whatever the size of the fleet (docs/performance.md). Reference counting
    frees everything else. The cyclic collector would still scan every object once
    as it survives its first collection: 12% of a compile, to free nothing. Commands
    that wait on a cluster turn it back on (`collect_cycles_again`).
    """
    import gc

    gc.freeze()  # what was imported so far is never garbage
    gc.disable()


def collect_cycles_again() -> None:
    """Before a command that may run for minutes (waiting on a cluster's health, with the Kubernetes client's
    connections and retries): collect cyclic garbage again, with Python's own thresholds (never changed here)."""
    import gc

    gc.enable()
