"""The command line: parse options, call one service, call one renderer.

Only Typer is imported at start-up; the store, pydantic and Rich are imported by
the commands that need them, so `--help` and completion stay fast. Every error
the project raises on purpose is mapped to `Error:`/`Hint:` and exit 1 in one
place (`Group.invoke`); Typer's own usage errors keep exit 2.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

import typer
from typer.core import TyperGroup

from infoint import term

if TYPE_CHECKING:
    from infoint.dates import Purpose
    from infoint.files import Paths
    from infoint.records import ContactFields
    from infoint.services import Result, Tracker

Mode = Literal["in_person", "phone", "video"]
Venue = Literal["cafe", "restaurant", "bar", "office", "other"]
Channel = Literal["email", "linkedin", "phone", "other"]
StatusName = Literal[
    "prospect", "contacted", "agreed", "declined", "referred", "moved_on",
    "scheduled", "met", "mentor", "archived",
]  # fmt: skip


class State:
    """What every command shares; tests replace `clock` to fix "now"."""

    debug: bool = False
    clock: Callable[[], datetime] | None = None


def debug() -> bool:
    return State.debug or term.debug_requested()


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "on"):
        return True
    if text in ("0", "false", "no", "n", "off"):
        return False
    raise ValueError(f"{value!r} is not a valid boolean.")


def _plain_converter(annotation: Any) -> Callable[[Any], Any] | None:
    """A converter for the simple option types infoint uses (str, int, Literal, list,
    Optional of those); None for anything else, which Typer then handles itself."""
    origin = get_origin(annotation)
    if origin in (Union, UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return _plain_converter(args[0]) if len(args) == 1 else None
    if annotation is str:
        return str
    if annotation is bool:
        return _to_bool
    if annotation is int:

        def to_int(value: Any) -> int:
            try:
                return int(value)
            except (TypeError, ValueError):
                raise ValueError(f"{value!r} is not a valid integer.") from None

        return to_int
    if origin is Literal:
        choices = get_args(annotation)

        def to_choice(value: Any) -> Any:
            if value in choices:
                return value
            listed = ", ".join(repr(c) for c in choices)
            raise ValueError(f"{value!r} is not one of {listed}.")

        return to_choice
    if origin is list:
        item = _plain_converter(get_args(annotation)[0])
        if item is None:
            return None
        return lambda values: [item(v) for v in values]
    return None


_PLAIN_PARAM: Any = None


def _plain_param_class() -> Any:
    """A Typer RuntimeParam that converts with a plain function (made once)."""
    global _PLAIN_PARAM
    if _PLAIN_PARAM is None:
        from typer._coercion import RuntimeParam

        @dataclass(frozen=True)
        class PlainParam(RuntimeParam):
            convert: Callable[[Any], Any]

            def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
                try:
                    return self.convert(value)
                except ValueError as exc:
                    raise typer.BadParameter(str(exc), ctx=ctx, param=param) from None

        _PLAIN_PARAM = PlainParam
    return _PLAIN_PARAM


def _fast_params(command: Any) -> None:
    """Typer builds a pydantic TypeAdapter per parameter on every run (~80 ms of
    imports). infoint's parameters are plain strings, numbers and choices, so give
    them a plain converter instead; anything else keeps Typer's own coercion."""
    try:
        PlainParam = _plain_param_class()
    except ImportError:  # pragma: no cover - another Typer: its own coercion works too
        return

    def patch(param: Any) -> Any:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            return param
        convert = _plain_converter(descriptor.annotation)
        if convert is not None:
            param._runtime_param = PlainParam(
                parameter_info=descriptor.parameter_info,
                annotation=descriptor.annotation,
                convert=convert,
            )
        return param

    for param in getattr(command, "params", ()):
        patch(param)
    help_option = getattr(command, "get_help_option", None)
    if help_option is not None and not getattr(help_option, "_infoint_fast", False):

        def get_help_option(ctx: Any) -> Any:
            return patch(help_option(ctx))

        get_help_option._infoint_fast = True  # type: ignore[attr-defined]
        command.get_help_option = get_help_option


class Group(TyperGroup):
    """The one place where infoint's errors become messages and exit codes."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _fast_params(self)
        result: list[str] = super().parse_args(ctx, args)
        return result

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _fast_params(command)
        return command

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except (Exception, KeyboardInterrupt) as exc:
            if type(exc).__module__.startswith(("click", "typer")):
                raise  # Typer's own usage errors: exit 2, its message
            code = term.failure(exc, debug())
            if code is None:
                raise
            raise typer.Exit(code) from None


app = typer.Typer(
    cls=Group,
    name="infoint",
    help="Track informational interviews, the courteous way: contacts, outreach, "
    "meetings and the follow-ups you owe.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from infoint import __version__

        typer.echo(f"infoint {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback on unexpected errors.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    State.debug = debug


def can_ask() -> bool:
    """Whether there is a terminal to ask a question on."""
    return sys.stdin.isatty()


def clock() -> datetime:
    """Now, from the test's clock when one is set."""
    from infoint.dates import system_now

    return (State.clock or system_now)()


