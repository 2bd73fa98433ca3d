"""Corrections found by using both front doors (the quick paths of entry.py and the
Typer app) as a new user would: each hint is followed, each listing read as printed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import INTRO, Runner
from test_entry import env, infoint

__all__ = ["env"]  # the fixture, shared with test_entry


# a far date's hint says "add --yes": every command that reads a date has it ------------


@pytest.mark.parametrize("door", [(), ("--debug",)], ids=["quick", "typer"])
def test_stats_since_a_far_date_takes_the_yes_its_hint_names(
    env: dict[str, str], door: tuple[str, ...]
) -> None:
    infoint("add-contact", "Ana Ruiz", env=env)
    refused = infoint(*door, "stats", "--since", "2020-01-01", env=env)
    assert refused.returncode == 1 and "add --yes" in refused.stderr
    for yes in ("--yes", "-y"):
        followed = infoint(*door, "stats", "--since", "2020-01-01", yes, env=env)
        assert followed.returncode == 0, followed.stderr
        assert "Traceback" not in followed.stderr


def test_done_on_a_far_date_takes_the_yes_its_hint_names(run: Runner) -> None:
    run("add-contact", "Ana Ruiz")
    run("outreach", "ana-ruiz", *INTRO, "--on", "2024-01-02", "--yes")
    run("reply", "ana-ruiz", "--agreed", "--on", "2024-01-03", "--yes")
    run("schedule", "ana-ruiz", "2024-01-10 10:00", "--phone", "--held", "--yes")
    refused = run.refused("done", "1", "--on", "2024-01-10 11:00")
    assert "add --yes" in refused.stderr
    run("done", "1", "--on", "2024-01-10 11:00", "--yes")
    shown = run("meetings").stdout
    assert "Wed 10 Jan 2024 11:00" in shown and "done" in shown


def test_every_command_that_reads_a_date_takes_yes() -> None:
    import typer.main

    from infoint import cli

    commands = typer.main.get_command(cli.app).commands  # type: ignore[attr-defined]
    missing = []
    for name, command in sorted(commands.items()):
        subcommands = getattr(command, "commands", None) or {name: command}
        for sub in subcommands.values():
            reads_a_date = any(
                p.metavar == "WHEN" or getattr(p, "name", "") in ("since", "as_of")
                for p in sub.params
            )
            options = {o for p in sub.params for o in p.opts}
            if reads_a_date and "--yes" not in options:
                missing.append(sub.name)
    assert missing == []


# a meeting recorded twice with --held ---------------------------------------------------


def test_recording_the_same_held_meeting_twice_is_refused(run: Runner) -> None:
    run("add-contact", "Ana Ruiz")
    run("outreach", "ana-ruiz", *INTRO, "--on", "5 days ago")
    run("schedule", "ana-ruiz", "2 days ago", "--phone", "--held")
    again = run.refused("schedule", "ana-ruiz", "2 days ago", "--phone", "--held")
    assert "Meeting 1 with Ana Ruiz (ana-ruiz) is already recorded" in again.stderr
    assert "infoint done 1" in again.stderr
    run("done", "1", "--advice", "Ask for a portfolio review.")
    after_done = run.refused("schedule", "ana-ruiz", "2 days ago", "--video", "--held")
    assert "infoint meeting edit 1" in after_done.stderr
    run("schedule", "ana-ruiz", "2 days ago", "--video", "--held", "--also")
    assert [m["id"] for m in run.json("meetings")] == [1, 2]


# edit cannot make one person of two without --force --------------------------------------


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (("--email", "JANE@acme.example"), "the same e-mail (jane@acme.example)"),
        (("--linkedin", "linkedin.com/in/jane-doe/"), "the same LinkedIn profile"),
        (("--company", "Acme Inc."), "the same name and company (Acme)"),
    ],
)
def test_edit_to_someone_already_here_is_refused_like_add_contact(
    run: Runner, change: tuple[str, str], why: str
) -> None:
    run("add-contact", "Jane Doe", "--company", "Acme", "--email", "jane@acme.example",
        "--linkedin", "https://www.linkedin.com/in/jane-doe")  # fmt: skip
    run("add-contact", "Jane Doe", "--company", "Beta")
    refused = run.refused("edit", "jane-doe-2", *change)
    assert f"Jane Doe is already here as jane-doe, with {why}." in refused.stderr
    assert "infoint show jane-doe" in refused.stderr and "--force" in refused.stderr
    run("edit", "jane-doe", "--email", "JANE@ACME.EXAMPLE")  # their own e-mail, in capitals
    forced = run("edit", "jane-doe-2", *change, "--force")
    assert "Changed anyway (--force)" in forced.stderr and "Updated Jane Doe" in forced.stderr


def test_edit_refuses_a_duplicate_on_the_quick_door_too(env: dict[str, str]) -> None:
    infoint("add-contact", "Ana Ruiz", "--email", "ana@x.example", env=env)
    infoint("add-contact", "Bo Chen", env=env)
    refused = infoint("edit", "bo-chen", "--email", "ana@x.example", env=env)
    assert refused.returncode == 1 and "already here as ana-ruiz" in refused.stderr
    assert (
        infoint("edit", "bo-chen", "--email", "ana@x.example", "--force", env=env).returncode == 0
    )


# a name in a wide script lines up in the morning look --------------------------------------


def _text_column(line: str) -> int:
    """The cell where the follow-up's text starts ("no reply since …")."""
    from infoint import layout

    return layout.cell_len(line[: line.index("no reply since")])


