"""The contacts listing: served from the index alone, the same table through both
front doors, in colour on a terminal, and right when the index is damaged."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import NOW, MockEnvironment, Runner
from infoint import env, index, layout, listing, pager, screens, term
from infoint.env import using
from infoint.records import ContactFields
from infoint.services import Tracker

WHO, WHY, GOAL = "I am an analyst.", "Your talk.", "Learn which skills matter."


class FakeTTY:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def isatty(self) -> bool:
        return True


@pytest.fixture
def three(tracker: Tracker) -> Tracker:
    tracker.add_contact("Jane Doe", ContactFields(company="Acme", tags=["design"]))
    tracker.add_contact("Sam Lee", ContactFields(company="Globex", role="Editor"))
    tracker.add_contact("Bo Chen", ContactFields(company="Initech"))
    tracker.outreach("sam-lee", WHO, WHY, GOAL, sent=NOW - timedelta(days=3))
    return tracker


def test_a_page_is_read_from_the_rows_and_sorted(three: Tracker) -> None:
    found = index.Index.open(three.paths)
    assert found is not None
    by_name = listing.page(found, NOW, listing.Query(sort="name", limit=2))
    assert [c.handle for c in by_name.shown] == ["bo-chen", "jane-doe"]
    assert (by_name.matched, by_name.everyone) == (3, 3)
    touched = listing.page(found, NOW, listing.Query(sort="last-touch"))
    assert touched.shown[0].handle == "sam-lee" and touched.shown[0].status == "contacted"
    assert listing.page(found, NOW, listing.Query(search="globex")).shown[0].role == "Editor"
    assert [c.handle for c in listing.page(found, NOW, listing.Query(tag="DESIGN")).shown] == [
        "jane-doe"
    ]


def test_an_unknown_order_is_refused(three: Tracker) -> None:
    from infoint.errors import BadInput

    found = index.Index.open(three.paths)
    assert found is not None
    with pytest.raises(BadInput, match="Contacts sort by id, name"):
        listing.select(found, NOW, listing.Query(sort="age"))


def test_the_listing_needs_neither_pydantic_nor_rich(three: Tracker) -> None:
    script = (
        "import sys\n"
        "from infoint.entry import main\n"
        "sys.argv = ['infoint', 'contacts', '--search', 'acme']\n"
        "main()\n"
        "print('loaded:', *sorted(m for m in ('pydantic', 'rich', 'typer', 'infoint.services') "
        "if m in sys.modules), file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], env=os.environ, capture_output=True, text=True, check=True
    )
    assert proc.stderr.split() == ["loaded:"]
    assert "jane-doe" in proc.stdout and "1 contact" in proc.stdout


def test_a_damaged_index_gives_the_same_listing(three: Tracker, run: Runner) -> None:
    before = run("contacts").stdout
    where = index.folder(three.paths)
    (where / "rows.json").write_text("[]")  # same files, wrong bytes: the checksum tells
    assert run("contacts").stdout == before
    index.clear(three.paths)
    assert run("contacts", "--sort", "company").stdout.splitlines()[1].startswith("1   jane-doe")


def test_no_store_yet_says_how_to_start(run: Runner, home: Path) -> None:
    out = run("contacts").stdout
    assert out.startswith("You have no contacts yet.\nStart with someone you admire:")
    assert not (home / "store.json").exists()


def test_the_listing_in_colour(three: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    found = index.Index.open(three.paths)
    assert found is not None
    tty = FakeTTY()
    screens.contacts_screen(listing.page(found, NOW, listing.Query()), NOW, tty)  # type: ignore[arg-type]
    assert tty.text.startswith("\x1b[1mID\x1b[0m  \x1b[1mHandle\x1b[0m")
    assert "\x1b[34mcontacted\x1b[0m" in tty.text and "\x1b[36mprospect\x1b[0m" in tty.text
    assert tty.text.endswith("\x1b[2m3 contacts\x1b[0m\n")
    plain = FakeTTY()
    monkeypatch.setenv("NO_COLOR", "1")
    screens.contacts_screen(listing.page(found, NOW, listing.Query()), NOW, plain)  # type: ignore[arg-type]
    assert "\x1b" not in plain.text


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("colour", [True, False])
def test_colour_kept_while_gathered_for_the_pager(home: Path, tmp_path: Path, colour: bool) -> None:
    """While a listing is gathered for the pager, stdout is a buffer, but the screens
    are styled as the terminal the pager shows them on wants."""
    paged = tmp_path / "paged.txt"
    terminal = MockEnvironment.make(home, colour=colour, environ={"PAGER": f"cat > {paged}"})
    terminal.stdout = _Terminal()
    seen: list[tuple[bool, bool]] = []
    with using(terminal), pager.paged():
        gathering = env.current()
        seen.append((gathering.stdout is terminal.stdout, term.colour(gathering.stdout)))
        gathering.stdout.write("row\n" * 30)
    assert seen == [(False, colour)]
    assert paged.read_text() == "row\n" * 30 and terminal.out == ""


def test_a_table_by_hand_pads_by_cells_and_wraps_at_spaces() -> None:
    columns = (layout.Column("Name", 0, wrap=False), layout.Column("Note", 1, comfortable=6))
    lines = layout.table(columns, [["李小龙", "kicks and punches"], ["Al", ""]], 18)
    assert lines == ["Name    Note", "李小龙  kicks and", "        punches", "Al"]
    styled = layout.table(columns, [["Al", "x"]], 40, lambda r, c, t: f"<{t}>" if r < 0 else t)
    assert styled == ["<Name>  <Note>", "Al    x"]


@pytest.mark.parametrize(("days", "text"), [(0, "today"), (1, "1 day"), (20, "2 weeks")])
def test_quiet_for(days: int, text: str) -> None:
    assert screens.quiet_for(NOW - timedelta(days=days, hours=1), NOW) == text
    assert screens.quiet_for(None, NOW) == "—"
