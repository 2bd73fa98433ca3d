"""Opening the .zip an export came in without trusting its sizes: the member each
import wants, found by name, and never more than `ZIP_MEMBER_CAP` unpacked.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import PurePosixPath

from infoint.errors import BadInput
from infoint.formats.row import IMPORTS, KIND_NAMES

#: The most text infoint reads out of one .zip member (an export's Connections.csv is
#: a few megabytes; a "zip bomb" would unpack to gigabytes).
ZIP_MEMBER_CAP = 64 * 1024 * 1024


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
