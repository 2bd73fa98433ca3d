"""Screens in plain text, laid out by hand (layout.py) and styled with term.py's few
ANSI codes: the contacts listing, the agenda and the numbers of `stats`.

Neither Rich nor pydantic is imported: these are the screens of commands people
run all day, and both front doors of each (Typer's and entry.py's) print through
the one function here. Everything shown is user text made safe by `term.safe`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from infoint import layout, term
from infoint.env import current

if TYPE_CHECKING:
    from infoint.listing import Page
    from infoint.models import Contact, Meeting, StoreDoc
    from infoint.progress import Stats
    from infoint.rules import History

#: The handle never wraps (it is what people copy); then what tells people apart.
CONTACT_COLUMNS = (
    layout.Column("ID", 3, wrap=False),  # the handle names them too
    layout.Column("Handle", 0, wrap=False),
    layout.Column("Name", 1, comfortable=12),
    layout.Column("Company", 5),
    layout.Column("Role", 6),
    layout.Column("Status", 2, wrap=False),
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
    out = out or current().stdout
    on = term.colour(out)
    room = current().width
    if not found.shown:
        if found.everyone == 0:
            lines = ["You have no contacts yet.", term.first_steps()]
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


#: Text in parts, each with its style ("" for none).
Parts = list[tuple[str, str]]


def hang(first: str, styled_first: str, parts: Parts, room: int, on: bool) -> list[str]:
    """`first` (shown as `styled_first`), then `parts`, each in its style, wrapped
    under their start (layout.hang): the same text with colour as without."""
    text = "".join(part for part, _ in parts)
    spans, at = [], 0
    for part, style in parts:
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
    return wrapped


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
    offset, later = start.strftime("%z"), end.strftime("%z")
    zone = f"UTC{offset[:3]}:{offset[3:]}"
    if later != offset:  # the clocks change during it: 02:30–02:00 needs saying why
        zone += f", then UTC{later[:3]}:{later[3:]}"
    return (
        f"{verb} meeting {meeting.id} with {term.safe(contact.name)}: {day_label(start)}, "
        f"{start:%H:%M}–{end:%H:%M} ({zone}), {where(meeting)}."
    )


def agenda_screen(days: Sequence[Any], now: datetime, out: TextIO | None = None) -> None:
    """One block per day; today marked; each meeting with its prep."""
    from infoint.dates import ago

    out = out or current().stdout
    on = term.colour(out)
    room = current().width
    lines: list[str] = []

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
            lines.extend(hang(first, first, parts, room, on))
        for item in day.due:
            late = f"  (overdue, due {ago(item.due, now)})" if item.due < now else ""
            label = term.kind_label(item.kind)
            kind = f"{label:<15}"
            styled = "  due    " + term.styled(label, "cyan", on) + kind[len(label) :]
            parts = [(term.safe(item.who.name), ""), (late, "red")]
            lines.extend(hang("  due    " + kind, styled, parts, room, on))
    out.write("".join(line + "\n" for line in lines))


def stats_screen(found: Stats, out: TextIO | None = None) -> None:
    """The funnel, replies by channel, meetings per month: bars that fit the screen."""
    out = out or current().stdout
    on = term.colour(out)
    room = current().width
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


# one contact -------------------------------------------------------------------------


def _field_rows(contact: Contact, referrer: Contact | None) -> list[tuple[str, str | None]]:
    return [
        ("Email", contact.email),
        ("Phone", contact.phone),
        ("Location", contact.location),
        ("Industry", contact.industry),
        ("LinkedIn", contact.linkedin),
        ("Source", contact.source),
        ("Referred by", f"{referrer.name} ({referrer.handle})" if referrer else None),
        ("Prefers", contact.prefers.replace("_", " ") if contact.prefers else None),
        ("Tags", ", ".join(contact.tags) or None),
        ("Why them", contact.why),
        ("Notes", contact.notes),
        ("Research", contact.research),
        ("Questions", "\n".join(f"{i}. {q}" for i, q in enumerate(contact.questions, 1)) or None),
    ]


def show_screen(
    history: History, status: str, doc: StoreDoc, now: datetime, out: TextIO | None = None
) -> None:
    """One contact: name and status, the fields they have, then the whole timeline."""
    from infoint.dates import day_label

    out = out or current().stdout
    on = term.colour(out)
    room = current().width
    contact = history.contact
    by_uuid = {c.uuid: c for c in doc.contacts}
    title: Parts = [(term.safe(contact.name), "bold"), ("  ", ""),
                    (f"{contact.handle} · #{contact.id}", "dim"), ("  ", ""),
                    (status, STATUS_STYLE.get(status, ""))]  # fmt: skip
    lines = hang("", "", title, room, on)
    headline = " at ".join(term.safe(p) for p in (contact.role, contact.company) if p)
    if headline:
        lines.extend(layout.wrap_words(headline, room))
    referrer = by_uuid.get(contact.referred_by) if contact.referred_by else None
    rows = [(label, term.safe(value)) for label, value in _field_rows(contact, referrer) if value]
    referred = [c for c in doc.contacts if c.referred_by == contact.uuid]
    if referred:
        names = ", ".join(f"{c.name} ({c.handle})" for c in referred)
        rows.append(("Referred you to", term.safe(names)))
    label_width = max((layout.cell_len(label) for label, _ in rows), default=0)
    for label, value in rows:
        shown = [
            layout.wrap_words(part, max(room - label_width - 2, 1)) for part in value.split("\n")
        ]
        for n, text in enumerate(line for part in shown for line in part):
            head = (
                term.styled(label, "bold", on) + " " * (label_width - len(label)) if n == 0 else ""
            )
            lines.append((head or " " * label_width) + "  " + text)
    lines.extend(["", term.styled("Timeline", "bold", on)])
    entries = timeline(history, by_uuid)
    if not entries:
        nothing = f"Nothing yet. Write to them: infoint outreach {contact.handle} --why-you …"
        lines.extend(layout.hang("  ", nothing, room))
    stamps = [f"{day_label(moment)} {moment.astimezone():%H:%M}" for moment, _ in entries]
    wide = max((len(stamp) for stamp in stamps), default=0)  # texts start in one column
    for (moment, parts), stamp in zip(entries, stamps, strict=True):
        stamp = stamp.ljust(wide)
        first = f"  {stamp}  "
        styled = f"  {term.styled(stamp, 'green' if moment > now else '', on)}  "
        main, details = _split_details(parts)
        lines.extend(hang(first, styled, main, room, on))
        for label, detail in details:  # "      notes: …", "      advice: …"
            lines.extend(hang(label, label, [(detail, "")], room, on))
    out.write("".join(line.rstrip() + "\n" for line in lines))


def _split_details(parts: Parts) -> tuple[Parts, list[tuple[str, str]]]:
    """A timeline entry's first line, and the labelled lines after it."""
    main: Parts = []
    details: list[tuple[str, str]] = []
    for text, style in parts:
        if text.startswith("\n"):
            details.append((text[1:], ""))
        elif details:
            label, body = details[-1]
            details[-1] = (label, body + text)
        else:
            main.append((text, style))
    return main, details


