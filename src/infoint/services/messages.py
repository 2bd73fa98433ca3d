"""Messages: the outreach, their reply, hearing from them, the thank-you and keeping in touch."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from infoint import jobask, rules, timeline
from infoint.errors import BadInput, NotFound, RuleBroken
from infoint.records import clean, make_handle, require_name
from infoint.services.base import Replied, Result, Sent, TrackerCore, _next, _taken, find_contact
from infoint.vocabulary import Answer, Channel

if TYPE_CHECKING:
    from infoint.models import Contact, StoreDoc


class MessageServices(TrackerCore):
    """What you wrote to them and what they answered (R1-R3, R9-R11)."""

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
    ) -> Result[Sent]:
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
            from infoint.models import Outreach

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
        return Result(Sent(record, contact), warnings=[w for w in (warning, job) if w])

    def reply(
        self,
        ref: str,
        answer: Answer,
        referred: str | None = None,
        on: datetime | None = None,
        note: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Result[Replied]:
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
            from infoint.models import Reply

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
        return Result(Replied(record, contact, other), warnings=[w for w in (warning, still) if w])

    def heard(
        self,
        ref: str,
        on: datetime | None = None,
        note: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Result[Sent]:
        return self._message("heard", ref, on, note, extra=extra)

    def thank(
        self,
        ref: str,
        on: datetime | None = None,
        note: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Result[Sent]:
        """R9: the thank-you after a meeting."""
        return self._message("thank", ref, on, note, extra=extra)

    def touch(
        self,
        ref: str,
        on: datetime | None = None,
        note: str | None = None,
        force: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> Result[Sent]:
        """R10/R11: keep in touch, without stalking."""
        return self._message("touch", ref, on, note, force=force, extra=extra)

    def _message(
        self,
        command: Literal["heard", "thank", "touch"],
        ref: str,
        on: datetime | None,
        note: str | None,
        force: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> Result[Sent]:
        now = self.clock()
        at = self._not_future(on, "--on", now)
        warnings: list[str] = []
        extra = dict(extra or {})
        with self._transaction(command) as doc:
            contact = find_contact(doc, ref)
            rules.check_active(contact)
            history = rules.history_of(doc, contact, now)
            if command == "touch":
                first = timeline.check_touch_needs_contact(history, force, at)
                warning = first or rules.check_touch_spacing(history, self.settings, at, force)
                if warning:
                    warnings.append(warning)
                    extra["forced"] = True
            if command == "thank" and (thanks := timeline.check_thank_order(history, at)):
                warnings.append(thanks)
            from infoint.models import Heard, Thank, Touch

            kinds: dict[str, type[Heard] | type[Thank] | type[Touch]]
            kinds = {"heard": Heard, "thank": Thank, "touch": Touch}
            kind = kinds[command]
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
        return Result(Sent(record, contact), warnings=warnings)


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
        from infoint.models import Contact

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
