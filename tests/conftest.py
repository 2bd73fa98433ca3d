"""Shared fixtures: every test gets its own data folder and a fixed clock.

No test touches the real home folder (INFOINT_HOME and the XDG folders point into
tmp_path), none reads the wall clock (a `Clock` returns a fixed moment that the
test moves by hand), and the local zone is UTC unless a test sets another.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from typer.testing import CliRunner

from infoint import cli
from infoint.env import Environment, using
from infoint.files import Paths
from infoint.services import Tracker

# In CI every property test replays the same examples, so a run that passed once
# passes again; on a developer's machine they keep exploring new ones.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

#: Thursday 26 November 2026, 09:00 UTC: the "now" of every test unless moved.
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@dataclass
class Clock:
    """A clock the test moves by hand."""

    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now = self.now + timedelta(**delta)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    home = tmp_path / "home"
    monkeypatch.setenv("INFOINT_HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    for noisy in ("FORCE_COLOR", "INFOINT_DEBUG", "CLICOLOR_FORCE", "TTY_COMPATIBLE"):
        monkeypatch.delenv(noisy, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def tracker(clock: Clock) -> Tracker:
    return Tracker(Paths.from_env(), clock=clock)


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


class MockEnvironment(Environment):
    """An environment of the test's own: StringIO streams, a fixed clock, a data
    folder of its own, no colour and a fixed width (as httpie's tests do). Its
    `environ` holds INFOINT_HOME and NO_COLOR=1, or INFOINT_HOME and what is given."""

    @classmethod
    def make(
        cls,
        home: Path,
        clock: Clock | None = None,
        *,
        stdin: str = "",
        width: int = 80,
        colour: bool = False,
        interactive: bool = False,
        environ: dict[str, str] | None = None,
    ) -> MockEnvironment:
        return cls(
            stdin=io.StringIO(stdin),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
            environ={
                "INFOINT_HOME": str(home),
                **({"NO_COLOR": "1"} if environ is None else environ),
            },
            clock=clock or Clock(),
            colour=colour,
            width=width,
            height=24,
            interactive=interactive,
        )

    @property
    def out(self) -> str:
        """What was printed on stdout."""
        return self.stdout.getvalue()  # type: ignore[attr-defined,no-any-return]

    @property
    def err(self) -> str:
        """What was printed on stderr."""
        return self.stderr.getvalue()  # type: ignore[attr-defined,no-any-return]


@pytest.fixture
def mock_env(home: Path, clock: Clock) -> Iterator[MockEnvironment]:
    """A MockEnvironment on the test's data folder and clock, current for the test."""
    with using(MockEnvironment.make(home, clock)) as made:
        yield made


class _EnvironmentRunner(CliRunner):
    """Typer's CliRunner, each run in an environment built on the streams it gives."""

    def __init__(self, make: Callable[[], Environment]) -> None:
        super().__init__()
        self.make = make

    @contextlib.contextmanager
    def isolation(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        with super().isolation(*args, **kwargs) as streams, using(self.make()):
            yield streams


class Runner:
    """Runs the CLI in-process with the test's clock; stdout and stderr kept apart.
    `interactive = True` runs it as on a terminal that can be asked questions, and
    `width = N` as on one N cells wide."""

    def __init__(self, clock: Clock, home: Path) -> None:
        self.clock = clock
        self.home = home
        self.interactive = False
        #: the terminal's width, when the test sets one (else $COLUMNS: 200)
        self.width: int | None = None
        self.runner = _EnvironmentRunner(self.environment)

    def environment(self) -> Environment:
        """The process's environment as the runner sets it up, with the test's clock
        and the runner's data folder."""
        made = Environment.from_os(clock=self.clock)
        made.environ = {**made.environ, "INFOINT_HOME": str(self.home)}
        made.interactive = made.interactive or self.interactive
        made.width = self.width or made.width
        return made

    def __call__(self, *args: Any, code: int | None = 0, input: str | None = None) -> Outcome:
        result = self.runner.invoke(cli.app, [str(a) for a in args], input=input)
        outcome = Outcome(result.exit_code, result.stdout, result.stderr)
        assert "Traceback" not in outcome.stdout + outcome.stderr
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        if code is not None:
            assert outcome.exit_code == code, (args, outcome)
        return outcome

    def json(self, *args: Any) -> Any:
        import json

        return json.loads(self(*args, "--json").stdout)

    def store_bytes(self) -> bytes:
        path = self.home / "store.json"
        return path.read_bytes() if path.exists() else b""

    def refused(self, *args: Any, input: str | None = None) -> Outcome:
        """Run a command that must be refused: exit 1, a message, nothing changed on disk."""
        before = self.store_bytes()
        config = self.home / "config.toml"
        config_before = config.read_bytes() if config.exists() else None
        outcome = self(*args, code=1, input=input)
        assert "\nError: " in "\n" + outcome.stderr, outcome.stderr
        assert self.store_bytes() == before
        assert (config.read_bytes() if config.exists() else None) == config_before
        return outcome


@pytest.fixture
def run(clock: Clock, home: Path) -> Runner:
    return Runner(clock, home)


INTRO = (
    "--who-i-am",
    "I am a data analyst moving into product design.",
    "--why-you",
    "Your talk on design systems changed how I work.",
    "--goal",
    "Learn which skills matter most for a first design role.",
)


def at(**delta: float) -> str:
    """A local time string relative to NOW, as a user would type it."""
    return (NOW + timedelta(**delta)).strftime("%Y-%m-%d %H:%M")


os.environ.setdefault("TZ", "UTC")


@pytest.fixture
def paths_home(home: Path) -> Paths:
    return Paths.from_env()


@pytest.fixture
def waiting(run: Runner) -> Runner:
    """Jo was written to 8 days ago; one nudge is allowed."""
    run("config", "me.intro", "I am a data analyst moving into product design.")
    run("config", "me.name", "Alex Kim")
    run("config", "max_nudges", "1")
    run("add-contact", "Jo Ma", "--email", "jo@example.com", "--why", "Her talk on maps")
    run("outreach", "jo-ma", *INTRO, "--sent", at(days=-8))
    return run


def outreaches(run: Runner) -> list[dict[str, object]]:
    shown = run.json("show", "jo-ma")
    return [e for e in shown["timeline"] if e["kind"] == "outreach"]


@pytest.fixture
def met(run: Runner) -> Runner:
    """Jo was met at a cafe two hours ago; the bill came to 12.00."""
    run("add-contact", "Jo Ma")
    run("outreach", "jo-ma", *INTRO, "--sent", at(days=-3))
    run("reply", "jo-ma", "--agreed", "--on", at(days=-2))
    run("schedule", "jo-ma", at(hours=-2), "--at", "Blue Bottle", "--venue", "cafe", "--held")
    run("done", "1", "--paid", "12")
    return run


def meeting(run: Runner) -> dict[str, object]:
    (found,) = run.json("meetings")
    return found  # type: ignore[no-any-return]


LONG_PEOPLE = [
    ("Maximilian Oppenheimer-Schwarzenberg von Hohenzollern", "Deutsche Bahn Fernverkehr AG"),
    ("Bartholomew Featherstonehaugh-Cholmondeley", "Nationwide Building Society"),
    ("Priya Patel", "Acme"),
]


def wide_screen(run: Runner, width: int, *args: str) -> list[str]:
    run.width = width
    return [line.rstrip() for line in run(*args).stdout.splitlines()]


def infoint(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "infoint", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    return {**os.environ, "INFOINT_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "120", "TZ": "UTC"}
