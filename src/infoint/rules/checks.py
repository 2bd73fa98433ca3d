"""The rules a new record must meet before it is written: no pestering (R2, R11), an
active contact, a meeting that can be scheduled (R4, R5), a start that makes sense, and
what counts as prepared (R6). Each refusal is a `RuleBroken` that says what to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from infoint.agenda import plural
from infoint.errors import RuleBroken
from infoint.rules.standing import (
    History,
    contact_status,
    last_from_them,
    last_from_you,
    pending_outreach,
)

if TYPE_CHECKING:
    from infoint.models import Contact, Meeting, Settings


def check_touch_spacing(
    history: History, settings: Settings, at: datetime, force: bool
) -> str | None:
    """R11: don't stalk. Refuse a message less than `min_days_between_touches` after
    your last contact, unless they wrote since or `--force`; returns a warning when forced."""
    mine = last_from_you(history, at)
    if mine is None:
        return None
    theirs = last_from_them(history)
    if theirs is not None and theirs > mine:
        return None  # they wrote to you since: answering is not stalking
    earliest = mine + timedelta(days=settings.min_days_between_touches)
    if at >= earliest:
        return None
    days = (at - mine).days
    since = "that same day" if days == 0 else f"{days} day{'' if days == 1 else 's'} before this"
    message = (
        f"You were last in touch with {history.contact.name} {since}; infoint spaces "
        f"messages to a contact at least {settings.min_days_between_touches} days apart."
    )
    if force:
        return message + " Recorded anyway (--force)."
    from infoint.dates import day_label

    raise RuleBroken(
        message,
        hint=f"Wait until {day_label(earliest)}, or add --force if they asked you to write.",
    )


def check_outreach(
    history: History, settings: Settings, at: datetime, force: bool, now: datetime
) -> str | None:
    """R2 and R11 for a new outreach: no pestering while you wait, move on after
    `reply_wait_days`, a nudge only if `max_nudges` allows one after `nudge_after_days`,
    and no writing again to someone who declined. Returns a warning when forced."""
    check_active(history.contact)
    status = contact_status(history, settings, now)
    name = history.contact.name
    if status in ("mentor", "met"):
        return check_touch_spacing(history, settings, at, force)
    run = pending_outreach(history)
    problem: tuple[str, str] | None = None
    if status == "declined":
        problem = (
            f"{name} declined; the article's advice is to move on to others.",
            "Add --force only if they invited you to write again.",
        )
    elif status == "moved_on":
        days = settings.reply_wait_days
        problem = (
            f"{name} has not answered in {days} days, so you moved on (R2).",
            f"Reach out to someone new, or add --force to write to {name} again.",
        )
    elif run:
        last = run[-1]
        nudge_from = last.at + timedelta(days=settings.nudge_after_days)
        if len(run) - 1 < settings.max_nudges and at >= nudge_from:
            return None  # a nudge the settings allow
        from infoint.dates import day_label

        wait_until = last.at + timedelta(days=settings.reply_wait_days)
        if settings.max_nudges == 0:
            hint = (
                f"Wait for a reply until {day_label(wait_until)}, then move on. "
                f"To allow one nudge: infoint config max_nudges 1"
            )
        elif len(run) - 1 >= settings.max_nudges:
            used = plural(settings.max_nudges, "nudge")
            hint = f"You have used your {used}; wait until {day_label(wait_until)}."
        else:
            hint = f"A nudge is allowed from {day_label(nudge_from)}."
        problem = (
            f"You wrote to {name} on {day_label(last.at)} and are waiting for a reply.",
            hint,
        )
    if problem is None:
        return None
    if force:
        return problem[0] + " Recorded anyway (--force)."
    raise RuleBroken(*problem)


def check_active(contact: Contact) -> None:
    """An archived contact is hidden: nothing is recorded for them until restored."""
    if contact.archived:
        raise RuleBroken(
            f"{contact.name} is archived.",
            hint=f"Bring them back first: infoint archive {contact.handle} --restore",
        )


def check_schedulable(history: History, settings: Settings, now: datetime) -> None:
    """A meeting may be set up with anyone who has not declined and is not archived."""
    check_active(history.contact)
    status = contact_status(history, settings, now)
    name, handle = history.contact.name, history.contact.handle
    if status == "declined":
        raise RuleBroken(
            f"{name} declined to meet; the article's advice is to move on to others.",
            hint=f"If they changed their mind, record it first: infoint reply {handle} --agreed",
        )


def check_minutes(minutes: int, settings: Settings) -> None:
    """R5: thirty minutes max, or the lower cap the user set."""
    if minutes > settings.max_meeting_minutes:
        raise RuleBroken(
            f"A meeting can last at most {settings.max_meeting_minutes} minutes "
            f"(asked for {minutes}).",
            hint="The article's rule of thumb is thirty minutes max; ask for "
            f"{settings.max_meeting_minutes} and let them offer more.",
        )
    if minutes < 1:
        raise RuleBroken(
            f"A meeting needs at least one minute (asked for {minutes}).",
            hint=f"Give how long it lasts, e.g. --minutes {settings.max_meeting_minutes}, or "
            "leave --minutes out for the usual length.",
        )


def check_start(start: datetime, now: datetime, held: bool, moving: str | None = None) -> None:
    """A meeting cannot start in the past unless it is recorded as held (then it must be past).
    `moving`: the meeting being rescheduled (its hint cannot offer --held)."""
    if held and start > now:
        raise RuleBroken(
            "A meeting recorded with --held must have started already.",
            hint="Drop --held to plan a meeting in the future.",
        )
    if not held and start < now:
        from infoint.dates import describe

        raise RuleBroken(
            f"That time is in the past ({describe(start)}).",
            hint="Pick a future time, or add --held to record a meeting that already took place."
            if moving is None
            else f"Pick a future time; if it already took place: infoint done {moving} --on WHEN",
        )


def overlapping(
    meetings: Iterable[Meeting], start: datetime, minutes: int, ignore: str | None = None
) -> Meeting | None:
    """Another planned meeting that overlaps [start, start+minutes); back-to-back is fine."""
    end = start + timedelta(minutes=minutes)
    for other in meetings:
        if other.uuid == ignore or other.status != "planned":
            continue
        if other.start < end and start < other.end:
            return other
    return None


def prep_complete(contact: Contact, settings: Settings) -> bool:
    """R6: research notes and at least `min_questions` questions."""
    return (
        bool((contact.research or "").strip()) and len(contact.questions) >= settings.min_questions
    )


def prep_gaps(contact: Contact, settings: Settings) -> str:
    parts = []
    if not (contact.research or "").strip():
        parts.append("no research yet")
    if len(contact.questions) < settings.min_questions:
        parts.append(f"{len(contact.questions)} of {settings.min_questions} questions")
    return ", ".join(parts)
