"""vCard 2.1, 3.0 and 4.0 as phones, mail programs and address books really write
them, read by a tolerant parser of our own: quoted-printable values with soft line
breaks and a CHARSET (Android, Outlook, BlackBerry), photos and other binary
properties passed over (folded or not), grouped properties (`item1.EMAIL` with
`item1.X-ABLabel`, iPhone and macOS), structured N and ORG with commas, TEL URIs,
PREF in its 2.1, 3.0 and 4.0 spellings, PROFILE (Lotus Notes), and any line ending.

One bad card never sinks the file: it becomes a skipped row with its line number,
and lines that are not vCard at all are counted in a notice. Here: a file read into
rows. The syntax of lines and properties is in vcard_syntax.py, the writer (vobject)
in vcard_write.py; both are named from here, as they always were.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from infoint.errors import BadInput
from infoint.formats.common import (
    CJK,
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
from infoint.formats.vcard_syntax import (
    BINARY,
    ENCODINGS,
    PROPERTY,
    STRUCTURED,
    TEXT,
    X_FIELDS,
    Card,
    Prop,
    base64_text,
    escape,
    logical_lines,
    parse_property,
    split_cards,
    split_escaped,
    text_of,
    unescape,
)
from infoint.formats.vcard_write import (
    FOLD_OCTETS,
    KANA,
    PREFIXES,
    SUFFIXES,
    card_of,
    fold,
    name_parts,
    quiet_vobject,
    refold,
    split_name,
    write,
)

__all__ = [
    "BINARY",
    "ENCODINGS",
    "FOLD_OCTETS",
    "KANA",
    "PREFIXES",
    "PROPERTY",
    "STRUCTURED",
    "SUFFIXES",
    "TEXT",
    "X_FIELDS",
    "Card",
    "Prop",
    "base64_text",
    "card_of",
    "card_row",
    "escape",
    "fold",
    "logical_lines",
    "name_from_n",
    "name_parts",
    "parse",
    "parse_property",
    "quiet_vobject",
    "read",
    "refold",
    "split_cards",
    "split_escaped",
    "split_name",
    "text_of",
    "unescape",
    "write",
]

_T = TypeVar("_T")


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
