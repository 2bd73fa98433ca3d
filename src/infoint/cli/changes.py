"""Your changes: history, undo, doctor and merge."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

import infoint.cli as base
from infoint import term
from infoint.cli import (
    JsonOpt,
    NoPagerOpt,
    app,
    tracker,
)
from infoint.errors import ExitCode

if TYPE_CHECKING:
    pass


@app.command()
def history(
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many changes to show.")] = 20,
    json: JsonOpt = False,
    no_pager: NoPagerOpt = False,
) -> None:
    """The latest changes: when, which command, and what it did."""
    from infoint import render
    from infoint.errors import BadInput

    if limit < 1:
        raise BadInput(f"--limit takes 1 or more (got {limit}).", hint="For example: -n 5")
    entries = tracker().history()[::-1][:limit]
    if json:
        term.print_json(entries)
    else:
        with base.paged(no_pager):
            render.history_table(entries)


@app.command()
def undo(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    older: Annotated[
        bool,
        typer.Option(
            "--older", help="With --yes: also take back a change older than the last command."
        ),
    ] = False,
) -> None:
    """Take back the last change (one command is one step); repeat to go further back.
    A change older than the last command (after an undo) is always confirmed."""
    from infoint.dates import describe
    from infoint.errors import BadInput

    app_tracker = tracker()
    target, what = app_tracker.undo_preview()
    made = describe(datetime.fromisoformat(target["at"]))
    # the last change made here (another machine's changes are that machine's to undo)
    history = app_tracker.history()
    last = [e for e in history if not e["elsewhere"]][-1]
    here = " made on this machine" if history[-1]["elsewhere"] else ""
    if last["seq"] == target["seq"]:
        term.message(f"The last change{here} was {target['command']} (#{target['seq']}, {made}).")
    else:  # the last command was an undo: this goes one more step back, into older work
        term.message(
            f"The last command was {last['command']} (#{last['seq']}); the change before "
            f"it is {target['command']} (#{target['seq']}, {made})."
        )
        if not (yes and older):
            yes = False  # a step into older work is never taken unasked
            if not base.can_ask():
                raise BadInput(
                    f"Undo would take back an older change: {what}.",
                    hint="Run it in a terminal to confirm, or add: infoint undo --yes --older",
                )
    term.message(f"Undo will: {what}.")
    if not yes:
        if not base.can_ask():
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
        typer.Argument(metavar="BACKUP", help="With --restore: the backup file to put back."),
    ] = None,
    restore: Annotated[
        bool, typer.Option("--restore", help="Put back a backup (the newest readable one).")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Check the data folder and say how to fix what is wrong (exit 1 when anything is);
    --restore puts back a backup."""
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
    if any(f.level != "ok" for f in findings):
        raise typer.Exit(ExitCode.FAILED)  # a warning is a problem too: scripts and cron can see it


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
    if counts.get("left_out"):
        term.message(
            "Left out, as removed here since (and unchanged there): "
            + ", ".join(counts["left_out"])
            + "."
        )
    for line in counts.get("renamed", []):
        term.message(f"Note: {line} (the numbers were taken here).")
    for line in counts.get("overwritten", []):
        term.message(f"Note: {line}.")
    if counts.get("moved"):
        term.message("The copy was moved into the merged folder.")
    if taken:
        term.message("To take the merge back: infoint undo")
