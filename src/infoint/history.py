"""What changed, in plain words, and how to take it back.

Every command that changed something left one entry in the change log (see
journal.py) with each record before and after. `history` lists them; `undo`
writes the reverse of the latest one not yet undone as a new entry, so an undo is
itself recorded (and a second undo goes one step further back).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from infoint.dates import short

#: How many changes `describe` names before it counts the rest.
SHOWN = 5
_EVENT_WORDS = {
    "outreach": ("message to", "your message to"),
    "reply": ("reply from", "the reply from"),
    "heard": ("message from", "the message from"),
    "thank": ("thank-you to", "the thank-you to"),
    "touch": ("keep-in-touch message to", "the keep-in-touch message to"),
}


def undoable(entries: list[dict[str, Any]], device: str | None = None) -> dict[str, Any] | None:
    """The newest entry that is not an undo and has not been undone, among those
    this machine (`device`) wrote: another machine's changes, brought in by a sync
    service, are that machine's to take back."""
    undone: set[int] = set()
    for entry in reversed(entries):
        if "undoes" in entry:
            undone.add(entry["undoes"])
            continue
        if device is not None and entry.get("device", device) != device:
            continue
        if entry["seq"] not in undone:
            found: dict[str, Any] = entry
            return found
    return None


def undone_by(entries: list[dict[str, Any]]) -> dict[int, int]:
    """seq of an undone entry -> seq of the undo."""
    return {e["undoes"]: e["seq"] for e in entries if "undoes" in e}


def reverse(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The changes that put every record back as it was before `entry`."""
    return [
        {"type": c["type"], "uuid": c["uuid"], "before": c["after"], "after": c["before"]}
        for c in reversed(entry["changes"])
    ]


def describe(changes: list[dict[str, Any]], names: dict[str, str]) -> str:
    """A change in plain words: "add contact Jane Doe; record your message to Jane Doe"."""
    known = dict(names)
    for change in changes:
        state = change["after"] or change["before"] or {}
        if change["type"] == "contacts" and state.get("name"):
            known.setdefault(change["uuid"], state["name"])
    parts = list(dict.fromkeys(p for p in (_one(change, known) for change in changes) if p))
    if len(parts) > SHOWN:  # a whole import: name a few, count the rest
        rest = len(parts) - SHOWN
        return "; ".join(parts[:SHOWN]) + f"; and {rest:,} more change{'s' if rest != 1 else ''}"
    return "; ".join(parts)


def _one(change: dict[str, Any], names: dict[str, str]) -> str:
    before, after = change["before"], change["after"]
    state = after or before or {}
    kind = change["type"]
    if kind == "contacts":
        name = state.get("name", "a contact")
        if before is None:
            return f"add contact {name}"
        if after is None:
            return f"remove contact {name}"
        fields = sorted(
            k for k in after if k not in ("updated_at",) and after.get(k) != before.get(k)
        )
        return f"change {', '.join(fields) or 'nothing'} of {name}" if fields else ""
    who = names.get(state.get("contact", ""), "someone")
    if kind == "meetings":
        when = _when(state.get("start"))
        label = f"meeting {state.get('id')} with {who}, {when}"
        if before is None:
            return f"schedule {label}"
        if after is None:
            return f"remove {label}"
        if before.get("status") != after.get("status"):
            verb = {"done": "mark done", "cancelled": "cancel", "planned": "reopen"}
            return f"{verb.get(after.get('status', ''), 'change')} {label}"
        if before.get("start") != after.get("start") or before.get("minutes") != after.get(
            "minutes"
        ):
            return f"move meeting {state.get('id')} with {who} to {when}"
        return f"change {label}"
    words = _EVENT_WORDS.get(state.get("kind", ""), ("record for", "the record for"))
    when = _when(state.get("at"))
    if before is None:
        return f"record {words[0]} {who} ({when})"
    if after is None:
        return f"remove {words[1]} {who} ({when})"
    return f"change {words[1]} {who} ({when})"


def _when(text: str | None) -> str:
    if not text:
        return "?"
    return short(datetime.fromisoformat(text))
