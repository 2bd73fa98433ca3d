"""Use cases: one function per command, one store transaction each.

A service parses nothing from the command line and prints nothing: it takes typed
values, applies the rules, changes the document inside `Store.transaction()` and
returns what the renderer needs (plus any warnings for stderr).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from infoint import corrections, identity, jobask, rules, timeline, wording
from infoint.agenda import DueView
from infoint.dates import Clock, system_now
from infoint.errors import BadInput, NotFound, RuleBroken, StoreError
from infoint.files import Paths, device_id, exclusive_lock, read_toml, write_toml
from infoint.index import Index, bucket_of
from infoint.models import (
    MEETING_CAP_MINUTES,
    Answer,
    Channel,
    Contact,
    Heard,
    MailSettings,
    Me,
    Meeting,
    Mode,
    Outreach,
    Reply,
    Settings,
    StoreDoc,
    Thank,
    Touch,
    Venue,
    trusted,
)
from infoint.records import (
    ContactFields,
    check_handle,
    clean,
    make_handle,
    require_name,
    tags_after,
)
from infoint.store import Scope, Store

T = TypeVar("T")

if TYPE_CHECKING:
    from collections.abc import Callable

    from infoint.formats.plan import Outcomes
    from infoint.listing import Page, Query


@dataclass
class Result:
    """What a writing service returns: the record(s) touched and warnings for stderr."""

    record: Any
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


#: The settings kept in a table of their own in config.toml: me.name, mail.host, …
SECTIONS = ("me", "mail")
SETTING_KEYS = (
    *(k for k in Settings.model_fields if k not in SECTIONS),
    *(f"mail.{k}" for k in MailSettings.model_fields),
    "me.name",
    "me.intro",
    "me.signature",
)


class Tracker:
    """The application: a store, the settings and a clock."""

    def __init__(self, paths: Paths, clock: Clock = system_now) -> None:
        self.paths = paths
        self.store = Store(paths)
        self.clock = clock
        self._settings: Settings | None = None

    # settings ---------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = self._load_settings()
        return self._settings

    def _load_settings(self) -> Settings:
        from pydantic import ValidationError

        raw = read_toml(self.paths.config_file)
        if not raw:  # the defaults, which need no checking (nor pydantic's validators built)
            from infoint.models import Me

            return Settings.model_construct(
                _fields_set=set(),
                me=Me.model_construct(_fields_set=set()),
                mail=MailSettings.model_construct(_fields_set=set()),
            )
        try:
            return Settings.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise BadInput(
                f"The settings file {self.paths.config_file} has a bad value: {where}: "
                f"{first['msg']}.",
                hint="Fix it with infoint config KEY VALUE, or edit the file.",
            ) from None

    def config_items(self) -> list[tuple[str, Any, Any]]:
        """(key, value, default) for every setting."""
        current = self.settings
        default = Settings()
        out: list[tuple[str, Any, Any]] = []
        for key in SETTING_KEYS:
            out.append((key, _get(current, key), _get(default, key)))
        return out

    def config_get(self, key: str) -> Any:
        _known_key(key)
        return _get(self.settings, key)

    def config_set(self, key: str, value: str) -> Any:
        """Set one setting; unknown keys and invalid values are refused. Under the
        store's lock, so two at once never lose one of the values."""
        _known_key(key)
        with self.store.lock():
            return self._config_set(key, value)

    def _config_set(self, key: str, value: str) -> Any:
        from pydantic import ValidationError

        raw = read_toml(self.paths.config_file)
        data = Settings.model_validate(raw).model_dump()
        section, _, name = key.partition(".")
        if name and not _whole_number(key):
            data[section][name] = value
        else:
            try:
                number = int(value)
            except ValueError:
                raise BadInput(
                    f"{key} takes a whole number (got {value!r}).",
                    hint=f"For example: infoint config {key} {_get(Settings(), key)}",
                ) from None
            if key == "max_meeting_minutes" and number > MEETING_CAP_MINUTES:
                raise RuleBroken(
                    f"max_meeting_minutes can be lowered, never raised above "
                    f"{MEETING_CAP_MINUTES} (asked for {number}).",
                    hint="The article's rule is thirty minutes max.",
                )
            if name:
                data[section][name] = number
            else:
                data[key] = number
        try:
            settings = Settings.model_validate(data)
        except ValidationError as exc:
            error = exc.errors()[0]
            if error["type"] in ("greater_than_equal", "less_than_equal"):  # in user words
                meta = Settings.model_fields[key].metadata
                low = next((m.ge for m in meta if hasattr(m, "ge")), None)
                high = next((m.le for m in meta if hasattr(m, "le")), None)
                span = f"{low} to {high}" if high is not None else f"{low} or more"
                raise BadInput(
                    f"{key} takes {span} (got {value}).",
                    hint=f"For example: infoint config {key} {_get(Settings(), key)} (the default)",
                ) from None
            raise BadInput(f"{value!r} is not a valid value for {key}: {error['msg']}.") from None
        defaults = Settings().model_dump()
        to_write = {k: v for k, v in data.items() if k not in SECTIONS and v != defaults[k]}
        for table in SECTIONS:
            changed = {k: v for k, v in data[table].items() if v != defaults[table][k]}
            if changed:
                to_write[table] = changed
        write_toml(self.paths.config_file, to_write)
        self._settings = settings
        return _get(settings, key)

    # reading ------------------------------------------------------------------

    def read(self) -> StoreDoc:
        return self.store.load()

    def contacts(
        self,
        status: str | None = None,
        tag: str | None = None,
        search: str | None = None,
        include_archived: bool = False,
        sort: str = "id",
        full: bool = False,
    ) -> list[tuple[Contact, rules.Status, datetime | None]]:
        """Contacts with their status and when you were last in touch, filtered and sorted
        (`last-touch`: the most recent first, never-touched last)."""
        return self.contacts_page(status, tag, search, include_archived, sort, None, full)[0]

    def contacts_page(
        self,
        status: str | None = None,
        tag: str | None = None,
        search: str | None = None,
        include_archived: bool = False,
        sort: str = "id",
        limit: int | None = None,
        full: bool = False,
    ) -> tuple[list[tuple[Contact, rules.Status, datetime | None]], int]:
        """The first `limit` contacts that match (all when None), and how many match.
        Filtered and sorted on the index's rows (listing.select); only the contacts
        shown are built."""
        from infoint import listing

        query = listing.Query(status, tag, search, include_archived, sort, limit)

        def page(index: Index) -> tuple[list[tuple[Contact, rules.Status, datetime | None]], int]:
            found = listing.select(index, self.clock(), query)
            shown = found if limit is None else found[: max(limit, 0)]
            contacts = _contacts_of(index, [r for r, _, _ in shown], full)
            return [(contacts[row[0]], st, last) for row, st, last in shown], len(found)

        return self._read_index(page)

    def listing(self, query: Query) -> Page:
        """What `contacts` shows, from the index brought up to date."""
        from infoint import listing

        now = self.clock()
        return self._read_index(lambda index: listing.page(index, now, query))

    def count(self) -> int:
        """How many contacts there are (archived included)."""
        return self._read_index(lambda index: index.count)

    def show(self, ref: str) -> tuple[rules.History, rules.Status, StoreDoc]:
        doc = self._view()
        contact = find_contact(doc, ref)
        _load_related(doc, contact)
        now = self.clock()
        history = rules.history_of(doc, contact, now)
        # the timeline shows everything recorded, future meetings included
        history.meetings = sorted(
            (m for m in doc.meetings if m.contact == contact.uuid), key=lambda m: m.start
        )
        return history, rules.contact_status(history, self.settings, now), doc

    def meetings(
        self, upcoming: bool = False, past: bool = False
    ) -> tuple[list[Meeting], dict[str, Contact]]:
        doc = self.read()
        now = self.clock()
        found = sorted(doc.meetings, key=lambda m: m.start)
        if upcoming:
            found = [m for m in found if m.status == "planned" and m.start >= now]
        elif past:
            found = [m for m in found if not (m.status == "planned" and m.start >= now)]
        return found, {c.uuid: c for c in doc.contacts}

    def due(self, as_of: datetime | None = None) -> DueView:
        """What `followups` shows: from the index, or from every record for a moment
        before the latest one recorded."""
        from infoint import index
        from infoint.agenda import NextMeeting, Prospects, view

        moment = as_of or self.clock()
        for _ in range(2):  # the second time, after the index was brought up to date
            found = index.due_view(self.paths, moment)
            if found is not None:
                return found  # type: ignore[no-any-return]
            self.store.index(self._summarize)
        doc = self.read()
        hist = rules.histories(doc, moment).values()
        by_uuid = {c.uuid: c for c in doc.contacts}
        shown = identity.shown_names(c for c in doc.contacts if not c.archived)
        upcoming = [
            NextMeeting(shown.get(m.contact, by_uuid[m.contact].name), m.start, m.minutes, m.mode)
            for m in doc.meetings
            if rules.meeting_status(m, moment) == "planned" and m.contact in by_uuid
        ]
        return view(
            rules.candidates(hist, self.settings),
            moment,
            Prospects.of(hist),
            len(doc.contacts),
            upcoming,
        )

    def brief(self, ref: str) -> tuple[Contact, Meeting | None, Outreach | None, Contact | None]:
        """What `prep` prints: the contact, the next planned meeting, the goal you wrote."""
        doc = self._view()
        contact = find_contact(doc, ref)
        _load_related(doc, contact)
        return _brief(doc, contact, self.clock())

    # writing ------------------------------------------------------------------

    def add_contact(self, name: str, fields: ContactFields, force: bool = False) -> Result:
        """A new prospect; the same person twice (e-mail, LinkedIn, name and company)
        is refused unless `force`."""
        name = require_name(name)
        given = fields.given()
        now = self.clock()
        with self._transaction("add-contact") as doc:
            if doc._loader is not None:  # bring in whoever could be this person
                maybe = doc._loader.ask(
                    lambda index: index.maybe_same(name, given.get("email"), given.get("linkedin"))
                )
                for _, bucket in maybe:
                    doc._loader.bucket(bucket)
            twice = identity.check_not_a_duplicate(
                doc.contacts,
                name,
                given.get("email"),
                given.get("linkedin"),
                given.get("company"),
                force,
            )
            referred_by = find_contact(doc, fields.referred_by).uuid if fields.referred_by else None
            cid = _next(doc, "contact")
            contact = Contact(
                id=cid,
                handle=make_handle(name, _taken(doc), cid),
                name=name,
                created_at=now,
                updated_at=now,
                referred_by=referred_by,
                tags=tags_after([], fields.tags),
                **given,
            )
            doc.contacts.append(contact)
        return Result(contact, warnings=[twice] if twice else [])

    def edit(
        self,
        ref: str,
        fields: ContactFields,
        name: str | None = None,
        untag: list[str] | None = None,
        handle: str | None = None,
        force: bool = False,
    ) -> Result:
        """Change fields; `handle` renames the handle (records refer by UUID, so
        nothing else changes). Nothing given is refused: it would change nothing.
        A change that makes them someone else already here (the same e-mail, LinkedIn
        profile, or name and company) is refused unless `force`, as add-contact is."""
        given = fields.given()
        if name is not None and not name.strip():
            raise BadInput(
                "--name cannot be empty: a contact needs a name.",
                hint=f'For example: infoint edit {ref} --name "Jane Doe"',
            )
        if not (given or name is not None or handle is not None or untag or fields.tags) and (
            fields.referred_by is None
        ):
            raise BadInput(
                "Nothing to change: give at least one option.",
                hint=f"For example: infoint edit {ref} --company Acme (see infoint edit --help).",
            )
        from infoint.history import field_changes

        with self._transaction("edit") as doc:
            contact = find_contact(doc, ref)
            twice = self._still_one_person(doc, contact, given, name, force)
            before = contact.model_dump(mode="json")
            if handle is not None:
                others = _Taken(doc, but=contact)
                contact.handle = check_handle(handle, others)
            if name is not None:
                contact.name = require_name(name)
            for key, value in given.items():
                setattr(contact, key, value)
            if fields.referred_by is not None:
                if fields.referred_by.strip():
                    other = find_contact(doc, fields.referred_by)
                    if other.uuid == contact.uuid:
                        raise BadInput("A contact cannot refer themselves.")
                    contact.referred_by = other.uuid
                else:
                    contact.referred_by = None
            contact.tags = tags_after(contact.tags, fields.tags, untag or [])
            names = {c.uuid: c.name for c in doc.contacts}
            changed = field_changes(before, contact.model_dump(mode="json"), names=names)
            if not changed:
                raise BadInput(
                    f"Nothing changed: {contact.name} already has that.",
                    hint=f"See them with: infoint show {contact.handle}",
                )
            contact.updated_at = self.clock()
        return Result(contact, warnings=[twice] if twice else [], notes=[changed])

    @staticmethod
    def _still_one_person(
        doc: StoreDoc, contact: Contact, given: dict[str, Any], name: str | None, force: bool
    ) -> str | None:
        """When edit changes who someone is (e-mail, LinkedIn, name, company), the
        duplicate check of add-contact, with this contact left out."""
        if name is None and not given.keys() & {"email", "linkedin", "company"}:
            return None
        after = contact.model_dump() | given | ({"name": name.strip()} if name else {})
        if doc._loader is not None:  # bring in whoever could be this person
            maybe = doc._loader.ask(
                lambda index: index.maybe_same(after["name"], after["email"], after["linkedin"])
            )
            for _, bucket in maybe:
                doc._loader.bucket(bucket)
        return identity.check_not_a_duplicate(
            doc.contacts,
            after["name"],
            after["email"],
            after["linkedin"],
            after["company"],
            force,
            ignore=contact.uuid,
            anyway="Changed anyway",
        )

    def remove(self, ref: str) -> Result:
        with self._transaction("remove", scope="full") as doc:
            contact = find_contact(doc, ref)
            doc.contacts = [c for c in doc.contacts if c.uuid != contact.uuid]
            meetings = [m for m in doc.meetings if m.contact == contact.uuid]
            events = [e for e in doc.events if e.contact == contact.uuid]
            doc.meetings = [m for m in doc.meetings if m.contact != contact.uuid]
            doc.events = [e for e in doc.events if e.contact != contact.uuid]
            now = self.clock()
            for other in doc.contacts:
                if other.referred_by == contact.uuid:
                    other.referred_by = None
                    other.updated_at = now
            for event in doc.events:
                if isinstance(event, Reply) and event.referred_to == contact.uuid:
                    event.referred_to = None
                    event.updated_at = now
        return Result(contact, notes=[f"{len(meetings)} meeting(s) and {len(events)} message(s)"])

    def archive(self, ref: str, restore: bool = False) -> Result:
        """Hide a contact (or bring them back). Archiving lets go of an unanswered wait,
        as `not-now` does (R2 resolved), so a restore does not bring its move_on back."""
        now = self.clock()
        with self._transaction("archive") as doc:
            contact = find_contact(doc, ref)
            if contact.archived == (not restore):
                state = "archived" if contact.archived else "not archived"
                raise BadInput(f"{contact.name} is already {state}.")
            if not restore:
                history = rules.history_of(doc, contact, now)
                if rules.pending_outreach(history) and not rules.let_go(history):
                    contact.let_go_at = now
            contact.archived = not restore
            contact.updated_at = now
        return Result(contact)

    def not_now(self, ref: str) -> Result:
        """R2 resolved: let go of a wait nobody answered; the move_on follow-up closes
        and the contact stays, as moved on, for later (writing again needs --force)."""
        now = self.clock()
        with self._transaction("not-now") as doc:
            contact = find_contact(doc, ref)
            rules.check_active(contact)
            history = rules.history_of(doc, contact, now)
            if rules.contact_status(history, self.settings, now) != "moved_on":
                raise RuleBroken(
                    f"{contact.name} is not a contact you moved on from: there is no "
                    "unanswered wait to let go.",
                    hint="See what is due with: infoint followups",
                )
            if rules.let_go(history):
                raise BadInput(f"You already let {contact.name} go.")
            contact.let_go_at = now
            contact.updated_at = now
        return Result(contact)

    def outreach(
        self,
        ref: str,
        who_i_am: str | None,
        why_you: str | None,
        goal: str | None,
        subject: str | None = None,
        channel: Channel = "email",
        sent: datetime | None = None,
        force: bool = False,
        text: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Result:
        """R1: who you are, why them, what you hope to learn; R2/R11: when you may write.
        `text` keeps the message as sent, when infoint drafted it; `extra` holds fields
        the record keeps besides (the mail's Message-ID, see mail/)."""
        who = who_i_am if who_i_am is not None else self.settings.me.intro
        missing = [
            opt
            for opt, value in (("--who-i-am", who), ("--why-you", why_you), ("--goal", goal))
            if not (value or "").strip()
        ]
        if missing:
            raise RuleBroken(
                "An outreach must say who you are, why you want to speak with them and "
                f"precisely what you hope to achieve; missing: {', '.join(missing)}.",
                hint='Give all three, e.g. --who-i-am "I\'m a data analyst moving into design" '
                '--why-you "your talk on design systems" --goal "learn which skills matter". '
                'Set a default introduction with: infoint config me.intro "…"',
            )
        parts = {"--who-i-am": who, "--why-you": why_you, "--goal": goal, "--subject": subject}
        job = jobask.check_not_a_job_request({**parts, "the message": text}, force)
        now = self.clock()
        at = self._not_future(sent, "--on", now)  # --sent is its other spelling
        with self._transaction("outreach") as doc:
            contact = find_contact(doc, ref)
            history = rules.history_of(doc, contact, now)
            warning = rules.check_outreach(history, self.settings, at, force, now)
            record = Outreach(
                id=_next(doc, "event"),
                contact=contact.uuid,
                at=at,
                who_i_am=(who or "").strip(),
                why_you=(why_you or "").strip(),
                goal=(goal or "").strip(),
                subject=clean(subject),
                channel=channel,
                forced=bool(force and (warning or job)),
                note=clean(text),
                created_at=now,
                updated_at=now,
                **(extra or {}),
            )
            doc.events.append(record)
        return Result((record, contact), warnings=[w for w in (warning, job) if w])

    def reply(
        self,
        ref: str,
        answer: Answer,
        referred: str | None = None,
        on: datetime | None = None,
        note: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Result:
        """R3: record their answer; a referral links the other contact."""
        now = self.clock()
        at = self._not_future(on, "--on", now)
        with self._transaction("reply") as doc:
            contact = find_contact(doc, ref)
            rules.check_active(contact)
            history = rules.history_of(doc, contact, now)
            warning = timeline.check_reply_order(history, at)
            still = timeline.declined_with_meeting(history, answer, now)
            other = _referred_contact(doc, referred, contact, now) if referred else None
            if other is not None:
                if other.uuid == contact.uuid:
                    raise BadInput("A contact cannot refer you to themselves.")
                if other.referred_by is None:
                    other.referred_by = contact.uuid
                    other.updated_at = now
            record = Reply(
                id=_next(doc, "event"),
                contact=contact.uuid,
                at=at,
                answer=answer,
                referred_to=other.uuid if other else None,
                note=clean(note),
                created_at=now,
                updated_at=now,
                **(extra or {}),
            )
            doc.events.append(record)
        return Result((record, contact, other), warnings=[w for w in (warning, still) if w])

    def heard(
        self,
        ref: str,
        on: datetime | None = None,
        note: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Result:
        return self._message(Heard, ref, on, note, extra=extra)

    def thank(
        self,
        ref: str,
        on: datetime | None = None,
        note: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Result:
        """R9: the thank-you after a meeting."""
        return self._message(Thank, ref, on, note, extra=extra)

    def touch(
        self,
        ref: str,
        on: datetime | None = None,
        note: str | None = None,
        force: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> Result:
        """R10/R11: keep in touch, without stalking."""
        return self._message(Touch, ref, on, note, force=force, extra=extra)

    def _message(
        self,
        kind: type[Heard] | type[Thank] | type[Touch],
        ref: str,
        on: datetime | None,
        note: str | None,
        force: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> Result:
        now = self.clock()
        at = self._not_future(on, "--on", now)
        warnings: list[str] = []
        extra = dict(extra or {})
        command = {Heard: "heard", Thank: "thank", Touch: "touch"}[kind]
        with self._transaction(command) as doc:
            contact = find_contact(doc, ref)
            rules.check_active(contact)
            history = rules.history_of(doc, contact, now)
            if kind is Touch:
                first = timeline.check_touch_needs_contact(history, force, at)
                warning = first or rules.check_touch_spacing(history, self.settings, at, force)
                if warning:
                    warnings.append(warning)
                    extra["forced"] = True
            if kind is Thank and (thanks := timeline.check_thank_order(history, at)):
                warnings.append(thanks)
            record = kind(
                id=_next(doc, "event"),
                contact=contact.uuid,
                at=at,
                note=clean(note),
                created_at=now,
                updated_at=now,
                **extra,
            )
            doc.events.append(record)
        return Result((record, contact), warnings=warnings)

    def schedule(
        self,
        ref: str,
        start: datetime,
        minutes: int | None,
        mode: Mode,
        place: str | None = None,
        venue: Venue | None = None,
        held: bool = False,
        also: bool = False,
        force: bool = False,
    ) -> Result:
        """R4, R5, R8: a short meeting at their convenience; R16-R18: with someone you
        are in touch with, one at a time, and only after a yes from someone who said no."""
        minutes = self.settings.max_meeting_minutes if minutes is None else minutes
        rules.check_minutes(minutes, self.settings)
        now = self.clock()
        rules.check_start(start, now, held)
        _check_mode(mode, place, venue)
        warnings: list[str] = []
        with self._transaction("schedule") as doc:
            contact = find_contact(doc, ref)
            history = rules.history_of(doc, contact, now)
            rules.check_active(contact)
            timeline.check_schedule_consent(history, self.settings, now, force)
            if held:
                timeline.check_held_once(history, start, minutes, also)
            else:
                timeline.check_one_planned(history, also, now)
                _check_overlap(doc, start, minutes, None)
            if contact.prefers and contact.prefers != mode:
                warnings.append(
                    f"{contact.name} prefers {contact.prefers.replace('_', ' ')}; you chose "
                    f"{mode.replace('_', ' ')}. The article says: at their convenience."
                )
            if stranger := timeline.meeting_without_contact(history):
                warnings.append(stranger)
            meeting = Meeting(
                id=_next(doc, "meeting"),
                contact=contact.uuid,
                start=start,
                minutes=minutes,
                mode=mode,
                place=clean(place),
                venue=venue,
                held=held,
                created_at=now,
                updated_at=now,
            )
            doc.meetings.append(meeting)
        return Result((meeting, contact), warnings=warnings)

    def edit_meeting(
        self, meeting_id: str, where: corrections.Place, outcome: corrections.Outcome
    ) -> Result:
        """Correct a planned or done meeting within the rules (R4, R8; see corrections)."""
        if not (where.given() or outcome.given()):
            raise BadInput(
                "Nothing to change: give at least one option.",
                hint=f"For example: infoint meeting edit {meeting_id} --advice TEXT",
            )
        from infoint.history import field_changes

        now = self.clock()
        with self._transaction("meeting edit") as doc:
            meeting = find_meeting(doc, meeting_id)
            corrections.check_editable(meeting, outcome)
            before = meeting.model_dump(mode="json")
            if where.given():
                meeting.mode, meeting.place, meeting.venue = corrections.new_place(meeting, where)
            contact = _contact_by_uuid(doc, meeting.contact)
            corrections.apply_outcome(meeting, contact, outcome)
            changed = field_changes(before, meeting.model_dump(mode="json"))
            if not changed:
                raise BadInput(
                    f"Nothing changed: meeting {meeting.id} already says so.",
                    hint=f"See it with: infoint show {contact.handle}",
                )
            if (meeting.mode, meeting.place) != (before["mode"], before["place"]):
                meeting.revision += 1  # a calendar must take the new place over (SEQUENCE)
            meeting.updated_at = now
        return Result((meeting, contact), notes=[changed])

    def reschedule(
        self,
        meeting_id: str,
        start: datetime,
        minutes: int | None = None,
        where: corrections.Place | None = None,
    ) -> Result:
        now = self.clock()
        rules.check_start(start, now, held=False, moving=meeting_id)
        with self._transaction("reschedule") as doc:
            meeting = find_meeting(doc, meeting_id)
            if meeting.status != "planned":
                raise _not_planned(
                    doc,
                    meeting,
                    f"Meeting {meeting.id} is {meeting.status}; only a planned meeting can move.",
                )
            new_minutes = meeting.minutes if minutes is None else minutes
            rules.check_minutes(new_minutes, self.settings)
            _check_overlap(doc, start, new_minutes, meeting.uuid)
            before = (meeting.start, meeting.minutes, meeting.mode, meeting.place, meeting.venue)
            if where is not None and where.given():
                meeting.mode, meeting.place, meeting.venue = corrections.new_place(meeting, where)
            if before == (start, new_minutes, meeting.mode, meeting.place, meeting.venue):
                raise BadInput(
                    f"Nothing changed: meeting {meeting.id} is already at that time and place.",
                    hint=f"Give a new time: infoint reschedule {meeting.id} WHEN",
                )
            meeting.start, meeting.minutes, meeting.held = start, new_minutes, False
            meeting.revision += 1
            meeting.updated_at = now
            contact = _contact_by_uuid(doc, meeting.contact)
        return Result((meeting, contact))

    def cancel(self, meeting_id: str, reason: str | None = None) -> Result:
        now = self.clock()
        with self._transaction("cancel") as doc:
            meeting = find_meeting(doc, meeting_id)
            if meeting.status != "planned":
                raise _not_planned(
                    doc, meeting, f"Meeting {meeting.id} is already {meeting.status}."
                )
            meeting.status = "cancelled"
            meeting.cancelled_at = now
            meeting.cancel_reason = clean(reason)
            meeting.revision += 1
            meeting.updated_at = now
            contact = _contact_by_uuid(doc, meeting.contact)
        return Result((meeting, contact))

    def done(
        self,
        meeting_id: str,
        notes: str | None = None,
        advice: list[str] | None = None,
        keep_in_touch: bool = False,
        paid: float | None = None,
        answered: list[int] | None = None,
        held: datetime | None = None,
    ) -> Result:
        """R9/R10: it took place; a thank-you is due, and a mentor if they want to keep in touch.
        `held`: when it took place, when that was not the planned start."""
        now = self.clock()
        with self._transaction("done") as doc:
            meeting = find_meeting(doc, meeting_id)
            if meeting.status != "planned":
                raise _not_planned(
                    doc, meeting, f"Meeting {meeting.id} is already {meeting.status}."
                )
            if held is not None:
                contact = _contact_by_uuid(doc, meeting.contact)
                history = rules.history_of(doc, contact)
                timeline.check_held_after_thanks(history, meeting, held)
                timeline.check_held_once(history, held, meeting.minutes, False, meeting.id)
                meeting.start = held
            if meeting.start > now:
                from infoint.dates import describe

                raise RuleBroken(
                    f"Meeting {meeting.id} has not started yet ({describe(meeting.start)}).",
                    hint="Record it after it takes place, or move it: "
                    f"infoint reschedule {meeting.id} WHEN",
                )
            meeting.status = "done"
            meeting.done_at = now
            meeting.notes = clean(notes)
            meeting.advice = [a.strip() for a in advice or [] if a.strip()]
            meeting.keep_in_touch = keep_in_touch
            contact = _contact_by_uuid(doc, meeting.contact)
            picked = []
            for number in answered or []:
                if not 1 <= number <= len(contact.questions):
                    raise BadInput(
                        f"{contact.name} has no question {number} "
                        f"({len(contact.questions)} written).",
                        hint=f"See them with: infoint prep {contact.handle}",
                    )
                picked.append(contact.questions[number - 1])
            meeting.answered = picked
            meeting.paid = corrections.check_bill(meeting, paid, recording=True)
            meeting.updated_at = now
            contact = _contact_by_uuid(doc, meeting.contact)
        return Result((meeting, contact))

    def prep(
        self, ref: str, research: str | None, questions: list[str], force: bool = False
    ) -> Result:
        """R6: add research notes and questions to a contact; R13: none asks for a job."""
        labelled = {f"--question {q.strip()!r}": q for q in questions}
        job = jobask.check_not_a_job_request(labelled, force)
        now = self.clock()
        with self._transaction("prep") as doc:
            contact = find_contact(doc, ref)
            note = clean(research)
            if research is not None and note is None:
                raise BadInput(
                    "--research was empty.",
                    hint='Write what you found, e.g. --research "Led the 2024 redesign".',
                )
            if note:
                contact.research = f"{contact.research}\n{note}" if contact.research else note
            for question in questions:
                q = question.strip()
                if not q:
                    raise BadInput("A --question was empty.")
                if q not in contact.questions:
                    contact.questions = [*contact.questions, q]
            contact.updated_at = now
        return Result(contact, warnings=[job] if job else [])

    # history and undo --------------------------------------------------------------

    def history(self) -> list[dict[str, Any]]:
        """Every change still kept, oldest first, each with `what` in plain words."""
        from infoint import history, logs

        entries = logs.everything(self.paths)
        names = identity.shown_names(self.read().contacts)
        undone = history.undone_by(entries)
        here = device_id(self.paths)
        for entry in entries:
            entry["what"] = history.describe(entry["changes"], names)
            entry["undone_by"] = undone.get((entry.get("device"), entry["seq"]))
            entry["elsewhere"] = entry.get("device", here) != here
        return entries

    def undo_preview(self) -> tuple[dict[str, Any], str]:
        """The change `undo` would take back, and what undoing it does, in words."""
        from infoint import history, logs

        entries = logs.everything(self.paths)
        target = history.undoable(entries, device_id(self.paths))
        if target is None:
            raise BadInput("There is nothing to undo.", hint="See what changed: infoint history")
        names = identity.shown_names(self.read().contacts)
        return target, history.describe(history.reverse(target), names, undoing=True)

    def undo(self, seq: int) -> Result:
        """Take back change `seq`, which must still be the newest one not undone."""
        from infoint import history, logs

        with self._transaction("undo", {"undoes": seq}, scope="full") as doc:
            entries = logs.everything(self.paths)
            target = history.undoable(entries, device_id(self.paths))
            if target is None or target["seq"] != seq:
                raise RuleBroken(
                    f"Change {seq} is no longer the last one; something else changed meanwhile.",
                    hint="Run infoint undo again to see what it would take back now.",
                )
            _put_back(doc, history.reverse(target))
            _still_whole(doc)
        return Result(target)

    # looking after the data -------------------------------------------------------

    def doctor(self) -> list[Any]:
        """doctor's findings, and the settings file too: one that cannot be read (or
        holds a bad value) stops every other command, so it is an error here."""
        from infoint import doctor

        found = doctor.check(self.paths)
        try:
            self._load_settings()
        except (BadInput, StoreError) as exc:
            found.append(doctor.Finding("error", exc.message, exc.hint))
        return found

    def restore(self, backup: Path | None = None) -> tuple[Path, bool]:
        """Put a backup back (the newest readable one unless named). Returns the backup
        and whether the restore can be undone (it can unless the store was unreadable)."""
        from infoint import backups, doctor

        chosen = backup or doctor.newest_valid_backup(self.paths)
        if chosen is None:
            raise BadInput(
                f"There is no readable backup in {self.paths.backups_dir}.",
                hint="Name one with: infoint doctor --restore FILE",
            )
        wanted = doctor.load_copy(chosen)
        try:
            with self._transaction(
                "doctor --restore", {"restored": chosen.name}, scope="full"
            ) as doc:
                backups.keep_copy(self.paths, reason="before-restore")
                _replace_records(doc, wanted)
            return chosen, True
        except StoreError:
            if not (self.paths.store_file.exists() or self.paths.logs()):
                raise
        with exclusive_lock(self.paths.lock_file, self.paths.store_file):
            wanted = self.store.recovered(wanted)
            self.store.write_index(wanted, self._summarize)
        return chosen, False

    def merge(self, path: Path) -> dict[str, Any]:
        """Merge a copy of the store (from a sync service, or another machine) by UUID."""
        from infoint import backups, doctor, journal, logs, merging

        lines = logs.everything(self.paths)
        copies = {p.resolve() for p in doctor.conflict_copies(self.paths)}
        if path.resolve() in copies and not _is_log(path) and logs.covered(self.paths, path, lines):
            nothing: dict[str, Any] = {"added": 0, "newer": 0, "kept": 0, "same": 0}
            return self._set_aside(
                path, {**nothing, "renamed": [], "overwritten": [], "covered": True}
            )
        theirs = doctor.load_copy(path, lines)
        last = journal.last_words(lines)
        # records whose last change, on whichever machine, removed them
        gone = {uuid: c["before"] for uuid, c in last.items() if c["after"] is None and c["before"]}
        if not theirs._bases and not theirs._removed and not _is_log(path):
            # a copy of a snapshot tells nothing of what its machine removed, nor how
            # its records looked before it changed them: the logs do
            copied = {r.uuid for kind in journal.RECORD_TYPES for r in getattr(theirs, kind)}
            theirs._removed = {
                uuid: (last[uuid]["type"], before)
                for uuid, before in gone.items()
                if uuid not in copied
            }
            here = journal.head(self.store.read_bytes() or b"")[0] or 0
            bases = journal.fork_bases(lines, min(here, theirs.seq))
            theirs._bases = {uuid: bases[uuid] for uuid in copied if bases.get(uuid)}
            _drop_superseded(theirs, lines)
        with self._transaction("merge", {"merged": path.name}, scope="full") as doc:
            backups.keep_copy(self.paths, reason="before-merge")
            counts = merging.merge_records(doc, theirs, gone)
        damaged = journal.damaged_lines(path) if _is_log(path) else 0
        if damaged:
            counts["overwritten"].append(
                f"{damaged} line{'s' if damaged > 1 else ''} of {path.name} could not be read "
                f"(damaged), so what {'they' if damaged > 1 else 'it'} changed was not merged; "
                "the copy is kept in merged/"
            )
        return self._set_aside(path, counts)

    def _set_aside(self, path: Path, counts: dict[str, Any]) -> dict[str, Any]:
        """Move a sync service's copy, once merged, into `merged/` (never deleted)."""
        from infoint import doctor

        if path.resolve() in {p.resolve() for p in doctor.conflict_copies(self.paths)}:
            folder = self.paths.data_dir / "merged"
            folder.mkdir(mode=0o700, exist_ok=True)
            os.replace(path, folder / path.name)
            counts["moved"] = 1
        return counts

    def merge_conflicts(self) -> list[tuple[Path, dict[str, Any] | str]]:
        """Merge every copy a sync service left beside the store (each one undoable),
        and move it into `merged/`; a copy that cannot be read is named and left."""
        from infoint import doctor
        from infoint.errors import InfointError

        out: list[tuple[Path, dict[str, Any] | str]] = []
        with contextlib.suppress(StoreError):  # a damaged log is doctor's to report
            self.store.rescue_orphans()
        for copy in doctor.conflict_copies(self.paths):
            try:
                out.append((copy, self.merge(copy)))
            except InfointError as exc:
                out.append((copy, exc.message))
        return out

    # drafts --------------------------------------------------------------------------

    def draft(
        self, ref: str, kind: str, goal: str | None = None, subject: str | None = None
    ) -> tuple[str, Contact]:
        """A message composed from your profile, the contact and your meetings."""
        from infoint import drafts

        doc = self._view()
        contact = find_contact(doc, ref)
        _load_related(doc, contact)
        if kind == "nudge":
            sent = [e for e in doc.events if isinstance(e, Outreach) and e.contact == contact.uuid]
            wording.check_nudge(sent, self.settings, contact.name, contact.handle)
        values = _draft_values(doc, contact, self.settings, kind, goal, subject)
        source = str(drafts.template_path(self.paths.config_file, kind))
        text = drafts.render(drafts.template(self.paths.config_file, kind), values, source)
        return text, contact

    def record_draft(
        self,
        ref: str,
        kind: str,
        text: str,
        goal: str | None,
        force: bool = False,
        message_id: str | None = None,
    ) -> Result:
        """Record the message you sent, with its text, as the outreach, thank-you or touch.
        A text that asks for a job (R13) is recorded only with `force`. `message_id` is
        the Message-ID of the .eml handed over: `mail scan` knows it then (never twice)."""
        from infoint import drafts

        extra = {"message_id": message_id} if message_id else None
        subject, body = drafts.split_subject(text)
        if kind in ("outreach", "nudge"):
            doc = self.read()
            contact = find_contact(doc, ref)
            why = contact.why or body
            aim = goal or _last_goal(doc, contact) or body
            # a nudge keeps R2: past `max_nudges` or too early, it needs --force like any
            # outreach (and is marked forced only then)
            return self.outreach(
                ref, None, why, aim, subject or None, force=force, text=text, extra=extra
            )
        if kind == "thank-you":
            return self.thank(ref, note=text, extra=extra)
        return self.touch(ref, note=text, force=force, extra=extra)

    def pick_questions(self, ref: str, numbers: list[int], goal: str | None = None) -> Result:
        """Copy questions from the bank into a contact's list (R6)."""
        from infoint.questions import listed

        bank = listed(goal)
        chosen = []
        for number in numbers:
            if not 1 <= number <= len(bank):
                raise BadInput(f"There is no question {number} in the bank (1 to {len(bank)}).")
            chosen.append(bank[number - 1][1])
        return self.prep(ref, None, chosen)

    # progress ----------------------------------------------------------------------

    def agenda(self, days: int) -> list[Any]:
        from infoint import progress

        if not 1 <= days <= 60:
            raise BadInput(f"--days takes 1 to 60 (got {days}).", hint="For example: --days 7")
        now = self.clock()
        # the follow-ups come from the index: the agenda needs no event of its own
        active = self._active(now, events=False)
        if active is None:
            return progress.agenda(self.read(), self.settings, now, days)
        doc, _ = active
        from infoint.agenda import followup_from_json

        candidates = self._read_index(
            lambda index: index.told_apart(
                [
                    followup_from_json(f)
                    for entry in index.follow()["per"].values()
                    for f in entry["candidates"]
                ]
            )
        )
        return progress.agenda(doc, self.settings, now, days, candidates)

    def stats(self, since: datetime | None = None) -> dict[str, Any]:
        from infoint import progress

        now = self.clock()
        active = self._active(now)
        if active is None:
            return progress.stats(self.read(), self.settings, now, since)
        doc, _ = active
        busy = {c.uuid for c in doc.contacts}
        others = [
            (row[0], datetime.fromisoformat(row[7]), row[8])
            for row in self._read_index(lambda index: index.rows())
            if row[0] not in busy
        ]
        return progress.stats(doc, self.settings, now, since, others)

    def insights(self) -> dict[str, Any]:
        from infoint import progress

        active = self._active(self.clock())
        return progress.insights(active[0] if active else self.read())

    def _active(self, now: datetime, events: bool = True) -> tuple[StoreDoc, Index] | None:
        """Every contact with events or meetings, with them (their events only when
        `events`), from the index (None when `now` is before the latest moment
        recorded: then every record is read)."""
        from infoint.models import trusted, trusted_event

        index = self._index()
        if now < datetime.fromisoformat(index.valid_from):
            return None
        from infoint.index import Stale

        try:
            activity = index.activity()
        except Stale:
            index = self.store.rebuilt(self._summarize)
            activity = index.activity()
        doc = StoreDoc.model_construct(
            schema_version=1,
            contacts=[trusted(Contact, e["contact"]) for e in activity.values()],
            events=[trusted_event(r) for e in activity.values() for r in e["events"]]
            if events
            else [],
            meetings=[trusted(Meeting, r) for e in activity.values() for r in e["meetings"]],
        )
        return doc, index

    # imports and exports ------------------------------------------------------------

    def import_file(
        self,
        kind: str,
        path: Path,
        tags: list[str] | None = None,
        dry_run: bool = False,
        columns: dict[str, str] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Outcomes:
        """One import is one change (one undo); a dry run writes nothing."""
        from infoint import imports

        return imports.run(self, kind, path, tags, dry_run, columns, progress)

    def import_json(self, path: Path, dry_run: bool = False) -> dict[str, Any]:
        """Bring back an `export json` (or merge it into what is here, by UUID);
        `dry_run`: the same merge on a copy, written nowhere."""
        from infoint import doctor, merging

        theirs = doctor.load_copy(path)
        if dry_run:
            return merging.merge_records(self.read().model_copy(deep=True), theirs)
        with self._transaction("import json", {"file": path.name}, scope="full") as doc:
            counts = merging.merge_records(doc, theirs)
            for counter in ("contact", "meeting", "event"):
                highest = max(getattr(doc.next_id, counter), getattr(theirs.next_id, counter))
                setattr(doc.next_id, counter, highest)
        return counts

    def export(
        self, kind: str, excel: bool = False, progress: Callable[[int, int], None] | None = None
    ) -> bytes:
        from infoint import imports

        return imports.export(self, kind, excel, progress)

    # the store ------------------------------------------------------------------

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
        index.py). Records come validated; the models rebuild them for the rules."""
        from infoint.agenda import followup_to_json

        c, evs, ms = _models(contact, events, meetings)
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

    # helpers ----------------------------------------------------------------

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


def _drop_superseded(theirs: StoreDoc, lines: list[dict[str, Any]]) -> None:
    """Leave out of a snapshot copy each record as a later change replaced it (it is
    the "before" of a kept line, and no line after put it back, as an undo does): an
    older copy brings nothing new of it, and taking it would bring back what was
    removed or changed since."""
    from infoint import journal

    replaced: dict[str, list[dict[str, Any]]] = {}
    for item in lines:
        for change in item.get("changes", []):
            versions = replaced.setdefault(change["uuid"], [])
            if change["after"] in versions:
                versions.remove(change["after"])  # current again
            if change["before"] and change["before"] != change["after"]:
                versions.append(change["before"])
    for kind in journal.RECORD_TYPES:
        records = getattr(theirs, kind)
        kept = [r for r in records if r.model_dump(mode="json") not in replaced.get(r.uuid, [])]
        setattr(theirs, kind, kept)


def _is_log(path: Path) -> bool:
    """A copy of the change log (its lines say what they removed), not of a snapshot."""
    from infoint import doctor

    try:
        with open(path, "rb") as handle:
            return doctor.is_journal(handle.read(16))
    except OSError:
        return False


def _brief(
    doc: StoreDoc, contact: Contact, now: datetime
) -> tuple[Contact, Meeting | None, Outreach | None, Contact | None]:
    planned = sorted(
        (
            m
            for m in doc.meetings
            if m.contact == contact.uuid and m.status == "planned" and m.end >= now
        ),
        key=lambda m: m.start,
    )
    goals = [e for e in doc.events if isinstance(e, Outreach) and e.contact == contact.uuid]
    goal = max(goals, key=lambda e: e.at) if goals else None
    referrer = (
        next((c for c in doc.contacts if c.uuid == contact.referred_by), None)
        if contact.referred_by
        else None
    )
    return contact, planned[0] if planned else None, goal, referrer


def _get(settings: Settings, key: str) -> Any:
    section, _, name = key.partition(".")
    if name:
        return getattr(getattr(settings, section), name)
    return getattr(settings, key)


def _whole_number(key: str) -> bool:
    """Whether a setting takes a number (the rest of the `me.` and `mail.` ones are text)."""
    section, _, name = key.partition(".")
    models: dict[str, type[Me] | type[MailSettings]] = {"me": Me, "mail": MailSettings}
    model = models.get(section) if name else None
    if model is None:
        return True
    return model.model_fields[name].annotation in (int, "int")


def _known_key(key: str) -> None:
    if key not in SETTING_KEYS:
        import difflib

        close = difflib.get_close_matches(key, SETTING_KEYS, n=1)
        raise BadInput(
            f"There is no setting called {key!r}.",
            hint=f"Did you mean {close[0]}?" if close else "See them all with: infoint config",
        )


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


def _contacts_of(index: Any, rows: list[list[Any]], full: bool) -> dict[str, Contact]:
    """Contacts for listing rows: every field from the shards when `full`, else what
    the rows hold (what a listing shows), without reading the shards. Records in the
    index were validated when they were written (see index.py)."""
    from infoint.models import trusted

    if full:
        found: dict[str, Contact] = {}
        wanted = {row[0] for row in rows}
        for bucket in sorted({bucket_of(u) for u in wanted}):
            for record in index.shard(bucket)["contacts"]:
                if record["uuid"] in wanted:
                    found[record["uuid"]] = trusted(Contact, record)
        return found
    return {
        row[0]: trusted(
            Contact,
            {
                "uuid": row[0],
                "id": row[1],
                "handle": row[2],
                "name": row[3],
                "company": row[4],
                "industry": row[5],
                "archived": row[6],
                "referred_by": row[8],
                "tags": row[9],
                "role": row[11],
                "created_at": row[7],
                "updated_at": row[7],
            },
        )
        for row in rows
    }


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
        if isinstance(event, Reply) and event.contact == contact.uuid and event.referred_to:
            loader.contact(event.referred_to)


_ADAPTERS: dict[str, Any] = {}


def _models(
    contact: dict[str, Any], events: list[dict[str, Any]], meetings: list[dict[str, Any]]
) -> tuple[Contact, list[Any], list[Meeting]]:
    from pydantic import TypeAdapter

    from infoint.models import Event

    if not _ADAPTERS:
        _ADAPTERS["events"] = TypeAdapter(list[Event])
        _ADAPTERS["meetings"] = TypeAdapter(list[Meeting])
    return (
        Contact.model_validate(contact),
        _ADAPTERS["events"].validate_python(events),
        _ADAPTERS["meetings"].validate_python(meetings),
    )


def _check_mode(mode: Mode, place: str | None, venue: Venue | None) -> None:
    """R4: in person needs a place; a venue goes with in person only."""
    if mode == "in_person" and not (place or "").strip():
        raise BadInput(
            "An in-person meeting needs a place.", hint='Add --at "Blue Bottle, 1 Main St".'
        )
    if venue is not None and mode != "in_person":
        raise BadInput(
            "--venue goes with an in-person meeting only.", hint="Use --at PLACE --venue cafe."
        )


def _not_planned(doc: StoreDoc, meeting: Meeting, message: str) -> RuleBroken:
    """A done or cancelled meeting cannot move, be cancelled or be done again: a done
    one is corrected, a cancelled one replaced by a new one with the same person."""
    if meeting.status == "done":
        hint = f"Correct it with: infoint meeting edit {meeting.id} --advice TEXT"
    else:
        handle = _contact_by_uuid(doc, meeting.contact).handle
        hint = f'Schedule a new one with: infoint schedule {handle} "WHEN" --phone'
    return RuleBroken(message, hint=hint)


def _check_overlap(doc: StoreDoc, start: datetime, minutes: int, ignore: str | None) -> None:
    meetings = list(doc.meetings)
    if doc._loader is not None:  # the planned meetings of everyone else, from the index
        here = {m.uuid for m in meetings}
        for entry in doc._loader.ask(lambda index: index.follow())["per"].values():
            for p in entry["planned"]:
                if p["uuid"] not in here:
                    meetings.append(  # as the index holds it (validated when written)
                        trusted(
                            Meeting,
                            {
                                "uuid": p["uuid"],
                                "id": p["id"],
                                "contact": "",
                                "status": "planned",
                                "start": p["start"],
                                "minutes": p["minutes"],
                                "mode": p["mode"],
                                "held": False,
                            },
                        )
                    )
                    here.add(p["uuid"])
    clash = rules.overlapping(meetings, start, minutes, ignore)
    if clash is not None:
        from infoint.dates import short

        if not clash.contact and doc._loader is not None:
            doc._loader.meeting(str(clash.id))
            clash = find_meeting(doc, str(clash.id))
        other = _contact_by_uuid(doc, clash.contact)
        raise RuleBroken(
            f"That overlaps meeting {clash.id} with {other.name} "
            f"({short(clash.start)}, {clash.minutes} min).",
            hint=f"Pick a time after it ends, or move it: infoint reschedule {clash.id} WHEN",
        )


def latest_moment(doc: StoreDoc) -> datetime | None:
    """The latest moment any record was written: the index answers for any time after it."""
    moments: list[datetime] = []
    for group in (doc.contacts, doc.meetings, doc.events):
        moments.extend(r.updated_at for r in group)
        moments.extend(r.created_at for r in group)
    moments.extend(e.at for e in doc.events)
    for m in doc.meetings:
        moments.extend(t for t in (m.done_at, m.cancelled_at) if t is not None)
        if m.held:
            moments.append(m.start)
    return max(moments, default=None)


def _still_whole(doc: StoreDoc) -> None:
    """An undo must not leave a meeting or message without its contact: one recorded
    since (on another machine, say) needs the contact the undo would take away."""
    present = {c.uuid for c in doc.contacts}
    for record in (*doc.meetings, *doc.events):
        if record.contact not in present:
            raise RuleBroken(
                "Undoing that would leave a meeting or message recorded since without "
                "its contact. Nothing was changed.",
                hint="Look at infoint history; to drop the contact with everything, use "
                "infoint remove",
            )


def _put_back(doc: StoreDoc, changes: list[dict[str, Any]]) -> None:
    """Set each record to its change's `after`, checking it is still its `before`.
    One pass per kind of record, so taking back a 30,000-contact import is quick."""
    from pydantic import TypeAdapter

    from infoint.models import Event

    for kind in ("contacts", "meetings", "events"):
        mine = [c for c in changes if c["type"] == kind]
        if not mine:
            continue
        records: list[Any] = getattr(doc, kind)
        at = {r.uuid: i for i, r in enumerate(records)}
        gone: set[str] = set()
        added: list[Any] = []
        model: Any = {"contacts": Contact, "meetings": Meeting}.get(kind)
        for change in mine:
            i = at.get(change["uuid"])
            current = records[i].model_dump(mode="json") if i is not None else None
            if current is not None and change["before"] is not None:
                # a number another machine's record took first was changed: no edit
                current = {**current, "id": change["before"].get("id")}
            if current != change["before"]:
                raise RuleBroken(
                    "A record this change touched was changed since (by hand, or by a merge), "
                    "so undoing it could lose that.",
                    hint="Look at infoint history, and fix the record with infoint edit instead.",
                )
            after = change["after"]
            if after is None:
                gone.add(change["uuid"])
                continue
            if i is not None:
                after = {**after, "id": records[i].id}
            record = (
                model.model_validate(after) if model else TypeAdapter(Event).validate_python(after)
            )
            if i is None:
                added.append(record)
            else:
                record._before = current
                records[i] = record
        kept = [r for r in records if r.uuid not in gone] if gone else records
        if added:  # back where they were: records stay in the order of their ids
            kept = sorted([*kept, *added], key=lambda r: r.id)
        setattr(doc, kind, kept)


def _replace_records(doc: StoreDoc, wanted: StoreDoc) -> None:
    """Make `doc` hold exactly `wanted`'s records, marking each change for the log."""
    for kind in ("contacts", "meetings", "events"):
        current = {r.uuid: r for r in getattr(doc, kind)}
        replaced = []
        for record in getattr(wanted, kind):
            old = current.get(record.uuid)
            if old is not None and old.model_dump(mode="json") != record.model_dump(mode="json"):
                record._before = old.model_dump(mode="json")
            elif old is not None:
                record = old
            replaced.append(record)
        setattr(doc, kind, replaced)
    for counter in ("contact", "meeting", "event"):
        newest = max(getattr(doc.next_id, counter), getattr(wanted.next_id, counter))
        setattr(doc.next_id, counter, newest)


def _referred_contact(doc: StoreDoc, referred: str, by: Contact, now: datetime) -> Contact:
    """The contact they pointed you to: an existing one (by handle, number or name),
    or a new prospect by that name. A name two people share is refused: which one?"""
    try:
        return find_contact(doc, referred)
    except NotFound:
        name = require_name(referred)
        if doc._loader is not None:  # bring in whoever goes by that name
            for _, bucket in doc._loader.ask(lambda index: index.maybe_same(name, None, None)):
                doc._loader.bucket(bucket)
        folded = " ".join(name.lower().split())
        same = [
            c for c in doc.contacts if not c.archived and " ".join(c.name.lower().split()) == folded
        ]
        same.sort(key=lambda c: c.id)
        if len(same) == 1:
            return same[0]
        if same:
            handles = ", ".join(c.handle for c in same)
            raise BadInput(
                f"{len(same)} contacts are named {name} ({handles}): which one did "
                f"{by.name} point you to?",
                hint=f"Name them by handle: --referred {same[-1].handle}",
            ) from None
        cid = _next(doc, "contact")
        contact = Contact(
            id=cid,
            handle=make_handle(name, _taken(doc), cid),
            name=name,
            referred_by=by.uuid,
            source="referral",
            created_at=now,
            updated_at=now,
        )
        doc.contacts.append(contact)
        return contact


def _last_goal(doc: StoreDoc, contact: Contact) -> str | None:
    goals = [e for e in doc.events if isinstance(e, Outreach) and e.contact == contact.uuid]
    return max(goals, key=lambda e: e.at).goal if goals else None


def _lower_first(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def _draft_values(
    doc: StoreDoc,
    contact: Contact,
    settings: Settings,
    kind: str,
    goal: str | None,
    subject: str | None,
) -> dict[str, str]:
    """The fields a template may use, each filled from what infoint knows, or with a
    `[placeholder]` that the check flags until you write it."""
    from infoint.dates import day_label

    by_uuid = {c.uuid: c for c in doc.contacts}
    referrer = by_uuid.get(contact.referred_by or "")
    met = sorted(
        (m for m in doc.meetings if m.contact == contact.uuid and m.status == "done"),
        key=lambda m: m.start,
    )
    advice = [a for m in met for a in m.advice]
    answered = {q for m in met for q in m.answered}
    unanswered = [q for q in contact.questions if q not in answered]
    aim = goal or _last_goal(doc, contact)
    why = contact.why
    quoted = " and ".join(f'"{a}"' for a in advice[-2:])
    me = settings.me
    return {
        "first_name": contact.name.split()[0],
        "name": contact.name,
        "company": contact.company or "",
        "role": contact.role or "",
        "subject": subject
        or (
            f"Thirty minutes about your work at {contact.company}?"
            if contact.company
            else "Thirty minutes of your time?"
        ),
        "intro": wording.sentence(me.intro)
        or "[who you are: set it once with infoint config me.intro]",
        "referral": f" {referrer.name} suggested I write to you." if referrer else "",
        "why_them": wording.admire(why)
        if why and wording.admire(why)
        else "[why them: what did they do that you admire?]",
        "why_short": _lower_first(why) if why else "[what they do]",
        "goal": _lower_first(aim) if aim else "[what you hope to learn, precisely]",
        "signature": me.signature or me.name or "[your name]",
        "met_on": day_label(met[-1].start) if met else "[when you met]",
        "advice_quoted": (
            f"Your advice, {quoted}, is exactly what I needed."
            if advice
            else "[what you took from it]"
        ),
        "advice_list": quoted or "[what they told you]",
        "open_questions": (
            "One question we did not get to, if you ever have a moment: " + unanswered[0] + "\n"
            if unanswered and met
            else ""
        ),
        "acted_on": "[what you did with it since, and how it went]",
        "research": contact.research or "[what you found out about them]",
    }
