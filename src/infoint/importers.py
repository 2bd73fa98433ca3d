"""Reading the exports people really have: LinkedIn's Connections.csv (or the whole
export .zip), Google Contacts CSV (current and legacy layouts) and vCard 3.0/4.0.

Each reader yields `Row`s: a line number and the fields infoint keeps, or the
reason a line was skipped. A file whose header cannot be found is refused as a
whole: "0 imported" is never reported as success.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from infoint.errors import BadInput

IGNORED_LABELS = {"mycontacts", "starred"}


@dataclass
class Row:
    """One person from a file, or the reason a line was passed over."""

    line: int
    name: str = ""
    emails: list[str] = field(default_factory=list)
    phone: str | None = None
    company: str | None = None
    role: str | None = None
    linkedin: str | None = None
    location: str | None = None
    notes: str | None = None
    tags: list[str] = field(default_factory=list)
    connected_on: date | None = None
    skipped: str | None = None


def read_text(path: Path) -> str:
    """A CSV or vCard file as text (UTF-8, with or without a byte-order mark)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"Could not read {path}: {exc.strerror or exc}.") from None
    return decode(raw, path.name)


def decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(
            f"{name} is not a UTF-8 text file.",
            hint="Export it again as CSV (UTF-8) or vCard, and import that file.",
        ) from None


def clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def normal_linkedin(url: str | None) -> str | None:
    """`https://www.linkedin.com/in/Ada-Lovelace/` → `linkedin.com/in/ada-lovelace`."""
    if not url:
        return None
    text = url.strip().lower()
    text = re.sub(r"^https?://", "", text)
    text = re.sub(r"^(www\.|[a-z]{2}\.)", "", text)
    text = text.split("?")[0].split("#")[0].rstrip("/")
    return text or None


def _is_linkedin(url: str | None) -> bool:
    return bool(url) and "linkedin.com/" in (url or "").lower()


# LinkedIn ------------------------------------------------------------------------------


