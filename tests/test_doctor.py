"""doctor, backups, restore, sync-service conflicts and merge."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import NOW, Clock, Runner
from infoint import backups, doctor
from infoint.errors import BadInput
from infoint.files import Paths
from infoint.records import ContactFields
from infoint.services import Tracker
from infoint.store import Store

WHO, WHY, GOAL = "I am an analyst.", "Your talk.", "Learn which skills matter."


@pytest.fixture
def paths(home: Path) -> Paths:
    return Paths.from_env()


def levels(tracker: Tracker) -> list[tuple[str, str]]:
    return [(f.level, f.what) for f in tracker.doctor()]


def test_a_healthy_store(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    found = tracker.doctor()
    assert [f.level for f in found] == ["ok", "ok"]
    assert "1 contacts, 0 meetings, 0 messages" in found[0].what


def test_no_store_yet(tracker: Tracker) -> None:
    assert "No store yet" in tracker.doctor()[0].what


@pytest.mark.parametrize(
    "damage",
    [b"", b"{", b'{"schema_version": 1, "contacts": [1]}', b"\x00\x01", b"[]",
     b'<<<<<<< HEAD\n{"schema_version": 1}\n=======\n'],
)  # fmt: skip
def test_damage_is_named_with_the_backup_to_restore(
    tracker: Tracker, paths: Paths, damage: bytes
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    backups.keep_copy(paths, reason="test")
    paths.store_file.write_bytes(damage)
    (error,) = [f for f in tracker.doctor() if f.level == "error"]
    assert str(paths.store_file) in error.what and "newest readable backup is store-" in error.what
    assert error.fix == "infoint doctor --restore"


def test_restore_after_damage_brings_the_backup_back(tracker: Tracker, paths: Paths) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.outreach("jane-doe", WHO, WHY, GOAL)
    good = backups.keep_copy(paths, reason="test")
    assert good is not None
    paths.store_file.write_bytes(b"{broken")
    chosen, undoable = tracker.restore()
    assert chosen == good and not undoable
    assert [c.handle for c in tracker.read().contacts] == ["jane-doe"]
    damaged = [p for p in backups.listed(paths) if p.name.endswith("-damaged.json")]
    assert damaged and damaged[0].read_bytes() == b"{broken"
    assert [f.level for f in tracker.doctor()].count("error") == 0


def test_a_restore_of_a_readable_store_can_be_undone(tracker: Tracker, paths: Paths) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    backups.keep_copy(paths, reason="test")
    tracker.add_contact("Sam Lee", ContactFields())
    tracker.edit("jane-doe", ContactFields(role="Editor"))
    _, undoable = tracker.restore()
    assert undoable
    doc = tracker.read()
    assert [c.handle for c in doc.contacts] == ["jane-doe"] and doc.contacts[0].role is None
    target, what = tracker.undo_preview()
    assert target["command"] == "doctor --restore" and "add contact Sam Lee" in what
    tracker.undo(target["seq"])
    doc = tracker.read()
    assert [c.handle for c in doc.contacts] == ["jane-doe", "sam-lee"]
    assert doc.contacts[0].role == "Editor"


def test_restore_without_any_backup_is_refused(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    with pytest.raises(BadInput, match="no readable backup"):
        tracker.restore()


def test_restore_of_a_named_file_that_is_not_a_store(tracker: Tracker, tmp_path: Path) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    bogus = tmp_path / "bogus.json"
    bogus.write_text("[1, 2]")
    with pytest.raises(BadInput, match=str(bogus)):
        tracker.restore(bogus)
    with pytest.raises(BadInput, match="Could not read"):
        tracker.restore(tmp_path / "missing.json")


def test_backups_rotate(paths: Paths, tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    for _ in range(backups.KEEP + 4):
        backups.keep_copy(paths, reason="test")
    assert len(backups.listed(paths)) == backups.KEEP
    tracker.config_set("keep_backups", "3")
    backups.keep_copy(paths, reason="test")
    assert len(backups.listed(paths)) == 3


def test_a_daily_copy_is_kept(paths: Paths, tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.add_contact("Sam Lee", ContactFields())  # the journal path: a daily copy
    daily = [p for p in backups.listed(paths) if p.name.endswith("-daily.json")]
    assert len(daily) == 1
    tracker.edit("jane-doe", ContactFields(role="x"))
    assert len([p for p in backups.listed(paths) if p.name.endswith("-daily.json")]) == 1


def test_loose_permissions_stale_temp_files_and_dangling_references(
    tracker: Tracker, paths: Paths
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.outreach("jane-doe", WHO, WHY, GOAL)
    store = Store(paths)
    doc = store.load()
    doc.events[0].contact = "gone"
    store.save(doc)
    os.chmod(paths.data_dir, 0o755)
    os.chmod(paths.store_file, 0o644)
    (paths.data_dir / ".store.json.abcd.tmp").write_text("half")
    found = tracker.doctor()
    fixes = [f.fix for f in found if f.fix]
    assert f"chmod 700 {paths.data_dir}" in fixes and f"chmod 600 {paths.store_file}" in fixes
    assert any(f.startswith("rm ") and f.endswith(".tmp") for f in fixes)
    assert any("belongs to a contact that is gone" in f.what for f in found)
    tracker.add_contact("Sam Lee", ContactFields())  # the next write removes the temp file
    assert not list(paths.data_dir.glob(".*.tmp"))


def test_a_dangling_referral_is_a_warning(tracker: Tracker, paths: Paths) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    store = Store(paths)
    doc = store.load()
    doc.contacts[0].referred_by = "gone"
    store.save(doc)
    (warning,) = [f for f in tracker.doctor() if f.level == "warning"]
    assert warning.fix == 'infoint edit jane-doe --referred-by ""'


# sync services ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "store (conflicted copy 2026-11-26).json",
        "store (Jane's conflicted copy).json",
        "store.sync-conflict-20261126-101010-ABCDEFG.json",
        "journal.sync-conflict-20261126-101010-ABCDEFG.jsonl",
    ],
)
def test_conflict_copies_are_found(paths: Paths, name: str) -> None:
    paths.data_dir.mkdir(parents=True)
    (paths.data_dir / name).write_text("{}")
    (paths.data_dir / "notes.txt").write_text("")
    assert [p.name for p in doctor.conflict_copies(paths)] == [name]


def diverge(home: Path, tracker: Tracker, clock: Clock) -> Path:
    """Two machines that shared a store, then each changed it."""
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.add_contact("Sam Lee", ContactFields())
    other_home = home.parent / "other"
    shutil.copytree(home, other_home)
    other = Tracker(Paths.from_env({"INFOINT_HOME": str(other_home)}), clock=clock)
    clock.advance(hours=1)
    tracker.edit("jane-doe", ContactFields(role="Mine, earlier"))
    clock.advance(hours=1)
    other.edit("jane-doe", ContactFields(role="Theirs, later"))
    other.edit("sam-lee", ContactFields(notes="Only theirs"))
    other.add_contact("Bo Chen", ContactFields())
    tracker.add_contact("Bo Chen", ContactFields(company="A different Bo"))
    other.outreach("bo-chen", WHO, WHY, GOAL)
    clock.advance(hours=1)
    tracker.edit("sam-lee", ContactFields(role="Mine, later"))
    copy = home / "store.sync-conflict-20261126-101010-ABCDEFG.json"
    copy.write_bytes(Store(other.paths).load().model_dump_json().encode())
    return copy


def test_merge_takes_the_newer_record_and_drops_nothing(
    home: Path, tracker: Tracker, clock: Clock
) -> None:
    copy = diverge(home, tracker, clock)
    counts = tracker.merge(copy)
    doc = tracker.read()
    by_handle = {c.handle: c for c in doc.contacts}
    assert by_handle["jane-doe"].role == "Theirs, later"
    assert by_handle["sam-lee"].role == "Mine, later" and by_handle["sam-lee"].notes is None
    assert {by_handle["bo-chen"].company, by_handle["bo-chen-2"].company} == {
        None,
        "A different Bo",
    }
    assert len({c.id for c in doc.contacts}) == len(doc.contacts) == 4
    (event,) = doc.events
    assert (
        by_handle["bo-chen-2"].uuid == event.contact or by_handle["bo-chen"].uuid == event.contact
    )
    assert counts == {
        "added": 2,
        "newer": 1,
        "kept": 1,
        "same": 0,
        "moved": 1,
        "renamed": ["contact 3 (Bo Chen) from the copy is now contact 4, bo-chen-2"],
        "overwritten": [],
        "removed": 0,
        "removed_names": [],
    }
    assert not copy.exists() and (home / "merged" / copy.name).exists()
    assert doctor.conflict_copies(tracker.paths) == []


def test_a_merge_is_one_undo_away(home: Path, tracker: Tracker, clock: Clock) -> None:
    copy = diverge(home, tracker, clock)
    before = tracker.read().model_dump(mode="json")
    tracker.merge(copy)
    target, _ = tracker.undo_preview()
    assert target["command"] == "merge"
    tracker.undo(target["seq"])
    after = tracker.read().model_dump(mode="json")
    for key in ("contacts", "meetings", "events"):
        assert after[key] == before[key]


def test_the_next_command_merges_a_conflict_copy_and_says_so(
    home: Path, tracker: Tracker, clock: Clock
) -> None:
    copy = diverge(home, tracker, clock)
    env = {**os.environ, "INFOINT_HOME": str(home), "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "infoint", "followups"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"Merged {copy.name}" in proc.stderr and "2 new and 1 newer" in proc.stderr
    assert not copy.exists() and (home / "merged" / copy.name).exists()
    again = subprocess.run(
        [sys.executable, "-m", "infoint", "contacts"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Merged" not in again.stderr


def test_doctor_and_restore_from_the_command_line(run: Runner, home: Path, paths: Paths) -> None:
    run("add-contact", "Jane Doe")
    out = run("doctor")
    assert "reads and validates" in out.stdout and "All good." in out.stdout
    assert all(f["level"] == "ok" for f in run.json("doctor"))
    backups.keep_copy(paths, reason="test")
    (home / "store.json").write_text("{oops")
    out = run("doctor", code=1)
    assert "infoint doctor --restore" in out.stdout
    assert "goes with --restore" in run.refused("doctor", "some-file").stderr
    out = run("doctor", "--restore")
    assert "Restored" in out.stderr
    assert [c["handle"] for c in run.json("contacts")] == ["jane-doe"]


def test_merge_from_the_command_line_refuses_a_bad_file(run: Runner, tmp_path: Path) -> None:
    run("add-contact", "Jane Doe")
    bad = tmp_path / "copy.json"
    bad.write_text(json.dumps({"schema_version": 1, "contacts": [{"id": "x"}]}))
    out = run.refused("merge", str(bad))
    assert str(bad) in out.stderr


def test_merge_of_an_identical_copy_takes_nothing(run: Runner, home: Path) -> None:
    run("add-contact", "Jane Doe")
    copy = home / "store (conflicted copy).json"
    copy.write_bytes((home / "store.json").read_bytes())
    out = run("merge", str(copy))
    assert "0 new record(s) and 0 newer one(s)" in out.stderr and "infoint undo" not in out.stderr


def test_restore_is_noted_in_the_history(tracker: Tracker, paths: Paths, clock: Clock) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    backups.keep_copy(paths, reason="test")
    clock.advance(days=1)
    tracker.schedule("jane-doe", NOW + timedelta(days=3), None, "phone")
    tracker.restore()
    entries = tracker.history()
    assert entries[-1]["command"] == "doctor --restore"
    assert entries[-1]["restored"].startswith("store-")


def test_doctor_names_a_damaged_change_log_line(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.edit("jane-doe", ContactFields(role="Editor"))
    tracker.edit("jane-doe", ContactFields(role="Director"))
    path = tracker.paths.journal_file
    lines = path.read_text().splitlines(keepends=True)
    lines[0] = lines[0].replace("Editor", "Editrix")
    path.write_text("".join(lines))
    (error,) = [f for f in tracker.doctor() if f.level == "error"]
    assert "Line 1 of the change log" in error.what and error.fix == "infoint doctor --restore"


def test_doctor_names_a_conflicting_change_log(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    (tracker.paths.data_dir / "journal (conflicted copy).jsonl").write_text("")
    fixes = [f.fix for f in tracker.doctor() if f.fix]
    assert any("journal (conflicted copy).jsonl" in (fix or "") for fix in fixes)


def test_load_copy_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(BadInput, match=str(bad)):
        doctor.load_copy(bad)


def test_doctor_names_a_sync_service_s_copy_of_the_settings_or_a_draft(
    tracker: Tracker, home: Path
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    (home / "config.toml").write_text("reply_wait_days = 10\n")
    (home / "config.sync-conflict-20261126-101010-ABCDEFG.toml").write_text("reply_wait_days = 9\n")
    (home / "drafts").mkdir()
    (home / "drafts" / "1 (conflicted copy 2026-11-26).json").write_text("{}")
    warned = [f.what for f in tracker.doctor() if f.level == "warning"]
    assert any("two versions of config.sync-conflict-" in w for w in warned)
    assert any("two versions of drafts/1 (conflicted copy" in w for w in warned)


def test_doctor_names_contacts_that_may_be_one_person_twice(tracker: Tracker) -> None:
    tracker.add_contact("Ada Lovelace", ContactFields(email="ada@example.com"))
    tracker.add_contact("Ada Lovelace", ContactFields(email="ADA@example.com"), force=True)
    tracker.add_contact("Grace Hopper", ContactFields(email="grace@example.com"))
    warned = [(f.what, f.fix) for f in tracker.doctor() if f.level == "warning"]
    assert warned == [
        (
            "Ada Lovelace may be one person twice (ada-lovelace, ada-lovelace-2): the same "
            "LinkedIn profile or e-mail. If so, keep one.",
            "infoint remove ada-lovelace-2",
        )
    ]
