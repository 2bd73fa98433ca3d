"""A progress bar for long imports and exports: Rich, on stderr, only on a terminal,
and only once the work has taken more than a second (a quick import shows nothing,
a script's stderr never fills with bars)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TextIO

from infoint.env import current

#: How long work runs before its bar appears.
DELAY_SECONDS = 1.0


class Meter:
    """Call it with (done, total) as the work goes; `close()` when it is over."""

    def __init__(
        self,
        what: str,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
        delay: float = DELAY_SECONDS,
    ) -> None:
        self.what = what
        self.stream = stream if stream is not None else current().stderr
        self.clock = clock
        self.started = clock()
        self.delay = delay
        self.on = _is_terminal(self.stream)
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.on:
            return
        if self.bar is None:
            if self.clock() - self.started < self.delay:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            console = Console(file=self.stream, highlight=False)
            self.bar = Progress(
                TextColumn(self.what), BarColumn(), MofNCompleteColumn(),
                console=console, transient=True,
            )  # fmt: skip
            self.bar.start()
            self.task = self.bar.add_task(self.what, total=total)
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __enter__(self) -> Meter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
