"""The index is a cache of the rules: whatever the records, the morning look it serves
is the one the rules give from every record, at every moment after the last write."""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import NOW, Clock
from infoint import index, rules
from infoint.agenda import DueView
from infoint.errors import InfointError
from infoint.files import Paths
from infoint.records import ContactFields
from infoint.services import Tracker
from infoint.term import followup_json

WHO, WHY, GOAL = "I am an analyst.", "Your talk.", "Learn which skills matter."
NAMES = ["Jane Doe", "Sam Lee", "Bo Chen", "Ana Ruiz"]
INDUSTRIES = [None, "Publishing", "Design"]

step = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(NAMES), st.sampled_from(INDUSTRIES)),
    st.tuples(st.just("outreach"), st.integers(0, 3), st.integers(0, 40)),
    st.tuples(st.just("reply"), st.integers(0, 3), st.sampled_from(["agreed", "declined"])),
    st.tuples(st.just("schedule"), st.integers(0, 3), st.integers(-72, 200)),
    st.tuples(st.just("done"), st.integers(0, 5), st.booleans()),
    st.tuples(st.just("cancel"), st.integers(0, 5), st.none()),
    st.tuples(st.just("thank"), st.integers(0, 3), st.none()),
    st.tuples(st.just("touch"), st.integers(0, 3), st.none()),
    st.tuples(st.just("prep"), st.integers(0, 3), st.integers(1, 4)),
    st.tuples(st.just("archive"), st.integers(0, 3), st.none()),
    st.tuples(st.just("wait"), st.integers(1, 30 * 24), st.none()),
)


def apply(tracker: Tracker, clock: Clock, action: tuple[str, Any, Any]) -> None:
    kind, a, b = action
    doc = tracker.read()
    handles = [c.handle for c in doc.contacts]
    meetings = [m.id for m in doc.meetings]
    pick = handles[a % len(handles)] if handles and isinstance(a, int) else None
    clock.advance(minutes=3)
    try:
        if kind == "add":
            tracker.add_contact(a, ContactFields(industry=b))
        elif kind == "wait":
            clock.advance(hours=a)
        elif pick is None:
            return
        elif kind == "outreach":
            tracker.outreach(pick, WHO, WHY, GOAL, sent=clock.now - timedelta(days=b), force=True)
        elif kind == "reply":
            tracker.reply(pick, b)
        elif kind == "schedule":
            held = b < 0
            tracker.schedule(pick, clock.now + timedelta(hours=b), None, "phone", held=held)
        elif kind in ("done", "cancel") and meetings:
            meeting = str(meetings[a % len(meetings)])
            if kind == "done":
                tracker.done(meeting, keep_in_touch=b)
            else:
                tracker.cancel(meeting)
        elif kind == "thank":
            tracker.thank(pick)
        elif kind == "touch":
            tracker.touch(pick, force=True)
        elif kind == "prep":
            tracker.prep(pick, "Research.", [f"Q{n}?" for n in range(b)])
        elif kind == "archive":
            tracker.archive(pick)
    except InfointError:
        pass  # a refusal is fine: the point is the state that results


def shown(due: DueView) -> list[dict[str, Any]]:
    return [followup_json(item, due) for item in due.items]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(actions=st.lists(step, min_size=1, max_size=14), later=st.integers(0, 90 * 24))
