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

What each command reads, and where pydantic stands:
- `followups`, `contacts`: the index's follow-ups or rows; no record is built.
- `show`, `prep`, `agenda`, `stats`: the shards (or activity files) they need, built
  as plain records (plain.py) — the index proved them unchanged since infoint
  validated them — and the settings as sealed (settings_seal.py): no pydantic.
- `edit`, `outreach`, `reschedule`, `add-contact`, every write: the shard of the
  contact it changes, as models built without validating them again; what the
  command changed is validated by its model (store_doc.diff) before the change log
  line is written, so nothing unvalidated reaches a file.
- A change the index cannot vouch for (a hand edit, a sync tool, another machine's
  log) makes the next command rebuild it from every record, validated.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from infoint import backups, journal, logs
from infoint.errors import StoreError
from infoint.files import ensure_private_dir, fingerprint
from infoint.logs import folded_of
from infoint.records import SCHEMA_VERSION, iso
from infoint.store_doc import (
    Loader,
    T,
    clean_temp_files,
    diff,
    dump,
    duplicate_ids,
    invalid_record,
    latest,
    new_base,
    temp_files,
)
from infoint.store_read import Reader

if TYPE_CHECKING:
    from infoint.index import Index, Summarize
    from infoint.models import StoreDoc

__all__ = [
    "Committed",
    "Loader",
    "Reader",
    "Scope",
    "Store",
    "T",
    "clean_temp_files",
    "diff",
    "dump",
    "duplicate_ids",
    "latest",
    "new_base",
    "temp_files",
]

Scope = Literal["partial", "full"]


class Store(Reader):
    """Loads and saves the records under `paths.data_dir`."""

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
            try:
                yield doc
            except Exception as exc:  # a record the command built that its model refuses
                refused = invalid_record(exc)
                if refused is None:
                    raise
                raise refused from None
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
        own = self.paths.journal_file.name
        if _other_logs(key["journal"], own) != _other_logs(index.manifest["sources"], own):
            # another machine's log changed while this command wrote (a sync service
            # brought it): the index has not read it, so it is built anew, reading it
            self._build(summarize, None)
            return
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


def _other_logs(key: Any, own: str) -> list[Any]:
    """The part of an index's key (a whole key, or its logs' part) that is not this
    machine's own log: what only another machine, or a sync service, changes."""
    entries = key.get("journal") if isinstance(key, dict) else key
    return [entry for entry in entries or [] if entry[0] != own]


class Committed(StoreError):
    """The change was written, but bringing the index up to date failed after it."""

    def __init__(self, command: str) -> None:
        super().__init__(
            f"The change ({command}) was saved, but infoint failed right after saving it.",
            hint="Do not repeat the command: check with infoint history, then infoint doctor.",
        )
