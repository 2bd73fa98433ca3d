"""Reading bytes as text, whatever encoding a phone, Excel or a mail program chose
(UTF-8 with or without a BOM, UTF-16, Windows-1252, Mac Roman, or UTF-8 mixed with
Windows-1252), and telling which import a file belongs to.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from infoint.errors import BadInput
from infoint.formats.row import IMPORTS, KIND_NAMES, Parsed
from infoint.formats.zips import from_zip, is_zip

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
