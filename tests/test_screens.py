"""What people see, line for line, for a store with a known week of history.

NOW is Thursday 26 November 2026, 09:00 UTC. These are the screens of the README's
walkthrough; a change to any of them should be a decision, not an accident.
"""

from __future__ import annotations

import pytest

from conftest import MockEnvironment, Runner
from infoint.env import using

MY_WEEK = [
    ("config", "me.intro", "I am a data analyst moving into product design."),
    ("add-contact", "Jane Doe", "--company", "Acme Publishing", "--role", "Editorial Director",
     "--industry", "Publishing", "--why", "Built Acme's design team from scratch.",
     "--tag", "design", "--email", "jane@acme.example"),
    ("add-contact", "Sam Lee", "--industry", "Publishing"),
    ("add-contact", "Ana Ruiz", "--industry", "Publishing", "--prefers", "video"),
    ("add-contact", "Bo Chen", "--company", "Chen & Partners"),
    ("outreach", "jane-doe", "--why-you", "Your talk on design systems.",
     "--goal", "Learn which skills matter most for a first design role.",
     "--sent", "2026-11-20 10:00", "--subject", "Thirty minutes?"),
    ("reply", "jane-doe", "--agreed", "--on", "2026-11-23 08:00"),
    ("schedule", "jane-doe", "2026-11-27 10:00", "--at", "Blue Bottle, 1 Main St", "--venue", "cafe"),
    ("prep", "jane-doe", "--research", "Led the 2024 redesign; writes about hiring juniors.",
     "--question", "What did your first design role look like?"),
    ("outreach", "sam-lee", "--why-you", "Your essays.", "--goal", "Learn how editors work.",
     "--sent", "2026-11-02 09:00"),
    ("reply", "ana-ruiz", "--agreed", "--on", "2026-11-24 17:00"),
    ("schedule", "bo-chen", "2026-11-20 15:00", "--phone", "--held"),
    ("done", "2", "--keep-in-touch", "--advice", "Build a portfolio of three case studies",
     "--notes", "Generous with time."),
]  # fmt: skip


@pytest.fixture
def week(run: Runner) -> Runner:
    for command in MY_WEEK:
        run(*command)
    return run


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def test_the_morning_look(week: Runner) -> None:
    assert lines(week("followups").stdout) == [
        "Overdue",
        "  thank-you      Bo Chen                met Fri 20 Nov 15:00: send a thank-you within 24 hours  (due 5 days ago)",
        "                                        → infoint thank bo-chen",
        "  move-on        Sam Lee                no reply since 2 Nov: let it go; find someone new to admire  (due 3 days ago)",
        "                                        → infoint not-now sam-lee  (or: infoint archive sam-lee)",
        "  respond        Ana Ruiz               said yes 40 hours ago: propose a time that suits them  (due 16 hours ago)",
        '                                        → infoint schedule ana-ruiz "WHEN" --video',
        "",
        "Today",
        "  prep           Jane Doe               meeting Fri 27 Nov 10:00: 1 of 3 questions  (due in 25 hours)",
        '                                        → infoint prep jane-doe --research "…" --question "…"',
        "",
        "4 things due · 3 overdue · 1 more this week · next meeting: Jane Doe, Fri 27 Nov 10:00 (30 min, in person)",
    ]  # fmt: skip


def test_the_morning_look_as_json(week: Runner) -> None:
    items = week.json("followups")
    assert [(i["kind"], i["contact"], i["due"], i["overdue"]) for i in items] == [
        ("thank_you", "bo-chen", "2026-11-21T15:30:00Z", True),
        ("move_on", "sam-lee", "2026-11-23T09:00:00Z", True),
        ("respond", "ana-ruiz", "2026-11-25T17:00:00Z", True),
        ("prep", "jane-doe", "2026-11-27T10:00:00Z", False),
    ]
    assert items[3]["meeting"] == 1 and items[0]["meeting"] == 2
    assert items[2]["command"] == 'infoint schedule ana-ruiz "WHEN" --video'


def test_the_contact_list(week: Runner) -> None:
    assert lines(week("contacts").stdout) == [
        "ID  Handle    Name      Company          Role                Status     Quiet for  Tags",
        "1   jane-doe  Jane Doe  Acme Publishing  Editorial Director  scheduled  3 days     design",
        "2   sam-lee   Sam Lee                                        moved_on   3 weeks",
        "3   ana-ruiz  Ana Ruiz                                       agreed     1 day",
        "4   bo-chen   Bo Chen   Chen & Partners                      mentor     5 days",
        "4 contacts",
    ]


