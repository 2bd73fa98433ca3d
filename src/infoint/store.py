"""The store: a snapshot, a change log, and an index, written without ever losing data.

- `store.json` is the snapshot: every record, human-readable, with the
  `schema_version` and the last change-log entry folded into it (`seq`).
- `journal.jsonl` is the change log (see journal.py): one line per command after
  the snapshot, with each record's before and after. Reading replays it on top of
  the snapshot; once it passes `journal.COMPACT_BYTES` the next write folds it in.
- The index (see index.py) is a machine-local copy laid out by contact, kept in the
  user's cache folder: a command about one person reads that person's shard, a
  listing reads the rows, the morning look reads the follow-ups. It is checked
  against the two files above before every use and rebuilt (validating every
  record) when they differ.

One command is one transaction: an exclusive lock on `.infoint.lock` inside the
data folder (so every process that sees the folder, by whatever path or cache
folder, shares it), a fresh read of what the command needs, the change, then an
append to the change log (fsync) or an atomic snapshot (temp file, fsync,
`os.replace`, fsync of the folder). A store that cannot be read or validated is
reported with its path and never overwritten. Reading commands take no lock: they
check that the files they read did not change while they read them.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from infoint import backups, journal, logs
from infoint.errors import StoreError
from infoint.files import Paths, atomic_write, ensure_private_dir, exclusive_lock, fingerprint
from infoint.logs import Line, folded_of
from infoint.models import SCHEMA_VERSION, Record, StoreDoc, empty_store
from infoint.records import iso

if TYPE_CHECKING:
    from infoint.index import Index, Summarize

Scope = Literal["partial", "full"]
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


class Store:
    """Loads and saves the records under `paths.data_dir`."""

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

        path = self.paths.store_file
        if raw is None:
            data: dict[str, Any] | None = empty_store().model_dump(mode="json")
        elif not raw.strip():
            raise _describe_invalid(path, ValueError("the file is empty"))
        else:
            data = None
        notes: list[str] = []
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
                    replay = logs.Replay(data)
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
        lines). The damaged files are kept in the backups folder; a damaged log's
        intact lines go on telling their history from the history folder, and this
        machine's numbers go on from the highest it ever wrote, so history and undo
        never mistake one change for another. Call under the lock."""
        lines = logs.pending(self.paths, backup.folded, intact=True)
        doc = self._parse(dump(backup), lines, True) if lines else backup
        backups.keep_copy(self.paths, reason="damaged")
        doc.base = new_base()
        damaged = [log for log in self.paths.logs() if journal.damaged_lines(log)]
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
        from infoint.models import Counters

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
        refresh = (lambda: self.rebuilt(summarize)) if summarize is not None else None
        doc._loader = Loader(index, doc, refresh, trusted)
        return doc

    # writing -------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(
        self,
        command: str,
        at: datetime,
        summarize: Summarize | None = None,
        extra: dict[str, Any] | None = None,
        scope: Scope = "full",
    ) -> Iterator[StoreDoc]:
        """Lock, read what the command needs, let it change the document, then record the
        change and bring the index up to date.

        If the body raises, nothing is written. Once the change is in the change log it
        holds, whatever happens to the index after it: `Committed` says so.
        """
        with self.lock():
            journal.cut_torn_tail(self.paths.journal_file)
            clean_temp_files(self.paths.data_dir)
            self._rescue()  # never append after another machine's line of changes
            index = None
            if scope == "partial" and summarize and self.paths.store_file.exists():
                index = self._fresh_index(summarize)
            if index is not None and index.manifest.get("schema") != SCHEMA_VERSION:
                index = None  # an older store is upgraded, a newer one refused, the long way
            if index is not None:
                doc = self.partial(index, summarize)
                loader: Loader = doc._loader
                before = loader.before
            else:
                doc = self.load(for_writing=True)
                before = {
                    kind: {r.uuid: r for r in getattr(doc, kind)} for kind in journal.RECORD_TYPES
                }
            yield doc
            changes = diff(doc, before)
            if not changes:
                return
            if index is None:  # a whole document: what it will be must read back
                problem = duplicate_ids(doc)
                if problem:
                    raise StoreError(
                        f"That would leave the store unreadable ({problem}). Nothing was changed.",
                        hint="Check the file you brought in: each record needs its own uuid.",
                    )
            if index is not None:
                index = loader.index  # rebuilt if a file of it was found damaged
            folded = self.commit(doc, command, at, changes, extra, partial=index is not None)
            try:
                if summarize is None:
                    from infoint.index import clear

                    clear(self.paths)  # rebuilt by the next command that reads it
                else:
                    self._after_commit(summarize, doc, index, changes, folded)
            except (Exception, KeyboardInterrupt):
                raise Committed(command) from None

    def _fresh_index(self, summarize: Summarize) -> Index | None:
        from infoint.index import Index

        found = Index.open(self.paths)
        if found is None:
            try:
                found = self._build(summarize, None)
            except StoreError:
                return None  # the full load reports it, with its path
        return found

    def _after_commit(
        self,
        summarize: Summarize,
        doc: StoreDoc,
        index: Index | None,
        changes: list[dict[str, Any]],
        folded: StoreDoc | None,
    ) -> None:
        from infoint import index as index_module

        if folded is not None or index is None:
            full = folded if folded is not None else doc
            self._build(summarize, full)
            return
        key = dict(index.manifest["sources"])
        key["journal"] = index_module.journal_key(self.paths)
        moment = max(
            index.valid_from,
            latest(
                {
                    k: [c["after"] for c in changes if c["after"] and c["type"] == k]
                    for k in journal.RECORD_TYPES
                }
            ),
            key=datetime.fromisoformat,
        )
        index_module.update(
            self.paths,
            index,
            changes,
            summarize,
            key,
            doc.seq,
            doc.next_id.model_dump(mode="json"),
            moment,
            doc.hlc,
        )

    def commit(
        self,
        doc: StoreDoc,
        command: str,
        at: datetime,
        changes: list[dict[str, Any]],
        extra: dict[str, Any] | None = None,
        partial: bool = False,
    ) -> StoreDoc | None:
        """Append the change to the log; fold the log into a new snapshot once it is big
        (or when there is no snapshot yet). Returns the whole document when it folded."""
        ensure_private_dir(self.paths.data_dir)
        device = self.paths.device
        own = logs.last_seq(self.paths, device, doc.folded) + 1
        doc.hlc = logs.next_stamp(doc.hlc, at)
        doc.seq += 1
        next_id = doc.next_id.model_dump(mode="json")
        entry = journal.entry(own, iso(at), command, changes, next_id, doc.base, device)
        entry["hlc"] = doc.hlc
        entry["host"] = logs.host()
        entry.update(extra or {})
        on_disk = folded_of(self._head())
        if on_disk.get(device):  # a fold (maybe on another machine) took lines of ours in
            with contextlib.suppress(StoreError):
                logs.trim(self.paths, device, on_disk[device])
        journal.append(self.paths.journal_file, entry)  # from here on, the change holds
        doc.folded[device] = own
        for kind in journal.RECORD_TYPES:
            for record in getattr(doc, kind):
                record._before = None
        # folding the log in and the daily copy are upkeep: if the disk refuses them
        # now, the change is safe in the log and the next write tries again
        folded: StoreDoc | None = None
        with contextlib.suppress(StoreError):
            if (
                not self.paths.store_file.exists()
                or fingerprint(self.paths.journal_file)[0] > journal.COMPACT_BYTES
                or journal.head_number(self._head() or b"", b"schema_version")
                != SCHEMA_VERSION  # an older layout is migrated at once
            ):
                whole = self.load(for_writing=True) if partial else doc
                self.save(whole)
                folded = whole
            else:
                backups.daily(self.paths)
        return folded

    def write_index(self, doc: StoreDoc, summarize: Summarize) -> None:
        """Rebuild the index from `doc` (best effort: it is a cache)."""
        with contextlib.suppress(StoreError, OSError):
            self._build(summarize, doc)


