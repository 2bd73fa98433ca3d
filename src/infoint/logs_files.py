"""Every machine's change log as files: which lines are pending over a snapshot, the
stamps (the hybrid logical clock), trimming and archiving a folded log. The design is
in `infoint.logs`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from infoint import journal
from infoint.files import Paths

SHARED = "shared"
_COUNTER = {"contacts": "contact", "meetings": "meeting", "events": "event"}
_QUIET = {"updated_at", "revision"}
#: How many folded logs of each machine the history folder keeps.
KEEP = 50

Line = tuple[str, dict[str, Any]]


def device_of(path: Path) -> str:
    """The machine a log belongs to: `journal.<device>.jsonl`; the shared log: SHARED."""
    parts = path.name.split(".")
    return parts[1] if len(parts) == 3 else SHARED


def stamp(entry: dict[str, Any]) -> int:
    """A line's place in the order of every machine's changes (older lines, written
    before the clock was kept, by their time)."""
    value = entry.get("hlc")
    if isinstance(value, int):
        return value
    try:
        return int(datetime.fromisoformat(entry["at"]).timestamp() * 1000) * 1000
    except (KeyError, TypeError, ValueError):
        return 0


def host() -> str:
    """This machine's name, as the notes of another machine name it."""
    try:
        return os.uname().nodename.split(".")[0]
    except AttributeError:  # pragma: no cover - Windows
        import platform

        return platform.node().split(".")[0]


def next_stamp(seen: int, now: datetime) -> int:
    """The stamp of a new line: now, in microseconds, but after everything seen."""
    return max(int(now.timestamp() * 1_000_000), seen + 1)


def _history_lines(paths: Paths, want: dict[str, int]) -> list[Line]:
    """Lines a machine folded into a snapshot that is not the one here (two machines
    folded at once, and the sync service kept the other snapshot): they are in the
    history folder, `journal-<device>-<last seq>.jsonl`."""
    folder = paths.history_dir
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    out: list[Line] = []
    for name in sorted(names):
        parts = name[: -len(".jsonl")].split("-") if name.endswith(".jsonl") else []
        if len(parts) != 3 or parts[0] != "journal" or not parts[2].isdigit():
            continue
        device, last = parts[1], int(parts[2])
        if last > want.get(device, 0):
            out.extend((device, e) for e in journal.intact(folder / name))
    return out


def pending(paths: Paths, folded: dict[str, int], intact: bool = False) -> list[Line]:
    """Every line of every log that the snapshot (`folded`) has not taken in, once
    each, in stamp order. A damaged line of this machine's log stops the read
    (journal.read says where), unless `intact`: then it is passed over (what a
    restore replays)."""
    found: dict[tuple[str, int], Line] = {}
    own = paths.journal_file
    for log in paths.logs():
        device = device_of(log)
        # another machine's log is that machine's to write: a line damaged in this
        # copy of it (the sync service brings it whole again) stops the read there,
        # and nothing after it is taken in meanwhile
        mine = log in (own, paths.legacy_journal)
        read = (journal.intact if intact else journal.read) if mine else _up_to_damage
        for entry in read(log):
            if entry["seq"] > folded.get(device, 0):
                found.setdefault((device, entry["seq"]), (device, entry))
    for device, entry in _history_lines(paths, folded):
        if entry.get("seq", 0) > folded.get(device, 0):
            found.setdefault((device, entry["seq"]), (device, entry))
    return sorted(found.values(), key=lambda line: (stamp(line[1]), line[0], line[1]["seq"]))


def _up_to_damage(log: Path) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    try:
        raw = log.read_bytes()
    except OSError:
        return out
    for line in raw.split(b"\n"):
        if not line.strip():
            continue
        entry = journal.decoded(line)
        if entry is None:
            break
        out.append(entry)
    return out


def everything(paths: Paths) -> list[dict[str, Any]]:
    """Every line still kept (the history folder and every log), once each, in
    stamp order; each names the machine that wrote it in `device` (lines written
    before machines were told apart have none)."""
    seen: dict[tuple[str, int], dict[str, Any]] = {}
    folder = paths.history_dir
    files = sorted(folder.glob("journal-*.jsonl")) if folder.is_dir() else []
    for file in [*files, *paths.logs()]:
        for entry in journal.read(file):
            entry.pop("log", None)
            seen.setdefault((str(entry.get("device") or ""), int(entry["seq"])), entry)
    return sorted(seen.values(), key=lambda e: (stamp(e), str(e.get("device") or ""), e["seq"]))


def last_body(paths: Paths, uuid: str) -> tuple[str, dict[str, Any]] | None:
    """How a record last looked in the logs kept (the history folder and every log),
    with its kind: a contact removed before the snapshot, that another machine's
    line still writes to. Reads every kept line: it is seldom needed."""
    found: tuple[str, dict[str, Any]] | None = None
    for entry in everything(paths):
        for change in entry.get("changes", []):
            if change.get("uuid") == uuid and (change.get("after") or change.get("before")):
                found = (str(change["type"]), change.get("after") or change["before"])
    return found


