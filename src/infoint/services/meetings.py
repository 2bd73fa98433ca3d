"""Meetings: schedule, correct, move, cancel, record as done; prepare for them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from infoint import corrections, jobask, plain, rules, timeline
from infoint.errors import BadInput, RuleBroken
from infoint.records import clean
from infoint.services.base import (
    Booked,
    Result,
    TrackerCore,
    _contact_by_uuid,
    _next,
    find_contact,
    find_meeting,
)
from infoint.vocabulary import Mode, Venue

if TYPE_CHECKING:
    from infoint.models import Contact, Meeting, StoreDoc


class MeetingServices(TrackerCore):
    """The meetings and what you prepare for them (R4-R9, R16-R18)."""

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
    ) -> Result[Booked]:
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
            from infoint.models import Meeting

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
        return Result(Booked(meeting, contact), warnings=warnings)

    def edit_meeting(
        self, meeting_id: str, where: corrections.Place, outcome: corrections.Outcome
    ) -> Result[Booked]:
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
        return Result(Booked(meeting, contact), notes=[changed])

    def reschedule(
        self,
        meeting_id: str,
        start: datetime,
        minutes: int | None = None,
        where: corrections.Place | None = None,
    ) -> Result[Booked]:
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
        return Result(Booked(meeting, contact))

    def cancel(self, meeting_id: str, reason: str | None = None) -> Result[Booked]:
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
        return Result(Booked(meeting, contact))

    def done(
        self,
        meeting_id: str,
        notes: str | None = None,
        advice: list[str] | None = None,
        keep_in_touch: bool = False,
        paid: float | None = None,
        answered: list[int] | None = None,
        held: datetime | None = None,
    ) -> Result[Booked]:
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
        return Result(Booked(meeting, contact))

    def prep(
        self, ref: str, research: str | None, questions: list[str], force: bool = False
    ) -> Result[Contact]:
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
                        plain.meeting(
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
