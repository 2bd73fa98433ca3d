"""The change log in plain words (history.py), and undo and history through the services."""

from __future__ import annotations

import pytest

from conftest import Clock
from infoint import backups, history
from infoint.errors import BadInput
from infoint.files import Paths
from infoint.records import ContactFields
from infoint.services import Tracker


def test_describe_joins_and_dedupes() -> None:
    changes = [
        {"type": "contacts", "uuid": "a", "before": None, "after": {"name": "Ada"}},
        {"type": "contacts", "uuid": "b", "before": None, "after": {"name": "Ada"}},
        {"type": "events", "uuid": "e", "before": None,
         "after": {"kind": "outreach", "contact": "a", "at": "2026-11-26T09:00:00Z"}},
    ]  # fmt: skip
    assert (
        history.describe(changes, {}) == "add contact Ada; record message to Ada (Thu 26 Nov 09:00)"
    )


@pytest.mark.parametrize(
    ("before", "after", "words"),
    [
        ({"status": "planned"}, {"status": "cancelled"}, "cancel meeting 3 with Jo, ?"),
        ({"status": "done"}, {"status": "planned"}, "reopen meeting 3 with Jo, ?"),
        ({"notes": "a"}, {"notes": "b"}, "change meeting 3 with Jo, ?: notes to b"),
    ],
)
def test_meeting_words(before: dict[str, str], after: dict[str, str], words: str) -> None:
    base = {"id": 3, "contact": "c"}
    change = {
        "type": "meetings",
        "uuid": "u",
        "before": {**base, **before},
        "after": {**base, **after},
    }
    assert history.describe([change], {"c": "Jo"}) == words


def test_event_words_and_unknown_people() -> None:
    change = {
        "type": "events",
        "uuid": "u",
        "before": {"kind": "touch", "contact": "x", "at": "2026-11-26T09:00:00Z"},
        "after": {"kind": "touch", "contact": "x", "at": "2026-11-26T09:00:00Z", "note": "hi"},
    }
    assert history.describe([change], {}) == (
        "change the keep-in-touch message to someone (Thu 26 Nov 09:00): note to hi"
    )
    same_contact = {
        "type": "contacts",
        "uuid": "u",
        "before": {"name": "Jo", "updated_at": 1},
        "after": {"name": "Jo", "updated_at": 2},
    }
    assert history.describe([same_contact], {}) == ""


def test_undo_from_an_empty_history(tracker: Tracker) -> None:
    with pytest.raises(BadInput, match="nothing to undo"):
        tracker.undo_preview()
    assert tracker.history() == []


def test_the_history_survives_a_restore(tracker: Tracker, paths_home: Paths, clock: Clock) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    backups.keep_copy(paths_home, reason="test")
    clock.advance(hours=1)
    tracker.add_contact("Sam Lee", ContactFields())
    tracker.restore()
    commands = [e["command"] for e in tracker.history()]
    assert commands == ["add-contact", "add-contact", "doctor --restore"]
