"""Plain terminal output: colour only where it is wanted, errors, messages, the JSON of a follow-
up."""

from __future__ import annotations

import sys
from datetime import timedelta

import pytest

from build import Doc, hours
from conftest import NOW
from infoint import agenda as agenda_module
from infoint import rules, term
from infoint.models import Settings
from infoint.records import ContactFields
from infoint.services import Tracker

S = Settings()


def test_followup_json_has_the_contract_keys() -> None:
    doc = Doc()
    doc.reply(doc.contact(), hours(-1))
    due = agenda_module.view(
        rules.candidates(rules.histories(doc.doc).values(), S),
        NOW,
        agenda_module.Prospects(),
        1,
        [],
    )
    (item,) = [term.followup_json(i, due) for i in due.items]
    assert {"kind", "contact", "due", "overdue", "message"} <= set(item)
    assert item["message"] == "said yes 1 hour ago: propose a time that suits them"


def test_colour_can_be_forced_for_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("FORCE_COLOR", "1")
    pipe = io.StringIO()
    assert term.colour(pipe)
    monkeypatch.delenv("FORCE_COLOR")
    assert not term.colour(pipe)
    assert (
        term.styled("x", "bold", True) == "\x1b[1mx\x1b[0m"
        and term.styled("x", "bold", False) == "x"
    )


class FakeTTY:
    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)


def test_colour_only_on_a_terminal_that_wants_it(monkeypatch: pytest.MonkeyPatch) -> None:
    tty = FakeTTY()
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert term.colour(tty)  # type: ignore[arg-type]
    monkeypatch.setenv("NO_COLOR", "1")
    assert not term.colour(tty)  # type: ignore[arg-type]
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert not term.colour(tty)  # type: ignore[arg-type]
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm")
    assert term.colour(sys.__stdout__)  # type: ignore[arg-type]


def test_the_morning_look_in_colour(tracker: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
    tracker.add_contact("\x1b[31mJane\x1b[0m Doe", ContactFields())
    tracker.reply("1", "agreed", on=NOW - timedelta(days=2))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    tty = FakeTTY()
    term.followups_screen(tracker.due(), tty)  # type: ignore[arg-type]
    assert "\x1b[1;31mOverdue\x1b[0m" in tty.text and "\x1b[36mrespond" in tty.text
    assert "\x1b[31mJane" not in tty.text and "Jane Doe" in tty.text


def test_errors_are_styled_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    term.error("Something [bold]odd[/bold]\x07", "Try \x1b]0;title\x07this")
    err = capsys.readouterr().err
    assert err == "Error: Something [bold]odd[/bold]\nHint: Try this\n"


def test_message_keeps_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    term.message("Added ", "Jane\nDoe", " as jane-doe.")
    assert capsys.readouterr().err == "Added Jane Doe as jane-doe.\n"


def test_debug_requested(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INFOINT_DEBUG", raising=False)
    assert not term.debug_requested()
    monkeypatch.setenv("INFOINT_DEBUG", "0")
    assert not term.debug_requested()
    monkeypatch.setenv("INFOINT_DEBUG", "1")
    assert term.debug_requested()
