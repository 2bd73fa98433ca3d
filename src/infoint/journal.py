"""The change log: `journal.jsonl`, one JSON line per command that changed something.

Each line holds the records the command added, changed or removed, with how they
looked before and after, so a change can be undone and listed. The snapshot
(`store.json`) records the last line folded into it (`seq`); lines after it are
replayed on top when the store is read, and folded in now and then. A line
starts with a CRC-32 of the rest, so a line damaged or edited by hand is caught.
A torn last line (a crash in the middle of an append) never counted: it is
ignored on reading and cut off before the next append.

Nothing here imports pydantic.
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from pathlib import Path
from typing import Any

from infoint.errors import StoreError
from infoint.files import ensure_private_dir
from infoint.journal_heads import astray as astray
from infoint.journal_heads import first_seq as first_seq
from infoint.journal_heads import head as head
from infoint.journal_heads import head_number as head_number

RECORD_TYPES = ("contacts", "meetings", "events")
#: Fold the change log into the snapshot once it is this big.
COMPACT_BYTES = 512 * 1024
#: The name part of the copy another machine's unfolded changes are moved into.
UNFOLDED = "unfolded-conflict"
_PREFIX = '{"check":"'
_HEAD = len(_PREFIX) + 8 + 2  # {"check":"xxxxxxxx",


def encode(entry: dict[str, Any]) -> bytes:
    """One line: the entry's JSON with a CRC-32 of it in front."""
    body = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    check = zlib.crc32(body.encode()) & 0xFFFFFFFF
    return f'{_PREFIX}{check:08x}",{body[1:]}\n'.encode()


def _decode(line: bytes) -> dict[str, Any] | None:
    text = line.decode("utf-8")
    if not text.startswith(_PREFIX) or len(text) < _HEAD:
        return None
    body = "{" + text[_HEAD:]
    if f"{zlib.crc32(body.encode()) & 0xFFFFFFFF:08x}" != text[len(_PREFIX) : len(_PREFIX) + 8]:
        return None
    entry: dict[str, Any] = json.loads(body)
    return entry


