"""The etiquette rules, pinned one by one with a fixed clock (NOW = Thu 26 Nov 2026 09:00 UTC)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from build import Doc, days, hours
from conftest import NOW, Clock
from infoint import rules
from infoint.agenda import FollowUp, Prospects
from infoint.errors import RuleBroken
from infoint.models import Settings
from infoint.records import ContactFields
from infoint.services import Tracker

S = Settings()


def status_of(doc: Doc, as_of=NOW) -> str:
    hist = rules.histories(doc.doc, as_of)
    (only,) = hist.values()
    return rules.contact_status(only, S, as_of)


def message(doc: Doc, item: FollowUp, part: int = 0, as_of=NOW) -> str:
    """What the screen shows for a follow-up (0: the message, 1: the command)."""
    prospects = Prospects.of(rules.histories(doc.doc, as_of).values())
    return item.render(as_of, prospects)[part]


def kinds(doc: Doc, as_of=NOW, settings: Settings = S) -> list[tuple[str, str]]:
    return [(f.kind, f.who.handle) for f in rules.followups(doc.doc, settings, as_of)]


# status -----------------------------------------------------------------------

STATUS_CASES: list[tuple[str, Callable[[Doc], None], str]] = [
    ("a new contact is a prospect", lambda d: d.contact(), "prospect"),
    ("after an outreach: contacted", lambda d: d.outreach(d.contact(), days(-3)), "contacted"),
    (
        "13 days without a reply: still contacted",
        lambda d: d.outreach(d.contact(), days(-13)),
        "contacted",
    ),
    (
        "R2: 14 days without a reply: moved on",
        lambda d: d.outreach(d.contact(), days(-14)),
        "moved_on",
    ),
    (
        "a yes: agreed",
        lambda d: (c := d.contact(), d.outreach(c, days(-3)), d.reply(c, days(-2))),
        "agreed",
    ),
    (
        "a no: declined",
        lambda d: (c := d.contact(), d.outreach(c, days(-3)), d.reply(c, days(-2), "declined")),
        "declined",
    ),
    (
        "pointed elsewhere: referred",
        lambda d: (c := d.contact(), d.outreach(c, days(-3)), d.reply(c, days(-2), "referred")),
        "referred",
    ),
    (
        "a reply with no outreach (they wrote first)",
        lambda d: d.reply(d.contact(), days(-2)),
        "agreed",
    ),
    (
        "a planned meeting: scheduled",
        lambda d: d.meeting(d.contact(), days(2)),
        "scheduled",
    ),
    (
        "a cancelled meeting does not count",
        lambda d: (
            c := d.contact(),
            d.reply(c, days(-5)),
            d.meeting(c, days(2), status="cancelled"),
        ),
        "agreed",
    ),
    (
        "a meeting done: met",
        lambda d: d.meeting(d.contact(), days(-2), status="done"),
        "met",
    ),
    (
        "done with keep-in-touch: mentor",
        lambda d: d.meeting(d.contact(), days(-2), status="done", keep_in_touch=True),
        "mentor",
    ),
    ("archived wins over everything", lambda d: d.contact(archived=True), "archived"),
    (
        "a new outreach after a no starts a new thread",
        lambda d: (
            c := d.contact(),
            d.outreach(c, days(-30)),
            d.reply(c, days(-29), "declined"),
            d.outreach(c, days(-1)),
        ),
        "contacted",
    ),
    (
        "a message from them stops the move-on clock",
        lambda d: (c := d.contact(), d.outreach(c, days(-20)), d.heard(c, days(-15))),
        "contacted",
    ),
]


@pytest.mark.parametrize(
    ("case", "build", "expected"), STATUS_CASES, ids=[c[0] for c in STATUS_CASES]
)
def test_status_is_derived_from_records(
    case: str, build: Callable[[Doc], None], expected: str
) -> None:
    doc = Doc()
    build(doc)
    assert status_of(doc) == expected


def test_status_as_of_an_earlier_moment_ignores_later_records() -> None:
    doc = Doc()
    c = doc.contact()
    doc.outreach(c, days(-10))
    doc.reply(c, days(-2))
    assert status_of(doc, days(-5)) == "contacted"
    assert status_of(doc, days(-11)) == "prospect"
    assert status_of(doc) == "agreed"


def test_status_as_of_later_moves_on() -> None:
    doc = Doc()
    doc.outreach(doc.contact(), days(-1))
    assert status_of(doc) == "contacted"
    assert status_of(doc, days(13)) == "moved_on"


def test_meeting_done_later_is_planned_before() -> None:
    doc = Doc()
    doc.meeting(doc.contact(), days(-2), status="done", done_at=days(-1))
    assert status_of(doc, days(-1.5)) == "scheduled"
    assert status_of(doc) == "met"


# follow-ups, one kind at a time ----------------------------------------------------


def test_respond_opens_at_a_yes_and_is_due_within_a_day() -> None:
    doc = Doc()
    c = doc.contact()
    doc.outreach(c, days(-3))
    doc.reply(c, hours(-2))
    (item,) = rules.followups(doc.doc, S, NOW)
    assert item.kind == "respond"
    assert item.due == hours(22)
    assert not item.overdue(NOW)
    assert item.overdue(hours(23))


def test_respond_closes_when_a_meeting_is_scheduled() -> None:
    doc = Doc()
    c = doc.contact()
    doc.reply(c, hours(-2))
    doc.meeting(c, days(3), created=hours(-1))
    assert ("respond", c.handle) not in kinds(doc)


def test_respond_stays_when_the_meeting_was_cancelled() -> None:
    doc = Doc()
    c = doc.contact()
    doc.reply(c, hours(-2))
    doc.meeting(c, days(3), created=hours(-1), status="cancelled", cancelled_at=hours(-0.5))
    assert ("respond", c.handle) in kinds(doc)


def test_respond_suggests_their_preferred_mode() -> None:
    doc = Doc()
    c = doc.contact(prefers="video")
    doc.reply(c, hours(-2))
    (item,) = rules.followups(doc.doc, S, NOW)
    assert "--video" in message(doc, item, 1)


def test_no_respond_for_a_no() -> None:
    doc = Doc()
    c = doc.contact()
    doc.reply(c, hours(-2), "declined")
    assert kinds(doc) == []


def test_move_on_opens_after_the_wait_and_suggests_others_in_the_same_field() -> None:
    doc = Doc()
    sam = doc.contact("Sam Lee", industry="Publishing")
    doc.contact("Ana Ruiz", industry="publishing")
    doc.contact("Bo Chen", industry="Finance")
    doc.outreach(sam, days(-20))
    items = rules.followups(doc.doc, S, NOW)
    assert [(i.kind, i.who.handle) for i in items] == [("move_on", "sam-lee")]
    assert items[0].opens == days(-6)
    assert items[0].due == days(1)
    assert "1 person in Publishing" in message(doc, items[0])
    assert message(doc, items[0], 1) == "infoint not-now sam-lee  (or: infoint archive sam-lee)"


def test_move_on_counts_all_prospects_when_none_share_the_field() -> None:
    doc = Doc()
    sam = doc.contact("Sam Lee")
    doc.contact("Ana Ruiz")
    doc.contact("Bo Chen")
    doc.outreach(sam, days(-30))
    (item,) = rules.followups(doc.doc, S, NOW)
    assert "2 prospects not yet contacted" in message(doc, item)
    assert item.overdue(NOW)


def test_move_on_with_nobody_left_suggests_adding_someone() -> None:
    doc = Doc()
    doc.outreach(doc.contact(), days(-20))
    (item,) = rules.followups(doc.doc, S, NOW)
    assert "find someone new" in message(doc, item)
    assert "infoint not-now jane-doe" in message(doc, item, 1)


def test_move_on_closes_when_they_reply_or_you_write_again() -> None:
    doc = Doc()
    c = doc.contact()
    doc.outreach(c, days(-20))
    assert kinds(doc) == [("move_on", c.handle)]
    doc.outreach(c, days(-1))
    assert kinds(doc) == []
    doc.reply(c, hours(-1), "declined")
    assert kinds(doc, days(30)) == []


def test_nudge_only_when_settings_allow_one() -> None:
    doc = Doc()
    c = doc.contact()
    doc.outreach(c, days(-8))
    assert kinds(doc) == []
    allow = Settings(max_nudges=1)
    items = rules.followups(doc.doc, allow, NOW)
    assert [(i.kind, i.due) for i in items] == [("nudge", days(2))]
    doc.outreach(c, days(-1))  # the nudge
    assert rules.followups(doc.doc, allow, NOW) == []
    assert [i.kind for i in rules.followups(doc.doc, allow, days(8))] == []
    assert [i.kind for i in rules.followups(doc.doc, allow, days(13))] == ["move_on"]


def test_prep_opens_inside_the_window_while_prep_is_incomplete() -> None:
    doc = Doc()
    c = doc.contact()
    doc.meeting(c, hours(60))
    assert kinds(doc) == []
    assert kinds(doc, hours(13)) == [("prep", c.handle)]
    (item,) = rules.followups(doc.doc, S, hours(13))
    assert item.due == hours(60)
    assert "no research yet, 0 of 3 questions" in message(doc, item)


def test_prep_closes_when_research_and_questions_are_in() -> None:
    doc = Doc()
    c = doc.contact(research="Led the redesign.", questions=["a?", "b?"])
    doc.meeting(c, hours(10))
    (item,) = rules.followups(doc.doc, S, NOW)
    assert message(doc, item).endswith("2 of 3 questions")
    c.questions.append("c?")
    assert kinds(doc) == []
    assert kinds(doc, NOW, Settings(min_questions=4)) == [("prep", c.handle)]


def test_record_outcome_after_the_end_until_done_or_cancelled() -> None:
    doc = Doc()
    c = doc.contact(research="r", questions=["1", "2", "3"])
    m = doc.meeting(c, hours(1))
    assert kinds(doc, hours(1.4)) == []
    assert kinds(doc, hours(1.5)) == [("record_outcome", c.handle)]
    (item,) = rules.followups(doc.doc, S, hours(2))
    assert item.due == hours(25.5)
    m.status = "cancelled"
    assert kinds(doc, hours(2)) == []


def test_thank_you_after_done_closes_with_a_thank() -> None:
    doc = Doc()
    c = doc.contact()
    doc.meeting(c, days(-2), status="done", done_at=days(-1))
    (item,) = rules.followups(doc.doc, S, NOW)
    assert item.kind == "thank_you"
    assert item.due == days(-2) + timedelta(minutes=30, hours=24)
    assert item.overdue(NOW)
    doc.thank(c, hours(-1))
    assert kinds(doc) == []


def test_a_thank_you_sent_before_the_meeting_does_not_count() -> None:
    doc = Doc()
    c = doc.contact()
    doc.thank(c, days(-10))
    doc.meeting(c, days(-2), status="done")
    assert kinds(doc) == [("thank_you", c.handle)]


def test_keep_in_touch_only_for_mentors_after_the_last_contact() -> None:
    doc = Doc()
    mentor = doc.contact("Ana Ruiz")
    met = doc.contact("Bo Chen")
    doc.meeting(mentor, days(-70), status="done", keep_in_touch=True)
    doc.thank(mentor, days(-69))
    doc.meeting(met, days(-70), status="done")
    doc.thank(met, days(-69))
    items = rules.followups(doc.doc, S, NOW)
    assert [(i.kind, i.who.handle) for i in items] == [("keep_in_touch", "ana-ruiz")]
    assert items[0].opens == days(-9)
    assert items[0].due == days(-2)


def test_keep_in_touch_clock_resets_on_any_contact() -> None:
    doc = Doc()
    mentor = doc.contact()
    doc.meeting(mentor, days(-70), status="done", keep_in_touch=True)
    doc.thank(mentor, days(-69))
    doc.heard(mentor, days(-5))
    assert kinds(doc) == []
    assert kinds(doc, days(55)) == [("keep_in_touch", mentor.handle)]


def test_archived_contacts_have_no_followups() -> None:
    doc = Doc()
    c = doc.contact(archived=True)
    doc.outreach(c, days(-20))
    doc.reply(c, hours(-1))
    assert kinds(doc) == []


def test_followups_are_sorted_overdue_first_then_by_due() -> None:
    doc = Doc()
    a = doc.contact("Ana Ruiz")
    b = doc.contact("Bo Chen")
    c = doc.contact("Cy Dee")
    doc.reply(a, hours(-1))  # due in 23 h
    doc.outreach(b, days(-30))  # move_on overdue since day -9
    doc.meeting(c, days(-3), status="done")  # thank_you overdue since day -2
    items = rules.followups(doc.doc, S, NOW)
    assert [i.kind for i in items] == ["move_on", "thank_you", "respond"]


# refusals ------------------------------------------------------------------------


def history(doc: Doc) -> rules.History:
    (only,) = rules.histories(doc.doc, NOW).values()
    return only


def test_outreach_while_waiting_is_refused() -> None:
    doc = Doc()
    c = doc.contact()
    doc.outreach(c, days(-3))
    with pytest.raises(RuleBroken, match="waiting for a reply") as exc:
        rules.check_outreach(history(doc), S, NOW, False, NOW)
    assert "max_nudges 1" in (exc.value.hint or "")


def test_a_nudge_is_allowed_after_nudge_after_days_when_max_nudges_allows() -> None:
    doc = Doc()
    c = doc.contact()
    doc.outreach(c, days(-8))
    allow = Settings(max_nudges=1)
    assert rules.check_outreach(history(doc), allow, NOW, False, NOW) is None
    with pytest.raises(RuleBroken, match="waiting"):
        rules.check_outreach(history(doc), allow, days(-2), False, NOW)
    doc.outreach(c, days(-1))
    with pytest.raises(RuleBroken) as exc:
        rules.check_outreach(history(doc), allow, NOW, False, NOW)
    assert "used your 1 nudge" in (exc.value.hint or "")


def test_writing_to_a_moved_on_contact_needs_force() -> None:
    doc = Doc()
    c = doc.contact()
    doc.outreach(c, days(-20))
    with pytest.raises(RuleBroken, match="moved on"):
        rules.check_outreach(history(doc), S, NOW, False, NOW)
    warning = rules.check_outreach(history(doc), S, NOW, True, NOW)
    assert warning is not None and "--force" in warning


def test_writing_after_a_no_needs_force() -> None:
    doc = Doc()
    c = doc.contact()
    doc.reply(c, days(-2), "declined")
    with pytest.raises(RuleBroken, match="declined"):
        rules.check_outreach(history(doc), S, NOW, False, NOW)


def test_first_outreach_and_after_a_yes_are_fine() -> None:
    doc = Doc()
    c = doc.contact()
    assert rules.check_outreach(history(doc), S, NOW, False, NOW) is None
    doc.outreach(c, days(-2))
    doc.reply(c, days(-1))
    assert rules.check_outreach(history(doc), S, NOW, False, NOW) is None


def test_outreach_to_archived_is_refused() -> None:
    doc = Doc()
    doc.contact(archived=True)
    with pytest.raises(RuleBroken, match="archived"):
        rules.check_outreach(history(doc), S, NOW, True, NOW)


TOUCH_CASES = [
    ("thank-you yesterday", lambda d, c: d.thank(c, days(-1)), False),
    ("thank-you 30 days ago", lambda d, c: d.thank(c, days(-30)), True),
    ("touch 29 days ago", lambda d, c: d.touch(c, days(-29)), False),
    (
        "they wrote since your touch",
        lambda d, c: (d.touch(c, days(-5)), d.heard(c, days(-1))),
        True,
    ),
    ("no contact at all", lambda d, c: None, True),
]


@pytest.mark.parametrize(("case", "build", "allowed"), TOUCH_CASES, ids=[c[0] for c in TOUCH_CASES])
def test_touch_spacing(case: str, build: Callable[[Doc, object], object], allowed: bool) -> None:
    """R11: don't stalk someone you admire."""
    doc = Doc()
    c = doc.contact()
    build(doc, c)
    if allowed:
        assert rules.check_touch_spacing(history(doc), S, NOW, False) is None
    else:
        with pytest.raises(RuleBroken, match="30 days apart"):
            rules.check_touch_spacing(history(doc), S, NOW, False)
        assert "--force" in (rules.check_touch_spacing(history(doc), S, NOW, True) or "")


