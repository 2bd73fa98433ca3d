"""Two machines, one data folder synced file by file the way Syncthing and Dropbox do
it: a file changed on one side is copied over; a file changed on both keeps the newer
one under its name and the other beside it as a conflict copy, on both sides. The next
infoint command on either machine merges such a copy and moves it to `merged/`."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import Clock
from disk import all_logs, own_log
from infoint import notices
from infoint.files import Paths
from infoint.records import ContactFields
from infoint.services import Tracker


class Syncthing:
    """Syncs folders pairwise by file, remembering what each file was at the last sync."""

    def __init__(self, style: str = "syncthing") -> None:
        self.seen: dict[tuple[Path, Path], dict[str, str]] = {}
        self.style = style
        self.conflicts = 0

    @staticmethod
    def _files(folder: Path) -> dict[str, str]:
        out = {}
        for path in folder.rglob("*"):
            if path.is_file() and path.name != ".infoint.lock":
                out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
        return out

    def conflict_name(self, name: str) -> str:
        """The engine's name for a copy; each conflict gets its own (the engines put
        the time and the device in it), the first one the plain form."""
        stem, _, ext = name.rpartition(".")
        self.conflicts += 1
        n = self.conflicts
        if self.style == "dropbox":
            day = "2026-11-26" if n == 1 else f"2026-11-26 {n:06d}"
            return f"{stem} (conflicted copy {day}).{ext}"
        clock = "101010" if n == 1 else f"{n:06d}"
        return f"{stem}.sync-conflict-20261126-{clock}-ABCDEFG.{ext}"

    def __call__(self, a: Path, b: Path) -> None:
        fa, fb = self._files(a), self._files(b)
        seen = self.seen.get((a, b), {})
        for name in sorted(fa.keys() | fb.keys()):
            before = seen.get(name)
            ha, hb = fa.get(name), fb.get(name)
            if ha == hb:
                continue
            changed_a, changed_b = ha != before, hb != before
            if changed_a and not changed_b:
                self._copy(a, b, name, ha)
            elif changed_b and not changed_a:
                self._copy(b, a, name, hb)
            elif ha is None or hb is None:  # removed on one side, changed on the other:
                # the change wins and the file comes back (what Syncthing and Dropbox do)
                src, dst = (a, b) if ha is not None else (b, a)
                self._copy(src, dst, name, ha or hb)
            else:  # both changed: the newer wins, the other is kept as a copy on both
                pa, pb = a / name, b / name
                newer, older = (a, b) if pa.stat().st_mtime_ns >= pb.stat().st_mtime_ns else (b, a)
                copy = str(Path(name).with_name(self.conflict_name(Path(name).name)))
                shutil.copy2(older / name, older / copy)
                shutil.copy2(older / name, newer / copy)
                shutil.copy2(newer / name, older / name)
        self.seen[(a, b)] = self._files(a)

    @staticmethod
    def _copy(src: Path, dst: Path, name: str, digest: str | None) -> None:
        if digest is None:
            (dst / name).unlink(missing_ok=True)
            return
        (dst / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src / name, dst / name)


def machine(folder: Path, clock: Clock) -> Tracker:
    return Tracker(Paths(folder, folder / "config.toml"), clock=clock)


def jane_on_two_machines(tmp_path: Path, clock: Clock) -> tuple[Tracker, Tracker, Syncthing]:
    """A laptop with Jane Doe, synced to a desktop."""
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    sync = Syncthing()
    a = machine(laptop, clock)
    a.add_contact("Jane Doe", ContactFields())
    desktop.mkdir(mode=0o700)
    sync(laptop, desktop)
    return a, machine(desktop, clock), sync


@pytest.mark.parametrize("style", ["syncthing", "dropbox"])
def test_disjoint_adds_on_two_machines_both_survive(
    tmp_path: Path, clock: Clock, style: str
) -> None:
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    sync = Syncthing(style)
    a = machine(laptop, clock)
    a.add_contact("Jane Doe", ContactFields())
    a.add_contact("Bo Chen", ContactFields())  # the change log exists now
    desktop.mkdir(mode=0o700)
    sync(laptop, desktop)
    b = machine(desktop, clock)
    clock.advance(minutes=5)
    a.add_contact("Sam Lee", ContactFields())
    clock.advance(minutes=5)
    b.add_contact("Ana Ruiz", ContactFields())
    sync(laptop, desktop)
    # each machine wrote only its own change log: nothing for the engine to conflict on
    assert not [p for p in laptop.rglob("*") if "conflict" in p.name]
    notes = {}
    for tracker in (a, b):
        doc = tracker.read()
        assert sorted((c.name, c.id) for c in doc.contacts) == [
            ("Ana Ruiz", 4),  # the desktop made a contact 3 later than the laptop did
            ("Bo Chen", 2),
            ("Jane Doe", 1),
            ("Sam Lee", 3),
        ]
        assert len({c.handle for c in doc.contacts}) == 4
        assert [f.level for f in tracker.doctor() if f.level == "error"] == []
        notes[tracker.paths.data_dir.name] = notices.take(tracker.paths)
        assert notices.take(tracker.paths) == []  # said once
    for said in notes.values():
        assert len(said) == 1 and re.fullmatch(
            r"contact 3 \(Ana Ruiz\) from \S+ is now 4 \(the number was taken\)\.", said[0]
        )


def _log_and_another_machine_s(home: Path, clock: Clock, *names: str) -> tuple[Tracker, bytes]:
    """Jane Doe and Bo Chen here; the change log as another machine that then added
    `names` would have it."""
    a = machine(home, clock)
    a.add_contact("Jane Doe", ContactFields())
    a.add_contact("Bo Chen", ContactFields())
    log = own_log(home)
    mine = log.read_bytes()
    for name in names:
        a.add_contact(name, ContactFields())
    theirs = log.read_bytes()
    log.write_bytes(mine)
    return a, theirs


def test_a_conflict_copy_of_the_change_log_is_merged_by_the_next_command(
    tmp_path: Path, clock: Clock
) -> None:
    home = tmp_path / "home"
    a, theirs = _log_and_another_machine_s(home, clock, "Ana Ruiz")
    (home / "journal.sync-conflict-20261126-101010-ABCDEFG.jsonl").write_bytes(theirs)
    clock.advance(hours=1)
    results = a.merge_conflicts()
    assert len(results) == 1 and not isinstance(results[0][1], str)
    assert sorted(c.name for c in a.read().contacts) == ["Ana Ruiz", "Bo Chen", "Jane Doe"]
    assert (home / "merged" / "journal.sync-conflict-20261126-101010-ABCDEFG.jsonl").exists()
    target, _ = a.undo_preview()
    assert target["command"] == "merge"


@pytest.mark.parametrize(
    "name",
    [
        "store.sync-conflict-20261126-101010-ABCDEFG.json",  # Syncthing
        "store (conflicted copy 2026-11-26).json",  # Dropbox
        "store (conflicted copy 2026-11-26 101010).json",  # Nextcloud
        "store 2.json",  # iCloud Drive
        "journal.sync-conflict-20261126-101010-ABCDEFG.jsonl",
        "journal (conflicted copy 2026-11-26).jsonl",
        "journal-LAPTOP.jsonl",  # OneDrive
        "store-DESKTOP-7.json",
    ],
)
def test_every_engine_s_naming_of_a_copy_is_recognised(
    tmp_path: Path, clock: Clock, name: str
) -> None:
    from infoint import doctor

    home = tmp_path / "home"
    a = machine(home, clock)
    a.add_contact("Jane Doe", ContactFields())
    a.add_contact("Bo Chen", ContactFields())
    source = own_log(home) if name.startswith("journal") else home / "store.json"
    (home / name).write_bytes(source.read_bytes())
    assert [p.name for p in doctor.conflict_copies(a.paths)] == [name]
    results = a.merge_conflicts()
    assert [r for _, r in results if isinstance(r, str)] == []
    assert (home / "merged" / name).exists() and not (home / name).exists()
    assert sorted(c.name for c in a.read().contacts) == ["Bo Chen", "Jane Doe"]


def _three_machines(tmp_path: Path, clock: Clock) -> tuple[list[Path], list[Tracker], Syncthing]:
    """A laptop with Jane Doe and Bo Chen, synced to a desktop and a work machine."""
    folders = [tmp_path / n for n in ("laptop", "desktop", "work")]
    sync = Syncthing()
    first = machine(folders[0], clock)
    first.add_contact("Jane Doe", ContactFields())
    first.add_contact("Bo Chen", ContactFields())
    for folder in folders[1:]:
        folder.mkdir(mode=0o700)
        sync(folders[0], folder)
    return folders, [machine(folder, clock) for folder in folders], sync


def test_three_machines_adding_at_once_end_with_everyone(tmp_path: Path, clock: Clock) -> None:
    folders, trackers, sync = _three_machines(tmp_path, clock)
    for n, tracker in enumerate(trackers):
        clock.advance(minutes=1)
        tracker.add_contact(f"Person {n}", ContactFields())
    for _ in range(3):  # a few rounds of syncing, each machine running a command between
        for other in folders[1:]:
            sync(folders[0], other)
        for tracker in trackers:
            tracker.merge_conflicts()
    everyone = ["Bo Chen", "Jane Doe", "Person 0", "Person 1", "Person 2"]
    for tracker in trackers:
        doc = tracker.read()
        assert sorted(c.name for c in doc.contacts) == everyone
        assert len({c.id for c in doc.contacts}) == 5


def test_a_fold_on_one_machine_while_the_other_appends_loses_nothing(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The laptop folds its change log into the snapshot (store.json changes, the log
    moves into history/) while the desktop appends to the same log: no file changed
    on both sides in a way the engine sees as a conflict, so no copy is made. The
    desktop's change must still reach both machines, and its number must not be
    given again."""
    from infoint import journal

    a, b, sync = _two_machines(tmp_path, clock)
    laptop, desktop = a.paths.data_dir, b.paths.data_dir
    clock.advance(minutes=5)
    monkeypatch.setattr(journal, "COMPACT_BYTES", 0)  # the laptop's next write folds
    a.add_contact("Sam Lee", ContactFields())
    monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)
    assert not own_log(laptop).exists()
    clock.advance(minutes=5)
    b.add_contact("Ana Ruiz", ContactFields())
    sync(laptop, desktop)
    assert not [p for p in laptop.iterdir() if "conflict" in p.name]  # nothing for the user to see
    for _ in range(2):
        for tracker in (a, b):
            tracker.merge_conflicts()  # what every command does first
        sync(laptop, desktop)
    for tracker in (a, b):
        clock.advance(minutes=1)
        tracker.add_contact(f"Late {tracker.paths.data_dir.name}", ContactFields())
        sync(laptop, desktop)
        for other in (a, b):
            other.merge_conflicts()
        sync(laptop, desktop)
    for tracker in (a, b):
        doc = tracker.read()
        assert sorted(c.name for c in doc.contacts) == [
            "Ana Ruiz",
            "Bo Chen",
            "Jane Doe",
            "Late desktop",
            "Late laptop",
            "Sam Lee",
        ]
        assert len({c.id for c in doc.contacts}) == 6 and len({c.handle for c in doc.contacts}) == 6
        assert [f.what for f in tracker.doctor() if f.level != "ok"] == []


