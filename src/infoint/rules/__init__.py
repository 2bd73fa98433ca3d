"""The etiquette: pure functions of (records, settings, now).

Each rule of `etiquette.md` is a named function in this package: where a contact
stands (standing.py), what a new record must meet before it is written (checks.py),
and which follow-ups are due (due.py). Nothing here reads a clock, a file or the
environment: `now` (or `as_of`) is always a parameter, so every rule can be pinned by
a table-driven test. `infoint.rules` names them all, as it always has.
"""

from __future__ import annotations

from infoint.agenda import (
    FollowUp,
    Who,
    due_at,
    plural,
)
from infoint.rules.checks import (
    check_active,
    check_minutes,
    check_outreach,
    check_schedulable,
    check_start,
    check_touch_spacing,
    overlapping,
    prep_complete,
    prep_gaps,
)
from infoint.rules.due import (
    GRACE,
    MODE_FLAGS,
    RECORD_OUTCOME_WITHIN,
    candidates,
    followups,
)
from infoint.rules.standing import (
    FOREVER,
    FROM_THEM,
    FROM_YOU,
    History,
    contact_status,
    histories,
    history_of,
    is_outreach,
    is_reply,
    last_contact,
    last_from_them,
    last_from_you,
    latest_answer,
    let_go,
    meeting_status,
    move_on_opens,
    pending_outreach,
)
from infoint.vocabulary import STATUSES, Status

__all__ = [
    "FOREVER",
    "FROM_THEM",
    "FROM_YOU",
    "GRACE",
    "MODE_FLAGS",
    "RECORD_OUTCOME_WITHIN",
    "STATUSES",
    "FollowUp",
    "History",
    "Status",
    "Who",
    "candidates",
    "check_active",
    "check_minutes",
    "check_outreach",
    "check_schedulable",
    "check_start",
    "check_touch_spacing",
    "contact_status",
    "due_at",
    "followups",
    "histories",
    "history_of",
    "is_outreach",
    "is_reply",
    "last_contact",
    "last_from_them",
    "last_from_you",
    "latest_answer",
    "let_go",
    "meeting_status",
    "move_on_opens",
    "overlapping",
    "pending_outreach",
    "plural",
    "prep_complete",
    "prep_gaps",
]
