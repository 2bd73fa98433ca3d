"""Progress over a fixture store with a known history: the funnel, reply times, meetings
per month, advice grouped by theme, the agenda (across a change of daylight saving),
completion from the store, and the demo."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from build import Doc, days
from conftest import NOW, Clock, Runner
from infoint import complete, progress
from infoint.errors import BadInput
from infoint.files import Paths
from infoint.models import Settings
from infoint.records import ContactFields
from infoint.services import SETTING_KEYS, Tracker

S = Settings()


@pytest.fixture
def history() -> Doc:
    """Ten people: 6 written to (4 by e-mail, 2 on LinkedIn), 4 replies (3 yes, 1 no),
    3 met (2 in October, 1 in November), 1 mentor, 1 referral."""
    doc = Doc()
    people = [doc.contact(f"Person {n}", created=days(-100)) for n in range(10)]
    for n, person in enumerate(people[:6]):
        out = doc.outreach(person, days(-60 + n))
        if n >= 4:
            out.channel = "linkedin"
    doc.reply(people[0], days(-58), "agreed")  # 2 days after
    doc.reply(people[1], days(-55), "agreed")  # 4 days
    doc.reply(people[2], days(-52), "declined")  # 6 days
    doc.reply(people[4], days(-52), "agreed", referred_to=None)  # 4 days, on LinkedIn
    first = ["Build a portfolio of three case studies", "Learn SQL"]
    doc.meeting(people[0], datetime(2026, 10, 5, 10, tzinfo=UTC), status="done",
                keep_in_touch=True, advice=first, paid=6.5)  # fmt: skip
    doc.meeting(people[1], datetime(2026, 10, 20, 10, tzinfo=UTC), status="done",
                advice=["Your portfolio matters more than your CV"])  # fmt: skip
    doc.meeting(people[4], datetime(2026, 11, 2, 10, tzinfo=UTC), status="done",
                advice=["Learn SQL before Python", "Find a mentor"], paid=4.25)  # fmt: skip
    people[9].referred_by = people[0].uuid
    return doc


def test_the_funnel_counts_and_rates(history: Doc) -> None:
    found = progress.stats(history.doc, S, NOW, None)
    funnel = {s["stage"]: (s["count"], s["rate"]) for s in found["funnel"]}
    assert funnel["prospects"] == (10, None)
    assert funnel["contacted"] == (6, 0.6)
    assert funnel["replied"] == (4, 4 / 6)
    assert funnel["agreed"] == (3, 0.75)
    assert funnel["met"] == (3, 1.0)
    assert funnel["mentors"] == (1, 1 / 3)


def test_reply_rates_times_months_referrals_and_spend(history: Doc) -> None:
    found = progress.stats(history.doc, S, NOW, None)
    assert found["reply_rate_by_channel"] == {
        "email": {"sent": 4, "replied": 3, "rate": 0.75},
        "linkedin": {"sent": 2, "replied": 1, "rate": 0.5},
    }
    assert found["median_days_to_reply"] == 4.0
    assert found["meetings_per_month"] == {"2026-10": 2, "2026-11": 1}
    assert found["referral_yield"] == pytest.approx(1 / 3)
    assert found["spent"] == 10.75


def test_stats_since_a_moment(history: Doc) -> None:
    found = progress.stats(history.doc, S, NOW, datetime(2026, 10, 15, tzinfo=UTC))
    assert found["meetings_per_month"] == {"2026-10": 1, "2026-11": 1}
    assert found["spent"] == 4.25 and found["since"].startswith("2026-10-15")


def test_stats_of_an_empty_store() -> None:
    found = progress.stats(Doc().doc, S, NOW, None)
    assert [s["count"] for s in found["funnel"]] == [0] * 6
    assert found["median_days_to_reply"] is None and found["referral_yield"] is None


def test_advice_several_people_gave_stands_out(history: Doc) -> None:
    found = progress.insights(history.doc)
    themes = {t["theme"]: t["people"] for t in found["themes"]}
    assert themes["portfolio"] == ["Person 0", "Person 1"]
    assert themes["learn / sql"] == ["Person 0", "Person 4"]  # the same advice, one theme
    assert not any("mentor" in theme for theme in themes)  # one person only
    assert len(found["advice"]) == 5 and found["advice"][0]["who"] == "Person 0"
    text = progress.markdown(found)
    assert text.startswith("# Career research: what people told me\n")
    assert "### portfolio (2 people)" in text and "- Find a mentor — Person 4, 2026-11-02" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Build a portfolio of three case studies",
            {"build", "portfolio", "three", "case", "study"},
        ),
        ("Learn SQL!", {"learn", "sql"}),
        ("It's all about the people you know", {"people", "know"}),
        ("UX/UI skills", {"skill"}),
    ],
)
def test_advice_words(text: str, expected: set[str]) -> None:
    assert progress.words(text) == expected


def test_insights_on_the_command_line(run: Runner) -> None:
    assert "No advice recorded yet" in run("insights").stdout
    run("add-contact", "Ana Ruiz")
    run("add-contact", "Bo Chen")
    for n, handle in enumerate(("ana-ruiz", "bo-chen"), 1):
        cafe = ("--at", "Cafe Rio", "--venue", "cafe")
        run("schedule", handle, f"{n + 2} days ago", *cafe, "--held")
        run("done", str(n), "--advice", f"Keep a portfolio, version {n}", "--paid", "€3,50")
    shown = run("insights").stdout
    assert "What several people said" in shown
    assert "keep / portfolio / version  (2 people)" in shown
    data = run.json("insights")
    assert data["themes"][0]["people"] == ["Ana Ruiz", "Bo Chen"]
    assert run("insights", "--markdown").stdout.startswith("# Career research")
    stats = run.json("stats")
    assert stats["spent"] == 7.0 and stats["funnel"][4]["count"] == 2
    assert "Spent on bills: 7.00" in run("stats").stdout
    assert "Since:" in run("stats", "--since", "2026-11-01").stderr
    run.refused("done", "1", "--paid", "a lot")


# the agenda --------------------------------------------------------------------------------------


def test_the_agenda_puts_meetings_and_due_items_on_their_days(
    tracker: Tracker, clock: Clock
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.add_contact("Bo Chen", ContactFields())
    tracker.reply("bo-chen", "agreed", on=NOW - timedelta(days=2))  # overdue: today
    tracker.schedule("jane-doe", NOW + timedelta(days=2, hours=1), None, "phone")
    found = tracker.agenda(4)
    assert [d.day.isoformat() for d in found] == [
        "2026-11-26",
        "2026-11-27",
        "2026-11-28",
        "2026-11-29",
    ]
    assert [(f.kind, f.who.handle) for f in found[0].due] == [("respond", "bo-chen")]
    (_, name, prep) = found[2].meetings[0]
    assert name == "Jane Doe" and prep == "no research yet, 0 of 3 questions"
    assert [f.kind for f in found[2].due] == ["prep"]
    assert [f.kind for f in found[3].due] == ["record_outcome"]


def test_the_agenda_across_a_change_of_daylight_saving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Europe/Berlin leaves summer time on 25 October 2026: meetings stay on their
    local day and in order."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        before = datetime(2026, 10, 23, 9, 0).astimezone()
        clock = Clock(before)
        tracker = Tracker(Paths.from_env({"INFOINT_HOME": str(tmp_path / "dst")}), clock=clock)
        tracker.add_contact("Jane Doe", ContactFields())
        tracker.add_contact("Bo Chen", ContactFields())
        tracker.schedule("jane-doe", datetime(2026, 10, 26, 0, 30).astimezone(), None, "phone")
        tracker.schedule("bo-chen", datetime(2026, 10, 25, 23, 45).astimezone(), 15, "video")
        tracker.schedule(
            "jane-doe", datetime(2026, 10, 25, 9, 0).astimezone(), None, "video", also=True
        )
        found = {d.day.isoformat(): d for d in tracker.agenda(5)}
        on_sunday = [
            (m.start.astimezone().strftime("%H:%M %z"), n)
            for m, n, _ in found["2026-10-25"].meetings
        ]
        assert on_sunday == [("09:00 +0100", "Jane Doe"), ("23:45 +0100", "Bo Chen")]
        on_monday = [
            m.start.astimezone().strftime("%H:%M %z") for m, _, _ in found["2026-10-26"].meetings
        ]
        assert on_monday == ["00:30 +0100"]
        assert found["2026-10-24"].meetings == []
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_the_agenda_on_the_command_line(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("schedule", "jane-doe", "2026-11-27 10:00", "--at", "Blue Bottle", "--venue", "cafe")
    shown = run("agenda", "--days", "3").stdout.splitlines()
    assert shown[0] == "Thu 26 Nov  (today)" and shown[1].strip() == "—"
    assert shown[2] == "Fri 27 Nov"
    assert shown[3].startswith("  10:00–10:30  Jane Doe  in person at Blue Bottle (cafe: you pay)")
    assert shown[3].endswith("no research yet, 0 of 3 questions")
    assert "record-outcome Jane Doe" in shown[-1]
    run.refused("agenda", "--days", "0")
    with pytest.raises(BadInput):
        Tracker(Paths.from_env()).agenda(61)


# completion --------------------------------------------------------------------------------------


def test_completion_reads_handles_meetings_tags_and_settings(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields(tags=["design", "Dev"]))
    tracker.add_contact("Jack Ma", ContactFields(tags=["design"]))
    tracker.schedule("jane-doe", NOW + timedelta(days=1), None, "phone")
    assert complete.handles("ja") == ["jane-doe", "jack-ma"]
    assert complete.handles("JAN") == ["jane-doe"]
    assert complete.meetings("") == [("1", "Jane Doe 2026-11-27T09:00")]
    assert complete.tags("d") == ["design", "Dev"]
    assert complete.settings("me.") == ["me.name", "me.intro", "me.signature"]
    from infoint import index

    index.clear(tracker.paths)  # without the index: the raw files
    assert complete.handles("ja") == ["jane-doe", "jack-ma"]
    assert complete.meetings("1") == [("1", "Jane Doe 2026-11-27T09:00")]


def test_completion_never_fails(home: Path) -> None:
    assert complete.handles("x") == [] and complete.tags("") == [] and complete.meetings("") == []
    home.mkdir()
    (home / "store.json").write_text("{broken")
    assert complete.handles("") == [] and complete.tags("") == []


def test_completion_knows_every_setting() -> None:
    assert complete.SETTING_KEYS == SETTING_KEYS


def test_completion_through_typers_environment(tracker: Tracker, home: Path) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    env = {**os.environ, "INFOINT_HOME": str(home), "_INFOINT_COMPLETE": "complete_zsh",
           "_TYPER_COMPLETE_ARGS": "infoint show ja"}  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "infoint"], env=env, capture_output=True, text=True, check=False
    )
    assert '"jane-doe"' in proc.stdout
    tracker.schedule("jane-doe", NOW + timedelta(days=1), None, "phone")
    env["_TYPER_COMPLETE_ARGS"] = "infoint cancel "
    again = subprocess.run(
        [sys.executable, "-m", "infoint"], env=env, capture_output=True, text=True, check=False
    )
    assert '"1":"Jane Doe 2026-11-27T09' in again.stdout


# the demo ---------------------------------------------------------------------------------


def test_the_demo_has_someone_at_every_stage(tmp_path: Path, clock: Clock) -> None:
    from infoint import demo

    home = tmp_path / "demo"
    assert demo.build(home, clock.now) == 12
    tracker = Tracker(Paths.from_env({"INFOINT_HOME": str(home)}), clock=clock)
    statuses = {st for _, st, _ in tracker.contacts()}
    assert statuses == {"prospect", "contacted", "agreed", "declined", "referred", "moved_on",
                        "scheduled", "met", "mentor"}  # fmt: skip
    assert {f.kind for f in tracker.due().items} >= {"respond", "prep", "move_on", "nudge"}
    assert progress.insights(tracker.read())["themes"]
    with pytest.raises(BadInput, match="already holds a store"):
        demo.build(home, clock.now)


def test_the_demo_never_touches_your_store(run: Runner, tmp_path: Path, home: Path) -> None:
    run("add-contact", "Me Myself")
    before = (home / "store.json").read_bytes()
    out = run("demo", "--home", str(tmp_path / "d"))
    assert (
        "Wrote a demo store with 12 people" in out.stderr and "export INFOINT_HOME=" in out.stderr
    )
    assert (home / "store.json").read_bytes() == before
    assert (tmp_path / "d" / "store.json").exists()


def test_an_unknown_goal_is_a_usage_error(run: Runner) -> None:
    assert run("questions", "--goal", "astrology", code=2).exit_code == 2


def test_the_demo_refuses_a_folder_with_a_store(run: Runner, tmp_path: Path) -> None:
    run("demo", "--home", str(tmp_path / "d"))
    out = run.refused("demo", "--home", str(tmp_path / "d"))
    assert "already holds a store" in out.stderr and "infoint demo --home" in out.stderr


def test_the_agenda_shows_a_week_by_default(run: Runner) -> None:
    days_shown = [line for line in run("agenda").stdout.splitlines() if not line.startswith(" ")]
    assert (
        len(days_shown) == 7
        and days_shown[0] == "Thu 26 Nov  (today)"
        and days_shown[-1] == "Wed 2 Dec"
    )


def test_stats_json_since(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("outreach", "jane-doe", "--who-i-am", "me", "--why-you", "you", "--goal", "learn",
        "--sent", "2026-11-01 10:00", "--channel", "linkedin")  # fmt: skip
    run("reply", "jane-doe", "--agreed", "--on", "2026-11-03 10:00")
    before = run.json("stats", "--since", "2026-11-02")
    assert before["reply_rate_by_channel"] == {}
    everything = run.json("stats")
    assert everything["reply_rate_by_channel"]["linkedin"] == {"sent": 1, "replied": 1, "rate": 1.0}
    assert everything["median_days_to_reply"] == 2.0


def test_the_agenda_leaves_out_cancelled_meetings_and_archived_people(
    tracker: Tracker, clock: Clock
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.add_contact("Bo Chen", ContactFields())
    tracker.schedule("jane-doe", NOW + timedelta(days=1), None, "phone")
    tracker.schedule("bo-chen", NOW + timedelta(days=1, hours=2), None, "phone")
    tracker.cancel("1")
    tracker.archive("bo-chen")
    days_ahead = tracker.agenda(3)
    assert all(day.meetings == [] for day in days_ahead)


def test_stats_count_a_referral_once(clock: Clock) -> None:
    doc = Doc()
    ana, bo = doc.contact("Ana Ruiz"), doc.contact("Bo Chen")
    doc.meeting(ana, days(-3), status="done")
    doc.reply(ana, days(-2), "referred", referred_to=bo.uuid)
    bo.referred_by = ana.uuid
    assert progress.stats(doc.doc, S, NOW, None)["referral_yield"] == 1.0
