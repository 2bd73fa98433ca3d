"""Plain terminal output: colour only where it is wanted, errors, messages, the JSON of a follow-
up."""

from __future__ import annotations

import io
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from build import Doc, hours
from conftest import NOW, MockEnvironment
from infoint import agenda as agenda_module
from infoint import rules, term
from infoint.env import Environment, using, wants_colour
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


class FakeTTY:
    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)


@pytest.mark.parametrize(
    ("environ", "terminal", "styled"),
    [
        ({"TERM": "xterm-256color"}, True, True),
        ({"TERM": "xterm"}, False, False),  # a pipe
        ({"TERM": "xterm", "FORCE_COLOR": "1"}, False, True),  # forced for a pipe
        ({"TERM": "xterm-256color", "NO_COLOR": "1"}, True, False),
        ({"TERM": "dumb"}, True, False),
        ({"TERM": "dumb", "FORCE_COLOR": "1"}, True, False),
        ({"TERM": "xterm", "NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
    ],
)
def test_colour_only_on_a_terminal_that_wants_it(
    home: Path, environ: dict[str, str], terminal: bool, styled: bool
) -> None:
    """NO_COLOR and TERM=dumb win; FORCE_COLOR styles even a pipe; else a terminal."""
    stream = FakeTTY() if terminal else io.StringIO()
    assert wants_colour(environ, terminal) is styled
    assert MockEnvironment.make(home, environ=environ).styles(stream) is styled  # type: ignore[arg-type]
    with using(MockEnvironment.make(home, environ=environ)):
        assert term.colour(stream) is styled  # type: ignore[arg-type]
    assert (
        term.styled("x", "bold", True) == "\x1b[1mx\x1b[0m"
        and term.styled("x", "bold", False) == "x"
    )


def test_the_process_environment_styles_stdout_by_the_same_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdout", FakeTTY())
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "xterm")
    assert Environment.from_os().colour is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert Environment.from_os().colour is False
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR")
    assert Environment.from_os().colour is True


def test_the_morning_look_in_colour(tracker: Tracker, home: Path) -> None:
    tracker.add_contact("\x1b[31mJane\x1b[0m Doe", ContactFields())
    tracker.reply("1", "agreed", on=NOW - timedelta(days=2))
    tty = FakeTTY()
    with using(MockEnvironment.make(home, environ={"TERM": "xterm"})):
        term.followups_screen(tracker.due(), tty)  # type: ignore[arg-type]
    assert "\x1b[1;31mOverdue\x1b[0m" in tty.text and "\x1b[36mrespond" in tty.text
    assert "\x1b[31mJane" not in tty.text and "Jane Doe" in tty.text


def test_errors_are_styled_on_a_terminal_only(mock_env: MockEnvironment, home: Path) -> None:
    term.error("Something [bold]odd[/bold]\x07", "Try \x1b]0;title\x07this")
    assert mock_env.err == "Error: Something [bold]odd[/bold]\nHint: Try this\n"
    terminal = MockEnvironment.make(home, environ={"TERM": "xterm"})
    terminal.stderr = FakeTTY()  # type: ignore[assignment]
    with using(terminal):
        term.error("Something odd", "Try this")
    assert terminal.stderr.text == (  # type: ignore[attr-defined]
        "\x1b[1;31mError:\x1b[0m Something odd\n\x1b[1mHint:\x1b[0m Try this\n"
    )


def test_message_keeps_one_line(mock_env: MockEnvironment) -> None:
    term.message("Added ", "Jane\nDoe", " as jane-doe.")
    assert mock_env.err == "Added Jane Doe as jane-doe.\n"


def test_debug_requested(monkeypatch: pytest.MonkeyPatch, mock_env: MockEnvironment) -> None:
    assert not term.debug_requested()
    mock_env.debug = True
    assert term.debug_requested()
    # the process's: INFOINT_DEBUG, set to anything but 0
    monkeypatch.delenv("INFOINT_DEBUG", raising=False)
    assert not Environment.from_os().debug
    monkeypatch.setenv("INFOINT_DEBUG", "0")
    assert not Environment.from_os().debug
    monkeypatch.setenv("INFOINT_DEBUG", "1")
    assert Environment.from_os().debug
