"""Small builders for records, so rule tests read like the situations they pin."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from conftest import NOW
from infoint.models import (
    Contact,
    Heard,
    Meeting,
    Outreach,
    Reply,
    Thank,
    Touch,
    empty_store,
)
from infoint.records import slugify


def days(n: float) -> datetime:
    return NOW + timedelta(days=n)


def hours(n: float) -> datetime:
    return NOW + timedelta(hours=n)


class Doc:
    """A store document built up record by record."""

    def __init__(self) -> None:
        self.doc = empty_store()
        self._ids = {"contact": 0, "meeting": 0, "event": 0}

    def _id(self, kind: str) -> int:
        self._ids[kind] += 1
        setattr(self.doc.next_id, kind, self._ids[kind] + 1)
        return self._ids[kind]

    def contact(
        self, name: str = "Jane Doe", created: datetime | None = None, **fields: Any
    ) -> Contact:
        cid = self._id("contact")
        created = created or days(-30)
        c = Contact(
            id=cid,
            handle=fields.pop("handle", None) or slugify(name) or f"contact-{cid}",
            name=name,
            created_at=created,
            updated_at=created,
            **fields,
        )
        self.doc.contacts.append(c)
        return c

    def _event(self, cls: type[Any], contact: Contact, at: datetime, **fields: Any) -> Any:
        record = cls(
            id=self._id("event"),
            contact=contact.uuid,
            at=at,
            created_at=at,
            updated_at=at,
            **fields,
        )
        self.doc.events.append(record)
        return record

    def outreach(self, contact: Contact, at: datetime) -> Outreach:
        return self._event(Outreach, contact, at, who_i_am="me", why_you="you", goal="learn")  # type: ignore[no-any-return]

    def reply(self, contact: Contact, at: datetime, answer: str = "agreed", **fields: Any) -> Reply:
        return self._event(Reply, contact, at, answer=answer, **fields)  # type: ignore[no-any-return]

    def heard(self, contact: Contact, at: datetime) -> Heard:
        return self._event(Heard, contact, at)  # type: ignore[no-any-return]

    def thank(self, contact: Contact, at: datetime) -> Thank:
        return self._event(Thank, contact, at)  # type: ignore[no-any-return]

    def touch(self, contact: Contact, at: datetime) -> Touch:
        return self._event(Touch, contact, at)  # type: ignore[no-any-return]

    def meeting(
        self,
        contact: Contact,
        start: datetime,
        minutes: int = 30,
        status: str = "planned",
        created: datetime | None = None,
        keep_in_touch: bool = False,
        **fields: Any,
    ) -> Meeting:
        created = created or min(start, NOW) - timedelta(days=1)
        extra: dict[str, Any] = {}
        if status == "done":
            extra["done_at"] = fields.pop("done_at", start + timedelta(minutes=minutes))
        if status == "cancelled":
            extra["cancelled_at"] = fields.pop("cancelled_at", created)
        m = Meeting(
            id=self._id("meeting"),
            contact=contact.uuid,
            start=start,
            minutes=minutes,
            mode=fields.pop("mode", "phone"),
            status=status,
            keep_in_touch=keep_in_touch,
            created_at=created,
            updated_at=created,
            **extra,
            **fields,
        )
        self.doc.meetings.append(m)
        return m
