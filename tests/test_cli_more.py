"""The Typer layer's own machinery (plain converters, one-command apps) and the
confirmations and warnings each command prints."""

from __future__ import annotations

import sys
from typing import Literal, Optional

import pytest

from conftest import INTRO, Runner
from infoint import cli


@pytest.mark.parametrize(
    ("annotation", "given", "expected"),
    [
        (str, "x", "x"),
        (Optional[str], "x", "x"),  # noqa: UP045 - what Typer hands over, as written
        (int, "42", 42),
        (bool, "yes", True),
        (bool, "off", False),
        (bool, True, True),
        (Literal["a", "b"], "b", "b"),
        (list[str], ("a", "b"), ["a", "b"]),
        (Optional[list[int]], ("1", "2"), [1, 2]),  # noqa: UP045
    ],
)
def test_plain_converters(annotation: object, given: object, expected: object) -> None:
    convert = cli._plain_converter(annotation)
    assert convert is not None and convert(given) == expected


@pytest.mark.parametrize(
    ("annotation", "given", "message"),
    [
        (int, "lots", "'lots' is not a valid integer."),
        (bool, "maybe", "'maybe' is not a valid boolean."),
        (Literal["a", "b"], "c", "'c' is not one of 'a', 'b'."),
    ],
)
def test_plain_converters_refuse(annotation: object, given: object, message: str) -> None:
    convert = cli._plain_converter(annotation)
    assert convert is not None
    with pytest.raises(ValueError, match=message):
        convert(given)


def test_other_types_are_left_to_typer() -> None:
    from pathlib import Path

    assert cli._plain_converter(Path) is None
    assert cli._plain_converter(int | str) is None
    assert cli._plain_converter(list[Path]) is None


def test_main_builds_only_the_command_it_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def fake_call(self: object, prog_name: str) -> None:
        seen.append([c.name or c.callback.__name__ for c in self.registered_commands])  # type: ignore[attr-defined]

    monkeypatch.setattr(cli.typer.Typer, "__call__", fake_call)
    monkeypatch.setattr(sys, "argv", ["infoint", "--debug", "followups"])
    cli.main()
    monkeypatch.setattr(sys, "argv", ["infoint", "import", "linkedin", "x.csv"])
    cli.main()
    assert seen[0] == ["followups"]
    assert len(seen[1]) > 10  # a group (import/export) needs the whole app


def test_one_command_apps_still_explain_themselves(run: Runner) -> None:
    only = cli._only("schedule")
    from typer.testing import CliRunner

    result = CliRunner().invoke(only, ["schedule", "--help"])
    assert result.exit_code == 0 and "--minutes" in result.stdout


