"""Exports that spreadsheets, address books and calendars read right, and that infoint
reads back without losing anything: infoint → vCard → infoint, infoint → CSV → infoint."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import NOW, Clock, Runner
from infoint.formats.csv import spreadsheet_safe
from infoint.formats.vcard import split_name
from infoint.models import Settings
from infoint.records import ContactFields
from infoint.services import Tracker

KEPT = (
    "name", "email", "phone", "company", "role", "industry", "location", "linkedin",
    "why", "notes", "research", "questions", "tags", "connected_on", "prefers",
)  # fmt: skip


def full_contacts(tracker: Tracker) -> None:
    tracker.add_contact(
        "María José Núñez",
        ContactFields(
            email="maria@example.es",
            phone="+34 600 000 000",
            company="Williams-Sonoma, Inc.; West",
            role="Editora, jefe",
            industry="Publishing; print",
            location="Madrid, Spain",
            linkedin="https://www.linkedin.com/in/mjnunez",
            why="Built the team\nfrom scratch, twice",
            notes='=HYPERLINK("http://evil.example")\nsecond line',
            tags=["design", "madrid", "Acme, Inc.; alumni", 'the "A" team'],
        ),
    )
    tracker.add_contact("李小龙", ContactFields(email="li@example.cn", company="-Minus Co"))
    tracker.add_contact(
        "Cher", ContactFields(role="@singer", notes="'quoted already", prefers="video")
    )
    tracker.prep("maria-jose-nunez", "Led the 2024 redesign; writes, a lot.", ["Q1, first?", "Q2"])
    doc_path = tracker.read()
    assert len(doc_path.contacts) == 3


#: What belongs to the store, not to the person: made anew by an import.
BOOKKEEPING = {"id", "uuid", "batch", "updated_at", "let_go_at"}


def as_dicts(tracker: Tracker) -> list[dict[str, Any]]:
    """Every field of every contact but the store's bookkeeping, with whoever referred
    them by name (a new store gives everyone a new uuid)."""
    contacts = tracker.read().contacts
    names = {c.uuid: c.name for c in contacts}
    out = []
    for contact in contacts:
        values = contact.model_dump()
        assert set(values) - BOOKKEEPING >= {"referred_by", "source", "archived", "handle"}
        values["referred_by"] = names.get(values["referred_by"] or "")
        out.append({k: v for k, v in values.items() if k not in BOOKKEEPING})
    return out


def with_more(tracker: Tracker, clock: Any) -> None:
    """A referral both ways (added as referred; a reply that refers), a chosen handle,
    a source, an archived contact, and dates of their own."""
    with tracker._transaction("test", scope="full") as doc:
        doc.contacts[2].connected_on = date(2019, 5, 4)
    clock.advance(days=3)
    tracker.add_contact(
        "Ana Ruiz",
        ContactFields(referred_by="2", source="alumni dinner", email="ana@example.org"),
    )
    tracker.edit("ana-ruiz", ContactFields(), handle="ana")
    tracker.reply("maria-jose-nunez", "referred", referred="Bo Chen")
    tracker.archive("cher")


@pytest.mark.parametrize(("kind", "suffix"), [("vcard", ".vcf"), ("csv", ".csv")])
def test_round_trip_loses_nothing(
    tmp_path: Path, clock: Any, kind: str, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infoint.files import Paths

    first = Tracker(Paths.from_env(), clock=clock)
    full_contacts(first)
    with_more(first, clock)
    path = tmp_path / f"out{suffix}"
    path.write_bytes(first.export(kind, excel=True))
    clock.advance(days=1)
    monkeypatch.setenv("INFOINT_HOME", str(tmp_path / "second"))
    second = Tracker(Paths.from_env(), clock=clock)
    outcomes = second.import_file(kind, path)
    assert [(o.result, o.reason) for o in outcomes] == [("new", "")] * 5
    before, after = as_dicts(first), as_dicts(second)
    assert [c["referred_by"] for c in after] == [None, None, None, "李小龙", "María José Núñez"]
    assert after[3]["handle"] == "ana" and after[2]["archived"] is True
    assert after == before


def test_a_referrer_outside_the_file_is_found_here_or_said(
    tracker: Tracker, tmp_path: Path
) -> None:
    tracker.add_contact("Ola Berg", ContactFields())
    path = tmp_path / "people.csv"
    path.write_text("Name,Referred by\nAna Ruiz,Ola Berg\nBo Chen,Ana Ruiz\nCy Dahl,Nobody Known\n")
    outcomes = tracker.import_file("csv", path)
    assert [o.reason for o in outcomes] == [
        "",
        "",
        "referred by 'Nobody Known', who is not in the file or in infoint: left out",
    ]
    by_name = {c.name: c for c in tracker.read().contacts}
    assert by_name["Ana Ruiz"].referred_by == by_name["Ola Berg"].uuid
    assert by_name["Bo Chen"].referred_by == by_name["Ana Ruiz"].uuid
    assert by_name["Cy Dahl"].referred_by is None


def test_the_csv_says_that_statuses_do_not_travel(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("add-contact", "Ana Ruiz")
    run("add-contact", "Bo Chen")
    run("reply", "ana-ruiz", "--referred", "bo-chen")
    out = tmp_path / "c.csv"
    run("export", "csv", "--out", str(out))
    assert "referred" in out.read_text()
    monkeypatch.setenv("INFOINT_HOME", str(tmp_path / "second"))
    run.home = tmp_path / "second"
    done = run("import", "csv", str(out))
    assert "statuses (referred) come from messages and meetings" in done.stderr
    assert "infoint export json, then infoint import json" in done.stderr
    shown = run("show", "bo-chen")
    assert "Ana Ruiz" in shown.stdout


def test_excel_csv_has_a_bom_crlf_and_safe_cells(tracker: Tracker) -> None:
    full_contacts(tracker)
    data = tracker.export("csv", excel=True)
    assert data.startswith(b"\xef\xbb\xbfid,handle,name,")
    records = data.split(b"\r\n")  # CRLF ends records; a line break inside a cell stays LF
    assert len(records) == 5 and records[-1] == b"" and b"\nsecond line" in records[1]
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["name"] == "María José Núñez"
    assert rows[0]["notes"].startswith("'=HYPERLINK")
    assert rows[1]["company"] == "'-Minus Co" and rows[2]["role"] == "'@singer"
    assert rows[2]["notes"] == "''quoted already"
    assert not tracker.export("csv").startswith(b"\xef\xbb\xbf")


def test_export_csv_excel_on_the_command_line(run: Runner, tmp_path: Path) -> None:
    run("add-contact", "Zoë Ødegård")
    out = tmp_path / "c.csv"
    run("export", "csv", "--excel", "--out", str(out))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and "Zoë".encode() in out.read_bytes()


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        ("Jane Doe", "Doe", "Jane"),
        ("María José Núñez", "Núñez", "María José"),
        ("Cher", "", "Cher"),
        ("李小龙", "李", "小龙"),
        ("山田 太郎", "山田", "太郎"),
        # four characters: a two-character family name (Japanese, or a Chinese
        # compound surname) before a two-character given name
        ("山田太郎", "山田", "太郎"),
        ("欧阳小龙", "欧阳", "小龙"),
        ("김민준", "김", "민준"),
        # kana without a space: where the family name ends cannot be told, so the
        # name is kept whole rather than cut after its first character
        ("やまださくら", "やまださくら", ""),
        ("山田さくら", "山田さくら", ""),
        ("Dr. Sarah Ann O'Neil PhD", "O'Neil", "Sarah Ann"),
    ],
)
def test_names_are_not_split_wrongly(name: str, family: str, given: str) -> None:
    assert split_name(name) == (family, given)


def test_the_vcard_export_is_read_by_vobject_too(tracker: Tracker) -> None:
    import vobject

    full_contacts(tracker)
    cards = list(vobject.readComponents(tracker.export("vcard").decode()))
    assert [c.fn.value for c in cards] == ["María José Núñez", "李小龙", "Cher"]
    assert cards[0].org.value == ["Williams-Sonoma, Inc.; West"]
    assert cards[0].contents["x-infoint-why"][0].value == "Built the team\nfrom scratch, twice"
    assert (cards[1].n.value.family, cards[1].n.value.given) == ("李", "小龙")
    assert (cards[2].n.value.family, cards[2].n.value.given) == ("", "Cher")


def test_an_ics_without_meetings_warns(run: Runner, tmp_path: Path) -> None:
    out = run("export", "ics", "--out", str(tmp_path / "m.ics"))
    assert "Warning: there are no meetings yet" in out.stderr
    assert (tmp_path / "m.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_sequence_counts_revisions(tracker: Tracker, clock: Any) -> None:
    from icalendar import Calendar

    tracker.add_contact("Jane Doe", ContactFields())
    tracker.schedule("jane-doe", NOW + timedelta(days=2), None, "phone")

    def sequence() -> int:
        (event,) = Calendar.from_ical(tracker.export("ics")).walk("VEVENT")
        return int(event["sequence"])

    assert sequence() == 0
    clock.advance(hours=5)
    tracker.reschedule("1", NOW + timedelta(days=3))
    assert sequence() == 1
    clock.advance(days=1)
    tracker.cancel("1")
    assert sequence() == 2


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    _soffice() is None and not os.environ.get("CI"),
    reason="LibreOffice is not installed (CI installs libreoffice-calc-nogui)",
)
def test_libreoffice_reads_the_excel_csv_as_text(tracker: Tracker, tmp_path: Path) -> None:
    soffice = _soffice()
    assert soffice, "CI must have LibreOffice (.ci/run installs libreoffice-calc-nogui)"
    full_contacts(tracker)
    source = tmp_path / "contacts.csv"
    source.write_bytes(tracker.export("csv", excel=True))
    env = {**os.environ, "HOME": str(tmp_path)}  # a profile of its own
    # headless Calc does not look for a byte-order mark; 76 is the "Unicode (UTF-8)"
    # a person picks in its import dialog (Excel picks it from the BOM by itself)
    subprocess.run(
        [
            soffice,
            "--headless",
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )
    with zipfile.ZipFile(tmp_path / "contacts.ods") as ods:
        content = ods.read("content.xml").decode()
    cells = re.findall(r"<table:table-cell([^>]*)>(?:<text:p>(.*?)</text:p>)?", content)
    texts = [html.unescape(text) for _, text in cells]
    assert texts[0] == "id"  # the byte-order mark is not read as part of the first cell
    assert "María José Núñez" in texts and "李小龙" in texts
    assert "table:formula" not in content  # nothing became a formula
    for attributes, text in cells:
        if text.startswith(("'=", "'-", "'@", "'+")):
            assert 'office:value-type="string"' in attributes, text
    assert any(t.startswith("'=HYPERLINK(") for t in texts)


def test_a_company_named_for_want_of_a_person_is_exported_as_a_company(
    tracker: Tracker, tmp_path: Path
) -> None:
    import vobject

    card = tmp_path / "org.vcf"
    card.write_text("BEGIN:VCARD\nVERSION:4.0\nKIND:org\nORG:Globex Corporation\nEND:VCARD\n")
    tracker.import_file("vcard", card)
    (exported,) = list(vobject.readComponents(tracker.export("vcard").decode()))
    assert exported.fn.value == "Globex Corporation"
    assert (exported.n.value.family, exported.n.value.given) == ("", "")
    assert exported.contents["x-abshowas"][0].value == "COMPANY"


def test_vcard_lines_are_folded_at_75_octets_between_characters(tracker: Tracker) -> None:
    import vobject

    name = "李" * 30 + " " + "Ødegård" * 3  # 40 characters, 106 octets
    notes = "é" * 100 + " 🙂 " * 30 + "x" * 80
    tracker.add_contact(name, ContactFields(notes=notes, company="株式会社" * 20))
    data = tracker.export("vcard")
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) == 75
    for line in lines:
        line.decode("utf-8")  # no character is cut in two
    assert any(line.startswith(b"FN:") and len(line) <= 75 for line in lines)
    (card,) = list(vobject.readComponents(data.decode()))
    assert card.fn.value == name and card.note.value == notes
    assert card.org.value == ["株式会社" * 20]


@pytest.mark.parametrize("line", ["", "a" * 75, "a" * 76, "é" * 38, "🙂" * 19, "x" + "🙂" * 19])
def test_fold_keeps_every_line_within_75_octets(line: str) -> None:
    from infoint.formats.vcard import fold

    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert parts[0] + "".join(p[1:] for p in parts[1:]) == line


def test_a_referrer_named_by_two_contacts_is_left_out_with_the_fix(
    tracker: Tracker, tmp_path: Path
) -> None:
    tracker.add_contact("Ola Berg", ContactFields(company="Acme"))
    tracker.add_contact("Ola Berg", ContactFields(company="Globex"))
    path = tmp_path / "people.csv"
    path.write_text("Name,Referred by,Status\nAna Ruiz,ola berg,archived\n")
    (outcome,) = tracker.import_file("csv", path)
    assert outcome.reason == (
        "referred by 'ola berg', a name 2 contacts have: left out "
        "(to set it: infoint edit ana-ruiz --referred-by HANDLE)"
    )
    ana = tracker.read().contacts[-1]
    assert ana.referred_by is None
    assert not ana.archived  # only infoint's own export says who is archived


def test_a_reimport_fills_in_a_referrer_and_keeps_handles_it_cannot_use(
    tracker: Tracker, tmp_path: Path
) -> None:
    tracker.add_contact("Ola Berg", ContactFields())
    tracker.add_contact("Ana Ruiz", ContactFields(email="ana@example.org"))
    path = tmp_path / "people.csv"
    path.write_text(
        "handle,Name,Email,Referred by\n"
        "ola-berg,Ana Ruiz,ana@example.org,Ola Berg\n"  # already here: the referrer is added
        "2024,Cy Dahl,,cy dahl\n"  # a handle that is no handle; referred by themselves
        "ola-berg,Dee Dunn,,\n"  # a handle taken by someone else
    )
    outcomes = tracker.import_file("csv", path)
    assert [(o.result, o.handle, o.reason) for o in outcomes] == [
        ("merged", "ana-ruiz", "same e-mail (ana@example.org) as ana-ruiz"),
        ("new", "cy-dahl", "referred by themselves: left out"),
        ("new", "dee-dunn", ""),
    ]
    by_name = {c.name: c for c in tracker.read().contacts}
    assert by_name["Ana Ruiz"].referred_by == by_name["Ola Berg"].uuid
    assert by_name["Cy Dahl"].referred_by is None


def test_a_new_place_from_meeting_edit_raises_the_sequence(tracker: Tracker, clock: Any) -> None:
    """A calendar takes a change over only when SEQUENCE goes up: a meeting moved to
    another place (or from the phone to a cafe) is such a change; the kind of venue of
    the same place is not in the calendar."""
    from icalendar import Calendar

    from infoint.corrections import Outcome, Place

    tracker.add_contact("Jane Doe", ContactFields())
    tracker.schedule("jane-doe", NOW + timedelta(days=2), None, "phone")

    def event() -> Any:
        (found,) = Calendar.from_ical(tracker.export("ics")).walk("VEVENT")
        return found

    clock.advance(hours=1)
    tracker.edit_meeting("1", Place("in_person", "Blue Bottle", "cafe"), Outcome())
    assert int(event()["sequence"]) == 1 and "Blue Bottle" in str(event()["location"])
    clock.advance(hours=1)
    tracker.edit_meeting("1", Place(venue="restaurant"), Outcome())  # the same place
    assert int(event()["sequence"]) == 1


S = Settings()


def test_a_done_meeting_is_confirmed_without_an_alarm(tracker: Tracker, clock: Clock) -> None:
    from icalendar import Calendar

    tracker.add_contact("Jane Doe", ContactFields())
    tracker.schedule("jane-doe", NOW - timedelta(hours=2), None, "phone", held=True)
    tracker.done("1")
    (event,) = Calendar.from_ical(tracker.export("ics")).walk("VEVENT")
    assert str(event["status"]) == "CONFIRMED" and not event.walk("VALARM")


def test_a_meeting_of_a_removed_contact_is_not_exported(tracker: Tracker) -> None:
    from icalendar import Calendar

    tracker.add_contact("Jane Doe", ContactFields())
    tracker.schedule("jane-doe", NOW + timedelta(days=1), None, "phone")
    doc = tracker.read()
    doc.contacts.clear()
    from infoint.formats import ics

    assert Calendar.from_ical(ics.write(doc, S, NOW)).walk("VEVENT") == []


def test_the_csv_export_carries_each_status(tracker: Tracker) -> None:
    import csv
    import io

    tracker.add_contact("Jane Doe", ContactFields())
    tracker.add_contact("Bo Chen", ContactFields())
    tracker.reply("bo-chen", "declined")
    rows = list(csv.DictReader(io.StringIO(tracker.export("csv").decode())))
    assert [(r["handle"], r["status"]) for r in rows] == [
        ("jane-doe", "prospect"),
        ("bo-chen", "declined"),
    ]


def test_spreadsheet_safe() -> None:
    assert spreadsheet_safe(None) == ""
    assert spreadsheet_safe(5) == "5"
    for danger in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert spreadsheet_safe(danger) == "'" + danger
    assert spreadsheet_safe("plain") == "plain"


def test_exports_of_an_empty_store(tracker: Tracker) -> None:
    assert tracker.export("csv").decode().splitlines() == [
        "id,handle,name,email,phone,company,role,industry,location,linkedin,tags,status,why,"
        "notes,source,created_at,connected_on,research,questions,prefers,referred_by"
    ]
    assert tracker.export("vcard") == b""
    assert b"BEGIN:VCALENDAR" in tracker.export("ics")
    assert json.loads(tracker.export("json"))["contacts"] == []


def test_a_video_meeting_in_the_calendar(tracker: Tracker) -> None:
    from icalendar import Calendar

    tracker.add_contact("Mononym", ContactFields(notes="Met online."))
    tracker.schedule("mononym", NOW + timedelta(days=1), 15, "video")
    (event,) = Calendar.from_ical(tracker.export("ics")).walk("VEVENT")
    assert str(event["location"]) == "Video call"
    assert "keep to 15 minutes" in str(event["description"])
    card = tracker.export("vcard").decode()
    assert "N:;Mononym;;;" in card and "NOTE:Met online." in card
