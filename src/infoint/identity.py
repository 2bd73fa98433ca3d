"""Who is who: the same person added twice, and two people shown under one name.

A second contact with the same e-mail (in any case), the same LinkedIn profile, or
the same name at the same company is almost always the same person typed twice: it
is refused with the existing handle named, unless --force. Two different people may
share a name ("Jane Doe" and "Jane Doe"): wherever both are shown, the handle goes
with the name. Pure functions of the contacts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from infoint.errors import RuleBroken

if TYPE_CHECKING:
    from infoint.models import Contact

#: Legal forms that say nothing about who someone works for ("Acme" is "Acme Inc.").
_LEGAL = {
    "inc", "llc", "ltd", "limited", "gmbh", "corp", "corporation", "co", "company", "plc",
    "sa", "ag", "bv", "oy", "ab", "srl", "sarl", "pty", "lp", "llp",
}  # fmt: skip


def company_key(company: str | None) -> str:
    """A company as compared: lower case, punctuation and legal forms dropped, so
    "Acme Inc." (LinkedIn) and "Acme" (typed by hand) are one company."""
    words = re.sub(r"[^\w]+", " ", (company or "").lower()).split()
    while len(words) > 1 and words[-1] in _LEGAL:
        words.pop()
    return " ".join(words)


def _linkedin(url: str | None) -> str | None:
    from infoint.records import normal_linkedin

    return normal_linkedin(url)


def same_person(
    contacts: Iterable[Contact],
    name: str,
    email: str | None,
    linkedin: str | None,
    company: str | None,
    ignore: str | None = None,
) -> tuple[Contact, str] | None:
    """The contact that is already this person, and why: the same LinkedIn profile,
    e-mail (any case), or name and company (a company must be given on both)."""
    url = _linkedin(linkedin)
    mail = (email or "").strip().lower()
    key = (" ".join(name.split()).lower(), company_key(company))
    for contact in contacts:
        if contact.uuid == ignore:
            continue
        if url and _linkedin(contact.linkedin) == url:
            return contact, "the same LinkedIn profile"
        if mail and (contact.email or "").lower() == mail:
            return contact, f"the same e-mail ({contact.email})"
        if key[1] and (contact.name.lower(), company_key(contact.company)) == key:
            return contact, f"the same name and company ({contact.company})"
    return None


def check_not_a_duplicate(
    contacts: Iterable[Contact],
    name: str,
    email: str | None,
    linkedin: str | None,
    company: str | None,
    force: bool,
    ignore: str | None = None,
    anyway: str = "Added anyway",
) -> str | None:
    """Refuse a second contact for the same person unless `force` (then a warning)."""
    found = same_person(contacts, name, email, linkedin, company, ignore)
    if found is None:
        return None
    other, why = found
    message = f"{other.name} is already here as {other.handle}, with {why}."
    if force:
        return f"{message} {anyway} (--force)."
    raise RuleBroken(
        message,
        hint=f"See them with: infoint show {other.handle} (or add --force if this is "
        "someone else).",
    )


def shown_names(contacts: Iterable[Contact], twins: Collection[str] = ()) -> dict[str, str]:
    """Each contact's name as lists show it (by UUID): the name, with the handle in
    brackets when someone else shown has the same name, or when `twins` (names in
    lower case, as the index keeps them) says someone not among `contacts` does."""
    people = list(contacts)
    counts = Counter(folded(c.name) for c in people)
    return {
        c.uuid: f"{c.name} ({c.handle})"
        if counts[folded(c.name)] > 1 or folded(c.name) in twins
        else c.name
        for c in people
    }


def folded(name: str) -> str:
    """A name as the index compares them: lower case, its spaces as one."""
    return " ".join(name.lower().split())
