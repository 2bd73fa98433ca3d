"""Meetings: schedule, list, move, cancel, prepare, record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

import infoint.cli as base
from infoint import actions, term
from infoint.cli import (
    ContactArg,
    JsonOpt,
    MeetingArg,
    NoPagerOpt,
    YesOpt,
    app,
    report,
    tracker,
    when,
)
from infoint.env import current as environment
from infoint.errors import ExitCode
from infoint.vocabulary import Mode, Venue

if TYPE_CHECKING:
    from infoint.services import Tracker


@app.command()
def schedule(
    contact: ContactArg,
    start: Annotated[
        str, typer.Argument(metavar="WHEN", help='When it starts, e.g. "next tue 10:00".')
    ],
    minutes: Annotated[
        int | None, typer.Option("--minutes", help="How long (default and maximum: 30).")
    ] = None,
    phone: Annotated[bool, typer.Option("--phone", help="A phone call.")] = False,
    video: Annotated[bool, typer.Option("--video", help="A video call.")] = False,
    at: Annotated[
        str | None, typer.Option("--at", metavar="PLACE", help="In person, at this place.")
    ] = None,
    venue: Annotated[
        Venue | None, typer.Option("--venue", help="What kind of place (with --at).")
    ] = None,
    held: Annotated[
        bool, typer.Option("--held", help="Record a meeting that already took place.")
    ] = False,
    also: Annotated[
        bool, typer.Option("--also", help="A second planned meeting with the same person.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Meet someone who declined or never answered, unasked."),
    ] = False,
    json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Plan a short meeting at their convenience (R4, R5, R8)."""
    from infoint import render
    from infoint.dates import Purpose
    from infoint.errors import BadInput

    chosen = [
        flag
        for flag, given in (("--phone", phone), ("--video", video), ("--at", at is not None))
        if given
    ]
    if len(chosen) != 1:
        raise BadInput(
            "Say how you will meet: exactly one of --phone, --video or --at PLACE"
            + (f" (got {', '.join(chosen)})." if chosen else "."),
            hint="Pick what suits them best; the article says the phone is fine.",
        )
    mode: Mode = "phone" if phone else "video" if video else "in_person"
    app_tracker = tracker()
    moment = when(start, Purpose.PAST if held else Purpose.FUTURE, "Starts", yes)
    from infoint.timeline import NeedsYes

    try:
        result = app_tracker.schedule(contact, moment, minutes, mode, at, venue, held, also, force)
    except NeedsYes as concern:
        if force or not base.can_ask():
            raise
        term.message(concern.message)
        if not typer.confirm("Schedule the meeting all the same?", default=False, err=True):
            raise typer.Exit(ExitCode.REFUSED) from None
        result = app_tracker.schedule(contact, moment, minutes, mode, at, venue, held, also, True)
    report(result)
    meeting, person = result.record
    if json:
        term.print_json(render.meeting_json(meeting, person))
    term.message(render.meeting_confirmation(meeting, person, "Recorded" if held else "Scheduled"))
    if held:
        term.message(f"Record how it went: infoint done {meeting.id} --advice …")
    else:
        tips = [
            "You pay the bill." if meeting.you_pay else "",
            f"Prepare: infoint prep {person.handle}",
        ]
        term.message(" ".join(t for t in tips if t))


@app.command()
def meetings(
    upcoming: Annotated[
        bool, typer.Option("--upcoming", help="Planned meetings not yet started.")
    ] = False,
    past: Annotated[bool, typer.Option("--past", help="Everything else.")] = False,
    json: JsonOpt = False,
    no_pager: NoPagerOpt = False,
) -> None:
    """List meetings."""
    from infoint import render

    if upcoming and past:
        from infoint.errors import BadInput

        raise BadInput(
            "--upcoming and --past exclude each other.",
            hint="Give one of them, or neither for every meeting: infoint meetings",
        )
    found, by_uuid = tracker().meetings(upcoming, past)
    if json:
        term.print_json([render.meeting_json(m, by_uuid.get(m.contact)) for m in found])
    else:
        with base.paged(no_pager):
            render.meetings_table(found, by_uuid)


