"""Smaller pieces, each pinned where a mistake would be easy to make and hard to see."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from build import Doc, days, hours
from conftest import NOW, Clock
from infoint import agenda as agenda_module
from infoint import history, journal, progress, rules, term
from infoint.dates import ago
from infoint.models import Settings
from infoint.records import ContactFields, slugify
from infoint.services import Tracker

S = Settings()


def test_ago_switches_units_where_people_expect() -> None:
    assert ago(NOW - timedelta(seconds=20), NOW) == "1 minute ago"
    assert ago(NOW - timedelta(minutes=59), NOW) == "59 minutes ago"
    assert ago(NOW - timedelta(hours=47), NOW) == "47 hours ago"
    assert ago(NOW - timedelta(hours=48), NOW) == "2 days ago"
    assert ago(NOW + timedelta(days=10), NOW) == "in 10 days"


def test_plural() -> None:
    assert agenda_module.plural(1, "person", "people") == "1 person"
    assert agenda_module.plural(0, "person", "people") == "0 people"
    assert agenda_module.plural(3, "thing") == "3 things"


def test_a_follow_up_survives_the_index_round_trip() -> None:
    doc = Doc()
    c = doc.contact(industry="Publishing")
    doc.outreach(c, days(-20))
    doc.reply(doc.contact("Bo Chen"), hours(-1))
    for item in rules.candidates(rules.histories(doc.doc).values(), S):
        again = agenda_module.followup_from_json(agenda_module.followup_to_json(item))
        assert again == item


def test_followup_json_has_the_contract_keys() -> None:
    doc = Doc()
    doc.reply(doc.contact(), hours(-1))
    due = agenda_module.view(
        rules.candidates(rules.histories(doc.doc).values(), S),
        NOW,
        agenda_module.Prospects(),
        1,
        [],
    )
    (item,) = [term.followup_json(i, due) for i in due.items]
    assert {"kind", "contact", "due", "overdue", "message"} <= set(item)
    assert item["message"] == "said yes 1 hour ago: propose a time that suits them"


def test_the_view_counts_what_opens_this_week_and_finds_the_next_meeting() -> None:
    doc = Doc()
    c = doc.contact()
    doc.outreach(c, days(-10))  # move_on opens in 4 days
    soon = agenda_module.NextMeeting("A", NOW + timedelta(days=2), 30, "phone")
    past = agenda_module.NextMeeting("B", NOW - timedelta(days=2), 30, "phone")
    due = agenda_module.view(
        rules.candidates(rules.histories(doc.doc).values(), S),
        NOW,
        agenda_module.Prospects(),
        1,
        [past, soon],
    )
    assert due.items == [] and due.this_week == 1 and due.next_meeting == soon


def test_apply_keeps_counters_and_sequence() -> None:
    data: dict[str, Any] = {"seq": 3}
    entries = [
        journal.entry(4, "t", "a", [], {"contact": 2}),
        journal.entry(
            5,
            "t",
            "b",
            [{"type": "events", "uuid": "e", "before": None, "after": {"uuid": "e"}}],
            {"contact": 3, "event": 2},
        ),
    ]
    journal.apply(data, entries)
    assert data["seq"] == 5 and data["next_id"] == {"contact": 3, "event": 2}
    assert data["events"] == [{"uuid": "e"}]


def test_describe_joins_and_dedupes() -> None:
    changes = [
        {"type": "contacts", "uuid": "a", "before": None, "after": {"name": "Ada"}},
        {"type": "contacts", "uuid": "b", "before": None, "after": {"name": "Ada"}},
        {"type": "events", "uuid": "e", "before": None,
         "after": {"kind": "outreach", "contact": "a", "at": "2026-11-26T09:00:00Z"}},
    ]  # fmt: skip
    assert (
        history.describe(changes, {}) == "add contact Ada; record message to Ada (Thu 26 Nov 09:00)"
    )


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ñandú Müller", "nandu-muller"),
        ("A.B. C", "a-b-c"),
        ("Søren Kierkegaard", "soren-kierkegaard"),
        ("Łukasz Żółw", "lukasz-zolw"),
        ("Æsa Straße", "aesa-strasse"),
    ],
)
def test_more_slugs(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_the_agenda_leaves_out_cancelled_meetings_and_archived_people(
    tracker: Tracker, clock: Clock
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.add_contact("Bo Chen", ContactFields())
    tracker.schedule("jane-doe", NOW + timedelta(days=1), None, "phone")
    tracker.schedule("bo-chen", NOW + timedelta(days=1, hours=2), None, "phone")
    tracker.cancel("1")
    tracker.archive("bo-chen")
    days_ahead = tracker.agenda(3)
    assert all(day.meetings == [] for day in days_ahead)


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


def test_stats_count_a_referral_once(clock: Clock) -> None:
    doc = Doc()
    ana, bo = doc.contact("Ana Ruiz"), doc.contact("Bo Chen")
    doc.meeting(ana, days(-3), status="done")
    doc.reply(ana, days(-2), "referred", referred_to=bo.uuid)
    bo.referred_by = ana.uuid
    assert progress.stats(doc.doc, S, NOW, None)["referral_yield"] == 1.0


def test_doctor_names_a_damaged_change_log_line(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.edit("jane-doe", ContactFields(role="Editor"))
    tracker.edit("jane-doe", ContactFields(role="Director"))
    path = tracker.paths.journal_file
    lines = path.read_text().splitlines(keepends=True)
    lines[0] = lines[0].replace("Editor", "Editrix")
    path.write_text("".join(lines))
    (error,) = [f for f in tracker.doctor() if f.level == "error"]
    assert "Line 1 of the change log" in error.what and error.fix == "infoint doctor --restore"


def test_doctor_names_a_conflicting_change_log(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    (tracker.paths.data_dir / "journal (conflicted copy).jsonl").write_text("")
    fixes = [f.fix for f in tracker.doctor() if f.fix]
    assert any("journal (conflicted copy).jsonl" in (fix or "") for fix in fixes)


def test_completion_of_meetings_without_an_index(tracker: Tracker) -> None:
    from infoint import complete, index

    tracker.add_contact("Jane Doe", ContactFields())
    tracker.schedule("jane-doe", NOW + timedelta(days=1), None, "phone")
    assert complete.meetings("") == [("1", "Jane Doe 2026-11-27T09:00")]
    index.clear(tracker.paths)
    assert complete.meetings("") == [("1", "Jane Doe 2026-11-27T09:00")]


def test_history_limit_and_json_from_the_command_line(run: Any) -> None:
    for name in ("Jane Doe", "Sam Lee", "Bo Chen"):
        run("add-contact", name)
    assert [e["seq"] for e in run.json("history", "--limit", "2")] == [3, 2]
    assert "--limit takes 1 or more" in run.refused("history", "-n", "0", "--json").stderr
    entry = run.json("history", "-n", "1")[0]
    assert entry["what"] == "add contact Bo Chen" and entry["undone_by"] is None


def test_export_into_a_folder_is_refused_plainly(run: Any, tmp_path: Any) -> None:
    run("add-contact", "Jane Doe")
    folder = tmp_path / "somewhere"
    folder.mkdir()
    for force in ((), ("--force",)):
        out = run("export", "csv", "--out", str(folder), *force, code=1)
        assert out.stderr.startswith(f"Error: {folder} is a folder, not a file.")
        assert f"--out {folder / 'infoint-contacts.csv'}" in out.stderr


@pytest.mark.parametrize(
    ("key", "value"), [("keep_backups", "0"), ("alarm_minutes", "9999"), ("min_questions", "99")]
)
def test_settings_out_of_bounds_are_refused(run: Any, key: str, value: str) -> None:
    out = run.refused("config", key, value)
    assert key in out.stderr


def test_a_google_dry_run_plans_without_writing(run: Any, home: Any) -> None:
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "shared" / "data" / "google_contacts.csv"
    if not data.exists():
        pytest.skip("the shared sample data is not beside")
    out = run("import", "google", str(data), "--dry-run")
    assert "Would add 4 new contact(s)" in out.stderr
    assert "jane-doe" in out.stdout and "bo" in out.stdout
    assert not (home / "store.json").exists()


def test_the_first_undo_of_an_import_names_it(run: Any, tmp_path: Any) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text("First Name,Last Name\nAda,Lovelace\nGrace,Hopper\n")
    run("import", "linkedin", str(path))
    out = run.refused("undo")
    assert "The last change was import linkedin" in out.stderr
    assert "Undo will: remove contact Grace Hopper; remove contact Ada Lovelace." in out.stderr


def test_an_index_that_cannot_be_written_costs_only_time(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infoint import files
    from infoint.errors import StoreError

    original = files.atomic_write

    def refuse_index(path: Any, data: bytes, durable: bool = True) -> None:
        if path.name == "index.json":
            raise StoreError("disk full")
        original(path, data, durable)

    import infoint.store

    monkeypatch.setattr(infoint.store, "atomic_write", refuse_index)
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.add_contact("Sam Lee", ContactFields())
    assert [c.handle for c in tracker.read().contacts] == ["jane-doe", "sam-lee"]
    assert not tracker.paths.index_file.exists()
    assert tracker.due().contacts == 2


def test_a_reply_on_an_earlier_day_and_a_touch_later_keep_the_order(
    tracker: Tracker, clock: Clock
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.heard("jane-doe", on=NOW - timedelta(days=3), note="first")
    tracker.heard("jane-doe", on=NOW - timedelta(days=5), note="earlier, recorded later")
    history_, _, _ = tracker.show("jane-doe")
    assert [e.note for e in history_.events] == ["earlier, recorded later", "first"]


def test_status_of_a_referred_contact_after_a_new_outreach(tracker: Tracker) -> None:
    tracker.add_contact("Ana Ruiz", ContactFields())
    tracker.add_contact("Bo Chen", ContactFields())
    tracker.reply("ana-ruiz", "referred", referred="bo-chen")
    assert tracker.show("ana-ruiz")[1] == "referred"
    tracker.outreach("ana-ruiz", "me", "you", "learn", force=True)
    assert tracker.show("ana-ruiz")[1] == "contacted"
    assert tracker.show("bo-chen")[0].contact.referred_by is not None


def test_colour_can_be_forced_for_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("FORCE_COLOR", "1")
    pipe = io.StringIO()
    assert term.colour(pipe)
    monkeypatch.delenv("FORCE_COLOR")
    assert not term.colour(pipe)
    assert (
        term.styled("x", "bold", True) == "\x1b[1mx\x1b[0m"
        and term.styled("x", "bold", False) == "x"
    )
