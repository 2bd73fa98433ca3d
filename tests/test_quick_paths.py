"""The quick paths in-process: what they print, when they step aside, and the caches
they rely on (the top-level help, the index)."""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import NOW
from infoint import entry, term
from infoint.files import Paths
from infoint.records import ContactFields
from infoint.services import Tracker


def call(monkeypatch: pytest.MonkeyPatch, *argv: str) -> None:
    monkeypatch.setattr(sys, "argv", ["infoint", *argv])
    entry.main()


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """The quick paths read the system clock: pin it to the tests' NOW."""
    import infoint.dates

    monkeypatch.setattr(infoint.dates, "system_now", lambda: NOW)


def test_quick_followups_prints_from_the_index(
    tracker: Tracker,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fixed_now: None,
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.reply("jane-doe", "agreed")
    import infoint.cli

    monkeypatch.setattr(infoint.cli, "main", lambda: pytest.fail("Typer was not needed"))
    call(monkeypatch, "followups")
    out = capsys.readouterr().out
    assert out.startswith("Today\n  respond        Jane Doe")
    call(monkeypatch, "followups", "--json")
    (item,) = json.loads(capsys.readouterr().out)
    assert item["kind"] == "respond" and item["contact"] == "jane-doe"


def test_quick_followups_steps_aside_for_a_stale_index(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch, fixed_now: None
) -> None:
    from infoint import index

    tracker.add_contact("Jane Doe", ContactFields())
    index.clear(tracker.paths)
    assert entry.quick(["followups"]) is False
    assert entry.quick(["followups", "--json", "--json", "x"]) is False


def test_quick_followups_on_an_empty_store(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], home: Path, fixed_now: None
) -> None:
    call(monkeypatch, "followups")
    assert capsys.readouterr().out.startswith("Nothing is due. You have no contacts yet.")
    assert not home.exists()


def test_quick_add_prints_the_handle(
    tracker: Tracker,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fixed_now: None,
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    call(monkeypatch, "add-contact", "Jane Doe", "--company", "Acme", "--tag", "x")
    captured = capsys.readouterr()
    assert captured.out == "jane-doe-2\n"
    assert "Added Jane Doe as jane-doe-2." in captured.err
    call(monkeypatch, "add-contact", "Bo Chen", "--json")
    record = json.loads(capsys.readouterr().out)
    assert record["handle"] == "bo-chen" and record["status"] == "prospect"
    assert record["created_at"] == "2026-11-26T09:00:00Z"
    doc = tracker.read()
    assert [c.handle for c in doc.contacts] == ["jane-doe", "jane-doe-2", "bo-chen"]
    assert doc.contacts[1].company == "Acme" and doc.contacts[1].tags == ["x"]


def test_quick_add_refuses_like_the_app(
    tracker: Tracker,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fixed_now: None,
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    with pytest.raises(SystemExit) as exc:
        call(monkeypatch, "add-contact", "Eve", "--email", "nope")
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and "nope" in err and "Hint:" in err


def test_the_help_cache_follows_the_width(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("COLUMNS", "90")
    call(monkeypatch, "--help")
    narrow = capsys.readouterr().out
    monkeypatch.setenv("COLUMNS", "160")
    call(monkeypatch, "--help")
    wide = capsys.readouterr().out
    cached = sorted(p.name for p in (tmp_path / "cache").rglob("help-*.txt"))
    assert len(cached) == 2 and cached[0].endswith("-160.txt") and cached[1].endswith("-90.txt")
    assert narrow.startswith("Usage: infoint") and wide.startswith("Usage: infoint")
    assert max(len(line) for line in narrow.splitlines()) <= 90


def test_an_unwritable_help_cache_only_costs_time(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be")
    call(monkeypatch, "-h")
    assert capsys.readouterr().out.startswith("Usage: infoint")


def test_an_unreadable_sync_conflict_is_named_before_a_quick_path(
    tracker: Tracker,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fixed_now: None,
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    (tracker.paths.data_dir / "store (conflicted copy).json").write_text("{}")
    call(monkeypatch, "followups")
    err = capsys.readouterr().err
    assert "cannot read: store (conflicted copy).json" in err
    assert (tracker.paths.data_dir / "store (conflicted copy).json").exists()


# the index -----------------------------------------------------------------------------


# the terminal ----------------------------------------------------------------------------


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


def test_paths_without_infoint_home_follow_platformdirs(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "d"), "XDG_CONFIG_HOME": str(tmp_path / "c")}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        paths = Paths.from_env({})
        assert paths.store_file == tmp_path / "d" / "infoint" / "store.json"
        assert paths.config_file == tmp_path / "c" / "infoint" / "config.toml"
        assert paths.lock_file == tmp_path / "d" / "infoint" / ".infoint.lock"
        assert paths.lock_file != Paths.from_env({"INFOINT_HOME": str(tmp_path)}).lock_file
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
