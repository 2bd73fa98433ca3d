"""The change log on disk (journal.py): damaged, torn and foreign lines, folding, pruning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from infoint import journal
from infoint.errors import StoreError


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
