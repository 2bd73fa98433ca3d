"""Reading WHEN: ISO, everyday phrases, refusals, local zones and daylight saving."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from conftest import INTRO, NOW, Runner
from infoint.dates import Purpose, ago, describe, far_off, parse_when
from infoint.errors import BadInput

F, P, A = Purpose.FUTURE, Purpose.PAST, Purpose.AS_OF
UTC = UTC


def d(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# NOW is Thursday 26 November 2026, 09:00 UTC
CASES = [
    ("2026-12-03 10:00", F, d(2026, 12, 3, 10, 0)),
    ("2026-12-03T10:00:00+01:00", F, d(2026, 12, 3, 9, 0)),
    ("2026-12-03T10:00Z", F, d(2026, 12, 3, 10, 0)),
    ("2026-11-20", P, d(2026, 11, 20, 12, 0)),
    ("2026-11-20", A, d(2026, 11, 20, 23, 59, 59)),
    ("tomorrow 3pm", F, d(2026, 11, 27, 15, 0)),
    ("tomorrow at 10", F, d(2026, 11, 27, 10, 0)),
    ("Tomorrow  10:30", F, d(2026, 11, 27, 10, 30)),
    ("today 17:00", F, d(2026, 11, 26, 17, 0)),
    ("yesterday", P, d(2026, 11, 25, 12, 0)),
    ("yesterday 9am", P, d(2026, 11, 25, 9, 0)),
    ("next tuesday 10:30", F, d(2026, 12, 1, 10, 30)),
    ("next tue 10:30", F, d(2026, 12, 1, 10, 30)),
    ("tue 10:00", F, d(2026, 12, 1, 10, 0)),
    ("thu 10:00", F, d(2026, 12, 3, 10, 0)),  # a bare weekday is the next one, never today
    ("this thu 16:00", F, d(2026, 11, 26, 16, 0)),
    ("tuesday", P, d(2026, 11, 24, 12, 0)),  # for --sent/--on: the last one
    ("thu", P, d(2026, 11, 19, 12, 0)),
    ("last mon 9:15", P, d(2026, 11, 23, 9, 15)),
    ("monday", A, d(2026, 11, 23, 23, 59, 59)),
    ("10am tomorrow", F, d(2026, 11, 27, 10, 0)),
    ("fri noon", F, d(2026, 11, 27, 12, 0)),
    ("12am tomorrow", F, d(2026, 11, 27, 0, 0)),
    ("12pm tomorrow", F, d(2026, 11, 27, 12, 0)),
    ("in 2 days", A, d(2026, 11, 28, 9, 0)),
    ("20 days ago", P, d(2026, 11, 6, 9, 0)),
    ("in 3 hours", F, d(2026, 11, 26, 12, 0)),
    ("dec 3 10am", F, d(2026, 12, 3, 10, 0)),
    ("3 dec 2026", P, d(2026, 12, 3, 12, 0)),
]


@pytest.mark.parametrize(
    ("text", "purpose", "expected"), CASES, ids=[f"{c[0]}/{c[1].value}" for c in CASES]
)
def test_when_is_read_as_a_person_means_it(text: str, purpose: Purpose, expected: datetime) -> None:
    moment = parse_when(text, NOW, purpose)
    assert moment.tzinfo is not None
    assert moment == expected


REFUSED = [
    ("10", "is not a date"),
    ("a", "is not a date"),
    ("-3", "is not a date"),
    ("03/04/2027 10:00", "two ways"),
    ("whenever you like", "not a date infoint understands"),
    ("", "No date"),
    ("2026-13-45 10:00", "not a valid date"),
    ("tomorrow", "no time of day"),
    ("2026-12-03", "no time of day"),
    ("in 2 days", "no time of day"),
    ("dec 3", "no time of day"),
    ("tomorrow 25:00", "not a time of day"),
    ("tomorrow 13pm", "not a time of day"),
]


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_unclear_when_is_refused_with_an_example(text: str, message: str) -> None:
    with pytest.raises(BadInput, match=message) as exc:
        parse_when(text, NOW, Purpose.FUTURE)
    assert exc.value.hint


def test_an_unambiguous_slash_date_is_fine() -> None:
    assert parse_when("25/12/2026 10:00", NOW, P) == d(2026, 12, 25, 10, 0)


def test_naive_times_take_the_local_offset_of_that_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Europe/Berlin is +01:00 in winter and +02:00 in summer; each date keeps its own."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        winter = parse_when("2026-12-03 10:00", NOW, F)
        summer = parse_when("2027-07-01 10:00", NOW, F)
        assert winter.utcoffset() == timedelta(hours=1)
        assert summer.utcoffset() == timedelta(hours=2)
        assert winter.hour == summer.hour == 10
        # the day after the spring change: "tomorrow 10:00" is 10:00 local, +02:00
        before_change = datetime(2027, 3, 27, 12, 0, tzinfo=timezone(timedelta(hours=1)))
        after = parse_when("tomorrow 10:00", before_change, F)
        assert (after.hour, after.utcoffset()) == (10, timedelta(hours=2))
        assert describe(winter) == "Thu 3 Dec 2026, 10:00 (UTC+01:00)"
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_describe_and_ago() -> None:
    assert describe(d(2026, 12, 3, 10, 0)) == "Thu 3 Dec 2026, 10:00 (UTC+00:00)"
    assert ago(NOW - timedelta(days=2), NOW) == "2 days ago"
    assert ago(NOW + timedelta(hours=5), NOW) == "in 5 hours"
    assert ago(NOW - timedelta(minutes=1), NOW) == "1 minute ago"
    assert ago(NOW + timedelta(hours=1), NOW) == "in 1 hour"


def test_ago_switches_units_where_people_expect() -> None:
    assert ago(NOW - timedelta(seconds=20), NOW) == "1 minute ago"
    assert ago(NOW - timedelta(minutes=59), NOW) == "59 minutes ago"
    assert ago(NOW - timedelta(hours=47), NOW) == "47 hours ago"
    assert ago(NOW - timedelta(hours=48), NOW) == "2 days ago"
    assert ago(NOW + timedelta(days=10), NOW) == "in 10 days"


@pytest.mark.parametrize(
    ("text", "purpose", "expected"),
    [
        ("this mon 10:00", Purpose.FUTURE, d(2026, 11, 30, 10, 0)),
        ("last thu", Purpose.PAST, d(2026, 11, 19, 12, 0)),
        ("sun 18:30", Purpose.FUTURE, d(2026, 11, 29, 18, 30)),
        ("midnight tomorrow", Purpose.FUTURE, d(2026, 11, 27, 0, 0)),
        ("tomorrow 0:30", Purpose.FUTURE, d(2026, 11, 27, 0, 30)),
        ("tomorrow 9h30", Purpose.FUTURE, d(2026, 11, 27, 9, 30)),
        ("12/25/2026 10:00", Purpose.FUTURE, d(2026, 12, 25, 10, 0)),
        ("wednesday at 14", Purpose.FUTURE, d(2026, 12, 2, 14, 0)),
        ("today", Purpose.AS_OF, d(2026, 11, 26, 23, 59, 59)),
        ("in 1 week", Purpose.AS_OF, d(2026, 12, 3, 9, 0)),
        ("2 weeks ago", Purpose.PAST, d(2026, 11, 12, 9, 0)),
        ("monday noon", Purpose.PAST, d(2026, 11, 23, 12, 0)),
        ("next thursday 8:15pm", Purpose.FUTURE, d(2026, 12, 3, 20, 15)),
        ("  Next   THU   8:15PM ", Purpose.FUTURE, d(2026, 12, 3, 20, 15)),
    ],
)
def test_more_phrases(text: str, purpose: Purpose, expected: datetime) -> None:
    assert parse_when(text, NOW, purpose) == expected


@pytest.mark.parametrize("text", ["5/6/2027", "01.02.2027 10:00", "b", "Z", "+7"])
def test_more_refusals(text: str) -> None:
    with pytest.raises(BadInput):
        parse_when(text, NOW, Purpose.FUTURE)


NOT_DATES = [
    ("32/13", P, "neither 32 nor 13 can be a month"),
    ("32/13 10:00", F, "neither 32 nor 13 can be a month"),
    ("31/02/2027", P, "February 2027 has no day 31"),
    ("2/30", P, "February has no day 30"),
    ("29/02/2027 10:00", F, "February 2027 has no day 29"),
    ("2026/13/01", P, "there is no month 13"),
    ("12/31/219", P, "219 is not a year"),
    ("2026/12", P, "no day"),
    ("10", P, "a number alone"),
    ("10 10:00", F, "a number alone"),
    ("1/2", A, "two ways"),
    ("12/25 someday", F, "not a date infoint understands"),
]


# NOW is Thursday 26 November 2026
SLASH_DATES = [
    ("12/31", A, d(2026, 12, 31, 23, 59, 59)),  # the nearest 31 Dec, not 1931
    ("12/31", P, d(2025, 12, 31, 12, 0)),  # the last one
    ("25/12 10:00", F, d(2026, 12, 25, 10, 0)),  # the next one
    ("25/12 at 9am", P, d(2025, 12, 25, 9, 0)),
    ("13/1", P, d(2026, 1, 13, 12, 0)),
    ("13/1 10:00", F, d(2027, 1, 13, 10, 0)),
    ("12/12", P, d(2025, 12, 12, 12, 0)),
    ("29/2", P, d(2024, 2, 29, 12, 0)),
    ("25/12/26 10:00", F, d(2026, 12, 25, 10, 0)),
    ("2026/12/3 9:00", F, d(2026, 12, 3, 9, 0)),
    ("12/25/2026 10:00", F, d(2026, 12, 25, 10, 0)),
]


FAR = [
    (d(2026, 11, 26, 9), 365, None),
    (d(2027, 11, 26, 9), 365, None),  # exactly a year: fine
    (d(2027, 11, 27, 9), 365, "366 days in the future"),
    (d(2025, 11, 25, 9), 365, "366 days in the past"),
    (d(1932, 12, 13, 12), 365, "94 years in the past"),
    (d(2032, 12, 13, 10), 365, "6 years in the future"),
    (d(2027, 1, 10, 9), 30, "45 days in the future"),
]


@pytest.mark.parametrize(("text", "purpose", "reason"), NOT_DATES)
def test_what_is_not_a_date_is_refused_with_the_reason(
    text: str, purpose: Purpose, reason: str
) -> None:
    with pytest.raises(BadInput, match=reason) as exc:
        parse_when(text, NOW, purpose)
    assert exc.value.hint


@pytest.mark.parametrize(("text", "purpose", "expected"), SLASH_DATES)
def test_a_real_slash_date_is_read_in_the_right_year(
    text: str, purpose: Purpose, expected: datetime
) -> None:
    assert parse_when(text, NOW, purpose) == expected


@pytest.mark.parametrize(("moment", "days", "expected"), FAR)
def test_far_off(moment: datetime, days: int, expected: str | None) -> None:
    assert far_off(moment, NOW, days) == expected


def test_an_outreach_on_a_date_that_does_not_exist_is_refused(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    out = run.refused("outreach", "jane-doe", *INTRO, "--sent", "32/13")
    assert "neither 32 nor 13 can be a month" in out.stderr


def test_a_date_years_away_needs_yes(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    out = run.refused("schedule", "jane-doe", "32/12/2032 10:00", "--phone")
    assert "not a date" in out.stderr
    out = run.refused("schedule", "jane-doe", "2032-12-13 10:00", "--phone")
    assert "6 years in the future" in out.stderr and "--yes" in out.stderr
    assert "Starts: Mon 13 Dec 2032, 10:00" in out.stderr  # echoed before it is refused
    out = run.refused("outreach", "jane-doe", *INTRO, "--sent", "2020-01-05")
    assert "years in the past" in out.stderr
    run("schedule", "jane-doe", "2032-12-13 10:00", "--phone", "--yes")
    assert [m["start"][:10] for m in run.json("meetings")] == ["2032-12-13"]


def test_far_date_days_is_a_setting(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("config", "far_date_days", "30")
    run.refused("schedule", "jane-doe", "2027-01-10 10:00", "--phone")
    run("schedule", "jane-doe", "2026-12-10 10:00", "--phone")


def test_a_far_date_is_confirmed_on_a_terminal(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    run.interactive = True
    run("add-contact", "Jane Doe")
    before = run.store_bytes()
    out = run("followups", "--as-of", "2030-01-01", input="n\n", code=1)
    assert "3 years in the future" in out.stderr
    assert run.store_bytes() == before
    out = run("schedule", "jane-doe", "2030-01-01 10:00", "--phone", input="y\n")
    assert "Scheduled meeting 1" in out.stderr
