"""Shell completion (complete.py) served with or without the index."""

from __future__ import annotations

from datetime import timedelta

from conftest import NOW
from infoint.records import ContactFields
from infoint.services import Tracker


def test_completion_of_meetings_without_an_index(tracker: Tracker) -> None:
    from infoint import complete, index

    tracker.add_contact("Jane Doe", ContactFields())
    tracker.schedule("jane-doe", NOW + timedelta(days=1), None, "phone")
    assert complete.meetings("") == [("1", "Jane Doe 2026-11-27T09:00")]
    index.clear(tracker.paths)
    assert complete.meetings("") == [("1", "Jane Doe 2026-11-27T09:00")]
