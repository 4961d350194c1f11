"""Jinja2 for users' strings and templates: always sandboxed, unknown names are errors.

jinja2 is imported on first use only: most specs have no expressions, and the
Argo CD plugin pays for every import on every sync.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, cast

MARKERS = ("{{", "{%", "{#")


def has_expression(text: str) -> bool:
    # Spelled out rather than any(...) over MARKERS: called for every string of every merged spec.
    return "{" in text and ("{{" in text or "{%" in text or "{#" in text)


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


@lru_cache(maxsize=4096)
def names_used(text: str) -> frozenset[str] | None:
    """The context names ``text`` reads; None when Jinja2 cannot parse it (render_string will say why)."""
    plain = _plain_names(text)
    if plain is not None:
        return frozenset(plain[1])
    from jinja2 import meta

    from .sandbox import TIME_LIMIT_SECONDS, TimeLimitExceeded, time_limit

    try:
        with time_limit(TIME_LIMIT_SECONDS):  # parsing a huge expression takes time too
            return frozenset(meta.find_undeclared_variables(_environment().parse(text)))
    except (Exception, TimeLimitExceeded):  # syntax errors, limits: render_string reports them
        return None


# `text {{ name }} text`: the common case, which Jinja2 would render as the text
# with each name's string value. No braces, no carriage returns (Jinja2
# normalises line ends) and no Jinja2 literals such as `none` in it.
_PLAIN_NAME = re.compile(r"\{\{ *([A-Za-z_][A-Za-z0-9_]*) *\}\}")
# The sandbox's limit on what an expression renders (sandbox.MAX_SIZE; that module imports Jinja2).
_MAX_SIZE = 1 << 20
_JINJA_WORDS = frozenset({"true", "false", "none", "True", "False", "None", "and", "or", "not", "in", "is",
                          "if", "else"})


@lru_cache(maxsize=4096)
def _plain_names(text: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(literal parts, names) when ``text`` is only literal text and ``{{ name }}``s; else None."""
    parts = _PLAIN_NAME.split(text)
    literals, names = tuple(parts[0::2]), tuple(parts[1::2])
    if not names or any(n in _JINJA_WORDS for n in names):
        return None
    if any("{" in lit or "}" in lit or "\r" in lit for lit in literals):
        return None
    return literals, names


def _substitute(text: str, context: dict[str, Any]) -> str | None:
    """What Jinja2 would render for a plain-names ``text``, without compiling it; None if Jinja2 must."""
    plain = _plain_names(text)
    if plain is None:
        return None
    literals, names = plain
    values = [context.get(n) for n in names]
    if any(type(v) is not str for v in values):
        return None  # unknown names (Jinja2 reports them) or values Jinja2 would format
    out = [literals[0]]
    for value, literal in zip(values, literals[1:], strict=True):
        out += (cast(str, value), literal)
    text = "".join(out)
    return text if len(text) <= _MAX_SIZE else None  # Jinja2 refuses it, with the sandbox's message


def render_string(text: str, context: dict[str, Any]) -> str:
    """Render ``text`` with ``context``; raise TemplateProblem with a one-line reason."""
    substituted = _substitute(text, context)
    if substituted is not None:
        return substituted
    import jinja2
    from jinja2.sandbox import SecurityError

    from .sandbox import TIME_LIMIT_SECONDS, TimeLimitExceeded, render_bounded, time_limit

    try:
        with time_limit(TIME_LIMIT_SECONDS):  # compiling a huge expression takes time too
            return render_bounded(_compile(text), context)
    except TemplateProblem:
        raise
    except TimeLimitExceeded as exc:
        if exc.budget:
            from ..timelimit import budget_message
            raise TemplateProblem(budget_message("this expression")) from None
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


@lru_cache(maxsize=8)
def _file_environment(files):
    """A sandbox over the source tree's template files (``files.texts``), so templates can include each other.

    Cached per SourceFiles instance (hashed by identity): each template is compiled once per fleet.
    """
    from jinja2 import FunctionLoader, StrictUndefined

    from .sandbox import BoundedSandbox

    def load(name: str):
        text = files.texts.get(name)
        # The name doubles as file name, so error tracebacks point at the right template.
        return None if text is None else (text, name, lambda: True)

    # Bounded like spec expressions: `{{ 'a' * 10**9 }}` in a template is refused, not built.
    return BoundedSandbox(loader=FunctionLoader(load), undefined=StrictUndefined,
                          autoescape=False, keep_trailing_newline=True)


class FileTemplateProblem(TemplateProblem):
    """A template file failed; ``file`` is the template where it happened (maybe an included one)."""

    def __init__(self, message: str, file: str, line: int = 0):
        super().__init__(message, line)
        self.file = file


def render_file(files, name: str, context: dict[str, Any], max_chars: int) -> str:
    """Render the template file ``name`` of ``files`` (a resolve.SourceFiles); at most ``max_chars`` of output."""
    import jinja2
    from jinja2.sandbox import SecurityError

    env = _file_environment(files)
    try:
        chunks, size = [], 0
        for chunk in env.get_template(name).generate(context):
            size += len(chunk)
            if size > max_chars:
                raise FileTemplateProblem(f"renders more than {max_chars} characters", name)
            chunks.append(chunk)
        return "".join(chunks)
    except FileTemplateProblem:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise FileTemplateProblem(f"template syntax error: {exc.message}", exc.name or name, exc.lineno or 0) from None
    except jinja2.TemplateNotFound as exc:
        raise FileTemplateProblem(f"template {exc.name!r} not found in the source tree",
                                  *_position(exc, files, name)) from None
    except jinja2.UndefinedError as exc:
        raise FileTemplateProblem(f"{exc.message} (known names: {', '.join(sorted(context))})",
                                  *_position(exc, files, name)) from None
    except SecurityError as exc:
        raise FileTemplateProblem(f"refused by the template sandbox: {exc}", *_position(exc, files, name)) from None
    except Exception as exc:  # templates can raise anything (1/0, bad filters)
        raise FileTemplateProblem(f"template error: {type(exc).__name__}: {exc}",
                                  *_position(exc, files, name)) from None


def _position(exc: BaseException, files, default: str) -> tuple[str, int]:
    """The innermost template frame of ``exc``'s traceback: Jinja2 rewrites frames to template names and lines."""
    found = (default, 0)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in files.texts:
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
