"""Writing: drafts of the messages that open doors, and the question bank."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

import infoint.cli as base
from infoint import term
from infoint.cli import (
    _complete_handles,
    app,
    tracker,
)

if TYPE_CHECKING:
    from infoint.services import Tracker

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
    interactive = edit and command is not None and base.can_ask()
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
    if command is None or not base.can_ask():
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
    term.message("You are there to learn about their work, not to ask for a job (R13).")
