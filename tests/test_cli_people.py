"""Contacts from the command line (cli/people.py): add, list, show, edit, not-now, archive."""

from __future__ import annotations

import pytest

from conftest import INTRO, LONG_PEOPLE, Clock, Runner, at, wide_screen


def test_contacts_limit_below_one_is_refused(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    out = run.refused("contacts", "--limit", "-1")
    assert "--limit takes 1 or more" in out.stderr and "No contact" not in out.stdout
    assert "jane-doe" in run("contacts", "--limit", "1").stdout


def test_edit_json_shows_the_record(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    record = run.json("edit", "jane-doe", "--prefers", "phone", "--location", "Berlin")
    assert record["prefers"] == "phone" and record["location"] == "Berlin"
    assert record["status"] == "prospect"


def test_archive_and_restore_say_so(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    assert run("archive", "jane-doe").stderr == "Archived Jane Doe.\n"
    assert run("archive", "jane-doe", "--restore").stderr == "Restored Jane Doe.\n"


def test_add_contact_asks_on_a_terminal(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    run.interactive = True
    # Role was given as an option, so it is not asked
    answers = "Jane Doe\nAcme\nPublishing\njane@acme.example\nHer talk on design systems.\n"
    out = run("add-contact", "--role", "Editor", input=answers)
    assert out.stdout.strip().endswith("jane-doe")
    record = run.json("show", "jane-doe")
    assert (record["company"], record["role"], record["industry"]) == (
        "Acme",
        "Editor",
        "Publishing",
    )
    assert record["email"] == "jane@acme.example" and record["why"] == "Her talk on design systems."


def test_add_contact_without_a_name_refuses_when_it_cannot_ask(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = run.refused("add-contact")
    assert "needs a NAME" in out.stderr
    run.interactive = True
    assert "needs a NAME" in run.refused("add-contact", "--no-input").stderr


def test_an_asked_e_mail_is_checked_like_a_typed_one(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    run.interactive = True
    out = run("add-contact", input="Eve\n\n\n\nnot-an-email\n\n", code=1)
    assert "not-an-email" in out.stderr
    assert run.json("contacts") == []


def test_a_restored_contact_does_not_bring_back_the_move_on(run: Runner, clock: Clock) -> None:
    run("add-contact", "Sam Lee")
    run("outreach", "sam-lee", *INTRO, "--sent", at(days=-20))
    assert [f["kind"] for f in run.json("followups")] == ["move_on"]
    run("archive", "sam-lee")
    clock.advance(days=2)
    run("archive", "sam-lee", "--restore")
    assert run.json("followups") == []
    assert run.json("show", "sam-lee")["status"] == "moved_on"
    assert run.json("stats")["moved_on"] == 1
    clock.advance(days=30)
    assert run.json("followups") == []
    # writing again starts a new wait, which can move on again
    run("outreach", "sam-lee", *INTRO, "--force")
    clock.advance(days=15)
    assert [f["kind"] for f in run.json("followups")] == ["move_on"]


def test_undoing_the_archive_brings_the_wait_back(run: Runner) -> None:
    run("add-contact", "Sam Lee")
    run("outreach", "sam-lee", *INTRO, "--sent", at(days=-20))
    out = run("archive", "sam-lee")
    assert "Archived Sam Lee" in out.stderr
    assert "archived, let go (not-now)" in run.json("history")[0]["what"]
    run("undo", "--yes")
    assert [f["kind"] for f in run.json("followups")] == ["move_on"]


@pytest.mark.parametrize("width", [50, 80, 120])
def test_contacts_with_long_handles_keep_name_and_status(run: Runner, width: int) -> None:
    from infoint.layout import cell_len

    for name, company in LONG_PEOPLE:
        run("add-contact", name, "--company", company, "--role", "Head of Passenger Experience")
    run("outreach", "priya-patel", *INTRO)
    lines = wide_screen(run, width, "contacts")
    assert all(cell_len(line) <= width for line in lines)
    for handle in ("maximilian-oppenheimer-schwarzenberg-von", "bartholomew-featherstonehaugh"):
        assert any(handle in line for line in lines)  # whole, on one line
    text = " ".join(" ".join(lines).split())
    assert "Priya Patel" in text and "contacted" in text and text.count("prospect") == 2
    assert "Maximilian" in text and "Hohenzollern" in text


def test_a_stacked_contact_reads_as_a_block(run: Runner) -> None:
    run("add-contact", LONG_PEOPLE[0][0], "--company", "DB", "--tag", "rail")
    assert wide_screen(run, 50, "contacts") == [
        "maximilian-oppenheimer-schwarzenberg-von",
        "    Maximilian Oppenheimer-Schwarzenberg von",
        "    Hohenzollern · prospect · ID 1 · company DB ·",
        "    tags rail",
        "1 contact",
    ]


def test_the_timeline_keeps_its_texts_in_one_column_and_a_subject_once(
    waiting: Runner, clock: Clock
) -> None:
    waiting("draft", "jo-ma", "--kind", "nudge", "--no-edit", "--record")
    lines = [row for row in waiting("show", "jo-ma").stdout.splitlines() if "You wrote" in row]
    assert lines == [
        "  Wed 18 Nov 2026 09:00  You wrote (email): Learn which skills matter most for a first "
        "design role.",
        "  Thu 26 Nov 2026 09:00  You wrote (email): Re: Thirty minutes of your time? — Dear Jo, …",
    ]
    clock.advance(days=10)
    waiting("add-contact", "Al Bo")
    waiting("outreach", "al-bo", *INTRO, "--sent", at(days=-2))
    waiting("reply", "al-bo", "--agreed")
    stamps = [row[:25] for row in waiting("show", "al-bo").stdout.splitlines()[-2:]]
    assert stamps == ["  Tue 24 Nov 2026 09:00  ", "  Sun 6 Dec 2026 09:00   "]


def test_edit_echoes_what_it_changed_and_refuses_a_no_op(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("add-contact", "Jo Wu")
    out = run("edit", "jane-doe", "--referred-by", "jo-wu", "--company", "Acme", "--tag", "a")
    assert (
        "Updated Jane Doe (jane-doe): company to Acme, referrer to Jo Wu, add tag a." in out.stderr
    )
    out = run.refused("edit", "jane-doe", "--company", "Acme")
    assert "Nothing changed: Jane Doe already has that." in out.stderr
    out = run.refused("edit", "jane-doe", "--name", " ")
    assert 'Hint: For example: infoint edit jane-doe --name "Jane Doe"' in out.stderr
    run("edit", "jane-doe", "--company", "", "--untag", "a", "--handle", "jane")
    out = run("undo", "--yes")
    assert "change Jane Doe: handle back to jane-doe, company back to Acme, add tag a" in out.stderr


def test_a_name_typed_for_a_handle_lists_every_namesake(run: Runner) -> None:
    for company in ("A", "B", "C"):
        run("add-contact", "Jane Doe", "--company", company)
    out = run.refused("show", "Jane Doe")
    assert "Hint: Did you mean jane-doe, jane-doe-2 or jane-doe-3?" in out.stderr
    assert "Hint: Did you mean jane-doe?" in run.refused("show", "jane-do").stderr


def test_a_thank_you_on_the_minute_of_the_meeting_follows_it(met: Runner) -> None:
    met("thank", "jo-ma", "--on", at(hours=-2))  # the meeting's own start, two hours ago
    lines = met("show", "jo-ma").stdout.splitlines()
    meeting = next(n for n, row in enumerate(lines) if "Meeting 1" in row)
    thanks = next(n for n, row in enumerate(lines) if "You thanked them" in row)
    assert meeting < thanks


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (("--email", "JANE@acme.example"), "the same e-mail (jane@acme.example)"),
        (("--linkedin", "linkedin.com/in/jane-doe/"), "the same LinkedIn profile"),
        (("--company", "Acme Inc."), "the same name and company (Acme)"),
    ],
)
def test_edit_to_someone_already_here_is_refused_like_add_contact(
    run: Runner, change: tuple[str, str], why: str
) -> None:
    run("add-contact", "Jane Doe", "--company", "Acme", "--email", "jane@acme.example",
        "--linkedin", "https://www.linkedin.com/in/jane-doe")  # fmt: skip
    run("add-contact", "Jane Doe", "--company", "Beta")
    refused = run.refused("edit", "jane-doe-2", *change)
    assert f"Jane Doe is already here as jane-doe, with {why}." in refused.stderr
    assert "infoint show jane-doe" in refused.stderr and "--force" in refused.stderr
    run("edit", "jane-doe", "--email", "JANE@ACME.EXAMPLE")  # their own e-mail, in capitals
    forced = run("edit", "jane-doe-2", *change, "--force")
    assert "Changed anyway (--force)" in forced.stderr and "Updated Jane Doe" in forced.stderr


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


def test_a_chinese_name_gets_a_readable_handle(run: Runner) -> None:
    assert run("add-contact", "李小龙").stdout == "li-xiao-long\n"


def test_the_same_email_twice_is_refused_naming_the_handle(run: Runner) -> None:
    run("add-contact", "Jane Doe", "--email", "jane@example.com")
    out = run.refused("add-contact", "Jane D.", "--email", "JANE@example.com")
    assert "already here as jane-doe" in out.stderr and "infoint show jane-doe" in out.stderr
    out = run("add-contact", "Jane D.", "--email", "JANE@example.com", "--force")
    assert out.stdout == "jane-d\n" and "Warning:" in out.stderr
    run("add-contact", "Jane Doe")  # a namesake with nothing in common is someone else
    assert [c["handle"] for c in run.json("contacts")] == ["jane-doe", "jane-d", "jane-doe-2"]


def test_edit_handle_renames(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("add-contact", "Bo Chen")
    out = run("edit", "jane-doe", "--handle", "jane-acme")
    assert "(jane-acme)" in out.stderr
    assert run.json("show", "jane-acme")["name"] == "Jane Doe"
    run.refused("show", "jane-doe")
    out = run.refused("edit", "jane-acme", "--handle", "bo-chen")
    assert "taken" in out.stderr
    run.refused("edit", "jane-acme", "--handle", "Jane Acme!")


def test_edit_without_an_option_changes_nothing(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    out = run.refused("edit", "jane-doe")
    assert "Nothing to change" in out.stderr and "Updated" not in out.stderr


def test_a_linkedin_that_is_not_a_profile_is_refused(run: Runner) -> None:
    out = run.refused("add-contact", "Jane Doe", "--linkedin", "hello")
    assert "not a LinkedIn profile" in out.stderr
    run("add-contact", "Jane Doe", "--linkedin", "https://www.linkedin.com/in/jane-doe")


def test_two_jane_does_are_told_apart_in_every_list(run: Runner) -> None:
    from conftest import INTRO, at

    run("add-contact", "Jane Doe", "--company", "Acme")
    run("add-contact", "Jane Doe", "--company", "Globex")
    run("add-contact", "Bo Chen")
    for handle in ("jane-doe", "jane-doe-2", "bo-chen"):
        run("outreach", handle, *INTRO, "--sent", at(days=-3))
    run("reply", "jane-doe-2", "--agreed")
    run("schedule", "jane-doe", at(days=1), "--phone")
    meetings = run("meetings").stdout
    assert "Jane Doe (jane-doe)" in meetings
    agenda = run("agenda", "--days", "2").stdout
    assert "Jane Doe (jane-doe)" in agenda
    followups = run("followups").stdout
    assert "Jane Doe (jane-doe-2)" in followups and "Bo Chen (" not in followups
    history = run("history").stdout
    assert "Jane Doe (jane-doe-2)" in history
