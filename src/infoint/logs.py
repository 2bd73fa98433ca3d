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
stamp order (a line from a log the snapshot has not folded, or from the history
folder when another machine's fold was not the snapshot the sync service kept). A
line holds each record before and after; it sets the fields it changed. The rules,
the same whatever order lines arrive in:
- a field takes the value of the latest line that set it: the snapshot keeps, per
  record and field changed by a line, the stamp of that line (`stamps`), so a line
  that comes late (another machine's, written before) changes only the fields no
  later line set. Both machines' edits to different fields stay; for a field both
  changed, a note names the value that gave way;
- a removal of a record another machine changed since the remover saw it (or wrote
  to, or met) keeps it, with a note; a change to a record removed elsewhere brings
  it back; a contact removed before the snapshot comes back (as the logs kept last
  show it) for another machine's message or meeting; a removal held back that way
  stands once that message or meeting is undone;
- two records made on two machines with one short id (or handle): the one made
  later takes the next free one, with a note ("contact 41 from desktop is now 57");
  of two renames to one handle, the later yields.
Every machine reading the same lines reaches the same records and the same notes;
each note is known by the line that led to it (notices.py says it once).

A log is written only by its own machine: another machine's log is read up to a
line damaged in this copy (the sync service brings it whole again) and never
folded past or deleted here.

Nothing here imports pydantic.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
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
    last_body,
    last_seq,
    next_stamp,
    pending,
    stamp,
    trim,
)
from infoint.logs_records import (
    _held_and_cancelled,
    _label,
    _list_merge,
    _lists,
    _made,
    _Records,
    _same,
    _shown,
    _who,
    fitted,
    made_apart,
    meeting_settled,
    replayable,
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
    "last_body",
    "last_seq",
    "next_stamp",
    "pending",
    "replayable",
    "stamp",
    "trim",
]

#: The key of the one shared log of the older layout (`journal.jsonl`) in `folded`.

# applying lines ----------------------------------------------------------------------


class Replay:
    """Applies lines to a document's raw JSON (see the module's docstring). `lookup`
    finds how a record removed before this replay last looked (in the logs kept), to
    bring a contact back that another machine wrote to meanwhile; `check`, what a
    record's model says against a merge of two machines' changes (see `fitted`)."""

    check: Callable[[str, dict[str, Any]], str | None] | None = None

    def __init__(
        self,
        data: dict[str, Any],
        lookup: Callable[[str], tuple[str, dict[str, Any]] | None] | None = None,
    ) -> None:
        self.data = data
        self.kinds = {kind: _Records(data, kind) for kind in journal.RECORD_TYPES}
        self.gone: dict[str, tuple[str, dict[str, Any]]] = {}
        self.notes: list[tuple[str, str]] = []
        self.folded: dict[str, int] = dict(data.get("folded") or {})
        self.next_id: dict[str, int] = dict(data.get("next_id") or {})
        stamps = data.get("stamps") if isinstance(data.get("stamps"), dict) else {}
        self.stamps: dict[str, dict[str, int]] = {k: dict(v) for k, v in (stamps or {}).items()}
        self.lookup = lookup
        self.stamp = 0
        self.device = ""
        #: which machine's line placed a record, in this replay
        self.origin: dict[str, str] = {}
        #: contacts a removal passed over because another machine's message or meeting
        #: still needed them, as the removal saw them: removed once nothing does
        self.held: dict[str, dict[str, Any]] = {}

    def lines(self, lines: list[Line]) -> None:
        # a number given anew is above every number any of these lines uses, so it
        # never takes one a machine gave and moves that one in turn
        for _, entry in lines:
            for change in entry["changes"]:
                made = change["after"] or {}
                if isinstance(made.get("id"), int):
                    counter = _COUNTER[change["type"]]
                    self.next_id[counter] = max(self.next_id.get(counter, 1), made["id"] + 1)
        for device, entry in lines:
            self.line(device, entry)

    def line(self, device: str, entry: dict[str, Any]) -> None:
        self.stamp = stamp(entry)
        self.device = device
        who = str(entry.get("host") or device)  # how the notes name the machine
        # a contact goes last, after the meetings and messages removed with it
        for change in sorted(
            entry["changes"], key=lambda c: c["type"] == "contacts" and c["after"] is None
        ):
            self._change(who, change)
        for counter, value in (entry.get("next_id") or {}).items():
            if isinstance(value, int):
                self.next_id[counter] = max(self.next_id.get(counter, 1), value)
        self.folded[device] = max(self.folded.get(device, 0), int(entry["seq"]))
        if device == SHARED:  # which line of the older layout's shared log came last
            self.data["shared_tip"] = zlib.crc32(journal.encode(entry))
        self.data["hlc"] = max(int(self.data.get("hlc") or 0), self.stamp)
        self.data["seq"] = int(self.data.get("seq") or 0) + 1

    def finish(self) -> dict[str, Any]:
        for kind, records in self.kinds.items():
            self.data[kind] = records.done()
            counter = _COUNTER[kind]
            self.next_id[counter] = max(self.next_id.get(counter, 1), records.top + 1)
        self.data["next_id"] = self.next_id
        self.data["folded"] = self.folded
        self.data["stamps"] = {k: v for k, v in self.stamps.items() if v}
        return self.data

    def _note(self, text: str) -> None:
        """A note, known by the line that led to it: the same words from a later
        line are another note."""
        self.notes.append((f"{self.stamp}:{text}", text))

    def _change(self, who: str, change: dict[str, Any]) -> None:
        kind, uuid = change["type"], str(change["uuid"])
        before, after = change["before"], change["after"]
        current = self.kinds[kind].get(uuid)
        if kind == "meetings" and _held_and_cancelled(current, before, after):
            # a meeting one machine marked done and the other cancelled: it happened
            self._note(f"{_label(kind, current or {})} was marked done on one machine and "
                       "cancelled on another; it stays done.")  # fmt: skip
            return
        if kind == "events" and before is None and self._recorded_twice(after):
            return
        if after is None:  # a removal
            if current is None:
                return
            if before is not None and not _same(current, before):
                self._note(
                    f"{_label(kind, current)} was removed on one machine and changed on "
                    "another; it was kept."
                )
                return
            self._remove(kind, uuid, current)
            return
        if current is None:
            if before is None:  # new
                self._place(who, kind, after)
                return
            was = self.gone.get(uuid)
            if was is None:  # not known here: as the line has it
                self._place(who, kind, after)
                return
            merged = fitted(
                self, kind, self._merged(kind, uuid, was[1], before, after), after, was[1]
            )
            self._note(
                f"{_label(kind, merged)} was removed on one machine and changed on "
                "another; it was kept."
            )
            self._place(who, kind, merged)
            return
        latest = max(self.stamps.get(uuid, {}).values(), default=0)
        merged = self._merged(kind, uuid, current, before or {}, after)
        if kind == "meetings":
            settled, said = meeting_settled(before or {}, current, after)
            merged.update(settled)
            if said:
                self._note(f"{_label(kind, current)} {said}")
        self._place(who, kind, fitted(self, kind, merged, after, current, latest))

    def _merged(
        self,
        kind: str,
        uuid: str,
        current: dict[str, Any],
        before: dict[str, Any],
        after: dict[str, Any],
    ) -> dict[str, Any]:
        """`current` with the fields the line changed, each where the line is later
        than the last change of that field here (the stamps kept per field)."""
        merged = dict(current)
        stamps = self.stamps.setdefault(uuid, {})
        for key in {*before, *after}:
            if key in ("uuid", "id") or after.get(key) == before.get(key):
                continue
            mine = current.get(key)
            if mine != before.get(key) and _lists(mine, before.get(key), after.get(key)):
                # a list both machines changed (tags, questions, advice): what the line
                # added is added, what it took out is taken out, the rest stays
                merged[key] = _list_merge(mine, before.get(key), after.get(key))
                stamps[key] = max(stamps.get(key, 0), self.stamp)
                continue
            if self.stamp > stamps.get(key, 0):
                if key not in _QUIET and mine not in (before.get(key), after.get(key)):
                    self._note(
                        f"{_label(kind, current)}: {key.replace('_', ' ')} changed on both "
                        f"machines; kept {_shown(after.get(key))} (the later), "
                        f"not {_shown(mine)}."
                    )
                if key in after:
                    merged[key] = after[key]
                else:
                    merged.pop(key, None)
                stamps[key] = self.stamp
            elif key not in _QUIET and mine != after.get(key):
                self._note(
                    f"{_label(kind, current)}: {key.replace('_', ' ')} changed on both "
                    f"machines; kept {_shown(mine)} (the later), not {_shown(after.get(key))}."
                )
        return merged

    def _whose(self, record: dict[str, Any]) -> str:
        """ " (Jane Doe)" for a contact, " with Jane Doe" for a meeting or message."""
        if "handle" in record:
            return _who(record)
        contact = self.kinds["contacts"].get(str(record.get("contact")))
        return f" with {contact['name']}" if contact and contact.get("name") else ""

    def _recorded_twice(self, event: dict[str, Any] | None) -> bool:
        """A message from the mailbox that another machine recorded too (one
        Message-ID, one contact, one kind): kept once."""
        mid = (event or {}).get("message_id")
        if not mid or event is None:
            return False
        seen = self.kinds["events"].items
        if any(
            r is not None
            and r.get("message_id") == mid
            and r.get("contact") == event.get("contact")
            and r.get("kind") == event.get("kind")
            for r in seen
        ):
            self._note(
                f"{_label('events', event)} was recorded from the mailbox on two machines; "
                "it is kept once."
            )
            return True
        return False

    def _place(self, who: str, kind: str, record: dict[str, Any]) -> None:
        records = self.kinds[kind]
        uuid = str(record["uuid"])
        contact = str(record.get("contact"))
        if kind != "contacts" and self.kinds["contacts"].get(contact) is None:
            back = self.gone.get(contact) or (self.lookup(contact) if self.lookup else None)
            if back is None or back[0] != "contacts":
                self._note(
                    f"{_label(kind, record)} from {who} was left out: its contact was removed."
                )
                return
            self._note(
                f"{_label('contacts', back[1])} was removed on one machine, but another "
                "machine wrote to or met them since; they were kept."
            )
            self._place(who, "contacts", back[1])
        record = self._numbered(who, kind, record)
        self.gone.pop(uuid, None)
        records.put(record)
        said = made_apart(self.kinds, self.origin, self.device, kind, record)
        if said:
            self._note(said)
        self.origin[uuid] = self.device

    def _numbered(self, who: str, kind: str, record: dict[str, Any]) -> dict[str, Any]:
        """Two records made on two machines with one number (or handle): the one made
        later takes the next free one, whichever machine's line comes first here."""
        records = self.kinds[kind]
        uuid = str(record["uuid"])
        owner = records.ids.get(record.get("id"))
        other = records.get(owner) if owner is not None and owner != uuid else None
        if other is not None:
            counter = _COUNTER[kind]
            word = kind[:-1].replace("event", "message")
            fresh = max(self.next_id.get(counter, 1), records.top + 1)
            self.next_id[counter] = fresh + 1
            if _made(record) < _made(other):  # the one here was made later: it moves
                self._note(
                    f"{word} {other.get('id')}{self._whose(other)} is now {fresh} "
                    "(the number was taken)."
                )
                records.put({**other, "id": fresh})
            else:
                self._note(
                    f"{word} {record.get('id')}{self._whose(record)} from {who} is now {fresh} "
                    "(the number was taken)."
                )
                record = {**record, "id": fresh}
        if kind == "contacts":
            holder = records.handles.get(record.get("handle"))
            mine = records.get(holder) if holder is not None and holder != uuid else None
            if mine is not None:
                base, n = str(record.get("handle")), 2
                while f"{base}-{n}" in records.handles:
                    n += 1
                # the handle given later yields: here by this line, there by the last
                # line that renamed it (or when it was made, before any line here)
                if self.stamp < self.stamps.get(str(holder), {}).get("handle", 0):
                    self._note(f"the handle {base} is now {base}-{n} (it was taken).")
                    records.put({**mine, "handle": f"{base}-{n}"})
                else:
                    self._note(f"the handle {base} from {who} is now {base}-{n} (it was taken).")
                    record = {**record, "handle": f"{base}-{n}"}
        return record

    def _remove(self, kind: str, uuid: str, current: dict[str, Any]) -> None:
        if kind == "contacts":
            uses = [
                r
                for other in ("meetings", "events")
                for r in self.kinds[other].items
                if r is not None and r.get("contact") == uuid
            ]
            if uses:
                self._note(
                    f"{_label(kind, current)} was removed on one machine, but another machine "
                    "wrote to or met them since; they were kept."
                )
                self.held[uuid] = current
                return
        self.gone[uuid] = (kind, current)
        self.stamps.pop(uuid, None)
        self.kinds[kind].drop(uuid)
        contact = str(current.get("contact"))
        if kind != "contacts" and contact in self.held:
            self._removal_held(contact)

    def _removal_held(self, uuid: str) -> None:
        """The last message or meeting that kept a removed contact is gone (undone):
        the removal stands now, unless the contact changed since."""
        current = self.kinds["contacts"].get(uuid)
        if current is None or not _same(current, self.held[uuid]):
            return
        if any(
            r is not None and r.get("contact") == uuid
            for other in ("meetings", "events")
            for r in self.kinds[other].items
        ):
            return
        del self.held[uuid]
        self._note(f"{_label('contacts', current)} is removed now, as on the other machine.")
        self._remove("contacts", uuid, current)
