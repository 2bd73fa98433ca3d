"""The etiquette: pure functions of (records, settings, now).

Each rule of `etiquette.md` is a named function here. Nothing in this module reads
a clock, a file or the environment: `now` (or `as_of`) is always a parameter, so
every rule can be pinned by a table-driven test.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from infoint.agenda import FollowUp, Who, due_at, plural
from infoint.agenda import quote as _q
from infoint.errors import RuleBroken
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
from infoint.vocabulary import STATUSES as STATUSES
from infoint.vocabulary import MeetingStatus, Status

EventRecord = Outreach | Reply | Heard | Thank | Touch
#: How long a nudge, move_on or keep_in_touch follow-up stays "not yet overdue".
GRACE = {
    "nudge": timedelta(days=3),
    "move_on": timedelta(days=7),
    "keep_in_touch": timedelta(days=7),
}
RECORD_OUTCOME_WITHIN = timedelta(hours=24)
#: "As of the end of time": every record counts, every status is final.
FOREVER = datetime.max.replace(tzinfo=UTC)
MODE_FLAGS = {"phone": "--phone", "video": "--video", "in_person": '--at "PLACE"'}


@dataclass(slots=True)
class History:
    """One contact's records as of a moment, oldest first."""

    contact: Contact
    as_of: datetime = field(default_factory=lambda: FOREVER)
    events: list[EventRecord] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)

    def of(self, kind: type[EventRecord]) -> list[EventRecord]:
        return [e for e in self.events if isinstance(e, kind)]


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
        if isinstance(event, Outreach):
            run.append(event)
        elif isinstance(event, Reply | Heard):
            run = []
    if run and any(m.start >= run[0].at for m in history.meetings if m.status != "cancelled"):
        return []  # they answered by meeting you
    return run


def latest_answer(history: History) -> Reply | None:
    """Their latest reply, unless you have started a new thread since a no."""
    replies = [e for e in history.events if isinstance(e, Reply)]
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
    return "contacted" if history.of(Outreach) else "prospect"


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
    moments = [
        e.at for e in history.events if isinstance(e, Outreach | Thank | Touch) and e.at <= as_of
    ]
    moments += [
        m.end for m in history.meetings if meeting_status(m, as_of) == "done" and m.end <= as_of
    ]
    return max(moments, default=None)


def last_from_them(history: History) -> datetime | None:
    return max((e.at for e in history.events if isinstance(e, Reply | Heard)), default=None)


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


def _who(contact: Contact) -> Who:
    return Who(contact.uuid, contact.handle, contact.name)


def _respond(h: History, s: Settings) -> Iterable[FollowUp]:
    """R3: an `agreed` reply asks for an answer within `respond_within_hours`."""
    reply = latest_answer(h)
    if reply is None or reply.answer != "agreed":
        return
    for m in h.meetings:
        if meeting_status(m, h.as_of) != "cancelled" and max(m.created_at, m.start) >= reply.at:
            return  # a meeting is scheduled or held: the yes is answered
    mode = MODE_FLAGS[h.contact.prefers or "phone"]
    yield FollowUp(
        "respond",
        _who(h.contact),
        reply.at,
        reply.at + timedelta(hours=s.respond_within_hours),
        "said yes {since}: propose a time that suits them",
        f'infoint schedule {_q(h.contact.handle)} "WHEN" {mode}',
        since=reply.at,
    )


def _waiting(h: History, s: Settings) -> Iterable[FollowUp]:
    """R2: nudge (if allowed) and move on when nobody answers."""
    run = pending_outreach(h)
    if not run or let_go(h):
        return
    last = run[-1]
    move_on = last.at + timedelta(days=s.reply_wait_days)
    nudge = last.at + timedelta(days=s.nudge_after_days)
    if len(run) - 1 < s.max_nudges and nudge < move_on:
        yield FollowUp(
            "nudge",
            _who(h.contact),
            nudge,
            nudge + GRACE["nudge"],
            f"no reply in {s.nudge_after_days} days: one short, friendly nudge is allowed",
            f'infoint outreach {_q(h.contact.handle)} --why-you "…" --goal "…"',
            closes=move_on,
        )
    yield FollowUp(
        "move_on",
        _who(h.contact),
        move_on,
        move_on + GRACE["move_on"],
        "no reply since {day}: let it go{others}",
        f"infoint not-now {_q(h.contact.handle)}  (or: infoint archive {_q(h.contact.handle)})",
        since=last.at,  # the wait follows your message, however long ago it was recorded
        industry=h.contact.industry,
        company=h.contact.company,
    )


