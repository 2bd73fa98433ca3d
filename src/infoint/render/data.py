"""Screens of your data: the change log (`history`), kept drafts (`drafts`), what an
import did, what `doctor` found, and the settings (`config`).

They print on the same console as every other screen (`infoint.render.out`) and are
named from `infoint.render`, as they always were.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text

from infoint import layout
from infoint.dates import day_label
from infoint.render import fitted_table, hanging, out, show_table, t
from infoint.term import safe, suggest

if TYPE_CHECKING:  # the shapes only: what prints never reaches into the services
    from infoint.doctor import Finding
    from infoint.services.base import HistoryEntry

# history ------------------------------------------------------------------------


HISTORY_COLUMNS = (
    layout.Column("#", 0, wrap=False),
    layout.Column("When", 2, wrap=False),
    layout.Column("Command", 3, wrap=False),
    layout.Column("What", 1, comfortable=16),
)


def history_table(entries: Sequence[HistoryEntry]) -> None:
    if not entries:
        out.print("No changes yet.")
        return
    rows: list[list[Text | str]] = []
    devices: dict[str, set[str]] = {}
    for entry in entries:
        devices.setdefault(str(entry.get("host")), set()).add(str(entry.get("device")))
    for entry in entries:
        moment = datetime.fromisoformat(entry["at"])
        what = t(entry["what"])
        # each machine numbers its own changes: another machine's say whose they are,
        # by its name, or by its id where two machines go by one name
        host = str(entry.get("host"))
        name = host if entry.get("host") and len(devices[host]) == 1 else entry.get("device")
        where = f"@{name}" if entry.get("elsewhere") else ""
        if entry.get("undone_by"):
            what.append(f"  (undone by #{entry['undone_by']}{where})", style="dim")
        if entry.get("elsewhere"):
            what.append("  (on another machine)", style="dim")
        rows.append(
            [
                f"{entry['seq']}{where}",
                f"{day_label(moment)} {moment.astimezone():%H:%M}",
                t(entry["command"]),
                what,
            ]
        )
    show_table(HISTORY_COLUMNS, rows)


# kept drafts --------------------------------------------------------------------

DRAFT_COLUMNS = (
    layout.Column("N", 0, wrap=False),
    layout.Column("Contact", 0, wrap=False),
    layout.Column("Kind", 2, wrap=False),
    layout.Column("Saved", 4, wrap=False),
    layout.Column("Checks", 3, wrap=False),
    layout.Column("Subject", 1, comfortable=12),
)


def kept_drafts(rows: Sequence[tuple[Any, str | None, int]]) -> None:
    """Each kept draft: for whom, which kind, when saved, whether it passes its checks."""
    if not rows:
        out.print(suggest("No drafts kept. Start one with:", "infoint draft HANDLE"))
        return
    table_rows: list[list[Text | str]] = []
    for k, handle, problems in rows:
        table_rows.append(
            [
                str(k.number),
                t(handle or f"{k.handle} (removed)"),
                k.kind,
                f"{day_label(datetime.fromisoformat(k.saved))}",
                Text("ok", style="green") if not problems else Text(f"{problems} to fix", "yellow"),
                t(k.subject),
            ]
        )
    out.print(fitted_table(DRAFT_COLUMNS, table_rows))
    out.print(Text("Go on with one: infoint draft HANDLE --resume", style="dim"))


# imports --------------------------------------------------------------------------


#: Past this many lines a dry run's table is laid out by hand: Rich measures every
#: cell of every row, which made a dry run over thousands of lines slower than the import.
PLAIN_TABLE_FROM = 200

IMPORT_COLUMNS = (
    layout.Column("Line", 1, wrap=False),
    layout.Column("Name", 2, comfortable=12),
    layout.Column("Result", 3, wrap=False),
    layout.Column("Handle", 0, wrap=False),
    layout.Column("Why", 4, comfortable=16),
)


def import_table(outcomes: Sequence[Any]) -> None:
    if len(outcomes) > PLAIN_TABLE_FROM:
        _plain_import_table(outcomes)
        return
    style = {"new": "green", "merged": "cyan", "same": "dim", "skipped": "yellow"}
    rows: list[list[Text | str]] = [
        [str(o.line), t(o.name), Text(o.result, style=style[o.result]), t(o.handle), t(o.reason)]
        for o in outcomes
    ]
    out.print(fitted_table(IMPORT_COLUMNS, rows))


def _plain_import_table(outcomes: Sequence[Any]) -> None:
    """The same columns as the Rich table, aligned with str.ljust and written at once."""
    rows = [("Line", "Name", "Result", "Handle", "Why")] + [
        (str(o.line), safe(o.name), o.result, safe(o.handle or ""), safe(o.reason))
        for o in outcomes
    ]
    widths = [min(max(len(r[i]) for r in rows), 40) for i in range(4)]
    lines = [
        " ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
        + " "
        + row[4]
        for row in rows
    ]
    out.console.file.write("\n".join(line.rstrip() for line in lines) + "\n")
    out.console.file.flush()


# doctor -------------------------------------------------------------------------


def findings(items: Sequence[Finding]) -> None:
    marks = {"ok": ("ok", "green"), "warning": ("!!", "yellow"), "error": ("XX", "bold red")}
    for item in items:
        mark, style = marks[item.level]
        out.print(hanging(Text(f"{mark}  ", style=style), t(item.what)))
        if item.fix:
            out.print(hanging(Text("    → ", style="dim"), t(item.fix, "dim")))
    problems = sum(1 for i in items if i.level != "ok")
    out.print(
        Text("All good." if not problems else f"{problems} thing(s) to look at.", style="bold")
    )


# settings -----------------------------------------------------------------------


CONFIG_COLUMNS = (
    layout.Column("Setting", 0, wrap=False),
    layout.Column("Value", 1, comfortable=12),
    layout.Column("Default", 3, comfortable=8),
    layout.Column("What it does", 2, comfortable=20),
)


def config_table(items: Sequence[tuple[str, Any, Any]], path: str) -> None:
    """Every setting: its value (bold when changed), its default, what it does; on a
    narrow screen each setting is a block, so none of the three is dropped."""
    from infoint.setting_notes import note

    rows: list[list[Text | str]] = []
    for key, value, default in items:
        style = "bold" if value != default else ""
        shown_default = default if default != "" else "(empty)"
        rows.append([key, t(value, style), t(shown_default, "dim"), t(note(key))])
    plain = [[safe(cell.plain if isinstance(cell, Text) else cell) for cell in row] for row in rows]
    if None in layout.fit(CONFIG_COLUMNS, plain, out.width):
        out.console.file.write("\n".join(layout.stack(CONFIG_COLUMNS, plain, out.width)) + "\n")
        out.console.file.flush()
    else:
        out.print(fitted_table(CONFIG_COLUMNS, rows))
    out.print(Text(f"Stored in {path}", style="dim"))
