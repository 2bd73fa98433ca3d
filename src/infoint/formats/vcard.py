"""vCard 2.1, 3.0 and 4.0 as phones, mail programs and address books really write
them, read by a tolerant parser of our own: quoted-printable values with soft line
breaks and a CHARSET (Android, Outlook, BlackBerry), photos and other binary
properties passed over (folded or not), grouped properties (`item1.EMAIL` with
`item1.X-ABLabel`, iPhone and macOS), structured N and ORG with commas, TEL URIs,
PREF in its 2.1, 3.0 and 4.0 spellings, PROFILE (Lotus Notes), and any line ending.

One bad card never sinks the file: it becomes a skipped row with its line number,
and lines that are not vCard at all are counted in a notice. The writer uses vobject;
its logger is kept away from the terminal.
"""

from __future__ import annotations

import base64
import logging
import quopri
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from infoint.errors import BadInput
from infoint.formats.common import (
    CJK,
    UNNAMED_TAG,
    Parsed,
    Row,
    clean,
    from_inside,
    ignored_label,
    is_linkedin,
    name_or_stand_in,
    read_as,
    read_text,
)

if TYPE_CHECKING:
    from infoint.models import Contact, StoreDoc

PROPERTY = re.compile(
    r"^(?:(?P<group>[A-Za-z0-9_-]+)\.)?(?P<name>[A-Za-z0-9_-]+)"
    r"(?P<params>(?:;(?:\"[^\"]*\"|[^\";:])*)*):(?P<value>.*)$",
    re.S,
)
_T = TypeVar("_T")
BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}
ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
#: What infoint writes that other address books have no property for.
X_FIELDS = {
    "X-INFOINT-INDUSTRY": "industry",
    "X-INFOINT-WHY": "why",
    "X-INFOINT-RESEARCH": "research",
    "X-INFOINT-PREFERS": "prefers",
    "X-INFOINT-SOURCE": "source",
    "X-INFOINT-HANDLE": "handle",
}


def quiet_vobject() -> None:
    """vobject logs what it skips at ERROR level; none of it is for the terminal."""
    logger = logging.getLogger("vobject")
    logger.propagate = False
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    for handler in [h for h in logger.handlers if not isinstance(h, logging.NullHandler)]:
        logger.removeHandler(handler)


@dataclass
class Prop:
    line: int
    group: str
    name: str
    params: dict[str, list[str]]
    value: str


@dataclass
class Card:
    line: int
    props: list[Prop] = field(default_factory=list)
    closed: bool = False


# reading ---------------------------------------------------------------------------------


def read(path: Path, columns: Mapping[str, str] | None = None) -> Parsed:
    text, encoding, name = read_text(path, "vcard")
    parsed = parse(text, name)
    said = read_as(name, encoding)
    if said:
        parsed.notices.insert(0, said)
    return from_inside(parsed, name, path)


def parse(text: str, name: str) -> Parsed:
    if "BEGIN:VCARD" not in text.upper():
        raise BadInput(
            f"{name} is not a vCard file (no BEGIN:VCARD).",
            hint="Export your contacts as vCard (.vcf) and import that file.",
        )
    cards, stray = split_cards(logical_lines(text))
    notices = [said for card in cards for said in base64_text(card, name)]
    rows = [card_row(card) for card in cards]
    if stray:
        shown = ", ".join(map(str, stray[:5])) + ("…" if len(stray) > 5 else "")
        notices.append(
            f"Passed over {len(stray)} line(s) of {name} that are not vCard lines (line {shown})."
        )
    return Parsed(rows, notices)