def paths() -> Paths:
    from infoint.files import Paths

    return Paths.from_env()


def tracker() -> Tracker:
    from infoint.dates import system_now
    from infoint.services import Tracker

    return Tracker(paths(), clock=State.clock or system_now)


def when(text: str, purpose: Purpose, label: str = "") -> datetime:
    """Parse a WHEN and echo what it was understood as, on stderr."""
    from infoint.dates import describe, parse_when

    moment = parse_when(text, clock(), purpose)
    term.message(f"{label or 'When'}: {describe(moment)}")
    return moment


def report(result: Result) -> None:
    for warning in result.warnings:
        term.message("Warning: ", warning)


# options shared by add-contact and edit --------------------------------------

EmailOpt = Annotated[str | None, typer.Option("--email", help="E-mail address.")]
PhoneOpt = Annotated[str | None, typer.Option("--phone", help="Phone number.")]
CompanyOpt = Annotated[str | None, typer.Option("--company", help="Where they work.")]
RoleOpt = Annotated[str | None, typer.Option("--role", help="Their job title.")]
IndustryOpt = Annotated[
    str | None, typer.Option("--industry", help="Their field, e.g. Publishing.")
]
LocationOpt = Annotated[str | None, typer.Option("--location", help="City or region.")]
LinkedinOpt = Annotated[str | None, typer.Option("--linkedin", help="LinkedIn profile URL.")]
SourceOpt = Annotated[str | None, typer.Option("--source", help="Where you found them.")]
ReferredOpt = Annotated[
    str | None,
    typer.Option("--referred-by", metavar="CONTACT", help="Who introduced you (handle or id)."),
]
WhyOpt = Annotated[str | None, typer.Option("--why", help="Why you admire them: what they did.")]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", help="A label; repeat for more.")]
PrefersOpt = Annotated[Mode | None, typer.Option("--prefers", help="How they like to meet.")]
NotesOpt = Annotated[str | None, typer.Option("--notes", help="Anything else worth keeping.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]


def _complete_handles(incomplete: str) -> list[str]:
    from infoint.complete import handles

    return handles(incomplete)


def _complete_meetings(incomplete: str) -> list[tuple[str, str]]:
    from infoint.complete import meetings

    return meetings(incomplete)


def _complete_tags(incomplete: str) -> list[str]:
    from infoint.complete import tags

    return tags(incomplete)


def _complete_settings(incomplete: str) -> list[str]:
    from infoint.complete import settings

    return settings(incomplete)


ContactArg = Annotated[
    str,
    typer.Argument(
        metavar="CONTACT",
        help="Handle or number of the contact.",
        autocompletion=_complete_handles,
    ),
]
MeetingArg = Annotated[
    str,
    typer.Argument(
        metavar="MEETING", help="Number of the meeting.", autocompletion=_complete_meetings
    ),
]
OnOpt = Annotated[
    str | None, typer.Option("--on", metavar="WHEN", help="When it happened (default: now).")
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="A short note.")]


def _fields(**values: Any) -> ContactFields:
    from infoint.records import ContactFields

    tags = values.pop("tag") or []
    return ContactFields(tags=list(tags), **values)


# contacts ---------------------------------------------------------------------


@app.command("add-contact")
def add_contact(
    name: Annotated[
        str | None, typer.Argument(help="Their full name (asked for on a terminal if left out).")
    ] = None,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    company: CompanyOpt = None,
    role: RoleOpt = None,
    industry: IndustryOpt = None,
    location: LocationOpt = None,
    linkedin: LinkedinOpt = None,
    source: SourceOpt = None,
    referred_by: ReferredOpt = None,
    why: WhyOpt = None,
    tag: TagOpt = None,
    prefers: PrefersOpt = None,
    notes: NotesOpt = None,
    json: JsonOpt = False,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask; refuse when NAME is missing.")
    ] = False,
) -> None:
    """Add someone you admire as a prospect; prints their handle."""
    given = {k: v for k, v in locals().items() if k not in ("name", "json", "no_input")}
    from infoint.records import add_contact as quick_add

    if name is None:
        name = _ask_for_contact(given, no_input)
    fields = _fields(**given)

    contact: Any = quick_add(paths(), clock(), name, fields)
    if contact is None:
        contact = tracker().add_contact(name, fields).record.model_dump(mode="json")
    if json:
        term.print_json({**contact, "status": "prospect"})
    else:
        sys.stdout.write(contact["handle"] + "\n")
    next_step = f"Next: infoint outreach {contact['handle']} --why-you … --goal …"
    term.message("Added ", contact["name"], f" as {contact['handle']}. {next_step}")


