"""The Jinja2 sandbox every user expression runs in, with limits on size and time.

Jinja2's ``ImmutableSandboxedEnvironment`` refuses attribute escapes
(``''.__class__``), calls of unsafe methods and changes to values, and caps
``range()`` at 100000 items. It does not bound memory or time: ``'a' * 10**9``,
``x|center(10**9)`` or two nested ``range(100000)`` loops are all "safe" and
would stall a render (or the Argo CD repo-server) for minutes. So here:

* size: every value an operator, call, filter or ``namespace`` assignment
  produces is at most ``MAX_SIZE`` characters/items (counted through nested
  lists), and so is a render's output. Operations that would produce more in
  one C-level step (where no later check could stop them) are refused *before*
  they run: repetition (``*``), powers, ``%``/``format`` widths, integer
  arguments over ``MAX_SIZE``, and any call whose two largest arguments
  multiply past ``MAX_WORK`` (``replace``, ``indent``, ``join``, ...).
* time: a render runs under a wall-clock limit (``timelimit.time_limit``),
  enforced with SIGALRM, which interrupts Python-level loops wherever they are.
* determinism: the ``random`` filter and the ``lipsum`` global are removed; the
  same specs must always give the same bytes.

This module imports jinja2; import it lazily (see templating.py).
"""
from __future__ import annotations

import functools
import re
import string
from typing import Any, cast

from jinja2.compiler import CodeGenerator
from jinja2.runtime import Namespace
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

# The one timer for all user code lives in timelimit.py; templating.py reaches it through here.
from ..timelimit import TimeLimitExceeded, time_limit  # noqa: F401

# Far above any real spec value or generated manifest, far below what hurts.
MAX_SIZE = 1 << 20
MAX_WORK = 1 << 24
MAX_INT_BITS = 1 << 14
TIME_LIMIT_SECONDS = 1.0

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_FORMAT_FIELD = re.compile(r"\{[^{}]*\}")


class LimitExceeded(SecurityError):
    """A template tried to build a value larger than the sandbox allows."""


def extent(value: Any, limit: int = MAX_SIZE) -> int:
    """Characters/items of ``value``, counted through nested containers; stops counting past ``limit``.

    A container referenced twice counts twice (that is what printing it
    costs), but is walked once: ``[x, x]`` nested 60 deep is refused at once.
    """
    if isinstance(value, (str, bytes, range)):
        return len(value)
    if not isinstance(value, _CONTAINERS):
        return 0
    sizes: dict[int, int] = {}  # id of a container -> its extent (capped at limit + 1)
    pending: set[int] = set()  # on the current path: a cycle counts once
    stack: list[tuple[Any, bool]] = [(value, False)]
    while stack:
        item, children_done = stack.pop()
        if id(item) in sizes:
            continue
        children = _children(item)
        if not children_done:
            if id(item) in pending:
                continue
            pending.add(id(item))
            stack.append((item, True))
            stack.extend((c, False) for c in children if isinstance(c, _CONTAINERS) and id(c) not in sizes)
            continue
        pending.discard(id(item))
        total = len(item)
        for child in children:
            if isinstance(child, (str, bytes, range)):
                total += len(child)
            elif isinstance(child, _CONTAINERS):
                total += sizes.get(id(child), 0)
            if total > limit:
                return limit + 1
        sizes[id(item)] = total
    return sizes[id(value)]


_CONTAINERS = (dict, list, tuple, set, frozenset)


def _children(item: Any) -> list:
    if isinstance(item, dict):
        return [*item.keys(), *item.values()]
    return list(item)


def _check_result(value: Any) -> Any:
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise LimitExceeded(f"a number of more than {MAX_INT_BITS} bits; refusing")
    if extent(value) > MAX_SIZE:
        raise LimitExceeded(f"a value of more than {MAX_SIZE} characters or items; refusing")
    return value


def _size(value: Any) -> int:
    if isinstance(value, bool):
        return 1
    if isinstance(value, int):
        return abs(value)
    return max(1, extent(value, MAX_WORK))


def _check_arguments(args: tuple, kwargs: dict) -> None:
    """Refuse a call whose arguments could make a huge value in one step."""
    values = [*args, *kwargs.values()]
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE:
            raise LimitExceeded(f"the number {value} is larger than the sandbox allows ({MAX_SIZE})")
        _check_result(value)  # e.g. a list literal naming one large value many times
    sizes = sorted((_size(v) for v in values), reverse=True)
    if len(sizes) >= 2 and sizes[0] * sizes[1] > MAX_WORK:
        raise LimitExceeded("the arguments of this call could build a value larger than the sandbox allows")


def _check_percent_format(text: str, values: Any) -> None:
    star = False
    for match in _PERCENT_SPEC.finditer(text):
        for part in match.groups():
            if part == "*":
                star = True
            elif part and int(part) > MAX_SIZE:
                raise LimitExceeded(f"a format width of {part} is larger than the sandbox allows ({MAX_SIZE})")
    if star:
        _check_arguments(values if isinstance(values, tuple) else (values,), {})


_FORMATTER = string.Formatter()
_MAX_SIZE_DIGITS = len(str(MAX_SIZE))


def _check_spec_numbers(spec: str) -> None:
    for digits in re.findall(r"\d+", spec):
        if len(digits) > _MAX_SIZE_DIGITS or int(digits) > MAX_SIZE:
            shown = digits if len(digits) <= 20 else digits[:17] + "..."
            raise LimitExceeded(f"a format width of {shown} is larger than the sandbox allows ({MAX_SIZE})")


