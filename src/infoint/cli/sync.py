"""Two machines: `infoint sync` through a git remote."""

from __future__ import annotations

from typing import Annotated

import typer

from infoint import term
from infoint.cli import JsonOpt, app, paths, tracker


@app.command()
def sync(
    init: Annotated[
        str | None,
        typer.Option(
            "--init",
            metavar="REMOTE",
            help="Make the data folder a git repository with this remote (a URL or a path), "
            "then sync; on a second machine, joins what is there.",
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Commit this machine's changes, pull the other machines', merge them record by
    record, and push: the data folder as a git repository with a remote."""
    from infoint import gitsync

    if init is not None:
        report = gitsync.init(paths(), tracker(), init)
    else:
        report = gitsync.sync(paths(), tracker())
    for line in gitsync.summary(report):
        term.message(line)
    if json:
        term.print_json(report.as_json())
