"""The Tracker's core: the paths, the store, the clock and the settings, the
store transaction every writing service runs in, and the helpers the areas share
(finding a contact or a meeting, the next id, the records a partial document loads)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, NamedTuple, NotRequired, TypedDict, TypeVar

from infoint import rules
from infoint.dates import Clock, system_now
from infoint.errors import BadInput, NotFound
from infoint.files import Paths, check_folder, read_config
from infoint.index import Index
from infoint.store import Scope, Store

if TYPE_CHECKING:
    from infoint.models import (
        Contact,
        Heard,
        Meeting,
        Outreach,
        Reply,
        Settings,
        StoreDoc,
        Thank,
        Touch,
    )
    from infoint.rules.standing import EventRecord

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class Result(Generic[R]):
    """What a writing service returns: the record(s) touched (a `Contact`, a `Sent`,
    a `Replied`, a `Booked`, …) and warnings for stderr."""

    record: R
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Sent(NamedTuple):
    """A message you wrote or heard, as recorded, and whom it was with."""

    message: Outreach | Heard | Thank | Touch
    contact: Contact


class Replied(NamedTuple):
    """Their answer as recorded, who answered, and whom they pointed you to."""

    reply: Reply
    contact: Contact
    referred: Contact | None


class Booked(NamedTuple):
    """A meeting as it now stands, and whom it is with."""

    meeting: Meeting
    contact: Contact


class TrackerCore:
    """The application: a store, the settings and a clock."""

    def __init__(self, paths: Paths, clock: Clock = system_now) -> None:
        self.paths = paths
        self.store = Store(paths)
        self.clock = clock
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = self._load_settings()
        return self._settings

    def _load_settings(self) -> Settings:
        """The settings: the defaults without a config.toml; else as validated when
        config.toml last changed (settings_seal.py), or validated now."""
        from infoint import plain, settings_seal

        try:
            present = self.paths.config_file.exists()
        except OSError:  # a folder on the way this user may not enter: the read says so
            present = True
        if not present:
            check_folder(self.paths.config_file.parent)  # a file there: said, not defaults
            return plain.settings()  # the models' defaults
        sealed = settings_seal.read(self.paths)
        if sealed is not None:
            return plain.settings(sealed)  # validated before
        return self._validated_settings()

    def _validated_settings(self) -> Settings:
        """config.toml validated by its model now (and the result sealed for the next
        commands); a bad value is refused with what to do."""
        from pydantic import ValidationError

        from infoint import settings_seal
        from infoint.models import Settings

        raw, values = read_config(self.paths.config_file)
        try:
            found = Settings.model_validate(values)
        except ValidationError as exc:
            raise bad_settings(self.paths, exc) from None
        settings_seal.write(self.paths, raw, found.model_dump(mode="json"))
        return found

    def read(self) -> StoreDoc:
        return self.store.load()

    def _transaction(
        self, command: str, extra: dict[str, Any] | None = None, scope: Scope = "partial"
    ) -> contextlib.AbstractContextManager[StoreDoc]:
        _ = self.settings  # a broken config.toml is reported before anything is written
        return self.store.transaction(command, self.clock(), self._summarize, extra, scope)

    def _view(self) -> StoreDoc:
        """A read-only document that loads the records a command asks for."""
        return self.store.partial(self._index(), self._summarize, trusted=True)

    def _index(self) -> Index:
        _ = self.settings  # a broken config.toml is reported first
        return self.store.index(self._summarize)

    def _read_index(self, use: Callable[[Index], T]) -> T:
        """`use(index)`, once more on a rebuilt index if a file of it was damaged or
        changed underneath (a writer replaced it while this command read)."""
        from infoint.index import Stale

        try:
            return use(self._index())
        except Stale:
            return use(self.store.rebuilt(self._summarize))

    def _summarize(
        self,
        contact: dict[str, Any],
        events: list[dict[str, Any]],
        meetings: list[dict[str, Any]],
    ) -> dict[str, Any]:
        """One contact's entry in the index: follow-ups, planned meetings, status (see
        index.py). Records come validated; the rules read them as plain records."""
        from infoint.agenda import followup_to_json

        c, evs, ms = _records(contact, events, meetings)
        history = rules.History(c, rules.FOREVER, sorted(evs, key=lambda e: e.at),
                                sorted(ms, key=lambda m: m.start))  # fmt: skip
        opens = rules.move_on_opens(history, self.settings)
        last = rules.last_contact(history, rules.FOREVER)
        return {
            "candidates": [followup_to_json(f) for f in rules.candidates([history], self.settings)],
            "planned": [
                {
                    "id": m.id,
                    "uuid": m.uuid,
                    "name": c.name,
                    "handle": c.handle,
                    "start": m.start.isoformat(),
                    "minutes": m.minutes,
                    "mode": m.mode,
                }
                for m in history.meetings
                if m.status == "planned"
            ],
            "status": rules.contact_status(history, self.settings, rules.FOREVER),
            "opens": opens.isoformat() if opens else None,
            "last": last.isoformat() if last else None,
        }

    def _not_future(self, moment: datetime | None, option: str, now: datetime) -> datetime:
        if moment is None:
            return now
        if moment > now:
            from infoint.dates import describe

            raise BadInput(
                f"{option} cannot be in the future ({describe(moment)}).",
                hint="Record it once it has happened.",
            )
        return moment


def _next(doc: StoreDoc, kind: Literal["contact", "meeting", "event"]) -> int:
    value: int = getattr(doc.next_id, kind)  # the store keeps it above every id in use
    setattr(doc.next_id, kind, value + 1)
    return value


def _haystack(contact: Contact) -> str:
    parts = [
        contact.name, contact.handle, contact.email, contact.company, contact.role,
        contact.industry, contact.location, contact.notes, contact.why, *contact.tags,
    ]  # fmt: skip
    return "\n".join(p for p in parts if p).lower()


def find_contact(doc: StoreDoc, ref: str) -> Contact:
    """A contact by handle (case-insensitive) or numeric id."""
    key = ref.strip().lower()
    loader = doc._loader
    if loader is not None:
        loader.contact(key)
    for contact in doc.contacts:
        if contact.handle == key or (key.isdigit() and contact.id == int(key)):
            return contact
    import difflib

    handles = (
        loader.ask(lambda index: index.handles())
        if loader is not None
        else [c.handle for c in doc.contacts]
    )
    from infoint.records import slugify

    slug = slugify(ref)  # a name typed for a handle: "Jane Doe" is jane-doe, jane-doe-2…
    named = sorted(
        (h for h in handles if slug and (h == slug or re.fullmatch(re.escape(slug) + r"-\d+", h))),
        key=lambda h: (len(h), h),
    )
    close = named or difflib.get_close_matches(key, handles, n=1)
    listed = " or ".join([", ".join(close[:-1]), close[-1]] if len(close) > 1 else close)
    raise NotFound(
        f"There is no contact {ref!r}.",
        hint=f"Did you mean {listed}?" if close else "List them with: infoint contacts --all",
    )


def find_meeting(doc: StoreDoc, ref: str) -> Meeting:
    key = ref.strip().lstrip("#")
    if key.isdigit():
        if doc._loader is not None:
            doc._loader.meeting(key)
        for meeting in doc.meetings:
            if meeting.id == int(key):
                return meeting
    raise NotFound(
        f"There is no meeting {ref!r}.",
        hint="Meetings are named by number; list them with: infoint meetings",
    )


def _contact_by_uuid(doc: StoreDoc, uuid: str) -> Contact:
    if doc._loader is not None:
        doc._loader.contact(uuid)
    for contact in doc.contacts:
        if contact.uuid == uuid:
            return contact
    raise NotFound(f"The store names a contact {uuid} that does not exist.")  # pragma: no cover


class _Taken:
    """The handles in use: those in the document and, for a partial one, the index's."""

    def __init__(self, doc: StoreDoc, but: Contact | None = None) -> None:
        self.here = {c.handle for c in doc.contacts if c is not but}
        self.mine = but.handle if but is not None else None
        self.loader = doc._loader

    def __contains__(self, handle: object) -> bool:
        if handle in self.here:
            return True
        if handle == self.mine:  # the one being renamed; the index still has it
            return False
        return self.loader is not None and self.loader.has_handle(str(handle))


