"""What is due: the follow-ups the records call for (R2, R3, R6, R9, R10), whenever
each opens, with two people of one name told apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from infoint.agenda import FollowUp, Who, due_at
from infoint.agenda import quote as _q
from infoint.rules.checks import prep_complete, prep_gaps
from infoint.rules.standing import (
    History,
    contact_status,
    histories,
    last_contact,
    latest_answer,
    let_go,
    meeting_status,
    pending_outreach,
)
from infoint.vocabulary import Status

if TYPE_CHECKING:
    from infoint.models import Contact, Settings, StoreDoc

#: How long a nudge, move_on or keep_in_touch follow-up stays "not yet overdue".
GRACE = {
    "nudge": timedelta(days=3),
    "move_on": timedelta(days=7),
    "keep_in_touch": timedelta(days=7),
}

RECORD_OUTCOME_WITHIN = timedelta(hours=24)

MODE_FLAGS = {"phone": "--phone", "video": "--video", "in_person": '--at "PLACE"'}


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


def _meetings(h: History, s: Settings) -> Iterable[FollowUp]:
    """R6 prep, the outcome of a meeting that ended, and R9's thank-you."""
    from infoint.dates import short

    handle = _q(h.contact.handle)
    who = _who(h.contact)
    thanks = [e.at for e in h.of("thank")]
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
