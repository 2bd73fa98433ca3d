"""Item 10 of issue 13: small wrong answers, each now a right one."""

from __future__ import annotations

import os

import pytest

from conftest import INTRO, Runner, at


def test_history_n_0_is_refused_not_an_empty_history(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    out = run.refused("history", "-n", "0")
    assert "--limit takes 1 or more" in out.stderr
    assert "add-contact" in run("history", "-n", "1").stdout


def test_contacts_limit_below_one_is_refused(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    out = run.refused("contacts", "--limit", "-1")
    assert "--limit takes 1 or more" in out.stderr and "No contact" not in out.stdout
    assert "jane-doe" in run("contacts", "--limit", "1").stdout


def test_upcoming_and_past_together_are_refused(run: Runner) -> None:
    out = run.refused("meetings", "--upcoming", "--past")
    assert "exclude each other" in out.stderr


def test_doctor_exits_1_when_it_finds_a_problem(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    assert run("doctor").exit_code == 0
    os.chmod(run.home, 0o755)  # readable by others: a warning
    out = run("doctor", code=1)
    assert "chmod 700" in out.stdout


@pytest.mark.parametrize("amount", ["1e9", "nan", "inf", "-3", "12.555", "50000"])
def test_paid_takes_a_bill_not_anything_float_reads(run: Runner, amount: str) -> None:
    run("add-contact", "Jane Doe")
    run("outreach", "jane-doe", *INTRO, "--sent", at(days=-3))
    run("schedule", "jane-doe", at(days=-1), "--phone", "--held")
    out = run.refused("done", "1", "--paid", amount)
    assert "--paid" in out.stderr


def test_paid_as_people_write_it(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("outreach", "jane-doe", *INTRO, "--sent", at(days=-3))
    run("schedule", "jane-doe", at(days=-1), "--at", "Cafe Rio", "--held")
    run("done", "1", "--paid", "€7,50")
    assert run.json("show", "jane-doe")["meetings"][0]["status"] == "done"
