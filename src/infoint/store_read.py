"""Reading the store: loading and parsing the snapshot and its change log, saving a
snapshot, and the index kept beside them (built, checked, locked). The design is in
`infoint.store`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from infoint import backups, journal, logs
from infoint.errors import StoreError
from infoint.files import Paths, atomic_write, exclusive_lock
from infoint.logs import Line, folded_of
from infoint.records import SCHEMA_VERSION

if TYPE_CHECKING:
    from infoint.index import Index, Summarize
    from infoint.models import StoreDoc
from infoint.store_doc import (
    Loader,
    _describe_invalid,
    _json_object,
    _stat_key,
    dump,
    duplicate_ids,
    latest,
    new_base,
    record_problem,
)


class Reader:
    """Reads the records under `paths.data_dir`, saves a snapshot and keeps the index."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths

    def read_bytes(self) -> bytes | None:
        from infoint.files import check_folder

        check_folder(self.paths.data_dir)
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
        for _ in range(20):  # a writer may fold the logs in while we read them
            before = _stat_key(self.paths)
            raw = self.read_bytes()
            if raw is None:
                self._missing_snapshot()
            lines = logs.pending(self.paths, folded_of(raw))
            if _stat_key(self.paths) == before:
                break
        if lines and raw is not None:
            lines = self._without_orphans(raw, lines)
        doc = self._parse(raw, lines, for_writing)
        if doc._notes:
            from infoint import notices

            notices.remember(self.paths, doc._notes)
        return doc

    def _without_orphans(self, raw: bytes, lines: list[Line]) -> list[Line]:
        """The lines less another machine's line of changes in the shared log of a
        store of the older layout (see `journal.classify`): those are merged as a copy
        (`rescue_orphans`), never replayed on top."""
        seq, base = journal.head(raw)
        if seq is None or journal.head_number(raw, b"schema_version") != 1:
            return lines
        shared = [e for d, e in lines if d == logs.SHARED]
        keep = journal.classify(shared, seq, base, self.paths.history_dir)[0]
        kept = {id(e) for e in keep}
        return [(d, e) for d, e in lines if d != logs.SHARED or id(e) in kept]

    def rescue_orphans(self) -> Path | None:
        """Move another machine's changes out of the live log into a copy beside it
        (which the conflict-copy merge then takes in), leaving the log to go on from
        the snapshot. Returns the copy, if there was anything to move."""
        if not journal.astray(self.paths.legacy_journal, self.paths.store_file):
            return None
        with self.lock():
            return self._rescue()

    def _rescue(self) -> Path | None:
        """`rescue_orphans`, under the lock."""
        if not journal.astray(self.paths.legacy_journal, self.paths.store_file):
            return None
        seq, base = journal.head(self.read_bytes() or b"")
        if seq is None:
            return None
        entries = journal.read(self.paths.legacy_journal)
        keep, orphans = journal.classify(entries, seq, base, self.paths.history_dir)
        copy = None
        if orphans:
            import zlib

            body = b"".join(journal.encode(e) for e in orphans)
            check = zlib.crc32(body) & 0xFFFFFFFF
            copy = self.paths.data_dir / f"journal.{journal.UNFOLDED}-{seq}-{check:08x}.jsonl"
            atomic_write(copy, body)
        if keep:
            atomic_write(self.paths.legacy_journal, b"".join(journal.encode(e) for e in keep))
        else:
            self.paths.legacy_journal.unlink(missing_ok=True)
        return copy

    def parse(
        self,
        raw: bytes | None,
        entries: list[dict[str, Any]] | None = None,
        for_writing: bool = False,
    ) -> StoreDoc:
        """A snapshot's bytes and the change-log lines to take in on top (each names
        its machine; those of an older snapshot's one shared log are "shared")."""
        old = raw is not None and journal.head_number(raw, b"schema_version") == 1
        lines = [
            (logs.SHARED if old else str(e.get("log") or e.get("device") or logs.SHARED), e)
            for e in entries or []
        ]
        lines.sort(key=lambda line: (logs.stamp(line[1]), line[0], line[1]["seq"]))
        return self._parse(raw, lines, for_writing)

    def _parse(self, raw: bytes | None, pending: list[Line], for_writing: bool) -> StoreDoc:
        from pydantic import ValidationError

        from infoint.models import StoreDoc, empty_store

        path = self.paths.store_file
        if raw is None:
            data: dict[str, Any] | None = empty_store().model_dump(mode="json")
        elif not raw.strip():
            raise _describe_invalid(path, ValueError("the file is empty"))
        else:
            data = None
        notes: list[tuple[str, str]] = []
        try:
            doc: StoreDoc | None = None
            if data is None and not pending:
                with contextlib.suppress(ValidationError):  # the common case: one pass
                    doc = StoreDoc.model_validate_json(raw or b"")
            if doc is None:
                if data is None:  # an old or new version, lines to take in, or damage
                    data = _json_object(path, raw or b"")
                data = self._versioned(data, for_writing)
                folded = data.get("folded") if isinstance(data.get("folded"), dict) else {}
                todo = [(d, e) for d, e in pending if e["seq"] > (folded or {}).get(d, 0)]
                if todo and logs.replayable(data):
                    replay = logs.Replay(data, lambda uuid: logs.last_body(self.paths, uuid))
                    replay.check = record_problem
                    replay.lines(todo)
                    data = replay.finish()
                    notes = replay.notes
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
        doc._notes = notes
        return doc

    def _missing_snapshot(self) -> None:
        """No store.json, yet the folder shows a store lived here (its history, its
        backups): never start afresh on top of that."""
        from infoint import backups as backups_module

        lived = any(self.paths.history_dir.glob("journal-*.jsonl")) if (
            self.paths.history_dir.is_dir()) else False  # fmt: skip
        whole_log = any(journal.first_seq(log) == 1 for log in self.paths.logs())
        if (lived or backups_module.listed(self.paths)) and not whole_log:
            raise StoreError(
                f"The store {self.paths.store_file} is missing, but its history and backups "
                "are there. Nothing was changed.",
                hint="Put it back, or restore the newest backup: infoint doctor --restore",
            )

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

    def recovered(self, backup: StoreDoc) -> StoreDoc:
        """Replace a damaged store by `backup` plus every intact change made after it
        (from the history folder and every machine's log, passing over damaged
        lines of this machine's log; another machine's log is read up to a damaged
        line, and never written here: the sync service brings it whole again). The
        damaged files are kept in the backups folder; a damaged log's intact lines go
        on telling their history from the history folder, and this
        machine's numbers go on from the highest it ever wrote, so history and undo
        never mistake one change for another. Call under the lock."""
        lines = logs.pending(self.paths, backup.folded, intact=True)
        doc = self._parse(dump(backup), lines, True) if lines else backup
        backups.keep_copy(self.paths, reason="damaged")
        doc.base = new_base()
        mine = (self.paths.journal_file, self.paths.legacy_journal)
        damaged = [log for log in mine if journal.damaged_lines(log)]
        for log in damaged:  # a damaged line's number is never given again
            device = logs.device_of(log)
            doc.folded[device] = max(doc.folded.get(device, 0), journal.highest_seq(log, log))
        atomic_write(self.paths.store_file, dump(doc))
        for log in damaged:
            logs.archive_intact(self.paths, log)
        return doc

    def save(self, doc: StoreDoc) -> None:
        """Write the whole snapshot, then move the logs it folds in (this machine's,
        and the older layout's shared one) into the history folder. Other machines'
        logs are theirs to write: each moves its own folded lines away (`logs.trim`)."""
        backups.keep_copy(self.paths, reason="fold")
        doc.base = new_base()
        atomic_write(self.paths.store_file, dump(doc))
        device = self.paths.device
        logs.trim(self.paths, device, doc.folded.get(device, 0))
        shared = doc.folded.get(logs.SHARED)
        legacy = self.paths.legacy_journal
        if (
            shared is not None
            and journal.first_seq(legacy) is not None
            and max((e["seq"] for e in journal.intact(legacy)), default=0) <= shared
        ):
            journal.archive(legacy, self.paths.history_dir, shared)

    # the index ---------------------------------------------------------------------

    def index(self, summarize: Summarize) -> Index:
        """A valid index of the store, rebuilt first when it does not match the files."""
        from infoint.index import Index

        found = Index.open(self.paths)
        if found is not None:
            return found
        if not self.paths.data_dir.is_dir():
            from infoint.models import empty_store

            return self._build(summarize, empty_store())
        if not os.access(self.paths.data_dir, os.W_OK):  # read-only: nobody writes here
            return self._build(summarize, None)
        with self.lock():
            found = Index.open(self.paths)
            return found if found is not None else self._build(summarize, None)

    def _build(self, summarize: Summarize, doc: StoreDoc | None) -> Index:
        """A full index from every record (validated as it is read)."""
        from infoint import index as index_module

        key = index_module.source_key(self.paths, None)
        if doc is None:
            doc = self.load()
        data = doc.model_dump(mode="json")
        data["schema_version"] = self._written_version()
        moment = latest(data)
        return index_module.build(self.paths, data, summarize, key, moment)

    def _head(self) -> bytes | None:
        """The snapshot's first bytes (what `folded_of` and the version need)."""
        try:
            with open(self.paths.store_file, "rb") as handle:
                return handle.read(4096)
        except OSError:
            return None

    def _written_version(self) -> int | None:
        """The schema_version the snapshot was written with (it comes first in the file)."""
        try:
            with open(self.paths.store_file, "rb") as handle:
                head = handle.read(200)
        except FileNotFoundError:
            return SCHEMA_VERSION
        return journal.head_number(head, b"schema_version")

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        with exclusive_lock(self.paths.lock_file, self.paths.store_file):
            self._held = True
            try:
                yield
            finally:
                self._held = False

    def rebuilt(self, summarize: Summarize) -> Index:
        """A fresh index, built from every record (a damaged one is never trusted)."""
        if getattr(self, "_held", False):
            return self._build(summarize, None)
        with self.lock():
            return self._build(summarize, None)

    def partial(
        self, index: Index, summarize: Summarize | None = None, trusted: bool = False
    ) -> StoreDoc:
        """A document that holds only what is asked of it (see `Loader`); `trusted`:
        for reading only, its records are built without validating them again (the
        index's files are checked against the checksums it wrote)."""
        head = {
            "schema_version": SCHEMA_VERSION,
            "seq": index.seq,
            "base": index.manifest.get("base"),
            "folded": dict(index.manifest.get("folded") or {}),
            "hlc": int(index.manifest.get("hlc") or 0),
            "next_id": index.next_id,
        }
        refresh = (lambda: self.rebuilt(summarize)) if summarize is not None else None
        if trusted:  # what only reads: plain records, no pydantic (plain.py)
            from infoint import plain

            view = plain.view(head)
            view._loader = Loader(index, view, refresh, trusted)
            return view
        from infoint.models import Counters, StoreDoc

        doc = StoreDoc.model_construct(
            schema_version=SCHEMA_VERSION,
            seq=index.seq,
            base=index.manifest.get("base"),
            folded=dict(index.manifest.get("folded") or {}),
            hlc=int(index.manifest.get("hlc") or 0),
            next_id=Counters.model_construct(None, **index.next_id),
            contacts=[],
            meetings=[],
            events=[],
        )
        doc._loader = Loader(index, doc, refresh, trusted)
        return doc