def test_outreach_to_a_mentor_follows_the_touch_spacing() -> None:
    doc = Doc()
    c = doc.contact()
    doc.meeting(c, days(-3), status="done", keep_in_touch=True)
    with pytest.raises(RuleBroken, match="apart"):
        rules.check_outreach(history(doc), S, NOW, False, NOW)


@pytest.mark.parametrize(
    ("minutes", "cap", "ok"),
    [
        (30, 30, True),
        (31, 30, False),
        (45, 30, False),
        (20, 20, True),
        (25, 20, False),
        (0, 30, False),
    ],
)
def test_thirty_minutes_max(minutes: int, cap: int, ok: bool) -> None:
    """R5: a meeting longer than max_meeting_minutes is invalid."""
    settings = Settings(max_meeting_minutes=cap)
    if ok:
        rules.check_minutes(minutes, settings)
    else:
        with pytest.raises(RuleBroken):
            rules.check_minutes(minutes, settings)


@pytest.mark.parametrize(
    ("start", "held", "ok"),
    [
        (hours(1), False, True),
        (hours(-1), False, False),
        (hours(-1), True, True),
        (hours(1), True, False),
    ],
)
def test_meetings_start_in_the_future_unless_held(start, held: bool, ok: bool) -> None:
    if ok:
        rules.check_start(start, NOW, held)
    else:
        with pytest.raises(RuleBroken):
            rules.check_start(start, NOW, held)


