"""Copies of the store in `backups/`: before the change log is folded in, before
a migration, a restore or a merge, and once a day. The newest `keep_backups` (a
setting, 10 unless changed) are kept.

A backup is the snapshot and the change logs as they were, byte for byte:
`store-<when>-<why>.json` and, when there were change logs, its companion
`store-<when>-<why>.journal.jsonl` (every machine's log, one after the other).
Together they are the whole store at that moment; a restore replays on top of them
every intact change made since.
"""

from __future__ import annotations

import time
from pathlib import Path

from infoint.errors import StoreError
from infoint.files import Paths, atomic_write

KEEP = 10
DAY_SECONDS = 24 * 3600


def keep_copy(paths: Paths, reason: str) -> Path | None:
    """Copy the current snapshot into the backups folder; None if there is none yet."""
    try:
        data = paths.store_file.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"Could not read {paths.store_file}: {exc.strerror or exc}.") from None
    log = _logs(paths)
    now = time.time_ns()
    stamp = (
        time.strftime("%Y%m%d-%H%M%S", time.gmtime(now / 1e9)) + f"-{now // 1000 % 1_000_000:06d}"
    )
    target = paths.backups_dir / f"store-{stamp}-{reason}.json"
    if log:  # the companion first: a snapshot without it would claim too little
        atomic_write(companion(target), log)
    atomic_write(target, data)
    for old in listed(paths)[: -kept(paths)]:
        companion(old).unlink(missing_ok=True)
        old.unlink(missing_ok=True)
    return target


def _logs(paths: Paths) -> bytes | None:
    """Every machine's change log, byte for byte, one after the other (a log's lines
    name their machine; those of the older layout's shared log say so in `log`)."""
    from infoint import journal

    parts: list[bytes] = []
    for log in paths.logs():
        try:
            raw = log.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise StoreError(f"Could not read {log}: {exc.strerror or exc}.") from None
        if log == paths.legacy_journal and not _older_snapshot(paths):
            # a snapshot with a log per machine: say which lines were the shared log's
            raw = b"".join(journal.encode({**e, "log": "shared"}) for e in journal.intact(log))
        parts.append(raw if raw.endswith(b"\n") or not raw else raw + b"\n")
    return b"".join(parts) or None


def _older_snapshot(paths: Paths) -> bool:
    """The snapshot is of the older layout (one shared log): its backup keeps the log
    byte for byte (a migration's backup is the store exactly as it was)."""
    from infoint import journal

    try:
        with open(paths.store_file, "rb") as handle:
            return journal.head_number(handle.read(200), b"schema_version") == 1
    except OSError:
        return False


def companion(backup: Path) -> Path:
    """The change log kept with a backup's snapshot (it may not exist)."""
    return backup.with_name(backup.name[: -len(".json")] + ".journal.jsonl")


def kept(paths: Paths) -> int:
    """How many backups to keep: the `keep_backups` setting (validated where it is set)."""
    from infoint.files import read_toml

    try:
        value = read_toml(paths.config_file).get("keep_backups", KEEP)
    except StoreError:
        return KEEP
    return value if isinstance(value, int) and value >= 1 else KEEP


def listed(paths: Paths) -> list[Path]:
    """Backups, oldest first."""
    if not paths.backups_dir.is_dir():
        return []
    return sorted(p for p in paths.backups_dir.glob("store-*.json"))


def daily(paths: Paths) -> None:
    """Keep a copy when the newest backup is more than a day old."""
    newest = listed(paths)[-1:] if paths.backups_dir.is_dir() else []
    if newest and time.time() - newest[0].stat().st_mtime < DAY_SECONDS:
        return
    keep_copy(paths, reason="daily")
