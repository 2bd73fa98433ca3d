"""Looking after the data folder: what `infoint doctor` checks, how a backup is
restored, and how a copy left by a sync service is merged back in.

Sync services (Dropbox, Syncthing, iCloud…) that see one file changed on two
machines keep both, as "store (conflicted copy …).json" or
"store.sync-conflict-….json". infoint names such copies on every command and
`infoint merge FILE` takes what is newer in them, record by record.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infoint.errors import BadInput, StoreError
from infoint.files import SYNC_CONFLICT as _CONFLICT
from infoint.files import Paths


@dataclass(frozen=True)
class Finding:
    """One thing doctor noticed: how bad, what, and the command that deals with it."""

    level: str  # "ok", "warning", "error"
    what: str
    fix: str | None = None


def _other_copies(paths: Paths) -> list[Path]:
    """Sync services' copies of the settings (in the data folder) or of a draft."""
    found: list[Path] = []
    for folder, stems in ((paths.data_dir, ("config",)), (paths.data_dir / "drafts", ("",))):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        found += [folder / n for n in names if n.startswith(stems) and _CONFLICT.search(n)]
    return sorted(found)


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
    if not paths.store_file.exists() and not paths.logs():
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
        found.extend(twins(doc))
    found.extend(_permissions(paths))
    for temp in temp_files(paths.data_dir):
        found.append(
            Finding("warning", f"A temp file from an interrupted write: {temp}.", f"rm {temp}")
        )
    if journal.astray(paths.legacy_journal, paths.store_file):
        found.append(
            Finding(
                "warning",
                f"{paths.legacy_journal} holds changes from another machine that "
                f"{paths.store_file} does not: the next command you run merges them.",
            )
        )
    for log in paths.logs():
        damaged = journal.damaged_lines(log)
        if damaged and log not in (paths.journal_file, paths.legacy_journal):
            found.append(
                Finding(
                    "warning",
                    f"{damaged} line(s) of {log.name}, another machine's change log, are "
                    "damaged in this copy: its changes from there on wait until the sync "
                    "service brings the file whole again (nothing is dropped).",
                )
            )
    for copy in _other_copies(paths):
        found.append(
            Finding(
                "warning",
                f"A sync service kept two versions of {copy.relative_to(paths.data_dir)}: "
                "infoint does not merge settings or drafts. Compare the copy with the file, "
                "keep what you want, then delete the copy.",
                f'rm "{copy}"',
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


def twins(doc: Any) -> list[Finding]:
    """Contacts that are likely one person: the same LinkedIn profile or e-mail (two
    machines that each imported one export, before they synced)."""
    from infoint.records import normal_linkedin

    seen: dict[str, list[Any]] = {}
    for contact in doc.contacts:
        for key in (normal_linkedin(contact.linkedin), (contact.email or "").lower()):
            if key:
                seen.setdefault(key, []).append(contact)
    found, told = [], set()
    for same in seen.values():
        handles = tuple(sorted({c.handle for c in same}))
        if len(handles) > 1 and handles not in told:
            told.add(handles)
            found.append(
                Finding(
                    "warning",
                    f"{same[0].name} may be one person twice ({', '.join(handles)}): the same "
                    "LinkedIn profile or e-mail. If so, keep one.",
                    f"infoint remove {handles[-1]}",
                )
            )
    return found


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
    # another machine's log, as a sync service writes it, keeps the service's mode:
    # inside a private folder nobody else can reach it
    private = paths.data_dir.is_dir() and not stat.S_IMODE(paths.data_dir.stat().st_mode) & 0o077
    others = [log for log in paths.logs() if log != paths.journal_file] if private else []
    for file in (paths.store_file, *paths.logs(), paths.config_file):
        if file in others:
            continue
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
