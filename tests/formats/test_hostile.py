"""Files that are wrong on purpose: empty, truncated, in the wrong encoding or with the
wrong delimiter, a damaged or oversized zip, a 10 MB note, 5,000 cards. Each gets one
clear sentence (never a traceback) and leaves the store as it was, or comes in whole."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from conftest import Runner
from infoint.formats import common, zips
from infoint.formats.linkedin import connected
from infoint.formats.linkedin import read as read_linkedin
from infoint.services import Tracker

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
LINE = "Ada,Lovelace,https://www.linkedin.com/in/ada,ada@example.com,Engines,Engineer,01 Jan 2024\n"


def linkedin_zip(path: Path, text: str = HEADER + LINE) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Basic_LinkedInDataExport_01-01-2025/Connections.csv", text)
        archive.writestr("Basic_LinkedInDataExport_01-01-2025/Profile.csv", "x" * 5000)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def test_a_linkedin_zip_is_read_from_inside(tracker: Tracker, tmp_path: Path) -> None:
    linkedin_zip(tmp_path / "export.zip")
    (outcome,) = tracker.import_file("linkedin", tmp_path / "export.zip")
    assert outcome.result == "new" and tracker.read().contacts[0].name == "Ada Lovelace"


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_truncated_zip_says_so_in_one_line(run: Runner, tmp_path: Path, cut: float) -> None:
    data = linkedin_zip(tmp_path / "full.zip")
    path = tmp_path / "export.zip"
    path.write_bytes(data[: int(len(data) * cut)])
    out = run.refused("import", "linkedin", str(path))
    assert out.stderr.startswith("Error: export.zip is a damaged .zip file (cut short")
    assert "UTF-8" not in out.stderr and "Traceback" not in out.stderr
    assert not (run.home / "store.json").exists()


def test_a_corrupt_zip_says_so_in_one_line(run: Runner, tmp_path: Path) -> None:
    data = bytearray(linkedin_zip(tmp_path / "full.zip"))
    start = data.index(b"Connections.csv") + len("Connections.csv")
    for i in range(start + 10, start + 60):  # scramble the compressed bytes
        data[i] ^= 0x5A
    path = tmp_path / "export.zip"
    path.write_bytes(bytes(data))
    out = run.refused("import", "linkedin", str(path))
    assert "is a damaged .zip file" in out.stderr and "error -3" not in out.stderr


def test_a_zip_member_bigger_than_the_cap_is_not_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zips, "ZIP_MEMBER_CAP", 1000)
    linkedin_zip(tmp_path / "export.zip", HEADER + LINE * 100)
    with pytest.raises(common.BadInput, match="more than infoint reads"):
        read_linkedin(tmp_path / "export.zip")


def test_a_zip_that_lies_about_its_size_is_still_capped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = linkedin_zip(tmp_path / "export.zip", HEADER + LINE * 100)
    monkeypatch.setattr(zips, "ZIP_MEMBER_CAP", 1000)
    original = zipfile.ZipFile.infolist

    def shrunk(self: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
        infos = original(self)
        for info in infos:
            info.file_size = 10  # what a forged header would say
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", shrunk)
    with pytest.raises(common.BadInput):
        common.zip_member(data, "export.zip", "connections.csv", "Connections.csv", "")


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("linkedin", b""),
        ("google", b""),
        ("outlook", b""),
        ("csv", b""),
        ("vcard", b""),
        ("csv", b"\n\n\n"),
        ("vcard", b"BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n"),
    ],
)
def test_empty_files_are_refused_and_change_nothing(
    run: Runner, tmp_path: Path, kind: str, content: bytes
) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    out = run.refused("import", kind, str(path))
    assert out.stderr.startswith("Error: ") and "Hint: " in out.stderr
    assert not (run.home / "store.json").exists()


def test_zero_imported_is_never_a_success(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(HEADER + ",,,,,,01 Jan 2024\n,,,,,,02 Jan 2024\n")
    out = run.refused("import", "linkedin", str(path))
    assert "Nothing imported from Connections.csv: all 2 line(s) were skipped" in out.stderr
    assert "line 2: no name; line 3: no name" in out.stderr
    assert not (run.home / "store.json").exists()
    dry = run.refused("import", "linkedin", str(path), "--dry-run")
    assert "Nothing imported" in dry.stderr


def test_a_semicolon_linkedin_file_from_excel_comes_in(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    line = "María;Núñez;;maria@example.es;Océano, S.A.;Editora;03 Oct 2025\n"
    text = HEADER.replace(",", ";") + line
    path.write_bytes(text.encode("cp1252"))
    outcomes = tracker.import_file("linkedin", path)
    assert [o.result for o in outcomes] == ["new"]
    (maria,) = tracker.read().contacts
    assert (maria.name, maria.company) == ("María Núñez", "Océano, S.A.")
    assert outcomes.notices == ["Read Connections.csv as Windows-1252 text, semicolon-separated."]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16", "utf-8-sig"])
def test_google_csv_in_any_unicode_encoding(
    tracker: Tracker, tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "contacts.csv"
    text = "First Name,Last Name,Labels,E-mail 1 - Value\nZoë,Ødegård,,zoe@example.no\n"
    path.write_bytes(text.encode(encoding))
    tracker.import_file("google", path)
    assert [c.name for c in tracker.read().contacts] == ["Zoë Ødegård"]


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("vcard", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n"),
        ("csv", "Name,Email\r\nAda Lovelace,ada@example.com\r\n"),
    ],
)
def test_a_file_padded_with_zero_bytes_comes_in(
    tracker: Tracker, tmp_path: Path, kind: str, text: str
) -> None:
    """A copy that stopped short (a phone's SD card, a sync cut off) leaves the file
    padded with zero bytes after its text: the text is read, the padding is not."""
    path = tmp_path / "contacts.txt"
    path.write_bytes(text.encode() + bytes(5000))
    tracker.import_file(kind, path)
    assert [c.name for c in tracker.read().contacts] == ["Ada Lovelace"]


def test_a_file_of_zero_bytes_only_is_empty(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "contacts.vcf"
    path.write_bytes(bytes(4096))
    assert "contacts.vcf is empty" in run.refused("import", "vcard", str(path)).stderr


def test_a_binary_file_named_csv_is_refused(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert "a.csv is not a text file" in run.refused("import", "csv", str(path)).stderr
    path = tmp_path / "b.csv"
    path.write_bytes(b"PK\x03\x04xx")  # a .zip cut short
    assert "b.csv is a damaged .zip file" in run.refused("import", "csv", str(path)).stderr


def test_a_ten_megabyte_note_comes_in_whole(tracker: Tracker, tmp_path: Path) -> None:
    note = ("A long note, with commas; semicolons and \\backslashes. " * 190_000)[:10_000_000]
    escaped = note.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    folded = "\r\n ".join(escaped[i : i + 74] for i in range(0, len(escaped), 74))
    path = tmp_path / "big.vcf"
    path.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Note\r\nNOTE:{folded}\r\nEND:VCARD\r\n")
    started = time.perf_counter()
    tracker.import_file("vcard", path)
    assert time.perf_counter() - started < 30
    (big,) = tracker.read().contacts
    assert big.notes == note.strip()


def test_five_thousand_cards(tracker: Tracker, tmp_path: Path) -> None:
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEMAIL:p{n}@example.com\r\n"
        f"ORG:Company {n % 50}\\, Inc.;Dept\r\nEND:VCARD\r\n"
        for n in range(5000)
    )
    path = tmp_path / "many.vcf"
    path.write_text(cards)
    outcomes = tracker.import_file("vcard", path)
    assert len(outcomes) == 5000 and {o.result for o in outcomes} == {"new"}
    doc = tracker.read()
    assert doc.contacts[4999].company == "Company 49, Inc."
    assert doc.contacts[4999].email == "p4999@example.com"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("12/22/16, 9:55 AM", "2016-12-22"),
        ("3/5/17, 11:02 PM", "2017-03-05"),
        ("01 Jan 2024", "2024-01-01"),
        ("2024-02-29", "2024-02-29"),
        ("07-Feb-22", "2022-02-07"),
    ],
)
def test_every_connected_on_layout_linkedin_used(text: str, day: str) -> None:
    found = connected(text)
    assert found is not None and found.isoformat() == day


def test_an_unknown_connected_on_is_reported(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(HEADER + LINE.replace("01 Jan 2024", "yesterday"))
    outcomes = tracker.import_file("linkedin", path)
    assert outcomes.notices == [
        "'Connected On' was not a date infoint knows on line(s) 2: left empty."
    ]


@pytest.mark.parametrize(
    ("encoding", "shown", "name"),
    [
        ("cp1251", "Windows-1251", "Ольга Смирнова"),
        ("shift_jis", "Shift-JIS", "山田太郎"),
    ],
)
def test_other_code_pages_are_detected_and_named(
    tracker: Tracker, tmp_path: Path, encoding: str, shown: str, name: str
) -> None:
    path = tmp_path / "people.csv"
    rows = f"Name,Email,Notes\n{name},a@example.com,{name} {name} {name}\n"
    path.write_bytes((rows * 1).encode(encoding))
    outcomes = tracker.import_file("csv", path)
    assert [c.name for c in tracker.read().contacts] == [name]
    assert outcomes.notices[0] == f"Read people.csv as {shown} text, comma-separated."


MAC_EXCEL = (
    "First Name,Last Name,Email,Company\r"
    "Jürgen,Müller,j@example.de,Café Ñandú\r"
    "José,Núñez,jose@example.es,Señor & Söhne\r"
    "Zoë,Åström,zoe@example.se,Malmö AB\r"
)


@pytest.mark.parametrize("lines", [slice(0, 2), slice(0, 3), slice(0, 4)])
def test_excel_for_macs_csv_in_mac_roman_keeps_its_accents(
    tracker: Tracker, tmp_path: Path, lines: slice
) -> None:
    """Excel for Mac saves "Comma Separated Values" in Mac Roman, where ü is the
    byte Windows-1252 reads as Ÿ: the names come in as they were typed."""
    text = "".join(MAC_EXCEL.splitlines(keepends=True)[lines])
    path = tmp_path / "people.csv"
    path.write_bytes(text.encode("mac_roman"))
    outcomes = tracker.import_file("csv", path)
    wanted = [" ".join(line.split(",")[:2]) for line in text.splitlines()[1:]]
    assert [c.name for c in tracker.read().contacts] == wanted
    assert outcomes.notices[0] == "Read people.csv as Mac Roman text, comma-separated."


@pytest.mark.parametrize(
    "name", ["Jürgen Müller", "José Núñez", "“Ada” O’Neil – Lovelace", "Œuvre Dupré"]
)
def test_windows_1252_is_not_taken_for_mac_roman(
    tracker: Tracker, tmp_path: Path, name: str
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(f"Name,Email,Notes\n{name},a@example.com,{name} (€5…)\n".encode("cp1252"))
    outcomes = tracker.import_file("csv", path)
    assert [c.name for c in tracker.read().contacts] == [name]
    assert outcomes.notices[0] == "Read people.csv as Windows-1252 text, comma-separated."


def test_a_quote_never_closed_refuses_the_file_naming_the_line(tmp_path: Path) -> None:
    """One stray quote would swallow every line after it into one value: the people
    on those lines must not vanish without a word."""
    from infoint.errors import BadInput
    from infoint.formats import READERS

    source = tmp_path / "Connections.csv"
    source.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        'Ben,Stone,https://www.linkedin.com/in/ben,,"Acme, Inc,CEO,01 Jan 2024\n'
        "Cara,Diaz,https://www.linkedin.com/in/cara,,Globex,CTO,02 Jan 2024\n"
        "Dan,Eve,https://www.linkedin.com/in/dan,,Initech,CFO,03 Jan 2024\n"
    )
    with pytest.raises(BadInput, match="line 2: a quote in 'Company' is never closed"):
        READERS["linkedin"](source, None)


def test_a_quoted_value_over_several_lines_is_still_welcome(tmp_path: Path) -> None:
    from infoint.formats import READERS

    source = tmp_path / "Connections.csv"
    source.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        'Ben,Stone,https://www.linkedin.com/in/ben,,"Acme\nthe second line",CEO,01 Jan 2024\n'
        "Cara,Diaz,https://www.linkedin.com/in/cara,,Globex,CTO,02 Jan 2024\n"
    )
    names = [row.name for row in READERS["linkedin"](source, None).rows]
    assert names == ["Ben Stone", "Cara Diaz"]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_closed_note_over_two_lines_with_commas_in_it_comes_in(
    tracker: Tracker, tmp_path: Path, newline: str
) -> None:
    """A three-column sheet whose quoted note has a second line with two commas in
    it: the quote is closed where it should be, so nobody is swallowed."""
    source = tmp_path / "people.csv"
    source.write_text(
        f"Name,Email,Notes{newline}"
        f'Ada Lovelace,ada@example.com,"First line{newline}Met at the fair, in Paris, 2019"'
        f"{newline}Bob Stone,bob@example.com,ok{newline}",
        newline="",
    )
    tracker.import_file("csv", source)
    people = {c.name: c.notes for c in tracker.read().contacts}
    assert people == {
        "Ada Lovelace": "First line\nMet at the fair, in Paris, 2019",
        "Bob Stone": "ok",
    }


def test_a_quote_closed_by_the_next_lines_opening_quote_is_refused(
    tracker: Tracker, tmp_path: Path
) -> None:
    """A stray quote that a later line's quoted value happens to close still
    swallows the lines between: the import is refused, naming the line, and
    nobody comes in."""
    from infoint.errors import BadInput

    source = tmp_path / "people.csv"
    source.write_text(
        "Name,Email,Notes\n"
        'Ada Lovelace,ada@example.com,"oops\n'
        'Bob Stone,bob@example.com,"fine"\n'
        "Cara Diaz,cara@example.com,ok\n"
    )
    with pytest.raises(BadInput, match="line 2: a quote in 'Notes' is never closed"):
        tracker.import_file("csv", source)
    assert tracker.read().contacts == []


def test_an_outlook_note_in_its_code_page_keeps_its_accents(tmp_path: Path) -> None:
    from infoint.formats import READERS

    source = tmp_path / "outlook.vcf"
    source.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:Ng;Carl\r\nFN:Carl Ng\r\n"
        b"NOTE;ENCODING=QUOTED-PRINTABLE:First line=0D=0A=\r\n"
        b"Second line: caf=E9 r=E9sum=E9\r\nEND:VCARD\r\n"
    )
    (row,) = READERS["vcard"](source, None).rows
    assert row.notes is not None and "café résumé" in row.notes


def test_a_second_e_mail_finds_the_same_person_again(tracker: Any, tmp_path: Path) -> None:
    """Google keeps a second e-mail; a phone card may carry only that one."""
    google = tmp_path / "contacts.csv"
    google.write_text(
        "First Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,"
        "E-mail 2 - Value\n"
        "Priya,Sharma,* myContacts,Work,priya@acme.example,Home,priya.s@gmail.example\n"
    )
    tracker.import_file("google", google)
    card = tmp_path / "phone.vcf"
    card.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Priya Sharma\nN:Sharma;Priya\n"
        "EMAIL:priya.s@gmail.example\nEND:VCARD\n"
    )
    tracker.import_file("vcard", card)
    assert [c.handle for c in tracker.read().contacts] == ["priya-sharma"]


def test_a_chinese_name_from_google_keeps_its_family_name_first(tmp_path: Path) -> None:
    from infoint.formats import READERS

    source = tmp_path / "contacts.csv"
    source.write_text(
        "First Name,Middle Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value\n"
        "小龙,,李,* myContacts,Work,li@example.cn\n"
        "Ada,,Lovelace,* myContacts,Work,ada@example.org\n",
        encoding="utf-8",
    )
    assert [row.name for row in READERS["google"](source, None).rows] == ["李小龙", "Ada Lovelace"]


@pytest.mark.parametrize(
    "moment",
    ["1800-01-01T00:00:00Z", "0001-01-01T00:00:00+00:00", "2020-01-01T00:00:00",
     "9999-12-31T00:00Z", "yesterday", "2020-01-01T00:00:00+25:00"],
)  # fmt: skip
@pytest.mark.parametrize("kind", ["csv", "vcard"])
def test_an_added_time_infoint_cannot_keep_becomes_now(
    tracker: Tracker, clock: Any, tmp_path: Path, moment: str, kind: str
) -> None:
    path = tmp_path / "own.txt"
    if kind == "csv":
        path.write_text(f"id,handle,name,created_at\n1,ada,Ada Lovelace,{moment}\n")
    else:
        path.write_text(
            f"BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nX-INFOINT-CREATED-AT:{moment}\nEND:VCARD\n"
        )
    tracker.import_file(kind, path)
    (ada,) = tracker.read().contacts
    assert ada.created_at == clock.now
    assert ada.handle == ("ada" if kind == "csv" else "ada-lovelace")
