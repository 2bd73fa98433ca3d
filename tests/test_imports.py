"""Imports and exports in the formats people really have, checked with the libraries
that read those formats."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import NOW, Clock, Runner
from infoint.formats.common import Row
from infoint.formats.google import read as read_google
from infoint.formats.linkedin import read as read_linkedin
from infoint.formats.vcard import read as read_vcard
from infoint.records import ContactFields, normal_linkedin
from infoint.services import Tracker


def google(path: Path) -> list[Row]:
    return read_google(path).rows


def vcard(path: Path) -> list[Row]:
    return read_vcard(path).rows


DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LINKEDIN = DATA / "linkedin_Connections.csv"
GOOGLE = DATA / "google_contacts.csv"
VCARD = DATA / "contacts.vcf"

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="the shared sample data is not beside")


def outcome_map(outcomes: list[object]) -> dict[int, tuple[str, str]]:
    return {o.line: (o.result, o.reason) for o in outcomes}  # type: ignore[attr-defined]


# LinkedIn ------------------------------------------------------------------------------


def test_linkedin_sample_gives_six_contacts(tracker: Tracker) -> None:
    outcomes = tracker.import_file("linkedin", LINKEDIN)
    results = [o.result for o in outcomes]
    assert (
        results.count("new") == 6 and results.count("merged") == 1 and results.count("skipped") == 1
    )
    skipped = [o for o in outcomes if o.result == "skipped"]
    assert skipped[0].line == 8 and skipped[0].reason == "no name"
    merged = [o for o in outcomes if o.result == "merged"]
    assert merged[0].name == "Ada Lovelace" and "same LinkedIn profile" in merged[0].reason
    doc = tracker.read()
    by = {c.handle: c for c in doc.contacts}
    assert len(doc.contacts) == 6
    ada = by["ada-lovelace"]
    assert (ada.email, ada.company, ada.role) == (
        "ada@example.com",
        "Analytical Engines, Inc.",
        "Principal Engineer",
    )
    assert str(ada.connected_on) == "2024-01-01" and ada.source == "linkedin"
    assert by["katherine-johnson"].role == 'Research "Computer" Mathematician'
    assert by["maria-jose-nunez"].name == "María José Núñez"
    attacker = next(c for c in doc.contacts if c.name.startswith("=HYPERLINK"))
    assert attacker.name == '=HYPERLINK("http://evil.example") Attacker'  # kept as plain text
    assert attacker.company == "+Evil Corp" and attacker.role == "@admin"
    assert all(c.batch and c.batch.startswith("linkedin:") for c in doc.contacts)


def test_importing_the_same_file_twice_adds_nothing(tracker: Tracker) -> None:
    tracker.import_file("linkedin", LINKEDIN)
    before = tracker.read().model_dump(mode="json")
    outcomes = tracker.import_file("linkedin", LINKEDIN)
    assert [o.result for o in outcomes].count("new") == 0
    assert {o.result for o in outcomes} <= {"same", "skipped"}
    after = tracker.read().model_dump(mode="json")
    assert after["contacts"] == before["contacts"]


def test_linkedin_then_google_finds_ada_once(tracker: Tracker) -> None:
    tracker.import_file("linkedin", LINKEDIN)
    outcomes = tracker.import_file("google", GOOGLE)
    ada = [o for o in outcomes if o.name == "Ada Lovelace"]
    assert ada[0].result in ("merged", "same") and "same e-mail" in ada[0].reason
    doc = tracker.read()
    assert [c.name for c in doc.contacts].count("Ada Lovelace") == 1
    assert len(doc.contacts) == 9


def test_the_linkedin_zip_is_read_without_extracting(tracker: Tracker, tmp_path: Path) -> None:
    archive = tmp_path / "Basic_LinkedInDataExport_11-26-2026.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Profile.csv", "First Name\nAda\n")
        zf.writestr("Connections.csv", LINKEDIN.read_bytes())
    outcomes = tracker.import_file("linkedin", archive)
    assert [o.result for o in outcomes].count("new") == 6
    assert not list(tmp_path.rglob("Connections.csv"))  # nothing extracted to disk


def test_an_older_linkedin_layout_without_urls(tracker: Tracker, tmp_path: Path) -> None:
    old = tmp_path / "Connections.csv"
    old.write_text(
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "Grace,Hopper,grace@navy.example,US Navy,Rear Admiral,12 Mar 2024\n"
    )
    (outcome,) = tracker.import_file("linkedin", old)
    assert outcome.result == "new"
    (grace,) = tracker.read().contacts
    assert grace.linkedin is None and grace.email == "grace@navy.example"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Name,Phone\nAda,1\n", "no 'First Name,Last Name' header"),
        ("just some words\n", "no 'First Name,Last Name' header"),
        ("", "Connections.csv is empty."),
    ],
)
def test_a_file_without_the_linkedin_header_is_refused(
    run: Runner, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(content)
    out = run.refused("import", "linkedin", str(path))
    assert message in out.stderr


def test_a_zip_without_connections_is_refused(run: Runner, tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Profile.csv", "x")
    assert "no Connections.csv inside" in run.refused("import", "linkedin", str(archive)).stderr


def test_binary_and_missing_files_are_refused(run: Runner, tmp_path: Path) -> None:
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\xff\xd8\xff\xe0" * 20)
    assert "not a text file" in run.refused("import", "google", str(binary)).stderr
    assert "Could not read" in run.refused("import", "vcard", str(tmp_path / "nope.vcf")).stderr


def test_bad_lines_are_reported_while_good_ones_go_in(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ada,Lovelace,,ada@example.com,Engines,Engineer,01 Jan 2024\n"
        "Bad,Mail,,not-an-email,X,Y,02 Jan 2024\n"
        ",,,,,,\n"
    )
    out = run("import", "linkedin", str(path))
    assert "Line 4: skipped (no name)." in out.stderr
    assert "Line 3 Bad Mail: added (left out 'not-an-email': not an e-mail)." in out.stderr
    assert (
        "Added 2 new contact(s), merged 0 into existing ones, 0 already here, 1 skipped"
        in out.stderr
    )
    contacts = run.json("contacts")
    assert [c["email"] for c in contacts] == ["ada@example.com", None]


def test_dry_run_shows_the_plan_and_changes_nothing(run: Runner, home: Path) -> None:
    out = run("import", "linkedin", str(LINKEDIN), "--dry-run")
    assert "Would add 6 new contact(s)" in out.stderr and "Nothing was changed" in out.stderr
    assert "ada-lovelace" in out.stdout and "skipped" in out.stdout and "no name" in out.stdout
    assert not (home / "store.json").exists()


def test_one_import_is_one_undo(run: Runner) -> None:
    run("add-contact", "Someone Before")
    run("import", "linkedin", str(LINKEDIN), "--tag", "batch-1")
    contacts = run.json("contacts")
    assert len(contacts) == 7 and all("batch-1" in c["tags"] for c in contacts[1:])
    out = run("undo", "--yes")
    assert "import linkedin" in out.stderr
    assert [c["handle"] for c in run.json("contacts")] == ["someone-before"]


def test_normal_linkedin_urls() -> None:
    assert (
        normal_linkedin("https://www.linkedin.com/in/ADA-LOVELACE/")
        == "linkedin.com/in/ada-lovelace"
    )
    assert (
        normal_linkedin("http://linkedin.com/in/ada-lovelace?trk=x#y")
        == "linkedin.com/in/ada-lovelace"
    )
    assert (
        normal_linkedin("https://uk.linkedin.com/in/ada-lovelace") == "linkedin.com/in/ada-lovelace"
    )
    assert normal_linkedin("") is None and normal_linkedin(None) is None


# Google -------------------------------------------------------------------------------------


def test_google_sample_gives_four_contacts() -> None:
    rows = google(GOOGLE)
    assert [r.name for r in rows] == ["Jane Doe", "Sam Lee", "Bo", "Ada Lovelace"]
    jane = rows[0]
    assert jane.emails == ["jane.doe@acme.example", "jdoe@acme.example", "jane@home.example"]
    assert jane.tags == ["Mentors"] and jane.phone == "+1 503 555 0142"
    assert jane.linkedin == "https://www.linkedin.com/in/janedoe-acme/"
    assert jane.notes == "Met at the Portland book fair.\nLoves mentoring juniors."
    assert rows[2].company == "Chen & Partners" and rows[2].tags == []
    assert rows[1].tags == [] and rows[1].role == "Product Designer"


def test_google_import_keeps_the_primary_email_first(tracker: Tracker) -> None:
    tracker.import_file("google", GOOGLE)
    jane = next(c for c in tracker.read().contacts if c.name == "Jane Doe")
    assert jane.email == "jane.doe@acme.example"
    assert jane.notes is not None and "Other e-mail: jdoe@acme.example" in jane.notes
    assert jane.tags == ["Mentors"] and jane.source == "google"


def test_the_legacy_google_layout(tmp_path: Path) -> None:
    path = tmp_path / "google.csv"
    path.write_text(
        "Name,Given Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value,"
        "Organization 1 - Name,Organization 1 - Title\n"
        "Sam Lee,Sam,Lee,* myContacts ::: Designers,* Work,sam@northwind.example,"
        "Northwind,Designer\n"
    )
    (row,) = google(path)
    assert (row.name, row.emails, row.company, row.role, row.tags) == (
        "Sam Lee",
        ["sam@northwind.example"],
        "Northwind",
        "Designer",
        ["Designers"],
    )


def test_a_csv_that_is_not_from_google_is_refused(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n")
    assert (
        "does not look like a Google Contacts CSV"
        in run.refused("import", "google", str(path)).stderr
    )


# vCard -------------------------------------------------------------------------------------------


def test_vcard_sample_gives_three_contacts() -> None:
    rows = vcard(VCARD)
    assert [r.name for r in rows] == ["Chidi Okafor", "Eleanor Shellstrop", "Tahani Al-Jamil"]
    chidi = rows[0]
    assert chidi.company == "Good Place Labs" and chidi.role == "Ethics Lead"
    assert chidi.tags == ["mentors", "philosophy"]
    assert (
        chidi.notes == "Wrote the book on moral particularism.\nAsk about switching from academia."
    )
    assert chidi.linkedin == "https://www.linkedin.com/in/chidi-okafor/"
    assert rows[2].role == "Director, Fundraising"
    assert rows[1].emails == ["eleanor@example.net"]


def test_a_broken_vcard_is_refused(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "broken.vcf"
    path.write_text("hello\nthis is not a card\n")
    assert "not a vCard file" in run.refused("import", "vcard", str(path)).stderr


# exports ---------------------------------------------------------------------------------------


@pytest.fixture
def planned(tracker: Tracker, clock: Clock) -> Tracker:
    tracker.config_set("alarm_minutes", "45")
    tracker.add_contact("Jane Doe", ContactFields(company="Acme", role="Editor", why="Her talk."))
    tracker.add_contact("Bo Chen", ContactFields(company="=cmd|' /C calc'!A0", tags=["@x"]))
    tracker.outreach("jane-doe", "me", "you", "Learn about editing.")
    tracker.prep("jane-doe", "Led the redesign.", ["What next?", "Who else?"])
    tracker.schedule(
        "jane-doe", NOW + timedelta(days=7, hours=1), None, "in_person", "Blue Bottle", "cafe"
    )
    tracker.schedule("bo-chen", NOW + timedelta(days=8), 20, "phone")
    tracker.cancel("2", "travel")
    return tracker


def test_ics_round_trip_through_icalendar(planned: Tracker) -> None:
    from icalendar import Calendar

    calendar = Calendar.from_ical(planned.export("ics"))
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    jane, bo = events
    start, end = jane.decoded("dtstart"), jane.decoded("dtend")
    assert start == NOW + timedelta(days=7, hours=1) and start.utcoffset() == timedelta(0)
    assert timedelta(0) < end - start <= timedelta(minutes=30)
    assert str(jane["location"]) == "Blue Bottle" and str(jane["status"]) == "CONFIRMED"
    description = str(jane["description"])
    for text in (
        "Learn about editing.",
        "1. What next?",
        "You pay the bill at the cafe",
        "Dress professionally",
    ):
        assert text in description
    (alarm,) = list(jane.walk("VALARM"))
    assert alarm.decoded("trigger") == -timedelta(minutes=45)
    assert str(bo["status"]) == "CANCELLED" and str(bo["location"]) == "Phone call"
    assert not list(bo.walk("VALARM"))
    uids = [str(e["uid"]) for e in events]
    again = [str(e["uid"]) for e in Calendar.from_ical(planned.export("ics")).walk("VEVENT")]
    assert uids == again and all(u.endswith("@infoint") for u in uids)


def test_a_moved_meeting_keeps_its_uid_and_raises_its_sequence(
    planned: Tracker, clock: Clock
) -> None:
    from icalendar import Calendar

    first = Calendar.from_ical(planned.export("ics")).walk("VEVENT")[0]
    clock.advance(hours=1)
    planned.reschedule("1", NOW + timedelta(days=9))
    moved = next(
        e
        for e in Calendar.from_ical(planned.export("ics")).walk("VEVENT")
        if e["uid"] == first["uid"]
    )
    assert int(moved["sequence"]) > int(first["sequence"])
    assert moved.decoded("dtstart") == NOW + timedelta(days=9)


def test_csv_export_neutralises_formulas(planned: Tracker) -> None:
    rows = list(csv.DictReader(io.StringIO(planned.export("csv").decode())))
    assert [r["name"] for r in rows] == ["Jane Doe", "Bo Chen"]
    assert rows[1]["company"] == "'=cmd|' /C calc'!A0" and rows[1]["tags"] == "'@x"
    assert rows[0]["status"] == "scheduled" and rows[0]["company"] == "Acme"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_vcard_export_round_trips_through_vobject(planned: Tracker) -> None:
    import vobject

    planned.edit("jane-doe", ContactFields(email="jane@acme.example"))
    cards = list(vobject.readComponents(planned.export("vcard").decode()))
    assert [c.fn.value for c in cards] == ["Jane Doe", "Bo Chen"]
    assert cards[0].email.value == "jane@acme.example" and cards[0].org.value == ["Acme"]
    assert cards[1].org.value == ["=cmd|' /C calc'!A0"] and cards[1].categories.value == ["@x"]


def test_json_export_then_import_into_an_empty_home_is_identical(
    planned: Tracker, tmp_path: Path, clock: Clock
) -> None:
    from infoint.files import Paths

    exported = tmp_path / "export.json"
    exported.write_bytes(planned.export("json"))
    fresh = Tracker(Paths.from_env({"INFOINT_HOME": str(tmp_path / "fresh")}), clock=clock)
    counts = fresh.import_json(exported)
    assert counts["added"] == 2 + 2 + 1
    original = planned.read().model_dump(mode="json")
    copy = fresh.read().model_dump(mode="json")
    for key in ("contacts", "meetings", "events", "next_id", "schema_version"):
        assert copy[key] == original[key]
    assert fresh.import_json(exported)["same"] == 5  # twice: nothing new


def test_export_from_the_command_line(run: Runner, tmp_path: Path) -> None:
    run("add-contact", "Jane Doe")
    target = tmp_path / "contacts.csv"
    assert "Wrote" in run("export", "csv", "--out", str(target)).stderr
    assert "exists already" in run.refused("export", "csv", "--out", str(target)).stderr
    run("export", "csv", "--out", str(target), "--force")
    assert target.read_text().startswith("id,handle,name")
    out = run("export", "json", "--out", "-")
    assert json.loads(out.stdout)["contacts"][0]["handle"] == "jane-doe"
    assert run("export", "vcard", "--out", "-").stdout.startswith("BEGIN:VCARD")
    assert run("export", "ics", "--out", "-").stdout.startswith("BEGIN:VCALENDAR")


def test_import_json_from_the_command_line(run: Runner, tmp_path: Path) -> None:
    run("add-contact", "Jane Doe")
    dump = tmp_path / "all.json"
    run("export", "json", "--out", str(dump))
    run("remove", "jane-doe", "--yes")
    out = run("import", "json", str(dump))
    assert "1 new record(s)" in out.stderr
    assert [c["handle"] for c in run.json("contacts")] == ["jane-doe"]


def linkedin(path: Path) -> list[Row]:
    return read_linkedin(path).rows


def test_linkedin_columns_are_found_by_name_in_any_order(tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(
        "Connected On,Position,Company,Last Name,First Name,URL\n"
        "03 Oct 2025,Editor,Océano,Núñez,María,https://www.linkedin.com/in/mjnunez/\n"
    )
    (row,) = linkedin(path)
    assert (row.name, row.company, row.role, str(row.connected_on)) == (
        "María Núñez",
        "Océano",
        "Editor",
        "2025-10-03",
    )


def test_linkedin_with_crlf_and_a_quoted_newline(tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_bytes(
        b'\xef\xbb\xbfNotes:\r\n"A note"\r\n\r\n'
        b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        b'Ada,Lovelace,,,"Engines\r\nLtd",Engineer,01 Jan 2024\r\n'
    )
    (row,) = linkedin(path)
    assert row.name == "Ada Lovelace" and row.company is not None and "Engines" in row.company


def test_an_unknown_connected_on_date_is_left_empty(tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text("First Name,Last Name,Connected On\nAda,Lovelace,sometime\n")
    (row,) = linkedin(path)
    assert row.connected_on is None


def test_google_nickname_only_and_no_name_at_all(tmp_path: Path) -> None:
    path = tmp_path / "google.csv"
    path.write_text(
        "First Name,Last Name,Nickname,Labels,Phone 1 - Label,Phone 1 - Value\n"
        ",,Bo,* starred,Work,+44 20 ::: +44 21\n"
        ",,,* myContacts,,\n"
    )
    bo, nobody = google(path)
    assert bo.name == "Bo" and bo.phone == "+44 20" and bo.tags == []
    assert nobody.skipped == "no name" and nobody.line == 3


def test_a_vcard_without_fn_uses_n(tmp_path: Path) -> None:
    path = tmp_path / "one.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Hopper;Grace;;;\r\nFN:\r\nEMAIL:grace@navy.example\r\n"
        "END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:\r\nEND:VCARD\r\n"
    )
    grace, empty = vcard(path)
    assert grace.name == "Grace Hopper" and grace.emails == ["grace@navy.example"]
    assert empty.skipped == "no name" and empty.line == 7


def test_a_merge_by_name_and_company_fills_in_and_tags(tracker: Tracker, tmp_path: Path) -> None:
    tracker.add_contact("Ada Lovelace", ContactFields(company="Engines", role="Countess"))
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position\n"
        "Ada,Lovelace,https://linkedin.com/in/ada,ada@engines.example,Engines,Engineer\n"
    )
    (outcome,) = tracker.import_file("linkedin", path, tags=["met-at-conf"])
    assert outcome.result == "merged" and outcome.reason == "same name and company as ada-lovelace"
    (ada,) = tracker.read().contacts
    assert ada.role == "Countess"  # kept: an import never overwrites
    assert ada.email == "ada@engines.example" and ada.linkedin == "https://linkedin.com/in/ada"
    assert ada.tags == ["met-at-conf"]