def read(path: Path) -> list[dict[str, Any]]:
    """Every whole entry, oldest first; a torn last line is left out."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise StoreError(f"Could not read {path}: {exc.strerror or exc}.") from None
    lines = raw.split(b"\n")
    torn = lines.pop()  # the text after the last newline: empty unless a write was cut short
    if torn and _whole(torn):
        lines.append(torn)  # complete and checked: only its newline was lost
    entries = []
    for number, line in enumerate(lines, 1):
        try:
            entry = _decode(line)
        except (UnicodeDecodeError, ValueError):
            entry = None
        if entry is None:
            raise StoreError(
                f"Line {number} of the change log {path} is damaged. It was left untouched.",
                hint="Run infoint doctor, or restore a backup of the data folder.",
            )
        entries.append(entry)
    return entries


def decoded(line: bytes) -> dict[str, Any] | None:
    """One line's entry, or None when it is damaged (its check fails, or it is not
    JSON)."""
    try:
        return _decode(line)
    except (UnicodeDecodeError, ValueError):
        return None


def _whole(line: bytes) -> bool:
    try:
        return _decode(line) is not None
    except (UnicodeDecodeError, ValueError):
        return False


def cut_torn_tail(path: Path) -> None:
    """Drop an unfinished last line left by a crash, so the next append starts clean;
    a last line that is whole and checks out (only its newline lost) is kept, and
    given its newline back."""
    try:
        with open(path, "rb+") as handle:
            size = handle.seek(0, os.SEEK_END)
            if size == 0:
                return
            handle.seek(max(0, size - 65536))
            tail = handle.read()
            if tail.endswith(b"\n"):
                return
            if b"\n" in tail or size == len(tail):
                last = tail[tail.rfind(b"\n") + 1 :]
                if _whole(last):
                    handle.seek(0, os.SEEK_END)
                    handle.write(b"\n")
                    os.fsync(handle.fileno())
                    return
            keep = size - len(tail) + tail.rfind(b"\n") + 1 if b"\n" in tail else 0
            if keep == 0 and size > len(tail):  # pragma: no cover - a line over 64 KiB
                handle.seek(0)
                whole = handle.read()
                keep = whole.rfind(b"\n") + 1
            handle.truncate(keep)
            os.fsync(handle.fileno())
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _write_error(path, exc) from None


def append(path: Path, entry: dict[str, Any]) -> None:
    """Append one entry and flush it to disk; the file is created 0600."""
    ensure_private_dir(path.parent)
    data = encode(entry)
    existed = path.exists()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError as exc:
        raise _write_error(path, exc) from None
    start = os.fstat(fd).st_size
    try:
        written = os.write(fd, data)
        if written != len(data):  # pragma: no cover - a short write on a full disk
            raise OSError(28, "No space left on device")
        os.fsync(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):  # take the line back: nothing was changed
            os.ftruncate(fd, start)
            if not existed:
                os.unlink(path)
        raise _write_error(path, exc) from None
    finally:
        os.close(fd)


def _write_error(path: Path, exc: OSError) -> StoreError:
    return StoreError(
        f"Could not write {path}: {exc.strerror or exc}. Nothing was changed.",
        hint="Free some disk space or fix the folder's permissions, then try again.",
    )


def apply(data: dict[str, Any], entries: list[dict[str, Any]]) -> None:
    """Replay entries onto a snapshot's raw JSON, in order. Records stay in the order
    of their ids, so an undone removal goes back where it was."""
    positions: dict[str, dict[str, int]] = {}
    highest: dict[str, int] = {}
    for entry in entries:
        for change in entry["changes"]:
            kind = change["type"]
            records: list[dict[str, Any]] = data.setdefault(kind, [])
            where = positions.get(kind)
            if where is None:
                where = positions[kind] = {str(r.get("uuid")): i for i, r in enumerate(records)}
                highest[kind] = max((r.get("id", 0) for r in records), default=0)
            at = where.get(change["uuid"])
            after = change["after"]
            if after is None:
                if at is not None:
                    records[at] = None  # type: ignore[call-overload]
                    del where[change["uuid"]]
            elif at is None:
                if after.get("id", 0) < highest[kind]:
                    _insert_in_order(records, after)
                    where.clear()
                    where.update({str(r.get("uuid")): i for i, r in enumerate(records) if r})
                else:
                    where[change["uuid"]] = len(records)
                    records.append(after)
                    highest[kind] = after.get("id", 0)
            else:
                records[at] = after
        if "next_id" in entry:
            data["next_id"] = entry["next_id"]
        data["seq"] = entry["seq"]
    for kind in positions:
        data[kind] = [r for r in data[kind] if r is not None]


def _insert_in_order(records: list[Any], record: dict[str, Any]) -> None:
    position = len(records)
    for i, existing in enumerate(records):
        if existing is not None and existing.get("id", 0) > record.get("id", 0):
            position = i
            break
    records.insert(position, record)


def entry(
    seq: int,
    at: str,
    command: str,
    changes: list[dict[str, Any]],
    next_id: dict[str, Any],
    base: str | None = None,
    device: str | None = None,
) -> dict[str, Any]:
    """One line of the log; `base` names the snapshot it goes on from (kept near the
    start of the line, where `astray` reads it), `device` the machine that wrote it."""
    head: dict[str, Any] = {"seq": seq, "base": base} if base else {"seq": seq}
    if device:
        head["device"] = device
    return {**head, "at": at, "command": command, "changes": changes, "next_id": next_id}


def archive(path: Path, history_dir: Path, seq: int, keep: int = 50) -> None:
    """Move a folded change log into the history folder (what undo and `history`
    read beyond the snapshot), keeping the newest `keep` of them."""
    if not path.exists():
        return
    ensure_private_dir(history_dir)
    try:
        os.replace(path, history_dir / f"journal-{seq:08d}.jsonl")
    except OSError as exc:
        raise StoreError(
            f"Could not move {path} into {history_dir}: {exc.strerror or exc}."
        ) from None
    for old in sorted(history_dir.glob("journal-*.jsonl"))[:-keep]:
        old.unlink(missing_ok=True)


def intact(path: Path) -> list[dict[str, Any]]:
    """Every whole entry that checks out; damaged lines are passed over (a later
    entry holds each record it changed whole, before and after)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return []
    out = []
    for line in raw.split(b"\n"):
        try:
            entry = _decode(line) if line.strip() else None
        except (UnicodeDecodeError, ValueError):
            entry = None
        if entry is not None:
            out.append(entry)
    return out


