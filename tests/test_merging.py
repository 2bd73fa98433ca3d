"""Merging another copy of the store (merging.py): ids people know, idempotence."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from conftest import NOW, Clock
from infoint.files import Paths
from infoint.records import ContactFields
from infoint.services import Tracker


def test_merging_keeps_short_ids_people_know(
    tracker: Tracker, tmp_path: Path, clock: Clock
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    other = Tracker(Paths.from_env({"INFOINT_HOME": str(tmp_path / "other")}), clock=clock)
    other.add_contact("Sam Lee", ContactFields())  # id 1 there, a different person
    other.schedule("sam-lee", NOW + timedelta(days=2), None, "phone")
    copy = tmp_path / "copy.json"
    copy.write_bytes(other.export("json"))
    counts = tracker.merge(copy)
    assert counts["added"] == 2
    doc = tracker.read()
    assert [(c.id, c.handle) for c in doc.contacts] == [(1, "jane-doe"), (2, "sam-lee")]
    (meeting,) = doc.meetings
    assert meeting.contact == doc.contacts[1].uuid and meeting.id == 1
    assert doc.next_id.contact == 3


def test_merging_the_same_copy_twice_changes_nothing(tracker: Tracker, tmp_path: Path) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    copy = tmp_path / "copy.json"
    copy.write_bytes(tracker.export("json"))
    assert tracker.merge(copy)["same"] == 1
    assert tracker.merge(copy) == {
        **{"added": 0, "newer": 0, "kept": 0, "same": 1, "removed": 0},
        **{"renamed": [], "overwritten": [], "removed_names": []},
    }
