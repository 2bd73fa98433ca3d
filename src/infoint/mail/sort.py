"""Which record a mail message becomes: pure functions of the records and the mail.

- A message you sent to a contact is their outreach, or a thank-you when you met
  them and have not thanked them since, or a keep-in-touch note after that. An
  answer to a message of theirs is none of these and is left alone.
- A message from a contact is a reply when you are waiting for one (agreed,
  declined, referred or just heard: the user says which), otherwise `heard`.
- A message already recorded is known by its Message-ID in the record it became;
  one recorded by hand (no Message-ID) by a record of the same kind, for the same
  contact, near the same time.
- A message a program sent (an out-of-office reply, a mailing list's copy, mail
  sent in bulk) is left alone: nobody answered or wrote to anyone.
- Only a contact's known addresses count: their e-mail, and any address written in
  their notes (where imports keep a second one), with or without a +tag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from infoint.mail.message import Mail
from infoint.models import Contact, Heard, Meeting, Outreach, Reply, StoreDoc, Thank, Touch
from infoint.vocabulary import EventKind

Kind = EventKind
#: Kinds recorded without asking anything: the timeline says what they are.
PLAIN: tuple[Kind, ...] = ("outreach", "thank", "touch", "heard")
FROM_YOU = ("outreach", "thank", "touch")
#: How near a record typed by hand must be to the message it stands for.
HAND_BEFORE = timedelta(days=1)
HAND_AFTER = timedelta(days=7)
_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Proposal:
    """A message and the record it would become. `reply` asks the user: agreed,
    declined, referred or just heard. `missing` names what an outreach does not say
    (R1): it is recorded all the same, with that flag, since it was sent."""

    mail: Mail
    contact: Contact
    kind: Kind
    missing: tuple[str, ...] = ()

    @property
    def sent(self) -> bool:
        return self.kind in FROM_YOU


@dataclass(frozen=True)
class Skipped:
    mail: Mail
    contact: Contact
    reason: str


@dataclass
class Sorted:
    proposals: list[Proposal] = field(default_factory=list)
    known: int = 0  # recorded before, by a scan or by hand
    skipped: list[Skipped] = field(default_factory=list)


def address_book(contacts: Iterable[Contact]) -> dict[str, Contact]:
    """Each known address, lower-cased, and whose it is. An address two people share
    belongs to neither: a message to it cannot be told apart."""
    book: dict[str, Contact] = {}
    shared: set[str] = set()
    for contact in contacts:
        found = {(contact.email or "").strip().lower()}
        found |= {a.lower() for a in _ADDRESS.findall(contact.notes or "")}
        for address in found - {""}:
            if address in book and book[address].uuid != contact.uuid:
                shared.add(address)
            book[address] = contact
    return {a: c for a, c in book.items() if a not in shared}


def plain(address: str) -> str:
    """An address without its +tag: jane+jobs@example.org is jane@example.org."""
    local, at, domain = address.partition("@")
    return f"{local.split('+', 1)[0]}{at}{domain}" if local.split("+", 1)[0] else address


def whose(book: dict[str, Contact], address: str) -> Contact | None:
    """The contact an address is, tagged (jane+jobs@…) or not."""
    return book.get(address) or book.get(plain(address))


def recorded(doc: StoreDoc) -> set[tuple[str, str]]:
    """(Message-ID, contact) of every record a message became."""
    return {(mid, e.contact) for e in doc.events if (mid := message_id(e))}


def message_id(event: Any) -> str | None:
    extra = getattr(event, "model_extra", None) or {}
    value = extra.get("message_id")
    return str(value) if value else None


def sort(
    doc: StoreDoc,
    mails: Sequence[Mail],
    own: Iterable[str],
    check: Any = None,
) -> Sorted:
    """What each message to or from a contact becomes, oldest first. `own` are your
    addresses (a message from one of them was sent by you); `check(text, contact)`
    names the R1 parts an outreach's text lacks."""
    book = address_book(doc.contacts)
    mine = {plain(a.lower()) for a in own if a}
    known = recorded(doc)
    out = Sorted()
    timelines: dict[str, _Timeline] = {}
    seen: set[tuple[str, str]] = set()
    for mail in sorted(mails, key=lambda m: m.at):
        for contact, sent in _parties(mail, book, mine):
            key = (mail.message_id, contact.uuid)
            if key in seen:
                continue  # the same message in two folders, or twice in a file
            seen.add(key)
            line = timelines.setdefault(contact.uuid, _Timeline.of(doc, contact))
            if mail.automatic and key not in known:
                out.skipped.append(Skipped(mail, contact, f"{mail.automatic}, not counted"))
                continue
            if key in known or line.typed_by_hand(mail.at, sent):
                out.known += 1
                continue
            if contact.archived:
                out.skipped.append(Skipped(mail, contact, "archived"))
                continue
            proposal = _propose(mail, contact, sent, line, check)
            if isinstance(proposal, str):
                out.skipped.append(Skipped(mail, contact, proposal))
                continue
            line.add(proposal.kind, mail.at)
            out.proposals.append(proposal)
    return out


