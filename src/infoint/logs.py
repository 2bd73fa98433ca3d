"""Every machine's change log, read together.

Each machine appends only to its own log, `journal.<device>.jsonl` (the device id is
kept outside the data folder, see files.device_id), so a sync service never sees one
file changed on two machines. A line is named by its machine and its sequence number
on that machine, and stamped with a hybrid logical clock (`hlc`): the wall clock in
microseconds, but always above every stamp the machine had seen when it wrote the
line, so a change made after seeing another is ordered after it whatever the clocks
say.

The state is the snapshot (`store.json`, which records how far it folded each
machine's log in `folded`) plus every line it has not folded, from every log, in
stamp order. A line holds each record before and after; applied where the record
is as the line saw it, it simply sets it. Where another machine changed it
meanwhile, the rules are those of merging.py, on plain JSON:
- fields the line changed are set, the others kept: both machines' edits to
  different fields stay; a field both changed keeps the later one, with a note;
- a removal of a record another machine changed (or wrote to, or met) keeps it,
  with a note; a change to a record another machine removed brings it back;
- a new record whose short id or handle another machine took first gets the next
  free one, with a note ("contact 41 from 1a2b3c4d is now 57").
Every machine reading the same lines reaches the same records and the same notes.

Nothing here imports pydantic.
"""

from __future__ import annotations

import json
from typing import Any

from infoint import journal
from infoint.logs_files import (
    _COUNTER,
    _QUIET,
    KEEP,
    SHARED,
    Line,
    archive_intact,
    covered,
    device_of,
    everything,
    folded_of,
    host,
    last_seq,
    next_stamp,
    pending,
    stamp,
    trim,
)

__all__ = [
    "KEEP",
    "SHARED",
    "Line",
    "Replay",
    "archive_intact",
    "covered",
    "device_of",
    "everything",
    "folded_of",
    "host",
    "last_seq",
    "next_stamp",
    "pending",
    "replayable",
    "stamp",
    "trim",
]

#: The key of the one shared log of the older layout (`journal.jsonl`) in `folded`.

# applying lines ----------------------------------------------------------------------


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


class Replay:
    """Applies lines to a document's raw JSON (see the module's docstring)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.kinds = {kind: _Records(data, kind) for kind in journal.RECORD_TYPES}
        self.gone: dict[str, tuple[str, dict[str, Any]]] = {}
        self.notes: list[str] = []
        self.folded: dict[str, int] = dict(data.get("folded") or {})
        self.next_id: dict[str, int] = dict(data.get("next_id") or {})

    def lines(self, lines: list[Line]) -> None:
        for device, entry in lines:
            self.line(device, entry)

    def line(self, device: str, entry: dict[str, Any]) -> None:
        # a contact goes last, after the meetings and messages removed with it
        who = str(entry.get("host") or device)  # how the notes name the machine
        for change in sorted(
            entry["changes"], key=lambda c: c["type"] == "contacts" and c["after"] is None
        ):
            self._change(who, change)
        for counter, value in (entry.get("next_id") or {}).items():
            if isinstance(value, int):
                self.next_id[counter] = max(self.next_id.get(counter, 1), value)
        self.folded[device] = max(self.folded.get(device, 0), int(entry["seq"]))
        self.data["hlc"] = max(int(self.data.get("hlc") or 0), stamp(entry))
        self.data["seq"] = int(self.data.get("seq") or 0) + 1

    def finish(self) -> dict[str, Any]:
        for kind, records in self.kinds.items():
            self.data[kind] = records.done()
            counter = _COUNTER[kind]
            self.next_id[counter] = max(self.next_id.get(counter, 1), records.top + 1)
        self.data["next_id"] = self.next_id
        self.data["folded"] = self.folded
        return self.data

    def _change(self, device: str, change: dict[str, Any]) -> None:
        kind, uuid = change["type"], str(change["uuid"])
        records = self.kinds[kind]
        before, after = change["before"], change["after"]
        current = records.get(uuid)
        if current == before or (current is None and before is None):
            if after is None:
                self._remove(kind, uuid, current)
            else:
                self._place(device, kind, after)
            return
        if after is None:  # removed there, changed here meanwhile (or gone already)
            if current is not None:
                self.notes.append(
                    f"{_label(kind, current)} was removed on one machine and changed on "
                    "another; it was kept."
                )
            return
        if current is None:  # changed there, removed here: it comes back
            was = self.gone.get(uuid)
            merged = self._merged(kind, was[1], before, after) if was else dict(after)
            if was is not None:
                self.notes.append(
                    f"{_label(kind, merged)} was removed on one machine and changed on "
                    "another; it was kept."
                )
            self._place(device, kind, merged)
            return
        self._place(device, kind, self._merged(kind, current, before or {}, after))

    def _merged(
        self, kind: str, current: dict[str, Any], before: dict[str, Any], after: dict[str, Any]
    ) -> dict[str, Any]:
        merged = dict(current)
        for key in {*before, *after}:
            if after.get(key) == before.get(key) or key in ("uuid", "id"):
                continue
            if key == "handle" and current.get(key) != before.get(key):
                continue  # renamed on both: the first rename holds
            mine = current.get(key)
            if key not in _QUIET and mine != before.get(key) and mine != after.get(key):
                self.notes.append(
                    f"{_label(kind, current)}: {key.replace('_', ' ')} changed on both "
                    f"machines; kept {_shown(after.get(key))} (the later), not {_shown(mine)}."
                )
            if key in after:
                merged[key] = after[key]
            else:
                merged.pop(key, None)
        return merged

    def _place(self, device: str, kind: str, record: dict[str, Any]) -> None:
        records = self.kinds[kind]
        uuid = str(record["uuid"])
        if kind != "contacts" and self.kinds["contacts"].get(str(record.get("contact"))) is None:
            back = self.gone.get(str(record.get("contact")))
            if back is None:
                self.notes.append(
                    f"{_label(kind, record)} from {device} was left out: its contact was removed."
                )
                return
            self.notes.append(
                f"{_label('contacts', back[1])} was removed on one machine, but another "
                "machine wrote to or met them since; they were kept."
            )
            self._place(device, "contacts", back[1])
        owner = records.ids.get(record.get("id"))
        if owner is not None and owner != uuid:
            counter = _COUNTER[kind]
            fresh = max(self.next_id.get(counter, 1), records.top + 1)
            self.notes.append(
                f"{kind[:-1].replace('event', 'message')} {record.get('id')} from {device} "
                f"is now {fresh} (the number was taken)."
            )
            record = {**record, "id": fresh}
            self.next_id[counter] = fresh + 1
        if kind == "contacts":
            holder = records.handles.get(record.get("handle"))
            if holder is not None and holder != uuid:
                base, n = str(record.get("handle")), 2
                while f"{base}-{n}" in records.handles:
                    n += 1
                self.notes.append(
                    f"the handle {base} from {device} is now {base}-{n} (it was taken)."
                )
                record = {**record, "handle": f"{base}-{n}"}
        self.gone.pop(uuid, None)
        records.put(record)

    def _remove(self, kind: str, uuid: str, current: dict[str, Any] | None) -> None:
        if current is None:
            return
        if kind == "contacts":
            uses = [
                r
                for other in ("meetings", "events")
                for r in self.kinds[other].items
                if r is not None and r.get("contact") == uuid
            ]
            if uses:
                self.notes.append(
                    f"{_label(kind, current)} was removed on one machine, but another machine "
                    "wrote to or met them since; they were kept."
                )
                return
        self.gone[uuid] = (kind, current)
        self.kinds[kind].drop(uuid)
