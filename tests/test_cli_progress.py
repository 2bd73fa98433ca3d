"""Progress from the command line (cli/progress.py): followups and stats."""

from __future__ import annotations

import pytest

from conftest import INTRO, Clock, Runner, at, infoint


def test_a_move_on_from_last_year_names_the_year(run: Runner) -> None:
    run("add-contact", "Sam Lee")
    run("outreach", "sam-lee", *INTRO, "--sent", "12/31")  # the last 31 December
    (item,) = run.json("followups")
    assert item["message"].startswith("no reply since 31 Dec 2025: let it go")


def test_the_next_meeting_tells_two_jane_does_apart(run: Runner, clock: Clock) -> None:
    run("add-contact", "Jane Doe", "--company", "Acme")
    run("add-contact", "Jane Doe", "--company", "Globex")
    run("schedule", "jane-doe-2", at(days=1), "--phone")
    run("schedule", "jane-doe", at(days=2), "--phone")
    summary = run("followups").stdout.splitlines()[-1]
    assert "next meeting: Jane Doe (jane-doe-2), Fri 27 Nov 09:00" in summary
    from infoint.files import Paths
    from infoint.index import due_view

    quick = due_view(Paths.from_env(), clock())  # what `infoint followups` itself reads
    assert quick.next_meeting.name == "Jane Doe (jane-doe-2)"
    assert "(jane-doe-2)" in run("followups", "--as-of", at(hours=-1)).stdout  # from the records
    run("remove", "jane-doe", "--yes")
    assert "next meeting: Jane Doe, Fri 27 Nov" in run("followups").stdout


def test_the_agenda_tells_a_jane_doe_with_a_meeting_from_one_without(run: Runner) -> None:
    """The agenda reads only the contacts with a history (from the index); the one
    Jane Doe with nothing recorded is still someone the meeting's Jane Doe is told from."""
    run("add-contact", "Jane Doe", "--company", "Acme")
    run("add-contact", "jane doe", "--company", "Globex")
    run("schedule", "jane-doe-2", at(days=1), "--phone")
    assert "09:00–09:30  jane doe (jane-doe-2)  by phone" in run("agenda").stdout
    run("archive", "jane-doe")
    assert "(jane-doe-2)" not in run("agenda").stdout  # an archived namesake is not shown


def _text_column(line: str) -> int:
    """The cell where the follow-up's text starts ("no reply since …")."""
    from infoint import layout

    return layout.cell_len(line[: line.index("no reply since")])


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
        run.width = int(width)
        lines = run("followups").stdout.splitlines()
        assert lines and all(layout.cell_len(line) <= int(width) for line in lines), lines
