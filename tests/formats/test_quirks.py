"""What real files do that the samples did not: Excel's `sep=;` line, a column named
twice, e-mails written with a display name or `mailto:`, group cards, a soft line
break just before END:VCARD, a card that never says END, one address twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Runner
from infoint.formats.common import emails_of
from infoint.services import Tracker


def contacts(tracker: Tracker) -> list[tuple[str, str | None, str | None]]:
    return [(c.name, c.email, c.notes) for c in tracker.read().contacts]


def test_excels_sep_line_names_the_delimiter(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(
        "sep=;\r\nName;Email;Company\r\nJosé Núñez;jose@example.es;A, B y C\r\n".encode("cp1252")
    )
    outcomes = tracker.import_file("csv", path)
    assert [(o.line, o.result) for o in outcomes] == [(3, "new")]
    assert outcomes.notices[0] == "Read people.csv as Windows-1252 text, semicolon-separated."
    (jose,) = tracker.read().contacts
    assert (jose.name, jose.email, jose.company) == ("José Núñez", "jose@example.es", "A, B y C")


def test_a_sep_line_in_a_linkedin_file_resaved_by_excel(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(
        "sep=,\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ada,Lovelace,,ada@example.com,Engines,Analyst,01 Jan 2024\n"
    )
    tracker.import_file("linkedin", path)
    assert contacts(tracker) == [("Ada Lovelace", "ada@example.com", None)]


def test_a_column_named_twice_keeps_the_filled_one(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Name,Email,Email\nAda Lovelace,ada@example.com,\nBo Chen,,bo@example.com\n")
    tracker.import_file("csv", path)
    assert contacts(tracker) == [
        ("Ada Lovelace", "ada@example.com", None),
        ("Bo Chen", "bo@example.com", None),
    ]


@pytest.mark.parametrize(
    ("cell", "emails"),
    [
        ("ada@example.com", ["ada@example.com"]),
        ("Ada Lovelace <ada@example.com>", ["ada@example.com"]),
        (
            '"Lovelace, Ada" <ada@example.com>; bo@example.com',
            ["ada@example.com", "bo@example.com"],
        ),
        ("mailto:ada@example.com", ["ada@example.com"]),
        ("MAILTO:ada@example.com bo@example.com", ["ada@example.com", "bo@example.com"]),
        ("not an address", ["not", "an", "address"]),
        ("", []),
    ],
)
def test_the_addresses_in_a_cell(cell: str, emails: list[str]) -> None:
    assert emails_of(cell) == emails


def test_display_names_and_mailto_come_in_as_addresses(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        'Name,Email\nAda Lovelace,"Ada Lovelace <ada@example.com>"\nBo,mailto:bo@example.com\n'
    )
    out = run("import", "csv", str(path))
    assert "not an e-mail" not in out.stderr
    assert [c["email"] for c in run.json("contacts")] == ["ada@example.com", "bo@example.com"]


def card(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD", ""])


def test_a_vcard_uri_email_and_one_address_twice(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "c.vcf"
    path.write_text(
        card("FN:Ada Lovelace", "EMAIL;VALUE=uri:mailto:ada@example.com", "EMAIL:ADA@example.com",
             "EMAIL:ada.l@example.org")
    )  # fmt: skip
    (outcome,) = tracker.import_file("vcard", path)
    assert outcome.reason == ""
    assert contacts(tracker) == [
        ("Ada Lovelace", "ada@example.com", "Other e-mail: ada.l@example.org")
    ]


def test_group_cards_are_not_people(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "c.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Mentors\r\nMEMBER:urn:uuid:1\r\nEND:VCARD\r\n"
        + card("X-ADDRESSBOOKSERVER-KIND:group", "N:Family", "FN:Family")
        + card("FN:Ada Lovelace")
    )
    out = run("import", "vcard", str(path))
    assert "Line 1 Mentors: skipped (a group of contacts (Mentors), not a person)." in out.stderr
    assert "Line 7 Family: skipped (a group of contacts (Family), not a person)." in out.stderr
    assert [c["name"] for c in run.json("contacts")] == ["Ada Lovelace"]


def test_a_soft_break_just_before_end_does_not_swallow_the_end(
    tracker: Tracker, tmp_path: Path
) -> None:
    path = tmp_path / "c.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;Jane\r\nNOTE;ENCODING=QUOTED-PRINTABLE:Caf=C3=A9=\r\n"
        "END:VCARD\r\n" + card("N:Roe;Rick")
    )
    tracker.import_file("vcard", path)
    assert contacts(tracker) == [("Jane Doe", None, "Café"), ("Rick Roe", None, None)]


def test_a_card_without_end_before_the_next_still_comes_in(
    tracker: Tracker, tmp_path: Path
) -> None:
    path = tmp_path / "c.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Doe\r\n" + card("FN:Rick Roe"))
    outcomes = tracker.import_file("vcard", path)
    assert [o.result for o in outcomes] == ["new", "new"]
    assert [c.name for c in tracker.read().contacts] == ["Jane Doe", "Rick Roe"]


def test_an_early_linkedin_layout_with_current_company(tracker: Tracker, tmp_path: Path) -> None:
    """Connections.csv before "Connected On": `Current Company`, `Current Position`."""
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name,Last Name,Email Address,Current Company,Current Position\n"
        "Ada,Lovelace,ada@example.com,Analytical Engines,Analyst\n"
    )
    tracker.import_file("linkedin", path)
    (ada,) = tracker.read().contacts
    assert (ada.name, ada.email, ada.company, ada.role) == (
        "Ada Lovelace",
        "ada@example.com",
        "Analytical Engines",
        "Analyst",
    )
