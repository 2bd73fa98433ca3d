"""The corpus of export files (tests/formats/corpus, see its README): each file gives
exactly the contacts listed here, compared field by field as they land in the store."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import Runner
from infoint.services import Tracker

CORPUS = Path(__file__).parent / "corpus"
FIELDS = ("name", "email", "phone", "company", "role", "linkedin", "location", "notes", "tags")


def contact(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, **fields}


#: The opening of the licence text the Card Me samples carry in their NOTE.
DISCLAIMER = (
    'THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS'
    " OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF"
    " MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE"
    " COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL,"
    " EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF"
    " SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION)"
    " HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR"
    " TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS"
    " SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE."
)

EXPECTED: dict[tuple[str, str], list[dict[str, Any]]] = {
    ("vcard", "cardme_evolution.vcf"): [
        contact(
            "Mr. John Richter, James Doe Sr.",
            email="john.doe@ibm.com",
            phone="905-666-1234",
            company="IBM",
            role="Money Counter",
            location="Albaney, New York, United States of America",
            notes=DISCLAIMER,
            tags=["VIP"],
        )
    ],
    ("vcard", "cardme_mac_address_book.vcf"): [
        contact(
            "Mr. John Richter,James Doe Sr.",
            email="john.doe@ibm.com",
            phone="905-777-1234",
            company="IBM",
            role="Money Counter",
            location="New York, New York, United States of America",
            notes=DISCLAIMER + "\nFavotire Color: Blue",
        )
    ],
    # Outlook's ORG with a comma in the company's name ("Company, The"), as issue
    # item 1 met it; ADR's LABEL parameter in quotes; KEY and PHOTO as data: URIs
    ("vcard", "cardme_outlook2003.vcf"): [
        contact(
            "John Doe III",
            email="jdoe@hotmail.com",
            phone="BusinessPhone",
            company="Company, The",
            role="The Job Title",
            location="Austin, TX, United States of America",
            notes="This is the note field!!\nSecond line\n\nThird line is empty",
        )
    ],
    ("vcard", "cardme_outlook2007.vcf"): [
        contact(
            "Mr. Michael Angstadt Jr.",
            email="mike.angstadt@gmail.com",
            phone="(111) 555-1111",
            company="TheCompany",
            role="TheJobTitle",
            location="New York, NY, USA",
            notes="This is the NOTE field\t\nI assume it encodes this text inside a NOTE vCard"
            " type.\nBut I'm not sure because there's text formatting going on here.\nIt does"
            " not preserve the formatting",
        )
    ],
    ("vcard", "android_21.vcf"): [
        contact(
            "Zoë Ångström-Núñez Þorsteinsdóttir",
            email="zoe.an@example.pt",
            phone="+351 912 345 678",
            company="Estúdio Mar, Lda.",
            role="Head of Design",
            notes="Met at the Lisbon design meetup.\nAsk about her move from print to product.",
        ),
        contact("press@example.org", email="press@example.org", tags=["unnamed"]),
        contact(
            "Chidi Okafor",
            email="chidi@example.co.uk",
            phone="+44 20 7946 0958",
            notes="Other e-mail: chidi.home@example.net",
        ),
    ],
    ("vcard", "iphone_30.vcf"): [
        contact(
            "Priya Williams",
            email="priya@example.com",
            phone="(415) 555-0134",
            company="Williams-Sonoma, Inc.",
            role="Art Director",
            linkedin="https://www.linkedin.com/in/priya-williams-sf",
            notes="Introduced by Sam, after the AIGA talk.\nPrefers mornings.\n"
            "Other e-mail: pwilliams@example.net",
            tags=["Design", "SF"],
        )
    ],
    ("vcard", "outlook2007_21.vcf"): [
        contact(
            "Hélène Lefèvre",
            email="helene.lefevre@example.com",
            phone="(415) 555-0199",
            company="Williams-Sonoma, Inc.",
            role="Director, Customer Insight",
            location="San Francisco, CA, United States of America",
            notes="Met at NRF 2019.\nWants to hear about retail analytics.\nFollow up in spring.",
        )
    ],
    ("vcard", "lotus_notes.vcf"): [
        contact(
            "Siobhán M. Brennan",
            email="siobhan.brennan@example.ie",
            company="Brennan & Hart, Solicitors",
            role="Partner",
        )
    ],
    ("vcard", "vcard40.vcf"): [
        contact(
            "山田 太郎",
            email="taro.yamada@example.co.jp",
            phone="+81-90-1234-5678 ext. 12",
            company="株式会社サンプル",
            notes="Other e-mail: taro.home@example.jp",
        ),
        contact("李小龙", email="xiaolong.li@example.cn"),
    ],
    ("vcard", "gmail_30.vcf"): [
        contact(
            "Nadia Haddad",
            email="nadia.h@example.com",
            phone="+33 6 12 34 56 78",
            company="Maison Verte",
            role="Landscape Architect",
            linkedin="https://www.linkedin.com/in/nadiahaddad",
            notes="Spoke at Paysages 2023.\nOther e-mail: nadia@example.org",
            tags=["Mentors"],
        )
    ],
    ("vcard", "thunderbird_40.vcf"): [
        contact(
            "Lars Nilsson",
            email="lars.nilsson@example.se",
            company="Nordic Type AB",
            role="Type Designer",
            notes="Introduced by Ingrid.\nAsk about variable fonts.",
        )
    ],
    ("vcard", "evolution_30.vcf"): [
        contact(
            "Marta Kowalski",
            email="marta.kowalski@example.pl",
            phone="+48 600 123 456",
            company="Fundacja Otwarta",
            role="Program Manager",
            linkedin="https://pl.linkedin.com/in/martakowalski",
            notes="Wrote the 2023 open-data report.",
        )
    ],
    ("vcard", "macos_cr.vcf"): [
        contact(
            "Amélie Dubois",
            email="amelie@example.fr",
            company="Atelier Nord",
            linkedin="https://www.linkedin.com/in/amelie-dubois",
        )
    ],
    ("vcard", "blackberry_21.vcf"): [
        contact(
            "Harbour Books, Ltd.",
            phone="+1 604 555 0100",
            company="Harbour Books, Ltd.",
            tags=["unnamed"],
        ),
        contact("Luc Tremblay", email="luc.tremblay@example.ca", role="Editor"),
    ],
    ("vcard", "damaged.vcf"): [
        contact("Ingrid Olsen", email="ingrid@example.no"),
        contact("Tomás Ruiz", email="tomas@example.es"),
    ],
    ("linkedin", "linkedin_2017.csv"): [
        contact(
            "Rosa Parks",
            email="rosa.parks@example.org",
            company="Montgomery Improvement Association, Inc.",
            role="Secretary",
            connected_on=date(2016, 12, 22),
        ),
        contact(
            "Ken Thompson",
            company="Bell Labs",
            role="Member of Technical Staff",
            connected_on=date(2017, 3, 5),
        ),
    ],
    ("linkedin", "linkedin_2024.csv"): [
        contact(
            "Fatima Zahra",
            email="fatima@example.ma",
            company="Atlas Labs",
            role="UX Researcher",
            linkedin="https://www.linkedin.com/in/fatima-zahra-ux",
            connected_on=date(2024, 2, 14),
        ),
        contact(
            "Northwind Traders",
            company="Northwind Traders",
            tags=["unnamed"],
            connected_on=date(2024, 3, 2),
        ),
    ],
    ("google", "google_current.csv"): [
        contact(
            "Grace Brewster Hopper",
            email="grace@example.mil",
            phone="+1 202 555 0147",
            company="US Navy",
            role="Rear Admiral",
            linkedin="https://www.linkedin.com/in/gracehopper",
            notes="Pioneer of COBOL.\nAsk about compilers.\nOther e-mail: grace.home@example.com",
            tags=["Mentors"],
        ),
        contact("info@example.com", email="info@example.com", tags=["unnamed"]),
    ],
    ("google", "google_legacy.csv"): [
        contact(
            "Alan Turing",
            email="alan@example.co.uk",
            phone="+44 1908 640404",
            company="Government Code and Cypher School",
            role="Cryptanalyst",
            notes="Codebreaker.\nOther e-mail: turing@example.org",
            tags=["Bletchley"],
        )
    ],
    ("outlook", "outlook.csv"): [
        contact(
            "Aiko Tanaka",
            email="aiko.tanaka@example.com",
            phone="+1 425 555 0100",
            company="Contoso, Ltd.",
            role="Principal Researcher",
            linkedin="https://www.linkedin.com/in/aikotanaka",
            location="Redmond, United States",
            notes="Met at Build.\nKeen on accessibility.\nOther e-mail: aiko@example.net",
            tags=["Mentors", "Conference"],
        ),
        contact(
            "sales@example.com", email="sales@example.com", company="Fabrikam", tags=["unnamed"]
        ),
    ],
    ("outlook", "google_outlook.csv"): [
        contact(
            "Margaret Hamilton",
            email="margaret@example.com",
            phone="+1 617 555 0111",
            company="MIT Instrumentation Lab",
            role="Director",
            location="Boston, USA",
            notes="Apollo guidance software.",
        )
    ],
    ("csv", "excel_semicolon_cp1252.csv"): [
        contact(
            "María Núñez",
            email="maria@example.es",
            company="Librería Océano",
            role="Editora jefe",
            notes="Café con leche, por favor",
        ),
        contact(
            "Jürgen Weiß",
            email="juergen@example.de",
            company="Müller & Söhne",
            role="Geschäftsführer",
        ),
    ],
    ("csv", "excel_unicode.txt"): [
        contact(
            "Søren Kierkegaard",
            email="soren@example.dk",
            company="Københavns Universitet",
            role="Lektor",
        ),
        contact(
            "Chloé Martin", email="chloe@example.fr", company="Éditions du Nord", role="Éditrice"
        ),
    ],
}


def stored(tracker: Tracker) -> list[dict[str, Any]]:
    return [c.model_dump() for c in tracker.read().contacts]


@pytest.mark.parametrize(("kind", "file"), sorted(EXPECTED), ids=lambda v: str(v))
def test_each_file_gives_its_contacts_field_by_field(
    tracker: Tracker, kind: str, file: str
) -> None:
    tracker.import_file(kind, CORPUS / file)
    got = stored(tracker)
    wanted = EXPECTED[(kind, file)]
    assert [c["name"] for c in got] == [w["name"] for w in wanted]
    for have, want in zip(got, wanted, strict=True):
        for key in (*FIELDS, "connected_on"):
            default: Any = [] if key == "tags" else None
            assert have[key] == want.get(key, default), (have["name"], key)
        assert have["source"] == kind


def test_every_corpus_file_is_covered() -> None:
    kept = {p.name for p in CORPUS.iterdir()} - {"README.md", "LICENSE-ez-vcard.txt"}
    assert {f for _, f in EXPECTED} == kept


def test_a_damaged_vcard_reports_its_bad_lines_and_brings_the_rest(run: Runner) -> None:
    out = run("import", "vcard", str(CORPUS / "damaged.vcf"))
    assert out.exit_code == 0
    assert "not vCard lines (line 5)" in out.stderr
    assert "Line 12: skipped (card not closed (no END:VCARD): is the file cut short?)" in out.stderr
    assert "Added 2 new contact(s)" in out.stderr


def test_the_encoding_and_delimiter_are_named_when_not_utf8_with_commas(run: Runner) -> None:
    out = run("import", "vcard", str(CORPUS / "outlook2007_21.vcf"))
    assert "Read outlook2007_21.vcf as Windows-1252 text." in out.stderr
    out = run("import", "csv", str(CORPUS / "excel_semicolon_cp1252.csv"))
    assert "as Windows-1252 text, semicolon-separated" in out.stderr
    out = run("import", "csv", str(CORPUS / "excel_unicode.txt"))
    assert "as UTF-16 text, tab-separated" in out.stderr
    out = run("import", "linkedin", str(CORPUS / "linkedin_2024.csv"))
    assert "separated" not in out.stderr


def test_people_without_a_name_can_be_found_by_their_tag(run: Runner) -> None:
    out = run("import", "google", str(CORPUS / "google_current.csv"))
    assert "1 had no name and were named from their e-mail or company" in out.stderr
    assert "infoint contacts --tag unnamed" in out.stderr
    listed = run.json("contacts", "--tag", "unnamed")
    assert [c["name"] for c in listed] == ["info@example.com"]


def test_no_library_noise_reaches_the_terminal(run: Runner) -> None:
    for file in ("android_21.vcf", "outlook2007_21.vcf", "damaged.vcf", "iphone_30.vcf"):
        out = run("import", "vcard", str(CORPUS / file))
        assert "vobject" not in out.stderr and "Traceback" not in out.stderr
    exported = run("export", "vcard", "--out", "-")
    assert "vobject" not in exported.stderr
