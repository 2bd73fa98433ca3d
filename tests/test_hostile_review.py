"""What a hostile review of issue 13 still found wrong, each pinned where a user sees it:
on the screen, in the exit code, or on disk."""

from __future__ import annotations

import pytest

from conftest import INTRO, Clock, Runner, at

# 1. a drafted nudge keeps R2 ------------------------------------------------------------


@pytest.fixture
def waiting(run: Runner) -> Runner:
    """Jo was written to 8 days ago; one nudge is allowed."""
    run("config", "me.intro", "I am a data analyst moving into product design.")
    run("config", "me.name", "Alex Kim")
    run("config", "max_nudges", "1")
    run("add-contact", "Jo Ma", "--email", "jo@example.com", "--why", "Her talk on maps")
    run("outreach", "jo-ma", *INTRO, "--sent", at(days=-8))
    return run


def outreaches(run: Runner) -> list[dict[str, object]]:
    shown = run.json("show", "jo-ma")
    return [e for e in shown["timeline"] if e["kind"] == "outreach"]


def test_a_nudge_past_max_nudges_is_refused_without_force(waiting: Runner, clock: Clock) -> None:
    out = waiting("draft", "jo-ma", "--kind", "nudge", "--no-edit", "--record")
    assert "Recorded the nudge to Jo Ma" in out.stderr and "Warning" not in out.stderr
    assert [e["forced"] for e in outreaches(waiting)] == [False, False]
    clock.advance(days=1)
    refused = waiting.refused("draft", "jo-ma", "--kind", "nudge", "--no-edit", "--record")
    assert "waiting for a reply" in refused.stderr
    assert "You have used your 1 nudge" in refused.stderr
    assert len(outreaches(waiting)) == 2
    forced = waiting("draft", "jo-ma", "--kind", "nudge", "--no-edit", "--record", "--force")
    assert "Recorded anyway (--force)" in forced.stderr
    assert [e["forced"] for e in outreaches(waiting)] == [False, False, True]


