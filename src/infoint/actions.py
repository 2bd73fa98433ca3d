"""The bodies of the commands people run all day, with no Typer: one service, one
renderer each.

Both front doors call these: the Typer command in cli/ once Typer has parsed its
options, and entry.py when it could parse argv itself (see `entry.COMMANDS`). So
each of these commands has one implementation, and what it prints and writes does
not depend on the door it came through. What every command shares (the clock,
paths and terminal of the environment the front door set, `--no-pager`, reading
a WHEN) lives here too.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from infoint import screens, term
from infoint.vocabulary import Channel, Mode, Sort, Status, Venue

if TYPE_CHECKING:
    from infoint.corrections import Place
    from infoint.dates import Purpose
    from infoint.env import Environment
    from infoint.files import Paths
    from infoint.records import ContactFields
    from infoint.services import Result, Tracker


def environment() -> Environment:
    """The environment the front door set for this command (env.py)."""
    from infoint import env

    return env.current()


def can_ask() -> bool:
    """Whether there is a terminal to ask a question on."""
    return environment().interactive


def clock() -> datetime:
    """Now, by the environment's clock (a test's fixed one, or the system's)."""
    return environment().clock()


def paths() -> Paths:
    return environment().paths


def tracker() -> Tracker:
    from infoint.services import Tracker

    current = environment()
    return Tracker(current.paths, clock=current.clock)


def when(text: str, purpose: Purpose, label: str = "", yes: bool = False) -> datetime:
    """Parse a WHEN and echo what it was understood as, on stderr. A date more than
    `far_date_days` away is more often a typo than a plan: it needs --yes, or a yes
    on a terminal."""
    from infoint.dates import describe, far_off, parse_when

    now = clock()
    try:
        moment = parse_when(text, now, purpose)
    except Exception as exc:
        raise _past_day(text, purpose) or exc from None
    term.message(f"{label or 'When'}: {describe(moment)}")
    distance = far_off(moment, now, tracker().settings.far_date_days)
    if distance is None or yes:
        return moment
    question = f"That is {distance}. Is {describe(moment)} right?"
    if can_ask():
        import typer  # only to ask: its prompt is the one every other question uses

        if typer.confirm(question, default=False, err=True):
            return moment
        term.message("Nothing was changed. Give the date again as you meant it.")
        from infoint.errors import ExitCode

        raise SystemExit(ExitCode.REFUSED)
    from infoint.errors import BadInput

    raise BadInput(
        f'"{text.strip()}" is {describe(moment)}, {distance}.',
        hint="Check the date, or add --yes if it is right. How far is far: "
        "infoint config far_date_days DAYS",
    )


def _past_day(text: str, purpose: Purpose) -> Exception | None:
    """For a start, a day already gone ("yesterday") is refused as past at once: adding
    a time of day to it, as the date reader's hint says, would only be refused next."""
    from infoint.dates import Purpose, parse_when
    from infoint.errors import BadInput

    if purpose is not Purpose.FUTURE:
        return None
    now = clock()
    try:
        day = parse_when(text, now, Purpose.PAST)
    except Exception:
        return None
    if day.astimezone().date() >= now.astimezone().date():
        return None
    return BadInput(
        f'"{text.strip()}" is in the past.',
        hint='Pick a day ahead with a time of day, e.g. "tomorrow 10:00"; '
        "a meeting that already took place is recorded with schedule … --held.",
    )


def report(result: Result[Any]) -> None:
    for warning in result.warnings:
        term.message("Warning: ", warning)


def paged(no_pager: bool) -> Any:
    """The pager for a long listing, unless refused here or before the command."""
    from infoint import pager

    return pager.paged(refused=no_pager or environment().no_pager)


def fields(**values: Any) -> ContactFields:
    from infoint.records import ContactFields

    tags = values.pop("tag") or []
    return ContactFields(tags=list(tags), **values)


def place(phone: bool, video: bool, at: str | None, venue: Venue | None) -> Place:
    """At most one of --phone, --video, --at; each left out keeps what the meeting has."""
    from infoint.corrections import Place
    from infoint.errors import BadInput

    chosen = [f for f, given in (("--phone", phone), ("--video", video), ("--at", at)) if given]
    if len(chosen) > 1:
        raise BadInput(
            f"Give at most one of --phone, --video or --at PLACE (got {', '.join(chosen)}).",
            hint="Say how you will meet now: e.g. --phone",
        )
    mode: Mode | None = "phone" if phone else "video" if video else "in_person" if at else None
    return Place(mode, at, venue)


# contacts ------------------------------------------------------------------------


