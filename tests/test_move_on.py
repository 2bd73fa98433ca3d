"""Item 6 of issue 13: a move_on follow-up can be resolved (not-now or archive), then it
is gone, and stats count the contact as moved on."""

from __future__ import annotations

from build import Doc, days
from conftest import INTRO, NOW, Runner, at
from infoint import rules
from infoint.models import Settings

S = Settings()


def move_on_items(doc: Doc, as_of=NOW):  # type: ignore[no-untyped-def]
    return [f.kind for f in rules.followups(doc.doc, S, as_of) if f.kind == "move_on"]


def test_let_go_closes_the_wait_it_let_go_of_and_no_later_one() -> None:
    doc = Doc()
    sam = doc.contact("Sam Lee")
    doc.outreach(sam, days(-30))
    assert move_on_items(doc) == ["move_on"]
    sam.let_go_at = days(-1)
    assert move_on_items(doc) == []
    assert move_on_items(doc, days(-2)) == ["move_on"]  # as of before it was let go
    doc.outreach(sam, days(0))  # writing again starts a new wait
    assert move_on_items(doc, days(20)) == ["move_on"]


def test_the_move_on_follow_up_offers_a_command_that_resolves_it(run: Runner) -> None:
    run("add-contact", "Sam Lee", "--industry", "Publishing")
    run("add-contact", "Ana Ruiz", "--industry", "Publishing")
    run("outreach", "sam-lee", *INTRO, "--sent", at(days=-20))
    item = next(f for f in run.json("followups") if f["kind"] == "move_on")
    assert "infoint not-now sam-lee" in run("followups").stdout
    assert "1 person in Publishing not yet contacted" in item["message"]
    out = run("not-now", "sam-lee")
    assert "Let Sam Lee go" in out.stderr
    assert [f for f in run.json("followups") if f["kind"] == "move_on"] == []
    assert run.json("show", "sam-lee")["status"] == "moved_on"
    assert run.json("stats")["moved_on"] == 1
    assert "moved on" in run("stats").stdout
    run.refused("not-now", "sam-lee")
    run.refused("not-now", "ana-ruiz")  # never written to: nothing to let go


def test_archive_resolves_it_too(run: Runner) -> None:
    run("add-contact", "Sam Lee")
    run("outreach", "sam-lee", *INTRO, "--sent", at(days=-20))
    run("archive", "sam-lee")
    assert run.json("followups") == []
