"""Where a contact stands: their records as of a moment, and the status derived from them.

Pure functions of (records, settings, as_of), like every rule in this package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TypeGuard

from infoint.vocabulary import EventKind, MeetingStatus, Status

if TYPE_CHECKING:  # the rules read models and plain records (plain.py) alike
    from infoint.models import (
        Contact,
        Heard,
        Meeting,
        Outreach,
        Reply,
        Settings,
        StoreDoc,
        Thank,
        Touch,
    )

    EventRecord = Outreach | Reply | Heard | Thank | Touch

#: The messages you send, and the ones they send you.
FROM_YOU: frozenset[EventKind] = frozenset({"outreach", "thank", "touch"})
FROM_THEM: frozenset[EventKind] = frozenset({"reply", "heard"})


def is_outreach(event: EventRecord) -> TypeGuard[Outreach]:
    return event.kind == "outreach"


def is_reply(event: EventRecord) -> TypeGuard[Reply]:
    return event.kind == "reply"


#: "As of the end of time": every record counts, every status is final.
FOREVER = datetime.max.replace(tzinfo=UTC)


@dataclass(slots=True)
class History:
    """One contact's records as of a moment, oldest first."""

    contact: Contact
    as_of: datetime = field(default_factory=lambda: FOREVER)
    events: list[EventRecord] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)

    def of(self, kind: EventKind) -> list[EventRecord]:
        return [e for e in self.events if e.kind == kind]


def meeting_status(meeting: Meeting, as_of: datetime) -> MeetingStatus:
    """A meeting's status as it stood at `as_of`."""
    if meeting.status == "done" and (meeting.done_at is None or meeting.done_at <= as_of):
        return "done"
    if meeting.status == "cancelled" and (
        meeting.cancelled_at is None or meeting.cancelled_at <= as_of
    ):
        return "cancelled"
    return "planned"


def histories(doc: StoreDoc, as_of: datetime = FOREVER) -> dict[str, History]:
    """Group every record by contact UUID, keeping only what existed at `as_of`."""
    by_uuid = {c.uuid: History(c, as_of) for c in doc.contacts}
    for event in doc.events:
        if event.at <= as_of and event.contact in by_uuid:
            by_uuid[event.contact].events.append(event)
    for meeting in doc.meetings:
        known = meeting.created_at <= as_of or (meeting.held and meeting.start <= as_of)
        if known and meeting.contact in by_uuid:
            by_uuid[meeting.contact].meetings.append(meeting)
    for history in by_uuid.values():
        history.events.sort(key=lambda e: e.at)
        history.meetings.sort(key=lambda m: m.start)
    return by_uuid


def history_of(doc: StoreDoc, contact: Contact, as_of: datetime = FOREVER) -> History:
    """One contact's records as of a moment: what a command about one person needs,
    without grouping everyone else's."""
    history = History(contact, as_of)
    for event in doc.events:
        if event.contact == contact.uuid and event.at <= as_of:
            history.events.append(event)
    for meeting in doc.meetings:
        known = meeting.created_at <= as_of or (meeting.held and meeting.start <= as_of)
        if meeting.contact == contact.uuid and known:
            history.meetings.append(meeting)
    history.events.sort(key=lambda e: e.at)
    history.meetings.sort(key=lambda m: m.start)
    return history


def pending_outreach(history: History) -> list[Outreach]:
    """The messages you sent since they last wrote or met you: the current wait (R2)."""
    run: list[Outreach] = []
    for event in history.events:
        if is_outreach(event):
            run.append(event)
        elif event.kind in FROM_THEM:
            run = []
    if run and any(m.start >= run[0].at for m in history.meetings if m.status != "cancelled"):
        return []  # they answered by meeting you
    return run


def latest_answer(history: History) -> Reply | None:
    """Their latest reply, unless you have started a new thread since a no."""
    replies = [e for e in history.events if is_reply(e)]
    if not replies:
        return None
    reply = replies[-1]
    if reply.answer != "agreed" and pending_outreach(history):
        return None
    return reply


def move_on_opens(history: History, settings: Settings) -> datetime | None:
    """R2: `reply_wait_days` after your last unanswered outreach, you move on."""
    run = pending_outreach(history)
    if not run:
        return None
    return run[-1].at + timedelta(days=settings.reply_wait_days)


def contact_status(history: History, settings: Settings, as_of: datetime) -> Status:
    """The pipeline stage, derived from the records; never typed in by hand."""
    if history.contact.archived:
        return "archived"
    statuses = [(m, meeting_status(m, as_of)) for m in history.meetings]
    if any(st == "done" and m.keep_in_touch for m, st in statuses):
        return "mentor"
    if any(st == "done" for _, st in statuses):
        return "met"
    if any(st == "planned" for _, st in statuses):
        return "scheduled"
    opens = move_on_opens(history, settings)
    if opens is not None:
        return "moved_on" if opens <= as_of else "contacted"
    answer = latest_answer(history)
    if answer is not None:
        return answer.answer
    return "contacted" if history.of("outreach") else "prospect"


def last_contact(history: History, as_of: datetime) -> datetime | None:
    """The latest of: a meeting that took place, a thank-you, a touch, an outreach,
    or a message from them. Any of them resets the keep-in-touch clock (R10)."""
    moments = [e.at for e in history.events]
    moments += [
        m.end for m in history.meetings if meeting_status(m, as_of) == "done" and m.end <= as_of
    ]
    return max(moments, default=None)


def last_from_you(history: History, as_of: datetime) -> datetime | None:
    """Your latest message or meeting at or before `as_of` (a touch dated back is
    spaced from what came before it, not from what you did since)."""
    moments = [e.at for e in history.events if e.kind in FROM_YOU and e.at <= as_of]
    moments += [
        m.end for m in history.meetings if meeting_status(m, as_of) == "done" and m.end <= as_of
    ]
    return max(moments, default=None)


def last_from_them(history: History) -> datetime | None:
    return max((e.at for e in history.events if e.kind in FROM_THEM), default=None)


def let_go(h: History) -> bool:
    """R2 resolved: after `not-now`, the unanswered wait it let go of asks for nothing
    more (a later outreach starts a new wait)."""
    when = h.contact.let_go_at
    run = pending_outreach(h)
    return when is not None and when <= h.as_of and bool(run) and when >= run[-1].at
