"""Screens at the widths people use: 50, 80 and 120 columns.

Handles never wrap (they are what people copy); the other columns wrap at spaces or
drop, least important first; long lines hang under their text; nothing is wider
than the terminal. Long listings go through a pager on a terminal, never in a pipe.
"""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import MockEnvironment, Runner, wide_screen
from infoint import layout, pager, render
from infoint.env import Environment, using
from test_screens import MY_WEEK


@pytest.fixture
def week(run: Runner) -> Runner:
    for command in MY_WEEK:
        run(*command)
    return run


def screen(run: Runner, width: int, *args: str) -> list[str]:
    run.width = width
    return [line.rstrip() for line in run(*args, code=None).stdout.splitlines()]


GOLDEN: dict[tuple[int, tuple[str, ...]], list[str]] = {
    (50, ('contacts',)): [
        'ID  Handle    Name      Status     Quiet for',
        '1   jane-doe  Jane Doe  scheduled  3 days',
        '2   sam-lee   Sam Lee   moved_on   3 weeks',
        '3   ana-ruiz  Ana Ruiz  agreed     1 day',
        '4   bo-chen   Bo Chen   mentor     5 days',
        '4 contacts',
    ],
    (50, ('followups',)): [
        'Overdue',
        '  thank-you  Bo Chen',
        '    met Fri 20 Nov 15:00: send a thank-you within',
        '    24 hours  (due 5 days ago)',
        '    → infoint thank bo-chen',
        '  move-on  Sam Lee',
        '    no reply since 2 Nov: let it go; find someone',
        '    new to admire  (due 3 days ago)',
        '    → infoint not-now sam-lee  (or: infoint',
        '      archive sam-lee)',
        '  respond  Ana Ruiz',
        '    said yes 40 hours ago: propose a time that',
        '    suits them  (due 16 hours ago)',
        '    → infoint schedule ana-ruiz "WHEN" --video',
        '',
        'Today',
        '  prep  Jane Doe',
        '    meeting Fri 27 Nov 10:00: 1 of 3 questions',
        '    (due in 25 hours)',
        '    → infoint prep jane-doe --research "…"',
        '      --question "…"',
        '',
        '4 things due · 3 overdue · 1 more this week · next',
        'meeting: Jane Doe, Fri 27 Nov 10:00 (30 min, in',
        'person)',
    ],
    (50, ('show', 'jane-doe')): [
        'Jane Doe  jane-doe · #1  scheduled',
        'Editorial Director at Acme Publishing',
        'Email      jane@acme.example',
        'Industry   Publishing',
        'Tags       design',
        "Why them   Built Acme's design team from scratch.",
        'Research   Led the 2024 redesign; writes about',
        '           hiring juniors.',
        'Questions  1. What did your first design role look',
        '           like?',
        '',
        'Timeline',
        '  Fri 20 Nov 2026 10:00  You wrote (email): Thirty',
        '                         minutes?',
        '  Mon 23 Nov 2026 08:00  They replied: agreed',
        '  Fri 27 Nov 2026 10:00  Meeting 1: 30 min, in',
        '                         person at Blue Bottle, 1',
        '                         Main St [planned]',
    ],
    (50, ('stats',)): [
        'Funnel',
        '  prospects      4        ████████████████████████',
        '  contacted      4  100%  ████████████████████████',
        '  replied        3   75%  ██████████████████',
        '  agreed         3  100%  ██████████████████',
        '  met            1   33%  ██████',
        '  mentors        1  100%  ██████',
        '  moved on       1        no reply in time',
        '',
        'Replies by channel',
        '  email      1 of 2  (50%)',
        'Median time to a reply: 2.9 days',
        'Meetings per month',
        '  2026-11  █ 1',
        'Referrals per conversation: 0.00',
    ],
    (50, ('agenda', '--days', '3')): [
        'Thu 26 Nov  (today)',
        '  due    thank-you      Bo Chen  (overdue, due 5',
        '                        days ago)',
        '  due    move-on        Sam Lee  (overdue, due 3',
        '                        days ago)',
        '  due    respond        Ana Ruiz  (overdue, due 16',
        '                        hours ago)',
        'Fri 27 Nov',
        '  10:00–10:30  Jane Doe  in person at Blue Bottle,',
        '               1 Main St (cafe: you pay)  · 1 of 3',
        '               questions',
        '  due    prep           Jane Doe',
        'Sat 28 Nov',
        '  due    record-outcome Jane Doe',
    ],
    (80, ('contacts',)): [
        'ID  Handle    Name      Company         Role        Status     Quiet for  Tags',
        '1   jane-doe  Jane Doe  Acme            Editorial   scheduled  3 days     design',
        '                        Publishing      Director',
        '2   sam-lee   Sam Lee                               moved_on   3 weeks',
        '3   ana-ruiz  Ana Ruiz                              agreed     1 day',
        '4   bo-chen   Bo Chen   Chen &                      mentor     5 days',
        '                        Partners',
        '4 contacts',
    ],
    (80, ('followups',)): [
        'Overdue',
        '  thank-you      Bo Chen                met Fri 20 Nov 15:00: send a thank-you',
        '                                        within 24 hours  (due 5 days ago)',
        '                                        → infoint thank bo-chen',
        '  move-on        Sam Lee                no reply since 2 Nov: let it go; find',
        '                                        someone new to admire  (due 3 days ago)',
        '    → infoint not-now sam-lee  (or: infoint archive sam-lee)',
        '  respond        Ana Ruiz               said yes 40 hours ago: propose a time',
        '                                        that suits them  (due 16 hours ago)',
        '    → infoint schedule ana-ruiz "WHEN" --video',
        '',
        'Today',
        '  prep           Jane Doe               meeting Fri 27 Nov 10:00: 1 of 3',
        '                                        questions  (due in 25 hours)',
        '    → infoint prep jane-doe --research "…" --question "…"',
        '',
        '4 things due · 3 overdue · 1 more this week · next meeting: Jane Doe, Fri 27 Nov',
        '10:00 (30 min, in person)',
    ],
    (80, ('show', 'jane-doe')): [
        'Jane Doe  jane-doe · #1  scheduled',
        'Editorial Director at Acme Publishing',
        'Email      jane@acme.example',
        'Industry   Publishing',
        'Tags       design',
        "Why them   Built Acme's design team from scratch.",
        'Research   Led the 2024 redesign; writes about hiring juniors.',
        'Questions  1. What did your first design role look like?',
        '',
        'Timeline',
        '  Fri 20 Nov 2026 10:00  You wrote (email): Thirty minutes?',
        '  Mon 23 Nov 2026 08:00  They replied: agreed',
        '  Fri 27 Nov 2026 10:00  Meeting 1: 30 min, in person at Blue Bottle, 1 Main St',
        '                         [planned]',
    ],
    (80, ('stats',)): [
        'Funnel',
        '  prospects      4        ██████████████████████████████',
        '  contacted      4  100%  ██████████████████████████████',
        '  replied        3   75%  ██████████████████████',
        '  agreed         3  100%  ██████████████████████',
        '  met            1   33%  ████████',
        '  mentors        1  100%  ████████',
        '  moved on       1        no reply in time',
        '',
        'Replies by channel',
        '  email      1 of 2  (50%)',
        'Median time to a reply: 2.9 days',
        'Meetings per month',
        '  2026-11  █ 1',
        'Referrals per conversation: 0.00',
    ],
    (80, ('agenda', '--days', '3')): [
        'Thu 26 Nov  (today)',
        '  due    thank-you      Bo Chen  (overdue, due 5 days ago)',
        '  due    move-on        Sam Lee  (overdue, due 3 days ago)',
        '  due    respond        Ana Ruiz  (overdue, due 16 hours ago)',
        'Fri 27 Nov',
        '  10:00–10:30  Jane Doe  in person at Blue Bottle, 1 Main St (cafe: you pay)  ·',
        '               1 of 3 questions',
        '  due    prep           Jane Doe',
        'Sat 28 Nov',
        '  due    record-outcome Jane Doe',
    ],
    (120, ('contacts',)): [
        'ID  Handle    Name      Company          Role                Status     Quiet for  Tags',
        '1   jane-doe  Jane Doe  Acme Publishing  Editorial Director  scheduled  3 days     design',
        '2   sam-lee   Sam Lee                                        moved_on   3 weeks',
        '3   ana-ruiz  Ana Ruiz                                       agreed     1 day',
        '4   bo-chen   Bo Chen   Chen & Partners                      mentor     5 days',
        '4 contacts',
    ],
    (120, ('followups',)): [
        'Overdue',
        '  thank-you      Bo Chen                met Fri 20 Nov 15:00: send a thank-you within 24 hours  (due 5 days ago)',
        '                                        → infoint thank bo-chen',
        '  move-on        Sam Lee                no reply since 2 Nov: let it go; find someone new to admire  (due 3 days ago)',
        '                                        → infoint not-now sam-lee  (or: infoint archive sam-lee)',
        '  respond        Ana Ruiz               said yes 40 hours ago: propose a time that suits them  (due 16 hours ago)',
        '                                        → infoint schedule ana-ruiz "WHEN" --video',
        '',
        'Today',
        '  prep           Jane Doe               meeting Fri 27 Nov 10:00: 1 of 3 questions  (due in 25 hours)',
        '                                        → infoint prep jane-doe --research "…" --question "…"',
        '',
        '4 things due · 3 overdue · 1 more this week · next meeting: Jane Doe, Fri 27 Nov 10:00 (30 min, in person)',
    ],
    (120, ('show', 'jane-doe')): [
        'Jane Doe  jane-doe · #1  scheduled',
        'Editorial Director at Acme Publishing',
        'Email      jane@acme.example',
        'Industry   Publishing',
        'Tags       design',
        "Why them   Built Acme's design team from scratch.",
        'Research   Led the 2024 redesign; writes about hiring juniors.',
        'Questions  1. What did your first design role look like?',
        '',
        'Timeline',
        '  Fri 20 Nov 2026 10:00  You wrote (email): Thirty minutes?',
        '  Mon 23 Nov 2026 08:00  They replied: agreed',
        '  Fri 27 Nov 2026 10:00  Meeting 1: 30 min, in person at Blue Bottle, 1 Main St [planned]',
    ],
    (120, ('stats',)): [
        'Funnel',
        '  prospects      4        ██████████████████████████████',
        '  contacted      4  100%  ██████████████████████████████',
        '  replied        3   75%  ██████████████████████',
        '  agreed         3  100%  ██████████████████████',
        '  met            1   33%  ████████',
        '  mentors        1  100%  ████████',
        '  moved on       1        no reply in time',
        '',
        'Replies by channel',
        '  email      1 of 2  (50%)',
        'Median time to a reply: 2.9 days',
        'Meetings per month',
        '  2026-11  █ 1',
        'Referrals per conversation: 0.00',
    ],
    (120, ('agenda', '--days', '3')): [
        'Thu 26 Nov  (today)',
        '  due    thank-you      Bo Chen  (overdue, due 5 days ago)',
        '  due    move-on        Sam Lee  (overdue, due 3 days ago)',
        '  due    respond        Ana Ruiz  (overdue, due 16 hours ago)',
        'Fri 27 Nov',
        '  10:00–10:30  Jane Doe  in person at Blue Bottle, 1 Main St (cafe: you pay)  · 1 of 3 questions',
        '  due    prep           Jane Doe',
        'Sat 28 Nov',
        '  due    record-outcome Jane Doe',
    ],
}  # fmt: skip


