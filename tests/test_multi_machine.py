"""Two and three machines used as a person would use them, through the commands,
with their data folders synced file by file (tests/test_sync.py's `Syncthing`): each
machine has its own data folder, state folder (its device id) and cache folder (its
index). Cases found wanting are marked xfail(strict) with what goes wrong."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import INTRO, Clock, Outcome, Runner, at
from infoint import entry
from infoint.files import Paths
from infoint.services import Tracker
from test_gitsync import world as _git_world  # noqa: F401 (the `world` fixture)
from test_sync import Syncthing

sys.path.insert(0, str(Path(__file__).parent / "mail"))  # the mailbox story
needs_git = pytest.mark.skipif(not shutil.which("git"), reason="git is needed (CI installs it)")


class Machine(Runner):
    """The CLI on one machine: its own data, state and cache folders."""

    def __init__(self, clock: Clock, root: Path, name: str, mp: pytest.MonkeyPatch) -> None:
        super().__init__(clock, root / name)
        self.root, self.name, self.mp = root, name, mp
        self.home.mkdir(mode=0o700, exist_ok=True)

    def __call__(self, *args: Any, code: int | None = 0, input: str | None = None) -> Outcome:
        self.mp.setenv("INFOINT_HOME", str(self.home))
        self.mp.setenv("XDG_STATE_HOME", str(self.root / f"state-{self.name}"))
        self.mp.setenv("XDG_CACHE_HOME", str(self.root / f"cache-{self.name}"))
        if args and args[0] not in ("merge", "doctor"):
            entry.warn_of_conflicts()  # what the console script does first
        return super().__call__(*args, code=code, input=input)


Pair = tuple[Machine, Machine, Syncthing]


def wanting(reason: str) -> pytest.MarkDecorator:
    """A case found wanting: it fails for the reason given, until that is fixed."""
    return pytest.mark.xfail(strict=True, reason=reason)


@pytest.fixture
def pair(tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Pair:
    return (
        Machine(clock, tmp_path, "laptop", monkeypatch),
        Machine(clock, tmp_path, "desktop", monkeypatch),
        Syncthing(),
    )


def sync(sync_: Syncthing, *machines: Machine) -> None:
    for a in machines:
        for b in machines:
            if a.name < b.name:
                sync_(a.home, b.home)


def apart(s: Syncthing, clock: Clock, *steps: tuple[Machine, tuple[Any, ...]]) -> None:
    """Each machine runs its command before hearing of the others' (a minute apart), then
    they sync."""
    for m, args in steps:
        m(*args)
        clock.advance(minutes=1)
    sync(s, *{m.name: m for m, _ in steps}.values())


def meetings(m: Machine) -> list[dict[str, Any]]:
    return json.loads(m("meetings", "--json").stdout)  # type: ignore[no-any-return]


def _jane_agreed(a: Machine, b: Machine, s: Syncthing, meeting: str | None = None) -> None:
    """Jane Doe said yes (and a phone call is planned at `meeting`), on both machines."""
    a("config", "me.name", "Alex Kim")
    a("config", "me.intro", "I am a data analyst moving into product design.")
    a("add-contact", "Jane Doe")
    a("outreach", "jane-doe", *INTRO[2:], "--sent", at(days=-3))
    a("reply", "jane-doe", "--agreed", "--on", at(days=-2))
    if meeting is not None:
        a("schedule", "jane-doe", meeting, "--phone")
    sync(s, a, b)


# meetings on two machines ----------------------------------------------------------------


def test_undo_of_a_cancel_stands_after_the_other_machine_moved_the_meeting(
    pair: Pair, clock: Clock
) -> None:
    a, b, s = pair
    _jane_agreed(a, b, s, meeting=at(days=7))
    clock.advance(minutes=1)
    a("reschedule", "1", at(days=8))
    clock.advance(minutes=1)
    b("cancel", "1")
    sync(s, a, b)
    (m,) = meetings(b)
    assert m["status"] == "cancelled"
    b("undo", "--yes")  # the cancel was the desktop's last change
    (m,) = meetings(b)
    assert m["status"] == "planned" and m["start"].startswith(at(days=8)[:10])


def test_history_names_a_renumbered_meeting_by_its_number_now(pair: Pair, clock: Clock) -> None:
    a, b, s = pair
    _jane_agreed(a, b, s)
    a("schedule", "jane-doe", at(days=7), "--phone")
    clock.advance(minutes=1)
    b("schedule", "jane-doe", at(days=8), "--phone")
    sync(s, a, b)
    assert [(m["id"], m["start"][:10]) for m in meetings(b)] == [
        (1, at(days=7)[:10]),
        (2, at(days=8)[:10]),
    ]
    for m in (a, b):
        lines = [line for line in m("history").stdout.splitlines() if "schedule" in line]
        assert "meeting 2 with Jane Doe, Fri 4 Dec" in lines[0], lines
        assert "meeting 1 with Jane Doe, Thu 3 Dec" in lines[1], lines


def test_a_meeting_moved_on_one_machine_and_done_on_the_other_is_done_when_it_took_place(
    pair: Pair, clock: Clock
) -> None:
    a, b, s = pair
    _jane_agreed(a, b, s, meeting=at(hours=1))
    clock.advance(hours=2)
    apart(
        s,
        clock,
        (a, ("reschedule", "1", at(days=7))),  # the laptop had the old plan in mind
        (b, ("done", "1", "--advice", "Build a portfolio")),
    )
    for m in (a, b):
        (meeting,) = meetings(m)
        said = m("followups").stdout
        assert meeting["start"].startswith(at(hours=1)[:10]) or "moved" in said, (meeting, said)
        assert "thank-you" in said and "due in 8 days" not in said, said


def test_two_meetings_planned_apart_with_one_person_are_pointed_out(
    pair: Pair, clock: Clock
) -> None:
    a, b, s = pair
    _jane_agreed(a, b, s)
    apart(
        s,
        clock,
        (a, ("schedule", "jane-doe", at(days=7), "--phone")),
        (b, ("schedule", "jane-doe", at(days=8), "--phone")),
    )
    said = a("meetings").stderr + a("followups").stdout
    assert len(meetings(a)) == 2
    assert "two planned meetings" in said or "--also" in said, said


def test_a_meeting_done_on_one_machine_and_cancelled_on_the_other_stays_done(
    pair: Pair, clock: Clock
) -> None:
    a, b, s = pair
    _jane_agreed(a, b, s, meeting=at(hours=1))
    clock.advance(hours=2)
    a("done", "1", "--advice", "Build a portfolio", "--keep-in-touch")
    clock.advance(minutes=1)
    b("cancel", "1")  # the desktop had not heard: it was off
    sync(s, a, b)
    for m in (a, b):
        (meeting,) = meetings(m)
        assert meeting["status"] == "done", meeting
        due = m("followups").stdout
        assert "thank" in due and "propose a time" not in due, due


def test_a_meeting_made_a_call_on_one_machine_and_given_a_venue_on_the_other_still_reads(
    pair: Pair, clock: Clock
) -> None:
    """Each edit is valid; merged field by field they are not (a call at a restaurant).
    The store stays readable on both machines: the later edit is kept whole, and said."""
    a, b, s = pair
    _jane_agreed(a, b, s)
    a("schedule", "jane-doe", at(days=7), "--at", "Blue Bottle", "--venue", "cafe")
    sync(s, a, b)
    apart(
        s,
        clock,
        (a, ("meeting", "edit", "1", "--phone")),
        (b, ("meeting", "edit", "1", "--venue", "restaurant")),  # the later one
    )
    for m in (a, b):
        said = m("show", "jane-doe").stderr
        (meeting,) = meetings(m)
        kept = (meeting["mode"], meeting["venue"], meeting["place"])
        assert kept == ("in_person", "restaurant", "Blue Bottle"), meeting
        assert "do not fit together" in said, said
        m("edit", "jane-doe", "--company", "Acme")  # and it can be written to
        assert "doctor" not in m("followups").stderr


def test_a_change_that_arrives_while_a_command_writes_is_read_by_the_next_command(
    pair: Pair, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sync service brings the desktop's new contact while the laptop is writing
    (after it read its index, before it brought the index up to date): the index must
    not pass for one that has read it."""
    from infoint.store import Store

    a, b, s = pair
    a("add-contact", "Jane Doe")
    sync(s, a, b)
    b("add-contact", "Sam Lee")
    commit = Store.commit

    def synced_meanwhile(self: Store, *args: Any, **kwargs: Any) -> Any:
        sync(s, a, b)  # the desktop's log lands here now
        return commit(self, *args, **kwargs)

    monkeypatch.setattr(Store, "commit", synced_meanwhile)
    a("edit", "jane-doe", "--role", "Editor")
    monkeypatch.setattr(Store, "commit", commit)
    listed = {c["handle"] for c in contacts(a)}
    assert listed == {"jane-doe", "sam-lee"}, listed
    assert "Sam Lee" in a("show", "sam-lee").stdout