def base64_text(card: Card, name: str) -> list[str]:
    """Text properties written in base64 (`NOTE;ENCODING=b:…`, as some address books
    write a note with line breaks or non-ASCII in it) decoded in place; one whose bytes
    are not text is left out, and said so."""
    said = []
    for prop in list(card.props):
        encodings = {e.upper() for e in prop.params.get("ENCODING", [])}
        if prop.name in BINARY or not encodings & {"B", "BASE64"}:
            continue
        read = prop.name in TEXT or prop.name.startswith("X-INFOINT-") or "LINKEDIN" in prop.name
        if not read:
            card.props.remove(prop)  # a picture or a key by another name: not read anyway
            continue
        charset = (prop.params.get("CHARSET") or ["utf-8"])[0]
        try:
            packed = re.sub(r"\s", "", prop.value)
            raw = base64.b64decode(packed + "=" * (-len(packed) % 4), validate=True)
            text = raw.decode(charset)
        except (ValueError, LookupError):
            text = None
        if text is None or any(ord(c) < 32 and c not in "\t\r\n" for c in text):
            card.props.remove(prop)
            said.append(
                f"{name}, line {prop.line}: the {prop.name} is base64 that is not text; left out."
            )
            continue
        prop.params.pop("ENCODING")
        prop.value = escape(text.replace("\r\n", "\n"), prop.name in STRUCTURED)
    return said


#: The properties infoint reads (a base64 one is decoded; any other is passed over).
TEXT = {"FN", "N", "NICKNAME", "ORG", "TITLE", "ROLE", "EMAIL", "TEL", "URL", "NOTE", "ADR",
        "CATEGORIES", "X-SOCIALPROFILE", "X-ABLABEL", "UID", "KIND"}  # fmt: skip
#: Properties whose value is a list (`;` and `,` separate its parts).
STRUCTURED = {"N", "ORG", "ADR", "CATEGORIES", "NICKNAME"}


def escape(text: str, structured: bool = False) -> str:
    """Text as a vCard value: backslashes and line breaks escaped, and commas and
    semicolons too unless they separate the parts of a structured value."""
    text = text.replace("\\", "\\\\").replace("\n", "\\n")
    return text if structured else text.replace(",", "\\,").replace(";", "\\;")


def _is_qp(line: str) -> bool:
    head = line.split(":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head


def logical_lines(text: str) -> list[tuple[int, str]]:
    """Physical lines joined back: folded ones (a leading space or tab) and quoted-
    printable soft breaks (a line ending in `=`), whatever the line endings."""
    out: list[tuple[int, list[str]]] = []
    soft = False
    text = text.replace("\r\r\n", "\r\n")  # a file converted twice (CR CR LF)
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), 1):
        if soft and line.strip().upper() in ("END:VCARD", "BEGIN:VCARD"):
            soft = False  # a soft break with nothing after it: the card still ends here
            out[-1][1][-1] = out[-1][1][-1][:-1]
        if out and soft:
            parts = out[-1][1]
            parts[-1] = parts[-1][:-1]
            parts.append(line)
            soft = line.endswith("=")
            continue
        if out and line[:1] in (" ", "\t") and out[-1][1] != [""]:
            out[-1][1].append(line[1:])
        else:
            out.append((number, [line]))
        soft = line.endswith("=") and _is_qp(out[-1][1][0])
    return [(number, "".join(parts)) for number, parts in out]


def split_cards(lines: list[tuple[int, str]]) -> tuple[list[Card], list[int]]:
    cards: list[Card] = []
    stray: list[int] = []
    card: Card | None = None
    depth = 0  # an AGENT's embedded card (vCard 2.1) is passed over whole
    binary = False  # unfolded base64 lines after a PHOTO (some 2.1 writers)
    for number, line in lines:
        word = line.strip().upper()
        if word == "BEGIN:VCARD":
            if card is not None and card.props and card.props[-1].name == "AGENT":
                depth += 1
                continue
            if card is not None:  # the card before has no END:VCARD, but it is whole
                card.closed = True
            card = Card(number)
            cards.append(card)
            binary = False
            continue
        if depth:
            depth -= word == "END:VCARD"
            continue
        if word == "END:VCARD":
            if card is not None:
                card.closed = True
            card = None
            continue
        if not line.strip():
            binary = False
            continue
        if card is None:
            stray.append(number)
            continue
        prop = parse_property(number, line)
        if prop is None:
            if not binary:
                stray.append(number)
            continue
        binary = prop.name in BINARY or bool({"BASE64", "B"} & set(prop.params.get("ENCODING", [])))
        card.props.append(prop)
    return cards, stray


def _split_params(text: str) -> list[str]:
    return [p for p in re.findall(r'(?:"[^"]*"|[^;])+', text)]


