"""The errors infoint raises on purpose. The CLI maps each to `Error:`/`Hint:` and exit 1."""

from __future__ import annotations


class InfointError(Exception):
    """A request infoint refuses: the message says what is wrong, the hint what to do."""

    exit_code = 1

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