def damaged_lines(path: Path) -> int:
    """How many lines of a change log do not check out (a torn last line included)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return 0
    return sum(1 for line in raw.split(b"\n") if line.strip() and not _whole(line))


def since(path: Path, history_dir: Path, seq: int) -> list[dict[str, Any]]:
    """The intact entries after `seq`, from the history folder and the live log, in
    order: what a restore replays on top of a backup (a damaged entry is passed over;
    the ones after it are kept)."""
    found: dict[int, dict[str, Any]] = {}
    files = sorted(history_dir.glob("journal-*.jsonl")) if history_dir.is_dir() else []
    for file in [*files, path]:
        for item in intact(file):
            found.setdefault(item["seq"], item)
    return [found[k] for k in sorted(found) if k > seq]


def highest_seq(path: Path, history_dir: Path) -> int:
    """The highest sequence number any entry was written with, damaged ones included
    (read from the text where the line no longer checks out): never to be reused."""
    import re

    files = sorted(history_dir.glob("journal-*.jsonl")) if history_dir.is_dir() else []
    highest = 0
    for file in [*files, path]:
        with contextlib.suppress(OSError):
            for found in re.finditer(rb'"seq":(\d+)', file.read_bytes()):
                highest = max(highest, int(found.group(1)))
    return highest


def archive_intact(path: Path, history_dir: Path) -> None:
    """Move the intact entries of a damaged log into the history folder, and the log
    out of the way (a copy of it is kept with the backups)."""
    entries = intact(path)
    if entries:
        ensure_private_dir(history_dir)
        target = history_dir / f"journal-{entries[-1]['seq']:08d}.jsonl"
        from infoint.files import atomic_write

        atomic_write(target, b"".join(encode(e) for e in entries))
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def classify(
    entries: list[dict[str, Any]], seq: int, base: str | None, history_dir: Path
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The entries of the live log to replay on the snapshot (`seq`, `base`), and
    those of another line of changes, to be merged as a copy instead.

    A sync service may bring another machine's log: one that went on from another
    snapshot (its lines name that snapshot as their base), or one this machine's
    snapshot folded in part (the fold removed the log here, the other machine
    appended to it there, so no conflict copy was made). Lines the history folder
    holds as they are were folded here; a line from before the snapshot that it does
    not hold, a line naming another base, and a line without a base that follows
    either, belong to the other line of changes: replaying them on top would reuse
    numbers taken here."""
    if all(e["seq"] > seq and e.get("base", base) == base for e in entries):
        return entries, []  # the usual case
    folded: dict[int, dict[str, Any]] = {}
    files = sorted(history_dir.glob("journal-*.jsonl")) if history_dir.is_dir() else []
    for file in files:
        for item in intact(file):
            folded[item["seq"]] = item
    replay: list[dict[str, Any]] = []
    other: list[dict[str, Any]] = []
    for item in entries:
        named = item.get("base")
        if item["seq"] <= seq:
            if folded.get(item["seq"]) != item:
                other.append(item)
        elif (named is not None and named != base) or (named is None and other):
            other.append(item)
        else:
            replay.append(item)
    return replay, other


def kept_lines(path: Path, history_dir: Path) -> list[dict[str, Any]]:
    """Every intact line kept, each once: the history folder (the copies a sync
    service left in it included: another machine's fold) and the live log, by seq."""
    files = sorted(history_dir.glob("journal-*.jsonl")) if history_dir.is_dir() else []
    lines = {encode(item): item for file in [*files, path] for item in intact(file)}
    return sorted(lines.values(), key=lambda e: int(e.get("seq", 0)))


def last_words(lines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The last change `lines` (by seq) made to each record, by uuid. A copy of a
    snapshot says nothing of removals; these do."""
    out: dict[str, dict[str, Any]] = {}
    for item in lines:
        for change in item.get("changes", []):
            out[change["uuid"]] = change
    return out


def fork_bases(lines: list[dict[str, Any]], top: int) -> dict[str, dict[str, Any] | None]:
    """How each record looked where two machines' lines of changes parted: the seqs
    below `top` (the lower of the two snapshots' seqs) that both machines wrote, each
    its own way, run back to the fork; the first change after it to a record says how
    the record looked there. Empty when `top` was not written twice."""
    versions: dict[int, list[dict[str, Any]]] = {}
    for item in lines:
        seen = versions.setdefault(int(item.get("seq", 0)), [])
        if item not in seen:
            seen.append(item)
    fork = top
    while len(versions.get(fork, [])) > 1:
        fork -= 1
    out: dict[str, dict[str, Any] | None] = {}
    for item in lines:
        if int(item.get("seq", 0)) > fork:
            for change in item.get("changes", []):
                out.setdefault(change["uuid"], change["before"])
    return out if fork < top else {}


def everything(path: Path, history_dir: Path) -> list[dict[str, Any]]:
    """Every entry still kept, from the history folder and the live log, by seq."""
    seen: dict[int, dict[str, Any]] = {}
    files = sorted(history_dir.glob("journal-*.jsonl")) if history_dir.is_dir() else []
    for file in [*files, path]:
        for item in read(file):
            seen[item["seq"]] = item
    return [seen[k] for k in sorted(seen)]
