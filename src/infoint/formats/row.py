"""What every reader makes of a file: the `Row` a line becomes, the `Parsed` file, the
cleaning each value goes through (names, e-mails, labels, spreadsheet formulas), and
the import that reads each kind of file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

#: Google's own labels that say nothing about a person.
IGNORED_LABELS = {"mycontacts", "starred"}

#: The tag given to people a file names only by e-mail or company.
UNNAMED_TAG = "unnamed"

#: What a spreadsheet would run as a formula if a cell started with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Row:
    """One person from a file, or the reason a line was passed over."""

    line: int
    name: str = ""
    emails: list[str] = field(default_factory=list)
    phone: str | None = None
    company: str | None = None
    role: str | None = None
    industry: str | None = None
    linkedin: str | None = None
    location: str | None = None
    why: str | None = None
    notes: str | None = None
    research: str | None = None
    questions: list[str] = field(default_factory=list)
    prefers: str | None = None  # in_person, phone or video
    tags: list[str] = field(default_factory=list)
    connected_on: date | None = None
    skipped: str | None = None
    # what infoint's own exports carry about the record (so a round trip loses nothing)
    key: str | None = None  # how the file names this person (a handle, a vCard UID)
    referred_by: str | None = None  # the key, handle or name of whoever referred them
    handle: str | None = None
    source: str | None = None
    archived: bool = False
    created_at: datetime | None = None


@dataclass
class Parsed:
    """What a reader made of a file: its rows, and what the user should be told about
    how it was read (an encoding or delimiter guessed, cards passed over, columns)."""

    rows: list[Row]
    notices: list[str] = field(default_factory=list)
    columns: list[tuple[str, str | None]] = field(default_factory=list)


def clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def is_linkedin(url: str | None) -> bool:
    return bool(url) and "linkedin.com/" in (url or "").lower()


#: Scripts that write the family name first, without a space (Chinese, Japanese, Korean).
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def name_or_stand_in(row: Row) -> Row:
    """A row without a name is named from its e-mail or company and tagged `unnamed`,
    so `infoint contacts --tag unnamed` finds them; with neither it is skipped."""
    if row.skipped or row.name:
        return row
    if row.emails:
        row.name = row.emails[0]
    elif row.company:
        row.name = row.company
    else:
        row.skipped = "no name"
        return row
    row.tags = [*row.tags, UNNAMED_TAG]
    return row


def emails_of(text: str) -> list[str]:
    """The addresses in a cell as people and programs write them: several separated by
    commas, semicolons or spaces, `Ada Lovelace <ada@example.com>`, `mailto:ada@…`."""
    found = []
    text = re.sub(r'"[^"]*"\s*(?=<)', "", text)  # a quoted display name may hold a comma
    for chunk in re.split(r"[;,\n]+", text):
        bracketed = re.findall(r"<([^<>\s]*)>", chunk)
        words = bracketed or chunk.split()
        with_at = [w for w in words if "@" in w]
        for word in with_at or words:
            word = re.sub(r"^mailto:", "", word.strip().strip("<>\"'"), flags=re.I)
            if word:
                found.append(word)
    return found


def ignored_label(label: str) -> bool:
    """Google's own groups (`* myContacts`, `My Contacts`, `Starred`) are not tags."""
    return "".join(label.lstrip("* ").split()).lower() in IGNORED_LABELS


def unformula(value: str) -> str:
    """Undo `spreadsheet_safe`: `'=SUM(A1)` read back is `=SUM(A1)`."""
    if value.startswith("'") and value[1:].startswith((*FORMULA_STARTS, "'")):
        return value[1:]
    return value


#: The command of each import (written out whole, so every hint names a real command).
IMPORTS = {
    "vcard": "infoint import vcard",
    "linkedin": "infoint import linkedin",
    "google": "infoint import google",
    "outlook": "infoint import outlook",
    "csv": "infoint import csv",
}

#: What each import is for, as a user would call it.
KIND_NAMES = {
    "vcard": "a vCard file",
    "linkedin": "LinkedIn's Connections.csv",
    "google": "a Google Contacts export",
    "outlook": "an Outlook CSV export",
    "csv": "a CSV file",
}
