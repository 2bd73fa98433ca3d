"""Item 1 of issue 13: a date that is not a real date is refused with the reason, and a
date more than `far_date_days` away needs --yes (or a yes on a terminal)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conftest import INTRO, NOW, Runner
from infoint import cli
from infoint.dates import Purpose, far_off, parse_when
from infoint.errors import BadInput

F, P, A = Purpose.FUTURE, Purpose.PAST, Purpose.AS_OF


def d(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


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


@pytest.mark.parametrize(("text", "purpose", "reason"), NOT_DATES)
def test_what_is_not_a_date_is_refused_with_the_reason(
    text: str, purpose: Purpose, reason: str
) -> None:
    with pytest.raises(BadInput, match=reason) as exc:
        parse_when(text, NOW, purpose)
    assert exc.value.hint


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


@pytest.mark.parametrize(("text", "purpose", "expected"), SLASH_DATES)
def test_a_real_slash_date_is_read_in_the_right_year(
    text: str, purpose: Purpose, expected: datetime
) -> None:
    assert parse_when(text, NOW, purpose) == expected


FAR = [
    (d(2026, 11, 26, 9), 365, None),
    (d(2027, 11, 26, 9), 365, None),  # exactly a year: fine
    (d(2027, 11, 27, 9), 365, "366 days in the future"),
    (d(2025, 11, 25, 9), 365, "366 days in the past"),
    (d(1932, 12, 13, 12), 365, "94 years in the past"),
    (d(2032, 12, 13, 10), 365, "6 years in the future"),
    (d(2027, 1, 10, 9), 30, "45 days in the future"),
]


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
    monkeypatch.setattr(cli.actions, "can_ask", lambda: True)
    run("add-contact", "Jane Doe")
    before = run.store_bytes()
    out = run("followups", "--as-of", "2030-01-01", input="n\n", code=1)
    assert "3 years in the future" in out.stderr
    assert run.store_bytes() == before
    out = run("schedule", "jane-doe", "2030-01-01 10:00", "--phone", input="y\n")
    assert "Scheduled meeting 1" in out.stderr
