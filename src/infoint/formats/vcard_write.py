"""Writing contacts as vCard 3.0 with vobject (its logger kept away from the terminal):
a name split into its parts the way address books expect, infoint's own fields as
X- properties, and lines folded at 75 octets.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from infoint.formats.common import CJK, UNNAMED_TAG
from infoint.formats.vcard_syntax import X_FIELDS

if TYPE_CHECKING:
    from infoint.models import Contact, StoreDoc


def quiet_vobject() -> None:
    """vobject logs what it skips at ERROR level; none of it is for the terminal."""
    logger = logging.getLogger("vobject")
    logger.propagate = False
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    for handler in [h for h in logger.handlers if not isinstance(h, logging.NullHandler)]:
        logger.removeHandler(handler)


#: Titles before and after a name, which N keeps in their own places.
PREFIXES = frozenset({"dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "prof", "prof."})

SUFFIXES = frozenset({"phd", "ph.d.", "md", "m.d.", "jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def name_parts(name: str) -> tuple[str, str, str, str]:
    """(prefix, given, family, suffix) for N. A CJK name is written family first
    (`山田 太郎`; `李小龙`, `山田太郎`: see `_cjk_parts`); a single word is a given name,
    as phones store "Cher"."""
    words = name.split()
    prefix = [w for w in words[:1] if w.lower() in PREFIXES and len(words) > 1]
    words = words[len(prefix) :]
    suffix = [w for w in words[-1:] if w.lower() in SUFFIXES and len(words) > 1]
    words = words[: len(words) - len(suffix)]
    if len(words) == 1 and CJK.search(words[0]):
        family, given = _cjk_parts(words[0])
    elif len(words) < 2:
        family, given = "", " ".join(words)
    elif CJK.search(name):
        family, given = words[0], " ".join(words[1:])
    else:
        family, given = words[-1], " ".join(words[:-1])
    return " ".join(prefix), given, family, " ".join(suffix)


#: Japanese kana: a name written with them has a family name of any length.
KANA = re.compile(r"[\u3040-\u30ff]")


def _cjk_parts(word: str) -> tuple[str, str]:
    """(family, given) of a CJK name written without a space: two or three characters
    are a one-character family name (李小龙, 김민준), four are two and two (山田太郎,
    欧阳小龙); with kana, or longer, where the family name ends cannot be told, and the
    name is kept whole as the family name."""
    if KANA.search(word) or not 2 <= len(word) <= 4:
        return word, ""
    cut = 2 if len(word) == 4 else 1
    return word[:cut], word[cut:]


def split_name(name: str) -> tuple[str, str]:
    """(family, given) for N (see `name_parts`)."""
    _, given, family, _ = name_parts(name)
    return family, given


def write(doc: StoreDoc, progress: Callable[[int, int], None] | None = None) -> bytes:
    """Every contact as a vCard 3.0 that `import vcard` brings back whole."""
    import vobject

    quiet_vobject()
    cards = []
    uids = {c.uuid for c in doc.contacts}
    for done, contact in enumerate(doc.contacts, 1):
        card = card_of(vobject, contact)
        if contact.referred_by in uids:  # whoever referred them, by their UID in this file
            card.add("x-infoint-referred-by").value = f"urn:uuid:{contact.referred_by}"
        cards.append(refold(str(card.serialize())))
        if progress is not None and done % 100 == 0:
            progress(done, len(doc.contacts))
    return "".join(cards).encode("utf-8")


#: RFC 6350 §3.2: lines SHOULD NOT be longer than 75 octets, line break excluded.
FOLD_OCTETS = 75


def refold(text: str) -> str:
    """vobject's text with every line folded at 75 octets (vobject counts characters
    for lines of fewer than 75, so a line of CJK or accented text overran), never in
    the middle of a character's UTF-8 bytes."""
    lines = text.replace("\r\n ", "").split("\r\n")
    return "".join(fold(line) + "\r\n" for line in lines if line)


def fold(line: str) -> str:
    """One content line folded: each physical line at most 75 octets, continuation
    lines starting with a space (which counts), cut only between characters."""
    data = line.encode("utf-8")
    parts: list[bytes] = []
    start, room = 0, FOLD_OCTETS
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # inside a character: cut before it
            end -= 1
        parts.append(data[start:end])
        start, room = end, FOLD_OCTETS - 1
    parts.append(data[start:])
    return "\r\n ".join(part.decode("utf-8") for part in parts)


def card_of(vobject: Any, contact: Contact) -> Any:
    card = vobject.vCard()
    card.add("fn").value = contact.name
    if UNNAMED_TAG in contact.tags and contact.name == (contact.company or "").strip():
        card.add("n").value = vobject.vcard.Name()  # a company, not a person
        card.add("x-abshowas").value = "COMPANY"
    else:
        prefix, given, family, suffix = name_parts(contact.name)
        card.add("n").value = vobject.vcard.Name(
            family=family, given=given, prefix=prefix, suffix=suffix
        )
    if contact.email:
        email = card.add("email")
        email.value = contact.email
        email.type_param = "INTERNET"
    if contact.phone:
        card.add("tel").value = contact.phone
    if contact.company:
        card.add("org").value = [contact.company]
    if contact.role:
        card.add("title").value = contact.role
    if contact.linkedin:
        card.add("url").value = contact.linkedin
    if contact.location:
        card.add("x-infoint-location").value = contact.location
    if contact.tags:
        card.add("categories").value = list(contact.tags)
    if contact.notes:
        card.add("note").value = contact.notes
    for prop, name in X_FIELDS.items():
        value = getattr(contact, name)
        if value:
            card.add(prop.lower()).value = value
    for question in contact.questions:
        card.add("x-infoint-question").value = question
    if contact.connected_on:
        card.add("x-infoint-connected-on").value = contact.connected_on.isoformat()
    if contact.archived:
        card.add("x-infoint-archived").value = "TRUE"
    card.add("x-infoint-created-at").value = contact.created_at.isoformat()
    card.add("uid").value = f"urn:uuid:{contact.uuid}"
    return card