def test_the_contact_list_sorted_and_limited(week: Runner) -> None:
    assert lines(week("contacts", "--sort", "last-touch", "-n", "2").stdout) == [
        "ID  Handle    Name      Company          Role                Status     Quiet for  Tags",
        "3   ana-ruiz  Ana Ruiz                                       agreed     1 day",
        "1   jane-doe  Jane Doe  Acme Publishing  Editorial Director  scheduled  3 days     design",
        "2 contacts (and 2 more: --limit)",
    ]
    by = {
        sort: [c["handle"] for c in week.json("contacts", "--sort", sort)]
        for sort in ("name", "status", "company", "last-touch")
    }
    assert by["name"] == ["ana-ruiz", "bo-chen", "jane-doe", "sam-lee"]
    assert by["status"] == ["ana-ruiz", "sam-lee", "jane-doe", "bo-chen"]
    assert by["company"] == ["jane-doe", "bo-chen", "ana-ruiz", "sam-lee"]
    assert by["last-touch"] == ["ana-ruiz", "jane-doe", "bo-chen", "sam-lee"]
    assert week.json("contacts", "--limit", "1")[0]["last_contact"] == "2026-11-23T08:00:00Z"


def test_one_contact_with_the_timeline(week: Runner) -> None:
    assert lines(week("show", "jane-doe").stdout) == [
        "Jane Doe  jane-doe · #1  scheduled",
        "Editorial Director at Acme Publishing",
        "Email      jane@acme.example",
        "Industry   Publishing",
        "Tags       design",
        "Why them   Built Acme's design team from scratch.",
        "Research   Led the 2024 redesign; writes about hiring juniors.",
        "Questions  1. What did your first design role look like?",
        "",
        "Timeline",
        "  Fri 20 Nov 2026 10:00  You wrote (email): Thirty minutes?",
        "  Mon 23 Nov 2026 08:00  They replied: agreed",
        "  Fri 27 Nov 2026 10:00  Meeting 1: 30 min, in person at Blue Bottle, 1 Main St [planned]",
    ]


def test_a_mentor_shows_the_advice(week: Runner) -> None:
    shown = lines(week("show", "bo-chen").stdout)
    assert shown[0] == "Bo Chen  bo-chen · #4  mentor"
    assert shown[-3:] == [
        "  Fri 20 Nov 2026 15:00  Meeting 2: 30 min, phone [done]",
        "      notes: Generous with time.",
        "      advice: Build a portfolio of three case studies",
    ]


def test_the_brief(week: Runner) -> None:
    assert lines(week("prep", "jane-doe").stdout) == [
        "Jane Doe — Editorial Director, Acme Publishing",
        "Fri 27 Nov 10:00–10:30 · 30 min · in person at Blue Bottle, 1 Main St (cafe: you pay)",
        "",
        "Why them   Built Acme's design team from scratch.",
        "Your goal  Learn which skills matter most for a first design role.",
        "Research   Led the 2024 redesign; writes about hiring juniors.",
        "Questions  1. What did your first design role look like?",
        '           (2 more to write: infoint prep jane-doe --question "…")',
        "Reminders  Dress professionally · you pay the bill at the cafe · be prompt: arrive 10 "
        "minutes early · keep to 30 minutes · ask who else you should talk to · you are there to "
        "learn, not to ask for a",
        "           job · send a thank-you within 24 hours",
    ]


def test_the_meetings(week: Runner) -> None:
    assert lines(week("meetings").stdout) == [
        "ID  When                   Min  With      Where                                                Status",
        "2   Fri 20 Nov 2026 15:00  30   Bo Chen   by phone                                             done",
        "1   Fri 27 Nov 2026 10:00  30   Jane Doe  in person at Blue Bottle, 1 Main St (cafe: you pay)  planned",
    ]  # fmt: skip


def test_the_history(week: Runner) -> None:
    assert lines(week("history", "-n", "4").stdout) == [
        "#   When                   Command   What",
        "12  Thu 26 Nov 2026 09:00  done      mark done meeting 2 with Bo Chen, Fri 20 Nov 15:00",
        "11  Thu 26 Nov 2026 09:00  schedule  schedule meeting 2 with Bo Chen, Fri 20 Nov 15:00",
        "10  Thu 26 Nov 2026 09:00  reply     record reply from Ana Ruiz (Tue 24 Nov 17:00)",
        "9   Thu 26 Nov 2026 09:00  outreach  record message to Sam Lee (Mon 2 Nov 09:00)",
    ]


def test_what_each_step_said(run: Runner) -> None:
    said = [run(*command).stderr for command in MY_WEEK]
    assert said[1] == (
        "Added Jane Doe as jane-doe. Next: infoint outreach jane-doe --why-you … --goal …\n"
    )
    assert said[5] == (
        "Sent: Fri 20 Nov 2026, 10:00 (UTC+00:00)\n"
        "Recorded your message to Jane Doe. If there is no reply by Fri 4 Dec 2026, infoint "
        "will tell you to move on.\n"
    )
    assert said[7] == (
        "Starts: Fri 27 Nov 2026, 10:00 (UTC+00:00)\n"
        "Scheduled meeting 1 with Jane Doe: Fri 27 Nov 2026, 10:00–10:30 (UTC+00:00), in person "
        "at Blue Bottle, 1 Main St (cafe: you pay).\n"
        "You pay the bill. Prepare: infoint prep jane-doe\n"
    )
    assert said[8] == (
        "Saved prep for Jane Doe. 1 of 3 questions. See the brief: infoint prep jane-doe\n"
    )
    assert said[12] == (
        "Meeting 2 with Bo Chen is done. Send a thank-you within 24 hours, then: infoint thank "
        "bo-chen\nThey are now a mentor: infoint will remind you to keep in touch every 60 days.\n"
    )


