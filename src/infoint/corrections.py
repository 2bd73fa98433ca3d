"""Correcting a meeting after the fact: `meeting edit` and `reschedule` with a place.

A meeting that took place can still be wrong in the record (the cafe was another
one, a piece of advice was forgotten, the bill came later). Corrections keep the
rules a new record would meet: R4 (in person needs a place; a venue goes with in
person), R5 (the length is not touched here), R8 (a cafe, restaurant or bar means
you pay: that follows from the venue), and what only a meeting that took place can
have (advice, notes, a bill, questions answered, keep in touch). Pure functions on
the meeting and its contact; the service wraps them in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from infoint.errors import BadInput, RuleBroken
from infoint.vocabulary import Mode, Venue

if TYPE_CHECKING:
    from infoint.models import Contact, Meeting


@dataclass
class Place:
    """Where and how, as given: each None means "keep it"."""

    mode: Mode | None = None
    place: str | None = None
    venue: Venue | None = None

    def given(self) -> bool:
        return self.mode is not None or self.place is not None or self.venue is not None


@dataclass
class Outcome:
    """What a meeting that took place brought; each None (or empty) means "keep it"."""

    notes: str | None = None
    advice: list[str] = field(default_factory=list)
    paid: float | None = None
    keep_in_touch: bool | None = None
    answered: list[int] = field(default_factory=list)

    def given(self) -> bool:
        return bool(
            self.notes is not None
            or self.advice
            or self.paid is not None
            or self.keep_in_touch is not None
            or self.answered
        )


def new_place(meeting: Meeting, change: Place) -> tuple[Mode, str | None, Venue | None]:
    """R4 after a change: a new mode or a new place drops the old place and venue
    unless given again (a cafe's "you pay" must not follow you to an office); in
    person needs a place, and a venue goes with in person only."""
    mode = change.mode or meeting.mode
    if (change.mode is not None and change.mode != meeting.mode) or change.place is not None:
        place, venue = change.place, change.venue
    else:
        place = meeting.place
        venue = change.venue if change.venue is not None else meeting.venue
    place = (place or "").strip() or None
    if mode == "in_person" and place is None:
        raise BadInput(
            "An in-person meeting needs a place.", hint='Add --at "Blue Bottle, 1 Main St".'
        )
    if venue is not None and mode != "in_person":
        raise BadInput(
            "--venue goes with an in-person meeting only.", hint="Use --at PLACE --venue cafe."
        )
    return mode, (place if mode == "in_person" else None), venue


def check_editable(meeting: Meeting, outcome: Outcome) -> None:
    """A cancelled meeting is not corrected (schedule a new one); what a meeting
    brought (advice, notes, a bill…) goes only on one marked done."""
    if meeting.status == "cancelled":
        raise RuleBroken(
            f"Meeting {meeting.id} was cancelled.",
            hint="Schedule a new one with: infoint schedule CONTACT WHEN",
        )
    if outcome.given() and meeting.status != "done":
        raise RuleBroken(
            f"Meeting {meeting.id} is not marked done yet; advice, notes, a bill and "
            "answers belong to a meeting that took place.",
            hint=f"Record it first: infoint done {meeting.id}",
        )


_CALLS = {"phone": "a phone call", "video": "a video call"}
_FLAGS = {"phone": "--phone", "video": "--video"}


def check_bill(meeting: Meeting, paid: float | None, recording: bool = False) -> float | None:
    """R8: you pay the bill at the cafe, so a bill goes with a meeting in person. On a
    phone or video call there is none: an amount is refused, `--paid 0` clears one
    noted before, and a call cannot keep the bill of the cafe it replaced. Returns the
    bill to keep (None: no bill). `recording`: asked by `done`, not by a correction."""
    if paid is not None and paid < 0:
        raise BadInput(f"--paid cannot be negative (got {paid}).")
    if meeting.mode == "in_person":
        return round(paid, 2) if paid is not None else meeting.paid
    call = _CALLS[meeting.mode]
    if paid:
        where = f'infoint meeting edit {meeting.id} --at "PLACE" --venue cafe'
        raise RuleBroken(
            f"Meeting {meeting.id} is {call}: there is no bill to pay on a call "
            "(R8: you pay the bill at the cafe).",
            hint=f"If you met in person after all, say where first: {where}; then: "
            f"infoint done {meeting.id} --paid {paid:.2f}"
            if recording
            else f"If you met in person after all, say where: {where} --paid {paid:.2f}",
        )
    if paid is None and meeting.paid:
        raise RuleBroken(
            f"Meeting {meeting.id} has a bill of {meeting.paid:.2f} noted; {call} has none.",
            hint=f"Clear the bill with it: infoint meeting edit {meeting.id} "
            f"{_FLAGS[meeting.mode]} --paid 0",
        )
    return None


def apply_outcome(meeting: Meeting, contact: Contact, outcome: Outcome) -> None:
    """Add advice and answered questions, set notes, the bill and keep in touch."""
    if outcome.notes is not None:
        meeting.notes = outcome.notes.strip() or None
    for advice in outcome.advice:
        text = advice.strip()
        if text and text not in meeting.advice:
            meeting.advice = [*meeting.advice, text]
    if outcome.paid is not None or meeting.mode != "in_person":
        meeting.paid = check_bill(meeting, outcome.paid)
    if outcome.keep_in_touch is not None:
        meeting.keep_in_touch = outcome.keep_in_touch
    for number in outcome.answered:
        if not 1 <= number <= len(contact.questions):
            raise BadInput(
                f"{contact.name} has no question {number} ({len(contact.questions)} written).",
                hint=f"See them with: infoint prep {contact.handle}",
            )
        question = contact.questions[number - 1]
        if question not in meeting.answered:
            meeting.answered = [*meeting.answered, question]
