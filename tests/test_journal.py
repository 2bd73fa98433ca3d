"""The change log, the snapshot it folds into, and the index built beside them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infoint import journal
from infoint.errors import StoreError
from infoint.files import Paths
from infoint.records import ContactFields
from infoint.services import Tracker
from infoint.store import Store

WHO, WHY, GOAL = "I am an analyst.", "Your talk.", "Learn which skills matter."


@pytest.fixture
def paths(home: Path) -> Paths:
    return Paths.from_env()


def lines(path: Path) -> list[dict[str, Any]]:
    return journal.read(path)


# the log itself ------------------------------------------------------------------------


def test_a_line_round_trips_and_carries_its_checksum(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    entry = journal.entry(3, "2026-11-26T09:00:00Z", "edit", [], {"contact": 2})
    journal.append(path, entry)
    raw = path.read_text()
    assert raw.startswith('{"check":"') and raw.endswith("\n")
    assert len(json.loads(raw)["check"]) == 8
    assert journal.read(path) == [entry]


def test_an_edited_line_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    journal.append(path, journal.entry(1, "t", "a", [], {}))
    journal.append(path, journal.entry(2, "t", "b", [], {}))
    path.write_text(path.read_text().replace('"command":"a"', '"command":"x"'))
    with pytest.raises(StoreError, match="Line 1 of the change log"):
        journal.read(path)


def test_a_torn_last_line_is_ignored_then_cut(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    journal.append(path, journal.entry(1, "t", "a", [], {}))
    with open(path, "ab") as handle:
        handle.write(b'{"check":"0000')  # a crash in the middle of an append
    assert [e["seq"] for e in journal.read(path)] == [1]
    journal.cut_torn_tail(path)
    journal.append(path, journal.entry(2, "t", "b", [], {}))
    assert [e["seq"] for e in journal.read(path)] == [1, 2]
    journal.cut_torn_tail(tmp_path / "missing.jsonl")  # nothing to cut: fine


def test_apply_inserts_replaces_and_deletes() -> None:
    data: dict[str, Any] = {"contacts": [{"uuid": "a", "name": "A"}, {"uuid": "b", "name": "B"}]}
    changes = [
        {"type": "contacts", "uuid": "c", "before": None, "after": {"uuid": "c", "name": "C"}},
        {"type": "contacts", "uuid": "a", "before": {}, "after": {"uuid": "a", "name": "A2"}},
        {"type": "contacts", "uuid": "b", "before": {}, "after": None},
        {"type": "events", "uuid": "e", "before": None, "after": {"uuid": "e"}},
    ]
    journal.apply(data, [journal.entry(7, "t", "x", changes, {"contact": 9})])
    assert data["contacts"] == [{"uuid": "a", "name": "A2"}, {"uuid": "c", "name": "C"}]
    assert data["events"] == [{"uuid": "e"}]
    assert (data["seq"], data["next_id"]) == (7, {"contact": 9})


# the store on top of it ----------------------------------------------------------------


def test_the_first_write_makes_a_snapshot_later_ones_append(tracker: Tracker, paths: Paths) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    assert not paths.journal_file.exists()
    snapshot = paths.store_file.read_bytes()
    tracker.outreach("jane-doe", WHO, WHY, GOAL)
    tracker.edit("jane-doe", ContactFields(role="Editor"))
    assert paths.store_file.read_bytes() == snapshot
    entries = lines(paths.journal_file)
    assert [e["command"] for e in entries] == ["outreach", "edit"]
    (change,) = entries[1]["changes"]
    assert change["before"]["role"] is None and change["after"]["role"] == "Editor"
    doc = Store(paths).load()
    assert doc.seq == 3 and doc.contacts[0].role == "Editor" and len(doc.events) == 1


def test_a_refused_command_writes_nothing_anywhere(tracker: Tracker, paths: Paths) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.outreach("jane-doe", WHO, WHY, GOAL)
    before = [p.read_bytes() for p in (paths.store_file, paths.journal_file)]
    with pytest.raises(Exception, match="waiting"):
        tracker.outreach("jane-doe", WHO, WHY, GOAL)
    assert [p.read_bytes() for p in (paths.store_file, paths.journal_file)] == before


def test_remove_logs_every_record_it_takes(tracker: Tracker, paths: Paths) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.outreach("jane-doe", WHO, WHY, GOAL)
    tracker.remove("jane-doe")
    (entry,) = [e for e in lines(paths.journal_file) if e["command"] == "remove"]
    gone = {(c["type"], c["after"]) for c in entry["changes"]}
    assert gone == {("contacts", None), ("events", None)}
    assert all(c["before"] for c in entry["changes"])


def test_the_log_is_folded_in_once_it_grows(
    tracker: Tracker, paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "COMPACT_BYTES", 1500)
    tracker.add_contact("Jane Doe", ContactFields())
    for n in range(6):
        tracker.edit("jane-doe", ContactFields(notes=f"note {n}"))
    live = paths.journal_file.stat().st_size if paths.journal_file.exists() else 0
    assert live <= 1500 + 2000
    assert list(paths.history_dir.glob("journal-*.jsonl"))  # folded logs are kept for undo
    assert list(paths.backups_dir.glob("store-*-fold.json"))  # and the snapshot before
    raw = json.loads(paths.store_file.read_text())
    assert raw["seq"] >= 3
    doc = Store(paths).load()
    assert doc.contacts[0].notes == "note 5" and doc.seq == 7


def test_entries_already_in_the_snapshot_are_not_replayed(tracker: Tracker, paths: Paths) -> None:
    """A crash after the snapshot was written but before the log was emptied."""
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.outreach("jane-doe", WHO, WHY, GOAL)
    kept = paths.journal_file.read_bytes()
    store = Store(paths)
    store.save(store.load())
    paths.journal_file.write_bytes(kept)
    doc = store.load()
    assert len(doc.events) == 1


def test_unknown_fields_survive_the_log(tracker: Tracker, paths: Paths) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    raw = json.loads(paths.store_file.read_text())
    raw["contacts"][0]["pronouns"] = "she/her"
    paths.store_file.write_text(json.dumps(raw))
    tracker.edit("jane-doe", ContactFields(role="Editor"))
    (entry,) = lines(paths.journal_file)
    assert entry["changes"][0]["after"]["pronouns"] == "she/her"


# the index -------------------------------------------------------------------------------


def test_apply_keeps_counters_and_sequence() -> None:
    data: dict[str, Any] = {"seq": 3}
    entries = [
        journal.entry(4, "t", "a", [], {"contact": 2}),
        journal.entry(
            5,
            "t",
            "b",
            [{"type": "events", "uuid": "e", "before": None, "after": {"uuid": "e"}}],
            {"contact": 3, "event": 2},
        ),
    ]
    journal.apply(data, entries)
    assert data["seq"] == 5 and data["next_id"] == {"contact": 3, "event": 2}
    assert data["events"] == [{"uuid": "e"}]


def test_a_damaged_line_in_the_middle_is_not_taken_for_a_torn_one(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    for n in range(3):
        journal.append(path, journal.entry(n + 1, "t", "c", [], {}))
    lines = path.read_bytes().split(b"\n")
    lines[1] = lines[1][:-5]
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(StoreError, match="Line 2"):
        journal.read(path)


def test_a_log_line_that_is_not_ours(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_text('{"seq": 1}\n')
    with pytest.raises(StoreError, match="Line 1"):
        journal.read(path)
    path.write_bytes(b'{"check":"zzzzzzzz",\xff}\n')
    with pytest.raises(StoreError, match="Line 1"):
        journal.read(path)


def test_a_torn_line_with_no_whole_line_before_it(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_bytes(b'{"check":"12')
    assert journal.read(path) == []
    journal.cut_torn_tail(path)
    assert path.read_bytes() == b""
    journal.cut_torn_tail(path)  # an empty log: nothing to do


def test_old_folded_logs_are_pruned(tmp_path: Path) -> None:
    history_dir = tmp_path / "history"
    for n in range(5):
        live = tmp_path / "journal.jsonl"
        journal.append(live, journal.entry(n + 1, "t", "c", [], {}))
        journal.archive(live, history_dir, n + 1, keep=3)
    assert sorted(p.name for p in history_dir.iterdir()) == [
        "journal-00000003.jsonl",
        "journal-00000004.jsonl",
        "journal-00000005.jsonl",
    ]
    journal.archive(tmp_path / "missing.jsonl", history_dir, 9)  # nothing to move
    assert [e["seq"] for e in journal.everything(tmp_path / "journal.jsonl", history_dir)] == [
        3,
        4,
        5,
    ]
