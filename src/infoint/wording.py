"""The words infoint writes for you: the line about why them, the reminders of a
brief, and when a nudge makes sense at all.

What a user typed as `--why` is a note to self ("Built Acme's design team from
scratch", "Her talk on design systems"); a message needs a sentence. The brief's
reminders follow the meeting: dressing up is for meeting in person (R7), and R13's
reminder goes everywhere. Pure functions of what they are given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from infoint.errors import RuleBroken

if TYPE_CHECKING:
    from infoint.models import Meeting, Outreach, Settings

#: Past tenses that do not end in -ed, common in what people admire someone for.
_PAST = {
    "built", "led", "wrote", "ran", "made", "gave", "grew", "took", "began", "won", "became",
    "left", "brought", "taught", "spoke", "drew", "found", "held", "kept", "set", "shipped",
}  # fmt: skip
_THIRD_PERSON = {"her": "your", "his": "your", "their": "your", "your": "your"}


def admire(why: str) -> str:
    """`--why` as the sentence of an outreach: "Built Acme's team" → "I admire how you
    built Acme's team."; "Her talk on X" → "I admire your talk on X."; anything else
    → "I admire your work on …"."""
    text = " ".join(why.split()).rstrip(".!")
    if not text:
        return ""
    first, _, rest = text.partition(" ")
    word = first.lower()
    if word in _THIRD_PERSON:
        return f"I admire your {rest}." if rest else "I admire your work."
    if word in _PAST or (word.endswith("ed") and len(word) > 3):
        return f"I admire how you {word}{' ' + rest if rest else ''}."
    if word in ("the", "a", "an"):  # a description of them: quoted as a note, in lower case
        return f"What I admire: {word} {rest}."
    lowered = text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text
    return f"I admire your work on {lowered}."


def sentence(text: str) -> str:
    """`text` as a sentence of a message: a full stop when it ends without one
    ("I'm a data analyst" → "I'm a data analyst."), so the next sentence does not
    run on from it."""
    text = " ".join(text.split())
    return text + "." if text and text[-1] not in ".!?…)\"'" else text


def brief_reminders(meeting: Meeting | None, settings: Settings) -> list[str]:
    """R7 and more, as they fit the meeting: dress up for meeting in person; on the
    phone or a video call, be there on time; R13 in every brief."""
    mode = meeting.mode if meeting is not None else "in_person"
    minutes = meeting.minutes if meeting is not None else settings.max_meeting_minutes
    first = {
        "in_person": ["Dress professionally", "be prompt: arrive 10 minutes early"],
        "video": ["Check your camera and sound", "be prompt: join on time"],
        "phone": ["Find a quiet place", "be prompt: call on time"],
    }[mode]
    reminders = [
        *first,
        f"keep to {minutes} minutes",
        "ask who else you should talk to",
        "you are there to learn, not to ask for a job",
        f"send a thank-you within {settings.thank_you_within_hours} hours",
    ]
    if meeting is not None and meeting.you_pay:
        reminders.insert(1, f"you pay the bill at the {meeting.venue}")
    return reminders


def check_nudge(sent: Sequence[Outreach], settings: Settings, name: str, handle: str) -> None:
    """R2 for a drafted nudge: only after a written message, and only if `max_nudges`
    allows one (by default the article's advice is to move on, not to nudge)."""
    if not sent:
        raise RuleBroken(
            f"There is no message to {name} to nudge about.",
            hint=f"Draft the first one: infoint draft {handle}",
        )
    if settings.max_nudges == 0:
        raise RuleBroken(
            "Nudges are off (max_nudges is 0): the article's advice is to move on.",
            hint="To allow one: infoint config max_nudges 1",
        )
    last = max(sent, key=lambda o: o.at)
    if last.channel == "phone":
        raise RuleBroken(
            f"Your last message to {name} was a phone call; a written nudge would be "
            "the first thing they read from you.",
            hint=f"Write a proper first message instead: infoint draft {handle}",
        )
