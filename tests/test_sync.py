"""Two machines, one data folder synced file by file the way Syncthing and Dropbox do
it: a file changed on one side is copied over; a file changed on both keeps the newer
one under its name and the other beside it as a conflict copy, on both sides. The next
infoint command on either machine merges such a copy and moves it to `merged/`."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from conftest import Clock
from infoint.files import Paths
from infoint.records import ContactFields
from infoint.services import Tracker


class Syncthing:
    """Syncs folders pairwise by file, remembering what each file was at the last sync."""

    def __init__(self, style: str = "syncthing") -> None:
        self.seen: dict[tuple[Path, Path], dict[str, str]] = {}
        self.style = style

    @staticmethod
    def _files(folder: Path) -> dict[str, str]:
        out = {}
        for path in folder.rglob("*"):
            if path.is_file() and path.name != ".infoint.lock":
                out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
        return out

    def conflict_name(self, name: str) -> str:
        stem, _, ext = name.rpartition(".")
        if self.style == "dropbox":
            return f"{stem} (conflicted copy 2026-11-26).{ext}"
        return f"{stem}.sync-conflict-20261126-101010-ABCDEFG.{ext}"

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
    os.utime(desktop / "journal.jsonl")  # the desktop wrote last
    sync(laptop, desktop)
    copies = [p.name for p in laptop.iterdir() if "conflict" in p.name]
    assert copies, "both machines changed the change log: the sync left a copy"
    for tracker in (a, b):
        tracker.merge_conflicts()
    clock.advance(minutes=5)
    sync(laptop, desktop)
    for tracker in (a, b):
        tracker.merge_conflicts()  # whatever the second sync brought
    sync(laptop, desktop)
    for tracker in (a, b):
        doc = tracker.read()
        assert sorted(c.name for c in doc.contacts) == [
            "Ana Ruiz",
            "Bo Chen",
            "Jane Doe",
            "Sam Lee",
        ]
        assert len({c.id for c in doc.contacts}) == 4 and len({c.handle for c in doc.contacts}) == 4
        assert not [p for p in tracker.paths.data_dir.iterdir() if "conflict" in p.name]
        assert [f.level for f in tracker.doctor() if f.level == "error"] == []


def test_a_conflict_copy_of_the_change_log_is_merged_by_the_next_command(
    tmp_path: Path, clock: Clock
) -> None:
    home = tmp_path / "home"
    a = machine(home, clock)
    a.add_contact("Jane Doe", ContactFields())
    a.add_contact("Bo Chen", ContactFields())
    log = home / "journal.jsonl"
    mine = log.read_bytes()
    a.add_contact("Ana Ruiz", ContactFields())  # on the other machine, say
    theirs = log.read_bytes()
    log.write_bytes(mine)
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
    source = home / ("journal.jsonl" if name.startswith("journal") else "store.json")
    (home / name).write_bytes(source.read_bytes())
    assert [p.name for p in doctor.conflict_copies(a.paths)] == [name]
    results = a.merge_conflicts()
    assert [r for _, r in results if isinstance(r, str)] == []
    assert (home / "merged" / name).exists() and not (home / name).exists()
    assert sorted(c.name for c in a.read().contacts) == ["Bo Chen", "Jane Doe"]


def test_three_machines_adding_at_once_end_with_everyone(tmp_path: Path, clock: Clock) -> None:
    folders = [tmp_path / n for n in ("laptop", "desktop", "work")]
    sync = Syncthing()
    first = machine(folders[0], clock)
    first.add_contact("Jane Doe", ContactFields())
    first.add_contact("Bo Chen", ContactFields())
    for folder in folders[1:]:
        folder.mkdir(mode=0o700)
        sync(folders[0], folder)
    trackers = [machine(folder, clock) for folder in folders]
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
