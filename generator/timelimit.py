"""Wall-clock limits on user code: each item within its own limit, all items within the command's budget.

User code is every spec-string expression (1 s each), template file and Jsonnet
component (10 s each). Each item gets ``min(its own limit, what is left of
budgets.current().template_seconds)``, and what it took is charged to the
command's budget, so forty slow-but-legal expressions cannot add up to a
render that runs for minutes.

Python work (Jinja2) on the main thread is interrupted by a SIGALRM timer,
which costs two setitimer calls per item and interrupts loops between any two
bytecodes. Work that cannot be interrupted that way (the Jsonnet evaluator, a
child process) is given the limit as its timeout and raises TimeLimitExceeded
itself (``alarm=False``). Off the main thread, or while another timer runs,
the item is measured and refused when it finishes late.

This module imports no third-party code: the plugin imports it on a cache miss only.
"""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

from . import budgets


class TimeLimitExceeded(BaseException):
    """An item of user code ran out of time.

    A BaseException, so that no ``except Exception`` inside Jinja2 (constant
    folding at compile time catches everything) swallows the one-shot alarm.
    ``seconds`` is the limit the item had; ``budget`` is true when that was
    what was left of the command's budget rather than the item's own limit.
    """

    def __init__(self, seconds: float = 0.0, budget: bool = False):
        super().__init__(seconds, budget)
        self.seconds = seconds
        self.budget = budget


def budget_message(what: str) -> str:
    """What to say when ``what`` (e.g. "the template") ran out of the command's template-seconds budget."""
    total = budgets.current().template_seconds
    return (f"{what} ran out of the template-seconds budget ({total:g}s for all expressions, templates and "
            f"components of one command); raise it with --limit template-seconds=N or "
            f"GITOPS_GEN_LIMIT_TEMPLATE_SECONDS=N")


class _Alarm:
    """The SIGALRM handler, installed once: arming it per item costs two setitimer calls, not signal()."""

    installed = False
    armed = False
    active = False  # an item is being timed on the main thread: items inside it are its time
    previous: Any = None

    @classmethod
    def on_alarm(cls, signum, frame):
        if cls.armed:
            cls.armed = False
            raise TimeLimitExceeded()
        if callable(cls.previous):  # someone else's timer: pass it on
            cls.previous(signum, frame)

    @classmethod
    def install(cls) -> bool:
        if not cls.installed:
            cls.previous = signal.signal(signal.SIGALRM, cls.on_alarm)
            cls.installed = True
        return signal.getsignal(signal.SIGALRM) == cls.on_alarm  # bound methods: equal, not identical


@contextmanager
def time_limit(per_item: float, alarm: bool = True) -> Iterator[float]:
    """Run the block as one item of user code; yields the seconds it may take.

    Raises TimeLimitExceeded (with ``seconds`` and ``budget`` set) when the
    block runs out of time, or at once when the command's budget is spent.
    """
    main = threading.current_thread() is threading.main_thread()
    if main and _Alarm.active:  # inside another item (a template's expression): the outer one is timing it
        yield per_item
        return
    left = budgets.template_seconds_left()
    seconds, by_budget = (per_item, False) if per_item <= left else (max(left, 0.0), True)
    if seconds <= 0:
        raise TimeLimitExceeded(0.0, True)
    timer = (alarm and main and hasattr(signal, "setitimer") and not _Alarm.armed
             and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0) and _Alarm.install())
    started = time.perf_counter()
    if main:
        _Alarm.active = True
    if timer:
        _Alarm.armed = True
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield seconds
    except TimeLimitExceeded as exc:
        exc.seconds, exc.budget = seconds, by_budget
        raise
    finally:
        if timer:
            _Alarm.armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
        if main:
            _Alarm.active = False
        elapsed = time.perf_counter() - started
        budgets.spend_template_seconds(elapsed)
    if elapsed > seconds and not timer and alarm:  # nothing could interrupt it: refuse it now that it is done
        raise TimeLimitExceeded(seconds, by_budget)