class Committed(StoreError):
    """The change was written, but bringing the index up to date failed after it."""

    def __init__(self, command: str) -> None:
        super().__init__(
            f"The change ({command}) was saved, but infoint failed right after saving it.",
            hint="Do not repeat the command: check with infoint history, then infoint doctor.",
        )


class Loader:
    """Brings records into a partial document one shard (a bucket of contacts with
    their events and meetings) at a time, validating them as it goes, and keeps how
    they looked so the transaction can tell what changed."""

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
        from pydantic import TypeAdapter

        from infoint.index import Stale
        from infoint.models import Contact, Event, Meeting, trusted, trusted_event

        try:
            raw = self.index.shard(number)
        except Stale:
            if self.refresh is None:
                raise
            self.index = self.refresh()
            raw = self.index.shard(number)
        self.loaded.add(number)
        for kind, model in (("contacts", Contact), ("events", Event), ("meetings", Meeting)):
            if not self.trusted:  # a change is made on records validated as they are read
                records = TypeAdapter(list[model]).validate_python(raw[kind])  # type: ignore[valid-type]
            elif kind == "events":
                records = [trusted_event(r) for r in raw[kind]]
            else:
                records = [trusted(model, r) for r in raw[kind]]  # type: ignore[arg-type]
            getattr(self.doc, kind).extend(records)
            for record in records:
                self.before[kind][record.uuid] = record  # type: ignore[attr-defined]

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
