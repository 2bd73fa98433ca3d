"""config.toml as its model last validated it, so that a command need not import
pydantic to read the settings.

The first command to meet config.toml in its current bytes validates it with
`models.Settings` and writes the values beside the index's folder (a cache of this
machine's, never synced; the index's folder itself is replaced whole when rebuilt),
sealed with a checksum of the bytes it validated and of the rules that did (the
version, and the models' source). A later command under the same rules whose
config.toml has the same checksum reads the values from there; any other bytes, a
damaged or missing seal, other rules: validated again. doctor always validates them.
"""

from __future__ import annotations

import contextlib
import json
import zlib
from pathlib import Path
from typing import Any

from infoint import __version__
from infoint.errors import StoreError
from infoint.files import Paths, atomic_write, ensure_private_dir


def key_of(raw: bytes) -> str:
    """The bytes validated, and the rules that validated them (this version's models:
    a build that changes a setting's bounds does not trust an older build's seal)."""
    try:
        rules = zlib.crc32(Path(__file__).with_name("models.py").read_bytes())
    except OSError:
        rules = 0
    return f"{zlib.crc32(raw):08x}-{len(raw)}-{__version__}-{rules:08x}"


def where(paths: Paths) -> Path:
    from infoint.index_keys import folder

    index = folder(paths)
    return index.with_name(index.name + ".settings.json")


def read(paths: Paths) -> dict[str, Any] | None:
    """The values validated from config.toml's current bytes, or None."""
    try:
        key = key_of(paths.config_file.read_bytes())
        sealed = json.loads(where(paths).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(sealed, dict) or sealed.get("key") != key:
        return None
    values = sealed.get("values")
    return values if isinstance(values, dict) else None


def write(paths: Paths, raw: bytes, values: dict[str, Any]) -> None:
    """Seal `values`, validated from config.toml's bytes `raw` (a cache: best effort)."""
    seal = where(paths)
    data = json.dumps({"key": key_of(raw), "values": values}, ensure_ascii=False)
    with contextlib.suppress(OSError, StoreError):
        ensure_private_dir(seal.parent)
        atomic_write(seal, data.encode(), durable=False)
