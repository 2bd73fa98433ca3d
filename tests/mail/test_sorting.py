"""What a message becomes, case by case, on the records alone (no mailbox needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from conftest import NOW
from infoint.mail.message import Mail, parse
from infoint.mail.sort import sort
from infoint.records import ContactFields
from infoint.services import Tracker

YOU = "alex@example.org"
DAY = timedelta(days=1)


def mail(sender: str, to: str, day: datetime, mid: str, role: str = "any") -> Mail:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = day.strftime("%a, %d %b %Y %H:%M:%S +0000")
    msg["Message-ID"] = f"<{mid}@t>"
    msg["Subject"] = "Hello"
    msg.set_content("I'm Alex; your talk; I hope to learn. 20 minutes by phone, whenever.")
    return parse(bytes(msg), role)  # type: ignore[arg-type]


def people(tracker: Tracker) -> None:
    for name, address in (("Jane Doe", "jane@example.org"), ("Bo Chen", "bo@example.com")):
        tracker.add_contact(name, ContactFields(email=address))


def kinds(tracker: Tracker, mails: list[Mail]) -> list[tuple[str, str]]:
    found = sort(tracker.read(), mails, [YOU])
    return [(p.contact.handle, p.kind) for p in found.proposals]


def test_one_message_to_two_contacts_is_an_outreach_to_each(tracker: Tracker) -> None:
    people(tracker)
    both = mail(YOU, "jane@example.org, Bo <bo@example.com>", NOW - timedelta(days=3), "1")
    assert kinds(tracker, [both]) == [("jane-doe", "outreach"), ("bo-chen", "outreach")]


def test_the_same_message_in_two_folders_counts_once(tracker: Tracker) -> None:
    people(tracker)
    day = NOW - timedelta(days=3)
    copies = [
        mail(YOU, "jane@example.org", day, "1", "sent"),
        mail(YOU, "jane@example.org", day, "1"),
    ]
    assert kinds(tracker, copies) == [("jane-doe", "outreach")]


def test_an_outreach_then_their_answer_in_one_scan_is_a_reply_to_sort(tracker: Tracker) -> None:
    people(tracker)
    sent = mail(YOU, "jane@example.org", NOW - timedelta(days=5), "1")
    answer = mail("jane@example.org", YOU, NOW - timedelta(days=4), "2")
    later = mail("jane@example.org", YOU, NOW - timedelta(days=2), "3")
    # given in any order: sorted oldest first; once she answered, more is just heard
    assert kinds(tracker, [later, answer, sent]) == [
        ("jane-doe", "outreach"), ("jane-doe", "reply"), ("jane-doe", "heard")
    ]  # fmt: skip


def test_a_meeting_answers_an_outreach_so_their_next_message_is_heard(tracker: Tracker) -> None:
    people(tracker)
    tracker.outreach("jane-doe", "a", "b", "c", sent=NOW - timedelta(days=9))
    tracker.schedule("jane-doe", NOW - timedelta(days=5), 20, "phone", held=True)
    after = mail("jane@example.org", YOU, NOW - timedelta(days=3), "1")
    assert kinds(tracker, [after]) == [("jane-doe", "heard")]
    thanks = mail(YOU, "jane@example.org", NOW - timedelta(days=4), "2")
    again = mail(YOU, "jane@example.org", NOW - timedelta(days=1), "3")
    assert kinds(tracker, [thanks, again]) == [("jane-doe", "thank"), ("jane-doe", "touch")]


def test_a_message_from_you_to_nobody_you_know_and_from_strangers_is_nothing(
    tracker: Tracker,
) -> None:
    people(tracker)
    found = sort(
        tracker.read(),
        [
            mail(YOU, "someone@else.example", NOW, "1"),
            mail("news@shop.example", YOU, NOW, "2"),
            mail("news@shop.example", "jane@example.org", NOW, "3"),  # cc'd, not by you
        ],
        [YOU],
    )
    assert (found.proposals, found.skipped, found.known) == ([], [], 0)


def test_a_message_recorded_by_a_scan_is_known_by_its_id_on_any_copy(tracker: Tracker) -> None:
    from infoint.mail import scan

    people(tracker)
    sent = mail(YOU, "jane@example.org", datetime(2026, 11, 20, 10, tzinfo=UTC), "1")
    first = sort(tracker.read(), [sent], [YOU])
    scan.record(tracker, first.proposals[0])
    again = sort(tracker.read(), [sent], [YOU])
    assert (again.proposals, again.known) == ([], 1)
    record = tracker.read().events[-1]
    assert (record.kind, (record.model_extra or {})["message_id"]) == ("outreach", "<1@t>")


def test_plus_addresses_are_the_same_mailbox(tracker: Tracker) -> None:
    """alex+jobs@… is you, Jane+Work@… is Jane: a +tag names a folder, not a person."""
    people(tracker)
    day = NOW - timedelta(days=5)
    found = kinds(
        tracker,
        [
            mail("Alex <alex+jobs@example.org>", "Jane <jane+work@example.org>", day, "1"),
            mail("Jane <Jane+Work@Example.org>", "alex+jobs@example.org", day + DAY, "2"),
            mail("+x@example.org", "Bo <bo@example.com>", day + DAY, "3"),
        ],
    )
    assert found == [("jane-doe", "outreach"), ("jane-doe", "reply")]
