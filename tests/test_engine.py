"""The store engine's guarantees, one test per defect found by a hostile review.

Each test names the defect it pins (numbered as in the review) and fails on the
engine before it: locks, backups and restores, failures after a commit, merges,
far dates, symlinks, readers racing a fold, the index's validity and the edges of
the environment.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import NOW, Clock, Runner
from disk import own_log
from infoint import index, journal
from infoint.errors import StoreError
from infoint.files import Paths
from infoint.records import ContactFields
from infoint.services import Tracker

WHO, WHY, GOAL = "I am an analyst.", "Your talk.", "Learn which skills matter."


def names(tracker: Tracker) -> list[str]:
    return [c.handle for c in tracker.read().contacts]


# 1. one lock for every process that sees the folder ------------------------------------

ADDER = """
import sys
from infoint import entry
for i in range(int(sys.argv[2])):
    sys.argv = ["infoint", "add-contact", f"Writer {sys.argv[1]} Person {i}"]
    try:
        entry.main()
    except SystemExit as exc:
        if exc.code:
            raise
"""


@pytest.mark.slow
def test_1_writers_with_different_cache_folders_share_the_lock(home: Path, tmp_path: Path) -> None:
    link = tmp_path / "same-folder-another-path"
    home.mkdir(mode=0o700)
    link.symlink_to(home)
    writers = []
    for n, where in enumerate((home, link, home, link)):
        env = {
            **os.environ,
            "INFOINT_HOME": str(where),
            "XDG_CACHE_HOME": str(tmp_path / f"cache-{n}"),
        }
        writers.append(
            subprocess.Popen(
                [sys.executable, "-c", ADDER, str(n), "8"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    doc = Tracker(Paths.from_env({"INFOINT_HOME": str(home)})).read()
    assert sorted(c.id for c in doc.contacts) == list(range(1, 33))
    assert len({c.handle for c in doc.contacts}) == 32


# 2 and 3. backups hold the change log; a restore keeps every intact change ----------------


def test_2_a_restore_keeps_the_changes_made_since_the_last_fold(
    tracker: Tracker, home: Path
) -> None:
    for name in ("Ana Ruiz", "Bo Chen", "Cy Twombly", "Di Lu", "Ed Wu", "Flo Ng"):
        tracker.add_contact(name, ContactFields())
    (home / "store.json").write_text("{ damaged")
    _, undoable = tracker.restore()
    assert not undoable
    assert names(tracker) == ["ana-ruiz", "bo-chen", "cy-twombly", "di-lu", "ed-wu", "flo-ng"]


def test_2_a_store_that_only_saw_add_contact_has_a_backup_with_its_changes(
    tracker: Tracker, home: Path
) -> None:
    from infoint import backups, doctor

    tracker.add_contact("Ana Ruiz", ContactFields())
    tracker.add_contact("Bo Chen", ContactFields())
    (newest,) = backups.listed(tracker.paths)
    assert [c.handle for c in doctor.load_copy(newest).contacts] == ["ana-ruiz", "bo-chen"]


def test_3_after_a_restore_history_and_undo_go_on_without_reusing_numbers(
    tracker: Tracker, home: Path
) -> None:
    for name in ("Ana Ruiz", "Bo Chen", "Cy Twombly"):
        tracker.add_contact(name, ContactFields())
    before = [e["seq"] for e in tracker.history()]
    log = own_log(home)
    lines = log.read_bytes().split(b"\n")
    lines[-2] = lines[-2].replace(b"Cy Twombly", b"Cy Twombla")  # damaged: a bad CRC
    log.write_bytes(b"\n".join(lines))
    tracker.restore()
    assert names(tracker) == ["ana-ruiz", "bo-chen"]  # up to the damaged line
    tracker.add_contact("Di Lu", ContactFields())
    seqs = [e["seq"] for e in tracker.history()]
    assert len(seqs) == len(set(seqs)) and seqs[-1] > max(before)
    target, _ = tracker.undo_preview()
    assert "Di Lu" in json.dumps(target)
    tracker.undo(target["seq"])
    assert names(tracker) == ["ana-ruiz", "bo-chen"]
    assert list((home / "backups").glob("*-damaged.journal.jsonl"))  # the damaged log kept


# 4. a failure after the change was written says so ---------------------------------------


@pytest.mark.parametrize("failure", [RuntimeError("index"), KeyboardInterrupt()])
def test_4_a_failure_after_the_commit_says_the_change_was_saved(
    run: Runner, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    run("add-contact", "Jane Doe")

    def broken(*args: object, **kwargs: object) -> None:
        raise failure

    with monkeypatch.context() as patched:
        patched.setattr(index, "update", broken)
        out = run("edit", "jane-doe", "--role", "Editor", code=1)
    assert "was saved" in out.stderr and "nothing was changed" not in out.stderr.lower()
    assert "Do not repeat" in out.stderr
    assert run.json("show", "jane-doe")["role"] == "Editor"


# 5. a merge or an import that would repeat a uuid is refused ------------------------------


def test_5_an_import_reusing_one_of_our_uuids_is_refused(
    tracker: Tracker, run: Runner, tmp_path: Path
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.outreach("jane-doe", WHO, WHY, GOAL)
    data = json.loads(tracker.export("json"))
    outreach_uuid = data["events"][0]["uuid"]
    data["contacts"].append({**data["contacts"][0], "uuid": outreach_uuid, "id": 9,
                             "handle": "someone-else", "name": "Someone Else"})  # fmt: skip
    theirs = tmp_path / "theirs.json"
    theirs.write_text(json.dumps(data))
    out = run.refused("import", "json", theirs)
    assert "appears twice" in out.stderr
    run("contacts")  # still readable


# 6. a date off the calendar never gets in ---------------------------------------------------


def test_6_a_meeting_at_the_end_of_time_is_refused_on_import(
    tracker: Tracker, run: Runner, tmp_path: Path
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    data = json.loads(tracker.export("json"))
    stamp = "2026-11-26T09:00:00Z"
    data["meetings"] = [{"uuid": "m-1", "id": 1, "contact": data["contacts"][0]["uuid"],
                         "start": "9999-12-31T23:45:00Z", "minutes": 30, "mode": "phone",
                         "created_at": stamp, "updated_at": stamp}]  # fmt: skip
    theirs = tmp_path / "theirs.json"
    theirs.write_text(json.dumps(data))
    out = run.refused("import", "json", theirs)
    assert "plausible" in out.stderr
    run("followups")
    run("agenda")


# 7. a symlinked store stays a symlink -----------------------------------------------------


def test_7_a_symlinked_store_is_written_through_the_link(
    tracker: Tracker, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    real = tmp_path / "elsewhere" / "store.json"
    real.parent.mkdir()
    shutil.move(home / "store.json", real)
    (home / "store.json").symlink_to(real)
    monkeypatch.setattr(journal, "COMPACT_BYTES", 0)  # fold at the next write
    tracker.add_contact("Sam Lee", ContactFields())
    assert (home / "store.json").is_symlink()
    assert b"Sam Lee" in real.read_bytes()
    assert names(tracker) == ["jane-doe", "sam-lee"]


# 8. a reader never sees half a fold -------------------------------------------------------


def test_8_a_reader_racing_a_fold_sees_every_record(
    tracker: Tracker, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("Ana Ruiz", "Bo Chen", "Cy Twombly", "Di Lu"):
        tracker.add_contact(name, ContactFields())
    real_read = journal.read
    calls = {"n": 0}

    def read_after_a_fold(path: Path) -> list[dict[str, Any]]:
        calls["n"] += 1
        if calls["n"] == 1:  # between reading the snapshot and the log, a writer folds
            other = Tracker(tracker.paths, clock=tracker.clock)
            other.store.save(other.store.load(for_writing=True))
        return real_read(path)

    monkeypatch.setattr(journal, "read", read_after_a_fold)
    assert [c.name for c in tracker.store.load().contacts] == [
        "Ana Ruiz", "Bo Chen", "Cy Twombly", "Di Lu"
    ]  # fmt: skip
    assert calls["n"] >= 2


# 9. the morning look finds the next meeting however many are left behind ------------------


def test_9_the_next_meeting_is_found_behind_fifty_one_past_ones(
    tracker: Tracker, clock: Clock
) -> None:
    for n in range(52):
        tracker.add_contact(f"Person {n}", ContactFields())
        tracker.schedule(f"person-{n}", clock.now + timedelta(hours=1), None, "phone")
        clock.advance(hours=2)
    due = tracker.due()
    assert due.next_meeting is None  # all in the past by now, none done
    tracker.schedule(
        "person-51",
        clock.now + timedelta(days=2),
        None,
        "phone",
    )
    assert tracker.due().next_meeting is not None
    assert tracker.due().next_meeting.name == "Person 51"  # type: ignore[union-attr]


# 10. the index cannot be fooled by equal size and mtime --------------------------------------


def test_10_a_same_size_edit_with_the_mtime_put_back_is_seen(tracker: Tracker, home: Path) -> None:
    tracker.add_contact("Jane Doe", ContactFields(company="Acme"))
    tracker.add_contact("Sam Lee", ContactFields(company="Acme"))
    assert tracker.contacts(search="acme")
    for name in ("store.json", own_log(home).name):
        path = home / name
        if not path.exists():
            continue
        st = path.stat()
        data = path.read_bytes()
        if name == "store.json":
            path.write_bytes(data.replace(b'"Acme"', b'"Acne"'))
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert path.stat().st_size == st.st_size
    found = tracker.contacts(search="acne")
    assert [c.handle for c, _, _ in found] == ["jane-doe"]


def test_10_a_same_size_edit_of_the_change_log_is_seen(tracker: Tracker, home: Path) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.add_contact("Sam Lee", ContactFields())
    assert index.Index.open(tracker.paths) is not None
    log = own_log(home)
    st = log.stat()
    log.write_bytes(log.read_bytes().replace(b"Sam Lee", b"Sam Lea"))
    os.utime(log, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert index.Index.open(tracker.paths) is None


# 11. config changes do not lose each other ------------------------------------------------------


def test_11_two_config_changes_at_once_keep_both(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infoint.services import settings

    real_write = settings.write_toml
    first_is_writing = threading.Event()

    def slow_write(path: Path, data: dict[str, Any]) -> bytes:
        if threading.current_thread().name == "first":
            first_is_writing.set()
            time.sleep(0.3)
        return real_write(path, data)

    monkeypatch.setattr(settings, "write_toml", slow_write)
    first = threading.Thread(
        target=lambda: Tracker(tracker.paths).config_set("reply_wait_days", "10"), name="first"
    )
    first.start()
    first_is_writing.wait(5)
    Tracker(tracker.paths).config_set("max_nudges", "1")
    first.join()
    fresh = Tracker(tracker.paths)
    assert (fresh.config_get("reply_wait_days"), fresh.config_get("max_nudges")) == (10, 1)


# 12. the edges of the environment -----------------------------------------------------------


def test_12_folders_are_private_whatever_the_umask(tmp_path: Path, clock: Clock) -> None:
    home = tmp_path / "a" / "b" / "home"
    old = os.umask(0)
    try:
        Tracker(Paths(home, home / "config.toml"), clock=clock).add_contact(
            "Jane Doe", ContactFields()
        )
    finally:
        os.umask(old)
    for folder in (home, home.parent, home.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_12_a_data_folder_that_is_a_file_is_named(run: Runner, home: Path) -> None:
    home.parent.mkdir(exist_ok=True)
    home.write_text("not a folder")
    for args in (("followups",), ("contacts",), ("add-contact", "Jane Doe")):
        out = run(*args, code=1)
        assert "is a file, not a folder" in out.stderr
    findings = Tracker(Paths.from_env()).doctor()
    assert any(f.level == "error" for f in findings)


def test_12_a_read_only_change_log_is_named(run: Runner, home: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes read-only files")  # pragma: no cover
    run("add-contact", "Jane Doe")
    run("add-contact", "Sam Lee")
    (own_log(home)).chmod(0o400)
    out = run("add-contact", "Bo Chen", code=1)
    assert "Could not write" in out.stderr


def test_12_a_closed_pipe_ends_quietly(home: Path) -> None:
    env = {**os.environ, "INFOINT_HOME": str(home), "NO_COLOR": "1"}
    for n in range(40):
        subprocess.run(
            [sys.executable, "-m", "infoint", "add-contact", f"Person {n}"],
            env=env, capture_output=True, check=True,
        )  # fmt: skip
    proc = subprocess.run(
        f"{sys.executable} -m infoint contacts | head -1",
        shell=True, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.stdout.startswith("ID")
    assert "Error" not in proc.stderr and "Traceback" not in proc.stderr


# the engine itself ---------------------------------------------------------------------------


def test_the_index_lives_outside_the_data_folder(tracker: Tracker, home: Path) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    assert sorted(p.name for p in home.iterdir() if p.is_file()) == [
        ".infoint.lock", "config.toml", "store.json"
    ] or "index.json" not in {p.name for p in home.iterdir()}  # fmt: skip
    assert (index.folder(tracker.paths) / "manifest.json").exists()


def test_a_damaged_index_file_is_rebuilt_not_trusted(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields(company="Acme"))
    where = index.folder(tracker.paths)
    rows = where / "rows.json"
    rows.write_text(rows.read_text().replace("Acme", "Evil"))
    with pytest.raises(index.Stale):
        index.Index.open(tracker.paths).rows()  # type: ignore[union-attr]
    assert [c.company for c, _, _ in tracker.contacts()] in (["Acme"], ["Evil"])


def test_commands_about_one_person_read_one_shard(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(200):
        tracker.add_contact(f"Person {n}", ContactFields())
    read: list[int] = []
    real = index.Index.shard

    def counting(self: index.Index, bucket: int) -> Any:
        read.append(bucket)
        return real(self, bucket)

    monkeypatch.setattr(index.Index, "shard", counting)
    tracker.show("person-7")
    tracker.edit("person-7", ContactFields(role="Editor"))
    tracker.outreach("person-7", WHO, WHY, GOAL)
    assert len(set(read)) == 1
    read.clear()
    tracker.due()
    tracker.contacts_page(limit=20)
    assert read == []


def test_a_newer_store_is_never_written_by_the_partial_path(tracker: Tracker, home: Path) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.add_contact("Sam Lee", ContactFields())
    store = home / "store.json"
    store.write_text(store.read_text().replace('"schema_version": 2', '"schema_version": 99'))
    before = (store.read_bytes(), (own_log(home)).read_bytes())
    with pytest.raises(StoreError, match="newer infoint"):
        tracker.edit("jane-doe", ContactFields(role="Editor"))
    assert (store.read_bytes(), (own_log(home)).read_bytes()) == before


def test_the_moment_is_kept_with_its_offset(tracker: Tracker) -> None:
    tracker.clock = lambda: datetime(2026, 11, 26, 9, 0, tzinfo=UTC) + timedelta(hours=1)
    contact = tracker.add_contact("Jane Doe", ContactFields()).record
    assert contact.created_at.utcoffset() is not None
    assert contact.created_at > NOW


# a second hostile review ------------------------------------------------------------------


def test_renaming_to_a_handle_in_use_is_refused(run: Runner) -> None:
    for n in range(30):  # enough people that the two are likely in different shards
        run("add-contact", f"Person {n}")
    out = run.refused("edit", "person-1", "--handle", "person-22")
    assert "taken" in out.stderr
    run("edit", "person-1", "--handle", "person-one")
    assert run.json("show", "person-one")["id"] == 2


def test_the_same_e_mail_twice_is_refused_whatever_the_shard(run: Runner) -> None:
    for n in range(30):
        run("add-contact", f"Person {n}", "--email", f"p{n}@example.com")
    out = run.refused("add-contact", "Someone Else", "--email", "P17@Example.com")
    assert "person-17" in out.stderr


def test_a_restore_replays_the_changes_after_a_damaged_line(tracker: Tracker, home: Path) -> None:
    for n in "ABCDEF":
        tracker.add_contact(f"Person {n}", ContactFields())
    log = own_log(home)
    lines = log.read_bytes().split(b"\n")
    lines[0] = lines[0].replace(b"Person B", b"Person X")  # damaged: covered by the backup
    log.write_bytes(b"\n".join(lines))
    tracker.restore()
    assert len(tracker.read().contacts) == 6


def test_a_missing_snapshot_with_history_is_not_a_new_store(tracker: Tracker, home: Path) -> None:
    for n in "ABC":
        tracker.add_contact(f"Person {n}", ContactFields())
    (home / "store.json").rename(home / "elsewhere.json")
    with pytest.raises(StoreError, match="is missing"):
        tracker.contacts()
    with pytest.raises(StoreError, match="is missing"):
        tracker.add_contact("New", ContactFields())
    with pytest.raises(StoreError, match="is missing"):
        tracker.due()  # the morning look never pretends it is empty
    assert any(f.level == "error" for f in tracker.doctor())


def test_a_whole_last_line_without_its_newline_is_kept(tracker: Tracker, home: Path) -> None:
    for n in "ABCD":
        tracker.add_contact(f"Person {n}", ContactFields())
    log = own_log(home)
    log.write_bytes(log.read_bytes()[:-1])
    assert len(tracker.read().contacts) == 4
    tracker.add_contact("Person E", ContactFields())
    doc = tracker.read()
    assert len(doc.contacts) == 5 and len({c.id for c in doc.contacts}) == 5


def test_an_emptied_index_file_is_rebuilt(run: Runner, tracker: Tracker) -> None:
    run("add-contact", "Ann Lee")
    run("add-contact", "Bob Roe")
    where = index.folder(tracker.paths)
    for name in ("names.txt", "delta.json", "rows.json", "follow-00.json"):
        if (where / name).exists():
            (where / name).write_bytes(b"")
    assert run.json("show", "ann-lee")["name"] == "Ann Lee"
    run("edit", "bob-roe", "--role", "Editor")
    run("contacts")
    run("agenda")
    run("stats")


def test_a_cache_folder_that_cannot_be_used_only_costs_time(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    run("add-contact", "Ann Lee")
    assert run.json("show", "ann-lee")["name"] == "Ann Lee"
    run("followups")


def test_a_read_only_data_folder_can_be_read(
    run: Runner, tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infoint import files, store_read

    run("add-contact", "Ann Lee")
    index.clear(tracker.paths)
    real_access = os.access

    def access(path: Any, mode: int) -> bool:
        return False if Path(path) == tracker.paths.data_dir else real_access(path, mode)

    monkeypatch.setattr(store_read.os, "access", access)

    def no_lock(*args: object) -> Any:
        raise StoreError("Could not open the lock file: Read-only file system.")

    monkeypatch.setattr(store_read, "exclusive_lock", no_lock)
    assert files is not None
    assert [c["handle"] for c in run.json("contacts")] == ["ann-lee"]
    run("followups")


@pytest.mark.parametrize("handle", ["tab\there", "new\nline", "7", "Upper", "#m1"])
def test_a_handle_nobody_could_type_is_refused(
    tracker: Tracker, run: Runner, tmp_path: Path, handle: str
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    data = json.loads(tracker.export("json"))
    data["contacts"].append({**data["contacts"][0], "uuid": "other-uuid", "id": 2,
                             "handle": handle, "name": "Odd One"})  # fmt: skip
    theirs = tmp_path / "theirs.json"
    theirs.write_text(json.dumps(data))
    out = run.refused("import", "json", theirs)
    assert "not a handle" in out.stderr


def test_listing_order_does_not_depend_on_the_index(
    tracker: Tracker, run: Runner, tmp_path: Path
) -> None:
    for name in ("Person A", "Person B", "Person C"):
        tracker.add_contact(name, ContactFields())
    data = json.loads(tracker.export("json"))
    tracker.remove("person-b")
    two = {**data["contacts"][1], "uuid": "new-two", "name": "New Two", "handle": "new-two"}
    (tmp_path / "two.json").write_text(json.dumps({**data, "contacts": [two], "events": [],
                                                   "meetings": []}))  # fmt: skip
    run("import", "json", tmp_path / "two.json")
    first = [c["id"] for c in run.json("contacts")]
    index.clear(tracker.paths)
    assert [c["id"] for c in run.json("contacts")] == first
    assert 2 not in first  # a removed contact's number is never given out again


def test_leftovers_of_a_killed_write_are_cleaned(tracker: Tracker, home: Path) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    leftover = home / ".store.json.123-456.tmp.old"
    leftover.write_text("{}")
    assert any("interrupted write" in f.what for f in tracker.doctor())
    tracker.add_contact("Sam Lee", ContactFields())
    assert not leftover.exists()


def test_merging_a_copy_of_the_change_log_by_hand(tracker: Tracker, home: Path) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.add_contact("Bo Chen", ContactFields())
    log = own_log(home)
    mine = log.read_bytes()
    tracker.add_contact("Ana Ruiz", ContactFields())
    copy = home / "journal (conflicted copy).jsonl"
    copy.write_bytes(log.read_bytes())
    log.write_bytes(mine)
    env = {**os.environ, "INFOINT_HOME": str(home), "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "infoint", "merge", str(copy)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Ana Ruiz" in {c.name for c in tracker.read().contacts}


def test_a_contact_number_with_a_leading_zero(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    assert run.json("show", "01")["handle"] == "jane-doe"
