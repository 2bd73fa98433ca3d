"""LinkedIn's Connections.csv, alone or inside the data-export .zip, from the 2016
layout (`Connected On` as `12/22/16, 9:55 AM`) to today's (`01 Jan 2024`, a "Notes:"
preamble before the header)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from infoint.errors import BadInput
from infoint.formats.common import (
    Parsed,
    Row,
    clean,
    decode,
    is_zip,
    lower_keys,
    name_or_stand_in,
    other_import,
    read_bytes,
    read_table,
    zip_member,
)

ZIP_HINT = "In LinkedIn's data export, tick Connections, then import the .zip."
DATE_PATTERNS = (
    "%d %b %Y",  # 01 Jan 2024 (2019 on)
    "%m/%d/%y, %I:%M %p",  # 12/22/16, 9:55 AM (2016-2018)
    "%m/%d/%Y, %I:%M %p",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%y",
    "%m/%d/%Y",
    "%d-%b-%y",
    "%Y-%m-%d",
    "%b %d, %Y",
)


def read(path: Path, columns: Mapping[str, str] | None = None) -> Parsed:
    raw = read_bytes(path)
    name = path.name
    if is_zip(raw) or path.suffix.lower() == ".zip":
        raw, name = zip_member(raw, path.name, "connections.csv", "Connections.csv", ZIP_HINT)
    text, encoding = decode(raw, name)
    return parse(text, name, encoding)


def parse(text: str, name: str, encoding: str = "UTF-8") -> Parsed:
    lines = text.splitlines()
    start = next(
        (i for i, line in enumerate(lines) if "first name" in line.lower()
         and "last name" in line.lower()),
        None,
    )  # fmt: skip
    refused = other_import(text, name, "linkedin")  # Outlook's CSV has first and last names too
    if refused:
        raise refused
    if start is None:
        raise BadInput(
            f"{name} does not look like LinkedIn's Connections.csv "
            "(no 'First Name,Last Name' header).",
            hint="Import the Connections.csv from LinkedIn's data export (or the whole .zip).",
        )
    table = read_table(text, name, encoding, start)
    rows = []
    for number, record in table.records:
        get = lower_keys(record)
        full = " ".join(p for p in (clean(get.get("first name")), clean(get.get("last name"))) if p)
        email = clean(get.get("email address"))
        rows.append(
            name_or_stand_in(
                Row(
                    number,
                    name=full,
                    emails=[email] if email else [],
                    company=clean(get.get("company") or get.get("current company")),
                    role=clean(get.get("position") or get.get("current position")),
                    linkedin=clean(get.get("url") or get.get("profile url")),
                    connected_on=connected(get.get("connected on")),
                )
            )
        )
    notices = list(table.notices)
    undated = [r.line for r in rows if not r.skipped and r.connected_on is None]
    dated_column = any("connected on" in h.lower() for h in table.header)
    if dated_column and undated:
        notices.append(
            f"'Connected On' was not a date infoint knows on line(s) "
            f"{', '.join(map(str, undated[:5]))}{'…' if len(undated) > 5 else ''}: left empty."
        )
    return Parsed(rows, notices)


def connected(text: str | None) -> date | None:
    value = " ".join((text or "").split())
    if not value:
        return None
    for pattern in DATE_PATTERNS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None
