"""A change log per machine (logs.py): machines that sync their data folder file by
file never write the same file, so a sync engine has nothing to conflict on; the
state is the snapshot plus every machine's lines in the order of a hybrid logical
clock; an older store moves to this layout on its first write, after a byte-for-byte
backup, and the infoint before it refuses to write it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Clock
from disk import all_logs, own_log
from infoint import journal, logs, notices
from infoint.files import Paths
from infoint.records import ContactFields
from infoint.services import Tracker
from test_sync import Syncthing, jane_on_two_machines, machine

#: The last commit whose store kept one shared change log (schema_version 1).
OLD_LAYOUT = "114d6aa"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def old_infoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The source of the infoint before the per-machine logs, from this repository's
    own history (skipped where the history is not there, as in a shallow clone)."""
    where = tmp_path_factory.mktemp("old-infoint")
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", OLD_LAYOUT, "src"],
        capture_output=True, check=False,
    )  # fmt: skip
    if archive.returncode != 0:
        pytest.skip(f"the commit {OLD_LAYOUT} is not in this clone's history")
    subprocess.run(["tar", "-x", "-C", str(where)], input=archive.stdout, check=True)
    return where / "src"


def run_old(src: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INFOINT_HOME": str(home), "PYTHONPATH": str(src), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "infoint", *args],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def run_new(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INFOINT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [sys.executable, "-m", "infoint", *args],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def names(home: Path) -> list[str]:
    done = run_new(home, "contacts", "--all", "--json")
    assert done.returncode == 0, done.stderr
    return sorted(c["name"] for c in json.loads(done.stdout))


# moving to the new layout ------------------------------------------------------------


def test_an_older_store_moves_on_its_first_write_after_a_byte_for_byte_backup(
    tmp_path: Path, old_infoint: Path
) -> None:
    home = tmp_path / "home"
    for name in ("Jane Doe", "Bo Chen"):
        assert run_old(old_infoint, home, "add-contact", name).returncode == 0
    assert run_old(old_infoint, home, "edit", "bo-chen", "--company", "Acme").returncode == 0
    old_store, old_log = (home / "store.json").read_bytes(), (home / "journal.jsonl").read_bytes()
    assert json.loads(old_store)["schema_version"] == 1 and old_log  # the older layout

    assert names(home) == ["Bo Chen", "Jane Doe"]  # read as it is: nothing written
    assert (home / "store.json").read_bytes() == old_store
    assert not list(home.glob("journal.*.jsonl"))

    done = run_new(home, "add-contact", "Sam Lee")
    assert done.returncode == 0, done.stderr
    (backup,) = (home / "backups").glob("store-*-before-migration-v1.json")
    assert backup.read_bytes() == old_store
    assert Path(str(backup).replace(".json", ".journal.jsonl")).read_bytes() == old_log
    migrated = json.loads((home / "store.json").read_bytes())
    assert migrated["schema_version"] == 2 and migrated["folded"]["shared"] >= 3
    assert not (home / "journal.jsonl").exists()  # folded in, kept in history/
    assert any(p.read_bytes() == old_log for p in (home / "history").iterdir())
    assert names(home) == ["Bo Chen", "Jane Doe", "Sam Lee"]
    shown = json.loads(run_new(home, "show", "bo-chen", "--json").stdout)
    assert shown["company"] == "Acme"
    # what this machine did before the move is still its own to undo, in order
    done = run_new(home, "undo", "--yes")
    assert "remove contact Sam Lee" in done.stderr
    done = run_new(home, "undo", "--yes", "--older")
    assert done.returncode == 0, done.stderr
    assert json.loads(run_new(home, "show", "bo-chen", "--json").stdout)["company"] is None


def test_the_infoint_before_refuses_to_write_the_new_layout_and_says_to_upgrade(
    tmp_path: Path, old_infoint: Path
) -> None:
    home = tmp_path / "home"
    assert run_new(home, "add-contact", "Jane Doe").returncode == 0
    assert run_new(home, "edit", "jane-doe", "--company", "Acme").returncode == 0
    before = {p.name: p.read_bytes() for p in home.iterdir() if p.is_file()}
    done = run_old(old_infoint, home, "add-contact", "Sam Lee")
    assert done.returncode == 1
    assert "written by a newer infoint" in done.stderr and "Upgrade infoint" in done.stderr
    assert {p.name: p.read_bytes() for p in home.iterdir() if p.is_file()} == before


def test_a_late_line_from_a_machine_still_on_the_older_version_is_taken_in(
    tmp_path: Path, clock: Clock, old_infoint: Path
) -> None:
    """The desktop moved to the new layout while the laptop, still on the older
    version and not yet synced, added a contact to the shared log: a sync brings
    that log back, and its new line is read like any machine's."""
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    assert run_old(old_infoint, laptop, "add-contact", "Jane Doe").returncode == 0
    assert run_old(old_infoint, laptop, "add-contact", "Bo Chen").returncode == 0
    sync = Syncthing()
    desktop.mkdir(mode=0o700)
    sync(laptop, desktop)
    assert run_new(desktop, "edit", "jane-doe", "--company", "Acme").returncode == 0
    assert run_old(old_infoint, laptop, "add-contact", "Sam Lee").returncode == 0
    sync(laptop, desktop)
    for home in (laptop, desktop):
        assert names(home) == ["Bo Chen", "Jane Doe", "Sam Lee"]
    assert json.loads(run_new(desktop, "show", "jane-doe", "--json").stdout)["company"] == "Acme"
    assert run_old(old_infoint, laptop, "add-contact", "Ana Ruiz").returncode == 1  # now refused


# many machines, no conflict copies ---------------------------------------------------


@pytest.fixture
def three(tmp_path: Path, clock: Clock) -> Iterator[tuple[list[Tracker], Any]]:
    folders = [tmp_path / n for n in ("laptop", "desktop", "work")]
    sync = Syncthing()
    first = machine(folders[0], clock)
    first.add_contact("Jane Doe", ContactFields())
    for folder in folders[1:]:
        folder.mkdir(mode=0o700)
        sync(folders[0], folder)

    def everywhere() -> None:
        for _ in range(2):
            for other in folders[1:]:
                sync(folders[0], other)

    yield [machine(f, clock) for f in folders], everywhere


def test_three_machines_adding_and_editing_at_once_agree_after_one_sync(
    three: tuple[list[Tracker], Any], clock: Clock
) -> None:
    trackers, everywhere = three
    for n, tracker in enumerate(trackers):
        clock.advance(minutes=1)
        tracker.add_contact(f"Person {n}", ContactFields())
        tracker.edit("jane-doe", ContactFields(tags=[f"t{n}"]) if n else ContactFields(role="CEO"))
    everywhere()
    seen = []
    for tracker in trackers:
        doc = tracker.read()
        seen.append(sorted((c.id, c.handle, c.role, tuple(c.tags)) for c in doc.contacts))
        assert [f.what for f in tracker.doctor() if f.level != "ok"] == []
        folder = tracker.paths.data_dir
        assert not [p for p in folder.rglob("*") if "conflict" in p.name]
        assert len(all_logs(folder)) == 3  # one log per machine, each written by one
    assert seen[0] == seen[1] == seen[2]
    assert [row[0] for row in seen[0]] == [1, 2, 3, 4]  # three contact 2s: two renumbered
    # each field's latest change; tags added on two machines are both kept
    assert seen[0][0][1:] == ("jane-doe", "CEO", ("t1", "t2"))


def test_a_big_import_on_one_machine_while_the_other_adds(tmp_path: Path, clock: Clock) -> None:
    a, b, sync = jane_on_two_machines(tmp_path, clock)
    laptop, desktop = a.paths.data_dir, b.paths.data_dir
    rows = "\n".join(f"Person,{n},p{n}@example.com,Co {n},Role,26 Nov 2026" for n in range(300))
    export = tmp_path / "Connections.csv"
    export.write_text(
        "First Name,Last Name,Email Address,Company,Position,Connected On\n" + rows + "\n"
    )
    clock.advance(minutes=1)
    a.import_file("linkedin", export)
    clock.advance(minutes=1)
    b.add_contact("Ana Ruiz", ContactFields())
    sync(laptop, desktop)
    for tracker in (a, b):
        doc = tracker.read()
        assert len(doc.contacts) == 302
        assert len({c.id for c in doc.contacts}) == 302
        assert len({c.handle for c in doc.contacts}) == 302
    assert not [p for p in laptop.rglob("*") if "conflict" in p.name]


def test_a_later_change_wins_by_the_clock_it_was_made_on_not_by_the_wall_clock(
    tmp_path: Path, clock: Clock
) -> None:
    """The desktop's clock is an hour behind. It sees the laptop's edit, then edits
    the same field: its change came after, so it holds on both machines (the wall
    clock alone would have kept the laptop's)."""
    from datetime import timedelta

    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    sync = Syncthing()
    a = machine(laptop, clock)
    a.add_contact("Jane Doe", ContactFields())
    desktop.mkdir(mode=0o700)
    sync(laptop, desktop)
    behind = Clock(clock.now - timedelta(hours=1))
    b = Tracker(Paths(desktop, desktop / "config.toml"), clock=behind)
    clock.advance(minutes=1)
    a.edit("jane-doe", ContactFields(location="Lyon"))
    sync(laptop, desktop)
    assert b.read().contacts[0].location == "Lyon"
    behind.advance(minutes=2)
    b.edit("jane-doe", ContactFields(location="Paris"))
    sync(laptop, desktop)
    for tracker in (a, b):
        assert tracker.read().contacts[0].location == "Paris"
    (line,) = [e for e in journal.read(own_log(desktop))]
    assert line["hlc"] > max(e["hlc"] for e in journal.read(own_log(laptop)))


def test_both_machines_folding_at_once_lose_nothing_and_set_the_copy_aside(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, sync = jane_on_two_machines(tmp_path, clock)
    laptop, desktop = a.paths.data_dir, b.paths.data_dir
    monkeypatch.setattr(journal, "COMPACT_BYTES", 0)  # every write folds, on both
    clock.advance(minutes=1)
    a.edit("jane-doe", ContactFields(company="Acme"))
    clock.advance(minutes=1)
    b.edit("jane-doe", ContactFields(role="CEO"))
    b.add_contact("Ana Ruiz", ContactFields())
    monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)
    sync(laptop, desktop)
    (copy,) = laptop.glob("store.sync-conflict-*.json")
    for home in (laptop, desktop):
        said = run_new(home, "contacts").stderr
        assert f"Set aside {copy.name}, a copy a sync service left: everything in it" in said
    sync(laptop, desktop)
    for tracker in (a, b):
        doc = tracker.read()
        assert [(c.name, c.company, c.role) for c in doc.contacts] == [
            ("Jane Doe", "Acme", "CEO"),
            ("Ana Ruiz", None, None),
        ]
        assert (tracker.paths.data_dir / "merged" / copy.name).exists()
        assert not list(tracker.paths.data_dir.glob("store.sync-conflict-*"))


def test_a_machine_trims_only_its_own_log_after_another_folds_it_in(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, sync = jane_on_two_machines(tmp_path, clock)
    laptop, desktop = a.paths.data_dir, b.paths.data_dir
    b.add_contact("Ana Ruiz", ContactFields())
    sync(laptop, desktop)
    theirs = own_log(desktop).read_bytes()
    monkeypatch.setattr(journal, "COMPACT_BYTES", 0)
    a.add_contact("Sam Lee", ContactFields())  # folds the desktop's line in too
    monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)
    assert (laptop / own_log(desktop).name).read_bytes() == theirs  # never written here
    sync(laptop, desktop)
    b.add_contact("Bo Chen", ContactFields())  # moves its folded line to history/
    assert [e["command"] for e in journal.read(own_log(desktop))] == ["add-contact"]
    assert len(journal.read(own_log(desktop))) == 1
    sync(laptop, desktop)
    for home in (laptop, desktop):
        assert names(home) == ["Ana Ruiz", "Bo Chen", "Jane Doe", "Sam Lee"]


def test_a_renumbering_is_said_once_on_each_machine(tmp_path: Path, clock: Clock) -> None:
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    sync = Syncthing()
    machine(laptop, clock).add_contact("Jane Doe", ContactFields())
    desktop.mkdir(mode=0o700)
    sync(laptop, desktop)
    run_new(laptop, "add-contact", "Sam Lee")
    run_new(desktop, "add-contact", "Ana Ruiz")
    sync(laptop, desktop)
    host = logs.host()
    for home in (laptop, desktop):
        first = run_new(home, "contacts")
        said = f"Note: contact 2 (Ana Ruiz) from {host} is now 3 (the number was taken)."
        assert said in first.stderr
        assert run_new(home, "contacts").stderr == ""
        assert notices.take(Paths(home, home / "config.toml")) == []
