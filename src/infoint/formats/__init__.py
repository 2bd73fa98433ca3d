"""The file formats infoint reads and writes, one module each, and the registry the
CLI and the services look them up in: a format's name → its reader or writer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from infoint.formats import csv, google, ics, json, linkedin, outlook, vcard
from infoint.formats.common import Parsed

Reader = Callable[[Path, Mapping[str, str] | None], Parsed]

READERS: dict[str, Reader] = {
    "linkedin": linkedin.read,
    "google": google.read,
    "outlook": outlook.read,
    "vcard": vcard.read,
    "csv": csv.read,
}
#: Writers take what their format needs (a calendar: the settings and the clock).
WRITERS: dict[str, Callable[..., bytes]] = {
    "csv": csv.write,
    "vcard": vcard.write,
    "ics": ics.write,
    "json": json.write,
}
