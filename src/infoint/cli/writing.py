"""Writing: drafts of the messages that open doors, and the question bank."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

import infoint.cli as base
from infoint import term
from infoint.cli import (
    JsonOpt,
    NoPagerOpt,
    _complete_handles,
    app,
    tracker,
)
from infoint.env import current as environment
from infoint.vocabulary import DraftKind, QuestionGoal

if TYPE_CHECKING:
    pass


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
    kind: Annotated[
        DraftKind | None,
        typer.Option("--kind", help="Which message (default: outreach, or the kept one's)."),
    ] = None,
    goal: Annotated[
        str | None, typer.Option("--goal", help="What you hope to learn (outreach).")
    ] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="The subject line.")] = None,
    edit: Annotated[
        bool,
        typer.Option(
            "--edit/--no-edit",
            help="Open it in $VISUAL or $EDITOR, whenever one is set (default: yes).",
        ),
    ] = True,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help="Go on with the draft kept for CONTACT (see: infoint drafts)."
        ),
    ] = False,
    mailto: Annotated[bool, typer.Option("--mailto", help="Print a mailto: link with it.")] = False,
    open_: Annotated[
        bool, typer.Option("--open", help="Open the mailto: link in your mail app.")
    ] = False,
    eml: Annotated[
        str | None,
        typer.Option("--eml", metavar="FILE", help="Write it as an .eml file (a new file)."),
    ] = None,
    copy: Annotated[bool, typer.Option("--copy", help="Copy it to the clipboard.")] = False,
    record: Annotated[
        bool, typer.Option("--record", help="Record it as sent, with its text.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Hand it off even when it fails its checks; let --eml replace a file.",
        ),
    ] = False,
    edit_template: Annotated[
        DraftKind | None,
        typer.Option("--edit-template", metavar="KIND", help="Edit the template for KIND instead."),
    ] = None,
) -> None:
    """Draft a message from what infoint knows, check it against the rules, hand it over.

    Every draft is kept until it is recorded or discarded (infoint drafts)."""
    from dataclasses import replace
    from pathlib import Path

    from infoint import drafts, kept
    from infoint.errors import BadInput

    app_tracker = tracker()
    command = drafts.editor_command(environment().environ)
    if edit_template:
        _edit_template(app_tracker.paths.config_file, edit_template, command)
        return
    if contact is None:
        raise BadInput(
            "draft needs a CONTACT.", hint="For example: infoint draft jane-doe --kind outreach"
        )
    if eml and Path(eml).exists() and not force:
        raise BadInput(
            f"{eml} already exists; the draft was not written over it.",
            hint=f"Pick another file, or replace it: --eml {eml} --force",
        )
    data_dir = app_tracker.paths.data_dir
    all_kept = kept.load(data_dir)
    if resume:
        person = app_tracker.show(contact)[0].contact
        current = kept.latest(all_kept, person.uuid, kind)
        if current is None:
            what = f"{kind} draft" if kind else "draft"
            raise BadInput(
                f"There is no kept {what} for {person.name}.",
                hint=f"Start one: infoint draft {person.handle} --kind {kind or 'outreach'}",
            )
        text, which, goal = current.text, current.kind, goal or current.goal
    else:
        which = kind or "outreach"
        text, person = app_tracker.draft(contact, which, goal, subject)
        current = kept.same(all_kept, person.uuid, which, text) or kept.Kept(
            0, person.uuid, person.handle, person.name, which, text, "", goal
        )
        older = kept.latest(all_kept, person.uuid, which)
        if older is not None and older.number != current.number:
            term.message(
                f"Your {which} draft {older.number} to ",
                person.name,
                " is kept as well; this is a new one. See them with: infoint drafts",
            )
    now = app_tracker.clock()
    current = kept.keep(data_dir, all_kept, current, now)  # kept before the editor opens
    budget = app_tracker.settings.draft_word_budget
    use_editor = edit and command is not None
    while True:
        if use_editor:
            assert command is not None
            try:
                text = drafts.edit(text, command)
            except BadInput as exc:
                raise BadInput(
                    f"{exc.message} The draft is kept as it was (draft {current.number}).",
                    hint=exc.hint or f"Go on with it later: infoint draft {person.handle} --resume",
                ) from None
            current = kept.keep(data_dir, all_kept, replace(current, text=text), now)
        problems = drafts.check(text, which, budget, person.handle)
        for problem in problems:
            term.message(f"Check: {problem}")
        if not (
            problems
            and use_editor
            and base.can_ask()
            and typer.confirm("Edit it again?", default=True, err=True)
        ):
            break
    shown = term.safe(text)  # the screen never obeys codes hidden in a name or a note
    environment().stdout.write(shown if shown.endswith("\n") else shown + "\n")
    if edit and command is None:
        term.message("Set $EDITOR (or $VISUAL) to edit drafts in your editor.")
    if not problems:
        term.message(
            "Check: it says who you are, why them and what you hope to learn, briefly."
            if which == "outreach"
            else "Check: nothing left to fill in."
        )
    handing = [
        flag
        for flag, given in (("--mailto", mailto), ("--open", open_), ("--eml", eml),
                            ("--copy", copy), ("--record", record))
        if given
    ]  # fmt: skip
    if problems and handing and not force:
        raise BadInput(
            f"The draft fails {len(problems)} check(s), so {', '.join(handing)} did nothing; "
            f"it is kept as draft {current.number}.",
            hint=f"Fix it: infoint draft {person.handle} --resume; or hand it off as it is "
            "with --force",
        )
    if copy and drafts.copy_command() is None:
        raise BadInput(
            "No clipboard tool found (pbcopy, wl-copy, xclip, xsel).",
            hint="Use --eml or --mailto.",
        )
    message_id = _new_message_id() if eml else None
    if record:  # the rules first (R2, R11, R13): a refused record hands nothing off
        result = app_tracker.record_draft(
            person.handle, which, text, goal, force, message_id=message_id
        )
        base.report(result)
        kept.discard(data_dir, current.number)
    _hand_over(text, person, mailto, open_, eml, copy, message_id)
    if record:
        what = {"outreach": "message", "keep-in-touch": "keep-in-touch message"}.get(which, which)
        term.message(f"Recorded the {what} to ", person.name, ", with its text.")
    else:
        term.message(
            f"Kept as draft {current.number}: infoint draft {person.handle} --resume to go on, "
            f"infoint drafts --discard {current.number} to drop it."
        )


@app.command("drafts")
def drafts_(
    discard: Annotated[
        list[int] | None,
        typer.Option("--discard", metavar="N", help="Throw away kept draft N; repeatable."),
    ] = None,
    json: JsonOpt = False,
    no_pager: NoPagerOpt = False,
) -> None:
    """The drafts kept until you record or discard them."""
    from infoint import drafts, kept, render

    app_tracker = tracker()
    data_dir = app_tracker.paths.data_dir
    all_kept = kept.load(data_dir)
    if discard:
        doomed = [kept.find(all_kept, n) for n in discard]
        for k in doomed:
            kept.discard(data_dir, k.number)
            term.message(f"Discarded draft {k.number} ({k.kind} to ", k.name, ").")
        return
    handles = {c.uuid: c.handle for c in app_tracker.read().contacts}
    budget = app_tracker.settings.draft_word_budget
    rows = [
        (k, handles.get(k.contact), len(drafts.check(k.text, k.kind, budget))) for k in all_kept
    ]
    if json:
        term.print_json(
            [
                {
                    "number": k.number,
                    "contact": handle,
                    "name": k.name,
                    "kind": k.kind,
                    "subject": k.subject,
                    "saved": k.saved,
                    "problems": problems,
                    "text": k.text,
                }
                for k, handle, problems in rows
            ]
        )
        return
    with base.paged(no_pager):
        render.kept_drafts(rows)


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


def _new_message_id() -> str:
    """The Message-ID an .eml is written with: `mail scan` knows the message by it."""
    from email.utils import make_msgid

    return make_msgid("infoint", domain="infoint.invalid")


def _hand_over(
    text: str,
    person: Any,
    mailto: bool,
    open_: bool,
    eml: str | None,
    copy: bool,
    message_id: str | None,
) -> None:
    """Hand the draft over (an .eml is written with `message_id`)."""
    from pathlib import Path

    from infoint import drafts
    from infoint.errors import BadInput
    from infoint.files import atomic_write

    if mailto or open_:
        link = drafts.mailto(person.email, text)
        if mailto:
            environment().stdout.write(link + "\n")
        if open_:
            import webbrowser

            if not webbrowser.open(link):
                raise BadInput(
                    "No mail app could be opened.", hint="Use --mailto and paste the link."
                )
    if eml:
        # the mail app adds From; the Message-ID lets `mail scan` know it once sent
        atomic_write(Path(eml), drafts.eml(person.email, None, text, message_id))
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
        QuestionGoal | None,
        typer.Option("--goal", help="Only questions for this goal."),
    ] = None,
    json: JsonOpt = False,
    no_pager: NoPagerOpt = False,
) -> None:
    """A bank of strong, specific questions, by goal (add them with prep --pick)."""
    from infoint import layout
    from infoint.questions import listed

    if json:
        term.print_json(
            [
                {"number": number, "goal": group, "question": question}
                for number, (group, question) in enumerate(listed(goal), 1)
            ]
        )
        return
    current = None
    with base.paged(no_pager):
        for number, (group, question) in enumerate(listed(goal), 1):
            if group != current:
                environment().stdout.write(("\n" if current else "") + group + "\n")
                current = group
            for row in layout.hang(f"  {number:>2}. ", question, environment().width):
                environment().stdout.write(row + "\n")
    term.message("You are there to learn about their work, not to ask for a job (R13).")
