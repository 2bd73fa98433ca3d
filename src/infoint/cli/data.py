"""Your data: imports, exports and settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

import infoint.cli as base
from infoint import term
from infoint.cli import (
    JsonOpt,
    _complete_settings,
    app,
    tracker,
)
from infoint.env import current as environment

if TYPE_CHECKING:
    pass


import_app = typer.Typer(
    cls=base.Group,
    help="Bring your network in: LinkedIn, Google Contacts, Outlook, vCard, any CSV, or an "
    "infoint export.",
    rich_markup_mode=None,
    no_args_is_help=True,
)
export_app = typer.Typer(
    cls=base.Group,
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


MapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        metavar='"COLUMN=FIELD"',
        help="Read a column infoint does not recognise as a field (name, email, company, "
        "role, notes…); repeatable.",
    ),
]


def _import(
    kind: str,
    file: str,
    tag: list[str] | None,
    dry_run: bool,
    columns: dict[str, str] | None = None,
) -> None:
    from pathlib import Path

    from infoint import render
    from infoint.meter import Meter

    with Meter(f"Reading {Path(file).name}") as meter:
        outcomes = tracker().import_file(kind, Path(file), tag, dry_run, columns, meter)
    for notice in outcomes.notices:
        term.message(notice)
    if dry_run and outcomes.columns:
        term.message(
            "Columns: " + "; ".join(f"{c} → {f or '(left out)'}" for c, f in outcomes.columns if c)
        )
    kinds = ("new", "merged", "same", "skipped")
    counts = {k: sum(1 for o in outcomes if o.result == k) for k in kinds}
    if dry_run:
        render.import_table(outcomes)
    for outcome in outcomes:
        if outcome.result in ("merged", "skipped") or (outcome.result == "new" and outcome.reason):
            what = {"merged": "merged", "skipped": "skipped", "new": "added"}[outcome.result]
            name = f" {outcome.name}" if outcome.name else ""
            term.message(f"Line {outcome.line}{name}: {what} ({outcome.reason}).")
    unnamed = sum(1 for o in outcomes if o.result == "new" and o.unnamed)
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
    if unnamed:
        term.message(
            f"{unnamed} had no name and were named from their e-mail or company: "
            "infoint contacts --tag unnamed"
        )


def _columns(pairs: list[str] | None) -> dict[str, str]:
    from infoint.errors import BadInput

    columns: dict[str, str] = {}
    for pair in pairs or []:
        column, eq, field = pair.rpartition("=")
        if not eq or not column.strip() or not field.strip():
            raise BadInput(
                f"--map {pair!r} is not COLUMN=FIELD.",
                hint='For example: --map "Full Name=name" --map "Mail=email"',
            )
        columns[column.strip()] = field.strip()
    return columns


@import_app.command("linkedin")
def import_linkedin(file: FileArg, tag: BatchTagOpt = None, dry_run: DryRunOpt = False) -> None:
    """LinkedIn's Connections.csv, or the whole data-export .zip."""
    _import("linkedin", file, tag, dry_run)


@import_app.command("google")
def import_google(file: FileArg, tag: BatchTagOpt = None, dry_run: DryRunOpt = False) -> None:
    """A Google Contacts export ("Google CSV")."""
    _import("google", file, tag, dry_run)


@import_app.command("outlook")
def import_outlook(file: FileArg, tag: BatchTagOpt = None, dry_run: DryRunOpt = False) -> None:
    """Outlook's CSV export, or Google Contacts' "Outlook CSV"."""
    _import("outlook", file, tag, dry_run)


@import_app.command("vcard")
def import_vcard(file: FileArg, tag: BatchTagOpt = None, dry_run: DryRunOpt = False) -> None:
    """A .vcf file (vCard 2.1, 3.0 or 4.0, one or many cards)."""
    _import("vcard", file, tag, dry_run)