def test_debug_flag_shows_the_traceback(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    from infoint import services

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr(services.Tracker, "meetings", boom)
    with pytest.raises(RuntimeError, match="kaput"):
        run("--debug", "meetings", code=None)


# what each command says ------------------------------------------------------------------


def test_edit_json_shows_the_record(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    record = run.json("edit", "jane-doe", "--prefers", "phone", "--location", "Berlin")
    assert record["prefers"] == "phone" and record["location"] == "Berlin"
    assert record["status"] == "prospect"


def test_archive_and_restore_say_so(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    assert run("archive", "jane-doe").stderr == "Archived Jane Doe.\n"
    assert run("archive", "jane-doe", "--restore").stderr == "Restored Jane Doe.\n"


def test_heard_thank_touch_say_so(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    assert run("heard", "jane-doe").stderr == "Noted the message from Jane Doe.\n"
    assert run("touch", "jane-doe").stderr == "Recorded that you kept in touch with Jane Doe.\n"
    out = run("touch", "jane-doe", "--force")
    assert out.stderr.startswith("Warning: You were last in touch with Jane Doe that same day;")
    assert out.stderr.endswith("Recorded that you kept in touch with Jane Doe.\n")


def test_reply_declined_and_referred_say_what_next(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("add-contact", "Bo Chen")
    assert "declined. Thank them and move on" in run("reply", "jane-doe", "--declined").stderr
    run("heard", "bo-chen")  # they wrote first: their answer needs no outreach
    out = run("reply", "bo-chen", "--referred", "jane-doe")
    assert out.stderr == "Bo Chen referred you to Jane Doe: infoint outreach jane-doe …\n"


def test_schedule_held_says_how_to_record_it(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    out = run("schedule", "jane-doe", "yesterday 15:00", "--phone", "--held")
    assert "Recorded meeting 1 with Jane Doe" in out.stderr
    assert out.stderr.endswith("Record how it went: infoint done 1 --advice …\n")


def test_cancel_and_reschedule_say_so(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("schedule", "jane-doe", "2026-12-03 10:00", "--phone")
    out = run("reschedule", "1", "2026-12-04 11:00", "--minutes", "20")
    assert (
        "Moved meeting 1 with Jane Doe: Fri 4 Dec 2026, 11:00–11:20 (UTC+00:00), by phone."
        in out.stderr
    )
    assert (
        run("cancel", "1").stderr == "Cancelled meeting 1 with Jane Doe. Let them know, kindly.\n"
    )


def test_prep_says_when_prep_is_complete(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    out = run("prep", "jane-doe", "--research", "Notes", "--question", "A?", "--question", "B?",
              "--question", "C?")  # fmt: skip
    assert "Prep complete." in out.stderr


def test_config_prints_one_value_and_sets_text(run: Runner) -> None:
    assert run("config", "me.name").stdout == "\n"
    assert run("config", "me.name", "[Alex] Kim").stderr == "me.name = [Alex] Kim\n"
    assert run("config", "me.name").stdout == "[Alex] Kim\n"
    assert run.json("config", "me.name") == {"me.name": "[Alex] Kim"}


def test_outreach_json_is_the_record(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    record = run.json("outreach", "jane-doe", *INTRO, "--subject", "Hello", "--channel", "phone")
    assert (record["kind"], record["subject"], record["channel"]) == ("outreach", "Hello", "phone")
    assert record["who_i_am"] == INTRO[1]


def test_meetings_upcoming_and_past_tables(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("schedule", "jane-doe", "2026-12-03 10:00", "--video")
    assert "by video" in run("meetings", "--upcoming").stdout
    assert "No meetings." in run("meetings", "--past").stdout


def test_import_groups_explain_themselves(run: Runner) -> None:
    assert "linkedin" in run("import", "--help").stdout
    assert "ics" in run("export", "--help").stdout
    out = run("import", code=None)
    assert out.exit_code in (0, 2) and "linkedin" in out.stdout + out.stderr


def test_add_contact_asks_on_a_terminal(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli.actions, "can_ask", lambda: True)
    # Role was given as an option, so it is not asked
    answers = "Jane Doe\nAcme\nPublishing\njane@acme.example\nHer talk on design systems.\n"
    out = run("add-contact", "--role", "Editor", input=answers)
    assert out.stdout.strip().endswith("jane-doe")
    record = run.json("show", "jane-doe")
    assert (record["company"], record["role"], record["industry"]) == (
        "Acme",
        "Editor",
        "Publishing",
    )
    assert record["email"] == "jane@acme.example" and record["why"] == "Her talk on design systems."


def test_add_contact_without_a_name_refuses_when_it_cannot_ask(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = run.refused("add-contact")
    assert "needs a NAME" in out.stderr
    monkeypatch.setattr(cli.actions, "can_ask", lambda: True)
    assert "needs a NAME" in run.refused("add-contact", "--no-input").stderr


def test_an_asked_e_mail_is_checked_like_a_typed_one(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.actions, "can_ask", lambda: True)
    out = run("add-contact", input="Eve\n\n\n\nnot-an-email\n\n", code=1)
    assert "not-an-email" in out.stderr
    assert run.json("contacts") == []


def test_the_help_lists_commands_in_the_order_of_a_search() -> None:
    import typer.main

    group = typer.main.get_command(cli.app)
    assert list(group.commands) == [  # type: ignore[attr-defined]
        "add-contact", "contacts", "show", "edit", "remove", "not-now", "archive",
        "outreach", "reply", "heard", "thank", "touch",
        "schedule", "meetings", "reschedule", "cancel", "prep", "done",
        "draft", "drafts", "questions",
        "agenda", "stats", "insights", "demo", "followups",
        "history", "undo", "doctor", "merge", "config", "sync", "meeting", "import", "export",
        "mail",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "amount"), [("7.50", 7.5), ("€3,50", 3.5), (" $12 ", 12.0), ("£0", 0.0)]
)
def test_paid_amounts_are_read_as_people_write_them(text: str, amount: float) -> None:
    from infoint.cli.meetings import _amount

    assert _amount(text) == amount


def test_a_negative_amount_is_refused(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("schedule", "jane-doe", "1 hour ago", "--phone", "--held")
    assert "cannot be negative" in run.refused("done", "1", "--paid=-3").stderr


def test_every_setting_is_listed_with_its_default(run: Runner) -> None:
    listed = run.json("config")
    assert listed["keep_backups"] == 10 and listed["draft_word_budget"] == 170
    assert list(listed)[-3:] == ["me.name", "me.intro", "me.signature"]


def test_the_quick_paths_do_not_load_the_command_groups(tmp_path: object) -> None:
    import subprocess

    script = (
        "import sys\nfrom infoint import entry\n"
        "sys.argv = ['infoint', 'followups']\nentry.main()\n"
        "print('cli' if 'infoint.cli' in sys.modules else 'no cli', file=sys.stderr)\n"
    )
    import os

    env = {**os.environ, "INFOINT_HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert proc.stderr.strip().splitlines()[-1] == "no cli"


def test_no_to_a_far_date_says_nothing_was_changed(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.actions, "can_ask", lambda: True)
    run("add-contact", "Jane Doe")
    before = run.json("show", "jane-doe")
    out = run("outreach", "jane-doe", *INTRO, "--on", "2020-01-01", input="n\n", code=1)
    assert "Is " in out.stderr and "Nothing was changed." in out.stderr
    assert run.json("show", "jane-doe") == before