@pytest.mark.parametrize(("width", "args"), list(GOLDEN))
def test_golden_screens(week: Runner, width: int, args: tuple[str, ...]) -> None:
    assert screen(week, width, *args) == GOLDEN[(width, args)]


EVERY_SCREEN = [
    ("contacts",), ("contacts", "--all"), ("followups",), ("show", "jane-doe"),
    ("show", "bo-chen"), ("stats",), ("agenda",), ("meetings",), ("history",),
    ("prep", "jane-doe"), ("insights",), ("questions",), ("config",), ("drafts",),
    ("doctor",), ("import", "linkedin", "Connections.csv", "--dry-run"),
]  # fmt: skip
CONNECTIONS = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Priya,Patel,https://www.linkedin.com/in/priya-patel-0123456789abcdef,,"
    "Nationwide Building Society,Senior Vice President of Engineering,12 Mar 2024\n"
    ",,,,,,\n"
)


@pytest.mark.parametrize("width", [50, 80, 120])
def test_every_screen_fits_the_terminal(
    week: Runner, width: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    week("edit", "sam-lee", "--notes", "word " * 60, "--why", "https://example.com/" + "x" * 30)
    week("draft", "sam-lee", "--no-edit", "--subject", "A long subject line " * 4)
    monkeypatch.chdir(tmp_path)
    Path("Connections.csv").write_text(CONNECTIONS)
    for args in EVERY_SCREEN:
        too_wide = [line for line in screen(week, width, *args) if layout.cell_len(line) > width]
        assert too_wide == [], (args, too_wide)


LONG = [
    ("Priya Patel", "Nationwide Building Society", "Senior Vice President of Engineering"),
    ("Maximilian Oppenheimer", "Deutsche Bahn Fernverkehr AG", "Head of Passenger Experience"),
    ("Jo Wu", "A very long company name indeed", "Principal Staff Product Designer"),
]


@pytest.mark.parametrize("width", [50, 80, 120])
def test_handles_never_wrap(run: Runner, width: int) -> None:
    for name, company, role in LONG:
        run("add-contact", name, "--company", company, "--role", role, "--tag", "long-tag-here")
    shown = "\n".join(screen(run, width, "contacts"))
    for handle in ("priya-patel", "maximilian-oppenheimer", "jo-wu"):
        assert handle in shown  # whole, on one line
    assert all(layout.cell_len(line) <= width for line in shown.splitlines())
    header = shown.splitlines()[0].split()
    assert header[:3] == ["ID", "Handle", "Name"]
    if width == 50:  # the least important columns make room first
        assert "Tags" not in header and "Role" not in header


def test_wide_characters_count_twice(run: Runner) -> None:
    run("add-contact", "王小明", "--company", "北京出版社 有限公司 设计部")
    for line in screen(run, 50, "contacts"):
        assert layout.cell_len(line) <= 50


# the layout rules, one by one ----------------------------------------------------------


COLUMNS = [
    layout.Column("Handle", 0, wrap=False),
    layout.Column("Name", 1, comfortable=8),
    layout.Column("Notes", 2, comfortable=8),
]
CELLS = [["priya-patel", "Priya Patel", "met at the conference in spring"]]


def test_everything_at_its_natural_width_when_it_fits() -> None:
    assert layout.fit(COLUMNS, CELLS, 80) == [11, 11, 31]


def test_wrapping_columns_shrink_before_any_is_dropped() -> None:
    assert layout.fit(COLUMNS, CELLS, 40) == [11, 11, 14]


def test_the_least_important_column_is_dropped_first() -> None:
    assert layout.fit(COLUMNS, CELLS, 28) == [11, 11, None]


def test_a_column_that_must_not_wrap_is_never_dropped_nor_shrunk() -> None:
    assert layout.fit(COLUMNS, CELLS, 5) == [11, None, None]


def test_spare_room_goes_to_the_most_important_column_first() -> None:
    assert layout.fit(COLUMNS, CELLS, 35) == [11, 10, 10]


def test_words_wrap_at_spaces_and_only_a_word_too_long_is_cut() -> None:
    assert layout.wrap_words("one two three four", 9) == ["one two", "three", "four"]
    assert layout.wrap_words("abcdefghij kl", 4) == ["abcd", "efgh", "ij", "kl"]
    assert layout.wrap_words("a\n\nb", 9) == ["a", "", "b"]


def test_a_hanging_indent_and_its_fallback_on_a_narrow_screen() -> None:
    assert layout.hang("  head  ", "one two three four five six", 24) == [
        "  head  one two three",
        "        four five six",
    ]
    assert layout.hang(" " * 20, "one two three", 30) == ["", "    one two three"]


@pytest.mark.parametrize(
    ("columns", "terminal", "expected"),
    [("50", None, 50), ("", 100, 100), ("x", 0, 80), ("10", None, 30), (None, 0, 80)],
)
def test_the_width_comes_from_columns_then_the_terminal(
    columns: str | None, terminal: int | None, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((0, 0)))
    assert layout.width(columns, terminal) == expected


def test_the_height_comes_from_lines_then_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    assert layout.height("12") == 12
    assert layout.height("", 40) == 40
    monkeypatch.delenv("LINES", raising=False)
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((0, 0)))
    assert layout.height() == 24


