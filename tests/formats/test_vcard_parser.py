"""The vCard parser piece by piece: unfolding, quoted-printable, escapes, PREF, groups,
embedded AGENT cards, unfolded base64 photos, and what counts as a stray line."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from conftest import Runner
from infoint.formats.common import decode, delimiter_of
from infoint.formats.vcard import (
    logical_lines,
    name_from_n,
    parse,
    parse_property,
    split_escaped,
    text_of,
)


def rows_of(text: str) -> list[dict[str, object]]:
    return [{k: v for k, v in r.__dict__.items() if v} for r in parse(text, "t.vcf").rows]


def card(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""])


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r", "\r\r\n"])
def test_any_line_ending_and_folding(newline: str) -> None:
    text = newline.join(["BEGIN:VCARD", "FN:Ada", " Lovelace", "NOTE:one", "\ttwo", "END:VCARD"])
    (row,) = rows_of(text)
    assert row["name"] == "AdaLovelace" and row["notes"] == "onetwo"


def test_soft_breaks_join_only_quoted_printable_lines() -> None:
    lines = logical_lines("NOTE;ENCODING=QUOTED-PRINTABLE:a=\r\nb=\r\n c\r\nTITLE:x=\r\nEMAIL:e")
    assert lines == [(1, "NOTE;ENCODING=QUOTED-PRINTABLE:ab c"), (4, "TITLE:x="), (5, "EMAIL:e")]


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Zo=C3=AB", "Zoë"),
        ("N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Zo=EB", "Zoë"),
        ("N;CHARSET=Windows-1252;QUOTED-PRINTABLE:=80 5", "€ 5"),
        ("N;CHARSET=no-such-charset;ENCODING=QUOTED-PRINTABLE:Zo=C3=AB", "Zoë"),
        ("NOTE;ENCODING=QUOTED-PRINTABLE:a=0D=0Ab=0Dc", "a\nb\nc"),
        ("N:plain=41", "plain=41"),
    ],
)
def test_quoted_printable_in_its_charset(line: str, text: str) -> None:
    prop = parse_property(1, line)
    assert prop is not None and text_of(prop) == text


def test_parameters_in_every_spelling() -> None:
    prop = parse_property(1, 'item2.TEL;TYPE="voice,work";PREF=1;VALUE=uri:tel:+1;ext=2')
    assert prop is not None
    assert (prop.group, prop.name, prop.value) == ("ITEM2", "TEL", "tel:+1;ext=2")
    assert prop.params == {"TYPE": ["voice", "work"], "PREF": ["1"], "VALUE": ["uri"]}
    bare = parse_property(2, "EMAIL;INTERNET;PREF;QUOTED-PRINTABLE:x")
    assert bare is not None
    assert bare.params == {"TYPE": ["INTERNET", "PREF"], "ENCODING": ["QUOTED-PRINTABLE"]}
    assert parse_property(3, "no colon here") is None


@pytest.mark.parametrize(
    ("value", "sep", "parts"),
    [
        ("Williams-Sonoma, Inc.;Marketing", ";", ["Williams-Sonoma, Inc.", "Marketing"]),
        ("Company\\, The;Dept\\;Sub", ";", ["Company, The", "Dept;Sub"]),
        ("a\\\\;b", ";", ["a\\", "b"]),
        ("one\\ntwo", ";", ["one\ntwo"]),
        ("a,b\\,c", ",", ["a", "b,c"]),
        ("trailing\\", ";", ["trailing\\"]),
        ("", ";", [""]),
    ],
)
def test_structured_values_split_only_at_unescaped_separators(
    value: str, sep: str, parts: list[str]
) -> None:
    assert split_escaped(value, sep) == parts


@pytest.mark.parametrize(
    ("parts", "name"),
    [
        (["Lovelace", "Ada", "", "", ""], "Ada Lovelace"),
        (["Brennan", "Siobhán", "M.", "Dr.", ""], "Siobhán M. Brennan"),
        (["李", "小龙"], "李小龙"),
        (["Williams-Sonoma, Inc."], "Williams-Sonoma, Inc."),
        (["Doe", "John,Paul"], "John Paul Doe"),
    ],
)
def test_names_from_n(parts: list[str], name: str) -> None:
    assert name_from_n(parts) == name


def test_pref_orders_emails_and_phones_in_every_version() -> None:
    (v21,) = rows_of(card("FN:A", "EMAIL;INTERNET:b@x.org", "EMAIL;INTERNET;PREF:a@x.org"))
    (v30,) = rows_of(card("FN:A", "EMAIL:b@x.org", "EMAIL;TYPE=INTERNET,PREF:a@x.org"))
    (v40,) = rows_of(card("FN:A", "EMAIL;PREF=2:b@x.org", "EMAIL;PREF=1:a@x.org"))
    assert v21["emails"] == v30["emails"] == v40["emails"] == ["a@x.org", "b@x.org"]
    (bad,) = rows_of(card("FN:A", "EMAIL;PREF=x:b@x.org", "EMAIL:a@x.org"))
    assert bad["emails"] == ["b@x.org", "a@x.org"]


def test_tel_uris_lose_their_scheme() -> None:
    (row,) = rows_of(card("FN:A", "TEL;VALUE=uri:tel:+1-555-0100", version="4.0"))
    assert row["phone"] == "+1-555-0100"
    (row,) = rows_of(card("FN:A", "TEL:TEL:+44 20 7946 0958;ext=7"))
    assert row["phone"] == "+44 20 7946 0958 ext. 7"


def test_an_agents_embedded_card_is_passed_over() -> None:
    text = card("FN:Boss", "AGENT:", "BEGIN:VCARD", "FN:Assistant", "END:VCARD", "TITLE:Chief")
    (row,) = rows_of(text)
    assert (row["name"], row["role"]) == ("Boss", "Chief")


def test_unindented_base64_after_a_photo_is_not_a_stray_line() -> None:
    text = card("FN:Pic", "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQ", "SkZJRgABAQ", "AAAB", "",
                "EMAIL:p@x.org", version="2.1")  # fmt: skip
    parsed = parse(text, "t.vcf")
    assert parsed.notices == [] and parsed.rows[0].emails == ["p@x.org"]


def test_lines_outside_any_card_are_counted() -> None:
    parsed = parse("junk before\r\n" + card("FN:A") + "junk after\r\n", "t.vcf")
    assert [r.name for r in parsed.rows] == ["A"]
    assert parsed.notices == [
        "Passed over 2 line(s) of t.vcf that are not vCard lines (line 1, 6)."
    ]


def test_a_file_without_cards_is_refused() -> None:
    from infoint.errors import BadInput

    with pytest.raises(BadInput, match="no BEGIN:VCARD"):
        parse("FN:Nobody\r\n", "t.vcf")


def test_nickname_org_and_adr_fill_what_they_can() -> None:
    (row,) = rows_of(card("NICKNAME:Ada", "ADR;TYPE=work:;;1 Main St;Lisbon;;1000;Portugal"))
    assert row["name"] == "Ada" and row["location"] == "Lisbon, Portugal"
    (row,) = rows_of(card("ORG:Acme\\, Inc."))
    assert row["name"] == "Acme, Inc." and row["tags"] == ["unnamed"]
    (row,) = rows_of(card("TEL:+1 555"))
    assert row["skipped"] == "no name"


def test_an_unreadable_connected_on_is_left_out() -> None:
    (row,) = rows_of(card("FN:A", "X-INFOINT-CONNECTED-ON:soon"))
    assert "connected_on" not in row


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("Name,Email,Company", ","),
        ("Name;Email;Company", ";"),
        ("Name\tEmail\tCompany", "\t"),
        ('"Last, First";Email;Company', ";"),
        ("Name", ","),
        ("Name|Email|Company", "|"),
    ],
)
def test_the_delimiter_is_read_from_the_header(header: str, delimiter: str) -> None:
    assert delimiter_of(header) == delimiter


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        ("Zoë,Ødegård\n".encode(), "UTF-8"),
        ("\ufeffZoë,Ødegård\n".encode(), "UTF-8"),
        ("Zoë,Ødegård\n".encode("utf-16"), "UTF-16"),
        ("Name,Email\nZoë Ødegård,zoe@example.no\n".encode("utf-16-le"), "UTF-16"),
        ("Name,Email\nZoë Ødegård,zoe@example.no\n".encode("utf-16-be"), "UTF-16"),
        ("Name;Company\nMaría Núñez;Librería Océano\n".encode("cp1252"), "Windows-1252"),
    ],
)
def test_encodings_are_recognised(raw: bytes, encoding: str) -> None:
    text, found = decode(raw, "f.csv")
    assert found == encoding and ("Zoë" in text or "María" in text)


PYCON = "Met at PyCon; ask about Rust,\nand the café."


def b64(text: str | bytes, charset: str = "utf-8") -> str:
    raw = text.encode(charset) if isinstance(text, str) else text
    return base64.b64encode(raw).decode()


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (  # vCard 3.0, folded, with a line break, a comma and a semicolon in the text
            ["NOTE;ENCODING=b:" + b64(PYCON)[:40], " " + b64(PYCON)[40:]],
            {"notes": PYCON},
        ),
        (  # vCard 2.1's bare BASE64, a CHARSET, no padding
            [f"NOTE;BASE64;CHARSET=ISO-8859-1:{b64('Zoë', 'latin-1').rstrip('=')}"],
            {"notes": "Zoë"},
        ),
        (  # a structured value keeps its parts
            [f"ORG;ENCODING=BASE64:{b64('Williams-Sonoma, Inc.;Marketing')}",
             f"TITLE;ENCODING=b:{b64('Editor, chief')}"],
            {"company": "Williams-Sonoma, Inc.", "role": "Editor, chief"},
        ),
    ],
)  # fmt: skip
def test_a_base64_text_property_is_decoded(lines: list[str], expected: dict[str, str]) -> None:
    parsed = parse(card("FN:Ada Lovelace", *lines), "t.vcf")
    (row,) = parsed.rows
    assert {k: getattr(row, k) for k in expected} == expected
    assert parsed.notices == []


def test_a_base64_note_that_is_not_text_is_left_out_and_said() -> None:
    png = b64(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    parsed = parse(
        card("FN:Ada Lovelace", f"NOTE;ENCODING=b:{png}", "TITLE;ENCODING=b:%%%notbase64"), "t.vcf"
    )
    (row,) = parsed.rows
    assert row.notes is None and row.role is None
    assert parsed.notices == [
        "t.vcf, line 4: the NOTE is base64 that is not text; left out.",
        "t.vcf, line 5: the TITLE is base64 that is not text; left out.",
    ]


def test_a_base64_note_comes_in_from_the_command_line(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "c.vcf"
    path.write_text(card("FN:Ada Lovelace", "NOTE;ENCODING=b:" + b64("Line one\nLine two")))
    out = run("import", "vcard", str(path))
    assert "Added 1 new contact(s)" in out.stderr
    (ada,) = run.json("contacts")
    assert run.json("show", ada["handle"])["notes"] == "Line one\nLine two"


def test_a_base64_property_infoint_does_not_read_is_passed_over_quietly() -> None:
    jpeg = b64(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    parsed = parse(
        card("FN:Ada Lovelace", f"X-MS-CARDPICTURE;TYPE=JPEG;ENCODING=BASE64:{jpeg}",
             f"X-LINKEDIN;ENCODING=b:{b64('https://www.linkedin.com/in/ada')}"),
        "t.vcf",
    )  # fmt: skip
    (row,) = parsed.rows
    assert parsed.notices == []
    assert (row.name, row.linkedin) == ("Ada Lovelace", "https://www.linkedin.com/in/ada")


@pytest.mark.parametrize(
    ("line", "linkedin"),
    [
        # iOS writes a profile it has no address for as `x-apple:` and the username
        ("X-SOCIALPROFILE;type=linkedin;x-user=adalovelace:x-apple:adalovelace",
         "https://www.linkedin.com/in/adalovelace"),
        ("X-SOCIALPROFILE;type=linkedin;x-user=ada-l:", "https://www.linkedin.com/in/ada-l"),
        ("X-SOCIALPROFILE;type=linkedin:http://www.linkedin.com/in/ada",
         "http://www.linkedin.com/in/ada"),
        ("X-SOCIALPROFILE;type=linkedin:https://lnkd.in/ada", "https://lnkd.in/ada"),
        ("X-SOCIALPROFILE;type=linkedin:x-apple:", None),
    ],
)  # fmt: skip
def test_a_linkedin_profile_named_only_by_its_username(line: str, linkedin: str | None) -> None:
    (row,) = rows_of(card("FN:Ada Lovelace", line))
    assert row.get("linkedin") == linkedin