def covered(paths: Paths, copy: Path, lines: list[dict[str, Any]]) -> bool:
    """Whether a copy of a snapshot (two machines folded at once, and a sync service
    kept both) holds nothing that is not here: every line it folded in is folded
    here too or kept, every one of them, in a log or the history folder (none pruned
    away), and it folded the older layout's shared log as this snapshot did (two
    machines moving to the per-machine logs each fold their own), so it can be set
    aside."""
    try:
        with open(copy, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    if journal.head_number(head, b"schema_version") != 2:
        return False
    mine = _head(paths.store_file) or b""
    theirs, ours = folded_of(head), folded_of(mine)
    if theirs.get(SHARED) and (theirs[SHARED] != ours.get(SHARED) or _tip(head) != _tip(mine)):
        return False
    kept: dict[str, set[int]] = {}
    for entry in lines:
        kept.setdefault(str(entry.get("device") or SHARED), set()).add(int(entry["seq"]))
    for device, seq in theirs.items():
        if device == SHARED:
            continue
        start = ours.get(device, 0)
        if any(n not in kept.get(device, ()) for n in range(start + 1, seq + 1)):
            return False
    return bool(theirs)


def _tip(head: bytes) -> int | None:
    found = re.search(rb'"shared_tip"\s*:\s*(\d+)', head[:4096])
    return int(found.group(1)) if found else None


def folded_of(raw: bytes | None) -> dict[str, int]:
    """How far a snapshot folded each machine's log, read from its first bytes (an
    older snapshot folded the one shared log up to its `seq`)."""
    if raw is None:
        return {}
    head = raw[:4096]
    found = re.search(rb'"folded"\s*:\s*(\{[^}]*\})', head)
    if found:
        with contextlib.suppress(ValueError):
            value = json.loads(found.group(1))
            if isinstance(value, dict):
                return {str(k): v for k, v in value.items() if isinstance(v, int)}
    if journal.head_number(head, b"schema_version") == 1:
        return {SHARED: journal.head_number(head, b"seq") or 0}
    return {}


def _head(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read(4096)
    except OSError:
        return None


def last_seq(paths: Paths, device: str, folded: dict[str, int]) -> int:
    """The highest seq this machine ever gave a line (its log, its history, and what
    the snapshot folded), never to be given again."""
    top = max(folded.get(device, 0), folded.get(SHARED, 0))
    entries = journal.intact(paths.data_dir / f"journal.{device}.jsonl")
    if entries:
        top = max(top, entries[-1]["seq"])
    folder = paths.history_dir
    if folder.is_dir():
        for file in folder.glob(f"journal-{device}-*.jsonl"):
            number = file.name[: -len(".jsonl")].rsplit("-", 1)[-1]
            if number.isdigit():
                top = max(top, int(number))
    return top


def trim(paths: Paths, device: str, folded: int) -> None:
    """Move the lines of this machine's log that the snapshot folded in (another
    machine folded them) into the history folder; the log goes on with the rest."""
    log = paths.data_dir / f"journal.{device}.jsonl"
    first = journal.first_seq(log)
    if first is None or first > folded:
        return
    from infoint.files import atomic_write, ensure_private_dir

    entries = journal.read(log)
    done = [e for e in entries if e["seq"] <= folded]
    rest = [e for e in entries if e["seq"] > folded]
    ensure_private_dir(paths.history_dir)
    target = paths.history_dir / f"journal-{device}-{done[-1]['seq']:08d}.jsonl"
    atomic_write(target, b"".join(journal.encode(e) for e in done))
    if rest:
        atomic_write(log, b"".join(journal.encode(e) for e in rest))
    else:
        log.unlink(missing_ok=True)
    for old in sorted(paths.history_dir.glob(f"journal-{device}-*.jsonl"))[:-KEEP]:
        old.unlink(missing_ok=True)


def archive_intact(paths: Paths, log: Path) -> None:
    """Move the intact lines of a damaged log into the history folder, and the log
    out of the way (a copy of it is kept with the backups)."""
    from infoint.files import atomic_write, ensure_private_dir

    entries = journal.intact(log)
    device = device_of(log)
    if entries:
        ensure_private_dir(paths.history_dir)
        name = (
            f"journal-{entries[-1]['seq']:08d}.jsonl"
            if device == SHARED
            else f"journal-{device}-{entries[-1]['seq']:08d}.jsonl"
        )
        atomic_write(paths.history_dir / name, b"".join(journal.encode(e) for e in entries))
    log.unlink(missing_ok=True)
