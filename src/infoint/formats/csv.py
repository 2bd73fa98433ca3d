"""Any CSV with a header: infoint's own `export csv` (so it comes back in whole), and
the spreadsheets people keep by hand. Columns are recognised by their usual names in
English; `--map "Column=field"` names the others. The writer makes the CSV a
spreadsheet shows as text (no cell runs as a formula); `--excel` adds the byte-order
mark Excel on Windows needs to read UTF-8."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from infoint.errors import BadInput
from infoint.formats.common import (
    FORMULA_STARTS,
    Parsed,
    Row,
    clean,
    emails_of,
    from_inside,
    is_linkedin,
    lower_keys,
    name_or_stand_in,
    read_table,
    read_text,
    unformula,
)

if TYPE_CHECKING:
    from infoint.models import StoreDoc

#: The fields a column can fill, and the names columns usually have for them.
# fmt: off
ENGLISH: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "display name", "contact", "contact name", "person"),
    "first_name": ("first name", "given name", "firstname", "first"),
    "last_name": ("last name", "family name", "surname", "lastname", "last"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "email 1",
              "email 2", "work email", "personal email", "primary email", "other email"),
    "phone": ("phone", "telephone", "mobile", "mobile phone", "phone number", "tel", "cell",
              "mobile number", "cell phone", "work phone", "business phone", "home phone",
              "primary phone"),
    "company": ("company", "organization", "organisation", "employer", "organization name",
                "company name", "organisation name", "account name", "business name"),
    # not "title": Outlook and many spreadsheets mean "Mr." or "Dr." by it
    "role": ("role", "job title", "position", "job", "organization title", "occupation"),
    "industry": ("industry", "sector", "field"),
    "location": ("location", "city", "place", "where", "city/town", "town"),
    "linkedin": ("linkedin", "linkedin url", "profile url", "url", "linkedin profile",
                 "linkedin profile url"),
    "tags": ("tags", "labels", "categories", "groups", "tag"),
    "why": ("why", "why them"),
    "notes": ("notes", "note", "comments", "comment"),
    "research": ("research",),
    "questions": ("questions",),
    "connected_on": ("connected on", "connected_on", "connected"),
    "prefers": ("prefers", "prefers to meet"),
    "referred_by": ("referred by", "referred_by", "referrer", "introduced by"),
    "source": ("source",),
}
#: The same columns as Outlook and Excel name them in German, French, Spanish, Italian
#: and Portuguese (Outlook's CSV export uses the language it runs in).
TRANSLATED: dict[str, tuple[str, ...]] = {
    "name": ("vollständiger name", "nom complet", "nombre completo", "nome completo"),
    "first_name": ("vorname", "prénom", "prenom", "nombre", "nome"),
    "last_name": ("nachname", "familienname", "nom", "nom de famille", "apellidos", "apellido",
                  "cognome", "sobrenome"),
    "email": ("e-mail-adresse", "e-mail adresse", "e-mail-adresse 1", "adresse de messagerie",
              "adresse e-mail", "adresse mail", "courriel", "dirección de correo electrónico",
              "correo electrónico", "correo", "indirizzo posta elettronica", "endereço de email"),
    "phone": ("mobiltelefon", "telefon", "handy", "téléphone mobile", "téléphone", "portable",
              "teléfono móvil", "móvil", "teléfono", "cellulare", "telefono", "celular",
              "telefone"),
    "company": ("firma", "unternehmen", "société", "societe", "entreprise", "organisation",
                "organización", "empresa", "compañía", "società", "azienda"),
    "role": ("funktion", "berufsbezeichnung", "fonction", "poste", "puesto", "cargo",
             "posizione", "qualifica"),
    "location": ("ort", "stadt", "ville", "ciudad", "città", "cidade"),
    "tags": ("kategorien", "catégories", "categories", "categorías", "categorie", "categorias"),
    "notes": ("notizen", "notiz", "bemerkungen", "remarques", "notas", "note"),
}
# fmt: on
SYNONYMS = {
    f: names + tuple(n for n in TRANSLATED.get(f, ()) if n not in names)
    for f, names in ENGLISH.items()
}  # fmt: skip
#: Columns of infoint's own export that describe the store, not the person (the handle,
#: an `archived` status and `created_at` are kept when they fit; the rest is derived).
OWN_COLUMNS = ("id", "uuid", "handle", "status", "created_at")
FIELDS = tuple(SYNONYMS)

CSV_COLUMNS = (
    "id", "handle", "name", "email", "phone", "company", "role", "industry", "location",
    "linkedin", "tags", "status", "why", "notes", "source", "created_at",
    "connected_on", "research", "questions", "prefers", "referred_by",
)  # fmt: skip


def read(path: Path, columns: Mapping[str, str] | None = None) -> Parsed:
    text, encoding, name = read_text(path, "csv", check=not columns)
    return from_inside(parse(text, name, encoding, columns or {}), name, path)


def mapping_of(header: list[str], name: str, given: Mapping[str, str]) -> dict[str, str]:
    """Column → field, from the usual names and the user's `--map`s."""
    by_lower = {h.lower(): h for h in header}
    mapping: dict[str, str] = {}
    for column in header:
        key = " ".join(column.lower().replace("_", " ").split())
        for field_name, names in SYNONYMS.items():
            if key in names or column.lower() in names:
                mapping[column] = field_name
                break
    mapped: set[str] = set()  # the columns the user named (two may go to one field)
    for column, field_name in given.items():
        wanted = field_name.strip().lower().replace("-", "_").replace(" ", "_")
        if wanted not in FIELDS:
            raise BadInput(
                f"{field_name!r} is not a field infoint keeps.",
                hint=f"Map a column to one of: {', '.join(FIELDS)}.",
            )
        actual = by_lower.get(column.strip().lower())
        if actual is None:
            shown = ", ".join(repr(h) for h in header[:12])
            raise BadInput(
                f"{name} has no column {column!r}.",
                hint=f"Its columns are: {shown}.",
            )
        for other in [c for c, f in mapping.items() if f == wanted and c not in mapped]:
            del mapping[other]
        mapping[actual] = wanted
        mapped.add(actual)
    return mapping


