"""Several machines sharing a data folder, pushed where the per-machine logs may lose
or misreport data: long offline spells, history pruning, folds on both sides, undo
after syncs, partial syncs, damaged and missing logs."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import Clock, Runner
from infoint import journal, logs_files, notices
from infoint.records import ContactFields
from infoint.services import Tracker
from test_devices import names, old_infoint, run_new, run_old  # noqa: F401 (a fixture)
from test_gitsync import Machine, remote, two_machines, world  # noqa: F401 (a fixture)
from test_sync import Syncthing, jane_on_two_machines, machine


def _sync_and_merge(a: Tracker, b: Tracker, sync: Syncthing) -> None:
    sync(a.paths.data_dir, b.paths.data_dir)
    for _ in range(2):
        for tracker in (a, b):
            tracker.merge_conflicts()
        sync(a.paths.data_dir, b.paths.data_dir)


def _names(tracker: Tracker) -> list[str]:
    return sorted(c.name for c in tracker.read().contacts)


def test_a_machine_folding_more_than_history_keeps_while_offline_loses_nothing(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, sync = jane_on_two_machines(tmp_path, clock)
    monkeypatch.setattr(journal, "COMPACT_BYTES", 0)  # every write folds, on both
    monkeypatch.setattr(logs_files, "KEEP", 3)  # the same with 50 and 51 folds offline
    clock.advance(minutes=1)
    a.add_contact("Ana Ruiz", ContactFields())
    for n in range(6):  # the desktop, offline, folds six times
        clock.advance(minutes=1)
        b.add_contact(f"Person {n}", ContactFields())
    os.utime(a.paths.store_file)  # the laptop's snapshot keeps the name
    _sync_and_merge(a, b, sync)
    want = sorted(["Jane Doe", "Ana Ruiz", *(f"Person {n}" for n in range(6))])
    assert _names(a) == want
    assert _names(b) == want


@pytest.mark.parametrize("winner", ["laptop", "desktop"])
def test_the_later_edit_of_one_field_wins_whichever_snapshot_the_sync_keeps(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch, winner: str
) -> None:
    a, b, sync = jane_on_two_machines(tmp_path, clock)
    monkeypatch.setattr(journal, "COMPACT_BYTES", 0)
    clock.advance(minutes=1)
    a.edit("jane-doe", ContactFields(role="CEO"))
    clock.advance(minutes=1)
    b.edit("jane-doe", ContactFields(role="CTO"))  # later: it must hold
    clock.advance(minutes=1)
    a.edit("jane-doe", ContactFields(), handle="jane")
    clock.advance(minutes=1)
    b.edit("jane-doe", ContactFields(), handle="jd")  # the later rename: it must hold
    monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)
    os.utime(tmp_path / winner / "store.json")
    _sync_and_merge(a, b, sync)
    for tracker in (a, b):
        assert [(c.handle, c.role) for c in tracker.read().contacts] == [("jd", "CTO")]
        said = notices.take(tracker.paths)
        assert not [n for n in said if "kept “CEO” (the later)" in n]


def test_two_machines_moving_to_the_new_layout_at_once_keep_each_other_s_changes(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    src: Path = request.getfixturevalue("old_infoint")
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    for name in ("Jane Doe", "Bo Chen"):
        assert run_old(src, laptop, "add-contact", name).returncode == 0
    sync = Syncthing()
    desktop.mkdir(mode=0o700)
    sync(laptop, desktop)
    # offline, still on the older version: each adds a line 3 to its shared log
    assert run_old(src, laptop, "edit", "bo-chen", "--company", "Acme").returncode == 0
    assert run_old(src, desktop, "add-contact", "Cy Dee").returncode == 0
    # both upgrade, and their first write moves them to the new layout
    assert run_new(desktop, "add-contact", "Ana Ruiz").returncode == 0
    assert run_new(laptop, "add-contact", "Sam Lee").returncode == 0
    sync(laptop, desktop)
    for _ in range(2):
        for home in (laptop, desktop):
            assert run_new(home, "contacts", "--all").returncode == 0
        sync(laptop, desktop)
    for home in (laptop, desktop):
        assert names(home) == ["Ana Ruiz", "Bo Chen", "Cy Dee", "Jane Doe", "Sam Lee"]
        shown = json.loads(run_new(home, "show", "bo-chen", "--json").stdout)
        assert shown["company"] == "Acme"


def test_a_line_damaged_in_this_machine_s_copy_of_another_s_log_is_not_lost_by_restore(
    tmp_path: Path, clock: Clock
) -> None:
    """A line of the desktop's log damaged in the laptop's copy only: the laptop reads
    that log up to the damage (doctor says so), a restore neither folds past it nor
    deletes the log, and once the desktop's whole log comes back, every change is
    there on both machines."""
    a, b, sync = jane_on_two_machines(tmp_path, clock)
    for name in ("Ana Ruiz", "Bo Chen", "Cy Dee"):
        clock.advance(minutes=1)
        b.add_contact(name, ContactFields())
    sync(a.paths.data_dir, b.paths.data_dir)
    theirs = a.paths.data_dir / b.paths.journal_file.name  # the laptop's copy only
    lines = theirs.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b"Bo Chen", b"Bo Chan")
    theirs.write_bytes(b"\n".join(lines))
    assert _names(a) == ["Ana Ruiz", "Jane Doe"]  # up to the damage, no error
    warned = [f.what for f in a.doctor() if f.level == "warning"]
    assert any("another machine's change log, are damaged in this copy" in w for w in warned)
    a.restore()  # what a worried user might do
    assert theirs.exists()
    clock.advance(minutes=1)
    b.add_contact("Di Lu", ContactFields())  # the desktop writes its log again
    os.utime(b.paths.journal_file)
    sync(a.paths.data_dir, b.paths.data_dir)
    want = ["Ana Ruiz", "Bo Chen", "Cy Dee", "Di Lu", "Jane Doe"]
    assert _names(b) == want
    assert _names(a) == want


def test_history_names_each_change_of_several_machines_by_its_own_number(
    tmp_path: Path, clock: Clock, run: Runner, home: Path
) -> None:
    run("add-contact", "Jane Doe")
    run("add-contact", "Bo Chen")
    desktop = tmp_path / "desktop"
    desktop.mkdir(mode=0o700)
    sync = Syncthing()
    sync(home, desktop)
    b = machine(desktop, clock)
    clock.advance(minutes=1)
    b.add_contact("Ana Ruiz", ContactFields())
    clock.advance(minutes=1)
    b.edit("jane-doe", ContactFields(role="CEO"))
    clock.advance(minutes=1)
    run("edit", "bo-chen", "--company", "Acme")
    sync(home, desktop)
    clock.advance(minutes=1)
    run("undo", "--yes")
    clock.advance(minutes=1)
    b.undo(b.undo_preview()[0]["seq"])
    sync(home, desktop)
    shown = run("history").stdout.splitlines()[1:]
    numbers = [line.split()[0] for line in shown if line.strip()]
    assert len(numbers) == 7
    assert len(set(numbers)) == len(numbers), numbers


@pytest.mark.parametrize("removed_first", [True, False])
def test_a_message_to_a_contact_removed_and_folded_elsewhere_keeps_both(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch, removed_first: bool
) -> None:
    a, b, sync = jane_on_two_machines(tmp_path, clock)
    a.add_contact("Bo Chen", ContactFields())
    sync(a.paths.data_dir, b.paths.data_dir)

    def remove() -> None:  # the laptop's log is big: this write folds it in
        monkeypatch.setattr(journal, "COMPACT_BYTES", 0)
        clock.advance(minutes=1)
        a.remove("bo-chen")
        monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)

    def write() -> None:
        clock.advance(minutes=1)
        b.outreach("bo-chen", "I am a designer.", "Your talk moved me.", "Learn about research.")

    for step in (remove, write) if removed_first else (write, remove):
        step()
    _sync_and_merge(a, b, sync)
    for tracker in (a, b):
        doc = tracker.read()
        assert [c.name for c in doc.contacts] == ["Jane Doe", "Bo Chen"]
        assert [e.kind for e in doc.events] == ["outreach"]


def test_a_log_deleted_by_a_fold_reaching_a_machine_before_its_history_loses_nothing(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, sync = jane_on_two_machines(tmp_path, clock)
    laptop, desktop = a.paths.data_dir, b.paths.data_dir
    clock.advance(minutes=1)
    a.add_contact("Ana Ruiz", ContactFields())  # contact 2, on both machines
    sync(laptop, desktop)
    assert [(c.name, c.id) for c in b.read().contacts] == [("Jane Doe", 1), ("Ana Ruiz", 2)]
    clock.advance(minutes=1)
    monkeypatch.setattr(journal, "COMPACT_BYTES", 0)
    a.add_contact("Sam Lee", ContactFields())  # folds: the laptop's log moves to history/
    monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)
    gone = a.paths.journal_file.name
    assert not (laptop / gone).exists()
    (desktop / gone).unlink()  # the first file the sync service brings: the deletion
    seen = [c.name for c in b.read().contacts]
    clock.advance(minutes=1)
    b.add_contact("Bo Chen", ContactFields())
    _sync_and_merge(a, b, sync)
    # meanwhile the laptop's changes are out of view (until the history file comes);
    # once everything has arrived, nothing is lost and no number known changes
    assert "Jane Doe" in seen
    for tracker in (a, b):
        ids = {c.name: c.id for c in tracker.read().contacts}
        assert ids["Ana Ruiz"] == 2  # a number known on every machine does not change


def test_undo_of_an_add_whose_handle_the_merge_renamed(tmp_path: Path, clock: Clock) -> None:
    a, b, sync = jane_on_two_machines(tmp_path, clock)
    clock.advance(minutes=1)
    a.add_contact("Ana Ruiz", ContactFields())
    clock.advance(minutes=1)
    b.add_contact("Ana Ruiz", ContactFields(), force=True)  # another Ana Ruiz
    _sync_and_merge(a, b, sync)
    assert [(c.handle, c.id) for c in b.read().contacts][-1] == ("ana-ruiz-2", 3)
    target, _ = b.undo_preview()
    assert target["command"] == "add-contact"
    b.undo(target["seq"])
    assert [c.handle for c in b.read().contacts] == ["jane-doe", "ana-ruiz"]


def test_undoing_the_message_that_kept_a_removed_contact_lets_the_removal_stand(
    tmp_path: Path, clock: Clock
) -> None:
    a, b, sync = jane_on_two_machines(tmp_path, clock)
    a.add_contact("Bo Chen", ContactFields())
    sync(a.paths.data_dir, b.paths.data_dir)
    clock.advance(minutes=1)
    b.outreach("bo-chen", "I am a designer.", "Your talk moved me.", "Learn about research.")
    clock.advance(minutes=1)
    a.remove("bo-chen")
    _sync_and_merge(a, b, sync)
    assert _names(a) == ["Bo Chen", "Jane Doe"]  # kept: the desktop wrote to him
    target, words = b.undo_preview()
    assert words.startswith("remove your message to Bo Chen")
    b.undo(target["seq"])
    _sync_and_merge(a, b, sync)
    for tracker in (a, b):
        assert _names(tracker) == ["Jane Doe"]


def test_the_same_conflict_met_again_later_is_said_again(tmp_path: Path, clock: Clock) -> None:
    a, b, sync = jane_on_two_machines(tmp_path, clock)
    said = []
    for _ in range(2):
        clock.advance(minutes=1)
        a.edit("jane-doe", ContactFields(role="CEO"))
        clock.advance(minutes=1)
        b.edit("jane-doe", ContactFields(role="CTO"))
        _sync_and_merge(a, b, sync)
        a.read()  # what any command does first
        said.append(notices.take(a.paths))
        clock.advance(minutes=1)
        a.edit("jane-doe", ContactFields(role="VP"))  # settled, until the next time
        _sync_and_merge(a, b, sync)
    note = "Jane Doe (contact 1): role changed on both machines; kept “CTO” (the later), not “CEO”."
    assert said == [[note], [note]]


def test_undo_says_it_takes_back_the_last_change_made_on_this_machine(
    tmp_path: Path, clock: Clock, run: Runner, home: Path
) -> None:
    run("add-contact", "Jane Doe")
    desktop = tmp_path / "desktop"
    desktop.mkdir(mode=0o700)
    sync = Syncthing()
    sync(home, desktop)
    clock.advance(minutes=1)
    machine(desktop, clock).edit("jane-doe", ContactFields(role="CEO"))
    sync(home, desktop)
    said = run("undo", "--yes", code=None).stderr
    assert "The last change was" not in said
    assert "on this machine" in said


def test_a_rename_of_a_contact_whose_handle_clashed_holds(tmp_path: Path, clock: Clock) -> None:
    a, b, sync = jane_on_two_machines(tmp_path, clock)
    clock.advance(minutes=1)
    a.add_contact("Ana Ruiz", ContactFields())
    clock.advance(minutes=1)
    b.add_contact("Ana Ruiz", ContactFields(company="Acme"), force=True)  # another Ana Ruiz
    clock.advance(minutes=1)
    b.edit("ana-ruiz", ContactFields(), handle="ana-acme")  # a handle nobody has
    _sync_and_merge(a, b, sync)
    for tracker in (a, b):
        shown = [(c.handle, c.company) for c in tracker.read().contacts]
        assert shown == [("jane-doe", None), ("ana-ruiz", None), ("ana-acme", "Acme")]


def test_a_cloned_machine_stops_sharing_a_log_after_the_first_conflict(
    tmp_path: Path, clock: Clock
) -> None:
    from infoint.files import Paths, state_path

    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    sync = Syncthing()
    a = machine(laptop, clock)
    a.add_contact("Jane Doe", ContactFields())
    desktop.mkdir(mode=0o700)
    sync(laptop, desktop)
    where = state_path(Paths(desktop, desktop / "config.toml"), "")
    assert where is not None
    where.parent.mkdir(parents=True, exist_ok=True)
    where.write_text(a.paths.device)  # the desktop is a clone of the laptop's disk
    b = machine(desktop, clock)
    clock.advance(minutes=1)
    a.add_contact("Ana Ruiz", ContactFields())
    clock.advance(minutes=1)
    b.add_contact("Bo Chen", ContactFields())
    _sync_and_merge(a, b, sync)  # the first time: a conflict copy, merged
    clock.advance(minutes=1)
    a.add_contact("Ed Fu", ContactFields())
    clock.advance(minutes=1)
    b.add_contact("Fay Gu", ContactFields())
    sync(laptop, desktop)
    assert not [p.name for p in laptop.glob("*") if "conflict" in p.name]
    assert _names(a) == ["Ana Ruiz", "Bo Chen", "Ed Fu", "Fay Gu", "Jane Doe"]


def test_the_later_of_two_contacts_numbered_alike_is_renumbered_even_after_a_fold(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, sync = jane_on_two_machines(tmp_path, clock)
    clock.advance(minutes=1)
    a.add_contact("Ana Ruiz", ContactFields())  # contact 2, first
    clock.advance(minutes=1)
    monkeypatch.setattr(journal, "COMPACT_BYTES", 0)
    b.add_contact("Bo Chen", ContactFields())  # contact 2, later: folded at once
    monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)
    _sync_and_merge(a, b, sync)
    for tracker in (a, b):
        ids = [(c.name, c.id) for c in tracker.read().contacts]
        assert ids == [("Jane Doe", 1), ("Ana Ruiz", 2), ("Bo Chen", 3)]


# the same through `infoint sync` (git) --------------------------------------------------


_GIT = pytest.mark.skipif(not shutil.which("git"), reason="git is needed (CI installs it)")


def _git_pair(request: pytest.FixtureRequest, clock: Clock) -> tuple[Machine, Machine]:
    root: Path = request.getfixturevalue("world")
    mp: pytest.MonkeyPatch = request.getfixturevalue("monkeypatch")
    laptop, desktop = Machine(root, "laptop", clock, mp), Machine(root, "desktop", clock, mp)
    two_machines(root, laptop, desktop)  # Sam Lee on both
    return laptop, desktop


@_GIT
def test_git_the_later_edit_of_one_field_wins_when_the_earlier_editor_syncs_first(
    request: pytest.FixtureRequest, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop, desktop = _git_pair(request, clock)
    monkeypatch.setattr(journal, "COMPACT_BYTES", 1)  # every write folds, on both
    clock.advance(minutes=1)
    laptop("edit", "sam-lee", "--role", "CEO")
    clock.advance(minutes=1)
    desktop("edit", "sam-lee", "--role", "CTO")
    monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)
    laptop("sync")
    desktop("sync")
    said = laptop("sync").stderr
    assert "kept “CEO” (the later)" not in said
    for m in (laptop, desktop):
        assert [c["role"] for c in m.contacts().values()] == ["CTO"]


@_GIT
def test_git_a_message_to_a_contact_removed_and_folded_elsewhere_is_kept(
    request: pytest.FixtureRequest, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop, desktop = _git_pair(request, clock)
    monkeypatch.setattr(journal, "COMPACT_BYTES", 1)
    clock.advance(minutes=1)
    laptop("remove", "sam-lee", "--yes")
    monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)
    clock.advance(minutes=1)
    desktop(
        "outreach", "sam-lee", "--who-i-am", "I am a designer.",
        "--why-you", "Your talk moved me.", "--goal", "Learn about research.",
    )  # fmt: skip
    for m in (laptop, desktop, laptop):
        m("sync")
    for m in (laptop, desktop):
        assert m.names() == ["Sam Lee"]  # kept, as the message to them is


@_GIT
def test_git_a_machine_folding_more_than_history_keeps_loses_nothing(
    request: pytest.FixtureRequest, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop, desktop = _git_pair(request, clock)
    monkeypatch.setattr(journal, "COMPACT_BYTES", 1)
    monkeypatch.setattr(logs_files, "KEEP", 3)  # the same with 50 and 51 folds between syncs
    for n in range(6):
        clock.advance(minutes=1)
        laptop("add-contact", f"Person {n}")
    clock.advance(minutes=1)
    desktop("add-contact", "Ana Ruiz")
    monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)
    for m in (laptop, desktop, laptop):
        m("sync")
    want = sorted(["Sam Lee", "Ana Ruiz", *(f"Person {n}" for n in range(6))])
    for m in (laptop, desktop):
        assert m.names() == want


@_GIT
def test_git_sync_set_up_by_the_older_infoint_goes_on_after_the_move(
    request: pytest.FixtureRequest, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    src: Path = request.getfixturevalue("old_infoint")
    root: Path = request.getfixturevalue("world")
    laptop = Machine(root, "laptop", clock, monkeypatch)
    assert run_old(src, laptop.home, "add-contact", "Jane Doe").returncode == 0
    assert run_old(src, laptop.home, "sync", "--init", remote(root)).returncode == 0
    laptop("add-contact", "Sam Lee")  # the first write moves the store to the new layout
    laptop("sync")
    assert laptop.git("status", "--porcelain") == ""


def test_undo_of_an_edit_another_machine_overrode_says_so(tmp_path: Path, clock: Clock) -> None:
    from infoint.errors import RuleBroken

    a, b, sync = jane_on_two_machines(tmp_path, clock)
    clock.advance(minutes=1)
    a.edit("jane-doe", ContactFields(location="Lyon"))
    clock.advance(minutes=1)
    b.edit("jane-doe", ContactFields(location="Paris"))  # later: it holds
    sync(a.paths.data_dir, b.paths.data_dir)
    target, _ = a.undo_preview()
    with pytest.raises(RuleBroken, match=r"changed since \(on another machine"):
        a.undo(target["seq"])
    assert a.read().contacts[0].location == "Paris"


def test_a_late_line_whose_merge_its_model_refuses_leaves_the_later_record_whole() -> None:
    """A line that comes late (a later line already set the venue here) and would make
    the meeting a call at a restaurant: the record as the later change left it stays."""
    from infoint.logs import Replay
    from infoint.store_doc import record_problem

    made = "2026-11-20T09:00:00Z"
    cafe = {"uuid": "m-1", "id": 1, "created_at": made, "updated_at": made, "contact": "c-1",
            "start": "2026-12-03T10:00:00Z", "minutes": 30, "mode": "in_person",
            "place": "Blue Bottle", "venue": "cafe"}  # fmt: skip
    here = {**cafe, "venue": "restaurant"}  # a line stamped 500 set it
    jane = {"uuid": "c-1", "id": 1, "created_at": made, "updated_at": made,
            "handle": "jane-doe", "name": "Jane Doe"}  # fmt: skip
    data = {"schema_version": 2, "contacts": [jane], "meetings": [here], "events": [],
            "stamps": {"m-1": {"venue": 500}}}  # fmt: skip
    call = {**cafe, "mode": "phone", "place": None, "venue": None}
    replay = Replay(data)
    replay.check = record_problem
    line = {"seq": 1, "hlc": 100, "changes": [
        {"type": "meetings", "uuid": "m-1", "before": cafe, "after": call}]}  # fmt: skip
    replay.line("desktop", line)
    (kept,) = replay.finish()["meetings"]
    where = (kept["mode"], kept["place"], kept["venue"])
    assert where == ("in_person", "Blue Bottle", "restaurant")
    assert any("do not fit together" in said for _, said in replay.notes)
    assert record_problem("meetings", kept) is None
