"""Screens in plain text, laid out by hand (layout.py) and styled with term.py's few
ANSI codes: the contacts listing, the agenda and the numbers of `stats`.

Neither Rich nor pydantic is imported: these are the screens of commands people
run all day, and both front doors of each (Typer's and entry.py's) print through
the one function here. Everything shown is user text made safe by `term.safe`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from infoint import layout, term

if TYPE_CHECKING:
    from infoint.listing import Page
    from infoint.models import Contact, Meeting

#: The handle never wraps (it is what people copy); then what tells people apart.
CONTACT_COLUMNS = (
    layout.Column("ID", 0, wrap=False),
    layout.Column("Handle", 0, wrap=False),
    layout.Column("Name", 1),
    layout.Column("Company", 5),
    layout.Column("Role", 6),
    layout.Column("Status", 3, wrap=False),
    layout.Column("Quiet for", 4, wrap=False),
    layout.Column("Tags", 7, comfortable=8),
)
STATUS_STYLE = {
    "prospect": "cyan",
    "contacted": "blue",
    "agreed": "green",
    "declined": "red",
    "referred": "magenta",
    "moved_on": "dim",
    "scheduled": "green bold",
    "met": "green",
    "mentor": "bold magenta",
    "archived": "dim",
}


def quiet_for(last: datetime | None, now: datetime) -> str:
    """How long since you were last in touch: "—", "today", "3 days", "5 weeks", "4 months"."""
    if last is None:
        return "—"
    days = (now - last).days
    if days < 1:
        return "today"
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 60:
        return f"{days // 7} weeks"
    return f"{days // 30} months"


def contacts_screen(found: Page, now: datetime, out: TextIO | None = None) -> None:
    """The listing as a table fitted to the terminal, then how many it shows."""
    out = out or sys.stdout
    on = term.colour(out)
    room = layout.width()
    if not found.shown:
        if found.everyone == 0:
            lines = ["You have no contacts yet.", *layout.wrap_words(term.FIRST_STEPS, room)]
        else:
            lines = ["No contact matches."]
        out.write("\n".join(lines) + "\n")
        return
    rows = [
        [
            str(item.id),
            term.safe(item.handle),
            term.safe(item.name),
            term.safe(item.company),
            term.safe(item.role),
            item.status,
            quiet_for(item.last, now),
            term.safe(", ".join(item.tags)),
        ]
        for item in found.shown
    ]

    def paint(row: int, column: int, text: str) -> str:
        if row < 0:
            return term.styled(text, "bold", on)
        if column == 5:
            return term.styled(text, STATUS_STYLE.get(text, ""), on)
        return text

    lines = layout.table(CONTACT_COLUMNS, rows, room, paint)
    summary = f"{len(found.shown)} contact{'s' if len(found.shown) != 1 else ''}"
    more = found.matched - len(found.shown)
    if more > 0:
        summary += f" (and {more} more: --limit)"
    lines.append(term.styled(summary, "dim", on))
    out.write("\n".join(lines) + "\n")


def where(meeting: Meeting) -> str:
    """How and where a meeting takes place, in a few words."""
    if meeting.mode == "in_person":
        venue = (
            f" ({meeting.venue}{': you pay' if meeting.you_pay else ''})" if meeting.venue else ""
        )
        return f"in person at {term.safe(meeting.place)}{venue}"
    return "by phone" if meeting.mode == "phone" else "by video"


def meeting_confirmation(meeting: Meeting, contact: Contact, verb: str) -> str:
    """The line that confirms a meeting was scheduled, moved or corrected."""
    from infoint.dates import day_label

    start, end = meeting.start.astimezone(), meeting.end.astimezone()
    offset = start.strftime("%z")
    return (
        f"{verb} meeting {meeting.id} with {term.safe(contact.name)}: {day_label(start)}, "
        f"{start:%H:%M}–{end:%H:%M} (UTC{offset[:3]}:{offset[3:]}), {where(meeting)}."
    )


def agenda_screen(days: Sequence[Any], now: datetime, out: TextIO | None = None) -> None:
    """One block per day; today marked; each meeting with its prep."""
    from infoint.dates import ago

    out = out or sys.stdout
    on = term.colour(out)
    room = layout.width()
    lines: list[str] = []

    def hang(first: str, styled_first: str, body: list[tuple[str, str]]) -> None:
        """`first` (shown as `styled_first`), then the parts of `body`, each in its
        style, wrapped under their start."""
        text = "".join(part for part, _ in body)
        spans, at = [], 0
        for part, style in body:
            spans.append((at, at + len(part), style))
            at += len(part)

        def paint(line: str, start: int) -> str:
            return "".join(
                term.styled(text[max(a, start) : min(b, start + len(line))], style, on)
                for a, b, style in spans
                if max(a, start) < min(b, start + len(line))
            )

        wrapped = layout.hang(first, text, room, paint if on else None)
        if on and wrapped[0].startswith(first):
            wrapped[0] = styled_first + wrapped[0][len(first) :]
        elif on:
            wrapped[0] = styled_first.rstrip()
        lines.extend(wrapped)

    for day in days:
        today = day.day == now.astimezone().date()
        label = f"{day.day:%a} {day.day.day} {day.day:%b}" + ("  (today)" if today else "")
        lines.append(term.styled(label, "bold reverse" if today else "bold", on))
        if not day.meetings and not day.due:
            lines.append(term.styled("  —", "dim", on))
        for meeting, name, prep in day.meetings:
            start, end = meeting.start.astimezone(), meeting.end.astimezone()
            status = f"  [{meeting.status}]" if meeting.status != "planned" else f"  · {prep}"
            parts = [(term.safe(name), "bold"), (f"  {where(meeting)}", ""), (status, "dim")]
            first = f"  {start:%H:%M}–{end:%H:%M}  "
            hang(first, first, parts)
        for item in day.due:
            late = f"  (overdue, due {ago(item.due, now)})" if item.due < now else ""
            kind = f"{item.kind:<15}"
            styled = "  due    " + term.styled(item.kind, "cyan", on) + kind[len(item.kind) :]
            hang("  due    " + kind, styled, [(term.safe(item.who.name), ""), (late, "red")])
    out.write("".join(line + "\n" for line in lines))


def stats_screen(found: dict[str, Any], out: TextIO | None = None) -> None:
    """The funnel, replies by channel, meetings per month: bars that fit the screen."""
    out = out or sys.stdout
    on = term.colour(out)
    room = layout.width()
    lines = [
        term.styled(
            "Funnel" + (f" since {found['since'][:10]}" if found["since"] else ""), "bold", on
        )
    ]
    top = max((s["count"] for s in found["funnel"]), default=0) or 1
    longest = max(6, min(30, room - 26))  # the bars shrink to fit the screen
    for stage in found["funnel"]:
        bar = "█" * round(longest * stage["count"] / top)
        rate = f"{stage['rate']:.0%}" if stage["rate"] is not None else ""
        lines.append(
            f"  {stage['stage']:<10} {stage['count']:>5}  {rate:>4}  "
            + term.styled(bar, "cyan", on)
        )
    if found.get("moved_on"):
        lines.append(f"  {'moved on':<10} {found['moved_on']:>5}        no reply in time")
    lines.append("")
    channels = found["reply_rate_by_channel"]
    if channels:
        lines.append(term.styled("Replies by channel", "bold", on))
        for name, c in channels.items():
            lines.append(f"  {name:<10} {c['replied']} of {c['sent']}  ({c['rate']:.0%})")
    median = found["median_days_to_reply"]
    if median is not None:
        lines.append(f"Median time to a reply: {median:.1f} days")
    months = found["meetings_per_month"]
    if months:
        lines.append(term.styled("Meetings per month", "bold", on))
        most = max(months.values())
        width = max(6, room - 20)
        for month, count in months.items():
            bar = "█" * (count if most <= width else max(round(width * count / most), 1))
            lines.append(f"  {month}  " + term.styled(bar, "green", on) + f" {count}")
    if found["referral_yield"] is not None:
        lines.append(f"Referrals per conversation: {found['referral_yield']:.2f}")
    if found["spent"]:
        lines.append(f"Spent on bills: {found['spent']:.2f}")
    out.write("".join(line + "\n" for line in lines))