def _check_brace_format(text: str, args: tuple = (), kwargs: Any = None) -> None:
    """Refuse ``str.format``/``format_map`` widths and precisions over MAX_SIZE before anything is built.

    A width may itself be a replacement field filled from the arguments
    (``'{0:{1}}'.format('a', '300000000')``): those are looked up here, as
    str.format would, and the resulting spec is checked. Python formats the
    whole string in one C call, so no check afterwards could stop it.
    """
    kwargs = {} if kwargs is None else kwargs
    auto = 0  # str.format's automatic field numbering: the outer field first, then those in its spec
    for _, name, spec, _ in _FORMATTER.parse(text):
        if name is None:
            continue
        if name == "":
            auto += 1
        if not spec or "{" not in spec:
            _check_spec_numbers(spec or "")
            continue
        expanded = []
        for literal, inner, inner_spec, _ in _FORMATTER.parse(spec):
            expanded.append(literal)
            if inner is None:
                continue
            _check_spec_numbers(inner_spec or "")
            if inner == "":
                inner, auto = str(auto), auto + 1
            if not (inner.isdigit() or inner.isidentifier()):
                # Attribute or item lookups would run here, outside the sandbox's checks.
                raise LimitExceeded("a format width may only come from a plain argument ('{0:{1}}' or '{x:{w}}')")
            try:
                value = args[int(inner)] if inner.isdigit() else kwargs[inner]
            except (IndexError, KeyError, TypeError):
                return  # str.format itself reports the missing argument
            expanded.append(format(_check_result(value), inner_spec or ""))
        _check_spec_numbers("".join(expanded))


def _check_binop(op: str, left: Any, right: Any) -> None:
    if op == "*":
        for seq, count in ((left, right), (right, left)):
            if isinstance(count, int) and not isinstance(count, bool) and not isinstance(seq, (int, float)):
                if extent(seq, MAX_WORK) * max(count, 0) > MAX_SIZE:
                    raise LimitExceeded(f"repeating a value {count} times makes it larger than the sandbox allows")
        if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise LimitExceeded(f"a number of more than {MAX_INT_BITS} bits; refusing")
    elif op == "**":
        if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
            if left.bit_length() * right > MAX_INT_BITS:
                raise LimitExceeded(f"a number of more than {MAX_INT_BITS} bits; refusing")
    elif op == "%" and isinstance(left, str):
        _check_percent_format(left, right)
    elif op == "+" and extent(left, MAX_WORK) + extent(right, MAX_WORK) > MAX_SIZE:
        raise LimitExceeded(f"a value of more than {MAX_SIZE} characters or items; refusing")


class BoundedNamespace(Namespace):
    """``namespace()``: the one mutable value templates have, so the one that could grow across loop turns."""

    def __setitem__(self, name: str, value: Any) -> None:
        super().__setitem__(name, _check_result(value))


def _guard_filter(name: str, fn):
    @functools.wraps(fn)  # keeps jinja's pass_context/pass_eval_context marks
    def guarded(*args, **kwargs):
        if name == "format" and args and isinstance(args[0], str):
            _check_percent_format(args[0], args[1:] or tuple(kwargs.values()))
        _check_arguments(args, kwargs)
        return _check_result(fn(*args, **kwargs))

    return guarded


def checked_concat(parts: tuple) -> str:
    """``a ~ b ~ c``: joined only once the total length is known to be within bounds."""
    texts = [str(_check_result(part)) for part in parts]
    if sum(map(len, texts)) > MAX_SIZE:
        raise LimitExceeded(f"a value of more than {MAX_SIZE} characters or items; refusing")
    return "".join(texts)


class _CheckedConcatCodeGenerator(CodeGenerator):
    # Jinja compiles `~` to a plain join the sandbox never sees; route it through checked_concat.
    def visit_Concat(self, node, frame) -> None:
        self.write("environment.checked_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """ImmutableSandboxedEnvironment that also bounds the size of everything a template builds."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _CheckedConcatCodeGenerator
    checked_concat = staticmethod(checked_concat)

    def __init__(self, **options: Any):
        # Every `{{ value }}` passes through finalize before it is turned into text.
        options.setdefault("finalize", _check_result)
        super().__init__(**options)
        self.filters = {name: _guard_filter(name, fn) for name, fn in self.filters.items() if name != "random"}
        self.globals.pop("lipsum", None)
        self.globals["namespace"] = BoundedNamespace

    def call_binop(self, context, operator_: str, left: Any, right: Any) -> Any:
        _check_binop(operator_, left, right)
        return _check_result(super().call_binop(context, operator_, left, right))

    def call(self, context, obj, /, *args: Any, **kwargs: Any) -> Any:
        # str.format arrives wrapped by the sandbox; the string is on the wrapped method.
        owner = getattr(getattr(obj, "__wrapped__", obj), "__self__", None)
        method = getattr(obj, "__name__", "") if isinstance(owner, str) else ""
        if method == "format":
            _check_brace_format(cast(str, owner), args, kwargs)
        elif method == "format_map":
            _check_brace_format(cast(str, owner), (), args[0] if len(args) == 1 else None)
        _check_arguments((owner, *args) if isinstance(owner, (str, list, tuple, dict)) else args, kwargs)
        return _check_result(super().call(context, obj, *args, **kwargs))


def render_bounded(template, context: dict[str, Any]) -> str:
    """Render with the output capped at ``MAX_SIZE`` characters, counted as it is produced."""
    pieces, size = [], 0
    for piece in template.generate(context):
        size += len(piece)
        if size > MAX_SIZE:
            raise LimitExceeded(f"the output is longer than {MAX_SIZE} characters; refusing")
        pieces.append(piece)
    return "".join(pieces)
