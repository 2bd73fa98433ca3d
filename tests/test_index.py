"""The index on its own: lookups by handle, number, uuid and meeting; the delta of
rows and its rewrites; namesakes and possible duplicates; the racy snapshot rule;
trusted records equal validated ones."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import NOW, Clock
from infoint import index, index_keys
from infoint.models import Contact, Meeting, Outreach, trusted, trusted_event
from infoint.records import ContactFields
from infoint.services import Tracker

WHO, WHY, GOAL = "I am an analyst.", "Your talk.", "Learn which skills matter."


def fresh(tracker: Tracker) -> index.Index:
    found = index.Index.open(tracker.paths)
    assert found is not None
    return found


def test_lookups_by_handle_number_uuid_and_meeting(tracker: Tracker) -> None:
    jane = tracker.add_contact("Jane Doe", ContactFields()).record
    tracker.add_contact("Sam Lee", ContactFields())
    meeting, _ = tracker.schedule("jane-doe", NOW + timedelta(days=1), None, "phone").record
    found = fresh(tracker)
    bucket = index.bucket_of(jane.uuid)
    assert found.locate("jane-doe") == (jane.uuid, bucket)
    assert found.locate("1") == found.locate("01") == (jane.uuid, bucket)
    assert found.locate(jane.uuid) == (jane.uuid, bucket)
    assert found.locate("nobody") is None and found.locate("99") is None
    assert found.locate_meeting(str(meeting.id)) == (jane.uuid, bucket)
    assert found.locate_meeting(f"#{meeting.id}") == (jane.uuid, bucket)
    assert found.locate_meeting("42") is None
    assert sorted(found.handles()) == ["jane-doe", "sam-lee"]
    assert found.has_handle("sam-lee") and not found.has_handle("sam")


def test_a_number_is_never_taken_for_a_bucket_or_a_count(tracker: Tracker) -> None:
    for n in range(70):  # more contacts than buckets: every bucket number is a contact id
        tracker.add_contact(f"Person {n}", ContactFields())
    found = fresh(tracker)
    for number in range(1, 71):
        uuid, _ = found.locate(str(number)) or ("", 0)
        assert tracker.show(str(number))[0].contact.uuid == uuid
        assert tracker.show(str(number))[0].contact.id == number


def test_renames_and_removals_go_through_the_delta(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.add_contact("Sam Lee", ContactFields())
    tracker.edit("jane-doe", ContactFields(), handle="jane-acme")
    found = fresh(tracker)
    assert found.delta()["rows"]  # a small write leaves the rows file as it was
    assert found.locate("jane-doe") is None and found.locate("jane-acme") is not None
    tracker.remove("sam-lee")
    found = fresh(tracker)
    assert found.locate("sam-lee") is None and found.locate("2") is None
    assert [row[2] for row in found.rows()] == ["jane-acme"]
    assert found.count == 1


def test_the_delta_is_folded_into_whole_files_past_its_size(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "DELTA_ROWS", 3)
    for n in range(8):
        tracker.add_contact(f"Person {n}", ContactFields())
    found = fresh(tracker)
    assert len(found.delta()["rows"]) <= 3
    assert [row[1] for row in found.rows()] == list(range(1, 9))
    assert all(found.locate(f"person-{n}") is not None for n in range(8))


def test_namesakes_and_possible_duplicates(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields(email="jane@acme.com", company="Acme"))
    tracker.add_contact(
        "Jane Doe", ContactFields(linkedin="https://www.linkedin.com/in/jdoe/"), force=True
    )
    tracker.add_contact("Sam Lee", ContactFields())
    found = fresh(tracker)
    assert found.namesakes("jane doe") == 2 and found.namesakes("Sam Lee") == 1
    assert "jane doe" in found.manifest["twins"]
    by_mail = found.maybe_same("Someone", "JANE@acme.com", None)
    by_url = found.maybe_same("Someone", None, "linkedin.com/in/JDoe")
    by_name = found.maybe_same("jane doe", None, None)
    assert len(by_mail) == 1 and len(by_url) == 1 and len(by_name) == 2
    assert found.maybe_same("Nobody", "no@where.org", None) == []
    tracker.archive("jane-doe-2")
    assert "jane doe" not in fresh(tracker).manifest["twins"]


def test_twins_are_told_apart_on_the_morning_look(tracker: Tracker, clock: Clock) -> None:
    tracker.add_contact("Jane Doe", ContactFields(company="Acme"))
    tracker.add_contact("Jane Doe", ContactFields(company="Initech"))
    for handle in ("jane-doe", "jane-doe-2"):
        tracker.outreach(handle, WHO, WHY, GOAL, sent=clock.now - timedelta(days=20))
    shown = {item.who.name for item in tracker.due().items}
    assert shown == {"Jane Doe (jane-doe)", "Jane Doe (jane-doe-2)"}


def test_referrals_are_found_both_ways(tracker: Tracker) -> None:
    tracker.add_contact("Ana Ruiz", ContactFields())
    tracker.add_contact("Bo Chen", ContactFields(referred_by="ana-ruiz"))
    ana = tracker.show("ana-ruiz")[0].contact
    found = fresh(tracker)
    assert [u for u, _ in found.referred_by(ana.uuid)] == [tracker.show("bo-chen")[0].contact.uuid]
    history, _, doc = tracker.show("ana-ruiz")
    assert "Bo Chen" in {c.name for c in doc.contacts}
    assert history.contact.name == "Ana Ruiz"


def test_a_snapshot_written_long_ago_is_trusted_by_its_times(
    tracker: Tracker, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.add_contact("Sam Lee", ContactFields())
    found = fresh(tracker)
    reads: list[Path] = []
    real = index.crc_file

    def counting(path: Path) -> int:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(index_keys, "crc_file", counting)
    later = max(os.stat(home / "store.json").st_ctime_ns, found.manifest["built_ns"])
    later += 10 * index.RACY_NS  # as if the index were built well after the snapshot
    assert index.source_key(tracker.paths, later)["store"] is not None
    assert reads == []  # not racy: its size, times and inode say enough
    index.source_key(tracker.paths, None)
    assert reads == [home / "store.json"]  # racy: read whole


def test_a_settings_change_or_another_zone_rebuilds(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    assert index.Index.open(tracker.paths) is not None
    tracker.config_set("reply_wait_days", "10")
    assert index.Index.open(tracker.paths) is None  # follow-ups depend on the settings
    tracker.contacts()
    manifest = index.folder(tracker.paths) / "manifest.json"
    data = json.loads(manifest.read_text())
    data["zone"] = "elsewhere"
    manifest.write_text(json.dumps(data))
    assert index.Index.open(tracker.paths) is None


def test_the_manifest_says_what_each_file_should_be(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    found = fresh(tracker)
    files = found.manifest["files"]
    assert {"rows.json", "names.txt", "shard-00.json", "follow-00.json", "activity-00.json"} <= (
        set(files)
    )
    assert len([n for n in files if n.startswith("shard-")]) == index.BUCKETS


# trusted records -----------------------------------------------------------------------

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    name=text.filter(lambda s: s.strip() != ""),
    company=st.none() | text,
    tags=st.lists(text, max_size=3),
    archived=st.booleans(),
    days=st.integers(-3000, 3000),
)
def test_a_trusted_contact_equals_a_validated_one(
    name: str, company: str | None, tags: list[str], archived: bool, days: int
) -> None:
    moment = NOW + timedelta(days=days)
    record = Contact(
        id=7, handle="jane-doe", name=name, company=company, tags=tags, archived=archived,
        created_at=moment, updated_at=moment, connected_on=moment.date(), extra_field=1,
    )  # fmt: skip
    data = record.model_dump(mode="json")
    rebuilt = trusted(Contact, data)
    assert rebuilt == Contact.model_validate(data)
    assert rebuilt.model_dump(mode="json") == data


def test_trusted_events_and_meetings_keep_their_kind_and_times() -> None:
    outreach = Outreach(
        id=1, contact="c", at=NOW, who_i_am="a", why_you="b", goal="c",
        created_at=NOW, updated_at=NOW,
    )  # fmt: skip
    meeting = Meeting(
        id=1, contact="c", start=NOW, minutes=30, mode="phone", created_at=NOW, updated_at=NOW
    )
    event = trusted_event(outreach.model_dump(mode="json"))
    assert isinstance(event, Outreach) and event == outreach and event.at.tzinfo is not None
    again = trusted(Meeting, meeting.model_dump(mode="json"))
    assert again == meeting and again.end == meeting.end
    assert again.advice == [] and again.advice is not trusted(Meeting, {}).advice


def test_agenda_and_stats_from_the_index_equal_those_from_every_record(
    tracker: Tracker, clock: Clock
) -> None:
    from infoint import progress

    for name in ("Jane Doe", "Sam Lee", "Bo Chen"):
        tracker.add_contact(name, ContactFields(industry="Design"))
    tracker.outreach("jane-doe", WHO, WHY, GOAL, sent=clock.now - timedelta(days=30))
    tracker.outreach("sam-lee", WHO, WHY, GOAL, sent=clock.now - timedelta(days=3))
    tracker.reply("sam-lee", "agreed")
    tracker.schedule("sam-lee", clock.now + timedelta(days=1), None, "phone")
    clock.advance(hours=1)
    doc = tracker.read()
    expected: Any = progress.stats(doc, tracker.settings, clock.now, None)
    assert tracker.stats() == expected
    days = tracker.agenda(7)
    slow = progress.agenda(doc, tracker.settings, clock.now, 7)
    assert [(d.day, [m[0].id for m in d.meetings], [f.kind for f in d.due]) for d in days] == [
        (d.day, [m[0].id for m in d.meetings], [f.kind for f in d.due]) for d in slow
    ]


def test_twins_are_told_apart_on_the_agenda_too(tracker: Tracker, clock: Clock) -> None:
    tracker.add_contact("Jane Doe", ContactFields(company="Acme"))
    tracker.add_contact("Jane Doe", ContactFields(company="Initech"))
    for handle in ("jane-doe", "jane-doe-2"):
        tracker.outreach(handle, WHO, WHY, GOAL, sent=clock.now - timedelta(days=20))
    names = {f.who.name for day in tracker.agenda(7) for f in day.due}
    assert names == {"Jane Doe (jane-doe)", "Jane Doe (jane-doe-2)"}


def test_a_trusted_record_keeps_a_newer_infoints_fields_in_their_order() -> None:
    data = Contact(
        id=7, handle="jane-doe", name="Jane Doe", created_at=NOW, updated_at=NOW
    ).model_dump(mode="json") | {"z_later": 1, "a_later": [2]}
    rebuilt = trusted(Contact, data)
    validated = Contact.model_validate(data)
    assert rebuilt.model_dump(mode="json") == data
    assert rebuilt.model_extra == {"z_later": 1, "a_later": [2]} == validated.model_extra
    assert list(rebuilt.model_extra or {}) == ["z_later", "a_later"]
    assert rebuilt.model_fields_set == validated.model_fields_set - {"z_later", "a_later"}
    rebuilt.role = "Editor"  # a record built so can be changed like any other
    assert "role" in rebuilt.model_fields_set


def test_a_snapshot_checked_once_past_the_racy_window_is_not_read_whole_again(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A snapshot written just before the index was built is read whole (its size
    and times could hide a change); once it is older than the racy window and has
    been checked, the manifest says so and later commands trust its stat."""
    import time

    tracker.add_contact("Jane Doe", ContactFields())  # the first write: a snapshot, then the index
    store = tracker.paths.store_file
    reads: list[Path] = []
    real = index.crc_file

    def counting(path: Path) -> int:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(index_keys, "crc_file", counting)
    assert index.Index.open(tracker.paths) is not None
    assert reads == [store]  # racy: read whole
    monkeypatch.setattr(index_keys, "clock_ns", lambda: time.time_ns() + 10 * index.RACY_NS)
    reads.clear()
    assert index.Index.open(tracker.paths) is not None  # checked, and sealed
    assert index.Index.open(tracker.paths) is not None
    assert reads == [store]  # once, then trusted
    before = store.read_bytes()
    store.write_bytes(before.replace(b"Jane Doe", b"Jane Roe"))  # same size, by hand
    assert index.Index.open(tracker.paths) is None  # its times moved: caught


