"""A model of several machines syncing one data folder file by file: random commands
on two or three machines (folds, imports and renamed handles among them), syncs at random
points, then syncs until quiet. Every machine must end with the same records, every
contact added and not removed must be there, ids and handles must be unique, and
doctor must find nothing wrong."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import NOW, Clock
from infoint.errors import InfointError
from infoint.files import Paths
from infoint.records import ContactFields
from infoint.services import Tracker
from test_sync import Syncthing

NAMES = ("Jane Doe", "Bo Chen", "Ana Ruiz")
WHO, WHY, GOAL = (
    "I am a data analyst moving into design.",
    "Your talk on design systems changed how I work.",
    "Learn which skills matter most.",
)

OPERATIONS = (
    *("add", "edit", "outreach", "agreed", "schedule", "done", "cancel"),
    *("archive", "remove", "undo", "sync", "fold", "rename", "import"),
)
step = st.tuples(
    st.integers(0, 2),
    st.sampled_from(OPERATIONS),
    st.integers(0, 2),
)


def _state(tracker: Tracker) -> dict[str, Any]:
    doc = tracker.read()
    out: dict[str, Any] = {}
    for kind in ("contacts", "meetings", "events"):
        for record in getattr(doc, kind):
            data = record.model_dump(mode="json")
            out[record.uuid] = data
    return out


def _run(tracker: Tracker, op: str, arg: int, expected: set[str], doubtful: set[str]) -> None:
    doc = tracker.read()
    contacts = sorted(doc.contacts, key=lambda c: c.id)
    target = contacts[arg % len(contacts)].handle if contacts else None
    if op == "add":
        result = tracker.add_contact(NAMES[arg], ContactFields(), force=True)
        expected.add(result.record.uuid)
    elif op == "import":  # a LinkedIn export of two people (the second time: the same two)
        export = tracker.paths.data_dir.parent / f"Connections-{arg}.csv"
        export.write_text(
            "First Name,Last Name,Email Address,Company,Position,Connected On\n"
            f"Imported,One {arg},one{arg}@example.com,Acme,Editor,26 Nov 2026\n"
            f"Imported,Two {arg},two{arg}@example.com,Initech,CTO,26 Nov 2026\n"
        )
        before = {c.uuid for c in doc.contacts}
        tracker.import_file("linkedin", export)
        expected.update({c.uuid for c in tracker.read().contacts} - before)
    elif target is None:
        return
    elif op == "edit":
        tracker.edit(target, ContactFields(company=f"Company {arg}"))
    elif op == "outreach":
        tracker.outreach(target, WHO, WHY, GOAL, force=True)
    elif op == "agreed":
        tracker.reply(target, "agreed")
    elif op == "schedule":
        start = tracker.clock() + timedelta(days=2 + arg)
        tracker.schedule(target, start, 30, "phone", force=True, also=True)
    elif op in ("done", "cancel"):
        planned = [m for m in doc.meetings if m.status == "planned"]
        if planned:
            meeting = str(planned[arg % len(planned)].id)
            if op == "done":
                tracker.done(meeting, held=tracker.clock())
            else:
                tracker.cancel(meeting)
    elif op == "fold":  # an edit that folds the log into the snapshot, as a big one does
        from infoint import journal

        limit, journal.COMPACT_BYTES = journal.COMPACT_BYTES, 0
        try:
            tracker.edit(target, ContactFields(company=f"Folded {arg}"))
        finally:
            journal.COMPACT_BYTES = limit
    elif op == "rename":
        tracker.edit(target, ContactFields(), handle=f"h{arg}-{tracker.paths.data_dir.name}")
    elif op == "archive":
        tracker.archive(target)
    elif op == "remove":
        uuid = contacts[arg % len(contacts)].uuid
        tracker.remove(target)
        expected.discard(uuid)
        doubtful.add(uuid)  # another machine may have changed it meanwhile: then it stays
    elif op == "undo":
        target_entry, _ = tracker.undo_preview()
        for change in target_entry["changes"]:
            doubtful.add(change["uuid"])
            expected.discard(change["uuid"])
        tracker.undo(target_entry["seq"])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(machines=st.integers(2, 3), steps=st.lists(step, min_size=1, max_size=24))
def test_machines_that_sync_end_with_the_same_records(
    machines: int, steps: list[tuple[int, str, int]]
) -> None:
    root = Path(tempfile.mkdtemp(prefix="infoint-sync-"))
    try:
        clock = Clock(NOW)
        folders = [root / f"m{n}" for n in range(machines)]
        for folder in folders:
            folder.mkdir(mode=0o700)
        trackers = [Tracker(Paths(f, f / "config.toml"), clock=clock) for f in folders]
        sync = Syncthing()
        expected: set[str] = set()
        doubtful: set[str] = set()
        for who, op, arg in steps:
            clock.advance(minutes=7)
            if op == "sync":
                sync(folders[who % machines], folders[(who + 1) % machines])
                continue
            tracker = trackers[who % machines]
            tracker.merge_conflicts()  # what every command does first
            with contextlib.suppress(InfointError):
                _run(tracker, op, arg, expected, doubtful)
        for _ in range(8):  # sync until quiet
            clock.advance(minutes=1)
            for other in folders[1:]:
                sync(folders[0], other)
            for other in folders[1:]:
                sync(folders[0], other)
            for tracker in trackers:
                tracker.merge_conflicts()
            quiet = (
                all(not [p for p in f.iterdir() if "conflict" in p.name] for f in folders)
                and len({repr(sorted(_state(t).items())) for t in trackers}) == 1
            )
            if quiet:
                break
        states = [_state(t) for t in trackers]
        for state in states[1:]:
            assert state == states[0]
        for tracker in trackers:
            doc = tracker.read()
            present = {c.uuid for c in doc.contacts}
            assert expected - doubtful <= present
            assert len({c.id for c in doc.contacts}) == len(doc.contacts)
            assert len({c.handle for c in doc.contacts}) == len(doc.contacts)
            assert len({m.id for m in doc.meetings}) == len(doc.meetings)
            problems = [f.what for f in tracker.doctor() if f.level == "error"]
            assert problems == []
    finally:
        shutil.rmtree(root, ignore_errors=True)
