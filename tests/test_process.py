"""The installed command as separate processes: concurrency, readers during writes,
time zones, help on every command, and the start-up import discipline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from infoint import cli


def infoint(
    args: Sequence[str], env: dict[str, str], **kwargs: object
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "infoint", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    return {**os.environ, "INFOINT_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "200"}


ADDER = """
import sys
from infoint import entry, files
if sys.argv[3] == "nolock":  # the negative control: what the lock prevents
    files._try_lock = lambda fd: True
for i in range(int(sys.argv[2])):
    sys.argv = ["infoint", "add-contact", f"Writer {sys.argv[1]} Person {i}"]
    try:
        entry.main()
    except SystemExit as exc:
        if exc.code:
            raise
"""


def adders(env: dict[str, str], processes: int, each: int, lock: str = "lock") -> None:
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", ADDER, str(n), str(each), lock],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(processes)
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert lock == "nolock" or writer.returncode == 0, err


def intact(env: dict[str, str], expected: int) -> bool:
    proc = infoint(["contacts", "--json"], env)
    if proc.returncode != 0:
        return False  # e.g. two contacts with the same id: the store no longer loads
    listed = json.loads(proc.stdout)
    return (
        len(listed) == expected
        and len({c["handle"] for c in listed}) == expected
        and sorted(c["id"] for c in listed) == list(range(1, expected + 1))
    )


@pytest.mark.slow
def test_eight_processes_adding_ten_contacts_each_lose_nothing(env: dict[str, str]) -> None:
    infoint(["add-contact", "Writer first"], env)  # a store and an index to race on
    adders(env, 8, 10)
    assert intact(env, 81)


@pytest.mark.slow
def test_without_the_lock_the_same_race_loses_records(env: dict[str, str], home: Path) -> None:
    """The negative control: the test above can fail, and the lock is what passes it."""
    for _ in range(3):
        shutil.rmtree(home, ignore_errors=True)
        infoint(["add-contact", "Writer first"], env)
        adders(env, 8, 10, lock="nolock")
        if not intact(env, 81):
            return
    pytest.fail("eight unlocked writers never lost a record in three tries")


READER = """
import json, subprocess, sys, time
end = time.monotonic() + float(sys.argv[1])
failures = reads = 0
while time.monotonic() < end:
    cmd = [sys.executable, "-m", "infoint", "contacts", "--json"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    reads += 1
    try:
        json.loads(proc.stdout)
        assert proc.returncode == 0
    except Exception:
        failures += 1
        print(proc.stderr, file=sys.stderr)
print(reads, failures)
"""


@pytest.mark.slow
def test_readers_never_see_a_half_written_store(env: dict[str, str]) -> None:
    """Four writer loops and four reader loops for ten seconds: no read ever fails."""
    infoint(["add-contact", "Seed"], env)
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, "10"], env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITE_LOOP, str(n), "10"], env=env)
        for n in range(4)
    ]
    assert [w.wait(timeout=120) for w in writers] == [0] * 4
    for reader in readers:
        out, _ = reader.communicate(timeout=120)
        reads, failures = map(int, out.split())
        assert reads > 0 and failures == 0


WRITE_LOOP = """
import subprocess, sys, time
end = time.monotonic() + float(sys.argv[2])
n = 0
while time.monotonic() < end:
    n += 1
    cmd = [sys.executable, "-m", "infoint", "edit", "seed", "--notes", f"note {sys.argv[1]}-{n}"]
    if n % 3 == 0:
        cmd = [sys.executable, "-m", "infoint", "add-contact", f"Loop {sys.argv[1]} {n}"]
    if subprocess.run(cmd, capture_output=True).returncode != 0:
        sys.exit(1)
"""


def test_times_are_stored_with_the_offset_of_their_date(env: dict[str, str], home: Path) -> None:
    berlin = {**env, "TZ": "Europe/Berlin"}
    assert infoint(["add-contact", "Jane Doe"], berlin).returncode == 0
    far = ["--phone", "--json", "--yes"]  # years away: --yes says it is no typo
    winter = infoint(["schedule", "jane-doe", "2030-12-03 10:00", *far], berlin)
    summer = infoint(["schedule", "jane-doe", "2030-07-01 10:00", *far, "--also"], berlin)
    assert json.loads(winter.stdout)["start"] == "2030-12-03T10:00:00+01:00"
    assert json.loads(summer.stdout)["start"] == "2030-07-01T10:00:00+02:00"
    assert "(UTC+02:00)" in summer.stderr
    raw = json.loads((home / "store.json").read_text())
    assert raw["contacts"][0]["created_at"][-6:] in ("+01:00", "+02:00")


def test_no_traceback_for_a_keyboard_interrupt(
    run: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import Runner

    assert isinstance(run, Runner)
    from infoint import listing

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(listing, "select", interrupted)
    out = run("contacts", code=130)
    assert "Interrupted; nothing was changed." in out.stderr


def test_a_held_lock_times_out_with_a_clear_message(
    tracker: object, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    from infoint import files
    from infoint.errors import StoreError
    from infoint.records import ContactFields
    from infoint.services import Tracker

    assert isinstance(tracker, Tracker)
    monkeypatch.setattr(files, "LOCK_TIMEOUT_SECONDS", 0.2)
    paths = files.Paths.from_env()
    with files.exclusive_lock(paths.lock_file, paths.store_file):
        with pytest.raises(StoreError, match="Another infoint"):
            tracker.add_contact("Jane Doe", ContactFields())
        with pytest.raises(StoreError, match="Another infoint"):
            tracker.outreach("jane-doe", "a", "b", "c")
    assert not (home / "store.json").exists()


# help and start-up ---------------------------------------------------------------


def _commands() -> list[str]:
    import typer.main

    group = typer.main.get_command(cli.app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_every_command_and_option_has_help() -> None:
    import typer.main

    group = typer.main.get_command(cli.app)
    names = _commands()
    assert {"add-contact", "followups", "schedule", "done", "config"} <= set(names)
    for name in names:
        command = group.commands[name]  # type: ignore[attr-defined]
        assert command.help, f"{name} has no help"
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"{name} {param.opts} has no help"


@pytest.mark.parametrize(
    "name", ["add-contact", "schedule", "followups", "outreach", "reply", "prep"]
)
def test_help_keeps_brackets_and_needs_no_store(name: str, env: dict[str, str], home: Path) -> None:
    proc = infoint([name, "--help"], env)
    assert proc.returncode == 0 and "Usage: infoint " + name in proc.stdout
    assert not home.exists()


STARTUP = """
import sys
sys.argv = ["infoint", *sys.argv[1:]]
from infoint import cli
try:
    cli.main()
except SystemExit:
    pass
heavy = ("pydantic", "rich", "dateparser", "email_validator")
print("loaded:", " ".join(sorted(m for m in heavy if m in sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("args", "forbidden"),
    [
        (["--help"], {"pydantic", "rich", "dateparser", "email_validator"}),
        (["schedule", "--help"], {"pydantic", "rich", "dateparser", "email_validator"}),
        (["followups", "--json"], {"dateparser", "email_validator"}),
        (["followups", "--as-of", "2026-12-01"], {"dateparser", "email_validator"}),
    ],
)
def test_commands_import_only_what_they_need(
    args: list[str], forbidden: set[str], env: dict[str, str]
) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", STARTUP, *args], env=env, capture_output=True, text=True, check=False
    )
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("loaded:"), proc.stderr
    loaded = set(last.split()[1:])
    assert not (loaded & forbidden), loaded


def test_help_is_quick_relative_to_the_interpreter(env: dict[str, str]) -> None:
    """Not a timing assertion: the imports above are what keeps --help fast; this
    only checks that `--help` itself succeeds many times in a row without a store."""
    start = time.monotonic()
    for _ in range(3):
        assert infoint(["--help"], env).returncode == 0
    assert time.monotonic() - start < 60