# messages on two machines ----------------------------------------------------------------


def test_two_answers_to_one_outreach_recorded_apart_are_pointed_out(
    pair: Pair, clock: Clock
) -> None:
    a, b, s = pair
    a("add-contact", "Jane Doe")
    a("outreach", "jane-doe", *INTRO, "--sent", at(days=-3))
    sync(s, a, b)
    apart(
        s, clock, (a, ("reply", "jane-doe", "--agreed")), (b, ("reply", "jane-doe", "--declined"))
    )
    said = a("show", "jane-doe").stderr
    assert "agreed" in said and "declined" in said, said


# imports on two machines ---------------------------------------------------------------


def contacts(m: Machine) -> list[dict[str, Any]]:
    return json.loads(m("contacts", "--all", "--json").stdout)  # type: ignore[no-any-return]


def test_one_export_imported_on_both_machines_is_named_by_doctor(
    pair: Pair, clock: Clock, tmp_path: Path
) -> None:
    a, b, s = pair
    export = tmp_path / "Connections.csv"
    export.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ada,Lovelace,https://www.linkedin.com/in/ada,ada@example.com,Analytical,Engineer,"
        "01 Jan 2024\n"
        "Grace,Hopper,https://www.linkedin.com/in/grace,,Navy,Admiral,02 Jan 2024\n",
        encoding="utf-8",
    )
    a("add-contact", "Jane Doe")
    sync(s, a, b)
    apart(s, clock, (a, ("import", "linkedin", export)), (b, ("import", "linkedin", export)))
    for m in (a, b):
        names = sorted(c["name"] for c in contacts(m))
        doctor = m("doctor", code=None).stdout
        assert names == ["Ada Lovelace", "Grace Hopper", "Jane Doe"] or "Ada Lovelace" in doctor


