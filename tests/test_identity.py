"""Who is who (identity.py): the same person added twice, two people shown under one name,
companies compared without their legal form."""

from __future__ import annotations

import pytest

from build import Doc
from infoint.errors import RuleBroken
from infoint.identity import check_not_a_duplicate, same_person, shown_names


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
