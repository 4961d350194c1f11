"""The `gitops-gen` command line: parses arguments, calls a command function, maps errors to exit codes.

Exit codes: 0 success; 1 the user's input or a check failed; 2 wrong usage;
3 an unexpected internal error (one line; --debug shows the traceback).
"""
from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Callable

import click

from . import __version__
from .errors import (
    GitopsGenError,
    Problem,
    end_command,
    github_annotation,
    is_user_os_error,
    on_github_actions,
    os_error_line,
    printable,
    start_command,
)

source_option = click.option(
    "--source", type=click.Path(path_type=Path, file_okay=False), default="environments", show_default=True,
    help="The source tree: a directory of spec files.")


def run_command(fn: Callable[[], int], debug: bool, prog: str = "gitops-gen") -> int:
    """The single top-level handler: one line per user problem, a one-line hint for bugs."""
    start_command()
    try:
        return _run(fn, debug, prog)
    finally:
        end_command()


def _run(fn: Callable[[], int], debug: bool, prog: str) -> int:
    try:
        code = fn()
        sys.stdout.flush()  # surface a closed pipe here, not at interpreter exit
        return code
    except BrokenPipeError:
        # The reader went away (`gitops-gen diff ... | head`): stop quietly, as `yes | head` does.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except GitopsGenError as exc:
        for problem in exc.problems:
            _error(prog, problem)
        return 1
    except KeyboardInterrupt:
        _error(prog, Problem(message="interrupted"))
        return 130
    except OSError as exc:  # disk full, permission denied, read-only: the user's to fix
        if not is_user_os_error(exc):
            return _internal(exc, debug, prog)
        _error(prog, Problem(message=os_error_line(exc)))
        return 1
    except Exception as exc:  # a bug: never a wall of traceback unless asked
        return _internal(exc, debug, prog)


def _internal(exc: Exception, debug: bool, prog: str) -> int:
    if debug:
        traceback.print_exc()
    else:
        _error(prog, Problem(message=f"internal error: {type(exc).__name__}: {exc} (re-run with --debug for the "
                                     "traceback)"))
    return 3


def _error(prog: str, problem: Problem) -> None:
    """``FILE:LINE: field: message``, or ``prog: message`` for a problem that is not in a file."""
    line = printable(str(problem) if problem.file else f"{prog}: {problem}")  # never let user input drive the terminal
    if sys.stderr.isatty() and not os.environ.get("NO_COLOR"):
        line = f"\033[31m{line}\033[0m"
    print(line, file=sys.stderr)
    if on_github_actions():  # the same error, on the file and line of the pull request it is about
        print(github_annotation("error", problem), file=sys.stderr)


class Context:
    debug: bool = False
    limits: tuple[str, ...] = ()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gitops-gen")