def test_only_the_numbers_both_machines_used_move(pair: Pair, clock: Clock) -> None:
    a, b, s = pair
    a("add-contact", "Jane Doe")
    sync(s, a, b)
    a("add-contact", "Sam Lee")  # 2 on the laptop
    clock.advance(minutes=1)
    b("add-contact", "Ana Ruiz")  # 2 on the desktop
    clock.advance(minutes=1)
    b("add-contact", "Bo Chen")  # 3 on the desktop, a number the laptop never gave out
    sync(s, a, b)
    for m in (a, b):
        ids = {c["name"]: c["id"] for c in contacts(m)}
        assert ids["Sam Lee"] == 2 and ids["Bo Chen"] == 3, ids
        assert ids["Ana Ruiz"] == 4, ids


# merge and import of an export while machines diverge -----------------------------------


def test_merge_says_what_it_left_out_of_a_copy(pair: Pair, clock: Clock, tmp_path: Path) -> None:
    a, _, _ = pair
    a("add-contact", "Jane Doe", "--company", "Acme")
    a("add-contact", "Sam Lee")
    a("export", "json", "--out", tmp_path / "export.json")
    clock.advance(hours=1)
    a("remove", "sam-lee", "--yes")
    said = a("merge", tmp_path / "export.json").stderr
    assert [c["name"] for c in contacts(a)] == ["Jane Doe"]
    assert "Sam Lee" in said or "1 removed here" in said, said


# git ------------------------------------------------------------------------------------


@pytest.fixture
def remote(_git_world: Path) -> str:  # noqa: F811 (the fixture, imported above)
    """An empty bare repository, and no git configuration of the user's."""
    return str(_git_world / "remote.git")


@needs_git
def test_git_sync_says_a_renumbering_once(remote: str, pair: Pair, clock: Clock) -> None:
    a, b, _ = pair
    a("add-contact", "Jane Doe")
    a("sync", "--init", remote)
    b("sync", "--init", remote)
    a("add-contact", "Sam Lee")
    clock.advance(minutes=1)
    b("add-contact", "Ana Ruiz")
    a("sync")
    said = b("sync").stderr
    assert {c["name"]: c["id"] for c in contacts(b)}["Ana Ruiz"] == 3
    assert len([line for line in said.splitlines() if "is now" in line]) == 1, said


