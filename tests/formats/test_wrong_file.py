"""A file given to the wrong import, an empty file, a .zip where a single file was
expected, and a UTF-8 file with a few Windows-1252 lines: each is read right or
refused with the command that reads it, and nothing lands on disk when refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from conftest import Runner
from infoint.formats import common
from infoint.services import Tracker

CORPUS = Path(__file__).parent / "corpus"


@pytest.mark.parametrize(
    ("file", "kind", "what"),
    [
        ("google_current.csv", "google", "a Google Contacts export"),
        ("google_legacy.csv", "google", "a Google Contacts export"),
        ("linkedin_2024.csv", "linkedin", "LinkedIn's Connections.csv"),
        ("linkedin_2017.csv", "linkedin", "LinkedIn's Connections.csv"),
        ("outlook.csv", "outlook", "an Outlook CSV export"),
        ("google_outlook.csv", "outlook", "an Outlook CSV export"),
        ("iphone_30.vcf", "vcard", "a vCard file"),
    ],
)
def test_import_csv_names_the_import_that_reads_a_known_export(
    run: Runner, file: str, kind: str, what: str
) -> None:
    out = run.refused("import", "csv", str(CORPUS / file))
    assert out.stderr.startswith(
        f"Error: {file} is {what}, which the {kind} import reads in full.\n"
        f"Hint: infoint import {kind} {file}"
    )
    assert not (run.home / "store.json").exists()


def test_with_map_a_known_export_is_read_as_a_plain_csv(run: Runner) -> None:
    out = run("import", "csv", str(CORPUS / "linkedin_2017.csv"), "--map", "Company=company")
    assert "Added 2 new contact(s)" in out.stderr
    assert [c["name"] for c in run.json("contacts")] == ["Rosa Parks", "Ken Thompson"]


@pytest.mark.parametrize(
    ("file", "kind", "here", "message"),
    [
        ("google_current.csv", "google", "vcard", "is a Google Contacts export, not a vCard file"),
        ("iphone_30.vcf", "vcard", "google", "is a vCard file, not a Google Contacts export"),
        ("linkedin_2024.csv", "linkedin", "outlook", "is LinkedIn's Connections.csv, not an"),
        ("outlook.csv", "outlook", "linkedin", "is an Outlook CSV export, not LinkedIn's"),
    ],
)
def test_every_import_names_the_one_that_reads_the_file(
    run: Runner, file: str, kind: str, here: str, message: str
) -> None:
    out = run.refused("import", here, str(CORPUS / file))
    assert f"{file} {message}" in out.stderr
    assert f"Hint: infoint import {kind} {file}\n" in out.stderr


@pytest.mark.parametrize("kind", ["csv", "vcard", "google", "outlook", "linkedin"])
@pytest.mark.parametrize("content", [b"", b"\r\n\r\n", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_an_empty_file_is_called_empty(
    run: Runner, tmp_path: Path, kind: str, content: bytes
) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(content)
    out = run.refused("import", kind, str(path))
    assert out.stderr.startswith("Error: contacts.csv is empty.\nHint: Export your contacts again")


def zipped(path: Path, members: dict[str, bytes]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def test_a_zip_with_one_vcard_is_read_from_inside(run: Runner, tmp_path: Path) -> None:
    vcf = (CORPUS / "iphone_30.vcf").read_bytes()
    members = {"Takeout/All Contacts.vcf": vcf, "__MACOSX/Takeout/._All Contacts.vcf": b"\0"}
    path = zipped(tmp_path / "takeout.zip", members)
    out = run("import", "vcard", str(path))
    assert "Read All Contacts.vcf (in takeout.zip)." in out.stderr
    assert "from takeout.zip" in out.stderr and run.json("contacts")


def test_a_zip_with_one_google_csv_is_read_from_inside(tracker: Tracker, tmp_path: Path) -> None:
    data = (CORPUS / "google_current.csv").read_bytes()
    path = zipped(tmp_path / "contacts.zip", {"contacts.csv": data})
    outcomes = tracker.import_file("google", path)
    assert outcomes.notices[0] == "Read contacts.csv (in contacts.zip)."
    assert [c.name for c in tracker.read().contacts] == [
        "Grace Brewster Hopper",
        "info@example.com",
    ]


@pytest.mark.parametrize(
    ("kind", "members", "message", "hint"),
    [
        (
            "vcard",
            {"a/Family.vcf": b"x", "a/Work.vcf": b"y"},
            "contacts.zip holds 2 .vcf files (Family.vcf, Work.vcf), and infoint reads one "
            "at a time.",
            "Unzip it and import the one you want: infoint import vcard FILE",
        ),
        (
            "google",
            {"Takeout/Contacts/All Contacts.vcf": b"BEGIN:VCARD"},
            "contacts.zip is a .zip file with no .csv file inside.",
            "It holds a vCard file: infoint import vcard contacts.zip",
        ),
        (
            "vcard",
            {"contacts.csv": b"Name\nAda\n"},
            "contacts.zip is a .zip file with no .vcf file inside.",
            "It holds a CSV file: infoint import csv contacts.zip",
        ),
        (
            "vcard",
            {"readme.txt": b"hello"},
            "contacts.zip is a .zip file with no .vcf file inside.",
            "Unzip it, and import the export file inside.",
        ),
        (
            "google",
            {"Basic_LinkedInDataExport/Connections.csv": b"x", "Profile.csv": b"y"},
            "contacts.zip is LinkedIn's data export, not a Google Contacts export.",
            "infoint import linkedin contacts.zip",
        ),
        (
            "csv",
            {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"},
            "contacts.zip is an Excel workbook (.xlsx), not a CSV file.",
            "Open it, save it as CSV (File → Save as → CSV), and import that file.",
        ),
    ],
)
def test_a_zip_that_is_not_one_such_file_says_what_to_do(
    run: Runner, tmp_path: Path, kind: str, members: dict[str, bytes], message: str, hint: str
) -> None:
    path = zipped(tmp_path / "contacts.zip", members)
    out = run.refused("import", kind, str(path))
    assert out.stderr == f"Error: {message}\nHint: {hint}\n"


def test_a_damaged_zip_for_vcard_says_so(run: Runner, tmp_path: Path) -> None:
    data = zipped(tmp_path / "full.zip", {"a.vcf": b"BEGIN:VCARD\r\n" * 500}).read_bytes()
    path = tmp_path / "contacts.zip"
    path.write_bytes(data[: len(data) // 2])
    out = run.refused("import", "vcard", str(path))
    assert "contacts.zip is a damaged .zip file" in out.stderr


# mixed encodings --------------------------------------------------------------------------


MIXED_CSV = (
    b"Name,Company,Notes\n"
    + "Zoë Ødegård,Fjord AS,møtte på konferansen\n".encode()
    + "José María,Café Sol,añadido en Excel\n".encode("cp1252")
    + "李小龙,北京公司,\n".encode()
    + b"Ana Ruiz,Acme,\n"
)


def test_a_utf8_csv_with_a_few_cp1252_lines_reads_both_right(
    tracker: Tracker, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(MIXED_CSV)
    outcomes = tracker.import_file("csv", path)
    assert [(c.name, c.company, c.notes) for c in tracker.read().contacts] == [
        ("Zoë Ødegård", "Fjord AS", "møtte på konferansen"),
        ("José María", "Café Sol", "añadido en Excel"),
        ("李小龙", "北京公司", None),
        ("Ana Ruiz", "Acme", None),
    ]
    assert outcomes.notices == [
        "Read people.csv as UTF-8 text, comma-separated; the bytes on line 3 are not UTF-8 "
        "and were read as Windows-1252 (as Excel writes it): check the names there."
    ]


def test_a_vcard_with_a_cp1252_line_reads_both_right(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "c.vcf"
    path.write_bytes(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ødegård\r\nEND:VCARD\r\n".encode()
        + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Renée Müller\r\nEND:VCARD\r\n".encode("cp1252")
    )
    outcomes = tracker.import_file("vcard", path)
    assert [c.name for c in tracker.read().contacts] == ["Zoë Ødegård", "Renée Müller"]
    assert "the bytes on line 7 are not UTF-8" in outcomes.notices[0]


def test_a_file_in_cp1252_throughout_is_still_cp1252() -> None:
    text, encoding = common.decode("Name\nJosé\nRenée\nMüller\n".encode("cp1252"), "f.csv")
    assert (text, encoding) == ("Name\nJosé\nRenée\nMüller\n", "Windows-1252")


def test_many_stray_lines_are_counted_not_all_listed() -> None:
    raw = b"".join(f"P{i},".encode() + "é\n".encode() for i in range(20))
    raw += b"".join(f"Q{i},".encode() + "é\n".encode("cp1252") for i in range(8))
    text, encoding = common.decode(raw, "f.csv")
    assert text.count("é") == 28 and "\ufffd" not in text
    assert encoding == "UTF-8 + Windows-1252 on line 21, 22, 23, 24, 25…"


def test_google_points_any_other_csv_to_import_csv(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Name,Email\nAda Lovelace,ada@example.com\n")
    out = run.refused("import", "google", str(path))
    assert out.stderr.endswith("any other CSV with a header: infoint import csv people.csv\n")


def test_a_csv_whose_notes_hold_a_card_is_still_a_csv(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text('Name,Notes\nAda Lovelace,"Her card:\nBEGIN:VCARD\nFN:Ada\nEND:VCARD"\n')
    tracker.import_file("csv", path)
    (ada,) = tracker.read().contacts
    assert ada.notes == "Her card:\nBEGIN:VCARD\nFN:Ada\nEND:VCARD"


def test_a_password_protected_zip_says_so(run: Runner, tmp_path: Path) -> None:
    data = bytearray(
        zipped(tmp_path / "plain.zip", {"contacts.vcf": b"BEGIN:VCARD\r\n"}).read_bytes()
    )
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # mark the member encrypted, as zip -e does
        at = data.index(header) + (6 if header == b"PK\x03\x04" else 8)
        data[at] |= 0x1
    path = tmp_path / "contacts.zip"
    path.write_bytes(bytes(data))
    out = run.refused("import", "vcard", str(path))
    assert out.stderr == (
        "Error: contacts.vcf in contacts.zip is protected by a password.\n"
        "Hint: Unzip it yourself, with its password, and import the file inside.\n"
    )


def test_google_takeouts_all_contacts_is_the_one_read(tracker: Tracker, tmp_path: Path) -> None:
    vcf = (CORPUS / "gmail_30.vcf").read_bytes()
    members = {
        "Takeout/Contacts/Family/Family.vcf": b"BEGIN:VCARD\r\nFN:Only Family\r\nEND:VCARD\r\n",
        "Takeout/Contacts/All Contacts/All Contacts.vcf": vcf,
        "Takeout/Contacts/My Contacts/My Contacts.vcf": b"BEGIN:VCARD\r\nFN:Mine\r\nEND:VCARD\r\n",
    }
    outcomes = tracker.import_file("vcard", zipped(tmp_path / "takeout.zip", members))
    assert outcomes.notices[0] == "Read All Contacts.vcf (in takeout.zip)."
    assert "Only Family" not in [c.name for c in tracker.read().contacts]
