"""The store's documents: reading a snapshot's JSON, telling what a command changed,
writing it back (`dump`), and the `Loader` that fills a partial document shard by shard.
The design is in `infoint.store`.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from infoint import journal
from infoint.errors import StoreError
from infoint.files import Paths

if TYPE_CHECKING:
    from infoint.index import Index
    from infoint.models import Record, StoreDoc


T = TypeVar("T")


def _describe_invalid(path: Path, exc: Exception) -> StoreError:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the top level"
        what = f"{where}: {first['msg']}"
    else:
        what = str(exc)
    return StoreError(
        f"The store {path} cannot be read ({what}). It was left untouched.",
        hint="Put back the newest readable backup: infoint doctor --restore",
    )


class Loader:
    """Brings records into a partial document one shard (a bucket of contacts with
    their events and meetings) at a time, and keeps how they looked so the transaction
    can tell what changed. The shards hold what infoint validated when it wrote it (the
    index proves them unchanged since): their records are built without validating
    them again; what a command changes is validated when written (`diff`)."""

    def __init__(
        self,
        index: Index,
        doc: StoreDoc,
        refresh: Callable[[], Index] | None = None,
        trusted: bool = False,
    ) -> None:
        self.index = index
        self.doc = doc
        self.refresh = refresh
        self.trusted = trusted
        self.loaded: set[int] = set()
        self.before: dict[str, dict[str, Record]] = {k: {} for k in journal.RECORD_TYPES}

    def bucket(self, number: int) -> None:
        if number in self.loaded:
            return
        from infoint.index import Stale

        try:
            raw = self.index.shard(number)
        except Stale:
            if self.refresh is None:
                raise
            self.index = self.refresh()
            raw = self.index.shard(number)
        self.loaded.add(number)
        for kind in ("contacts", "events", "meetings"):
            records = _read(kind, raw[kind]) if self.trusted else _models(kind, raw[kind])
            getattr(self.doc, kind).extend(records)
            for record in records:
                self.before[kind][record.uuid] = record

    def ask(self, question: Callable[[Index], T]) -> T:
        """`question(index)`, asked again of a rebuilt index if a file of it was
        damaged or replaced while this command read it."""
        from infoint.index import Stale

        try:
            return question(self.index)
        except Stale:
            if self.refresh is None:
                raise
            self.index = self.refresh()
            return question(self.index)

    def contact(self, ref: str) -> bool:
        """Load the shard of the contact `ref` names (handle, id or uuid); False if none."""
        found = self.ask(lambda index: index.locate(ref))
        if found is None:
            return False
        self.bucket(found[1])
        return True

    def meeting(self, ref: str) -> bool:
        found = self.ask(lambda index: index.locate_meeting(ref))
        if found is None:
            return False
        self.bucket(found[1])
        return True

    def has_handle(self, handle: str) -> bool:
        return self.ask(lambda index: index.has_handle(handle))


def _models(kind: str, raw: list[dict[str, Any]]) -> list[Any]:
    """Records a command may change: models, validated again only if changed (`diff`)."""
    from infoint.models import Contact, Meeting, trusted, trusted_event

    if kind == "events":
        return [trusted_event(r) for r in raw]
    model = Contact if kind == "contacts" else Meeting
    return [trusted(model, r) for r in raw]


def _read(kind: str, raw: list[dict[str, Any]]) -> list[Any]:
    """Records a command only reads: plain (plain.py), from files the index proved
    unchanged since infoint validated what they hold."""
    from infoint import plain

    make = {"contacts": plain.contact, "events": plain.event, "meetings": plain.meeting}[kind]
    return [make(r) for r in raw]


def latest(data: dict[str, Any]) -> str:
    """The latest moment any record mentions (an empty store: the start of time)."""
    best = "0001-01-01T00:00:00+00:00"
    best_at = datetime.fromisoformat(best)
    for kind in journal.RECORD_TYPES:
        for record in data.get(kind) or []:
            for key in ("updated_at", "created_at", "at", "start", "done_at", "cancelled_at"):
                if key == "start" and not record.get("held"):
                    continue  # a planned meeting is known from when it was written
                value = record.get(key)
                if isinstance(value, str):
                    try:
                        moment = datetime.fromisoformat(value)
                    except ValueError:
                        continue
                    if moment.tzinfo is not None and moment > best_at:
                        best, best_at = value, moment
    return best


def _stat_key(paths: Paths) -> tuple[Any, ...]:
    out: list[Any] = []
    for path in (paths.store_file, *paths.logs()):
        try:
            st = os.stat(path)
            out.append((path.name, st.st_size, st.st_mtime_ns, st.st_ino))
        except OSError:
            out.append(None)
    return tuple(out)


def temp_files(folder: Path) -> list[Path]:
    """Temp files a crashed write left behind (`.store.json.XXXX.tmp`)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(".*.tmp*") if p.is_file())


