"""The index: a cache that lets the everyday commands skip loading every record.

It holds every follow-up the records call for (with when each opens and closes),
the prospect counts, the next meetings, the handles and the next ids, as of the
last change. `infoint followups` filters it by the moment; `add-contact` checks
the handle against it and appends to the change log. It is keyed by the size and
mtime of `store.json`, `journal.jsonl` and `config.toml`, and by the local time
zone: when any of them differs, or it is missing or damaged, infoint takes the
long way (every record, fully validated) and writes a fresh one.

Nothing here imports pydantic, Rich or Typer.
"""

from __future__ import annotations

import contextlib
import json
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from infoint import journal
from infoint.errors import StoreError
from infoint.files import Paths, atomic_write, exclusive_lock, fingerprint
from infoint.records import iso, make_handle, new_contact

if TYPE_CHECKING:  # the follow-up types load only when the morning look is shown
    from infoint.agenda import DueView

FORMAT = 2


def local_zone() -> str:
    """What the local zone is called and its offsets: texts in the index use it."""
    return f"{time.tzname}|{time.timezone}|{time.altzone}"


def fingerprints(paths: Paths) -> dict[str, list[int]]:
    return {
        "store": fingerprint(paths.store_file),
        "journal": fingerprint(paths.journal_file),
        "config": fingerprint(paths.config_file),
    }


def load(paths: Paths) -> dict[str, Any] | None:
    """The index if it matches the files as they are now; None otherwise."""
    try:
        data = json.loads(paths.index_file.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    current = fingerprints(paths)
    if any(data.get(key) != value for key, value in current.items()):
        return None
    if data.get("zone") != local_zone():
        return None
    return data


class Handles:
    """Membership in the handles the index keeps as one newline-separated string
    (one string parses and writes far faster than 30,000 of them)."""

    def __init__(self, blob: str) -> None:
        self.blob = blob

    def __contains__(self, handle: object) -> bool:
        return f"\n{handle}\n" in self.blob


def handles_blob(handles: list[str]) -> str:
    return "\n" + "".join(h + "\n" for h in handles)


def encode(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def is_empty(paths: Paths) -> bool:
    return not paths.store_file.exists() and not paths.journal_file.exists()


def due_view(paths: Paths, as_of: datetime) -> DueView | None:
    """The morning look from the index, or None when the long way is needed."""
    if is_empty(paths):
        from infoint import agenda

        return agenda.DueView(as_of, [], agenda.Prospects(), 0)
    data = load(paths)
    if data is None or as_of < datetime.fromisoformat(data["valid_from"]):
        return None
    return from_index(data, as_of)


def from_index(data: dict[str, Any], as_of: datetime) -> DueView:
    from infoint import agenda

    candidates = [agenda.followup_from_json(item) for item in json.loads(data["candidates"])]
    upcoming = [
        agenda.NextMeeting(m["name"], datetime.fromisoformat(m["start"]), m["minutes"], m["mode"])
        for m in data["upcoming"]
    ]
    return agenda.view(
        candidates, as_of, agenda.Prospects(**data["prospects"]), data["contacts"], upcoming
    )


def try_add_contact(
    paths: Paths, name: str, fields: dict[str, Any], now: datetime
) -> dict[str, Any] | None:
    """Add a prospect through the index and the change log, without reading the
    records; None when the index is stale or the log is due for folding (the caller
    then takes the long way)."""
    with exclusive_lock(paths.lock_file, paths.store_file):
        journal.cut_torn_tail(paths.journal_file)
        data = load(paths)
        if data is None or fingerprint(paths.journal_file)[0] > journal.COMPACT_BYTES:
            return None
        next_id = data["next_id"]
        contact_id = next_id["contact"]
        handles: str = data["handles"]
        handle = make_handle(name, Handles(handles), contact_id)
        record = new_contact(contact_id, handle, name, now, fields)
        next_id["contact"] = contact_id + 1
        seq = data["seq"] + 1
        change = {"type": "contacts", "uuid": record["uuid"], "before": None, "after": record}
        journal.append(
            paths.journal_file, journal.entry(seq, iso(now), "add-contact", [change], next_id)
        )
        data["handles"] = handles + handle + "\n"
        prospects = data["prospects"]
        prospects["total"] += 1
        for key, field in (("by_industry", "industry"), ("by_company", "company")):
            if record.get(field):
                value = record[field].lower()
                prospects[key][value] = prospects[key].get(value, 0) + 1
        data.update(seq=seq, contacts=data["contacts"] + 1)
        data["valid_from"] = max(data["valid_from"], iso(now), key=datetime.fromisoformat)
        data.update(fingerprints(paths), zone=local_zone())
        with contextlib.suppress(StoreError):  # a stale index is only rebuilt later
            atomic_write(paths.index_file, encode(data), durable=False)
        return record
