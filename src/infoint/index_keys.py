"""The index's place and its keys: where it lives, the buckets, and what it must match to be
valid (the sources, the settings, the time zone). The contract is in `infoint.index`.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from infoint.errors import StoreError
from infoint.files import Paths, atomic_write

FORMAT = 13
BUCKETS = 64
#: A snapshot written this close (ns) to the index is checked by content, not by time.
RACY_NS = 2_000_000_000
#: The wall clock, for the racy window only (tests move it).
clock_ns = time.time_ns
KINDS = ("contacts", "events", "meetings")

#: Derives one contact's follow-up entry from its raw records (supplied by services).
Summarize = Callable[[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]], dict[str, Any]]


def bucket_of(contact_uuid: str) -> int:
    return zlib.crc32(contact_uuid.encode()) % BUCKETS


def local_zone() -> str:
    """What the local zone is called and its offsets: texts in the index use it."""
    return f"{time.tzname}|{time.timezone}|{time.altzone}"


def folder(paths: Paths) -> Path:
    """The index of this data folder on this machine: in the user's cache folder, or,
    when that cannot be used (a file in its place, no permission, a full disk), in the
    system's temporary folder."""
    import platformdirs

    try:
        st = os.stat(paths.data_dir)
        key = f"{st.st_dev:x}-{st.st_ino:x}"
    except OSError:
        key = f"path-{zlib.crc32(str(paths.data_dir).encode()):08x}"
    home = Path(platformdirs.user_cache_dir("infoint")) / "index" / key
    if _usable(home):
        return home
    import tempfile

    return Path(tempfile.gettempdir()) / f"infoint-{os.getuid()}" / "index" / key


def _usable(where: Path) -> bool:
    for parent in (where, *where.parents):
        if parent.exists():
            return parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)
    return False  # pragma: no cover - the root always exists


def crc_file(path: Path) -> int:
    try:
        with open(path, "rb") as handle:
            return zlib.crc32(handle.read())
    except FileNotFoundError:
        return -1


def source_key(paths: Paths, built_ns: int | None = None) -> dict[str, Any]:
    """What the index's validity is keyed by (see the module's docstring)."""
    key: dict[str, Any] = {}
    try:
        st = os.stat(paths.store_file)
        key["store"] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        racy = built_ns is None or max(st.st_mtime_ns, st.st_ctime_ns) >= built_ns - RACY_NS
        if racy:
            key["store_crc"] = crc_file(paths.store_file)
    except FileNotFoundError:
        key["store"] = None
    key["journal"] = journal_key(paths)
    return key


def journal_key(paths: Paths) -> list[Any] | None:
    """The change logs' part of the key: each machine's log by name, size and the CRC
    of its content (they are small: each is folded past journal.COMPACT_BYTES), and
    the names in the history folder (a fold elsewhere may leave lines there)."""
    out: list[Any] = []
    for log in paths.logs():
        try:
            with open(log, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            continue
        out.append([log.name, len(data), zlib.crc32(data)])
    with contextlib.suppress(OSError):
        names = sorted(os.listdir(paths.history_dir))
        out.append(["history", len(names), zlib.crc32("\n".join(names).encode())])
    return out or None


def _reseal(where: Path, manifest: dict[str, Any], paths: Paths) -> None:
    """The snapshot was checked byte for byte just now; once it is older than the
    racy window, say so in the manifest, so the next command trusts its size, times
    and inode instead of reading it whole again (git's racy-clean rule)."""
    try:
        st = os.stat(paths.store_file)
    except OSError:
        return
    now = clock_ns()
    if max(st.st_mtime_ns, st.st_ctime_ns) < now - RACY_NS:
        manifest["built_ns"] = now
        with contextlib.suppress(OSError, StoreError):
            atomic_write(where / "manifest.json", _dump(manifest), durable=False)


def settings_key(paths: Paths) -> int:
    try:
        return zlib.crc32(paths.config_file.read_bytes())
    except OSError:
        return -1


def _dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


class Stale(StoreError):
    """A file of the index changed while a command read it (replaced by another
    command), or was damaged. Callers rebuild the index and ask again; should it reach the
    user, it says what happened, and nothing was changed."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"A file of infoint's index ({name}) changed while it was being read. "
            "Nothing was changed.",
            hint="Run the command again: the index is rebuilt from your store.",
        )
