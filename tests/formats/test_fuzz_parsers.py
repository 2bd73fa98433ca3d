"""Every parser, fed anything: it returns rows or refuses with a sentence (BadInput),
never another exception; and an import that is refused leaves the store as it was."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Runner
from infoint.errors import BadInput
from infoint.formats import common, csv, google, linkedin, outlook, vcard
from infoint.formats.common import Parsed

TOKENS = [
    "a", "Zoë", "李", " ", ",", ";", "\t", '"', "\r\n", "\n", "\r", ":", "=", "\\", "@",
    "BEGIN:VCARD\r\n", "END:VCARD\r\n", "VERSION:2.1\r\n", "FN:", "N:", "ORG:", "EMAIL;PREF:",
    "TEL;VALUE=uri:tel:", "item1.", "X-ABLabel:", ";ENCODING=QUOTED-PRINTABLE:", "=0D=0A",
    "=C3=", "=\r\n", "PHOTO;ENCODING=BASE64:", " QUJD", "CHARSET=koi8-r", "CHARSET=nope",
    "AGENT:", "CATEGORIES:", "ADR:", "NOTE:", "x@example.com", "\\,", "\\;", "\\n",
    "First Name,Last Name,Email Address,Company,Connected On\n", "Labels", "Given Name",
    "Group Membership", "E-mail 1 - Value", ":::", "* ", "E-mail Address",
    "Name,Email\n", "12/22/16, 9:55 AM", "01 Jan 2024", "'=", "\x00", "\ufeff",
]  # fmt: skip
texts = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)

PARSERS: dict[str, Callable[[str], Parsed]] = {
    "linkedin": lambda t: linkedin.parse(t, "f.csv"),
    "google": lambda t: google.parse(t, "f.csv"),
    "outlook": lambda t: outlook.parse(t, "f.csv"),
    "csv": lambda t: csv.parse(t, "f.csv"),
    "csv --map": lambda t: csv.parse(t, "f.csv", "UTF-8", {"Name": "name"}),
    "vcard": lambda t: vcard.parse(t, "f.vcf"),
}


@pytest.mark.parametrize("kind", sorted(PARSERS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_a_parser_returns_rows_or_a_sentence(kind: str, text: str) -> None:
    try:
        parsed = PARSERS[kind](text)
    except BadInput as refused:
        assert refused.message.strip()
        return
    for row in parsed.rows:
        assert row.skipped or row.name.strip()
        assert row.line >= 1


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=400) | texts.map(lambda t: t.encode("utf-16")))
def test_any_bytes_decode_or_are_refused(raw: bytes) -> None:
    try:
        text, encoding = common.decode(raw, "f.csv")
    except BadInput:
        return
    assert isinstance(text, str) and encoding


@settings(max_examples=100, deadline=None)
@given(cut=st.integers(min_value=0, max_value=400), flip=st.integers(min_value=0, max_value=400))
def test_any_damage_to_a_zip_is_one_sentence(cut: int, flip: int) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Connections.csv", "First Name,Last Name\nAda,Lovelace\n" * 20)
    data = bytearray(buffer.getvalue())
    if flip < len(data):
        data[flip] ^= 0xFF
    damaged = bytes(data[: len(data) - cut]) if cut else bytes(data)
    try:
        common.zip_member(damaged, "x.zip", "connections.csv", "Connections.csv", "hint")
    except BadInput as refused:
        assert refused.message.strip()


@pytest.mark.parametrize("kind", ["linkedin", "google", "outlook", "csv", "vcard"])
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=texts)
def test_an_import_writes_all_or_nothing(run: Runner, tmp_path: Path, kind: str, text: str) -> None:
    before = run.store_bytes()
    path = tmp_path / "in.txt"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    out = run("import", kind, str(path), code=None)
    assert out.exit_code in (0, 1)
    if out.exit_code == 1:
        assert out.stderr.startswith("Error: ")
        assert run.store_bytes() == before


@settings(max_examples=150, deadline=None)
@given(raw=st.binary(max_size=300), kind=st.sampled_from(["csv", "google", "outlook", "vcard"]))
def test_any_bytes_as_a_zip_member_are_read_or_refused(raw: bytes, kind: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export/contacts.vcf" if kind == "vcard" else "contacts.csv", raw)
    try:
        data, name = common.from_zip(buffer.getvalue(), "x.zip", kind)
        common.decode(data, name)
    except BadInput as refused:
        assert refused.message.strip()


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300).filter(lambda t: "\r\n" not in t))  # a line: no line break
def test_any_line_folds_within_75_octets_and_back(text: str) -> None:
    from infoint.formats.vcard import fold

    parts = fold(text).split("\r\n")
    assert all(len(p.encode("utf-8", "surrogatepass")) <= 75 for p in parts)
    assert parts[0] + "".join(p[1:] for p in parts[1:]) == text


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200) | texts)
def test_any_cell_gives_addresses_without_spaces(text: str) -> None:
    for email in common.emails_of(text):
        assert email and not any(c.isspace() for c in email)


# round trips ---------------------------------------------------------------------------------

values = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=40).map(str.strip)
lines = st.lists(values.filter(bool), max_size=3).map("\n".join)
names = values.filter(lambda v: bool(v) and v[:1] not in "-=+@'")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=names,
    company=values,
    role=values,
    notes=lines,
    why=lines,
    tags=st.lists(
        values.filter(bool) | st.sampled_from(["a, b", "c;d", 'say "hi"', '"']),
        max_size=3,
        unique=True,
    ),
    kind=st.sampled_from(["vcard", "csv"]),
)
def test_any_text_survives_a_round_trip(
    name: str, company: str, role: str, notes: str, why: str, tags: list[str], kind: str
) -> None:
    from datetime import UTC, datetime

    from infoint.models import Contact, StoreDoc

    now = datetime(2026, 1, 1, tzinfo=UTC)
    contact = Contact(
        id=1, handle="x", name=name, company=company or None, role=role or None,
        notes=notes or None, why=why or None, tags=tags, created_at=now, updated_at=now,
    )  # fmt: skip
    doc = StoreDoc(schema_version=2, contacts=[contact])
    if kind == "vcard":
        (row,) = vcard.parse(vcard.write(doc).decode(), "x.vcf").rows
    else:
        (row,) = csv.parse(csv.write(doc, {}).decode(), "x.csv").rows
    got = (row.name, row.company, row.role, row.notes, row.why, row.tags)
    assert got == (" ".join(name.split()) if kind == "vcard" else name, company or None,
                   role or None, notes or None, why or None, tags)  # fmt: skip
