"""The store: round trips, unknown fields, permissions, damaged files, concurrency."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from build import Doc, days
from conftest import NOW
from infoint.errors import StoreError
from infoint.files import Paths, atomic_write, read_toml
from infoint.models import SCHEMA_VERSION, empty_store
from infoint.records import ContactFields
from infoint.services import Tracker
from infoint.store import Store, dump


@pytest.fixture
def store(home: Path) -> Store:
    return Store(Paths.from_env())


def test_missing_store_reads_as_empty_and_creates_nothing(store: Store, home: Path) -> None:
    doc = store.load()
    assert doc.contacts == [] and doc.schema_version == SCHEMA_VERSION
    assert not home.exists()


def test_round_trip_is_lossless(store: Store) -> None:
    built = Doc()
    c = built.contact(tags=["design"], questions=["Why?"])
    built.outreach(c, days(-3))
    built.reply(c, days(-2))
    built.meeting(c, days(2), mode="in_person", place="Blue Bottle", venue="cafe")
    store.save(built.doc)
    loaded = store.load()
    assert loaded == built.doc
    assert dump(loaded) == store.paths.store_file.read_bytes()


def test_unknown_fields_survive_a_load_save_round_trip(store: Store, tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    raw = json.loads(store.paths.store_file.read_text())
    raw["from_the_future"] = {"x": 1}
    raw["contacts"][0]["nickname"] = "JD"
    store.paths.store_file.write_text(json.dumps(raw))
    tracker.add_contact("Sam Lee", ContactFields())
    tracker.edit("jane-doe", ContactFields(role="Editor"))
    store.save(store.load())  # fold the change log into the snapshot
    after = json.loads(store.paths.store_file.read_text())
    assert after["from_the_future"] == {"x": 1}
    assert after["contacts"][0]["nickname"] == "JD"
    assert after["contacts"][0]["role"] == "Editor"
    assert [c["handle"] for c in after["contacts"]] == ["jane-doe", "sam-lee"]


def test_files_are_private(tracker: Tracker, home: Path) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.config_set("reply_wait_days", "10")
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "store.json").stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "config.toml").stat().st_mode) == 0o600
    assert not [p.name for p in home.iterdir() if p.name.endswith(".tmp")]


def test_one_lock_for_every_way_of_reaching_the_folder(
    tracker: Tracker, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cron with another cache folder, a sandboxed app, a symlink or a bind mount: all
    lock the same file, so two writers can never both hold it."""
    import fcntl

    from infoint import files

    tracker.add_contact("Jane Doe", ContactFields())
    link = tmp_path / "elsewhere"
    link.symlink_to(home)
    other = files.Paths(link, link / "config.toml")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-cache"))
    assert other.lock_file != tracker.paths.lock_file  # two spellings of one file
    with files.exclusive_lock(tracker.paths.lock_file, tracker.paths.store_file):
        fd = os.open(other.lock_file, os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
    monkeypatch.setattr(files, "LOCK_TIMEOUT_SECONDS", 0.05)
    with (
        files.exclusive_lock(tracker.paths.lock_file, tracker.paths.store_file),
        pytest.raises(StoreError, match="Another infoint"),
    ):
        Tracker(other).add_contact("Sam Lee", ContactFields())


def test_stored_json_has_a_schema_version_and_offsets(tracker: Tracker, home: Path) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    raw = json.loads((home / "store.json").read_text())
    assert raw["schema_version"] == SCHEMA_VERSION
    created = raw["contacts"][0]["created_at"]
    assert created.endswith(("Z", "+00:00"))


CORRUPT = {
    "empty": b"",
    "whitespace": b"  \n",
    "truncated": b'{"schema_version": 1, "contacts": [{"id": 1,',
    "not json": b"hello",
    "array": b"[]",
    "no version": b'{"contacts": []}',
    "string version": b'{"schema_version": "one"}',
    "zero version": b'{"schema_version": 0}',
    "invalid utf-8": b'{"schema_version": 1, "x": "\xff\xfe"}',
    "conflict markers": b'<<<<<<< HEAD\n{"schema_version": 1}\n=======\n{}\n>>>>>>> other\n',
    "nul bytes": b"\x00\x00\x00",
}


@pytest.mark.parametrize("name", list(CORRUPT))
def test_a_damaged_store_is_reported_and_never_overwritten(
    name: str, store: Store, tracker: Tracker
) -> None:
    path = store.paths.store_file
    path.parent.mkdir(parents=True)
    path.write_bytes(CORRUPT[name])
    with pytest.raises(StoreError) as exc:
        store.load()
    assert str(path) in exc.value.message
    with pytest.raises(StoreError):
        tracker.add_contact("Jane Doe", ContactFields())
    assert path.read_bytes() == CORRUPT[name]


def test_a_store_from_a_newer_infoint_is_read_but_never_written(
    store: Store, tracker: Tracker
) -> None:
    store.paths.store_file.parent.mkdir(parents=True)
    raw = b'{"schema_version": 99, "contacts": [], "new_thing": {"x": 1}}'
    store.paths.store_file.write_bytes(raw)
    assert store.load().contacts == []  # reading commands still work
    with pytest.raises(StoreError, match="newer infoint") as exc:
        tracker.add_contact("Jane Doe", ContactFields())
    assert "Upgrade infoint" in (exc.value.hint or "")
    assert store.paths.store_file.read_bytes() == raw


def test_an_older_store_is_upgraded_after_a_byte_identical_backup(
    store: Store, tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infoint import migrations, models

    monkeypatch.setattr(models, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 2)
    import infoint.store as store_module
    import infoint.store_read

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(infoint.store_read, "SCHEMA_VERSION", 2)

    def v1_to_v2(data: dict[str, object]) -> dict[str, object]:
        data["upgraded"] = True
        return data

    monkeypatch.setattr(migrations, "STEPS", {1: v1_to_v2})
    old = (Path(__file__).parent / "fixtures" / "store-v1.json").read_bytes()
    store.paths.store_file.parent.mkdir(parents=True)
    store.paths.store_file.write_bytes(old)
    assert [c.handle for c in store.load().contacts] == ["jane-doe"]
    tracker.add_contact("Sam Lee", ContactFields())
    (backup,) = store.paths.backups_dir.glob("store-*-before-migration-v1.json")
    assert backup.read_bytes() == old
    doc = store.load()
    assert doc.schema_version == 2 and [c.handle for c in doc.contacts] == ["jane-doe", "sam-lee"]


def test_a_version_with_no_upgrade_path_is_named() -> None:
    from infoint import migrations

    with pytest.raises(StoreError, match="schema_version 0"):
        migrations.upgrade({"schema_version": 0}, steps={})


def test_the_golden_v1_store_loads(store: Store) -> None:
    store.paths.store_file.parent.mkdir(parents=True)
    golden = Path(__file__).parent / "fixtures" / "store-v1.json"
    store.paths.store_file.write_bytes(golden.read_bytes())
    doc = store.load()
    assert [c.handle for c in doc.contacts] == ["jane-doe"]
    assert doc.meetings[0].minutes == 30 and doc.events[0].kind == "outreach"
    assert doc.contacts[0].model_extra == {"nickname": "JD"}


def test_duplicate_ids_are_caught(store: Store) -> None:
    built = Doc()
    built.contact("Jane Doe")
    second = built.contact("Sam Lee")
    second.id = 1
    store.save(built.doc)
    with pytest.raises(StoreError, match="contact id 1 appears twice"):
        store.load()


def test_duplicate_uuids_are_caught(store: Store) -> None:
    built = Doc()
    a = built.contact("Jane Doe")
    b = built.contact("Sam Lee")
    b.uuid = a.uuid
    store.save(built.doc)
    with pytest.raises(StoreError, match="appears twice"):
        store.load()


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(empty_store())
    before = store.paths.store_file.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    built = Doc()
    built.contact()
    with pytest.raises(StoreError, match="No space left on device"):
        store.save(built.doc)
    assert store.paths.store_file.read_bytes() == before
    assert [p.name for p in store.paths.data_dir.iterdir() if p.is_file()] == ["store.json"]


def test_a_read_only_folder_is_explained(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    with pytest.raises(StoreError, match="Could not write"):
        atomic_write(folder / "store.json", b"{}")


def test_an_unreadable_folder_for_data_is_explained(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StoreError, match="Could not create the folder"):
        atomic_write(blocker / "sub" / "store.json", b"{}")


def test_a_body_that_raises_writes_nothing(store: Store) -> None:
    store.save(empty_store())
    before = store.paths.store_file.read_bytes()
    with pytest.raises(RuntimeError), store.transaction("test", NOW) as doc:
        doc.schema_version = 1
        Doc().contact()
        raise RuntimeError("boom")
    assert store.paths.store_file.read_bytes() == before


def test_bad_toml_is_reported_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("reply_wait_days = = 3")
    with pytest.raises(StoreError, match=str(path)):
        read_toml(path)
    assert read_toml(tmp_path / "missing.toml") == {}


WRITER = """
import sys
from infoint.records import ContactFields
from infoint.services import Tracker
from infoint.files import Paths
tracker = Tracker(Paths.from_env())
for i in range(int(sys.argv[2])):
    tracker.add_contact(f"Person {sys.argv[1]} {i}", ContactFields())
"""


def test_concurrent_writers_in_separate_processes_lose_nothing(home: Path) -> None:
    env = {**os.environ}
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(n), "10"], env=env) for n in range(6)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0] * 6
    doc = Store(Paths.from_env()).load()
    assert len(doc.contacts) == 60
    assert len({c.handle for c in doc.contacts}) == 60
    assert len({c.id for c in doc.contacts}) == 60


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda doc: setattr(doc.contacts[1], "handle", "jane-doe"),
            "handle jane-doe appears twice",
        ),
        (lambda doc: setattr(doc.events[1], "id", 1), "event id 1 appears twice"),
        (lambda doc: setattr(doc.meetings[1], "id", 1), "meeting id 1 appears twice"),
    ],
)
def test_every_kind_of_duplicate_is_named(store: Store, change: object, message: str) -> None:
    built = Doc()
    jane, sam = built.contact("Jane Doe"), built.contact("Sam Lee")
    built.outreach(jane, days(-2))
    built.outreach(sam, days(-1))
    built.meeting(jane, days(2))
    built.meeting(sam, days(3))
    change(built.doc)  # type: ignore[operator]
    store.save(built.doc)
    with pytest.raises(StoreError, match=message):
        store.load()


