"""Outlook's CSV export ("Comma Separated Values" in Outlook's Import/Export), and
Google Contacts' "Outlook CSV" export, which uses the same column names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from infoint.errors import BadInput
from infoint.formats.common import (
    Parsed,
    Row,
    clean,
    from_inside,
    ignored_label,
    is_linkedin,
    lower_keys,
    name_or_stand_in,
    read_table,
    read_text,
)

PHONES = ("mobile phone", "primary phone", "business phone", "home phone", "other phone")


def read(path: Path, columns: Mapping[str, str] | None = None) -> Parsed:
    text, encoding, name = read_text(path, "outlook")
    return from_inside(parse(text, name, encoding), name, path)


def parse(text: str, name: str, encoding: str = "UTF-8") -> Parsed:
    table = read_table(text, name, encoding)
    header = {h.lower() for h in table.header}
    if not ({"first name", "last name"} <= header and "e-mail address" in header):
        raise BadInput(
            f"{name} does not look like an Outlook CSV export "
            "(no 'First Name', 'Last Name' and 'E-mail Address' columns).",
            hint="In Outlook choose File → Open & Export → Export to a file → Comma "
            f"Separated Values; any other CSV with a header: infoint import csv {name}",
        )
    rows = [row(number, lower_keys(record)) for number, record in table.records]
    return Parsed(rows, table.notices)


def row(number: int, get: dict[str, str]) -> Row:
    full = " ".join(
        p for p in (clean(get.get(k)) for k in ("first name", "middle name", "last name")) if p
    )
    if not full:
        full = clean(get.get("nickname")) or clean(get.get("e-mail display name")) or ""
        full = re.sub(r"\s*\([^)]*@[^)]*\)$", "", full)  # "Ada (ada@example.com)"
        if "@" in full:  # a display name that is only the address names nobody
            full = ""
    emails = [
        e
        for e in (clean(get.get(k)) for k in ("e-mail address", "e-mail 2 address",
                                               "e-mail 3 address"))
        if e and not e.startswith("/")  # an Exchange X.500 address is no e-mail
    ]  # fmt: skip
    phone = next((p for p in (clean(get.get(k)) for k in PHONES) if p), None)
    city = clean(get.get("business city")) or clean(get.get("home city"))
    country = clean(get.get("business country/region")) or clean(get.get("home country/region"))
    web = clean(get.get("web page"))
    categories = re.split(r"[;,]", get.get("categories", ""))
    tags = [c.strip().lstrip("*").strip() for c in categories if c.strip() and not ignored_label(c)]
    return name_or_stand_in(
        Row(
            number,
            name=full,
            emails=emails,
            phone=phone,
            company=clean(get.get("company")),
            role=clean(get.get("job title")),
            linkedin=web if is_linkedin(web) else None,
            location=", ".join(p for p in (city, country) if p) or None,
            notes=clean(get.get("notes")),
            tags=tags,
        )
    )
