"""Progress and the morning look: agenda, stats, insights, the demo, followups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

import infoint.cli as base
from infoint import actions, term
from infoint.cli import (
    JsonOpt,
    NoPagerOpt,
    YesOpt,
    app,
    clock,
    tracker,
    when,
)
from infoint.env import current as environment

if TYPE_CHECKING:
    pass


@app.command()
def agenda(
    days: Annotated[int, typer.Option("--days", help="How many days to show, from today.")] = 7,
    json: JsonOpt = False,
    no_pager: NoPagerOpt = False,
) -> None:
    """The days ahead: meetings (with their prep) and what falls due, today first."""
    actions.agenda(days, json, no_pager)


@app.command()
def stats(
    since: Annotated[
        str | None, typer.Option("--since", metavar="WHEN", help="Only what happened since WHEN.")
    ] = None,
    json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Your search in numbers: the funnel, reply rates, meetings per month."""
    actions.stats(since, json, yes)


@app.command()
def insights(
    json: JsonOpt = False,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="A summary to keep or share.")
    ] = False,
    no_pager: NoPagerOpt = False,
) -> None:
    """The advice from every meeting, with what several people said first."""
    from infoint import progress, render

    found = tracker().insights()
    if json:
        term.print_json(found)
    elif markdown:
        environment().stdout.write(term.safe(progress.markdown(found)))
    else:
        with base.paged(no_pager):
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
    yes: YesOpt = False,
    no_pager: NoPagerOpt = False,
) -> None:
    """Everything you owe someone, overdue first."""
    from infoint.dates import Purpose

    moment = when(as_of, Purpose.AS_OF, "As of", yes) if as_of else clock()
    app_tracker = tracker()
    due = app_tracker.due(moment)
    if json:
        term.print_json([term.followup_json(item, due) for item in due.items])
    else:
        from infoint import pager

        with pager.paged(no_pager or environment().no_pager):  # no Rich on the morning look
            term.followups_screen(due)
    from infoint.mail.state import remind

    remind(app_tracker.paths.data_dir)