def test_a_counter_lowered_by_hand_never_hands_out_an_id_twice(
    store: Store, tracker: Tracker
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.add_contact("Sam Lee", ContactFields())
    store.save(store.load())
    raw = json.loads(store.paths.store_file.read_text())
    raw["next_id"]["contact"] = 1
    store.paths.store_file.write_text(json.dumps(raw))
    assert tracker.add_contact("Bo Chen", ContactFields()).record.id == 3


def test_the_snapshot_is_indented_json_ending_in_a_newline(store: Store, tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    text = store.paths.store_file.read_text()
    assert text.startswith('{\n "schema_version": 2,\n') and text.endswith("}\n")
    assert json.loads(text)["contacts"][0]["handle"] == "jane-doe"


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


# the write gate ------------------------------------------------------------------------


def test_a_change_made_by_setting_a_field_is_validated_before_it_is_written(
    tracker: Tracker, home: Path
) -> None:
    """Records a command changes are read without validating them again (the index
    proves them unchanged); what it sets on them is validated when written."""
    tracker.add_contact("Jane Doe", ContactFields(company="Acme"))
    tracker.count()  # the index is built
    before = {p.name: p.read_bytes() for p in home.iterdir() if p.is_file()}
    from infoint.services.base import find_contact

    with (
        pytest.raises(StoreError, match=r"invalid record \(name") as refused,
        tracker._transaction("edit") as doc,
    ):
        find_contact(doc, "jane-doe").name = ""  # a model field set: not checked as set
    assert "Nothing was changed" in refused.value.message
    assert {p.name: p.read_bytes() for p in home.iterdir() if p.is_file()} == before
    assert tracker.show("jane-doe")[0].contact.name == "Jane Doe"


def test_a_meeting_set_past_its_cap_is_refused_at_the_gate(tracker: Tracker) -> None:
    from datetime import timedelta

    tracker.add_contact("Jane Doe", ContactFields())
    tracker.schedule("jane-doe", NOW + timedelta(days=2), None, "phone")
    with pytest.raises(StoreError, match="minutes"), tracker._transaction("edit") as doc:
        from infoint.services.base import find_meeting

        find_meeting(doc, "1").minutes = 90
    assert tracker.read().meetings[0].minutes == 30