def parse_property(number: int, line: str) -> Prop | None:
    match = PROPERTY.match(line)
    if not match:
        return None
    params: dict[str, list[str]] = {}
    for param in _split_params(match["params"]):
        key, eq, value = param.partition("=")
        if not eq:
            bare = key.strip().upper()
            key, value = ("ENCODING", bare) if bare in ENCODINGS else ("TYPE", bare)
        values = [
            v.strip() for part in re.findall(r'(?:"[^"]*"|[^,])+', value)
            for v in part.strip().strip('"').split(",")
        ]  # fmt: skip
        params.setdefault(key.strip().upper(), []).extend(values)
    return Prop(number, (match["group"] or "").upper(), match["name"].upper(), params,
                match["value"])  # fmt: skip


def text_of(prop: Prop) -> str:
    """The value as text: quoted-printable decoded in its CHARSET; not yet unescaped."""
    encodings = {e.upper() for e in prop.params.get("ENCODING", [])}
    if "QUOTED-PRINTABLE" not in encodings:
        return prop.value
    named = prop.params.get("CHARSET")
    charset = (named or ["utf-8"])[0]
    try:
        "".encode(charset)
    except LookupError:
        charset = "utf-8"
    raw = quopri.decodestring(prop.value.encode(charset, errors="replace"))
    try:
        text = raw.decode(charset)
    except UnicodeDecodeError:
        # Outlook writes its code page (Windows-1252) without naming it; a named
        # charset that does not fit is read as well as it can be
        text = raw.decode("cp1252" if not named else charset, errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] in "nN" else m[1], value, flags=re.S)


def split_escaped(value: str, sep: str) -> list[str]:
    """`Company\\, The;Dept` split at the `sep`s that are not escaped, then unescaped."""
    out: list[str] = []
    current: list[str] = []
    esc = re.escape(sep)
    for match in re.finditer(r"\\.|\\$|[^\\" + esc + "]+|" + esc, value, flags=re.S):
        if match[0] == sep:
            out.append("".join(current))
            current = []
        else:
            current.append(match[0])
    out.append("".join(current))
    return [unescape(p) for p in out]


def _types(prop: Prop) -> set[str]:
    return {t.upper() for t in prop.params.get("TYPE", [])}


def _pref(prop: Prop, order: int) -> tuple[int, int]:
    """Sort key: vCard 4.0 `PREF=1` first, then 2.1/3.0 `TYPE=PREF`, then file order."""
    if "PREF" in prop.params:
        try:
            return (0, int(prop.params["PREF"][0]) * 1000 + order)
        except ValueError:
            return (0, order)
    return (0 if "PREF" in _types(prop) else 1, order)


def _by_pref(props: list[Prop]) -> list[Prop]:
    return [p for _, p in sorted(enumerate(props), key=lambda pair: _pref(pair[1], pair[0]))]


def _phone(prop: Prop) -> str:
    value = unescape(text_of(prop)).strip()
    if value.lower().startswith("tel:") or "URI" in {
        v.upper() for v in prop.params.get("VALUE", [])
    }:
        value = re.sub(r"^tel:", "", value, flags=re.I)
        number, _, rest = value.partition(";")
        ext = re.search(r"(?:^|;)ext=([^;]+)", rest)
        value = number + (f" ext. {ext[1]}" if ext else "")
    return value


def _url(prop: Prop) -> str:
    return unescape(text_of(prop)).strip()


def _profile(prop: Prop, url: str) -> str | None:
    """The address of a profile said to be LinkedIn's; iOS names one it has no address
    for by its username alone (`x-user=ada`, `x-apple:ada`): the address is made from it."""
    if is_linkedin(url) or re.match(r"https?://", url, flags=re.I):
        return url
    user = next((u.strip() for u in prop.params.get("X-USER", []) if u.strip()), "")
    user = user or re.sub(r"^x-apple:", "", url, flags=re.I).strip()
    return f"https://www.linkedin.com/in/{user}" if re.fullmatch(r"[\w.-]+", user) else None