PaidOpt = Annotated[
    str | None, typer.Option("--paid", metavar="AMOUNT", help="What you paid for the bill.")
]
AnsweredOpt = Annotated[
    list[int] | None,
    typer.Option("--answered", metavar="N", help="A question (by number) it answered; repeatable."),
]
PhoneOpt = Annotated[bool, typer.Option("--phone", help="Make it a phone call.")]
VideoOpt = Annotated[bool, typer.Option("--video", help="Make it a video call.")]
AtOpt = Annotated[
    str | None, typer.Option("--at", metavar="PLACE", help="Make it in person, at this place.")
]
VenueOpt = Annotated[
    Venue | None, typer.Option("--venue", help="What kind of place (in person only).")
]


@app.command()
def reschedule(
    meeting: MeetingArg,
    start: Annotated[str, typer.Argument(metavar="WHEN", help="The new start.")],
    minutes: Annotated[
        int | None, typer.Option("--minutes", help="A new length (at most 30).")
    ] = None,
    phone: PhoneOpt = False,
    video: VideoOpt = False,
    at: AtOpt = None,
    venue: VenueOpt = None,
    yes: YesOpt = False,
) -> None:
    """Move a planned meeting, and its place if it changes (same rules as schedule)."""
    actions.reschedule(meeting, start, minutes, phone, video, at, venue, yes)


meeting_app = typer.Typer(
    help="Correct a meeting: infoint meeting edit N.", no_args_is_help=True, cls=base.Group
)
app.add_typer(meeting_app, name="meeting")


@meeting_app.command("edit")
def meeting_edit(
    meeting: MeetingArg,
    phone: PhoneOpt = False,
    video: VideoOpt = False,
    at: AtOpt = None,
    venue: VenueOpt = None,
    notes: Annotated[str | None, typer.Option("--notes", help="How it went (replaces).")] = None,
    advice: Annotated[
        list[str] | None, typer.Option("--advice", help="Advice to add; repeatable.")
    ] = None,
    paid: PaidOpt = None,
    keep_in_touch: Annotated[
        bool | None,
        typer.Option("--keep-in-touch/--no-keep-in-touch", help="They want to stay in touch."),
    ] = None,
    answered: AnsweredOpt = None,
) -> None:
    """Correct a planned or done meeting: place, mode, venue, notes, advice, bill, keep in
    touch, questions answered (the rules of a new meeting still hold)."""
    from infoint import render
    from infoint.corrections import Outcome

    where = actions.place(phone, video, at, venue)
    amount = _amount(paid) if paid is not None else None
    outcome = Outcome(notes, advice or [], amount, keep_in_touch, answered or [])
    result = tracker().edit_meeting(meeting, where, outcome)
    record, person = result.record
    term.message(render.meeting_confirmation(record, person, "Corrected"))
    term.message("Changed: ", result.notes[0], ".")
    if record.you_pay:
        term.message("You pay the bill at a cafe, restaurant or bar.")


@app.command()
def cancel(
    meeting: MeetingArg,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for your records.")] = None,
) -> None:
    """Cancel a planned meeting."""

    cancelled, person = tracker().cancel(meeting, reason).record
    term.message(
        f"Cancelled meeting {cancelled.id} with ",
        person.name,
        ". Let them know, kindly.",
    )


