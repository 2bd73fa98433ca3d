"""Edges of the formats, the change log, merges and the words people read."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import NOW, Clock, Runner
from infoint import backups, doctor, history, journal
from infoint.errors import BadInput, StoreError
from infoint.files import Paths
from infoint.formats.common import Row
from infoint.formats.csv import spreadsheet_safe
from infoint.formats.google import read as read_google
from infoint.formats.linkedin import read as read_linkedin
from infoint.formats.vcard import read as read_vcard
from infoint.records import ContactFields
from infoint.services import Tracker
from infoint.store import Store


def google(path: Path) -> list[Row]:
    return read_google(path).rows


def linkedin(path: Path) -> list[Row]:
    return read_linkedin(path).rows


def vcard(path: Path) -> list[Row]:
    return read_vcard(path).rows


WHO, WHY, GOAL = "I am an analyst.", "Your talk.", "Learn which skills matter."


# importers ---------------------------------------------------------------------------------


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


def test_a_damaged_vcard_body_is_refused(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "bad.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nEND:VCARD\nBEGIN:VCARD\n:::\n")
    out = run("import", "vcard", str(path), code=None)
    assert out.exit_code in (0, 1) and "Traceback" not in out.stderr


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


# merging ------------------------------------------------------------------------------------


def test_merging_keeps_short_ids_people_know(
    tracker: Tracker, tmp_path: Path, clock: Clock
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    other = Tracker(Paths.from_env({"INFOINT_HOME": str(tmp_path / "other")}), clock=clock)
    other.add_contact("Sam Lee", ContactFields())  # id 1 there, a different person
    other.schedule("sam-lee", NOW + timedelta(days=2), None, "phone")
    copy = tmp_path / "copy.json"
    copy.write_bytes(other.export("json"))
    counts = tracker.merge(copy)
    assert counts["added"] == 2
    doc = tracker.read()
    assert [(c.id, c.handle) for c in doc.contacts] == [(1, "jane-doe"), (2, "sam-lee")]
    (meeting,) = doc.meetings
    assert meeting.contact == doc.contacts[1].uuid and meeting.id == 1
    assert doc.next_id.contact == 3


def test_merging_the_same_copy_twice_changes_nothing(tracker: Tracker, tmp_path: Path) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    copy = tmp_path / "copy.json"
    copy.write_bytes(tracker.export("json"))
    assert tracker.merge(copy)["same"] == 1
    assert tracker.merge(copy) == {
        **{"added": 0, "newer": 0, "kept": 0, "same": 1, "removed": 0},
        **{"renamed": [], "overwritten": [], "removed_names": []},
    }


def test_load_copy_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(BadInput, match=str(bad)):
        doctor.load_copy(bad)


# the change log -------------------------------------------------------------------------------


def test_a_damaged_line_in_the_middle_is_not_taken_for_a_torn_one(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    for n in range(3):
        journal.append(path, journal.entry(n + 1, "t", "c", [], {}))
    lines = path.read_bytes().split(b"\n")
    lines[1] = lines[1][:-5]
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(StoreError, match="Line 2"):
        journal.read(path)


def test_a_log_line_that_is_not_ours(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_text('{"seq": 1}\n')
    with pytest.raises(StoreError, match="Line 1"):
        journal.read(path)
    path.write_bytes(b'{"check":"zzzzzzzz",\xff}\n')
    with pytest.raises(StoreError, match="Line 1"):
        journal.read(path)


def test_a_torn_line_with_no_whole_line_before_it(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_bytes(b'{"check":"12')
    assert journal.read(path) == []
    journal.cut_torn_tail(path)
    assert path.read_bytes() == b""
    journal.cut_torn_tail(path)  # an empty log: nothing to do


def test_old_folded_logs_are_pruned(tmp_path: Path) -> None:
    history_dir = tmp_path / "history"
    for n in range(5):
        live = tmp_path / "journal.jsonl"
        journal.append(live, journal.entry(n + 1, "t", "c", [], {}))
        journal.archive(live, history_dir, n + 1, keep=3)
    assert sorted(p.name for p in history_dir.iterdir()) == [
        "journal-00000003.jsonl",
        "journal-00000004.jsonl",
        "journal-00000005.jsonl",
    ]
    journal.archive(tmp_path / "missing.jsonl", history_dir, 9)  # nothing to move
    assert [e["seq"] for e in journal.everything(tmp_path / "journal.jsonl", history_dir)] == [
        3,
        4,
        5,
    ]


def test_backups_without_a_store(paths_home: Paths) -> None:
    assert backups.keep_copy(paths_home, reason="x") is None
    backups.daily(paths_home)
    assert backups.listed(paths_home) == []


@pytest.fixture
def paths_home(home: Path) -> Paths:
    return Paths.from_env()


def test_a_journal_beside_no_snapshot_is_replayed(tracker: Tracker, paths_home: Paths) -> None:
    """A first write whose snapshot the disk refused: the change lives in the log."""
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.outreach("jane-doe", WHO, WHY, GOAL)
    archived = sorted(paths_home.history_dir.glob("journal-*.jsonl"))
    live = paths_home.journal_file.read_bytes()
    paths_home.store_file.unlink()
    paths_home.journal_file.write_bytes(archived[0].read_bytes() + live)
    doc = Store(paths_home).load()
    assert [c.handle for c in doc.contacts] == ["jane-doe"] and len(doc.events) == 1


# words ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "words"),
    [
        ({"status": "planned"}, {"status": "cancelled"}, "cancel meeting 3 with Jo, ?"),
        ({"status": "done"}, {"status": "planned"}, "reopen meeting 3 with Jo, ?"),
        ({"notes": "a"}, {"notes": "b"}, "change meeting 3 with Jo, ?: notes to b"),
    ],
)
def test_meeting_words(before: dict[str, str], after: dict[str, str], words: str) -> None:
    base = {"id": 3, "contact": "c"}
    change = {
        "type": "meetings",
        "uuid": "u",
        "before": {**base, **before},
        "after": {**base, **after},
    }
    assert history.describe([change], {"c": "Jo"}) == words


def test_event_words_and_unknown_people() -> None:
    change = {
        "type": "events",
        "uuid": "u",
        "before": {"kind": "touch", "contact": "x", "at": "2026-11-26T09:00:00Z"},
        "after": {"kind": "touch", "contact": "x", "at": "2026-11-26T09:00:00Z", "note": "hi"},
    }
    assert history.describe([change], {}) == (
        "change the keep-in-touch message to someone (Thu 26 Nov 09:00): note to hi"
    )
    same_contact = {
        "type": "contacts",
        "uuid": "u",
        "before": {"name": "Jo", "updated_at": 1},
        "after": {"name": "Jo", "updated_at": 2},
    }
    assert history.describe([same_contact], {}) == ""


def test_undo_from_an_empty_history(tracker: Tracker) -> None:
    with pytest.raises(BadInput, match="nothing to undo"):
        tracker.undo_preview()
    assert tracker.history() == []


def test_the_history_survives_a_restore(tracker: Tracker, paths_home: Paths, clock: Clock) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    backups.keep_copy(paths_home, reason="test")
    clock.advance(hours=1)
    tracker.add_contact("Sam Lee", ContactFields())
    tracker.restore()
    commands = [e["command"] for e in tracker.history()]
    assert commands == ["add-contact", "add-contact", "doctor --restore"]
