"""Item 12 of issue 13: drafts and briefs in words that fit."""

from __future__ import annotations

import pytest

from build import Doc, days
from conftest import INTRO, Runner, at
from infoint import wording
from infoint.models import Settings
from infoint.wording import admire, brief_reminders


@pytest.mark.parametrize(
    ("why", "sentence"),
    [
        ("Her talk on design systems", "I admire your talk on design systems."),
        ("His book on hiring.", "I admire your book on hiring."),
        ("Built Acme's design team", "I admire how you built Acme's design team."),
        ("Switched from academia.", "I admire how you switched from academia."),
        ("Led the 2024 redesign", "I admire how you led the 2024 redesign."),
        ("design systems at Acme", "I admire your work on design systems at Acme."),
        ("A career changer too.", "What I admire: a career changer too."),
        ("  ", ""),
    ],
)  # fmt: skip
def test_why_becomes_a_sentence_without_a_colon_and_a_capital(why: str, sentence: str) -> None:
    assert admire(why) == sentence


@pytest.mark.parametrize(
    ("mode", "dress", "first"),
    [("in_person", True, "Dress professionally"), ("phone", False, "Find a quiet place"),
     ("video", False, "Check your camera and sound")],
)  # fmt: skip
def test_dressing_up_is_for_meeting_in_person(mode: str, dress: bool, first: str) -> None:
    doc = Doc()
    place = "Blue Bottle" if mode == "in_person" else None
    meeting = doc.meeting(doc.contact(), days(2), mode=mode, place=place)
    reminders = brief_reminders(meeting, Settings())
    assert reminders[0] == first
    assert any("professionally" in r for r in reminders) is dress
    assert "you are there to learn, not to ask for a job" in reminders  # R13


def test_the_brief_of_a_phone_call_says_nothing_of_dress(run: Runner) -> None:
    run("add-contact", "Jane Doe", "--why", "Her talk on design systems")
    run("outreach", "jane-doe", *INTRO)
    run("schedule", "jane-doe", at(days=2), "--phone")
    brief = run("prep", "jane-doe").stdout
    assert "Dress" not in brief and "call on time" in brief


def test_the_outreach_draft_reads_well(run: Runner) -> None:
    run("config", "me.intro", "I am a data analyst.")
    run("add-contact", "Jane Doe", "--why", "Her talk on design systems")
    text = run("draft", "jane-doe", "--goal", "Learn how you started", "--no-edit").stdout
    assert "I admire your talk on design systems." in text and "work: Her" not in text


def test_an_introduction_without_a_full_stop_does_not_run_on(run: Runner) -> None:
    run("config", "me.intro", "I'm a data analyst moving into design ")
    run("add-contact", "Bo Chen")
    run(
        "add-contact", "Jane Doe", "--why", "Her talk on design systems", "--referred-by", "bo-chen"
    )
    text = run("draft", "jane-doe", "--goal", "Learn how you started", "--no-edit").stdout
    assert "I'm a data analyst moving into design. Bo Chen suggested I write to you." in text


@pytest.mark.parametrize(
    ("intro", "shown"),
    [
        ("I am a data analyst", "I am a data analyst."),
        ("I am a data analyst.", "I am a data analyst."),
        ("Am I a fit?", "Am I a fit?"),
        ("  I design   maps ", "I design maps."),
        ("", ""),
    ],
)
def test_an_introduction_is_a_sentence(intro: str, shown: str) -> None:
    assert wording.sentence(intro) == shown


def test_a_nudge_is_drafted_only_after_a_written_message_and_if_allowed(run: Runner) -> None:
    run("config", "me.intro", "I am a data analyst.")
    run("add-contact", "Jane Doe", "--why", "Her talk on design systems")
    out = run.refused("draft", "jane-doe", "--kind", "nudge", "--no-edit")
    assert "no message to Jane Doe" in out.stderr
    run("outreach", "jane-doe", *INTRO, "--channel", "phone", "--sent", at(days=-8))
    out = run.refused("draft", "jane-doe", "--kind", "nudge", "--no-edit")
    assert "max_nudges is 0" in out.stderr and "infoint config max_nudges 1" in out.stderr
    run("config", "max_nudges", "1")
    out = run.refused("draft", "jane-doe", "--kind", "nudge", "--no-edit")
    assert "was a phone call" in out.stderr
    run("add-contact", "Bo Chen")
    run("outreach", "bo-chen", *INTRO, "--sent", at(days=-8))
    assert "gentle nudge" in run("draft", "bo-chen", "--kind", "nudge", "--no-edit").stdout
