"""Undo and history: every command is one step back, in plain words, exactly."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from conftest import NOW, Clock, Runner
from infoint import history
from infoint.errors import BadInput, InfointError, RuleBroken
from infoint.files import Paths
from infoint.records import ContactFields
from infoint.services import Tracker
from infoint.store import Store

DEC3 = "2026-12-03T10:00:00Z"
WHO, WHY, GOAL = "I am an analyst.", "Your talk.", "Learn which skills matter."


def state(tracker: Tracker) -> dict[str, Any]:
    """Every record as stored (not the counters: an id is never handed out twice,
    even after an undo; nor the snapshot's name, which each fold renews, nor how far
    it folded each machine's log and the clock, which only go forward)."""
    data = tracker.read().model_dump(mode="json")
    for counter in ("seq", "next_id", "base", "folded", "hlc", "stamps", "shared_tip"):
        data.pop(counter)
    return data


def test_undo_each_kind_of_change_restores_the_exact_state(tracker: Tracker, clock: Clock) -> None:
    snapshots = [state(tracker)]
    steps = [
        lambda: tracker.add_contact("Jane Doe", ContactFields(company="Acme", tags=["a"])),
        lambda: tracker.add_contact("Sam Lee", ContactFields()),
        lambda: tracker.outreach("jane-doe", WHO, WHY, GOAL),
        lambda: tracker.reply("jane-doe", "referred", referred="sam-lee"),
        lambda: tracker.edit("jane-doe", ContactFields(role="Editor", tags=["b"]), untag=["a"]),
        lambda: tracker.schedule("jane-doe", NOW + timedelta(days=2), None, "phone"),
        lambda: tracker.reschedule("1", NOW + timedelta(days=3), 20),
        lambda: tracker.prep("jane-doe", "Read her book.", ["Q1?", "Q2?"]),
        lambda: tracker.cancel("1", "ill"),
        lambda: tracker.archive("sam-lee"),
        lambda: tracker.remove("jane-doe"),
    ]
    for step in steps:
        clock.advance(minutes=5)
        step()
        snapshots.append(state(tracker))
    for expected in reversed(snapshots[:-1]):
        target, _ = tracker.undo_preview()
        tracker.undo(target["seq"])
        assert state(tracker) == expected
    with pytest.raises(BadInput, match="nothing to undo"):
        tracker.undo_preview()


def test_undo_words_say_what_it_will_do(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.schedule("jane-doe", NOW + timedelta(days=7, hours=1), None, "phone")
    target, what = tracker.undo_preview()
    assert target["command"] == "schedule"
    assert what == "remove meeting 1 with Jane Doe, Thu 3 Dec 10:00"


def test_undo_refuses_when_the_record_was_changed_by_hand(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.edit("jane-doe", ContactFields(role="Editor"))
    store = Store(tracker.paths)
    doc = store.load()
    doc.contacts[0].role = "Someone else"
    doc.contacts[0]._before = None
    store.save(doc)  # as if edited by hand or merged
    target, _ = tracker.undo_preview()
    with pytest.raises(RuleBroken, match="changed since"):
        tracker.undo(target["seq"])


def test_undo_of_a_stale_preview_is_refused(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    target, _ = tracker.undo_preview()
    tracker.add_contact("Sam Lee", ContactFields())
    with pytest.raises(RuleBroken, match="no longer the last one"):
        tracker.undo(target["seq"])


def test_history_lists_changes_with_undos_marked(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.outreach("jane-doe", WHO, WHY, GOAL)
    target, _ = tracker.undo_preview()
    tracker.undo(target["seq"])
    entries = tracker.history()
    assert [e["command"] for e in entries] == ["add-contact", "outreach", "undo"]
    assert entries[1]["undone_by"] == 3
    assert entries[1]["what"] == "record message to Jane Doe (Thu 26 Nov 09:00)"
    assert entries[2]["what"] == "remove your message to Jane Doe (Thu 26 Nov 09:00)"


def test_undo_reaches_into_folded_logs(tracker: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
    from infoint import journal

    monkeypatch.setattr(journal, "COMPACT_BYTES", 800)
    for n in range(5):
        tracker.add_contact(f"Person {n}", ContactFields(notes="x" * 200))
    assert list(tracker.paths.history_dir.glob("journal-*.jsonl"))
    for _ in range(5):
        target, _ = tracker.undo_preview()
        tracker.undo(target["seq"])
    assert tracker.read().contacts == []


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"type": "contacts", "before": None, "after": {"name": "Jo"}}, "add contact Jo"),
        ({"type": "contacts", "before": {"name": "Jo"}, "after": None}, "remove contact Jo"),
        (
            {"type": "contacts", "before": {"name": "Jo", "role": None, "updated_at": 1},
             "after": {"name": "Jo", "role": "X", "updated_at": 2}},
            "change Jo: role to X",
        ),
        (
            {"type": "meetings",
             "before": {"id": 2, "contact": "c", "start": DEC3, "status": "planned"},
             "after": {"id": 2, "contact": "c", "start": DEC3, "status": "done"}},
            "mark done meeting 2 with Jo, Thu 3 Dec 10:00",
        ),
        (
            {"type": "meetings",
             "before": {"id": 2, "contact": "c", "start": DEC3, "minutes": 30},
             "after": {"id": 2, "contact": "c", "start": "2026-12-04T10:00:00Z", "minutes": 30}},
            "move meeting 2 with Jo to Fri 4 Dec 10:00",
        ),
        (
            {"type": "events", "before": None,
             "after": {"kind": "thank", "contact": "c", "at": "2026-11-26T09:00:00Z"}},
            "record thank-you to Jo (Thu 26 Nov 09:00)",
        ),
        (
            {"type": "events", "before": {"kind": "heard", "contact": "c", "at": None},
             "after": None},
            "remove the message from Jo (?)",
        ),
    ],
)  # fmt: skip
def test_describe(change: dict[str, Any], words: str) -> None:
    change["uuid"] = "u"
    assert history.describe([change], {"c": "Jo"}) == words


def test_undo_and_history_from_the_command_line(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("edit", "jane-doe", "--role", "Editor")
    listed = run("history").stdout
    assert "edit" in listed and "change Jane Doe: role to Editor" in listed
    assert [e["seq"] for e in run.json("history")] == [2, 1]
    out = run.refused("undo")
    assert "--yes" in out.stderr and "Undo will: change Jane Doe: role back to empty." in out.stderr
    out = run("undo", "--yes")
    assert "Undone." in out.stderr
    assert run.json("show", "jane-doe")["role"] is None
    out = run.refused("undo", "--yes")  # a step older than the last command (the undo)
    assert "older change: remove contact Jane Doe" in out.stderr and "--older" in out.stderr
    run("undo", "--yes", "--older")
    assert run.json("contacts") == []
    assert "nothing to undo" in run.refused("undo", "--yes").stderr


def test_undo_asks_on_a_terminal(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:

    run("add-contact", "Jane Doe")
    run.interactive = True
    out = run("undo", input="n\n")
    assert "Nothing was undone" in out.stderr
    run("undo", input="y\n")
    assert run.json("contacts") == []


def test_history_on_an_empty_store(run: Runner) -> None:
    assert "No changes yet" in run("history").stdout
    assert run.json("history") == []


# a model of the store, checked against the disk after every step -----------------------


class StoreMachine(RuleBasedStateMachine):
    """Random sequences of commands; after each, the disk equals the model, and every
    undo restores exactly the state before the step it undoes."""

    def __init__(self) -> None:
        super().__init__()
        self.states: list[dict[str, Any]] = []

    @initialize()
    def start(self) -> None:
        import tempfile

        self.folder = tempfile.mkdtemp(prefix="infoint-machine-")
        paths = Paths.from_env({"INFOINT_HOME": self.folder})
        self.clock = Clock()
        self.tracker = Tracker(paths, clock=self.clock)
        self.states = [state(self.tracker)]
        self.names: list[str] = []

    def _did(self) -> None:
        self.states.append(state(self.tracker))

    def _try(self, step: Any) -> None:
        self.clock.advance(minutes=7)
        try:
            step()
        except InfointError:
            assert state(self.tracker) == self.states[-1]  # a refusal changes nothing
            return
        self._did()

    @rule(name=st.sampled_from(["Jane Doe", "Sam Lee", "Bo Chen", "María Núñez"]))
    def add(self, name: str) -> None:
        self._try(lambda: self.tracker.add_contact(name, ContactFields(company="Acme")))

    @precondition(lambda self: self.tracker.read().contacts)
    @rule(n=st.integers(0, 5), role=st.sampled_from(["", "Editor", "CTO"]))
    def edit(self, n: int, role: str) -> None:
        handle = self._handle(n)
        self._try(lambda: self.tracker.edit(handle, ContactFields(role=role)))

    @precondition(lambda self: self.tracker.read().contacts)
    @rule(n=st.integers(0, 5))
    def outreach(self, n: int) -> None:
        handle = self._handle(n)
        self._try(lambda: self.tracker.outreach(handle, WHO, WHY, GOAL))

    @precondition(lambda self: self.tracker.read().contacts)
    @rule(n=st.integers(0, 5), answer=st.sampled_from(["agreed", "declined"]))
    def reply(self, n: int, answer: Any) -> None:
        handle = self._handle(n)
        self._try(lambda: self.tracker.reply(handle, answer))

    @precondition(lambda self: self.tracker.read().contacts)
    @rule(n=st.integers(0, 5), days=st.integers(1, 30))
    def schedule(self, n: int, days: int) -> None:
        handle = self._handle(n)
        start = self.clock.now + timedelta(days=days)
        self._try(lambda: self.tracker.schedule(handle, start, None, "phone"))

    @precondition(lambda self: self.tracker.read().meetings)
    @rule(n=st.integers(0, 5))
    def cancel(self, n: int) -> None:
        meetings = self.tracker.read().meetings
        self._try(lambda: self.tracker.cancel(str(meetings[n % len(meetings)].id)))

    @precondition(lambda self: self.tracker.read().meetings)
    @rule(n=st.integers(0, 5))
    def done(self, n: int) -> None:
        meetings = self.tracker.read().meetings
        meeting = meetings[n % len(meetings)]
        self.clock.now = max(self.clock.now, meeting.start + timedelta(minutes=31))
        self._try(lambda: self.tracker.done(str(meeting.id), advice=["Ship it"]))

    @precondition(lambda self: self.tracker.read().contacts)
    @rule(n=st.integers(0, 5))
    def remove(self, n: int) -> None:
        handle = self._handle(n)
        self._try(lambda: self.tracker.remove(handle))

    @precondition(lambda self: len(self.states) > 1)
    @rule()
    def undo(self) -> None:
        target, _ = self.tracker.undo_preview()
        self.tracker.undo(target["seq"])
        self.states.pop()
        assert state(self.tracker) == self.states[-1]

    @rule()
    def reload(self) -> None:
        fresh = Tracker(Paths.from_env({"INFOINT_HOME": self.folder}), clock=self.clock)
        assert state(fresh) == self.states[-1]

    @invariant()
    def disk_matches_model(self) -> None:
        if self.states:
            raw = Store(self.tracker.paths).load().model_dump(mode="json")
            for counter in ("seq", "next_id", "base", "folded", "hlc", "stamps", "shared_tip"):
                raw.pop(counter)
            assert raw == self.states[-1]
            assert json.loads(json.dumps(raw)) == raw

    def _handle(self, n: int) -> str:
        contacts = self.tracker.read().contacts
        return contacts[n % len(contacts)].handle

    def teardown(self) -> None:
        import shutil

        shutil.rmtree(getattr(self, "folder", ""), ignore_errors=True)


TestStoreMachine = StoreMachine.TestCase
TestStoreMachine.settings = settings(
    max_examples=int(os.environ.get("INFOINT_MACHINE_EXAMPLES", "40")),
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_an_undone_removal_goes_back_in_place_after_other_removals(tracker: Tracker) -> None:
    """Found by the state machine: add three, undo one, remove the first, undo."""
    for _ in range(3):
        tracker.add_contact("Jane Doe", ContactFields())
    target, _ = tracker.undo_preview()
    tracker.undo(target["seq"])
    tracker.remove("jane-doe")
    target, _ = tracker.undo_preview()
    tracker.undo(target["seq"])
    assert [c.handle for c in tracker.read().contacts] == ["jane-doe", "jane-doe-2"]
    assert [c.handle for c in Store(tracker.paths).load().contacts] == ["jane-doe", "jane-doe-2"]


def test_a_big_change_is_described_in_a_line() -> None:
    changes = [
        {"type": "contacts", "uuid": f"u{n}", "before": None, "after": {"name": f"Person {n}"}}
        for n in range(3000)
    ]
    words = history.describe(changes, {})
    assert words.startswith("add contact Person 0; add contact Person 1;")
    assert words.endswith("; and 2,995 more changes") and len(words) < 200
