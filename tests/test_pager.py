"""Long listings through a pager (pager.py), and when the quick path asks for one."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import INTRO, MockEnvironment, Runner, at
from infoint.env import using


def test_a_long_morning_look_goes_through_the_pager(
    run: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import io

    from infoint import entry

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for n in range(4):
        run("add-contact", f"Person {n}")
        run("outreach", f"person-{n}", *INTRO, "--sent", at(days=-20))
    run("followups")  # brings the index up to date
    terminal = MockEnvironment.make(
        run.home, run.clock, environ={"PAGER": f"cat > {tmp_path / 'paged.txt'}"}
    )
    terminal.stdout, terminal.height = Terminal(), 5
    from infoint import pager, term
    from infoint.index import due_view

    with using(terminal):
        with pager.paged():
            term.followups_screen(due_view(terminal.paths, run.clock()))
        assert "person-3" in (tmp_path / "paged.txt").read_text() and terminal.out == ""
        with pager.paged(refused=True):
            term.followups_screen(due_view(terminal.paths, run.clock()))
    assert "person-3" in terminal.out
    seen: list[tuple[bool, bool]] = []
    monkeypatch.setattr(entry, "followups", lambda json, refused: seen.append((json, refused)))
    entry.quick(["followups", "--no-pager"])
    entry.quick(["followups", "--json"])
    assert seen == [(False, True), (True, False)]
