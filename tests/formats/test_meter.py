"""The progress bar of long imports and exports: on stderr, only on a terminal, only
past a second; and a dry run that costs no more than the import it previews."""

from __future__ import annotations

import io
import time
from pathlib import Path

from conftest import Runner
from infoint.meter import Meter


class Terminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_nothing_is_drawn_in_the_first_second() -> None:
    stream, clock = Terminal(True), Ticks()
    with Meter("Reading big.vcf", stream=stream, clock=clock) as meter:
        clock.now = 0.9
        meter(100, 5000)
        assert meter.bar is None
    assert stream.getvalue() == ""


def test_the_bar_appears_past_a_second_on_a_terminal() -> None:
    stream, clock = Terminal(True), Ticks()
    meter = Meter("Reading big.vcf", stream=stream, clock=clock)
    clock.now = 1.5
    meter(2500, 5000)
    assert meter.bar is not None
    meter(5000, 5000)
    meter.close()
    assert "Reading big.vcf" in stream.getvalue()
    assert meter.bar is None


def test_no_bar_when_stderr_is_not_a_terminal() -> None:
    stream, clock = Terminal(False), Ticks()
    with Meter("Reading big.vcf", stream=stream, clock=clock) as meter:
        clock.now = 10
        meter(2500, 5000)
        assert meter.bar is None
    assert stream.getvalue() == ""


def test_a_long_import_calls_the_meter(tmp_path: Path, tracker: object) -> None:
    from infoint.services import Tracker

    assert isinstance(tracker, Tracker)
    path = tmp_path / "many.csv"
    path.write_text("Name,Email\n" + "".join(f"P {n},p{n}@example.com\n" for n in range(1000)))
    calls: list[tuple[int, int]] = []
    tracker.import_file("csv", path, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (100, 1000) and calls[-1] == (1000, 1000)
    calls.clear()
    tracker.export("vcard", progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (1000, 1000)


def test_a_dry_run_costs_no_more_than_the_import(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    lines = "".join(
        f"First{n},Last{n},https://www.linkedin.com/in/p{n},p{n}@example.com,Co,Role,01 Jan 2024\n"
        for n in range(2000)
    )
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    path.write_text(header + lines)
    started = time.perf_counter()
    dry = run("import", "linkedin", str(path), "--dry-run")
    dry_seconds = time.perf_counter() - started
    started = time.perf_counter()
    run("import", "linkedin", str(path))
    real_seconds = time.perf_counter() - started
    assert dry.stdout.count("\n") == 2001  # a header and every line
    assert "First1999 Last1999" in dry.stdout
    assert dry_seconds < real_seconds * 2 + 0.5
