"""The store (store.py) recovering from what the disk refused: a lost snapshot, an unwritable
index."""

from __future__ import annotations

from typing import Any

import pytest

from infoint.files import Paths
from infoint.records import ContactFields
from infoint.services import Tracker
from infoint.store import Store


def test_an_index_that_cannot_be_written_costs_only_time(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infoint import files
    from infoint.errors import StoreError

    original = files.atomic_write

    def refuse_index(path: Any, data: bytes, durable: bool = True) -> None:
        if path.name == "index.json":
            raise StoreError("disk full")
        original(path, data, durable)

    import infoint.store_read

    monkeypatch.setattr(infoint.store_read, "atomic_write", refuse_index)
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.add_contact("Sam Lee", ContactFields())
    assert [c.handle for c in tracker.read().contacts] == ["jane-doe", "sam-lee"]
    assert not tracker.paths.index_file.exists()
    assert tracker.due().contacts == 2


WHO, WHY, GOAL = "I am an analyst.", "Your talk.", "Learn which skills matter."


def test_a_journal_beside_no_snapshot_is_replayed(tracker: Tracker, paths_home: Paths) -> None:
    """A first write whose snapshot the disk refused: the change lives in the log."""
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.outreach("jane-doe", WHO, WHY, GOAL)
    archived = sorted(paths_home.history_dir.glob("journal-*.jsonl"))
    live = paths_home.journal_file.read_bytes()
    paths_home.store_file.unlink()
    paths_home.journal_file.write_bytes(archived[0].read_bytes() + live)
    doc = Store(paths_home).load()
    assert [c.handle for c in doc.contacts] == ["jane-doe"] and len(doc.events) == 1
