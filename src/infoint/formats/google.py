"""Google Contacts' "Google CSV" export, in its current layout (`First Name`,
`Labels`, `E-mail 1 - Value`) and its legacy one (`Given Name`, `Group Membership`).
Google's "Outlook CSV" export is read by the outlook module."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from infoint.errors import BadInput
from infoint.formats.common import (
    CJK,
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


def read(path: Path, columns: Mapping[str, str] | None = None) -> Parsed:
    text, encoding, name = read_text(path, "google")
    return from_inside(parse(text, name, encoding), name, path)


def parse(text: str, name: str, encoding: str = "UTF-8") -> Parsed:
    table = read_table(text, name, encoding)
    header = [h.lower() for h in table.header]
    current = "first name" in header and "labels" in header
    legacy = "given name" in header and "group membership" in header
    if not (current or legacy):
        outlook = "e-mail address" in header and "first name" in header
        raise BadInput(
            f"{name} does not look like a Google Contacts CSV export"
            + (" (it is an Outlook CSV)." if outlook else "."),
            hint=f"infoint import outlook {name}"
            if outlook
            else "In Google Contacts choose Export, then 'Google CSV', and import that file; "
            f"any other CSV with a header: infoint import csv {name}",
        )
    rows = [row(number, lower_keys(record), current) for number, record in table.records]
    return Parsed(rows, table.notices)


def packed(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(":::") if part.strip()]


def row(number: int, get: dict[str, str], current: bool) -> Row:
    if current:
        parts = [get.get(k) for k in ("first name", "middle name", "last name")]
        labels, org, title = (
            get.get("labels"),
            get.get("organization name"),
            get.get("organization title"),
        )
    else:
        parts = (
            [get.get("name")]
            if get.get("name")
            else [get.get(k) for k in ("given name", "additional name", "family name")]
        )
        labels = get.get("group membership")
        org, title = get.get("organization 1 - name"), get.get("organization 1 - title")
    given = [p.strip() for p in parts if p and p.strip()]
    full = " ".join(given) or (get.get("nickname") or "").strip()
    first, last = (parts[0] or "").strip(), (parts[-1] or "").strip()
    if first and last and CJK.search(first + last):  # family name first, no space: 李小龙
        full = last + "".join(p.strip() for p in parts[1:-1] if p) + first
    emails: list[tuple[bool, str]] = []
    phones: list[str] = []
    linkedin_url = None
    for key, value in get.items():
        match = re.match(r"(e-mail|phone|website) (\d+) - value", key)
        if not match or not value.strip():
            continue
        label = get.get(
            f"{match[1]} {match[2]} - label", get.get(f"{match[1]} {match[2]} - type", "")
        )
        primary = label.strip().startswith("*")
        for item in packed(value):
            if match[1] == "e-mail":
                emails.append((primary and not emails, item))
            elif match[1] == "phone":
                phones.append(item)
            elif is_linkedin(item):
                linkedin_url = item
    ordered = [e for p, e in emails if p] + [e for p, e in emails if not p]
    tags = [label.lstrip("* ").strip() for label in packed(labels) if not ignored_label(label)]
    return name_or_stand_in(
        Row(
            number,
            name=full,
            emails=ordered,
            phone=phones[0] if phones else None,
            company=clean(org),
            role=clean(title),
            linkedin=linkedin_url,
            notes=clean(get.get("notes")),
            tags=[t for t in tags if t],
        )
    )
