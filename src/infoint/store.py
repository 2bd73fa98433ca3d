"""The store: a snapshot, a change log, and an index, written without ever losing data.

- `store.json` is the snapshot: every record, human-readable, with the
  `schema_version` and the last change-log entry folded into it (`seq`).
- `journal.jsonl` is the change log (see journal.py): one line per command after
  the snapshot, with each record's before and after. Reading replays it on top of
  the snapshot; once it passes `journal.COMPACT_BYTES` the next write folds it in.
- `index.json` is a cache (see index.py): the follow-ups ready to filter, the
  handles, the next ids. It is keyed by the other files' size and mtime, so a
  change by hand simply makes infoint rebuild it.

One command is one transaction: an exclusive lock on a lock file kept outside the
data folder, a fresh read, the change, then an append to the change log (fsync)
or an atomic snapshot (temp file, fsync, `os.replace`, fsync of the folder). A
store that cannot be read or validated is reported with its path and never
overwritten. Reading commands take no lock: they always see whole files.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from infoint import backups, journal
from infoint.errors import StoreError
from infoint.files import Paths, atomic_write, exclusive_lock, fingerprint
from infoint.models import SCHEMA_VERSION, Record, StoreDoc, empty_store
from infoint.records import iso

IndexBuilder = Callable[[StoreDoc], dict[str, Any]]


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
        hint="Restore a copy from its backups folder, or fix the file by hand.",
    )


class Store:
    """Loads and saves the records under `paths.data_dir`."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths

    def read_bytes(self) -> bytes | None:
        try:
            return self.paths.store_file.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(
                f"Could not read {self.paths.store_file}: {exc.strerror or exc}.",
                hint="Check the file's permissions.",
            ) from None

    def load(self, for_writing: bool = False) -> StoreDoc:
        """Every record as it is now; a missing store reads as an empty one.

        A store from a newer infoint can be read (what this version does not know is
        kept as is) but not written; one from an older infoint is upgraded in memory
        (see migrations.py) and written in the new form, after a backup, by the next
        change.
        """
        doc = self.parse(self.read_bytes(), journal.read(self.paths.journal_file), for_writing)
        return doc

    def parse(
        self,
        raw: bytes | None,
        entries: list[dict[str, Any]] | None = None,
        for_writing: bool = False,
    ) -> StoreDoc:
        from pydantic import ValidationError

        path = self.paths.store_file
        if raw is None:
            data: dict[str, Any] | None = empty_store().model_dump(mode="json")
        elif not raw.strip():
            raise _describe_invalid(path, ValueError("the file is empty"))
        else:
            data = None
        pending = entries or []
        try:
            doc: StoreDoc | None = None
            if data is None and not pending:
                with contextlib.suppress(ValidationError):  # the common case: one pass
                    doc = StoreDoc.model_validate_json(raw or b"")
            if doc is None:
                if data is None:  # an old or new version, a change log to replay, or damage
                    data = _json_object(path, raw or b"")
                data = self._versioned(data, for_writing)
                seq = data.get("seq", 0)
                journal.apply(data, [e for e in pending if e["seq"] > seq])
                doc = StoreDoc.model_validate(data)
        except ValidationError as exc:
            raise _describe_invalid(path, exc) from None
        problem = duplicate_ids(doc)
        if problem:
            raise _describe_invalid(path, ValueError(problem))
        for kind, records in (
            ("contact", doc.contacts),
            ("meeting", doc.meetings),
            ("event", doc.events),
        ):
            highest = max((r.id for r in records), default=0)
            if getattr(doc.next_id, kind) <= highest:  # a counter edited by hand: never reuse
                setattr(doc.next_id, kind, highest + 1)
        return doc

    def _versioned(self, data: dict[str, Any], for_writing: bool) -> dict[str, Any]:
        from infoint import migrations

        version = data.get("schema_version")
        if not isinstance(version, int) or isinstance(version, bool):
            return data  # validation names the problem
        if version > SCHEMA_VERSION:
            if for_writing:
                raise StoreError(
                    f"The store {self.paths.store_file} was written by a newer infoint "
                    f"(schema_version {version}; this one writes {SCHEMA_VERSION}). "
                    "Nothing was changed.",
                    hint="Upgrade infoint to change it; reading commands still work.",
                )
            return {**data, "schema_version": SCHEMA_VERSION}
        if 1 <= version < SCHEMA_VERSION:
            if for_writing:
                backups.keep_copy(self.paths, reason=f"before-migration-v{version}")
            data = migrations.upgrade(data)
        return data

    def save(self, doc: StoreDoc) -> None:
        """Write the whole snapshot and put the change log it folds in into the history."""
        backups.keep_copy(self.paths, reason="fold")
        atomic_write(self.paths.store_file, dump(doc))
        journal.archive(self.paths.journal_file, self.paths.history_dir, doc.seq)

    @contextlib.contextmanager
    def transaction(
        self,
        command: str,
        at: datetime,
        index: IndexBuilder | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Iterator[StoreDoc]:
        """Lock, re-read, let the caller change the document, then record the change.

        If the body raises, nothing is written.
        """
        with exclusive_lock(self.paths.lock_file, self.paths.store_file):
            journal.cut_torn_tail(self.paths.journal_file)
            clean_temp_files(self.paths.data_dir)
            doc = self.load(for_writing=True)
            before = {
                kind: {r.uuid: r for r in getattr(doc, kind)} for kind in journal.RECORD_TYPES
            }
            yield doc
            changes = diff(doc, before)
            if not changes:
                return
            self.commit(doc, command, at, changes, extra)
            if index is not None:
                self.write_index(index(doc))

    def commit(
        self,
        doc: StoreDoc,
        command: str,
        at: datetime,
        changes: list[dict[str, Any]],
        extra: dict[str, Any] | None = None,
    ) -> None:
        """Append the change to the log; fold the log into a new snapshot once it is big
        (or when there is no snapshot yet)."""
        doc.seq += 1
        next_id = doc.next_id.model_dump(mode="json")
        entry = journal.entry(doc.seq, iso(at), command, changes, next_id)
        entry.update(extra or {})
        journal.append(self.paths.journal_file, entry)  # from here on, the change holds
        # folding the log in and the daily copy are upkeep: if the disk refuses them
        # now, the change is safe in the log and the next write tries again
        with contextlib.suppress(StoreError):
            if not self.paths.store_file.exists() or (
                fingerprint(self.paths.journal_file)[0] > journal.COMPACT_BYTES
            ):
                self.save(doc)
            else:
                backups.daily(self.paths)
        for kind in journal.RECORD_TYPES:
            for record in getattr(doc, kind):
                record._before = None

    def write_index(self, data: dict[str, Any], keys: dict[str, list[int]] | None = None) -> None:
        """Save the index, keyed by the files as they were read (best effort: a cache)."""
        from infoint.index import encode, fingerprints, local_zone

        data.update(keys or fingerprints(self.paths), zone=local_zone())
        with contextlib.suppress(StoreError):
            atomic_write(self.paths.index_file, encode(data), durable=False)


def temp_files(folder: Path) -> list[Path]:
    """Temp files a crashed write left behind (`.store.json.XXXX.tmp`)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(".*.tmp") if p.is_file())


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
                after = record.model_dump(mode="json")
                changes.append({"type": kind, "uuid": record.uuid, "before": None, "after": after})
            elif record.changed:
                after = record.model_dump(mode="json")
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
