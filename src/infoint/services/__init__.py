"""Use cases: one function per command, one store transaction each.

A service parses nothing from the command line and prints nothing: it takes typed
values, applies the rules, changes the document inside `Store.transaction()` and
returns what the renderer needs (plus any warnings for stderr).

The services are split by area, one module each; `Tracker` puts them together and
is the one object the command line, the actions and the tests use:

- `base`: the core (paths, store, clock, settings, the transaction) and shared helpers
- `contacts`: add, edit, remove, archive, not-now; contacts, show, count
- `messages`: outreach, reply, heard, thank, touch
- `meetings`: meetings, schedule, meeting edit, reschedule, cancel, done, prep
- `writing`: drafts, recording a draft as sent, questions from the bank
- `data`: history, undo, doctor, restore, merge, imports and exports
- `progress`: followups, agenda, stats, insights
- `settings`: config
"""

from __future__ import annotations

from infoint.services.base import (
    Booked,
    Conflict,
    HistoryEntry,
    MergeCounts,
    Replied,
    Result,
    Sent,
    TrackerCore,
    find_contact,
    find_meeting,
)
from infoint.services.contacts import ContactServices
from infoint.services.data import DataServices
from infoint.services.progress import ProgressServices
from infoint.services.settings import SettingServices
from infoint.services.writing import WritingServices
from infoint.vocabulary import SECTIONS, SETTING_KEYS

__all__ = [
    "SECTIONS",
    "SETTING_KEYS",
    "Booked",
    "Conflict",
    "HistoryEntry",
    "MergeCounts",
    "Replied",
    "Result",
    "Sent",
    "Tracker",
    "find_contact",
    "find_meeting",
]


class Tracker(
    ContactServices, WritingServices, DataServices, ProgressServices, SettingServices, TrackerCore
):
    """The application: a store, the settings and a clock, with every service."""