def timeline(history: History, by_uuid: dict[str, Contact]) -> list[tuple[datetime, Parts]]:
    """Every record about one contact as (moment, styled parts), oldest first; a
    meeting's notes and advice follow on lines of their own (a part that starts
    with a newline is such a line's label)."""
    entries: list[tuple[datetime, Parts]] = []
    after: list[int] = []  # on the same minute, a thank-you or a touch follows the meeting
    for event in history.events:
        if event.kind == "outreach":
            text = [(f"You wrote ({event.channel}): {term.safe(event.subject or event.goal)}", "")]
            if event.forced:
                text.append((" (forced)", "dim"))
        elif event.kind == "reply":
            text = [(f"They replied: {event.answer}", "")]
            if event.referred_to and event.referred_to in by_uuid:
                text.append((f" to {term.safe(by_uuid[event.referred_to].name)}", ""))
        else:
            label = {
                "heard": "They wrote to you",
                "thank": "You thanked them",
                "touch": "You kept in touch",
            }
            text = [(label[event.kind], "")]
        if event.note:  # a drafted message is kept whole; its first line says enough here
            lines = event.note.strip().splitlines()
            if lines[0].startswith("Subject:") and len(lines) > 1:  # shown already
                lines = [row for row in lines[1:] if row.strip()] or lines
            more = " …" if len(lines) > 1 else ""
            text += [(" — ", ""), (term.safe(lines[0]) + more, "italic")]
        after.append(2 if event.kind in ("thank", "touch") else 0)
        entries.append((event.at, text))
    for m in history.meetings:
        text = [(f"Meeting {m.id}: {m.minutes} min, {m.mode.replace('_', ' ')}", "")]
        if m.place:
            text.append((f" at {term.safe(m.place)}", ""))
        text.append((f" [{m.status}]", "dim"))
        if m.cancel_reason:
            text += [(" — ", ""), (term.safe(m.cancel_reason), "italic")]
        if m.notes:
            text += [("\n      notes: ", ""), (term.safe(m.notes), "")]
        for advice in m.advice:
            text += [("\n      advice: ", ""), (term.safe(advice), "")]
        after.append(1)
        entries.append((m.start, text))
    order = sorted(range(len(entries)), key=lambda n: (entries[n][0], after[n]))
    return [entries[n] for n in order]