def parse(
    text: str, name: str, encoding: str = "UTF-8", given: Mapping[str, str] | None = None
) -> Parsed:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip()), 0)
    table = read_table(text, name, encoding, start)
    mapping = mapping_of(table.header, name, given or {})
    fields = set(mapping.values())
    unplaced = [h for h in table.header if h and h not in mapping and h.lower() not in OWN_COLUMNS]
    no_name = not fields & {"name", "first_name", "last_name"}
    if no_name and (unplaced or not fields & {"email", "company"}):
        shown = ", ".join(repr(h) for h in table.header[:8]) or "none"
        raise BadInput(
            f"No column of {name} names a person (its columns: {shown}).",
            hint=f'Say which column holds the name: infoint import csv {name} --map "Column=name"',
        )
    rows = [row(number, record, mapping) for number, record in table.records]
    statuses = {
        (lower_keys(record).get("status") or "").strip().lower() for _, record in table.records
    }
    derived = sorted(statuses - {"", "prospect", "archived"})
    dated = [c for c, f in mapping.items() if f == "connected_on"]
    undated = [
        number
        for (number, record), made in zip(table.records, rows, strict=True)
        if not made.skipped and made.connected_on is None
        and any((record.get(c) or "").strip() for c in dated)
    ]  # fmt: skip
    columns = [
        (h, mapping.get(h) or ("(infoint's own)" if h.lower() in OWN_COLUMNS else None))
        for h in table.header
    ]
    ignored = [h for h, f in columns if f is None and h]
    notices = list(table.notices)
    if ignored:
        notices.append(
            f'Columns left out: {", ".join(ignored)} (to use one: --map "{ignored[0]}=FIELD").'
        )
    if undated:
        shown = ", ".join(map(str, undated[:5])) + ("…" if len(undated) > 5 else "")
        notices.append(
            f"The date on line {shown} reads two ways or is not a date (write dates as "
            "2019-05-04): left empty."
        )
    if derived:
        notices.append(
            f"The file's statuses ({', '.join(derived[:4])}) come from messages and meetings, "
            "which a CSV does not carry: those people start again as prospects. To move "
            "everything: infoint export json, then infoint import json."
        )
    return Parsed(rows, notices, columns)


