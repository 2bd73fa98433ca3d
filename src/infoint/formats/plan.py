"""What an import does with each row of a file: add a new contact, fill in one that is
already here (found by LinkedIn profile, then e-mail, then name and company), or say
why the line was skipped. Pure functions of (the store's document, rows, now)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from infoint.errors import BadInput
from infoint.formats.common import UNNAMED_TAG, Row, emails_of
from infoint.identity import company_key
from infoint.models import Contact, StoreDoc
from infoint.records import check_email, check_handle, make_handle, normal_linkedin, tags_after
from infoint.vocabulary import Mode


@dataclass
class Outcome:
    """What an import did with one line of the file."""

    line: int
    name: str
    result: Literal["new", "merged", "same", "skipped"]
    reason: str = ""
    handle: str | None = None
    unnamed: bool = False  # named from an e-mail or company (tagged `unnamed`)


class Outcomes(list[Outcome]):
    """The outcomes of an import, line by line, with what was said about the file."""

    def __init__(
        self,
        items: Iterable[Outcome] = (),
        notices: list[str] | None = None,
        columns: list[tuple[str, str | None]] | None = None,
    ) -> None:
        super().__init__(items)
        self.notices = notices or []
        self.columns = columns or []


def nothing_imported(outcomes: list[Outcome], name: str, source: str = "csv") -> BadInput | None:
    """An import that brings in nobody is refused, with the first reasons why."""
    if any(o.result != "skipped" for o in outcomes):
        return None
    if not outcomes:
        return BadInput(
            f"{name} has no contacts in it.",
            hint="Check that it is the export you meant, and that it is not empty.",
        )
    first = "; ".join(f"line {o.line}: {o.reason}" for o in outcomes[:3])
    what = "card" if source == "vcard" else "line"
    hint = (
        "Check that each card has a BEGIN:VCARD and an END:VCARD line and a name, an "
        "e-mail or a company."
        if source == "vcard"
        else "Check the file's columns, or try another import: infoint import --help"
    )
    return BadInput(
        f"Nothing imported from {name}: all {len(outcomes)} {what}(s) were skipped ({first}).",
        hint=hint,
    )


class _Index:
    """Where to find a contact by LinkedIn profile, e-mail, and name with company."""

    def __init__(self, contacts: list[Contact]) -> None:
        self.by_url: dict[str, Contact] = {}
        self.by_email: dict[str, Contact] = {}
        self.by_name: dict[tuple[str, str], Contact] = {}
        for contact in contacts:
            self.remember(contact)

    def remember(self, contact: Contact) -> None:
        if url := normal_linkedin(contact.linkedin):
            self.by_url.setdefault(url, contact)
        if contact.email:
            self.by_email.setdefault(contact.email.lower(), contact)
        for other in re.findall(r"^Other e-mail: (\S+)$", contact.notes or "", re.M):
            self.by_email.setdefault(other.lower(), contact)  # kept in the notes
        self.by_name.setdefault((contact.name.lower(), company_key(contact.company)), contact)

    def find(self, row: Row, emails: list[str]) -> tuple[Contact | None, str]:
        url = normal_linkedin(row.linkedin)
        if url and url in self.by_url:
            return self.by_url[url], "same LinkedIn profile"
        for email in emails:
            if email.lower() in self.by_email:
                return self.by_email[email.lower()], f"same e-mail ({email})"
        key = (row.name.lower(), company_key(row.company))
        found = self.by_name.get(key)
        if found is None:
            return None, ""
        if key[1]:
            return found, "same name and company"
        if _told_apart(found, url, emails):
            return None, ""  # two people of one name ("Jane Doe" and "Jane Doe")
        return found, "same name"


def _told_apart(contact: Contact, url: str | None, emails: list[str]) -> bool:
    """Whether a row matched by name alone (no company on either side) is someone
    else: both have an e-mail and they differ, or both a LinkedIn profile that does."""
    known = normal_linkedin(contact.linkedin)
    if url and known and url != known:
        return True
    mine = (contact.email or "").lower()
    return bool(emails and mine) and mine not in {e.lower() for e in emails}


def plan_import(
    doc: StoreDoc,
    rows: list[Row],
    source: str,
    batch: str,
    tags: list[str],
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> Outcomes:
    """Add the new people to `doc` and fill in the ones it already has. Duplicates are
    found by LinkedIn profile, then e-mail (any case), then exact name and company."""
    index = _Index(doc.contacts)
    handles = {c.handle for c in doc.contacts}
    added: set[str] = set()  # a second line for someone this import adds is merged into them
    outcomes = Outcomes()
    placed: list[tuple[Row, Contact, Outcome]] = []  # for the referrals, once all are in
    for done, row in enumerate(rows, 1):
        if progress is not None and done % 100 == 0:
            progress(done, len(rows))
        if row.skipped:
            outcomes.append(Outcome(row.line, row.name, "skipped", row.skipped))
            continue
        emails, problems = good_emails(row.emails)
        match, why = index.find(row, emails)
        if match is not None:
            before = match.model_dump()
            fill_in(match, row, emails, tags, now)
            index.remember(match)
            changed = match.model_dump() != before or match.uuid in added
            result: Literal["merged", "same"] = "merged" if changed else "same"
            reason = f"{why} as {match.handle}" + (f"; {problems}" if problems else "")
            outcomes.append(Outcome(row.line, row.name, result, reason, match.handle))
            placed.append((row, match, outcomes[-1]))
            continue
        cid = doc.next_id.contact
        doc.next_id.contact = cid + 1
        contact = Contact(
            id=cid,
            handle=kept_handle(row.handle, handles) or make_handle(row.name, handles, cid),
            name=row.name,
            email=emails[0] if emails else None,
            phone=row.phone,
            company=row.company,
            role=row.role,
            industry=row.industry,
            location=row.location,
            linkedin=row.linkedin,
            why=row.why,
            # infoint's own export says where they came from, even when that was nowhere
            source=row.source or (None if row.handle else source),
            notes=notes_with(row.notes, emails[1:]),
            research=row.research,
            questions=list(row.questions),
            prefers=mode(row.prefers),
            tags=tags_after([], [*row.tags, *tags]),
            connected_on=row.connected_on,
            archived=row.archived,
            batch=batch,
            created_at=added_at(row.created_at, now),
            updated_at=now,
        )
        handles.add(contact.handle)
        added.add(contact.uuid)
        doc.contacts.append(contact)
        index.remember(contact)
        unnamed = UNNAMED_TAG in row.tags
        outcomes.append(Outcome(row.line, row.name, "new", problems, contact.handle, unnamed))
        placed.append((row, contact, outcomes[-1]))
    link_referrals(doc, placed, now)
    return outcomes


def added_at(given: datetime | None, now: datetime) -> datetime:
    """When infoint's own export says they were added, if that is a time infoint keeps
    (from 1900, and not after now); otherwise now."""
    if given is None or given.tzinfo is None or given.year < 1900 or given > now:
        return now
    return given


def kept_handle(wanted: str | None, taken: set[str]) -> str | None:
    """The handle a file of infoint's own gives, if it is a handle and still free."""
    if not wanted:
        return None
    try:
        return check_handle(wanted, taken)
    except BadInput:
        return None