def test_overlap_but_back_to_back_is_fine() -> None:
    doc = Doc()
    c = doc.contact()
    m = doc.meeting(c, hours(10))
    assert rules.overlapping(doc.doc.meetings, hours(10.25), 30) is m
    assert rules.overlapping(doc.doc.meetings, hours(9.75), 30) is m
    assert rules.overlapping(doc.doc.meetings, hours(10.5), 30) is None
    assert rules.overlapping(doc.doc.meetings, hours(9.5), 30) is None
    assert rules.overlapping(doc.doc.meetings, hours(10), 30, ignore=m.uuid) is None
    m.status = "cancelled"
    assert rules.overlapping(doc.doc.meetings, hours(10), 30) is None


def test_schedulable_unless_declined_or_archived() -> None:
    doc = Doc()
    c = doc.contact()
    rules.check_schedulable(history(doc), S, NOW)
    doc.reply(c, days(-1), "declined")
    with pytest.raises(RuleBroken, match="declined"):
        rules.check_schedulable(history(doc), S, NOW)
    c.archived = True
    with pytest.raises(RuleBroken, match="archived"):
        rules.check_schedulable(history(doc), S, NOW)


def test_last_contact_is_the_latest_of_everything() -> None:
    doc = Doc()
    c = doc.contact()
    doc.outreach(c, days(-40))
    doc.meeting(c, days(-20), status="done")
    assert rules.last_contact(history(doc), NOW) == days(-20) + timedelta(minutes=30)
    doc.heard(c, days(-3))
    assert rules.last_contact(history(doc), NOW) == days(-3)


