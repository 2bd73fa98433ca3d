"""The lines and properties of a vCard: unfolding (quoted-printable soft breaks
included), cutting a file into cards, a property's group, parameters and value, the
escapes of 2.1, 3.0 and 4.0, and the base64 text some phones write instead.
"""

from __future__ import annotations

import base64
import quopri
import re
from dataclasses import dataclass, field

PROPERTY = re.compile(
    r"^(?:(?P<group>[A-Za-z0-9_-]+)\.)?(?P<name>[A-Za-z0-9_-]+)"
    r"(?P<params>(?:;(?:\"[^\"]*\"|[^\";:])*)*):(?P<value>.*)$",
    re.S,
)

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