def linkedin(path: Path) -> list[Row]:
    """Connections.csv, or the LinkedIn export .zip that holds it (read in memory)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith("connections.csv")]
            if not names:
                raise BadInput(
                    f"{path.name} has no Connections.csv inside.",
                    hint="In LinkedIn's data export, tick Connections, then import the .zip.",
                )
            text = decode(archive.read(names[0]), names[0])
    else:
        text = read_text(path)
    lines = text.splitlines()
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if "first name" in line.lower() and "last name" in line.lower()
        ),
        None,
    )
    if start is None:
        raise BadInput(
            f"{path.name} does not look like LinkedIn's Connections.csv "
            "(no 'First Name,Last Name' header).",
            hint="Import the Connections.csv from LinkedIn's data export (or the whole .zip).",
        )
    reader = csv.DictReader(io.StringIO("\n".join(lines[start:])))
    rows = []
    for offset, record in enumerate(reader):
        number = start + 2 + offset  # lines are counted from 1, after the header
        get = {(k or "").strip().lower(): (v or "") for k, v in record.items()}
        name = " ".join(p for p in (clean(get.get("first name")), clean(get.get("last name"))) if p)
        if not name:
            rows.append(Row(number, skipped="no name"))
            continue
        email = clean(get.get("email address"))
        rows.append(
            Row(
                number,
                name=name,
                emails=[email] if email else [],
                company=clean(get.get("company")),
                role=clean(get.get("position")),
                linkedin=clean(get.get("url") or get.get("profile url")),
                connected_on=_connected(get.get("connected on")),
            )
        )
    return rows


def _connected(text: str | None) -> date | None:
    for pattern in ("%d %b %Y", "%d-%b-%y", "%m/%d/%y", "%Y-%m-%d"):
        try:
            return datetime.strptime((text or "").strip(), pattern).date()
        except ValueError:
            continue
    return None


# Google ----------------------------------------------------------------------------------


def google(path: Path) -> list[Row]:
    """Google Contacts "Google CSV", current or legacy layout."""
    text = read_text(path)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    current = "first name" in header and "labels" in header
    legacy = "given name" in header and "group membership" in header
    if not (current or legacy):
        raise BadInput(
            f"{path.name} does not look like a Google Contacts CSV export.",
            hint="In Google Contacts choose Export, then 'Google CSV', and import that file.",
        )
    rows = []
    for record in reader:
        number = reader.line_num
        get = {(k or "").strip().lower(): (v or "") for k, v in record.items()}
        rows.append(_google_row(number, get, current))
    return rows


def _packed(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(":::") if part.strip()]


def _google_row(number: int, get: dict[str, str], current: bool) -> Row:
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
            else [get.get(k) for k in ("given name", "family name")]
        )
        labels = get.get("group membership")
        org, title = get.get("organization 1 - name"), get.get("organization 1 - title")
    name = (
        " ".join(p.strip() for p in parts if p and p.strip()) or (get.get("nickname") or "").strip()
    )
    if not name:
        return Row(number, skipped="no name")
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
        for item in _packed(value):
            if match[1] == "e-mail":
                emails.append((primary and not emails, item))
            elif match[1] == "phone":
                phones.append(item)
            elif _is_linkedin(item):
                linkedin_url = item
    ordered = [e for p, e in emails if p] + [e for p, e in emails if not p]
    tags = [
        label.lstrip("* ").strip()
        for label in _packed(labels)
        if label.lstrip("* ").strip().lower() not in IGNORED_LABELS
    ]
    return Row(
        number,
        name=name,
        emails=ordered,
        phone=phones[0] if phones else None,
        company=clean(org),
        role=clean(title),
        linkedin=linkedin_url,
        notes=clean(get.get("notes")),
        tags=[t for t in tags if t],
    )


# vCard -------------------------------------------------------------------------------------


def vcard(path: Path) -> list[Row]:
    """vCard 3.0 and 4.0, any number of cards in one file."""
    import vobject

    text = read_text(path)
    if "BEGIN:VCARD" not in text.upper():
        raise BadInput(
            f"{path.name} is not a vCard file (no BEGIN:VCARD).",
            hint="Export your contacts as vCard (.vcf) and import that file.",
        )
    rows = []
    starts = [
        i + 1 for i, line in enumerate(text.splitlines()) if line.strip().upper() == "BEGIN:VCARD"
    ]
    try:
        cards = list(vobject.readComponents(text, ignoreUnreadable=True))
    except Exception as exc:  # vobject raises its own ParseError and plain ValueErrors
        raise BadInput(f"{path.name} is not a readable vCard file ({exc}).") from None
    for number, card in zip(starts, cards, strict=False):
        rows.append(_card_row(number, card))
    return rows


def _values(card: object, name: str) -> list[object]:
    return [item.value for item in getattr(card, "contents", {}).get(name, [])]


def _card_row(number: int, card: object) -> Row:
    names = _values(card, "fn")
    name = str(names[0]).strip() if names else ""
    if not name:
        structured = _values(card, "n")
        if structured:
            n = structured[0]
            name = " ".join(p for p in (getattr(n, "given", ""), getattr(n, "family", "")) if p)
    if not name:
        return Row(number, skipped="no name")
    org = _values(card, "org")
    company = None
    if org:
        value = org[0]
        company = value[0] if isinstance(value, list) and value else str(value)
    urls = [str(u) for u in _values(card, "url")]
    categories: list[str] = []
    for value in _values(card, "categories"):
        categories.extend(value if isinstance(value, list) else str(value).split(","))
    notes = [str(n) for n in _values(card, "note")]
    return Row(
        number,
        name=name,
        emails=[str(e).strip() for e in _values(card, "email") if str(e).strip()],
        phone=next((str(t) for t in _values(card, "tel")), None),
        company=clean(company),
        role=clean(str(_values(card, "title")[0])) if _values(card, "title") else None,
        linkedin=next((u for u in urls if _is_linkedin(u)), None),
        notes=clean("\n".join(notes)),
        tags=[c.strip() for c in categories if c.strip()],
    )


READERS = {"linkedin": linkedin, "google": google, "vcard": vcard}


def rows_of(kind: str, path: Path) -> Iterator[Row]:
    yield from READERS[kind](path)