def clean_temp_files(folder: Path) -> None:
    """Under the lock no write is under way, so any temp file is a crash's leftover."""
    for path in temp_files(folder):
        with contextlib.suppress(OSError):
            path.unlink()


def _json_object(path: Path, raw: bytes) -> dict[str, Any]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raise _describe_invalid(
            path, ValueError("it starts with a byte-order mark, which an editor added")
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _describe_invalid(path, ValueError(f"not valid JSON: {exc}")) from None
    if not isinstance(data, dict):
        raise _describe_invalid(path, ValueError("the top level is not a JSON object"))
    return data


def diff(doc: StoreDoc, before: dict[str, dict[str, Record]]) -> list[dict[str, Any]]:
    """What a transaction changed: new, changed and removed records, each with its
    state before and after (what undo and the history need)."""
    changes: list[dict[str, Any]] = []
    for kind in journal.RECORD_TYPES:
        old = before[kind]
        seen: set[str] = set()
        for record in getattr(doc, kind):
            seen.add(record.uuid)
            if record.uuid not in old:
                after = _gate(record)
                changes.append({"type": kind, "uuid": record.uuid, "before": None, "after": after})
            elif record.changed:
                after = _gate(record)
                if after != record._before:
                    changes.append(
                        {
                            "type": kind,
                            "uuid": record.uuid,
                            "before": record._before,
                            "after": after,
                        }
                    )
        for uuid, record in old.items():
            if uuid not in seen:
                gone = record._before or record.model_dump(mode="json")
                changes.append({"type": kind, "uuid": uuid, "before": gone, "after": None})
    return changes


def record_problem(kind: str, data: dict[str, Any]) -> str | None:
    """What the model of a record of `kind` (contacts, meetings, events) says against
    `data`, in a few words; None when it takes it."""
    from pydantic import TypeAdapter, ValidationError

    from infoint.models import Contact, Event, Meeting

    model: Any = {"contacts": Contact, "meetings": Meeting}.get(kind)
    try:
        if model is not None:
            model.model_validate(data)
        else:  # a message: its model by its kind
            TypeAdapter(Event).validate_python(data)
    except ValidationError as exc:
        return _first_error(exc)
    return None


def _first_error(exc: Any) -> str:
    """`where: what` of a pydantic ValidationError's first error."""
    first = exc.errors()[0]
    what = str(first["msg"]).removeprefix("Value error, ")
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {what}" if where else what


def _gate(record: Record) -> dict[str, Any]:
    """The record as it will be written, validated by its model first when a command
    changed it after it was built (a field set on it is not checked as it is set)."""
    after = record.model_dump(mode="json")
    if record.changed:
        from pydantic import ValidationError

        try:
            type(record).model_validate(after)
        except ValidationError as exc:
            raise _refused(exc) from None
    return after


def invalid_record(exc: Exception) -> StoreError | None:
    """The refusal to give for `exc` when it is a model refusing a record a command
    built (pydantic's ValidationError); None for anything else."""
    import sys

    pydantic = sys.modules.get("pydantic")  # a ValidationError means it was imported
    if pydantic is None or not isinstance(exc, pydantic.ValidationError):
        return None
    return _refused(exc)


def _refused(exc: Any) -> StoreError:
    return StoreError(
        f"That would write an invalid record ({_first_error(exc)}). Nothing was changed.",
        hint="Check the values given, and the store with: infoint doctor",
    )


def new_base() -> str:
    """A fresh name for a snapshot (what the lines of the log after it name)."""
    import secrets

    return secrets.token_hex(6)


def dump(doc: StoreDoc) -> bytes:
    """Human-readable JSON, keys in a stable order, ending in a newline."""
    return doc.model_dump_json(indent=1).encode() + b"\n"


def duplicate_ids(doc: StoreDoc) -> str | None:
    """A hand-edited store may repeat an id, a handle or a UUID; name the first one."""
    for label, records, key in (
        ("contact id", doc.contacts, "id"),
        ("handle", doc.contacts, "handle"),
        ("meeting id", doc.meetings, "id"),
        ("event id", doc.events, "id"),
    ):
        seen: set[Any] = set()
        for record in records:
            value = getattr(record, key)
            if value in seen:
                return f"the {label} {value} appears twice"
            seen.add(value)
    uuids: set[str] = set()
    for group in (doc.contacts, doc.meetings, doc.events):
        for rec in group:
            if rec.uuid in uuids:
                return f"the uuid {rec.uuid} appears twice"
            uuids.add(rec.uuid)
    return None
