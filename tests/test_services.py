"""Use cases at the service level: what lands on disk, with a clock the test moves."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from conftest import NOW, Clock
from infoint.errors import BadInput, NotFound, RuleBroken
from infoint.files import Paths
from infoint.models import Settings
from infoint.records import ContactFields, make_handle, slugify
from infoint.services import Tracker
from infoint.store import Store

WHO, WHY, GOAL = "I am an analyst.", "Your talk on design systems.", "Learn which skills matter."


def add(tracker: Tracker, name: str = "Jane Doe", **fields: object) -> str:
    handle: str = tracker.add_contact(name, ContactFields(**fields)).record.handle  # type: ignore[arg-type]
    return handle


def on_disk(home: Path) -> dict[str, object]:
    """The records as a fresh process reads them from the data folder."""
    data: dict[str, object] = Store(Paths.from_env()).load().model_dump(mode="json")
    return data


def status(tracker: Tracker, handle: str) -> str:
    _, st, _ = tracker.show(handle)
    return st


def kinds(tracker: Tracker, as_of: object = None) -> list[tuple[str, str]]:
    return [(f.kind, f.who.handle) for f in tracker.due(as_of).items]  # type: ignore[arg-type]


# handles ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Jane Doe", "jane-doe"),
        ("María Núñez", "maria-nunez"),
        ("  Linus  O'Neil ", "linus-o-neil"),
        ("[bold red]Mallory[/]", "bold-red-mallory"),
        ("Zoë Ångström-Łukasz", "zoe-angstrom-lukasz"),
        ("李小龍", "li-xiao-long"),
        ("--", ""),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


@pytest.mark.parametrize(
    ("name", "taken", "handle"),
    [
        ("Jane Doe", set(), "jane-doe"),
        ("Jane Doe", {"jane-doe"}, "jane-doe-2"),
        ("Jane Doe", {"jane-doe", "jane-doe-2"}, "jane-doe-3"),
        ("李小龍", set(), "li-xiao-long"),
        ("🙂", set(), "contact-7"),
        ("1984", set(), "contact-7"),
        ("Agent 007", set(), "agent-007"),
        ("🙂", {"contact-7"}, "contact-7-2"),
    ],
)
def test_make_handle(name: str, taken: set[str], handle: str) -> None:
    assert make_handle(name, taken, 7) == handle


# contacts -------------------------------------------------------------------------


def test_add_contact_lands_on_disk_with_ids_and_times(tracker: Tracker, home: Path) -> None:
    add(tracker, "Jane Doe", email=" Jane@Example.COM ", tags=["design", "Design", " "])
    add(tracker, "Sam Lee")
    data = on_disk(home)
    contacts = data["contacts"]
    assert isinstance(contacts, list)
    jane, sam = contacts
    assert (jane["id"], sam["id"]) == (1, 2)
    assert jane["email"] == "Jane@example.com"
    assert jane["tags"] == ["design"]
    assert jane["created_at"] == jane["updated_at"] == "2026-11-26T09:00:00Z"
    assert len(jane["uuid"]) == 36 and jane["uuid"] != sam["uuid"]
    assert data["next_id"] == {"contact": 3, "meeting": 1, "event": 1}


def test_ids_are_never_reused_after_a_removal(tracker: Tracker) -> None:
    add(tracker, "Jane Doe")
    add(tracker, "Sam Lee")
    tracker.remove("sam-lee")
    assert tracker.add_contact("Bo Chen", ContactFields()).record.id == 3


def test_find_by_handle_is_case_insensitive_and_by_id(tracker: Tracker) -> None:
    add(tracker)
    assert tracker.show("JANE-DOE")[0].contact.id == 1
    assert tracker.show(" 1 ")[0].contact.handle == "jane-doe"
    with pytest.raises(NotFound):
        tracker.show("2")


def test_edit_updates_the_updated_time_only(tracker: Tracker, clock: Clock) -> None:
    add(tracker)
    clock.advance(hours=2)
    contact = tracker.edit("jane-doe", ContactFields(role="Director")).record
    assert contact.created_at == NOW
    assert contact.updated_at == NOW + timedelta(hours=2)


def test_edit_clears_email_with_an_empty_value(tracker: Tracker) -> None:
    add(tracker, email="jane@example.com")
    assert tracker.edit("jane-doe", ContactFields(email="")).record.email is None


def test_search_covers_every_text_field(tracker: Tracker) -> None:
    add(
        tracker,
        "Jane Doe",
        role="Editorial Director",
        location="Portland",
        notes="Loves tea",
        why="Redesign",
    )
    for needle in ("editorial", "portland", "TEA", "redesign", "jane-doe"):
        assert [c.handle for c, _, _ in tracker.contacts(search=needle)] == ["jane-doe"], needle
    assert tracker.contacts(search="nothing like it") == []


def test_remove_takes_meetings_and_messages_and_unlinks_referrals(
    tracker: Tracker, home: Path
) -> None:
    add(tracker, "Ana Ruiz")
    add(tracker, "Bo Chen")
    tracker.reply("bo-chen", "referred", referred="ana-ruiz")
    tracker.schedule("ana-ruiz", NOW + timedelta(days=2), None, "phone")
    result = tracker.remove("ana-ruiz")
    assert result.notes == ["1 meeting(s) and 0 message(s)"]
    data = on_disk(home)
    assert data["meetings"] == []
    events = data["events"]
    assert isinstance(events, list)
    assert events[0]["referred_to"] is None


def test_archive_twice_is_refused(tracker: Tracker) -> None:
    add(tracker)
    tracker.archive("jane-doe")
    with pytest.raises(BadInput, match="already archived"):
        tracker.archive("jane-doe")
    tracker.archive("jane-doe", restore=True)
    with pytest.raises(BadInput, match="already not archived"):
        tracker.archive("jane-doe", restore=True)


# outreach ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "why", "goal", "missing"),
    [
        (None, WHY, GOAL, "--who-i-am"),
        (WHO, None, GOAL, "--why-you"),
        (WHO, WHY, None, "--goal"),
        (WHO, "  ", GOAL, "--why-you"),
        ("", "", "", "--who-i-am, --why-you, --goal"),
    ],
)
def test_r1_outreach_needs_three_parts(
    tracker: Tracker, home: Path, who: str | None, why: str | None, goal: str | None, missing: str
) -> None:
    add(tracker)
    before = (home / "store.json").read_bytes()
    with pytest.raises(RuleBroken) as exc:
        tracker.outreach("jane-doe", who, why, goal)
    assert exc.value.message.endswith(f"missing: {missing}.")
    assert (home / "store.json").read_bytes() == before


def test_r1_who_i_am_comes_from_settings(tracker: Tracker) -> None:
    add(tracker)
    tracker.config_set("me.intro", WHO)
    record, _ = tracker.outreach("jane-doe", None, WHY, GOAL).record
    assert record.who_i_am == WHO


def test_r2_full_cycle_wait_move_on_force(tracker: Tracker, clock: Clock) -> None:
    add(tracker, "Sam Lee", industry="Publishing")
    add(tracker, "Ana Ruiz", industry="Publishing")
    tracker.outreach("sam-lee", WHO, WHY, GOAL)
    assert status(tracker, "sam-lee") == "contacted"
    clock.advance(days=13, hours=23)
    with pytest.raises(RuleBroken, match="waiting"):
        tracker.outreach("sam-lee", WHO, WHY, GOAL)
    clock.advance(hours=1)
    assert status(tracker, "sam-lee") == "moved_on"
    assert kinds(tracker) == [("move_on", "sam-lee")]
    with pytest.raises(RuleBroken, match="moved on"):
        tracker.outreach("sam-lee", WHO, WHY, GOAL)
    result = tracker.outreach("sam-lee", WHO, WHY, GOAL, force=True)
    assert result.warnings and result.record[0].forced
    assert status(tracker, "sam-lee") == "contacted"
    assert kinds(tracker) == []


def test_r2_one_nudge_when_allowed(tracker: Tracker, clock: Clock) -> None:
    add(tracker)
    tracker.config_set("max_nudges", "1")
    tracker.outreach("jane-doe", WHO, WHY, GOAL)
    clock.advance(days=7)
    assert kinds(tracker) == [("nudge", "jane-doe")]
    tracker.outreach("jane-doe", WHO, WHY, GOAL)
    assert kinds(tracker) == []
    clock.advance(days=7)
    with pytest.raises(RuleBroken, match="waiting"):
        tracker.outreach("jane-doe", WHO, WHY, GOAL)


def test_sent_in_the_past_counts_from_then(tracker: Tracker) -> None:
    add(tracker)
    tracker.outreach("jane-doe", WHO, WHY, GOAL, sent=NOW - timedelta(days=20))
    assert status(tracker, "jane-doe") == "moved_on"


def test_a_reply_needs_no_outreach(tracker: Tracker) -> None:
    add(tracker)
    tracker.reply("jane-doe", "agreed")
    assert status(tracker, "jane-doe") == "agreed"
    assert kinds(tracker) == [("respond", "jane-doe")]


def test_r3_respond_overdue_after_a_day_then_closed_by_schedule(
    tracker: Tracker, clock: Clock
) -> None:
    add(tracker)
    tracker.reply("jane-doe", "agreed")
    clock.advance(hours=25)
    assert tracker.due().items[0].overdue(clock.now)
    tracker.schedule("jane-doe", clock.now + timedelta(days=3), None, "video")
    assert ("respond", "jane-doe") not in kinds(tracker)
    assert status(tracker, "jane-doe") == "scheduled"


def test_referral_does_not_overwrite_an_existing_referrer(tracker: Tracker) -> None:
    add(tracker, "Ana Ruiz")
    add(tracker, "Bo Chen")
    add(tracker, "Cy Dee", referred_by="ana-ruiz")
    tracker.reply("bo-chen", "referred", referred="cy-dee")
    contact = tracker.show("cy-dee")[0].contact
    ana = tracker.show("ana-ruiz")[0].contact
    assert contact.referred_by == ana.uuid


# meetings -----------------------------------------------------------------------------


def test_r4_in_person_needs_a_place_and_venue_needs_in_person(tracker: Tracker) -> None:
    add(tracker)
    start = NOW + timedelta(days=2)
    with pytest.raises(BadInput, match="needs a place"):
        tracker.schedule("jane-doe", start, None, "in_person")
    with pytest.raises(BadInput, match="--venue"):
        tracker.schedule("jane-doe", start, None, "phone", venue="cafe")
    meeting, _ = tracker.schedule(
        "jane-doe", start, None, "in_person", " Blue Bottle ", "bar"
    ).record
    assert meeting.place == "Blue Bottle" and meeting.you_pay


def test_r4_preference_warns_but_schedules(tracker: Tracker) -> None:
    add(tracker, prefers="in_person")
    tracker.heard("jane-doe", NOW - timedelta(days=1))
    result = tracker.schedule("jane-doe", NOW + timedelta(days=2), None, "phone")
    assert "prefers in person" in result.warnings[0]
    second = tracker.schedule(
        "jane-doe", NOW + timedelta(days=3), None, "in_person", "Cafe", also=True
    )
    assert second.warnings == []


def test_r5_the_default_is_the_cap(tracker: Tracker) -> None:
    add(tracker)
    meeting, _ = tracker.schedule("jane-doe", NOW + timedelta(days=2), None, "phone").record
    assert meeting.minutes == 30
    tracker.config_set("max_meeting_minutes", "15")
    meeting, _ = tracker.schedule(
        "jane-doe", NOW + timedelta(days=3), None, "phone", also=True
    ).record
    assert meeting.minutes == 15
    with pytest.raises(RuleBroken, match="at most 15 minutes"):
        tracker.schedule("jane-doe", NOW + timedelta(days=4), 20, "phone", also=True)


def test_held_meetings_skip_the_overlap_check_but_not_the_past(tracker: Tracker) -> None:
    add(tracker)
    tracker.schedule("jane-doe", NOW - timedelta(hours=1), None, "phone", held=True)
    tracker.schedule("jane-doe", NOW - timedelta(minutes=50), None, "phone", held=True, also=True)
    with pytest.raises(RuleBroken, match="--held"):
        tracker.schedule("jane-doe", NOW + timedelta(hours=1), None, "phone", held=True)


def test_reschedule_out_of_the_prep_window_closes_prep(tracker: Tracker) -> None:
    add(tracker)
    meeting, _ = tracker.schedule("jane-doe", NOW + timedelta(hours=20), None, "phone").record
    assert kinds(tracker) == [("prep", "jane-doe")]
    tracker.reschedule(str(meeting.id), NOW + timedelta(days=5))
    assert kinds(tracker) == []


def test_cancel_closes_prep_and_outcome(tracker: Tracker, clock: Clock) -> None:
    add(tracker)
    meeting, _ = tracker.schedule("jane-doe", NOW + timedelta(hours=20), None, "phone").record
    clock.advance(days=2)
    assert [k for k, _ in kinds(tracker)] == ["record_outcome"]
    cancelled, _ = tracker.cancel(f"#{meeting.id}", "she was ill").record
    assert cancelled.cancel_reason == "she was ill" and cancelled.cancelled_at == clock.now
    assert kinds(tracker) == []


def test_done_records_advice_and_the_mentor(tracker: Tracker, clock: Clock) -> None:
    add(tracker)
    meeting, _ = tracker.schedule("jane-doe", NOW + timedelta(hours=1), None, "phone").record
    with pytest.raises(RuleBroken, match="not started"):
        tracker.done(str(meeting.id))
    clock.advance(hours=1, minutes=40)
    done, _ = tracker.done(
        str(meeting.id), " Lovely ", [" Portfolio ", " "], keep_in_touch=True
    ).record
    assert done.advice == ["Portfolio"] and done.notes == "Lovely" and done.done_at == clock.now
    assert status(tracker, "jane-doe") == "mentor"
    assert kinds(tracker) == [("thank_you", "jane-doe")]
    tracker.thank("jane-doe")
    assert kinds(tracker) == []
    clock.advance(days=60)
    assert kinds(tracker) == [("keep_in_touch", "jane-doe")]
    tracker.touch("jane-doe", note="Took your advice")
    assert kinds(tracker) == []


def test_r11_touch_too_soon_then_heard_makes_it_fine(tracker: Tracker, clock: Clock) -> None:
    add(tracker)
    tracker.heard("jane-doe", NOW - timedelta(days=40))
    tracker.touch("jane-doe")
    clock.advance(days=3)
    with pytest.raises(RuleBroken, match="30 days apart"):
        tracker.touch("jane-doe")
    tracker.heard("jane-doe", note="Thanks for the article!")
    clock.advance(hours=1)
    assert tracker.touch("jane-doe").warnings == []
    forced = tracker.touch("jane-doe", force=True)
    assert forced.warnings and forced.record[0].forced


def test_prep_appends_research_and_skips_repeated_questions(tracker: Tracker) -> None:
    add(tracker)
    tracker.prep("jane-doe", "First note.", ["Q1?"])
    contact = tracker.prep("jane-doe", "Second note.", ["Q1?", "Q2?"]).record
    assert contact.research == "First note.\nSecond note."
    assert contact.questions == ["Q1?", "Q2?"]


def test_brief_picks_the_next_planned_meeting_and_the_latest_goal(
    tracker: Tracker, clock: Clock
) -> None:
    add(tracker, "Ana Ruiz")
    add(tracker, "Jane Doe", referred_by="ana-ruiz")
    tracker.outreach("jane-doe", WHO, WHY, "Old goal", sent=NOW - timedelta(days=40))
    tracker.outreach("jane-doe", WHO, WHY, "New goal", force=True)
    later, _ = tracker.schedule("jane-doe", NOW + timedelta(days=9), None, "phone").record
    sooner, _ = tracker.schedule(
        "jane-doe", NOW + timedelta(days=2), None, "video", also=True
    ).record
    tracker.cancel(str(sooner.id))
    _, meeting, goal, referrer = tracker.brief("jane-doe")
    assert meeting is not None and meeting.id == later.id
    assert goal is not None and goal.goal == "New goal"
    assert referrer is not None and referrer.handle == "ana-ruiz"


def test_meetings_filters(tracker: Tracker) -> None:
    add(tracker)
    tracker.schedule("jane-doe", NOW - timedelta(days=1), None, "phone", held=True)
    tracker.schedule("jane-doe", NOW + timedelta(days=1), None, "phone")
    cancelled, _ = tracker.schedule(
        "jane-doe", NOW + timedelta(days=2), None, "phone", also=True
    ).record
    tracker.cancel(str(cancelled.id))
    assert [m.id for m in tracker.meetings()[0]] == [1, 2, 3]
    assert [m.id for m in tracker.meetings(upcoming=True)[0]] == [2]
    assert [m.id for m in tracker.meetings(past=True)[0]] == [1, 3]


def test_not_found_meeting(tracker: Tracker) -> None:
    with pytest.raises(NotFound, match="no meeting"):
        tracker.cancel("7")


# settings -----------------------------------------------------------------------------


def test_settings_defaults_and_only_changes_are_written(tracker: Tracker, home: Path) -> None:
    items = {k: (v, d) for k, v, d in tracker.config_items()}
    assert items["reply_wait_days"] == (14, 14)
    assert items["me.name"] == ("", "")
    tracker.config_set("keep_in_touch_days", "90")
    tracker.config_set("me.signature", "— Alex")
    text = (home / "config.toml").read_text()
    assert text.strip().splitlines() == [
        "keep_in_touch_days = 90",
        "",
        "[me]",
        'signature = "— Alex"',
    ]
    tracker.config_set("keep_in_touch_days", "60")
    assert "keep_in_touch_days" not in (home / "config.toml").read_text()


def test_settings_refuse_unknown_keys_in_the_file(tracker: Tracker, home: Path) -> None:
    home.mkdir()
    (home / "config.toml").write_text("colour = 'red'\n")
    with pytest.raises(BadInput, match="colour"):
        _ = tracker.settings


def test_settings_model_bounds() -> None:
    with pytest.raises(ValueError):
        Settings(max_meeting_minutes=31)
    with pytest.raises(ValueError):
        Settings(min_questions=-1)
    assert Settings(max_meeting_minutes=10).max_meeting_minutes == 10


def test_config_get_unknown_key(tracker: Tracker) -> None:
    with pytest.raises(BadInput, match="no setting"):
        tracker.config_get("nope")
    assert tracker.config_get("me.intro") == ""


def test_without_a_config_file_the_settings_are_the_validated_defaults(tracker: Tracker) -> None:
    from infoint.models import Settings

    assert not tracker.paths.config_file.exists()
    assert tracker.settings.model_dump() == Settings().model_dump(mode="json")
    assert tracker.settings.me.model_dump() == {"name": "", "intro": "", "signature": ""}
    assert tracker.settings.reply_wait_days == 14 and tracker.settings.mail.tls == "ssl"


def test_the_default_settings_are_read_without_pydantic(tracker: Tracker) -> None:
    """Without a config file every setting is its default, which needs no checking:
    importing pydantic and building its validators costs more than adding a contact.
    (In a fresh process: this one has imported it already.)"""
    import subprocess
    import sys

    assert not tracker.paths.config_file.exists()
    probe = (
        "import sys; from infoint.files import Paths; from infoint.services import Tracker; "
        "print(Tracker(Paths.from_env()).settings.keep_backups, 'pydantic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.stdout.split() == ["10", "False"], out.stderr


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


def test_settings_are_read_from_the_file(tracker: Tracker, home: Path) -> None:
    home.mkdir()
    (home / "config.toml").write_text(
        'reply_wait_days = 7\nmax_meeting_minutes = 20\n\n[me]\nname = "Alex Kim"\nintro = "Hi!"\n'
    )
    assert tracker.settings.reply_wait_days == 7
    assert tracker.config_get("me.name") == "Alex Kim"
    items = {k: v for k, v, _ in tracker.config_items()}
    assert items["max_meeting_minutes"] == 20 and items["me.intro"] == "Hi!"
    tracker.add_contact("Jane Doe", ContactFields())
    with pytest.raises(RuleBroken, match="at most 20 minutes"):
        tracker.schedule("jane-doe", NOW + timedelta(days=1), 25, "phone")


def test_a_cap_above_thirty_in_the_file_is_refused(tracker: Tracker, home: Path) -> None:
    home.mkdir()
    (home / "config.toml").write_text("max_meeting_minutes = 45\n")
    with pytest.raises(BadInput, match="max_meeting_minutes"):
        _ = tracker.settings


def test_clearing_a_text_setting_removes_it_from_the_file(tracker: Tracker, home: Path) -> None:
    tracker.config_set("me.name", "Alex")
    assert "Alex" in (home / "config.toml").read_text()
    tracker.config_set("me.name", "")
    assert (home / "config.toml").read_text().strip() == ""


def test_edit_untag_of_an_unknown_tag_is_harmless(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields(tags=["a"]))
    contact = tracker.edit("jane-doe", ContactFields(), untag=["zzz", "A"]).record
    assert contact.tags == []


def test_removing_a_referrer_unlinks_the_reply(tracker: Tracker) -> None:
    tracker.add_contact("Ana Ruiz", ContactFields())
    tracker.add_contact("Bo Chen", ContactFields())
    tracker.reply("ana-ruiz", "referred", referred="bo-chen")
    tracker.remove("bo-chen")
    (reply,) = tracker.read().events
    assert reply.referred_to is None


def test_a_meeting_with_a_referred_contact(tracker: Tracker) -> None:
    tracker.add_contact("Ana Ruiz", ContactFields())
    tracker.add_contact("Bo Chen", ContactFields())
    tracker.reply("ana-ruiz", "referred", referred="bo-chen")
    tracker.schedule("bo-chen", NOW + timedelta(days=2), None, "phone")
    history, status, _ = tracker.show("bo-chen")
    assert status == "scheduled" and history.contact.referred_by is not None


def test_a_contact_in_the_future_is_not_known_before(tracker: Tracker, clock: Clock) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.reply("jane-doe", "agreed")
    earlier = tracker.due(NOW - timedelta(days=1))
    assert earlier.items == []
