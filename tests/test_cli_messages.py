"""Messages from the command line (cli/messages.py): outreach, reply, heard, thank, touch."""

from __future__ import annotations

import pytest

from conftest import INTRO, Runner, at, infoint


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


def test_outreach_json_is_the_record(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    record = run.json("outreach", "jane-doe", *INTRO, "--subject", "Hello", "--channel", "phone")
    assert (record["kind"], record["subject"], record["channel"]) == ("outreach", "Hello", "phone")
    assert record["who_i_am"] == INTRO[1]


def test_no_to_a_far_date_says_nothing_was_changed(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    run.interactive = True
    run("add-contact", "Jane Doe")
    before = run.json("show", "jane-doe")
    out = run("outreach", "jane-doe", *INTRO, "--on", "2020-01-01", input="n\n", code=1)
    assert "Is " in out.stderr and "Nothing was changed." in out.stderr
    assert run.json("show", "jane-doe") == before


@pytest.mark.parametrize(
    "command", [("outreach", *INTRO, "--sent"), ("heard", "--on"), ("touch", "--force", "--on")]
)
def test_a_date_its_record_cannot_hold_is_refused_plainly(
    run: Runner, command: tuple[str, ...]
) -> None:
    """--yes lets a far date through the question; the record's model still refuses a
    year before 1900: said as a refusal, not as infoint failing."""
    run("add-contact", "Jane Doe")
    name, *options = command
    out = run.refused(name, "jane-doe", *options, "1850-01-01", "--yes")
    assert "unexpectedly" not in out.stderr and "ValidationError" not in out.stderr
    assert "not a plausible date (years 1900 to 2999)" in out.stderr
    assert "Nothing was changed." in out.stderr
    assert run.json("show", "jane-doe")["timeline"] == []


def test_the_move_on_of_an_old_message_counts_from_that_message(run: Runner) -> None:
    run("add-contact", "Sam Lee")  # added today, written to three weeks ago
    out = run("outreach", "sam-lee", *INTRO, "--sent", at(days=-21))
    assert "That was 14 days ago or more with no reply: time to move on" in out.stderr
    (item,) = run.json("followups")
    assert item["kind"] == "move_on" and item["opens"] == "2026-11-19T09:00:00Z"
    assert item["message"].startswith("no reply since 5 Nov: let it go")
    assert item["overdue"] is False and item["due"] == "2026-11-26T09:00:00Z"
    run("add-contact", "Bo Chen")
    out = run("outreach", "bo-chen", *INTRO, "--sent", at(days=-3))
    assert "If there is no reply by Mon 7 Dec 2026, infoint will tell you" in out.stderr


def test_a_touch_the_same_day_says_so(met: Runner) -> None:
    met("thank", "jo-ma")
    out = met.refused("touch", "jo-ma")
    assert "You were last in touch with Jo Ma that same day;" in out.stderr


def test_a_no_with_a_meeting_still_planned_names_the_meeting(run: Runner) -> None:
    run("add-contact", "Ana Ruiz")
    run("outreach", "ana-ruiz", *INTRO, "--sent", at(days=-3))
    run("schedule", "ana-ruiz", at(days=2), "--phone")
    out = run("reply", "ana-ruiz", "--declined")
    assert (
        "Warning: Ana Ruiz (ana-ruiz) said no, but meeting 1 (Sat 28 Nov 09:00) is still "
        "planned. If it is off: infoint cancel 1 --reason declined" in out.stderr
    )
    run("cancel", "1", "--reason", "declined")
    run("undo", "--yes")
    run("undo", "--yes", "--older")
    run("cancel", "1")
    assert "Warning" not in run("reply", "ana-ruiz", "--declined").stderr


def test_a_referral_by_name_finds_the_contact_or_asks_which(run: Runner) -> None:
    run("add-contact", "Jane Doe", "--company", "A")
    run("add-contact", "Sam Lee")
    run("outreach", "sam-lee", *INTRO, "--sent", at(days=-2))
    out = run("reply", "sam-lee", "--referred", "jane  DOE")
    assert "Sam Lee referred you to Jane Doe: infoint outreach jane-doe " in out.stderr
    assert (
        "cannot refer you to themselves"
        in run.refused("reply", "sam-lee", "--referred", "Sam Lee").stderr
    )
    run("add-contact", "Jane Doe", "--company", "B")
    out = run.refused("reply", "sam-lee", "--referred", "Jane Doe")
    assert (
        "2 contacts are named Jane Doe (jane-doe, jane-doe-2): which one did Sam Lee" in out.stderr
    )
    assert "--referred jane-doe-2" in out.stderr
    assert [c["handle"] for c in run.json("contacts")] == ["jane-doe", "sam-lee", "jane-doe-2"]


def test_a_touch_dated_back_is_spaced_from_what_came_before_it(run: Runner) -> None:
    run("add-contact", "Ana Ruiz")
    run("outreach", "ana-ruiz", *INTRO, "--sent", at(days=-60))
    out = run.refused("touch", "ana-ruiz", "--on", at(days=-40))
    assert "You were last in touch with Ana Ruiz 20 days before this;" in out.stderr
    out = run.refused("touch", "ana-ruiz", "--on", at(days=-70))
    assert "-10 days" not in out.stderr
    assert (
        "By Thu 17 Sep 2026 you had not yet written to, heard from or met Ana Ruiz (ana-ruiz)"
        in out.stderr
    )
    run("touch", "ana-ruiz", "--on", at(days=-25))


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
