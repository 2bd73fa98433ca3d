"""Proof under faults: a full disk, an I/O error or a permission denied at any step of
a write, a damaged file under any writing command, and processes killed mid-write."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import INTRO, Runner
from infoint.files import Paths
from infoint.store import Store

FAULTS = [errno.ENOSPC, errno.EIO, errno.EACCES]


def files(home: Path) -> dict[str, bytes]:
    """Every file in the data folder but the index (a cache, rebuilt when stale)."""
    if not home.exists():
        return {}
    return {
        str(p.relative_to(home)): p.read_bytes()
        for p in sorted(home.rglob("*"))
        if p.is_file() and p.name != "index.json"
    }


class Fault:
    """Make the n-th call of an `os` function fail with an errno."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str, code: int, nth: int = 1) -> None:
        self.original: Callable[..., Any] = getattr(os, name)
        self.calls = 0
        self.nth = nth
        self.code = code
        self.fired = False
        monkeypatch.setattr(os, name, self)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls == self.nth:
            self.fired = True
            raise OSError(self.code, os.strerror(self.code))
        return self.original(*args, **kwargs)


@pytest.mark.parametrize("code", FAULTS, ids=[errno.errorcode[c] for c in FAULTS])
@pytest.mark.parametrize("step", ["write", "fsync", "replace", "link", "open"])
def test_a_fault_while_writing_the_snapshot_changes_nothing(
    run: Runner, home: Path, monkeypatch: pytest.MonkeyPatch, step: str, code: int
) -> None:
    """The first write of a store makes the snapshot: each of its steps may fail."""
    run("add-contact", "Jane Doe")
    from infoint import journal

    monkeypatch.setattr(journal, "COMPACT_BYTES", 0)  # every write folds: the snapshot path
    before = files(home)
    with pytest.MonkeyPatch.context() as patch:
        fault = Fault(patch, step, code)
        out = run("edit", "jane-doe", "--role", "Editor", code=None)
    if fault.fired and out.exit_code == 1:
        assert out.stderr.count("\n") <= 2 and "Could not " in out.stderr
        assert files(home) == before
    else:  # the change was safe in the journal; only the upkeep after it failed
        assert out.exit_code == 0
    assert not list(home.rglob("*.tmp")) and not list(home.rglob("*.old"))
    assert Store(Paths.from_env()).load().contacts[0].role in (None, "Editor")
    assert run.json("show", "jane-doe")["role"] == (None if out.exit_code else "Editor")


@pytest.mark.parametrize("code", FAULTS, ids=[errno.errorcode[c] for c in FAULTS])
@pytest.mark.parametrize("step", ["write", "fsync", "open"])
def test_a_fault_while_appending_to_the_journal_changes_nothing(
    run: Runner, home: Path, monkeypatch: pytest.MonkeyPatch, step: str, code: int
) -> None:
    run("add-contact", "Jane Doe")
    run("edit", "jane-doe", "--role", "Editor")  # the journal exists now
    before = files(home)
    with pytest.MonkeyPatch.context() as patch:
        Fault(patch, step, code)
        out = run("outreach", "jane-doe", *INTRO, code=None)
    assert out.exit_code == 1, out
    (line,) = [x for x in out.stderr.splitlines() if x.startswith("Error:")]
    assert "journal." in line or "store.json" in line or "lock" in line
    assert files(home) == before
    assert run.json("show", "jane-doe")["status"] == "prospect"


def test_the_folder_flush_failing_puts_the_old_snapshot_back(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infoint import files as files_module
    from infoint.errors import StoreError

    target = home / "store.json"
    home.mkdir()
    target.write_bytes(b"old")

    def refuse(folder: Path) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files_module, "_fsync_dir", refuse)
    with pytest.raises(StoreError, match="Input/output error"):
        files_module.atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in home.iterdir()) == ["store.json"]
    with pytest.raises(StoreError):
        files_module.atomic_write(home / "fresh.json", b"new")
    assert not (home / "fresh.json").exists()