def test_one_contacts_history_equals_the_grouped_one() -> None:
    doc = Doc()
    a, b = doc.contact("Ana Ruiz"), doc.contact("Bo Chen")
    doc.outreach(a, days(-9))
    doc.reply(a, days(-3))
    doc.outreach(b, days(-2))
    doc.meeting(a, days(2))
    doc.meeting(b, days(-1), status="done", held=True, created=NOW)
    for as_of in (NOW, days(-5), days(5)):
        grouped = rules.histories(doc.doc, as_of)
        for contact in (a, b):
            one = rules.history_of(doc.doc, contact, as_of)
            assert (one.events, one.meetings) == (
                grouped[contact.uuid].events,
                grouped[contact.uuid].meetings,
            )


WHO, WHY, GOAL = "I am an analyst.", "Your talk.", "Learn which skills matter."


def kind_names(doc: Doc, as_of: datetime = NOW, settings: Settings = S) -> list[str]:
    return [f.kind for f in rules.followups(doc.doc, settings, as_of)]


def test_two_nudges_when_two_are_allowed() -> None:
    doc = Doc()
    c = doc.contact()
    allow = Settings(max_nudges=2, nudge_after_days=3, reply_wait_days=14)
    doc.outreach(c, days(-10))
    assert kind_names(doc, settings=allow) == ["nudge"]
    doc.outreach(c, days(-6))
    assert kind_names(doc, settings=allow) == ["nudge"]
    doc.outreach(c, days(-2))
    assert kind_names(doc, settings=allow) == []  # both used; wait for the move-on
    assert kind_names(doc, days(12), allow) == ["move_on"]


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
    assert kind_names(doc, NOW - timedelta(seconds=1)) == []
    assert kind_names(doc) == ["prep"]
    assert kind_names(doc, hours(48)) == []  # at the start, prep is over


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
    assert "respond" in kind_names(doc)


def test_keep_in_touch_closes_with_a_touch_and_reopens_later() -> None:
    doc = Doc()
    c = doc.contact()
    doc.meeting(c, days(-90), status="done", keep_in_touch=True)
    doc.thank(c, days(-89))
    assert kind_names(doc) == ["keep_in_touch"]
    doc.touch(c, days(-1))
    assert kind_names(doc) == []
    assert kind_names(doc, days(59)) == ["keep_in_touch"]


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


def move_on_items(doc: Doc, as_of=NOW):  # type: ignore[no-untyped-def]
    return [f.kind for f in rules.followups(doc.doc, S, as_of) if f.kind == "move_on"]


def test_let_go_closes_the_wait_it_let_go_of_and_no_later_one() -> None:
    doc = Doc()
    sam = doc.contact("Sam Lee")
    doc.outreach(sam, days(-30))
    assert move_on_items(doc) == ["move_on"]
    sam.let_go_at = days(-1)
    assert move_on_items(doc) == []
    assert move_on_items(doc, days(-2)) == ["move_on"]  # as of before it was let go
    doc.outreach(sam, days(0))  # writing again starts a new wait
    assert move_on_items(doc, days(20)) == ["move_on"]