@app.command()
def prep(
    contact: ContactArg,
    research: Annotated[
        str | None, typer.Option("--research", help="What you learned about them.")
    ] = None,
    question: Annotated[
        list[str] | None, typer.Option("--question", help="A precise question; repeatable.")
    ] = None,
    pick: Annotated[
        bool, typer.Option("--pick", help="Choose questions from the bank (infoint questions).")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Keep a question even if it asks for a job (R13).")
    ] = False,
) -> None:
    """Add research and questions (R6); with neither, print the brief (R6-R8)."""
    from infoint import render

    app_tracker = tracker()
    if pick:
        _pick_questions(app_tracker, contact)
    if research is not None or question:
        result = app_tracker.prep(contact, research, question or [], force)
        report(result)
        record = result.record
        count = len(record.questions)
        need = app_tracker.settings.min_questions
        state = (
            "Prep complete."
            if count >= need and record.research
            else f"{count} of {need} questions."
        )
        term.message(
            "Saved prep for ",
            record.name,
            f". {state} See the brief: infoint prep {record.handle}",
        )
        return
    person, meeting, goal, referrer = app_tracker.brief(contact)
    render.brief(person, meeting, goal, referrer, app_tracker.settings)


def _pick_questions(app_tracker: Tracker, contact: str) -> None:
    """Show the bank, numbered, and ask which to add."""
    from infoint.errors import BadInput
    from infoint.questions import listed

    if not base.can_ask():
        raise BadInput(
            "--pick asks which questions to add, and needs a terminal.", hint="Use --question TEXT."
        )
    for number, (group, text) in enumerate(listed(), 1):
        environment().stderr.write(f"  {number:>2}. [{group}] {text}\n")
    answer = str(typer.prompt("Numbers to add (e.g. 1,4,9)", err=True))
    try:
        numbers = [int(part) for part in answer.replace(",", " ").split()]
    except ValueError:
        raise BadInput(f"{answer!r} is not a list of numbers.", hint="For example: 1,4,9") from None
    record = app_tracker.pick_questions(contact, numbers).record
    term.message(f"{record.name} now has {len(record.questions)} question(s).")


@app.command()
def done(
    meeting: MeetingArg,
    notes: Annotated[str | None, typer.Option("--notes", help="How it went.")] = None,
    advice: Annotated[
        list[str] | None, typer.Option("--advice", help="A piece of advice; repeatable.")
    ] = None,
    keep_in_touch: Annotated[
        bool, typer.Option("--keep-in-touch/--no-keep-in-touch", help="They want to stay in touch.")
    ] = False,
    paid: PaidOpt = None,
    answered: AnsweredOpt = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on", metavar="WHEN", help="When it took place, if not when planned (in the past)."
        ),
    ] = None,
    yes: YesOpt = False,
) -> None:
    """Record that a meeting took place (R9: a thank-you is now due)."""
    from infoint.dates import Purpose

    app_tracker = tracker()
    amount = _amount(paid) if paid is not None else None
    held = when(on, Purpose.PAST, "Took place", yes) if on else None
    record, person = app_tracker.done(
        meeting, notes, advice, keep_in_touch, amount, answered, held
    ).record
    hours = app_tracker.settings.thank_you_within_hours
    term.message(
        f"Meeting {record.id} with ",
        person.name,
        f" is done. Send a thank-you within {hours} hours, then: infoint thank {person.handle}",
    )
    if keep_in_touch:
        days = app_tracker.settings.keep_in_touch_days
        term.message(
            f"They are now a mentor: infoint will remind you to keep in touch every {days} days."
        )


#: More than this for a coffee or a meal is a typo, not a bill.
MAX_PAID = 10_000


def _amount(text: str) -> float:
    """A bill as people write it: `7.50`, `7,50`, `€12`; not `1e9`, `nan` or a fortune."""
    import re

    from infoint.errors import BadInput

    plain = text.strip().lstrip("$€£").strip().replace(",", ".")
    if plain.startswith("-"):
        raise BadInput(f"--paid cannot be negative (got {text}).", hint="For example: --paid 12.50")
    if not re.fullmatch(r"\d+(?:\.\d{1,2})?", plain):
        raise BadInput(
            f"--paid takes an amount like 12.50 (got {text!r}).", hint="For example: --paid 12.50"
        )
    amount = float(plain)
    if amount > MAX_PAID:
        raise BadInput(
            f"--paid {text} is more than a cafe bill ({MAX_PAID:,} at most).",
            hint="Check the amount, e.g. --paid 12.50",
        )
    return amount
