"""Jinja2 for users' strings and templates: always sandboxed, unknown names are errors.

jinja2 is imported on first use only: most specs have no expressions, and the
Argo CD plugin pays for every import on every sync.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

MARKERS = ("{{", "{%", "{#")


def has_expression(text: str) -> bool:
    return any(m in text for m in MARKERS)


class TemplateProblem(Exception):
    """A template failed; ``line`` is the template's own line when Jinja2 knows it."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import BaseLoader, StrictUndefined

    from .sandbox import BoundedSandbox

    class NoFiles(BaseLoader):
        def get_source(self, environment, template):
            raise TemplateProblem(f"spec strings cannot include, import or extend templates ({template!r})")

    return BoundedSandbox(loader=NoFiles(), undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


@lru_cache(maxsize=4096)
def _compile(text: str):
    import jinja2

    try:
        return _environment().from_string(text)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"template syntax error: {exc.message}", exc.lineno or 0) from None
    except RecursionError:  # Jinja2's parser and compiler recurse once per nesting level
        raise TemplateProblem("template syntax error: expressions nested too deeply") from None


def render_string(text: str, context: dict[str, Any]) -> str:
    """Render ``text`` with ``context``; raise TemplateProblem with a one-line reason."""
    import jinja2
    from jinja2.sandbox import SecurityError

    from .sandbox import TIME_LIMIT_SECONDS, TimeLimitExceeded, render_bounded, time_limit

    try:
        with time_limit(TIME_LIMIT_SECONDS):  # compiling a huge expression takes time too
            return render_bounded(_compile(text), context)
    except TemplateProblem:
        raise
    except TimeLimitExceeded:
        raise TemplateProblem(f"refused by the template sandbox: took longer than {TIME_LIMIT_SECONDS:g}s "
                              "(a loop too large?)") from None
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(f"{exc.message} (known names: {', '.join(sorted(context))})") from None
    except SecurityError as exc:
        raise TemplateProblem(f"refused by the template sandbox: {exc}") from None
    except OverflowError as exc:  # the sandbox's range() limit, float overflow
        raise TemplateProblem(f"refused by the template sandbox: {exc}") from None
    except MemoryError:
        raise TemplateProblem("refused: the template needs too much memory") from None
    except jinja2.TemplateError as exc:
        raise TemplateProblem(f"template error: {exc}") from None
    except Exception as exc:  # user expressions can raise anything (1/0, bad filters)
        raise TemplateProblem(f"template error: {type(exc).__name__}: {exc}") from None
