"""Item 9 of issue 13: handles from any script, capped; renaming a handle; the same
person refused twice; two people with one name told apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from build import Doc
from conftest import Runner
from infoint.errors import BadInput, RuleBroken
from infoint.identity import check_not_a_duplicate, same_person, shown_names
from infoint.records import HANDLE_MAX, check_handle, make_handle, slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("李小龙", "li-xiao-long"),
        ("山田 太郎", "shan-tian-tai-lang"),
        ("김민수", "gim-min-su"),
        ("Владимир Набоков", "vladimir-nabokov"),
        ("Ελένη Παπαδάκη", "eleni-papadaki"),
        ("Nguyễn Văn An", "nguyen-van-an"),
        ("José 🙂", "jose"),
        ("🙂", ""),
    ],
)
def test_handles_are_transliterated_from_any_script(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_a_long_name_makes_a_capped_handle_cut_between_words() -> None:
    long_name = " ".join(["Bartholomew"] * 40)
    handle = make_handle(long_name, set(), 3)
    assert len(handle) <= HANDLE_MAX and not handle.endswith("-")
    assert handle == "-".join(["bartholomew"] * 3)
    assert len(make_handle("x" * 400, set(), 3)) == HANDLE_MAX


@pytest.mark.parametrize(
    ("wanted", "taken", "result"),
    [
        ("jane", set(), "jane"),
        ("  Jane-D ", set(), "jane-d"),
        ("jane", {"jane"}, "taken"),
        ("jane doe", set(), "cannot be a handle"),
        ("42", set(), "cannot be a handle"),
        ("-jane", set(), "cannot be a handle"),
        ("a" * 41, set(), "at most 40"),
    ],
)
def test_check_handle(wanted: str, taken: set[str], result: str) -> None:
    if result in ("jane", "jane-d"):
        assert check_handle(wanted, taken) == result
    else:
        with pytest.raises(BadInput, match=result):
            check_handle(wanted, taken)


def test_same_person() -> None:
    doc = Doc()
    jane = doc.contact(
        "Jane Doe",
        email="Jane@Example.com",
        linkedin="https://www.linkedin.com/in/jane-doe/",
        company="Acme",
    )
    people = doc.doc.contacts
    assert same_person(people, "J. Doe", "jane@example.COM", None, None) == (
        jane,
        "the same e-mail (Jane@Example.com)",
    )
    found = same_person(people, "Janet", None, "linkedin.com/in/Jane-Doe", None)
    assert found and found[1] == "the same LinkedIn profile"
    found = same_person(people, "jane  doe", None, None, "ACME")
    assert found and "name and company" in found[1]
    assert same_person(people, "Jane Doe", None, None, None) is None  # no company: two people
    assert same_person(people, "Jane Doe", None, None, "Other") is None
    with pytest.raises(RuleBroken, match="already here as jane-doe"):
        check_not_a_duplicate(people, "Jane Doe", "jane@example.com", None, None, False)
    assert "--force" in (
        check_not_a_duplicate(people, "Jane Doe", "jane@example.com", None, None, True) or ""
    )


def test_shown_names_add_the_handle_only_when_names_clash() -> None:
    doc = Doc()
    a = doc.contact("Jane Doe")
    b = doc.contact("Jane Doe", handle="jane-doe-2")
    c = doc.contact("Bo Chen")
    names = shown_names(doc.doc.contacts)
    assert names[a.uuid] == "Jane Doe (jane-doe)"
    assert names[b.uuid] == "Jane Doe (jane-doe-2)"
    assert names[c.uuid] == "Bo Chen"


# through the command line -----------------------------------------------------------


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


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Acme", "Acme Inc.", True),
        ("Acme Corp", "ACME, Inc", True),
        ("Fjord Studio GmbH", "fjord studio", True),
        ("Acme", "Acme Publishing", False),
        ("Co", "Co", True),  # a legal form alone stays a name
    ],
)
def test_company_key(a: str, b: str, same: bool) -> None:
    from infoint.identity import company_key

    assert (company_key(a) == company_key(b)) is same


def test_an_import_merges_into_someone_added_by_hand(run: Runner, tmp_path: Path) -> None:
    run("add-contact", "Jane Doe", "--company", "Acme")
    export = tmp_path / "Connections.csv"
    export.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Jane,Doe,https://www.linkedin.com/in/jd,,Acme Inc,Editor,01 Jan 2025\n"
    )
    run("import", "linkedin", str(export))
    (jane,) = run.json("contacts")
    assert (jane["handle"], jane["role"]) == ("jane-doe", "Editor")
