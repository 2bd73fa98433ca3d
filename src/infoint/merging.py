"""Merging another copy of the store into this one: a sync service's conflict copy,
another machine's change log, an export brought back, a git merge.

The rules, the same whatever brought the copy:
- a record new to us is taken; its short id and handle must not clash with ours
  (the next free one is given, and a note says so), but a record coming back keeps
  its own number;
- a record both sides have: when the copy says how it looked before the other
  machine changed it (a change-log copy has that "base"), each side's changes to
  different fields are both kept and a field both changed keeps the later change,
  with a note naming the value that gave way; without a base, the later record
  (by `updated_at`) wins whole;
- a record the other machine removed is removed here unless it changed here
  meanwhile or something here still needs it (then it is kept, with a note); a
  contact removed here that the other machine wrote to or met comes back.
Nothing is dropped without a word.
"""

from __future__ import annotations

import json
from typing import Any


def merge_records(
    ours: Any, theirs: Any, gone: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Take from `theirs` every record we lack and every record they changed later
    (by `updated_at`); keep ours otherwise. Nothing is dropped from either side.
    `gone`: records the change logs last removed, as they were: one the copy holds
    unchanged stays removed; a contact that the other machine wrote to or met
    meanwhile comes back. Returns counts for the summary."""
    counts: dict[str, Any] = {"added": 0, "newer": 0, "kept": 0, "same": 0}
    renamed: list[str] = []
    overwritten: list[str] = []
    back = _brought_back(ours, theirs, gone or {}, overwritten)
    brought = {c.uuid for c in back}
    for kind in ("contacts", "meetings", "events"):
        mine: list[Any] = getattr(ours, kind)
        by_uuid = {r.uuid: i for i, r in enumerate(mine)}
        ids = {r.id for r in mine}
        handles = {r.handle for r in mine} if kind == "contacts" else set()
        present = {c.uuid for c in ours.contacts}
        for record in [*getattr(theirs, kind), *(back if kind == "contacts" else [])]:
            at = by_uuid.get(record.uuid)
            if at is None and kind != "contacts" and record.contact not in present:
                what = "meeting" if kind == "meetings" else "message"
                overwritten.append(f"{what} {record.id} from the other machine was left out: "
                                   "its contact was removed here")  # fmt: skip
                continue
            if (
                at is None
                and record.uuid not in brought
                and ((gone or {}).get(record.uuid) == record.model_dump(mode="json"))
            ):
                # removed since, and left as it was there: stays removed, and is named
                counts.setdefault("left_out", []).append(label(kind, record))
                continue
            if at is None:
                if theirs._bases.get(record.uuid) is not None:  # it was here, and removed
                    who = label(kind, record)
                    overwritten.append(
                        f"{who} was removed here and changed on the other machine: kept"
                    )
                returning = theirs._bases.get(record.uuid) is not None or record.uuid in brought
                # it was here: its number is its own
                fresh = _fresh_ids(ours, kind, record, ids, handles, returning)
                if kind in ("contacts", "meetings") and fresh.id != record.id:
                    what = "contact" if kind == "contacts" else "meeting"
                    name = f" ({record.name})" if kind == "contacts" else ""
                    handle = f", {fresh.handle}" if kind == "contacts" else ""
                    renamed.append(f"{what} {record.id}{name} from the copy is now "
                                   f"{what} {fresh.id}{handle}")  # fmt: skip
                elif kind == "contacts" and fresh.handle != record.handle:
                    renamed.append(f"{record.handle} from the copy is now {fresh.handle}")
                mine.append(fresh)
                counts["added"] += 1
                continue
            current = mine[at]
            base = theirs._bases.get(record.uuid)
            if record.model_dump(mode="json") == current.model_dump(mode="json"):
                counts["same"] += 1
            elif base is not None:
                merged = _field_by_field(kind, current, record, base, overwritten, handles)
                if merged is None:
                    counts["kept"] += 1
                else:
                    mine[at] = merged
                    counts["newer"] += 1
            elif record.updated_at > current.updated_at:
                replacement = record.model_copy()
                replacement.id = current.id  # people know it by this number here
                if kind == "contacts":
                    replacement.handle = current.handle
                replacement._before = current.model_dump(mode="json")
                mine[at] = replacement
                counts["newer"] += 1
            else:
                counts["kept"] += 1
    _removals(ours, theirs, counts, overwritten)
    counts["renamed"] = renamed
    counts["overwritten"] = overwritten
    return counts


def _brought_back(
    ours: Any, theirs: Any, gone: dict[str, dict[str, Any]], notes: list[str]
) -> list[Any]:
    """Contacts removed here that the other machine's meetings or messages need."""
    from infoint.models import Contact

    here = {c.uuid for c in ours.contacts} | {c.uuid for c in theirs.contacts}
    needed = {r.contact for r in (*theirs.meetings, *theirs.events)} - here
    back = []
    for uuid in sorted(needed & gone.keys()):
        contact = Contact.model_validate(gone[uuid])
        notes.append(f"{label('contacts', contact)} was removed here, but the other machine "
                     "wrote to or met them meanwhile: kept")  # fmt: skip
        back.append(contact)
    return back


def _removals(ours: Any, theirs: Any, counts: dict[str, Any], notes: list[str]) -> None:
    """What the other machine removed goes here too, unless it was changed here
    meanwhile: then it is kept, and a note says so."""
    counts.setdefault("removed", 0)
    counts.setdefault("removed_names", [])
    for uuid, (kind, base) in theirs._removed.items():
        mine: list[Any] = getattr(ours, kind)
        at = next((i for i, r in enumerate(mine) if r.uuid == uuid), None)
        if at is None:
            continue
        current = mine[at]
        used = kind == "contacts" and any(
            uuid in (getattr(r, "contact", None), getattr(r, "referred_by", None),
                     getattr(r, "referred_to", None))
            and r.uuid not in theirs._removed
            for r in (*ours.contacts, *ours.meetings, *ours.events)
        )  # fmt: skip
        if current.model_dump(mode="json") == base and not used:
            del mine[at]
            counts["removed"] += 1
            counts["removed_names"].append(label(kind, current))
        elif used and current.model_dump(mode="json") == base:
            notes.append(f"{label(kind, current)} was removed on the other machine, but a "
                         "meeting, message or contact here still needs it: kept")  # fmt: skip
        else:
            notes.append(
                f"{label(kind, current)} was removed on the other machine and changed here: kept"
            )


#: Kept by both sides' bookkeeping, never worth a notice.
_BOOKKEEPING = frozenset(("updated_at",))


def _field_by_field(
    kind: str,
    ours: Any,
    theirs: Any,
    base: dict[str, Any],
    notes: list[str],
    handles: set[str] | None = None,
) -> Any:
    """One record changed on two machines since `base`: each side's changes to
    different fields are both kept; a field both changed keeps the later change (by
    the record's `updated_at`), and `notes` gets a line naming what gave way. A
    handle renamed there is taken unless another contact here has it (`handles`:
    every contact's handle here). None when nothing of theirs is new here."""
    mine = ours.model_dump(mode="json")
    other = theirs.model_dump(mode="json")
    merged = dict(mine)
    later = theirs.updated_at > ours.updated_at
    who = label(kind, ours)
    for key in sorted(mine.keys() | other.keys()):
        if key in ("id", "uuid"):
            continue  # people know it by these here (a number renumbered on a merge)
        was, mine_now, theirs_now = base.get(key), mine.get(key), other.get(key)
        if theirs_now in (was, mine_now):
            continue  # they did not change it, or both made the same change
        if mine_now == was or (key in _BOOKKEEPING and later):
            merged[key] = theirs_now  # only they changed it
        elif key in _BOOKKEEPING:
            continue
        elif later:
            merged[key] = theirs_now
            notes.append(f"{who}: {_words(key)} changed on both machines; kept "
                         f"{_shown(theirs_now)} (the later), not {_shown(mine_now)}")  # fmt: skip
        else:
            notes.append(f"{who}: {_words(key)} changed on both machines; kept "
                         f"{_shown(mine_now)} (the later), not {_shown(theirs_now)}")  # fmt: skip
    if kind == "contacts" and merged.get("handle") != mine.get("handle"):
        taken = (handles or set()) - {mine.get("handle")}
        if merged.get("handle") in taken:
            notes.append(f"{who}: the handle {merged['handle']} from the other machine is "
                         f"another contact's here; kept {mine.get('handle')}")  # fmt: skip
            merged["handle"] = mine.get("handle")
        elif handles is not None:
            handles.discard(mine.get("handle"))
            handles.add(merged["handle"])
    if merged == mine:
        return None
    replacement = type(ours).model_validate(merged)
    replacement._before = mine
    return replacement


def label(kind: str, record: Any) -> str:
    """How a note names a record: "Jane Doe (contact 3)", "meeting 2", "message 5"."""
    if kind == "contacts":
        return f"{record.name} (contact {record.id})"
    return f"{'meeting' if kind == 'meetings' else 'message'} {record.id}"


def _words(key: str) -> str:
    return key.replace("_", " ")


def _shown(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "nothing"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"“{text if len(text) <= 40 else text[:39] + '…'}”"


def _fresh_ids(
    ours: Any, kind: str, record: Any, ids: set[int], handles: set[str], returning: bool = False
) -> Any:
    """A record new to us keeps its UUID; its short id and handle must not clash. A
    number is never given to a second record, but one coming back keeps its own."""
    from infoint.records import make_handle

    counter = {"contacts": "contact", "meetings": "meeting", "events": "event"}[kind]
    taken = record.id < getattr(ours.next_id, counter) and not returning
    if record.id in ids or taken:
        new_id = max(getattr(ours.next_id, counter), max(ids, default=0) + 1)
        record = record.model_copy(update={"id": new_id})
    setattr(ours.next_id, counter, max(getattr(ours.next_id, counter), record.id + 1))
    ids.add(record.id)
    if kind == "contacts":
        if record.handle in handles:
            record = record.model_copy(
                update={"handle": make_handle(record.name, handles, record.id)}
            )
        handles.add(record.handle)
    return record
