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
from .errors import GitopsGenError, is_user_os_error, os_error_line

source_option = click.option(
    "--source", type=click.Path(path_type=Path, file_okay=False), default="environments", show_default=True,
    help="The source tree: a directory of spec files.")


def run_command(fn: Callable[[], int], debug: bool, prog: str = "gitops-gen") -> int:
    """The single top-level handler: one line per user problem, a one-line hint for bugs."""
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
            _error(f"{prog}: {problem}" if not problem.file else str(problem))
        return 1
    except KeyboardInterrupt:
        _error(f"{prog}: interrupted")
        return 130
    except OSError as exc:  # disk full, permission denied, read-only: the user's to fix
        if not is_user_os_error(exc):
            return _internal(exc, debug, prog)
        _error(f"{prog}: {os_error_line(exc)}")
        return 1
    except Exception as exc:  # a bug: never a wall of traceback unless asked
        return _internal(exc, debug, prog)


def _internal(exc: Exception, debug: bool, prog: str) -> int:
    if debug:
        traceback.print_exc()
    else:
        _error(f"{prog}: internal error: {type(exc).__name__}: {exc} (re-run with --debug for the traceback)")
    return 3


def _error(line: str) -> None:
    if sys.stderr.isatty() and not os.environ.get("NO_COLOR"):
        line = f"\033[31m{line}\033[0m"
    print(line, file=sys.stderr)


class Context:
    debug: bool = False


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gitops-gen")
@click.option("--debug", is_flag=True, envvar="GITOPS_GEN_DEBUG", help="Show tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Compile ML model and environment specs into Argo CD, Flux and workload manifests."""
    ctx.obj = Context()
    ctx.obj.debug = debug


def _finish(ctx: click.Context, fn: Callable[[], int]) -> None:
    ctx.exit(run_command(fn, ctx.obj.debug))


@cli.command()
@source_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Local output directory (default: renderedPath, relative to sourcePath).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and list the files that differ if the tree is stale.")
@click.option("--quiet", "-q", is_flag=True, help="No summary line.")
@click.pass_context
def render(ctx, source: Path, out: Path | None, check: bool, quiet: bool) -> None:
    """Compile the source tree into the output tree."""
    from .commands.render import render as run
    _finish(ctx, lambda: run(source, out, check=check, quiet=quiet))


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


def main() -> None:
    cli(prog_name="gitops-gen")
