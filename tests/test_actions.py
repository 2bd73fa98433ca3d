"""The bodies of the hot commands: what each front door loads to run them, and the
questions they ask (a far date) the same through either door."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest

from conftest import NOW, MockEnvironment
from infoint import entry, layout
from infoint.records import ContactFields
from infoint.services import Tracker

WHO, WHY, GOAL = "I am an analyst.", "Your talk.", "Learn which skills matter."
LOADS = (
    "import sys\n"
    "from infoint.entry import main\n"
    "sys.argv = ['infoint', *sys.argv[1:]]\n"
    "main()\n"
    "print('loaded:', *sorted(m for m in ('pydantic', 'rich', 'typer') if m in sys.modules), "
    "file=sys.stderr)\n"
)


@pytest.fixture
def store(tracker: Tracker) -> Tracker:
    tracker.add_contact("Jane Doe", ContactFields(company="Acme"))
    tracker.add_contact("Sam Lee", ContactFields())
    tracker.outreach("jane-doe", WHO, WHY, GOAL, sent=NOW - timedelta(days=3))
    tracker.reply("jane-doe", "agreed")
    tracker.schedule("jane-doe", NOW + timedelta(days=2), None, "phone")
    return tracker


@pytest.mark.parametrize(
    ("args", "loaded"),
    [
        (["contacts", "--limit", "1"], []),
        (["show", "jane-doe"], []),
        (["agenda"], []),
        (["stats"], []),
        (["edit", "sam-lee", "--role", "Editor"], ["pydantic"]),
        (["add-contact", "Bo Chen"], ["pydantic"]),
        (
            ["outreach", "sam-lee", "--who-i-am", WHO, "--why-you", WHY, "--goal", GOAL],
            ["pydantic"],
        ),
        (["reschedule", "1", "2027-01-05 10:00", "--yes"], ["pydantic"]),
    ],
)
def test_what_each_hot_command_loads(store: Tracker, args: list[str], loaded: list[str]) -> None:
    """Never Typer nor Rich; pydantic only where records are written (plain.py)."""
    assert entry.parse(args[0], args[1:]) is not None
    proc = subprocess.run(
        [sys.executable, "-c", LOADS, *args],
        env={**os.environ, "TZ": "UTC"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[-1].split() == ["loaded:", *loaded]


def test_a_far_date_is_asked_about_through_either_door(
    store: Tracker, monkeypatch: pytest.MonkeyPatch, mock_env: MockEnvironment
) -> None:
    import typer

    mock_env.interactive = True
    monkeypatch.setattr(typer, "confirm", lambda *args, **kwargs: False)
    with pytest.raises(SystemExit) as refused:
        entry.quick(["reschedule", "1", "2029-01-05 10:00"])
    assert refused.value.code == 1
    assert "Starts: Fri 5 Jan 2029" in mock_env.err
    assert store.read().meetings[0].start == NOW + timedelta(days=2)  # nothing moved
    monkeypatch.setattr(typer, "confirm", lambda *args, **kwargs: True)
    assert entry.quick(["reschedule", "1", "2029-01-05 10:00"]) is True
    assert "Moved meeting 1 with Jane Doe" in mock_env.err


def test_a_hanging_indent_keeps_the_styles_where_the_words_land() -> None:
    text = "one two three four"
    marks = layout.hang("> ", text, 18, lambda line, at: f"<{at}:{line}>")
    assert marks == ["> <0:one two three>", "  <14:four>"]
    narrow = layout.hang("a long label: ", text, 18, lambda line, at: f"<{at}>")
    assert narrow == ["a long label:", "    <0>", "    <14>"]
