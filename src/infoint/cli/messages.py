"""Messages: the outreach you send, their replies, thank-yous and touches."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from infoint import actions, term
from infoint.cli import (
    ContactArg,
    JsonOpt,
    NoteOpt,
    OnOpt,
    YesOpt,
    app,
    report,
    tracker,
    when,
)
from infoint.vocabulary import Answer, Channel

if TYPE_CHECKING:
    pass


@app.command()
def outreach(
    contact: ContactArg,
    who_i_am: Annotated[
        str | None, typer.Option("--who-i-am", help="Who you are (default: config me.intro).")
    ] = None,
    why_you: Annotated[
        str | None, typer.Option("--why-you", help="Why you want to speak with them.")
    ] = None,
    goal: Annotated[
        str | None, typer.Option("--goal", help="Precisely what you hope to learn.")
    ] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="The message's subject.")] = None,
    channel: Annotated[Channel, typer.Option("--channel", help="How you sent it.")] = "email",
    sent: Annotated[
        str | None,
        typer.Option("--on", "--sent", metavar="WHEN", help="When you sent it (default: now)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Write even though the rules say wait or move on.")
    ] = False,
    json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Record a message you sent (R1: who you are, why them, your goal)."""
    actions.outreach(contact, who_i_am, why_you, goal, subject, channel, sent, force, json, yes)


@app.command()
def reply(
    contact: ContactArg,
    agreed: Annotated[bool, typer.Option("--agreed", help="They said yes.")] = False,
    declined: Annotated[bool, typer.Option("--declined", help="They said no.")] = False,
    referred: Annotated[
        str | None,
        typer.Option("--referred", metavar="CONTACT", help="They pointed you to someone else."),
    ] = None,
    on: OnOpt = None,
    note: NoteOpt = None,
    yes: YesOpt = False,
) -> None:
    """Record their answer (R3: a yes deserves a prompt reply)."""
    from infoint.dates import Purpose
    from infoint.errors import BadInput

    chosen = [
        flag
        for flag, given in (
            ("--agreed", agreed),
            ("--declined", declined),
            ("--referred", referred),
        )
        if given
    ]
    if len(chosen) != 1:
        raise BadInput(
            "Say exactly one of --agreed, --declined or --referred CONTACT"
            + (f" (got {', '.join(chosen)})." if chosen else "."),
            hint=f"For example: infoint reply {contact} --agreed",
        )
    answer: Answer = "agreed" if agreed else "declined" if declined else "referred"
    app_tracker = tracker()
    at = when(on, Purpose.PAST, "On", yes) if on else None
    result = app_tracker.reply(contact, answer, referred, at, note)
    report(result)
    _, person, other = result.record
    if answer == "agreed":
        hours = app_tracker.settings.respond_within_hours
        term.message(
            person.name,
            f" said yes. Answer within {hours} hours with a time that suits them: "
            f'infoint schedule {person.handle} "WHEN" --phone',
        )
    elif answer == "declined":
        term.message(person.name, " declined. Thank them and move on to others.")
    elif other is not None:  # --referred names them: an existing contact, or a new one
        term.message(
            person.name,
            " referred you to ",
            other.name,
            f": infoint outreach {other.handle} …",
        )


@app.command()
def heard(contact: ContactArg, on: OnOpt = None, note: NoteOpt = None, yes: YesOpt = False) -> None:
    """Record a message they sent you (it resets the keep-in-touch clock)."""
    _simple_message("heard", contact, on, note, yes=yes)


@app.command()
def thank(contact: ContactArg, on: OnOpt = None, note: NoteOpt = None, yes: YesOpt = False) -> None:
    """Record the thank-you you sent (R9)."""
    _simple_message("thank", contact, on, note, yes=yes)


@app.command()
def touch(
    contact: ContactArg,
    on: OnOpt = None,
    note: NoteOpt = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Record it even if it is soon after the last one, or the first contact.",
        ),
    ] = False,
    yes: YesOpt = False,
) -> None:
    """Record a keep-in-touch message (R11: not too often)."""
    _simple_message("touch", contact, on, note, force, yes)


def _simple_message(
    kind: str,
    contact: str,
    on: str | None,
    note: str | None,
    force: bool = False,
    yes: bool = False,
) -> None:
    from infoint.dates import Purpose

    app_tracker = tracker()
    at = when(on, Purpose.PAST, "On", yes) if on else None
    if kind == "touch":
        result = app_tracker.touch(contact, at, note, force)
    else:
        result = getattr(app_tracker, kind)(contact, at, note)
    report(result)
    _, person = result.record
    done = {
        "heard": "Noted the message from",
        "thank": "Recorded your thank-you to",
        "touch": "Recorded that you kept in touch with",
    }
    term.message(f"{done[kind]} ", person.name, ".")


# meetings ---------------------------------------------------------------------
