"""Writing: drafts composed from templates, the draft you sent recorded, questions
picked from the bank."""

from __future__ import annotations

from typing import TYPE_CHECKING

from infoint import rules, wording
from infoint.errors import BadInput
from infoint.services.base import Result, Sent, _load_related, find_contact
from infoint.services.meetings import MeetingServices
from infoint.services.messages import MessageServices

if TYPE_CHECKING:
    from infoint.models import Contact, Settings, StoreDoc


class WritingServices(MessageServices, MeetingServices):
    """Drafting messages and questions; what is sent is recorded as a message."""

    def draft(
        self, ref: str, kind: str, goal: str | None = None, subject: str | None = None
    ) -> tuple[str, Contact]:
        """A message composed from your profile, the contact and your meetings."""
        from infoint import drafts

        doc = self._view()
        contact = find_contact(doc, ref)
        _load_related(doc, contact)
        if kind == "nudge":
            sent = [e for e in doc.events if rules.is_outreach(e) and e.contact == contact.uuid]
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
    ) -> Result[Sent]:
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

    def pick_questions(
        self, ref: str, numbers: list[int], goal: str | None = None
    ) -> Result[Contact]:
        """Copy questions from the bank into a contact's list (R6)."""
        from infoint.questions import listed

        bank = listed(goal)
        chosen = []
        for number in numbers:
            if not 1 <= number <= len(bank):
                raise BadInput(f"There is no question {number} in the bank (1 to {len(bank)}).")
            chosen.append(bank[number - 1][1])
        return self.prep(ref, None, chosen)


def _last_goal(doc: StoreDoc, contact: Contact) -> str | None:
    goals = [e for e in doc.events if rules.is_outreach(e) and e.contact == contact.uuid]
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