def link_referrals(
    doc: StoreDoc, placed: list[tuple[Row, Contact, Outcome]], now: datetime
) -> None:
    """Whoever a row says referred them is found in the same file first (by the key
    infoint's own export gives, or by name), then among the contacts already here (by
    handle, or by a name only one of them has); one found nowhere is said, not guessed."""
    by_key: dict[str, Contact] = {}
    by_name: dict[str, list[Contact]] = {}
    for row, contact, _ in placed:
        if row.key:
            by_key.setdefault(row.key.strip().lower(), contact)
        by_name.setdefault(row.name.strip().lower(), []).append(contact)
    by_uuid = {c.uuid: c for c in doc.contacts}
    by_handle = {c.handle: c for c in doc.contacts}
    here: dict[str, list[Contact]] = {}
    for contact in doc.contacts:
        here.setdefault(contact.name.strip().lower(), []).append(contact)
    for row, contact, outcome in placed:
        wanted = (row.referred_by or "").strip()
        if not wanted or contact.referred_by:
            continue
        key = wanted.lower()
        named = by_name.get(key) or here.get(key) or []
        referrer = (
            by_key.get(key)
            or by_uuid.get(re.sub(r"^urn:uuid:", "", key))
            or by_handle.get(key)
            or (named[0] if len(set(c.uuid for c in named)) == 1 else None)
        )
        if referrer is None or referrer.uuid == contact.uuid:
            if referrer is not None:
                said = "referred by themselves: left out"
            elif len({c.uuid for c in named}) > 1:
                said = (
                    f"referred by {wanted!r}, a name {len({c.uuid for c in named})} contacts "
                    f"have: left out (to set it: infoint edit {contact.handle} --referred-by "
                    "HANDLE)"
                )
            else:
                said = f"referred by {wanted!r}, who is not in the file or in infoint: left out"
            outcome.reason = f"{outcome.reason}; {said}" if outcome.reason else said
            continue
        contact.referred_by = referrer.uuid
        contact.updated_at = now
        if outcome.result == "same":
            outcome.result = "merged"


def mode(value: str | None) -> Mode | None:
    """How they like to meet, if the file says it in infoint's words."""
    wanted = (value or "").strip().lower().replace("-", "_").replace(" ", "_")
    modes: dict[str, Mode] = {"in_person": "in_person", "phone": "phone", "video": "video"}
    return modes.get(wanted)


def good_emails(emails: list[str]) -> tuple[list[str], str]:
    good: list[str] = []
    bad: list[str] = []
    for email in (e for given in emails for e in emails_of(given)):
        try:
            checked = check_email(email)
        except BadInput:
            bad.append(email)
            continue
        if checked.lower() not in (g.lower() for g in good):  # the same address twice
            good.append(checked)
    return good, (f"left out {', '.join(repr(b) for b in bad)}: not an e-mail" if bad else "")


def notes_with(notes: str | None, more_emails: list[str]) -> str | None:
    extra = [f"Other e-mail: {e}" for e in more_emails]
    return "\n".join([*([notes] if notes else []), *extra]) or None


def fill_in(contact: Contact, row: Row, emails: list[str], tags: list[str], now: datetime) -> None:
    """Complete a contact from an import without overwriting what is already there."""
    values = {
        "email": emails[0] if emails else None,
        "phone": row.phone,
        "company": row.company,
        "role": row.role,
        "industry": row.industry,
        "location": row.location,
        "linkedin": row.linkedin,
        "why": row.why,
        "source": row.source,
        "research": row.research,
        "connected_on": row.connected_on,
        "prefers": mode(row.prefers),
    }
    for name, value in values.items():
        if value and not getattr(contact, name):
            setattr(contact, name, value)
    if row.questions and not contact.questions:
        contact.questions = list(row.questions)
    if row.notes and row.notes not in (contact.notes or ""):
        contact.notes = f"{contact.notes}\n{row.notes}" if contact.notes else row.notes
    merged_tags = tags_after(contact.tags, [*row.tags, *tags])
    if merged_tags != contact.tags:
        contact.tags = merged_tags
    if contact.changed:
        contact.updated_at = now
