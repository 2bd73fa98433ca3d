"""Writing what calendars, spreadsheets and address books read, with the libraries
made for each format (icalendar, vobject, csv): never hand-built strings.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infoint.models import Contact, Meeting, Outreach, Settings, StoreDoc

#: What a spreadsheet would run as a formula if a cell started with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "id", "handle", "name", "email", "phone", "company", "role", "industry", "location",
    "linkedin", "tags", "status", "why", "notes", "source", "created_at",
)  # fmt: skip


def spreadsheet_safe(value: object) -> str:
    """A cell a spreadsheet shows as text: one that starts like a formula gets a `'`."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def contacts_csv(doc: StoreDoc, statuses: dict[str, str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for contact in doc.contacts:
        values = contact.model_dump(mode="json")
        values["tags"] = ", ".join(contact.tags)
        values["status"] = statuses.get(contact.uuid, "")
        writer.writerow([spreadsheet_safe(values.get(column)) for column in CSV_COLUMNS])
    return buffer.getvalue()


def contacts_vcard(doc: StoreDoc) -> str:
    import vobject

    cards = []
    for contact in doc.contacts:
        card = vobject.vCard()
        card.add("fn").value = contact.name
        given, _, family = contact.name.rpartition(" ")
        card.add("n").value = vobject.vcard.Name(family=family or contact.name, given=given)
        if contact.email:
            email = card.add("email")
            email.value = contact.email
            email.type_param = "INTERNET"
        if contact.phone:
            card.add("tel").value = contact.phone
        if contact.company:
            card.add("org").value = [contact.company]
        if contact.role:
            card.add("title").value = contact.role
        if contact.linkedin:
            card.add("url").value = contact.linkedin
        if contact.tags:
            card.add("categories").value = list(contact.tags)
        if contact.notes:
            card.add("note").value = contact.notes
        card.add("uid").value = f"urn:uuid:{contact.uuid}"
        cards.append(card.serialize())
    return "".join(cards)


def meetings_ics(doc: StoreDoc, settings: Settings, now: datetime) -> bytes:
    """Every meeting as a VEVENT with a stable UID, so a second export updates the
    calendar's copy instead of adding another; a cancelled one says so."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//infoint//informational interviews//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    by_uuid = {c.uuid: c for c in doc.contacts}
    for meeting in sorted(doc.meetings, key=lambda m: m.start):
        contact = by_uuid.get(meeting.contact)
        if contact is None:
            continue
        event = Event()
        event.add("uid", f"{meeting.uuid}@infoint")
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", meeting.start.astimezone(UTC))
        event.add("dtend", meeting.end.astimezone(UTC))
        event.add("summary", f"Informational interview: {contact.name}")
        event.add("location", _location(meeting))
        event.add("description", _brief(contact, meeting, doc, settings))
        event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
        event.add(
            "sequence", int(meeting.updated_at.timestamp()) - int(meeting.created_at.timestamp())
        )
        event.add("last-modified", meeting.updated_at.astimezone(UTC))
        if meeting.status == "planned":
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", timedelta(minutes=-settings.alarm_minutes))
            ready = (
                "dress professionally, be on time" if meeting.mode == "in_person" else "be on time"
            )
            alarm.add("description", f"Meeting {contact.name}: {ready}")
            event.add_component(alarm)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def _location(meeting: Meeting) -> str:
    if meeting.mode == "in_person":
        return meeting.place or ""
    return "Phone call" if meeting.mode == "phone" else "Video call"


def _brief(contact: Contact, meeting: Meeting, doc: StoreDoc, settings: Settings) -> str:
    goals: list[Outreach] = [
        e for e in doc.events if e.kind == "outreach" and e.contact == contact.uuid
    ]
    goal = max(goals, key=lambda e: e.at).goal if goals else None
    lines = [f"{contact.name}" + (f", {contact.role}" if contact.role else "")
             + (f", {contact.company}" if contact.company else "")]  # fmt: skip
    if contact.why:
        lines.append(f"Why them: {contact.why}")
    if goal:
        lines.append(f"Your goal: {goal}")
    if contact.research:
        lines.append(f"Research: {contact.research}")
    if contact.questions:
        lines.append("Questions:")
        lines.extend(f"{n}. {q}" for n, q in enumerate(contact.questions, 1))
    from infoint.wording import brief_reminders

    if meeting.you_pay:
        lines.append(f"You pay the bill at the {meeting.venue}.")
    reminders = [r for r in brief_reminders(meeting, settings) if not r.startswith("you pay")]
    said = ", ".join(reminders)
    lines.append(said[:1].upper() + said[1:] + ".")
    return "\n".join(lines)
