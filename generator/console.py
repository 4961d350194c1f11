"""A one-line progress status on stderr, for people watching a terminal.

Only on a TTY, and only once a command has run for ``DELAY`` seconds: quick
commands, pipes, CI logs and ``--quiet`` get nothing extra. The line is
redrawn at most every ``INTERVAL`` seconds and erased when the work is done, so
the summary line that follows stands alone.
"""
from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

DELAY = 0.5
INTERVAL = 0.1
_ERASE_LINE = "\r\033[K"


class Progress:
    def __init__(self, enabled: bool = True, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.clock = clock
        self.started = clock()
        self.drawn_at: float | None = None

    def counter(self, what: str, total: int) -> Callable[[], None] | None:
        """A step function for one stage (``what: done/total``), or None when nothing is shown."""
        if not self.enabled:
            return None
        done = 0

        def step() -> None:
            nonlocal done
            done += 1
            now = self.clock()
            if now - self.started < DELAY:
                return
            if self.drawn_at is not None and now - self.drawn_at < INTERVAL and done < total:
                return
            self.stream.write(f"{_ERASE_LINE}{what}: {done}/{total}")
            self.stream.flush()
            self.drawn_at = now

        return step

    def close(self) -> None:
        if self.drawn_at is not None:
            self.stream.write(_ERASE_LINE)
            self.stream.flush()
            self.drawn_at = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