# settings -------------------------------------------------------------------------------


def test_settings_changed_on_both_machines_are_both_kept_or_named(pair: Pair, clock: Clock) -> None:
    a, b, s = pair
    a("config", "me.name", "Alex Kim")
    sync(s, a, b)
    a("config", "max_nudges", "2")
    clock.advance(minutes=1)
    b("config", "me.name", "Alex K.")
    sync(s, a, b)
    for m in (a, b):
        settings = (m("config", "max_nudges").stdout.strip(), m("config", "me.name").stdout.strip())
        doctor = m("doctor", code=None).stdout
        assert settings == ("2", "Alex K.") or "config.sync-conflict" in doctor, (settings, doctor)


# one machine, its data folder put back -------------------------------------------------


def test_a_data_folder_put_back_in_place_keeps_its_changes_undoable(
    pair: Pair, clock: Clock, tmp_path: Path
) -> None:
    a, _, _ = pair
    a("add-contact", "Jane Doe", "--company", "Acme")
    clock.advance(minutes=1)
    a("edit", "jane-doe", "--company", "Globex")
    shutil.copytree(a.home, tmp_path / "copy")
    shutil.rmtree(a.home)
    (tmp_path / "copy").rename(a.home)  # the same path, the same files, a new inode
    assert "on another machine" not in a("history").stdout
    a("undo", "--yes")
    assert [c["company"] for c in contacts(a)] == ["Acme"]


# drafts ---------------------------------------------------------------------------------


