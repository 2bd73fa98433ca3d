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

from conftest import NOW, Clock, MockEnvironment
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


# the two front doors ---------------------------------------------------------------

#: Words to build command lines from: the values of the quick commands' options,
#: handles and meeting numbers (some unknown), dates, and words Typer alone reads.
VALUES = ["jane-doe", "sam-lee", "nobody", "1", "2", "0", "-3", "20", "tomorrow 10:00",
          "next monday 9:00", "3 days ago", "last week", "yesterday", "email", "fax", "phone",
          "cafe", "moved-on", "agreed", "name", "last-touch", "Acme", "", "not-an-email",
          "-", "a b", "x@y.io"]  # fmt: skip
ALIEN = ["--help", "--", "--company=Acme", "-yn", "--bogus", "--debug"]


@st.composite
def command_lines(draw: st.DrawFn) -> tuple[str, list[str]]:
    from infoint import entry

    command = draw(st.sampled_from(sorted(entry.COMMANDS)))
    spec = entry.COMMANDS[command]
    words = [draw(st.sampled_from(VALUES)) for _ in spec.arguments]
    if draw(st.integers(0, 9)) == 0:
        words = words[:-1]
    for option in draw(st.lists(st.sampled_from(sorted(spec.options)), max_size=4)):
        words.append(option)
        if spec.options[option] is not bool:
            words.append(draw(st.sampled_from(VALUES)))
    if draw(st.integers(0, 9)) == 0:
        words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(ALIEN)))
    return command, draw(st.permutations(words)) if draw(st.booleans()) else words


def _door_store(folder: Path) -> None:
    clock = Clock()
    tracker = Tracker(Paths.from_env({"INFOINT_HOME": str(folder)}), clock=clock)
    tracker.add_contact("Jane Doe", ContactFields(company="Acme", tags=["a"]))
    tracker.add_contact("Sam Lee", ContactFields(industry="Publishing"))
    tracker.outreach("jane-doe", WHO, WHY, GOAL, sent=NOW - timedelta(days=3))
    tracker.reply("jane-doe", "agreed")
    tracker.schedule("jane-doe", NOW + timedelta(days=2), None, "phone")


def _through(door: str, argv: list[str], home: Path) -> tuple[object, str, str, dict[str, bytes]]:
    """Run `infoint ARGV` in this process through one door, in an environment of its
    own (a fixed clock, the folder `home`); what it printed and left."""
    import contextlib
    import uuid
    from unittest import mock

    from infoint import entry, files
    from infoint.services import data

    count = iter(range(1, 10**6))
    environment = MockEnvironment.make(home, Clock(), width=200)
    code: object = 0
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(uuid, "uuid4", lambda: uuid.UUID(int=next(count))))
        for module in (files, data):  # two folders are two machines: one name for both
            stack.enter_context(mock.patch.object(module, "device_id", lambda paths: "0000d00d"))
        if door == "typer":
            stack.enter_context(mock.patch.object(entry, "quick", lambda *args: False))
        try:
            entry.main(argv, environment)
        except SystemExit as exc:
            code = exc.code or 0
    left = {
        str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file()
    }
    return code, environment.out, environment.err, left


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(line=command_lines())
def test_both_front_doors_read_the_same_words_and_do_the_same(line: tuple[str, list[str]]) -> None:
    from infoint import entry

    command, args = line
    parsed = entry.parse(command, args)
    if parsed is None:
        return  # Typer's alone: nothing to compare
    folder = Path(tempfile.mkdtemp(prefix="infoint-doors-"))
    try:
        _door_store(folder / "base")
        for door in ("quick", "typer"):
            shutil.copytree(folder / "base", folder / door)
        quick = _through("quick", [command, *args], folder / "quick")
        typer = _through("typer", [command, *args], folder / "typer")
        assert quick == typer
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_the_doors_compare_what_matters() -> None:
    """The comparison above can fail: a store written to differs, and so does output."""
    folder = Path(tempfile.mkdtemp(prefix="infoint-doors-"))
    try:
        _door_store(folder / "a")
        shutil.copytree(folder / "a", folder / "b")
        edited = _through("quick", ["edit", "sam-lee", "--role", "Editor"], folder / "a")
        shown = _through("typer", ["show", "sam-lee"], folder / "b")
        assert edited[0] == shown[0] == 0
        assert edited[3] != shown[3] and "Updated Sam Lee (sam-lee): role to Editor." in edited[2]
        assert "Sam Lee" in shown[1]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# plain records (plain.py) ------------------------------------------------------------