ASKED = (
    ("company", "Company"),
    ("role", "Role"),
    ("industry", "Industry"),
    ("email", "E-mail"),
    ("why", "Why you admire them (what they did)"),
)


def _ask_for_contact(given: dict[str, Any], no_input: bool) -> str:
    """On a terminal, ask for the name and the main fields one by one (Enter skips)."""
    from infoint.errors import BadInput

    if no_input or not can_ask():
        raise BadInput(
            "add-contact needs a NAME.",
            hint='For example: infoint add-contact "Jane Doe" --company Acme',
        )
    name = str(typer.prompt("Name", err=True)).strip()
    for key, label in ASKED:
        if given.get(key) is None:
            answer = str(typer.prompt(label, default="", show_default=False, err=True)).strip()
            given[key] = answer or None
    return name


@app.command()
def contacts(
    status: Annotated[StatusName | None, typer.Option("--status", help="Only this status.")] = None,
    tag: Annotated[
        str | None,
        typer.Option("--tag", help="Only contacts with this tag.", autocompletion=_complete_tags),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", help="Text in the name, company, role, industry or notes."),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include archived contacts.")] = False,
    sort: Annotated[
        Literal["id", "name", "status", "company", "last-touch"],
        typer.Option("--sort", help="Order of the list."),
    ] = "id",
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="Show at most N.")] = None,
    json: JsonOpt = False,
) -> None:
    """List contacts with their status and how long since you were in touch."""
    from infoint import render
    from infoint.records import iso

    app_tracker = tracker()
    rows = app_tracker.contacts(status, tag, search, all_, sort)
    shown = rows[: max(limit, 0)] if limit is not None else rows
    if json:
        term.print_json(
            [
                render.contact_json(c, st) | {"last_contact": iso(last) if last else None}
                for c, st, last in shown
            ]
        )
    else:
        total = len(rows) if rows else len(app_tracker.read().contacts)
        render.contacts_table(shown, total, app_tracker.clock(), more=len(rows) - len(shown))


@app.command()
def show(contact: ContactArg, json: JsonOpt = False) -> None:
    """One contact with their whole timeline."""
    from infoint import render

    app_tracker = tracker()
    history, status, doc = app_tracker.show(contact)
    if json:
        data = render.contact_json(history.contact, status, doc)
        by_uuid = {c.uuid: c for c in doc.contacts}
        data["timeline"] = [e.model_dump(mode="json") for e in history.events]
        data["meetings"] = [
            render.meeting_json(m, by_uuid.get(m.contact)) for m in history.meetings
        ]
        term.print_json(data)
    else:
        render.show_contact(history, status, doc, app_tracker.clock())


@app.command()
def edit(
    contact: ContactArg,
    name: Annotated[
        str | None, typer.Option("--name", help="A new name (the handle stays).")
    ] = None,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    company: CompanyOpt = None,
    role: RoleOpt = None,
    industry: IndustryOpt = None,
    location: LocationOpt = None,
    linkedin: LinkedinOpt = None,
    source: SourceOpt = None,
    referred_by: ReferredOpt = None,
    why: WhyOpt = None,
    tag: TagOpt = None,
    untag: Annotated[
        list[str] | None, typer.Option("--untag", help="Remove a tag; repeatable.")
    ] = None,
    prefers: PrefersOpt = None,
    notes: NotesOpt = None,
    json: JsonOpt = False,
) -> None:
    """Change a contact's fields; an empty value (--company "") clears one."""
    values = {k: v for k, v in locals().items() if k not in ("contact", "name", "untag", "json")}
    from infoint import render

    app_tracker = tracker()
    result = app_tracker.edit(contact, _fields(**values), name=name, untag=untag)
    record = result.record
    if json:
        history, status, doc = app_tracker.show(record.handle)
        term.print_json(render.contact_json(record, status, doc))
    term.message("Updated ", record.name, f" ({record.handle}).")


