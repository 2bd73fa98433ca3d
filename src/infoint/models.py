"""pydantic v2 records and the versioned root document.

Rules that concern a single record (the thirty-minute cap, the three parts of an
outreach) live here as field constraints and validators; rules that span records
live in `rules.py`. Every model keeps unknown fields (``extra="allow"``) so a file
written by a newer infoint, or edited by hand, survives a load/save round trip.
"""

from __future__ import annotations

import re
import uuid as uuidlib
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from infoint.records import SCHEMA_VERSION as SCHEMA_VERSION
from infoint.vocabulary import PAYING_VENUES, Answer, Channel, MeetingStatus, Mode, Tls, Venue

RecordT = TypeVar("RecordT", bound="Record")

#: R5: the article's cap, "thirty minutes max". A setting may lower it, never raise it.
MEETING_CAP_MINUTES = 30


def _plausible(moment: datetime) -> datetime:
    """Stored times fall between the years 1900 and 2999: infoint adds days and minutes
    to them (a reply due, a meeting's end), which must never run off the calendar."""
    if not 1900 <= moment.year <= 2999:
        raise ValueError(f"{moment.isoformat()} is not a plausible date (years 1900 to 2999)")
    return moment


#: A time with its UTC offset, within the years infoint can compute with.
When = Annotated[AwareDatetime, AfterValidator(_plausible)]


def empty_store() -> StoreDoc:
    return StoreDoc(schema_version=SCHEMA_VERSION)


def new_uuid() -> str:
    return str(uuidlib.uuid4())


class Record(BaseModel):
    """Fields every stored record carries: a stable UUID, the short id people type,
    and creation/update times with their UTC offset."""

    model_config = ConfigDict(extra="allow", validate_assignment=False, defer_build=True)

    uuid: str = Field(default_factory=new_uuid)
    id: int = Field(ge=1)
    created_at: When
    updated_at: When

    # How the record looked before this command first changed it (None: unchanged).
    # The store writes the pair to its change log, which is what undo replays.
    _before: dict[str, Any] | None = PrivateAttr(default=None)

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_") and self._before is None:
            self._before = self.model_dump(mode="json")
        super().__setattr__(name, value)

    @property
    def changed(self) -> bool:
        return self._before is not None


class Contact(Record):
    handle: str
    name: str = Field(min_length=1)
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    role: str | None = None
    industry: str | None = None
    location: str | None = None
    linkedin: str | None = None
    source: str | None = None
    referred_by: str | None = None  # UUID of another contact
    why: str | None = None
    tags: list[str] = Field(default_factory=list)
    prefers: Mode | None = None
    notes: str | None = None
    research: str | None = None
    questions: list[str] = Field(default_factory=list)
    archived: bool = False
    connected_on: date | None = None  # when you connected (LinkedIn's "Connected On")
    batch: str | None = None  # the import that brought them in
    let_go_at: AwareDatetime | None = None  # `not-now`: the unanswered wait is let go

    @field_validator("handle")
    @classmethod
    def _plain_handle(cls, value: str) -> str:
        """A handle is what people type: lower-case letters, digits and single hyphens,
        not a bare number (that names a contact by id)."""
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value) or value.isdigit():
            raise ValueError(f"{value!r} is not a handle (lower-case letters, digits, hyphens)")
        return value


class Outreach(Record):
    """A message you sent. R1: it says who you are, why them, and what you hope to learn."""

    kind: Literal["outreach"] = "outreach"
    contact: str
    at: When
    who_i_am: str
    why_you: str
    goal: str
    subject: str | None = None
    channel: Channel = "email"
    forced: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _three_parts(self) -> Outreach:
        """R1: an outreach needs all three parts; a blank one is as bad as a missing one."""
        missing = [
            option
            for option, value in (
                ("--who-i-am", self.who_i_am),
                ("--why-you", self.why_you),
                ("--goal", self.goal),
            )
            if not value.strip()
        ]
        if missing:
            raise ValueError("an outreach needs " + ", ".join(missing))
        return self


class Reply(Record):
    """Their answer to an outreach (R3)."""

    kind: Literal["reply"] = "reply"
    contact: str
    at: When
    answer: Answer
    referred_to: str | None = None  # UUID of the contact they pointed you to
    note: str | None = None


class _Message(Record):
    contact: str
    at: When
    note: str | None = None


class Heard(_Message):
    """A message they sent you (R10, R11)."""

    kind: Literal["heard"] = "heard"


