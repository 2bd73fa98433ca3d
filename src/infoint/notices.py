"""What taking in another machine's changes had to settle, said once per machine.

Reading every machine's log (logs.py) may renumber a contact both machines made, keep
a record one removed and the other changed, or keep the later of two edits of one
field. Every machine reaches the same result and the same notes each time it reads
the logs, until a fold makes the result the snapshot; the user hears each note once
on each machine. The notes heard are kept in the user's state folder, next to the
machine's device id (files.device_id), never in the synced data folder.

Nothing here imports pydantic.
"""

from __future__ import annotations

import contextlib
import json
import zlib
from pathlib import Path

from infoint.files import Paths, atomic_write, state_path

#: How many heard notes are remembered.
REMEMBERED = 1000


def _where(paths: Paths) -> Path | None:
    return state_path(paths, ".notes.json")


def _read(where: Path) -> dict[str, list[object]]:
    try:
        data = json.loads(where.read_bytes())
    except (OSError, ValueError):
        return {"heard": [], "waiting": []}
    if not isinstance(data, dict):
        return {"heard": [], "waiting": []}
    return {k: list(data.get(k) or []) for k in ("heard", "waiting")}


def remember(paths: Paths, notes: list[tuple[str, str]]) -> None:
    """Queue the notes this machine has not heard yet, each (key, words): the key
    names the line that led to it, so the same words met again later are said again
    (best effort: a state folder that cannot be written means a note may be said
    again)."""
    where = _where(paths) if notes else None
    if where is None:
        return
    data = _read(where)
    heard = set(data["heard"])
    new = {k: text for k, text in notes if zlib.crc32(k.encode()) not in heard}
    if not new:
        return
    data["heard"] = [*data["heard"], *(zlib.crc32(k.encode()) for k in new)][-REMEMBERED:]
    data["waiting"] = [*data["waiting"], *new.values()]
    with contextlib.suppress(OSError, ValueError):
        atomic_write(where, json.dumps(data, ensure_ascii=False).encode(), durable=False)


def take(paths: Paths) -> list[str]:
    """The notes waiting to be said, once: they are not waiting any more."""
    where = _where(paths)
    if where is None or not where.exists():
        return []
    data = _read(where)
    waiting = [str(n) for n in data["waiting"]]
    if waiting:
        data["waiting"] = []
        with contextlib.suppress(OSError, ValueError):
            atomic_write(where, json.dumps(data, ensure_ascii=False).encode(), durable=False)
    return waiting
