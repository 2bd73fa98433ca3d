"""What reaches the screen: user text shown literally, never as markup or escape codes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from build import Doc, days
from conftest import NOW, MockEnvironment
from infoint import render, rules, screens, term
from infoint.agenda import Prospects, view
from infoint.env import using
from infoint.models import Settings


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain", "plain"),
        ("[bold]x[/bold]", "[bold]x[/bold]"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b]8;;http://evil\x07click\x1b]8;;\x07", "click"),
        ("\x1b]0;title\x1b\\after", "after"),
        ("bell\x07", "bell"),
        ("nul\x00byte", "nulbyte"),
        ("cr\rlf", "crlf"),
        ("tab\there", "tab here"),
        ("rtl\u202eoverride", "rtloverride"),
        ("\ufeffbom", "bom"),
        ("\x9b31mc1", "c1"),
        ("line\nbreak", "line\nbreak"),
        ("emoji 🙂 ok", "emoji 🙂 ok"),
        (None, ""),
    ],
)
def test_safe_strips_what_a_terminal_would_obey(raw: str | None, shown: str) -> None:
    assert term.safe(raw) == shown


@pytest.fixture
def screen(home: Path) -> Iterator[MockEnvironment]:
    """A screen 200 cells wide, of the test's own: what is shown lands in its stdout."""
    with using(MockEnvironment.make(home, width=200)) as made:
        yield made


def test_line_never_parses_markup() -> None:
    text = render.line("Added ", ("[/bold]", "bold"), " [red]")
    assert text.plain == "Added [/bold] [red]"


def test_contacts_table_shows_markup_literally(screen: MockEnvironment) -> None:
    from infoint import listing

    buffer = screen.stdout
    eve = listing.Listed(1, "eve", "[link=http://x]Eve[/link]", "[/]", None, [], "prospect", None)
    screens.contacts_screen(listing.Page([eve], 1, 1), NOW)
    text = buffer.getvalue()
    assert "[link=http://x]Eve[/link]" in text and "[/]" in text and "1 contact\n" in text


def test_timeline_lists_everything_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    built = Doc()
    c = built.contact()
    other = built.contact("Bo Chen")
    built.outreach(c, days(-10))
    built.reply(c, days(-9), "referred", referred_to=other.uuid, note="Ask Bo")
    built.heard(c, days(-8))
    built.meeting(c, days(-5), status="done", advice=["Ship it"], notes="Good")
    built.thank(c, days(-4))
    built.touch(c, days(-1))
    built.meeting(c, days(3), status="cancelled", cancel_reason="Travel")
    (history,) = [
        h for h in rules.histories(built.doc, NOW + timedelta(days=30)).values() if h.contact is c
    ]
    found = screens.timeline(history, {x.uuid: x for x in built.doc.contacts})
    lines = ["".join(text for text, _ in parts) for _, parts in found]
    assert lines[0].startswith("You wrote (email): learn")
    assert lines[1] == "They replied: referred to Bo Chen — Ask Bo"
    assert lines[2] == "They wrote to you"
    assert "advice: Ship it" in lines[3] and "notes: Good" in lines[3] and "[done]" in lines[3]
    assert lines[4:6] == ["You thanked them", "You kept in touch"]
    assert "[cancelled] — Travel" in lines[6]


def test_brief_for_a_phone_call_says_call_on_time(screen: MockEnvironment) -> None:
    buffer = screen.stdout
    built = Doc()
    c = built.contact(research="r", questions=["a", "b", "c", "d"])
    m = built.meeting(c, days(2), mode="phone", minutes=20)
    render.brief(c, m, None, None, Settings())
    text = buffer.getvalue()
    assert "call on time" in text and "keep to 20 minutes" in text and "you pay" not in text
    assert "more to write" not in text and "(no outreach recorded)" in text


def test_followups_screen_without_meetings(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.StringIO()
    built = Doc()
    c = built.contact()
    built.reply(c, days(-3))
    hist = rules.histories(built.doc, NOW).values()
    due = view(rules.candidates(hist, Settings()), NOW, Prospects.of(hist), 1, [])
    term.followups_screen(due, buffer)
    text = buffer.getvalue()
    assert text.startswith("Overdue\n  respond")
    assert text.rstrip().endswith("1 thing due · 1 overdue · 0 more this week")


def test_config_table_marks_changed_values(screen: MockEnvironment) -> None:
    buffer = screen.stdout
    render.config_table([("reply_wait_days", 10, 14), ("me.name", "[b]", "")], "/x/config.toml")
    text = buffer.getvalue()
    assert "reply_wait_days" in text and "[b]" in text and "Stored in /x/config.toml" in text


def test_iso_writes_utc_as_z() -> None:
    assert render.iso(NOW) == "2026-11-26T09:00:00Z"
    other = NOW.astimezone(__import__("datetime").timezone(timedelta(hours=1)))
    assert render.iso(other) == "2026-11-26T10:00:00+01:00"


def test_findings_show_marks_and_fixes(screen: MockEnvironment) -> None:
    from infoint.doctor import Finding

    buffer = screen.stdout
    render.findings(
        [
            Finding("ok", "store reads"),
            Finding("warning", "loose [permissions]", "chmod 700 /x"),
            Finding("error", "broken", "infoint doctor --restore"),
        ]
    )
    text = buffer.getvalue().splitlines()
    assert text[0] == "ok  store reads"
    assert text[1] == "!!  loose [permissions]" and text[2] == "    → chmod 700 /x"
    assert text[3] == "XX  broken" and text[-1] == "2 thing(s) to look at."


def test_history_table_marks_undone_changes(screen: MockEnvironment) -> None:
    buffer = screen.stdout
    render.history_table(
        [
            {"seq": 2, "at": "2026-11-26T09:00:00Z", "command": "undo", "what": "remove x"},
            {"seq": 1, "at": "2026-11-26T08:00:00Z", "command": "add", "what": "add x",
             "undone_by": 2},
        ]
    )  # fmt: skip
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    assert lines[1] == "2  Thu 26 Nov 2026 09:00  undo     remove x"
    assert lines[2] == "1  Thu 26 Nov 2026 08:00  add      add x  (undone by #2)"


def test_import_table_lists_every_line(screen: MockEnvironment) -> None:
    from infoint.formats.plan import Outcome

    buffer = screen.stdout
    render.import_table(
        [
            Outcome(5, "Ada Lovelace", "new", "", "ada-lovelace"),
            Outcome(8, "", "skipped", "no name"),
            Outcome(
                12,
                "Ada Lovelace",
                "merged",
                "same LinkedIn profile as ada-lovelace",
                "ada-lovelace",
            ),
        ]
    )
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    assert lines[0].split() == ["Line", "Name", "Result", "Handle", "Why"]
    assert lines[2].split() == ["8", "skipped", "no", "name"]
    assert "same LinkedIn profile as ada-lovelace" in lines[3]


def test_empty_lists_say_how_to_start(screen: MockEnvironment) -> None:
    from infoint import listing

    buffer = screen.stdout
    screens.contacts_screen(listing.Page([], 0, 0), NOW)
    render.meetings_table([], {})
    render.history_table([])
    text = buffer.getvalue()
    assert "You have no contacts yet." in text and "infoint add-contact" in text
    assert "No meetings." in text and "infoint schedule" in text and "No changes yet." in text
