"""What every reader shares: the `Row` a file line becomes, reading bytes as text
(whatever encoding a phone, Excel or a mail program chose), finding the delimiter of
a CSV, and opening the .zip an export came in without trusting its sizes.

Everything here is a pure function of bytes or text, so the readers can be tested
without a data folder and fuzzed without a disk.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path, PurePosixPath

from infoint.errors import BadInput

#: Google's own labels that say nothing about a person.
IGNORED_LABELS = {"mycontacts", "starred"}
#: The tag given to people a file names only by e-mail or company.
UNNAMED_TAG = "unnamed"
#: The most text infoint reads out of one .zip member (an export's Connections.csv is
#: a few megabytes; a "zip bomb" would unpack to gigabytes).
ZIP_MEMBER_CAP = 64 * 1024 * 1024
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


# text -----------------------------------------------------------------------------------

ENCODING_NAMES = {
    "utf_8": "UTF-8",
    "utf-8": "UTF-8",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16",
    "utf_16_be": "UTF-16",
    "cp1252": "Windows-1252",
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "cp932": "Shift-JIS",
    "shift_jis": "Shift-JIS",
    "gb18030": "GB18030",
    "big5": "Big5",
    "mac_roman": "Mac Roman",
}


#: How images, PDFs and other files people pick by mistake begin.
BINARY_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x1f\x8b")


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise BadInput(f"{path} is a folder, not a file.", hint="Name the export file.") from None
    except OSError as exc:
        raise BadInput(
            f"Could not read {path}: {exc.strerror or exc}.",
            hint="Check the file's name, or copy it somewhere you can read it.",
        ) from None


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """The text of a file and the encoding it was read in (see `_decode`); a file with
    no text in it at all is refused as empty (a download that stopped at once)."""
    text, encoding = _decode(raw, name)
    if not text.strip(" \t\r\n\ufeff"):
        raise BadInput(
            f"{name} is empty.",
            hint="Export your contacts again (a download that did not finish leaves an "
            "empty file), and import the new file.",
        )
    return text, encoding


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    """UTF-8 (with or without a byte-order mark) and UTF-16 (Excel's "Unicode text")
    are recognised for certain; a UTF-8 file with a few lines in Windows-1252 (one
    person typed in by Excel, the rest by a phone) is read as UTF-8 with those bytes as
    Windows-1252 and says on which lines; anything else is left to charset-normalizer,
    with Windows-1252 (what Excel writes in Western Europe and the Americas) preferred
    among the code pages it finds likely."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            return _mixed(raw[3:])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), "UTF-16"
    utf16 = _bare_utf16(raw)
    if utf16:
        return raw.decode(utf16, errors="replace"), "UTF-16"
    raw = raw.rstrip(b"\x00")  # the zero bytes a copy that stopped short pads a file with
    if is_zip(raw):
        raise BadInput(
            f"{name} is a .zip or spreadsheet file (.xlsx), not text.",
            hint="Save it as CSV (File → Save as → CSV) and import that file.",
        )
    not_text = BadInput(
        f"{name} is not a text file.",
        hint="Export your contacts as CSV or vCard (.vcf) and import that file.",
    )
    if b"\x00" in raw[:4096] or raw.startswith(BINARY_MAGIC):
        raise not_text
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    found = UTF8_SEQUENCE.findall(raw)
    sequences = len(found)
    stray = len(raw) - len(raw.translate(None, HIGH_BYTES)) - sum(map(len, found))
    if sequences and sequences >= stray:
        return _mixed(raw)
    from charset_normalizer import from_bytes

    matches = list(from_bytes(raw, cp_exclusion=["utf_7"]))
    if any("cp1252" in m.could_be_from_charset for m in matches[:6]):
        if sequences:
            return _mixed(raw)
        text, encoding = _windows_or_mac(raw, mac_first=False)
    elif matches and "mac_roman" in matches[0].could_be_from_charset:
        text, encoding = _windows_or_mac(raw, mac_first=True)
    elif matches:
        best = matches[0].encoding
        text, encoding = raw.decode(best, errors="replace"), ENCODING_NAMES.get(best, best)
    else:
        raise not_text
    sample = text[:4096]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n")
    ascii_share = sum(1 for c in sample if " " <= c <= "~") / max(len(sample), 1)
    if controls > len(sample) // 100 or ascii_share < 0.2:
        raise not_text
    return text, encoding


def _windows_or_mac(raw: bytes, mac_first: bool) -> tuple[str, str]:
    """Windows-1252 or Mac Roman (what Excel for Mac saves a CSV in), whichever reads
    with fewer oddities (`_oddities`); a tie goes to the one the detector named."""
    windows = raw.decode("cp1252", errors="replace")
    mac = raw.decode("mac_roman")
    odd_windows, odd_mac = _oddities(windows), _oddities(mac)
    if odd_mac < odd_windows or (mac_first and odd_mac == odd_windows):
        return mac, "Mac Roman"
    return windows, "Windows-1252"


#: Apostrophes, which may stand inside a word (don’t, O’Neil).
APOSTROPHES = "'’‘´`"


def _oddities(text: str) -> int:
    """How many non-ASCII characters sit where no one writes them: a capital inside a
    lower-case word (`JŸrgen`, `JosŽ`), a small letter right before a capital
    (`ìHello`), a symbol between two letters (`Nœ–ez`)."""
    count = 0
    for match in re.finditer(r"[^\x00-\x7f]", text):
        char, at = match[0], match.start()
        before = text[at - 1] if at else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        if char.isupper():
            count += before.isalpha() and (before.islower() or after.islower())
        elif char.islower():
            count += after.isascii() and after.isupper()
        elif char not in APOSTROPHES:
            count += before.isalpha() and after.isalpha()
    return count


#: A character written in UTF-8 with more than one byte.
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
HIGH_BYTES = bytes(range(0x80, 0x100))
#: What `decode` calls a UTF-8 file with some lines in Windows-1252 (`read_as` says so).
MIXED = "UTF-8 + Windows-1252"


def _as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """The bytes that are not UTF-8, read as Windows-1252 instead."""
    assert isinstance(error, UnicodeDecodeError)
    stray = error.object[error.start : error.end]
    return bytes(stray).decode("cp1252", errors="replace"), error.end


codecs.register_error("infoint-cp1252", _as_cp1252)


def _mixed(raw: bytes) -> tuple[str, str]:
    """UTF-8 text whose stray bytes are read as Windows-1252, with the lines they are on."""
    lines = []
    for number, line in enumerate(raw.split(b"\n"), 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            lines.append(number)
    shown = ", ".join(map(str, lines[:5])) + ("…" if len(lines) > 5 else "")
    return raw.decode("utf-8", errors="infoint-cp1252"), f"{MIXED} on line {shown}"


def read_as(name: str, encoding: str, delimiter: str | None = None) -> str | None:
    """What to tell the user about how a file was read, when it was not UTF-8 with commas."""
    shown = DELIMITER_NAMES.get(delimiter or "", repr(delimiter))
    separated = f", {shown}-separated" if delimiter else ""
    if encoding.startswith(MIXED):
        where = encoding[len(MIXED) + 1 :]
        return (
            f"Read {name} as UTF-8 text{separated}; the bytes {where} are not UTF-8 and were "
            "read as Windows-1252 (as Excel writes it): check the names there."
        )
    if encoding == "UTF-8" and delimiter in (None, ","):
        return None
    return f"Read {name} as {encoding} text{separated}."


def _bare_utf16(raw: bytes) -> str | None:
    """UTF-16 without a byte-order mark: one zero byte in every pair, on the same side."""
    sample = raw[:2000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > len(odd) * 0.6 and even.count(0) < len(even) * 0.1:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.6 and odd.count(0) < len(odd) * 0.1:
        return "utf-16-be"
    return None


def read_text(path: Path, kind: str, check: bool = True) -> tuple[str, str, str]:
    """The text of a file, its encoding, and the name to call it by: a .zip given for a
    single file is opened, and the one file of that kind inside it is read. With
    `check`, a file another import reads (a Google export given to `import csv`) is
    refused with that import's command."""
    raw = read_bytes(path)
    name = path.name
    if is_zip(raw):
        raw, name = from_zip(raw, name, kind)
    text, encoding = decode(raw, name)
    refused = other_import(text, path.name, kind) if check else None
    if refused:
        raise refused
    return text, encoding, name


def from_inside(parsed: Parsed, name: str, path: Path) -> Parsed:
    """Say that the file read was one inside a .zip."""
    if name != path.name:
        parsed.notices.insert(0, f"Read {name}.")
    return parsed


def guess_kind(text: str) -> str | None:
    """Which import a file's text is for, from its first lines: `vcard`, `linkedin`,
    `google`, `outlook`, or None for any other CSV."""
    head = text[:20000]
    first = [line.strip().upper() for line in head.splitlines() if line.strip()][:5]
    header = first[0] if first else ""
    if "BEGIN:VCARD" in first and not re.search(r"[,;\t]", header):  # not a CSV's notes
        return "vcard"
    for line in head.splitlines()[:30]:
        cells = {c.strip().strip('"').strip().lower() for c in re.split(r"[,;\t]", line)}
        if {"first name", "last name", "connected on"} <= cells:
            return "linkedin"
        if {"first name", "labels"} <= cells or "e-mail 1 - value" in cells:
            return "google"
        if {"given name", "group membership"} <= cells:
            return "google"
        if {"first name", "last name", "e-mail address"} <= cells:
            return "outlook"
    return None


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


def other_import(text: str, name: str, here: str) -> BadInput | None:
    """A file given to the wrong import, refused with the one that reads it."""
    kind = guess_kind(text)
    if kind is None or kind == here:
        return None
    if here != "csv":
        return BadInput(
            f"{name} is {KIND_NAMES[kind]}, not {KIND_NAMES[here]}.",
            hint=f"{IMPORTS[kind]} {name}",
        )
    plain = (
        ""
        if kind == "vcard"
        else ' (or, to read it as a plain CSV, name its columns with --map "Column=field")'
    )
    return BadInput(
        f"{name} is {KIND_NAMES[kind]}, which the {kind} import reads in full.",
        hint=f"{IMPORTS[kind]} {name}{plain}",
    )


# CSV -------------------------------------------------------------------------------------

DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


def delimiter_of(header: str) -> str:
    """The delimiter a header line uses: the one of `, ; tab |` seen most outside quotes
    (a comma wins a tie: it is the standard one)."""
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {d: outside.count(d) for d in DELIMITER_NAMES}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


@dataclass
class Table:
    """A CSV as (line number, {column: value}) pairs, with its header and how it was read."""

    header: list[str]
    records: list[tuple[int, dict[str, str]]]
    notices: list[str]


def read_table(text: str, name: str, encoding: str, start: int = 0) -> Table:
    """Rows of a CSV whose header is line `start` (counted from 0); column names are
    kept as written, values are stripped of nothing (the readers do that)."""
    lines = text.splitlines(keepends=True)
    first = lines[start].strip() if start < len(lines) else ""
    named = re.fullmatch(r"\ufeff?sep=([^\"\w\s])", first, flags=re.I)
    if named:  # Excel's first line naming the delimiter: `sep=;`
        start += 1
    body = "".join(lines[start:])
    header_line = lines[start] if start < len(lines) else ""
    delimiter = named[1] if named else delimiter_of(header_line)
    said = read_as(name, encoding, delimiter)
    notices = [said] if said else []
    csv.field_size_limit(32 * 1024 * 1024)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    records: list[tuple[int, dict[str, str]]] = []
    header: list[str] = []
    first_line = 1  # where the record being read began (a quoted value may span lines)
    physical: list[str] = []  # the body's lines as the reader counts them, once needed

    def raw(began: int, end: int) -> str:
        if not physical:
            physical.extend(io.StringIO(body, newline="").readlines())
        return "".join(physical[began - 1 : end])

    try:
        for values in reader:
            began, first_line = first_line, reader.line_num + 1
            if not header:
                header = [h.strip().lstrip("\ufeff") for h in values]
                continue
            if not values:
                continue
            record: dict[str, str] = {}
            for column, value in zip(header, values, strict=False):
                if not (record.get(column) or "").strip():  # a column named twice: the one filled
                    record[column] = value.replace("\r\n", "\n").replace("\r", "\n")
            _no_runaway_quote(
                record,
                delimiter,
                len(header),
                name,
                start + began,
                partial(raw, began, reader.line_num),
            )
            records.append((start + began, record))
    except csv.Error as exc:
        raise BadInput(
            f"{name} is not a readable CSV file (line {start + reader.line_num}: {exc}).",
            hint="Open it in a spreadsheet, save it again as CSV, and import that file.",
        ) from None
    return Table(header, records, notices)


def _no_runaway_quote(
    record: dict[str, str],
    delimiter: str,
    columns: int,
    name: str,
    line: int,
    raw: Callable[[], str],
) -> None:
    """A quote opened and never closed swallows the lines after it into one value,
    and the people on them with it: refuse the file, naming the line, rather than
    import one person and silently drop the others. A value over several lines that
    looks like rows is refused only when its quote does not close cleanly (at the end
    of the file, or just before more text): a note whose second line holds commas
    is welcome."""
    whole_row = max(2, (columns - 1) // 2)
    for column, value in record.items():
        later = value.split("\n")[1:]
        if sum(1 for text in later if text.count(delimiter) >= whole_row) >= 1:
            if _closed_cleanly(raw(), delimiter):
                return
            raise BadInput(
                f"{name}, line {line}: a quote in {column!r} is never closed, so the lines "
                "after it would be read as part of it.",
                hint="Open the file in a spreadsheet or an editor, fix the quote on that "
                "line, and import it again.",
            )


def _closed_cleanly(text: str, delimiter: str) -> bool:
    """Whether the lines of one record read as exactly one record by a strict reader:
    every quote opened is closed, and closed right before a delimiter or a line end."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        return False
    return len(rows) == 1


def lower_keys(record: dict[str, str]) -> dict[str, str]:
    return {k.strip().lower(): (v or "") for k, v in record.items()}


# zips ------------------------------------------------------------------------------------


def is_zip(raw: bytes) -> bool:
    return raw.startswith((b"PK\x03\x04", b"PK\x05\x06"))


#: The file each import looks for inside a .zip.
ZIP_SUFFIXES = {"vcard": (".vcf", ".vcard"), "csv": (".csv",), "google": (".csv",),
                "outlook": (".csv",)}  # fmt: skip
#: What an office document (itself a .zip) has inside, and what it is.
OFFICE = {
    "xl/workbook.xml": "an Excel workbook (.xlsx)",
    "word/document.xml": "a Word document (.docx)",
    "content.xml": "an OpenDocument file (.ods)",
}


def from_zip(raw: bytes, name: str, kind: str) -> tuple[bytes, str]:
    """The one file of `kind` inside a .zip (Google Takeout, a mailed archive), with the
    name to call it by; a workbook, a .zip with several such files or none is refused
    with what to do instead."""
    suffixes = ZIP_SUFFIXES[kind]
    names = [n for n in zip_names(raw, name) if not n.endswith("/") and "__MACOSX" not in n]
    office = next((what for inside, what in OFFICE.items() if inside in names), None)
    if office:
        raise BadInput(
            f"{name} is {office}, not {KIND_NAMES[kind]}.",
            hint="Open it, save it as CSV (File → Save as → CSV), and import that file.",
        )
    if any(PurePosixPath(n).name.lower() == "connections.csv" for n in names):
        raise BadInput(
            f"{name} is LinkedIn's data export, not {KIND_NAMES[kind]}.",
            hint=f"infoint import linkedin {name}",
        )
    found = [n for n in names if n.lower().endswith(suffixes)]
    everyone = [n for n in found if PurePosixPath(n).stem.lower() == "all contacts"]
    if len(found) > 1 and len(everyone) == 1:  # Google Takeout: one file per label, and all
        found = everyone
    shown = PurePosixPath(found[0]).name if found else ""
    if len(found) == 1:
        data, member = zip_member(raw, name, found[0].lower(), shown, "")
        return data, f"{PurePosixPath(member).name} (in {name})"
    if len(found) > 1:
        listed = ", ".join(PurePosixPath(n).name for n in found[:3])
        raise BadInput(
            f"{name} holds {len(found)} {suffixes[0]} files ({listed}"
            f"{'…' if len(found) > 3 else ''}), and infoint reads one at a time.",
            hint=f"Unzip it and import the one you want: {IMPORTS[kind]} FILE",
        )
    if any(n.lower().endswith((".vcf", ".vcard")) for n in names):
        hint = f"It holds a vCard file: infoint import vcard {name}"
    elif any(n.lower().endswith(".csv") for n in names):
        hint = f"It holds a CSV file: infoint import csv {name}"
    else:
        hint = "Unzip it, and import the export file inside."
    raise BadInput(f"{name} is a .zip file with no {suffixes[0]} file inside.", hint=hint)


def zip_names(raw: bytes, name: str) -> list[str]:
    """The names of what a .zip holds; a damaged one is one clear error."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError):
        raise _damaged(name) from None


def _damaged(name: str) -> BadInput:
    return BadInput(
        f"{name} is a damaged .zip file (cut short while downloading, or corrupt).",
        hint="Download the export again, or unzip it yourself and import the file inside.",
    )


def zip_member(raw: bytes, name: str, wanted: str, shown: str, hint: str) -> tuple[bytes, str]:
    """The bytes of the first member whose name ends with `wanted` (any case), read
    with a cap on its unpacked size; a truncated or damaged archive is one clear error."""
    damaged = _damaged(name)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = [i for i in archive.infolist() if i.filename.lower().endswith(wanted)]
            if not members:
                raise BadInput(f"{name} has no {shown} inside.", hint=hint)
            member = members[0]
            if member.flag_bits & 0x1:
                raise BadInput(
                    f"{member.filename} in {name} is protected by a password.",
                    hint="Unzip it yourself, with its password, and import the file inside.",
                )
            if member.file_size > ZIP_MEMBER_CAP:
                raise BadInput(
                    f"{member.filename} in {name} unpacks to {member.file_size // 2**20} MB, "
                    f"more than infoint reads ({ZIP_MEMBER_CAP // 2**20} MB).",
                    hint="Unzip it yourself and import the file inside.",
                )
            with archive.open(member) as stream:
                data = stream.read(ZIP_MEMBER_CAP + 1)
            if len(data) > ZIP_MEMBER_CAP:
                raise BadInput(
                    f"{member.filename} in {name} unpacks to more than "
                    f"{ZIP_MEMBER_CAP // 2**20} MB, more than infoint reads.",
                    hint="Unzip it yourself and import the file inside.",
                )
            return data, member.filename
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        ValueError,
        RuntimeError,
    ):
        raise damaged from None
    except OSError:
        raise damaged from None