class Thank(_Message):
    """The thank-you you sent after a meeting (R9)."""

    kind: Literal["thank"] = "thank"


class Touch(_Message):
    """A keep-in-touch message you sent (R10, R11)."""

    kind: Literal["touch"] = "touch"
    forced: bool = False


Event = Annotated[Outreach | Reply | Heard | Thank | Touch, Field(discriminator="kind")]


class Meeting(Record):
    """A short conversation (R4, R5, R8)."""

    contact: str
    start: When
    minutes: int = Field(ge=1, le=MEETING_CAP_MINUTES)
    mode: Mode
    place: str | None = None
    venue: Venue | None = None
    status: MeetingStatus = "planned"
    held: bool = False
    notes: str | None = None
    advice: list[str] = Field(default_factory=list)
    keep_in_touch: bool = False
    paid: float | None = Field(None, ge=0)  # what the cafe bill came to, if you noted it
    answered: list[str] = Field(default_factory=list)  # the questions it answered
    done_at: When | None = None
    cancelled_at: When | None = None
    cancel_reason: str | None = None
    #: Changes a calendar must take over (moved, cancelled): the events' SEQUENCE.
    revision: int = Field(0, ge=0)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)

    @property
    def you_pay(self) -> bool:
        """R8: at a cafe, restaurant or bar you pay the bill."""
        return self.venue in PAYING_VENUES

    @model_validator(mode="after")
    def _mode_fits(self) -> Meeting:
        """R4: an in-person meeting needs a place; a venue goes with in-person only."""
        if self.mode == "in_person" and not (self.place or "").strip():
            raise ValueError("an in-person meeting needs a place (--at PLACE)")
        if self.venue is not None and self.mode != "in_person":
            raise ValueError("--venue goes with an in-person meeting (--at PLACE) only")
        return self


class Counters(BaseModel):
    """The next short ids; never reused, even after a removal."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    contact: int = 1
    meeting: int = 1
    event: int = 1


class StoreDoc(BaseModel):
    """The root of `store.json`."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    schema_version: int = Field(strict=True)
    #: How many changes this document has taken in (from every machine).
    seq: int = Field(0, ge=0)
    #: Names this snapshot (every change-log line names the snapshot it went on from).
    base: str | None = None
    #: Per machine (its device id; "shared": the older layout's one log), the last
    #: line of its change log folded into this snapshot (see logs.py).
    folded: dict[str, int] = Field(default_factory=dict)
    #: The highest clock stamp folded in: a new line is stamped after it (logs.py).
    hlc: int = Field(0, ge=0)
    #: Which line of the older layout's shared log was folded in last (a CRC-32).
    shared_tip: int | None = None
    next_id: Counters = Field(default_factory=Counters)
    contacts: list[Contact] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    #: Per record changed by a line, per field, the stamp of the line that set it last:
    #: a line that comes late (another machine's, from before) changes only the
    #: fields no later line set (logs.py).
    stamps: dict[str, dict[str, int]] = Field(default_factory=dict)
    #: Brings more records in on demand when the document holds only some (store.py).
    _loader: Any = PrivateAttr(default=None)
    #: What taking in other machines' changes had to settle (logs.Replay's notes).
    _notes: list[tuple[str, str]] = PrivateAttr(default_factory=list)
    #: In a copy read from another machine's change log: each record as it was before
    #: that machine changed it, what a merge compares both sides with (doctor.py).
    _bases: dict[str, dict[str, Any] | None] = PrivateAttr(default_factory=dict)
    #: ... and the records that machine removed, as they were before it removed them.
    _removed: dict[str, tuple[str, dict[str, Any]]] = PrivateAttr(default_factory=dict)

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value != SCHEMA_VERSION and value >= 1:
            raise ValueError(
                f"schema_version {value} is not {SCHEMA_VERSION}; the store upgrades it first"
            )
        if value < 1:
            raise ValueError(f"schema_version {value} is not a version infoint ever wrote")
        return value