@import_app.command("csv")
def import_csv(
    file: FileArg, tag: BatchTagOpt = None, dry_run: DryRunOpt = False, map: MapOpt = None
) -> None:
    """Any CSV with a header, infoint's own `export csv` included."""
    _import("csv", file, tag, dry_run, _columns(map))


@import_app.command("json")
def import_json(file: FileArg, dry_run: DryRunOpt = False) -> None:
    """An `infoint export json` file: everything back, merged by record."""
    from pathlib import Path

    counts = tracker().import_json(Path(file), dry_run)
    verb = "Would import" if dry_run else "Imported"
    term.message(
        f"{verb} {file}: {counts['added']} new record(s), {counts['newer']} newer, "
        f"{counts['kept']} kept as they were here, {counts['same']} already the same."
        + (" Nothing was changed (--dry-run)." if dry_run else "")
    )


ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")]
EXPORTS = {
    "ics": "infoint-meetings.ics",
    "csv": "infoint-contacts.csv",
    "vcard": "infoint-contacts.vcf",
    "json": "infoint-export.json",
}


def _out_option(kind: str) -> Any:
    """--out FILE, its help naming the file written when it is left out."""
    return typer.Option(
        "--out",
        metavar="FILE",
        help=f"Where to write it (default: {EXPORTS[kind]} in this folder); - for stdout.",
    )


def _export(kind: str, out: str | None, force: bool, excel: bool = False) -> None:
    from pathlib import Path

    from infoint.errors import BadInput
    from infoint.files import atomic_write

    target = out or EXPORTS[kind]
    if target != "-" and Path(target).is_dir():
        raise BadInput(
            f"{target} is a folder, not a file.",
            hint=f"Name the file to write, e.g. --out {Path(target) / EXPORTS[kind]}",
        )
    if target != "-" and Path(target).exists() and not force:
        raise BadInput(
            f"{target} exists already.", hint="Add --force to overwrite it, or pick --out."
        )
    from infoint.meter import Meter

    with Meter(f"Writing {target}") as meter:
        data = tracker().export(kind, excel, meter)
    if kind == "ics" and b"BEGIN:VEVENT" not in data:
        term.message("Warning: there are no meetings yet, so the calendar file has no events.")
    if target == "-":
        environment().stdout.buffer.write(data)
        environment().stdout.flush()
        return
    atomic_write(Path(target), data)
    term.message(f"Wrote {target}.")


@export_app.command("ics")
def export_ics(
    out: Annotated[str | None, _out_option("ics")] = None, force: ForceOpt = False
) -> None:
    """Meetings as calendar events (with an alarm; re-exporting updates them)."""
    _export("ics", out, force)


@export_app.command("csv")
def export_csv(
    out: Annotated[str | None, _out_option("csv")] = None,
    force: ForceOpt = False,
    excel: Annotated[
        bool, typer.Option("--excel", help="For Excel on Windows: UTF-8 with a byte-order mark.")
    ] = False,
) -> None:
    """Contacts as a spreadsheet-safe CSV (`infoint import csv` reads it back)."""
    _export("csv", out, force, excel)


@export_app.command("vcard")
def export_vcard(
    out: Annotated[str | None, _out_option("vcard")] = None, force: ForceOpt = False
) -> None:
    """Contacts as vCards for an address book."""
    _export("vcard", out, force)


@export_app.command("json")
def export_json(
    out: Annotated[str | None, _out_option("json")] = None, force: ForceOpt = False
) -> None:
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
    """Show the settings (what each does, and its default), or set one."""
    from infoint import render

    app_tracker = tracker()
    if key is not None:
        key = key.replace("-", "_")  # reply-wait-days is reply_wait_days
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
            # one value, whole, for scripts too
            environment().stdout.write(term.safe(current) + "\n")
    else:
        new = app_tracker.config_set(key, value)
        if json:
            term.print_json({key: new})
        term.message(f"{key} = ", str(new))