def contacts(
    status: Status | None = None,
    tag: str | None = None,
    search: str | None = None,
    all_: bool = False,
    sort: Sort = "id",
    limit: int | None = None,
    json: bool = False,
    no_pager: bool = False,
) -> None:
    """The table from the index as it stands when it is valid (no record read, no
    pydantic), else from the index the tracker brings up to date; JSON has records."""
    from infoint import listing
    from infoint.index import Stale

    if limit is not None and limit < 1:
        from infoint.errors import BadInput

        raise BadInput(f"--limit takes 1 or more (got {limit}).", hint="For example: --limit 20")
    if json:
        from infoint import render
        from infoint.records import iso

        shown, _ = tracker().contacts_page(status, tag, search, all_, sort, limit, json)
        term.print_json(
            [
                render.contact_json(c, st) | {"last_contact": iso(last) if last else None}
                for c, st, last in shown
            ]
        )
        return
    now = clock()
    query = listing.Query(status, tag, search, all_, sort, limit)
    index = listing.valid_index(paths())
    try:
        if index is None:
            raise Stale("index")
        found = listing.page(index, now, query)
    except Stale:
        found = tracker().listing(query)
    with paged(no_pager):
        screens.contacts_screen(found, now)


def show(contact: str, json: bool = False, no_pager: bool = False) -> None:
    app_tracker = tracker()
    history, status, doc = app_tracker.show(contact)
    if json:
        from infoint import render

        data = render.contact_json(history.contact, status, doc)
        by_uuid = {c.uuid: c for c in doc.contacts}
        data["timeline"] = [e.model_dump(mode="json") for e in history.events]
        data["meetings"] = [
            render.meeting_json(m, by_uuid.get(m.contact)) for m in history.meetings
        ]
        term.print_json(data)
    else:
        with paged(no_pager):
            screens.show_screen(history, status, doc, app_tracker.clock())


def add_contact(name: str, json: bool = False, force: bool = False, **given: Any) -> None:
    """`given`: the field options of add-contact (FIELD_OPTIONS), None when left out."""
    result = tracker().add_contact(name, fields(**given), force)
    term.added(result.record.model_dump(mode="json"), json, result.warnings)


def edit(
    contact: str,
    name: str | None = None,
    handle: str | None = None,
    untag: list[str] | None = None,
    json: bool = False,
    force: bool = False,
    **given: Any,
) -> None:
    """`given`: the field options of edit, None when left out ("" clears one)."""
    app_tracker = tracker()
    result = app_tracker.edit(
        contact, fields(**given), name=name, untag=untag, handle=handle, force=force
    )
    report(result)
    record = result.record
    if json:
        from infoint import render

        _, status, doc = app_tracker.show(record.handle)
        term.print_json(render.contact_json(record, status, doc))
    term.message("Updated ", record.name, f" ({record.handle}): ", result.notes[0], ".")


# messages and meetings -----------------------------------------------------------


def outreach(
    contact: str,
    who_i_am: str | None = None,
    why_you: str | None = None,
    goal: str | None = None,
    subject: str | None = None,
    channel: Channel = "email",
    sent: str | None = None,
    force: bool = False,
    json: bool = False,
    yes: bool = False,
) -> None:
    from infoint.dates import Purpose

    app_tracker = tracker()
    at = when(sent, Purpose.PAST, "Sent", yes) if sent else None
    result = app_tracker.outreach(contact, who_i_am, why_you, goal, subject, channel, at, force)
    report(result)
    record, person = result.record
    if json:
        term.print_json(record.model_dump(mode="json") | {"contact": person.handle})
    days = app_tracker.settings.reply_wait_days
    wait = _wait_words(record.at, app_tracker.clock(), days)
    term.message("Recorded your message to ", person.name, ". ", wait)


def _wait_words(sent: datetime, now: datetime, days: int) -> str:
    """R2's wait, counted from the day the message went out (which may be long ago)."""
    from datetime import timedelta

    from infoint.dates import day_label

    ends = sent + timedelta(days=days)
    if ends <= now:
        return (
            f"That was {days} days ago or more with no reply: time to move on "
            "(see: infoint followups)."
        )
    if now - sent < timedelta(days=1):
        return f"If there is no reply in {days} days, infoint will tell you to move on."
    return f"If there is no reply by {day_label(ends)}, infoint will tell you to move on."


def reschedule(
    meeting: str,
    start: str,
    minutes: int | None = None,
    phone: bool = False,
    video: bool = False,
    at: str | None = None,
    venue: Venue | None = None,
    yes: bool = False,
) -> None:
    from infoint.dates import Purpose

    where = place(phone, video, at, venue)
    app_tracker = tracker()
    moment = when(start, Purpose.FUTURE, "Starts", yes)
    moved, person = app_tracker.reschedule(meeting, moment, minutes, where).record
    term.message(screens.meeting_confirmation(moved, person, "Moved"))


# progress ------------------------------------------------------------------------


def agenda(days: int = 7, json: bool = False, no_pager: bool = False) -> None:
    app_tracker = tracker()
    if json:
        from infoint import render

        found = app_tracker.agenda(days)
        shown = {m.contact for day in found for m, _, _ in day.meetings}
        contacts = app_tracker.by_uuid(shown)
        term.print_json(render.agenda_json(found, contacts, app_tracker.clock()))
        return
    with paged(no_pager):
        screens.agenda_screen(app_tracker.agenda(days), app_tracker.clock())


def stats(since: str | None = None, json: bool = False, yes: bool = False) -> None:
    from infoint.dates import Purpose

    moment = when(since, Purpose.PAST, "Since", yes) if since else None
    found = tracker().stats(moment)
    if json:
        term.print_json(found)
    else:
        screens.stats_screen(found)
