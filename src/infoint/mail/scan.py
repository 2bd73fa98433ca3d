"""`infoint mail scan` as a service: read the mail, say what each message becomes,
record what the user accepts through the Tracker's own recording services (the
same checks as `outreach`, `reply`, `heard`, `thank` and `touch`), and leave the
replies still to sort where `followups` finds them.

All mail is read before anything is recorded, so a server that goes away mid-scan
leaves the store as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from infoint.mail import state
from infoint.mail.message import Mail
from infoint.mail.sort import Proposal, Sorted, address_book, sort, whose

if TYPE_CHECKING:
    from infoint.models import Contact
    from infoint.services import Replied, Result, Sent, Tracker

#: The first scan looks this far back, unless told --since.
FIRST_SCAN_DAYS = 90
#: A scan looks a day before the last one: mail is dated by the sender's clock.
OVERLAP = timedelta(days=1)
Answer = str  # agreed, declined, referred, heard


@dataclass(frozen=True)
class Source:
    """Where the mail is: a local Maildir or mbox, or else the IMAP server set up."""

    maildir: Path | None = None
    mbox: Path | None = None

    def describe(self, tracker: Tracker) -> str:
        if self.maildir is not None:
            return str(self.maildir)
        if self.mbox is not None:
            return str(self.mbox)
        mail = tracker.settings.mail
        return f"{mail.user} at {mail.host}"


def since_default(tracker: Tracker) -> datetime:
    last = state.load(tracker.paths.data_dir).last_scan
    if last:
        return datetime.fromisoformat(last) - OVERLAP
    return tracker.clock() - timedelta(days=FIRST_SCAN_DAYS)


def gather(tracker: Tracker, source: Source, since: datetime) -> list[Mail]:
    """Every message since `since`, read whole before anything is recorded."""
    from infoint.mail import local

    settings = tracker.settings.mail
    book = address_book(tracker.read().contacts)

    def wanted(mail: Mail) -> bool:
        return any(whose(book, a) for a in (mail.sender, *mail.recipients))

    if source.maildir is not None:
        return local.read_maildir(source.maildir, settings.sent_folder, since, wanted)
    if source.mbox is not None:
        return local.read_mbox(source.mbox, since, wanted)
    from infoint.mail import imap, secret

    imap.check_settings(settings)
    with imap.session(settings, secret.password(settings)) as client:
        return imap.read(client, settings, since, wanted)


def plan(tracker: Tracker, mails: list[Mail]) -> Sorted:
    """What each message becomes; the replies a scan left to sort come round again."""
    left = [u.mail() for u in state.load(tracker.paths.data_dir).unsorted]
    settings = tracker.settings
    own = [settings.mail.user] if "@" in settings.mail.user else []
    return sort(tracker.read(), [*mails, *left], own, _r1_check(settings.draft_word_budget))


def _r1_check(budget: int) -> Any:
    """R1 on a message as sent: which of its three parts the text does not say."""
    from infoint import drafts

    def missing(mail: Mail, contact: Contact) -> list[str]:
        problems = drafts.check(text_of(mail), "outreach", budget, contact.handle)
        said = [p.what for p in problems if p.what.startswith("it does not say ")]
        return [text.removeprefix("it does not say ").split(" (R1")[0] for text in said]

    return missing


def text_of(mail: Mail) -> str:
    return f"Subject: {mail.subject}\n\n{mail.text}" if mail.subject else mail.text


def record(
    tracker: Tracker, proposal: Proposal, answer: Answer | None = None, referred: str | None = None
) -> Result[Sent] | Result[Replied]:
    """Record one message through the service for its kind, with its Message-ID. An
    outreach or touch is recorded even when R2 or R11 would have said wait (it was
    sent already): with a warning, as `--force` records it."""
    mail, contact = proposal.mail, proposal.contact
    at = min(mail.at, tracker.clock())  # a sender's clock a little ahead is still now
    extra: dict[str, Any] = {"message_id": mail.message_id}
    subject = mail.subject or None
    kind = answer if proposal.kind == "reply" and answer else proposal.kind
    if kind == "outreach":
        if proposal.missing:
            extra["r1_missing"] = list(proposal.missing)
        text = text_of(mail)
        who = tracker.settings.me.intro.strip() or text
        why = (contact.why or "").strip() or text
        return tracker.outreach(
            contact.handle, who, why, text, subject, "email", at, True, text, extra
        )
    if kind == "thank":
        return tracker.thank(contact.handle, at, text_of(mail), extra)
    if kind == "touch":
        return tracker.touch(contact.handle, at, text_of(mail), True, extra)
    if kind in ("agreed", "declined", "referred"):
        return tracker.reply(contact.handle, kind, referred, at, subject, extra)  # type: ignore[arg-type]
    return tracker.heard(contact.handle, at, subject, extra)


def finish(tracker: Tracker, left: list[Proposal]) -> None:
    """Remember this scan, and the replies it leaves for the user to sort."""
    keep = [
        state.Unsorted(
            p.mail.message_id,
            p.contact.uuid,
            p.contact.name,
            p.mail.sender,
            p.mail.at.isoformat(),
            p.mail.subject,
            p.mail.text[:600],
        )
        for p in left
    ]
    with tracker.store.lock():
        state.save(tracker.paths.data_dir, state.State(tracker.clock().isoformat(), keep))