@app.command()
def remove(
    contact: ContactArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a contact and all their records, after confirmation."""
    from infoint.errors import BadInput

    app_tracker = tracker()
    history, _, _ = app_tracker.show(contact)
    if not yes:
        if not can_ask():
            raise BadInput(
                f"Removing {history.contact.name} deletes all their records and needs "
                "confirmation.",
                hint="Run it in a terminal, or add --yes: "
                f"infoint remove {history.contact.handle} --yes",
            )
        count = len(history.events) + len(history.meetings)
        question = f"Delete {term.safe(history.contact.name)} and {count} record(s) about them?"
        if not typer.confirm(question, default=False, err=True):
            term.message("Nothing was removed.")
            return
    result = app_tracker.remove(history.contact.uuid and history.contact.handle)
    term.message("Removed ", result.record.name, f" and {result.notes[0]}.")


@app.command()
def archive(
    contact: ContactArg,
    restore: Annotated[
        bool, typer.Option("--restore", help="Bring an archived contact back.")
    ] = False,
) -> None:
    """Hide a contact from lists and follow-ups (or bring them back with --restore)."""

    record = tracker().archive(contact, restore).record
    verb = "Restored" if restore else "Archived"
    term.message(f"{verb} ", record.name, ".")


# messages -----------------------------------------------------------------------


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
        typer.Option("--sent", metavar="WHEN", help="When you sent it (default: now)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Write even though the rules say wait or move on.")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Record a message you sent (R1: who you are, why them, your goal)."""
    from infoint.dates import Purpose

    app_tracker = tracker()
    at = when(sent, Purpose.PAST, "Sent") if sent else None
    result = app_tracker.outreach(contact, who_i_am, why_you, goal, subject, channel, at, force)
    report(result)
    record, person = result.record
    if json:
        term.print_json(record.model_dump(mode="json") | {"contact": person.handle})
    days = app_tracker.settings.reply_wait_days
    term.message(
        "Recorded your message to ",
        person.name,
        f". If there is no reply in {days} days, infoint will tell you to move on.",
    )


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
    answer: Literal["agreed", "declined", "referred"] = (
        "agreed" if agreed else "declined" if declined else "referred"
    )
    app_tracker = tracker()
    at = when(on, Purpose.PAST, "On") if on else None
    _, person, other = app_tracker.reply(contact, answer, referred, at, note).record
    if answer == "agreed":
        hours = app_tracker.settings.respond_within_hours
        term.message(
            person.name,
            f" said yes. Answer within {hours} hours with a time that suits them: "
            f'infoint schedule {person.handle} "WHEN" --phone',
        )
    elif answer == "declined":
        term.message(person.name, " declined. Thank them and move on to others.")
    else:
        term.message(
            person.name,
            " referred you to ",
            other.name,
            f": infoint outreach {other.handle} …",
        )


@app.command()
def heard(contact: ContactArg, on: OnOpt = None, note: NoteOpt = None) -> None:
    """Record a message they sent you (it resets the keep-in-touch clock)."""
    _simple_message("heard", contact, on, note)


@app.command()
def thank(contact: ContactArg, on: OnOpt = None, note: NoteOpt = None) -> None:
    """Record the thank-you you sent (R9)."""
    _simple_message("thank", contact, on, note)


@app.command()
def touch(
    contact: ContactArg,
    on: OnOpt = None,
    note: NoteOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Record it even if it is soon after the last one.")
    ] = False,
) -> None:
    """Record a keep-in-touch message (R11: not too often)."""
    _simple_message("touch", contact, on, note, force)


def _simple_message(
    kind: str, contact: str, on: str | None, note: str | None, force: bool = False
) -> None:
    from infoint.dates import Purpose

    app_tracker = tracker()
    at = when(on, Purpose.PAST, "On") if on else None
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
    json: JsonOpt = False,
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
    moment = when(start, Purpose.PAST if held else Purpose.FUTURE, "Starts")
    result = app_tracker.schedule(contact, moment, minutes, mode, at, venue, held)
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
) -> None:
    """List meetings."""
    from infoint import render

    found, by_uuid = tracker().meetings(upcoming, past)
    if json:
        term.print_json([render.meeting_json(m, by_uuid.get(m.contact)) for m in found])
    else:
        render.meetings_table(found, by_uuid)