@pytest.mark.parametrize("width", ["80", "120"])
def test_followups_line_up_a_name_in_chinese(
    env: dict[str, str], run: Runner, width: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("李小龙", "Ana Ruiz"):
        handle = run("add-contact", name).stdout.strip()
        run("outreach", handle, *INTRO, "--on", "20 days ago")
    monkeypatch.setenv("COLUMNS", width)
    typer_door = run("followups").stdout
    quick_door = infoint("followups", env={**env, "COLUMNS": width}).stdout
    for shown in (typer_door, quick_door):
        lines = [line for line in shown.splitlines() if "no reply since" in line]
        assert len(lines) == 2 and {_text_column(line) for line in lines} == {40}, shown


def test_followups_cut_a_long_chinese_name_to_the_terminal(run: Runner) -> None:
    from infoint import layout

    run("add-contact", "李" * 30)
    handle = run.json("contacts")[0]["handle"]
    run("outreach", handle, *INTRO, "--on", "20 days ago")
    for width in ("50", "80"):
        os.environ["COLUMNS"] = width  # the conftest puts 200 back for the next test
        lines = run("followups").stdout.splitlines()
        assert lines and all(layout.cell_len(line) <= int(width) for line in lines), lines


def test_done_on_cannot_move_a_meeting_onto_one_already_recorded(run: Runner) -> None:
    run("add-contact", "Ana Ruiz")
    run("outreach", "ana-ruiz", *INTRO, "--on", "5 days ago")
    run("schedule", "ana-ruiz", "2 days ago", "--phone", "--held")
    run("done", "1", "--advice", "Ask for a portfolio review.")
    run("schedule", "ana-ruiz", "tomorrow 10:00", "--phone")
    moved = run.refused("done", "2", "--on", "2 days ago")
    assert "Meeting 1 with Ana Ruiz (ana-ruiz) is already recorded" in moved.stderr
    assert "infoint meeting edit 1" in moved.stderr and "infoint cancel 2" in moved.stderr
    run("cancel", "2")  # the hint, followed
    assert [m["status"] for m in run.json("meetings")] == ["done", "cancelled"]


# doctor looks at the settings file every other command reads first ---------------------


@pytest.mark.parametrize(
    ("config", "said"),
    [
        ("garbage = = =\n", "cannot be read"),
        ('max_nudges = "lots"\n', "has a bad value: max_nudges"),
    ],
)
def test_doctor_finds_a_settings_file_that_stops_every_command(
    run: Runner, home: Path, config: str, said: str
) -> None:
    run("add-contact", "Ana Ruiz")
    (home / "config.toml").write_text(config)
    assert said in run.refused("contacts").stderr
    found = run("doctor", code=1)
    assert said in found.stdout and "All good" not in found.stdout
    listed = run("doctor", "--json", code=1).stdout
    assert '"level": "error"' in listed and said in listed


# a meeting that is no longer planned: each refusal says what to do, and it works -------


def test_a_done_or_cancelled_meeting_refused_with_a_hint_that_works(run: Runner) -> None:
    run("add-contact", "Ana Ruiz")
    run("outreach", "ana-ruiz", *INTRO, "--on", "5 days ago")
    run("schedule", "ana-ruiz", "2 days ago", "--phone", "--held")
    run("done", "1")
    for args in (("cancel", "1"), ("reschedule", "1", "tomorrow 10:00"), ("done", "1")):
        hint = run.refused(*args).stderr.split("Hint: ")[1]
        assert "infoint meeting edit 1 --advice TEXT" in hint, args
    run("meeting", "edit", "1", "--advice", "Ask for a portfolio review.")  # followed
    run("schedule", "ana-ruiz", "tomorrow 10:00", "--video")
    run("cancel", "2")
    for args in (("cancel", "2"), ("reschedule", "2", "tomorrow 11:00"), ("done", "2")):
        hint = run.refused(*args).stderr.split("Hint: ")[1]
        assert 'infoint schedule ana-ruiz "WHEN" --phone' in hint, args
    run("schedule", "ana-ruiz", "tomorrow 11:00", "--phone")  # followed, WHEN given
    assert [m["status"] for m in run.json("meetings")] == ["done", "cancelled", "planned"]


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("agenda", "--days", "0"), "--days 7"),
        (("reschedule", "1", "tomorrow 11:00", "--minutes", "0"), "--minutes 30"),
        (("done", "1", "--paid", "1e9"), "--paid 12.50"),
    ],
)
def test_a_number_out_of_range_is_refused_with_an_example(
    run: Runner, args: tuple[str, ...], hint: str
) -> None:
    run("add-contact", "Ana Ruiz")
    run("outreach", "ana-ruiz", *INTRO, "--on", "5 days ago")
    run("schedule", "ana-ruiz", "tomorrow 10:00", "--phone")
    assert hint in run.refused(*args).stderr.split("Hint: ")[1]


