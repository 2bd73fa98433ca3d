"""Item 13 of issue 13 (R13): an outreach, a draft or a question that asks for a job is
flagged with its line; recording it needs --force. Good questions about work pass."""

from __future__ import annotations

import pytest

from conftest import INTRO, Runner
from infoint.drafts import check
from infoint.errors import RuleBroken
from infoint.jobask import check_not_a_job_request, job_asks
from infoint.records import ContactFields
from infoint.services import Tracker

ASKS_FOR_A_JOB = [
    "I'd love to be referred for a role at Acme",
    "Hoping to get referred for a job at Acme",
    "Ask whether you have an opening for me",
    "Do you have any openings on your team?",
    "Are you hiring?",
    "Is your team hiring designers this year?",
    "I have attached my résumé.",
    "Please find my CV attached.",
    "Would you consider me for a role at Acme?",
    "Could you refer me for the open position?",
    "I would love to join your team.",
    "I am looking for a job at your company.",
    "Could you hire me as a junior designer?",
    "Can you help me get a job in publishing?",
    "Could you pass my résumé along to your recruiter?",
    "Are there any open positions at Acme?",
    "I’d like to apply for a position with your firm.",
    "Would you put in a good word for me?",
    "Any internships available next summer?",
    "I hope to secure a position at your company.",
    "Could you give me a job?",
    "Is there a vacancy in your department?",
    "I'm interested in employment with your studio.",
    "I’m keen on joining your studio.",
]

INNOCENT = [
    "How did you get referred to your first job?",
    "How did you get your first job?",
    "Which skills do you hire juniors for?",
    "What do you look for when hiring designers?",
    "How did you get hired at Acme?",
    "What does a typical day in your position look like?",
    "Who else should I talk to?",
    "Could you refer me to someone else I should talk to?",
    "How did you land your current role?",
    "What is the job market like in publishing?",
    "I am not asking for a job, only for your advice.",
    "Your talk on hiring juniors changed how I work.",
    "How should I shape my résumé for a career switch?",
    "What roles exist between design and engineering?",
    "What do you wish you had known before your first position?",
    "Learn how you moved from academia to industry.",
    "What is it like to work at your company?",
    "How did your team grow from three people to thirty?",
    "I admire how you built the design team at Acme.",
    "Who hired you for your first design job?",
    "I don't expect a job; I want to learn how the field works.",
    "What would you want someone joining your team to know in their first month?",
]


@pytest.mark.parametrize("text", ASKS_FOR_A_JOB)
def test_asking_for_a_job_is_flagged(text: str) -> None:
    found = job_asks(text)
    assert found and found[0].line == 1, text


@pytest.mark.parametrize("text", INNOCENT)
def test_questions_about_work_pass(text: str) -> None:
    assert job_asks(text) == [], text


def test_the_table_is_big_enough_both_ways() -> None:
    assert len(ASKS_FOR_A_JOB) + len(INNOCENT) >= 30
    assert len(INNOCENT) >= 15 and len(ASKS_FOR_A_JOB) >= 15


def test_each_line_is_named() -> None:
    text = "Dear Jane,\n\nI admire your work.\nI have attached my CV for any openings.\nAlex"
    found = job_asks(text)
    assert [a.line for a in found] == [4]


def test_recording_needs_force() -> None:
    with pytest.raises(RuleBroken, match=r'--goal asks for a job \("any openings"\)'):
        check_not_a_job_request({"--goal": "Ask about any openings"}, force=False)
    warning = check_not_a_job_request({"--goal": "Ask about any openings"}, force=True)
    assert warning and "Recorded anyway (--force)" in warning
    assert check_not_a_job_request({"--goal": "Learn how you got started"}, False) is None


def test_the_draft_check_flags_the_line() -> None:
    text = (
        "Subject: Thirty minutes?\n\nDear Jane,\n\nI am a data analyst. I admire your work.\n"
        "I would like to learn how you moved into design. Would you have 20 minutes, at a "
        "time that suits you, or by phone?\nI have attached my resume in case you are hiring.\n"
    )
    problems = [(p.line, p.what) for p in check(text, "outreach", 170)]
    assert any(line == 7 and "asks for a job" in msg for line, msg in problems), problems


def test_an_outreach_asking_for_a_job_is_refused_then_forced(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    goal = "Ask whether you have an opening for me"
    args = ("outreach", "jane-doe", "--who-i-am", INTRO[1], "--why-you", INTRO[3], "--goal", goal)
    out = run.refused(*args)
    assert "--goal asks for a job" in out.stderr and "R13" in out.stderr
    out = run(*args, "--force")
    assert "Warning:" in out.stderr and "R13" in out.stderr


def test_a_question_asking_for_a_job_needs_force(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    out = run.refused("prep", "jane-doe", "--question", "Are you hiring?")
    assert "asks for a job" in out.stderr
    run("prep", "jane-doe", "--question", "How did you get your first job?")
    run("prep", "jane-doe", "--question", "Are you hiring?", "--force")


def test_a_drafted_message_asking_for_a_job_is_recorded_only_with_force(
    tracker: Tracker,
) -> None:
    tracker.config_set("me.intro", "I am a data analyst.")
    tracker.add_contact("Jane Doe", ContactFields(why="Your talk on design systems"))
    text = "Subject: Thirty minutes?\n\nDear Jane,\nMy CV is attached.\n"
    with pytest.raises(RuleBroken, match="line 4"):
        tracker.record_draft("jane-doe", "outreach", text, "Learn how you got started")
    result = tracker.record_draft("jane-doe", "outreach", text, "Learn", force=True)
    assert any("R13" in w for w in result.warnings)
    assert result.record[0].forced


def test_no_question_in_the_bank_asks_for_a_job(run: Runner) -> None:
    from infoint.questions import listed

    assert [q for _, q in listed() if job_asks(q)] == []
    assert "not to ask for a job (R13)" in run("questions").stderr