def test_the_index_of_a_data_folder_that_is_gone_is_removed_by_the_next_build(
    tmp_path: Path, clock: Clock
) -> None:
    from infoint.files import Paths

    def machine(name: str) -> Tracker:
        folder = tmp_path / name
        return Tracker(Paths(folder, folder / "config.toml"), clock=clock)

    kept, gone, moved = machine("kept"), machine("gone"), machine("moved")
    for tracker in (kept, gone, moved):
        tracker.config_set("reply_wait_days", "9")  # its settings sealed beside its index
        tracker.add_contact("Jane Doe", ContactFields())
        tracker.count()
    where = {t.paths.data_dir.name: index.folder(t.paths) for t in (kept, gone, moved)}
    assert all(w.is_dir() for w in where.values())
    seals = {name: w.with_name(w.name + ".settings.json") for name, w in where.items()}
    assert all(seal.exists() for seal in seals.values())
    import shutil

    shutil.rmtree(tmp_path / "gone")
    (tmp_path / "moved").rename(tmp_path / "elsewhere")
    (tmp_path / "moved").mkdir()  # the path now holds another folder
    (where["kept"] / "manifest.json").unlink()  # the next command rebuilds it
    kept.count()
    assert where["kept"].is_dir()
    assert not where["gone"].exists() and not where["moved"].exists()
    assert seals["kept"].exists() and not seals["gone"].exists() and not seals["moved"].exists()