def _folded_while_appended(tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The laptop folded while the desktop added Ana; the sync brought the desktop's
    log back to the laptop. Returns the laptop's folder."""
    from infoint import journal

    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    sync = Syncthing()
    a = machine(laptop, clock)
    a.add_contact("Jane Doe", ContactFields())
    desktop.mkdir(mode=0o700)
    sync(laptop, desktop)
    monkeypatch.setattr(journal, "COMPACT_BYTES", 0)
    a.add_contact("Sam Lee", ContactFields())
    monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)
    clock.advance(minutes=1)
    machine(desktop, clock).add_contact("Ana Ruiz", ContactFields())
    sync(laptop, desktop)
    return laptop


def test_a_fold_while_another_machine_appends_is_read_with_no_copy(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    import subprocess
    import sys

    laptop = _folded_while_appended(tmp_path, clock, monkeypatch)
    assert [f.what for f in machine(laptop, clock).doctor() if f.level != "ok"] == []
    env = {**os.environ, "INFOINT_HOME": str(laptop), "NO_COLOR": "1", "TZ": "UTC"}
    out = subprocess.run(
        [sys.executable, "-m", "infoint", "contacts", "--json"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    # both machines made a contact 2: the later one is renumbered, and that is said
    assert re.fullmatch(
        r"Note: contact 2 \(Ana Ruiz\) from \S+ is now 3 \(the number was taken\)\.\n", out.stderr
    )
    assert sorted(c["name"] for c in json.loads(out.stdout)) == ["Ana Ruiz", "Jane Doe", "Sam Lee"]
    assert not (laptop / "merged").exists()
    again = subprocess.run(
        [sys.executable, "-m", "infoint", "contacts", "--json"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert again.stderr == ""  # said once


def test_a_log_that_went_on_from_everything_folded_is_replayed_not_merged(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desktop had every change the laptop folded, then added one: its log goes on
    from the snapshot, so it is simply read, with no copy and no notice."""
    from infoint import journal

    a, _, sync = _two_machines(tmp_path, clock)
    laptop, desktop = a.paths.data_dir, tmp_path / "desktop"
    # the laptop folds what both machines already have (its next write, an edit)
    monkeypatch.setattr(journal, "COMPACT_BYTES", 0)
    a.add_contact("Sam Lee", ContactFields())
    monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)
    sync(laptop, desktop)  # the desktop gets the snapshot, its log goes
    b = machine(desktop, clock)
    b.add_contact("Ana Ruiz", ContactFields())
    sync(laptop, desktop)
    assert not journal.astray(a.paths.journal_file, a.paths.store_file)
    assert a.merge_conflicts() == []
    names = sorted(c.name for c in a.read().contacts)
    assert names == ["Ana Ruiz", "Bo Chen", "Jane Doe", "Sam Lee"]


def test_a_crash_between_writing_the_snapshot_and_moving_the_log_merges_nothing_twice(
    tmp_path: Path, clock: Clock
) -> None:
    """The snapshot was written with the log folded in, then the machine stopped before
    the log moved into history/: every line of it is already in the snapshot."""
    home = tmp_path / "home"
    a = machine(home, clock)
    a.add_contact("Jane Doe", ContactFields())
    a.add_contact("Bo Chen", ContactFields())
    a.remove("bo-chen")  # a removal in the log: it must not come back
    log = own_log(home).read_bytes()
    doc = a.read()
    from infoint import journal
    from infoint.store import dump

    doc.folded[a.paths.device] = max(e["seq"] for e in journal.read(own_log(home)))
    (home / "store.json").write_bytes(dump(doc))
    own_log(home).write_bytes(log)
    before = sorted((c.name, c.id) for c in a.read().contacts)
    assert before == [("Jane Doe", 1)]
    a.add_contact("Sam Lee", ContactFields())  # the next write moves the folded lines away
    assert sorted((c.name, c.id) for c in a.read().contacts) == [("Jane Doe", 1), ("Sam Lee", 3)]
    assert [e["command"] for e in journal.read(own_log(home))] == ["add-contact"]


def test_one_contact_edited_on_both_machines_keeps_both_changes_field_by_field(
    tmp_path: Path, clock: Clock
) -> None:
    """Different fields: both changes kept. The same field: the later change kept, and
    a note says which value gave way."""
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    sync = Syncthing()
    a = machine(laptop, clock)
    a.add_contact("Jane Doe", ContactFields(company="Acme", role="Designer"))
    a.add_contact("Bo Chen", ContactFields())
    desktop.mkdir(mode=0o700)
    sync(laptop, desktop)
    b = machine(desktop, clock)
    clock.advance(minutes=5)
    a.edit("jane-doe", ContactFields(company="Globex", location="Lyon"))
    clock.advance(minutes=5)
    b.edit("jane-doe", ContactFields(role="Lead designer", location="Paris"))
    os.utime(desktop / "store.json")
    sync(laptop, desktop)
    notes: dict[str, list[str]] = {"laptop": [], "desktop": []}
    for _ in range(2):
        for tracker in (a, b):
            tracker.due()  # any command
            notes[tracker.paths.data_dir.name] += notices.take(tracker.paths)
        sync(laptop, desktop)
    for tracker in (a, b):
        jane = next(c for c in tracker.read().contacts if c.handle == "jane-doe")
        assert (jane.company, jane.role, jane.location) == ("Globex", "Lead designer", "Paris")
    said = (
        "Jane Doe (contact 1): location changed on both machines; kept “Paris” (the later), "
        "not “Lyon”."
    )
    assert notes == {"laptop": [said], "desktop": [said]}  # once on each machine
    assert not [p for p in laptop.rglob("*") if "conflict" in p.name]


@pytest.mark.parametrize("winner", ["laptop", "desktop"])
@pytest.mark.parametrize("edited_elsewhere", [True, False])
def test_a_removal_on_one_machine_and_an_edit_on_the_other_keep_the_record(
    tmp_path: Path, clock: Clock, edited_elsewhere: bool, winner: str
) -> None:
    a, b, sync = _two_machines(tmp_path, clock)
    laptop, desktop = a.paths.data_dir, b.paths.data_dir
    clock.advance(minutes=5)
    a.remove("bo-chen")
    clock.advance(minutes=5)
    if edited_elsewhere:
        b.edit("bo-chen", ContactFields(company="Initech"))
    else:
        b.edit("jane-doe", ContactFields(company="Initech"))
    os.utime(tmp_path / winner / "store.json")
    sync(laptop, desktop)
    notes: list[str] = []
    for _ in range(2):
        for tracker in (a, b):
            tracker.due()
            notes += notices.take(tracker.paths)
        sync(laptop, desktop)
    for tracker in (a, b):
        handles = sorted(c.handle for c in tracker.read().contacts)
        if edited_elsewhere:
            assert handles == ["bo-chen", "jane-doe"]
            assert next(c for c in tracker.read().contacts if c.handle == "bo-chen").company == (
                "Initech"
            )
        else:
            assert handles == ["jane-doe"]  # removed, nothing against it
    if edited_elsewhere:
        assert (
            notes
            == [
                "Bo Chen (contact 2) was removed on one machine and changed on another; "
                "it was kept."
            ]
            * 2
        )  # once on each machine


def test_undo_takes_back_only_what_was_done_on_this_machine(tmp_path: Path, clock: Clock) -> None:
    """The desktop's log reaches the laptop whole (only the desktop wrote since the
    last sync): the laptop's undo skips the desktop's change and takes back its own,
    and history says which changes came from elsewhere."""
    a, b, sync = _two_machines(tmp_path, clock)
    laptop, desktop = a.paths.data_dir, b.paths.data_dir
    clock.advance(minutes=5)
    b.edit("jane-doe", ContactFields(company="Initech"))
    sync(laptop, desktop)
    target, words = a.undo_preview()
    assert target["command"] == "add-contact" and "Bo Chen" in words
    a.undo(target["seq"])
    doc = a.read()
    assert [(c.handle, c.company) for c in doc.contacts] == [("jane-doe", "Initech")]
    shown = [(e["command"], e["elsewhere"]) for e in a.history()]
    assert shown == [
        ("add-contact", False),
        ("add-contact", False),
        ("edit", True),
        ("undo", False),
    ]
    target, _ = b.undo_preview()  # the desktop still takes back its own edit
    assert target["command"] == "edit"


def test_undo_never_leaves_another_machine_s_message_without_its_contact(
    tmp_path: Path, clock: Clock
) -> None:
    from infoint.errors import RuleBroken

    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    sync = Syncthing()
    a = machine(laptop, clock)
    a.add_contact("Jane Doe", ContactFields())
    desktop.mkdir(mode=0o700)
    sync(laptop, desktop)
    b = machine(desktop, clock)
    clock.advance(minutes=5)
    b.outreach("jane-doe", "I am a designer.", "Your talk moved me.", "Learn about research.")
    sync(laptop, desktop)
    target, _ = a.undo_preview()
    assert target["command"] == "add-contact"  # the laptop's own last change
    before = [p.read_bytes() for p in (laptop / "store.json", *all_logs(laptop))]
    with pytest.raises(RuleBroken, match="without its contact"):
        a.undo(target["seq"])
    assert [p.read_bytes() for p in (laptop / "store.json", *all_logs(laptop))] == before
    assert [c.handle for c in a.read().contacts] == ["jane-doe"]


def _sync_and_merge(a: Tracker, b: Tracker, sync: Syncthing) -> None:
    """Sync, then let each machine merge what came, twice over."""
    sync(a.paths.data_dir, b.paths.data_dir)
    for _ in range(2):
        for tracker in (a, b):
            tracker.merge_conflicts()
        sync(a.paths.data_dir, b.paths.data_dir)


def _two_machines(tmp_path: Path, clock: Clock) -> tuple[Tracker, Tracker, Syncthing]:
    """A laptop with Jane Doe and Bo Chen, synced to a desktop."""
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    sync = Syncthing()
    a = machine(laptop, clock)
    a.add_contact("Jane Doe", ContactFields())
    a.add_contact("Bo Chen", ContactFields())
    desktop.mkdir(mode=0o700)
    sync(laptop, desktop)
    b = machine(desktop, clock)
    return a, b, sync


@pytest.mark.parametrize("winner", ["laptop", "desktop"])
def test_a_removal_stays_removed_when_both_machines_fold_at_once(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch, winner: str
) -> None:
    """Both machines fold their log into the snapshot at once: the snapshot gets a
    conflict copy, which holds every record of the other machine but no word of what
    this one removed. A contact removed here and left alone there stays removed, on
    both machines, and keeps nobody's number."""
    from infoint import journal

    a, b, sync = _two_machines(tmp_path, clock)
    laptop, desktop = a.paths.data_dir, b.paths.data_dir
    clock.advance(minutes=5)
    monkeypatch.setattr(journal, "COMPACT_BYTES", 0)  # every write folds, on both
    a.add_contact("Sam Lee", ContactFields())
    clock.advance(minutes=5)
    b.remove("bo-chen")
    b.add_contact("Ana Ruiz", ContactFields())
    monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)
    os.utime(tmp_path / winner / "store.json")  # whose snapshot keeps the name
    sync(laptop, desktop)
    assert list(laptop.glob("store.sync-conflict-*.json"))
    for _ in range(2):
        for tracker in (a, b):
            for _, result in tracker.merge_conflicts():
                assert not isinstance(result, str)
        sync(laptop, desktop)
    for tracker in (a, b):
        doc = tracker.read()
        assert sorted((c.name, c.id) for c in doc.contacts) == [
            ("Ana Ruiz", 3),
            ("Jane Doe", 1),
            ("Sam Lee", 4),
        ] or sorted((c.name, c.id) for c in doc.contacts) == [
            ("Ana Ruiz", 4),
            ("Jane Doe", 1),
            ("Sam Lee", 3),
        ]
        assert [f.what for f in tracker.doctor() if f.level == "error"] == []


@pytest.mark.parametrize("winner", ["laptop", "desktop"])
def test_a_handle_renamed_on_one_machine_and_an_edit_on_the_other_keep_both(
    tmp_path: Path, clock: Clock, winner: str
) -> None:
    a, b, sync = _two_machines(tmp_path, clock)
    laptop, desktop = a.paths.data_dir, b.paths.data_dir
    clock.advance(minutes=5)
    a.edit("bo-chen", ContactFields(), handle="bobby")
    clock.advance(minutes=5)
    b.edit("bo-chen", ContactFields(company="Initech"))
    os.utime(tmp_path / winner / "store.json")
    sync(laptop, desktop)
    for _ in range(2):
        for tracker in (a, b):
            tracker.merge_conflicts()
        sync(laptop, desktop)
    for tracker in (a, b):
        shown = sorted((c.id, c.handle, c.company) for c in tracker.read().contacts)
        assert shown == [(1, "jane-doe", None), (2, "bobby", "Initech")]


def test_a_handle_renamed_there_that_another_contact_has_here_is_not_taken(
    tmp_path: Path, clock: Clock
) -> None:
    a, b, sync = _two_machines(tmp_path, clock)
    laptop, desktop = a.paths.data_dir, b.paths.data_dir
    clock.advance(minutes=5)
    a.edit("bo-chen", ContactFields(), handle="jd")
    clock.advance(minutes=5)
    b.edit("jane-doe", ContactFields(), handle="jd")
    os.utime(desktop / "store.json")
    sync(laptop, desktop)
    notes: list[str] = []
    for tracker in (a, b):
        tracker.due()
        notes += notices.take(tracker.paths)
    assert len(notes) == 2 and all(
        re.fullmatch(r"the handle jd from \S+ is now jd-2 \(it was taken\)\.", n) for n in notes
    )
    for tracker in (a, b):
        handles = [c.handle for c in tracker.read().contacts]
        assert len(set(handles)) == 2 and "jd" in handles


@pytest.mark.parametrize("winner", ["laptop", "desktop"])
def test_one_contact_edited_on_both_machines_as_both_fold_keeps_both_changes(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch, winner: str
) -> None:
    """Both machines fold at once, each after editing another field of Bo Chen: the
    snapshot's conflict copy holds the other machine's Bo whole, the logs in history/
    say how Bo looked where the two parted, so the merge goes field by field."""
    from infoint import journal

    a, b, sync = _two_machines(tmp_path, clock)
    clock.advance(minutes=5)
    monkeypatch.setattr(journal, "COMPACT_BYTES", 0)  # every write folds, on both
    a.edit("bo-chen", ContactFields(company="Initech"))
    clock.advance(minutes=5)
    b.edit("bo-chen", ContactFields(role="CTO"))
    monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)
    os.utime(tmp_path / winner / "store.json")  # whose snapshot keeps the name
    _sync_and_merge(a, b, sync)
    for tracker in (a, b):
        shown = [(c.handle, c.company, c.role) for c in tracker.read().contacts]
        assert shown == [("jane-doe", None, None), ("bo-chen", "Initech", "CTO")]


def test_three_machines_with_a_chain_of_copies_keep_a_removal(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two machines edit Bo at once (a conflict copy of the log), the third edits Jane
    and folds, then removes her; the old snapshot comes back from the others as a
    conflict copy of store.json. Jane as it holds her was replaced since: she stays
    removed, and both edits of Bo stay."""
    from infoint import journal

    folders, trackers, sync = _three_machines(tmp_path, clock)
    clock.advance(minutes=1)
    trackers[0].edit("bo-chen", ContactFields(company="Initech"))
    trackers[1].edit("bo-chen", ContactFields(role="CTO"))
    monkeypatch.setattr(journal, "COMPACT_BYTES", 0)
    trackers[2].edit("jane-doe", ContactFields(company="Acme"))
    monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)
    sync(folders[0], folders[1])
    trackers[1].merge_conflicts()
    trackers[1].add_contact("Sam Lee", ContactFields())
    sync(folders[1], folders[2])
    trackers[2].remove("jane-doe")
    sync(folders[0], folders[2])
    for _ in range(6):
        for tracker in trackers:
            tracker.merge_conflicts()
        for folder in folders[1:]:
            sync(folders[0], folder)
    for tracker in trackers:
        shown = [(c.id, c.handle, c.company, c.role) for c in tracker.read().contacts]
        assert shown == [(2, "bo-chen", "Initech", "CTO"), (3, "sam-lee", None, None)]
        assert [f.what for f in tracker.doctor() if f.level != "ok"] == []


def test_a_damaged_line_in_a_conflict_copy_is_named_not_passed_over_in_silence(
    tmp_path: Path, clock: Clock
) -> None:
    home = tmp_path / "home"
    a, theirs = _log_and_another_machine_s(home, clock, "Ana Ruiz", "Sam Lee")
    theirs = theirs.replace(b"Ana Ruiz", b"Ana Ru1z")  # its check fails now
    copy = "journal.sync-conflict-20261126-101010-ABCDEFG.jsonl"
    (home / copy).write_bytes(theirs)
    [(_, result)] = a.merge_conflicts()
    assert not isinstance(result, str)
    assert sorted(c.name for c in a.read().contacts) == ["Bo Chen", "Jane Doe", "Sam Lee"]
    assert result["overwritten"] == [
        f"1 line of {copy} could not be read (damaged), so what it changed was not merged; "
        "the copy is kept in merged/"
    ]
    assert (home / "merged" / copy).read_bytes() == theirs


def test_an_undo_on_a_machine_that_folded_is_not_taken_for_an_old_copy(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desktop edits Bo and takes it back, folding; the laptop folds another
    change at once. The desktop's snapshot holds Bo as he was before the edit: the
    undo put him back, so he is not an old copy to pass over."""
    from infoint import journal

    a, b, sync = _two_machines(tmp_path, clock)
    clock.advance(minutes=5)
    b.edit("bo-chen", ContactFields(company="Initech"))
    sync(a.paths.data_dir, b.paths.data_dir)  # the laptop sees the edit
    clock.advance(minutes=5)
    monkeypatch.setattr(journal, "COMPACT_BYTES", 0)  # every write folds, on both
    a.add_contact("Sam Lee", ContactFields())
    target, _ = b.undo_preview()
    b.undo(target["seq"])
    monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)
    os.utime(a.paths.store_file)  # the laptop's snapshot keeps the name
    _sync_and_merge(a, b, sync)
    for tracker in (a, b):
        shown = [(c.handle, c.company) for c in tracker.read().contacts]
        assert shown == [("jane-doe", None), ("bo-chen", None), ("sam-lee", None)]
