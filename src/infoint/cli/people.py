"""Contacts: add, list, show, edit, remove, archive."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

import infoint.cli as base
from infoint import actions, term
from infoint.cli import (
    CompanyOpt,
    ContactArg,
    EmailOpt,
    IndustryOpt,
    JsonOpt,
    LinkedinOpt,
    LocationOpt,
    NoPagerOpt,
    NotesOpt,
    PhoneOpt,
    PrefersOpt,
    ReferredOpt,
    RoleOpt,
    SourceOpt,
    TagOpt,
    WhyOpt,
    _complete_tags,
    app,
    tracker,
)
from infoint.vocabulary import Sort, Status

if TYPE_CHECKING:
    pass


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
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Add them even with the e-mail, LinkedIn or name and company of another.",
        ),
    ] = False,
) -> None:
    """Add someone you admire as a prospect; prints their handle."""
    given = {k: v for k, v in locals().items() if k not in ("name", "json", "no_input", "force")}
    if name is None:
        name = _ask_for_contact(given, no_input)
    actions.add_contact(name, json, force, **given)


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

    if no_input or not base.can_ask():
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
    status: Annotated[Status | None, typer.Option("--status", help="Only this status.")] = None,
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
        Sort,
        typer.Option("--sort", help="Order of the list."),
    ] = "id",
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="Show at most N.")] = None,
    json: JsonOpt = False,
    no_pager: NoPagerOpt = False,
) -> None:
    """List contacts with their status and how long since you were in touch."""
    actions.contacts(status, tag, search, all_, sort, limit, json, no_pager)


@app.command()
def show(contact: ContactArg, json: JsonOpt = False, no_pager: NoPagerOpt = False) -> None:
    """One contact with their whole timeline."""
    actions.show(contact, json, no_pager)


@app.command()
def edit(
    contact: ContactArg,
    name: Annotated[
        str | None, typer.Option("--name", help="A new name (the handle stays).")
    ] = None,
    handle: Annotated[
        str | None,
        typer.Option("--handle", help="A new handle: lower-case letters, digits, hyphens."),
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
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Change it even to the e-mail, LinkedIn or name and company of another.",
        ),
    ] = False,
) -> None:
    """Change a contact's fields; an empty value (--company "") clears one."""
    actions.edit(**locals())


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
        if not base.can_ask():
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


@app.command("not-now")
def not_now(contact: ContactArg) -> None:
    """Let go of someone who never answered (R2): their move_on reminder closes."""
    record = tracker().not_now(contact).record
    term.message(
        "Let ",
        record.name,
        " go for now; infoint will not ask again. To write later: "
        f'infoint outreach {record.handle} --force --why-you "…" --goal "…"',
    )


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
