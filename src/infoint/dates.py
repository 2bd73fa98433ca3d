"""Reading WHEN: ISO 8601 and everyday phrases, in the user's local zone.

Days with a time ("tomorrow 3pm", "next tue 10:30", "thu at 9") are read here, so
their meaning is fixed and tested; other phrases ("in 2 days", "20 days ago",
"dec 3 10am") go to dateparser, imported only when needed (it costs ~0.12 s).
Naive times are local, with the offset of *that* date, so daylight saving is right.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from enum import Enum

from infoint.errors import BadInput

Clock = Callable[[], datetime]


def system_now() -> datetime:
    """The current moment in the local zone, with its offset."""
    return datetime.now().astimezone()


class Purpose(Enum):
    """What a WHEN is for decides how a bare weekday or a date alone is read."""

    FUTURE = "future"  # schedule/reschedule: next weekday, a time of day required
    PAST = "past"  # --sent/--on: last weekday, a date alone means noon
    AS_OF = "as_of"  # --as-of: a date alone means the end of that day


EXAMPLES = '"2026-12-03 10:00", "tomorrow 3pm", "next tue 10:30", "in 2 days" or "3 days ago"'

_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_DAY = (
    r"(?P<day>today|tomorrow|yesterday|"
    r"(?:(?P<which>next|this|last)\s+)?(?P<weekday>" + "|".join(_WEEKDAYS) + r"))"
)
_TIME = r"(?P<time>noon|midnight|\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}|\d{1,2}h\d{0,2})"
# patterns as text: `re` compiles each on first use, so importing this module
# (which every command does) costs nothing for them
_DAY_TIME = rf"^{_DAY}(?:\s*,?\s*(?:at\s+)?{_TIME})?$"
_TIME_DAY = rf"^{_TIME}\s+{_DAY}$"
_AT_HOUR = rf"^{_DAY}\s+at\s+(?P<hour>\d{{1,2}})$"
#: a slash date, with or without its year (`25/12`, `12/25/2026`, `2026/12/25`), then
#: anything else (a time of day); dots only with a year (`25.12.2026`)
_SLASH = r"^(?P<a>\d+)(?P<sep>[/.])(?P<b>\d+)(?:(?P=sep)(?P<c>\d+))?(?![\d/.])\s*,?\s*(?P<rest>.*)$"
_NUMBER_TIME = rf"^\d{{1,2}}\s*,?\s+(?:at\s+)?{_TIME}$"
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_HAS_CLOCK = r"\d:\d\d|\d\s*(am|pm)\b|\bnoon\b|\bmidnight\b|\bhours?\b|\bminutes?\b|\bmins?\b"


def to_local(naive: datetime) -> datetime:
    """A naive local time, given the UTC offset in force on that date. A time the
    clocks skip (the hour lost when summer time starts) is not a real time: refused."""
    local = naive.astimezone()
    if local.replace(tzinfo=None) != naive.replace(fold=0):
        later = naive + timedelta(hours=1)
        raise BadInput(
            f"{naive:%H:%M} on {naive:%a} {naive.day} {naive:%b %Y} does not exist here: "
            "the clocks skip it (summer time starts).",
            hint=f"Pick a time after the change, e.g. {later:%H:%M}.",
        )
    return local


def _clock_time(text: str) -> time:
    text = text.strip()
    if text == "noon":
        return time(12, 0)
    if text == "midnight":
        return time(0, 0)
    match = re.fullmatch(r"(\d{1,2})(?:[:h](\d{2})?)?\s*(am|pm)?", text)
    if not match:
        raise BadInput(f'"{text}" is not a time of day.', hint="Write it as 10:00, 3pm or 9:30am.")
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            raise BadInput(f'"{text}" is not a time of day.', hint="Use 1-12 with am/pm.")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise BadInput(f'"{text}" is not a time of day.', hint="Use 00:00 to 23:59.")
    return time(hour, minute)


def _day(match: re.Match[str], today: date, purpose: Purpose) -> date:
    day = match["day"]
    if day == "today":
        return today
    if day == "tomorrow":
        return today + timedelta(days=1)
    if day == "yesterday":
        return today - timedelta(days=1)
    target = _WEEKDAYS[match["weekday"]]
    ahead = (target - today.weekday()) % 7
    which = match["which"]
    if which == "this":
        return today + timedelta(days=ahead)
    if which == "next" or (which is None and purpose is Purpose.FUTURE):
        return today + timedelta(days=ahead or 7)
    # "last tue", or a bare weekday for --sent/--on/--as-of: the last one before today
    return today - timedelta(days=(7 - ahead) % 7 or 7)


def _date_alone(day: date, purpose: Purpose, phrase: str) -> datetime:
    if purpose is Purpose.FUTURE:
        raise BadInput(
            f'"{phrase}" has no time of day.',
            hint=f'Add one, e.g. "{phrase} 10:00".',
        )
    clock = time(23, 59, 59) if purpose is Purpose.AS_OF else time(12, 0)
    return to_local(datetime.combine(day, clock))


def _iso(phrase: str, purpose: Purpose) -> datetime | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}", phrase):
        return None
    try:
        if len(phrase) == 10:
            return _date_alone(date.fromisoformat(phrase), purpose, phrase)
        moment = datetime.fromisoformat(phrase)
    except ValueError:
        raise BadInput(
            f'"{phrase}" is not a valid date and time.',
            hint="Write it as 2026-12-03 10:00 (ISO 8601).",
        ) from None
    return moment if moment.tzinfo else to_local(moment)


def _refuse_ambiguous(phrase: str) -> None:
    if (
        re.fullmatch(r"[+-]?\d+", phrase)
        or re.fullmatch(r"[a-z]", phrase)
        or re.match(_NUMBER_TIME, phrase)
    ):
        raise BadInput(
            f'"{phrase}" is not a date: a number alone does not say which day.',
            hint=f"Write an ISO date or a phrase, e.g. {EXAMPLES}.",
        )


def _not_a_date(phrase: str, why: str) -> BadInput:
    return BadInput(
        f'"{phrase}" is not a date: {why}.',
        hint="Write it as ISO 8601, e.g. 2027-04-03 10:00.",
    )


def _slash_day(phrase: str, a: str, b: str, c: str | None) -> tuple[int | None, int, int]:
    """(year or None, month, day) of a slash date, or why it is not one."""
    if len(a) == 4:  # 2026/12/25: year first, then month and day
        if c is None:
            raise _not_a_date(phrase, "a year and a month, but no day")
        return int(a), int(b), int(c)
    if len(a) > 2 or len(b) > 2:
        raise _not_a_date(phrase, "a day or a month has at most two digits")
    x, y = int(a), int(b)
    year: int | None = None
    if c is not None:
        if len(c) not in (2, 4):
            raise _not_a_date(phrase, f"{c} is not a year")
        year = int(c) + (2000 if len(c) == 2 else 0)
    if x > 12 and y > 12:
        raise _not_a_date(phrase, f"neither {x} nor {y} can be a month")
    if x > 12:
        return year, y, x  # 25/12: day first
    if y > 12 or x == y:
        return year, x, y  # 12/25: month first
    raise BadInput(
        f'"{phrase}" can be read two ways (day/month or month/day).',
        hint="Write it as ISO 8601, e.g. 2027-04-03 10:00.",
    )


def _real_date(phrase: str, year: int | None, month: int, day: int) -> date:
    """The date, or why it is none; without a year, whether it exists in any year
    (a leap year has every day there is), and the reason names no year."""
    if not 1 <= month <= 12:
        raise _not_a_date(phrase, f"there is no month {month}")
    try:
        return date(2028 if year is None else year, month, day)
    except ValueError:
        which = _MONTHS[month - 1] if year is None else f"{_MONTHS[month - 1]} {year}"
        raise _not_a_date(phrase, f"{which} has no day {day}") from None


def _nearest_year(phrase: str, month: int, day: int, today: date, purpose: Purpose) -> date:
    """A date without its year: the last one for --sent/--on, the next one for
    schedule, the nearest one for --as-of. 29 February waits for a leap year."""
    options = []
    for year in range(today.year - 4, today.year + 5):
        with contextlib.suppress(ValueError):
            options.append(date(year, month, day))
    if not options:
        raise _not_a_date(phrase, f"{_MONTHS[month - 1]} has no day {day}")
    if purpose is Purpose.PAST:
        past = [o for o in options if o <= today]
        return past[-1]
    if purpose is Purpose.FUTURE:
        return next(o for o in options if o >= today)
    return min(options, key=lambda o: abs((o - today).days))


def _slash(phrase: str, now: datetime, purpose: Purpose) -> datetime | None:
    """A slash date, read only when it is one date: `32/13` is refused, never a year."""
    match = re.match(_SLASH, phrase)
    if match is None:
        return None
    if match["sep"] == "." and match["c"] is None:
        return None  # "1.5 hours" and the like: not a date
    year, month, day = _slash_day(phrase, match["a"], match["b"], match["c"])
    if year is None:
        _real_date(phrase, None, month, day)
        when = _nearest_year(phrase, month, day, now.date(), purpose)
    else:
        when = _real_date(phrase, year, month, day)
    rest = match["rest"].strip()
    if not rest:
        return _date_alone(when, purpose, phrase)
    clock = re.fullmatch(rf"(?:at\s+)?{_TIME}", rest)
    if clock is None:
        raise BadInput(
            f'"{phrase}" is not a date infoint understands.',
            hint="Write a time after the date, e.g. 25/12/2026 10:00.",
        )
    return to_local(datetime.combine(when, _clock_time(clock["time"])))


def far_off(moment: datetime, now: datetime, days: int) -> str | None:
    """A moment more than `days` away from now, in words ("3 years in the past"),
    or None. Such a date is more often a typo than a plan, so it is confirmed."""
    gap = moment - now
    if abs(gap) <= timedelta(days=days):
        return None
    count = abs(gap).days
    amount = f"{count / 365.25:.0f} years" if count >= 2 * 365 else f"{count} days"
    return f"{amount} in the {'future' if gap > timedelta(0) else 'past'}"


def _dateparser(phrase: str, now: datetime, purpose: Purpose) -> datetime | None:
    import dateparser  # only for phrases the cheap paths did not read

    settings = {
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future" if purpose is Purpose.FUTURE else "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "DMY",
        "STRICT_PARSING": False,
    }
    parsed: datetime | None = dateparser.parse(phrase, languages=["en"], settings=settings)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = to_local(parsed)
    if not re.search(_HAS_CLOCK, phrase):
        if not re.search(r"\b(ago|in)\b", phrase):
            return _date_alone(parsed.date(), purpose, phrase)  # "dec 3": a date alone
        if purpose is Purpose.FUTURE:  # "in 2 days": which hour?
            raise BadInput(
                f'"{phrase}" has no time of day.', hint=f'Add one, e.g. "{phrase} 10:00".'
            )
    return parsed


def parse_when(text: str, now: datetime, purpose: Purpose) -> datetime:
    """Read WHEN as an aware datetime, or raise BadInput with an example that works."""
    phrase = " ".join(text.strip().lower().split())
    if not phrase:
        raise BadInput("No date was given.", hint=f"Try {EXAMPLES}.")
    iso = _iso(" ".join(text.split()), purpose)
    if iso is not None:
        return iso
    _refuse_ambiguous(phrase)
    slash = _slash(phrase, now, purpose)
    if slash is not None:
        return slash
    match = re.match(_DAY_TIME, phrase) or re.match(_TIME_DAY, phrase) or re.match(_AT_HOUR, phrase)
    if match:
        today = now.date()
        day = _day(match, today, purpose)
        groups = match.groupdict()
        if groups.get("hour"):
            clock = _clock_time(groups["hour"])
        elif groups.get("time"):
            clock = _clock_time(groups["time"])
        else:
            return _date_alone(day, purpose, phrase)
        return to_local(datetime.combine(day, clock))
    parsed = _dateparser(phrase, now, purpose)
    if parsed is None:
        raise BadInput(
            f'"{text.strip()}" is not a date infoint understands.', hint=f"Try {EXAMPLES}."
        )
    return parsed


def describe(moment: datetime) -> str:
    """`Thu 3 Dec 2026, 10:00 (UTC+01:00)`: how a resolved WHEN is echoed back."""
    local = moment.astimezone()
    offset = local.strftime("%z")
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} (UTC{offset[:3]}:{offset[3:]})"


def short(moment: datetime) -> str:
    """`Thu 3 Dec 10:00` in the local zone."""
    local = moment.astimezone()
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def day_label(moment: datetime) -> str:
    local = moment.astimezone()
    return f"{local:%a} {local.day} {local:%b %Y}"


def ago(moment: datetime, now: datetime) -> str:
    """A rough "2 days ago" / "in 3 hours" for lists."""
    delta = moment - now
    seconds = abs(delta.total_seconds())
    if seconds < 3600:
        amount, unit = max(1, round(seconds / 60)), "minute"
    elif seconds < 48 * 3600:
        amount, unit = round(seconds / 3600), "hour"
    else:
        amount, unit = round(seconds / 86400), "day"
    text = f"{amount} {unit}{'s' if amount != 1 else ''}"
    return f"in {text}" if delta.total_seconds() > 0 else f"{text} ago"
