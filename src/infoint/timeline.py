"""R14-R18: a timeline that is always possible.

The etiquette rules (R1-R13, in rules/) say what is courteous; these say what can
have happened at all. A reply answers a message you sent before it, a thank-you
follows the meeting it thanks for, and one thank-you is enough; keeping in touch
needs someone you have been in touch with; one planned meeting per person at a
time; and a meeting with someone who never answered, or said no, is checked first.
Like the rules, each is a pure function of one contact's history and the moments
involved, pinned by a table-driven test (tests/test_timeline.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from infoint.errors import RuleBroken
from infoint.rules import History, contact_status

if TYPE_CHECKING:
    from infoint.models import Meeting, Settings


class NeedsYes(RuleBroken):
    """A request that is allowed once the user says yes: asked on a terminal, refused
    without one unless `--force`."""


def _label(moment: datetime) -> str:
    from infoint.dates import day_label

    return day_label(moment)


def _shown(history: History) -> str:
    """The name and the handle: two Jane Does must be told apart in a warning."""
    return f"{history.contact.name} ({history.contact.handle})"


def in_touch_ever(history: History, by: datetime | None = None) -> bool:
    """Whether there is anything between you (by the moment `by`, if given): a message
    either way (a thank-you and an earlier touch are messages too), or a meeting."""
    return bool(
        [e for e in history.events if by is None or e.at <= by]
        or [
            m
            for m in history.meetings
            if m.status != "cancelled" and (by is None or min(m.start, m.created_at) <= by)
        ]
    )


def check_reply_order(history: History, at: datetime) -> str | None:
    """R14: a reply answers your message, so it cannot come before the first one you
    sent. With no message of yours at all it is recorded with a warning (they may have
    written first; or it is the other Jane Doe)."""
    sent = sorted(e.at for e in history.of("outreach"))
    if any(moment <= at for moment in sent):
        return None
    if sent:
        raise RuleBroken(
            f"A reply on {_label(at)} would come before your first message to "
            f"{history.contact.name}, on {_label(sent[0])}.",
            hint=f"Give the day they answered with --on (on or after {_label(sent[0])}).",
        )
    if any(e.at <= at for e in history.of("heard")):
        return None  # they wrote first: their answer follows their own message
    return (
        f"There is no message from you to {_shown(history)} on record; their reply is "
        "recorded all the same. If you wrote to someone else, take it back with: infoint undo"
    )


def declined_with_meeting(history: History, answer: str, now: datetime) -> str | None:
    """R14 for a no: a meeting still planned with someone who declined cannot both be
    true. The answer is recorded (they may have said no to something else), with a
    warning that names the meeting and how to call it off."""
    if answer != "declined":
        return None
    planned = [m for m in history.meetings if m.status == "planned" and m.end >= now]
    if not planned:
        return None
    from infoint.dates import short

    first = planned[0]
    return (
        f"{_shown(history)} said no, but meeting {first.id} ({short(first.start)}) is still "
        f"planned. If it is off: infoint cancel {first.id} --reason declined"
    )


def check_held_after_thanks(history: History, meeting: Meeting, held: datetime) -> None:
    """R15 for `done --on`: a meeting moved to when it really took place cannot pass a
    thank-you already recorded for it (one dated after its planned start): a thank-you
    follows the meeting it thanks for."""
    if held <= meeting.start:
        return
    passed = [e.at for e in history.of("thank") if meeting.start <= e.at < held]
    if not passed:
        return
    raise RuleBroken(
        f"You thanked {history.contact.name} on {_label(passed[0])}, before "
        f"{_label(held)}: a meeting is thanked after it took place.",
        hint=f"Give the day it took place with --on (on or before {_label(passed[0])}); "
        "a wrong thank-you is taken back with: infoint undo",
    )


def _met_before(history: History, at: datetime) -> list[Meeting]:
    return [m for m in history.meetings if m.status != "cancelled" and m.start <= at]


def check_thank_order(history: History, at: datetime) -> str | None:
    """R15: a thank-you follows the meeting it thanks for, once. Refused before the
    meeting, and a second time for the same meeting; with no meeting at all (thanks
    for a referral, say) it is recorded with a warning."""
    thanks = sorted(e.at for e in history.of("thank"))
    met = _met_before(history, at)
    if not met:
        later = [m for m in history.meetings if m.status != "cancelled" and m.start > at]
        if later:
            raise RuleBroken(
                f"A thank-you on {_label(at)} would come before your meeting with "
                f"{history.contact.name} on {_label(later[0].start)}.",
                hint="Thank them after the meeting; give the day you wrote with --on.",
            )
        if thanks:
            raise RuleBroken(
                f"You already thanked {history.contact.name} on {_label(thanks[-1])}.",
                hint="To write again later, that is a touch: "
                f"infoint touch {history.contact.handle} --note TEXT",
            )
        return (
            f"No meeting with {_shown(history)} is on record; the thank-you is recorded "
            "all the same."
        )
    last = met[-1]
    if any(t >= last.start for t in thanks):
        done = max(t for t in thanks if t >= last.start)
        raise RuleBroken(
            f"You already thanked {history.contact.name} for the meeting of "
            f"{_label(last.start)}, on {_label(done)}.",
            hint="To write again later, that is a touch: "
            f"infoint touch {history.contact.handle} --note TEXT",
        )
    if not any(m.status == "done" for m in met):
        return (
            f"No meeting with {_shown(history)} is marked done yet; the thank-you is "
            f"recorded all the same (then: infoint done {last.id})."
        )
    return None


def check_touch_needs_contact(
    history: History, force: bool, at: datetime | None = None
) -> str | None:
    """R16: keeping in touch needs someone you have been in touch with (by the day of
    the touch, `at`). A touch to a prospect you never wrote to, heard from or met is
    refused without --force (it would skip R1's outreach); forced, it is recorded
    with a warning."""
    if in_touch_ever(history, at):
        return None
    message = (
        f"You have never written to, heard from or met {_shown(history)}, so there is "
        "nothing to keep in touch with yet."
    )
    if in_touch_ever(history):  # only later: the touch is dated before it all began
        message = (
            f"By {_label(at or history.as_of)} you had not yet written to, heard from or met "
            f"{_shown(history)}: a touch keeps up a contact that already exists."
        )
    if force:
        return message + " Recorded anyway (--force)."
    raise RuleBroken(
        message,
        hint=f'Write to them first: infoint outreach {history.contact.handle} --why-you "…" '
        '--goal "…" (or add --force if you were in touch another way).',
    )


def meeting_without_contact(history: History) -> str | None:
    """R16 for meetings: people also meet through a referral or a phone call, so a
    meeting with someone never written to is allowed, with a warning that names them
    by handle (is it the right Jane Doe?)."""
    if in_touch_ever(history):
        return None
    return (
        f"You have not written to or heard from {_shown(history)}; the meeting is recorded "
        "all the same. Record how you got in touch with: infoint heard "
        f"{history.contact.handle} --note TEXT"
    )


def check_one_planned(history: History, also: bool, now: datetime) -> None:
    """R17: one planned meeting per person at a time; a second needs --also. A meeting
    that has ended without `done` does not count: its record_outcome follow-up asks."""
    if also:
        return
    planned = [m for m in history.meetings if m.status == "planned" and m.end >= now]
    if not planned:
        return
    from infoint.dates import short

    first = planned[0]
    raise RuleBroken(
        f"Meeting {first.id} with {history.contact.name} is already planned "
        f"({short(first.start)}).",
        hint=f"Move it with: infoint reschedule {first.id} WHEN (or add --also to plan "
        "a second one).",
    )


def check_held_once(
    history: History, start: datetime, minutes: int, also: bool, moving: int | None = None
) -> None:
    """R17 for the past: a meeting recorded with --held (or moved by `done N --on`,
    `moving` N) that overlaps another meeting with the same person (planned or done)
    is that meeting recorded twice; a second one at that time needs --also."""
    if also:
        return
    end = start + timedelta(minutes=minutes)
    for other in history.meetings:
        if other.id == moving or other.status == "cancelled":
            continue
        if other.start < end and start < other.end:
            from infoint.dates import short

            then = (
                f"record how it went: infoint done {other.id}"
                if other.status == "planned"
                else f"correct it: infoint meeting edit {other.id}"
            )
            hint = (
                f"If it is that meeting, {then} (or add --also to record a second one)."
                if moving is None
                else f"If it is that meeting, {then}, and take this one back: infoint "
                f"cancel {moving}. Otherwise give the time it took place with --on."
            )
            raise RuleBroken(
                f"Meeting {other.id} with {_shown(history)} is already recorded at that "
                f"time ({short(other.start)}, {other.minutes} min, {other.status}).",
                hint=hint,
            )


def check_schedule_consent(
    history: History, settings: Settings, now: datetime, force: bool
) -> None:
    """R18: meeting someone who never answered (moved on, R2) or who said no asks
    first: on a terminal you are asked, without one it needs --force."""
    if force:
        return
    status = contact_status(history, settings, now)
    name, handle = history.contact.name, history.contact.handle
    if status == "declined":
        raise NeedsYes(
            f"{name} declined to meet; the article's advice is to move on to others.",
            hint=f"If they changed their mind, record it first: infoint reply {handle} --agreed "
            "(or add --force).",
        )
    if status == "moved_on":
        raise NeedsYes(
            f"{name} never answered your message, so you moved on (R2).",
            hint=f"If they answered, record it first: infoint reply {handle} --agreed "
            "(or add --force).",
        )