@app.command()
def reschedule(
    meeting: MeetingArg,
    start: Annotated[str, typer.Argument(metavar="WHEN", help="The new start.")],
    minutes: Annotated[
        int | None, typer.Option("--minutes", help="A new length (at most 30).")
    ] = None,
) -> None:
    """Move a planned meeting (same rules as schedule)."""
    from infoint import render
    from infoint.dates import Purpose

    app_tracker = tracker()
    moment = when(start, Purpose.FUTURE, "Starts")
    moved, person = app_tracker.reschedule(meeting, moment, minutes).record
    term.message(render.meeting_confirmation(moved, person, "Moved"))


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
) -> None:
    """Add research and questions (R6); with neither, print the brief (R6-R8)."""
    from infoint import render

    app_tracker = tracker()
    if pick:
        _pick_questions(app_tracker, contact)
    if research is not None or question:
        record = app_tracker.prep(contact, research, question or []).record
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

    if not can_ask():
        raise BadInput(
            "--pick asks which questions to add, and needs a terminal.", hint="Use --question TEXT."
        )
    for number, (group, text) in enumerate(listed(), 1):
        sys.stderr.write(f"  {number:>2}. [{group}] {text}\n")
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
    paid: Annotated[
        str | None, typer.Option("--paid", metavar="AMOUNT", help="What you paid for the bill.")
    ] = None,
    answered: Annotated[
        list[int] | None,
        typer.Option(
            "--answered", metavar="N", help="A question (by number) it answered; repeatable."
        ),
    ] = None,
) -> None:
    """Record that a meeting took place (R9: a thank-you is now due)."""

    app_tracker = tracker()
    amount = _amount(paid) if paid is not None else None
    record, person = app_tracker.done(
        meeting, notes, advice, keep_in_touch, amount, answered
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


def _amount(text: str) -> float:
    from infoint.errors import BadInput

    try:
        return float(text.replace(",", ".").strip().lstrip("$€£"))
    except ValueError:
        raise BadInput(f"--paid takes an amount like 12.50 (got {text!r}).") from None


DraftKind = Literal["outreach", "nudge", "thank-you", "keep-in-touch"]


@app.command()
def draft(
    contact: Annotated[
        str | None,
        typer.Argument(
            metavar="CONTACT",
            help="Handle or number of the contact.",
            autocompletion=_complete_handles,
        ),
    ] = None,
    kind: Annotated[DraftKind, typer.Option("--kind", help="Which message.")] = "outreach",
    goal: Annotated[
        str | None, typer.Option("--goal", help="What you hope to learn (outreach).")
    ] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="The subject line.")] = None,
    edit: Annotated[
        bool,
        typer.Option(
            "--edit/--no-edit", help="Open it in $VISUAL or $EDITOR (default on a terminal)."
        ),
    ] = True,
    mailto: Annotated[bool, typer.Option("--mailto", help="Print a mailto: link with it.")] = False,
    open_: Annotated[
        bool, typer.Option("--open", help="Open the mailto: link in your mail app.")
    ] = False,
    eml: Annotated[
        str | None, typer.Option("--eml", metavar="FILE", help="Write it as an .eml file.")
    ] = None,
    copy: Annotated[bool, typer.Option("--copy", help="Copy it to the clipboard.")] = False,
    record: Annotated[
        bool, typer.Option("--record", help="Record it as sent, with its text.")
    ] = False,
    edit_template: Annotated[
        DraftKind | None,
        typer.Option("--edit-template", metavar="KIND", help="Edit the template for KIND instead."),
    ] = None,
) -> None:
    """Draft a message from what infoint knows, check it against the rules, hand it over."""
    from infoint import drafts
    from infoint.errors import BadInput

    app_tracker = tracker()
    command = drafts.editor_command()
    if edit_template:
        _edit_template(app_tracker.paths.config_file, edit_template, command)
        return
    if contact is None:
        raise BadInput(
            "draft needs a CONTACT.", hint="For example: infoint draft jane-doe --kind outreach"
        )
    text, person = app_tracker.draft(contact, kind, goal, subject)
    budget = app_tracker.settings.draft_word_budget
    interactive = edit and command is not None and can_ask()
    while True:
        if interactive:
            assert command is not None
            text = drafts.edit(text, command)
        problems = drafts.check(text, kind, budget)
        for problem in problems:
            term.message(f"Check: {problem}")
        if not (
            problems and interactive and typer.confirm("Edit it again?", default=True, err=True)
        ):
            break
    if not interactive:
        shown = term.safe(text)  # the screen never obeys codes hidden in a name or a note
        sys.stdout.write(shown if shown.endswith("\n") else shown + "\n")
        if edit and command is None:
            term.message("Set $EDITOR (or $VISUAL) to edit drafts in your editor.")
    if not problems:
        term.message(
            "Check: it says who you are, why them and what you hope to learn, briefly."
            if kind == "outreach"
            else "Check: nothing left to fill in."
        )
    _hand_over(text, person, app_tracker, mailto, open_, eml, copy)
    if record:
        app_tracker.record_draft(person.handle, kind, text, goal)
        term.message(f"Recorded the {kind.replace('-', ' ')} to {person.name}, with its text.")