def test_the_index_answers_as_the_rules_do(actions: list[tuple[str, Any, Any]], later: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="infoint-eq-"))
    try:
        clock = Clock()
        tracker = Tracker(Paths.from_env({"INFOINT_HOME": str(folder)}), clock=clock)
        for name, industry in zip(NAMES[:3], INDUSTRIES, strict=True):
            tracker.add_contact(name, ContactFields(industry=industry))
        for action in actions:
            apply(tracker, clock, action)
        doc = tracker.read()
        if not doc.contacts:
            return
        for moment in (clock.now, clock.now + timedelta(hours=later)):
            cached = index.due_view(tracker.paths, moment)
            assert cached is not None  # every write left a fresh index
            settings_now = tracker.settings
            hist = rules.histories(doc, moment).values()
            expected = rules.due_at(rules.candidates(hist, settings_now), moment)
            assert [(f.kind, f.who.handle, f.due) for f in cached.items] == [
                (f.kind, f.who.handle, f.due) for f in expected
            ]
            assert shown(cached) == shown(tracker.due(moment))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_the_index_is_fresh_after_every_kind_of_write(tracker: Tracker, clock: Clock) -> None:
    writes = [
        lambda: tracker.add_contact("Jane Doe", ContactFields(industry="Publishing")),
        lambda: tracker.outreach("jane-doe", WHO, WHY, GOAL),
        lambda: tracker.reply("jane-doe", "agreed"),
        lambda: tracker.schedule("jane-doe", NOW + timedelta(days=1), None, "phone"),
        lambda: tracker.prep("jane-doe", "Notes.", ["Q?"]),
        lambda: tracker.reschedule("1", NOW + timedelta(days=2)),
        lambda: tracker.edit("jane-doe", ContactFields(role="Editor")),
        lambda: tracker.heard("jane-doe"),
        lambda: tracker.cancel("1"),
        lambda: tracker.archive("jane-doe"),
        lambda: tracker.archive("jane-doe", restore=True),
        lambda: tracker.remove("jane-doe"),
    ]
    for write in writes:
        clock.advance(minutes=1)
        write()
        assert index.Index.open(tracker.paths) is not None
        cached = index.due_view(tracker.paths, clock.now)
        assert cached is not None
        assert shown(cached) == shown(tracker.due(clock.now))


more_steps = st.one_of(
    step,
    st.tuples(st.just("rename"), st.integers(0, 3), st.sampled_from(["Zoe Kim", "Al Ng"])),
    st.tuples(st.just("remove"), st.integers(0, 3), st.none()),
    st.tuples(st.just("undo"), st.none(), st.none()),
)


def snapshot_of(found: index.Index) -> dict[str, Any]:
    """Everything an index answers, in a form two indexes can be compared by."""
    return {
        "seq": found.seq,
        "next_id": found.next_id,
        "count": found.count,
        "valid_from": found.valid_from,
        "rows": found.rows(),
        "handles": sorted(found.handles()),
        "meetings": found.meetings(),
        "follow": found.follow(),
        "shards": [found.shard(b) for b in range(index.BUCKETS)],
        "located": {h: found.locate(h) for h in found.handles()},
    }


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(actions=st.lists(more_steps, min_size=1, max_size=16), delta=st.sampled_from([2, 1000]))
def test_the_index_kept_up_to_date_equals_one_built_from_scratch(
    actions: list[tuple[str, Any, Any]], delta: int
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="infoint-idx-"))
    saved = index.DELTA_ROWS
    index.DELTA_ROWS = delta  # 2: the rows and names are rewritten whole every few writes
    try:
        clock = Clock()
        tracker = Tracker(Paths.from_env({"INFOINT_HOME": str(folder)}), clock=clock)
        for name, industry in zip(NAMES[:3], INDUSTRIES, strict=True):
            tracker.add_contact(name, ContactFields(industry=industry))
        for action in actions:
            kind, a, b = action
            handles = [c.handle for c in tracker.read().contacts]
            try:
                if kind == "rename" and handles:
                    tracker.edit(handles[a % len(handles)], ContactFields(), name=b)
                elif kind == "remove" and handles:
                    tracker.remove(handles[a % len(handles)])
                elif kind == "undo":
                    target, _ = tracker.undo_preview()
                    tracker.undo(target["seq"])
                else:
                    apply(tracker, clock, action)
            except InfointError:
                pass
        kept = index.Index.open(tracker.paths)
        assert kept is not None
        incremental = snapshot_of(kept)
        index.clear(tracker.paths)
        rebuilt = snapshot_of(tracker.store.index(tracker._summarize))
        assert incremental == rebuilt
    finally:
        index.DELTA_ROWS = saved
        shutil.rmtree(folder, ignore_errors=True)