def _taken(doc: StoreDoc) -> _Taken:
    return _Taken(doc)


def bad_settings(paths: Paths, exc: Any) -> BadInput:
    """config.toml holds a value its model refuses (pydantic's ValidationError `exc`)."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return BadInput(
        f"The settings file {paths.config_file} has a bad value: {where}: {first['msg']}.",
        hint="Fix it with infoint config KEY VALUE, or edit the file.",
    )


def _load_related(doc: StoreDoc, contact: Contact) -> None:
    """Bring in whom `contact` was referred by and whom they referred you to."""
    loader = doc._loader
    if loader is None:
        return
    if contact.referred_by:
        loader.contact(contact.referred_by)
    for _, bucket in loader.ask(lambda index: index.referred_by(contact.uuid)):
        loader.bucket(bucket)
    for event in list(doc.events):
        if event.kind == "reply" and event.contact == contact.uuid and event.referred_to:
            loader.contact(event.referred_to)


def _records(
    contact: dict[str, Any], events: list[dict[str, Any]], meetings: list[dict[str, Any]]
) -> tuple[Contact, list[EventRecord], list[Meeting]]:
    """Records the index hands over (validated when written, or as it read them) as the
    rules read them: plain, without pydantic (plain.py)."""
    from infoint import plain

    return (
        plain.contact(contact),
        [plain.event(e) for e in events],
        [plain.meeting(m) for m in meetings],
    )


# what the data services return (history, merge, import json), which the command
# line, the light front door and sync read too


class LogLine(TypedDict):
    """One change as the change log holds it (journal.py): what `undo` takes back."""

    seq: int
    base: NotRequired[str]
    device: NotRequired[str]
    at: str
    command: str
    changes: list[dict[str, Any]]
    next_id: dict[str, int]
    #: its place in the order of every machine's changes (logs.stamp)
    hlc: NotRequired[int]
    #: the name of the machine that made it
    host: NotRequired[str]
    #: the change this one took back (an undo's)
    undoes: NotRequired[int]


class HistoryEntry(LogLine):
    """One change as `history` shows it, and `history --json` prints it: the line of
    the change log as written (the keys in its order, and any the command added, such
    as `undoes` or `merged`), then what `history` says of it."""

    #: the change in plain words
    what: str
    #: the seq of the undo that took it back, if one did
    undone_by: int | None
    #: made on another machine (that machine's to undo)
    elsewhere: bool


class MergeCounts(TypedDict):
    """What a merge (or `import json`) did, record by record: taken from the copy
    (`added`, `newer`), kept from here (`kept`), equal (`same`), and the notes."""

    added: int
    newer: int
    kept: int
    same: int
    #: one line per record of the copy given a new number or handle (taken here)
    renamed: list[str]
    #: one line per thing the merge settled: a field changed on both machines and
    #: which was kept, a record removed on one side and kept, a damaged line skipped
    overwritten: list[str]
    #: records the copy's machine removed that are now removed here too, and who
    removed: NotRequired[int]
    removed_names: NotRequired[list[str]]
    #: the copy's records left out, as removed or replaced here since
    left_out: NotRequired[list[str]]
    #: 1 when the copy (a sync service's) was moved into merged/
    moved: NotRequired[int]
    #: the copy held nothing that the change logs here do not have already
    covered: NotRequired[bool]


#: A sync service's copy, and what merging it did (or why it could not be read).
Conflict = tuple[Path, "MergeCounts | str"]
