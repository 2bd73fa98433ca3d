"""Records as plain values: handles, timestamps, the fields a user types about a
contact, and how they are checked before a model is built from them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from datetime import datetime
from typing import Any

from infoint.errors import BadInput


def iso(moment: datetime) -> str:
    """ISO 8601 with offset, written as pydantic writes stored times (UTC as `Z`)."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


#: Latin letters that Unicode does not decompose into an ASCII base letter.
_LATIN = str.maketrans(
    {"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "đ": "d",
     "Đ": "d", "ł": "l", "Ł": "l", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d", "ı": "i"}
)  # fmt: skip


def slugify(name: str) -> str:
    """`María Núñez` → `maria-nunez`, `Søren Kierkegaard` → `soren-kierkegaard`:
    lower-case ASCII words joined by hyphens."""
    latin = name.translate(_LATIN)
    ascii_name = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def make_handle(name: str, taken: Container[str], contact_id: int) -> str:
    """A unique handle; a clash gets -2, -3…; no Latin letters gets `contact-<id>`."""
    base = slugify(name)
    if not re.search(r"[a-z]", base):
        base = f"contact-{contact_id}"
    handle, n = base, 2
    while handle in taken:
        handle, n = f"{base}-{n}", n + 1
    return handle


#: Contact fields that `add-contact` and `edit` set from options of the same name.
CONTACT_FIELDS = (
    "email", "phone", "company", "role", "industry", "location", "linkedin", "source",
    "why", "notes", "prefers",
)  # fmt: skip


def check_email(value: str) -> str:
    """Validate an e-mail where the user types it; the store keeps a plain string."""
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise BadInput(
            f'"{value}" is not a valid e-mail address ({exc}).',
            hint="Write it as name@example.com, or leave --email out.",
        ) from None


def clean(value: str | None) -> str | None:
    """Strip user text; an empty value means "no value"."""
    if value is None:
        return None
    value = value.strip()
    return value or None


class ContactFields:
    """The optional fields a user can set on a contact; None means "not given"."""

    def __init__(
        self,
        email: str | None = None,
        phone: str | None = None,
        company: str | None = None,
        role: str | None = None,
        industry: str | None = None,
        location: str | None = None,
        linkedin: str | None = None,
        source: str | None = None,
        why: str | None = None,
        notes: str | None = None,
        prefers: str | None = None,
        referred_by: str | None = None,
        tags: list[str] | None = None,
    ) -> None:
        self.email, self.phone, self.company, self.role = email, phone, company, role
        self.industry, self.location, self.linkedin = industry, location, linkedin
        self.source, self.why, self.notes, self.prefers = source, why, notes, prefers
        self.referred_by = referred_by
        self.tags: list[str] = list(tags or [])

    def given(self) -> dict[str, Any]:
        """The fields the user typed, with e-mail checked and blanks turned into None."""
        out: dict[str, Any] = {}
        for name in CONTACT_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if name == "email" and value.strip():
                value = check_email(value)
            out[name] = clean(value) if isinstance(value, str) else value
        return out


def require_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise BadInput(
            "A contact needs a name.", hint='For example: infoint add-contact "Jane Doe"'
        )
    return name


def tags_after(current: list[str], add: list[str], remove: list[str] | None = None) -> list[str]:
    out = list(current)
    for tag in add:
        tag = tag.strip()
        if tag and tag.lower() not in (t.lower() for t in out):
            out.append(tag)
    drop = {t.strip().lower() for t in remove or []}
    return [t for t in out if t.lower() not in drop]
