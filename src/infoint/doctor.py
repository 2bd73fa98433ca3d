"""Looking after the data folder: what `infoint doctor` checks, how a backup is
restored, and how a copy left by a sync service is merged back in.

Sync services (Dropbox, Syncthing, iCloud…) that see one file changed on two
machines keep both, as "store (conflicted copy …).json" or
"store.sync-conflict-….json". infoint names such copies on every command and
`infoint merge FILE` takes what is newer in them, record by record.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infoint.errors import BadInput, StoreError
from infoint.files import Paths

_CONFLICT = re.compile(
    r"conflicted copy|\.sync-conflict-|\(conflict|-conflict-|case conflict"
    r"|^(store|journal) \d+\.jsonl?$"  # iCloud Drive: "store 2.json"
    r"|^(store|journal)-[A-Za-z0-9][A-Za-z0-9-]*\.jsonl?$",  # OneDrive: "store-LAPTOP.json"
    re.I,
)


@dataclass(frozen=True)
class Finding:
    """One thing doctor noticed: how bad, what, and the command that deals with it."""

    level: str  # "ok", "warning", "error"
    what: str
    fix: str | None = None


def conflict_copies(paths: Paths) -> list[Path]:
    """Copies of the store or its change log that a sync service left beside them."""
    try:
        names = os.listdir(paths.data_dir)
    except OSError:
        return []
    stems = ("store", "journal")
    return sorted(
        paths.data_dir / name
        for name in names
        if name.startswith(stems) and _CONFLICT.search(name) and not name.endswith(".tmp")
    )


def check(paths: Paths) -> list[Finding]:
    """Everything doctor looks at, in the order a person would."""
    from infoint import backups, journal
    from infoint.store import Store, temp_files

    found: list[Finding] = []
    store = Store(paths)
    doc = None
    if paths.data_dir.exists() and not paths.data_dir.is_dir():
        found.append(
            Finding("error", f"{paths.data_dir} is a file, not a folder.", "set INFOINT_HOME")
        )
        return found
    if not paths.store_file.exists() and not paths.journal_file.exists():
        found.append(Finding("ok", f"No store yet at {paths.store_file}: nothing to check."))
    else:
        try:
            doc = store.load()
        except StoreError as exc:
            newest = newest_valid_backup(paths)
            fix = "infoint doctor --restore" if newest else None
            hint = f" The newest readable backup is {newest.name}." if newest else ""
            found.append(Finding("error", exc.message + hint, fix))
    newer = _newer_version(paths)
    if doc is not None and newer:
        found.append(
            Finding(
                "error",
                f"{paths.store_file} was written by a newer infoint (schema_version {newer}): "
                "this one reads it but will not change it.",
                "pip install --upgrade infoint",
            )
        )
    elif doc is not None:
        found.append(
            Finding(
                "ok",
                f"{paths.store_file} reads and validates: {len(doc.contacts)} contacts, "
                f"{len(doc.meetings)} meetings, {len(doc.events)} messages.",
            )
        )
        found.extend(dangling(doc))
    found.extend(_permissions(paths))
    for temp in temp_files(paths.data_dir):
        found.append(
            Finding("warning", f"A temp file from an interrupted write: {temp}.", f"rm {temp}")
        )
    if journal.astray(paths.journal_file, paths.store_file):
        found.append(
            Finding(
                "warning",
                f"{paths.journal_file} holds changes from another machine that "
                f"{paths.store_file} does not: the next command you run merges them.",
            )
        )
    for copy in conflict_copies(paths):
        found.append(
            Finding(
                "warning",
                f"A sync service left a conflicting copy: {copy.name}.",
                f'infoint merge "{copy}"',
            )
        )
    count = len(backups.listed(paths))
    found.append(
        Finding("ok", f"{count} backup{'s' if count != 1 else ''} in {paths.backups_dir}.")
    )
    return found


def _newer_version(paths: Paths) -> int | None:
    import json

    from infoint.models import SCHEMA_VERSION

    try:
        version = json.loads(paths.store_file.read_bytes()).get("schema_version")
    except (OSError, ValueError, AttributeError):
        return None
    return version if isinstance(version, int) and version > SCHEMA_VERSION else None


def dangling(doc: Any) -> list[Finding]:
    """Records that point at a contact that is not there."""
    uuids = {c.uuid for c in doc.contacts}
    found = []
    for kind, records in (("meeting", doc.meetings), ("message", doc.events)):
        for record in records:
            if record.contact not in uuids:
                found.append(
                    Finding(
                        "error",
                        f"{kind.capitalize()} {record.id} belongs to a contact that is gone.",
                        "infoint doctor --restore",
                    )
                )
    for contact in doc.contacts:
        if contact.referred_by and contact.referred_by not in uuids:
            found.append(
                Finding(
                    "warning",
                    f"{contact.name} was referred by a contact that no longer exists.",
                    f'infoint edit {contact.handle} --referred-by ""',
                )
            )
    return found


def _permissions(paths: Paths) -> list[Finding]:
    found = []
    if paths.data_dir.is_dir() and stat.S_IMODE(paths.data_dir.stat().st_mode) & 0o077:
        found.append(
            Finding(
                "warning", f"{paths.data_dir} can be read by others.", f"chmod 700 {paths.data_dir}"
            )
        )
    for file in (paths.store_file, paths.journal_file, paths.config_file):
        if file.exists() and stat.S_IMODE(file.stat().st_mode) & 0o077:
            found.append(Finding("warning", f"{file} can be read by others.", f"chmod 600 {file}"))
    return found


def newest_valid_backup(paths: Paths) -> Path | None:
    from infoint import backups

    for candidate in reversed(backups.listed(paths)):
        if readable(candidate):
            return candidate
    return None


def readable(path: Path) -> bool:
    try:
        load_copy(path)
    except (BadInput, StoreError, OSError):
        return False
    return True


def paths_for(file: Path) -> Paths:
    """Paths that read `file` as if it were a store.json (for backups and copies)."""
    return Paths(data_dir=file.parent, config_file=file.parent / "config.toml")


def is_journal(raw: bytes) -> bool:
    """A change log (or a sync service's copy of one) rather than a store."""
    return raw.startswith(b'{"check":"')


def journal_copy(path: Path, raw: bytes, known: list[dict[str, Any]] | None = None) -> Any:
    """The records a copy of the change log leaves behind: for each record it touched,
    how the record looked after its last change there (a removal leaves nothing; it
    is not taken over, so a merge never drops a record), and how it looked before
    the copy's first change to it (its base, for a merge field by field). Changes the
    copy shares with `known` (this store's own log) are passed over: both sides have
    them. Lines that do not check out are passed over; the copy only ever adds to
    what is here."""
    import json as json_module

    from infoint import journal
    from infoint.models import SCHEMA_VERSION, StoreDoc

    ours = {e["seq"]: e for e in known or []}
    latest: dict[str, dict[str, Any]] = {}
    bases: dict[str, dict[str, Any] | None] = {}
    removed: dict[str, tuple[str, dict[str, Any]]] = {}
    kinds: dict[str, str] = {}
    found = 0
    for line in raw.split(b"\n"):
        try:
            entry = journal._decode(line) if line.strip() else None
        except (UnicodeDecodeError, ValueError):
            entry = None
        if entry is None:
            continue
        found += 1
        if ours.get(entry.get("seq")) == entry:
            continue
        for change in entry.get("changes", []):
            kinds[change["uuid"]] = change["type"]
            bases.setdefault(change["uuid"], change["before"])
            if change["after"] is None:
                latest.pop(change["uuid"], None)
                if bases[change["uuid"]] is not None:  # it was there before they began
                    removed[change["uuid"]] = (change["type"], bases[change["uuid"]] or {})
            else:
                latest[change["uuid"]] = change["after"]
                removed.pop(change["uuid"], None)
    if not found:
        raise BadInput(f"{path} holds no change infoint can read.")
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "contacts": [], "meetings": [],
                            "events": []}  # fmt: skip
    for uuid, record in latest.items():
        data[kinds[uuid]].append(record)
    try:
        doc = StoreDoc.model_validate_json(json_module.dumps(data))
    except ValueError as exc:
        raise BadInput(f"{path} holds a change infoint cannot read ({exc}).") from None
    doc._bases = {uuid: bases[uuid] for uuid in latest}
    doc._removed = removed
    return doc


