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
        if device is not None and entry.get("device", device) != device:
            continue
        if "undoes" in entry:
            undone.add(entry["undoes"])
            continue
        if entry["seq"] not in undone:
            found: dict[str, Any] = entry
            return found
    return None


def undone_by(entries: list[dict[str, Any]]) -> dict[tuple[str | None, int], int]:
    """(machine, seq) of an undone entry -> seq of the undo (a machine undoes only
    its own changes)."""
    return {(e.get("device"), e["undoes"]): e["seq"] for e in entries if "undoes" in e}


def reverse(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The changes that put every record back as it was before `entry`."""
    return [
        {"type": c["type"], "uuid": c["uuid"], "before": c["after"], "after": c["before"]}
        for c in reversed(entry["changes"])
    ]


#: Each stored field in the words a user knows it by (never "let_go_at").
FIELD_WORDS = {
    "name": "name", "handle": "handle", "email": "e-mail", "phone": "phone",
    "company": "company", "role": "role", "industry": "industry", "location": "location",
    "linkedin": "LinkedIn profile", "source": "source", "referred_by": "referrer",
    "why": "why them", "tags": "tag", "prefers": "preferred mode", "notes": "notes",
    "research": "research", "questions": "question", "archived": "archived",
    "connected_on": "connected on", "batch": "import batch", "let_go_at": "let go",
    "start": "start", "minutes": "length", "mode": "mode", "place": "place",
    "venue": "venue", "status": "status", "held": "held", "advice": "advice",
    "keep_in_touch": "keep in touch", "paid": "bill", "answered": "question answered",
    "done_at": "done at", "cancelled_at": "cancelled at", "cancel_reason": "reason",
    "at": "date", "who_i_am": "who you are", "why_you": "why them", "goal": "goal",
    "subject": "subject", "channel": "channel", "forced": "forced", "note": "note",
    "answer": "answer", "referred_to": "referred to",
}  # fmt: skip
#: Bookkeeping every change touches: not worth a word.
_QUIET = {"uuid", "id", "contact", "kind", "created_at", "updated_at", "revision"}
_VALUE_WORDS = {"in_person": "in person", "thank_you": "thank-you", "moved_on": "moved on"}
#: Long texts are named by their start.
_CLIP = 40


def _value(value: Any) -> str:
    """A stored value as a user would say it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, str):
        if len(value) >= 19 and value[4:5] == "-" and value[10:11] == "T":
            try:
                return short(datetime.fromisoformat(value))
            except ValueError:
                pass
        value = _VALUE_WORDS.get(value, value)
        text = " ".join(value.split())
        return f'"{text[: _CLIP - 1]}…"' if len(text) > _CLIP else text
    return str(value)


def field_changes(
    before: dict[str, Any],
    after: dict[str, Any],
    undoing: bool = False,
    names: dict[str, str] | None = None,
) -> str:
    """What changed between two states of a record, in user words: "place to Joe's,
    mode to phone, add advice Learn SQL"; `undoing` says it of taking a change back
    ("place back to Blue Bottle, mode back to in person"). `names`: a contact's name
    by UUID, for a field that points at someone (referred by)."""
    to = "back to" if undoing else "to"
    names = names or {}
    parts: list[str] = []
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        if key in _QUIET or old == new:
            continue
        word = FIELD_WORDS.get(key, key.replace("_", " "))
        if isinstance(old, list) or isinstance(new, list):
            gone = [v for v in old or [] if v not in (new or [])]
            came = [v for v in new or [] if v not in (old or [])]
            parts += [f"add {word} {_value(v)}" for v in came]
            parts += [f"remove {word} {_value(v)}" for v in gone]
        elif key == "let_go_at":
            parts.append("let go (not-now)" if new else "no longer let go")
        elif key == "archived":
            parts.append("archived" if new else "restored")
        elif new is None or new == "":
            parts.append(f"{word} {'back to empty' if undoing else 'cleared'}")
        elif isinstance(new, str) and key in ("referred_by", "referred_to"):
            parts.append(f"{word} {to} {names.get(new, 'someone')}")
        else:
            parts.append(f"{word} {to} {_value(new)}")
    return ", ".join(parts)


def describe(
    changes: list[dict[str, Any]],
    names: dict[str, str],
    undoing: bool = False,
    numbers: dict[str, int] | None = None,
) -> str:
    """A change in plain words: "add contact Jane Doe; record your message to Jane Doe";
    `undoing`: the words of taking it back ("place back to Blue Bottle"); `numbers`:
    each meeting's number now, by uuid (a merge may have given it anew)."""
    known = dict(names)
    if numbers:
        changes = [_renumbered(c, numbers) for c in changes]
    for change in changes:
        state = change["after"] or change["before"] or {}
        if change["type"] == "contacts" and state.get("name"):
            known.setdefault(change["uuid"], state["name"])
    parts = list(
        dict.fromkeys(p for p in (_one(change, known, undoing) for change in changes) if p)
    )
    if len(parts) > SHOWN:  # a whole import: name a few, count the rest
        rest = len(parts) - SHOWN
        return "; ".join(parts[:SHOWN]) + f"; and {rest:,} more change{'s' if rest != 1 else ''}"
    return "; ".join(parts)


def _renumbered(change: dict[str, Any], numbers: dict[str, int]) -> dict[str, Any]:
    now = numbers.get(change["uuid"])
    if now is None or change["type"] != "meetings":
        return change
    return {
        **change,
        **{k: {**change[k], "id": now} for k in ("before", "after") if change[k] is not None},
    }


def _one(change: dict[str, Any], names: dict[str, str], undoing: bool = False) -> str:
    before, after = change["before"], change["after"]
    state = after or before or {}
    kind = change["type"]
    details = field_changes(before, after, undoing, names) if before and after else ""
    if kind == "contacts":
        name = state.get("name", "a contact")
        if before is None:
            return f"add contact {name}"
        if after is None:
            return f"remove contact {name}"
        return f"change {name}: {details}" if details else ""
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
            moved = f"move meeting {state.get('id')} with {who} to {when}"
            rest = field_changes(
                {k: v for k, v in before.items() if k not in ("start", "minutes", "held")},
                {k: v for k, v in after.items() if k not in ("start", "minutes", "held")},
                undoing,
                names,
            )
            return f"{moved}: {rest}" if rest else moved
        return f"change {label}: {details}" if details else f"change {label}"
    words = _EVENT_WORDS.get(state.get("kind", ""), ("record for", "the record for"))
    when = _when(state.get("at"))
    if before is None:
        return f"record {words[0]} {who} ({when})"
    if after is None:
        return f"remove {words[1]} {who} ({when})"
    changed = f"change {words[1]} {who} ({when})"
    return f"{changed}: {details}" if details else changed


def _when(text: str | None) -> str:
    if not text:
        return "?"
    return short(datetime.fromisoformat(text))
