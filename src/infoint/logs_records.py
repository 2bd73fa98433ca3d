"""The records a replay works on (see `infoint.logs`): one kind of record found by
uuid, id and handle, and how notes name and compare them. Nothing here imports
pydantic."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from infoint import journal


class _Records:
    """One kind of record of a document, found by uuid, id and handle."""

    def __init__(self, data: dict[str, Any], kind: str) -> None:
        self.kind = kind
        self.items: list[dict[str, Any] | None] = data.setdefault(kind, [])
        self.at = {str(r.get("uuid")): i for i, r in enumerate(self.items) if r}
        self.ids = {r.get("id"): str(r.get("uuid")) for r in self.items if r}
        self.handles = (
            {r.get("handle"): str(r.get("uuid")) for r in self.items if r}
            if kind == "contacts"
            else {}
        )
        self.top = max((r.get("id", 0) for r in self.items if r), default=0)
        self.unordered = False

    def get(self, uuid: str) -> dict[str, Any] | None:
        at = self.at.get(uuid)
        return self.items[at] if at is not None else None

    def put(self, record: dict[str, Any]) -> None:
        uuid = str(record["uuid"])
        old = self.get(uuid)
        if old is not None:
            self._forget(old)
            self.items[self.at[uuid]] = record
        else:
            self.at[uuid] = len(self.items)
            self.items.append(record)
            if record.get("id", 0) < self.top:
                self.unordered = True
        self.ids[record.get("id")] = uuid
        if self.kind == "contacts":
            self.handles[record.get("handle")] = uuid
        self.top = max(self.top, record.get("id", 0))

    def drop(self, uuid: str) -> None:
        at = self.at.pop(uuid, None)
        if at is not None:
            old = self.items[at]
            if old is not None:
                self._forget(old)
            self.items[at] = None

    def _forget(self, record: dict[str, Any]) -> None:
        uuid = str(record.get("uuid"))
        if self.ids.get(record.get("id")) == uuid:
            del self.ids[record.get("id")]
        if self.kind == "contacts" and self.handles.get(record.get("handle")) == uuid:
            del self.handles[record.get("handle")]

    def done(self) -> list[dict[str, Any]]:
        kept = [r for r in self.items if r is not None]
        if self.unordered:
            kept.sort(key=lambda r: r.get("id", 0))
        return kept


def _label(kind: str, record: dict[str, Any]) -> str:
    if kind == "contacts":
        return f"{record.get('name')} (contact {record.get('id')})"
    return f"{'meeting' if kind == 'meetings' else 'message'} {record.get('id')}"


def _shown(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "nothing"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"“{text if len(text) <= 40 else text[:39] + '…'}”"


def replayable(data: dict[str, Any]) -> bool:
    """Records that lines can be applied to (a damaged snapshot is left to validation,
    which names what is wrong)."""
    return all(
        isinstance(data.get(kind, []), list)
        and all(isinstance(r, dict) for r in data.get(kind, []))
        for kind in journal.RECORD_TYPES
    ) and isinstance(data.get("next_id", {}), dict)


def _same(current: dict[str, Any], before: dict[str, Any]) -> bool:
    """The record is as a line saw it (a number or handle the merge gave anew aside)."""
    skip = ("id", "handle")
    return {k: v for k, v in current.items() if k not in skip} == {
        k: v for k, v in before.items() if k not in skip
    }


def _made(record: dict[str, Any]) -> tuple[datetime, str]:
    """When a record was made, to tell which of two was first (then by uuid)."""
    try:
        made = datetime.fromisoformat(str(record.get("created_at")))
        if made.tzinfo is None:
            made = made.replace(tzinfo=UTC)
    except ValueError:
        made = datetime.min.replace(tzinfo=UTC)
    return made, str(record.get("uuid"))


def _lists(*values: Any) -> bool:
    return all(isinstance(v, list) for v in values)


def _list_merge(mine: Any, before: Any, after: Any) -> list[Any]:
    """`mine` with what a line added to a list and without what it took out (all
    three are lists: see `_lists`)."""

    def key(item: Any) -> str:
        return json.dumps(item, sort_keys=True)

    was, now = {key(i) for i in before}, {key(i) for i in after}
    out = [i for i in mine if key(i) in now or key(i) not in was]
    have = {key(i) for i in out}
    out += [i for i in after if key(i) not in was and key(i) not in have]
    return out


def _who(record: dict[str, Any]) -> str:
    """(Jane Doe)" for a contact in a note, nothing for a meeting or message."""
    return f" ({record['name']})" if "handle" in record and record.get("name") else ""


