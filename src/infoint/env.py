"""The one environment a command runs in (as httpie's `Environment`): its streams,
the process's environment variables, the clock, the data folder, and what the
terminal is like (colour, width, height, whether a question can be asked).

A front door builds it once, from the real process (`Environment.from_os`), and
makes it the current one for the length of the command with `using`: `entry.main`
for the quick commands, the Typer app's root callback (which keeps it in
`ctx.obj`) for the rest. Everything below asks `current()` instead of reading
`sys.stdout`, `os.environ` or the wall clock itself, so a test builds its own
environment (StringIO streams, a fixed clock, a folder of its own) and runs a
command in it, with nothing of the process to patch. `using` is the only code that
sets the current environment; outside any front door `current()` describes the
process as it is right now.

Importing this module stays cheap (no pydantic, Rich or Typer): every command
imports it, the light front door included.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from infoint.files import Paths

#: "Now", as a function: the system clock, or a test's fixed one.
Clock = Callable[[], datetime]


def wants_colour(environ: Mapping[str, str], terminal: bool) -> bool:
    """Whether to style output: a terminal, and nobody asked for plain text
    (NO_COLOR or TERM=dumb); FORCE_COLOR styles even a pipe."""
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return terminal


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or bare stream is no terminal
        return False


class Environment:
    """What a command may know of the world it runs in.

    `colour` is about `stdout` (stderr is asked with `styles`); `width` and
    `height` are the screen's size in cells and lines; `interactive` says a
    question can be asked (stdin is a terminal); `debug` asks for a traceback
    instead of "failed unexpectedly" (--debug, INFOINT_DEBUG); `no_pager` refuses
    the pager (--no-pager before the command). `paths` is read from `environ` the
    first time it is needed (INFOINT_HOME, else the platform's folders).

    A plain class, written out as a dataclass would make it: `dataclasses` imports
    `inspect`, which would cost the quick commands more than the rest of this."""

    def __init__(
        self,
        stdin: TextIO,
        stdout: TextIO,
        stderr: TextIO,
        environ: Mapping[str, str],
        clock: Clock,
        colour: bool,
        width: int,
        height: int,
        interactive: bool,
        debug: bool = False,
        no_pager: bool = False,
    ) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.environ = environ
        self.clock = clock
        self.colour = colour
        self.width = width
        self.height = height
        self.interactive = interactive
        self.debug = debug
        self.no_pager = no_pager

    def __repr__(self) -> str:
        shown = ("stdout", "colour", "width", "height", "interactive", "debug", "no_pager")
        return f"{type(self).__name__}({', '.join(f'{k}={vars(self)[k]!r}' for k in shown)})"

    def replace(self, **changes: object) -> Environment:
        """A copy with `changes` (the pager's: stdout a buffer), paths kept."""
        made = object.__new__(type(self))
        vars(made).update(vars(self), **changes)
        return made

    @classmethod
    def from_os(cls, clock: Clock | None = None) -> Environment:
        """The real process: its streams, `os.environ`, the system clock (unless a
        `clock` is given) and its terminal."""
        from infoint.dates import system_now
        from infoint.layout import height, width

        environ = os.environ
        stdout = sys.stdout
        try:
            size: os.terminal_size | None = os.get_terminal_size(1)
        except OSError:
            size = None
        return cls(
            stdin=sys.stdin,
            stdout=stdout,
            stderr=sys.stderr,
            environ=environ,
            clock=clock or system_now,
            colour=wants_colour(environ, _isatty(stdout)),
            width=width(environ.get("COLUMNS", ""), size.columns if size else 0),
            height=height(environ.get("LINES", ""), size.lines if size else 0),
            interactive=_isatty(sys.stdin),
            debug=environ.get("INFOINT_DEBUG", "") not in ("", "0"),
        )

    @cached_property
    def paths(self) -> Paths:
        """Where the data and the settings live (files.Paths.from_env's rules)."""
        from infoint.files import Paths

        return Paths.from_env(self.environ)

    def styles(self, stream: TextIO) -> bool:
        """Whether to style what goes to `stream`: stdout as `colour` says, any other
        stream by the same rules, for that stream."""
        if stream is self.stdout:
            return self.colour
        return wants_colour(self.environ, _isatty(stream))


_current: list[Environment] = []


def current() -> Environment:
    """The environment of the command being run; outside any, the process's."""
    return _current[-1] if _current else Environment.from_os()


@contextmanager
def using(environment: Environment) -> Iterator[Environment]:
    """Make `environment` the current one inside the block (the one setter)."""
    _current.append(environment)
    try:
        yield environment
    finally:
        _current.pop()