def test_a_draft_made_on_each_machine_is_kept_on_both(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    a, b, s = pair
    a("config", "me.name", "Alex Kim")
    a("config", "me.intro", "I am a data analyst moving into product design.")
    a("add-contact", "Jane Doe", "--why", "Her talk")
    a("add-contact", "Sam Lee", "--why", "His book")
    sync(s, a, b)
    a("draft", "jane-doe", "--goal", "Learn about editing", "--no-edit")
    b("draft", "sam-lee", "--goal", "Learn about hiring", "--no-edit")
    sync(s, a, b)
    for m in (a, b):
        kept = m("drafts").stdout
        doctor = m("doctor", code=None).stdout
        assert ("jane-doe" in kept and "sam-lee" in kept) or "drafts" in doctor, (kept, doctor)


# history with more machines -----------------------------------------------------------


def test_history_gives_each_change_its_own_label(pair: Pair, clock: Clock, tmp_path: Path) -> None:
    a, b, s = pair
    c = Machine(clock, tmp_path, "phone", a.mp)  # its host name is the laptop's
    a("add-contact", "Jane Doe")
    sync(s, a, b, c)
    clock.advance(minutes=1)
    b("add-contact", "Sam Lee")
    clock.advance(minutes=1)
    c("add-contact", "Ana Ruiz")
    sync(s, a, b, c)
    labels = [line.split()[0] for line in a("history").stdout.splitlines()[1:]]
    assert len(labels) == 3 and len(set(labels)) == 3, labels


# lists both machines added to ----------------------------------------------------------


def test_tags_added_on_both_machines_are_both_kept(pair: Pair, clock: Clock) -> None:
    a, b, s = pair
    a("add-contact", "Jane Doe", "--tag", "design")
    sync(s, a, b)
    a("edit", "jane-doe", "--tag", "mentor")
    clock.advance(minutes=1)
    b("edit", "jane-doe", "--tag", "publishing")
    sync(s, a, b)
    for m in (a, b):
        assert [sorted(c["tags"]) for c in contacts(m)] == [["design", "mentor", "publishing"]]


def test_undo_of_a_tag_stands_after_the_other_machine_added_another(
    pair: Pair, clock: Clock
) -> None:
    a, b, s = pair
    a("add-contact", "Jane Doe", "--tag", "design")
    sync(s, a, b)
    apart(
        s,
        clock,
        (a, ("edit", "jane-doe", "--tag", "mentor")),
        (b, ("edit", "jane-doe", "--tag", "publishing")),
    )
    a("undo", "--yes")
    sync(s, a, b)
    for m in (a, b):
        assert [sorted(c["tags"]) for c in contacts(m)] == [["design", "publishing"]]


def test_prep_questions_added_on_both_machines_are_both_kept(pair: Pair, clock: Clock) -> None:
    a, b, s = pair
    _jane_agreed(a, b, s, meeting=at(days=3))
    a("prep", "jane-doe", "--question", "What did your first role look like?")
    clock.advance(minutes=1)
    b("prep", "jane-doe", "--question", "Who else should I talk to?")
    sync(s, a, b)
    for m in (a, b):
        brief = m("prep", "jane-doe").stdout
        assert "first role" in brief and "Who else" in brief, brief


# notes ----------------------------------------------------------------------------------


def test_a_renumbering_note_names_the_contact(pair: Pair, clock: Clock) -> None:
    a, b, s = pair
    a("add-contact", "Jane Doe")  # two machines set up apart, synced for the first time
    clock.advance(minutes=1)
    b("add-contact", "Sam Lee")
    sync(s, a, b)
    said = a("contacts").stderr
    assert {c["name"]: c["id"] for c in contacts(a)} == {"Jane Doe": 1, "Sam Lee": 2}
    notes = [line for line in said.splitlines() if "is now" in line]
    assert notes and all("Sam Lee" in line for line in notes), said


# undo across syncs ----------------------------------------------------------------------


def test_undo_of_an_edit_stands_after_the_other_machine_edited_another_field(
    pair: Pair, clock: Clock
) -> None:
    a, b, s = pair
    a("add-contact", "Jane Doe", "--company", "Acme")
    sync(s, a, b)
    clock.advance(minutes=1)
    a("edit", "jane-doe", "--role", "Editor")
    sync(s, a, b)
    clock.advance(minutes=1)
    b("edit", "jane-doe", "--location", "Paris")
    sync(s, a, b)
    a("undo", "--yes")
    for m in (a, b):
        sync(s, a, b)
        (jane,) = contacts(m)
        assert (jane["role"], jane["location"]) == (None, "Paris"), jane


# mail scanned on both machines --------------------------------------------------------


def test_a_mailbox_scanned_on_both_machines_records_each_message_once(
    pair: Pair, clock: Clock, tmp_path: Path
) -> None:
    from mailboxes import ME, write_mbox
    from mailboxes import contacts as the_story

    a, b, s = pair
    a("doctor")  # this machine's folders, for the tracker below
    the_story(Tracker(Paths.from_env(), clock=clock))
    a("config", "mail.user", ME)
    sync(s, a, b)
    box = write_mbox(tmp_path / "all.mbox")
    scan = ("mail", "scan", "--mbox", box, "--yes")
    apart(s, clock, (a, scan), (b, scan))
    for m in (a, b):
        kinds = [e["kind"] for e in m.json("show", "jane-doe")["timeline"]]
        assert kinds == ["outreach"], kinds


@needs_git
def test_joining_a_second_store_offers_no_undo_of_an_empty_merge(
    remote: str, pair: Pair, clock: Clock
) -> None:
    a, b, _ = pair
    a("add-contact", "Jane Doe", "--company", "Acme")
    a("sync", "--init", remote)
    clock.advance(minutes=1)
    b("add-contact", "Sam Lee")
    said = b("sync", "--init", remote).stderr
    assert sorted(c["name"] for c in contacts(b)) == ["Jane Doe", "Sam Lee"]
    assert "To take it back: infoint undo" not in said or "merge" in b("history").stdout, said


# doctor ---------------------------------------------------------------------------------


def test_doctor_is_clean_after_an_engine_brings_files_with_its_own_mode(
    pair: Pair,
) -> None:
    a, b, s = pair
    a("add-contact", "Jane Doe")
    sync(s, a, b)
    b("add-contact", "Sam Lee")
    (theirs,) = {p.name for p in b.home.glob("journal.*.jsonl")} - {
        p.name for p in a.home.glob("journal.*.jsonl")
    }
    sync(s, a, b)
    (a.home / theirs).chmod(0o644)  # what the engine's own umask gives the files it writes
    assert a.home.stat().st_mode & 0o777 == 0o700
    doctor = a("doctor", code=None)
    assert doctor.exit_code == 0, doctor.stdout
