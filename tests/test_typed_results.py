"""What the services return, by name: the records a change touched, the stats, the
insights and the settings, each typed for what it holds."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import NotRequired, get_origin, get_type_hints

from conftest import Clock, Runner
from infoint.doctor import Finding
from infoint.models import Meeting, Outreach, Reply, Thank
from infoint.progress import Advice, ChannelReplies, Insights, Stage, Stats, Theme
from infoint.records import ContactFields
from infoint.services import Booked, HistoryEntry, MergeCounts, Replied, Sent, Tracker

WHO, WHY, GOAL = "I am an analyst.", "Your talk on design systems.", "Learn which skills matter."


def _met(tracker: Tracker, clock: Clock, name: str, advice: str) -> Booked:
    handle = tracker.add_contact(name, ContactFields()).record.handle
    tracker.outreach(handle, WHO, WHY, GOAL)
    clock.advance(days=1)
    tracker.reply(handle, "agreed")
    booked = tracker.schedule(handle, clock() + timedelta(days=1), 30, "phone").record
    clock.advance(days=2)
    tracker.done(str(booked.meeting.id), advice=[advice])
    return booked


def test_a_message_comes_back_with_whom_it_was_with(tracker: Tracker) -> None:
    jane = tracker.add_contact("Jane Doe", ContactFields()).record
    sent = tracker.outreach("jane-doe", WHO, WHY, GOAL).record
    assert isinstance(sent, Sent) and isinstance(sent.message, Outreach)
    assert sent.contact.uuid == jane.uuid and sent.message.contact == jane.uuid
    message, person = sent  # what the command line unpacks
    assert message.goal == GOAL and person.handle == "jane-doe"


def test_a_reply_comes_back_with_who_answered_and_whom_they_pointed_to(
    tracker: Tracker,
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.outreach("jane-doe", WHO, WHY, GOAL)
    replied = tracker.reply("jane-doe", "referred", referred="Sam Lee").record
    assert isinstance(replied, Replied) and isinstance(replied.reply, Reply)
    assert replied.contact.handle == "jane-doe"
    assert replied.referred is not None and replied.referred.name == "Sam Lee"
    assert replied.reply.referred_to == replied.referred.uuid


def test_a_meeting_comes_back_with_whom_it_is_with(tracker: Tracker, clock: Clock) -> None:
    booked = _met(tracker, clock, "Jane Doe", "Learn SQL first.")
    assert isinstance(booked, Booked) and isinstance(booked.meeting, Meeting)
    assert booked.contact.handle == "jane-doe" and booked.meeting.contact == booked.contact.uuid
    thanked = tracker.thank("jane-doe").record
    assert isinstance(thanked.message, Thank) and thanked.contact.uuid == booked.contact.uuid


def test_stats_hold_exactly_the_keys_their_type_names(tracker: Tracker, clock: Clock) -> None:
    _met(tracker, clock, "Jane Doe", "Learn SQL first.")
    found = tracker.stats()
    assert set(found) == set(Stats.__annotations__)
    assert [set(stage) for stage in found["funnel"]] == [set(Stage.__annotations__)] * 6
    assert set(found["reply_rate_by_channel"]["email"]) == set(ChannelReplies.__annotations__)
    assert found["funnel"][4] == {"stage": "met", "count": 1, "rate": 1.0}
    assert found["meetings_per_month"] == {"2026-11": 1}


def test_insights_hold_exactly_the_keys_their_type_names(tracker: Tracker, clock: Clock) -> None:
    _met(tracker, clock, "Jane Doe", "Learn SQL before anything else.")
    _met(tracker, clock, "Sam Lee", "SQL matters most.")
    found = tracker.insights()
    assert set(found) == set(Insights.__annotations__)
    assert {tuple(sorted(a)) for a in found["advice"]} == {tuple(sorted(Advice.__annotations__))}
    (theme,) = found["themes"]
    assert set(theme) == set(Theme.__annotations__)
    assert theme["theme"] == "sql" and theme["people"] == ["Jane Doe", "Sam Lee"]


def test_a_setting_is_a_whole_number_or_text(tracker: Tracker) -> None:
    assert tracker.config_set("max_nudges", "2") == 2
    assert tracker.config_set("me.name", "Alex Kim") == "Alex Kim"
    assert tracker.config_get("mail.port") == 0 and tracker.config_get("mail.tls") == "ssl"
    kinds = {key: type(value) for key, value, default in tracker.config_items()}
    assert kinds["reply_wait_days"] is int and kinds["me.intro"] is str
    assert set(kinds.values()) == {int, str}


def _keys(typed: type) -> tuple[set[str], set[str]]:
    """A TypedDict's keys: those every value has, and all it may have (read from its
    hints: under postponed annotations `__required_keys__` names them all)."""
    hints = get_type_hints(typed, include_extras=True)
    return {k for k, v in hints.items() if get_origin(v) is not NotRequired}, set(hints)


def test_history_entries_hold_the_keys_their_type_names_in_the_order_written(
    tracker: Tracker, run: Runner
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.edit("jane-doe", ContactFields(company="Acme"))
    tracker.undo(tracker.undo_preview()[0]["seq"])
    required, known = _keys(HistoryEntry)
    entries = tracker.history()
    assert [e["command"] for e in entries] == ["add-contact", "edit", "undo"]
    for entry in entries:
        assert required <= set(entry) <= known
        # the log line's own keys first, as written; then what history says of it
        assert list(entry)[-3:] == ["what", "undone_by", "elsewhere"]
        assert next(iter(entry)) == "seq" and entry["elsewhere"] is False
    assert [e["undone_by"] for e in entries] == [None, 3, None]
    assert entries[1]["what"] == "change Jane Doe: company to Acme"
    assert entries[2]["undoes"] == 2
    shown = run.json("history")  # what --json prints: the same entries, newest first
    assert [list(e) for e in shown] == [list(e) for e in entries[::-1]]


def test_merge_counts_hold_the_keys_their_type_names(tracker: Tracker, tmp_path: Path) -> None:
    required, known = _keys(MergeCounts)
    tracker.add_contact("Jane Doe", ContactFields())
    copy = tmp_path / "copy.json"
    copy.write_bytes(tracker.export("json"))
    counts = tracker.merge(copy)
    assert required <= set(counts) <= known
    assert (counts["added"], counts["same"], counts["renamed"]) == (0, 1, [])
    previewed = tracker.import_json(copy, dry_run=True)
    assert required <= set(previewed) <= known and previewed["same"] == 1
    # a sync service's copy whose every change the logs here have already
    tracker.edit("jane-doe", ContactFields(role="Editor"))
    conflict = tracker.paths.data_dir / "store (conflicted copy).json"
    conflict.write_bytes(tracker.paths.store_file.read_bytes())
    unreadable = tracker.paths.data_dir / "store (conflicted copy 2).json"
    unreadable.write_text("{")
    found = dict(tracker.merge_conflicts())
    covered = found[conflict]
    assert not isinstance(covered, str)
    assert required <= set(covered) <= known and covered.get("moved") == 1
    assert isinstance(found[unreadable], str) and unreadable.exists()


def test_doctors_findings_are_findings(tracker: Tracker, home: Path) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    (home / "config.toml").write_text("max_nudges = 'lots'\n")
    found = tracker.doctor()
    assert all(isinstance(f, Finding) for f in found)
    (error,) = [f for f in found if f.level == "error"]
    assert "max_nudges" in error.what and error.fix


def test_undo_names_the_change_log_line_it_takes_back(tracker: Tracker) -> None:
    from infoint.services.base import LogLine

    tracker.add_contact("Jane Doe", ContactFields())
    target, words = tracker.undo_preview()
    required = {k for k, v in get_type_hints(LogLine, include_extras=True).items()
                if get_origin(v) is not NotRequired}  # fmt: skip
    assert required <= set(target) and target["command"] == "add-contact"
    assert words == "remove contact Jane Doe"
    assert tracker.undo(target["seq"]).record["seq"] == target["seq"]
    assert tracker.read().contacts == []
