"""More of the rules at their edges, more phrases for WHEN, and settings in the file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from build import Doc, days, hours
from conftest import NOW, Clock
from infoint import rules
from infoint.agenda import Prospects
from infoint.dates import Purpose, parse_when
from infoint.errors import BadInput, RuleBroken
from infoint.models import Settings
from infoint.records import ContactFields
from infoint.services import Tracker

S = Settings()
WHO, WHY, GOAL = "I am an analyst.", "Your talk.", "Learn which skills matter."


def d(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "purpose", "expected"),
    [
        ("this mon 10:00", Purpose.FUTURE, d(2026, 11, 30, 10, 0)),
        ("last thu", Purpose.PAST, d(2026, 11, 19, 12, 0)),
        ("sun 18:30", Purpose.FUTURE, d(2026, 11, 29, 18, 30)),
        ("midnight tomorrow", Purpose.FUTURE, d(2026, 11, 27, 0, 0)),
        ("tomorrow 0:30", Purpose.FUTURE, d(2026, 11, 27, 0, 30)),
        ("tomorrow 9h30", Purpose.FUTURE, d(2026, 11, 27, 9, 30)),
        ("12/25/2026 10:00", Purpose.FUTURE, d(2026, 12, 25, 10, 0)),
        ("wednesday at 14", Purpose.FUTURE, d(2026, 12, 2, 14, 0)),
        ("today", Purpose.AS_OF, d(2026, 11, 26, 23, 59, 59)),
        ("in 1 week", Purpose.AS_OF, d(2026, 12, 3, 9, 0)),
        ("2 weeks ago", Purpose.PAST, d(2026, 11, 12, 9, 0)),
        ("monday noon", Purpose.PAST, d(2026, 11, 23, 12, 0)),
        ("next thursday 8:15pm", Purpose.FUTURE, d(2026, 12, 3, 20, 15)),
        ("  Next   THU   8:15PM ", Purpose.FUTURE, d(2026, 12, 3, 20, 15)),
    ],
)
def test_more_phrases(text: str, purpose: Purpose, expected: datetime) -> None:
    assert parse_when(text, NOW, purpose) == expected


@pytest.mark.parametrize("text", ["5/6/2027", "01.02.2027 10:00", "b", "Z", "+7"])
def test_more_refusals(text: str) -> None:
    with pytest.raises(BadInput):
        parse_when(text, NOW, Purpose.FUTURE)


# rules ---------------------------------------------------------------------------------------


def kinds(doc: Doc, as_of: datetime = NOW, settings: Settings = S) -> list[str]:
    return [f.kind for f in rules.followups(doc.doc, settings, as_of)]


def test_two_nudges_when_two_are_allowed() -> None:
    doc = Doc()
    c = doc.contact()
    allow = Settings(max_nudges=2, nudge_after_days=3, reply_wait_days=14)
    doc.outreach(c, days(-10))
    assert kinds(doc, settings=allow) == ["nudge"]
    doc.outreach(c, days(-6))
    assert kinds(doc, settings=allow) == ["nudge"]
    doc.outreach(c, days(-2))
    assert kinds(doc, settings=allow) == []  # both used; wait for the move-on
    assert kinds(doc, days(12), allow) == ["move_on"]


def test_a_move_on_suggests_others_at_the_same_company() -> None:
    doc = Doc()
    sam = doc.contact("Sam Lee", company="Northwind")
    doc.contact("Ana Ruiz", company="northwind")
    doc.outreach(sam, days(-20))
    (item,) = rules.followups(doc.doc, S, NOW)
    hist = rules.histories(doc.doc, NOW).values()
    message, command = item.render(NOW, Prospects.of(hist))
    assert "1 person in Northwind not yet contacted" in message
    assert Prospects.of(hist).others(None, "Northwind")[1] == (
        "infoint contacts --status prospect --search Northwind"
    )
    assert command == "infoint not-now sam-lee  (or: infoint archive sam-lee)"


def test_prep_opens_exactly_at_the_window() -> None:
    doc = Doc()
    c = doc.contact()
    doc.meeting(c, hours(48))
    assert kinds(doc, NOW - timedelta(seconds=1)) == []
    assert kinds(doc) == ["prep"]
    assert kinds(doc, hours(48)) == []  # at the start, prep is over


def test_a_held_meeting_wants_its_outcome_at_once() -> None:
    doc = Doc()
    c = doc.contact()
    doc.meeting(c, hours(-3), held=True, created=NOW)
    (item,) = rules.followups(doc.doc, S, NOW)
    assert item.kind == "record_outcome" and item.due == hours(-2.5) + timedelta(hours=24)


def test_an_earlier_meeting_does_not_answer_a_later_yes() -> None:
    doc = Doc()
    c = doc.contact()
    doc.meeting(c, days(-40), status="done", created=days(-45))
    doc.reply(c, days(-1))
    assert "respond" in kinds(doc)


def test_keep_in_touch_closes_with_a_touch_and_reopens_later() -> None:
    doc = Doc()
    c = doc.contact()
    doc.meeting(c, days(-90), status="done", keep_in_touch=True)
    doc.thank(c, days(-89))
    assert kinds(doc) == ["keep_in_touch"]
    doc.touch(c, days(-1))
    assert kinds(doc) == []
    assert kinds(doc, days(59)) == ["keep_in_touch"]


def test_a_mentor_may_be_written_to_after_the_spacing(tracker: Tracker, clock: Clock) -> None:
    tracker.add_contact("Ana Ruiz", ContactFields())
    tracker.schedule("ana-ruiz", NOW - timedelta(days=1), None, "phone", held=True)
    tracker.done("1", keep_in_touch=True)
    with pytest.raises(RuleBroken, match="apart"):
        tracker.outreach("ana-ruiz", WHO, WHY, GOAL)
    clock.advance(days=31)
    record, _ = tracker.outreach("ana-ruiz", WHO, WHY, GOAL).record
    assert record.forced is False


def test_the_status_list_is_complete() -> None:
    assert rules.STATUSES[0] == "prospect" and rules.STATUSES[-1] == "archived"
    assert len(rules.STATUSES) == 10


# settings in the file -----------------------------------------------------------------------------


def test_settings_are_read_from_the_file(tracker: Tracker, home: Path) -> None:
    home.mkdir()
    (home / "config.toml").write_text(
        'reply_wait_days = 7\nmax_meeting_minutes = 20\n\n[me]\nname = "Alex Kim"\nintro = "Hi!"\n'
    )
    assert tracker.settings.reply_wait_days == 7
    assert tracker.config_get("me.name") == "Alex Kim"
    items = {k: v for k, v, _ in tracker.config_items()}
    assert items["max_meeting_minutes"] == 20 and items["me.intro"] == "Hi!"
    tracker.add_contact("Jane Doe", ContactFields())
    with pytest.raises(RuleBroken, match="at most 20 minutes"):
        tracker.schedule("jane-doe", NOW + timedelta(days=1), 25, "phone")


def test_a_cap_above_thirty_in_the_file_is_refused(tracker: Tracker, home: Path) -> None:
    home.mkdir()
    (home / "config.toml").write_text("max_meeting_minutes = 45\n")
    with pytest.raises(BadInput, match="max_meeting_minutes"):
        _ = tracker.settings


def test_clearing_a_text_setting_removes_it_from_the_file(tracker: Tracker, home: Path) -> None:
    tracker.config_set("me.name", "Alex")
    assert "Alex" in (home / "config.toml").read_text()
    tracker.config_set("me.name", "")
    assert (home / "config.toml").read_text().strip() == ""


def test_edit_untag_of_an_unknown_tag_is_harmless(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields(tags=["a"]))
    contact = tracker.edit("jane-doe", ContactFields(), untag=["zzz", "A"]).record
    assert contact.tags == []


def test_removing_a_referrer_unlinks_the_reply(tracker: Tracker) -> None:
    tracker.add_contact("Ana Ruiz", ContactFields())
    tracker.add_contact("Bo Chen", ContactFields())
    tracker.reply("ana-ruiz", "referred", referred="bo-chen")
    tracker.remove("bo-chen")
    (reply,) = tracker.read().events
    assert reply.referred_to is None


def test_a_meeting_with_a_referred_contact(tracker: Tracker) -> None:
    tracker.add_contact("Ana Ruiz", ContactFields())
    tracker.add_contact("Bo Chen", ContactFields())
    tracker.reply("ana-ruiz", "referred", referred="bo-chen")
    tracker.schedule("bo-chen", NOW + timedelta(days=2), None, "phone")
    history, status, _ = tracker.show("bo-chen")
    assert status == "scheduled" and history.contact.referred_by is not None


def test_a_contact_in_the_future_is_not_known_before(tracker: Tracker, clock: Clock) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.reply("jane-doe", "agreed")
    earlier = tracker.due(NOW - timedelta(days=1))
    assert earlier.items == []
