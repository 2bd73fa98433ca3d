"""The words infoint uses, defined once: how people meet, where, how you write to
them, what they answer, where they stand, what is due, and the settings' keys.

Each word list is a `Literal` (for the models, the rules and Typer, which check a
value against it) and the tuple of its words (for the light front door in entry.py,
which parses argv without Typer or pydantic, and for listings that sort by it).
It imports no other module of infoint's, nor anything slow to import: both front
doors load it (import-linter holds it to that).
"""

from __future__ import annotations

from typing import Literal, get_args

#: How you meet (R4: at their convenience): `schedule --phone`, `--video`, `--at PLACE`.
Mode = Literal["in_person", "phone", "video"]
MODES: tuple[Mode, ...] = get_args(Mode)

#: What kind of place an in-person meeting is at (`--venue`).
Venue = Literal["cafe", "restaurant", "bar", "office", "other"]
VENUES: tuple[Venue, ...] = get_args(Venue)
#: Venues where the article says you pay the bill (R8).
PAYING_VENUES: frozenset[Venue] = frozenset({"cafe", "restaurant", "bar"})

#: How an outreach went out (`outreach --channel`).
Channel = Literal["email", "linkedin", "phone", "other"]
CHANNELS: tuple[Channel, ...] = get_args(Channel)

#: Their answer to an outreach (`reply --agreed/--declined/--referred`).
Answer = Literal["agreed", "declined", "referred"]
ANSWERS: tuple[Answer, ...] = get_args(Answer)

#: A meeting's state as recorded.
MeetingStatus = Literal["planned", "done", "cancelled"]
MEETING_STATUSES: tuple[MeetingStatus, ...] = get_args(MeetingStatus)

#: The messages the store records, by their `kind`.
EventKind = Literal["outreach", "reply", "heard", "thank", "touch"]
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)

#: Where someone stands with you, in the order listings sort by (`contacts --status`).
Status = Literal[
    "prospect",
    "contacted",
    "agreed",
    "declined",
    "referred",
    "moved_on",
    "scheduled",
    "met",
    "mentor",
    "archived",
]
STATUSES: tuple[Status, ...] = get_args(Status)

#: What `followups` can ask of you.
FollowUpKind = Literal[
    "respond", "nudge", "move_on", "prep", "record_outcome", "thank_you", "keep_in_touch"
]
FOLLOW_UP_KINDS: tuple[FollowUpKind, ...] = get_args(FollowUpKind)

#: The orders of a listing (`contacts --sort`).
Sort = Literal["id", "name", "status", "company", "last-touch"]
SORTS: tuple[Sort, ...] = get_args(Sort)

#: The messages `draft` writes from a template.
DraftKind = Literal["outreach", "nudge", "thank-you", "keep-in-touch"]
DRAFT_KINDS: tuple[DraftKind, ...] = get_args(DraftKind)

#: What a question in the bank is for (`questions --goal`, `prep --pick`).
QuestionGoal = Literal["career-switch", "skills", "industry", "company", "mentor"]
QUESTION_GOALS: tuple[QuestionGoal, ...] = get_args(QuestionGoal)

#: How `mail scan` talks to the IMAP server (`mail.tls`).
Tls = Literal["ssl", "starttls", "none"]

#: The settings kept in a table of their own in config.toml: me.name, mail.host, …
SECTIONS = ("me", "mail")
#: Every setting `infoint config` reads and changes, in the order it lists them
#: (models.Settings holds their types, bounds and defaults; the tests hold the two
#: to the same keys).
SETTING_KEYS = (
    "reply_wait_days",
    "max_nudges",
    "nudge_after_days",
    "respond_within_hours",
    "max_meeting_minutes",
    "prep_window_hours",
    "min_questions",
    "alarm_minutes",
    "thank_you_within_hours",
    "keep_in_touch_days",
    "min_days_between_touches",
    "keep_backups",
    "draft_word_budget",
    "far_date_days",
    "mail.host",
    "mail.port",
    "mail.user",
    "mail.tls",
    "mail.sent_folder",
    "mail.inbox_folder",
    "mail.password_command",
    "me.name",
    "me.intro",
    "me.signature",
)
