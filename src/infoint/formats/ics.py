"""Meetings as an iCalendar file (RFC 5545) written with icalendar: one VEVENT per
meeting, with a stable UID so a second export updates the calendar's copy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infoint.models import Contact, Meeting, Outreach, Settings, StoreDoc


def write(doc: StoreDoc, settings: Settings, now: datetime) -> bytes:
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
        event.add("sequence", meeting.revision)
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
