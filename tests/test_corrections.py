"""Item 5 of issue 13: a meeting can be corrected (meeting edit, reschedule with a
place), within the rules; undo asks before it reaches past the last command."""

from __future__ import annotations

import pytest

from build import Doc, days
from conftest import INTRO, Runner, at
from infoint.corrections import Outcome, Place, apply_outcome, check_editable, new_place
from infoint.errors import BadInput, RuleBroken

PLACES = [
    # (mode, place, venue) before, the change, the result or the error
    (("phone", None, None), Place("in_person", "Blue Bottle", "cafe"),
     ("in_person", "Blue Bottle", "cafe")),
    (("in_person", "Blue Bottle", "cafe"), Place("video"), ("video", None, None)),
    (("in_person", "Blue Bottle", "cafe"), Place(venue="bar"), ("in_person", "Blue Bottle", "bar")),
    (("in_person", "Bar A", "cafe"), Place(place="Tartine"), ("in_person", "Tartine", None)),
    (("in_person", "Bar A", "bar"), Place(place="Office", venue="office"),
     ("in_person", "Office", "office")),
    (("phone", None, None), Place(venue="cafe"), "goes with an in-person"),
    (("phone", None, None), Place("in_person", "  "), "needs a place"),
    (("phone", None, None), Place("video", venue="cafe"), "goes with an in-person"),
]  # fmt: skip


@pytest.mark.parametrize(("before", "change", "expected"), PLACES)
def test_new_place(before: tuple, change: Place, expected: object) -> None:  # type: ignore[type-arg]
    doc = Doc()
    mode, place, venue = before
    meeting = doc.meeting(doc.contact(), days(2), mode=mode, place=place, venue=venue)
    if isinstance(expected, str):
        with pytest.raises(BadInput, match=expected):
            new_place(meeting, change)
    else:
        assert new_place(meeting, change) == expected


def test_only_a_done_meeting_takes_advice_and_a_cancelled_one_nothing() -> None:
    doc = Doc()
    jane = doc.contact(questions=["Q1", "Q2"])
    planned = doc.meeting(jane, days(2))
    with pytest.raises(RuleBroken, match="not marked done"):
        check_editable(planned, Outcome(advice=["x"]))
    check_editable(planned, Outcome())  # a place change is fine
    cancelled = doc.meeting(jane, days(3), status="cancelled")
    with pytest.raises(RuleBroken, match="cancelled"):
        check_editable(cancelled, Outcome())
    done = doc.meeting(jane, days(-2), status="done", advice=["a"])
    apply_outcome(done, jane, Outcome(advice=["a", "b"], answered=[2], keep_in_touch=True))
    assert (done.advice, done.answered, done.keep_in_touch) == (["a", "b"], ["Q2"], True)
    with pytest.raises(BadInput, match="no question 3"):
        apply_outcome(done, jane, Outcome(answered=[3]))


def _met(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("outreach", "jane-doe", *INTRO, "--sent", at(days=-5))
    run("schedule", "jane-doe", at(days=-1), "--phone", "--held")
    run("done", "1", "--advice", "Build a portfolio")


def test_a_done_meeting_is_corrected_with_meeting_edit(run: Runner) -> None:
    _met(run)
    out = run.refused("done", "1", "--advice", "more")
    assert "infoint meeting edit 1" in out.stderr
    out = run(
        "meeting", "edit", "1", "--advice", "Learn SQL", "--at", "Blue Bottle", "--venue", "cafe",
        "--paid", "7.50", "--keep-in-touch",
    )  # fmt: skip
    assert "Corrected meeting 1" in out.stderr and "you pay" in out.stderr
    meeting = run.json("show", "jane-doe")["meetings"][0]
    assert meeting["advice"] == ["Build a portfolio", "Learn SQL"]
    assert (meeting["mode"], meeting["place"], meeting["venue"]) == (
        "in_person",
        "Blue Bottle",
        "cafe",
    )
    assert run.json("show", "jane-doe")["status"] == "mentor"
    run.refused("meeting", "edit", "1", "--video", "--venue", "bar")
    run.refused("meeting", "edit", "1", "--paid", "1e9")
    assert "Nothing to change" in run.refused("meeting", "edit", "1").stderr
    run.refused("meeting", "edit", "9", "--notes", "x")


def test_reschedule_changes_place_and_mode(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("outreach", "jane-doe", *INTRO)
    run("schedule", "jane-doe", at(days=2), "--phone")
    out = run("reschedule", "1", at(days=3), "--at", "Blue Bottle", "--venue", "cafe")
    assert "in person at Blue Bottle (cafe: you pay)" in out.stderr
    run.refused("reschedule", "1", at(days=3), "--phone", "--video")
    run("reschedule", "1", at(days=4), "--video")
    assert run.json("meetings")[0]["mode"] == "video"


def test_undo_asks_before_reaching_past_the_last_command(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("add-contact", "Jane Doe")
    run("add-contact", "Bo Chen")
    run("undo", "--yes")  # takes back Bo Chen: the last command
    out = run.refused("undo", "--yes")
    assert "older change" in out.stderr and "remove contact Jane Doe" in out.stderr
    run.interactive = True
    out = run("undo", "--yes", input="n\n")  # on a terminal it asks, --yes or not
    assert "The last command was undo" in out.stderr and "Nothing was undone" in out.stderr
    assert [c["handle"] for c in run.json("contacts")] == ["jane-doe"]
    run("undo", input="y\n")
    assert run.json("contacts") == []
