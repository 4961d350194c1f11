"""gitops-gen: compile ML model and environment specs into Argo CD, Flux and workload manifests.

The data flows one way, one package per stage (docs/architecture.md has the whole map)::

    load/       spec files -> typed, located documents       (load.source.load_tree)
    resolve/    documents -> one Release per env x cluster x model (resolve.fleet.resolve)
    builders/   Releases -> Kubernetes objects in output files (builders.files.build_fleet)
    emit/       objects -> YAML bytes -> the output tree       (emit.serialize, emit.tree)

    commands/   one module per gitops-gen subcommand; cli.py parses the command line
    console.py, errors.py, budgets.py, digest.py, atomicfile.py: what every stage may use
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "GitopsGenError", "load_fleet", "build_fleet", "render"]


def tune_gc_for_one_run() -> None:
    """For a process that compiles once and exits (the CLIs): collect cyclic garbage rarely.

    The compiler builds hundreds of thousands of small dicts that all stay alive
    until the tree is written. With the default thresholds the cyclic collector
    scans them again and again (a large share of the build time; docs/performance.md) and
    frees nothing; young collections every 50,000 allocations still catch real cycles.
    """
    import gc

    gc.freeze()  # what was imported so far is never garbage
    gc.set_threshold(50_000, 1_000, 1_000)


def __getattr__(name: str):
    # Lazy, so `import generator` stays cheap for the Argo CD plugin.
    if name == "GitopsGenError":
        from .errors import GitopsGenError
        return GitopsGenError
    if name == "load_fleet":
        from .resolve.fleet import load_fleet
        return load_fleet
    if name == "build_fleet":
        from .builders.files import build_fleet
        return build_fleet
    if name == "render":
        from .commands.render import render
        return render
    raise AttributeError(name)
