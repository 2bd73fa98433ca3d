"""Items 3 and 4 of issue 13: R14-R18, a timeline that is always possible.

Each rule is pinned table by table on a history built record by record, then once
through the command line (what the user sees, and that a refusal changes nothing)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from build import Doc, days
from conftest import INTRO, NOW, Runner, at
from infoint import rules, timeline
from infoint.errors import RuleBroken
from infoint.models import Settings

S = Settings()
Setup = Callable[[Doc], None]


def history(setup: Setup) -> rules.History:
    doc = Doc()
    doc.contact("Jane Doe")
    setup(doc)
    contact = doc.doc.contacts[0]
    return rules.history_of(doc.doc, contact, NOW)


def jane(doc: Doc):  # type: ignore[no-untyped-def]
    return doc.doc.contacts[0]


# R14: no reply before the message it answers ----------------------------------------

REPLIES: list[tuple[str, Setup, datetime, str | None]] = [
    ("after your message", lambda d: d.outreach(jane(d), days(-5)), days(-1), None),
    ("same moment", lambda d: d.outreach(jane(d), days(-5)), days(-5), None),
    ("before it", lambda d: d.outreach(jane(d), days(-5)), days(-20), "before your first"),
    (
        "before the second message, after the first",
        lambda d: (d.outreach(jane(d), days(-40)), d.outreach(jane(d), days(-5))),
        days(-20),
        None,
    ),
    ("they wrote first", lambda d: d.heard(jane(d), days(-9)), days(-1), None),
    ("never written to", lambda d: None, days(-1), "warning"),
    ("heard only after it", lambda d: d.heard(jane(d), days(-1)), days(-3), "warning"),
]


@pytest.mark.parametrize(
    ("setup", "moment", "expected"), [r[1:] for r in REPLIES], ids=[r[0] for r in REPLIES]
)
def test_r14_reply_order(setup: Setup, moment: datetime, expected: str | None) -> None:
    h = history(setup)
    if expected == "warning":
        warning = timeline.check_reply_order(h, moment)
        assert warning and "jane-doe" in warning
    elif expected:
        with pytest.raises(RuleBroken, match=expected):
            timeline.check_reply_order(h, moment)
    else:
        assert timeline.check_reply_order(h, moment) is None


# R15: a thank-you follows the meeting, once ------------------------------------------

THANKS: list[tuple[str, Setup, datetime, str | None]] = [
    ("after a done meeting", lambda d: d.meeting(jane(d), days(-2), status="done"), NOW, None),
    (
        "before the meeting",
        lambda d: d.meeting(jane(d), days(2)),
        NOW,
        "before your meeting",
    ),
    (
        "twice for one meeting",
        lambda d: (d.meeting(jane(d), days(-3), status="done"), d.thank(jane(d), days(-2))),
        NOW,
        "already thanked",
    ),
    (
        "a new meeting since the last thank-you",
        lambda d: (
            d.meeting(jane(d), days(-30), status="done"),
            d.thank(jane(d), days(-29)),
            d.meeting(jane(d), days(-2), status="done"),
        ),
        NOW,
        None,
    ),
    ("no meeting at all", lambda d: None, NOW, "warning"),
    ("no meeting, thanked already", lambda d: d.thank(jane(d), days(-1)), NOW, "already"),
    ("met, not yet marked done", lambda d: d.meeting(jane(d), days(-1)), NOW, "warning"),
    (
        "cancelled meeting does not count",
        lambda d: d.meeting(jane(d), days(-1), status="cancelled"),
        NOW,
        "warning",
    ),
]


@pytest.mark.parametrize(
    ("setup", "moment", "expected"), [r[1:] for r in THANKS], ids=[r[0] for r in THANKS]
)
def test_r15_thank_order(setup: Setup, moment: datetime, expected: str | None) -> None:
    h = history(setup)
    if expected == "warning":
        warning = timeline.check_thank_order(h, moment)
        assert warning and "jane-doe" in warning
    elif expected:
        with pytest.raises(RuleBroken, match=expected):
            timeline.check_thank_order(h, moment)
    else:
        assert timeline.check_thank_order(h, moment) is None


# R16: touch and meet only someone you are in touch with ------------------------------

TOUCHES: list[tuple[str, Setup, bool, str | None]] = [
    ("never in touch", lambda d: None, False, "never written to"),
    ("never in touch, forced", lambda d: None, True, "warning"),
    ("written to", lambda d: d.outreach(jane(d), days(-40)), False, None),
    ("heard from", lambda d: d.heard(jane(d), days(-40)), False, None),
    ("thanked", lambda d: d.thank(jane(d), days(-40)), False, None),
    ("met", lambda d: d.meeting(jane(d), days(-40), status="done"), False, None),
    (
        "only a cancelled meeting",
        lambda d: d.meeting(jane(d), days(-40), status="cancelled"),
        False,
        "never written to",
    ),
]


@pytest.mark.parametrize(
    ("setup", "force", "expected"), [r[1:] for r in TOUCHES], ids=[r[0] for r in TOUCHES]
)
def test_r16_touch_needs_contact(setup: Setup, force: bool, expected: str | None) -> None:
    h = history(setup)
    if expected == "warning":
        warning = timeline.check_touch_needs_contact(h, force)
        assert warning and "--force" in warning
    elif expected:
        with pytest.raises(RuleBroken, match=expected):
            timeline.check_touch_needs_contact(h, force)
    else:
        assert timeline.check_touch_needs_contact(h, force) is None


def test_r16_a_meeting_with_a_stranger_is_warned_about() -> None:
    assert "jane-doe" in (timeline.meeting_without_contact(history(lambda d: None)) or "")
    written = history(lambda d: d.outreach(jane(d), days(-3)))
    assert timeline.meeting_without_contact(written) is None


# R17: one planned meeting per person --------------------------------------------------

PLANNED: list[tuple[str, Setup, bool, bool]] = [
    ("none yet", lambda d: None, False, True),
    ("one planned", lambda d: d.meeting(jane(d), days(3)), False, False),
    ("one planned, --also", lambda d: d.meeting(jane(d), days(3)), True, True),
    ("one done", lambda d: d.meeting(jane(d), days(-3), status="done"), False, True),
    ("one ended, outcome not recorded", lambda d: d.meeting(jane(d), days(-3)), False, True),
    ("one cancelled", lambda d: d.meeting(jane(d), days(3), status="cancelled"), False, True),
]


@pytest.mark.parametrize(
    ("setup", "also", "allowed"), [r[1:] for r in PLANNED], ids=[r[0] for r in PLANNED]
)
def test_r17_one_planned_meeting(setup: Setup, also: bool, allowed: bool) -> None:
    h = history(setup)
    if allowed:
        timeline.check_one_planned(h, also, NOW)
    else:
        with pytest.raises(RuleBroken, match="already planned") as exc:
            timeline.check_one_planned(h, also, NOW)
        assert "--also" in (exc.value.hint or "")


HELD: list[tuple[str, Setup, int, bool, bool]] = [
    ("nothing then", lambda d: None, 0, False, True),
    ("the same hour, not yet done", lambda d: d.meeting(jane(d), days(-3)), 10, False, False),
    ("the same hour, done", lambda d: d.meeting(jane(d), days(-3), status="done"), 0, False, False),
    ("the same hour, --also", lambda d: d.meeting(jane(d), days(-3)), 0, True, True),
    ("back to back", lambda d: d.meeting(jane(d), days(-3)), 30, False, True),
    ("cancelled", lambda d: d.meeting(jane(d), days(-3), status="cancelled"), 0, False, True),
]


@pytest.mark.parametrize(
    ("setup", "later", "also", "allowed"), [r[1:] for r in HELD], ids=[r[0] for r in HELD]
)
def test_r17_a_held_meeting_is_recorded_once(
    setup: Setup, later: int, also: bool, allowed: bool
) -> None:
    h = history(setup)
    start = days(-3) + timedelta(minutes=later)
    if allowed:
        timeline.check_held_once(h, start, 30, also)
    else:
        with pytest.raises(RuleBroken, match="already recorded at that time") as exc:
            timeline.check_held_once(h, start, 30, also)
        assert "--also" in (exc.value.hint or "") and "jane-doe" in str(exc.value)


def test_r17_done_on_moves_a_meeting_past_itself_but_not_onto_another() -> None:
    h = history(lambda d: (d.meeting(jane(d), days(-3)), d.meeting(jane(d), days(2))))
    first, second = (m.id for m in h.meetings)
    timeline.check_held_once(h, days(-3), 30, False, moving=first)  # only itself there
    with pytest.raises(RuleBroken, match="already recorded") as exc:
        timeline.check_held_once(h, days(-3), 30, False, moving=second)
    assert f"infoint cancel {second}" in (exc.value.hint or "")


# R18: a meeting with someone who never answered or said no asks first -----------------

CONSENT: list[tuple[str, Setup, bool, str | None]] = [
    ("prospect", lambda d: None, False, None),
    ("agreed", lambda d: (d.outreach(jane(d), days(-3)), d.reply(jane(d), days(-2))), False, None),
    (
        "declined",
        lambda d: (d.outreach(jane(d), days(-3)), d.reply(jane(d), days(-2), "declined")),
        False,
        "declined",
    ),
    (
        "declined, --force",
        lambda d: (d.outreach(jane(d), days(-3)), d.reply(jane(d), days(-2), "declined")),
        True,
        None,
    ),
    ("moved on", lambda d: d.outreach(jane(d), days(-20)), False, "moved on"),
    ("waiting, not yet moved on", lambda d: d.outreach(jane(d), days(-2)), False, None),
    ("moved on, --force", lambda d: d.outreach(jane(d), days(-20)), True, None),
]


@pytest.mark.parametrize(
    ("setup", "force", "expected"), [r[1:] for r in CONSENT], ids=[r[0] for r in CONSENT]
)
def test_r18_schedule_consent(setup: Setup, force: bool, expected: str | None) -> None:
    h = history(setup)
    if expected:
        with pytest.raises(timeline.NeedsYes, match=expected):
            timeline.check_schedule_consent(h, S, NOW, force)
    else:
        timeline.check_schedule_consent(h, S, NOW, force)


# through the command line -----------------------------------------------------------


def test_a_reply_before_the_outreach_is_refused(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("outreach", "jane-doe", *INTRO, "--sent", at(days=-2))
    out = run.refused("reply", "jane-doe", "--agreed", "--on", at(days=-20))
    assert "before your first message" in out.stderr


def test_a_reply_from_someone_never_written_to_is_warned_about(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("add-contact", "Jane Doe")
    run("outreach", "jane-doe", *INTRO)
    out = run("reply", "jane-doe-2", "--agreed")
    assert "Warning: There is no message from you to Jane Doe (jane-doe-2)" in out.stderr


def test_thank_before_the_meeting_and_twice_is_refused(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("outreach", "jane-doe", *INTRO, "--sent", at(days=-5))
    run("schedule", "jane-doe", at(days=2), "--phone")
    out = run.refused("thank", "jane-doe")
    assert "before your meeting" in out.stderr
    run.clock.advance(days=3)
    run("done", "1")
    run("thank", "jane-doe")
    out = run.refused("thank", "jane-doe")
    assert "already thanked" in out.stderr and "infoint touch jane-doe" in out.stderr


def test_touch_a_prospect_never_written_to_needs_force(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    out = run.refused("touch", "jane-doe")
    assert "never written to" in out.stderr
    out = run("touch", "jane-doe", "--force")
    assert "Warning:" in out.stderr
    assert run.json("show", "jane-doe")["timeline"][0]["kind"] == "touch"


def test_one_planned_meeting_per_person_unless_also(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("outreach", "jane-doe", *INTRO)
    run("schedule", "jane-doe", at(days=2), "--phone")
    out = run.refused("schedule", "jane-doe", at(days=3), "--phone")
    assert "Meeting 1 with Jane Doe is already planned" in out.stderr
    run("schedule", "jane-doe", at(days=3), "--phone", "--also")
    assert len(run.json("meetings")) == 2


def test_a_meeting_with_a_stranger_is_recorded_with_a_warning(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    out = run("schedule", "jane-doe", at(days=2), "--phone")
    assert "Warning: You have not written to or heard from Jane Doe (jane-doe)" in out.stderr


def test_meeting_someone_moved_on_asks_first(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    run("add-contact", "Jane Doe")
    run("outreach", "jane-doe", *INTRO, "--sent", at(days=-20))
    out = run.refused("schedule", "jane-doe", at(days=2), "--phone")
    assert "never answered" in out.stderr and "--force" in out.stderr
    run.interactive = True
    before = run.store_bytes()
    out = run("schedule", "jane-doe", at(days=2), "--phone", input="n\n", code=1)
    assert "Schedule the meeting all the same?" in out.stderr
    assert run.store_bytes() == before
    run("schedule", "jane-doe", at(days=2), "--phone", input="y\n")
    assert run.json("show", "jane-doe")["status"] == "scheduled"


def test_declined_with_meeting_is_a_pure_rule() -> None:
    from build import Doc, days
    from conftest import NOW
    from infoint import rules, timeline

    doc = Doc()
    ana = doc.contact("Ana Ruiz")
    doc.meeting(ana, days(1))
    history = rules.history_of(doc.doc, ana, NOW)
    assert timeline.declined_with_meeting(history, "agreed", NOW) is None
    assert "still planned" in (timeline.declined_with_meeting(history, "declined", NOW) or "")
    assert timeline.declined_with_meeting(history, "declined", days(3)) is None
