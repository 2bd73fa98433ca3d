"""Meetings from the command line (cli/meetings.py): schedule, meetings, reschedule, cancel, prep,
done, meeting edit."""

from __future__ import annotations

import pytest

from conftest import INTRO, Runner, at, meeting


def test_upcoming_and_past_together_are_refused(run: Runner) -> None:
    out = run.refused("meetings", "--upcoming", "--past")
    assert "exclude each other" in out.stderr


@pytest.mark.parametrize("amount", ["1e9", "nan", "inf", "-3", "12.555", "50000"])
def test_paid_takes_a_bill_not_anything_float_reads(run: Runner, amount: str) -> None:
    run("add-contact", "Jane Doe")
    run("outreach", "jane-doe", *INTRO, "--sent", at(days=-3))
    run("schedule", "jane-doe", at(days=-1), "--phone", "--held")
    out = run.refused("done", "1", "--paid", amount)
    assert "--paid" in out.stderr


def test_paid_as_people_write_it(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("outreach", "jane-doe", *INTRO, "--sent", at(days=-3))
    run("schedule", "jane-doe", at(days=-1), "--at", "Cafe Rio", "--held")
    run("done", "1", "--paid", "€7,50")
    assert run.json("show", "jane-doe")["meetings"][0]["status"] == "done"


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


def test_meetings_upcoming_and_past_tables(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("schedule", "jane-doe", "2026-12-03 10:00", "--video")
    assert "by video" in run("meetings", "--upcoming").stdout
    assert "No meetings." in run("meetings", "--past").stdout


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


def test_a_bill_is_refused_on_a_phone_or_video_call(met: Runner) -> None:
    met("schedule", "jo-ma", at(hours=-1), "--video", "--held", "--also")
    out = met.refused("done", "2", "--paid", "4")
    assert "Meeting 2 is a video call: there is no bill to pay on a call" in out.stderr
    assert 'infoint meeting edit 2 --at "PLACE" --venue cafe; then: infoint done 2' in out.stderr
    met("done", "2")
    out = met.refused("meeting", "edit", "2", "--paid", "4")
    assert "Meeting 2 is a video call" in out.stderr


def test_a_cafe_turned_call_cannot_keep_its_bill(met: Runner) -> None:
    out = met.refused("meeting", "edit", "1", "--phone")
    assert "Meeting 1 has a bill of 12.00 noted; a phone call has none." in out.stderr
    assert "Hint: Clear the bill with it: infoint meeting edit 1 --phone --paid 0" in out.stderr
    out = met("meeting", "edit", "1", "--phone", "--paid", "0")
    assert "Changed: mode to phone, place cleared, venue cleared, bill cleared." in out.stderr
    after = meeting(met)
    assert (after["mode"], after["place"], after["venue"], after["paid"]) == (
        "phone",
        None,
        None,
        None,
    )
    assert "bill" in met.refused("meeting", "edit", "1", "--paid", "3").stderr


def test_every_correction_is_echoed_and_a_no_op_is_refused(met: Runner) -> None:
    out = met(
        "meeting", "edit", "1", "--at", "Joe's", "--venue", "cafe", "--paid", "8,50",
        "--advice", "Learn SQL", "--no-keep-in-touch", "--notes", "Warm",
    )  # fmt: skip
    assert (
        "Changed: place to Joe's, notes to Warm, add advice Learn SQL, bill to 8.50." in out.stderr
    )
    out = met.refused("meeting", "edit", "1", "--venue", "cafe", "--advice", "Learn SQL")
    assert "Nothing changed: meeting 1 already says so." in out.stderr


def test_done_on_cannot_move_a_meeting_past_its_thank_you(run: Runner) -> None:
    run("add-contact", "Ana Ruiz")
    run("outreach", "ana-ruiz", *INTRO, "--sent", at(days=-6))
    run("schedule", "ana-ruiz", at(days=-3), "--phone", "--held")
    run("thank", "ana-ruiz", "--on", at(days=-2))
    out = run.refused("done", "1", "--on", at(days=-1))
    assert (
        "You thanked Ana Ruiz on Tue 24 Nov 2026, before Wed 25 Nov 2026: a meeting is "
        "thanked after it took place." in out.stderr
    )
    assert "(on or before Tue 24 Nov 2026)" in out.stderr
    run("done", "1", "--on", at(days=-2, hours=-1))
    assert [f["kind"] for f in run.json("followups")] == []


def test_a_time_the_clocks_skip_is_refused(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        run("add-contact", "Ana Ruiz")
        out = run.refused("schedule", "ana-ruiz", "2027-03-28 02:30", "--phone", "--yes")
        assert "02:30 on Sun 28 Mar 2027 does not exist here" in out.stderr
        assert "e.g. 03:30" in out.stderr
        out = run("schedule", "ana-ruiz", "2027-03-28 03:30", "--phone", "--yes")
        assert "Starts: Sun 28 Mar 2027, 03:30 (UTC+02:00)" in out.stderr
        out = run("schedule", "ana-ruiz", "2027-10-31 02:45", "--phone", "--yes", "--also")
        assert "02:45–02:15 (UTC+02:00, then UTC+01:00)" in out.stderr
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_a_reschedule_that_changes_nothing_is_refused(run: Runner) -> None:
    run("add-contact", "Ana Ruiz")
    run("schedule", "ana-ruiz", at(days=1), "--phone")
    out = run.refused("reschedule", "1", at(days=1))
    assert "Nothing changed: meeting 1 is already at that time and place." in out.stderr
    run("reschedule", "1", at(days=1), "--video")


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


def test_meetings_at_50_columns_keep_the_status(run: Runner) -> None:
    run("add-contact", "Ana Ruiz")
    run("outreach", "ana-ruiz", *INTRO, "--on", "5 days ago")
    run("schedule", "ana-ruiz", "tomorrow 10:00", "--phone")
    run("cancel", "1")
    run("schedule", "ana-ruiz", "tomorrow 11:00", "--at", "Blue Bottle", "--venue", "cafe")
    run.width = 50
    lines = run("meetings").stdout.splitlines()
    assert lines[0].split()[-1] == "Status"
    assert [line.split()[-1] for line in lines[1:] if line[:1].isdigit()] == [
        "cancelled",
        "planned",
    ]
