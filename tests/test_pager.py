"""Long listings through a pager (pager.py), and when the quick path asks for one."""

from __future__ import annotations

import pytest

from conftest import INTRO, Runner, at


def test_a_long_morning_look_goes_through_the_pager(
    run: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import io
    import sys

    from infoint import entry

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for n in range(4):
        run("add-contact", f"Person {n}")
        run("outreach", f"person-{n}", *INTRO, "--sent", at(days=-20))
    run("followups")  # brings the index up to date
    monkeypatch.setenv("PAGER", f"cat > {tmp_path / 'paged.txt'}")
    monkeypatch.delenv("INFOINT_PAGER", raising=False)
    monkeypatch.setenv("LINES", "5")
    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    from infoint import pager, term
    from infoint.files import Paths
    from infoint.index import due_view

    with pager.paged():
        term.followups_screen(due_view(Paths.from_env(), run.clock()))
    assert "person-3" in (tmp_path / "paged.txt").read_text() and screen.getvalue() == ""
    with pager.paged(refused=True):
        term.followups_screen(due_view(Paths.from_env(), run.clock()))
    assert "person-3" in screen.getvalue()
    seen: list[tuple[bool, bool]] = []
    monkeypatch.setattr(entry, "followups", lambda json, refused: seen.append((json, refused)))
    entry.quick(["followups", "--no-pager"])
    entry.quick(["followups", "--json"])
    assert seen == [(False, True), (True, False)]