def test_stats_count_the_quiet_contacts_from_the_index_as_from_every_record(
    tracker: Tracker, clock: Clock
) -> None:
    """`stats` counts the contacts with nothing recorded from the index's counts (it
    reads no row of them): referred, archived, removed, and a quiet contact that
    becomes active or quiet again, kept in step by each command."""
    from infoint import progress

    def same() -> None:
        doc = tracker.read()
        expected: Any = progress.stats(doc, tracker.settings, clock.now, None)
        assert tracker.stats() == expected

    for name in ("Jane Doe", "Sam Lee", "Bo Chen", "Ana Ruiz"):
        tracker.add_contact(name, ContactFields())
    tracker.edit("bo-chen", ContactFields(referred_by="jane-doe"))
    tracker.outreach("jane-doe", WHO, WHY, GOAL, sent=clock.now - timedelta(days=3))
    tracker.reply("jane-doe", "referred", referred="sam-lee")
    clock.advance(hours=1)
    same()
    tracker.archive("ana-ruiz")
    same()
    tracker.schedule("jane-doe", clock.now + timedelta(days=1), None, "phone")
    tracker.outreach("bo-chen", WHO, WHY, GOAL, sent=clock.now)  # no longer quiet
    clock.advance(hours=1)
    same()
    target, _ = tracker.undo_preview()
    tracker.undo(target["seq"])  # quiet again
    tracker.remove("ana-ruiz")
    clock.advance(hours=1)
    same()
    assert tracker.stats()["funnel"][0]["count"] == 3
