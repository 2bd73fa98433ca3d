"""Records as plain values: handles, timestamps, the fields a user types about a
contact, and how they are checked before a model is built from them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from datetime import datetime
from typing import Any

from infoint.errors import BadInput

#: The version of store.json's layout this infoint writes (models.StoreDoc checks it).
SCHEMA_VERSION = 2


def iso(moment: datetime) -> str:
    """ISO 8601 with offset, written as pydantic writes stored times (UTC as `Z`)."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


#: Latin letters that Unicode does not decompose into an ASCII base letter.
_LATIN = str.maketrans(
    {"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "đ": "d",
     "Đ": "d", "ł": "l", "Ł": "l", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d", "ı": "i"}
)  # fmt: skip
#: How long a handle's base may be: people type it, and tables show it whole.
HANDLE_MAX = 40
#: Scripts written without spaces between syllables: each character is a word of its own.
_SYLLABIC = ("CJK", "HANGUL", "HIRAGANA", "KATAKANA", "YI ", "THAI", "LAO", "TIBETAN")


def _ascii(name: str) -> str:
    """Latin by decomposition; any other script transliterated by anyascii, each
    Chinese, Japanese or Korean character a word of its own (李小龙 → li xiao long)."""
    latin = unicodedata.normalize("NFKD", name.translate(_LATIN))
    if latin.isascii():
        return latin
    from anyascii import anyascii  # only for names beyond ASCII

    out = []
    for char in name.translate(_LATIN):
        if char.isascii():
            out.append(char)
        elif unicodedata.category(char) in ("So", "Sk", "Mn", "Cf"):
            continue  # emoji, modifiers, combining marks: nothing to read
        elif unicodedata.name(char, "").startswith(_SYLLABIC):
            out.append(f" {anyascii(char)} ")
        else:
            out.append(anyascii(char))
    return "".join(out)


def _cap(slug: str, limit: int = HANDLE_MAX) -> str:
    """At most `limit` characters, cut between words when there is a word to cut at."""
    if len(slug) <= limit:
        return slug
    words, kept = slug.split("-"), ""
    for word in words:
        longer = f"{kept}-{word}" if kept else word
        if len(longer) > limit:
            break
        kept = longer
    return kept or slug[:limit].rstrip("-")


def slugify(name: str) -> str:
    """`María Núñez` → `maria-nunez`, `李小龙` → `li-xiao-long`: lower-case ASCII words
    joined by hyphens, at most HANDLE_MAX characters (cut between words)."""
    return _cap(re.sub(r"[^a-z0-9]+", "-", _ascii(name).lower()).strip("-"))


def make_handle(name: str, taken: Container[str], contact_id: int) -> str:
    """A unique handle; a clash gets -2, -3…; nothing readable gets `contact-<id>`."""
    base = slugify(name)
    if not re.search(r"[a-z]", base):
        base = f"contact-{contact_id}"
    handle, n = base, 2
    while handle in taken:
        handle, n = f"{base}-{n}", n + 1
    return handle


def check_handle(handle: str, taken: Container[str]) -> str:
    """A handle the user chose (`edit --handle`): lower-case letters, digits and single
    hyphens, at least one letter (a number names a contact by id), not too long, and
    nobody else's."""
    wanted = handle.strip().lower()
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", wanted) or not re.search(r"[a-z]", wanted):
        raise BadInput(
            f"{handle!r} cannot be a handle: use lower-case letters, digits and hyphens, "
            "with at least one letter.",
            hint=f"For example: --handle {slugify(handle) or 'jane-doe'}"
            if re.search(r"[a-z]", slugify(handle))
            else "For example: --handle jane-doe",
        )
    if len(wanted) > HANDLE_MAX:
        raise BadInput(
            f"A handle has at most {HANDLE_MAX} characters ({len(wanted)} given).",
            hint=f"For example: --handle {_cap(wanted)}",
        )
    if wanted in taken:
        raise BadInput(
            f"The handle {wanted} is taken by another contact.",
            hint=f"Pick another, e.g. --handle {make_handle(wanted, taken, 0)}",
        )
    return wanted


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


def check_linkedin(value: str) -> str:
    """A LinkedIn profile is a linkedin.com address (`hello` is not one)."""
    text = value.strip()
    if not re.match(r"^(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/\S+$", text, re.I):
        raise BadInput(
            f'"{value}" is not a LinkedIn profile address.',
            hint="Copy it from the profile, e.g. --linkedin https://www.linkedin.com/in/jane-doe",
        )
    return text


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
            if name == "linkedin" and value.strip():
                value = check_linkedin(value)
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


def normal_linkedin(url: str | None) -> str | None:
    """`https://www.linkedin.com/in/Ada-Lovelace/` → `linkedin.com/in/ada-lovelace`."""
    if not url:
        return None
    text = url.strip().lower()
    text = re.sub(r"^https?://", "", text)
    text = re.sub(r"^(www\.|[a-z]{2}\.)", "", text)
    text = text.split("?")[0].split("#")[0].rstrip("/")
    return text or None