def _held_and_cancelled(
    current: dict[str, Any] | None, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> bool:
    """A line that cancels (or marks done) a planned meeting the other machine marked
    done (or cancelled): the meeting that happened stays done."""
    if current is None or before is None or after is None or before.get("status") != "planned":
        return False
    here, there = current.get("status"), after.get("status")
    return {here, there} == {"done", "cancelled"} and here == "done"


def made_apart(
    kinds: dict[str, _Records],
    origin: dict[str, str],
    device: str,
    kind: str,
    record: dict[str, Any],
) -> str | None:
    """Two machines each planned a meeting with one person, or each recorded a
    different answer to one outreach (`origin`: which machine's line placed each
    record in this replay): both stand, and a note points it out."""
    if kind == "contacts" or not device:
        return None
    alike = [
        r
        for r in kinds[kind].items
        if r is not None
        and r.get("uuid") != record.get("uuid")
        and r.get("contact") == record.get("contact")
        and origin.get(str(r.get("uuid")), device) != device
    ]
    name = (kinds["contacts"].get(str(record.get("contact"))) or {}).get("name", "someone")
    if kind == "meetings" and record.get("status") == "planned":
        ids = [r.get("id") for r in alike if r.get("status") == "planned"]
        if ids:
            return (
                f"{name} has two planned meetings now ({ids[0]} and {record.get('id')}), "
                "one made on each machine: cancel the one not wanted (infoint cancel N)."
            )
    if kind == "events" and record.get("kind") == "reply":
        answers = {str(r.get("answer")) for r in alike if r.get("kind") == "reply"}
        answers.discard(str(record.get("answer")))
        if answers:
            return (
                f"{name}: a reply was recorded on each machine ({sorted(answers)[0]} and "
                f"{record.get('answer')}); the later one counts."
            )
    return None


def meeting_settled(
    before: dict[str, Any], current: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], str | None]:
    """What a meeting that happened keeps when the other machine, not knowing, moved
    or cancelled it: it stays done, at the time it took place. Returns the fields to
    set over the field-by-field merge, and the note's words."""
    statuses = before.get("status"), current.get("status"), after.get("status")
    if statuses == ("planned", "cancelled", "done"):
        return (
            {"cancelled_at": None, "cancel_reason": None},
            "was marked done on one machine and cancelled on another; it stays done.",
        )
    moved = ("start", "minutes")
    if statuses == ("planned", "planned", "done") and any(
        current.get(k) != before.get(k) for k in moved
    ):  # done where it was planned; moved meanwhile on the other machine
        return (
            {k: after.get(k) for k in moved},
            "was moved on one machine and marked done on another; it stays done, "
            "when it took place.",
        )
    if statuses == ("planned", "done", "planned") and any(
        after.get(k) != before.get(k) for k in moved
    ):  # the other machine moved a meeting that had taken place
        return (
            {k: current.get(k) for k in moved},
            "was marked done on one machine and moved on another; it stays done, "
            "when it took place.",
        )
    return {}, None


def fitted(
    replay: Any,
    kind: str,
    merged: dict[str, Any],
    after: dict[str, Any],
    current: dict[str, Any],
    latest: int = 0,
) -> dict[str, Any]:
    """The field-by-field merge of a line (`merged`) if the record's model takes it
    (`replay.check`): each machine's change is valid, together they may not be (a
    call at a restaurant). Else the later version whole, said: the line's `after`,
    unless a line later than it (`latest`, its stamp) set a field of `current`."""
    problem = None if replay.check is None or merged == after else replay.check(kind, merged)
    if problem is None:
        return merged
    later = replay.stamp >= latest
    kept = after if later else current
    if later:
        stamps = replay.stamps.setdefault(str(after["uuid"]), {})
        stamps.update({k: replay.stamp for k in {*after, *merged} if after.get(k) != merged.get(k)})
    replay._note(
        f"{_label(kind, kept)} was changed on two machines in ways that do not fit "
        f"together ({problem}); the later change was kept whole."
    )
    return kept
