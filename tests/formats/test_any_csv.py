"""`import csv` (any CSV with a header, with --map for the columns it cannot place) and
`import outlook` (Outlook's CSV and Google's "Outlook CSV"), as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Runner
from infoint.errors import BadInput
from infoint.formats.csv import mapping_of
from infoint.services import Tracker

CORPUS = Path(__file__).parent / "corpus"


def test_columns_are_recognised_by_their_usual_names() -> None:
    header = ["Full Name", "E-mail Address", "Organisation", "Job Title", "Labels", "Foo"]
    assert mapping_of(header, "x.csv", {}) == {
        "Full Name": "name",
        "E-mail Address": "email",
        "Organisation": "company",
        "Job Title": "role",
        "Labels": "tags",
    }


def test_map_names_a_column_it_cannot_place(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Wer,Mail,Firma,Notiz\nJürgen Weiß,j@example.de,Müller,=1+1\n")
    refused = run.refused("import", "csv", str(path))
    assert "No column of people.csv names a person" in refused.stderr
    assert '--map "Column=name"' in refused.stderr
    out = run("import", "csv", str(path), "--map", "Wer=name", "--map", "Mail=email",
              "--map", "firma=company", "--map", "Notiz=notes")  # fmt: skip
    assert "Added 1 new contact(s)" in out.stderr
    (jurgen,) = run.json("contacts")
    assert (jurgen["name"], jurgen["email"], jurgen["company"]) == (
        "Jürgen Weiß",
        "j@example.de",
        "Müller",
    )
    shown = run("show", "jurgen-weiss")
    assert "=1+1" in shown.stdout


def test_a_dry_run_shows_the_mapping_and_changes_nothing(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Name,Email,Shoe size\nAda Lovelace,ada@example.com,38\n")
    out = run("import", "csv", str(path), "--dry-run")
    assert "Columns: Name → name; Email → email; Shoe size → (left out)" in out.stderr
    assert "Would add 1 new contact(s)" in out.stderr and "Nothing was changed" in out.stderr
    assert not (run.home / "store.json").exists()


@pytest.mark.parametrize(
    ("pair", "said"),
    [
        ("Name", "is not COLUMN=FIELD"),
        ("Name=shoe", "'shoe' is not a field infoint keeps"),
        ("Nope=name", "has no column 'Nope'"),
    ],
)
def test_a_bad_map_is_refused(run: Runner, tmp_path: Path, pair: str, said: str) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Name,Email\nAda Lovelace,ada@example.com\n")
    out = run.refused("import", "csv", str(path), "--map", pair)
    assert said in out.stderr and "Hint: " in out.stderr


def test_a_mapped_column_replaces_the_one_recognised(tmp_path: Path) -> None:
    mapping = mapping_of(["Name", "Nickname"], "x.csv", {"Nickname": "name"})
    assert mapping == {"Nickname": "name"}
    with pytest.raises(BadInput):
        mapping_of(["Name"], "x.csv", {"Name": "handle"})


def test_import_outlook_and_googles_outlook_csv(run: Runner) -> None:
    out = run("import", "outlook", str(CORPUS / "outlook.csv"))
    assert "Added 2 new contact(s)" in out.stderr
    out = run("import", "outlook", str(CORPUS / "google_outlook.csv"))
    assert "Added 1 new contact(s)" in out.stderr
    assert {c["name"] for c in run.json("contacts")} == {
        "Aiko Tanaka",
        "sales@example.com",
        "Margaret Hamilton",
    }


def test_google_points_an_outlook_csv_to_import_outlook(run: Runner) -> None:
    out = run.refused("import", "google", str(CORPUS / "google_outlook.csv"))
    assert "google_outlook.csv is an Outlook CSV export, not a Google Contacts export" in out.stderr
    assert "Hint: infoint import outlook google_outlook.csv" in out.stderr


def test_outlook_refuses_a_csv_of_another_layout(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Name,Email\nAda,ada@example.com\n")
    out = run.refused("import", "outlook", str(path))
    assert "does not look like an Outlook CSV export" in out.stderr
    assert "infoint import csv x.csv" in out.stderr


def test_infoints_own_csv_export_comes_back_by_csv(tracker: Tracker, tmp_path: Path) -> None:
    from infoint.records import ContactFields

    tracker.add_contact("Ada Lovelace", ContactFields(email="ada@example.com", tags=["a", "b"]))
    path = tmp_path / "infoint-contacts.csv"
    path.write_bytes(tracker.export("csv"))
    outcomes = tracker.import_file("csv", path)
    assert [o.result for o in outcomes] == ["same"]
    assert outcomes.columns[0] == ("id", "(infoint's own)")
    assert ("email", "email") in outcomes.columns


def test_two_columns_mapped_to_the_e_mail_both_come_in(tracker: Tracker, tmp_path: Path) -> None:
    """`--map "Mail 1=email" --map "Mail 2=email"`: the second map adds a column, it
    does not undo the first."""
    path = tmp_path / "p.csv"
    path.write_text("Wer,Mail 1,Mail 2\nAda Lovelace,ada@example.com,ada@home.example\n")
    columns = {"Wer": "name", "Mail 1": "email", "Mail 2": "email"}
    outcomes = tracker.import_file("csv", path, columns=columns)
    (ada,) = tracker.read().contacts
    assert ada.email == "ada@example.com" and ada.notes == "Other e-mail: ada@home.example"
    assert outcomes.columns == [("Wer", "name"), ("Mail 1", "email"), ("Mail 2", "email")]


def test_several_emails_in_one_cell(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text('Name,Email\nAda,"ada@example.com; ada2@example.com"\n')
    tracker.import_file("csv", path)
    (ada,) = tracker.read().contacts
    assert ada.email == "ada@example.com" and ada.notes == "Other e-mail: ada2@example.com"


def test_prefers_is_kept_only_in_infoints_words(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Name,Prefers\nAda,In person\nBo,carrier pigeon\nCy,PHONE\n")
    tracker.import_file("csv", path)
    assert [c.prefers for c in tracker.read().contacts] == ["in_person", None, "phone"]


def test_a_crm_export_is_read_by_its_usual_column_names(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "hubspot-contacts.csv"
    path.write_text(
        "First Name,Last Name,Email,Work Email,Company Name,Job Title,Mobile Number,"
        "Work Phone,LinkedIn Profile URL,City/Town\n"
        "Ada,Lovelace,ada@example.com,ada@engines.example,Engines Ltd,Analyst,,"
        "+44 20 7946 0000,https://www.linkedin.com/in/ada,London\n"
    )
    outcomes = tracker.import_file("csv", path)
    assert outcomes.notices == []  # every column placed
    (ada,) = tracker.read().contacts
    assert (ada.email, ada.company, ada.role, ada.phone, ada.linkedin, ada.location) == (
        "ada@example.com", "Engines Ltd", "Analyst", "+44 20 7946 0000",
        "https://www.linkedin.com/in/ada", "London",
    )  # fmt: skip
    assert ada.notes == "Other e-mail: ada@engines.example"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2019-05-04", "2019-05-04"),
        ("31/12/2019", "2019-12-31"),
        ("12/31/2019", "2019-12-31"),
        ("04.05.2019", "2019-05-04"),
        ("4/4/19", "2019-04-04"),
        ("12/22/16, 9:55 AM", "2016-12-22"),
        ("01 Jan 2024", "2024-01-01"),
        ("04/05/2019", None),
        ("31/02/2019", None),
        ("soon", None),
    ],
)
def test_a_date_is_read_only_when_it_reads_one_way(
    tracker: Tracker, tmp_path: Path, cell: str, expected: str | None
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(f'Name,Connected on\nAda Lovelace,"{cell}"\n')
    outcomes = tracker.import_file("csv", path)
    (ada,) = tracker.read().contacts
    assert (ada.connected_on.isoformat() if ada.connected_on else None) == expected
    said = (
        "The date on line 2 reads two ways or is not a date (write dates as 2019-05-04): "
        "left empty."
    )
    assert (said in outcomes.notices) == (expected is None)


@pytest.mark.parametrize(
    ("header", "line"),
    [
        (  # Outlook in German
            '"Anrede","Vorname","Weitere Vornamen","Nachname","Suffix","Firma","Abteilung",'
            '"Position","Mobiltelefon","Kategorien","E-Mail-Adresse","E-Mail-Typ","Notizen"',
            '"Frau","Jürgen","","Weiß","","Müller GmbH","Vertrieb","Leiterin","+49 30 1234567",'
            '"Mentoren","j.weiss@example.de","SMTP","Über Anna kennengelernt."',
        ),
        (  # Outlook in French
            '"Titre","Prénom","Deuxième prénom","Nom","Suffixe","Société","Service","Fonction",'
            '"Téléphone mobile","Catégories","Adresse de messagerie","Notes"',
            '"M.","Jürgen","","Weiß","","Müller GmbH","Ventes","Leiterin","+49 30 1234567",'
            '"Mentoren","j.weiss@example.de","Über Anna kennengelernt."',
        ),
        (  # Excel in Spanish, by hand
            "Nombre;Apellidos;Empresa;Puesto;Teléfono;Correo electrónico;Categorías;Notas",
            "Jürgen;Weiß;Müller GmbH;Leiterin;+49 30 1234567;j.weiss@example.de;Mentoren;"
            "Über Anna kennengelernt.",
        ),
    ],
)
def test_outlook_and_excel_in_other_languages(
    tracker: Tracker, tmp_path: Path, header: str, line: str
) -> None:
    path = tmp_path / "kontakte.csv"
    path.write_bytes(f"{header}\r\n{line}\r\n".encode("cp1252"))
    tracker.import_file("csv", path)
    (person,) = tracker.read().contacts
    assert (person.name, person.company, person.role, person.phone, person.email) == (
        "Jürgen Weiß", "Müller GmbH", "Leiterin", "+49 30 1234567", "j.weiss@example.de",
    )  # fmt: skip
    assert (person.tags, person.notes) == (["Mentoren"], "Über Anna kennengelernt.")


def test_a_url_that_is_no_linkedin_profile_goes_to_the_notes(
    tracker: Tracker, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "Name,URL,Notes\nAda Lovelace,https://ada.example.com,Met at PyCon\n"
        "Bo Chen,https://www.linkedin.com/in/bochen,\nCy Dahl,cy-dahl,\n"
    )
    tracker.import_file("csv", path)
    assert [(c.linkedin, c.notes) for c in tracker.read().contacts] == [
        (None, "Met at PyCon\nWebsite: https://ada.example.com"),
        ("https://www.linkedin.com/in/bochen", None),
        (None, "Website: cy-dahl"),
    ]
