"""Follow-ups as data: their JSON round trip, the view of what is due, plural words."""

from __future__ import annotations

from datetime import timedelta

from build import Doc, days, hours
from conftest import NOW
from infoint import agenda as agenda_module
from infoint import rules
from infoint.models import Settings

S = Settings()


def test_plural() -> None:
    assert agenda_module.plural(1, "person", "people") == "1 person"
    assert agenda_module.plural(0, "person", "people") == "0 people"
    assert agenda_module.plural(3, "thing") == "3 things"


def test_a_follow_up_survives_the_index_round_trip() -> None:
    doc = Doc()
    c = doc.contact(industry="Publishing")
    doc.outreach(c, days(-20))
    doc.reply(doc.contact("Bo Chen"), hours(-1))
    for item in rules.candidates(rules.histories(doc.doc).values(), S):
        again = agenda_module.followup_from_json(agenda_module.followup_to_json(item))
        assert again == item


def test_the_view_counts_what_opens_this_week_and_finds_the_next_meeting() -> None:
    doc = Doc()
    c = doc.contact()
    doc.outreach(c, days(-10))  # move_on opens in 4 days
    soon = agenda_module.NextMeeting("A", NOW + timedelta(days=2), 30, "phone")
    past = agenda_module.NextMeeting("B", NOW - timedelta(days=2), 30, "phone")
    due = agenda_module.view(
        rules.candidates(rules.histories(doc.doc).values(), S),
        NOW,
        agenda_module.Prospects(),
        1,
        [past, soon],
    )
    assert due.items == [] and due.this_week == 1 and due.next_meeting == soon