def let_go(h: History) -> bool:
    """R2 resolved: after `not-now`, the unanswered wait it let go of asks for nothing
    more (a later outreach starts a new wait)."""
    when = h.contact.let_go_at
    run = pending_outreach(h)
    return when is not None and when <= h.as_of and bool(run) and when >= run[-1].at


def _meetings(h: History, s: Settings) -> Iterable[FollowUp]:
    """R6 prep, the outcome of a meeting that ended, and R9's thank-you."""
    from infoint.dates import short

    handle = _q(h.contact.handle)
    who = _who(h.contact)
    thanks = [e.at for e in h.events if isinstance(e, Thank)]
    for m in h.meetings:
        status = meeting_status(m, h.as_of)
        if status == "planned":
            if not prep_complete(h.contact, s):
                yield FollowUp(
                    "prep",
                    who,
                    m.start - timedelta(hours=s.prep_window_hours),
                    m.start,
                    f"meeting {short(m.start)}: {prep_gaps(h.contact, s)}",
                    f'infoint prep {handle} --research "…" --question "…"',
                    closes=m.start,
                    meeting=m.id,
                )
            yield FollowUp(
                "record_outcome",
                who,
                m.end,
                m.end + RECORD_OUTCOME_WITHIN,
                f"meeting {short(m.start)} has ended: record how it went",
                f'infoint done {m.id} --advice "…"  (or: infoint cancel {m.id})',
                meeting=m.id,
            )
        elif status == "done" and not any(t >= m.start for t in thanks):
            yield FollowUp(
                "thank_you",
                who,
                m.done_at or m.end,
                m.end + timedelta(hours=s.thank_you_within_hours),
                f"met {short(m.start)}: send a thank-you within {s.thank_you_within_hours} hours",
                f"infoint thank {handle}",
                meeting=m.id,
            )


def _keep_in_touch(h: History, s: Settings, status: Status) -> Iterable[FollowUp]:
    """R10/R11: mentors only, `keep_in_touch_days` after your last contact."""
    if status != "mentor":
        return
    last = last_contact(h, h.as_of)
    if last is None:  # pragma: no cover - a mentor has at least the meeting
        return
    opens = last + timedelta(days=s.keep_in_touch_days)
    yield FollowUp(
        "keep_in_touch",
        _who(h.contact),
        opens,
        opens + GRACE["keep_in_touch"],
        "last in touch {since}: share what you did with their advice",
        f'infoint touch {_q(h.contact.handle)} --note "…"',
        since=last,
    )


def candidates(hist: Iterable[History], settings: Settings) -> list[FollowUp]:
    """Every follow-up the records call for, whenever it opens: what `followups`
    filters by the moment, and what the store's index keeps ready."""
    found: list[FollowUp] = []
    hist = list(hist)
    for h in hist:
        if h.contact.archived or not (h.events or h.meetings):
            continue
        found.extend(_respond(h, settings))
        found.extend(_waiting(h, settings))
        found.extend(_meetings(h, settings))
        found.extend(_keep_in_touch(h, settings, contact_status(h, settings, h.as_of)))
    return _told_apart(found, [h.contact for h in hist if not h.contact.archived])


def _told_apart(found: list[FollowUp], contacts: list[Contact]) -> list[FollowUp]:
    """Two people with one name are shown with their handles (item 9 of issue 13)."""
    from dataclasses import replace

    from infoint.identity import shown_names

    shown = shown_names(contacts)
    return [
        replace(f, who=Who(f.who.uuid, f.who.handle, shown[f.who.uuid]))
        if shown.get(f.who.uuid, f.who.name) != f.who.name
        else f
        for f in found
    ]


def followups(doc: StoreDoc, settings: Settings, as_of: datetime) -> list[FollowUp]:
    """Every follow-up open at `as_of`, worked out from the records as they stood then."""
    hist = histories(doc, as_of).values()
    return due_at(candidates(hist, settings), as_of)