class Settings(BaseModel):
    """The settings in `config.toml`, with the article's defaults."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    reply_wait_days: int = Field(14, ge=1, le=365)
    max_nudges: int = Field(0, ge=0, le=5)
    nudge_after_days: int = Field(7, ge=1, le=365)
    respond_within_hours: int = Field(24, ge=1, le=24 * 14)
    max_meeting_minutes: int = Field(MEETING_CAP_MINUTES, ge=5, le=MEETING_CAP_MINUTES)
    prep_window_hours: int = Field(48, ge=1, le=24 * 30)
    min_questions: int = Field(3, ge=0, le=20)
    alarm_minutes: int = Field(60, ge=0, le=24 * 60)
    thank_you_within_hours: int = Field(24, ge=1, le=24 * 14)
    keep_in_touch_days: int = Field(60, ge=1, le=3650)
    min_days_between_touches: int = Field(30, ge=0, le=3650)
    keep_backups: int = Field(10, ge=1, le=1000)
    draft_word_budget: int = Field(170, ge=30, le=1000)
    far_date_days: int = Field(365, ge=1, le=36500)
    me: Me = Field(default_factory=lambda: Me())
    mail: MailSettings = Field(default_factory=lambda: MailSettings())


class Me(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    name: str = ""
    intro: str = ""
    signature: str = ""


#: Plain IMAP (no TLS) goes only to a server on this machine.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class MailSettings(BaseModel):
    """Where `infoint mail scan` reads your mail. The password is never a setting."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    host: str = ""
    port: int = Field(0, ge=0, le=65535)  # 0: 993 with ssl, 143 otherwise
    user: str = ""
    tls: Tls = "ssl"
    sent_folder: str = "Sent"
    inbox_folder: str = "INBOX"
    password_command: str = ""

    @model_validator(mode="after")
    def _plain_text_stays_home(self) -> MailSettings:
        """A password never crosses a network in plain text: `none` is for 127.0.0.1."""
        if self.tls == "none" and self.host.strip().lower() not in ("", *LOOPBACK):
            raise ValueError(
                "tls none is only for a server on this machine (127.0.0.1); use ssl or starttls"
            )
        return self


# trusted records ---------------------------------------------------------------------------

#: Per model: defaults, default factories, datetime fields, date fields, all fields.
Shape = tuple[dict[str, Any], dict[str, Any], list[str], list[str], frozenset[str]]
_SHAPES: dict[type[BaseModel], Shape] = {}
EVENT_KINDS: dict[str, type[Record]] = {}


def _shape(cls: type[BaseModel]) -> Shape:
    if cls not in _SHAPES:
        defaults, factories, moments, days = {}, {}, [], []
        for name, info in cls.model_fields.items():
            text = str(info.annotation).lower()
            if "datetime.datetime" in text or "awaredatetime" in text:
                moments.append(name)
            elif "date" in text:
                days.append(name)
            if info.default_factory is not None:
                factories[name] = info.default_factory
            elif not info.is_required():
                defaults[name] = info.default
        _SHAPES[cls] = (defaults, factories, moments, days, frozenset(cls.model_fields))
    return _SHAPES[cls]


def trusted(cls: type[RecordT], data: dict[str, Any]) -> RecordT:
    """A record from JSON that infoint validated when it wrote it and has proved
    unchanged since (see index.py): built without validating it again, which costs a
    fraction of `model_validate` and is what commands over every record need."""
    defaults, factories, moments, days, known = _shape(cls)
    values = {}
    for name in cls.model_fields:  # in the model's order, as it would dump them
        if name in data:
            values[name] = data[name]
        elif name in factories:
            values[name] = factories[name]()
        elif name in defaults:
            values[name] = defaults[name]
    values.update(data)  # and any field of a newer infoint's, after them
    for names, parse in ((moments, datetime.fromisoformat), (days, date.fromisoformat)):
        for name in names:
            if isinstance(values.get(name), str):
                values[name] = parse(values[name])
    # what `model_construct` does, without its per-field bookkeeping
    extra = (
        {} if known.issuperset(values) else {k: values.pop(k) for k in [*values] if k not in known}
    )
    record = cls.__new__(cls)
    object.__setattr__(record, "__dict__", values)
    object.__setattr__(record, "__pydantic_fields_set__", set(data).intersection(known))
    object.__setattr__(record, "__pydantic_extra__", extra)
    object.__setattr__(record, "__pydantic_private__", {"_before": None})
    return record


def trusted_event(data: dict[str, Any]) -> Outreach | Reply | Heard | Thank | Touch:
    if not EVENT_KINDS:
        EVENT_KINDS.update(outreach=Outreach, reply=Reply, heard=Heard, thank=Thank, touch=Touch)
    return trusted(EVENT_KINDS[data["kind"]], data)  # type: ignore[return-value]