def _screen(draw: Any, *args: Any) -> str:
    import io

    out = io.StringIO()
    draw(*args, out=out)
    return out.getvalue()


Played = tuple[Tracker, Any, Any, Any]


def _played(
    folder: Path, actions: list[tuple[str, Any, Any]], wait: str | None, play: Any
) -> Played:
    """A store the actions made (a reply wait set first, or not), a reader of it with
    a command of its own, every record validated by its model, the settings the
    model validates, and the moment after the last action."""
    from infoint.models import Settings

    clock = Clock()
    tracker = Tracker(Paths.from_env({"INFOINT_HOME": str(folder)}), clock=clock)
    if wait is not None:
        tracker.config_set("reply_wait_days", wait)
    for name, industry in zip(NAMES[:3], INDUSTRIES, strict=True):
        tracker.add_contact(name, ContactFields(industry=industry))
    for action in actions:
        play(tracker, clock, action)
    reader = Tracker(tracker.paths, clock=clock)  # a command of its own
    doc = tracker.read()  # every record, validated by its model
    model_settings = Settings.model_validate({} if wait is None else {"reply_wait_days": int(wait)})
    return reader, doc, model_settings, clock.now


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    actions=st.lists(step, min_size=1, max_size=14),
    wait=st.sampled_from([None, "3", "21"]),
)
def test_what_only_reads_shows_what_the_models_give(
    actions: list[tuple[str, Any, Any]], wait: str | None
) -> None:
    """show, agenda and stats run on plain records from the index; the same screens
    from the models of every record, validated, are the same to the character."""
    from infoint import progress, screens

    folder = Path(tempfile.mkdtemp(prefix="infoint-plain-"))
    try:
        reader, doc, model_settings, now = _played(folder, actions, wait, apply)
        assert type(reader.settings).__name__ != "Settings"  # plain: no pydantic
        for contact in doc.contacts:
            history, status, view = reader.show(contact.handle)
            assert type(history.contact).__module__ == "infoint.plain"
            expected = rules.history_of(doc, contact, now)
            expected.meetings = sorted(
                (m for m in doc.meetings if m.contact == contact.uuid), key=lambda m: m.start
            )
            assert status == rules.contact_status(expected, model_settings, now)
            assert _screen(screens.show_screen, history, status, view, now) == _screen(
                screens.show_screen, expected, status, doc, now
            )
        assert _screen(screens.agenda_screen, reader.agenda(14), now) == _screen(
            screens.agenda_screen, progress.agenda(doc, model_settings, now, 14), now
        )
        assert reader.stats() == progress.stats(doc, model_settings, now, None)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


#: The steps above, plus referrals, in-person meetings with a bill, not-now and edits:
#: what the JSON screens show of a contact, a meeting and whom they point to.
plain_steps = st.one_of(
    step,
    st.tuples(st.just("refer"), st.integers(0, 3), st.sampled_from(NAMES)),
    st.tuples(st.just("cafe"), st.integers(0, 3), st.integers(-72, 200)),
    st.tuples(st.just("paid"), st.integers(0, 5), st.sampled_from([0.0, 7.5, 12.0])),
    st.tuples(st.just("not-now"), st.integers(0, 3), st.none()),
    st.tuples(st.just("tag"), st.integers(0, 3), st.sampled_from(["design", "Mentor"])),
)