def _edit_template(config_file: Any, kind: str, command: list[str] | None) -> None:
    from infoint import drafts
    from infoint.errors import BadInput
    from infoint.files import atomic_write

    path = drafts.template_path(config_file, kind)
    text = drafts.template(config_file, kind)
    if command is None or not can_ask():
        raise BadInput(
            "Editing a template needs an editor and a terminal.",
            hint=f"Set $EDITOR, or write the file yourself: {path}",
        )
    new = drafts.edit(text, command)
    drafts.render(new, dict.fromkeys(drafts.FIELDS, "x"), str(path))  # refuse a broken one
    atomic_write(path, new.encode())
    term.message(f"Saved {path}.")


def _hand_over(
    text: str,
    person: Any,
    app_tracker: Tracker,
    mailto: bool,
    open_: bool,
    eml: str | None,
    copy: bool,
) -> None:
    from pathlib import Path

    from infoint import drafts
    from infoint.errors import BadInput
    from infoint.files import atomic_write

    if mailto or open_:
        link = drafts.mailto(person.email, text)
        if mailto:
            sys.stdout.write(link + "\n")
        if open_:
            import webbrowser

            if not webbrowser.open(link):
                raise BadInput(
                    "No mail app could be opened.", hint="Use --mailto and paste the link."
                )
    if eml:
        atomic_write(Path(eml), drafts.eml(person.email, None, text))  # the mail app adds From
        term.message(f"Wrote {eml}: open it in your mail app.")
    if copy:
        tool = drafts.copy_command()
        if tool is None:
            raise BadInput(
                "No clipboard tool found (pbcopy, wl-copy, xclip, xsel).",
                hint="Use --eml or --mailto.",
            )
        import subprocess

        subprocess.run(tool, input=text.encode(), check=True)
        term.message("Copied the draft to the clipboard.")


@app.command()
def questions(
    goal: Annotated[
        Literal["career-switch", "skills", "industry", "company", "mentor"] | None,
        typer.Option("--goal", help="Only questions for this goal."),
    ] = None,
) -> None:
    """A bank of strong, specific questions, by goal (add them with prep --pick)."""
    from infoint.questions import listed

    current = None
    for number, (group, question) in enumerate(listed(goal), 1):
        if group != current:
            sys.stdout.write(("\n" if current else "") + group + "\n")
            current = group
        sys.stdout.write(f"  {number:>2}. {question}\n")


@app.command()
def agenda(
    days: Annotated[int, typer.Option("--days", help="How many days to show, from today.")] = 7,
) -> None:
    """The days ahead: meetings (with their prep) and what falls due, today first."""
    from infoint import render

    app_tracker = tracker()
    render.agenda(app_tracker.agenda(days), app_tracker.clock())