# the pager ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"INFOINT_PAGER": "most", "PAGER": "more"}, "most"),
        ({"PAGER": "more -s"}, "more -s"),
        ({"PAGER": ""}, None),
        ({"PAGER": "cat"}, None),
        ({"INFOINT_PAGER": "", "PAGER": "more"}, None),
    ],
)
def test_which_pager(environ: dict[str, str], expected: str | None) -> None:
    assert pager.command(environ) == expected


def test_less_is_the_default_pager_when_there_is_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pager.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert pager.command({}) == "less"
    monkeypatch.setattr(pager.shutil, "which", lambda name: None)
    assert pager.command({}) is None


@pytest.mark.parametrize(
    ("lines", "terminal", "refused", "expected"),
    [(30, True, False, True), (5, True, False, False), (30, False, False, False),
     (30, True, True, False)],
)  # fmt: skip
def test_when_to_page(lines: int, terminal: bool, refused: bool, expected: bool) -> None:
    assert pager.needed("x\n" * lines, 24, terminal, refused) is expected


def test_a_pager_that_cannot_start_prints_the_text(tmp_path: Path) -> None:
    import io

    fallback = io.StringIO()
    pager.show("all of it\n", "no-such-pager-anywhere", fallback)
    assert fallback.getvalue() == "all of it\n"


