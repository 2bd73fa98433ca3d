"""What the user sees: Rich tables, the timeline, the brief (the morning look is in term.py).

User text is never read as markup: it goes into `rich.text.Text` after `safe()`
has stripped escape sequences and control characters. JSON is written with plain
stdout so it is never wrapped, and keeps the text exactly as stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from infoint import layout, pager, screens
from infoint.dates import day_label, short
from infoint.env import Environment, current
from infoint.records import iso
from infoint.term import safe, suggest

if TYPE_CHECKING:  # render needs the models' shapes, not pydantic itself
    from infoint.models import Contact, Meeting, Outreach, Settings, StoreDoc
    from infoint.progress import Insights


class Screen:
    """The console every screen prints on, made for the current environment's width,
    stdout and colour (a resized terminal, the pager or the tests change them between
    commands)."""

    def __init__(self) -> None:
        self._console: Console | None = None
        self._made_for: tuple[int, TextIO, bool, int] | None = None

    @property
    def console(self) -> Console:
        environment = current()
        room = environment.width
        key = (room, environment.stdout, environment.colour, id(environment.environ))
        if self._console is None or self._made_for != key:
            self._console = Console(
                highlight=False,
                width=room,
                file=environment.stdout,
                force_terminal=_terminal(environment),
                soft_wrap=False,
                _environ=dict(environment.environ),
            )
            self._made_for = key
        return self._console

    @property
    def width(self) -> int:
        return self.console.width

    def print(self, *objects: Any) -> None:
        self.console.print(*objects)


def _terminal(environment: Environment) -> bool | None:
    """Rich styles as the environment says: always when it wants colour, never on
    what is no terminal (a pipe, or the pager's buffer); on a terminal that wants
    plain text (NO_COLOR, TERM=dumb), Rich's own rules for that."""
    if environment.colour:
        return True
    stdout = environment.stdout
    return None if hasattr(stdout, "isatty") and stdout.isatty() else False


out = Screen()


#: What is printed inside goes through the pager when it is taller than the terminal.
paged = pager.paged


def fitted_table(columns: Sequence[layout.Column], rows: Sequence[Sequence[Text | str]]) -> Table:
    """A table laid out for the screen's width (see layout.fit): columns that must not
    wrap keep their width, the others wrap at spaces, the least important go first."""
    plain = [[cell.plain if isinstance(cell, Text) else cell for cell in row] for row in rows]
    widths = layout.fit(columns, plain, out.width)
    table = Table(box=None, header_style="bold", pad_edge=False)
    kept = [i for i, w in enumerate(widths) if w is not None]
    for i in kept:
        column = columns[i]
        table.add_column(column.title, width=widths[i], no_wrap=not column.wrap, overflow="fold")
    for row in rows:
        table.add_row(*(row[i] for i in kept))
    return table


#: Past this many rows a table is laid out by hand (plain text, no styles): Rich
#: measures and renders every cell, which takes seconds for thousands of rows.
PLAIN_ROWS_FROM = 200


def show_table(columns: Sequence[layout.Column], rows: Sequence[Sequence[Text | str]]) -> None:
    """Print a table fitted to the screen: with Rich, or by hand when it is long;
    stacked, row by row, when the screen is too narrow for its essential columns."""
    plain = [[cell.plain if isinstance(cell, Text) else cell for cell in row] for row in rows]
    if layout.lost_essential(columns, layout.fit(columns, plain, out.width)):
        lines = layout.stack(columns, [[safe(cell) for cell in row] for row in plain], out.width)
        out.console.file.write("\n".join(lines) + "\n")
        out.console.file.flush()
        return
    if len(rows) <= PLAIN_ROWS_FROM:
        out.print(fitted_table(columns, rows))
        return
    plain = [[safe(cell.plain if isinstance(cell, Text) else cell) for cell in row] for row in rows]
    lines = layout.table(columns, plain, out.width)
    out.console.file.write("\n".join(lines) + "\n")
    out.console.file.flush()


def hanging(first: Text | str, body: Text | str, indent: int | None = None) -> Text:
    """`first`, then `body` wrapped to the screen with its later lines under its start
    (or `indent` cells in); on a screen too narrow for that, the body starts on the
    next line, four cells in."""
    head = first if isinstance(first, Text) else Text(first)
    text = body if isinstance(body, Text) else Text(body)
    room = out.width
    lead = head.cell_len if indent is None else indent
    result = head.copy()
    if room - lead < 16:
        result.rstrip()
        result.append("\n")
        lead = 4
        result.append(" " * lead)
    rows = text.wrap(out.console, max(room - lead, 8), overflow="fold")
    for n, row in enumerate(rows):
        if n:
            result.append("\n" + " " * lead)
        result.append_text(row)
    return result


def t(value: object, style: str = "") -> Text:
    return Text(safe(value), style=style)


def line(*parts: str | Text | tuple[object, str]) -> Text:
    """A line from fixed strings (never markup-parsed) and user values."""
    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            text.append(safe(part[0]), style=part[1])
        else:
            text.append(part)
    return text


# JSON shapes ------------------------------------------------------------------


def contact_json(
    contact: Contact | dict[str, Any], status: str, doc: StoreDoc | None = None
) -> dict[str, Any]:
    if isinstance(contact, dict):
        return {**contact, "status": status}
    data = contact.model_dump(mode="json")
    data["status"] = status
    if doc is not None and contact.referred_by:
        ref = next((c for c in doc.contacts if c.uuid == contact.referred_by), None)
        data["referred_by_handle"] = ref.handle if ref else None
    return data


def meeting_json(meeting: Meeting, contact: Contact | None) -> dict[str, Any]:
    data = meeting.model_dump(mode="json")
    data["contact"] = contact.handle if contact else None
    data["contact_uuid"] = meeting.contact
    data["end"] = iso(meeting.end)
    return data


# contacts ---------------------------------------------------------------------

STATUS_STYLE = screens.STATUS_STYLE
quiet_for = screens.quiet_for


# meetings ---------------------------------------------------------------------


where = screens.where


MEETING_COLUMNS = (
    layout.Column("ID", 0, wrap=False),
    layout.Column("When", 1, wrap=False),
    layout.Column("Min", 5, wrap=False),
    layout.Column("With", 2, comfortable=10),
    layout.Column("Where", 4, comfortable=12),
    layout.Column("Status", 3, wrap=False),  # a cancelled meeting must not pass for planned
)


def meetings_table(meetings: Sequence[Meeting], contacts: dict[str, Contact]) -> None:
    if not meetings:
        out.print("No meetings.")
        out.print(suggest("Plan one with:", 'infoint schedule HANDLE "next tue 10:00" --phone'))
        return
    from infoint.identity import shown_names

    shown = shown_names(contacts.values())
    rows: list[list[Text | str]] = []
    for m in meetings:
        contact = contacts.get(m.contact)
        rows.append(
            [
                str(m.id),
                f"{day_label(m.start)} {m.start.astimezone():%H:%M}",
                str(m.minutes),
                t(shown.get(contact.uuid, contact.name) if contact else "?"),
                t(where(m)),
                Text(m.status, style={"planned": "green", "cancelled": "dim"}.get(m.status, "")),
            ]
        )
    show_table(MEETING_COLUMNS, rows)


meeting_confirmation = screens.meeting_confirmation


# the brief ----------------------------------------------------------------------


def brief(
    contact: Contact,
    meeting: Meeting | None,
    goal: Outreach | None,
    referrer: Contact | None,
    settings: Settings,
) -> None:
    """R6-R8: research, questions, logistics, and the reminders."""
    head = line((contact.name, "bold"))
    headline = ", ".join(safe(p) for p in (contact.role, contact.company) if p)
    if headline:
        head.append(" — " + headline)
    out.print(head)
    if meeting is not None:
        end = meeting.end.astimezone()
        out.print(
            Text(f"{short(meeting.start)}–{end:%H:%M} · {meeting.minutes} min · {where(meeting)}")
        )
    else:
        out.print(
            Text(
                f"No meeting planned yet: infoint schedule {contact.handle} WHEN --phone",
                style="dim",
            )
        )
    out.print()
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(
        "Why them", t(contact.why or f'(not noted: infoint edit {contact.handle} --why "…")')
    )
    if referrer:
        grid.add_row("Referred by", t(f"{referrer.name} ({referrer.handle})"))
    grid.add_row("Your goal", t(goal.goal if goal else "(no outreach recorded)"))
    grid.add_row(
        "Research",
        t(contact.research or f'none yet: infoint prep {contact.handle} --research "…"'),
    )
    questions = "\n".join(f"{i}. {q}" for i, q in enumerate(contact.questions, 1))
    missing = settings.min_questions - len(contact.questions)
    if missing > 0:
        questions += ("\n" if questions else "") + (
            f'({missing} more to write: infoint prep {contact.handle} --question "…")'
        )
    grid.add_row("Questions", t(questions))
    from infoint.wording import brief_reminders

    reminders = brief_reminders(meeting, settings)
    grid.add_row("Reminders", t(" · ".join(reminders)))
    out.print(grid)


# progress -------------------------------------------------------------------------


def agenda_json(
    days: Sequence[Any], contacts: dict[str, Contact], now: datetime
) -> list[dict[str, Any]]:
    """`agenda --json`: each day with its meetings (and their prep) and what falls due."""
    today = now.astimezone().date()
    return [
        {
            "day": day.day.isoformat(),
            "today": day.day == today,
            "meetings": [
                meeting_json(meeting, contacts.get(meeting.contact)) | {"prep": prep}
                for meeting, _, prep in day.meetings
            ],
            "due": [
                {
                    "kind": item.kind,
                    "contact": item.who.handle,
                    "name": item.who.name,
                    "due": iso(item.due),
                    "overdue": item.due < now,
                }
                for item in day.due
            ],
        }
        for day in days
    ]


def insights(found: Insights) -> None:
    if not found["advice"]:
        out.print('No advice recorded yet. After a meeting: infoint done MEETING --advice "…"')
        return
    if found["themes"]:
        out.print(Text("What several people said", style="bold"))
        for theme in found["themes"]:
            out.print(
                Text(f"  {theme['theme']}", style="bold cyan")
                + Text(f"  ({len(theme['people'])} people)")
            )
            for item in theme["advice"]:
                out.print(
                    hanging(
                        "    ",
                        t(item["advice"])
                        + Text(f" — {safe(item['who'])}, {item['when'][:10]}", style="dim"),
                    )
                )
        out.print()
    out.print(Text("Every piece of advice", style="bold"))
    for item in found["advice"]:
        out.print(
            hanging(
                "  ",
                t(item["advice"])
                + Text(f" — {safe(item['who'])}, {item['when'][:10]}", style="dim"),
            )
        )


# the screens of your data live beside these, and are named from here as before
from infoint.render.data import (  # noqa: E402 - they print with the helpers above
    CONFIG_COLUMNS,
    DRAFT_COLUMNS,
    HISTORY_COLUMNS,
    IMPORT_COLUMNS,
    PLAIN_TABLE_FROM,
    config_table,
    findings,
    history_table,
    import_table,
    kept_drafts,
)

__all__ = [
    "CONFIG_COLUMNS",
    "DRAFT_COLUMNS",
    "HISTORY_COLUMNS",
    "IMPORT_COLUMNS",
    "MEETING_COLUMNS",
    "PLAIN_ROWS_FROM",
    "PLAIN_TABLE_FROM",
    "STATUS_STYLE",
    "Screen",
    "agenda_json",
    "brief",
    "config_table",
    "contact_json",
    "findings",
    "fitted_table",
    "hanging",
    "history_table",
    "import_table",
    "insights",
    "kept_drafts",
    "line",
    "meeting_confirmation",
    "meeting_json",
    "meetings_table",
    "out",
    "paged",
    "quiet_for",
    "show_table",
    "t",
    "where",
]