def test_the_week_after(week: Runner) -> None:
    week("thank", "bo-chen")
    week("schedule", "ana-ruiz", "2026-11-30 16:00", "--video")
    week.clock.advance(days=7)
    items = week.json("followups")
    # prep closed when each meeting began; both have ended without an outcome
    assert [(i["kind"], i["contact"], i["overdue"]) for i in items] == [
        ("move_on", "sam-lee", True),
        ("record_outcome", "jane-doe", True),
        ("record_outcome", "ana-ruiz", True),
    ]
    assert "3 things due · 3 overdue" in week("followups").stdout


def test_the_agenda(week: Runner) -> None:
    assert lines(week("agenda", "--days", "3").stdout) == [
        "Thu 26 Nov  (today)",
        "  due    thank-you      Bo Chen  (overdue, due 5 days ago)",
        "  due    move-on        Sam Lee  (overdue, due 3 days ago)",
        "  due    respond        Ana Ruiz  (overdue, due 16 hours ago)",
        "Fri 27 Nov",
        "  10:00–10:30  Jane Doe  in person at Blue Bottle, 1 Main St (cafe: you pay)  · 1 of 3 questions",
        "  due    prep           Jane Doe",
        "Sat 28 Nov",
        "  due    record-outcome Jane Doe",
    ]


def test_the_stats(week: Runner) -> None:
    assert lines(week("stats").stdout) == [
        "Funnel",
        "  prospects      4        ██████████████████████████████",
        "  contacted      4  100%  ██████████████████████████████",
        "  replied        3   75%  ██████████████████████",
        "  agreed         3  100%  ██████████████████████",
        "  met            1   33%  ████████",
        "  mentors        1  100%  ████████",
        "  moved on       1        no reply in time",
        "",
        "Replies by channel",
        "  email      1 of 2  (50%)",
        "Median time to a reply: 2.9 days",
        "Meetings per month",
        "  2026-11  █ 1",
        "Referrals per conversation: 0.00",
    ]
    data = week.json("stats")
    assert [s["count"] for s in data["funnel"]] == [4, 4, 3, 3, 1, 1]
    assert data["median_days_to_reply"] == pytest.approx(2 + 22 / 24)
    assert data["reply_rate_by_channel"] == {"email": {"sent": 2, "replied": 1, "rate": 0.5}}
    assert data["spent"] == 0 and data["since"] is None


def test_the_insights(week: Runner) -> None:
    assert lines(week("insights").stdout) == [
        "Every piece of advice",
        "  Build a portfolio of three case studies — Bo Chen, 2026-11-20",
    ]
    assert week("insights", "--markdown").stdout == (
        "# Career research: what people told me\n\n## Every piece of advice\n\n"
        "- Build a portfolio of three case studies — Bo Chen, 2026-11-20\n"
    )


ANSI = __import__("re").compile(r"\x1b\[[0-9;]*m")


@pytest.mark.parametrize("width", [30, 44, 60, 80, 120])
@pytest.mark.parametrize(
    "args",
    [("agenda",), ("stats",), ("contacts", "--all"), ("show", "jane-doe"), ("show", "bo-chen")],
)
def test_the_plain_screens_in_colour_say_the_same(
    week: Runner, monkeypatch: pytest.MonkeyPatch, width: int, args: tuple[str, ...]
) -> None:
    """In colour, the agenda, stats and the listing are the same text as without,
    only styled; and styled where it matters."""
    from infoint import actions, screens

    monkeypatch.setenv("COLUMNS", str(width))
    plain = week(*args).stdout
    terminal = MockEnvironment.make(week.home, week.clock, width=width, colour=True)
    keywords = {"contacts": {"all_": True}, "show": {"contact": args[-1]}}.get(args[0], {})
    with using(terminal):
        getattr(actions, args[0])(**keywords)
        assert screens.term.colour(terminal.stdout)
    coloured = terminal.out
    assert ANSI.sub("", coloured) == plain
    if args[0] == "contacts" and not plain.startswith("ID"):
        return  # too narrow for the table: row by row, in plain text (layout.stack)
    styled = {
        "agenda": ["\x1b[1;7mThu 26 Nov  (today)\x1b[0m", "\x1b[36mrespond\x1b[0m", "\x1b[31m"],
        "stats": ["\x1b[1mFunnel\x1b[0m", "\x1b[36m█"],
        "contacts": ["\x1b[1mID\x1b[0m", "\x1b[1;35mmentor\x1b[0m"],
        "show": ["\x1b[1mTimeline\x1b[0m", "[done]\x1b[0m", "\x1b[1mTags\x1b[0m"],
    }[args[0]]
    for code in styled:  # what the screen has room for
        if ANSI.sub("", code) in plain:
            assert code in coloured, (code, coloured)
    assert "\x1b[1mID\x1b[0m" in coloured if args[0] == "contacts" else "\x1b[1m" in coloured