def infoint_in_a_terminal(args: list[str], environ: dict[str, str]) -> str:
    """Run infoint with stdout on a pseudo-terminal (stdin a pipe); what it showed."""
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "infoint", *args],
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=subprocess.PIPE,
        env=environ,
    )
    os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=60)
    os.close(main)
    return shown.decode("utf-8", "replace")


@pytest.fixture
def many(run: Runner, home: Path, tmp_path: Path) -> dict[str, str]:
    for n in range(40):
        run("add-contact", f"Person {n}", "--company", "Acme")
    paged = tmp_path / "paged.txt"
    environ = {
        **os.environ,
        "INFOINT_HOME": str(home),
        "LINES": "20",
        "COLUMNS": "80",
        "PAGER": f"cat > {paged}",
    }
    environ.pop("INFOINT_PAGER", None)
    return environ


@pytest.mark.slow
def test_a_long_listing_on_a_terminal_goes_through_the_pager(
    many: dict[str, str], tmp_path: Path
) -> None:
    shown = infoint_in_a_terminal(["contacts"], many)
    paged = (tmp_path / "paged.txt").read_text()
    assert "person-39" in paged and "40 contacts" in paged
    assert "person-39" not in shown


@pytest.mark.slow
@pytest.mark.parametrize("refusal", [["contacts", "--no-pager"], ["--no-pager", "contacts"]])
def test_no_pager_prints_it_all_at_once(
    many: dict[str, str], tmp_path: Path, refusal: list[str]
) -> None:
    shown = infoint_in_a_terminal(refusal, many)
    assert "person-39" in shown and not (tmp_path / "paged.txt").exists()