def test_a_read_only_data_folder_is_explained(run: Runner, home: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    run("add-contact", "Jane Doe")
    os.chmod(home, 0o500)
    try:
        out = run.refused("edit", "jane-doe", "--role", "Editor")
        assert "Permission denied" in out.stderr
    finally:
        os.chmod(home, 0o700)


# a damaged store under every writing command -------------------------------------------

CORPUS = {
    "empty": b"",
    "truncated early": b'{"schema_version": 1, "con',
    "truncated late": None,  # filled in from a real store
    "nul bytes": b"\x00" * 64,
    "invalid utf-8": b'{"schema_version": 1, "contacts": [], "x": "\xc3\x28"}',
    "array": b"[]",
    "no version": b'{"contacts": []}',
    "version as text": b'{"schema_version": "1", "contacts": []}',
    "too new": b'{"schema_version": 7, "contacts": []}',
    "duplicate ids": None,
    "conflict markers": b'<<<<<<< HEAD\n{"schema_version": 1}\n=======\n{}\n>>>>>>> theirs\n',
    "byte order mark": None,
}

WRITERS = [
    ("add-contact", "Bo Chen", "--referred-by", "jane-doe"),
    ("edit", "jane-doe", "--role", "Editor"),
    ("remove", "jane-doe", "--yes"),
    ("archive", "jane-doe"),
    ("outreach", "jane-doe", *INTRO),
    ("reply", "jane-doe", "--agreed"),
    ("heard", "jane-doe"),
    ("thank", "jane-doe"),
    ("touch", "jane-doe", "--force"),
    ("schedule", "jane-doe", "2026-12-03 10:00", "--phone"),
    ("reschedule", "1", "2026-12-04 10:00"),
    ("cancel", "1"),
    ("done", "1"),
    ("prep", "jane-doe", "--question", "Why?"),
    ("undo", "--yes"),
]


def damaged(name: str, good: bytes) -> bytes:
    if name == "truncated late":
        return good[: len(good) * 3 // 4]
    if name == "duplicate ids":
        data = json.loads(good)
        data["contacts"].append({**data["contacts"][0], "uuid": "another", "handle": "another"})
        return json.dumps(data).encode()
    if name == "byte order mark":
        return b"\xef\xbb\xbf" + good
    value = CORPUS[name]
    assert value is not None
    return value


@pytest.mark.parametrize("name", list(CORPUS))
def test_every_writing_command_refuses_a_damaged_store(run: Runner, home: Path, name: str) -> None:
    run("add-contact", "Jane Doe")
    run("schedule", "jane-doe", "2026-12-03 09:00", "--phone")
    store = Store(Paths.from_env())
    store.save(store.load())  # everything in store.json, no journal
    from infoint import backups

    backups.keep_copy(Paths.from_env(), reason="good")
    bad = damaged(name, (home / "store.json").read_bytes())
    (home / "store.json").write_bytes(bad)
    before = files(home)
    for command in WRITERS:
        out = run(*command, code=None)
        assert out.exit_code == 1, (command, out)
        assert "Error: " in out.stderr and "Traceback" not in out.stderr, command
        assert files(home) == before, command
    report = " ".join(run("doctor", code=1).stdout.split())  # wrapped at the screen's width
    assert "store.json" in report
    if name == "too new":
        assert "newer infoint" in report and "pip install --upgrade infoint" in report
    else:
        assert "infoint doctor --restore" in report
        assert "newest readable backup is store-" in report


# killed mid-write ------------------------------------------------------------------------------

WRITER = """
import sys
from infoint.entry import main
sys.argv = ["infoint", *sys.argv[1:]]
main()
"""


@pytest.mark.slow
def test_a_hundred_kills_mid_write_never_leave_a_broken_store(home: Path) -> None:
    env = {**os.environ, "INFOINT_HOME": str(home)}
    seed = [sys.executable, "-m", "infoint", "add-contact", "Seed Person", "--notes", "x" * 300]
    subprocess.run(seed, env=env, check=True, capture_output=True)
    store = Store(Paths.from_env())
    doc = store.load()
    from infoint.models import Contact

    template = doc.contacts[0].model_dump(mode="json")
    for n in range(2, 1200):  # a store of several hundred kilobytes
        doc.contacts.append(
            Contact.model_validate({**template, "uuid": f"u-{n}", "id": n, "handle": f"p-{n}"})
        )
    doc.next_id.contact = 1200
    store.save(doc)
    assert (home / "store.json").stat().st_size >= 400_000
    rng = random.Random(4)
    commands = [
        ["add-contact", "Killed Person"],
        ["edit", "p-7", "--notes", "y" * 200],
        ["outreach", "p-9", *INTRO, "--force"],
        ["edit", "p-8", "--role", "Editor"],
    ]
    kills = 0
    count = len(store.load().contacts)
    for _ in range(100):
        command = rng.choice(commands)
        proc = subprocess.Popen([sys.executable, "-c", WRITER, *command], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(0.0, 0.25))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        now = len(Store(Paths.from_env()).load().contacts)  # always loads: old or new state
        assert now in (count, count + 1)
        count = now
    assert kills >= 30
    final = subprocess.run([sys.executable, "-m", "infoint", "doctor", "--json"], env=env,
                           capture_output=True, text=True, check=False)  # fmt: skip
    assert all(f["level"] != "error" for f in json.loads(final.stdout))
    # temp files a kill left behind are removed by the next write
    subprocess.run([sys.executable, "-m", "infoint", "add-contact", "After"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    assert not list(home.glob(".*.tmp"))
