"""Reading WHEN: ISO, everyday phrases, refusals, local zones and daylight saving."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from conftest import NOW
from infoint.dates import Purpose, ago, describe, parse_when
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