@pytest.mark.slow
def test_a_short_listing_is_not_paged(many: dict[str, str], tmp_path: Path) -> None:
    shown = infoint_in_a_terminal(["contacts", "--limit", "3"], many)
    assert "person-2" in shown and not (tmp_path / "paged.txt").exists()


@pytest.mark.slow
def test_piped_output_is_never_paged(many: dict[str, str], tmp_path: Path) -> None:
    piped = subprocess.run(
        [sys.executable, "-m", "infoint", "contacts"], env=many, capture_output=True, text=True
    )
    assert "person-39" in piped.stdout and not (tmp_path / "paged.txt").exists()


class FakeTerminal(io.StringIO):
    """A stdout that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal(home: Path, tmp_path: Path) -> Iterator[MockEnvironment]:
    """A terminal five lines tall, with a pager that writes to paged.txt."""
    made = MockEnvironment.make(home, environ={"PAGER": f"cat > {tmp_path / 'paged.txt'}"})
    made.stdout, made.height = FakeTerminal(), 5
    with using(made):
        yield made


def test_what_is_taller_than_the_terminal_is_paged(
    terminal: MockEnvironment, tmp_path: Path
) -> None:
    with render.paged():
        for n in range(8):
            render.out.print(f"row {n}")
    assert (tmp_path / "paged.txt").read_text() == "".join(f"row {n}\n" for n in range(8))
    assert terminal.out == ""


def test_what_fits_is_printed(terminal: MockEnvironment, tmp_path: Path) -> None:
    with render.paged():
        render.out.print("one row")
    assert terminal.out == "one row\n" and not (tmp_path / "paged.txt").exists()


def test_refused_paging_prints_at_once(terminal: MockEnvironment, tmp_path: Path) -> None:
    with render.paged(refused=True):
        for n in range(8):
            render.out.print(f"row {n}")
    assert "row 7" in terminal.out and not (tmp_path / "paged.txt").exists()


def test_what_was_printed_before_an_error_still_shows(
    terminal: MockEnvironment,
) -> None:
    with pytest.raises(ValueError), render.paged():
        render.out.print("before")
        raise ValueError("boom")
    assert terminal.out == "before\n"


def test_the_width_and_height_of_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process's environment measures the terminal: $COLUMNS and $LINES first."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((132, 43)))
    process = Environment.from_os()
    assert (process.width, process.height) == (132, 43)
    assert (layout.width(), layout.height()) == (132, 43)

    def no_terminal(fd: int) -> os.terminal_size:
        raise OSError("not a terminal")

    monkeypatch.setattr(os, "get_terminal_size", no_terminal)
    process = Environment.from_os()
    assert (process.width, process.height) == (80, 24)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "12")
    process = Environment.from_os()
    assert (process.width, process.height) == (100, 12)


def test_one_setting_is_printed_whole_at_any_width(run: Runner) -> None:
    intro = "I am a data analyst moving into product design, " * 3
    run("config", "me.intro", intro)
    assert screen(run, 50, "config", "me.intro") == [intro.rstrip()]


@pytest.mark.parametrize(
    ("width", "args", "command"),
    [
        (60, ("contacts",), 'infoint add-contact "Jane Doe" --company Acme --why "…"'),
        (60, ("followups",), 'infoint add-contact "Jane Doe" --company Acme --why "…"'),
        (60, ("meetings",), 'infoint schedule HANDLE "next tue 10:00" --phone'),
        (50, ("drafts",), "infoint draft HANDLE"),
    ],
)
def test_a_suggested_command_is_never_broken_across_lines(
    run: Runner, width: int, args: tuple[str, ...], command: str
) -> None:
    assert "  " + command in wide_screen(run, width, *args)
    assert command in wide_screen(run, 120, *args)[-1]