# an import tells two people of one name apart by their e-mail ------------------------------


def test_an_import_keeps_two_jane_does_with_different_e_mails(run: Runner, tmp_path: Path) -> None:
    run("add-contact", "Jane Doe", "--email", "jane1@x.example")
    path = tmp_path / "people.csv"
    path.write_text(
        "Name,Email\n"
        "Jane Doe,jane2@y.example\n"  # another Jane Doe: not merged into the first
        "Jane Doe,JANE1@x.example\n"  # the first again, by her e-mail
        "Jane Doe,\n"  # a name alone, no company: the first one, said as it is
    )
    out = run("import", "csv", str(path))
    assert "merged (same name and company" not in out.stdout + out.stderr
    listed = {c["handle"]: c["email"] for c in run.json("contacts")}
    assert listed == {"jane-doe": "jane1@x.example", "jane-doe-2": "jane2@y.example"}
    again = run("import", "csv", str(path), "--dry-run")
    assert "same name as jane-doe" in again.stdout + again.stderr


# config on a narrow screen keeps what each setting does and its default -------------------


def test_config_at_50_columns_still_says_what_each_setting_does(run: Runner) -> None:
    from infoint import layout
    from infoint.setting_notes import note

    run("config", "max_nudges", "1")
    settings = run.json("config")
    os.environ["COLUMNS"] = "50"  # the conftest puts 200 back for the next test
    shown = run("config").stdout
    lines = shown.splitlines()
    assert all(layout.cell_len(line) <= 50 for line in lines), lines
    flat = " ".join(shown.split())
    for key in settings:
        assert key in lines, key
        assert " ".join(note(key).split()) in flat, key
    assert flat.count(" · default ") == len(settings)
    assert "max_nudges 1 · R2: follow-up messages allowed" in flat and "· default 0" in flat


def test_meetings_at_50_columns_keep_the_status(run: Runner) -> None:
    run("add-contact", "Ana Ruiz")
    run("outreach", "ana-ruiz", *INTRO, "--on", "5 days ago")
    run("schedule", "ana-ruiz", "tomorrow 10:00", "--phone")
    run("cancel", "1")
    run("schedule", "ana-ruiz", "tomorrow 11:00", "--at", "Blue Bottle", "--venue", "cafe")
    os.environ["COLUMNS"] = "50"  # the conftest puts 200 back for the next test
    lines = run("meetings").stdout.splitlines()
    assert lines[0].split()[-1] == "Status"
    assert [line.split()[-1] for line in lines[1:] if line[:1].isdigit()] == [
        "cancelled",
        "planned",
    ]


# the words of a refused date ---------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["--on", "--sent"])
def test_an_outreach_in_the_future_names_the_option_people_use(run: Runner, spelling: str) -> None:
    run("add-contact", "Ana Ruiz")
    refused = run.refused("outreach", "ana-ruiz", *INTRO, spelling, "tomorrow")
    assert "Error: --on cannot be in the future" in refused.stderr


def test_a_day_no_month_has_names_no_year(env: dict[str, str], run: Runner) -> None:
    run("add-contact", "Ana Ruiz")
    for door in ((), ("--debug",)):
        refused = infoint(*door, "outreach", "ana-ruiz", *INTRO, "--on", "32/12", env=env)
        assert refused.returncode == 1
        assert 'Error: "32/12" is not a date: December has no day 32.' in refused.stderr
    leap = run.refused("outreach", "ana-ruiz", *INTRO, "--on", "30/2")
    assert "February has no day 30." in leap.stderr
    given = run.refused("outreach", "ana-ruiz", *INTRO, "--on", "29/2/2027")
    assert "February 2027 has no day 29." in given.stderr
