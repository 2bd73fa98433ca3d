"""Records as the commands that only read see them: plain objects built from the
store's JSON, without pydantic.

pydantic is the gate of everything written (models.py): a record is validated by
its model when a command writes it, and whatever infoint cannot prove it wrote is
validated again when read (index.py). A command that only reads (`show`, `agenda`,
`stats`, `prep`, the index's summaries) then needs the records' values, not their
validators: importing pydantic and building the models costs more than the rest of
such a command. These classes carry the same attributes as the models, filled from
the same defaults (tests/test_plain.py holds the two to each other, field by field),
and the rules read either alike: the functions at the end hand them out typed as the
models, which is what they stand for (the one place that says so).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from infoint.vocabulary import PAYING_VENUES

if TYPE_CHECKING:
    from infoint import models
    from infoint.rules.standing import EventRecord

#: Per kind: its fields in the models' order, with the default of each that has one
#: (`LIST`: a new empty list; `REQUIRED`: none), and which hold times or days.
LIST = object()
REQUIRED = object()
_RECORD = (("uuid", REQUIRED), ("id", REQUIRED), ("created_at", REQUIRED), ("updated_at", REQUIRED))
_MESSAGE = (*_RECORD, ("contact", REQUIRED), ("at", REQUIRED), ("note", None))
FIELDS: dict[str, tuple[tuple[str, object], ...]] = {
    "contact": (
        *_RECORD,
        ("handle", REQUIRED), ("name", REQUIRED), ("email", None), ("phone", None),
        ("company", None), ("role", None), ("industry", None), ("location", None),
        ("linkedin", None), ("source", None), ("referred_by", None), ("why", None),
        ("tags", LIST), ("prefers", None), ("notes", None), ("research", None),
        ("questions", LIST), ("archived", False), ("connected_on", None), ("batch", None),
        ("let_go_at", None),
    ),
    "meeting": (
        *_RECORD,
        ("contact", REQUIRED), ("start", REQUIRED), ("minutes", REQUIRED), ("mode", REQUIRED),
        ("place", None), ("venue", None), ("status", "planned"), ("held", False),
        ("notes", None), ("advice", LIST), ("keep_in_touch", False), ("paid", None),
        ("answered", LIST), ("done_at", None), ("cancelled_at", None),
        ("cancel_reason", None), ("revision", 0),
    ),
    "outreach": (
        *_RECORD,
        ("kind", "outreach"), ("contact", REQUIRED), ("at", REQUIRED), ("who_i_am", REQUIRED),
        ("why_you", REQUIRED), ("goal", REQUIRED), ("subject", None), ("channel", "email"),
        ("forced", False), ("note", None),
    ),
    "reply": (
        *_RECORD,
        ("kind", "reply"), ("contact", REQUIRED), ("at", REQUIRED), ("answer", REQUIRED),
        ("referred_to", None), ("note", None),
    ),
    "heard": (*_MESSAGE, ("kind", "heard")),
    "thank": (*_MESSAGE, ("kind", "thank")),
    "touch": (*_MESSAGE, ("kind", "touch"), ("forced", False)),
}  # fmt: skip
MOMENTS = frozenset({"created_at", "updated_at", "let_go_at", "start", "done_at",
                     "cancelled_at", "at"})  # fmt: skip
DAYS = frozenset({"connected_on"})

#: The settings' defaults (models.Settings), by section.
SETTINGS: dict[str, Any] = {
    "reply_wait_days": 14, "max_nudges": 0, "nudge_after_days": 7,
    "respond_within_hours": 24, "max_meeting_minutes": 30, "prep_window_hours": 48,
    "min_questions": 3, "alarm_minutes": 60, "thank_you_within_hours": 24,
    "keep_in_touch_days": 60, "min_days_between_touches": 30, "keep_backups": 10,
    "draft_word_budget": 170, "far_date_days": 365,
    "me": {"name": "", "intro": "", "signature": ""},
    "mail": {"host": "", "port": 0, "user": "", "tls": "ssl", "sent_folder": "Sent",
             "inbox_folder": "INBOX", "password_command": ""},
}  # fmt: skip


class Plain:
    """A record read from JSON infoint validated when it wrote it (or validated just
    now): its fields as attributes, times as aware datetimes. Read-only by use."""

    KIND = ""

    def __init__(self, data: dict[str, Any]) -> None:
        values = self.__dict__
        for name, default in FIELDS[self.KIND]:
            if name in data:
                value = data[name]
                if value is not None and name in MOMENTS and isinstance(value, str):
                    value = datetime.fromisoformat(value)
                elif value is not None and name in DAYS and isinstance(value, str):
                    value = date.fromisoformat(value)
                values[name] = value
            elif default is LIST:
                values[name] = []
            elif default is not REQUIRED:
                values[name] = default
        known = {name for name, _ in FIELDS[self.KIND]}
        for name, value in data.items():  # fields of a newer infoint's, kept as they are
            if name not in known:
                values[name] = value

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        """The record's fields, as the model's `model_dump(mode=...)` gives them: in
        "json" mode as the model writes it (times as text), else the values."""
        out: dict[str, Any] = {}
        for name, value in self.__dict__.items():
            if mode != "json":
                value = list(value) if isinstance(value, list) else value
            elif isinstance(value, datetime):
                from infoint.records import iso

                value = iso(value)
            elif isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, list):
                value = list(value)
            out[name] = value
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.__dict__!r})"


class Contact(Plain):
    KIND = "contact"


class Meeting(Plain):
    KIND = "meeting"

    start: datetime
    minutes: int
    venue: str | None

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)

    @property
    def you_pay(self) -> bool:
        """R8: at a cafe, restaurant or bar you pay the bill."""
        return self.venue in PAYING_VENUES


class Outreach(Plain):
    KIND = "outreach"


class Reply(Plain):
    KIND = "reply"


class Heard(Plain):
    KIND = "heard"


class Thank(Plain):
    KIND = "thank"


class Touch(Plain):
    KIND = "touch"


EVENTS: dict[str, type[Plain]] = {
    "outreach": Outreach, "reply": Reply, "heard": Heard, "thank": Thank, "touch": Touch,
}  # fmt: skip


def contact(data: dict[str, Any]) -> models.Contact:
    return cast("models.Contact", Contact(data))


def meeting(data: dict[str, Any]) -> models.Meeting:
    return cast("models.Meeting", Meeting(data))


def event(data: dict[str, Any]) -> EventRecord:
    return cast("EventRecord", EVENTS[data["kind"]](data))


class Section:
    """A section of the settings (or the settings themselves): values as attributes."""

    def __init__(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            setattr(self, name, Section(value) if isinstance(value, dict) else value)

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        """The values (plain text and numbers in either mode)."""
        return {
            name: value.model_dump(mode) if isinstance(value, Section) else value
            for name, value in vars(self).items()
        }


def settings(values: dict[str, Any] | None = None) -> models.Settings:
    """Settings validated before (by models.Settings), or the defaults."""
    merged = {**SETTINGS, **(values or {})}
    for section in ("me", "mail"):
        merged[section] = {**SETTINGS[section], **merged.get(section, {})}
    return cast("models.Settings", Section(merged))


class View:
    """A read-only document: the records a reading command brought in (store.py's
    partial document, or every contact with a history, from the index)."""

    def __init__(self, head: dict[str, Any] | None = None) -> None:
        head = head or {}
        self.schema_version: int = head.get("schema_version", 0)
        self.seq: int = head.get("seq", 0)
        self.base: str | None = head.get("base")
        self.folded: dict[str, int] = head.get("folded") or {}
        self.hlc: int = head.get("hlc", 0)
        self.next_id = Section(head.get("next_id") or {})
        self.contacts: list[Any] = []
        self.meetings: list[Any] = []
        self.events: list[Any] = []
        self.stamps: dict[str, dict[str, int]] = {}
        self._loader: Any = None
        self._notes: list[tuple[str, str]] = []


def view(head: dict[str, Any] | None = None) -> models.StoreDoc:
    return cast("models.StoreDoc", View(head))
