"""What a hostile review of issue 13 still found wrong, each pinned where a user sees it:
on the screen, in the exit code, or on disk."""

from __future__ import annotations

import pytest

from conftest import INTRO, Clock, Runner, at

# 1. a drafted nudge keeps R2 ------------------------------------------------------------


@pytest.fixture
def waiting(run: Runner) -> Runner:
    """Jo was written to 8 days ago; one nudge is allowed."""
    run("config", "me.intro", "I am a data analyst moving into product design.")
    run("config", "me.name", "Alex Kim")
    run("config", "max_nudges", "1")
    run("add-contact", "Jo Ma", "--email", "jo@example.com", "--why", "Her talk on maps")
    run("outreach", "jo-ma", *INTRO, "--sent", at(days=-8))
    return run


def outreaches(run: Runner) -> list[dict[str, object]]:
    shown = run.json("show", "jo-ma")
    return [e for e in shown["timeline"] if e["kind"] == "outreach"]


def test_a_nudge_past_max_nudges_is_refused_without_force(waiting: Runner, clock: Clock) -> None:
    out = waiting("draft", "jo-ma", "--kind", "nudge", "--no-edit", "--record")
    assert "Recorded the nudge to Jo Ma" in out.stderr and "Warning" not in out.stderr
    assert [e["forced"] for e in outreaches(waiting)] == [False, False]
    clock.advance(days=1)
    refused = waiting.refused("draft", "jo-ma", "--kind", "nudge", "--no-edit", "--record")
    assert "waiting for a reply" in refused.stderr
    assert "You have used your 1 nudge" in refused.stderr
    assert len(outreaches(waiting)) == 2
    forced = waiting("draft", "jo-ma", "--kind", "nudge", "--no-edit", "--record", "--force")
    assert "Recorded anyway (--force)" in forced.stderr
    assert [e["forced"] for e in outreaches(waiting)] == [False, False, True]


def test_a_nudge_too_early_is_refused_and_nothing_is_handed_off(
    waiting: Runner, clock: Clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    clock.advance(days=-2)  # 6 days after the message: a nudge is allowed from day 7
    eml = tmp_path / "nudge.eml"
    out = waiting.refused(
        "draft", "jo-ma", "--kind", "nudge", "--no-edit", "--record", "--eml", str(eml)
    )
    assert "A nudge is allowed from" in out.stderr
    assert not eml.exists()
