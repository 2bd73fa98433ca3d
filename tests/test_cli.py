"""The command line: every command's success path, refusals, exit codes, --json shapes."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Literal, Optional

import pytest

from conftest import INTRO, Clock, MockEnvironment, Runner, at
from infoint import cli

CONTACT_KEYS = {
    "id",
    "uuid",
    "handle",
    "name",
    "email",
    "company",
    "role",
    "industry",
    "tags",
    "status",
    "created_at",
}
MEETING_KEYS = {"id", "uuid", "contact", "start", "minutes", "mode", "place", "venue", "status"}


def add(run: Runner, name: str = "Jane Doe", *args: str) -> str:
    return run("add-contact", name, *args).stdout.strip()


# contacts ----------------------------------------------------------------------


def test_add_contact_prints_the_handle_and_confirms_on_stderr(run: Runner) -> None:
    out = run("add-contact", "Jane Doe", "--company", "Acme")
    assert out.stdout == "jane-doe\n"
    assert "Added Jane Doe" in out.stderr


def test_add_contact_json_has_the_contract_keys(run: Runner) -> None:
    rec = run.json(
        "add-contact",
        "María Núñez",
        "--email",
        "Maria@Example.com",
        "--company",
        "Librería Océano",
        "--role",
        "Editora",
        "--industry",
        "Publishing",
        "--tag",
        "spain",
        "--tag",
        "books",
        "--prefers",
        "video",
        "--phone",
        "+34 600",
        "--location",
        "Madrid",
        "--linkedin",
        "https://linkedin.com/in/mjn",
        "--source",
        "conference",
        "--why",
        "Runs a great shop",
        "--notes",
        "Met at a fair",
    )
    assert set(rec) >= CONTACT_KEYS
    assert rec["handle"] == "maria-nunez"
    assert rec["status"] == "prospect"
    assert rec["tags"] == ["spain", "books"]
    assert rec["email"] == "Maria@example.com"
    assert rec["prefers"] == "video"
    assert rec["created_at"].endswith(("Z", "+00:00"))


@pytest.mark.parametrize(
    ("name", "handle"),
    [
        ("Jane Doe", "jane-doe"),
        ("李小龍", "li-xiao-long"),
        ("2024", "contact-1"),
        ("O'Neil, Linus", "o-neil-linus"),
    ],
)
def test_handles(run: Runner, name: str, handle: str) -> None:
    assert add(run, name) == handle


def test_a_clash_gets_a_number(run: Runner) -> None:
    assert [add(run) for _ in range(3)] == ["jane-doe", "jane-doe-2", "jane-doe-3"]


def test_bad_email_is_refused(run: Runner) -> None:
    out = run.refused("add-contact", "Eve", "--email", "not-an-email")
    assert "not-an-email" in out.stderr and "Hint:" in out.stderr
    assert run.store_bytes() == b""


def test_blank_name_is_refused(run: Runner) -> None:
    run.refused("add-contact", "   ")


def test_referred_by_links_an_existing_contact(run: Runner) -> None:
    add(run, "Ana Ruiz")
    add(run, "Bo Chen", "--referred-by", "ana-ruiz")
    shown = run.json("show", "bo-chen")
    assert shown["referred_by_handle"] == "ana-ruiz"
    assert "Referred you to" in run("show", "ana-ruiz").stdout
    run.refused("add-contact", "Cy", "--referred-by", "nobody")


def test_contacts_filters(run: Runner) -> None:
    add(run, "Jane Doe", "--tag", "design", "--company", "Acme")
    add(run, "Sam Lee", "--industry", "Publishing")
    run("outreach", "sam-lee", *INTRO)
    assert [c["handle"] for c in run.json("contacts", "--tag", "DESIGN")] == ["jane-doe"]
    assert [c["handle"] for c in run.json("contacts", "--search", "publish")] == ["sam-lee"]
    assert [c["handle"] for c in run.json("contacts", "--status", "contacted")] == ["sam-lee"]
    assert run.json("contacts", "--status", "mentor") == []
    table = run("contacts").stdout
    assert "Jane Doe" in table and "contacted" in table and "2 contacts" in table
    assert "No contact matches" in run("contacts", "--tag", "nope").stdout


def test_contacts_on_an_empty_store_gives_first_steps(run: Runner, home: Path) -> None:
    out = run("contacts").stdout
    assert "no contacts yet" in out and "add-contact" in out
    assert run.json("contacts") == []
    assert not home.exists()


def test_unknown_status_is_a_usage_error(run: Runner) -> None:
    run("contacts", "--status", "happy", code=2)


def test_show_by_handle_or_id_with_timeline(run: Runner) -> None:
    add(run, "Jane Doe", "--why", "Built the design team", "--email", "jane@example.com")
    run("outreach", "jane-doe", *INTRO, "--subject", "Thirty minutes?")
    run("reply", "jane-doe", "--agreed", "--note", "Happy to help")
    shown = run("show", "1").stdout
    assert "Jane Doe" in shown and "Built the design team" in shown
    assert "You wrote (email): Thirty minutes?" in shown
    assert "They replied: agreed — Happy to help" in shown
    data = run.json("show", "jane-doe")
    assert set(data) >= CONTACT_KEYS
    assert [e["kind"] for e in data["timeline"]] == ["outreach", "reply"]
    assert data["status"] == "agreed"


def test_show_unknown_contact_suggests_a_close_one(run: Runner) -> None:
    add(run)
    out = run.refused("show", "jane-do")
    assert "jane-do" in out.stderr and "Did you mean jane-doe?" in out.stderr


def test_edit_changes_clears_and_tags(run: Runner) -> None:
    add(run, "Jane Doe", "--company", "Acme", "--tag", "design", "--tag", "nyc")
    run(
        "edit",
        "jane-doe",
        "--company",
        "",
        "--role",
        "Director",
        "--tag",
        "mentor",
        "--untag",
        "nyc",
        "--name",
        "Jane Q. Doe",
    )
    data = run.json("show", "jane-doe")
    assert data["company"] is None and data["role"] == "Director"
    assert data["tags"] == ["design", "mentor"]
    assert data["name"] == "Jane Q. Doe" and data["handle"] == "jane-doe"
    edited = run.json("edit", "jane-doe", "--email", "jq@example.com")
    assert edited["email"] == "jq@example.com"


def test_edit_refusals(run: Runner) -> None:
    add(run)
    run.refused("edit", "jane-doe", "--email", "bad@")
    run.refused("edit", "nobody", "--role", "x")
    run.refused("edit", "jane-doe", "--referred-by", "jane-doe")
    run.refused("edit", "jane-doe", "--name", " ")


def test_edit_referred_by_sets_and_clears(run: Runner) -> None:
    add(run, "Ana Ruiz")
    add(run, "Bo Chen")
    run("edit", "bo-chen", "--referred-by", "ana-ruiz")
    assert run.json("show", "bo-chen")["referred_by_handle"] == "ana-ruiz"
    run("edit", "bo-chen", "--referred-by", "")
    assert run.json("show", "bo-chen")["referred_by"] is None


def test_remove_needs_yes_without_a_terminal(run: Runner) -> None:
    add(run, "Ana Ruiz")
    add(run, "Bo Chen", "--referred-by", "ana-ruiz")
    run("outreach", "ana-ruiz", *INTRO)
    out = run.refused("remove", "ana-ruiz")
    assert "--yes" in out.stderr
    out = run("remove", "ana-ruiz", "--yes")
    assert "Removed Ana Ruiz and 0 meeting(s) and 1 message(s)" in out.stderr
    assert [c["handle"] for c in run.json("contacts")] == ["bo-chen"]
    assert run.json("show", "bo-chen")["referred_by"] is None
    doc = json.loads(run.store_bytes())
    assert doc["events"] == []


def test_remove_asks_on_a_terminal(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:

    add(run)
    run.interactive = True
    out = run("remove", "jane-doe", input="n\n")
    assert "Delete Jane Doe and 0 record(s)" in out.stderr + out.stdout
    assert "Nothing was removed" in out.stderr
    assert len(run.json("contacts")) == 1
    run("remove", "jane-doe", input="y\n")
    assert run.json("contacts") == []


def test_archive_hides_and_restore_brings_back(run: Runner) -> None:
    add(run)
    run("outreach", "jane-doe", *INTRO)
    run("reply", "jane-doe", "--agreed")
    assert run.json("followups")
    run("archive", "jane-doe")
    assert run.json("contacts") == []
    assert run.json("followups") == []
    assert [c["status"] for c in run.json("contacts", "--all")] == ["archived"]
    assert [c["handle"] for c in run.json("contacts", "--status", "archived")] == ["jane-doe"]
    run.refused("archive", "jane-doe")
    run.refused("outreach", "jane-doe", *INTRO, "--force")
    run.refused("schedule", "jane-doe", at(days=2), "--phone")
    run.refused("reply", "jane-doe", "--agreed")
    run.refused("thank", "jane-doe")
    run("archive", "jane-doe", "--restore")
    assert run.json("contacts")[0]["status"] == "agreed"


# outreach and replies --------------------------------------------------------------


def test_outreach_needs_three_parts(run: Runner) -> None:
    add(run)
    out = run.refused("outreach", "jane-doe", "--who-i-am", "me", "--why-you", "you")
    assert "--goal" in out.stderr
    out = run.refused("outreach", "jane-doe", "--who-i-am", " ", "--why-you", "you", "--goal", "g")
    assert "--who-i-am" in out.stderr
    out = run.refused("outreach", "jane-doe")
    assert all(opt in out.stderr for opt in ("--who-i-am", "--why-you", "--goal"))


def test_outreach_takes_who_i_am_from_config(run: Runner) -> None:
    add(run)
    run("config", "me.intro", "I am a data analyst.")
    rec = run.json(
        "outreach", "jane-doe", "--why-you", "your talk", "--goal", "learn", "--channel", "linkedin"
    )
    assert rec["who_i_am"] == "I am a data analyst." and rec["channel"] == "linkedin"
    assert rec["contact"] == "jane-doe"


def test_outreach_while_waiting_then_moved_on_then_forced(run: Runner, clock: Clock) -> None:
    add(run, "Sam Lee", "--industry", "Publishing")
    run("outreach", "sam-lee", *INTRO)
    out = run.refused("outreach", "sam-lee", *INTRO)
    assert "waiting for a reply" in out.stderr
    clock.advance(days=15)
    assert run.json("show", "sam-lee")["status"] == "moved_on"
    out = run.refused("outreach", "sam-lee", *INTRO)
    assert "--force" in out.stderr
    out = run("outreach", "sam-lee", *INTRO, "--force")
    assert "Warning:" in out.stderr
    assert run.json("show", "sam-lee")["timeline"][-1]["forced"] is True


def test_outreach_sent_cannot_be_in_the_future(run: Runner) -> None:
    add(run)
    out = run.refused("outreach", "jane-doe", *INTRO, "--sent", "tomorrow 10:00")
    assert "future" in out.stderr


def test_outreach_sent_echoes_the_date(run: Runner) -> None:
    add(run)
    out = run("outreach", "jane-doe", *INTRO, "--sent", "3 days ago")
    assert "Sent: Mon 23 Nov 2026, 09:00 (UTC+00:00)" in out.stderr


def test_reply_needs_exactly_one_answer(run: Runner) -> None:
    add(run)
    assert "exactly one" in run.refused("reply", "jane-doe").stderr
    assert (
        "--agreed, --declined" in run.refused("reply", "jane-doe", "--agreed", "--declined").stderr
    )


def test_reply_agreed_opens_respond(run: Runner) -> None:
    add(run)
    run("outreach", "jane-doe", *INTRO, "--sent", "2 days ago")
    out = run("reply", "jane-doe", "--agreed", "--on", "yesterday 18:00")
    assert "said yes" in out.stderr
    (item,) = run.json("followups")
    assert item == {
        "kind": "respond",
        "contact": "jane-doe",
        "due": "2026-11-26T18:00:00Z",
        "overdue": False,
        "message": item["message"],
        "command": 'infoint schedule jane-doe "WHEN" --phone',
        "opens": "2026-11-25T18:00:00Z",
        "meeting": None,
    }


def test_reply_on_in_the_future_is_refused(run: Runner) -> None:
    add(run)
    run.refused("reply", "jane-doe", "--agreed", "--on", "tomorrow 10:00")


def test_reply_referred_links_the_other_contact(run: Runner) -> None:
    add(run, "Ana Ruiz")
    add(run, "Bo Chen")
    out = run("reply", "ana-ruiz", "--referred", "bo-chen")
    assert "referred you to Bo Chen" in out.stderr
    assert run.json("show", "ana-ruiz")["status"] == "referred"
    assert run.json("show", "bo-chen")["referred_by_handle"] == "ana-ruiz"
    assert "They replied: referred to Bo Chen" in run("show", "ana-ruiz").stdout
    out = run("reply", "ana-ruiz", "--referred", "Cy Dee")  # someone new: added as a prospect
    assert "referred you to Cy Dee: infoint outreach cy-dee" in out.stderr
    cy = run.json("show", "cy-dee")
    assert cy["status"] == "prospect" and cy["referred_by_handle"] == "ana-ruiz"
    assert cy["source"] == "referral"
    run.refused("reply", "ana-ruiz", "--referred", "ana-ruiz")
    run.refused("reply", "ana-ruiz", "--referred", "  ")


def test_reply_declined_then_schedule_is_refused(run: Runner) -> None:
    add(run)
    assert "declined" in run("reply", "jane-doe", "--declined").stderr
    out = run.refused("schedule", "jane-doe", at(days=3), "--phone")
    assert "declined" in out.stderr


def test_heard_thank_touch(run: Runner, clock: Clock) -> None:
    add(run)
    run("heard", "jane-doe", "--note", "Loved your portfolio")
    out = run("thank", "jane-doe")
    assert "No meeting with Jane Doe (jane-doe) is on record" in out.stderr
    run.refused("touch", "jane-doe")
    run("touch", "jane-doe", "--force", "--note", "Shared an article")
    clock.advance(days=31)
    run("touch", "jane-doe", "--on", "today 08:00")
    kinds = [e["kind"] for e in run.json("show", "jane-doe")["timeline"]]
    assert kinds == ["heard", "thank", "touch", "touch"]


# meetings ------------------------------------------------------------------------


def test_schedule_in_person_with_venue(run: Runner) -> None:
    add(run)
    m = run.json(
        "schedule", "jane-doe", "2026-12-03 10:00", "--at", "Blue Bottle", "--venue", "cafe"
    )
    assert set(m) >= MEETING_KEYS
    assert (m["minutes"], m["mode"], m["place"], m["venue"], m["status"]) == (
        30,
        "in_person",
        "Blue Bottle",
        "cafe",
        "planned",
    )
    assert m["start"] == "2026-12-03T10:00:00Z" and m["contact"] == "jane-doe"
    out = run("schedule", "jane-doe", "2026-12-04 10:00", "--phone", "--also")
    assert (
        "Scheduled meeting 2 with Jane Doe: Fri 4 Dec 2026, 10:00–10:30 (UTC+00:00), by phone."
        in out.stderr
    )
    assert run.json("show", "jane-doe")["status"] == "scheduled"


def test_schedule_says_you_pay(run: Runner) -> None:
    add(run)
    out = run(
        "schedule", "jane-doe", "2026-12-03 10:00", "--at", "Chez Nous", "--venue", "restaurant"
    )
    assert "You pay the bill" in out.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--minutes", "45", "--phone"), "at most 30 minutes (asked for 45)"),
        (("--phone", "--video"), "exactly one of --phone, --video or --at"),
        ((), "exactly one of --phone"),
        (("--phone", "--venue", "cafe"), "--venue goes with an in-person meeting"),
        (("--at", " "), "needs a place"),
        (("--minutes", "0", "--phone"), "at least one minute"),
    ],
)
def test_schedule_refusals(run: Runner, args: tuple[str, ...], message: str) -> None:
    add(run)
    out = run.refused("schedule", "jane-doe", "2026-12-03 10:00", *args)
    assert message in out.stderr


def test_schedule_refuses_past_overlap_and_unknown(run: Runner) -> None:
    add(run)
    add(run, "Sam Lee")
    run("schedule", "jane-doe", "2026-12-03 10:00", "--phone")
    out = run.refused("schedule", "sam-lee", "2026-12-03 10:15", "--video")
    assert "overlaps meeting 1 with Jane Doe" in out.stderr
    run("schedule", "sam-lee", "2026-12-03 10:30", "--video")  # back to back is fine
    assert "in the past" in run.refused("schedule", "sam-lee", "2026-11-20 10:00", "--video").stderr
    run.refused("schedule", "nobody", "2026-12-05 10:00", "--video")
    assert "not a date" in run.refused("schedule", "sam-lee", "whenever you like", "--phone").stderr


def test_schedule_respects_a_lowered_cap(run: Runner) -> None:
    add(run)
    run("config", "max_meeting_minutes", "20")
    assert run.json("schedule", "jane-doe", "2026-12-03 10:00", "--phone")["minutes"] == 20
    run.refused("schedule", "jane-doe", "2026-12-04 10:00", "--phone", "--minutes", "25")


def test_schedule_warns_against_their_preference(run: Runner) -> None:
    add(run, "Jane Doe", "--prefers", "phone")
    out = run("schedule", "jane-doe", "2026-12-03 10:00", "--video")
    assert "prefers phone" in out.stderr and out.exit_code == 0


def test_held_meeting_then_done_thank_and_mentor(run: Runner, clock: Clock) -> None:
    add(run, "Ana Ruiz")
    run("outreach", "ana-ruiz", *INTRO, "--sent", "10 days ago")
    run("reply", "ana-ruiz", "--agreed", "--on", "9 days ago")
    m = run.json("schedule", "ana-ruiz", "2 days ago", "--phone", "--held")
    run.refused("schedule", "ana-ruiz", "2026-12-03 10:00", "--phone", "--held")
    out = run(
        "done",
        str(m["id"]),
        "--keep-in-touch",
        "--advice",
        "Build a portfolio",
        "--notes",
        "Great talk",
    )
    assert "now a mentor" in out.stderr
    (thank,) = [f for f in run.json("followups") if f["kind"] == "thank_you"]
    assert thank["overdue"] is True
    run("thank", "ana-ruiz")
    assert run.json("followups") == []
    assert run.json("show", "ana-ruiz")["status"] == "mentor"
    items = run.json("followups", "--as-of", "2027-01-30")
    assert [(f["kind"], f["contact"]) for f in items] == [("keep_in_touch", "ana-ruiz")]
    assert "too soon" not in run.refused("touch", "ana-ruiz").stderr
    shown = run("show", "ana-ruiz").stdout
    assert "advice: Build a portfolio" in shown and "notes: Great talk" in shown


def test_done_refusals(run: Runner) -> None:
    add(run)
    m = run.json("schedule", "jane-doe", "2026-12-03 10:00", "--phone")
    out = run.refused("done", str(m["id"]))
    assert "has not started yet" in out.stderr
    run.refused("done", "99")
    run.refused("done", "abc")
    run("cancel", str(m["id"]), "--reason", "She is ill")
    assert "already cancelled" in run.refused("done", str(m["id"])).stderr
    assert "already cancelled" in run.refused("cancel", str(m["id"])).stderr


def test_meetings_lists_upcoming_and_past(run: Runner) -> None:
    add(run)
    assert "No meetings" in run("meetings").stdout
    run("schedule", "jane-doe", "2 days ago", "--phone", "--held")
    run("schedule", "jane-doe", "2026-12-03 10:00", "--at", "Blue Bottle", "--venue", "cafe")
    everything = run.json("meetings")
    assert [m["id"] for m in everything] == [1, 2]
    assert all(set(m) >= MEETING_KEYS for m in everything)
    assert [m["id"] for m in run.json("meetings", "--upcoming")] == [2]
    assert [m["id"] for m in run.json("meetings", "--past")] == [1]
    table = run("meetings").stdout
    assert "Blue Bottle" in table and "you pay" in table and "by phone" in table


def test_reschedule_moves_and_keeps_the_rules(run: Runner) -> None:
    add(run)
    add(run, "Sam Lee")
    m1 = run.json("schedule", "jane-doe", "2026-12-03 10:00", "--phone")
    run.json("schedule", "sam-lee", "2026-12-03 11:00", "--phone")
    out = run("reschedule", str(m1["id"]), "2026-12-03 10:15")  # overlaps only its old slot
    assert "Moved meeting 1" in out.stderr
    run.refused("reschedule", str(m1["id"]), "2026-12-03 10:45")
    run.refused("reschedule", str(m1["id"]), "2026-12-04 10:00", "--minutes", "60")
    run.refused("reschedule", str(m1["id"]), "yesterday 10:00")
    run("reschedule", str(m1["id"]), "2026-12-05 09:00", "--minutes", "20")
    (moved,) = [m for m in run.json("meetings") if m["id"] == 1]
    assert (moved["start"], moved["minutes"]) == ("2026-12-05T09:00:00Z", 20)
    run("cancel", "1")
    run.refused("reschedule", "1", "2026-12-06 09:00")


def test_prep_adds_research_and_questions_and_prints_the_brief(run: Runner) -> None:
    add(run, "Jane Doe", "--company", "Acme", "--role", "Director", "--why", "Built the team")
    run("outreach", "jane-doe", *INTRO)
    run("schedule", "jane-doe", "2026-11-27 10:00", "--at", "Blue Bottle", "--venue", "cafe")
    assert [f["kind"] for f in run.json("followups")] == ["prep"]
    out = run(
        "prep",
        "jane-doe",
        "--research",
        "Led the 2024 redesign",
        "--question",
        "Q1?",
        "--question",
        "Q2?",
    )
    assert "2 of 3 questions" in out.stderr
    run("prep", "jane-doe", "--question", "Q3?", "--question", "Q1?")
    assert run.json("followups") == []
    brief = run("prep", "jane-doe").stdout
    for expected in (
        "Jane Doe — Director, Acme",
        "Blue Bottle",
        "you pay",
        "Led the 2024 redesign",
        "3. Q3?",
        "Dress professionally",
        "keep to 30 minutes",
        INTRO[5],
    ):
        assert expected in brief, expected
    run.refused("prep", "jane-doe", "--research", " ")
    run.refused("prep", "jane-doe", "--question", " ")


def test_prep_brief_without_a_meeting(run: Runner) -> None:
    add(run)
    brief = run("prep", "jane-doe").stdout
    assert "No meeting planned yet" in brief and "3 more to write" in brief


# follow-ups and settings --------------------------------------------------------------


def test_followups_empty_store_is_friendly(run: Runner, home: Path) -> None:
    out = run("followups").stdout
    assert "Nothing is due" in out and "add-contact" in out
    assert run.json("followups") == []
    assert not home.exists()


def test_followups_screen_groups_by_urgency(run: Runner) -> None:
    add(run, "Sam Lee", "--industry", "Publishing")
    add(run, "Ana Ruiz", "--industry", "Publishing")
    add(run, "Bo Chen")
    add(run, "Cy Dee", "--industry", "publishing")
    run("outreach", "sam-lee", *INTRO, "--sent", "25 days ago")
    run("reply", "bo-chen", "--agreed", "--on", "today 08:00")
    run("schedule", "ana-ruiz", "2026-11-27 10:00", "--phone")
    out = run("followups").stdout
    assert out.index("Overdue") < out.index("move-on") < out.index("Today") < out.index("respond")
    assert "3 things due · 1 overdue · 1 more this week" in out  # the record_outcome of tomorrow
    assert "1 person in Publishing not yet contacted" in out
    assert "→ infoint schedule bo-chen" in out
    assert "next meeting: Ana Ruiz" in out
    data = run.json("followups")
    assert [f["overdue"] for f in data] == [True, False, False]


def test_followups_nothing_due_but_contacts(run: Runner) -> None:
    add(run)
    assert "Nothing is due. You owe nobody" in run("followups").stdout


def test_followups_as_of(run: Runner) -> None:
    add(run)
    run("schedule", "jane-doe", "2026-11-27 10:00", "--phone")
    out = run("followups", "--as-of", "2026-11-28")
    assert "As of: Sat 28 Nov 2026, 23:59" in out.stderr
    kinds = [f["kind"] for f in run.json("followups", "--as-of", "2026-11-28")]
    assert kinds == ["record_outcome"]
    run.refused("followups", "--as-of", "whenever")


def test_config_list_get_set(run: Runner, home: Path) -> None:
    listed = run("config").stdout
    assert "reply_wait_days" in listed and "me.signature" in listed
    assert run.json("config")["max_meeting_minutes"] == 30
    assert run("config", "reply_wait_days").stdout.strip() == "14"
    assert run.json("config", "reply_wait_days", "10") == {"reply_wait_days": 10}
    assert run.json("config", "reply_wait_days") == {"reply_wait_days": 10}
    run("config", "me.name", "Alex Doe")
    text = (home / "config.toml").read_text()
    assert "reply_wait_days = 10" in text and 'name = "Alex Doe"' in text
    assert run.json("config")["me.name"] == "Alex Doe"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("max_meeting_minutes", "45", "never raised above 30"),
        ("reply_wait_days", "soon", "whole number"),
        ("reply_wait_days", "0", "takes 1 to 365 (got 0)"),
        ("reply_wait_dayz", "3", "Did you mean reply_wait_days?"),
        ("colour", "red", "no setting called"),
    ],
)
def test_config_refusals(run: Runner, key: str, value: str, message: str) -> None:
    run("config", "min_questions", "2")
    assert message in run.refused("config", key, value).stderr


def test_a_damaged_config_is_reported(run: Runner, home: Path) -> None:
    add(run)
    (home / "config.toml").write_text("reply_wait_days = 'x'\n")
    out = run.refused("add-contact", "Jane Doe")
    assert "config.toml" in out.stderr
    assert "config.toml" in run.refused("contacts").stderr
    (home / "config.toml").write_text("reply_wait_days = = \n")
    run.refused("config")


def test_config_fixes_the_bad_value_its_hint_names(run: Runner, home: Path) -> None:
    """A hand edit out of range is refused with "Fix it with infoint config KEY VALUE":
    doing so fixes it; setting another key says which value is bad, and changes nothing."""
    add(run)
    (home / "config.toml").write_text('reply_wait_days = 0\n[me]\nname = "Alex Kim"\n')
    hint = run.refused("contacts").stderr
    assert "reply_wait_days" in hint and "infoint config KEY VALUE" in hint
    other = run.refused("config", "max_nudges", "1").stderr
    assert "unexpectedly" not in other and "has a bad value: reply_wait_days" in other
    run("config", "reply_wait_days", "9")
    assert run("config", "reply_wait_days").stdout.strip() == "9"
    assert run("config", "me.name").stdout.strip() == "Alex Kim"
    assert "Jane Doe" in run("contacts").stdout


def test_a_damaged_store_is_refused_by_every_command(run: Runner, home: Path) -> None:
    home.mkdir()
    (home / "store.json").write_text('{"schema_version": 1, "contacts": [')
    for args in (("followups",), ("contacts",), ("add-contact", "X"), ("show", "x")):
        out = run.refused(*args)
        assert "store.json" in out.stderr and "left untouched" in out.stderr


# the error boundary and the screen ----------------------------------------------------


def test_usage_errors_exit_2(run: Runner) -> None:
    run("schedule", "jane-doe", code=2)
    run("add-contact", "X", "--bogus", code=2)
    run("schedule", "x", "2026-12-03 10:00", "--minutes", "lots", "--phone", code=2)
    run("add-contact", "X", "--prefers", "telepathy", code=2)


def test_unexpected_errors_are_one_line_or_a_traceback_with_debug(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infoint import listing

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(listing, "select", boom)
    out = run("contacts", code=1)
    assert out.stderr.startswith("Error: infoint failed unexpectedly (RuntimeError: disk on fire)")
    monkeypatch.setenv("INFOINT_DEBUG", "1")
    with pytest.raises(RuntimeError):
        run("contacts", code=None)


def test_version_and_help(run: Runner) -> None:
    assert run("--version").stdout.startswith("infoint ")
    assert "followups" in run("--help").stdout
    assert "[" not in run("--help").stdout or "OPTIONS" in run("--help").stdout


def test_markup_and_escape_codes_in_names_are_shown_literally(run: Runner) -> None:
    add(
        run,
        "[bold red]Mallory[/]",
        "--company",
        "\x1b[31mEvil Corp\x1b]8;;http://x\x07link\x1b]8;;\x07",
        "--notes",
        "tab\there\u202e",
    )
    listed = run("contacts").stdout
    shown = run("show", "bold-red-mallory").stdout
    assert "[bold red]Mallory[/]" in listed
    for screen in (listed, shown):
        assert "\x1b" not in screen and "\u202e" not in screen
    assert "Evil Corplink" in shown
    assert json.loads(run("show", "bold-red-mallory", "--json").stdout)["company"].startswith(
        "\x1b[31m"
    )


def test_json_is_never_wrapped(run: Runner) -> None:
    long = "x" * 500
    add(run, "Jane Doe", "--notes", long)
    data = run.json("contacts")
    assert data[0]["notes"] == long


def test_python_dash_m(home: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "infoint", "--version"],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    assert proc.returncode == 0 and proc.stdout.startswith("infoint ")


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


def test_main_builds_only_the_command_it_runs(
    monkeypatch: pytest.MonkeyPatch, mock_env: MockEnvironment
) -> None:
    seen: list[list[str]] = []
    given: list[object] = []

    def fake_call(self: object, args: list[str], prog_name: str, obj: object) -> None:
        seen.append([c.name or c.callback.__name__ for c in self.registered_commands])  # type: ignore[attr-defined]
        given.append(obj)

    monkeypatch.setattr(cli.typer.Typer, "__call__", fake_call)
    cli.main(["--debug", "followups"], mock_env)
    monkeypatch.setattr(sys, "argv", ["infoint", "import", "linkedin", "x.csv"])
    cli.main()
    assert seen[0] == ["followups"]
    assert len(seen[1]) > 10  # a group (import/export) needs the whole app
    assert given == [mock_env, None]  # the light front door's environment, handed on


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


def test_import_groups_explain_themselves(run: Runner) -> None:
    assert "linkedin" in run("import", "--help").stdout
    assert "ics" in run("export", "--help").stdout
    out = run("import", code=None)
    assert out.exit_code in (0, 2) and "linkedin" in out.stdout + out.stderr


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