def card_row(card: Card) -> Row:
    if not card.closed:
        return Row(card.line, skipped="card not closed (no END:VCARD): is the file cut short?")
    by: dict[str, list[Prop]] = {}
    for prop in card.props:
        by.setdefault(prop.name, []).append(prop)
    labels = {p.group: unescape(text_of(p)).lower() for p in by.get("X-ABLABEL", []) if p.group}
    kinds = [*by.get("KIND", []), *by.get("X-ADDRESSBOOKSERVER-KIND", [])]
    if any(text_of(p).strip().lower() == "group" for p in kinds):
        shown = next((unescape(text_of(p)).strip() for p in by.get("FN", [])), "")
        return Row(
            card.line,
            name=shown,
            skipped=f"a group of contacts{f' ({shown})' if shown else ''}, not a person",
        )

    def first(name: str) -> str | None:
        props = by.get(name)
        return clean(unescape(text_of(props[0]))) if props else None

    full = first("FN") or ""
    if not full and by.get("N"):
        full = name_from_n(split_escaped(text_of(by["N"][0]), ";"))
    if not full:
        full = first("NICKNAME") or ""
    company = None
    if by.get("ORG"):
        company = clean(split_escaped(text_of(by["ORG"][0]), ";")[0])
    emails = [unescape(text_of(p)).strip() for p in _by_pref(by.get("EMAIL", []))]
    phones = [_phone(p) for p in _by_pref(by.get("TEL", []))]
    linkedin = None
    social = [p for name, props in by.items() if "LINKEDIN" in name for p in props]
    for prop in [*by.get("URL", []), *by.get("X-SOCIALPROFILE", []), *social]:
        url = _url(prop)
        label = labels.get(prop.group, "")
        if is_linkedin(url) or "linkedin" in label or "LINKEDIN" in _types(prop):
            linkedin = _profile(prop, url)
            if linkedin:
                break
    tags: list[str] = []
    for prop in by.get("CATEGORIES", []):
        tags.extend(
            t.strip() for t in split_escaped(text_of(prop), ",")
            if t.strip() and not ignored_label(t)
        )  # fmt: skip
    notes = [unescape(text_of(p)).strip() for p in by.get("NOTE", [])]
    location = None
    if by.get("ADR"):
        parts = split_escaped(text_of(by["ADR"][0]), ";") + [""] * 7
        location = ", ".join(p.strip() for p in (parts[3], parts[4], parts[6]) if p.strip())
    extras = {f: first(x) for x, f in X_FIELDS.items()}
    questions = [unescape(text_of(p)) for p in by.get("X-INFOINT-QUESTION", [])]
    connected_on = _iso(first("X-INFOINT-CONNECTED-ON"), date.fromisoformat)
    created_at = _iso(first("X-INFOINT-CREATED-AT"), datetime.fromisoformat)
    return name_or_stand_in(
        Row(
            card.line,
            name=" ".join(full.split()),
            emails=[e for e in emails if e],
            phone=next((p for p in phones if p), None),
            company=company,
            role=first("TITLE") or first("ROLE"),
            industry=extras["industry"],
            linkedin=linkedin,
            location=location or first("X-INFOINT-LOCATION"),
            why=extras["why"],
            notes=clean("\n".join(n for n in notes if n)),
            research=extras["research"],
            prefers=extras["prefers"],
            questions=[q for q in questions if q.strip()],
            tags=tags,
            connected_on=connected_on,
            key=first("UID"),
            referred_by=first("X-INFOINT-REFERRED-BY"),
            handle=extras["handle"],
            source=extras["source"],
            archived=(first("X-INFOINT-ARCHIVED") or "").upper() == "TRUE",
            created_at=created_at if created_at and created_at.tzinfo else None,
        )
    )


def _iso(text: str | None, parse: Callable[[str], _T]) -> _T | None:
    """A date or a moment as infoint writes it; anything else is none."""
    try:
        return parse(text) if text else None
    except ValueError:
        return None


def name_from_n(parts: list[str]) -> str:
    """N is family;given;additional;prefix;suffix. A CJK name reads family name first,
    with no space; others read given, additional, family."""
    parts = [p.replace(",", " ").strip() if i > 0 else p.strip() for i, p in enumerate(parts)]
    parts += [""] * 5
    family, given, additional = parts[0], parts[1], parts[2]
    if CJK.search(family + given):
        return family + given
    return " ".join(p for p in (given, additional, family) if p)


# writing ---------------------------------------------------------------------------------


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