def _parties(mail: Mail, book: dict[str, Contact], mine: set[str]) -> list[tuple[Contact, bool]]:
    """The contacts a message is from (sent False) or to (sent True)."""
    sender = whose(book, mail.sender)
    if mail.role != "sent" and sender is not None:
        return [(sender, False)]
    by_you = (
        mail.role == "sent"
        or plain(mail.sender) in mine
        or (mail.role == "any" and "sent" in (w.strip() for w in mail.labels.lower().split(",")))
    )
    if not by_you:
        return []
    to = [c for a in mail.recipients if (c := whose(book, a)) is not None]
    return [(c, True) for c in {c.uuid: c for c in to}.values()]


def _propose(
    mail: Mail, contact: Contact, sent: bool, line: _Timeline, check: Any
) -> Proposal | str:
    if not sent:
        return Proposal(mail, contact, "reply" if line.waiting(mail.at) else "heard")
    met = line.met_before(mail.at)
    if met is not None:
        thanked = line.last("thank", mail.at)
        kind: Kind = "touch" if thanked is not None and thanked >= met.start else "thank"
        return Proposal(mail, contact, kind)
    theirs, yours = line.last_from_them(mail.at), line.last_from_you(mail.at)
    if theirs is not None and yours is not None and theirs >= yours:
        return "your answer to their message (nothing to record; a meeting: infoint schedule)"
    missing = tuple(check(mail, contact)) if check is not None else ()
    return Proposal(mail, contact, "outreach", missing)


@dataclass
class _Timeline:
    """One contact's records, plus what this scan proposes, as (kind, when)."""

    events: list[tuple[str, datetime, bool]]  # kind, at, typed by hand
    meetings: list[Meeting]
    used: set[tuple[str, datetime]] = field(default_factory=set)

    @classmethod
    def of(cls, doc: StoreDoc, contact: Contact) -> _Timeline:
        names = {Outreach: "outreach", Reply: "reply", Heard: "heard", Thank: "thank"}
        events = [
            (names.get(type(e), "touch"), e.at, message_id(e) is None)
            for e in doc.events
            if e.contact == contact.uuid and isinstance(e, Outreach | Reply | Heard | Thank | Touch)
        ]
        meetings = [
            m for m in doc.meetings if m.contact == contact.uuid and m.status != "cancelled"
        ]
        return cls(sorted(events, key=lambda e: e[1]), sorted(meetings, key=lambda m: m.start))

    def add(self, kind: str, at: datetime) -> None:
        self.events.append((kind, at, False))
        self.events.sort(key=lambda e: e[1])

    def typed_by_hand(self, at: datetime, sent: bool) -> bool:
        """A record typed by hand for this message (each stands for one message)."""
        kinds = FROM_YOU if sent else ("reply", "heard")
        for kind, moment, by_hand in self.events:
            near = at - HAND_BEFORE <= moment <= at + HAND_AFTER
            if by_hand and near and kind in kinds and (kind, moment) not in self.used:
                self.used.add((kind, moment))
                return True
        return False

    def last(self, kind: str, before: datetime) -> datetime | None:
        return max((at for k, at, _ in self.events if k == kind and at <= before), default=None)

    def last_from_you(self, before: datetime) -> datetime | None:
        return max((at for k, at, _ in self.events if k in FROM_YOU and at <= before), default=None)

    def last_from_them(self, before: datetime) -> datetime | None:
        found = (at for k, at, _ in self.events if k in ("reply", "heard") and at <= before)
        return max(found, default=None)

    def met_before(self, at: datetime) -> Meeting | None:
        met = [m for m in self.meetings if m.start <= at]
        return met[-1] if met else None

    def waiting(self, at: datetime) -> bool:
        """Whether an outreach of yours is unanswered at `at` (R2's wait)."""
        run: datetime | None = None
        for kind, moment, _ in self.events:
            if moment > at:
                break
            if kind == "outreach":
                run = run or moment
            elif kind in ("reply", "heard"):
                run = None
        if run is None:
            return False
        return not any(run <= m.start <= at for m in self.meetings)
