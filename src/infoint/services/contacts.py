"""Contacts: add, edit, remove, archive, let go; list, count and show them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from infoint import identity, rules
from infoint.errors import BadInput, RuleBroken
from infoint.index import Index, bucket_of
from infoint.records import ContactFields, check_handle, make_handle, require_name, tags_after
from infoint.services.base import (
    Result,
    TrackerCore,
    _load_related,
    _next,
    _Taken,
    _taken,
    find_contact,
)
from infoint.vocabulary import Status

if TYPE_CHECKING:
    from infoint.listing import Page, Query
    from infoint.models import Contact, Meeting, Outreach, StoreDoc


class ContactServices(TrackerCore):
    """The people: who they are, listed, shown and changed."""

    def contacts(
        self,
        status: str | None = None,
        tag: str | None = None,
        search: str | None = None,
        include_archived: bool = False,
        sort: str = "id",
        full: bool = False,
    ) -> list[tuple[Contact, Status, datetime | None]]:
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
    ) -> tuple[list[tuple[Contact, Status, datetime | None]], int]:
        """The first `limit` contacts that match (all when None), and how many match.
        Filtered and sorted on the index's rows (listing.select); only the contacts
        shown are built."""
        from infoint import listing

        query = listing.Query(status, tag, search, include_archived, sort, limit)

        def page(index: Index) -> tuple[list[tuple[Contact, Status, datetime | None]], int]:
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

    def show(self, ref: str) -> tuple[rules.History, Status, StoreDoc]:
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

    def by_uuid(self, uuids: set[str]) -> dict[str, Contact]:
        """The contacts of these UUIDs (as read: plain), from their shards alone."""
        doc = self._view()
        for uuid in sorted(uuids):
            doc._loader.contact(uuid)
        return {c.uuid: c for c in doc.contacts if c.uuid in uuids}

    def brief(self, ref: str) -> tuple[Contact, Meeting | None, Outreach | None, Contact | None]:
        """What `prep` prints: the contact, the next planned meeting, the goal you wrote."""
        doc = self._view()
        contact = find_contact(doc, ref)
        _load_related(doc, contact)
        return _brief(doc, contact, self.clock())

    def add_contact(self, name: str, fields: ContactFields, force: bool = False) -> Result[Contact]:
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
            from infoint.models import Contact

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
    ) -> Result[Contact]:
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

    def remove(self, ref: str) -> Result[Contact]:
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
                if rules.is_reply(event) and event.referred_to == contact.uuid:
                    event.referred_to = None
                    event.updated_at = now
        return Result(contact, notes=[f"{len(meetings)} meeting(s) and {len(events)} message(s)"])

    def archive(self, ref: str, restore: bool = False) -> Result[Contact]:
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

    def not_now(self, ref: str) -> Result[Contact]:
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


def _contacts_of(index: Any, rows: list[list[Any]], full: bool) -> dict[str, Contact]:
    """Contacts for listing rows: every field from the shards when `full`, else what
    the rows hold (what a listing shows), without reading the shards. Records in the
    index were validated when they were written (see index.py)."""
    from infoint import plain

    if full:
        found: dict[str, Contact] = {}
        wanted = {row[0] for row in rows}
        for bucket in sorted({bucket_of(u) for u in wanted}):
            for record in index.shard(bucket)["contacts"]:
                if record["uuid"] in wanted:
                    found[record["uuid"]] = plain.contact(record)
        return found
    return {
        row[0]: plain.contact(
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
    goals = [e for e in doc.events if rules.is_outreach(e) and e.contact == contact.uuid]
    goal = max(goals, key=lambda e: e.at) if goals else None
    referrer = (
        next((c for c in doc.contacts if c.uuid == contact.referred_by), None)
        if contact.referred_by
        else None
    )
    return contact, planned[0] if planned else None, goal, referrer