def test_a_nudge_too_early_is_refused_and_nothing_is_handed_off(
    waiting: Runner, clock: Clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    clock.advance(days=-2)  # 6 days after the message: a nudge is allowed from day 7
    eml = tmp_path / "nudge.eml"
    out = waiting.refused(
        "draft", "jo-ma", "--kind", "nudge", "--no-edit", "--record", "--eml", str(eml)
    )
    assert "A nudge is allowed from" in out.stderr
    assert not eml.exists()


# 2. no bill on a call; every correction echoed ------------------------------------------


@pytest.fixture
def met(run: Runner) -> Runner:
    """Jo was met at a cafe two hours ago; the bill came to 12.00."""
    run("add-contact", "Jo Ma")
    run("outreach", "jo-ma", *INTRO, "--sent", at(days=-3))
    run("reply", "jo-ma", "--agreed", "--on", at(days=-2))
    run("schedule", "jo-ma", at(hours=-2), "--at", "Blue Bottle", "--venue", "cafe", "--held")
    run("done", "1", "--paid", "12")
    return run


def meeting(run: Runner) -> dict[str, object]:
    (found,) = run.json("meetings")
    return found  # type: ignore[no-any-return]


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


# 5 and 6. undo and history in user words --------------------------------------------------


def test_undo_names_the_place_and_mode_it_puts_back(met: Runner) -> None:
    met("meeting", "edit", "1", "--phone", "--paid", "0")
    out = met("undo", "--yes")
    assert (
        "Undo will: change meeting 1 with Jo Ma, Thu 26 Nov 07:00: mode back to in person, "
        "place back to Blue Bottle, venue back to cafe, bill back to 12.00." in out.stderr
    )
    assert meeting(met)["place"] == "Blue Bottle"


def test_undo_of_a_move_names_the_new_place_too(met: Runner) -> None:
    met("schedule", "jo-ma", at(days=2), "--phone", "--also")
    met("reschedule", "2", at(days=3), "--at", "Blue Bottle")
    out = met("undo", "--yes")
    assert (
        "move meeting 2 with Jo Ma to Sat 28 Nov 09:00: mode back to phone, place back to empty"
        in out.stderr
    )


def test_history_speaks_in_user_words(run: Runner) -> None:
    run("add-contact", "Sam Lee")
    run("outreach", "sam-lee", *INTRO, "--sent", at(days=-20))
    run("not-now", "sam-lee")
    run("edit", "sam-lee", "--company", "Acme", "--tag", "design", "--prefers", "in_person")
    shown = run("history", "--no-pager").stdout
    assert "let_go_at" not in shown and "_" not in shown.replace("not-now", "")
    entries = {e["command"]: e["what"] for e in run.json("history")}
    assert entries["not-now"] == "change Sam Lee: let go (not-now)"
    assert entries["edit"] == (
        "change Sam Lee: company to Acme, add tag design, preferred mode to in person"
    )
    run("undo", "--yes")
    assert "change Sam Lee: no longer let go." in run("undo", "--yes", "--older").stderr


# 4. a move_on resolved by archive stays resolved -------------------------------------------


def test_a_restored_contact_does_not_bring_back_the_move_on(run: Runner, clock: Clock) -> None:
    run("add-contact", "Sam Lee")
    run("outreach", "sam-lee", *INTRO, "--sent", at(days=-20))
    assert [f["kind"] for f in run.json("followups")] == ["move_on"]
    run("archive", "sam-lee")
    clock.advance(days=2)
    run("archive", "sam-lee", "--restore")
    assert run.json("followups") == []
    assert run.json("show", "sam-lee")["status"] == "moved_on"
    assert run.json("stats")["moved_on"] == 1
    clock.advance(days=30)
    assert run.json("followups") == []
    # writing again starts a new wait, which can move on again
    run("outreach", "sam-lee", *INTRO, "--force")
    clock.advance(days=15)
    assert [f["kind"] for f in run.json("followups")] == ["move_on"]


def test_undoing_the_archive_brings_the_wait_back(run: Runner) -> None:
    run("add-contact", "Sam Lee")
    run("outreach", "sam-lee", *INTRO, "--sent", at(days=-20))
    out = run("archive", "sam-lee")
    assert "Archived Sam Lee" in out.stderr
    assert "archived, let go (not-now)" in run.json("history")[0]["what"]
    run("undo", "--yes")
    assert [f["kind"] for f in run.json("followups")] == ["move_on"]


# 3. the move-on follows the message, not the day the contact was added -------------------


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


# 7. a 50-column screen still shows who and where they stand --------------------------------

LONG_PEOPLE = [
    ("Maximilian Oppenheimer-Schwarzenberg von Hohenzollern", "Deutsche Bahn Fernverkehr AG"),
    ("Bartholomew Featherstonehaugh-Cholmondeley", "Nationwide Building Society"),
    ("Priya Patel", "Acme"),
]


def wide_screen(run: Runner, width: int, *args: str) -> list[str]:
    import os

    os.environ["COLUMNS"] = str(width)  # the conftest puts 200 back for the next test
    return [line.rstrip() for line in run(*args).stdout.splitlines()]


@pytest.mark.parametrize("width", [50, 80, 120])
def test_contacts_with_long_handles_keep_name_and_status(run: Runner, width: int) -> None:
    from infoint.layout import cell_len

    for name, company in LONG_PEOPLE:
        run("add-contact", name, "--company", company, "--role", "Head of Passenger Experience")
    run("outreach", "priya-patel", *INTRO)
    lines = wide_screen(run, width, "contacts")
    assert all(cell_len(line) <= width for line in lines)
    for handle in ("maximilian-oppenheimer-schwarzenberg-von", "bartholomew-featherstonehaugh"):
        assert any(handle in line for line in lines)  # whole, on one line
    text = " ".join(" ".join(lines).split())
    assert "Priya Patel" in text and "contacted" in text and text.count("prospect") == 2
    assert "Maximilian" in text and "Hohenzollern" in text


def test_a_stacked_contact_reads_as_a_block(run: Runner) -> None:
    run("add-contact", LONG_PEOPLE[0][0], "--company", "DB", "--tag", "rail")
    assert wide_screen(run, 50, "contacts") == [
        "maximilian-oppenheimer-schwarzenberg-von",
        "    Maximilian Oppenheimer-Schwarzenberg von",
        "    Hohenzollern · prospect · ID 1 · company DB ·",
        "    tags rail",
        "1 contact",
    ]


def test_stacking_is_the_last_resort() -> None:
    from infoint import layout

    columns = [
        layout.Column("Handle", 0, wrap=False),
        layout.Column("Name", 1),
        layout.Column("Tags", 4),
    ]
    cells = [["a-very-long-handle-indeed", "Ann Lee", "—"]]
    assert not layout.lost_essential(columns, layout.fit(columns, cells, 40))
    assert layout.lost_essential(columns, layout.fit(columns, cells, 30))
    assert layout.stack(columns, cells, 30) == ["a-very-long-handle-indeed", "    Ann Lee"]


def test_a_move_on_from_last_year_names_the_year(run: Runner) -> None:
    run("add-contact", "Sam Lee")
    run("outreach", "sam-lee", *INTRO, "--sent", "12/31")  # the last 31 December
    (item,) = run.json("followups")
    assert item["message"].startswith("no reply since 31 Dec 2025: let it go")


# found trying it for a month -----------------------------------------------------------------


def test_messages_are_named_by_their_own_command_in_history(met: Runner) -> None:
    met("thank", "jo-ma")
    met("heard", "jo-ma", "--note", "Thanks!")
    met("touch", "jo-ma", "--force")
    commands = [e["command"] for e in met.json("history")[:3]]
    assert commands == ["touch", "heard", "thank"]


def test_a_touch_the_same_day_says_so(met: Runner) -> None:
    met("thank", "jo-ma")
    out = met.refused("touch", "jo-ma")
    assert "You were last in touch with Jo Ma that same day;" in out.stderr


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


@pytest.mark.parametrize(
    ("width", "args", "command"),
    [
        (60, ("contacts",), 'infoint add-contact "Jane Doe" --company Acme --why "…"'),
        (60, ("followups",), 'infoint add-contact "Jane Doe" --company Acme --why "…"'),
        (60, ("meetings",), 'infoint schedule HANDLE "next tue 10:00" --phone'),
        (50, ("drafts",), "infoint draft HANDLE"),
    ],
)
def test_a_suggested_command_is_never_broken_across_lines(
    run: Runner, width: int, args: tuple[str, ...], command: str
) -> None:
    assert "  " + command in wide_screen(run, width, *args)
    assert command in wide_screen(run, 120, *args)[-1]


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


def test_declined_with_meeting_is_a_pure_rule() -> None:
    from build import Doc, days
    from conftest import NOW
    from infoint import rules, timeline

    doc = Doc()
    ana = doc.contact("Ana Ruiz")
    doc.meeting(ana, days(1))
    history = rules.history_of(doc.doc, ana, NOW)
    assert timeline.declined_with_meeting(history, "agreed", NOW) is None
    assert "still planned" in (timeline.declined_with_meeting(history, "declined", NOW) or "")
    assert timeline.declined_with_meeting(history, "declined", days(3)) is None


def test_the_timeline_keeps_its_texts_in_one_column_and_a_subject_once(
    waiting: Runner, clock: Clock
) -> None:
    waiting("draft", "jo-ma", "--kind", "nudge", "--no-edit", "--record")
    lines = [row for row in waiting("show", "jo-ma").stdout.splitlines() if "You wrote" in row]
    assert lines == [
        "  Wed 18 Nov 2026 09:00  You wrote (email): Learn which skills matter most for a first "
        "design role.",
        "  Thu 26 Nov 2026 09:00  You wrote (email): Re: Thirty minutes of your time? — Dear Jo, …",
    ]
    clock.advance(days=10)
    waiting("add-contact", "Al Bo")
    waiting("outreach", "al-bo", *INTRO, "--sent", at(days=-2))
    waiting("reply", "al-bo", "--agreed")
    stamps = [row[:25] for row in waiting("show", "al-bo").stdout.splitlines()[-2:]]
    assert stamps == ["  Tue 24 Nov 2026 09:00  ", "  Sun 6 Dec 2026 09:00   "]


def test_edit_echoes_what_it_changed_and_refuses_a_no_op(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("add-contact", "Jo Wu")
    out = run("edit", "jane-doe", "--referred-by", "jo-wu", "--company", "Acme", "--tag", "a")
    assert (
        "Updated Jane Doe (jane-doe): company to Acme, referrer to Jo Wu, add tag a." in out.stderr
    )
    out = run.refused("edit", "jane-doe", "--company", "Acme")
    assert "Nothing changed: Jane Doe already has that." in out.stderr
    out = run.refused("edit", "jane-doe", "--name", " ")
    assert 'Hint: For example: infoint edit jane-doe --name "Jane Doe"' in out.stderr
    run("edit", "jane-doe", "--company", "", "--untag", "a", "--handle", "jane")
    out = run("undo", "--yes")
    assert "change Jane Doe: handle back to jane-doe, company back to Acme, add tag a" in out.stderr


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


def test_a_name_typed_for_a_handle_lists_every_namesake(run: Runner) -> None:
    for company in ("A", "B", "C"):
        run("add-contact", "Jane Doe", "--company", company)
    out = run.refused("show", "Jane Doe")
    assert "Hint: Did you mean jane-doe, jane-doe-2 or jane-doe-3?" in out.stderr
    assert "Hint: Did you mean jane-doe?" in run.refused("show", "jane-do").stderr


def test_a_thank_you_on_the_minute_of_the_meeting_follows_it(met: Runner) -> None:
    met("thank", "jo-ma", "--on", at(hours=-2))  # the meeting's own start, two hours ago
    lines = met("show", "jo-ma").stdout.splitlines()
    meeting = next(n for n, row in enumerate(lines) if "Meeting 1" in row)
    thanks = next(n for n, row in enumerate(lines) if "You thanked them" in row)
    assert meeting < thanks


def test_a_recorded_draft_is_named_in_words(met: Runner) -> None:
    met("config", "me.name", "Alex Kim")
    out = met("draft", "jo-ma", "--kind", "thank-you", "--no-edit", "--record", "--force")
    assert "Recorded the thank-you to Jo Ma, with its text." in out.stderr


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


def test_a_long_morning_look_goes_through_the_pager(
    run: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import io
    import sys

    from infoint import entry

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for n in range(4):
        run("add-contact", f"Person {n}")
        run("outreach", f"person-{n}", *INTRO, "--sent", at(days=-20))
    run("followups")  # brings the index up to date
    monkeypatch.setenv("PAGER", f"cat > {tmp_path / 'paged.txt'}")
    monkeypatch.delenv("INFOINT_PAGER", raising=False)
    monkeypatch.setenv("LINES", "5")
    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    from infoint import pager, term
    from infoint.files import Paths
    from infoint.index import due_view

    with pager.paged():
        term.followups_screen(due_view(Paths.from_env(), run.clock()))
    assert "person-3" in (tmp_path / "paged.txt").read_text() and screen.getvalue() == ""
    with pager.paged(refused=True):
        term.followups_screen(due_view(Paths.from_env(), run.clock()))
    assert "person-3" in screen.getvalue()
    seen: list[tuple[bool, bool]] = []
    monkeypatch.setattr(entry, "followups", lambda json, refused: seen.append((json, refused)))
    entry.quick(["followups", "--no-pager"])
    entry.quick(["followups", "--json"])
    assert seen == [(False, True), (True, False)]


def test_a_reschedule_that_changes_nothing_is_refused(run: Runner) -> None:
    run("add-contact", "Ana Ruiz")
    run("schedule", "ana-ruiz", at(days=1), "--phone")
    out = run.refused("reschedule", "1", at(days=1))
    assert "Nothing changed: meeting 1 is already at that time and place." in out.stderr
    run("reschedule", "1", at(days=1), "--video")


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("far_date_days", "0", "far_date_days takes 1 to 36500 (got 0)."),
        ("max_nudges", "9", "max_nudges takes 0 to 5 (got 9)."),
    ],
)
def test_a_setting_out_of_range_says_its_range(
    run: Runner, key: str, value: str, words: str
) -> None:
    out = run.refused("config", key, value)
    assert f"Error: {words}" in out.stderr and "(the default)" in out.stderr


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