@app.command()
def stats(
    since: Annotated[
        str | None, typer.Option("--since", metavar="WHEN", help="Only what happened since WHEN.")
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Your search in numbers: the funnel, reply rates, meetings per month."""
    from infoint import render
    from infoint.dates import Purpose

    moment = when(since, Purpose.PAST, "Since") if since else None
    found = tracker().stats(moment)
    if json:
        term.print_json(found)
    else:
        render.stats(found)


@app.command()
def insights(
    json: JsonOpt = False,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="A summary to keep or share.")
    ] = False,
) -> None:
    """The advice from every meeting, with what several people said first."""
    from infoint import progress, render

    found = tracker().insights()
    if json:
        term.print_json(found)
    elif markdown:
        sys.stdout.write(term.safe(progress.markdown(found)))
    else:
        render.insights(found)


@app.command()
def demo(
    home: Annotated[
        str, typer.Option("--home", metavar="DIR", help="The folder to write the demo into.")
    ] = "infoint-demo",
) -> None:
    """Write a demo store (a dozen people, a few months of history) into its own folder."""
    from pathlib import Path

    from infoint import demo as demo_store

    folder = Path(home).expanduser().resolve()
    count = demo_store.build(folder, clock())
    term.message(
        f"Wrote a demo store with {count} people into {folder}. Your own store is untouched."
    )
    term.message(f"Explore it with:  export INFOINT_HOME={folder}; infoint followups")


@app.command()
def followups(
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="WHEN", help="Work it out as of this moment."),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Everything you owe someone, overdue first."""
    from infoint.dates import Purpose
    from infoint.index import due_view

    moment = when(as_of, Purpose.AS_OF, "As of") if as_of else clock()
    due = due_view(paths(), moment) or tracker().due(moment)
    if json:
        term.print_json([term.followup_json(item, due) for item in due.items])
    else:
        term.followups_screen(due)


@app.command()
def history(
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many changes to show.")] = 20,
    json: JsonOpt = False,
) -> None:
    """The latest changes: when, which command, and what it did."""
    from infoint import render

    entries = tracker().history()[::-1][: max(limit, 0)]
    if json:
        term.print_json(entries)
    else:
        render.history_table(entries)


@app.command()
def undo(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Take back the last change (one command is one step); repeat to go further back."""
    from infoint.dates import describe
    from infoint.errors import BadInput

    app_tracker = tracker()
    target, what = app_tracker.undo_preview()
    when = describe(datetime.fromisoformat(target["at"]))
    term.message(f"The last change was {target['command']} (#{target['seq']}, {when}).")
    term.message(f"Undo will: {what}.")
    if not yes:
        if not can_ask():
            raise BadInput(
                "Undo needs confirmation.",
                hint="Run it in a terminal, or add --yes: infoint undo --yes",
            )
        if not typer.confirm("Undo it?", default=False, err=True):
            term.message("Nothing was undone.")
            return
    app_tracker.undo(target["seq"])
    term.message("Undone. Run infoint undo again to take back the change before it.")


@app.command()
def doctor(
    backup: Annotated[
        str | None,
        typer.Argument(metavar="[BACKUP]", help="With --restore: the backup file to put back."),
    ] = None,
    restore: Annotated[
        bool, typer.Option("--restore", help="Put back a backup (the newest readable one).")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Check the data folder and say how to fix what is wrong; --restore puts back a backup."""
    from pathlib import Path

    from infoint import render
    from infoint.errors import BadInput

    app_tracker = tracker()
    if restore:
        chosen, undoable = app_tracker.restore(Path(backup) if backup else None)
        term.message(f"Restored {chosen}.")
        if undoable:
            term.message("Changed your mind? infoint undo")
        else:
            term.message("The unreadable store was kept in the backups folder.")
        return
    if backup:
        raise BadInput(
            "A backup file goes with --restore.", hint=f"infoint doctor --restore {backup}"
        )
    findings = app_tracker.doctor()
    if json:
        term.print_json([f.__dict__ for f in findings])
    else:
        render.findings(findings)
    if any(f.level == "error" for f in findings):
        raise typer.Exit(1)


@app.command()
def merge(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A copy of store.json to merge in.")],
) -> None:
    """Merge a copy of the store (a sync conflict, another machine) by record: newest wins."""
    from pathlib import Path

    counts = tracker().merge(Path(file))
    taken = counts["added"] + counts["newer"]
    term.message(
        f"Merged {file}: {counts['added']} new record(s) and {counts['newer']} newer one(s) "
        f"taken from it; {counts['kept']} kept from yours where yours were newer; "
        f"{counts['same']} the same on both sides."
    )
    if counts.get("moved"):
        term.message("The copy was moved into the backups folder.")
    if taken:
        term.message("To take the merge back: infoint undo")


import_app = typer.Typer(
    help="Bring your network in: LinkedIn, Google Contacts, vCard, or an infoint export.",
    rich_markup_mode=None,
    no_args_is_help=True,
)
export_app = typer.Typer(
    help="Take your data out: meetings to a calendar, contacts to a spreadsheet or address book.",
    rich_markup_mode=None,
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")

FileArg = Annotated[str, typer.Argument(metavar="FILE", help="The file to import.")]
DryRunOpt = Annotated[
    bool,
    typer.Option("--dry-run", help="Show what would be new, merged or skipped; change nothing."),
]
BatchTagOpt = Annotated[
    list[str] | None, typer.Option("--tag", help="A label for everyone in this import; repeatable.")
]


def _import(kind: str, file: str, tag: list[str] | None, dry_run: bool) -> None:
    from pathlib import Path

    from infoint import render

    outcomes = tracker().import_file(kind, Path(file), tag, dry_run)
    kinds = ("new", "merged", "same", "skipped")
    counts = {k: sum(1 for o in outcomes if o.result == k) for k in kinds}
    if dry_run:
        render.import_table(outcomes)
    for outcome in outcomes:
        if outcome.result in ("merged", "skipped") or (outcome.result == "new" and outcome.reason):
            what = {"merged": "merged", "skipped": "skipped", "new": "added"}[outcome.result]
            name = f" {outcome.name}" if outcome.name else ""
            term.message(f"Line {outcome.line}{name}: {what} ({outcome.reason}).")
    verb = "Would add" if dry_run else "Added"
    summary = (
        f"{verb} {counts['new']} new contact(s), merged {counts['merged']} into existing ones, "
        f"{counts['same']} already here, {counts['skipped']} skipped, from {Path(file).name}."
    )
    if dry_run:
        summary += " Nothing was changed (--dry-run)."
    elif counts["new"] or counts["merged"]:
        summary += " To take it back: infoint undo"
    term.message(summary)


@import_app.command("linkedin")
def import_linkedin(file: FileArg, tag: BatchTagOpt = None, dry_run: DryRunOpt = False) -> None:
    """LinkedIn's Connections.csv, or the whole data-export .zip."""
    _import("linkedin", file, tag, dry_run)


@import_app.command("google")
def import_google(file: FileArg, tag: BatchTagOpt = None, dry_run: DryRunOpt = False) -> None:
    """A Google Contacts export ("Google CSV")."""
    _import("google", file, tag, dry_run)


@import_app.command("vcard")
def import_vcard(file: FileArg, tag: BatchTagOpt = None, dry_run: DryRunOpt = False) -> None:
    """A .vcf file (vCard 3.0 or 4.0, one or many cards)."""
    _import("vcard", file, tag, dry_run)


@import_app.command("json")
def import_json(file: FileArg) -> None:
    """An `infoint export json` file: everything back, merged by record."""
    from pathlib import Path

    counts = tracker().import_json(Path(file))
    term.message(
        f"Imported {file}: {counts['added']} new record(s), {counts['newer']} newer, "
        f"{counts['kept']} kept as they were here, {counts['same']} already the same."
    )


OutOpt = Annotated[
    str | None, typer.Option("--out", metavar="FILE", help="Where to write it; - for stdout.")
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")]
EXPORTS = {
    "ics": "infoint-meetings.ics",
    "csv": "infoint-contacts.csv",
    "vcard": "infoint-contacts.vcf",
    "json": "infoint-export.json",
}


def _export(kind: str, out: str | None, force: bool) -> None:
    from pathlib import Path

    from infoint.errors import BadInput
    from infoint.files import atomic_write

    target = out or EXPORTS[kind]
    if target != "-" and Path(target).exists() and not force:
        raise BadInput(
            f"{target} exists already.", hint="Add --force to overwrite it, or pick --out."
        )
    data = tracker().export(kind)
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    atomic_write(Path(target), data)
    term.message(f"Wrote {target}.")


@export_app.command("ics")
def export_ics(out: OutOpt = None, force: ForceOpt = False) -> None:
    """Meetings as calendar events (with an alarm; re-exporting updates them)."""
    _export("ics", out, force)


@export_app.command("csv")
def export_csv(out: OutOpt = None, force: ForceOpt = False) -> None:
    """Contacts as a spreadsheet-safe CSV."""
    _export("csv", out, force)


@export_app.command("vcard")
def export_vcard(out: OutOpt = None, force: ForceOpt = False) -> None:
    """Contacts as vCards for an address book."""
    _export("vcard", out, force)


@export_app.command("json")
def export_json(out: OutOpt = None, force: ForceOpt = False) -> None:
    """Everything, as JSON that `infoint import json` brings back exactly."""
    _export("json", out, force)


@app.command()
def config(
    key: Annotated[
        str | None,
        typer.Argument(
            help="A setting, e.g. reply_wait_days or me.name.", autocompletion=_complete_settings
        ),
    ] = None,
    value: Annotated[str | None, typer.Argument(help="Its new value.")] = None,
    json: JsonOpt = False,
) -> None:
    """Show the settings, or set one."""
    from infoint import render

    app_tracker = tracker()
    if key is None:
        items = app_tracker.config_items()
        if json:
            term.print_json({k: v for k, v, _ in items})
        else:
            render.config_table(items, str(app_tracker.paths.config_file))
    elif value is None:
        current = app_tracker.config_get(key)
        if json:
            term.print_json({key: current})
        else:
            render.out.print(render.t(current))
    else:
        new = app_tracker.config_set(key, value)
        if json:
            term.print_json({key: new})
        term.message(f"{key} = ", str(new))


GLOBAL_FLAGS = ("--debug",)


def _only(name: str) -> typer.Typer:
    """The app with just one command: Typer then builds that command alone, not all
    twenty (their signatures cost ~25 ms to read on every run)."""
    single = typer.Typer(
        cls=Group,
        name="infoint",
        help=app.info.help,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        add_completion=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    single.registered_callback = app.registered_callback
    single.registered_commands = [c for c in app.registered_commands if _name(c) == name]
    return single


def _name(info: Any) -> str:
    return str(info.name or info.callback.__name__.replace("_", "-"))


def main() -> None:
    """The console script."""
    args = sys.argv[1:]
    first = next((a for a in args if a not in GLOBAL_FLAGS), None)
    known = {_name(c) for c in app.registered_commands}
    target = _only(first) if first in known else app
    target(prog_name="infoint")