def apply_plain(tracker: Tracker, clock: Clock, action: tuple[str, Any, Any]) -> None:
    from infoint import corrections

    kind, a, b = action
    if kind not in ("refer", "cafe", "paid", "not-now", "tag"):
        apply(tracker, clock, action)
        return
    doc = tracker.read()
    handles = [c.handle for c in doc.contacts]
    meetings = [m.id for m in doc.meetings]
    pick = handles[a % len(handles)]
    clock.advance(minutes=3)
    try:
        if kind == "refer":
            tracker.reply(pick, "referred", referred=b)
        elif kind == "cafe":
            start = clock.now + timedelta(hours=b)
            tracker.schedule(pick, start, None, "in_person", "Blue Bottle", "cafe", held=b < 0)
        elif kind == "paid" and meetings:
            meeting = str(meetings[a % len(meetings)])
            tracker.edit_meeting(meeting, corrections.Place(), corrections.Outcome(paid=b))
        elif kind == "not-now":
            tracker.not_now(pick)
        elif kind == "tag":
            tracker.edit(pick, ContactFields(tags=[b], company="Acme, Inc."))
    except InfointError:
        pass


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    actions=st.lists(plain_steps, min_size=1, max_size=16),
    wait=st.sampled_from([None, "3", "21"]),
    since_days=st.integers(0, 40),
)
def test_every_screen_that_only_reads_gives_what_the_models_give(
    actions: list[tuple[str, Any, Any]], wait: str | None, since_days: int
) -> None:
    """prep, show --json, contacts --json, agenda --json and stats --since run on plain
    records (and sealed settings); from the models of every record, validated, each
    gives the same."""
    from infoint import progress, render
    from infoint.services.contacts import _brief

    folder = Path(tempfile.mkdtemp(prefix="infoint-plain-"))
    try:
        reader, doc, model_settings, now = _played(folder, actions, wait, apply_plain)
        by_uuid = {c.uuid: c for c in doc.contacts}

        def dumped(*records: Any) -> list[Any]:
            return [r.model_dump(mode="json") if r is not None else None for r in records]

        for contact in doc.contacts:
            # prep: the brief
            assert dumped(*reader.brief(contact.handle)) == dumped(*_brief(doc, contact, now))
            # show --json
            history, status, view = reader.show(contact.handle)
            assert type(history.contact).__module__ == "infoint.plain"
            expected = rules.history_of(doc, contact, now)
            expected.meetings = sorted(
                (m for m in doc.meetings if m.contact == contact.uuid), key=lambda m: m.start
            )
            status_now = rules.contact_status(expected, model_settings, now)
            shown_plain = render.contact_json(history.contact, status, view) | {
                "timeline": dumped(*history.events),
                "meetings": [render.meeting_json(m, by_uuid[m.contact]) for m in history.meetings],
            }
            shown_models = render.contact_json(contact, status_now, doc) | {
                "timeline": dumped(*expected.events),
                "meetings": [render.meeting_json(m, contact) for m in expected.meetings],
            }
            assert shown_plain == shown_models
        # contacts --json (archived too)
        page, _ = reader.contacts_page(include_archived=True, full=True)
        listed = [render.contact_json(c, st, None) | {"last": last} for c, st, last in page]
        expected_list = []
        for contact in sorted(doc.contacts, key=lambda c: c.id):
            h = rules.history_of(doc, contact, now)
            st_ = rules.contact_status(h, model_settings, now)
            expected_list.append(
                render.contact_json(contact, st_, None) | {"last": rules.last_contact(h, now)}
            )
        assert listed == expected_list
        # agenda --json
        assert render.agenda_json(reader.agenda(14), by_uuid, now) == render.agenda_json(
            progress.agenda(doc, model_settings, now, 14), by_uuid, now
        )
        # stats --since
        since = now - timedelta(days=since_days)
        assert reader.stats(since) == progress.stats(doc, model_settings, now, since)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
