"""What a change log or a snapshot keeps in its first bytes (a `schema_version`, a `seq`,
a `base`), read without parsing the file, and whether a log belongs to its snapshot
(`astray`). The change log is described in `infoint.journal`.
"""

from __future__ import annotations

from pathlib import Path


def head_number(raw: bytes, key: bytes) -> int | None:
    """A number a file keeps near its start: a snapshot's `schema_version` or `seq`,
    a log's first `seq`."""
    import re

    found = re.search(rb'"' + key + rb'"\s*:\s*(\d+)', raw[:200])
    return int(found.group(1)) if found else None


def head(raw: bytes) -> tuple[int | None, str | None]:
    """The `seq` and `base` a snapshot or a log line keeps near its start."""
    import re

    found = re.search(rb'"base"\s*:\s*"([0-9a-f]+)"', raw[:200])
    return head_number(raw, b"seq"), found.group(1).decode() if found else None


def _head(path: Path) -> tuple[int | None, str | None]:
    try:
        with open(path, "rb") as handle:
            return head(handle.read(200))
    except OSError:
        return None, None


def first_seq(path: Path) -> int | None:
    """The sequence number of a file's first record, read from its first bytes."""
    return _head(path)[0]


def astray(path: Path, snapshot: Path) -> bool:
    """The live log does not go on from the snapshot: it starts at or before the
    snapshot's last change, or from another snapshot. A sync service brought another
    machine's log (two small reads; `classify` tells which lines)."""
    first, base = _head(path)
    if first is None:
        return False
    try:
        with open(snapshot, "rb") as handle:
            if head_number(handle.read(200), b"schema_version") != 1:
                return False  # each machine keeps its own log since version 2 (logs.py)
    except OSError:
        return False
    folded, named = _head(snapshot)
    if folded is None:
        return False
    return first <= folded or (base is not None and named is not None and base != named)
