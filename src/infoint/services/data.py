"""Looking after the data: history and undo, doctor and restore, merging copies,
imports and exports."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from infoint import identity
from infoint.errors import BadInput, RuleBroken, StoreError
from infoint.files import device_id, exclusive_lock
from infoint.services.base import Conflict, HistoryEntry, LogLine, MergeCounts, Result, TrackerCore

if TYPE_CHECKING:
    from infoint.doctor import Finding
    from infoint.formats.plan import Outcomes
    from infoint.models import StoreDoc


class DataServices(TrackerCore):
    """The change log, backups, merges, imports and exports."""

    def history(self) -> list[HistoryEntry]:
        """Every change still kept, oldest first, each with `what` in plain words."""
        from infoint import history, logs

        lines = logs.everything(self.paths)
        doc = self.read()
        names = identity.shown_names(doc.contacts)
        numbers = {m.uuid: m.id for m in doc.meetings}
        undone = history.undone_by(lines)
        here = device_id(self.paths)
        for line in lines:  # the line's own keys first, as written; then these
            line["what"] = history.describe(line["changes"], names, numbers=numbers)
            line["undone_by"] = undone.get((line.get("device"), line["seq"]))
            line["elsewhere"] = line.get("device", here) != here
        return cast(list[HistoryEntry], lines)

    def undo_preview(self) -> tuple[LogLine, str]:
        """The change `undo` would take back, and what undoing it does, in words."""
        from infoint import history, logs

        entries = logs.everything(self.paths)
        target = history.undoable(entries, device_id(self.paths))
        if target is None:
            raise BadInput("There is nothing to undo.", hint="See what changed: infoint history")
        doc = self.read()
        names = identity.shown_names(doc.contacts)
        numbers = {m.uuid: m.id for m in doc.meetings}
        return cast(LogLine, target), history.describe(
            history.reverse(target), names, undoing=True, numbers=numbers
        )

    def undo(self, seq: int) -> Result[LogLine]:
        """Take back change `seq`, which must still be the newest one not undone."""
        from infoint import history, logs

        with self._transaction("undo", {"undoes": seq}, scope="full") as doc:
            entries = logs.everything(self.paths)
            target = history.undoable(entries, device_id(self.paths))
            if target is None or target["seq"] != seq:
                raise RuleBroken(
                    f"Change {seq} is no longer the last one; something else changed meanwhile.",
                    hint="Run infoint undo again to see what it would take back now.",
                )
            _put_back(doc, history.reverse(target))
            _still_whole(doc)
        return Result(cast(LogLine, target))

    def doctor(self) -> list[Finding]:
        """doctor's findings, and the settings file too: one that cannot be read (or
        holds a bad value) stops every other command, so it is an error here."""
        from infoint import doctor

        found = doctor.check(self.paths)
        try:
            self._validated_settings()
        except (BadInput, StoreError) as exc:
            found.append(doctor.Finding("error", exc.message, exc.hint))
        return found

    def restore(self, backup: Path | None = None) -> tuple[Path, bool]:
        """Put a backup back (the newest readable one unless named). Returns the backup
        and whether the restore can be undone (it can unless the store was unreadable)."""
        from infoint import backups, doctor

        chosen = backup or doctor.newest_valid_backup(self.paths)
        if chosen is None:
            raise BadInput(
                f"There is no readable backup in {self.paths.backups_dir}.",
                hint="Name one with: infoint doctor --restore FILE",
            )
        wanted = doctor.load_copy(chosen)
        try:
            with self._transaction(
                "doctor --restore", {"restored": chosen.name}, scope="full"
            ) as doc:
                backups.keep_copy(self.paths, reason="before-restore")
                _replace_records(doc, wanted)
            return chosen, True
        except StoreError:
            if not (self.paths.store_file.exists() or self.paths.logs()):
                raise
        with exclusive_lock(self.paths.lock_file, self.paths.store_file):
            wanted = self.store.recovered(wanted)
            self.store.write_index(wanted, self._summarize)
        return chosen, False

    def merge(self, path: Path) -> MergeCounts:
        """Merge a copy of the store (from a sync service, or another machine) by UUID."""
        from infoint import backups, doctor, journal, logs, merging

        lines = logs.everything(self.paths)
        copies = {p.resolve() for p in doctor.conflict_copies(self.paths)}
        if path.resolve() in copies and not _is_log(path) and logs.covered(self.paths, path, lines):
            nothing = MergeCounts(
                added=0, newer=0, kept=0, same=0, renamed=[], overwritten=[], covered=True
            )
            return self._set_aside(path, nothing)
        theirs = doctor.load_copy(path, lines)
        last = journal.last_words(lines)
        # records whose last change, on whichever machine, removed them
        gone = {uuid: c["before"] for uuid, c in last.items() if c["after"] is None and c["before"]}
        offered = {(k, r.uuid): r for k in journal.RECORD_TYPES for r in getattr(theirs, k)}
        if not theirs._bases and not theirs._removed and not _is_log(path):
            # a copy of a snapshot tells nothing of what its machine removed, nor how
            # its records looked before it changed them: the logs do
            copied = {r.uuid for kind in journal.RECORD_TYPES for r in getattr(theirs, kind)}
            theirs._removed = {
                uuid: (last[uuid]["type"], before)
                for uuid, before in gone.items()
                if uuid not in copied
            }
            here = journal.head(self.store.read_bytes() or b"")[0] or 0
            bases = journal.fork_bases(lines, min(here, theirs.seq))
            theirs._bases = {uuid: bases[uuid] for uuid in copied if bases.get(uuid)}
            _drop_superseded(theirs, lines)
        with self._transaction("merge", {"merged": path.name}, scope="full") as doc:
            backups.keep_copy(self.paths, reason="before-merge")
            counts = cast(MergeCounts, merging.merge_records(doc, theirs, gone))
            present = {r.uuid for k in journal.RECORD_TYPES for r in getattr(doc, k)}
            left_out = [  # a later change here replaced or removed them
                merging.label(k, r)
                for (k, uuid), r in offered.items()
                if uuid not in present and merging.label(k, r) not in counts.get("left_out", [])
            ]
            if left_out:
                counts.setdefault("left_out", []).extend(left_out)
        if path.name.startswith(f"journal.{self.paths.device}") and _is_log(path):
            from infoint.files import renew_device_id

            renew_device_id(self.paths)  # two machines wrote this one's log: a clone
        damaged = journal.damaged_lines(path) if _is_log(path) else 0
        if damaged:
            counts["overwritten"].append(
                f"{damaged} line{'s' if damaged > 1 else ''} of {path.name} could not be read "
                f"(damaged), so what {'they' if damaged > 1 else 'it'} changed was not merged; "
                "the copy is kept in merged/"
            )
        return self._set_aside(path, counts)

    def _set_aside(self, path: Path, counts: MergeCounts) -> MergeCounts:
        """Move a sync service's copy, once merged, into `merged/` (never deleted)."""
        from infoint import doctor

        if path.resolve() in {p.resolve() for p in doctor.conflict_copies(self.paths)}:
            folder = self.paths.data_dir / "merged"
            folder.mkdir(mode=0o700, exist_ok=True)
            os.replace(path, folder / path.name)
            counts["moved"] = 1
        return counts

    def merge_conflicts(self) -> list[Conflict]:
        """Merge every copy a sync service left beside the store (each one undoable),
        and move it into `merged/`; a copy that cannot be read is named and left."""
        from infoint import doctor
        from infoint.errors import InfointError

        out: list[Conflict] = []
        with contextlib.suppress(StoreError):  # a damaged log is doctor's to report
            self.store.rescue_orphans()
        for copy in doctor.conflict_copies(self.paths):
            try:
                out.append((copy, self.merge(copy)))
            except InfointError as exc:
                out.append((copy, exc.message))
        return out

    def import_file(
        self,
        kind: str,
        path: Path,
        tags: list[str] | None = None,
        dry_run: bool = False,
        columns: dict[str, str] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Outcomes:
        """One import is one change (one undo); a dry run writes nothing."""
        from infoint import imports

        return imports.run(self, kind, path, tags, dry_run, columns, progress)

    def import_json(self, path: Path, dry_run: bool = False) -> MergeCounts:
        """Bring back an `export json` (or merge it into what is here, by UUID);
        `dry_run`: the same merge on a copy, written nowhere."""
        from infoint import doctor, merging

        theirs, merge = doctor.load_copy(path), merging.merge_records
        if dry_run:
            return cast(MergeCounts, merge(self.read().model_copy(deep=True), theirs))
        with self._transaction("import json", {"file": path.name}, scope="full") as doc:
            counts = cast(MergeCounts, merge(doc, theirs))
            for counter in ("contact", "meeting", "event"):
                highest = max(getattr(doc.next_id, counter), getattr(theirs.next_id, counter))
                setattr(doc.next_id, counter, highest)
        return counts

    def export(
        self, kind: str, excel: bool = False, progress: Callable[[int, int], None] | None = None
    ) -> bytes:
        from infoint import imports

        return imports.export(self, kind, excel, progress)


def _drop_superseded(theirs: StoreDoc, lines: list[dict[str, Any]]) -> None:
    """Leave out of a snapshot copy each record as a later change replaced it (it is
    the "before" of a kept line, and no line after put it back, as an undo does): an
    older copy brings nothing new of it, and taking it would bring back what was
    removed or changed since."""
    from infoint import journal

    replaced: dict[str, list[dict[str, Any]]] = {}
    for item in lines:
        for change in item.get("changes", []):
            versions = replaced.setdefault(change["uuid"], [])
            if change["after"] in versions:
                versions.remove(change["after"])  # current again
            if change["before"] and change["before"] != change["after"]:
                versions.append(change["before"])
    for kind in journal.RECORD_TYPES:
        records = getattr(theirs, kind)
        kept = [r for r in records if r.model_dump(mode="json") not in replaced.get(r.uuid, [])]
        setattr(theirs, kind, kept)


def _is_log(path: Path) -> bool:
    """A copy of the change log (its lines say what they removed), not of a snapshot."""
    from infoint import doctor

    try:
        with open(path, "rb") as handle:
            return doctor.is_journal(handle.read(16))
    except OSError:
        return False


def latest_moment(doc: StoreDoc) -> datetime | None:
    """The latest moment any record was written: the index answers for any time after it."""
    moments: list[datetime] = []
    for group in (doc.contacts, doc.meetings, doc.events):
        moments.extend(r.updated_at for r in group)
        moments.extend(r.created_at for r in group)
    moments.extend(e.at for e in doc.events)
    for m in doc.meetings:
        moments.extend(t for t in (m.done_at, m.cancelled_at) if t is not None)
        if m.held:
            moments.append(m.start)
    return max(moments, default=None)


def _still_whole(doc: StoreDoc) -> None:
    """An undo must not leave a meeting or message without its contact: one recorded
    since (on another machine, say) needs the contact the undo would take away."""
    present = {c.uuid for c in doc.contacts}
    for record in (*doc.meetings, *doc.events):
        if record.contact not in present:
            raise RuleBroken(
                "Undoing that would leave a meeting or message recorded since without "
                "its contact. Nothing was changed.",
                hint="Look at infoint history; to drop the contact with everything, use "
                "infoint remove",
            )


#: Bookkeeping every change touches: never a reason to refuse an undo.
_QUIET = ("updated_at", "revision")


def _fields_back(
    current: dict[str, Any] | None, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> dict[str, Any] | None:
    """What undoing a change leaves when the record changed since: the fields the
    change set go back, the others stay as they are now; refused when a field the
    change set was changed since too (undoing it would lose that)."""
    from infoint.logs_records import _list_merge, _lists

    if current is None or before is None or after is None:
        raise _changed_since()
    touched = {k for k in {*before, *after} if before.get(k) != after.get(k)} - set(_QUIET)
    since = {k for k in {*current, *before} if current.get(k) != before.get(k)}
    lists = {k for k in touched & since if _lists(current.get(k), before.get(k), after.get(k))}
    if (touched & since) - lists:
        raise _changed_since()
    back = {k: after[k] for k in touched - lists if k in after}
    # a list both changed (a tag added on each machine): take back only this one's part
    back.update({k: _list_merge(current[k], before[k], after[k]) for k in lists})
    return {**current, **back}


def _changed_since() -> RuleBroken:
    return RuleBroken(
        "A record this change touched was changed since (on another machine, by "
        "hand, or by a merge), so undoing it could lose that.",
        hint="Look at infoint history, and fix the record with infoint edit instead.",
    )


def _put_back(doc: StoreDoc, changes: list[dict[str, Any]]) -> None:
    """Set each record to its change's `after`, checking it is still its `before`.
    One pass per kind of record, so taking back a 30,000-contact import is quick."""
    from pydantic import TypeAdapter

    from infoint.models import Event

    for kind in ("contacts", "meetings", "events"):
        mine = [c for c in changes if c["type"] == kind]
        if not mine:
            continue
        records: list[Any] = getattr(doc, kind)
        at = {r.uuid: i for i, r in enumerate(records)}
        gone: set[str] = set()
        added: list[Any] = []
        from infoint.models import Contact, Meeting

        model: Any = {"contacts": Contact, "meetings": Meeting}.get(kind)
        for change in mine:
            i = at.get(change["uuid"])
            current = records[i].model_dump(mode="json") if i is not None else None
            renumbered = {}
            if current is not None and change["before"] is not None:
                # a number or handle another machine's record took first was given
                # anew by the merge: that is no edit
                renumbered = {
                    k: current[k]
                    for k in ("id", "handle")
                    if k in current and k in change["before"]
                }
                current = {**current, **{k: change["before"][k] for k in renumbered}}
            after = change["after"]
            if current != change["before"]:
                # another change since touched other fields only: undo the fields this
                # change set, and keep theirs
                after = _fields_back(current, change["before"], after)
            if after is None:
                gone.add(change["uuid"])
                continue
            if i is not None:  # keeps what the merge gave, unless the change sets it
                after = {
                    **after,
                    **{
                        k: v
                        for k, v in renumbered.items()
                        if after.get(k) == (current or {}).get(k)
                    },
                }
            record = (
                model.model_validate(after) if model else TypeAdapter(Event).validate_python(after)
            )
            if i is None:
                added.append(record)
            else:
                record._before = current
                records[i] = record
        kept = [r for r in records if r.uuid not in gone] if gone else records
        if added:  # back where they were: records stay in the order of their ids
            kept = sorted([*kept, *added], key=lambda r: r.id)
        setattr(doc, kind, kept)


def _replace_records(doc: StoreDoc, wanted: StoreDoc) -> None:
    """Make `doc` hold exactly `wanted`'s records, marking each change for the log."""
    for kind in ("contacts", "meetings", "events"):
        current = {r.uuid: r for r in getattr(doc, kind)}
        replaced = []
        for record in getattr(wanted, kind):
            old = current.get(record.uuid)
            if old is not None and old.model_dump(mode="json") != record.model_dump(mode="json"):
                record._before = old.model_dump(mode="json")
            elif old is not None:
                record = old
            replaced.append(record)
        setattr(doc, kind, replaced)
    for counter in ("contact", "meeting", "event"):
        newest = max(getattr(doc.next_id, counter), getattr(wanted.next_id, counter))
        setattr(doc.next_id, counter, newest)