def load_copy(path: Path, known: list[dict[str, Any]] | None = None) -> Any:
    """A backup (with the change log kept beside it), a sync service's copy of the
    store or of its change log, read and validated like a store. `known`: this
    store's own change log, which a copy of it shares up to where the two parted."""
    from infoint import backups, journal
    from infoint.store import Store

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"Could not read {path}: {exc.strerror or exc}.") from None
    if is_journal(raw):
        return journal_copy(path, raw, known)
    store = Store(paths_for(path))
    try:
        log = backups.companion(path)
        return store.parse(raw, journal.read(log) if log.exists() else None)
    except StoreError as exc:
        raise BadInput(
            exc.message.replace(str(store.paths.store_file), str(path)),
            hint="Pick another file; infoint doctor lists the backups.",
        ) from None


def merge_records(
    ours: Any, theirs: Any, gone: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Take from `theirs` every record we lack and every record they changed later
    (by `updated_at`); keep ours otherwise. Nothing is dropped from either side.
    `gone`: contacts removed here, as they were (from the change log): one that the
    other machine wrote to or met meanwhile comes back. Returns counts for the summary."""
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
                merged = _field_by_field(kind, current, record, base, overwritten)
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
    kind: str, ours: Any, theirs: Any, base: dict[str, Any], notes: list[str]
) -> Any:
    """One record changed on two machines since `base`: each side's changes to
    different fields are both kept; a field both changed keeps the later change (by
    the record's `updated_at`), and `notes` gets a line naming what gave way. None
    when nothing of theirs is new here."""
    mine = ours.model_dump(mode="json")
    other = theirs.model_dump(mode="json")
    merged = dict(mine)
    later = theirs.updated_at > ours.updated_at
    who = label(kind, ours)
    for key in sorted(mine.keys() | other.keys()):
        if key in ("id", "handle", "uuid"):
            continue  # people know it by these here
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