@click.option("--debug", is_flag=True, envvar="GITOPS_GEN_DEBUG", help="Show tracebacks of internal errors.")
@click.option("--limit", "limits", multiple=True, metavar="NAME=VALUE",
              help="Raise or lower a budget for this command (input-bytes, output-bytes, template-seconds, "
                   "jsonnet-memory-bytes); also GITOPS_GEN_LIMIT_<NAME>. See docs/security.md.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, limits: tuple[str, ...]) -> None:
    """Compile ML model and environment specs into Argo CD, Flux and workload manifests."""
    ctx.obj = Context()
    ctx.obj.debug = debug
    ctx.obj.limits = limits


def _finish(ctx: click.Context, fn: Callable[[], int]) -> None:
    limits = ctx.obj.limits

    def with_budgets() -> int:
        from . import budgets
        budgets.set_current(budgets.from_options(limits, budgets.from_environment()))
        return fn()

    ctx.exit(run_command(with_budgets, ctx.obj.debug))


@cli.command()
@source_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Local output directory (default: renderedPath, relative to sourcePath).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and list the files that differ if the tree is stale.")
@click.option("--quiet", "-q", is_flag=True, help="No progress, no summary line.")
@click.option("--exit-code", is_flag=True,
              help="Write, then exit 1 if that changed any file or left files Git does not track "
                   "(for pre-commit: stage the result and commit again).")
@click.pass_context
def render(ctx, source: Path, out: Path | None, check: bool, quiet: bool, exit_code: bool) -> None:
    """Compile the source tree into the output tree."""
    from .commands.render import render as run
    _finish(ctx, lambda: run(source, out, check=check, quiet=quiet, exit_code=exit_code))


@cli.command()
@source_option
@click.option("--env", "environment", required=True, help="Environment name.")
@click.option("--cluster", help="Only this cluster of the environment.")
@click.option("--model", help="Only this model.")
@click.pass_context
def show(ctx, source: Path, environment: str, cluster: str | None, model: str | None) -> None:
    """Print the workload objects of the selected releases as one YAML stream."""
    from .commands.show import show as run
    _finish(ctx, lambda: run(source, environment, cluster, model))


@cli.command()
@source_option
@click.option("--quiet", "-q", is_flag=True, help="No summary line.")
@click.pass_context
def validate(ctx, source: Path, quiet: bool) -> None:
    """Check the specs and every generated object against its upstream schema."""
    from .commands.validate import validate as run
    _finish(ctx, lambda: run(source, quiet=quiet))


@cli.command()
@click.pass_context
def schema(ctx) -> None:
    """Print the JSON Schema of spec documents, for editors."""
    from .commands.schema import schema as run
    _finish(ctx, run)


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.pass_context
def init(ctx, directory: Path) -> None:
    """Write a starter source tree into a new DIRECTORY."""
    from .commands.init import init as run
    _finish(ctx, lambda: run(directory))


def _commit_message(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise click.BadParameter("must not be empty", ctx=ctx, param=param)
    return value


@cli.command()
@click.argument("models", nargs=-1, metavar="[MODEL]...")
@click.option("--all", "all_models", is_flag=True,
              help="Every model --to runs at another version than the stage before it (not one it runs newer).")
@click.option("--to", "to", required=True, help="Environment to promote into.")
@click.option("--from", "from_env", help="Environment to take the version from (default: the stage before --to "
                                         "in Project.spec.promotion).")
@click.option("--version", "version", help="Pin this version instead of the source's (e.g. to roll back); it must "
                                           "have run in the stage before --to, unless --force.")
@source_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Local output directory to re-render (default: renderedPath, relative to sourcePath).")
@click.option("--dry-run", is_flag=True, help="Print the diffs of the spec and rendered files; change nothing.")
@click.option("--commit", is_flag=True, help="Commit the spec and rendered changes with git, as one commit.")
@click.option("--branch", help="With --commit: create and switch to this branch first (for a pull request).")
@click.option("--message", "-m", callback=_commit_message,
              help="With --commit: the commit's subject (each model's old and new version follow it).")
@click.option("--force", is_flag=True, help="Allow promoting outside the order of Project.spec.promotion, or a "
                                            "--version that has not run in the stage before.")
@click.option("--require-healthy", is_flag=True,
              help="First check, on every cluster of the source environment, that the model is synced and healthy.")
@click.option("--kubeconfig", type=click.Path(dir_okay=False),
              help="Kubeconfig for --require-healthy (default: $KUBECONFIG or ~/.kube/config).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds allowed for each cluster's health check.")
@click.option("--argocd-context", help="Kubeconfig context where Argo CD's Applications live "
                                       "(default: each cluster's own context).")
@click.option("--flux-hub-context", help="Kubeconfig context of the Flux hub, for clusters reached through "
                                         "kubeConfigSecret (default: each cluster's own context).")
@click.pass_context
def promote(ctx, models: tuple[str, ...], all_models: bool, to: str, from_env: str | None, version: str | None,
            source: Path, out: Path | None, dry_run: bool, commit: bool, branch: str | None, message: str | None,
            force: bool, require_healthy: bool, kubeconfig: str | None, timeout: float, argocd_context: str | None,
            flux_hub_context: str | None) -> None:
    """Move each MODEL's version to the next environment along Project.spec.promotion, and re-render.

    Several models (or --all) are promoted as one change: one version line each, one commit."""
    if all_models and models:
        raise click.UsageError("give MODEL names or --all, not both")
    if not all_models and not models:
        raise click.UsageError("give the MODEL to promote (several are promoted together), or --all")
    if version is not None and (all_models or len(models) > 1):
        raise click.UsageError("--version pins one model: give one MODEL")
    if message is not None and not commit:
        raise click.UsageError("--message needs --commit (it is the commit's message)")
    from .commands.promote import GateOptions
    from .commands.promote import promote as run
    gate = GateOptions(kubeconfig=kubeconfig, timeout=timeout, argocd_context=argocd_context,
                       flux_hub_context=flux_hub_context)
    _finish(ctx, lambda: run(source, models, to, from_env=from_env, version=version, out=out, dry_run=dry_run,
                             commit=commit, branch=branch, require_healthy=require_healthy, force=force, gate=gate,
                             all_models=all_models, message=message))


@cli.command()
@click.argument("env_a")
@click.argument("env_b")
@click.option("--model", help="Only this model.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when the environments differ, 0 when they do not "
                                               "(as git diff --exit-code).")
@source_option
@click.pass_context
def diff(ctx, env_a: str, env_b: str, model: str | None, exit_code: bool, source: Path) -> None:
    """Show how the releases of two environments differ (exit 0 either way; see --exit-code)."""
    from .commands.diff import diff as run
    _finish(ctx, lambda: run(source, env_a, env_b, model=model, exit_code=exit_code))


@cli.command()
@source_option
@click.option("--model", "models", multiple=True, metavar="M", help="Only this model (repeatable).")
@click.option("--env", "environments", multiple=True, metavar="E", help="Only this environment (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "html"]), default="table", show_default=True,
              help="table: for a terminal; json: for scripts (docs/status.md); html: one self-contained page.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file, not stdout.")
@click.option("--live", is_flag=True, help="Also ask each cluster whether each release is Ready (kubeconfig contexts, "
                                           "as promote --require-healthy does).")
@click.option("--kubeconfig", type=click.Path(dir_okay=False),
              help="Kubeconfig for --live (default: $KUBECONFIG or ~/.kube/config).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds allowed for each cluster with --live; a cluster that does not answer in time is unknown.")
@click.option("--link-base", metavar="URL",
              help="html: link each release to URL + its rendered directory's path in the Git repository "
                   "(e.g. https://github.com/ORG/REPO/tree/main/); default: relative links to the local tree.")
@click.pass_context
def status(ctx, source: Path, models: tuple[str, ...], environments: tuple[str, ...], fmt: str, out: Path | None,
           live: bool, kubeconfig: str | None, timeout: float, link_base: str | None) -> None:
    """Which version of each model runs in each environment, and what waits to be promoted."""
    from .commands.status import status as run
    _finish(ctx, lambda: run(source, models, environments, fmt=fmt, out=out, live=live, kubeconfig=kubeconfig,
                             timeout=timeout, link_base=link_base))


@cli.command()
@click.argument("model", required=False)
@click.option("--env", "environment", help="Only changes in this environment.")
@source_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def history(ctx, model: str | None, environment: str | None, source: Path, fmt: str) -> None:
    """Who changed which model's version in which environment, when, from what to what (from Git)."""
    from .commands.history import history as run
    _finish(ctx, lambda: run(source, model, environment, fmt=fmt))


def main() -> None:
    from . import tune_gc_for_one_run

    tune_gc_for_one_run()
    cli(prog_name="gitops-gen")
