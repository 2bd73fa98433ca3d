"""The one environment a command runs in (env.py): built once by the front door,
every stream, path, clock and terminal question answered by it."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import NOW, Clock, MockEnvironment
from infoint import actions, cli, entry, env
from infoint.env import Environment, using


def two(tmp_path: Path) -> tuple[MockEnvironment, MockEnvironment]:
    return (
        MockEnvironment.make(tmp_path / "a", Clock(NOW)),
        MockEnvironment.make(tmp_path / "b", Clock(NOW + timedelta(days=1))),
    )


def fresh(environment: MockEnvironment) -> MockEnvironment:
    environment.stdout, environment.stderr = io.StringIO(), io.StringIO()
    return environment


def test_a_command_run_in_two_environments_writes_to_each_ones_streams_and_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = two(tmp_path)
    entry.main(["add-contact", "Jane Doe", "--json"], a)
    entry.main(["add-contact", "Bo Chen", "--json"], b)
    assert json.loads(a.out)["handle"] == "jane-doe"
    assert json.loads(a.out)["created_at"] == "2026-11-26T09:00:00Z"
    assert json.loads(b.out)["handle"] == "bo-chen"  # not bo-chen's second: b's own folder
    assert json.loads(b.out)["created_at"] == "2026-11-27T09:00:00Z"  # b's clock, a day on
    assert "Added Jane Doe" in a.err and "Bo Chen" not in a.err
    assert "Added Bo Chen" in b.err and "Jane" not in b.err
    b_before = (b.out, b.err)
    entry.main(["add-contact", "Sam Lee"], fresh(a))
    assert a.out == "sam-lee\n" and (b.out, b.err) == b_before
    assert a.paths.data_dir == tmp_path / "a" and b.paths.data_dir == tmp_path / "b"
    assert b"Bo Chen" not in b"".join(p.read_bytes() for p in a.paths.data_dir.rglob("*.json*"))
    assert b"Jane Doe" not in b"".join(p.read_bytes() for p in b.paths.data_dir.rglob("*.json*"))
    # the Typer door too: the environment handed on from the light one, in ctx.obj
    for environment in (fresh(a), fresh(b)):
        with pytest.raises(SystemExit) as done:
            entry.main(["history", "--limit", "5"], environment)
        assert done.value.code == 0
    assert "Jane Doe" in a.out and "Sam Lee" in a.out and "Bo Chen" not in a.out
    assert "Bo Chen" in b.out and "Jane" not in b.out
    assert capsys.readouterr() == ("", "")  # nothing reached the process's own streams
    assert not (tmp_path / "home").exists()  # nor the folder the process points at


def test_the_typer_app_takes_the_environment_it_is_given(tmp_path: Path) -> None:
    a, b = two(tmp_path)
    for environment, name in ((a, "Jane Doe"), (b, "Bo Chen")):
        with pytest.raises(SystemExit):
            cli.main(["add-contact", name, "--no-input"], environment)
    assert a.out == "jane-doe\n" and b.out == "bo-chen\n"
    with pytest.raises(SystemExit):
        cli.main(["--no-pager", "contacts"], a)
    assert "Jane Doe" in a.out and a.no_pager and not b.no_pager


def test_outside_any_front_door_the_environment_is_the_processs(
    monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    process = env.current()
    assert process.stdout is sys.stdout and process.environ is __import__("os").environ
    assert process.paths.data_dir == home  # INFOINT_HOME, as the conftest set it
    assert process.width == 200  # COLUMNS
    assert not process.interactive  # pytest's stdin is no terminal
    a = MockEnvironment.make(home)
    with using(a):
        assert env.current() is a and actions.paths() == a.paths
        b = MockEnvironment.make(home / "b", interactive=True)
        with using(b):
            assert env.current() is b and actions.can_ask()
        assert env.current() is a and not actions.can_ask()
    assert env.current() is not a


def test_the_clock_of_the_environment_is_now_for_every_command(
    mock_env: MockEnvironment, clock: Clock
) -> None:
    assert actions.clock() == NOW
    clock.advance(days=3)
    assert actions.clock() == NOW + timedelta(days=3)
    assert actions.tracker().clock() == NOW + timedelta(days=3)
    assert Environment.from_os(clock=clock).clock() == clock()


def test_an_error_goes_to_the_environments_stderr_in_its_colours(home: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    plain, styled = MockEnvironment.make(home), MockEnvironment.make(home, environ={})
    styled.stderr = Terminal()
    for environment in (plain, styled):
        with pytest.raises(SystemExit) as refused:
            entry.main(["add-contact", "Eve", "--email", "nope"], environment)
        assert refused.value.code == 1
    assert plain.err.startswith("Error: ")
    assert styled.err.startswith("\x1b[1;31mError:\x1b[0m ")


def test_importing_the_environment_is_cheap() -> None:
    """Every command imports env.py, the light front door first: no pydantic, Rich
    or Typer, nor anything slow of the standard library or of infoint's."""
    found = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import infoint.env"],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = {line.split("|")[-1].strip() for line in found.stderr.splitlines() if "|" in line}
    assert "infoint.env" in loaded
    # nor `dataclasses`, whose `inspect` would cost the quick commands ~8 ms
    heavy = {"platformdirs", "infoint.files", "dataclasses", "inspect"}
    assert not {name.split(".")[0] for name in loaded} & {"pydantic", "rich", "typer", "click"}
    assert not {name for name in loaded if name.startswith("infoint.")} - {"infoint.env"}
    assert not loaded & heavy


def test_the_cached_help_is_printed_before_the_environment_is_built(
    env: dict[str, str], tmp_path: Path
) -> None:
    """`infoint --help` needs nothing but stdout: it stays as quick as it was."""
    command = [sys.executable, "-X", "importtime", "-m", "infoint", "--help"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    again = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert again.stdout == first.stdout and again.stdout.startswith("Usage: infoint")
    loaded = {line.split("|")[-1].strip() for line in again.stderr.splitlines() if "|" in line}
    assert "infoint.entry" in loaded
    assert not loaded & {"infoint.env", "dataclasses", "typer", "rich"}


def test_a_copy_of_an_environment_changes_what_it_is_given_only(home: Path) -> None:
    original = MockEnvironment.make(home, width=120)
    paths = original.paths
    buffer = io.StringIO()
    copy = original.replace(stdout=buffer, colour=True)
    assert type(copy) is MockEnvironment and copy.stdout is buffer and copy.colour
    assert original.stdout is not buffer and not original.colour
    assert (copy.width, copy.stderr, copy.clock) == (120, original.stderr, original.clock)
    assert copy.paths is paths  # worked out once
    assert "width=120" in repr(original) and "colour=True" in repr(copy)
