"""Writing from the command line (cli/writing.py): drafts that are recorded."""

from __future__ import annotations

from conftest import Clock, Runner, outreaches


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


def test_a_recorded_draft_is_named_in_words(met: Runner) -> None:
    met("config", "me.name", "Alex Kim")
    out = met("draft", "jo-ma", "--kind", "thank-you", "--no-edit", "--record", "--force")
    assert "Recorded the thank-you to Jo Ma, with its text." in out.stderr