def row(number: int, record: dict[str, str], mapping: dict[str, str]) -> Row:
    values: dict[str, str] = {}
    for column, field_name in mapping.items():  # several columns for one field: the first
        value = unformula((record.get(column) or "").strip())  # filled, or every e-mail
        if value and field_name == "email" and values.get("email"):
            values["email"] += f", {value}"
        elif value and not values.get(field_name):
            values[field_name] = value
    own = lower_keys(record)
    web = clean(values.get("linkedin"))
    # a web address that is no LinkedIn profile (a URL column) is kept in the notes
    website = f"\nWebsite: {web}" if web and not is_linkedin(web) else ""
    full = values.get("name") or " ".join(
        p for p in (values.get("first_name"), values.get("last_name")) if p
    )
    email_text = values.get("email", "")
    return name_or_stand_in(
        Row(
            number,
            name=full,
            emails=emails_of(email_text),
            phone=clean(values.get("phone")),
            company=clean(values.get("company")),
            role=clean(values.get("role")),
            industry=clean(values.get("industry")),
            location=clean(values.get("location")),
            linkedin=web if is_linkedin(web) else None,
            why=clean(values.get("why")),
            notes=clean(values.get("notes", "") + website),
            research=clean(values.get("research")),
            questions=[q for q in (values.get("questions") or "").splitlines() if q.strip()],
            tags=tags_of(values.get("tags", "")),
            connected_on=_date(values.get("connected_on")),
            prefers=clean(values.get("prefers")),
            key=clean(own.get("handle")),
            handle=clean(own.get("handle")),
            referred_by=clean(values.get("referred_by")),
            source=clean(values.get("source")),
            # infoint's own export (it has handles) says who is archived
            archived=bool(own.get("handle")) and own.get("status", "").strip() == "archived",
            created_at=_moment(own.get("created_at")),
        )
    )


def tags_of(cell: str) -> list[str]:
    """Tags separated by commas or semicolons; one in double quotes (as the export
    writes a tag that holds either) is taken whole."""
    found = re.findall(r'\s*"((?:[^"]|"")*)"\s*(?=[,;]|$)|([^,;]+)', cell)
    tags = [quoted.replace('""', '"') if quoted else plain for quoted, plain in found]
    return [t.strip() for t in tags if t.strip()]


def tag_cell(tag: str) -> str:
    """A tag as the export writes it: in double quotes if it holds a separator."""
    return '"' + tag.replace('"', '""') + '"' if re.search(r'[,;"]', tag) else tag


def _moment(text: str | None) -> datetime | None:
    """`created_at` as infoint writes it (ISO 8601 with its offset); anything else: none."""
    try:
        moment = datetime.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _date(text: str | None) -> date | None:
    """ISO 8601, LinkedIn's own spellings, or a numeric date that reads one way only:
    `31/12/2019`, `12/31/2019`, `31.12.2019`. `04/05/2019` (a spreadsheet's re-save of
    a date, in an order it does not say) could be April or May: none."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        pass
    numeric = re.fullmatch(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[ ,T].*)?", text.strip())
    if numeric:
        first, second, year = int(numeric[1]), int(numeric[3]), int(numeric[4])
        year += 2000 if year < 100 else 0
        dotted = numeric[2] == "."  # 31.12.2019 is day first wherever it is written
        if first != second and first <= 12 and second <= 12 and not dotted:
            return None
        day, month = (first, second) if dotted or first > 12 else (second, first)
        try:
            return date(year, month, day)
        except ValueError:
            return None
    from infoint.formats.linkedin import connected

    return connected(text)


# writing -------------------------------------------------------------------------------


def spreadsheet_safe(value: object) -> str:
    """A cell a spreadsheet shows as text: one that starts like a formula gets a `'`."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith((*FORMULA_STARTS, "'")) else text


def write(doc: StoreDoc, statuses: dict[str, str], excel: bool = False) -> bytes:
    """Every contact, one row each (whoever referred them by their handle, which is in
    the same file); with `excel`, a UTF-8 byte-order mark in front."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    handles = {c.uuid: c.handle for c in doc.contacts}
    for contact in doc.contacts:
        values = contact.model_dump(mode="json")
        values["tags"] = ", ".join(map(tag_cell, contact.tags))
        values["status"] = statuses.get(contact.uuid, "")
        values["questions"] = "\n".join(contact.questions)
        values["referred_by"] = handles.get(contact.referred_by or "")
        writer.writerow([spreadsheet_safe(values.get(column)) for column in CSV_COLUMNS])
    data = buffer.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if excel else data
