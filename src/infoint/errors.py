"""The errors infoint raises on purpose, and the exit statuses of every command.

The CLI maps each error to `Error:`/`Hint:` and `ExitCode.REFUSED` (1)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """How a command ends, as scripts see it. Every exit goes through one of these;
    the codes are public (cli-contract.md, "Exit codes and errors"): never change one."""

    OK = 0  #: success; a warning on stderr is still success
    REFUSED = 1  #: what infoint checks itself refuses (an unknown contact, a rule, …)
    FAILED = 1  #: the same code for a failure: doctor's findings, an unexpected error
    USAGE = 2  #: what Typer rejects before infoint runs (its own exit, for the record)
    INTERRUPTED = 130  #: Ctrl-C (128 + SIGINT)
    BROKEN_PIPE = 141  #: the reader of stdout went away, as `| head` does (128 + SIGPIPE)


class InfointError(Exception):
    """A request infoint refuses: the message says what is wrong, the hint what to do."""

    exit_code = ExitCode.REFUSED

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class NotFound(InfointError):
    """An unknown contact or meeting."""


class RuleBroken(InfointError):
    """An etiquette rule (R1-R12) refuses the request."""


class BadInput(InfointError):
    """A value the user typed cannot be understood (a date, an e-mail, a setting)."""


class StoreError(InfointError):
    """The store cannot be read, validated or written; nothing was changed."""
